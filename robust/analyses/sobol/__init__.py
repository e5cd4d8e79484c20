"""Sobol' sensitivity of every technology's quadrant: the factors, the model as a function of the
unit design, SALib's estimators vectorised, the replication over scrambles, and the analysis
(:mod:`~robust.analyses.sobol.analysis`)."""
