# SPDX-License-Identifier: MIT
"""Running spatch over the files: each file analysed on its own, a run
that fails as a whole run again a file at a time, the match records
(Record) and what was not analysed (Outcome).
"""

import concurrent.futures
import dataclasses
import os
import re
import subprocess
import sys
import tempfile
import typing

from .source import match_close
from .patterns import expand


PASSES = ["events.cocci", "locks.cocci", "rule1.cocci", "rule2.cocci", "rule3.cocci"]


class ParseError(Exception):
    pass


def data_dir():
    """Where the patterns are: $KREF_CHECK_DATADIR; in the source tree,
    cocci/ beside this package; installed, the directory that holds it
    (share/kref-check)."""
    env = os.environ.get("KREF_CHECK_DATADIR")
    if env:
        return env
    top = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))
    for d in (os.path.join(top, "cocci"), top):
        if os.path.exists(os.path.join(d, "prelude.cocci")):
            return os.path.normpath(d)
    return top


# The isomorphisms the patterns rely on (parentheses, optional braces, a
# return with or without a value, casts, likely/unlikely); the others only
# cost time (half of spatch's start-up) and some would turn an if's
# branches around.
KEEP_ISOS = {"paren", "braces0", "braces1", "braces2", "braces3", "braces4",
             "ret", "unlikely", "drop_cast", "decl_init", "extern_decl_init",
             "static_decl_init"}


def spatch_help(spatch):
    try:
        return subprocess.run([spatch, "--longhelp"], stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, universal_newlines=True).stdout
    except OSError:
        return ""


def python_option(helptext):
    """spatch's scripts run in this interpreter, the python3 that PATH
    names too: spatch looks for it itself at every start, and through a
    version manager's shim (pyenv) that took 1.2 s of CPU a run, most of
    a small file's cost."""
    if sys.executable and sys.version_info[0] == 3 and \
            re.search(r"(?m)^\s*--python\s", helptext):
        return ["--python", sys.executable]
    return []


def disabled_isos(helptext):
    try:
        m = re.search(r"--iso-file\s+<file> \(default=([^)]+)\)", helptext)
        with open(m.group(1), encoding="utf-8") as fh:
            names = re.findall(r"(?m)^@\s*([A-Za-z_]\w*)\s*@", fh.read())
    except (OSError, AttributeError):
        return []
    out = []
    for n in names:
        if n not in KEEP_ISOS:
            out += ["--disable-iso", n]
    return out


# Files one spatch run reads at most: a run that fails (a crash, its exit
# status, a file it did not report) is run again one file at a time, so
# that one file's failure costs no other file its findings.
BATCH = 32


class Record(typing.NamedTuple):
    """One match a pattern reported: its tag (the pattern's name, then what
    it adds), the file, the function, and the positions it names, each
    (line, column, line_end, column_end), columns from 0."""
    tag: str
    path: str
    function: str
    pos: list


class ParseFailure(typing.NamedTuple):
    """Code spatch could not parse: the file, and the line it names."""
    path: str
    line: int


@dataclasses.dataclass
class Outcome:
    """What spatch reported over some files: the match records, the
    functions it could not parse (FILE, LINE), and the files it did not
    analyse to the end, with why."""
    records: list = dataclasses.field(default_factory=list)
    errors: list = dataclasses.field(default_factory=list)
    failed: dict = dataclasses.field(default_factory=dict)

    def merge(self, other):
        self.records += other.records
        self.errors += [e for e in other.errors if e not in self.errors]
        self.failed.update(other.failed)


def brief(message, most=300):
    """spatch's message, cut to one readable line: on a program of many
    functions it can list every identifier, megabytes long."""
    if len(message) <= most:
        return message
    return "%s ... (%d characters more)" % (message[:most], len(message) - most)


def run_batch(cmd, batch, copies, limit, tmp):
    """One spatch run over the copies in batch, each file a group of its
    own (--file-groups), so spatch's --timeout is per file.  Returns the
    Outcome and whether the run as a whole went through (else its files
    must be run again alone)."""
    fd, groups = tempfile.mkstemp(dir=tmp, prefix="groups.")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write("\n\n".join(batch) + "\n")
    out = Outcome()
    try:
        res = subprocess.run(cmd + ["--file-groups", groups], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                             universal_newlines=True, errors="replace", timeout=limit)
    except subprocess.TimeoutExpired:
        for c in batch:
            out.failed[copies[c]] = "spatch did not finish in %d s" % limit
        return out, False
    handled = set()
    for line in res.stderr.splitlines():
        if line.startswith("HANDLING: "):
            handled.add(line[len("HANDLING: "):].strip())
        elif line.startswith("EXN: "):
            for c in batch:
                if line.endswith(" in " + c):
                    exn = line[len("EXN: "):-len(" in " + c)]
                    out.failed[copies[c]] = (
                        "spatch timed out on it (--timeout %s s)" % cmd[cmd.index("--timeout") + 1]
                        if exn.endswith("Timeout") else "spatch failed on it: %s" % brief(exn))
    if res.returncode != 0:
        tail = brief(" ".join(res.stderr.strip().splitlines()[-2:]))
        why = ("spatch crashed (signal %d)" % -res.returncode if res.returncode < 0 else
               "spatch failed (exit %d)%s" % (res.returncode, ": " + tail if tail else ""))
        for c in batch:
            out.failed.setdefault(copies[c], why)
    if res.returncode == 0 and not handled:
        handled = set(batch)    # a spatch that does not say what it handles
    for c in batch:
        if c not in handled and copies[c] not in out.failed:
            out.failed[copies[c]] = "spatch did not analyse it"
    for line in res.stdout.splitlines():
        if line.startswith("KC\t"):
            f = line.split("\t")
            path = copies.get(f[2], f[2])
            if path in out.failed:
                continue        # not analysed to the end: its matches are partial
            pos = [tuple(int(x) for x in p.split(":")) for p in f[4:]]
            out.records.append(Record(f[1], path, f[3], pos))
    for f, n in parse_errors(res.stdout + "\n" + res.stderr):
        path = copies.get(f, f)
        if (path, n) not in out.errors:
            out.errors.append(ParseFailure(path, n))
    whole = res.returncode == 0 and all(c in handled for c in batch)
    return out, whole


