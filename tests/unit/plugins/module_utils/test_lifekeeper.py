# -*- coding: utf-8 -*-
"""lifekeeper.py: the CLI adapter (argument lists, deadlines, generations, one error type)."""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import json
import os
import sys
import time

import pytest

from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.testing import patch_module_args

from conftest import FakeClock as Clock, Hang
from ansible_collections.hatools.lifekeeper.plugins.module_utils import lifekeeper as lkmod
from ansible_collections.hatools.lifekeeper.plugins.module_utils.base import shared_argument_spec
from ansible_collections.hatools.lifekeeper.plugins.module_utils.lifekeeper import (
    LifeKeeper, LifeKeeperError, wait_until)

FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'fixtures')
RPM = '/usr/bin/rpm'
EVIL_TAG = 'a b;$(x)"\'`id` $HOME ~root|&>'


def sample(name):
    with open(os.path.join(FIXTURES, name), encoding='utf-8') as handle:
        return handle.read()


class FakeModule(object):
    """Just what the adapter uses of AnsibleModule: get_bin_path (commands go to the fake runner)."""

    def __init__(self, rpm=RPM):
        self.rpm = rpm

    def get_bin_path(self, name, required=False, opt_dirs=None):
        return self.rpm if name == 'rpm' else None


@pytest.fixture
def root(tmp_path):
    lkroot = tmp_path / 'opt' / 'LifeKeeper'
    (lkroot / 'bin').mkdir(parents=True)
    (lkroot / 'config').mkdir()
    for name in ('lcdstatus', 'lktest', 'lkcli', 'lkstart', 'lkstop', 'perform_action', 'mirror_status'):
        (lkroot / 'bin' / name).write_text('')
    return str(lkroot)


def rpm(version):
    if version is None:
        return {(RPM, '-q', '--qf', '%{VERSION}', 'steeleye-lk'): (1, 'package steeleye-lk is not installed', '')}
    return {(RPM, '-q', '--qf', '%{VERSION}', 'steeleye-lk'): (0, version, '')}


class Calls(object):
    """The fake runner's calls as the old FakeModule.calls: [(argv list, kwargs)]."""

    def __init__(self, cli):
        self.cli = cli

    @property
    def calls(self):
        return [(list(argv), kwargs) for argv, kwargs in self.cli.calls]


@pytest.fixture
def make(fake_cli):
    def make_(root, version='9.9.0', extra=None, **kwargs):
        for argv, response in rpm(version).items():
            fake_cli.set(argv, response)
        for argv, response in (extra or {}).items():
            fake_cli.set(argv, response)
        return Calls(fake_cli), LifeKeeper(FakeModule(), root, **kwargs)
    return make_


def test_shared_argument_spec_matches_doc_fragment_defaults():
    spec = shared_argument_spec()
    assert spec == {'lkroot': {'type': 'path', 'default': '/opt/LifeKeeper'},
                    'timeout': {'type': 'float', 'default': 300},
                    'command_timeout': {'type': 'float', 'default': 60}}


def test_bin_and_run_use_argument_list_with_a_deadline(root, make):
    module, lk = make(root, extra={(root + '/bin/lktest',): (0, '', '')})
    assert lk.bin('lkcli') == os.path.join(root, 'bin', 'lkcli')
    assert lk.run(['lktest']) == (0, '', '')
    args, kwargs = module.calls[-1]
    assert args == [root + '/bin/lktest']
    assert kwargs['timeout'] == 60


def test_run_keeps_absolute_paths_and_passes_data_and_timeout(root, make):
    module, lk = make(root, extra={('/bin/echo', 'x'): (0, 'x\n', '')})
    lk.run(['/bin/echo', 'x'], data='y\n', timeout=7)
    assert module.calls[-1][1]['data'] == 'y\n' and module.calls[-1][1]['timeout'] == 7


@pytest.mark.parametrize('bad', ['lkcli start', b'lkcli', [], None])
def test_run_refuses_anything_but_a_list(root, bad, make):
    _module, lk = make(root)
    with pytest.raises(TypeError):
        lk.run(bad)


