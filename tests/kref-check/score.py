#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""score.py - run kref-check on each corpus file alone and score it.

A line marked /* expect: rule N */ holds a violation of rule N.  A finding
is a true positive when it is on a marked line with the same rule, a false
positive otherwise; a marked line with no such finding is a false negative.

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


def check(tool, path):
    res = subprocess.run([tool, path], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, universal_newlines=True)
    found = set()
    for line in res.stdout.splitlines():
        m = FINDING.match(line)
        if m:
            found.add((int(m.group(2)), int(m.group(4)), line))
    expected = set()
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            for m in EXPECT.finditer(line):
                expected.add((n, int(m.group(1))))
    return path, res.returncode, found, expected, res.stderr


def main():
    tool, files = sys.argv[1], sys.argv[2:]
    jobs = int(os.environ.get("KREF_CHECK_JOBS", "2"))
    tp = {1: 0, 2: 0, 3: 0}
    fp = {1: 0, 2: 0, 3: 0}
    fn = {1: 0, 2: 0, 3: 0}
    bad_exit = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as ex:
        results = list(ex.map(lambda f: check(tool, f), files))
    for path, rc, found, expected, err in sorted(results):
        want_rc = 1 if found else 0
        if rc != want_rc:
            bad_exit.append("%s: exit %d (%s)" % (path, rc, err.strip()[:200]))
        hit = set()
        for line, rule, text in sorted(found):
            if (line, rule) in expected:
                tp[rule] += 1
                hit.add((line, rule))
            else:
                fp[rule] += 1
                print("# false positive: %s" % text)
        for line, rule in sorted(expected - hit):
            fn[rule] += 1
            print("# false negative: %s:%d: rule %d" % (path, line, rule))
    summary = {"tp": tp, "fp": fp, "fn": fn, "bad_exit": bad_exit, "files": len(files)}
    for r in (1, 2, 3):
        p = tp[r] / (tp[r] + fp[r]) if tp[r] + fp[r] else 1.0
        rc = tp[r] / (tp[r] + fn[r]) if tp[r] + fn[r] else 1.0
        print("# rule %d: precision %.2f (%d/%d), recall %.2f (%d/%d)"
              % (r, p, tp[r], tp[r] + fp[r], rc, tp[r], tp[r] + fn[r]))
    T, F, N = sum(tp.values()), sum(fp.values()), sum(fn.values())
    p = T / (T + F) if T + F else 1.0
    rc = T / (T + N) if T + N else 1.0
    print("# overall: precision %.2f (%d/%d), recall %.2f (%d/%d)" % (p, T, T + F, rc, T, T + N))
    summary["precision"], summary["recall"] = p, rc
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
