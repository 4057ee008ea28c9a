"""``python -m tisite.cli.commands``."""

import sys

from tisite.cli.commands import main

sys.exit(main())