def run_spatch(units, sources, opts):
    """Runs the generated patterns over the files: units is a list of
    (programs, paths), each unit with the patterns of its own programs'
    names; sources maps each path to its Source.  Returns an Outcome."""
    ddir = data_dir()
    parts = []
    for name in ["prelude.cocci"] + PASSES:
        with open(os.path.join(ddir, name), encoding="utf-8") as fh:
            parts.append(fh.read())
    template = "\n".join(parts)
    spatch = opts.spatch or os.environ.get("SPATCH", "spatch")
    helptext = spatch_help(spatch)
    isos = disabled_isos(helptext) + python_option(helptext)
    outcome = Outcome()
    with tempfile.TemporaryDirectory(prefix="kref-check.") as tmp:
        # spatch reads copies (what its parser does not know blanked out,
        # lines and columns the same), each in a directory of its own.
        copies, work, scripts = {}, [], {}
        for progs, paths in units:
            script = expand(template, progs)
            if script not in scripts:
                sp = os.path.join(tmp, "kref-check.%d.cocci" % len(scripts))
                with open(sp, "w", encoding="utf-8") as fh:
                    fh.write(script)
                scripts[script] = sp
                if opts.keep_cocci and len(scripts) == 1:
                    with open(opts.keep_cocci, "w", encoding="utf-8") as fh:
                        fh.write(script)
            mine = []
            for path in paths:
                d = os.path.join(tmp, str(len(copies)))
                os.mkdir(d)
                copy = os.path.join(d, os.path.basename(path))
                with open(copy, "w", encoding="utf-8") as fh:
                    fh.write(sanitize(sources[path].text))
                copies[copy] = path
                mine.append(copy)
            # At least as many runs as jobs, at most BATCH files each.
            n = max(1, min(BATCH, -(-len(mine) // max(1, opts.jobs))))
            for i in range(0, len(mine), n):
                work.append((scripts[script], mine[i:i + n]))

        def cmd_for(sp):
            # --quiet with --verbose-parsing: the match reports on stdout,
            # and on stderr the files it handles, the parse errors with
            # their file and line, and what stopped a file (EXN: ... in FILE).
            return [spatch, "--sp-file", sp, "--quiet", "--no-show-diff",
                    "--parse-error-msg", "--verbose-parsing",
                    "--timeout", str(opts.timeout),
                    "--macro-file", os.path.join(ddir, "macros.h")] + isos + \
                ["--no-includes"]

        def limit(batch):
            # spatch's own --timeout stops a slow file; this stops a spatch
            # that stopped answering.
            return (opts.timeout + 60) * len(batch) if opts.timeout > 0 else None

        def one(item):
            sp, batch = item
            try:
                return item, run_batch(cmd_for(sp), batch, copies, limit(batch), tmp)
            except OSError as e:
                raise ParseError("cannot run %s: %s (install coccinelle)" % (spatch, e))

        with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, opts.jobs)) as ex:
            again = []
            for (sp, batch), (out, whole) in ex.map(one, work):
                if whole or len(batch) == 1:
                    outcome.merge(out)
                else:
                    again += [(sp, [c]) for c in batch]
            for _item, (out, _whole) in ex.map(one, again):
                outcome.merge(out)
    errs = []
    for path, n in outcome.errors:
        if path in outcome.failed:
            continue
        if path in sources and n in sources[path].cpp_lines:
            continue        # spatch not understanding a macro's body
        errs.append(ParseFailure(path, n))
    outcome.errors = errs
    return outcome


def sanitize(text):
    """The text with every __attribute__((...)), __free(...) and
    _Thread_local replaced by spaces, and _Atomic(T) by T: spatch's parser
    does not know them, and lines and columns must stay the same."""
    out = list(text)
    for m in re.finditer(r"\b(__attribute__|__free)\s*\(", text):
        end = match_close(text, m.end() - 1)
        for k in range(m.start(), end):
            if out[k] != "\n":
                out[k] = " "
    for m in re.finditer(r"\b(_Thread_local|__thread)\b", text):
        for k in range(m.start(), m.end()):
            out[k] = " "
    for m in re.finditer(r"\b_Atomic\s*\(", text):
        end = match_close(text, m.end() - 1)
        for k in range(m.start(), m.end()):
            out[k] = " "
        out[end - 1] = " "
    return "".join(out)


def parse_errors(out):
    """FILE:LINE of every function spatch could not parse; failures inside
    #define lines are only spatch not understanding a macro body."""
    errors = []
    for m in re.finditer(r'\n\s*=\s*File "(.*)", line (\d+).*\n.*\n\s*whole content = (.*)', out):
        if not m.group(3).lstrip().startswith("#"):
            e = (m.group(1), int(m.group(2)))
            if e not in errors:
                errors.append(e)
    return errors
