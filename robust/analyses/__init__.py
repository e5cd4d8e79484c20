"""The analyses: each a function of (table, model, spec, execution, rng) returning a frozen result.

:mod:`~robust.analyses.weightings` compares objective weightings, :mod:`~robust.analyses.bootstrap`
resamples and perturbs, :mod:`~robust.analyses.sobol` apportions variance to modelling
choices, :mod:`~robust.analyses.reproduce` checks the scorer against the paper. None of them
knows about config files; :mod:`robust.app.sections` connects them to the config.
"""
