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


def axes_or_new(ax, figsize=(7.5, 6.5)):
    """``ax``, or the Axes of a new pyplot figure of the given size."""
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    _, ax = plt.subplots(figsize=figsize, layout="constrained")
    return ax


def figure_or_new(figure, figsize):
    """``figure``, or a new pyplot figure of the given size (for small multiples drawn interactively)."""
    if figure is not None:
        return figure
    import matplotlib.pyplot as plt

    return plt.figure(figsize=figsize, layout="constrained")


def blank_figure(figsize=(7.5, 6.5)):
    """A figure outside pyplot's global state with no axes yet (small multiples add their own)."""
    from matplotlib.figure import Figure

    return Figure(figsize=figsize, layout="constrained")


def new_figure(figsize=(7.5, 6.5), **subplots):
    """A figure outside pyplot's global state (for writing files): ``(figure, axes)``."""
    from matplotlib.figure import Figure

    figure = Figure(figsize=figsize, layout="constrained")
    return figure, figure.subplots(**subplots)


FORMATS = ("png", "pdf")
LABEL_MODES = ("en", "zh", "both")


def save_figure(figure, folder: Path, stem: str, formats=FORMATS) -> list[str]:
    """Save ``figure`` as ``figures/<stem>.<format>`` under ``folder`` (PNG at 150 dpi).

    The layout is computed once, for the first format, and kept for the others. Metadata
    that changes between runs (creation dates, software version) is left out, so reruns
    write identical bytes. Returns the paths written, relative to ``folder``.
    """
    target = Path(folder) / FIGURES
    target.mkdir(parents=True, exist_ok=True)
    metadata = {"png": {"Software": None}, "pdf": {"CreationDate": None, "Producer": None, "Creator": None}}
    written = []
    for number, suffix in enumerate(formats):
        path = target / f"{stem}.{suffix}"
        figure.savefig(path, dpi=150, metadata=metadata[suffix])
        if number == 0:
            figure.set_layout_engine("none")  # the positions found for the first format stay
        written.append(f"{FIGURES}/{path.name}")
    return written


def cjk_font() -> str | None:
    """The name of an installed font that can draw Chinese, or None.

    matplotlib lists the fonts it found when its font cache was built; a CJK font installed
    later (e.g. ``fonts-noto-cjk``) is missing from that list, so the system's font files are
    searched too and a CJK one is added (matplotlib's public ``addfont``).
    """
    from matplotlib import font_manager

    found = _cjk_in(font_manager.fontManager.ttflist)
    if found is None:
        files = sorted(path for path in font_manager.findSystemFonts()
                       if any(key.replace(" ", "").lower() in Path(path).name.lower() for key in _CJK_FONT_KEYS))
        files.sort(key=lambda path: ("Sans" not in Path(path).name, "Regular" not in Path(path).name))
        family = [path for path in files if "Sans" in Path(path).name][:2] or files[:1]  # regular and bold
        for path in family:
            try:
                font_manager.fontManager.addfont(path)
            except (OSError, RuntimeError, ValueError):
                continue
        found = _cjk_in(font_manager.fontManager.ttflist)
    return found


def _cjk_in(fonts) -> str | None:
    for font in fonts:
        if any(key in font.name for key in _CJK_FONT_KEYS):
            return font.name
    return None


_CJK_FONT_KEYS = ("CJK", "WenQuanYi", "SimHei", "SimSun", "Source Han", "Droid Sans Fallback",
                  "Noto Sans SC", "Noto Serif SC", "Microsoft YaHei", "PingFang", "Heiti")


def needs_cjk(names) -> bool:
    """Whether any of ``names`` has a character beyond the Latin, Greek and Cyrillic scripts."""
    return any(ord(ch) > 0x2E7F for name in names for ch in str(name))


def technology_labels(technologies, names=None, mode: str = "both") -> tuple[list[str], dict]:
    """Labels for the technologies and the text properties to draw them.

    ``names`` are second labels (e.g. the ``[data] label`` column of Chinese names): a
    mapping from technology to name, or a sequence aligned with ``technologies``. ``mode``
    ``"en"`` gives the ids, ``"zh"`` the names, ``"both"`` ``"id (name)"``. Names that need a
    CJK font when none is installed fall back to the ids, with one
    :class:`~robust.core.errors.FontWarning`.
    """
    if mode not in LABEL_MODES:
        raise ValueError(f"labels must be one of {', '.join(LABEL_MODES)}, got {mode!r}")
    ids = [str(t) for t in technologies]
    if names is None or mode == "en":
        return ids, {}
    if hasattr(names, "get"):
        names = [names.get(t, t) for t in technologies]
    names = [str(name) for name in names]
    font = None
    if needs_cjk(names):
        font = cjk_font()
        if font is None:
            import warnings

            from ..core.errors import FontWarning

            warnings.warn("figures: the labels need a CJK font and none is installed (e.g. apt-get install "
                          "fonts-noto-cjk); the ids are drawn instead", FontWarning, stacklevel=2)
            return ids, {}
    labels = names if mode == "zh" else [f"{i} ({n})" if n != i else i for i, n in zip(ids, names)]
    return labels, ({"fontfamily": [font, "DejaVu Sans"]} if font else {})
