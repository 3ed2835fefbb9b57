"""The 8.x setup dialogue, screen by screen in the order of the vendor's 8.4.1 update guide.

The guide (steps 4-13) shows setup pausing on screens that only wait for Enter ("Press ENTER
to continue...", and Enter once the stop of LifeKeeper has completed) between its questions.
It prints one text verbatim: JAVA_CURRENT. Every other text here is ASSUMED (the guide shows
them only as pictures); ASSUMPTIONS.md lists each with the guide step it stands for. The
collection matches on key phrases of these texts, and stops setup at any screen it does not
recognise.

A question shows `(y/n) [default] `; an empty line takes the default, `yes`/`no` are accepted,
three invalid answers or the end of input abort. An Enter screen accepts any line. `setup -y`
answers every screen with its default. Every screen shown is recorded (Prompter.screens) so
that tests can check from the node that each Enter screen was passed with Enter.

ask_8x() runs the dialogue; the only change it makes itself is the stop of LifeKeeper (through
the caller's ``stop`` function), in the middle of the dialogue as the guide shows it.
"""
import sys

PROMPTS = {
    "java": "Install the Java Runtime for the GUI client?",
    "datakeeper": "Update the DataKeeper kernel module? Answer n if DataKeeper is not used.",
    "nfs_utils": "Enable the NFS utilities (nfs-utils) for protected NFS exports? "
                 "Answer n if NFS is not used.",
    "nfs_restart": "Restart the NFS daemons now?",
    "gui_users": "GUI group and login users (space separated) [keep]:",
    "license": "Install license keys now?",
    "license_files": "License key file(s), space separated:",
    "kit_selection": "Recovery kits to select (space separated names, Enter keeps the marks):",
    "kit_confirm": "Install/update the selected recovery kits?",
}
JAVA_CURRENT = "Java is already properly installed on this system."   # verbatim, 8.4.1 guide
ENTER = "Press ENTER to continue..."
# Enter-only screens (ASSUMED texts; the guide step each stands for is in ASSUMPTIONS.md).
SCREENS = {
    "intro": "LifeKeeper for Linux %s setup.\nThis will install or update LifeKeeper for Linux "
             "on this system.",
    "stop_lifekeeper": "LifeKeeper is running. It must be stopped before the update continues.\n"
                       "Press ENTER to stop LifeKeeper...",
    "stop_done": "The stop of LifeKeeper has completed.",
    "base_packages": "The LifeKeeper base packages will be installed or updated.",
    "java_current": JAVA_CURRENT,
    "required_packages": "The required packages will be updated: %s",
    "core_update": "The LifeKeeper core packages will be updated (%s -> %s).",
    "core_install": "The LifeKeeper core packages will be installed (%s).",
    "kit_summary": "The following recovery kits will be installed or updated:",
}
REQUIRED_PACKAGES = "bzip2 lsof net-tools patch redhat-lsb-core"
TRIES = 3


class Aborted(Exception):
    """The operator (or the end of input) stopped setup before any change."""


def _say(text=""):
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


class Prompter(object):
    """Questions on stdin; assume_yes takes every default. answers: {id: answer given}."""

    def __init__(self, assume_yes):
        self.assume_yes = assume_yes
        self.answers = {}
        self.screens = []     # [{"id": screen id, "answer": line given}] in the order shown

    def _record(self, key, answer):
        self.answers[key] = answer
        self.screens.append({"id": key, "answer": answer})

    def enter(self, key, text, prompt=ENTER):
        """An Enter-only screen: its text, then the prompt; any line continues."""
        if text:
            _say(text)
        sys.stdout.write(prompt + " ")
        sys.stdout.flush()
        if self.assume_yes:
            _say()
            answer = ""
        else:
            answer = self._read(text or prompt)
        self._record(key, answer)
        return answer

    def _read(self, question):
        line = sys.stdin.readline()
        if not line:
            _say()
            raise Aborted('aborted: no answer to "%s" (end of input); nothing was changed'
                          % question)
        return line.strip()

    def ask(self, key, question, default, choices=("y", "n")):
        shown = "%s (%s) [%s] " % (question, "/".join(choices), default)
        for dummy in range(TRIES):
            sys.stdout.write(shown)
            sys.stdout.flush()
            if self.assume_yes:
                _say(default)
                self._record(key, default)
                return default
            answer = self._read(question).lower() or default
            answer = {"yes": "y", "no": "n"}.get(answer, answer)
            if answer in choices:
                self._record(key, answer)
                return answer
            _say("Please answer %s." % " or ".join(choices))
        raise Aborted('aborted: no valid answer to "%s"; nothing was changed' % question)

    def ask_text(self, key, question, default="", check=None):
        """A free-text answer; check(text) returns an error message or None."""
        for dummy in range(TRIES):
            sys.stdout.write(question + " ")
            sys.stdout.flush()
            if self.assume_yes:
                _say(default)
                answer = default
            else:
                answer = self._read(question) or default
            problem = check(answer) if check else None
            if problem is None:
                self._record(key, answer)
                return answer
            _say(problem)
            if self.assume_yes:
                break
        raise Aborted('aborted: no valid answer to "%s"; nothing was changed' % question)


