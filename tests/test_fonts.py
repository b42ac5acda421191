"""Kazakh letters render in every part of a figure, and the detector for missing glyphs bites.

The figure test draws every Kazakh-specific letter (lower and upper case) in the title, both
axis labels, the tick labels and the legend, renders PNG and SVG with Agg, and fails on any
"Glyph ... missing from font" warning. The control tests draw characters the font does *not*
have and require the same detector to catch them, so a silent detector cannot pass.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402

from analysis.present import style as plotting  # noqa: E402
from analysis.present.i18n import t  # noqa: E402

ALL_KAZAKH = plotting.KAZAKH_LETTERS
#: A CJK ideograph: DejaVu Sans has no CJK glyphs (it *does* have U+1F600, so not that).
ABSENT = "漢"


@pytest.fixture(autouse=True)
def _style():
    plotting.setup("kk")
    yield
    plt.close("all")


def _kazakh_figure(text: str = ALL_KAZAKH, family: str | None = None):
    fig, ax = plt.subplots()
    extra = {"fontfamily": family} if family else {}
    ax.plot([0, 1, 2], [1, 3, 2], label=f"{text} (1)")
    ax.plot([0, 1, 2], [2, 1, 3], label=text.upper())
    ax.set_title(f"{t('plot_font_sample', 'kk')} {text}", **extra)
    ax.set_xlabel(text.lower(), **extra)
    ax.set_ylabel(text.upper(), **extra)
    ax.set_xticks([0, 1, 2], [text[:6], text[6:12], text[12:]], **extra)
    ax.set_yticks([1, 2, 3], ["ә1", "Ү2", "һі3"], **extra)
    legend = ax.legend(title=text)
    if family:
        for item in [*legend.get_texts(), legend.get_title()]:
            item.set_fontfamily(family)
    return fig


def _render(fig, fmt: str) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format=fmt, metadata={"Date": None} if fmt == "svg" else None)
    return buffer.getvalue()


def test_alphabet_constant_is_the_nine_kazakh_letters_in_both_cases():
    assert len(ALL_KAZAKH) == 18
    assert ALL_KAZAKH[:9] == "әғқңөұүһі"
    assert ALL_KAZAKH[9:] == ALL_KAZAKH[:9].upper() == "ӘҒҚҢӨҰҮҺІ"


def test_font_is_bundled_with_matplotlib_not_a_system_font():
    assert matplotlib.rcParams["font.family"] == [plotting.FONT_FAMILY]
    assert matplotlib.rcParams["font.sans-serif"] == [plotting.FONT_FAMILY]
    path = plotting.font_path()
    mpl_data = Path(matplotlib.get_data_path()).resolve()
    assert mpl_data in path.resolve().parents, f"font resolved outside matplotlib: {path}"
    assert path.name == "DejaVuSans.ttf"


def test_font_file_covers_every_kazakh_letter():
    assert plotting.missing_characters(ALL_KAZAKH) == []
    # the checker itself reports absent characters
    assert plotting.missing_characters(ALL_KAZAKH + ABSENT) == [ABSENT]


@pytest.mark.parametrize("fmt", ["png", "svg"])
@pytest.mark.parametrize("lang", ["kk", "en"])
def test_figure_with_all_kazakh_letters_renders_without_missing_glyphs(fmt, lang):
    plotting.setup(lang)
    fig = _kazakh_figure()
    with plotting.fail_on_missing_glyphs() as seen:
        data = _render(fig, fmt)
    assert seen == []
    assert len(data) > 1000


@pytest.mark.parametrize("fmt", ["png", "svg"])
def test_detector_catches_a_glyph_the_font_lacks(fmt):
    fig = _kazakh_figure(ALL_KAZAKH + ABSENT)
    with pytest.raises(plotting.MissingGlyphError, match=r"Glyph 28450 .*missing from font"):
        with plotting.fail_on_missing_glyphs():
            _render(fig, fmt)


def test_detector_catches_kazakh_letters_in_a_narrow_font():
    # cmr10 (Computer Modern, also bundled with matplotlib) has no Cyrillic at all.
    fig = _kazakh_figure(family="cmr10")
    with pytest.raises(plotting.MissingGlyphError) as info:
        with plotting.fail_on_missing_glyphs():
            _render(fig, "png")
    missing = {int(n) for n in re.findall(r"Glyph (\d+)", str(info.value))}
    assert {ord(ch) for ch in ALL_KAZAKH} <= missing


def test_detector_catches_an_unknown_font_family():
    fig, ax = plt.subplots()
    ax.set_title("ә", fontfamily="No Such Font 12345")
    with pytest.raises(plotting.MissingGlyphError, match="not found"):
        with plotting.fail_on_missing_glyphs():
            _render(fig, "png")


def test_setup_is_idempotent_and_validates_lang():
    plotting.setup("en")
    first = {k: matplotlib.rcParams[k] for k in plotting.rc_params()}
    plotting.setup("en")
    assert {k: matplotlib.rcParams[k] for k in plotting.rc_params()} == first
    assert plotting.current_lang() == "en"
    with pytest.raises(ValueError, match="lang"):
        plotting.setup("ru")


def test_svg_output_is_byte_stable_and_undated():
    first = _render(_kazakh_figure(), "svg")
    plt.close("all")
    second = _render(_kazakh_figure(), "svg")
    assert first == second
    assert matplotlib.rcParams["svg.hashsalt"] == plotting.SVG_HASHSALT
    assert b"<dc:date>" not in first


def test_style_has_no_number_formatter_of_its_own():
    # one number formatter (analysis.present.numbers); the style module must not grow another
    assert not hasattr(plotting, "number")
