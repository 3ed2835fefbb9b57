"""ansible-doc renders every module, every role entry point and every filter of the
installed artifact, without an error or a warning.

What is documented is discovered from the source: plugins/modules/*.py, each role's
meta/argument_specs.yml entry points, and the names each plugins/filter/*.py FilterModule
returns from filters() (read with ast, so a filter added later is covered without editing
this test).

ansible-doc runs once as text and once with --json per plugin type, naming every module
(role, filter) in one call, since each run costs about a CPU-second whatever it renders.
test_batched_call checks that each such call returned rc 0 and printed no [WARNING] or
ERROR line; every module, role entry point and filter still has its own test, which looks
for its own part of the batched output and fails, naming the item, when that part is missing.
ansible-core stops at the first plugin whose documentation does not load (rc 1, nothing
printed for the others): then the names of that call are asked again in halves, down to
the broken item alone, so that only the broken item's test fails, besides test_batched_call.

EXPECTED FAILURE, marked below: filters whose YAML documentation has not landed yet (it is
written by the controller track, issue 8) are xfail(strict=True) while no documentation
file exists for them; as soon as plugins/filter/<name>.yml (or a DOCUMENTATION string in
plugins/filter/<name>.py) exists, the filter is tested like everything else. Until then
such a filter is asked alone, outside the batched call, so that its expected failure
fails only its own test.
"""
import ast
import collections
import json
import os
import subprocess

import pytest
import yaml

from conftest import REPO

FQCN = "hatools.lifekeeper."
FORMATS = {"text": [], "json": ["--json"]}

# One ansible-doc process: its arguments (after ansible-doc), return code and output.
Call = collections.namedtuple("Call", "args rc stdout stderr")
# The call that rendered one plugin, and the plugin's part of its output (None when missing).
Part = collections.namedtuple("Part", "call value")
# The batched call of one plugin type and format (None when it named nothing), and {fqcn: Part}.
Batch = collections.namedtuple("Batch", "call parts")


def modules():
    folder = os.path.join(REPO, "plugins", "modules")
    return sorted(name[:-3] for name in os.listdir(folder) if name.endswith(".py") and name != "__init__.py")


def role_entry_points():
    found = []
    for role in sorted(os.listdir(os.path.join(REPO, "roles"))):
        spec = os.path.join(REPO, "roles", role, "meta", "argument_specs.yml")
        if not os.path.isdir(os.path.join(REPO, "roles", role, "tasks")):
            # a role with nothing to run (defaults: only the public defaults) has no entry point
            assert not os.path.isfile(spec), "role %s has no tasks but an argument spec" % role
            continue
        assert os.path.isfile(spec), "role %s has no meta/argument_specs.yml" % role
        with open(spec) as handle:
            for entry in sorted(yaml.safe_load(handle)["argument_specs"]):
                found.append((role, entry))
    return found


def roles():
    return sorted(set(role for role, dummy in role_entry_points()))


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


def run_doc(artifact, args):
    proc = subprocess.run(["ansible-doc"] + list(args), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          universal_newlines=True, env=artifact.env, cwd="/", timeout=120, check=False)
    return Call(list(args), proc.returncode, proc.stdout, proc.stderr)


def clean(call):
    problems = [line for line in (call.stdout + call.stderr).splitlines() if "[WARNING]" in line or "ERROR" in line]
    return call.rc == 0 and not problems


def command(call):
    """The call's command line, a batch's many names shortened to the first and the last."""
    names = [arg for arg in call.args if arg.startswith(FQCN)]
    args = call.args if len(names) <= 3 else [arg for arg in call.args if arg not in names] + [
        "%s ... %s (%d names)" % (names[0], names[-1], len(names))]
    return "ansible-doc " + " ".join(args)


def describe(call):
    return "%s: rc %d\n%s\n%s" % (command(call), call.rc, call.stdout[-2000:], call.stderr[-2000:])


def ansible_doc(artifact, *args):
    call = run_doc(artifact, args)
    assert clean(call), describe(call)
    return call.stdout


def plain(text):
    """text without the bold markers ansible-doc puts around names (escapes with colour, '*' without)."""
    return text.replace("\x1b[1m", "").replace("\x1b[0m", "").replace("*", "")


def text_parts(stdout):
    """{fqcn: its section} of ansible-doc's text output, where each plugin's section starts with a
    header line '> ' naming it ('> MODULE fqcn (path)', '> ROLE: fqcn (path)', '> FILTER fqcn (path)')."""
    parts, name = {}, None
    for line in stdout.splitlines(True):
        named = [word for word in plain(line).split() if word.lower().startswith(FQCN)] if line.startswith("> ") else []
        if named:
            # Older ansible-core prints the name in capitals.
            name = named[0].lower()
            parts[name] = ""
        if name:
            parts[name] += line
    return parts


def json_parts(stdout):
    # Nothing parseable when the call failed: every part is then missing, and the call names why.
    try:
        return json.loads(stdout)
    except ValueError:
        return {}


