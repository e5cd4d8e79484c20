"""Morris screening: elementary effects of every input variable, a cheap first pass over wide factor sets."""
