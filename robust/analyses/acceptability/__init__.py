"""Acceptability over the weight space (SMAA-TRI style): how likely each quadrant is under a weight prior."""
