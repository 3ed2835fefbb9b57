# -*- coding: utf-8 -*-
"""status.py: the short and long status displays, mirror_status and package list parsers."""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import os
import re

import pytest

from ansible_collections.hatools.lifekeeper.plugins.module_utils import status
from ansible_collections.hatools.lifekeeper.plugins.module_utils.status import (
    hierarchy, parse_long_status, parse_mirror_status, parse_package_list, parse_short_status, roots, summary)

FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'fixtures')


def sample(name):
    with open(os.path.join(FIXTURES, name), encoding='utf-8') as handle:
        return handle.read()


def cited(name):
    """A copy of a published sample: its first line names the source, the rest is the sample."""
    first, rest = sample(name).split('\n', 1)
    assert first.startswith('# source: ')
    return rest


def by_tag(cluster):
    return dict((res.tag, res) for res in cluster.resources)


def test_documented_example_q_layout():
    cluster = parse_short_status(sample('doc_example_q.txt'))
    assert cluster.running is True
    assert cluster.layout == 'local'
    assert cluster.node == 'node-a'
    assert [r.tag for r in cluster.resources] == ['app-web', 'ip-10.0.0.50', 'datarep-data']
    web, ip, data = cluster.resources
    assert (web.id, web.state, web.priority, web.primary, web.first) == ('app-web', 'ISP', 1, 'node-a', 'node-a')
    assert (web.depth, web.parent, web.children) == (0, None, ['ip-10.0.0.50', 'datarep-data'])
    assert (ip.depth, ip.parent, ip.children) == (1, 'app-web', [])
    assert (data.depth, data.parent, data.id) == (1, 'app-web', '/data')
    assert len(cluster.comm_paths) == 1
    path = cluster.comm_paths[0]
    assert (path.machine, path.network, path.addresses, path.state, path.priority) == \
        ('node-b', 'TCP', '10.0.0.11/10.0.0.12', 'ALIVE', 1)


def test_e_layout_three_levels_dashes_and_tty_path():
    cluster = parse_short_status(sample('e_mixed_node2.txt'))
    assert cluster.running and cluster.layout == 'backup'
    assert cluster.node is None  # -e does not show the local node
    res = by_tag(cluster)
    assert res['app-web'].first == 'node3'
    assert res['local-only'].first == '------'
    assert res['local-only'].depth == 0 and res['local-only'].parent is None
    assert res['db'].children == ['fs-db', 'ip-10.0.0.60']
    assert res['fs-db'].children == ['datarep-db']
    assert (res['datarep-db'].depth, res['datarep-db'].parent) == (2, 'fs-db')
    # back to depth 1 after a depth-2 row: parent is the root again
    assert (res['ip-10.0.0.60'].depth, res['ip-10.0.0.60'].parent) == (1, 'db')
    assert res['app-web'].priority == 10
    assert roots(cluster.resources) == ['app-web', 'db', 'local-only']
    assert hierarchy(cluster.resources, 'db') == ['db', 'fs-db', 'datarep-db', 'ip-10.0.0.60']
    tty = cluster.comm_paths[2]
    assert (tty.network, tty.addresses, tty.state, tty.priority) == ('TTY', '/dev/ttyS0', 'ALIVE', None)
    assert [p.state for p in cluster.comm_paths] == ['ALIVE', 'DEAD', 'ALIVE']


def test_titles_indented_output_wide_columns_and_shared_child():
    cluster = parse_short_status(sample('q_titles_wide.txt'))
    assert cluster.running and cluster.layout == 'local'
    assert cluster.node == 'a-very-long-node-name-01'
    # shared-fs is listed under both roots: one record, two parents
    assert [r.tag for r in cluster.resources] == [
        'application-hierarchy-with-a-long-tag', 'shared-fs', 'shared-disk', 'second-app']
    res = by_tag(cluster)
    assert res['shared-fs'].parent == 'application-hierarchy-with-a-long-tag'
    assert res['shared-fs'].parents == ['application-hierarchy-with-a-long-tag', 'second-app']
    assert res['second-app'].children == ['shared-fs']
    assert res['shared-fs'].children == ['shared-disk']
    assert res['shared-disk'].depth == 2
    assert roots(cluster.resources) == ['application-hierarchy-with-a-long-tag', 'second-app']
    assert hierarchy(cluster.resources, 'second-app') == ['second-app', 'shared-fs', 'shared-disk']
    assert status.root_of(cluster.resources, 'shared-disk') == [
        'application-hierarchy-with-a-long-tag', 'second-app']
    assert cluster.comm_paths[0].addresses == '192.168.100.101/192.168.100.102'


