"""Data shipped with the package: the paper's tables (:mod:`~robust.datasets.paper2023`)."""
