# -*- coding: utf-8 -*-
"""A resume that lost the controller's placement record is refused (issue 18)."""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

from ansible_collections.hatools.lifekeeper.plugins.plugin_utils.resume import lost_placement_record, placement_refusal

PATH = '/runner/project/lifekeeper-artifacts/r1/placement.json'
COPY = '/var/lib/hatools-lifekeeper/placement-r1.json'


def test_a_first_attempt_records_the_placement():
    assert lost_placement_record(PATH, 'r1', {'n1': None, 'n2': None}, {'n1': None, 'n2': None}, COPY) == ''


def test_the_progress_records_of_another_run_do_not_count():
    assert lost_placement_record(PATH, 'r1', {'n1': None}, {'n1': {'run_id': 'r0', 'step': 'done'}}, COPY) == ''


def test_a_node_copy_of_this_run_refuses_naming_the_record_and_the_fix():
    text = lost_placement_record(PATH, 'r1', {'n1': {'app': 'n1'}, 'n2': {'app': 'n1'}}, {}, COPY)
    assert text.startswith('run r1 is resumed, and its earlier attempt recorded the placement (its copy is on n1, n2), '
                           'but the placement record %s is missing on the controller' % PATH)
    assert 'put the record back at %s (copy %s from n1)' % (PATH, COPY) in text
    assert 'keep lk_artifacts_dir on storage that persists between jobs' in text
    assert text.endswith('then run again with -e lk_run_id=r1')


def test_nodes_this_run_updated_refuse_even_without_a_copy():
    """A run of an earlier collection version kept no copy: the progress records still show it."""
    text = lost_placement_record(PATH, 'r1', {'n1': None, 'n2': None},
                                 {'n1': {'run_id': 'r1', 'step': 'started'}, 'n2': {'run_id': 'r1', 'step': 'done'}}, COPY)
    assert 'updated or started to update n1, n2 (their progress records name it)' in text
    assert 'put the record back at %s and keep' % PATH in text


def test_an_empty_placement_copy_still_counts():
    assert lost_placement_record(PATH, 'r1', {'n1': {}}, None, COPY)


def test_the_placement_is_refused_when_lost_first_then_when_a_node_was_not_read():
    read = {'n1': {'known': True, 'resources': []}, 'n2': {'known': False, 'reason': 'unreachable'}}
    assert placement_refusal(PATH, 'r1', {}, {}, COPY, {'n1': read['n1']}) == ''
    assert placement_refusal(PATH, 'r1', {}, {}, COPY, read) == \
        'cannot record where the hierarchies are in service: not read: n2 (unreachable)'
    assert 'is missing on the controller' in placement_refusal(PATH, 'r1', {'n1': {'app': 'n1'}}, {}, COPY, read)
