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
# Each ansible-core pins its own pip (2.19: 24.2, 2.16: 23.1.2): one stand-in per version
# the ansible-test in use names.
cache=$HOME/.ansible/test/cache
mkdir -p "$cache"
pip_versions=$("$venv/bin/python" - <<'PY'
import os, re, ansible_test
src = os.path.join(os.path.dirname(ansible_test.__file__), "_internal", "python_requirements.py")
print(" ".join(sorted(set(re.findall(r"pip='([0-9.]+)'", open(src).read())))))
PY
)
[ -n "$pip_versions" ] || { echo "sanity.sh: no pip version found in ansible-test" >&2; exit 1; }
for pip_version in $pip_versions; do
cat > "$cache/get_pip_${pip_version//./_}.py" <<'PY'
import subprocess
import sys
subprocess.check_call([sys.executable, "-m", "ensurepip", "--upgrade"])
args = [a for a in sys.argv[1:] if a not in ("--no-setuptools", "--no-wheel")]
if args:
    subprocess.check_call([sys.executable, "-m", "pip", "install"] + args)
PY
done
cd "$dest"
# LK_SANITY_PYTHON: the Python versions to test (each must be installed here; controller
# and managed-node code alike). 3.11 is the only one on this machine's Debian.
for python in ${LK_SANITY_PYTHON:-3.11}; do
    echo "sanity.sh: $(PATH=$venv/bin:$PATH ansible-test --version) on Python $python"
    PATH=$venv/bin:$PATH ansible-test sanity --local --python "$python" "$@"
done
