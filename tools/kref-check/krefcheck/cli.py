# SPDX-License-Identifier: MIT
"""The command line: what the paths name (Inputs), compile_commands.json,
the options, and the run from the files to the exit status.
"""

import argparse
import contextlib
import json
import os
import re
import shlex
import signal
import stat
import sys
import typing

from .names import VERSION
from .source import TU, blank_lines, clean_source
from .facts import Program
from .patterns import share_patterns
from .spatch import ParseError, run_spatch
from .checker import Checker
from .report import sarif, text as report_text
from .clang import EngineMissing, run_clang


class CommandLineError(Exception):
    pass


class Overtime(BaseException):
    pass


@contextlib.contextmanager
def time_limit(seconds):
    """Raise Overtime in the block after seconds (none when 0): kref-check's
    own work on a file is bounded as spatch's is."""
    if seconds <= 0 or not hasattr(signal, "setitimer"):
        yield
        return

    def overtime(signum, frame):
        raise Overtime()
    old = signal.signal(signal.SIGALRM, overtime)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def define(arg):
    """-D NAME[=VALUE] as (NAME, VALUE); the compiler's default value is 1."""
    name, eq, value = arg.partition("=")
    return name.strip(), (value if eq else "1")


def compile_database(build_dir):
    """compile_commands.json (in build_dir, or build_dir itself): each
    file's real path -> (its -I directories, its -D and -U definitions,
    the other arguments that change how the compiler reads it); and the
    files, as it names them."""
    path = build_dir if build_dir.endswith(".json") else \
        os.path.join(build_dir, "compile_commands.json")
    try:
        with open(path, encoding="utf-8") as fh:
            entries = json.load(fh)
    except OSError as e:
        raise CommandLineError("%s: %s" % (path, e.strerror or e))
    except ValueError as e:
        raise CommandLineError("%s: not JSON: %s" % (path, e))
    if not isinstance(entries, list):
        raise CommandLineError("%s: not a list of compile commands" % path)
    out, files = {}, []
    top = os.path.dirname(os.path.abspath(path))
    for e in entries:
        if not isinstance(e, dict) or "file" not in e:
            continue
        d = os.path.join(top, e.get("directory", "."))    # absolute, as a rule
        args = e.get("arguments") or shlex.split(e.get("command", ""))
        f = os.path.normpath(os.path.join(d, e["file"]))
        if os.path.realpath(f) not in out:
            files.append(f)
        out[os.path.realpath(f)] = compiler_args(args[1:], d)
    return out, files


# What the clang engine passes on from a compile command, besides -I,
# -iquote, -D and -U: what decides which code is read, its predefined
# macros and the sizes of its types, not how it is compiled (a gcc-only
# flag would stop clang).
FILE_ARGS = ("-include", "-imacros")
DIR_ARGS = ("-isystem", "-idirafter")
READ_FLAGS = ("-ansi", "-nostdinc", "-m32", "-m64", "-mx32", "-pthread", "-ffreestanding",
              "-fms-extensions", "-fshort-enums", "-fno-short-enums", "-fshort-wchar",
              "-funsigned-char", "-fno-unsigned-char", "-fsigned-char", "-fno-signed-char")
READ_PREFIXES = ("--target=", "--sysroot=", "-O")
# The C standards clang 14 knows, and gcc's newer names for them; a C++
# standard is dropped (the file is read as C).
C_STDS = {s: s for s in ("c89", "c90", "c99", "c9x", "c11", "c1x", "c17", "c18", "c2x",
                         "gnu89", "gnu90", "gnu99", "gnu9x", "gnu11", "gnu1x", "gnu17",
                         "gnu18", "gnu2x", "iso9899:1990", "iso9899:199409",
                         "iso9899:1999", "iso9899:2011", "iso9899:2017", "iso9899:2018")}
C_STDS.update({"c23": "c2x", "gnu23": "gnu2x", "iso9899:2024": "c2x"})


