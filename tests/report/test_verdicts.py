"""The verdict rule: cut-offs, the deciding scheme, borderline marks."""

import numpy as np

from robust.report.verdicts import FRAGILE_RETENTION, ROBUST_RETENTION, verdicts_from


def test_verdict_rule_and_borderline_marks():
    # rows: schemes; columns: technologies
    retention = np.array([[0.99, 0.97, 0.80, 0.40, 0.501], [1.0, 0.99, 0.90, 0.60, 0.95]])
    low = retention - np.array([[0.005, 0.03, 0.01, 0.01, 0.01], [0, 0, 0, 0, 0]])
    high = retention + 0.005
    agree = np.array([True, True, True, True, True])
    assert verdicts_from(retention, low, high, agree) == [
        "robust", "robust (borderline)", "sensitive", "fragile", "sensitive (borderline)"]
    assert verdicts_from(retention[:, :1], low[:, :1], high[:, :1], np.array([False])) == ["sensitive"]
    assert (FRAGILE_RETENTION, ROBUST_RETENTION) == (0.5, 0.95)
