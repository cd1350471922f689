# SPDX-License-Identifier: MIT
"""Deciding: the checks' common ground (the records of one program, the
text at a position, the object, its struct, the locks held) and the
checker made of the three rules (rule1, rule2, rule3).
"""

import re
import typing

from .names import GUARDS, HELD_ASSERTS, RCU_LOCK_FNS, THREAD_START, WORK_START
from .source import key, line_of, lock_id, match_close, norm, split_args, squeeze
from .patterns import name_sets
from .rule1 import Rule1
from .rule2 import Rule2
from .rule2_owned import Rule2Owned
from .rule3 import Rule3
from .report import Finding, Step


class Op(typing.NamedTuple):
    """A kref operation, a free, a lock or a handoff that a pattern found
    (an EV record): the called name, where, and the position of the call's
    name and of its object."""
    name: str
    path: str
    function: str
    pos: tuple
    obj_pos: tuple


class CheckerBase:
    """What the rules share: one program's records and the questions
    they ask of the code."""

    def __init__(self, prog, records):
        self.prog = prog
        self.findings = {}
        self.rec = {}
        names = name_sets(prog)
        gets = {"kref_get", "kref_get_unless_zero"} | set(prog.get_w) | \
            set(prog.get_w1) | set(prog.try_w)
        self.valid = {
            "get": gets,
            "handoff": set(THREAD_START) | set(WORK_START) | prog.handoff_names(),
            "free": names["freew"],
            "lock": names["lockw"] | names["lock0"] | GUARDS,
            "release": names["relw"],
        }
        self.acq_named = {"kref_get", "kref_init", "kref_get_unless_zero"} | \
            set(prog.get_w) | set(prog.get_w1) | set(prog.try_w) | \
            set(prog.init_w) | prog.ctor | prog.getter
        self.acq_not = names["acqf!"]
        self.acq_calls = names["acqf"]
        for tag, path, fn, pos in records:
            if self.matches_program(tag.split(" ")[0], path, pos):
                self.rec.setdefault(tag.split(" ")[0], []).append((tag, path, fn, pos))
        self.types = {}
        for tag, path, _fn, pos in self.rec.get("TY", []):
            self.types[key(path, pos[0])] = tag[3:].strip()
        self.held = {}
        for _tag, path, _fn, pos in self.rec.get("HELD", []):
            lk = self.lock_at(path, pos[0])
            self.held.setdefault(key(path, pos[1]), {}).setdefault(lk, []).append(pos[0])
        self.ops = {}
        for _tag, path, fn, pos in self.rec.get("EV", []):
            name = self.text(path, pos[0])
            self.ops[key(path, pos[0])] = Op(name, path, fn, pos[0], pos[1])
        self._aliases = {}
        self.fail_exits = set()
        self.fail_sites = set()

    # Which position of each record is a call of which kind: with --each the
    # patterns know the names of every file at once, and a match on a name
    # that is a wrapper only in another file is not this program's.
    ROLES = {"HG": ((0, "handoff"), (2, "get")), "GH": ((0, "get"), (2, "handoff")),
             "SG": ((2, "get"),), "FAIL": ((0, "get"), (2, "handoff")),
             "FAILELSE": ((0, "get"), (2, "handoff")),
             "FAILANY": ((0, "get"), (2, "handoff")),
             "FRESH": ((0, "free"),), "LIVE": ((0, "free"),),
             "HELD": ((0, "lock"),), "RELCALL": ((0, "release"),),
             "RG": ((2, "get"),), "IG": ((1, "get"),), "GG": ((0, "get"),),
             "LEAK": ((0, "acq"),), "NORMAL": ((0, "acq"),)}

    @staticmethod
    def pos_of(src, off):
        """(line, column) of offset off in src."""
        ln = line_of(src.starts, off)
        return (ln, off - src.starts[ln - 1])

    def funcs_outside_release(self):
        """(path, source, function) for each function of the program that
        is not release code (a release function or what only it calls)."""
        p = self.prog
        for path, src in sorted(p.sources.items()):
            for f in src.funcs:
                if f.name not in p.closure and f.name not in p.releases:
                    yield path, src, f

    def matches_program(self, tag, path, pos):
        for i, role in self.ROLES.get(tag, ()):
            name = self.text(path, pos[i])
            if self.prog.foreign(name, path):
                return False
            if role == "acq":
                if name not in self.acq_named and (name in self.acq_not or
                                                   name not in self.acq_calls):
                    return False
            elif name not in self.valid[role]:
                return False
        return True

    # -- text ---------------------------------------------------------------
    def src(self, path):
        return self.prog.sources[path]

    def text(self, path, pos):
        return self.src(path).text_at(pos)

    def call_args(self, path, pos):
        """The arguments of the call whose name is at pos."""
        src = self.src(path)
        off = src.offset(pos[0], pos[1])
        s = src.clean
        i = s.find("(", off)
        if i < 0:
            return []
        j = match_close(s, i)
        return split_args(src.text[i + 1:j - 1])

    def stmt(self, path, pos):
        """The text of the statement that starts at pos, up to its ';'."""
        src = self.src(path)
        off = src.offset(pos[0], pos[1])
        end = src.clean.find(";", off)
        return squeeze(src.text[off:end if end >= 0 else len(src.text)])

    def func(self, path, pos):
        return self.src(path).func_at(pos[0])

    def lock_at(self, path, pos):
        """The lock id taken by the lock call at pos."""
        name = self.text(path, pos)
        if name in RCU_LOCK_FNS:
            return "rcu"
        if name in GUARDS:
            # guard(class)(lock) and scoped_guard(class, lock)
            src = self.src(path)
            off = src.offset(pos[0], pos[1])
            i = src.clean.find("(", off)
            j = match_close(src.clean, i)
            cls = norm(src.text[i + 1:j - 1]).split(",")[0]
            if name == "guard":
                k = src.clean.find("(", j)
                args = split_args(src.text[k + 1:match_close(src.clean, k) - 1])
            else:
                args = split_args(src.text[i + 1:j - 1])[1:]
            if "rcu" in cls:
                return "rcu"
            return lock_id(args[0]) if args else "?"
        if name in self.prog.lock0:
            return self.prog.lock0[name]
        args = self.call_args(path, pos)
        if name in self.prog.lock_w:
            w = self.prog.lock_w[name]
            if w[0] == "fixed":
                return w[1]
            if w[2] is not None:
                return w[2]
            return lock_id(args[w[1]]) if w[1] < len(args) else "?"
        return lock_id(args[0]) if args else "?"

    def pointee(self, f, name):
        """The struct a local or parameter of f points to, from its
        declaration (rules 1 and 3)."""
        if name in f.params:
            i = f.params.index(name)
            return self.prog.struct_of_type(f.ptypes[i]) if i < len(f.ptypes) else None
        m = re.search(r"((?:struct|union)\s+\w+|\w+)\s*\*\s*(?:const\s+)?"
                      r"(?:\w+\s*(?:=[^,;]*)?,\s*\*?\s*)*%s\b" % re.escape(name), f.body)
        return self.prog.struct_of_type(m.group(1)) if m else None

    def add(self, path, pos, rule, msg, steps=()):
        """Record a finding at pos; steps are (path, pos, note) of the
        operations it pairs with, each printed as a note."""
        steps = tuple(Step(p, q[0], q[1] + 1, m) for p, q, m in sorted(steps, key=lambda s: (s[0], s[1])))
        f = Finding(path, pos[0], pos[1] + 1, rule, msg, steps)
        self.findings.setdefault((path, pos[0], rule), f)

    # -- objects ------------------------------------------------------------
    def aliases(self, f):
        """One level of aliasing: locals assigned one from the other."""
        if f is None:
            return {}
        if f in self._aliases:
            return self._aliases[f]
        parent = {}

        def find(x):
            while parent.get(x, x) != x:
                x = parent[x]
            return x
        for m in re.finditer(r"(?<![\w.>])([A-Za-z_]\w*)\s*=\s*(?:\([^()]*\)\s*)?([A-Za-z_]\w*)\s*[;,)]", f.body):
            a, b = m.group(1), m.group(2)
            if a in self.prog.globals or b in self.prog.globals or \
                    b in ("NULL", "nullptr") or b in self.prog.funcs:
                continue
            ra, rb = find(a), find(b)
            if ra != rb:
                parent[ra] = rb
        # container_of(param, ...) and casts of a parameter alias it too.
        for m in re.finditer(r"(?<![\w.>])([A-Za-z_]\w*)\s*=\s*(?:container_of|caa_container_of|list_entry)\s*\(\s*([A-Za-z_]\w*)\s*,", f.body):
            ra, rb = find(m.group(1)), find(m.group(2))
            if ra != rb:
                parent[ra] = rb
        res = {x: find(x) for x in parent}
        self._aliases[f] = res
        return res

    def loose_same(self, f, a, b):
        """Same object, counting stores to globals as aliases too (used only
        to find a put, where a wrong match means silence)."""
        if self.same_obj(f, a, b):
            return True
        a, b = norm(a), norm(b)
        if f is None:
            return False
        pairs = re.findall(r"(?<![\w.>])([A-Za-z_]\w*)\s*=\s*(?:\([^()]*\)\s*)?([A-Za-z_]\w*)\s*[;,)]", f.body)
        # x = NULL makes no alias: through it every pointer ever cleared
        # would be the same object, and another object's put this one's.
        pairs = [(x, y) for x, y in pairs if y not in ("NULL", "nullptr")]
        group = {a}
        for _ in range(2):
            for x, y in pairs:
                if x in group or y in group:
                    group |= {x, y}
        return b in group or self.canon(f, b) in {self.canon(f, g) for g in group}

    def canon(self, f, expr):
        e = norm(expr)
        return self.aliases(f).get(e, e)

    def same_obj(self, f, a, b):
        return self.canon(f, a) == self.canon(f, b)

    def type_at(self, path, pos):
        """The struct spatch saw the object at pos to be, known or not to
        the program (its definition may be in a header not read)."""
        t = self.types.get(key(path, pos))
        s = self.prog.struct_of_type(t) if t else None
        return s if s and s.startswith(("struct ", "union ")) else None

    def struct_at(self, path, pos):
        t = self.types.get(key(path, pos))
        s = self.prog.struct_of_type(t) if t else None
        if s in self.prog.structs:
            return s
        # From the kref member's name, when only one struct has it.
        args = self.call_args(path, pos)
        if args:
            m = re.search(r"(->|\.)\s*([A-Za-z_]\w*)\s*\)?$", args[0])
            if m:
                cands = [k for k, v in self.prog.structs.items() if m.group(2) in v]
                if len(cands) == 1:
                    return cands[0]
        # From the release function given to a put.
        if len(args) > 1:
            return self.prog.release_struct.get(norm(args[1]))
        return None

    # -- places -------------------------------------------------------------
    def single_threaded(self, path, pos):
        """Code in main (or an init function) before its first thread
        starts, or in a function only such code calls."""
        f = self.func(path, pos)
        if f is None:
            return False
        return self._st(f, self.src(path).offset(pos[0], pos[1]), 0)

    def _st(self, f, off, depth):
        if f.name == "main" or f.name in self.prog.init_fns:
            starts = [o for g, o in self.prog.thread_start_sites if g is f]
            return not starts or off < min(starts)
        if depth > 1:
            return False
        sites = self.prog.callers.get(f.name, [])
        return bool(sites) and all(self._st(g, o, depth + 1) for g, o in sites)

    def held_at(self, path, pos, since=None):
        """Lock ids held at pos: from the paths inside the function (taken
        before since, if given: the lock must cover the lookup too), and
        from every caller holding one (two levels)."""
        here = self.held.get(key(path, pos), {})
        if since is None:
            locks = set(here)
        else:
            locks = {lk for lk, pls in here.items()
                     if any((pl[0], pl[1]) <= (since[0], since[1]) for pl in pls)}
        f = self.func(path, pos)
        if f is not None:
            locks |= self.caller_held(f, 0)
        return locks

    def caller_held(self, f, depth):
        held = set()
        for name, args, _o, _e in f.calls:
            if name in HELD_ASSERTS and args:
                held.add(lock_id(args[0]))
        sites = [s for s in self.prog.callers.get(f.name, []) if s[0] is not f]
        if not sites:
            if re.search(r"(_locked|_nolock|_held)$|^__", f.name):
                held.add("?")
            return held
        per_site = []
        for g, off in sites:
            src = g.src
            line = line_of(src.starts, off)
            col = off - src.starts[line - 1]
            here = set(self.held.get((src.path, line, col), {}))
            if depth < 1:
                here |= self.caller_held(g, depth + 1)
            per_site.append(here)
        if all(per_site):
            for h in per_site:
                held |= h
        return held


