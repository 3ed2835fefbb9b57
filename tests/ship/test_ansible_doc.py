"""ansible-doc renders every module, every role entry point and every filter of the
installed artifact, without an error or a warning.

What is documented is discovered from the source: plugins/modules/*.py, each role's
meta/argument_specs.yml entry points, and the names each plugins/filter/*.py FilterModule
returns from filters() (read with ast, so a filter added later is covered without editing
this test).

EXPECTED FAILURE, marked below: filters whose YAML documentation has not landed yet (it is
written by the controller track, issue 8) are xfail(strict=True) while no documentation
file exists for them; as soon as plugins/filter/<name>.yml (or a DOCUMENTATION string in
plugins/filter/<name>.py) exists, the filter is tested like everything else.
"""
import ast
import json
import os
import subprocess

import pytest
import yaml

from conftest import REPO

FQCN = "hatools.lifekeeper."


def modules():
    folder = os.path.join(REPO, "plugins", "modules")
    return sorted(name[:-3] for name in os.listdir(folder) if name.endswith(".py") and name != "__init__.py")


def role_entry_points():
    found = []
    for role in sorted(os.listdir(os.path.join(REPO, "roles"))):
        spec = os.path.join(REPO, "roles", role, "meta", "argument_specs.yml")
        assert os.path.isfile(spec), "role %s has no meta/argument_specs.yml" % role
        with open(spec) as handle:
            for entry in sorted(yaml.safe_load(handle)["argument_specs"]):
                found.append((role, entry))
    return found


def filter_names(path):
    """Keys of the dict literal FilterModule.filters() returns in the file at path."""
    with open(path) as handle:
        tree = ast.parse(handle.read(), path)
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef) and node.name == "FilterModule":
            for item in node.body:
                if isinstance(item, ast.FunctionDef) and item.name == "filters":
                    for sub in ast.walk(item):
                        if isinstance(sub, ast.Return) and isinstance(sub.value, ast.Dict):
                            names.extend(key.value for key in sub.value.keys)
    return names


def filters():
    folder = os.path.join(REPO, "plugins", "filter")
    found = []
    for name in sorted(os.listdir(folder)) if os.path.isdir(folder) else []:
        if name.endswith(".py") and name != "__init__.py":
            names = filter_names(os.path.join(folder, name))
            assert names, "%s defines no FilterModule.filters() dict" % name
            found.extend(names)
    return sorted(found)


def filter_doc_exists(name):
    folder = os.path.join(REPO, "plugins", "filter")
    for ext in (".yml", ".yaml"):
        if os.path.isfile(os.path.join(folder, name + ext)):
            return True
    source = os.path.join(folder, name + ".py")
    if os.path.isfile(source):
        with open(source) as handle:
            return "DOCUMENTATION" in handle.read()
    return False


def ansible_doc(artifact, *args):
    proc = subprocess.run(["ansible-doc"] + list(args), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          universal_newlines=True, env=artifact.env, cwd="/", timeout=120, check=False)
    problems = [line for line in (proc.stdout + proc.stderr).splitlines() if "[WARNING]" in line or "ERROR" in line]
    assert proc.returncode == 0 and not problems, "ansible-doc %s: rc %d\n%s\n%s" % (
        " ".join(args), proc.returncode, proc.stdout[-2000:], proc.stderr[-2000:])
    return proc.stdout


def test_something_is_discovered():
    assert len(modules()) >= 6 and len(role_entry_points()) >= 8 and len(filters()) >= 1


@pytest.mark.parametrize("module", modules())
def test_module_doc(artifact, module):
    ansible_doc(artifact, "-t", "module", FQCN + module)
    doc = json.loads(ansible_doc(artifact, "-t", "module", "--json", FQCN + module))[FQCN + module]
    assert doc["doc"]["short_description"], module
    assert doc["doc"]["module"] == module
    assert doc["examples"] and FQCN + module in doc["examples"], "%s: EXAMPLES must use the FQCN" % module
    assert doc["return"] is not None, "%s: no RETURN" % module


def test_module_list_is_complete(artifact):
    listed = json.loads(ansible_doc(artifact, "-t", "module", "--list", "--json", "hatools.lifekeeper"))
    assert sorted(name[len(FQCN):] for name in listed) == modules()


@pytest.mark.parametrize("role,entry", role_entry_points(), ids=lambda v: v)
def test_role_entry_point_doc(artifact, role, entry):
    text = ansible_doc(artifact, "-t", "role", "-e", entry, FQCN + role)
    plain = text.replace("\x1b[1m", "").replace("\x1b[0m", "").replace("*", "")
    assert "ENTRY POINT: %s " % entry in plain, text[:500]
    doc = json.loads(ansible_doc(artifact, "-t", "role", "-e", entry, "--json", FQCN + role))
    entry_doc = doc[FQCN + role]["entry_points"][entry]
    assert entry_doc.get("short_description"), "%s:%s has no short_description" % (role, entry)


def filter_params():
    params = []
    for name in filters():
        marks = []
        if not filter_doc_exists(name):
            marks.append(pytest.mark.xfail(
                strict=True, reason="EXPECTED FAILURE: no YAML docs for filter %s yet (controller track, issue 8)" % name))
        params.append(pytest.param(name, marks=marks, id=name))
    return params


@pytest.mark.parametrize("name", filter_params())
def test_filter_doc(artifact, name):
    ansible_doc(artifact, "-t", "filter", FQCN + name)
    doc = json.loads(ansible_doc(artifact, "-t", "filter", "--json", FQCN + name))[FQCN + name]
    assert doc["doc"]["short_description"], name
    assert doc["examples"], "%s: no EXAMPLES" % name
