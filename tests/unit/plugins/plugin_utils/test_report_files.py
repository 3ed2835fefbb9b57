# -*- coding: utf-8 -*-
"""The report's files on the controller: the JSON record, its views, the run's copy; private,
atomic, and the JSON report the only one whose failure is fatal."""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import json
import os
import stat

import pytest

from ansible_collections.hatools.lifekeeper.plugins.plugin_utils import report_files

FIXTURE = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
                       'fixtures', 'report-default.json')


@pytest.fixture
def report():
    with open(FIXTURE) as handle:
        return json.load(handle)


def mode(path):
    return stat.S_IMODE(os.lstat(str(path)).st_mode)


def test_the_report_its_views_and_the_runs_copy(tmp_path, report):
    path = str(tmp_path / 'lifekeeper-update-report.json')
    keep = tmp_path / 'artifacts' / 'run1'
    written = report_files.write_report(report, path, 'rolling update', str(keep))
    kept = str(keep / 'report.json')
    assert written == {'files': [path, path[:-5] + '.md', path[:-5] + '.html', kept], 'problems': []}
    assert json.loads(open(path).read()) == report == json.loads(open(kept).read())
    assert open(path[:-5] + '.md').read().startswith('# ')
    assert '<!DOCTYPE html>' in open(path[:-5] + '.html').read()
    for name in written['files']:
        assert mode(name) == 0o600, name
    assert mode(keep) == 0o700 and mode(keep.parent) == 0o700
    assert sorted(os.listdir(str(tmp_path))) == ['artifacts', 'lifekeeper-update-report.html',
                                                 'lifekeeper-update-report.json', 'lifekeeper-update-report.md']


def test_a_report_is_replaced_whole_and_made_private(tmp_path, report):
    path = tmp_path / 'report.json'
    path.write_text('old')
    path.chmod(0o644)
    report_files.write_report(report, str(path))
    assert json.loads(path.read_text()) == report and mode(path) == 0o600


def test_a_name_without_json_gets_the_views_suffixes_added(tmp_path, report):
    path = str(tmp_path / 'report')
    assert report_files.write_report(report, path)['files'] == [path, path + '.md', path + '.html']


def test_the_json_report_that_cannot_be_written_fails_naming_it(tmp_path, report):
    path = str(tmp_path / 'missing-folder' / 'report.json')
    with pytest.raises(ValueError, match='cannot write the report to %s: .*No such file' % path):
        report_files.write_report(report, path)


def test_a_view_or_copy_that_cannot_be_written_is_a_problem_not_a_failure(tmp_path, report):
    path = str(tmp_path / 'report.json')
    os.mkdir(path[:-5] + '.md')           # a folder where the Markdown view goes
    blocker = tmp_path / 'file'
    blocker.write_text('')
    written = report_files.write_report(report, path, keep_dir=str(blocker / 'run1'))
    assert written['files'] == [path, path[:-5] + '.html']
    assert len(written['problems']) == 2
    assert "markdown view %s.md could not be written" % path[:-5] in written['problems'][0]
    assert "copy in the run's folder %s/run1/report.json" % blocker in written['problems'][1]
    assert not [name for name in os.listdir(str(tmp_path)) if 'hatools-tmp' in name]


def test_only_a_report_is_written(tmp_path):
    with pytest.raises(ValueError, match='must be a dict'):
        report_files.write_report(['not', 'a', 'report'], str(tmp_path / 'r.json'))


def test_a_run_refused_after_grouping_its_clusters_and_before_their_plans_gets_every_file(tmp_path):
    # e.g. a 9.x update without the saved setup configuration: the clusters are known, no plan is
    from ansible_collections.hatools.lifekeeper.plugins.plugin_utils import report
    refused = report.ended_report([{'name': 'erp', 'hosts': ['e1', 'e2']}], {}, {}, {}, 'run1', 'refused',
                                  'setup of 9.9.0 needs lk_setup_config_file')
    written = report_files.write_report(refused, str(tmp_path / 'report.json'), 'rolling update', None)
    assert written['problems'] == []
    markdown = (tmp_path / 'report.md').read_text()
    assert 'refused' in markdown and 'lk_setup_config_file' in markdown and '### The plan' not in markdown
    assert 'The plan' not in (tmp_path / 'report.html').read_text()
