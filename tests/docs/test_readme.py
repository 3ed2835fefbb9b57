# -*- coding: utf-8 -*-
"""The README stays the playbook user's page: short, and it keeps the project's two commands."""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import os

from test_doc_examples import REPO

# issue 20: the answers a playbook user needs within a few minutes; details go to docs/
MAX_LINES = 350


def _readme():
    with open(os.path.join(REPO, 'README.md')) as handle:
        return handle.read()


def test_readme_is_short():
    lines = _readme().count('\n')
    assert lines < MAX_LINES, 'README.md has %d lines (fewer than %d): move details to docs/' % (lines, MAX_LINES)


def test_readme_names_the_two_commands_of_a_fresh_machine():
    text = _readme()
    assert 'make demo' in text and 'make test' in text
