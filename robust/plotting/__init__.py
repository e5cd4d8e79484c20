"""All figures. Each ``plot_*`` draws from a tidy table (the CSV a run writes, or the
``to_frame()`` of a result) on an optional Axes and returns the Axes, so a result folder's
figures can be redrawn from its tables alone (:mod:`robust.report.figures`).

Figures use English labels (Chinese names when given and a CJK font is installed), marker
shapes and hatching as well as colours (readable in greyscale), and the threshold lines.
"""