def test_non_ascii_ids_and_node_names():
    cluster = parse_short_status(sample('e_non_ascii.txt'))
    res = by_tag(cluster)
    assert res['fichiers'].id == u'/données/partagées'
    assert res['disque'].id == u'ディスク-01'
    assert res['disque'].state == 'ILLSTATE'
    assert (res['disque'].depth, res['disque'].parent) == (1, 'fichiers')
    assert res['fichiers'].primary == u'nœud-1'
    assert cluster.comm_paths[0].machine == u'nœud-2'


def test_header_only_means_running_without_resources():
    cluster = parse_short_status(sample('header_only_e.txt'))
    assert cluster.running is True
    assert cluster.layout == 'backup'
    assert cluster.resources == [] and cluster.comm_paths == []
    assert summary(cluster)['all_paths_alive'] is False


@pytest.mark.parametrize('text', [sample('not_running.txt'), '', '\n\n',
                                  'lcdstatus: cannot connect to LCM\n'])
def test_no_header_means_not_running(text):
    cluster = parse_short_status(text)
    assert cluster.running is False
    assert cluster.layout is None
    assert cluster.resources == [] and cluster.comm_paths == []


def test_not_running_message_names_the_node():
    cluster = parse_short_status(sample('not_running.txt'))
    assert cluster.node == 'node1'
    assert cluster.message == 'LifeKeeper is not running on node1.'


def test_depth_is_relative_to_first_column_not_to_line_start():
    # Same hierarchy, BACKUP values of different lengths, whole display shifted right.
    text = (
        '   BACKUP        TAG        ID    STATE  PRIO  PRIMARY\n'
        '   node-b        root       r     ISP       1  node-a\n'
        '   n2             child     c     ISP       1  node-a\n'
        '   ------          grand    g     ISP       1  node-a\n'
        '   node-bbbbbbb  other      o     OSU       2  node-b\n'
    )
    res = by_tag(parse_short_status(text))
    assert [res[t].depth for t in ('root', 'child', 'grand', 'other')] == [0, 1, 2, 0]
    assert res['grand'].parent == 'child'
    assert res['other'].parent is None


def test_depth_uses_section_minimum_when_header_is_narrower():
    # Two spaces between the first column and TAG at the root (contract minimum).
    text = ('LOCAL TAG ID STATE PRIO PRIMARY\n'
            'n1  top  x  ISP  1  n1\n'
            'n1   mid  y  ISP  1  n1\n')
    res = by_tag(parse_short_status(text))
    assert (res['top'].depth, res['mid'].depth, res['mid'].parent) == (0, 1, 'top')


def test_crlf_and_trailing_spaces():
    text = sample('doc_example_q.txt').replace('\n', '   \r\n')
    cluster = parse_short_status(text)
    assert [r.depth for r in cluster.resources] == [0, 1, 1]
    assert cluster.comm_paths[0].priority == 1


def test_lines_before_the_header_are_not_rows():
    text = ('Created symlink /etc/systemd/system/lifekeeper.service.\n'
            'LOCAL  TAG  ID  STATE  PRIO  PRIMARY\n'
            'n1     a    x   ISP    1     n1\n')
    assert [r.tag for r in parse_short_status(text).resources] == ['a']


@pytest.mark.parametrize('row', [
    'Hierarchy list complete (1 root)',
    'n1     b    y   OSU    notanumber  n1',
])
def test_a_row_that_cannot_be_read_makes_the_answer_unusable(row):
    """Issue 18: never a shorter list - the whole answer fails, naming the row."""
    text = ('LOCAL  TAG  ID  STATE  PRIO  PRIMARY\n'
            'n1     a    x   ISP    1     n1\n' + row + '\n')
    with pytest.raises(ValueError, match=re.escape('unreadable status display row %r' % row)):
        parse_short_status(text)


