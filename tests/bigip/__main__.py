"""`PYTHONPATH=tests python3 -m bigip ...` (see cli.py)."""
import sys

from bigip.cli import main

sys.exit(main())
