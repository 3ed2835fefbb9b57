"""python3 -m lksim ...: the simulator's operator command line."""
import sys

from lksim.cli import main

sys.exit(main(sys.argv[1:]))