def compiler_args(args, d):
    """A compile command's arguments (run in directory d): its -I and
    -iquote directories, its -D and -U definitions, and the arguments the
    clang engine passes on, with their paths made absolute."""
    dirs, defines, extra, system = [], [], [], []
    i = 0
    while i < len(args):
        a = args[i]
        flag = value = None
        for f in ("-I", "-iquote", "-D", "-U", "-target") + FILE_ARGS + DIR_ARGS:
            if a == f and i + 1 < len(args):
                flag, value = f, args[i + 1]
                i += 1
            elif a.startswith(f) and a != f and f != "-target":
                flag, value = f, a[len(f):]             # -isystemDIR
            elif a.startswith("-" + f + "=") and f in FILE_ARGS:
                flag, value = f, a[len(f) + 2:]         # --include=FILE
            else:
                continue
            break
        if flag in ("-I", "-iquote"):
            dirs.append(os.path.normpath(os.path.join(d, value)))
        elif flag == "-D":
            defines.append(define(value))
        elif flag == "-U":
            defines.append((value, None))
        elif flag in DIR_ARGS:      # -isystem=DIR: under the sysroot, / here
            system.append(os.path.normpath(os.path.join(d, value.lstrip("="))))
            extra += [flag, system[-1]]
        elif flag:
            extra += [flag, value]      # -target TRIPLE, or a file found below
        elif a.startswith("-std="):
            if a[5:] in C_STDS:
                extra.append("-std=" + C_STDS[a[5:]])
        elif a in READ_FLAGS or a.startswith(READ_PREFIXES):
            extra.append(a)
        i += 1
    # -include FILE is looked for in the command's directory, then as
    # #include "FILE" would be.
    for k in range(0, len(extra) - 1):
        if extra[k] in FILE_ARGS and not os.path.isabs(extra[k + 1]):
            for where in [d] + dirs + system:
                if os.path.isfile(os.path.join(where, extra[k + 1])):
                    extra[k + 1] = os.path.normpath(os.path.join(where, extra[k + 1]))
                    break
    return dirs, defines, extra


C_EXTS = (".c", ".h")
CXX_EXTS = (".cc", ".cpp", ".cxx", ".c++", ".C", ".cp", ".hpp", ".hh", ".hxx",
            ".h++", ".H", ".ipp", ".tcc", ".inl")


class Problem(typing.NamedTuple):
    """A path that could not be read, and why."""
    path: str
    why: str


class Inputs:
    """What the command line names: the C files to check, the C++ files
    (not checked; said once), and the paths that cannot be read, each
    with why."""

    def __init__(self):
        self.files, self.cxx, self.problems = [], [], []
        self.seen = set()

    def add(self, path, named):
        """A file: named on the command line, or found in a directory."""
        if os.path.realpath(path) in self.seen:
            return      # named twice, or also found in a directory named
        self.seen.add(os.path.realpath(path))
        try:
            st = os.stat(path)
        except FileNotFoundError:
            why = "a dangling symbolic link" if os.path.islink(path) else \
                "no such file or directory"
            self.problems.append(Problem(path, why))
            return
        except OSError as e:
            self.problems.append(Problem(path, e.strerror or str(e)))
            return
        if path.endswith(CXX_EXTS):
            self.cxx.append(path)
        elif not stat.S_ISREG(st.st_mode):
            kind = "a FIFO" if stat.S_ISFIFO(st.st_mode) else \
                "a socket" if stat.S_ISSOCK(st.st_mode) else "a device"
            self.problems.append(Problem(path, "not a regular file (%s)" % kind))
        elif not os.access(path, os.R_OK):
            self.problems.append(Problem(path, "not readable (permission denied)"))
        elif path.endswith(".h") and cxx_header(path):
            self.cxx.append(path)
        elif named or path.endswith(C_EXTS):
            self.files.append(path)


CXX_RE = re.compile(r"\b(namespace\s+\w*\s*\{|template\s*<|class\s+\w+\s*(final\s*)?[:{]|"
                    r"(public|private|protected)\s*:(?!:))")


def cxx_header(path):
    """Whether a .h is C++: its code, read as C (__cplusplus not defined),
    declares a namespace, a template or a class."""
    try:
        tu = TU(path, (), ())
        text = blank_lines(tu.text(path), tu.inactive[path])
    except OSError:
        return False
    return bool(CXX_RE.search(clean_source(text)))


def collect(paths):
    """The files under paths (a file, or a directory's .c and .h files,
    recursively; its C++ files are named, not checked)."""
    inputs = Inputs()
    for p in paths:
        if os.path.isdir(p):
            def walk_error(e):
                inputs.problems.append(Problem(e.filename or p, e.strerror or str(e)))
            for root, dirs, names in os.walk(p, onerror=walk_error):
                dirs.sort()
                for n in sorted(names):
                    if n.endswith(C_EXTS + CXX_EXTS):
                        inputs.add(os.path.join(root, n), False)
        else:
            inputs.add(p, True)
    return inputs


