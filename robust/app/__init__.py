"""The application layer: the ``robust`` command, config files, and running an experiment into a result folder."""
