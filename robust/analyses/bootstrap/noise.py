"""Measurement-error models of the perturbation schemes.

``indicator_noise``
    Every capability indicator cell is multiplied by a log-normal factor ``exp(s Z - s^2 / 2)``
    (mean 1, log-sd ``s``): a relative error of about ``s`` on each patent ratio.
``count_noise`` (a re-tally under a Poisson-process model)
    The IPC change counts are tallies of new codes, not noisy measurements of a rate, so
    they are not redrawn as Poisson counts around themselves (that would break their
    cumulative order and never move a zero). Instead the *new codes* behind them are
    perturbed (:mod:`robust.core.ipc`): from the cumulative counts ``f`` come the numbers
    ``d_p = f_p - f_(p-1) >= 0`` of new codes whose prefix first becomes new at position p;
    each is taken as a Poisson count of an unknown rate ``lambda`` with Jeffreys' prior
    ``lambda^(-1/2)``, whose posterior is ``Gamma(d + 1/2, 1)``; a replicate draws the count
    again from the posterior predictive, ``d* ~ Poisson(lambda)`` with ``lambda ~ Gamma(d + 1/2,
    1)``, i.e. a negative binomial with ``d + 1/2`` successes and probability 1/2 (mean
    ``d + 1/2``, variance ``2 d + 1``; a zero is perturbed too: it stays 0 with probability
    ``2^(-1/2) = 0.707``). The counts are then cumulated again and capped at the list length
    ``top_k`` (default 20), so every replicate is a valid set of cumulative counts. Jeffreys
    (1946), Proc. R. Soc. A 186:453-461, doi:10.1098/rspa.1946.0056; Gelman et al. (2013),
    *Bayesian Data Analysis*, 3rd ed., section 2.6 (Poisson model, negative binomial
    predictive). Each technology and position is modelled on its own, with no pooling: the
    scheme answers "what if these counts were Poisson tallies of this size", a model, not an
    error measured on the patents. A precomputed dynamism score has no counts: it gets the
    log-normal factor.
``noise``
    Both at once.
"""

from __future__ import annotations

import numpy as np

from ...core.ipc import cumulated, new_codes


def lognormal_noise(rng: np.random.Generator, values: np.ndarray, log_sd: float, count: int) -> np.ndarray:
    """``count`` copies of ``values``, each cell times ``exp(s Z - s^2 / 2)`` (mean-one log-normal)."""
    draws = rng.standard_normal((count, *values.shape))
    return values * np.exp(log_sd * draws - log_sd * log_sd / 2)


def perturbed_counts(rng: np.random.Generator, counts: np.ndarray, count: int, top_k: int) -> np.ndarray:
    """``count`` replicates ``(count, m, p)`` of cumulative IPC counts ``(m, p)``: new codes redrawn
    from their Jeffreys posterior predictive, cumulated again, capped at ``top_k``."""
    codes = new_codes(counts)
    redrawn = rng.negative_binomial(codes + 0.5, 0.5, size=(count, *codes.shape))
    return cumulated(redrawn.astype(float), top_k)
