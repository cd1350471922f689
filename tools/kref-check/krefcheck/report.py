# SPDX-License-Identifier: MIT
"""Reporting: the findings as text (FILE:LINE:COL: rule N: message) or
as a SARIF 2.1.0 log.
"""

import dataclasses
import json
import os

from .names import RULES, VERSION


@dataclasses.dataclass
class Step:
    """A place on the finding's path: the get, handoff, lookup or put it
    pairs with, printed as a compiler note."""
    path: str
    line: int
    col: int
    msg: str


@dataclasses.dataclass
class Finding:
    """One finding: where, which rule, the message with its fix, and the
    steps it pairs with (sorted by file and position; a SARIF flow ends
    at the finding)."""
    path: str
    line: int
    col: int
    rule: int
    msg: str
    steps: tuple = ()


# ---------------------------------------------------------------------------
# Output.


def sarif(findings, errors, failed, problems=()):
    rules = [{"id": "rule%d" % n, "name": RULES[n][0],
              "shortDescription": {"text": "Rule %d: %s" % (n, RULES[n][0].replace("-", " "))},
              "fullDescription": {"text": RULES[n][1]},
              "defaultConfiguration": {"level": "error"},
              "helpUri": "https://github.com/libkref/libkref#the-three-rules"}
             for n in (1, 2, 3)]
    results = []
    for f in findings:
        here = _location(f.path, f.line, f.col)
        result = {
            "ruleId": "rule%d" % f.rule,
            "ruleIndex": f.rule - 1,
            "level": "error",
            "message": {"text": "rule %d: %s" % (f.rule, f.msg)},
            "locations": [here],
        }
        if f.steps:
            result["relatedLocations"] = [
                dict(_location(s.path, s.line, s.col), id=i, message={"text": s.msg})
                for i, s in enumerate(f.steps)]
            flow = [{"location": dict(_location(s.path, s.line, s.col),
                                      message={"text": s.msg})} for s in f.steps]
            flow.append({"location": dict(here, message={"text": "rule %d" % f.rule})})
            result["codeFlows"] = [{"threadFlows": [{"locations": flow}]}]
        results.append(result)
    notes = [{"level": "error", "message": {"text": "%s:%d: cannot parse this code" % e},
              "descriptor": {"id": "parse-error"}} for e in errors]
    notes += [{"level": "error", "message": {"text": "%s: not checked to the end: %s"
                                             % (path, why)},
               "descriptor": {"id": "not-checked"}} for path, why in sorted(failed.items())]
    notes += [{"level": "error", "message": {"text": "%s: %s; not checked" % (path, why)},
               "descriptor": {"id": "not-read"}} for path, why in problems]
    run = {"tool": {"driver": {"name": "kref-check", "version": VERSION,
                               "informationUri": "https://github.com/libkref/libkref",
                               "rules": rules}},
           "results": results}
    if notes:
        run["invocations"] = [{"executionSuccessful": False,
                               "toolExecutionNotifications": notes}]
    else:
        run["invocations"] = [{"executionSuccessful": True}]
    return json.dumps({"version": "2.1.0",
                       "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
                       "runs": [run]}, indent=2)


def _location(path, line, col):
    return {"physicalLocation": {"artifactLocation": {"uri": path.replace(os.sep, "/")},
                                 "region": {"startLine": line, "startColumn": col}}}


def text(findings):
    """One finding a line, as a compiler does: FILE:LINE:COL: rule N: message,
    then its steps as FILE:LINE:COL: note: lines."""
    out = []
    for f in findings:
        out.append("%s:%d:%d: rule %d: %s\n" % (f.path, f.line, f.col, f.rule, f.msg))
        out += ["%s:%d:%d: note: %s\n" % (s.path, s.line, s.col, s.msg) for s in f.steps]
    return "".join(out)