def test_a_communication_row_that_cannot_be_read_makes_the_answer_unusable():
    text = ('LOCAL  TAG  ID  STATE  PRIO  PRIMARY\n'
            'n1     a    x   ISP    1     n1\n\n'
            'MACHINE  NETWORK ADDRESSES/DEVICE  STATE  PRIO\n'
            'n2       TCP     10.0.0.1/10.0.0.2 ALIVE\n')
    with pytest.raises(ValueError, match="unreadable status display row 'n2 .*five columns"):
        parse_short_status(text)


# An ID with a blank: the columns are padded to the longest value, so the header's positions
# tell where ID ends (the layout of the vendor's documented -e sample, spslinux 9.6.0).
ID_WITH_BLANK = (
    'BACKUP  TAG             ID                  STATE  PRIO  PRIMARY\n'
    'node2   app-web         app web             ISP       1  node1\n'
    'node2    datarep-data   /data               ISP       1  node1\n'
    'node2   mirror two      /srv/two            OSU      10  node1\n'
)


def test_an_id_with_a_blank_is_read_by_the_header_positions():
    text = ID_WITH_BLANK.rsplit('node2   mirror', 1)[0]
    cluster = parse_short_status(text)
    web, data = cluster.resources
    assert (web.tag, web.id, web.state, web.priority, web.primary) == ('app-web', 'app web', 'ISP', 1, 'node1')
    assert (data.tag, data.id, data.depth, data.parent) == ('datarep-data', '/data', 1, 'app-web')


def test_a_tag_with_a_blank_cannot_be_read_and_is_named():
    with pytest.raises(ValueError, match="'node2   mirror two      /srv/two            OSU      10  node1'.*TAG"):
        parse_short_status(ID_WITH_BLANK)


@pytest.mark.parametrize('row,why', [
    ('node2   app-web         app web  ISP          1  node1', 'STATE or PRIMARY'),
    ('node2   app-web         app web             ISP     1    node1', 'PRIO not right-aligned'),
    ('node2   app-web         app web             ISP       x  node1', "PRIO 'x' is not a number"),
    (' node2  app-web         app web             ISP       1  node1', 'first column'),
])
def test_a_row_off_the_header_positions_is_named(row, why):
    text = ID_WITH_BLANK.splitlines()[0] + '\n' + row + '\n'
    with pytest.raises(ValueError, match=why):
        parse_short_status(text)


def test_an_empty_prio_is_read_by_position():
    text = ('LOCAL  TAG  ID  STATE  PRIO  PRIMARY\n'
            'n1     a    x   ISP          n2\n')
    res = parse_short_status(text).resources[0]
    assert (res.tag, res.state, res.priority, res.primary) == ('a', 'ISP', None, 'n2')


def test_as_dict_is_plain_data():
    data = parse_short_status(sample('doc_example_q.txt')).as_dict()
    assert data['running'] is True
    assert data['resources'][1] == {
        'tag': 'ip-10.0.0.50', 'id': 'IP-10.0.0.50', 'state': 'ISP', 'priority': 1,
        'primary': 'node-a', 'depth': 1, 'parent': 'app-web', 'parents': ['app-web'],
        'children': [], 'first': 'node-a', 'type': None, 'mirror': False}
    assert data['comm_paths'][0]['priority'] == 1


def test_summary_of_mixed_node():
    result = summary(parse_short_status(sample('e_mixed_node2.txt')))
    assert result['in_service_here'] == ['db']
    assert result['standby_here'] == ['app-web']
    assert result['failed_anywhere'] == ['local-only']
    assert result['all_paths_alive'] is False
    assert result['dead_paths'] == ['node3 10.0.0.12/10.0.0.13']
    assert [h['root'] for h in result['hierarchies']] == ['app-web', 'db', 'local-only']
    assert result['hierarchies'][0] == {
        'root': 'app-web', 'state': 'OSU', 'tags': ['app-web', 'ip-10.0.0.50', 'datarep-data']}


