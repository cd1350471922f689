# SPDX-License-Identifier: MIT
"""The clang engine (--engine=clang): each .c file compiled by the Clang
Static Analyzer with kref-check's plugin (tools/kref-check/analyzer/),
which follows every path of every function; its diagnostics become
findings, its path notes their steps.  A file the compiler rejects, or
that runs out of time, is named and not reported clean.
"""

import concurrent.futures
import functools
import glob
import os
import re
import shutil
import subprocess

from .names import IGNORE_RE
from .report import Finding, Step

PLUGIN = "kref-analyzer.so"
CHECKER = "libkref.Kref"
MAX_NODES = 50000
DIAG_RE = re.compile(r"^(.*?):(\d+):(\d+): (warning|note|error|fatal error): (.*)$")
# clang's own failures, with no place in the source: a plugin it cannot load.
BARE_ERROR_RE = re.compile(r"^(?:\S*clang\S*: )?(?:fatal )?error: (.*)$")


class EngineMissing(Exception):
    pass


def plugin_path():
    """$KREF_CHECK_PLUGIN, else build/kref-check/ of the source tree (make
    analyzer-plugin), else lib/kref-check/ (or lib/TRIPLET/kref-check/) of
    the prefix make install put this package in (share/kref-check/)."""
    env = os.environ.get("KREF_CHECK_PLUGIN")
    if env:
        if not os.path.isfile(env):
            raise EngineMissing("KREF_CHECK_PLUGIN=%s: no such file" % env)
        return env
    top = os.path.join(os.path.dirname(os.path.realpath(__file__)), "..", "..", "..")
    for p in [os.path.join(top, "build", "kref-check", PLUGIN),
              os.path.join(top, "lib", "kref-check", PLUGIN)] + \
            sorted(glob.glob(os.path.join(top, "lib", "*", "kref-check", PLUGIN))):
        if os.path.isfile(p):
            return os.path.normpath(p)
    raise EngineMissing("the analyzer plugin %s is not built (make analyzer-plugin, "
                        "with llvm-14-dev and libclang-14-dev; or set KREF_CHECK_PLUGIN)"
                        % PLUGIN)


def clang_path():
    """$KREF_CHECK_CLANG, else clang-14: the plugin is built for its API."""
    name = os.environ.get("KREF_CHECK_CLANG", "clang-14")
    path = shutil.which(name)
    if not path:
        raise EngineMissing("%s not found (Debian package clang-14; or set KREF_CHECK_CLANG)"
                            % name)
    return path


def command(clang, plugin, path, dirs, defines, extra):
    cmd = [clang, "--analyze", "-fparse-all-comments", "-Wno-everything",
           "-Xclang", "-load", "-Xclang", plugin,
           "-Xclang", "-analyzer-checker=" + CHECKER,
           "-Xclang", "-analyzer-output=text", "-o", os.devnull,
           # A quarter of the default budget of paths per function: the
           # same findings on the real-bug sets, a quarter of the time on
           # long functions (docs/kref-check.md).
           "-Xclang", "-analyzer-config", "-Xclang", "max-nodes=%d" % MAX_NODES]
    cmd += ["-I" + d for d in dirs]
    cmd += ["-U" + n if v is None else "-D%s=%s" % (n, v) for n, v in defines]
    return cmd + list(extra) + ["-x", "c", path]     # C whatever the file's name


def parse(out):
    """The plugin's warnings (each "rule N: ...") and the notes after each;
    the compiler's errors."""
    findings, errors = [], []
    current = None
    for line in out.splitlines():
        m = DIAG_RE.match(line)
        if not m:
            bare = BARE_ERROR_RE.match(line)
            if bare:
                errors.append(bare.group(1))
            continue
        path, ln, col, kind, msg = m.groups()
        if kind == "warning" and msg.endswith("[%s]" % CHECKER):
            msg = msg[:-len(CHECKER) - 2].rstrip()
            rule = re.match(r"rule ([123]): (.*)", msg)
            if not rule:
                current = None
                continue
            current = Finding(path, int(ln), int(col), int(rule.group(1)), rule.group(2), [])
            findings.append(current)
        elif kind == "warning":
            current = None      # another checker's, with its own notes
        elif kind == "note" and current is not None:
            if msg != "rule %d: %s" % (current.rule, current.msg):
                current.steps.append(Step(path, int(ln), int(col), msg))
        elif kind in ("error", "fatal error"):
            errors.append("%s:%s: %s" % (path, ln, msg))
    for f in findings:
        f.steps = tuple(f.steps)
    return findings, errors


def check_file(cmd, timeout):
    """(findings, why it failed or None)."""
    try:
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           timeout=timeout or None, check=False)
    except subprocess.TimeoutExpired:
        return [], "the analyzer took more than %d s" % timeout
    except OSError as e:
        return [], "cannot run %s: %s" % (cmd[0], e.strerror or e)
    findings, errors = parse(p.stdout.decode("utf-8", "replace"))
    if p.returncode < 0:
        return [], "clang was killed by signal %d" % -p.returncode
    if p.returncode != 0 or errors:
        if errors and re.match(r".*:\d+: ", errors[0]):
            return [], "does not compile: " + errors[0]
        return [], "clang failed: " + (errors[0] if errors else "exit status %d" % p.returncode)
    return [f for f in findings if f.line not in ignored(f.path)], None


@functools.lru_cache(maxsize=None)
def ignored(path):
    """The lines a "kref-check: ignore" comment covers: its own and the next."""
    lines = set()
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            for i, text in enumerate(fh, 1):
                if IGNORE_RE.search(text):
                    lines.update((i, i + 1))
    except OSError:
        pass
    return frozenset(lines)


def run_clang(files, flags, opts):
    """Every .c of files (flags(path): its -I directories, its -D and -U
    definitions, its other compiler arguments), at most opts.jobs at once:
    (findings, {path: why it was not checked}, the headers not compiled on
    their own)."""
    clang, plugin = clang_path(), plugin_path()
    sources = [f for f in files if not f.endswith(".h")]
    headers = [f for f in files if f.endswith(".h")]
    failed, findings = {}, []
    with concurrent.futures.ThreadPoolExecutor(max_workers=opts.jobs) as pool:
        jobs = {f: pool.submit(check_file, command(clang, plugin, f, *flags(f)), opts.timeout)
                for f in sources}
        for f in sources:
            found, why = jobs[f].result()
            findings += found
            if why:
                failed[f] = why
    # Once each, though a header's findings come from every file including it.
    unique = {(f.path, f.line, f.col, f.rule, f.msg): f for f in findings}
    findings = sorted(unique.values(), key=lambda f: (f.path, f.line, f.col, f.rule))
    return findings, failed, headers
