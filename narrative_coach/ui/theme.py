"""Colours and the second, non-colour cue for the story parts, and light/dark appearance.

The part colours are from the Okabe-Ito palette, which stays distinguishable for the common
forms of colour blindness. Colour is never the only cue: every part also has a letter tag and
its own underline style in the transcript, and its own hatch in the timeline bar.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette, QTextCharFormat
from PySide6.QtWidgets import QApplication, QStyleFactory

PARTS = ("self", "us", "now", "other")


@dataclass(frozen=True)
class PartStyle:
    name: str
    label: str
    letter: str
    colour: str
    underline: QTextCharFormat.UnderlineStyle
    hatch: Qt.BrushStyle
    description: str


PART_STYLES: dict[str, PartStyle] = {
    "self": PartStyle("self", "Story of self", "S", "#E69F00", QTextCharFormat.UnderlineStyle.SingleUnderline,
                      Qt.BrushStyle.SolidPattern, "why you are called: a moment from your own life"),
    "us": PartStyle("us", "Story of us", "U", "#56B4E9", QTextCharFormat.UnderlineStyle.DashUnderline,
                    Qt.BrushStyle.BDiagPattern, "what we share: values, history, identity"),
    "now": PartStyle("now", "Story of now", "N", "#009E73", QTextCharFormat.UnderlineStyle.WaveUnderline,
                     Qt.BrushStyle.CrossPattern, "why act now, the hope, and the ask"),
    "other": PartStyle("other", "Other", "·", "#999999", QTextCharFormat.UnderlineStyle.NoUnderline,
                       Qt.BrushStyle.Dense6Pattern, "greetings, thanks, logistics"),
}

# Marks in the transcript: also Okabe-Ito, with a shape/style cue beside the colour.
FILLER_COLOUR = "#D55E00"  # vermillion, struck through
HEDGE_COLOUR = "#CC79A7"  # reddish purple, dotted underline
PAUSE_COLOUR = "#0072B2"  # blue, a pause sign
GOOD_COLOUR = "#009E73"
BAD_COLOUR = "#D55E00"


def part_style(part: str | None) -> PartStyle:
    return PART_STYLES.get(part or "other", PART_STYLES["other"])


def part_colour(part: str | None, alpha: int = 255) -> QColor:
    colour = QColor(part_style(part).colour)
    colour.setAlpha(alpha)
    return colour


def is_dark(palette: QPalette | None = None) -> bool:
    palette = palette or QGuiApplication.palette()
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def tint(part: str | None) -> QColor:
    """A background tint for a sentence, readable with the text colour of the current theme."""
    return part_colour(part, 90 if is_dark() else 60)


def _dark_palette() -> QPalette:
    p = QPalette()
    base, window, text = QColor("#1e1f22"), QColor("#2b2d30"), QColor("#e6e6e6")
    for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
        p.setColor(group, QPalette.ColorRole.Window, window)
        p.setColor(group, QPalette.ColorRole.WindowText, text)
        p.setColor(group, QPalette.ColorRole.Base, base)
        p.setColor(group, QPalette.ColorRole.AlternateBase, window)
        p.setColor(group, QPalette.ColorRole.Text, text)
        p.setColor(group, QPalette.ColorRole.Button, window)
        p.setColor(group, QPalette.ColorRole.ButtonText, text)
        p.setColor(group, QPalette.ColorRole.ToolTipBase, window)
        p.setColor(group, QPalette.ColorRole.ToolTipText, text)
        p.setColor(group, QPalette.ColorRole.Highlight, QColor("#3d6fb4"))
        p.setColor(group, QPalette.ColorRole.HighlightedText, QColor("#ffffff"))
        p.setColor(group, QPalette.ColorRole.Link, QColor("#56B4E9"))
        p.setColor(group, QPalette.ColorRole.PlaceholderText, QColor("#9a9a9a"))
        p.setColor(group, QPalette.ColorRole.Mid, QColor("#45474b"))
    p.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text, QColor("#7a7a7a"))
    p.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.ButtonText, QColor("#7a7a7a"))
    p.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.WindowText, QColor("#7a7a7a"))
    return p


def _light_palette() -> QPalette:
    style = QStyleFactory.create("Fusion")
    return style.standardPalette() if style else QPalette()


def system_prefers_dark() -> bool:
    hints = QGuiApplication.styleHints()
    scheme = getattr(hints, "colorScheme", None)
    if scheme is None:
        return False
    return scheme() == Qt.ColorScheme.Dark


def apply_theme(app: QApplication, theme: str) -> None:
    """Apply "light", "dark" or "system" (follows the desktop's colour scheme)."""
    app.setStyle("Fusion")
    dark = system_prefers_dark() if theme == "system" else theme == "dark"
    app.setPalette(_dark_palette() if dark else _light_palette())
