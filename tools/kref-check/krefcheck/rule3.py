# SPDX-License-Identifier: MIT
"""Rule 3: if you hold no reference yet, make the lookup and the get one
step against the final put.  Beside its patterns, cocci/rule3.cocci.
"""

import re
from dataclasses import dataclass

from .names import (ALLOC_FNS, FREE_FNS, KREF_PUTS, LOCK_FNS, RAW_LOOKUP_FNS, RCU_LOCK_FNS, RCU_UNLOCK_FNS,
    READ_WRAPPERS, THREAD_START, UNLINK_RE, UNLOCK_FNS)
from .source import calls_in, key, line_of, lock_id, norm, obj_of, split_args, squeeze


RCU_READERS = {"rcu_dereference", "rcu_dereference_bh", "rcu_dereference_sched",
               "rcu_dereference_check", "rcu_dereference_raw", "srcu_dereference"}
RCU_READ_RE = re.compile(r"\b(%s)\s*\(" % "|".join(sorted(RCU_READERS)))


ATOMIC_LOADS = {"__atomic_load_n", "atomic_load", "atomic_load_explicit",
                "smp_load_acquire"}


@dataclass(frozen=True)
class Section:
    """A critical section: offsets of its lock and unlock calls."""
    lock_at: int
    unlock_at: int
    lock: str
    unlock_len: int


@dataclass(frozen=True)
class Find:
    """A pointer a find in a shared container returned inside a section."""
    section: Section
    at: int             # where the pointer handed on got its value
    finder: str         # the find called
    container: str      # the container given to it
    local: str          # the local the section set


