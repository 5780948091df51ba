"""``python -m anklet.cli``: the same as the ``anklet`` console script."""

import sys

from anklet.cli import main

sys.exit(main())