class Checker(Rule1, Rule2, Rule2Owned, Rule3, CheckerBase):
    """One program checked against the three rules."""

    def unseen_structs(self):
        """Structs whose objects the program counts but whose definition
        was in no file read (a header not found): the checks that need
        their members (which lock, which kref) are partial.  FILE:LINE
        of the first use of each."""
        out = {}
        for (path, _l, _c), (name, _p, _fn, pos, _po) in sorted(self.ops.items()):
            if not name.startswith("kref_") or self.struct_at(path, pos):
                continue
            t = self.type_at(path, pos)
            if t and t not in self.prog.structs and t not in out:
                out[t] = (path, pos[0])
        return out

    # Per struct, walks over every operation of the program: asked once
    # per get or lookup, they were quadratic on a large program.
    def ever_freed(self, s):
        memo = self.__dict__.setdefault("_ever_freed", {})
        if s not in memo:
            memo[s] = super().ever_freed(s)
        return memo[s]

    def final_put_locks(self, s):
        memo = self.__dict__.setdefault("_final_put_locks", {})
        if s not in memo:
            memo[s] = frozenset(super().final_put_locks(s))
        return set(memo[s])

    def run(self):
        self.rule1()
        self.rule2()
        self.rule3()
        out = []
        for f in self.findings.values():
            src = self.prog.sources.get(f.path)
            if src and f.line in src.ignored:
                continue
            out.append(f)
        out.sort(key=lambda f: (f.path, f.line, f.col, f.rule))
        return out
