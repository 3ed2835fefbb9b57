# -*- coding: utf-8 -*-
"""Every relative link of README.md and docs/**/*.md leads somewhere: the file exists and,
for a link to a heading (#anchor), the page has that heading (GitHub's anchor rules)."""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import os
import re

import pytest

from test_doc_examples import REPO, documents

LINK = re.compile(r'!?\[[^\]]*\]\(([^)\s]+)\)')
HEADING = re.compile(r'^#{1,6}\s+(.*?)\s*#*\s*$')
# Files another part of the project writes (the report's screenshot, made by the report's
# browser test and committed): linked before they exist on every branch.
PRODUCED_ELSEWHERE = frozenset()


def _prose(text):
    """The lines outside code fences."""
    inside = False
    for line in text.splitlines():
        if line.lstrip().startswith('```'):
            inside = not inside
            continue
        if not inside:
            yield line


def anchors(path):
    """The anchors GitHub gives the headings of a Markdown file."""
    with open(path) as handle:
        text = handle.read()
    seen, found = {}, set()
    for line in _prose(text):
        match = HEADING.match(line)
        if not match:
            continue
        slug = re.sub(r'[^\w\- ]', '', match.group(1).strip().lower()).replace(' ', '-')
        count = seen.get(slug, 0)
        seen[slug] = count + 1
        found.add(slug if not count else '%s-%d' % (slug, count))
    return found


def links(doc):
    with open(os.path.join(REPO, doc)) as handle:
        text = handle.read()
    for line in _prose(text):
        for target in LINK.findall(re.sub(r'`[^`]*`', '', line)):
            if not re.match(r'^[a-z]+:', target):
                yield target


@pytest.mark.parametrize('doc', documents())
def test_relative_links_resolve(doc):
    broken = []
    for target in links(doc):
        path, _sep, anchor = target.partition('#')
        full = os.path.normpath(os.path.join(REPO, os.path.dirname(doc), path)) if path else os.path.join(REPO, doc)
        relative = os.path.relpath(full, REPO)
        if not os.path.exists(full):
            if relative not in PRODUCED_ELSEWHERE:
                broken.append('%s (no such file)' % target)
            continue
        if anchor and full.endswith('.md') and anchor not in anchors(full):
            broken.append('%s (no heading for #%s in %s)' % (target, anchor, relative))
    assert not broken, '%s: broken links: %s' % (doc, broken)
