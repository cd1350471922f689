# SPDX-License-Identifier: MIT
"""The program's facts (Program): which structs embed a struct kref, its
wrappers of get, put, free, lock and handoff, its release functions and
what they call, its getters and lookups, its threads, its callers.
"""

import os
import re

from .names import (ACCESSOR_FNS, ALLOC_FNS, FREE_FNS, HANDOFF_RE, KREF_PUTS, LOCK_FNS, NOT_HANDOFF,
    RCU_LOCK_FNS, RCU_UNLOCK_FNS, READ_WRAPPERS, THREAD_START, UNLOCK_FNS, WORK_START)
from . import contracts
from .source import IDENT, Source, TU, blank_lines, lock_id, norm, obj_of, split_args


def accessor_expr(body):
    """A body's one expression: '{ return E; }' or a macro's 'E', as E.
    By string ends, not a regex anchored at $: comments are blanked to
    spaces, and backtracking over those runs was quadratic."""
    b = re.sub(r"^\{?\s*return\b", "", body.strip())
    b = b.rstrip()
    if b.endswith("}"):
        b = b[:-1].rstrip()
    if b.endswith(";"):
        b = b[:-1]
    return norm(b)


# The RCU readers (not rcu_dereference_protected, which the updater uses
# under its lock).
RCU_READER_CALL = re.compile(r"^(rcu_dereference(_bh|_sched|_check|_raw)?|srcu_dereference)\(")
RCU_UNPUBLISH = {"rcu_assign_pointer", "RCU_INIT_POINTER", "rcu_replace_pointer",
                 "xchg", "cmpxchg", "list_del_rcu", "hlist_del_rcu", "hlist_del_init_rcu",
                 "list_del_init", "list_del"}
STORED_RE = re.compile(r"(?==\s*(?:\([^()]*\)\s*)?\b(\w+)\s*;)")


def _call_end(e, i):
    """The offset just past the parenthesis that closes the call whose
    name ends at i, or None."""
    depth = 0
    for j in range(i, len(e)):
        if e[j] == "(":
            depth += 1
        elif e[j] == ")":
            depth -= 1
            if depth == 0:
                return j + 1
    return None


