"""SVG icons from the package's assets, recoloured for the light or dark theme."""

from __future__ import annotations

from importlib import resources

from PySide6.QtCore import QByteArray, QSize, Qt
from PySide6.QtGui import QIcon, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer

from narrative_coach.ui.theme import is_dark

INK = "#3b4a5a"
INK_DARK = "#d8dee6"


def asset_text(name: str) -> str:
    return resources.files("narrative_coach.ui.assets").joinpath(name).read_text(encoding="utf-8")


def icon(name: str, size: int = 24) -> QIcon:
    svg = asset_text(f"{name}.svg")
    if is_dark():
        svg = svg.replace(INK, INK_DARK)
    renderer = QSvgRenderer(QByteArray(svg.encode("utf-8")))
    result = QIcon()
    for scale in (1, 2):
        pix = QPixmap(QSize(size * scale, size * scale))
        pix.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pix)
        renderer.render(painter)
        painter.end()
        pix.setDevicePixelRatio(scale)
        result.addPixmap(pix)
    return result


def sample_speech() -> str:
    return asset_text("sample_speech.txt")
