# SPDX-License-Identifier: MIT
"""Reporting: the findings as text (FILE:LINE:COL: rule N: message) or
as a SARIF 2.1.0 log.
"""

import dataclasses
import json
import os

from .names import RULES, VERSION


@dataclasses.dataclass
class Finding:
    """One finding: where, which rule, and the message with its fix."""
    path: str
    line: int
    col: int
    rule: int
    msg: str


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
        results.append({
            "ruleId": "rule%d" % f.rule,
            "ruleIndex": f.rule - 1,
            "level": "error",
            "message": {"text": "rule %d: %s" % (f.rule, f.msg)},
            "locations": [{"physicalLocation": {
                "artifactLocation": {"uri": f.path.replace(os.sep, "/")},
                "region": {"startLine": f.line, "startColumn": f.col}}}],
        })
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


def text(findings):
    """One finding a line, as a compiler does: FILE:LINE:COL: rule N: message."""
    return "".join("%s:%d:%d: rule %d: %s\n" % (f.path, f.line, f.col, f.rule, f.msg)
                   for f in findings)
