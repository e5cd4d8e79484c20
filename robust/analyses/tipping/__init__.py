"""Tipping points: how far each technology is from another strategy, exactly (weights, cells, IPC codes)."""
