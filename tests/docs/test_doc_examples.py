# -*- coding: utf-8 -*-
"""Every ```yaml example of README.md and docs/**/*.md parses, and every example that is a
playbook or a list of tasks is clean under `ansible-lint --profile production`.

The examples are written to files in a temporary project (playbooks/, tasks/) with the
repository's .ansible-lint and .yamllint, and linted in one ansible-lint call. The
collection must be on ANSIBLE_COLLECTIONS_PATH (make collection-link; `make docs-examples`).
"""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import glob
import os
import re
import shutil
import subprocess
import sys

import pytest
import yaml

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FENCE = re.compile(r'^(?P<indent>[ \t]*)```(?P<lang>[A-Za-z0-9_+-]*)[ \t]*$')
PLAY_KEYS = ('hosts', 'import_playbook', 'ansible.builtin.import_playbook')
TASK_KEYS = ('name', 'block', 'include_tasks', 'import_tasks')


def documents():
    """README.md and every Markdown file under docs/, relative to the repository."""
    paths = [os.path.relpath(path, REPO) for path in glob.glob(os.path.join(REPO, 'docs', '**', '*.md'), recursive=True)]
    return ['README.md'] + sorted(paths)


def yaml_examples(text):
    """[(line number of the opening fence, code)] of the ```yaml / ```yml fences of a Markdown text,
    the fence's own indentation removed (fences inside list items)."""
    examples, lines, index = [], text.splitlines(), 0
    while index < len(lines):
        match = FENCE.match(lines[index])
        if not match or not match.group('lang'):
            index += 1
            continue
        start, indent, body = index, match.group('indent'), []
        index += 1
        while index < len(lines) and lines[index].strip() != '```':
            line = lines[index]
            body.append(line[len(indent):] if line.startswith(indent) else line.lstrip())
            index += 1
        assert index < len(lines), 'a code fence opened at line %d never closes' % (start + 1)
        if match.group('lang') in ('yaml', 'yml'):
            examples.append((start + 1, '\n'.join(body) + '\n'))
        index += 1
    return examples


def kind(data):
    """'playbook', 'tasks' or 'data' (inventories, requirements, variables: parsed only)."""
    if isinstance(data, list) and data and all(isinstance(item, dict) for item in data):
        if any(key in item for item in data for key in PLAY_KEYS):
            return 'playbook'
        if all(any(key in TASK_KEYS or '.' in key for key in item) for item in data):
            return 'tasks'
    return 'data'


def all_examples():
    found = []
    for doc in documents():
        with open(os.path.join(REPO, doc)) as handle:
            for line, code in yaml_examples(handle.read()):
                found.append(('%s:%d' % (doc, line), code))
    return found


def test_fences_close_and_examples_exist():
    """Every document's fences close (an unclosed one turns the rest of a page into code)."""
    assert all_examples()


@pytest.mark.parametrize('where,code', all_examples(), ids=[where for where, _code in all_examples()])
def test_example_parses(where, code):
    try:
        list(yaml.safe_load_all(code))
    except yaml.YAMLError as error:
        pytest.fail('%s: not valid YAML: %s' % (where, error))


def test_playbook_and_task_examples_are_production_lint_clean(tmp_path):
    project = tmp_path / 'project'
    names = {}
    for where, code in all_examples():
        data = yaml.safe_load(code)
        what = kind(data)
        if what == 'data':
            continue
        folder = project / ('playbooks' if what == 'playbook' else 'tasks')
        folder.mkdir(parents=True, exist_ok=True)
        name = re.sub(r'[^A-Za-z0-9]+', '_', where).strip('_') + '.yml'
        text = code if code.startswith('---') else '---\n' + code
        (folder / name).write_text(text)
        names[name] = where
    assert names, 'no playbook or task example found'
    for config in ('.ansible-lint', '.yamllint'):
        shutil.copy(os.path.join(REPO, config), str(project / config))
    lint = shutil.which('ansible-lint', path=os.path.dirname(sys.executable) + os.pathsep + os.environ.get('PATH', ''))
    assert lint, 'ansible-lint is not installed beside %s' % sys.executable
    files = sorted(os.path.relpath(str(path), str(project)) for path in project.glob('*/*.yml'))
    proc = subprocess.run([lint, '--profile', 'production', '--nocolor'] + files, cwd=str(project),
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True,
                          timeout=600, check=False)
    report = proc.stdout
    for name, where in names.items():
        report = report.replace(name, '%s (%s)' % (name, where))
    assert proc.returncode == 0, 'examples fail ansible-lint --profile production:\n' + report