class Rule3:
    """The checks of rule 3 (a mixin of Checker)."""

    def get_names(self):
        p = self.prog
        return {"kref_get", "kref_get_unless_zero"} | set(p.get_w) | set(p.try_w)

    def put_names(self):
        p = self.prog
        return KREF_PUTS | set(p.put_w) | set(p.put_any)

    # -- rule 3 -------------------------------------------------------------
    def raw_read(self, f, rhs, depth=0):
        """Whether rhs reads a pointer from a shared place (a global, a
        table, a list), and which; through one local (a node read first,
        then its container).  A call of the program's own macro reads
        what the macro's body reads, when the call says nothing itself."""
        e = norm(rhs)
        where = self.raw_read1(f, e, depth)
        x = self.prog.expand(e)
        if where is None and x != e:
            where = self.raw_read1(f, x, depth)
        return where

    def raw_read1(self, f, e, depth):
        p = self.prog
        m = re.match(r"^([A-Za-z_]\w*)\((.*)\)$", e)
        if m and (m.group(1) in RAW_LOOKUP_FNS or m.group(1) in p.rawlookup):
            return "%s()" % m.group(1)
        # A pointer published for RCU readers is shared whatever holds it:
        # its writer may drop the last reference as soon as it swaps it.
        if m and m.group(1) in RCU_READERS:
            return "%s()" % m.group(1)
        if m:
            where = self.container_find(m.group(1), m.group(2), f)
            if where:
                return where
        r = p.root(e)
        if r in p.globals and r not in p.funcs and not e.startswith("&"):
            return "'%s'" % r
        # A field of a parameter whose struct has a lock: a shared table.
        if f is not None and r in f.params and re.search(r"(->|\.)", e):
            t = p.struct_of_type(f.ptypes[f.params.index(r)])
            if t in p.lock_structs and t not in p.structs:
                return "'%s' (a structure with a lock)" % e
        if f is not None and depth == 0 and r and r != e and r not in f.params \
                and r not in p.globals:
            for m in re.finditer(r"(?<![\w.>])%s\s*=\s*([^;=][^;]*);" % re.escape(r), f.body):
                where = self.raw_read(f, m.group(1), 1)
                if where:
                    return where
        if r and r != e and m and m.group(1) in READ_WRAPPERS and r in p.globals:
            return "'%s'" % r
        # An atomic load of a member (__atomic_load_n(&as->current_map)):
        # the load itself says another thread writes that member.
        if m and m.group(1) in ATOMIC_LOADS and split_args(m.group(2)) and \
                re.search(r"(->|\.)", norm(split_args(m.group(2))[0])):
            return "%s()" % m.group(1)
        return None

    def macro_gets(self):
        """Gets whose object is one of the program's macros given a local
        (kref_get(&IMPL_FROM_STR(res)->ref)): the macro's body names the
        object through the local, so the local's last assignment before
        the get is the read to judge.  key -> (path, pg, py, where, pr)."""
        p = self.prog
        out = {}
        for (path, _l, _c), op in self.ops.items():
            if op.name not in self.get_names():
                continue
            obj = norm(self.text(path, op.obj_pos))
            m = re.match(r"^([A-Za-z_]\w*)\s*\(", obj)
            if not m or m.group(1) not in p.macros:
                continue
            f = self.func(path, op.pos)
            var = p.root(p.expand(obj))
            if f is None or not var or var in f.params or var in p.globals:
                continue
            src = self.src(path)
            at = src.offset(op.pos[0], op.pos[1])
            hit, start = None, f.body_start
            while True:         # the last assignment before the get
                h = self.found_in(f, var, start, at)
                if h is None:
                    break
                hit, start = h, h[0] + 1
            if hit is None:
                continue
            where = self.raw_read(f, hit[1])
            if where:
                ln = line_of(src.starts, hit[0])
                col = hit[0] - src.starts[ln - 1]
                pr = (ln, col, ln, col + len(var))
                out[key(path, op.pos)] = (path, op.pos, op.obj_pos, where, pr)
        return out

    # A library's find in a container the program shares: a function the
    # program only declares, given a global container, whose result the
    # caller then gets.  What it returns is the container's, not a
    # reference of the caller's.
    CONCURRENT_INCLUDE = re.compile(
        r"^\s*#\s*include\s*[<\"](pthread\.h|threads\.h|stdatomic\.h|linux/|glib\.h|uv\.h)", re.M)

    def container_find(self, fn, argtext, f=None):
        p = self.prog
        if fn in p.funcs or fn in p.getter or fn in p.ctor or fn in p.alloc_w or \
                fn in self.get_names() or fn in ALLOC_FNS or fn in READ_WRAPPERS:
            return None
        for a in split_args(argtext):
            g = norm(a).lstrip("&")
            if re.match(r"^[A-Za-z_]\w*$", g) and g in p.globals and g not in p.funcs \
                    and not re.search(r"lock|mutex|sem", g, re.I) and self.concurrent():
                return "%s() in the shared '%s'" % (fn, g)
            # A table in a parameter's structure that has a lock of its
            # own (&res->surface_cache): shared as the lock says.
            r = p.root(g)
            if f is not None and r in f.params and r != g and re.search(r"(->|\.)", g) and \
                    not re.search(r"lock|mutex|sem", g, re.I) and self.concurrent():
                t = p.struct_of_type(f.ptypes[f.params.index(r)])
                if t in p.lock_structs and t not in p.structs:
                    return "%s() in the shared '%s'" % (fn, g)
        return None

    def concurrent(self):
        """Whether the program shows it runs on more than one thread:
        it starts one, takes a lock, or is built on a threading library
        or the kernel.  A find without a lock in a single-threaded
        program races with nothing."""
        if not hasattr(self, "_concurrent"):
            p = self.prog
            self._concurrent = bool(p.thread_start_sites) or any(
                n in LOCK_FNS or n in p.lock_w or n in THREAD_START
                for f in p.all_funcs for n, _a, _o, _e in f.calls) or any(
                self.CONCURRENT_INCLUDE.search(src.text) for src in p.sources.values())
        return self._concurrent

    def rule3(self):
        p = self.prog
        gets = {}           # key -> (path, pg, py, source)
        for _t, path, _fn, (pr, pe, pg, py) in self.rec.get("RG", []):
            f = self.func(path, pg)
            if f is None:
                continue
            src = self.raw_read(f, self.text(path, pe)) or \
                self.rcu_section_find(f, path, pr, self.text(path, pe))
            if src:
                gets.setdefault(key(path, pg), (path, pg, py, src, pr))
        for k, g in self.macro_gets().items():
            gets.setdefault(k, g)
        for _t, path, _fn, (pi, pg, py) in self.rec.get("IG", []):
            it = self.text(path, pi)
            m = p.macros.get(it)
            if re.search(r"for_each|foreach|FOR_EACH|FOREACH", it) or \
                    (m is not None and re.search(r"\b(for|while)\s*\(", m.body)):
                gets.setdefault(key(path, pg), (path, pg, py, "the list (%s)" % it, pi))
        # rcu_dereference() inside the get's own argument.
        for (path, _l, _c), op in self.ops.items():
            if op.name in self.get_names() and \
                    RCU_READ_RE.search(self.text(path, op.obj_pos)):
                gets.setdefault(key(path, op.pos), (path, op.pos, op.obj_pos,
                                                    "rcu_dereference()", op.pos))
        for _t, path, _fn, (pg, py) in self.rec.get("GG", []):
            g = norm(self.text(path, py))
            if g in p.globals:
                gets.setdefault(key(path, pg), (path, pg, py, "'%s'" % g, pg))
        self.locked_lookup = {}
        self.lookup_table = {}      # struct -> the table its locked lookup searched
        for k, (path, pg, py, where, pr) in sorted(gets.items()):
            f = self.func(path, pg)
            if f is None or f.name in p.closure:
                continue
            if self.single_threaded(path, pg):
                continue
            if self.rechecked_alive(f, path, pr, pg, where):
                continue
            name = self.text(path, pg)
            tryget = name == "kref_get_unless_zero" or name in p.try_w
            held = self.held_at(path, pg, since=pr)
            s = self.struct_at(path, pg) or self.type_at(path, pg) or \
                self.wrapper_struct(name)
            # Under QSBR RCU with no read-side markers, every lookup is a reader.
            rcu = "rcu" in held or self.rcu_by_caller(f, where) or self.qsbr_reader(s)
            locks = held - {"rcu"}
            if s in self.prog.structs and not self.ever_freed(s):
                continue        # nothing ever puts or frees one: it cannot die
            put_locks = self.final_put_locks(s)
            obj = norm(self.text(path, py))
            found = [(path, pr, "'%s' read from %s here" % (obj, where))] if pr != pg else []
            if " in the shared " in where:
                found += self.shared_put_steps(f, s, where.split("'")[-2])
            lockname = " or ".join(sorted(l.lstrip(".") for l in put_locks)) or "a lock"
            if not locks and not rcu:
                if tryget and not self.memory_freed(s):
                    continue    # a tryget on memory nothing shown frees fails safely
                if where.endswith("(called under RCU)"):
                    self.add(path, pg, 3,
                             "%s on '%s' after the RCU read section in which %s found it "
                             "has ended: RCU was all that kept it alive, and a final put may "
                             "already have dropped the last reference (a lock of the object's "
                             "own, taken after the lookup, does not prevent that); take the "
                             "reference inside the section with kref_get_unless_zero(), or "
                             "check under the object's lock that it is still live"
                             % (name, obj, where.split(" ")[0]), found)
                elif tryget:
                    self.add(path, pg, 3,
                             "%s on '%s', just read from %s with no lock or RCU held: the "
                             "memory may already be freed; hold %s (which the final put "
                             "takes) or rcu_read_lock() around the lookup and the get"
                             % (name, obj, where, lockname),
                             found)
                else:
                    self.add(path, pg, 3,
                             "%s on '%s', just read from %s with no lock held: a final put "
                             "may free it first; hold %s around the lookup and the get, and "
                             "make the final put take it (kref_put_mutex)"
                             % (name, obj, where, lockname),
                             found)
            elif rcu and not locks:
                if not tryget and not (where[:-2] in RCU_READERS and self.grace_before_put()):
                    self.add(path, pg, 3,
                             "%s on '%s' found under RCU may revive an object whose count "
                             "already reached 0: use kref_get_unless_zero() and skip it "
                             "when that fails" % (name, obj), found)
            elif not tryget:
                if put_locks and not self.locks_match(locks, put_locks):
                    self.add(path, pg, 3,
                             "%s on '%s' holds %s, but the final put takes %s: the lookup "
                             "must hold the lock the final put takes"
                             % (name, obj, " and ".join(sorted(l.lstrip(".") for l in locks)),
                                lockname),
                             found)
                elif s is not None:
                    # Paired with the puts of the same struct: of an
                    # unknown type, no put can be said to be this one's.
                    self.locked_lookup.setdefault(s, (locks, path, pg))
                    c = re.search(r" in the shared '([^']*)'", where)
                    if c:
                        self.lookup_table.setdefault(s, re.findall(r"\w+", c.group(1))[-1])
        self.rule3_puts()
        self.rule3_unlocked_lookups()
        self.rule3_fields()
        self.rule3_get_after_unlock()
        self.rule3_borrowed_returns()
        self.rule3_borrowed_stores()
        self.rule3_used_after_unlock()

    def memory_freed(self, s):
        """Whether the program shows the memory of an object of struct s
        given back: its release frees it (or defers the free past a grace
        period), or it is freed elsewhere.  A release that only hands the
        object to code not shown (a deferred reaper, a cache) does not
        show it.  Unknown struct or no release known: assumed freed."""
        p = self.prog
        rels = [r for r, t in p.release_struct.items() if t == s]
        if s is None or not rels:
            return True
        if any(p.frees(r) or self.defers_to_grace(r) or
               p.calls_reach(r, lambda c: c in p.free_w) for r in rels):
            return True
        for (path, _l, _c), (name, _p, _fn, pos, _po) in self.ops.items():
            if (name in FREE_FNS or name in p.free_w) and self.struct_at(path, pos) == s:
                return True
        return False

    def rcu_section_find(self, f, path, pr, rhs):
        """A call made inside an RCU read section of a function that
        returns no reference (not a getter, constructor or allocator, no
        kref operation of its own): the section says what it returns is
        only RCU-protected, whatever the function's name."""
        p = self.prog
        m = re.match(r"^(?:\([^()]*\)\s*)?([A-Za-z_]\w*)\s*\(", norm(rhs))
        if not m:
            return None
        fn = m.group(1)
        if fn in p.ctor or fn in p.getter or fn in p.alloc_w or fn in ALLOC_FNS or \
                fn in self.get_names() or fn in p.accessors or fn in READ_WRAPPERS or \
                self.counts(fn) or self.returns_ref_why(fn, path):
            return None
        src = self.src(path)
        if not self.lock_state(f, src.offset(pr[0], pr[1])).get("rcu"):
            return None
        return "%s() (called under RCU)" % fn

    def rechecked_alive(self, f, path, pr, pg, where):
        """The lookup (a function of the program) returns the object with
        its own lock taken, after testing a field of it under that lock and
        failing when the test fails; and a put path writes that field under
        the same lock.  Holding the object's lock with the field tested,
        the reference the put path drops is still there: a get under that
        lock (not dropped since the lookup) is safe."""
        p = self.prog
        m = re.match(r"^([A-Za-z_]\w*)\(\)", where)
        if not m or m.group(1) not in p.funcs:
            return False
        for g in p.funcs[m.group(1)]:
            r = self.liveness_test(g)
            if r is None:
                continue
            lock, fld = r
            src = self.src(path)
            a, b = src.offset(pr[0], pr[1]), src.offset(pg[0], pg[1])
            if any(a < o < b and (n in UNLOCK_FNS or n in p.unlock_w) and x and
                   lock_id(x[0]) == lock for n, x, o, _e in f.calls):
                continue    # the object's lock was dropped before the get
            if self.writes_under(g, lock, fld):
                return True
        return False

    def liveness_test(self, g):
        """(lock, field) when g locks a member lock of the object it
        returns (spin_lock(&v->lock)), then tests v->field and returns
        NULL when the test says so, and returns v with the lock held."""
        rets = re.findall(r"\breturn\s+([A-Za-z_]\w*)\s*;", g.body)
        for n, a, o, _e in g.calls:
            if not a or not (n in LOCK_FNS or n in self.prog.lock_w):
                continue
            mm = re.match(r"^&?\s*([A-Za-z_]\w*)\s*->\s*(\w+)$", norm(a[0]))
            if not mm or mm.group(1) not in rets:
                continue
            v, lk = mm.group(1), "." + mm.group(2)
            tail = g.src.clean[o:g.end]
            for t in re.finditer(r"\bif\s*\(", tail):
                depth, i = 1, t.end()
                while i < len(tail) and depth:
                    depth += {"(": 1, ")": -1}.get(tail[i], 0)
                    i += 1
                fld = re.search(r"(?<![\w.>])%s\s*->\s*(\w+)" % re.escape(v), tail[t.end():i])
                then = re.match(r"\s*\{?[^{}]*?\breturn\s+(?:NULL|0|nullptr)\s*;", tail[i:])
                if fld and then and fld.group(1) != mm.group(2):
                    return lk, fld.group(1)
        return None

    def get_rechecks_liveness(self, path, pos):
        """The get at pos holds a lock of the object's own (or of the
        object it reaches through), taken after the lookup, and a test of
        a field of that object under it comes first; another function
        writes that field under the same lock before it puts.  A dying
        object is marked before its last put and the get skips it."""
        f = self.func(path, pos)
        if f is None:
            return False
        go = self.src(path).offset(pos[0], pos[1])
        for n, a, o, _e in f.calls:
            if o >= go or not a or not (n in LOCK_FNS or n in self.prog.lock_w):
                continue
            mm = re.match(r"^&?\s*([A-Za-z_]\w*)\s*->\s*(\w+)$", norm(a[0]))
            if not mm:
                continue        # (an unlock on the failing branch is fine)
            x, lk = mm.group(1), "." + mm.group(2)
            for t in re.finditer(r"\bif\s*\(", f.src.clean[o:go]):
                i, depth = t.end(), 1
                text = f.src.clean[o:go]
                while i < len(text) and depth:
                    depth += {"(": 1, ")": -1}.get(text[i], 0)
                    i += 1
                fld = re.search(r"(?<![\w.>])%s\s*->\s*(\w+)" % re.escape(x), text[t.end():i])
                if fld and fld.group(1) != mm.group(2) and self.writes_under(f, lk, fld.group(1)):
                    return True
        return False

    def writes_under(self, g, lock, fld):
        """Whether a function other than g writes ->fld while holding
        lock, and puts a reference."""
        p = self.prog
        puts = self.put_names()
        for h in p.all_funcs:
            if h is g or h.src.path not in p.sources:
                continue
            if not any(n in puts for n, _a, _o, _e in h.calls):
                continue
            for w in re.finditer(r"(?:->|\.)\s*%s\s*(?:[|&^+\-]?=)(?!=)" % re.escape(fld), h.body):
                if self.lock_state(h, h.body_start + w.start()).get(lock):
                    return True
        return False

    RCU_ONLY_READERS = {"rcu_dereference", "rcu_dereference_bh", "rcu_dereference_sched",
                        "srcu_dereference"}

    def rcu_by_caller(self, f, where):
        """A pointer read with rcu_dereference() in a function that never
        enters an RCU read section itself: that reader is only legal inside
        one, so the function runs in its caller's."""
        if where[:-2] not in self.RCU_ONLY_READERS:
            return False
        return not any(n in RCU_LOCK_FNS or n in RCU_UNLOCK_FNS for n, _a, _o, _e in f.calls)

    # Quiescent-state-based RCU (Open vSwitch's ovsrcu, liburcu's QSBR
    # flavour): readers mark no section, a thread reads until it quiesces.
    QSBR_API = re.compile(r"^(ovsrcu_\w+|urcu_qsbr_\w+|rcu_quiescent_state|"
                          r"rcu_thread_(online|offline))$")
    QSBR_INCLUDE = re.compile(r"^\s*#\s*include\s*[<\"](urcu-qsbr\.h|urcu/qsbr\.h|"
                              r"ovs-rcu\.h|openvswitch/ovs-rcu\.h)", re.M)
    GRACE_DEFER = re.compile(r"^(call_rcu|kv?free_rcu|defer_rcu|ovsrcu_postpone_*|"
                             r"urcu_\w+_(call|defer)_rcu|(urcu_\w+_)?synchronize_rcu|"
                             r"ovsrcu_synchronize)$")

    def qsbr_reader(self, s):
        """Whether a lookup of struct s runs as an RCU reader with nothing
        to show it: the program uses a quiescent-state-based RCU, enters
        no read-side section anywhere, and the release of s waits for a
        grace period before the free."""
        p = self.prog
        if s is None or not self.qsbr():
            return False
        rels = [r for r, t in p.release_struct.items() if t == s]
        return any(self.defers_to_grace(r) for r in rels)

    def qsbr(self):
        if not hasattr(self, "_qsbr"):
            p = self.prog
            called = {n for f in p.all_funcs for n, _a, _o, _e in f.calls}
            marked = any(n in RCU_LOCK_FNS or p.lock0.get(n) == "rcu" for n in called)
            uses = any(self.QSBR_API.match(n) for n in called) or any(
                self.QSBR_INCLUDE.search(src.text) for src in p.sources.values())
            self._qsbr = uses and not marked
        return self._qsbr

    def defers_to_grace(self, name):
        """The release function, or what it calls, defers the free past a
        grace period (call_rcu, ovsrcu_postpone, synchronize_rcu...)."""
        return self.prog.calls_reach(name, self.GRACE_DEFER.match)

    SYNC_RCU = {"synchronize_rcu", "synchronize_rcu_expedited", "synchronize_srcu",
                "synchronize_net", "synchronize_sched", "urcu_memb_synchronize_rcu",
                "synchronize_rcu_mult"}

    def grace_before_put(self):
        """Whether the program waits for a grace period before it puts a
        pointer it unpublished: then the published pointer's reference
        outlives every reader that found it, and a plain get under RCU is
        safe."""
        if not hasattr(self, "_grace"):
            p = self.prog
            puts = self.put_names()
            self._grace = False
            for f in p.all_funcs:
                sync = [o for n, _a, o, _e in f.calls if n in self.SYNC_RCU]
                if sync and any(n in puts and o > sync[0] for n, _a, o, _e in f.calls):
                    self._grace = True
                    break
        return self._grace

    def wrapper_struct(self, name):
        """The struct a get wrapper's parameter points to: its call's
        argument is the bare object, with no kref member to name it."""
        p = self.prog
        i = p.get_w.get(name, p.try_w.get(name))
        for w in p.funcs.get(name, []):
            if i is not None and i < len(w.ptypes):
                t = p.struct_of_type(w.ptypes[i])
                if t in p.structs:
                    return t
        return None

    def initialised_here(self, f, path, pos, po):
        """The object was kref_init'ed (or made by a constructor) earlier
        in the same function."""
        obj = self.text(path, po)
        for (opath, _l, _c), (name, _p, _fn, opos, opo) in self.ops.items():
            if opath == path and (name == "kref_init" or name in self.prog.init_w) and \
                    (opos[0], opos[1]) < (pos[0], pos[1]) and self.func(path, opos) is f and \
                    self.same_obj(f, self.text(path, opo), obj):
                return True
        src = self.src(path)
        before = src.clean[f.body_start:src.offset(pos[0], pos[1])]
        for name, args, _o, _e in calls_in(before):
            if name in self.prog.ctor:
                m = re.search(r"\b%s\s*=\s*%s\s*\(" % (re.escape(norm(obj)), re.escape(name)), before)
                if m:
                    return True
        return False

    UNLINK_FNS = {"list_del", "list_del_init", "list_del_rcu", "hlist_del",
                  "hlist_del_init", "hlist_del_rcu", "rb_erase", "idr_remove",
                  "xa_erase", "radix_tree_delete", "cds_lfht_del", "cds_list_del",
                  "cds_list_del_rcu", "g_hash_table_remove", "tdelete",
                  "rhashtable_remove_fast", "hash_del", "hash_del_rcu"}

    def release_unlinks(self, rel, table=None):
        """Whether the release function rel (and what it calls) takes the
        object out of where lookups find it, and which locks it takes.  If
        it unlinks, the lookup structure holds no reference of its own and
        the final put must exclude lookups; if not, the object leaves the
        structure before its last put, and a plain put is fine."""
        p = self.prog
        seen, todo = set(), [rel] if rel else []
        unlinks, locks = False, set()
        while todo:
            name = todo.pop()
            if name in seen:
                continue
            seen.add(name)
            for f in p.funcs.get(name, []):
                for c, a, _o, _e in f.calls:
                    if c in self.UNLINK_FNS:
                        unlinks = True
                    # The table the lookup searched, given to a library
                    # function (_mesa_hash_table_remove(res->cache, he)):
                    # the release takes the object out of it.
                    if table and c not in p.funcs and any(
                            re.search(r"(^|->|\.)\s*%s$" % re.escape(table), norm(x).lstrip("&"))
                            for x in a):
                        unlinks = True
                    if (c in LOCK_FNS or c in p.lock_w) and a:
                        locks.add(lock_id(a[0]))
                # A store to a global, a table slot or through a pointer to
                # a link (*pp = next).
                for m in re.finditer(r"(?:^|[;{}])\s*(\*?\s*[A-Za-z_][\w.>\-\[\]\s()*]*?)\s*=(?!=)", f.body):
                    lhs = squeeze(m.group(1))
                    if lhs.startswith("*") or p.root(lhs) in p.globals:
                        unlinks = True
                todo.extend(p.refs.get(f, ()))
        return unlinks, locks

    def ever_freed(self, s):
        """Whether the program puts or frees objects of struct s anywhere."""
        if s in self.prog.release_struct.values():
            return True
        for (path, _l, _c), (name, _p, _fn, pos, _po) in self.ops.items():
            if (name.startswith("kref_put") or name in self.prog.put_w or
                    name in self.prog.put_w1 or name in FREE_FNS) and \
                    self.struct_at(path, pos) == s:
                return True
        return False

    @staticmethod
    def locks_match(a, b):
        if "?" in a or "?" in b:
            return True
        return bool(set(a) & set(b))

    def final_put_locks(self, s):
        """The locks the final put of struct s takes: kref_put_mutex and
        kref_put_lock arguments, and locks held around plain kref_puts."""
        p = self.prog
        locks = set(p.put_locks.get(s, set())) if s else set()
        for (path, _l, _c), (name, _p, _fn, pos, po) in self.ops.items():
            if name in ("kref_put_mutex", "kref_put_lock", "kref_put"):
                if self.struct_at(path, pos) != s:
                    continue
                if name != "kref_put":
                    args = self.call_args(path, pos)
                    if len(args) > 2:
                        locks.add(lock_id(args[2]))
                else:
                    locks |= self.held_at(path, pos) - {"rcu"}
        return locks

    def rule3_puts(self):
        p = self.prog
        for (path, _l, _c), (name, _p, fn, pos, po) in sorted(self.ops.items()):
            if name != "kref_put" and name not in p.put_macro_plain:
                continue
            f = self.func(path, pos)
            if f is None or f.name in p.closure:
                continue
            if name == "kref_put":
                s = self.struct_at(path, pos)
            else:
                s = p.release_struct.get(p.put_macro_plain[name])
            s = s or self.type_at(path, pos)
            if s is None or s not in self.locked_lookup:
                continue
            args = self.call_args(path, pos)
            rel = norm(args[1]) if name == "kref_put" and len(args) > 1 else \
                p.put_macro_plain.get(name)
            locks, lpath, lpos = self.locked_lookup[s]
            unlinks, rel_locks = self.release_unlinks(rel, self.lookup_table.get(s))
            if not unlinks or (rel_locks and not self.locks_match(rel_locks, locks)):
                continue        # the structure holds a reference, or another scheme
            if self.held_at(path, pos) - {"rcu"}:
                continue
            if self.initialised_here(f, path, pos, po):
                continue        # never published: nobody can look it up
            if self.get_rechecks_liveness(lpath, lpos):
                continue        # the lookup gets only an object still live
            lk = sorted(l.lstrip(".") for l in locks)[0]
            if rel_locks:
                self.revived_at_get(s, locks, lpath, lpos, path, pos, rel)
            if name != "kref_put":
                args = ["&%s->%s" % (norm(args[0]) if args else "obj",
                                     (p.structs.get(s) or ["ref"])[0]), p.put_macro_plain[name]]
            self.add(path, pos, 3,
                     "objects of %s are looked up under %s with %s (line %d), but "
                     "this put does not take it: a lookup can find the object after its "
                     "count reached 0; use kref_put_mutex(%s, %s, &%s) or hold %s "
                     "around the put"
                     % (s, lk, self.text(lpath, lpos), lpos[0], args[0] if args else "...",
                        args[1] if len(args) > 1 else "release", lk, lk),
                     [(lpath, lpos, "a lookup gets an object of %s here, under %s" % (s, lk))])

    def revived_at_get(self, s, locks, lpath, lpos, path, pos, rel):
        """The final put drops the count with no lock and only then does
        its release take the lookup's lock to unlink: between the two, a
        lookup under that lock finds an object whose count is 0, and its
        plain get revives it (both threads then release it).  The get that
        revives it is one half of the race, the put outside the lock the
        other: the get is reported too (once per struct)."""
        done = self.__dict__.setdefault("_revived", set())
        if s in done:
            return
        done.add(s)
        lk = self.lname(sorted(locks)[0])
        self.add(lpath, lpos, 3,
                 "%s on an object of %s found under %s can revive one whose count "
                 "already reached 0: its final put drops the count without %s, and "
                 "only then does %s() take %s to unlink it; use kref_get_unless_zero() "
                 "and treat a failure as not found (or make the put take %s: "
                 "kref_put_mutex)" % (self.text(lpath, lpos), s, lk, lk, rel, lk, lk),
                 [(path, pos, "a final put here, without %s" % lk)])

    # -- lookups that hand back what they found after dropping the lock ----
    ITER_RE = re.compile(r"for_each|foreach", re.I)

    def at(self, src, off, length):
        """The (line, col, line_end, col_end) of length characters at off."""
        line = line_of(src.starts, off)
        col = off - src.starts[line - 1]
        return (line, col, line, col + length)

    def lock_named(self, args):
        """The lock id of a lock call's arguments, remembering how the code
        spells it, for the messages."""
        if not args:
            return "?"
        lid = lock_id(args[0])
        self.__dict__.setdefault("_lock_text", {}).setdefault(lid, norm(args[0]).lstrip("&"))
        return lid

    def lname(self, lid):
        return getattr(self, "_lock_text", {}).get(lid, lid.lstrip("."))

    def is_iteration(self, name):
        m = self.prog.macros.get(name)
        return bool(self.ITER_RE.search(name)) or \
            (m is not None and re.search(r"\b(for|while)\s*\(", m.body) is not None)

    def lookup_lock(self, f):
        """The lock a function takes and drops inside itself, if it is a
        lookup that returns what it found without a reference: a list
        walk (or a library table lookup) whose cursor it returns, or
        stores through a pointer parameter, with no kref operation of its
        own.  (lock or None, struct, where the cursor leaves, out param
        index or None); None when it is not such a lookup."""
        p = self.prog
        acq = self.get_names() | set(p.get_w1) | p.getter | p.ctor | set(p.init_w)
        if any(n.startswith("kref_") or n in acq for n, _a, _o, _e in f.calls):
            return None
        cursors = set()
        for n, a, _o, _e in f.calls:
            if a and self.is_iteration(n):
                cursors.add(norm(a[0]))
        for m in re.finditer(r"(?<![\w.>])([A-Za-z_]\w*)\s*=\s*(?:\([^()]*\)\s*)?(\w+)\s*\(", f.body):
            if m.group(2) in RAW_LOOKUP_FNS:
                cursors.add(m.group(1))
        # A find in a shared container inside a critical section, its
        # result (or the query record it fills) copied to a local.
        secs = None
        for m in re.finditer(r"(?<![\w.>])([A-Za-z_]\w*)\s*=(?!=)", f.body):
            v = m.group(1)
            if v in cursors or v in f.params:
                continue
            if secs is None:
                secs = self.sections(f)
            if any(self.section_find(f, v, sec.lock_at, sec.unlock_at) for sec in secs):
                cursors.add(v)
        if not cursors:
            return None
        for m in re.finditer(r"(?<![\w.>])([A-Za-z_]\w*)\s*=\s*([A-Za-z_]\w*)\s*;", f.body):
            if m.group(2) in cursors:
                cursors.add(m.group(1))
        leave, out, s = None, None, None
        if "*" in f.ret and p.struct_of_type(f.ret) in p.structs:
            for m in re.finditer(r"\breturn\s+([A-Za-z_]\w*)\s*;", f.body):
                if m.group(1) in cursors:
                    leave, s = m.start(), p.struct_of_type(f.ret)
                    break
        if leave is None:
            for i, (name, t) in enumerate(zip(f.params, f.ptypes)):
                if t.count("*") != 2 or p.struct_of_type(t) not in p.structs:
                    continue
                m = re.search(r"\*\s*%s\s*=\s*([A-Za-z_]\w*)\s*;" % re.escape(name), f.body)
                if m and m.group(1) in cursors:
                    r = re.compile(r"\breturn\b").search(f.body, m.end())
                    if r:
                        leave, out, s = r.start(), i, p.struct_of_type(t)
                        break
        if leave is None:
            return None
        # The lock state where the cursor leaves: the last lock operation
        # before it.
        last, lock, taken = None, None, False
        for n, a, o, _e in f.calls:
            o -= f.body_start
            is_lock = n in LOCK_FNS or n in p.lock_w or n in RCU_LOCK_FNS
            is_unlock = n in UNLOCK_FNS or n in p.unlock_w or n in RCU_UNLOCK_FNS
            if is_lock:
                taken = True
                lock = "rcu" if n in RCU_LOCK_FNS else self.lock_named(a)
            if (is_lock or is_unlock) and o < leave:
                last = "lock" if is_lock else "unlock"
        if taken and last != "unlock":
            return None         # it returns with the lock held: the caller's to drop
        return (lock if taken else None), s, f.body_start + leave, out

    def rule3_unlocked_lookups(self):
        p = self.prog
        lookups = {}
        for f in p.all_funcs:
            if f.name in p.closure:
                continue
            r = self.lookup_lock(f)
            if r is None:
                continue
            lock, s, _leave, _out = r
            if lock is None:
                # It walks with no lock: only wrong when the objects' final
                # put takes a lock that lookups must hold, and its callers
                # do not hold it.
                plocks = {l for l in self.final_put_locks(s) if l not in ("?", "rcu")}
                if not plocks or not any(n in p.put_locks.get(s, ()) for n in plocks):
                    continue
                lock = sorted(plocks)[0]
                lookups[f.name] = (f, r, lock, False)
            else:
                lookups[f.name] = (f, r, lock, True)
        if not lookups:
            return
        for f in p.all_funcs:
            path = f.src.path
            if path not in p.sources or f.name in p.closure:
                continue
            for name, args, off, end in f.calls:
                if name not in lookups or lookups[name][0] is f:
                    continue
                pos = self.at(f.src, off, len(name))
                if self.held_at(path, pos):
                    continue
                if self.single_threaded(path, pos):
                    continue
                lf, (_l, s, leave, out), lock, dropped = lookups[name]
                obj = self.lookup_result(f, args, off, out)
                if obj:
                    self.follow_lookup(f, obj, end, name, lf, leave, lock, dropped, pos)

    def lookup_result(self, f, args, off, out):
        """What the caller calls the object the lookup found."""
        if out is not None:
            if out >= len(args):
                return None
            a = norm(args[out])
            if a.startswith("&"):
                return norm(a[1:]) if re.match(r"^[A-Za-z_]\w*$", norm(a[1:])) else None
            return "*" + a if a in f.params else None
        before = f.src.clean[max(f.body_start, off - 120):off]
        m = re.search(r"(?<![\w.>])([A-Za-z_]\w*)\s*=\s*(?:\([^()]*\)\s*)?$", before)
        return m.group(1) if m else None

    def follow_lookup(self, f, obj, end, name, lf, leave, lock, dropped, pos):
        """The first thing the caller does with the object: a get (too
        late), a call that gets it (as late), or a use with none."""
        p = self.prog
        path = f.src.path
        body = f.src.clean[end:f.end]
        re_obj = r"(?<![\w.>])%s" % (r"\(\s*\*\s*%s\s*\)" % re.escape(obj[1:]) if obj.startswith("*")
                                      else re.escape(obj))
        stop = re.search(re_obj + r"\s*=(?!=)", body)
        limit = end + (stop.start() if stop else len(body))
        puts = self.put_names()
        for n, a, o, _e in f.calls:
            if o < end or o >= limit or not a:
                continue
            if n in puts and norm(obj_of(a[0])) == obj:
                return          # it puts what it found: the lookup's result counts as held
        site = None
        for n, a, o, _e in f.calls:
            if o < end or o >= limit or not a:
                continue
            if n in self.get_names() and norm(obj_of(a[0])) == obj:
                site = (path, self.at(f.src, o, len(n)), n)
                break
            g = self.param_get(n, [norm(x) for x in a].index(obj)) if obj in [norm(x) for x in a] else None
            if g:
                site = g
                break
        where = "%s() found it under %s and dropped %s before returning it" % (
            name, self.lname(lock), self.lname(lock)) if dropped else \
            "%s() walked the objects with no lock, and their final put takes %s" % (
                name, self.lname(lock))
        lk = "rcu_read_lock() (with kref_get_unless_zero)" if lock == "rcu" else self.lname(lock)
        steps = [(path, pos, "'%s' returned by %s() here, with no reference" % (obj, name)),
                 (lf.src.path, self.at(lf.src, leave, 6), "%s() lets it go here" % name)]
        if site:
            spath, spos, gname = site
            self.add(spath, spos, 3,
                     "%s on '%s' comes too late: %s, so a final put may have freed it "
                     "already; take the reference inside the lookup, under %s"
                     % (gname, obj, where, lk), steps)
            return
        m = re.search(re_obj + r"\s*->", body[:limit - end])
        if not m:
            return
        dpos = self.at(f.src, end + m.start(), len(obj))
        self.add(path, dpos, 3,
                 "'%s' is used with no reference: %s, so a final put may free it "
                 "while it is in use; take a reference inside the lookup under %s, "
                 "and put it when done" % (obj, where, lk), steps)

    def param_get(self, name, i):
        """Where the program's function name takes a reference on its
        parameter i with no lock held (its callers must hold one)."""
        p = self.prog
        for g in p.funcs.get(name, []):
            if g.src.path not in p.sources or i >= len(g.params) or name in p.get_w:
                continue
            for n, a, o, _e in g.calls:
                if n in ("kref_get", "kref_get_unless_zero") or n in p.get_w:
                    if a and norm(obj_of(a[0])) == g.params[i]:
                        pos = self.at(g.src, o, len(n))
                        if not self.held_at(g.src.path, pos):
                            return (g.src.path, pos, n)
        return None

    # -- a counted pointer read from another object's field ------------------
    def lock_state(self, f, off):
        """Per lock id, whether the function holds it at offset off, by the
        last lock or unlock of it before off in the text."""
        p = self.prog
        state = {}
        for n, a, o, _e in f.calls:
            if o >= off:
                break
            if n in LOCK_FNS or n in p.lock_w:
                state[self.lock_named(a)] = True
            elif n in UNLOCK_FNS or n in p.unlock_w:
                state[lock_id(a[0]) if a else "?"] = False
            elif n in RCU_LOCK_FNS:
                state["rcu"] = True
            elif n in RCU_UNLOCK_FNS:
                state["rcu"] = False
        return state

    FIELD_READ = re.compile(r"(?<![\w.>])([A-Za-z_]\w*)\s*=\s*([A-Za-z_]\w*)\s*->\s*([A-Za-z_]\w*)\s*;")

    def swapped_fields(self):
        """Fields holding a counted pointer that a writer replaces under a
        lock and then puts the old value of: (the struct that has the
        field, field) -> (lock, writer, the put's offset)."""
        p = self.prog
        puts = self.put_names()
        out = {}
        for w in p.all_funcs:
            if w.src.path not in p.sources:
                continue
            for m in self.FIELD_READ.finditer(w.body):
                old, base, fld = m.groups()
                if not re.search(r"(?<![\w.>])%s\s*->\s*%s\s*=(?!=)" % (re.escape(base), fld), w.body[m.end():]):
                    continue
                off = w.body_start + m.start()
                held = [l for l, on in self.lock_state(w, off).items() if on and l != "rcu"]
                if not held:
                    continue
                owner = self.pointee(w, base)
                if owner is None:
                    continue
                for n, a, o, _e in w.calls:
                    if o > off and n in puts and a and norm(obj_of(a[0])) == old:
                        out.setdefault((owner, fld), (held[0], w, o))
        return out

    def rule3_fields(self):
        p = self.prog
        swapped = self.swapped_fields()
        freed = {}
        for f in p.all_funcs:
            if f.src.path not in p.sources or f.name in p.closure:
                continue
            for m in self.FIELD_READ.finditer(f.body):
                v, base, fld = m.groups()
                s = self.pointee(f, v)
                if s not in p.structs:
                    continue
                if s not in freed:
                    freed[s] = self.ever_freed(s)
                if not freed[s]:
                    continue
                off = f.body_start + m.start()
                state = self.lock_state(f, off)
                sw = swapped.get((self.pointee(f, m.group(2)), fld))
                if sw and sw[1] is not f and self.field_unlocked(f, m, v, fld, off, state, sw):
                    continue
                self.field_after_unlock(f, m, v, fld, off, state)

    def field_unlocked(self, f, m, v, fld, off, state, swap):
        """A read of a swapped field without the writer's lock; whether
        the read was without it (a read under it is judged by its use)."""
        lock, w, po = swap
        if state.get(lock) or state.get("rcu") or self.caller_held(f, 0):
            return False
        path = f.src.path
        pos = self.at(f.src, off, len(v))
        if self.single_threaded(path, pos):
            return True
        self.add(path, pos, 3,
                 "'%s' read from '%s->%s' without %s: %s() replaces that field under "
                 "%s and puts the object it held, which may be freed while this one "
                 "uses it; read it and take a reference under %s, and put it when done"
                 % (v, m.group(2), fld, self.lname(lock), w.name, self.lname(lock),
                    self.lname(lock)),
                 [(w.src.path, self.at(w.src, po, 1), "%s() puts the old '%s' here" % (w.name, fld))])
        return True

    def field_after_unlock(self, f, m, v, fld, off, state):
        """A pointer read under a lock, used after the unlock with no
        reference: the lock was what kept it alive."""
        p = self.prog
        held = [l for l, on in state.items() if on and l != "rcu"]
        if len(held) != 1:
            return
        lock = held[0]
        unlock = None
        for n, a, o, _e in f.calls:
            if o > off and (n in UNLOCK_FNS or n in p.unlock_w) and a and lock_id(a[0]) == lock:
                unlock = o
                break
        if unlock is None:
            return
        # Only a critical section that is there to read the pointer (a
        # snapshot: the lock, a read or two, the unlock) says the lock is
        # what kept it alive; a longer one may hold the lock for other
        # reasons, and the pointer may live by the container's rules.
        taken = [o for n, a, o, _e in f.calls
                 if o < off and (n in LOCK_FNS or n in p.lock_w) and a and lock_id(a[0]) == lock]
        if not taken:
            return
        inside = [n for n, _a, o, _e in f.calls if taken[-1] < o < unlock]
        if any(n not in READ_WRAPPERS for n in inside) or \
                f.src.clean.count(";", taken[-1], unlock) > 3:
            return
        ends = f.src.clean[f.body_start + m.end():f.end]
        stop = re.search(r"(?<![\w.>])%s\s*=(?!=)" % re.escape(v), ends)
        limit = f.body_start + m.end() + (stop.start() if stop else len(ends))
        d = re.compile(r"(?<![\w.>])%s\s*->" % re.escape(v)).search(f.src.clean, unlock, limit)
        if not d:
            return
        if any(unlock < o < d.start() and (n in LOCK_FNS or n in p.lock_w) and a and
               lock_id(a[0]) == lock for n, a, o, _e in f.calls):
            return      # used under the lock again
        # A get or a handoff before the use, or a put anywhere after the
        # read: the code counts this pointer by some means.
        puts = self.put_names()
        acq = self.get_names() | set(p.getter) | set(p.hand_w) | self.valid["handoff"]
        for n, a, o, _e in f.calls:
            if off < o < limit and ((n in acq and o < d.start()) or n in puts) and \
                    any(norm(obj_of(x)) == v for x in a):
                return
        path = f.src.path
        pos = self.at(f.src, d.start(), len(v))
        if self.single_threaded(path, pos):
            return
        self.add(path, pos, 3,
                 "'%s' is used after %s is dropped with no reference: it was read from "
                 "'%s->%s' under %s, which only kept it alive while held; take a "
                 "reference before the unlock, and put it when done"
                 % (v, self.lname(lock), m.group(2), fld, self.lname(lock)),
                 [(path, self.at(f.src, off, len(v)), "'%s' read here, under %s" % (v, self.lname(lock)))])

    # -- a get after the critical section that found the pointer ----------
    def lock_events(self, f):
        """The function's lock and unlock calls in text order: (offset,
        taken?, lock id, the call's length)."""
        p = self.prog
        out = []
        for n, a, o, _e in f.calls:
            if n in LOCK_FNS or n in p.lock_w:
                out.append((o, True, self.lock_named(a), len(n)))
            elif n in UNLOCK_FNS or n in p.unlock_w:
                out.append((o, False, lock_id(a[0]) if a else "?", len(n)))
            elif n in RCU_LOCK_FNS:
                out.append((o, True, "rcu", len(n)))
            elif n in RCU_UNLOCK_FNS:
                out.append((o, False, "rcu", len(n)))
        return out

    def found_in(self, f, obj, start, stop):
        """Where the code between start and stop sets obj: an assignment,
        or a call that writes it through &obj (a lookup's out-parameter)."""
        text = f.src.clean
        r = re.escape(obj)
        m = re.compile(r"(?<![\w.>])%s\s*=(?!=)\s*([^;]*)" % r).search(text, start, stop)
        if m:
            return m.start(), m.group(1)
        m = re.compile(r"[(,]\s*(?:\([^()]*\)\s*)?&\s*%s\s*[,)]" % r).search(text, start, stop)
        if m:
            return m.start() + text[m.start():m.end()].index("&"), "&" + obj
        return None

    def rule3_get_after_unlock(self):
        """A get on a pointer that the code found inside a critical section
        it has already left: the lock was all that kept the object alive,
        and a final put may run between the unlock and the get."""
        p = self.prog
        fresh = set(p.ctor) | set(p.getter) | set(p.alloc_w)
        for f in p.all_funcs:
            if f.src.path not in p.sources or f.name in p.closure:
                continue
            events = None
            for n, a, o, _e in f.calls:
                if not a or n not in self.get_names():
                    continue
                if events is None:
                    events = self.lock_events(f)
                if not events:
                    break
                self.get_after_unlock(f, n, a, o, events, fresh)

    def get_after_unlock(self, f, n, a, o, events, fresh):
        p = self.prog
        before = [e for e in events if e[0] < o]
        state = {}
        for _eo, on, lid, _l in before:
            state[lid] = on
        if any(state.values()) or not before or before[-1][1]:
            return              # a lock is held at the get, or none was dropped
        uo, _on, lock, ulen = before[-1]
        taken = [e for e in before if e[1] and e[2] == lock and e[0] < uo]
        if not taken or lock in ("?", "rcu"):
            return
        to = taken[-1][0]
        obj = norm(obj_of(a[0]))
        if not re.match(r"^[A-Za-z_]\w*$", obj):
            return
        hit = self.found_in(f, obj, to, uo)
        obj_found = obj
        late = self.found_in(f, obj, uo, o)
        if hit is None and late is not None:
            # Copied after the unlock out of a local query record that a
            # call filled in inside the section (lookup(&q); obj = q.value).
            m = re.match(r"^([A-Za-z_]\w*)\s*\.\s*\w+$", norm(late[1]))
            q = self.found_in(f, m.group(1), to, uo) if m else None
            if q is not None and self.found_in(f, m.group(1), uo, late[0]) is None:
                hit, late = q, None
                obj_found = m.group(1)
        if hit is None or late is not None:
            return
        fo, rhs = hit
        rhs = norm(rhs)
        m = re.match(r"^(?:\([^()]*\)\s*)?([A-Za-z_]\w*)\s*\(", rhs)
        if rhs in ("NULL", "0") or (m and (m.group(1) in fresh or m.group(1) in ALLOC_FNS)):
            return              # a new object, or one returned with a reference
        path = f.src.path
        pos = self.at(f.src, o, len(n))
        tryget = n == "kref_get_unless_zero" or n in p.try_w
        s = self.struct_at(path, pos) or self.type_at(path, pos) or self.wrapper_struct(n)
        if s not in p.structs and n != "kref_get" and not tryget:
            return              # not known to be a counted object
        if tryget and lock not in self.final_put_locks(s):
            return              # tryget fails on a dying object: the unlocked put is fine
        for g, ga, go, _e in f.calls:
            if to < go < uo and g in self.get_names() | set(p.getter) and ga and \
                    norm(obj_of(ga[0])) == obj:
                return          # it took its reference inside the section
        # Path by path: an unlock on an early exit does not end the section.
        if self.held_at(path, pos) or self.single_threaded(path, pos):
            return
        lk = self.lname(lock)
        self.add(path, pos, 3,
                 "%s on '%s' after %s is dropped: '%s' was found under %s, which was all "
                 "that kept it alive, and a final put may free it between the unlock and "
                 "the get; take the reference before the unlock"
                 % (n, obj, lk, obj, lk),
                 [(path, self.at(f.src, fo, len(obj_found) + 1),
                   "'%s' found here, under %s" % (obj_found, lk)),
                  (path, self.at(f.src, uo, ulen), "%s dropped here" % lk)])

    # -- a pointer found under a lock, handed on after the unlock ----------
    def sections(self, f):
        """The function's critical sections (Section), in the order of
        their unlocks.  RCU sections are left out: what RCU protects is
        judged elsewhere."""
        out, open_ = [], {}
        for o, on, lid, ln in self.lock_events(f):
            if lid in ("?", "rcu"):
                continue
            if on:
                open_.setdefault(lid, o)
            elif lid in open_:
                out.append(Section(open_.pop(lid), o, lid, ln))
        return out

    def container_arg(self, f, args):
        """An argument that names a shared container: a global, or a member
        of a parameter or a global (&rt->processes, &d->values)."""
        p = self.prog
        for a in args:
            e = norm(a).lstrip("&")
            r = p.root(e)
            if r in p.globals and r not in p.funcs and not re.search(r"lock|mutex", e, re.I):
                return e
            if r in f.params and re.search(r"(->|\.)", e) and not re.search(r"lock|mutex", e, re.I):
                return e
        return None

    def section_find(self, f, var, to, uo):
        """How var came to point at an object found in a shared container
        inside the section [to, uo): assigned the result of a find given
        the container, or a member of a query record that such a find
        filled in.  (offset, the find's name, the container) or None."""
        p = self.prog
        fresh = set(p.ctor) | set(p.getter) | set(p.alloc_w) | self.get_names() | ALLOC_FNS
        hit = self.found_in(f, var, to, uo)
        if hit is None:
            return self.iteration_find(f, var, to, uo)
        fo, rhs = hit
        e = norm(rhs)
        if re.match(r"^[A-Za-z_]\w*$", e) and e != var:
            # The match a walk over the container stopped at (found = pos).
            r = self.iteration_find(f, e, to, fo)
            if r:
                return fo, r[1], r[2]
        m = re.match(r"^(?:\([^()]*\)\s*)?([A-Za-z_]\w*)\s*\((.*)\)$", e)
        if m and m.group(1) not in fresh and not self.counts(m.group(1)):
            c = self.container_arg(f, split_args(m.group(2)))
            if c:
                return fo, m.group(1), c
        m = re.match(r"^([A-Za-z_]\w*)\s*(?:\.|->)\s*\w+$", e)
        if m and m.group(1) not in f.params and m.group(1) not in p.globals:
            q = re.escape(m.group(1))
            for n, a, o, _e in f.calls:
                if to < o < fo and n not in fresh and not self.counts(n) and \
                        any(re.match(r"^&\s*%s$" % q, norm(x)) for x in a):
                    c = self.container_arg(f, [x for x in a if not re.match(r"^&\s*%s$" % q, norm(x))])
                    if c:
                        return fo, n, c
        return None

    def iteration_find(self, f, var, to, uo):
        """var as the cursor of a walk over a shared container inside the
        section (list_for_each_entry(var, &head, node)): where the walk
        stops, it points at one of the container's objects."""
        for n, a, o, _e in f.calls:
            if to < o < uo and len(a) > 1 and norm(a[0]) == var and self.is_iteration(n):
                c = self.container_arg(f, a[1:2])
                if c:
                    return o, n, c
        return None

    def counts(self, name):
        """Whether the program's function name does any kref operation
        (directly or through its wrappers): then what it returns may be
        counted, and it is no plain find."""
        p = self.prog
        ops = self.get_names() | set(p.put_w) | set(p.init_w) | p.getter | p.ctor
        for g in p.funcs.get(name, []):
            if any(n.startswith("kref_") or n in ops for n, _a, _o, _e in g.calls):
                return True
        return False

    def derived_find(self, f, var, upto, secs):
        """Whether var, as it stands at offset upto, points at what a find
        inside an already closed section returned: set inside it, or set
        after its unlock from a local that was (container_of(n, ...)).
        A Find, or None."""
        for sec in reversed(secs):
            to, uo = sec.lock_at, sec.unlock_at
            if uo >= upto:
                continue
            later = self.found_in(f, var, uo, upto)
            if later is None:
                r = self.section_find(f, var, to, uo)
                if r:
                    return Find(sec, r[0], r[1], r[2], var)
                continue
            lo, rhs = later
            if self.found_in(f, var, lo + 1, upto) is not None:
                return None     # assigned again: judge the last assignment only
            src = self.prog.root(norm(rhs))
            if src and src != var and re.match(r"^[A-Za-z_]\w*$", src) and \
                    self.found_in(f, src, uo, lo) is None:
                r = self.section_find(f, src, to, uo)
                if r:
                    return Find(sec, lo, r[1], r[2], src)
            return None
        return None

    def rule3_borrowed_returns(self):
        """A function that hands its caller a reference on some paths (an
        object it made or got) and, on another, an object it found in a
        shared container under a lock it has dropped, with no get: the
        caller puts it as its own, and nothing kept it alive after the
        unlock."""
        p = self.prog
        owned_fns = set(p.ctor) | set(p.getter) | set(p.alloc_w)
        for f in p.all_funcs:
            if f.src.path not in p.sources or f.name in p.closure:
                continue
            s = p.struct_of_type(f.ret) if "*" in f.ret else None
            if s not in p.structs:
                continue
            secs = self.sections(f)
            if not secs:
                continue
            rets = [(m.start(), m.group(1)) for m in
                    re.finditer(r"\breturn\s+([A-Za-z_]\w*)\s*;", f.body)]
            owned = self.owned_return(f, rets, owned_fns)
            if owned is None:
                continue
            for ro, v in rets:
                ro += f.body_start
                d = self.derived_find(f, v, ro, secs)
                if d is None:
                    continue
                if self.report_borrowed_return(f, v, ro, d, owned):
                    break

    def owned_return(self, f, rets, owned_fns):
        """Where one of f's returns hands over a reference: the returned
        local was assigned a new or got object.  (offset, callee) or None."""
        for _ro, v in rets:
            for m in re.finditer(r"(?<![\w.>])%s\s*=\s*(?:\([^()]*\)\s*)?([A-Za-z_]\w*)\s*\(" % re.escape(v),
                                 f.body):
                if m.group(1) in owned_fns:
                    return f.body_start + m.start(), m.group(1)
        # A get (or a tryget that succeeded) on the returned pointer before
        # one of its returns: that path hands the caller a reference.
        names = self.get_names() | set(self.prog.get_w1)
        for ro, v in rets:
            for n, a, o, _e in f.calls:
                if o < f.body_start + ro and n in names and a and norm(obj_of(a[0])) == v:
                    return o, n
        return None

    def report_borrowed_return(self, f, v, ro, d, owned):
        p = self.prog
        to, uo, lid, ulen = d.section.lock_at, d.section.unlock_at, d.section.lock, d.section.unlock_len
        fo, find, cont, local = d.at, d.finder, d.container, d.local
        path = f.src.path
        names = self.get_names() | set(p.getter)
        for n, a, o, _e in f.calls:
            if to < o < ro and n in names and a and any(re.search(
                    r"(?<![\w.>])%s\b" % re.escape(x), norm(a[0])) for x in (v, local)):
                return False    # it took the reference
        held = [e for e in self.lock_events(f) if e[0] < ro]
        state = {}
        for _o, on, l, _ln in held:
            state[l] = on
        if any(on for l, on in state.items() if l != "rcu"):
            return False
        # Reported where the pointer, with no reference, becomes what is
        # returned: the return, or a copy made after the unlock (a return
        # shared with the owned paths says nothing of this one).
        pos = self.at(f.src, fo, len(v)) if fo > uo else self.at(f.src, ro, 6)
        if self.single_threaded(path, pos):
            return False
        lk = self.lname(lid)
        oo, oname = owned
        steps = [(path, self.at(f.src, fo, len(v)), "'%s' found here by %s(), under %s" % (v, find, lk)),
                 (path, self.at(f.src, to, 1), "%s taken here" % lk),
                 (path, self.at(f.src, uo, ulen), "%s dropped here, with no reference on it" % lk),
                 (path, self.at(f.src, oo, len(v)),
                  "here %s() hands its caller a reference from %s()" % (f.name, oname))]
        steps += self.final_put_step(f, p.struct_of_type(f.ret))
        self.add(path, pos, 3,
                 "'%s' is returned with no reference: %s() found it in '%s' under %s, "
                 "which was dropped before the return, while %s()'s other paths hand "
                 "the caller a reference it will put; take one with the lookup, "
                 "before dropping %s" % (v, find, cont, lk, f.name, lk), steps)
        return True

    def shared_put_steps(self, f, s, cont):
        """Notes for a find in a shared container: where another function
        takes objects out of it, and the final put of its struct, each
        with the locks it holds."""
        p = self.prog
        steps = []
        puts = KREF_PUTS | set(p.put_w)
        for g in p.all_funcs:
            if g is f or g.src.path not in p.sources:
                continue
            for n, a, o, _e in g.calls:
                if any(norm(x).lstrip("&") == cont for x in a) and n not in self.get_names():
                    pos = self.at(g.src, o, len(n))
                    held = self.held_at(g.src.path, pos) - {"rcu"}
                    steps.append((g.src.path, pos, "%s() changes '%s' here, %s" % (
                        g.name, cont, "under " + ", ".join(sorted(self.lname(l) for l in held))
                        if held else "with no lock")))
                    break
            if len(steps) == 1:
                break
        return steps + self.final_put_step(f, s)

    def final_put_step(self, f, s):
        """A note at a put of struct s outside f, with the locks it holds."""
        p = self.prog
        puts = KREF_PUTS | set(p.put_w)
        for (path, _l, _c), (name, _p, _fn, pos, _po) in sorted(self.ops.items()):
            if name in puts and self.struct_at(path, pos) == s and self.func(path, pos) is not f:
                held = self.held_at(path, pos) - {"rcu"}
                args = self.call_args(path, pos)
                if name in ("kref_put_mutex", "kref_put_lock") and len(args) > 2:
                    held.add(lock_id(args[2]))
                return [(path, pos, "a final put here, %s" % (
                    "under " + ", ".join(sorted(self.lname(l) for l in held)) if held else "with no lock"))]
        return []

    R3_STORE_RE = re.compile(r"(?<![\w.>])([A-Za-z_]\w*(?:\s*(?:->|\.)\s*[A-Za-z_]\w*)*)"
                             r"\s*=\s*([A-Za-z_]\w*)\s*;")

    def owned_fields(self):
        """Fields (and globals) the program puts what they hold from:
        put(x->f), kref_put(&x->f->ref, ...).  A pointer stored there is
        handed a reference."""
        if not hasattr(self, "_owned_fields"):
            p = self.prog
            puts = self.put_names()
            out = set()
            for f in p.all_funcs:
                if f.src.path not in p.sources:
                    continue
                for n, a, _o, _e in f.calls:
                    if n in puts and a:
                        e = norm(obj_of(a[0]))
                        m = re.search(r"(?:->|\.)\s*([A-Za-z_]\w*)$", e)
                        if m:
                            out.add("." + m.group(1))
                        elif e in p.globals:
                            out.add(e)
            self._owned_fields = out
        return self._owned_fields

    def rule3_borrowed_stores(self):
        """A pointer found in a shared container under a lock, stored after
        the unlock in a field whose holder the program puts, with no get:
        the field claims a reference nobody took, and the lock that kept
        the object alive is gone."""
        p = self.prog
        owned = None
        for f in p.all_funcs:
            if f.src.path not in p.sources or f.name in p.closure:
                continue
            secs = None
            for m in self.R3_STORE_RE.finditer(f.body):
                lhs, v = squeeze(m.group(1)), m.group(2)
                fld = re.search(r"(?:->|\.)([A-Za-z_]\w*)$", lhs)
                if not fld and lhs not in p.globals:
                    continue
                if owned is None:
                    owned = self.owned_fields()
                if ("." + fld.group(1) if fld else lhs) not in owned:
                    continue
                if secs is None:
                    secs = self.sections(f)
                if not secs:
                    break
                so = f.body_start + m.start()
                d = self.derived_find(f, v, so, secs)
                if d is None or self.pointee(f, v) not in p.structs:
                    continue
                self.report_borrowed_store(f, lhs, v, so, d)

    def report_borrowed_store(self, f, lhs, v, so, d):
        p = self.prog
        to, uo, lid, ulen = d.section.lock_at, d.section.unlock_at, d.section.lock, d.section.unlock_len
        find, cont, local = d.finder, d.container, d.local
        names = self.get_names() | set(p.getter) | set(p.hand_w) | self.valid["handoff"]
        for n, a, o, _e in f.calls:
            if o > to and n in names and any(re.search(
                    r"(?<![\w.>])%s\b" % re.escape(x), norm(y)) for x in (v, local) for y in a):
                return          # counted (or judged) by the get it takes
        state = {}
        for _o, on, l, _ln in self.lock_events(f):
            if _o < so:
                state[l] = on
        if any(on for l, on in state.items() if l != "rcu"):
            return
        path = f.src.path
        pos = self.at(f.src, so, len(lhs))
        if self.single_threaded(path, pos):
            return
        lk = self.lname(lid)
        self.add(path, pos, 3,
                 "'%s' is kept in '%s' with no reference: %s() found it in '%s' under %s, "
                 "which was dropped before the store, and the program puts what '%s' holds; "
                 "take a reference with the lookup, before dropping %s"
                 % (v, lhs, find, cont, lk, lhs, lk),
                 [(path, self.at(f.src, to, 1), "%s taken here" % lk),
                  (path, self.at(f.src, uo, ulen), "%s dropped here, with no reference on it" % lk)]
                 + self.final_put_step(f, self.pointee(f, v)))

    # -- a pointer found under a lock, used after the unlock --------------
    USE_RE = re.compile(r"(?<![\w.>])([A-Za-z_]\w*)\s*->")

    def rule3_used_after_unlock(self):
        """A pointer found in a shared container inside a critical section
        and dereferenced after the unlock, with no reference taken: when
        the final put of its objects (or a removal from that container)
        runs under the same lock, that lock was all that kept it alive."""
        p = self.prog
        for f in p.all_funcs:
            if f.src.path not in p.sources or f.name in p.closure:
                continue
            secs, done = None, set()
            for m in self.USE_RE.finditer(f.body):
                v = m.group(1)
                if v in done or v in f.params or v in p.globals:
                    continue
                if secs is None:
                    secs = self.sections(f)
                if not secs:
                    break
                use = f.body_start + m.start()
                d = self.derived_find(f, v, use, secs)
                if d is None or not self.falls_through(f, d.section.unlock_at, use):
                    continue
                s = self.pointee(f, v)
                if s not in p.structs or not self.ever_freed(s):
                    continue
                if self.used_with_reference(f, v, d, use):
                    done.add(v)
                    continue
                guard = self.lock_guards(f, s, d.section.lock, d.container)
                if guard is None:
                    continue
                done.add(v)
                self.report_used_after_unlock(f, v, use, d, guard)

    def falls_through(self, f, uo, use):
        """Whether the code after the unlock at uo reaches use by falling
        through: not when the unlock ends a block (an early exit) that
        returns or jumps before the use's block."""
        text = f.src.clean
        depth, start = 0, uo
        for i in range(uo, use):
            c = text[i]
            if c == "{":
                depth += 1
            elif c == "}":
                depth -= 1
                if depth < 0:
                    if re.search(r"\b(return|goto|break|continue)\b", text[start:i]):
                        return False
                    depth, start = 0, i
        return True

    def used_with_reference(self, f, v, d, use):
        """Whether the code counts the pointer between its find and the
        use (a get, a getter, a handoff), holds the lock again at the use,
        or holds any lock there."""
        p = self.prog
        names = self.get_names() | set(p.getter) | set(p.get_w1) | set(p.hand_w) | \
            self.valid["handoff"]
        alias = {v, d.local}
        hit = self.found_in(f, d.local, d.section.lock_at, d.section.unlock_at)
        if hit and re.match(r"^[A-Za-z_]\w*$", norm(hit[1])):
            alias.add(norm(hit[1]))     # found = pos: a get on pos counts
        for n, a, o, _e in f.calls:
            if d.section.lock_at < o < use and n in names and any(re.search(
                    r"(?<![\w.>])%s\b" % re.escape(x), norm(y)) for x in alias for y in a):
                return True
        # A put of it after the find: the code holds it as its own (a find
        # that takes the object out of the container hands over its count).
        puts = self.put_names()
        if any(o > d.at and n in puts and a and norm(obj_of(a[0])) in alias
               for n, a, o, _e in f.calls):
            return True
        # Taken out of the container under the lock (list_del(&v->node)):
        # the container's reference is now this code's.
        if any(d.section.lock_at < o < d.section.unlock_at and UNLINK_RE.search(n)
               and any(p.root(x) in alias for x in a) for n, a, o, _e in f.calls):
            return True
        state = self.lock_state(f, use)
        return any(on for l, on in state.items() if l != "rcu")

    def lock_guards(self, f, s, lock, cont):
        """Where the program shows that lock keeps objects of struct s
        alive: their final put runs under it, or another function takes
        objects out of cont under it and puts them.  A note, or None."""
        p = self.prog
        if lock in self.final_put_locks(s):
            return self.final_put_step(f, s) or [(f.src.path, self.at(f.src, f.body_start, 1),
                                                  "the final put of %s takes it" % s)]
        puts = self.put_names()
        for g in p.all_funcs:
            if g is f or g.src.path not in p.sources:
                continue
            if not any(n in puts for n, _a, _o, _e in g.calls):
                continue
            for n, a, o, _e in g.calls:
                if n in self.get_names() or not any(norm(x).lstrip("&") == cont for x in a):
                    continue
                if self.lock_state(g, o).get(lock):
                    return [(g.src.path, self.at(g.src, o, len(n)),
                             "%s() takes objects out of '%s' here, under %s, and puts them"
                             % (g.name, cont, self.lname(lock)))]
        return None

    def report_used_after_unlock(self, f, v, use, d, guard):
        path = f.src.path
        pos = self.at(f.src, use, len(v))
        if self.single_threaded(path, pos):
            return
        lk = self.lname(d.section.lock)
        self.add(path, pos, 3,
                 "'%s' is used after %s is dropped, with no reference: %s() found it in "
                 "'%s' under %s, which was all that kept it alive; take a reference "
                 "before the unlock, and put it when done"
                 % (v, lk, d.finder, d.container, lk),
                 [(path, self.at(f.src, d.at, len(d.local)),
                   "'%s' found here, under %s" % (d.local, lk)),
                  (path, self.at(f.src, d.section.unlock_at, d.section.unlock_len),
                   "%s dropped here" % lk)] + guard)
