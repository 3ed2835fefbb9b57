"""The 8.x setup questions, in the order of the vendor's 8.4.1 update guide.

Texts and defaults are the project's contract (ASSUMED texts, the guide's order and
defaults); the collection matches on their key phrases. An empty line takes the default
shown in brackets, `yes`/`no` are accepted, three invalid answers or the end of input abort
before anything changed. `setup -y` answers every question with its default (so the NFS
utilities get enabled and the NFS daemons restarted, as the guide's defaults do).

ask_8x() returns the choices; nothing is changed here.
"""
import sys

PROMPTS = {
    "stop_lifekeeper": "LifeKeeper is running and must be stopped to continue. Stop LifeKeeper now?",
    "java": "Install the Java Runtime for the GUI client?",
    "datakeeper": "Update the DataKeeper kernel module? Answer n if DataKeeper is not used.",
    "nfs_utils": "Enable the NFS utilities (nfs-utils) for protected NFS exports? "
                 "Answer n if NFS is not used.",
    "nfs_restart": "Restart the NFS daemons now?",
    "required_packages": "Update the required packages?",
    "core_update": "Update the LifeKeeper core packages (%s -> %s)?",
    "core_install": "Install the LifeKeeper core packages (%s)?",
    "gui_users": "GUI group and login users (space separated) [keep]:",
    "license": "Install license keys now?",
    "license_files": "License key file(s), space separated:",
    "kit_selection": "Recovery kits to select (space separated names, Enter keeps the marks):",
    "kit_confirm": "Install/update the selected recovery kits?",
}
JAVA_CURRENT = "Java is already properly installed on this system."
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
                self.answers[key] = default
                return default
            answer = self._read(question).lower() or default
            answer = {"yes": "y", "no": "n"}.get(answer, answer)
            if answer in choices:
                self.answers[key] = answer
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
                self.answers[key] = answer
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
    if prompter.ask("kit_confirm", PROMPTS["kit_confirm"], "y") != "y":
        return []
    return chosen


def ask_8x(prompter, facts):
    """All 8.x questions before any change. facts: running, java_current, installed (core
    version or None), target, kits_only, media_kits, installed_kits, kit_summaries.
    Returns {"kits": [...], "licenses": [...], "nfs_restart": bool, "java": bool}."""
    choices = {"kits": [], "licenses": [], "nfs_restart": False, "java": False}
    if not facts["kits_only"]:
        if facts["running"] and prompter.ask("stop_lifekeeper", PROMPTS["stop_lifekeeper"],
                                             "y") != "y":
            raise Aborted("aborted: LifeKeeper must be stopped; nothing was changed")
        if facts["java_current"]:
            _say(JAVA_CURRENT)
        else:
            choices["java"] = prompter.ask("java", PROMPTS["java"], "y") == "y"
        prompter.ask("datakeeper", PROMPTS["datakeeper"], "y")
        if prompter.ask("nfs_utils", PROMPTS["nfs_utils"], "y") == "y":
            choices["nfs_restart"] = prompter.ask("nfs_restart", PROMPTS["nfs_restart"], "y") == "y"
        prompter.ask("required_packages", PROMPTS["required_packages"], "y")
        if facts["installed"]:
            question = PROMPTS["core_update"] % (facts["installed"], facts["target"])
        else:
            question = PROMPTS["core_install"] % facts["target"]
        if prompter.ask("core_packages", question, "y") != "y":
            raise Aborted("aborted: core packages not installed; nothing was changed")
        prompter.ask_text("gui_users", PROMPTS["gui_users"], "keep")
        if prompter.ask("license", PROMPTS["license"], "n") == "y":
            files = prompter.ask_text(
                "license_files", PROMPTS["license_files"], "",
                lambda text: None if text.split() else "At least one license key file is needed.")
            choices["licenses"] = files.split()
    choices["kits"] = ask_kits(prompter, facts["media_kits"], facts["installed_kits"],
                               facts["kit_summaries"])
    return choices