def test_error_carries_cmd_rc_stdout_stderr(root, make):
    argv = (root + '/bin/lkcli', 'resource', 'restore', '--tag', 'nope')
    _module, lk = make(root, extra={argv: (7, 'out', 'resource "nope" does not exist\n')})
    with pytest.raises(LifeKeeperError) as info:
        lk.restore('nope')
    err = info.value
    assert err.cmd == list(argv) and err.rc == 7 and err.stdout == 'out'
    assert 'does not exist' in err.msg and 'lkcli resource restore --tag nope failed' in err.msg and 'rc=7' in err.msg
    assert err.as_dict() == {'msg': err.msg, 'cmd': list(argv), 'rc': 7, 'stdout': 'out',
                             'stderr': 'resource "nope" does not exist\n'}
    assert str(err) == err.msg


def test_run_without_check_returns_failure(root, make):
    _module, lk = make(root, extra={(root + '/bin/lktest',): (1, '', '')})
    assert lk.run(['lktest'], check=False)[0] == 1


def test_version_and_generation(root, make):
    for version, generation in (('9.9.0', 'lkcli'), ('10.0.0', 'lkcli'), ('9.0.0', 'lkcli'),
                                ('8.4.1', 'legacy'), ('7.5.0', 'legacy'), (None, None)):
        _module, lk = make(root, version)
        assert lk.version() == version
        assert lk.generation() == generation


def test_version_without_rpm_command(root, fake_cli):
    lk = LifeKeeper(FakeModule(rpm=None), root)
    assert lk.version() is None and lk.installed() is False and lk.packages() == [] and fake_cli.calls == []


def test_rpm_root_is_passed(root, fake_cli):
    fake_cli.set((RPM, '-q', '--qf', '%{VERSION}', '--root', '/srv/n1', 'steeleye-lk'), (0, '9.8.0', ''))
    assert LifeKeeper(FakeModule(), root, rpm_root='/srv/n1').version() == '9.8.0'


def test_packages_lists_every_steeleye_rpm(root, fake_cli):
    fake_cli.set((RPM, '-qa', '--qf', '%{NAME}\\t%{VERSION}\\n', 'steeleye-*'),
                 (0, 'steeleye-lkNFS\t9.9.0\nsteeleye-lk\t9.9.0\nsteeleye-lkDR\t9.9.0\n', ''))
    assert LifeKeeper(FakeModule(), root).packages() == [
        {'name': 'steeleye-lk', 'version': '9.9.0'}, {'name': 'steeleye-lkDR', 'version': '9.9.0'},
        {'name': 'steeleye-lkNFS', 'version': '9.9.0'}]


def test_installed_needs_lcdstatus_and_rpm(root, tmp_path, make):
    assert make(root, '9.9.0')[1].installed() is True
    assert make(root, None)[1].installed() is False
    os.remove(os.path.join(root, 'bin', 'lcdstatus'))
    assert make(root, '9.9.0')[1].installed() is False


@pytest.mark.parametrize('version,start,stop,stop_force,restore,remove', [
    ('9.9.0', ['lkcli', 'start'], ['lkcli', 'stop'], ['lkcli', 'stop', '-f'],
     ['lkcli', 'resource', 'restore', '--tag', 'T'], ['lkcli', 'resource', 'remove', '--tag', 'T']),
    ('8.4.1', ['lkstart'], ['lkstop'], ['lkstop', '-f'],
     ['perform_action', '-t', 'T', '-a', 'restore'], ['perform_action', '-t', 'T', '-a', 'remove']),
])
def test_generation_picks_commands(root, version, start, stop, stop_force, restore, remove, make):
    expected = {'start': start, 'stop': stop, 'stop_force': stop_force, 'restore': restore, 'remove': remove}
    extra = {}
    for argv in expected.values():
        extra[tuple([root + '/bin/' + argv[0]] + argv[1:])] = (0, 'ok', '')
    module, lk = make(root, version, extra)
    lk.start()
    lk.stop()
    lk.stop(force=True)
    lk.restore('T')
    lk.remove('T')
    ran = [args for args, _kw in module.calls if args[0] != RPM]
    assert ran == [[root + '/bin/' + argv[0]] + argv[1:] for argv in
                   (start, stop, stop_force, restore, remove)]