def isolate(artifact, args, names, call):
    """{name: the call that rendered it}: call itself when it is clean, else the calls of each half of names,
    down to calls of a single name (about 2 log2(n) calls per broken item, rather than one call per name)."""
    if clean(call) or len(names) == 1:
        return dict((name, call) for name in names)
    half = len(names) // 2
    found = {}
    for group in (names[:half], names[half:]):
        found.update(isolate(artifact, args, group, run_doc(artifact, args + group)))
    return found


def batched(artifact, args, together, alone=()):
    """One call of ansible-doc args for all the names in together, each name in alone asked by itself."""
    call = run_doc(artifact, args + together) if together else None
    # The batch hides which item broke it: each item's own test is to fail, not every test of the batch.
    calls = isolate(artifact, args, together, call) if together else {}
    calls.update((fqcn, run_doc(artifact, args + [fqcn])) for fqcn in alone)
    split = json_parts if "--json" in args else text_parts
    parsed = {}
    for own in calls.values():
        if id(own) not in parsed:
            parsed[id(own)] = split(own.stdout)
    return Batch(call, dict((fqcn, Part(own, parsed[id(own)].get(fqcn))) for fqcn, own in calls.items()))


def doc_batches(artifact, plugin_type, together, alone=()):
    """{format: Batch} of plugin_type: one text and one --json call."""
    return dict((fmt, batched(artifact, ["-t", plugin_type] + extra, [FQCN + name for name in together],
                              [FQCN + name for name in alone]))
                for fmt, extra in FORMATS.items())


@pytest.fixture(scope="module")
def module_docs(artifact):
    return doc_batches(artifact, "module", modules())


@pytest.fixture(scope="module")
def role_docs(artifact):
    # Without -e, ansible-doc renders (and --json returns) every entry point of each role.
    return doc_batches(artifact, "role", roles())


@pytest.fixture(scope="module")
def filter_docs(artifact):
    names = filters()
    return doc_batches(artifact, "filter", [name for name in names if filter_doc_exists(name)],
                       [name for name in names if not filter_doc_exists(name)])


def part(batches, fmt, fqcn):
    """fqcn's part of the fmt output; fails, naming fqcn and the call, when its call failed or left it out."""
    found = batches[fmt].parts.get(fqcn)
    assert found is not None, "%s was not asked of ansible-doc (%s)" % (fqcn, fmt)
    assert clean(found.call), "%s: %s" % (fqcn, describe(found.call))
    assert found.value is not None, "%s is missing from the %s output of %s" % (fqcn, fmt, describe(found.call))
    return found.value


def test_something_is_discovered():
    assert len(modules()) >= 6 and len(role_entry_points()) >= 8 and len(filters()) >= 1


@pytest.mark.parametrize("plugin_type,fmt", [pytest.param(plugin_type, fmt, id="%s-%s" % (plugin_type, fmt))
                                             for plugin_type in ("module", "role", "filter") for fmt in FORMATS])
def test_batched_call(request, plugin_type, fmt):
    call = request.getfixturevalue(plugin_type + "_docs")[fmt].call
    if call is None:
        pytest.skip("no %s to ask in one call" % plugin_type)
    assert clean(call), describe(call)


@pytest.mark.parametrize("module", modules())
def test_module_doc(module_docs, module):
    part(module_docs, "text", FQCN + module)
    doc = part(module_docs, "json", FQCN + module)
    assert (doc.get("doc") or {}).get("short_description"), "%s: no short_description" % module
    named = doc["doc"].get("module")
    assert named == module, "%s: DOCUMENTATION names module %r" % (module, named)
    assert doc.get("examples") and FQCN + module in doc["examples"], "%s: EXAMPLES must use the FQCN" % module
    assert doc.get("return") is not None, "%s: no RETURN" % module


def test_module_list_is_complete(artifact):
    listed = json.loads(ansible_doc(artifact, "-t", "module", "--list", "--json", "hatools.lifekeeper"))
    assert sorted(name[len(FQCN):] for name in listed) == modules()


@pytest.mark.parametrize("role,entry", role_entry_points(), ids=lambda v: v)
def test_role_entry_point_doc(role_docs, role, entry):
    text = part(role_docs, "text", FQCN + role)
    assert "ENTRY POINT: %s " % entry in plain(text), "%s: entry point %s not rendered\n%s" % (role, entry, text[:500])
    entry_doc = (part(role_docs, "json", FQCN + role).get("entry_points") or {}).get(entry)
    assert entry_doc is not None, "%s:%s is missing from the --json entry_points" % (role, entry)
    assert entry_doc.get("short_description"), "%s:%s has no short_description" % (role, entry)


def filter_params():
    params = []
    for name in filters():
        marks = []
        if not filter_doc_exists(name):
            reason = "EXPECTED FAILURE: no YAML docs for filter %s yet (controller track, issue 8)" % name
            marks.append(pytest.mark.xfail(strict=True, reason=reason))
        params.append(pytest.param(name, marks=marks, id=name))
    return params


@pytest.mark.parametrize("name", filter_params())
def test_filter_doc(filter_docs, name):
    part(filter_docs, "text", FQCN + name)
    doc = part(filter_docs, "json", FQCN + name)
    assert (doc.get("doc") or {}).get("short_description"), "%s: no short_description" % name
    assert doc.get("examples"), "%s: no EXAMPLES" % name