def test_summary_isu_counts_as_in_service_and_all_alive():
    result = summary(parse_short_status(sample('q_titles_wide.txt')))
    assert result['in_service_here'] == ['application-hierarchy-with-a-long-tag', 'second-app']
    assert result['all_paths_alive'] is True
    assert result['failed_anywhere'] == []


def test_summary_not_running():
    result = summary(parse_short_status(sample('not_running.txt')))
    assert result == {'in_service_here': [], 'standby_here': [], 'failed_anywhere': [],
                      'all_paths_alive': False, 'dead_paths': [], 'hierarchies': []}


def test_hierarchy_unknown_root():
    with pytest.raises(KeyError):
        hierarchy(parse_short_status(sample('doc_example_q.txt')).resources, 'nope')


def test_mirror_resyncing():
    mirror = parse_mirror_status(sample('mirror_resyncing.txt'))
    assert mirror.tag == 'datarep-data'
    assert mirror.source == 'node1'
    assert mirror.targets == [{'name': 'node2', 'state': 'Resyncing', 'progress': 45},
                              {'name': 'node3', 'state': 'Mirroring', 'progress': 100}]
    assert mirror.in_sync is False
    assert mirror.as_dict()['in_sync'] is False


def test_mirror_in_sync():
    mirror = parse_mirror_status(sample('mirror_in_sync.txt'))
    assert mirror.in_sync is True
    assert mirror.as_dict() == {'tag': 'datarep-data', 'source': 'node1', 'in_sync': True, 'known': True,
                                'targets': [{'name': 'node2', 'state': 'Mirroring', 'progress': 100}]}


@pytest.mark.parametrize('state', ['Paused', 'Unknown', 'Resyncing'])
def test_mirror_any_other_state_is_not_in_sync(state):
    mirror = parse_mirror_status('Mirror: m\nSource: a\nTARGET STATE PROGRESS\nb  %s  -\n' % state)
    assert mirror.targets == [{'name': 'b', 'state': state, 'progress': None}]
    assert mirror.in_sync is False


def test_mirror_garbage_raises():
    with pytest.raises(ValueError, match='Mirror:'):
        parse_mirror_status('mirror_status: resource "x" does not exist\n')


def test_mirror_without_source_has_none():
    mirror = parse_mirror_status('Mirror: m\nSource: ------\nTARGET STATE PROGRESS\nb  Unknown  --\n', 'm')
    assert mirror.source is None and mirror.targets == [{'name': 'b', 'state': 'Unknown', 'progress': None}]


@pytest.mark.parametrize('text,asked,why', [
    (sample('mirror_in_sync.txt'), 'datarep-other', "about mirror 'datarep-data', not 'datarep-other'"),
    ('Mirror: m\nSource: a\nTARGET STATE PROGRESS\n', 'm', 'no target rows'),
    ('Mirror: m\nSource: a\n', None, 'no target rows'),
    ('Mirror: m\nSource: a\nTARGET STATE PROGRESS\nlonely\n', 'm', 'unreadable target row'),
])
def test_mirror_answers_that_prove_nothing_are_refused(text, asked, why):
    """An answer about another tag, or with no target rows, is unknown, never "in sync"."""
    with pytest.raises(ValueError, match=why):
        parse_mirror_status(text, asked)


def test_unknown_mirror_record_is_never_in_sync():
    record = status.unknown_mirror('m', 'mirror_status m timed out')
    assert record == {'tag': 'm', 'source': None, 'targets': [], 'in_sync': False, 'known': False,
                      'error': 'mirror_status m timed out'}


def test_package_list():
    assert parse_package_list('steeleye-lkDR\t9.9.0\nsteeleye-lk\t9.9.0\n\ngarbage line here\n') == [
        {'name': 'steeleye-lk', 'version': '9.9.0'}, {'name': 'steeleye-lkDR', 'version': '9.9.0'}]
    assert parse_package_list('') == []


# ---- the long display (tests/lksim/ASSUMPTIONS.md, "Status displays") --------------------------

