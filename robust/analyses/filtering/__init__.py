"""Monte Carlo filtering, PAWN and PRIM rules for the 0/1 outputs of the quadrant model."""
