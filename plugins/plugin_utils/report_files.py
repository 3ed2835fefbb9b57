# -*- coding: utf-8 -*-
# Copyright (c) 2026, hatools.lifekeeper contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The run's report on the controller: the JSON report where the user asked for it, its
Markdown and HTML views beside it, and a copy in the run's private folder (controller side).

Every file is private (0600) and replaced atomically (a temporary file beside it, then a
rename): a reader - the next run's outage prediction, an operator's browser - sees the old
file or the new one, never a part. The JSON report is the record: when it cannot be written
the writer fails; views or a copy that cannot be written are said, not fatal.
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import json
import os

from ansible_collections.hatools.lifekeeper.plugins.plugin_utils import report_view
from ansible_collections.hatools.lifekeeper.plugins.plugin_utils.controller_files import (
    ensure_private_folder, reason, write_private)

KEPT_NAME = 'report.json'
VIEWS = (('markdown', 'md'), ('html', 'html'))


def report_text(report):
    """The JSON report's text: indented, sorted keys, a final newline."""
    return json.dumps(report, indent=4, sort_keys=True, ensure_ascii=False) + '\n'


def view_path(path, suffix):
    """The view's file beside the JSON report: its name without .json, then .suffix."""
    base = path[:-len('.json')] if path.endswith('.json') else path
    return '%s.%s' % (base, suffix)


def write_report(report, path, operation=None, keep_dir=None):
    """Write the report's files; returns {files: [written], problems: [what could not be written]}.

    Raises ValueError (naming the path and the reason) when the JSON report itself cannot be
    written: its folder must exist, as for any file the user names.
    """
    if not isinstance(report, dict):
        raise ValueError('the report must be a dict (the run report), not %s' % type(report).__name__)
    text = report_text(report)
    try:
        write_private(path, text)
    except (IOError, OSError) as exc:
        raise ValueError('cannot write the report to %s: %s' % (path, reason(exc)))
    written, problems = [path], []
    for view, suffix in VIEWS:
        target = view_path(path, suffix)
        try:
            write_private(target, report_view.render(report, view, operation))
            written.append(target)
        except (IOError, OSError, ValueError) as exc:
            problems.append("the report's %s view %s could not be written: %s" % (view, target, reason(exc)))
    if keep_dir:
        kept = os.path.join(keep_dir, KEPT_NAME)
        try:
            ensure_private_folder(keep_dir)
            write_private(kept, text)
            written.append(kept)
        except (IOError, OSError) as exc:
            problems.append("the report's copy in the run's folder %s could not be written: %s" % (kept, reason(exc)))
    return {'files': written, 'problems': problems}