def test_actions_refuse_when_not_installed(root, make):
    module, lk = make(root, None)
    with pytest.raises(LifeKeeperError, match='not installed'):
        lk.start()
    with pytest.raises(LifeKeeperError, match='not installed'):
        lk.restore('x')
    assert [args for args, _kw in module.calls if args[0] != RPM] == []


def test_tag_is_one_argv_element(root, make):
    argv = (root + '/bin/lkcli', 'resource', 'restore', '--tag', EVIL_TAG)
    module, lk = make(root, '9.9.0', {argv: (0, '', '')})
    lk.restore(EVIL_TAG)
    args, kwargs = module.calls[-1]
    assert args == list(argv)
    assert kwargs['conversation'] is None and kwargs['env_update'] is None


def test_tag_reaches_the_real_command_unchanged(root, tmp_path):
    """Through the real runner (a real process): the command sees exactly the tag, and LC_ALL=C."""
    record = tmp_path / 'argv.json'
    script = os.path.join(root, 'bin', 'perform_action')
    with open(script, 'w') as handle:
        handle.write('#!%s\nimport json, os, sys\n'
                     'json.dump({"argv": sys.argv[1:], "lc_all": os.environ.get("LC_ALL")},'
                     ' open(%r, "w"))\n' % (sys.executable, str(record)))
    os.chmod(script, 0o755)
    with patch_module_args({}):
        module = AnsibleModule(argument_spec={})
    module.get_bin_path = lambda name, required=False, opt_dirs=None: None
    lk = LifeKeeper(module, root)
    lk.generation = lambda: 'legacy'
    rc, _out, _err = lk.restore(EVIL_TAG)
    assert rc == 0
    seen = json.loads(record.read_text())
    assert seen == {'argv': ['-t', EVIL_TAG, '-a', 'restore'], 'lc_all': 'C'}


def test_running_and_ready(root, make):
    _module, lk = make(root, extra={(root + '/bin/lktest',): (0, '', '')})
    assert lk.running() is True
    assert lk.ready() is False
    open(os.path.join(root, 'config', 'LK_INITDONE'), 'w').close()
    assert lk.ready() is True
    _module, lk = make(root, extra={(root + '/bin/lktest',): (1, '', '')})
    assert lk.running() is False and lk.ready() is False


def test_running_without_lktest_runs_nothing(root, make):
    os.remove(os.path.join(root, 'bin', 'lktest'))
    module, lk = make(root)
    assert lk.running() is False and module.calls == []


def test_status_parses_lcdstatus_e(root, make):
    module, lk = make(root, extra={(root + '/bin/lcdstatus', '-e'): (0, sample('e_mixed_node2.txt'), '')})
    cluster = lk.status()
    assert cluster.running and cluster.layout == 'backup'
    assert cluster.resource('datarep-db').parent == 'fs-db'
    assert module.calls[-1][0] == [root + '/bin/lcdstatus', '-e']


def test_status_not_running_is_a_result(root, make):
    _module, lk = make(root, extra={(root + '/bin/lcdstatus', '-e'): (1, sample('not_running.txt'), '')})
    cluster = lk.status()
    assert cluster.running is False and cluster.message == 'LifeKeeper is not running on node1.'


def test_status_usage_error_raises(root, make):
    _module, lk = make(root, extra={(root + '/bin/lcdstatus', '-e'): (2, '', 'usage: lcdstatus ...')})
    with pytest.raises(LifeKeeperError) as info:
        lk.status()
    assert info.value.rc == 2 and info.value.stderr == 'usage: lcdstatus ...'


def test_status_without_lcdstatus(root, make):
    os.remove(os.path.join(root, 'bin', 'lcdstatus'))
    module, lk = make(root)
    assert lk.status().running is False and module.calls == []


