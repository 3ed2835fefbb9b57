# -*- coding: utf-8 -*-
"""lk_setup state=absent on a LifeKeeper older than 7.5 (no rmlk): the update guides' rpm -e of
the steeleye and HADR packages, instead of a "remove by hand" message."""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

from ansible_collections.hatools.lifekeeper.plugins.module_utils import legacy_removal
from ansible_collections.hatools.lifekeeper.plugins.modules import lk_setup

RPM = '/usr/bin/rpm'
NAMES = 'bash\nsteeleye-lk\nsteeleye-lkGUI\nHADR-generic-2.6\nsteeleye-lkDR\nglibc\n'


class OldNode(object):
    """LifeKeeper 7.4 without rmlk; rpm -e removes what it is given."""

    def __init__(self):
        self.packages = {'steeleye-lk': '7.4.0', 'steeleye-lkGUI': '7.4.0', 'steeleye-lkDR': '7.4.0',
                         'HADR-generic-2.6': '7.4.0', 'bash': '5.1', 'glibc': '2.34'}
        self.erased = []

    def __call__(self, argv):
        assert argv[0] == RPM, argv
        if argv[1] == '-e':
            self.erased.append(list(argv[2:]))
            for name in argv[2:]:
                self.packages.pop(name)
            return 0, '', ''
        if argv[1:4] == ('-qa', '--qf', legacy_removal.NAME_QUERY):
            return 0, ''.join(name + '\n' for name in sorted(self.packages)), ''
        if argv[1] == '-qa':        # the steeleye-* listing
            return 0, ''.join('%s\t%s\n' % (n, v) for n, v in sorted(self.packages.items())
                              if n.startswith('steeleye-')), ''
        version = self.packages.get(argv[-1])
        return (0, version, '') if version else (1, 'package %s is not installed\n' % argv[-1], '')


def test_pure_helpers():
    assert legacy_removal.removes_with_rpm('7.4.0') and not legacy_removal.removes_with_rpm('7.5.0')
    assert legacy_removal.packages_to_erase(NAMES) == ['HADR-generic-2.6', 'steeleye-lk', 'steeleye-lkDR',
                                                       'steeleye-lkGUI']
    assert legacy_removal.erase_argv('rpm', ['a', 'b'], '/r') == ['rpm', '-e', '--root', '/r', 'a', 'b']


def test_absent_before_75_erases_the_steeleye_and_hadr_packages(tmp_path, fake_cli, run):
    node = OldNode()
    fake_cli.route(node)
    failed, result = run(lk_setup.main, {'lkroot': str(tmp_path / 'LifeKeeper'), 'state': 'absent'})
    assert not failed, result
    assert node.erased == [['HADR-generic-2.6', 'steeleye-lk', 'steeleye-lkDR', 'steeleye-lkGUI']]
    assert sorted(node.packages) == ['bash', 'glibc']
    assert result['changed'] and result['version_before'] == '7.4.0' and result['version_after'] is None
    assert result['erased_packages'] == node.erased[0]


def test_absent_before_75_in_check_mode_erases_nothing(tmp_path, fake_cli, run):
    node = OldNode()
    fake_cli.route(node)
    failed, result = run(lk_setup.main, {'lkroot': str(tmp_path / 'LifeKeeper'), 'state': 'absent'}, check_mode=True)
    assert not failed and result['changed'] and node.erased == []
    assert result['erased_packages'] == ['HADR-generic-2.6', 'steeleye-lk', 'steeleye-lkDR', 'steeleye-lkGUI']


def test_absent_before_75_names_a_failed_erase(tmp_path, fake_cli, run):
    node = OldNode()
    fake_cli.route(lambda argv: (1, '', 'error: Failed dependencies\n') if argv[1] == '-e' else node(argv))
    failed, result = run(lk_setup.main, {'lkroot': str(tmp_path / 'LifeKeeper'), 'state': 'absent'})
    assert failed and 'rpm -e HADR-generic-2.6 steeleye-lk' in result['msg'] and 'rc=1' in result['msg']