class Program:
    def __init__(self, paths, flags=lambda path: ((), ())):
        """The program made of the files at paths (checked); flags(path)
        gives a file's -I directories and -D/-U definitions ((name, value),
        value None for -U).  The headers they include are read too, for
        their facts only."""
        self.sources = {}       # path -> Source, the files checked
        self.headers = {}       # path -> Source, headers read for their facts
        self.missing = []       # [MissingInclude]: quoted #includes not found
        self.funcs = {}         # name -> [Func]
        self.macros = {}        # name -> Macro (function-like only)
        self.globals = set()
        self.protos = {}
        self.structs = {}
        self.embeds = {}
        self.typedefs = {}
        self.lock_structs = set()
        checked = {os.path.normpath(p) for p in paths}
        for p in paths:
            dirs, defines = flags(p)
            tu = TU(p, dirs, defines)
            self.sources[p] = Source(p, blank_lines(tu.text(p), tu.inactive[p]))
            for h in tu.headers:
                if h not in checked and h not in self.headers:
                    self.headers[h] = Source(h, blank_lines(tu.text(h), tu.inactive[h]))
            # A header not found but named on the command line was read.
            self.missing += [m for m in tu.missing if m not in self.missing and not any(
                c == os.path.normpath(m[2]) or c.endswith(os.sep + os.path.normpath(m[2]))
                for c in checked)]
        for src in list(self.sources.values()) + list(self.headers.values()):
            for f in src.funcs:
                # A program's own malloc() or free() (an interposer, a
                # debugging allocator) is still the allocator, not a
                # wrapper whose body says what freeing does.
                if f.name in FREE_FNS or f.name in ALLOC_FNS:
                    continue
                self.funcs.setdefault(f.name, []).append(f)
            for m in src.macros:
                if m.params is not None:
                    self.macros[m.name] = m
            self.globals |= src.globals
            self.protos.update(src.protos)
            self.structs.update(src.structs)
            self.embeds.update(src.embeds)
            self.typedefs.update(src.typedefs)
            self.lock_structs |= src.lock_structs
        self.globals -= set(self.funcs)
        self.all_funcs = [f for fs in self.funcs.values() for f in fs]
        self.contracts = contracts.read(list(self.sources.values()) + list(self.headers.values()))
        self._callers()
        self._wrappers()
        self._releases()
        self._threads()

    def identifiers(self):
        """Every name the program's code uses."""
        out = set()
        for src in list(self.sources.values()) + list(self.headers.values()):
            out.update(IDENT.findall(src.clean))
            for m in src.macros:
                out.update(IDENT.findall(m.body))
        return out

    # -- call graph ---------------------------------------------------------
    def _callers(self):
        self.callers = {}       # name -> [(Func caller, offset)]
        self.refs = {}          # caller Func -> set of function names referenced
        names = set(self.funcs)
        for f in self.all_funcs:
            for name, _args, off, _end in f.calls:
                if name in names:
                    self.callers.setdefault(name, []).append((f, off))
            refs = set()
            for m in IDENT.finditer(f.body):
                if m.group(0) in names:
                    refs.add(m.group(0))
            self.refs[f] = refs

    # -- wrappers -----------------------------------------------------------
    def _effects(self, w, params):
        """What a function or macro body does to each of its parameters."""
        eff = {}

        def add(kind, v):
            eff.setdefault(kind, set()).add(v)

        def pidx(expr, strip_member=True):
            o = obj_of(expr) if strip_member else norm(expr)
            o = norm(o)
            return params.index(o) if o in params else None

        body = w.body
        for name, args, _off, _end in w.calls:
            if not args:
                continue
            i0 = pidx(args[0])
            if name == "kref_get" and i0 is not None:
                add("get", i0)
            elif name == "kref_get_unless_zero" and i0 is not None:
                add("tryget", i0)
            elif name in KREF_PUTS and i0 is not None:
                add("put", i0)
                if name != "kref_put" and len(args) > 2:
                    add("putlock", lock_id(args[2], params))
            elif name == "kref_init" and i0 is not None:
                add("init", i0)
            elif (name in FREE_FNS or name in self.free_w) and pidx(args[0], False) is not None:
                add("free", pidx(args[0], False))
            elif name in THREAD_START and len(args) > THREAD_START[name]:
                i = pidx(args[THREAD_START[name]])
                if i is not None:
                    add("handoff", i)
            elif name in WORK_START and len(args) > WORK_START[name]:
                i = pidx(args[WORK_START[name]])
                if i is not None:
                    add("handoff", i)
            elif self.is_handoff_name(name):
                for a in args:
                    i = pidx(a)
                    if i is not None and self.object_param(w, i):
                        add("handoff", i)
            for kind, table in (("get", self.get_w), ("tryget", self.try_w),
                                ("put", self.put_w), ("init", self.init_w),
                                ("handoff", self.hand_w)):
                if name in table:
                    k = table[name]
                    if k < len(args):
                        i = pidx(args[k], False)
                        if i is not None:
                            add(kind, i)
        for i in self._published(w, body, params):
            add("handoff", i)
        return eff

    def _published(self, w, body, params):
        """The parameters w stores to a global (a publication).  The same
        for every round of _wrappers' fixed point: computed once (the
        scan of the body per parameter was most of the facts' time)."""
        memo = self.__dict__.setdefault("_published_memo", {})
        k = (id(w), tuple(params))
        if k not in memo:
            out = []
            # Any match ends in "= p;" (a cast between): most parameters
            # have none, and the whole expression is slow to try at
            # every offset.
            stored = set(STORED_RE.findall(body))
            for p in params:
                if p not in stored:
                    continue
                for m in re.finditer(r"([A-Za-z_]\w*)\s*(\[[^\]]*\]|(->|\.)\s*\w+)*\s*=\s*(\([^()]*\)\s*)?\b%s\b\s*;" % re.escape(p), body):
                    if m.group(1) in self.globals:
                        out.append(params.index(p))
            memo[k] = (w, out)     # w kept alive: its id stays its own
        return memo[k][1]

    def object_param(self, w, i):
        """Whether parameter i can be a counted object (a pointer to a
        struct with a kref, or void *; a macro's parameters may be
        anything)."""
        types = getattr(w, "ptypes", None)
        if not types or i >= len(types):
            return True
        t = types[i]
        return "*" in t and (self.struct_of_type(t) in self.structs or
                             re.sub(r"\s+", "", t).startswith(("void*", "constvoid*")))

    def is_handoff_name(self, name):
        if name in NOT_HANDOFF or name in self.get_w or name in self.put_w \
                or name in self.try_w or name in FREE_FNS or name in LOCK_FNS \
                or name in UNLOCK_FNS:
            return False
        return bool(HANDOFF_RE.search(name))

    def _wrappers(self):
        self.get_w, self.get_w1 = {}, {}
        self.try_w, self.put_w, self.put_w1 = {}, {}, {}
        self.init_w, self.free_w, self.hand_w = {}, {}, {}
        self.init_hand = set()                  # init wrappers that also publish
        self.put_any = {}                       # function -> its parameter it puts
        self.lock_w, self.unlock_w = {}, {}     # name -> ('param', i) | ('fixed', id)
        self.lock0, self.unlock0 = {}, {}       # name -> id
        self.put_lock_of = {}                   # put wrapper -> lock id
        self.ctor, self.getter, self.rawlookup, self.alloc_w = set(), set(), set(), set()
        # Release functions free what they are given: not free wrappers.
        self.releases_early = {f.name for f in self.all_funcs
                               if len(f.ptypes) == 1 and re.search(r"\bstruct\s+kref\s*\*", f.ptypes[0])}
        items = [(f, f.params) for f in self.all_funcs]
        items += [(m, m.params) for m in self.macros.values()]
        # Two rounds: a wrapper of a wrapper is understood too.
        for _round in range(2):
            for w, params in items:
                if not params:
                    self._lock_wrapper0(w)
                    continue
                self._lock_wrapper(w, params)
                eff = self._effects(w, params)
                hand = eff.get("handoff", set())
                gets = eff.get("get", set()) | eff.get("tryget", set())
                puts = eff.get("put", set())
                # Only small bodies are wrappers: a function that gets and
                # puts, or gets and hands off, is doing its own work.
                small = len(w.calls) <= 4 and not any(
                    n in THREAD_START or n in WORK_START or self.is_handoff_name(n)
                    for n, _a, _o, _e in w.calls)
                # Any size: a helper that ends an object's life (a discard,
                # a teardown) puts it for the caller, whatever else it does.
                if puts - gets - hand and w in self.all_funcs:
                    self.put_any[w.name] = sorted(puts - gets - hand)[0]
                for kind, table in (("get", self.get_w), ("tryget", self.try_w),
                                    ("put", self.put_w), ("init", self.init_w)):
                    other = puts | hand if kind != "put" else gets | hand
                    # An init that then registers the object (the kernel's
                    # device_register) still leaves the caller the first
                    # reference: a failed registration must be put.
                    if kind == "init":
                        other = puts
                    idx = sorted(eff.get(kind, set()) - other)
                    if idx and (small or kind == "init" and len(w.calls) <= 4):
                        table[w.name] = idx[0]
                        if kind == "init" and idx[0] in hand:
                            self.init_hand.add(w.name)
                if eff.get("free") and w.name not in self.releases_early:
                    table = self.free_w
                    table[w.name] = sorted(eff["free"])[0]
                if hand and not gets and not puts:
                    self.hand_w[w.name] = sorted(hand)[0]
                if "putlock" in eff:
                    self.put_lock_of[w.name] = sorted(eff["putlock"])[0]
        for name, i in list(self.get_w.items()):
            if i == 1:
                self.get_w1[name] = 1
                del self.get_w[name]
        for name, i in list(self.put_w.items()):
            if i == 1:
                self.put_w1[name] = 1
                del self.put_w[name]
        for name in list(self.get_w):
            if self.get_w[name] > 1:
                del self.get_w[name]
        for name in list(self.put_w):
            if self.put_w[name] > 1:
                del self.put_w[name]
        self.fact_paths = {}
        for f in self.all_funcs:
            # Each definition on its own, to know which file's made the fact.
            kept = (self.ctor, self.getter, self.rawlookup, self.alloc_w)
            self.ctor, self.getter, self.rawlookup, self.alloc_w = set(), set(), set(), set()
            self._returns(f)
            new = (self.ctor, self.getter, self.rawlookup, self.alloc_w)
            if any(new):
                self.fact_paths.setdefault(f.name, set()).add(f.src.path)
            self.ctor, self.getter, self.rawlookup, self.alloc_w = \
                (k | n for k, n in zip(kept, new))
        self._fact_paths()
        self._borrowed_results()
        # Accessors: a function or macro that only computes container_of
        # (func_to_printer(f), to_foo(dev)) returns the caller's own pointer,
        # not a reference.
        self.accessors = set(ACCESSOR_FNS)
        for w in list(self.all_funcs) + list(self.macros.values()):
            body = accessor_expr(w.body)
            if ";" in body:
                continue
            if re.match(r"^(container_of|container_of_const|list_entry|hlist_entry)\(.*\)$", body) \
                    or (body.split("(")[0] in self.accessors and body.endswith(")")):
                self.accessors.add(w.name)
        # Put macros with a plain kref_put: their call sites are the puts.
        self.put_macro_plain = {}
        for m in self.macros.values():
            if m.name in self.put_w:
                for name, args, _o, _e in m.calls:
                    if name == "kref_put" and len(args) > 1:
                        self.put_macro_plain[m.name] = norm(args[1])

    def _fact_paths(self):
        """Which files' definitions of a name made it a wrapper, getter or
        constructor.  A static function is its file's alone: another file's
        function of the same name (or the same name undefined there) must
        not borrow its facts."""
        for f in self.all_funcs:
            eff = self._effects(f, f.params) if f.params else {}
            if any(eff.get(k) for k in ("get", "tryget", "put", "init", "free", "handoff")):
                self.fact_paths.setdefault(f.name, set()).add(f.src.path)

    def foreign(self, name, path):
        """Whether what the program knows of name comes only from static
        functions of other files checked, so it says nothing of path's
        code."""
        owners = self.fact_paths.get(name)
        if not owners or path in owners:
            return False
        defs = self.funcs.get(name, [])
        if any(f.src.path == path for f in defs):
            return True
        return all(re.search(r"\bstatic\b", f.ret) and f.src.path in self.sources
                   for f in defs if f.src.path in owners)

    def _lock_wrapper(self, w, params):
        locks = [(n, a) for n, a, _o, _e in w.calls if n in LOCK_FNS and a]
        unlocks = [(n, a) for n, a, _o, _e in w.calls if n in UNLOCK_FNS and a]
        only = len(w.calls) == len(locks) + len(unlocks)
        if locks and not unlocks and only:
            arg = norm(locks[-1][1][0]).lstrip("&")
            base = re.split(r"->|\.", arg)[0]
            if base in params:
                self.lock_w[w.name] = ("param", params.index(base),
                                       None if arg == base else lock_id(locks[-1][1][0]))
            else:
                self.lock_w[w.name] = ("fixed", lock_id(locks[-1][1][0]))
        if unlocks and not locks and only:
            arg = norm(unlocks[-1][1][0]).lstrip("&")
            base = re.split(r"->|\.", arg)[0]
            if base in params:
                self.unlock_w[w.name] = ("param", params.index(base),
                                         None if arg == base else lock_id(unlocks[-1][1][0]))
            else:
                self.unlock_w[w.name] = ("fixed", lock_id(unlocks[-1][1][0]))

    def _lock_wrapper0(self, w):
        locks = [(n, a) for n, a, _o, _e in w.calls if n in LOCK_FNS and a]
        unlocks = [(n, a) for n, a, _o, _e in w.calls if n in UNLOCK_FNS and a]
        rl = [n for n, a, _o, _e in w.calls if n in RCU_LOCK_FNS]
        ru = [n for n, a, _o, _e in w.calls if n in RCU_UNLOCK_FNS]
        if len(w.calls) != len(locks) + len(unlocks) + len(rl) + len(ru):
            return
        if locks and not unlocks:
            self.lock0[w.name] = lock_id(locks[-1][1][0])
        elif unlocks and not locks:
            self.unlock0[w.name] = lock_id(unlocks[-1][1][0])
        elif rl and not ru:
            self.lock0[w.name] = "rcu"
        elif ru and not rl:
            self.unlock0[w.name] = "rcu"

    def _returns(self, f):
        """Functions that return a referenced object (constructors and
        lookups that get), an unreferenced one read from a shared place
        (raw lookups), or fresh memory (allocators)."""
        if "*" not in f.ret:
            return
        rets = [norm(m.group(1)) for m in re.finditer(r"\breturn\s+([^;]+);", f.body)]
        rets = [r for r in rets if r not in ("NULL", "0", "nullptr")]
        if not rets:
            return
        kref_ops = {n for n, _a, _o, _e in f.calls
                    if n.startswith("kref_") or n in self.get_w or n in self.try_w
                    or n in self.init_w}
        for name, args, _o, _e in f.calls:
            if not args:
                continue
            o = obj_of(args[0])
            if o in rets and o not in f.params:
                if name in ("kref_init",) or name in self.init_w:
                    self.ctor.add(f.name)
                elif name in ("kref_get", "kref_get_unless_zero") or name in self.get_w \
                        or name in self.try_w:
                    self.getter.add(f.name)
        if f.name in self.ctor or f.name in self.getter or kref_ops:
            return
        rtype = self.struct_of_type(f.ret)
        for r in rets:
            m = re.match(r"^([A-Za-z_]\w*)$", r)
            if not m:
                continue
            v = m.group(1)
            assigned = [norm(a.group(1)) for a in
                        re.finditer(r"\b%s\s*=\s*([^;=][^;]*);" % re.escape(v), f.body)]
            if any(re.match(r"^(\([^()]*\))?(%s)\(" % "|".join(ALLOC_FNS), a) for a in assigned):
                self.alloc_w.add(f.name)
                return
            # A pointer read with an RCU reader, and left published (the
            # function unpublishes nothing): it hands on no reference,
            # whatever its name says, as it does no kref operation.
            if rtype in self.structs and any(RCU_READER_CALL.match(a) for a in assigned) and \
                    not any(n in RCU_UNPUBLISH for n, _a, _o, _e in f.calls):
                self.rawlookup.add(f.name)
                return
            if re.search(r"(^|_)(pop|dequeue|shift|take|steal|detach|remove|del|unlink|get)", f.name, re.I):
                return
            if rtype in self.structs and any(
                    (self.root(a) in self.globals and self.root(a) not in f.params) or
                    (("->next" in a or ".next" in a) and self.root(a) not in f.params)
                    for a in assigned):
                self.rawlookup.add(f.name)
                return

    def _borrowed_results(self):
        """Functions whose result every caller that keeps it takes a
        reference on itself, at once (x = f(...); ... kref_get(&x->ref),
        nothing put or reassigned between): f hands on no reference, and
        neither does the call whose result f returns unchanged.  One
        caller's get alone proves nothing: it may be an extra reference."""
        self.borrowed = set()
        kept, got = {}, {}
        gets = {"kref_get"} | set(self.get_w)
        puts = KREF_PUTS | set(self.put_w)
        owned = self.ctor | self.getter | self.alloc_w | set(ALLOC_FNS)
        for f in self.all_funcs:
            for m in re.finditer(r"(?<![\w.>])([A-Za-z_]\w*)\s*=\s*(?:\([^()]*\)\s*)?"
                                 r"([A-Za-z_]\w*)\s*\(", f.body):
                v, fn = m.groups()
                if fn not in self.funcs or fn in owned:
                    continue
                after = f.body_start + m.end()
                stop = re.compile(r"(?<![\w.>])%s\s*=(?!=)" % re.escape(v)).search(f.body, m.end())
                end = f.body_start + stop.start() if stop else f.end
                kept[fn] = kept.get(fn, 0) + 1
                for n, a, o, _e in f.calls:
                    if o < after or o >= end or not a or obj_of(a[0]) != v:
                        continue
                    if n in gets:
                        got[fn] = got.get(fn, 0) + 1
                    if n in gets or n in puts:
                        break
        self.borrowed = {fn for fn, n in got.items() if n == kept[fn]}
        for fn in list(self.borrowed):
            for g in self.funcs.get(fn, []):
                for r in re.finditer(r"\breturn\s+([A-Za-z_]\w*)\s*;", g.body):
                    for a in re.finditer(r"(?<![\w.>])%s\s*=\s*(?:\([^()]*\)\s*)?([A-Za-z_]\w*)\s*\("
                                         % re.escape(r.group(1)), g.body):
                        if a.group(1) not in owned and a.group(1) not in self.funcs:
                            self.borrowed.add(a.group(1))

    def expand(self, expr, depth=3):
        """expr with the program's own function-like macros at its head
        replaced by their bodies, the arguments put in textually
        (G_REF_STRING_IMPL_FROM_STR(res) -> container_of((res), ...)):
        what the expression names is what the body names."""
        e = norm(expr)
        for _ in range(depth):
            m = re.match(r"^([&*]?\s*)([A-Za-z_]\w*)\s*\((.*)\)(.*)$", e)
            mac = self.macros.get(m.group(2)) if m else None
            if mac is None or not mac.params:
                break
            close = _call_end(e, m.end(2))
            if close is None:
                break
            args = split_args(e[e.index("(", m.end(2)) + 1:close - 1])
            if len(args) != len(mac.params):
                break
            body = mac.body
            subst = dict(zip(mac.params, args))
            body = re.sub(r"\b[A-Za-z_]\w*\b", lambda w: subst.get(w.group(0), w.group(0)), body)
            e = norm(m.group(1) + "(" + body.strip() + ")" + e[close:])
        return e

    def root(self, expr):
        """The leading identifier of an expression, through the readers
        (rcu_dereference, READ_ONCE, container_of...)."""
        e = norm(expr)
        for _ in range(4):
            m = re.match(r"^([A-Za-z_]\w*)\((.*)\)$", e)
            if m and m.group(1) in READ_WRAPPERS:
                args = split_args(m.group(2))
                e = norm(args[0]) if args else ""
                continue
            break
        e = e.lstrip("&*")
        e = norm(e)
        m = re.match(r"^([A-Za-z_]\w*)", e)
        return m.group(1) if m else ""

    def struct_of_type(self, t):
        """'struct foo *' or 'foo_t *' to the struct key ('struct foo')."""
        if not t:
            return None
        t = re.sub(r"\b(const|volatile|static|inline|extern|restrict|_Atomic|__rcu)\b", " ", t)
        t = t.replace("*", " ").strip()
        t = re.sub(r"\s+", " ", t)
        m = re.search(r"\b(struct|union) ([A-Za-z_]\w*)$", t)
        if m:
            return "struct " + m.group(2)
        m = re.search(r"([A-Za-z_]\w*)$", t)
        if not m:
            return None
        name = m.group(1)
        seen = 0
        while name in self.typedefs and seen < 4:
            name = self.typedefs[name]
            seen += 1
        return name

    # -- release functions --------------------------------------------------
    def _releases(self):
        self.releases = set()
        self.release_struct = {}    # release function -> struct key
        self.put_locks = {}         # struct key -> set of lock ids
        bodies = [(f, f.calls) for f in self.all_funcs] + \
                 [(m, m.calls) for m in self.macros.values()]
        put_sites = []
        for w, calls in bodies:
            for name, args, _o, _e in calls:
                if name in KREF_PUTS and len(args) > 1:
                    rel = norm(args[1])
                    if re.match(r"^[A-Za-z_]\w*$", rel):
                        self.releases.add(rel)
                        if name != "kref_put" and len(args) > 2:
                            put_sites.append((rel, lock_id(args[2], getattr(w, "params", []) or [])))
        # A function of one struct kref * that finds its object with
        # container_of is a release function even if this file never
        # passes it to kref_put (another file may).
        for f in self.all_funcs:
            if len(f.params) == 1 and re.search(r"\bstruct\s+kref\s*\*", f.ptypes[0]) and \
                    re.match(r"^(static\s+)?(inline\s+)?void$", f.ret.strip()) and \
                    re.search(r"\b(container_of|caa_container_of|list_entry)\s*\(\s*%s\b" % f.params[0], f.body):
                self.releases.add(f.name)
        for rel in self.releases:
            for f in self.funcs.get(rel, []):
                calls = list(f.calls)
                # through a macro such as to_foo(kref)
                for name, _a, _o, _e in f.calls:
                    if name in self.macros:
                        calls += self.macros[name].calls
                for name, args, _o, _e in calls:
                    if name in ("container_of", "caa_container_of", "list_entry") and len(args) > 1:
                        s = self.struct_of_type(args[1])
                        if s:
                            self.release_struct[rel] = s
        for rel, lk in put_sites:
            s = self.release_struct.get(rel)
            self.put_locks.setdefault(s, set()).add(lk)
        # A release may leave the rest to a work item (it may sleep): the
        # handler set up for that member with INIT_WORK finishes the release.
        handlers = {}
        for f in self.all_funcs:
            for name, args, _o, _e in f.calls:
                if name in ("INIT_WORK", "INIT_DELAYED_WORK", "INIT_RCU_WORK") and len(args) > 1:
                    m = re.search(r"(?:->|\.)\s*(\w+)\s*$", norm(args[0]))
                    if m:
                        handlers.setdefault(m.group(1), set()).add(norm(args[1]))
        # What the release functions reach: calls, functions passed on
        # (call_rcu callbacks and the like) and the work handlers above.
        self.closure = set()
        todo = [r for r in self.releases if r in self.funcs]
        while todo:
            name = todo.pop()
            if name in self.closure:
                continue
            self.closure.add(name)
            for f in self.funcs.get(name, []):
                for callee in self.refs.get(f, ()):
                    if callee not in self.closure:
                        todo.append(callee)
                for call, args, _o, _e in f.calls:
                    if call in WORK_START and len(args) > WORK_START[call]:
                        m = re.search(r"(?:->|\.)\s*(\w+)(?:\.work)?\s*$", norm(args[WORK_START[call]]))
                        if m:
                            todo += [h for h in handlers.get(m.group(1), ()) if h in self.funcs]

    def calls_reach(self, name, pred):
        """Whether the function, or what it calls, makes a call whose name
        satisfies pred."""
        seen, todo = set(), [name]
        while todo:
            n = todo.pop()
            if n in seen:
                continue
            seen.add(n)
            for f in self.funcs.get(n, []):
                if any(pred(c) for c, _a, _o, _e in f.calls):
                    return True
                todo += self.refs.get(f, ())
        return False

    def frees(self, name):
        """Whether the function, or what it calls, frees memory."""
        return self.calls_reach(name, lambda c: c in FREE_FNS or c == "call_rcu")

    def _threads(self):
        self.thread_fns = set()
        self.thread_start_sites = []
        for f in self.all_funcs:
            for name, args, off, _e in f.calls:
                if name in THREAD_START:
                    k = {"pthread_create": 2, "thrd_create": 1}.get(name, 0)
                    if len(args) > k:
                        fn = norm(args[k]).lstrip("&")
                        if fn in self.funcs:
                            self.thread_fns.add(fn)
                    self.thread_start_sites.append((f, off))
        self.init_fns = set()
        for src in list(self.sources.values()) + list(self.headers.values()):
            for m in re.finditer(r"\b(module_init|late_initcall|subsys_initcall|"
                                 r"device_initcall|core_initcall)\s*\(\s*(\w+)\s*\)", src.text):
                self.init_fns.add(m.group(2))

    # -- for the patterns ---------------------------------------------------
    def handoff_names(self):
        # Asked for by every rule, hundreds of times on a large program:
        # each distinct name judged once, the answer kept while the
        # wrapper tables it depends on stay the same.
        memo = self.__dict__.setdefault("_handoff_memo", {})
        k = (frozenset(self.get_w), frozenset(self.put_w), frozenset(self.try_w),
             frozenset(self.hand_w), len(self.all_funcs))
        if k not in memo:
            called = {name for f in self.all_funcs for name, _a, _o, _e in f.calls}
            names = {n for n in called if self.is_handoff_name(n)}
            names |= set(self.hand_w)
            names -= set(THREAD_START)
            memo[k] = names
        return set(memo[k])
