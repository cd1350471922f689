# SPDX-License-Identifier: MIT
"""Rule 2: put when you are done; free only in the release function.
Beside its patterns, cocci/rule2.cocci.
"""

import bisect
import re

from .names import FREE_FNS, ID_ALLOC_FNS, PUBLISH_FNS, THREAD_START, WORK_START
from .source import calls_in, key, match_close, norm, obj_of, squeeze


class Rule2:
    """The checks of rule 2 (a mixin of Checker)."""

    # -- rule 2 -------------------------------------------------------------
    def release_for(self, s):
        for rel, st in sorted(self.prog.release_struct.items()):
            if st == s:
                return rel
        return None

    def kref_obj(self, path, pos, po, f):
        """The struct (with a kref) that the pointer at po points to, or
        None if it is not such an object."""
        t = self.types.get(key(path, pos))
        if t and t.count("*") > 1:
            return None         # an array of pointers to objects, not one
        s = self.prog.struct_of_type(t)
        if s in self.prog.structs:
            return s
        obj = self.text(path, po)
        m = re.search(r"\b(?:container_of|caa_container_of|list_entry)\s*\([^,]*,\s*([^,]+),", obj)
        if m:
            s = self.prog.struct_of_type(m.group(1))
            if s in self.prog.structs:
                return s
        # Untyped: the function does kref operations on the same pointer.
        for (opath, _l, _c), (name, _p, _fn, opos, opo) in self.ops.items():
            if opath != path or not name.startswith("kref_"):
                continue
            if self.func(path, opos) is f and self.same_obj(f, self.text(path, opo), obj):
                s = self.struct_at(path, opos)
                return s or "an object with a struct kref"
        return None

    def graveyard(self):
        """Members the release functions park a released object in
        (t->dead = obj), for a free after a grace period or at teardown."""
        if hasattr(self, "_graveyard"):
            return self._graveyard
        p = self.prog
        members = set()
        for name in p.closure:
            for f in p.funcs.get(name, []):
                for m in re.finditer(r"(?:->|\.)\s*([A-Za-z_]\w*)\s*=\s*([A-Za-z_]\w*)\s*;", f.body):
                    v = m.group(2)
                    if v in f.params or self.decl_struct(f, v) in p.structs:
                        members.add(m.group(1))
        self._graveyard = members
        return members

    def from_graveyard(self, f, obj):
        obj = norm(obj)
        for m in re.finditer(r"(?<![\w.>])%s\s*=\s*[^;=]*(?:->|\.)\s*([A-Za-z_]\w*)\s*;" % re.escape(obj), f.body):
            if m.group(1) in self.graveyard():
                return True
        return False

    def freed_by_last_put(self, f, path, pos, obj):
        """free(obj) in the branch of if (kref_put(&obj->...)): the put
        said it dropped the last reference, so this is the release."""
        src = self.src(path)
        off = src.offset(pos[0], pos[1])
        for m in re.finditer(r"\bif\s*\(", src.clean[f.body_start:off]):
            c0 = f.body_start + m.end() - 1
            c1 = match_close(src.clean, c0) - 1
            b0, b1 = self.branch_after(src, c1 + 1)
            if b0 <= off < b1 and self.puts_in(f, src.clean[c0:c1 + 1], obj):
                return True
        return False

    def shares(self, f, path, lo, hi, obj, pfree):
        """Whether the code from offset lo to hi (after the object's
        kref_init) hands obj to anyone: a get, a handoff or publication of
        it (failed or not: a register that failed may have let it be seen),
        or a store to a global.  A table insert that failed stored nothing,
        and one made inside a critical section that lasts to the free (at
        pfree) could be seen by nobody."""
        p = self.prog
        src = self.src(path)
        chunk = src.clean[lo:hi]
        hand = set(THREAD_START) | set(WORK_START) | p.handoff_names() | PUBLISH_FNS
        gets = {"kref_get", "kref_get_unless_zero"} | set(p.get_w) | set(p.try_w)
        at_free = self.held.get(key(path, pfree), {})
        for name, args, o, e in calls_in(chunk, lo):
            if name in gets and args and self.same_obj(f, obj_of(args[0]), obj):
                return True
            if name not in hand and name not in p.get_w1:
                continue
            if not any(self.same_obj(f, norm(a).lstrip("&"), obj) or
                       re.match(r"^&?%s(->|\.)" % re.escape(obj), norm(a)) for a in args):
                continue
            if name in ID_ALLOC_FNS and re.match(
                    r"^(\s*;\s*if\s*\([^;{}]*\)|[^;{}]*\))\s*(\{[^{}]*)?$", src.clean[e:hi]):
                continue        # it failed (the code ends in its test)
            line = bisect.bisect_right(src.starts, o)
            at_call = self.held.get((path, line, o - src.starts[line - 1]), {})
            if any(set(map(tuple, pls)) & set(map(tuple, at_free.get(lk, ())))
                   for lk, pls in at_call.items()):
                continue        # one critical section from the insert to the free
            return True
        for m in re.finditer(r"(?<![\w.>])([A-Za-z_]\w*)\s*=\s*%s\s*;" % re.escape(obj), chunk):
            if m.group(1) in p.globals:
                return True
        return False

    def hands_off(self, f, chunk, obj):
        """Whether chunk gives obj to a thread, a work item, a queue or a
        table (its reference goes with it)."""
        hand = set(THREAD_START) | set(WORK_START) | self.prog.handoff_names()
        return any(name in hand and any(self.same_obj(f, norm(a).lstrip("&"), obj)
                                        for a in args)
                   for name, args, _o, _e in calls_in(chunk))

    def unshared_since_init(self, f, path, pos, obj):
        """A free on a constructor's or probe's error path: since its
        kref_init, no path to the free gave the object to anyone, so the
        reference being dropped is the only one and the free is the final
        put.  The paths are the gotos to the labels just above the free
        (after the function's last return before it), or the code itself
        when no label comes between."""
        src = self.src(path)
        text = src.clean
        off = src.offset(pos[0], pos[1])
        chunk = text[f.body_start:off]
        inits = [o for name, args, o, _e in calls_in(chunk, f.body_start)
                 if (name == "kref_init" or name in self.prog.init_w) and args
                 and self.same_obj(f, obj_of(args[0]), obj)]
        ctor = r"(?<![\w.>])%s\s*=\s*(%s)\s*\(" % (
            re.escape(obj), "|".join(map(re.escape, sorted(self.prog.ctor))) or "$^")
        inits += [f.body_start + m.start() for m in re.finditer(ctor, chunk)]
        if not inits:
            return False
        start = max(inits)
        ladder = text[start:off]
        rets = [m.end() for m in re.finditer(r"\breturn\b[^;]*;", ladder)]
        labels = re.findall(r"(?m)^\s*([A-Za-z_]\w*)\s*:(?!:)", ladder[rets[-1]:]) if rets else []
        if not labels:
            return not self.shares(f, path, start, off, obj, pos)
        entries = [start + m.start() for lab in labels
                   for m in re.finditer(r"\bgoto\s+%s\s*;" % re.escape(lab), ladder)]
        return bool(entries) and not any(self.shares(f, path, start, e, obj, pos) for e in entries)

    def rule2(self):
        p = self.prog
        fresh = {key(path, pos[0]) for _t, path, _fn, pos in self.rec.get("FRESH", [])}
        live = {key(path, pos[0]) for _t, path, _fn, pos in self.rec.get("LIVE", [])}
        for (path, line, col), (name, _p, fn, pos, po) in sorted(self.ops.items()):
            if not (name in FREE_FNS or name in p.free_w):
                continue
            f = self.func(path, pos)
            if f is None or f.name in p.closure or f.name in p.releases:
                continue
            s = self.kref_obj(path, pos, po, f)
            if name in p.free_w and not s:
                w = p.funcs.get(name, [None])[0]
                if w is not None and w.ptypes:
                    t = p.struct_of_type(w.ptypes[p.free_w[name]])
                    s = t if t in p.structs else None
            if not s:
                continue
            obj = norm(self.text(path, po))
            # Inside a free helper, its callers' frees are what count.
            if obj in f.params and f.name in p.free_w and p.callers.get(f.name):
                continue
            k = key(path, pos)
            if k in fresh and k not in live:
                continue        # never initialised: an allocation failure path
            if self.from_graveyard(f, obj):
                continue        # released already, parked for a later free
            if self.freed_by_last_put(f, path, pos, obj):
                continue
            if name in FREE_FNS and self.unshared_since_init(f, path, pos, obj):
                continue        # the only reference: this free is the final put
            rel = self.release_for(s)
            member = (p.structs.get(s) or ["ref"])[0]
            fix = "kref_put(&%s->%s, %s)" % (obj, member, rel) if rel else "kref_put()"
            what = "%s()" % name
            if name in p.free_w:
                what = "%s(), which frees it," % name
            self.add(path, pos, 2,
                     "%s of '%s' outside its release function (%s embeds a struct kref; "
                     "others may still hold references): drop your reference with %s instead"
                     % (what, obj, s, fix), self.release_step(rel, s))
        for _t, path, _fn, (pos,) in self.rec.get("RELCALL", []):
            f = self.func(path, pos)
            if f is None or f.name in p.closure:
                continue
            rel = self.text(path, pos)
            if not self.prog.frees(rel):
                continue
            args = self.call_args(path, pos)
            arg = args[0] if args else "..."
            # The count was taken to zero by hand (to defer the release out
            # of a lock): this call is the release after that final put.
            o = re.escape(obj_of(arg))
            if re.search(r"\b(refcount|atomic)_dec_and_test\s*\(\s*&\s*%s\s*->" % o, f.body):
                continue
            self.add(path, pos, 2,
                     "%s() called directly frees the object whatever its count: "
                     "call kref_put(%s, %s) instead" % (rel, arg.strip(), rel),
                     self.release_step(rel, None))
        self.rule2_leaks()

    def release_step(self, rel, s):
        """The note naming the release function, the one place that frees."""
        for fn in self.prog.funcs.get(rel, [])[:1]:
            what = "%s's release function" % s if s else "the release function"
            return [(fn.src.path, (fn.line, 0),
                     "%s %s(), which kref_put calls when the count reaches 0" % (what, rel))]
        return []

    def rule2_leaks(self):
        p = self.prog
        normal = {key(path, pos[0]) for _t, path, _fn, pos in self.rec.get("NORMAL", [])}
        for _t, path, _fn, (pa, po, pc, pb) in self.rec.get("LEAK", []):
            f = self.func(path, pa)
            if f is None or f.name == "main" or f.name in p.closure:
                continue
            if key(path, pb) in self.fail_exits:
                continue
            if (pb[0], pb[1]) <= (pa[0], pa[1]):
                continue
            obj = norm(self.text(path, po))
            if re.search(r"\b%s\s+__free\s*\(" % re.escape(obj), f.body) or \
                    "__free" in self.src(path).lines[pa[0] - 1]:
                continue        # put by its cleanup at every exit
            src = self.src(path)
            a_off = src.offset(pa[0], pa[1])
            c_off = src.offset(pc[0], pc[1])
            b_off = src.offset(pb[0], pb[1])
            rel = lambda off: off - f.body_start
            # The normal path puts it (through an alias too), or keeps it
            # and returns success where this path returns an error.
            kept = False
            if key(path, pa) not in normal and \
                    not self.puts_in(f, f.body[rel(b_off):], obj):
                if not self.error_exit_keeps(f, path, pa, pb, obj):
                    continue
                kept = True
            if self.puts_in(f, f.body[rel(c_off):rel(b_off)], obj):
                continue
            acq = self.text(path, pa)
            if (acq == "kref_init" or acq in p.init_w) and obj in f.params:
                continue        # the caller's object: the caller undoes the init
            cond = squeeze(self.text(path, pc))
            c = self.canon(f, obj)
            names = {x for x, r in self.aliases(f).items() if r == c} | {obj, c}
            if self.tests(cond, names) or self.inside_test(f, path, pa, pb, names):
                continue
            if any(n in PUBLISH_FNS and any(self.same_obj(f, norm(x), obj) for x in a)
                   for n, a, _o, _e in calls_in(f.body[rel(a_off):rel(b_off)])):
                continue        # the device (its drvdata) keeps the reference
            exit_text = self.stmt(path, pb)
            m = re.match(r"^return(.*)$", exit_text)
            if m:
                rv = m.group(1).strip().rstrip(";")
                if any(re.search(r"(^|[^\w>.])%s($|[^\w])" % re.escape(n), rv) for n in names):
                    continue
            m = re.match(r"^goto([A-Za-z_]\w*)", exit_text.replace("goto ", "goto"))
            if m:
                lab = re.search(r"(?m)^\s*%s\s*:(?!:)" % re.escape(m.group(1)), f.body)
                if lab is None:
                    continue
                src = self.src(path)
                if f.body_start + lab.start() < src.offset(pa[0], pa[1]):
                    continue        # a retry loop
                after = f.body[lab.end():]
                r = re.search(r"\breturn\b[^;]*;", after)
                if r and any(re.search(r"\breturn\s*\(?\s*%s\s*\)?\s*;" % re.escape(n), r.group(0))
                             for n in names):
                    continue        # the label returns the reference: a success path
                tail = after[:r.end()] if r else after
                if self.puts_in(f, tail, obj) or self.hands_off(f, tail, obj):
                    continue        # the label puts it, or gives it away
            self.add(path, pb, 2,
                     "this error path leaks the reference to '%s' taken at line %d (%s); "
                     "%s: put it here too"
                     % (obj, pa[0], acq, "the success path keeps it for later" if kept
                        else "the normal path puts it"),
                     [(path, pa, "reference to '%s' taken here (%s)" % (obj, acq))])

    @staticmethod
    def tests(cond, names):
        """Whether the condition tests one of names for NULL or an error."""
        for n in names:
            if re.search(r"(^|[^\w>.])!%s($|[^\w\-.(\[])" % re.escape(n), cond) or \
                    re.search(r"\b%s(==|!=)NULL|NULL(==|!=)%s\b" % (re.escape(n), re.escape(n)), cond) or \
                    re.search(r"IS_ERR(_OR_NULL)?\(%s\)" % re.escape(n), cond) or \
                    cond == n:
                return True
        return False

    def inside_test(self, f, path, pa, pb, names):
        """Whether the exit at pb lies in a branch, or in the else, of an
        outer if (after the acquisition) that tests the pointer: there it
        is NULL or an error pointer, no reference."""
        src = self.src(path)
        a_off, b_off = src.offset(pa[0], pa[1]), src.offset(pb[0], pb[1])
        alt = "|".join(re.escape(n) for n in names)
        fail = re.compile(r"^(!(%s)|(%s)==NULL|NULL==(%s)|IS_ERR(_OR_NULL)?\((%s)\))$" % ((alt,) * 4))
        ok = re.compile(r"^((%s)|(%s)!=NULL|NULL!=(%s)|!IS_ERR(_OR_NULL)?\((%s)\))$" % ((alt,) * 4))
        for m in re.finditer(r"\bif\s*\(", src.clean[a_off:b_off]):
            c0 = a_off + m.end() - 1
            c1 = match_close(src.clean, c0) - 1
            cond = squeeze(src.clean[c0 + 1:c1])
            b0, b1 = self.branch_after(src, c1 + 1)
            if b0 <= b_off < b1 and fail.match(cond):
                return True
            e = re.match(r"\s*else\b", src.clean[b1:])
            if e and ok.match(cond):
                e0, e1 = self.branch_after(src, b1 + e.end())
                if e0 <= b_off < e1:
                    return True
        return False

    ERROR_VALUE = re.compile(r"^(-\s*\w+|NULL|false|ERR_PTR\(.*\)|\(void\s*\*\)\s*0|0\s*==\s*1)$")

    def error_exit_keeps(self, f, path, pa, pb, obj):
        """A reference kept by the function on success (no put follows),
        and this exit returns an error: the caller will not put it."""
        m = re.match(r"^return\s*(.*?)\s*$", self.stmt(path, pb))
        if not m or not self.ERROR_VALUE.match(squeeze(m.group(1))):
            return False
        acq = self.text(path, pa)
        if not (acq.startswith("kref_") or acq in self.prog.get_w or
                acq in self.prog.try_w or acq in self.prog.init_w or
                acq in self.prog.ctor or acq in self.prog.getter or
                self.decl_struct(f, obj) in self.prog.structs):
            return False
        src = self.src(path)
        # Given away on the way (passed whole to some function that may
        # keep it): the success path may not own it any more.
        between = src.clean[src.offset(pa[0], pa[1]):src.offset(pb[0], pb[1])]
        for name, args, _o, _e in calls_in(between):
            if name.startswith("kref_") or name in self.prog.get_w or name in self.prog.try_w:
                continue
            if any(self.same_obj(f, a, obj) for a in args):
                return False
        after = f.body[src.offset(pb[0], pb[1]) - f.body_start:]
        for r in re.finditer(r"\breturn\s*([^;]*);", after):
            v = squeeze(r.group(1))
            if v in ("0", "true") or self.same_obj(f, v, obj) or \
                    re.match(r"^&?%s(->|\.)" % re.escape(norm(obj)), v):
                return True
        return False

    def decl_struct(self, f, name):
        """The struct a local or parameter points to, from its declaration."""
        name = norm(name)
        if name in f.params:
            return self.prog.struct_of_type(f.ptypes[f.params.index(name)])
        m = re.search(r"((?:struct|union)\s+\w+|\w+)\s*\*\s*(?:const\s+)?(?:\w+\s*(?:=[^,;]*)?,\s*\*?\s*)*%s\b"
                      % re.escape(name), f.body)
        return self.prog.struct_of_type(m.group(1)) if m else None
