#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""score.py - run kref-check on each corpus file as a program of its own
and score it.

A line marked "expect: rule N" holds a violation of rule N.  A finding is a
true positive when it is on a marked line with the same rule, a false
positive otherwise; a marked line with no such finding is a false negative.

All files are checked in one run with --each (each file its own program);
every STRIDE-th file (KREF_CHECK_STRIDE, default 8; 1 for all) is also
checked alone, which must give the same findings and exit 1 exactly when
it has some.

Usage: score.py KREF_CHECK FILE...   (prints TAP diagnostics; the last line
is a JSON summary; exit 0)
"""

import concurrent.futures
import json
import os
import re
import subprocess
import sys

EXPECT = re.compile(r"expect:\s*rule\s*([123])")
FINDING = re.compile(r"^(.*?):(\d+):(\d+): rule ([123]): ")


def findings_of(text):
    out = {}
    for line in text.splitlines():
        m = FINDING.match(line)
        if m:
            out.setdefault(m.group(1), set()).add((int(m.group(2)), int(m.group(4)), line))
    return out


def alone(tool, path):
    res = subprocess.run([tool, path], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, universal_newlines=True)
    return path, res.returncode, findings_of(res.stdout).get(path, set()), res.stderr


def main():
    tool, files = sys.argv[1], sys.argv[2:]
    jobs = int(os.environ.get("KREF_CHECK_JOBS", "2"))
    stride = max(1, int(os.environ.get("KREF_CHECK_STRIDE", "8")))
    res = subprocess.run([tool, "--each", "-j", str(jobs)] + files, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, universal_newlines=True)
    problems = []
    if res.returncode not in (0, 1):
        problems.append("kref-check --each: exit %d: %s" % (res.returncode, res.stderr.strip()[:300]))
    found = findings_of(res.stdout)
    tp = {1: 0, 2: 0, 3: 0}
    fp = {1: 0, 2: 0, 3: 0}
    fn = {1: 0, 2: 0, 3: 0}
    for path in sorted(files):
        expected = set()
        with open(path, encoding="utf-8") as fh:
            for n, line in enumerate(fh, 1):
                for m in EXPECT.finditer(line):
                    expected.add((n, int(m.group(1))))
        hit = set()
        for line, rule, text in sorted(found.get(path, set())):
            if (line, rule) in expected:
                tp[rule] += 1
                hit.add((line, rule))
            else:
                fp[rule] += 1
                print("# false positive: %s" % text)
        for line, rule in sorted(expected - hit):
            fn[rule] += 1
            print("# false negative: %s:%d: rule %d" % (path, line, rule))
    sample = sorted(files)[::stride]
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as ex:
        for path, rc, mine, err in ex.map(lambda f: alone(tool, f), sample):
            if mine != found.get(path, set()):
                problems.append("%s: alone, findings differ from --each" % path)
            if rc != (1 if mine else 0):
                problems.append("%s: alone, exit %d (%s)" % (path, rc, err.strip()[:200]))
    for p in problems:
        print("# " + p)
    summary = {"tp": tp, "fp": fp, "fn": fn, "problems": problems,
               "files": len(files), "alone": len(sample)}
    for r in (1, 2, 3):
        p = tp[r] / (tp[r] + fp[r]) if tp[r] + fp[r] else 1.0
        rc = tp[r] / (tp[r] + fn[r]) if tp[r] + fn[r] else 1.0
        print("# rule %d: precision %.2f (%d/%d), recall %.2f (%d/%d)"
              % (r, p, tp[r], tp[r] + fp[r], rc, tp[r], tp[r] + fn[r]))
    T, F, N = sum(tp.values()), sum(fp.values()), sum(fn.values())
    p = T / (T + F) if T + F else 1.0
    rc = T / (T + N) if T + N else 1.0
    print("# overall: precision %.2f (%d/%d), recall %.2f (%d/%d), %d files (%d also alone)"
          % (p, T, T + F, rc, T, T + N, len(files), len(sample)))
    summary["precision"], summary["recall"] = p, rc
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
