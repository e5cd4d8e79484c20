"""Indicator tables from DataFrames: validated like files, roles of the columns checked."""

import numpy as np
import pandas as pd
import pytest

from robust import InputError, table_from_frame

ARGS = dict(id_column="tech", indicators=["x0", "x1"], ipc_changes=["ipc0", "ipc1"])


def test_frames_are_validated_like_files():
    frame = pd.DataFrame({"tech": ["A", "B", "C"], "x0": [0.1, np.nan, 0.3], "x1": [1, 2, 3],
                          "ipc0": [0, 1, 2], "ipc1": [1, 1, 1]})
    with pytest.raises(InputError, match=r"<DataFrame>: column 'x0', row 2 \(id 'B'\): value is missing"):
        table_from_frame(frame, **ARGS)
    frame["x0"] = [True, False, True]
    with pytest.raises(InputError, match="holds true/false values"):
        table_from_frame(frame, **ARGS)
    with pytest.raises(TypeError, match="must be a pandas DataFrame"):
        table_from_frame(frame.to_numpy(), **ARGS)


def test_column_roles_are_checked():
    frame = pd.DataFrame({"tech": ["A", "B", "C"], "x0": [0.1, 0.2, 0.3], "s": [1, 2, 3]})
    with pytest.raises(InputError, match="exactly one of ipc_changes"):
        table_from_frame(frame, id_column="tech", indicators=["x0"])
    with pytest.raises(TypeError, match="indicators must be a list of column names, got a string 'x0'"):
        table_from_frame(frame, id_column="tech", indicators="x0", dynamism_score="s")
