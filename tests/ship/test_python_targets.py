"""Code that runs on the managed nodes (modules, module_utils) works on the oldest Python
the collection supports there (tests/config.yml `modules.python_requires`, the lower
bound of ansible-core 2.16's target range: RHEL 8 platform-python and SLES 15 python3 are
3.6). ansible-test sanity compiles and imports on the interpreters installed here (3.11
only); vermin checks syntax and standard library use against 3.6 without an interpreter.
"""
import os
import re
import subprocess

from conftest import REPO, load_yaml

NODE_CODE = [os.path.join(REPO, "plugins", "modules"), os.path.join(REPO, "plugins", "module_utils")]


def lowest_target():
    spec = load_yaml(os.path.join(REPO, "tests", "config.yml"))["modules"]["python_requires"]
    match = re.match(r"^>=\s*(\d+\.\d+)$", spec)
    assert match, "tests/config.yml python_requires %r: expected >=X.Y" % spec
    return match.group(1)


def test_node_code_runs_on_the_oldest_target_python():
    target = lowest_target()
    proc = subprocess.run(["vermin", "-t=%s-" % target, "--no-tips", "--violations", "--eval-annotations",
                           "--backport", "typing"] + NODE_CODE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          universal_newlines=True, timeout=300, check=False)
    assert proc.returncode == 0, "needs a newer Python than %s on the nodes:\n%s" % (target, proc.stdout)


def test_install_doc_states_the_same_range():
    with open(os.path.join(REPO, "README.md")) as handle:
        text = handle.read()
    assert "Python %s" % lowest_target() in text, "README.md must state managed-node Python %s" % lowest_target()
