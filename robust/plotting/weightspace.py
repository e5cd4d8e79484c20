"""The weight space of one technology: where on the simplex its capability is strong.

With three indicators the whole simplex is drawn (a ternary triangle); with more, the plane of
the two indicators whose reweighting moves the capability most (the furthest above and the
furthest below the threshold), the others keeping their base ratio. The strong side is shaded
and hatched (readable in greyscale); the base weights and the central weights of each
quadrant are marked (in the plane, a central weight vector by its own two weights: its others
need not be in the base ratio, so the shading is exact for the base weights' plane only).
"""

from __future__ import annotations

import numpy as np

from .style import axes_or_new

_SQRT3 = np.sqrt(3.0)
_CENTRAL_MARKERS = {"assault": "s", "entrench": "o", "position": "^", "disrupt": "D"}


def _ternary(weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Plane coordinates of barycentric weights ``(..., 3)``: vertex j at the j-th corner."""
    weights = np.asarray(weights, dtype=float)
    return weights[..., 1] + weights[..., 2] / 2, weights[..., 2] * _SQRT3 / 2


def moving_pair(values: np.ndarray, threshold: float) -> tuple[int, int]:
    """The indicators furthest above and furthest below the threshold (the pair that moves it most)."""
    gaps = np.asarray(values, dtype=float) - threshold
    return int(np.argmax(gaps)), int(np.argmin(gaps))


def plot_weight_space(values, weights, *, threshold: float, indicators, technology: str, central=None,
                      ax=None, resolution: int = 241):
    """Shade the weights under which one technology's capability is strong.

    Parameters
    ----------
    values : array_like, shape (k,)
        The technology's capability inputs (raw, or min-max normalised as the model uses them).
    weights : array_like, shape (k,)
        The base weights.
    threshold : float
    indicators : sequence of str
    technology : str
    central : dict, optional
        ``{quadrant: (k,) central weights}`` to mark.
    ax : matplotlib Axes, optional
    """
    values, weights = np.asarray(values, dtype=float), np.asarray(weights, dtype=float)
    k = len(values)
    if k < 3:
        raise ValueError(f"the weight-space picture needs at least 3 indicators, got {k}")
    ax = axes_or_new(ax, figsize=(6.2, 5.6))
    grid = np.linspace(0, 1, resolution)
    a, b = np.meshgrid(grid, grid)
    inside = a + b <= 1 + 1e-12
    if k == 3:
        full = np.stack([1 - a - b, a, b], axis=-1)
        x, y = _ternary(full)
        project = lambda w: _ternary(np.asarray(w))
        corners = np.array([[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 0, 0]], dtype=float)
        outline = _ternary(corners)
        labels = [(indicators[j], *_ternary(corners[j])) for j in range(3)]
        title = f"{technology}: capability over the weight simplex"
    else:
        first, second = moving_pair(values, threshold)
        rest = [j for j in range(k) if j not in (first, second)]
        shares = weights[rest] / weights[rest].sum() if weights[rest].sum() > 0 else np.full(len(rest), 1 / len(rest))
        full = np.zeros(a.shape + (k,))
        full[..., first], full[..., second] = a, b
        full[..., rest] = (1 - a - b)[..., None] * shares
        x, y = a, b
        project = lambda w: (np.asarray(w)[first], np.asarray(w)[second])
        outline = (np.array([0, 1, 0, 0]), np.array([0, 0, 1, 0]))
        labels = []
        ax.set_xlabel(f"weight of {indicators[first]}")
        ax.set_ylabel(f"weight of {indicators[second]}")
        title = (f"{technology}: capability over the weights of {indicators[first]} and {indicators[second]}\n"
                 f"(the other {len(rest)} indicators in their base ratio"
                 + ("; central weights placed by these two weights" if central else "") + ")")
    strong = np.where(inside, (full @ values >= threshold).astype(float), np.nan)
    ax.contourf(x, y, strong, levels=[0.5, 1.5], colors=["0.82"], hatches=["//"])
    ax.contour(x, y, np.where(inside, full @ values - threshold, np.nan), levels=[0.0], colors="black",
               linewidths=1.2)
    ax.plot(*outline, color="black", linewidth=1.0)
    for name, lx, ly in labels:
        ax.annotate(name, (lx, ly), xytext=(0, 6 if ly > 0 else -12), textcoords="offset points",
                    ha="center", fontsize=9)
    bx, by = project(weights)
    ax.plot(bx, by, marker="*", markersize=14, color="black", markerfacecolor="white", linestyle="none",
            label="base weights")
    for quadrant, point in (central or {}).items():
        cx, cy = project(point)
        ax.plot(cx, cy, marker=_CENTRAL_MARKERS.get(quadrant, "x"), markersize=8, color="black",
                markerfacecolor="0.4", linestyle="none", label=f"central weights ({quadrant})")
    from matplotlib.patches import Patch

    handles, names = ax.get_legend_handles_labels()
    handles.append(Patch(facecolor="0.82", hatch="//", edgecolor="black", label=f"capability >= {threshold:g} (strong)"))
    ax.legend(handles=handles, fontsize=8, loc="upper right", frameon=True)
    ax.set_aspect("equal")
    ax.set_title(title, fontsize=10)
    if k == 3:
        ax.set_axis_off()
    return ax