def test_long_display_of_the_contract_sample():
    parsed = parse_long_status(sample('long_contract.txt'))
    assert parsed.running is True and parsed.node == 'node1'
    assert [r.tag for r in parsed.resources] == ['app-web', 'ip-10.0.0.50', 'datarep-data']
    web, ip, data = parsed.resources
    assert web.as_dict() == {
        'tag': 'app-web', 'id': 'app-web', 'app': 'gen', 'type': 'gen/app', 'state': 'ISP',
        'initialize': '(AUTORES_ISP) automatic restore to IN-SERVICE by LifeKeeper', 'info': 'app-web',
        'reason': 'restore action has succeeded', 'depends_on': ['ip-10.0.0.50', 'datarep-data'],
        'dependents': [], 'root': False, 'local_priority': None, 'equivalencies': []}
    assert (ip.id, ip.type, ip.depends_on) == ('IP-10.0.0.50', 'comm/ip', [])
    assert (data.id, data.type) == ('/data', 'scsi/netraid')
    assert parsed.types() == {'app-web': 'gen/app', 'ip-10.0.0.50': 'comm/ip', 'datarep-data': 'scsi/netraid'}
    assert parsed.parents('datarep-data') == ['app-web']
    path = parsed.comm_paths[0]
    assert (path.machine, path.network, path.addresses, path.state, path.priority, path.comm_downs) == \
        ('node2', 'TCP', '127.0.0.11/127.0.0.12', 'ALIVE', 1, 0)
    assert parsed.flags == []
    assert parsed.shutdown_strategy == 'do not switch over resources (default)'


def test_long_display_shared_children_unknown_lines_and_spaces_in_ids():
    parsed = parse_long_status(sample('long_shared_unknown_lines.txt'))
    assert parsed.node == 'a-very-long-node-name-01'
    assert [r.tag for r in parsed.resources] == [
        'application-hierarchy-with-a-long-tag', 'shared-fs', 'shared-disk', 'second-app']
    # the shared child is described once, under the first root; both roots depend on it
    assert parsed.parents('shared-fs') == ['application-hierarchy-with-a-long-tag', 'second-app']
    app = parsed.resource('application-hierarchy-with-a-long-tag')
    assert app.id == 'app with spaces' and app.type == 'gen/app'
    assert parsed.resource('second-app').state == 'ISU'
    assert parsed.comm_paths[0].comm_downs == 2


def test_long_display_of_a_node_with_more_resources_flags_and_tty_path():
    parsed = parse_long_status(sample('long_mixed_node2.txt'))
    assert parsed.node == 'node2'
    types = parsed.types()
    assert [t for t in types if types[t] == 'scsi/netraid'] == ['datarep-data', 'datarep-db']
    assert parsed.resource('db').depends_on == ['fs-db', 'ip-10.0.0.60']    # ", " separated
    assert [(p.machine, p.network, p.state, p.priority) for p in parsed.comm_paths] == [
        ('node1', 'TCP', 'ALIVE', 1), ('node3', 'TCP', 'DEAD', 2), ('node3', 'TTY', 'ALIVE', None)]
    assert parsed.flags == ['shutdown_switchover']
    assert parsed.shutdown_strategy == 'switch over resources'


def test_long_display_types_agree_with_the_short_display_of_the_same_node():
    short = parse_short_status(sample('e_mixed_node2.txt'))
    short.apply_types(parse_long_status(sample('long_mixed_node2.txt')).types())
    assert short.mirrors == ['datarep-data', 'datarep-db']
    assert short.resource('fs-db').type == 'gen/filesys'
    assert short.resource('datarep-db').as_dict()['mirror'] is True


def test_mirrors_by_type_not_by_tag():
    short = parse_short_status(sample('e_mirror_by_type.txt'))
    short.apply_types(parse_long_status(sample('long_mirror_by_type.txt')).types())
    assert short.mirrors == ['mirror-export']


