"""Bootstrap and perturbation of the whole model: the analysis (:mod:`~robust.analyses.bootstrap.analysis`),
its replicate engine, the tallies of chunks of replicates and the summary of each scheme."""
