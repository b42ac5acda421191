"""What a reader reads on a site page, and the two language rules the Kazakh pages keep.

* :func:`reader_text`: the visible text of an HTML page and the texts of its ``title``,
  ``aria-label``, ``placeholder`` and ``alt`` attributes, without code (``code``, ``pre``,
  ``kbd``, highlighted blocks), formulas (MathJax, ``.math``), scripts and styles, and without
  quotations of the source as printed (the ledger's printed values, ``.kl-printed``); the
  text of an element whose ``lang`` is another language (a cited title in English) is left
  out only when that is marked in the page.
* :func:`english_sentences`: three or more consecutive English words, of which at least two
  are lower-case words of two letters or more, outside «quotations». Proper names and
  identifiers (TPAO, BTC, Comtrade, "World Development Indicators", "Run All Cells") are
  capitalised words and do not make a sentence; :data:`CITED` lists the titles the pages
  cite in English.
  Addresses and file names (``https://…``, ``reports/kk/ledger.csv``) are identifiers, not
  words of a sentence.
* :func:`decimal_points`: numbers written with a decimal point (``92.83``), which a Kazakh
  page writes with a comma (``92,83``), outside «quotations» (an exhibit's number, "Кесте
  4.1", is not a decimal, nor is a version inside an identifier, ``CC-BY-4.0``).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

SKIP_TAGS = frozenset({"script", "style", "code", "pre", "kbd", "samp", "mjx-container",
                       "svg", "math", "noscript"})
SKIP_CLASSES = frozenset({"highlight", "math", "kl-printed", "kaztur-printed", "MathJax"})
ATTRIBUTES = ("title", "aria-label", "placeholder", "alt")
#: Elements that end a run of words (a sentence does not continue into the next cell).
BLOCKS = frozenset({"p", "div", "li", "td", "th", "tr", "h1", "h2", "h3", "h4", "h5", "h6",
                    "section", "article", "ul", "ol", "table", "caption", "details", "summary",
                    "br", "dt", "dd", "nav", "header", "footer", "button", "option", "label",
                    "select", "form", "blockquote", "figure", "figcaption", "main", "aside",
                    "title"})
VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                  "source", "track", "wbr"})
#: Titles and names the pages cite in English (not sentences of the page).
CITED = ("Contract of the Century",)
_WORD = re.compile(r"[A-Za-z][A-Za-z'’]*(?:-[A-Za-z]+)*|[^\W\d_]+(?:-[^\W\d_]+)*|\d+|\S")
# a NUL (an element's end) is a non-space token that is no joiner: it ends a run
_LATIN = re.compile(r"[A-Za-z][A-Za-z'’]*(?:-[A-Za-z]+)*")
_JOINERS = frozenset(",;:()\"'“”‘’–-&/")
_QUOTED = re.compile(r"«[^»]*»")
_DECIMAL_POINT = re.compile(r"(?<![\d.\w])(?<![A-Za-z]-)\d+\.\d+(?![\d.]*\w)")
#: A web address or a file path (no space inside, a slash or a known file ending).
_IDENTIFIER = re.compile(r"\S*://\S*|[\w.-]+(?:/[\w.-]+)+/?"
                         r"|[\w-]+\.(?:csv|json|ipynb|md|yaml|html|pdf)\b")
#: An exhibit's number (Кесте 4.1, Сурет Б.2, Table 1.3): not a decimal.
_EXHIBIT_NUMBER = re.compile(r"(?:Кесте|Сурет|кесте|сурет|Table|Figure)\s+\S+")


class _Reader(HTMLParser):
    def __init__(self, lang: str) -> None:
        super().__init__(convert_charrefs=True)
        self.lang = lang
        self.stack: list[bool] = []  # per open element: skipped (with its subtree)
        self.parts: list[str] = []

    def _skipped(self, tag: str, attrs: dict[str, str]) -> bool:
        classes = set((attrs.get("class") or "").split())
        other_lang = attrs.get("lang") not in (None, "", self.lang)
        return tag in SKIP_TAGS or bool(classes & SKIP_CLASSES) or other_lang \
            or "hidden" in attrs

    def handle_starttag(self, tag: str, attrs_list: list[tuple[str, str | None]]) -> None:
        attrs = {k: v or "" for k, v in attrs_list}
        skip = (bool(self.stack) and self.stack[-1]) or self._skipped(tag, attrs)
        if not skip:
            self.parts += [f"\n{attrs[a]}\n" for a in ATTRIBUTES if attrs.get(a)]
        if tag in BLOCKS:
            self.parts.append("\n")
        if tag not in VOID:
            self.stack.append(skip)

    def handle_endtag(self, tag: str) -> None:
        if tag not in VOID and self.stack:
            self.stack.pop()
        if tag in BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not (self.stack and self.stack[-1]):
            self.parts.append(data)


def reader_text(page_html: str, lang: str) -> str:
    """What a reader of a ``lang`` page reads (see the module docstring)."""
    reader = _Reader(lang)
    reader.feed(page_html)
    return "".join(reader.parts)


def english_sentences(text: str) -> list[str]:
    """Runs of three or more English words with at least two lower-case ones."""
    plain = _IDENTIFIER.sub(" ", _QUOTED.sub(" ", text))
    for title in CITED:
        plain = plain.replace(title, " ")
    runs: list[list[str]] = [[]]
    for token in _WORD.findall(plain.replace("\n", " \x00 ")):
        if _LATIN.fullmatch(token):
            runs[-1].append(token)
        elif token not in _JOINERS or not runs[-1]:
            runs.append([])
    return [" ".join(r) for r in runs
            if len(r) >= 3 and sum(1 for w in r if w[0].islower() and len(w) >= 2) >= 2]


def decimal_points(text: str) -> list[str]:
    """Numbers with a decimal point (``92.83``), outside «quotations»; not dotted
    identifiers (``3.11.7``, ``k7.csv``)."""
    return _DECIMAL_POINT.findall(_EXHIBIT_NUMBER.sub(" ", _QUOTED.sub(" ", text)))