@pytest.mark.parametrize('text,node', [
    ('LifeKeeper is not running on node1.\n', 'node1'),
    ('LifeKeeper is not running.\n', None),
    ('', None),
])
def test_long_display_when_not_running(text, node):
    parsed = parse_long_status(text)
    assert parsed.running is False and parsed.resources == [] and parsed.node == node
    assert parsed.message == (text.strip() or None)


def test_long_display_refuses_a_tag_twice():
    text = sample('long_contract.txt') + '\napp-web: id=app-web app=gen type=app state=OSU\n'
    with pytest.raises(ValueError, match='tag app-web appears twice'):
        parse_long_status(text)


def test_long_display_refuses_a_resource_line_without_type():
    with pytest.raises(ValueError, match='lacks type'):
        parse_long_status('Resource Hierarchy Information\n\nx: id=x app=gen state=ISP\n')


def test_long_display_value_runs_to_the_next_key():
    parsed = parse_long_status('Resource Hierarchy Information\n\n'
                               'odd: id=a value=with type= inside app=gen type=app state=OSF\n')
    res = parsed.resource('odd')
    # "type=" inside the id is a key only when a space precedes it: here it does, so the id ends there
    assert (res.app, res.state) == ('gen', 'OSF')
    assert res.id == 'a value=with'


# ---- published samples (issue 17) -------------------------------------------------------------
def test_the_documented_e_sample_of_spslinux_9_6_0():
    cluster = parse_short_status(cited('doc_spslinux960_e.txt'))
    assert cluster.running and cluster.layout == 'backup'
    assert [(r.tag, r.id, r.depth, r.parent, r.first, r.priority, r.primary) for r in cluster.resources] == [
        ('appfs3910-on-svr1', 'appfs4238', 0, None, 'svr1', 1, 'svr2'),
        ('filesys4083', '/jrl1', 1, 'appfs3910-on-svr1', 'svr1', 1, 'svr2'),
        ('device2126', u'000\u2026300-1', 2, 'filesys4083', 'svr1', 1, 'svr2'),
        ('disk2083', u'000\u2026300', 3, 'device2126', 'svr1', 1, 'svr2')]
    assert [(p.machine, p.network, p.addresses, p.state, p.priority) for p in cluster.comm_paths] == [
        ('svr1', 'TCP', '100.10.1.20/100.11.1.21', 'ALIVE', 1), ('svr1', 'TTY', '/dev/ttyS0', 'ALIVE', None)]


def test_the_real_long_display_of_a_gen_app_resource():
    parsed = parse_long_status(cited('long_genapp_route.txt'))
    assert parsed.running is True
    (route,) = parsed.resources
    assert (route.tag, route.id, route.type, route.state, route.root) == ('RT', 'RT', 'gen/app', 'OSU', True)
    assert route.initialize == '(AUTORES_ISP) automatic restore to IN-SERVICE by LifeKeeper'
    assert route.info == '10.10.20.0 24 eth0'


def test_a_path_whose_state_and_priority_sit_on_the_next_line():
    parsed = parse_long_status(cited('long_steeleye_tail.txt'))
    assert parsed.running is True
    (path,) = parsed.comm_paths
    assert (path.machine, path.network, path.addresses, path.state, path.priority, path.comm_downs) == \
        ('roadrunner', 'TCP', '192.168.1.1/192.168.105.19', 'DEAD', 2, 0)
    assert parsed.flags == ['shutdown_switchover']
    assert parsed.shutdown_strategy == 'switchover'


def test_a_path_on_one_line_is_not_joined_with_the_next():
    text = ('Communication Status Information\n'
            '        to machine=b type=TCP addresses=1.1.1.1/1.1.1.2 state="ALIVE" priority=1 #comm_downs=0\n'
            '        to machine=c type=TCP addresses=1.1.1.1/1.1.1.3\n'
            '                state="DEAD" priority=2 #comm_downs=4\n')
    parsed = parse_long_status(text)
    assert [(p.machine, p.state, p.priority, p.comm_downs) for p in parsed.comm_paths] == [
        ('b', 'ALIVE', 1, 0), ('c', 'DEAD', 2, 4)]


