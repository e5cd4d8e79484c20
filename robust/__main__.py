"""``python -m robust`` is the ``robust`` command."""

import sys

from .app.cli import main

if __name__ == "__main__":
    sys.exit(main())