def test_node_name_from_q_layout(root, make):
    _module, lk = make(root, extra={(root + '/bin/lcdstatus', '-q'): (0, sample('doc_example_q.txt'), '')})
    assert lk.node_name() == 'node-a'
    _module, lk = make(root, extra={(root + '/bin/lcdstatus', '-q'): (1, sample('not_running.txt'), '')})
    assert lk.node_name() == 'node1'


def test_mirror_status(root, make):
    _module, lk = make(root, extra={(root + '/bin/mirror_status', 'datarep-data'): (0, sample('mirror_resyncing.txt'), '')})
    mirror = lk.mirror_status('datarep-data')
    assert mirror.in_sync is False and mirror.targets[0]['progress'] == 45


def test_mirror_status_unknown_tag(root, make):
    err = 'mirror_status: resource "nope" does not exist\n'
    _module, lk = make(root, extra={(root + '/bin/mirror_status', 'nope'): (7, '', err)})
    with pytest.raises(LifeKeeperError) as info:
        lk.mirror_status('nope')
    assert info.value.rc == 7 and 'nope' in info.value.msg


def test_mirror_status_garbage_is_the_same_error_type(root, make):
    _module, lk = make(root, extra={(root + '/bin/mirror_status', 'm'): (0, 'hello\n', '')})
    with pytest.raises(LifeKeeperError, match='cannot read mirror_status'):
        lk.mirror_status('m')


@pytest.mark.parametrize('answer,why', [
    (sample('mirror_in_sync.txt').replace('datarep-data', 'datarep-other'), "about mirror 'datarep-other'"),
    ('Mirror: datarep-data\nSource: node1\nTARGET   STATE       PROGRESS\n', 'no target rows'),
])
def test_mirror_status_is_strict(root, make, answer, why):
    _module, lk = make(root, extra={(root + '/bin/mirror_status', 'datarep-data'): (0, answer, '')})
    with pytest.raises(LifeKeeperError, match=why):
        lk.mirror_status('datarep-data')


def test_long_status_gives_types_and_node(root, make):
    _module, lk = make(root, extra={(root + '/bin/lcdstatus',): (0, sample('long_contract.txt'), '')})
    parsed = lk.long_status()
    assert parsed.node == 'node1' and parsed.types()['datarep-data'] == 'scsi/netraid'


@pytest.mark.parametrize('answer,why', [
    ((0, '', ''), 'answered nothing usable'),
    ((0, sample('long_contract.txt') + 'app-web: id=x app=gen type=app state=OSU\n', 'appears twice'), 'appears twice'),
])
def test_long_status_refuses_what_it_cannot_use(root, make, answer, why):
    _module, lk = make(root, extra={(root + '/bin/lcdstatus',): answer})
    with pytest.raises(LifeKeeperError, match=why):
        lk.long_status()


def test_a_killed_command_is_an_error_naming_command_and_seconds(root, make):
    _module, lk = make(root, extra={(root + '/bin/lktest',): Hang()}, command_timeout=3)
    with pytest.raises(LifeKeeperError) as info:
        lk.running()
    assert info.value.timed_out is True
    assert info.value.msg == 'lktest did not finish within 3 s: its process group was killed'
    assert info.value.cmd == [root + '/bin/lktest']


def test_a_command_that_cannot_start_is_an_error_naming_it(root, fake_cli, monkeypatch):
    from ansible_collections.hatools.lifekeeper.plugins.module_utils import runner as lkrunner

    def cannot(argv, timeout, **kwargs):
        raise OSError(13, 'Permission denied', argv[0])
    monkeypatch.setattr(lkrunner, 'run_command', cannot)
    with pytest.raises(LifeKeeperError, match='cannot run %s: Permission denied' % (root + '/bin/lktest')):
        LifeKeeper(FakeModule(), root).run(['lktest'])


