#!/usr/bin/env bash
# ansible-test sanity, offline-capable: run from a copy at $TMPDIR/hatools-lifekeeper-sanity/ansible_collections/hatools/lifekeeper.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
venv=${VENV:-$repo/.venv}
# Outside the repo: inside it, git would hide the ignored copy from ansible-test.
work=${LK_SANITY_DIR:-${TMPDIR:-/tmp}/hatools-lifekeeper-sanity}
dest=$work/ansible_collections/hatools/lifekeeper
rm -rf "$work/ansible_collections"
mkdir -p "$dest"
(cd "$repo" && git ls-files -z -co --exclude-standard | xargs -0 cp --parents -t "$dest")
# ansible-test downloads get-pip; this stand-in uses the interpreter's own ensurepip + pip.
cache=$HOME/.ansible/test/cache
mkdir -p "$cache"
cat > "$cache/get_pip_24_2.py" <<'PY'
import subprocess
import sys
subprocess.check_call([sys.executable, "-m", "ensurepip", "--upgrade"])
args = [a for a in sys.argv[1:] if a not in ("--no-setuptools", "--no-wheel")]
if args:
    subprocess.check_call([sys.executable, "-m", "pip", "install"] + args)
PY
cd "$dest"
PATH=$venv/bin:$PATH ansible-test sanity --local --python 3.11 "$@"
