"""Where randomness enters (:mod:`~robust.compute.seeds`) and how chunks of work run (:mod:`~robust.compute.execution`)."""
