# SPDX-License-Identifier: MIT
"""Rule 3: if you hold no reference yet, make the lookup and the get one
step against the final put.  Beside its patterns, cocci/rule3.cocci.
"""

import re

from .names import FREE_FNS, LOCK_FNS, RAW_LOOKUP_FNS, READ_WRAPPERS
from .source import calls_in, key, lock_id, norm, squeeze


class Rule3:
    """The checks of rule 3 (a mixin of Checker)."""

    # -- rule 3 -------------------------------------------------------------
    def raw_read(self, f, rhs, depth=0):
        """Whether rhs reads a pointer from a shared place (a global, a
        table, a list), and which; through one local (a node read first,
        then its container)."""
        p = self.prog
        e = norm(rhs)
        m = re.match(r"^([A-Za-z_]\w*)\((.*)\)$", e)
        if m and (m.group(1) in RAW_LOOKUP_FNS or m.group(1) in p.rawlookup):
            return "%s()" % m.group(1)
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
        return None

    def rule3(self):
        p = self.prog
        gets = {}           # key -> (path, pg, py, source)
        for _t, path, _fn, (pr, pe, pg, py) in self.rec.get("RG", []):
            f = self.func(path, pg)
            if f is None:
                continue
            src = self.raw_read(f, self.text(path, pe))
            if src:
                gets.setdefault(key(path, pg), (path, pg, py, src, pr))
        for _t, path, _fn, (pi, pg, py) in self.rec.get("IG", []):
            it = self.text(path, pi)
            m = p.macros.get(it)
            if re.search(r"for_each|foreach|FOR_EACH|FOREACH", it) or \
                    (m is not None and re.search(r"\b(for|while)\s*\(", m.body)):
                gets.setdefault(key(path, pg), (path, pg, py, "the list (%s)" % it, pi))
        for _t, path, _fn, (pg, py) in self.rec.get("GG", []):
            g = norm(self.text(path, py))
            if g in p.globals:
                gets.setdefault(key(path, pg), (path, pg, py, "'%s'" % g, pg))
        self.locked_lookup = {}
        for k, (path, pg, py, where, pr) in sorted(gets.items()):
            f = self.func(path, pg)
            if f is None or f.name in p.closure:
                continue
            if self.single_threaded(path, pg):
                continue
            name = self.text(path, pg)
            tryget = name == "kref_get_unless_zero" or name in p.try_w
            held = self.held_at(path, pg, since=pr)
            rcu = "rcu" in held
            locks = held - {"rcu"}
            s = self.struct_at(path, pg) or self.type_at(path, pg)
            if s in self.prog.structs and not self.ever_freed(s):
                continue        # nothing ever puts or frees one: it cannot die
            put_locks = self.final_put_locks(s)
            obj = norm(self.text(path, py))
            found = [(path, pr, "'%s' read from %s here" % (obj, where))] if pr != pg else []
            lockname = " or ".join(sorted(l.lstrip(".") for l in put_locks)) or "a lock"
            if not locks and not rcu:
                if tryget:
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
                if not tryget:
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
        self.rule3_puts()

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

    def release_unlinks(self, rel):
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
            unlinks, rel_locks = self.release_unlinks(rel)
            if not unlinks or (rel_locks and not self.locks_match(rel_locks, locks)):
                continue        # the structure holds a reference, or another scheme
            if self.held_at(path, pos) - {"rcu"}:
                continue
            if self.initialised_here(f, path, pos, po):
                continue        # never published: nobody can look it up
            lk = sorted(l.lstrip(".") for l in locks)[0]
            if name != "kref_put":
                args = ["&%s->%s" % (norm(args[0]) if args else "obj",
                                     (p.structs.get(s) or ["ref"])[0]), p.put_macro_plain[name]]
            self.add(path, pos, 3,
                     "objects of %s are looked up under %s with kref_get (line %d), but "
                     "this put does not take it: a lookup can find the object after its "
                     "count reached 0; use kref_put_mutex(%s, %s, &%s) or hold %s "
                     "around the put"
                     % (s, lk, lpos[0], args[0] if args else "...",
                        args[1] if len(args) > 1 else "release", lk, lk),
                     [(lpath, lpos, "a lookup gets an object of %s here, under %s" % (s, lk))])
