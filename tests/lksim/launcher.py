"""The text of every $LKROOT/bin launcher (packed into the steeleye-lk rpm).

The launcher finds its node ROOT from its own location (ROOT/opt/LifeKeeper/bin/NAME),
reads ROOT/etc/lksim/node.json for where the lksim package lives, and dispatches.
"""

LAUNCHER = '''#!/usr/bin/env python3
# LifeKeeper command (simulated by lksim)
import json
import os
import sys

_bin = os.path.dirname(os.path.abspath(__file__))
_root = os.path.normpath(os.path.join(_bin, "..", "..", ".."))
with open(os.path.join(_root, "etc", "lksim", "node.json")) as _f:
    sys.path.insert(0, json.load(_f)["lksim_path"])
from lksim.commands import run  # noqa: E402

sys.exit(run(os.path.basename(__file__), sys.argv[1:], _root))
'''
