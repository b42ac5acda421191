"""One language out of the notebooks' bilingual narrative, for the page of that language.

The notebooks are written for a Kazakh and an English reader at once: their Markdown cells
give each text in Kazakh first, then in English, in one of three ways —

* whole paragraphs (or list items, quotes) in one language each, the English one following
  the Kazakh one (often in italics);
* within a paragraph, heading or list item, the Kazakh text, then `` / `` (or `` · ``),
  then the English text: ``## 3. Өсу қарқыны / Growth``;
* a bold label given in both: ``**Ескерту / Caution.**``.

A Kazakh page shows only the Kazakh parts and an English page only the English ones
(:func:`part`). Which language a piece is in is read from its letters (Cyrillic against
Latin, outside code, formulas, links and «quotations»); a piece with no letters (a number, a
formula) belongs to both. A cell written in one language only is shown as it is on both
pages: nothing is dropped that has no counterpart.

This is the notebooks' convention, and a test holds every notebook to it (each Markdown
cell splits into a Kazakh and an English part without English sentences on the Kazakh
side); the notebooks themselves are never changed.
"""

from __future__ import annotations

import re

KK, EN, BOTH = "kk", "en", "both"
#: Separators between a Kazakh text and its English translation inside one block.
_SEPARATOR = re.compile(r" / | · |\n\s*/ |[ \t]+/[ \t]*\n\s*")
_PREFIX = re.compile(r"^(?:#{1,6}\s+(?:\d+\.\s+)?|\s*(?:[*+-]|\d+\.)\s+|\*\*\d+\.\*\*\s+)?")
_QUOTE = re.compile(r"^>[ ]?", re.M)
_LABEL = re.compile(r"\*\*([^*\n]+?) / ([^*\n]+?)\*\*\s*")
_ITEM = re.compile(r"\n(?=\s*(?:[*+-]|\d+\.)\s)")
_NEUTRAL = re.compile(r"`[^`]*`|\$\$.*?\$\$|\$[^$\n]*\$|\]\([^)]*\)|«[^»]*»|https?://\S+",
                      re.S)
#: Spans a separator never splits: formulas, code, link targets, addresses.
_UNSPLIT = re.compile(r"`[^`]*`|\$\$.*?\$\$|\$[^$\n]*\$|\]\([^)]*\)|https?://\S+", re.S)
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[A-Za-z]")


def language(text: str) -> str:
    """``kk``, ``en`` or ``both`` (no letters, or as many of each) for a piece of text."""
    plain = _NEUTRAL.sub(" ", text)
    cyr, lat = len(_CYRILLIC.findall(plain)), len(_LATIN.findall(plain))
    if cyr > lat:
        return KK
    if lat > cyr:
        return EN
    return BOTH


def _paragraphs(text: str) -> list[str]:
    return [p for p in re.split(r"\n[ \t]*\n", text.strip("\n")) if p.strip()]


def _quoted(para: str) -> bool:
    return all(line.lstrip().startswith(">") for line in para.splitlines())


def _pieces(text: str) -> list[str]:
    """Every piece of text between separators, quotes unwrapped (to see which languages a
    cell holds)."""
    out: list[str] = []
    for para in _paragraphs(text):
        if _quoted(para):
            out += _pieces(_QUOTE.sub("", para))
        else:
            out += _split(_LABEL.sub("", para))[0]
    return out


def _label(body: str, lang: str) -> tuple[str, str]:
    """A leading bold label given in both languages, ``**Ескерту / Caution.**``: its
    ``lang`` side (with the English side's closing stop) and the rest of the block."""
    m = _LABEL.match(body)
    if m is None or language(m.group(1)) != KK or language(m.group(2)) != EN:
        return "", body
    left, right = m.group(1), m.group(2)
    stop = right[len(right.rstrip(".:")):]
    kept = right if lang == EN else left.rstrip(".:") + stop
    return f"**{kept}** ", body[m.end():]


def _attach(langs: list[str], seps: list[str]) -> list[str]:
    """Pieces without letters belong to both languages, except a number before ``/`` (a
    ratio, ``6,75 / 92,83 …``), which belongs to the language of the text it starts, and a
    last piece, which ends the text before it."""
    out = list(langs)
    for i in range(len(out) - 1, -1, -1):
        if out[i] != BOTH:
            continue
        later = next((x for x in out[i + 1:] if x != BOTH), None)
        earlier = next((x for x in reversed(out[:i]) if x != BOTH), None)
        if "/" in seps[i] and later is not None:
            out[i] = later
        elif i == len(out) - 1 and earlier is not None:
            out[i] = earlier
    return out


def _split(body: str) -> tuple[list[str], list[str]]:
    """The pieces of ``body`` between separators, and the separator after each (none after
    the last); a separator inside a formula, code or a link does not count."""
    kept: list[str] = []

    def hide(m: re.Match[str]) -> str:
        kept.append(m.group(0))
        return f"\x00{len(kept) - 1}\x00"

    masked = _UNSPLIT.sub(hide, body)

    def show(text: str) -> str:
        return re.sub("\x00(\\d+)\x00", lambda m: kept[int(m.group(1))], text)

    parts = [show(p) for p in _SEPARATOR.split(masked)]
    return parts, [*_SEPARATOR.findall(masked), ""]


def _inline(body: str, lang: str) -> str | None:
    """``body`` (a block without its prefix) in ``lang``: the pieces between separators in
    that language (or in none), joined by the separators that followed them; None when the
    block has no piece in ``lang`` but has one in the other language."""
    parts, seps = _split(body)
    langs = _attach([language(p) for p in parts], seps)
    if lang not in langs and any(x != BOTH for x in langs):
        return None
    kept = [(p, s) for p, s, x in zip(parts, seps, langs, strict=True) if x in (lang, BOTH)]
    text = ("".join(p + s for p, s in kept[:-1]) + kept[-1][0]).strip()
    if parts[-1].rstrip().endswith(":") and not text.endswith(":"):
        text += ":"  # "Екі өлшем / Two measures:" → "Екі өлшем:"
    return text


def _block(block: str, lang: str) -> str | None:
    """One paragraph, heading or list item in ``lang`` (None: nothing of it in ``lang``)."""
    prefix = _PREFIX.match(block)
    head = prefix.group(0) if prefix else ""
    label, body = _label(block[len(head):], lang)
    chosen = _inline(body, lang)
    if chosen is None:
        return None
    return head + label + chosen


def _select(text: str, lang: str) -> str:
    out = []
    for para in _paragraphs(text):
        if _quoted(para):
            inner = _select(_QUOTE.sub("", para), lang)
            if inner.strip():
                out.append(re.sub(r"^", "> ", inner, flags=re.M).replace("> \n", ">\n"))
            continue
        kept = [b for b in map(lambda x: _block(x, lang), _ITEM.split(para)) if b is not None]
        if kept:
            out.append("\n".join(kept))
    return "\n\n".join(out)


def part(text: str, lang: str) -> str:
    """The ``lang`` part of a bilingual Markdown cell (see the module docstring); a cell
    with no text in ``lang`` is returned whole."""
    if lang not in {language(p) for p in _pieces(text)}:
        return text
    return _select(text, lang) + ("\n" if text.endswith("\n") else "")
