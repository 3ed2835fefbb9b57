"""The AWX survey of docs/awx/ agrees with the roles' meta/argument_specs.yml.

Every survey variable is an option of at least one role, and of a compatible type in every
role that has it: integer -> int, float -> float, text/textarea -> str or path,
multiplechoice -> str whose choices include the survey's (or bool when the choices are
"true"/"false", the way a survey asks a yes/no question), multiselect -> list, password ->
no_log. A variable a role requires is required in the survey; a survey default is a valid
value and the role's own default. The survey itself follows AWX's rules (question types,
unique variables, no awx_/tower_ names, defaults within min/max and among the choices).
"""
import glob
import json
import os

import pytest

from conftest import REPO, load_yaml

SURVEYS = sorted(glob.glob(os.path.join(REPO, "docs", "awx", "*survey*.json")))
AWX_TYPES = {"text", "textarea", "password", "integer", "float", "multiplechoice", "multiselect"}
COMPATIBLE = {"text": ("str", "path", "raw"), "textarea": ("str", "raw"), "password": ("str", "raw"),
              "integer": ("int",), "float": ("float",), "multiplechoice": ("str", "bool"), "multiselect": ("list",)}


def role_options():
    """{variable: [(role, entry point, option spec)]} over every role's argument specs."""
    found = {}
    for path in sorted(glob.glob(os.path.join(REPO, "roles", "*", "meta", "argument_specs.yml"))):
        role = path.split(os.sep)[-3]
        for entry, spec in load_yaml(path)["argument_specs"].items():
            for name, option in (spec.get("options") or {}).items():
                found.setdefault(name, []).append((role, entry, option))
    return found


def questions():
    params = []
    for path in SURVEYS:
        with open(path) as handle:
            for question in json.load(handle)["spec"]:
                params.append(pytest.param(question, id="%s:%s" % (os.path.basename(path), question["variable"])))
    return params


def test_there_is_a_survey_for_the_rolling_update():
    assert os.path.join(REPO, "docs", "awx", "rolling_update_survey.json") in SURVEYS


@pytest.mark.parametrize("path", SURVEYS, ids=os.path.basename)
def test_survey_is_what_awx_accepts(path):
    with open(path) as handle:
        survey = json.load(handle)
    assert set(survey) == {"name", "description", "spec"}, sorted(survey)
    variables = [q["variable"] for q in survey["spec"]]
    assert len(variables) == len(set(variables)), "duplicate variables: %s" % variables
    for q in survey["spec"]:
        for key in ("question_name", "question_description", "required", "type", "variable", "min", "max", "default",
                    "choices"):
            assert key in q, "%s lacks %s" % (q.get("variable"), key)
        assert q["type"] in AWX_TYPES, q
        assert not q["variable"].startswith(("awx_", "tower_")), q["variable"]
        default = q["default"]
        if q["type"] in ("text", "textarea", "password"):
            assert isinstance(default, str) and q["min"] <= q["max"], q
            assert default == "" or q["min"] <= len(default) <= q["max"], q
            assert q["required"] or q["min"] == 0, "%s: an optional text question needs min 0 (AWX sends \"\")" % q
        elif q["type"] == "integer":
            assert isinstance(default, int) and isinstance(q["min"], int) and q["min"] <= default <= q["max"], q
        elif q["type"] in ("multiplechoice", "multiselect"):
            assert isinstance(q["choices"], list) and q["choices"], q
            chosen = default.split("\n") if q["type"] == "multiselect" else [default]
            assert all(value in q["choices"] for value in chosen if value), q


def bool_text(value):
    return "true" if value else "false"


@pytest.mark.parametrize("question", questions())
def test_survey_variable_matches_the_argument_specs(question):
    variable, kind = question["variable"], question["type"]
    specs = role_options().get(variable)
    assert specs, "survey variable %s is not an option of any role's meta/argument_specs.yml" % variable
    for role, entry, option in specs:
        where = "%s (%s:%s, type %s)" % (variable, role, entry, option.get("type", "str"))
        spec_type = option.get("type", "str")
        assert spec_type in COMPATIBLE[kind], "survey type %s does not fit %s" % (kind, where)
        if kind == "password":
            assert option.get("no_log"), "%s: a password question needs no_log in the spec" % where
        if option.get("required"):
            assert question["required"], "%s is required by the role: the survey must require it" % where
        if kind == "multiplechoice" and spec_type == "bool":
            assert sorted(question["choices"]) == ["false", "true"], where
        elif kind in ("multiplechoice", "multiselect") and option.get("choices"):
            extra = set(question["choices"]) - set(str(c) for c in option["choices"])
            assert not extra, "%s: survey choices %s are not allowed by the role" % (where, sorted(extra))
        elif kind == "multiplechoice":
            pytest.fail("%s: a multiple choice question needs choices (or a bool) in the spec" % where)
        if "default" in option and question["default"] not in ("", None):
            expected = bool_text(option["default"]) if spec_type == "bool" else option["default"]
            assert question["default"] == expected, "%s: survey default %r, role default %r" % (
                where, question["default"], option["default"])
