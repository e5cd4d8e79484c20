"""What every figure shares: quadrant styles, figure creation and saving, fonts and labels.

matplotlib is imported lazily; nothing here calls ``show()``.
"""

from __future__ import annotations

from pathlib import Path

FIGURES = "figures"
MAX_LABELLED = 60  # figures with one row or label per technology show at most this many

QUADRANT_STYLE = {
    "assault": {"marker": "s", "color": "#1b6ca8"},
    "entrench": {"marker": "o", "color": "#7f7f7f"},
    "position": {"marker": "^", "color": "#e08214"},
    "disrupt": {"marker": "D", "color": "#b2182b"},
}
QUADRANT_HATCH = {"assault": "", "entrench": "..", "position": "//", "disrupt": "xx"}


MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*", "h")  # one per line or method


def share_label(value: float) -> str:
    """A retention for a label: 3 decimals, but never rounded up to a misleading 1.000."""
    return ">0.999" if 0.999 < value < 1 else f"{value:.3f}"


def mark_cell(ax, row: int, column: int, label: str, hatch: str, facecolor: str = "#f7f7f7") -> None:
    """Hatch one cell of a heatmap and write ``label`` in it ("n/a", "rare"): a cell without a finding."""
    from matplotlib.patches import Rectangle

    ax.add_patch(Rectangle((column - 0.5, row - 0.5), 1, 1, facecolor=facecolor, edgecolor="#bdbdbd", hatch=hatch,
                           linewidth=0))
    ax.text(column, row, label, ha="center", va="center", fontsize=7, color="#404040")


def axes_or_new(ax, figsize=(7.5, 6.5)):
    """``ax``, or the Axes of a new pyplot figure of the given size."""
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    _, ax = plt.subplots(figsize=figsize, layout="constrained")
    return ax


def new_figure(figsize=(7.5, 6.5), **subplots):
    """A figure outside pyplot's global state (for writing files): ``(figure, axes)``."""
    from matplotlib.figure import Figure

    figure = Figure(figsize=figsize, layout="constrained")
    return figure, figure.subplots(**subplots)


def save_figure(figure, folder: Path, stem: str) -> list[str]:
    """Save ``figure`` as ``figures/<stem>.png`` (150 dpi) and ``.pdf`` under ``folder``.

    Metadata that changes between runs (creation dates, software version) is left out,
    so reruns write identical bytes. Returns the paths written, relative to ``folder``.
    """
    target = Path(folder) / FIGURES
    target.mkdir(exist_ok=True)
    written = []
    for suffix, metadata in ((".png", {"Software": None}),
                             (".pdf", {"CreationDate": None, "Producer": None, "Creator": None})):
        path = target / f"{stem}{suffix}"
        figure.savefig(path, dpi=150, metadata=metadata)
        written.append(f"{FIGURES}/{path.name}")
    return written


def cjk_font() -> str | None:
    """The name of an installed font that can draw Chinese, or None."""
    from matplotlib import font_manager

    for font in font_manager.fontManager.ttflist:
        if any(key in font.name for key in _CJK_FONT_KEYS):
            return font.name
    return None


_CJK_FONT_KEYS = ("CJK", "WenQuanYi", "SimHei", "SimSun", "Source Han", "Droid Sans Fallback",
                  "Noto Sans SC", "Noto Serif SC", "Microsoft YaHei", "PingFang", "Heiti")


def technology_labels(technologies, names=None) -> tuple[list[str], dict]:
    """Labels for the technologies and the text properties to draw them.

    ``names`` (e.g. Chinese names) are used when given, unless they need a CJK font and
    none is installed; then the ids are used.
    """
    if names is None:
        return [str(t) for t in technologies], {}
    names = [str(name) for name in names]
    if not any(ord(ch) > 0x2E7F for name in names for ch in name):
        return names, {}
    font = cjk_font()
    if font is None:
        return [str(t) for t in technologies], {}
    return names, {"fontfamily": [font, "DejaVu Sans"]}
