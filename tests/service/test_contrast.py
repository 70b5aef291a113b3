"""WCAG 2.1 AA contrast of the widget's and pages' own CSS: every rule that sets both a text
colour and a background must reach 4.5:1."""

import re
from pathlib import Path

import pytest

STATIC = Path(__file__).resolve().parents[2] / "service" / "static"
RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
HEX = r"#([0-9a-fA-F]{6}|[0-9a-fA-F]{3})\b"


def luminance(hex_colour: str) -> float:
    value = hex_colour.lstrip("#")
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    channels = [int(value[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first: str, second: str) -> float:
    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def colour_pairs(css: str) -> list[tuple[str, str, str]]:
    pairs = []
    for selector, body in RULE.findall(css):
        text = re.search(r"(?<![-\w])color:\s*" + HEX, body)
        background = re.search(r"background(?:-color)?:\s*" + HEX, body)
        if text and background:
            pairs.append((selector.strip(), "#" + text.group(1), "#" + background.group(1)))
    return pairs


def test_the_contrast_formula() -> None:
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)


@pytest.mark.parametrize("stylesheet", ["widget.css", "site.css"])
def test_text_and_background_pairs_reach_aa(stylesheet: str) -> None:
    pairs = colour_pairs((STATIC / stylesheet).read_text(encoding="utf-8"))
    assert pairs, "no rule sets both colours: the test would check nothing"
    low = [(selector, fg, bg, round(contrast(fg, bg), 2)) for selector, fg, bg in pairs if contrast(fg, bg) < 4.5]
    assert low == []
