"""Where a simulated node keeps things.

A node is a ROOT directory: "/" inside a container, DIR/<node> for a local cluster.
Everything is derived from ROOT so that one code path serves both ways of running.
"""
import json
import os

LKROOT_REL = "opt/LifeKeeper"


class NodePaths(object):
    """All file locations of one simulated node, derived from its ROOT."""

    def __init__(self, root):
        self.root = os.path.abspath(root)

    def _at(self, *parts):
        return os.path.join(self.root, *parts)

    # --- the product (removed by rmlk, saved by lkbackup) ---
    @property
    def lkroot(self):
        return self._at(LKROOT_REL)

    @property
    def bin_dir(self):
        return self._at(LKROOT_REL, "bin")

    @property
    def config_dir(self):
        return self._at(LKROOT_REL, "config")

    @property
    def initdone(self):
        return self._at(LKROOT_REL, "config", "LK_INITDONE")

    @property
    def lcd_file(self):
        """The node's LCD database (resources, equivalencies, comm paths)."""
        return self._at(LKROOT_REL, "config", "lcd.json")

    @property
    def defaults_file(self):
        return self._at("etc", "default", "LifeKeeper")

    @property
    def license_dir(self):
        return self._at("var", "LifeKeeper", "license")

    @property
    def lifekeeper_log(self):
        return self._at("var", "log", "lifekeeper.log")

    # --- the simulator's own bookkeeping (survives rmlk) ---
    @property
    def node_file(self):
        """node.json: name, addresses, where the lksim package lives."""
        return self._at("etc", "lksim", "node.json")

    @property
    def knobs_file(self):
        return self._at("etc", "lksim", "knobs.json")

    @property
    def run_dir(self):
        return self._at("var", "run", "lksim")

    @property
    def pid_file(self):
        return self._at("var", "run", "lksim", "lcm.pid")

    @property
    def gui_server_file(self):
        """Exists while the (simulated) LifeKeeper GUI server runs: lkstart starts it, rmlk
        disables it, stopping LifeKeeper leaves it running."""
        return self._at("var", "run", "lksim", "gui-server")

    @property
    def setup_log(self):
        """One JSON line per setup run (what it was asked, answered and did)."""
        return self._at("var", "log", "lksim", "setup.jsonl")

    @property
    def java_marker(self):
        """The Java Runtime setup installed for the GUI client (its content: setup's version)."""
        return self._at("var", "lib", "lksim", "java-runtime")

    @property
    def boot_id_file(self):
        """The id of the machine's current boot (`lksim node boot`; what ansible.builtin.reboot
        compares with boot_time_command)."""
        return self._at("var", "lib", "lksim", "boot_id")

    @property
    def boots_file(self):
        """One JSON line per boot and per shutdown of the machine (lksim/boot.py)."""
        return self._at("var", "log", "lksim", "boots.jsonl")

    @property
    def reboot_request_file(self):
        """What `lksim node reboot` asked the init (argv, message, time); gone at the next boot."""
        return self._at("var", "run", "lksim", "reboot-request.json")

    @property
    def events_file(self):
        return self._at("var", "log", "lksim", "events.jsonl")

    @property
    def commands_file(self):
        """The commands journal (lksim/journal.py)."""
        return self._at("var", "log", "lksim", "commands.jsonl")

    @property
    def rpm_cache(self):
        return self._at("var", "cache", "lksim", "rpms")

    def node_info(self):
        with open(self.node_file) as handle:
            return json.load(handle)


def root_of_script(script_path):
    """ROOT of the node whose $LKROOT/bin holds script_path (ROOT/opt/LifeKeeper/bin/X)."""
    bin_dir = os.path.dirname(os.path.abspath(script_path))
    return os.path.normpath(os.path.join(bin_dir, "..", "..", ".."))


def root_from_env():
    """ROOT for tools that are not in $LKROOT/bin (setup on the media): LKSIM_ROOT or /."""
    return os.environ.get("LKSIM_ROOT", "/")
