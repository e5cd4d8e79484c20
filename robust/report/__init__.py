"""The reviewer report and the figures of a result folder, drawn from its saved tables alone."""