def main(argv=None):
    ap = argparse.ArgumentParser(
        prog="kref-check",
        description="Find code that breaks the three kref rules (kref-check(1)).")
    ap.add_argument("paths", nargs="*", metavar="FILE|DIR")
    ap.add_argument("--format", choices=("text", "sarif"), default="text",
                    help="text (FILE:LINE:COL: rule N: message) or sarif (SARIF 2.1.0)")
    ap.add_argument("-o", "--output", help="write the findings to this file")
    ap.add_argument("-j", "--jobs", type=int, default=1,
                    help="spatch processes (clang runs with --engine=clang)")
    ap.add_argument("--engine", choices=("cocci", "clang", "both"), default="cocci",
                    help="cocci (Coccinelle patterns, the default), clang (the Clang Static "
                    "Analyzer, path by path, each .c compiled) or both")
    ap.add_argument("--each", action="store_true",
                    help="check each file as a program of its own, its facts kept to itself")
    ap.add_argument("--timeout", type=int, default=120,
                    help="seconds spatch (or clang), and kref-check's own reading, may each spend "
                    "on one file (default 120)")
    ap.add_argument("--spatch", help="the spatch program (default: spatch, or $SPATCH)")
    ap.add_argument("-I", dest="include_dirs", action="append", default=[], metavar="DIR",
                    help="look for #include files in DIR too, as the compiler does")
    ap.add_argument("-D", dest="defines", action="append", default=[], metavar="NAME[=VALUE]",
                    help="define NAME for #if and #ifdef, as the compiler does")
    ap.add_argument("-U", dest="undefines", action="append", default=[], metavar="NAME",
                    help="NAME is not defined")
    ap.add_argument("-p", dest="build_dir", metavar="DIR",
                    help="read each file's -I, -D and -U from DIR/compile_commands.json; "
                    "with no FILE, check every C file it lists")
    ap.add_argument("--keep-cocci", metavar="FILE", help=argparse.SUPPRESS)
    ap.add_argument("--debug", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--version", action="version", version="kref-check " + VERSION)
    try:
        opts = ap.parse_args(argv)
    except SystemExit as e:
        return 2 if e.code else 0
    try:
        database, listed = compile_database(opts.build_dir) if opts.build_dir else ({}, [])
    except CommandLineError as e:
        print("kref-check: -p %s: %s" % (opts.build_dir, e), file=sys.stderr)
        return 2
    if not opts.paths and listed:
        opts.paths = [p for p in listed if p.endswith(".c")]
    if opts.timeout < 0 or opts.jobs < 1:
        print("kref-check: --timeout must be 0 or more, -j 1 or more", file=sys.stderr)
        return 2
    if not opts.paths:
        ap.print_usage(sys.stderr)
        print("kref-check: no FILE or DIR given", file=sys.stderr)
        return 2
    if opts.output:
        d = os.path.dirname(opts.output) or "."
        if not os.path.isdir(d):
            print("kref-check: -o %s: no such directory: %s" % (opts.output, d), file=sys.stderr)
            return 2
    inputs = collect(opts.paths)
    for path, why in inputs.problems:
        print("kref-check: %s: %s; not checked" % (path, why), file=sys.stderr)
    if inputs.cxx:
        shown = inputs.cxx[:3] + (["..."] if len(inputs.cxx) > 3 else [])
        print("kref-check: %d C++ file%s not checked (kref-check reads C): %s"
              % (len(inputs.cxx), "" if len(inputs.cxx) == 1 else "s", " ".join(shown)),
              file=sys.stderr)
    files = inputs.files
    if not files:
        if not inputs.problems and not inputs.cxx:
            print("kref-check: no C file (.c, .h) to check in %s" % " ".join(opts.paths),
                  file=sys.stderr)
        return 2
    # One program, or (--each) every file a program of its own: each
    # program's patterns know its own names only.
    common = [(n, v) for n, v in map(define, opts.defines)] + [(n, None) for n in opts.undefines]

    def flags(path):
        # The command line's -D and -U after the database's: they win.
        dirs, defines, _ = database.get(os.path.realpath(path), ((), (), ()))
        return list(opts.include_dirs) + list(dirs), list(defines) + common

    def clang_flags(path):
        return flags(path) + (database.get(os.path.realpath(path), ((), (), ()))[2],)
    if opts.engine == "clang":
        return report_clang(files, clang_flags, opts, inputs.problems)
    # Reading and checking in Python get --timeout per file, as spatch does:
    # a program over it is named, not waited for.
    overtime = {}

    def bounded(make, paths, what):
        limit = opts.timeout * len(paths)
        try:
            with time_limit(limit):
                return make()
        except Overtime:
            whose = "it" if len(paths) == 1 else "the %d files of its program" % len(paths)
            for p in paths:
                overtime[p] = "%s %s took over %d s" % (what, whose, limit)
            return None

    def read(paths):
        prog = bounded(lambda: Program(paths, flags), paths, "reading")
        if prog is None and len(paths) > 1:
            # One slow file costs no other its check: each read alone.
            for p in paths:
                del overtime[p]
            return [prog for p in paths for prog in read([p])]
        return [prog] if prog else []
    progs = [prog for paths in ([[f] for f in files] if opts.each else [files])
             for prog in read(paths)]
    for prog in progs:
        for path, line, name in prog.missing:
            print('%s:%d: kref-check: "%s" not found (give -I DIR or -p DIR); what it '
                  'declares was not seen' % (path, line, name), file=sys.stderr)
    sources = {p: src for prog in progs for p, src in prog.sources.items()}
    groups = (share_patterns(progs) if opts.each else [progs]) if progs else []
    units = [(g, [p for prog in g for p in prog.sources]) for g in groups]
    try:
        outcome = run_spatch(units, sources, opts)
    except ParseError as e:
        print("kref-check: %s" % e, file=sys.stderr)
        return 2
    records, errors = outcome.records, outcome.errors
    if opts.debug:
        for r in records:
            print("record:", r[0], r[1], r[2], " ".join(
                "%d:%d" % (p[0], p[1]) for p in r[3]), file=sys.stderr)
    findings = []
    for prog in progs:
        mine = [r for r in records if r[1] in prog.sources]
        checker = Checker(prog, mine)
        found = bounded(checker.run, list(prog.sources), "checking what spatch matched in")
        if found is None:
            continue
        findings += found
        for s, (path, line) in sorted(checker.unseen_structs().items()):
            print("%s:%d: kref-check: %s is defined in no file read (give -I DIR or "
                  "-p DIR); the checks that need its members are partial"
                  % (path, line, s), file=sys.stderr)
    failed, clang_failed = dict(overtime, **outcome.failed), {}
    if opts.engine == "both":
        try:
            more, clang_failed, _ = run_clang(files, clang_flags, opts)
        except EngineMissing as e:
            print("kref-check: --engine=both: %s" % e, file=sys.stderr)
            return 2
        seen = {(f.path, f.line, f.rule) for f in findings}
        findings += [f for f in more if (f.path, f.line, f.rule) not in seen]
    if not write(findings, errors, dict(clang_failed, **failed), inputs.problems, opts):
        return 2
    for path in sorted(clang_failed):
        print("%s: kref-check: the clang engine did not check it: %s; the patterns' "
              "findings in it are reported" % (path, clang_failed[path]), file=sys.stderr)
    for path, line in errors:
        print("%s:%d: kref-check: cannot parse this code; it was not checked"
              % (path, line), file=sys.stderr)
    for path in sorted(failed):
        print("%s: kref-check: not checked to the end: %s; %s findings are not "
              "reported" % (path, failed[path], "the patterns'" if opts.engine == "both" and
                            path not in clang_failed else "its"), file=sys.stderr)
    if errors or failed or clang_failed or inputs.problems:
        return 2
    return 1 if findings else 0


def write(findings, errors, failed, problems, opts):
    """The findings as text or SARIF, on stdout or -o; False when -o
    cannot be written (said on stderr)."""
    if opts.format == "sarif":
        text = sarif(findings, errors, failed, problems) + "\n"
    else:
        text = report_text(findings)
    if not opts.output:
        sys.stdout.write(text)
        return True
    try:
        with open(opts.output, "w", encoding="utf-8") as fh:
            fh.write(text)
    except OSError as e:
        print("kref-check: -o %s: %s" % (opts.output, e.strerror or e), file=sys.stderr)
        return False
    return True


def report_clang(files, flags, opts, problems):
    """--engine=clang: each .c compiled and analysed path by path."""
    try:
        findings, failed, headers = run_clang(files, flags, opts)
    except EngineMissing as e:
        print("kref-check: --engine=clang: %s" % e, file=sys.stderr)
        return 2
    unchecked = []
    if headers and len(headers) == len(files):
        # Nothing includes them: not checked at all.
        unchecked = [Problem(h, "a header, which --engine=clang reads only through the "
                             ".c files that include it") for h in headers]
    elif headers:
        print("kref-check: --engine=clang reads headers through the .c files that include "
              "them; %d header%s not compiled on %s own: %s"
              % (len(headers), "" if len(headers) == 1 else "s",
                 "its" if len(headers) == 1 else "their", " ".join(headers[:3])
                 + (" ..." if len(headers) > 3 else "")), file=sys.stderr)
    written = write(findings, [], failed, list(problems) + unchecked, opts)
    for path, why in unchecked:
        print("kref-check: %s: %s; not checked" % (path, why), file=sys.stderr)
    for path in sorted(failed):
        print("%s: kref-check: not checked: %s; its findings are not reported"
              % (path, failed[path]), file=sys.stderr)
    if not written or failed or problems or unchecked:
        return 2
    return 1 if findings else 0


def run(argv=None):
    """main() for the command line: a one-line message, never a traceback
    (--debug shows it)."""
    try:
        return main(argv)
    except KeyboardInterrupt:
        return 130
    except Exception as e:     # never a traceback for the user; --debug shows it
        if "--debug" in (sys.argv if argv is None else argv):
            raise
        print("kref-check: internal error: %s: %s (--debug shows where)"
              % (type(e).__name__, e), file=sys.stderr)
        return 2