def test_commands_inside_a_wait_end_by_its_deadline_plus_one_command_deadline(root, make):
    clock = Clock()
    hang = Hang(clock=clock)
    _module, lk = make(root, extra={(root + '/bin/lktest',): hang}, command_timeout=4,
                       clock=clock, sleep=clock.sleep)
    started = clock.now

    def probe():
        try:
            return lk.running(), None
        except LifeKeeperError as exc:
            return False, exc.msg

    done, last = lk.wait(probe, 5, 3)
    assert done is False
    # 0-4: first lktest; sleep 1 (deadline at 5); 5-9: second lktest (5 + 4 = 9)
    assert hang.deadlines == [4, 4] and clock.now - started == pytest.approx(9)
    assert lk.wait_deadline is None


def test_a_command_after_the_capped_deadline_is_not_run(root, make):
    clock = Clock()
    _module, lk = make(root, extra={(root + '/bin/lktest',): (0, '', '')}, command_timeout=4,
                       clock=clock, sleep=clock.sleep)
    lk.wait_deadline = clock.now - 5
    with pytest.raises(LifeKeeperError, match='was not run: the deadline of the wait had passed'):
        lk.run(['lktest'])


def test_an_action_with_no_time_left_is_not_run(root, make):
    module, lk = make(root)
    with pytest.raises(LifeKeeperError, match="was not run: no time was left of the module's timeout"):
        lk.run(['/bin/true'], timeout=0)
    assert module.calls == []


def test_nested_waits_keep_the_earlier_deadline(root, make):
    clock = Clock()
    _module, lk = make(root, clock=clock, sleep=clock.sleep, command_timeout=4)
    seen = []

    def inner():
        seen.append(lk.wait_deadline)
        return True, None

    started = clock.now
    lk.wait(lambda: (lk.wait(inner, 100, 1)[0], None), 2, 1)
    assert seen == [started + 2]


def test_wait_until_polls_until_done():
    clock = Clock(100.0)
    answers = iter([(False, 1), (False, 2), (True, 3)])
    ok, last = wait_until(lambda: next(answers), 10, 0.5, clock=clock, sleep=clock.sleep)
    assert (ok, last) == (True, 3)
    assert clock.sleeps == [0.5, 0.5]


def test_wait_until_times_out_with_last_value_and_never_sleeps_past_deadline():
    clock = Clock(100.0)
    calls = []

    def predicate():
        calls.append(clock.now)
        return False, len(calls)

    ok, last = wait_until(predicate, 1.2, 0.5, clock=clock, sleep=clock.sleep)
    assert ok is False and last == len(calls) == 4
    assert clock.sleeps == [0.5, 0.5, pytest.approx(0.2)]
    assert clock.now == pytest.approx(101.2)


def test_wait_until_zero_timeout_checks_once():
    clock = Clock(100.0)
    ok, last = wait_until(lambda: (False, 'x'), 0, 0.5, clock=clock, sleep=clock.sleep)
    assert (ok, last, clock.sleeps) == (False, 'x', [])


def test_wait_until_real_clock_respects_deadline():
    start = time.monotonic()
    ok, _last = wait_until(lambda: (False, None), 0.3, 0.05)
    elapsed = time.monotonic() - start
    assert ok is False
    assert 0.3 <= elapsed < 0.6


def test_default_lkroot():
    assert LifeKeeper(FakeModule()).lkroot == '/opt/LifeKeeper' == lkmod.DEFAULT_LKROOT


def test_a_status_row_that_cannot_be_read_is_an_unusable_answer_naming_the_command_and_row(root, make):
    text = 'BACKUP  TAG  ID  STATE  PRIO  PRIMARY\nnode2   a    x   ISP    1     node1\nnode2 b y z ISP 1 node1\n'
    _module, lk = make(root, extra={(root + '/bin/lcdstatus', '-e'): (0, text, '')})
    with pytest.raises(LifeKeeperError) as info:
        lk.status()
    assert info.value.msg == ("lcdstatus -e answered nothing usable: unreadable status display row "
                              "'node2 b y z ISP 1 node1': no single TAG word between the TAG and ID columns")
    assert info.value.details.get('unusable_answer') is True