def test_the_documented_detailed_display_priorities_equivalencies_and_known_machines():
    parsed = parse_long_status(cited('long_sps8102_detailed.txt'))
    assert parsed.running is True
    assert parsed.tags == ['SQL.Default', '172.17.104.104', 'sqlapp.Vol.E', 'sqlapp.Vol.F']
    sql = parsed.resource('SQL.Default')
    assert sql.root is True and parsed.resource('sqlapp.Vol.E').root is False
    assert sql.initialize == 'AUTORES_ISP'
    assert sql.depends_on == ['172.17.104.104', 'sqlapp.Vol.E', 'sqlapp.Vol.F', 'ipeth0-172.17.104.25',
                              'ipeth0-172.17.106.10', 'ipeth0-172.17.106.105']
    assert sql.local_priority == 1
    assert sql.equivalencies == [{'tag': 'SQL.Default', 'machine': 'CAE-CX-LAB30', 'priority': 10, 'failover': None}]
    vol = parsed.resource('sqlapp.Vol.F')
    assert (vol.type, vol.id, vol.dependents) == ('filesys/volume', 'F:', ['SQL.Default'])
    assert parsed.parents('sqlapp.Vol.F') == ['SQL.Default']
    assert parsed.machines == [{'machine': 'CAE-CX-LAB29', 'state': 'ALIVE'},
                               {'machine': 'CAE-CX-LAB30', 'state': 'ALIVE'}]


@pytest.mark.parametrize('word', ['ALLOWED', 'INHIBITED'])
def test_failover_allowed_or_inhibited_belongs_to_the_equivalency_above(word):
    text = ('Resource Hierarchy Information\n\nROOT of RESOURCE HIERARCHY\n'
            'app: id=app app=gen type=app state=ISP\n'
            '        Local priority = 1\n'
            '        SHARED equivalency with "app" on "n2", priority = 10\n'
            '                FAILOVER %s\n'
            '        SHARED equivalency with "app" on "n3", priority = 20\n' % word)
    app = parse_long_status(text).resource('app')
    assert app.equivalencies == [{'tag': 'app', 'machine': 'n2', 'priority': 10, 'failover': word.lower()},
                                 {'tag': 'app', 'machine': 'n3', 'priority': 20, 'failover': None}]


@pytest.mark.parametrize('parse', [parse_short_status, parse_long_status])
def test_the_not_running_text_of_issue_17(parse):
    parsed = parse('LifeKeeper does not appear to be running.\n')
    assert parsed.running is False and parsed.node is None
    assert parsed.message == 'LifeKeeper does not appear to be running.'


def test_long_display_mirrors_by_type():
    assert parse_long_status(sample('long_mixed_node2.txt')).mirrors == ['datarep-data', 'datarep-db']


@pytest.mark.parametrize('text', [u'-\u0669', u'\u0669', u'\u00b2', '12\n'])
def test_numbers_are_ascii_digits_only(text):
    assert status._to_int(text) is None


def test_the_simulators_long_display_reads_completely():
    """long_simulator_node1.txt is what tests/lksim prints (tests/lksim_tests/test_long_status.py)."""
    text = sample('long_simulator_node1.txt')
    parsed = parse_long_status(text)
    assert parsed.node == 'node1' and parsed.mirrors == ['datarep-data']
    web = parsed.resource('app-web')
    assert (web.root, web.local_priority, web.depends_on) == (True, 1, ['ip-10.0.0.50', 'datarep-data'])
    assert web.equivalencies == [{'tag': 'app-web', 'machine': 'node2', 'priority': 10, 'failover': 'allowed'}]
    assert parsed.resource('datarep-data').dependents == ['app-web']
    assert parsed.machines == [{'machine': 'node1', 'state': 'ALIVE'}, {'machine': 'node2', 'state': 'ALIVE'}]
    (path,) = parsed.comm_paths
    assert (path.machine, path.addresses, path.state, path.priority, path.comm_downs) == \
        ('node2', '127.0.0.11/127.0.0.12', 'ALIVE', 1, 0)
    assert parsed.shutdown_strategy == 'do not switch over resources (default)'
    assert parsed.types() == parse_long_status(sample('long_contract.txt')).types()