def kit_lines(media_kits, installed, summaries):
    """The kit selection list: `  [u] NAME  summary (installed V)` per kit on the media."""
    width = max([len(k) for k in media_kits] or [0])
    lines = []
    for kit in media_kits:
        mark = "u" if kit in installed else " "
        note = " (installed %s)" % installed[kit] if kit in installed else ""
        lines.append("  [%s] %s  %s%s" % (mark, kit.ljust(width), summaries.get(kit, ""), note))
    return lines


def ask_kits(prompter, media_kits, installed, summaries):
    """Kit selection then confirmation; returns the kits to install or update."""
    for line in kit_lines(media_kits, installed, summaries):
        _say(line)
    marked = [k for k in media_kits if k in installed]

    def check(text):
        unknown = [name for name in text.split() if name not in media_kits]
        if unknown:
            return ("Unknown recovery kit(s): %s (this media has: %s)"
                    % (", ".join(unknown), ", ".join(media_kits)))
        return None
    answer = prompter.ask_text("kit_selection", PROMPTS["kit_selection"], "", check)
    chosen = [k for k in media_kits if k in answer.split()] if answer else marked
    _say(SCREENS["kit_summary"])       # the confirmation screen lists the selection
    for kit in chosen:
        _say("  %s" % kit)
    if not chosen:
        _say("  (none)")
    if prompter.ask("kit_confirm", PROMPTS["kit_confirm"], "y") != "y":
        return []
    return chosen


def ask_8x(prompter, facts, stop=None):
    """The 8.x dialogue. facts: running, java_current, installed (core version or None),
    target, kits_only, media_kits, installed_kits, kit_summaries. ``stop()`` stops LifeKeeper
    (called when LifeKeeper runs, after its screen: the one change made mid-dialogue).
    Returns {"kits": [...], "licenses": [...], "nfs_restart": bool, "java": bool,
    "stopped": bool}."""
    choices = {"kits": [], "licenses": [], "nfs_restart": False, "java": False, "stopped": False}
    if not facts["kits_only"]:
        prompter.enter("intro", SCREENS["intro"] % facts["target"])
        if facts["running"]:
            prompter.enter("stop_lifekeeper", "", prompt=SCREENS["stop_lifekeeper"])
            if stop is not None:
                stop()
            choices["stopped"] = True
            prompter.enter("stop_done", SCREENS["stop_done"])
        _say("Checking the distribution and kernel: supported.")
        prompter.enter("base_packages", SCREENS["base_packages"])
        if facts["java_current"]:
            prompter.enter("java_current", JAVA_CURRENT)
        else:
            choices["java"] = prompter.ask("java", PROMPTS["java"], "y") == "y"
        prompter.ask("datakeeper", PROMPTS["datakeeper"], "y")
        if prompter.ask("nfs_utils", PROMPTS["nfs_utils"], "y") == "y":
            choices["nfs_restart"] = prompter.ask("nfs_restart", PROMPTS["nfs_restart"], "y") == "y"
        prompter.enter("required_packages", SCREENS["required_packages"] % REQUIRED_PACKAGES)
        if facts["installed"]:
            prompter.enter("core_packages", SCREENS["core_update"] % (facts["installed"], facts["target"]))
        else:
            prompter.enter("core_packages", SCREENS["core_install"] % facts["target"])
        prompter.ask_text("gui_users", PROMPTS["gui_users"], "keep")
        if prompter.ask("license", PROMPTS["license"], "n") == "y":
            files = prompter.ask_text(
                "license_files", PROMPTS["license_files"], "",
                lambda text: None if text.split() else "At least one license key file is needed.")
            choices["licenses"] = files.split()
    choices["kits"] = ask_kits(prompter, facts["media_kits"], facts["installed_kits"],
                               facts["kit_summaries"])
    return choices
