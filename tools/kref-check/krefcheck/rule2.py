# SPDX-License-Identifier: MIT
"""Rule 2: put when you are done; free only in the release function.
Beside its patterns, cocci/rule2.cocci.
"""

import bisect
import re

from .names import (ALLOC_FNS, C_KEYWORDS, FREE_FNS, ID_ALLOC_FNS, KREF_PUTS, PUBLISH_FNS, READ_WRAPPERS,
    THREAD_START, UNLINK_RE, WORK_START)
from .source import calls_in, key, kref_owner, line_of, match_close, norm, obj_of, split_args, squeeze


# The kernel's lookups documented to return their result with a reference
# the caller must drop (of_node_put, put_device, ...), when the program
# does not define them itself.
REF_LOOKUP_RE = re.compile(
    r"^(of_find_\w+|of_parse_phandle\w*|of_get_(child|next|parent|compatible_child|"
    r"cpu_node)\w*|of_graph_get_\w+|bus_find_device\w*|"
    r"class_find_device\w*|device_find_child\w*|driver_find_device\w*|"
    r"fwnode_get_\w*(node|parent|child)\w*|pci_get_\w+|"
    r"dev_get_by_\w+|in_dev_get|in6_dev_get)$")
# (get_device, of_node_get, usb_get_dev return their argument: a get of
# the caller's pointer, most often stored in a member that owns it.)
READ_WRAPPERS_ALL = READ_WRAPPERS | {"INIT_LIST_HEAD", "printf", "printk", "pr_debug", "pr_info"}
# The puts of those lookups' results.
REF_LOOKUP_PUTS = {"of_node_put", "put_device", "fwnode_handle_put", "pci_dev_put",
                   "usb_put_dev", "usb_put_intf", "dev_put", "in_dev_put", "in6_dev_put",
                   "platform_device_put"}


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

    def embedded_kref(self, path, pos):
        """The counted struct that the freed pointer's struct holds by
        value, or None."""
        t = self.types.get(key(path, pos))
        if not t or t.count("*") > 1:
            return None
        for _m, inner in self.prog.embeds.get(self.prog.struct_of_type(t), ()):
            if inner in self.prog.structs:
                return inner
        return None

    def embedded_put(self, path, pos, inner, obj):
        """For a free of an object that holds the counted struct inner by
        value: the put to call on that member, and the step naming it."""
        t = self.types.get(key(path, pos))
        p = self.prog
        member = next((m for m, st in p.embeds.get(p.struct_of_type(t), ()) if st == inner), None)
        for name, i in sorted(p.put_w.items()):
            for w in p.funcs.get(name, [])[:1]:
                if member and i < len(w.ptypes) and p.struct_of_type(w.ptypes[i]) == inner:
                    return ("%s(&%s->%s)" % (name, obj, member),
                            [(w.src.path, (w.line, 0), "%s() puts %s, freeing it through its "
                              "release function at the last reference" % (name, inner))])
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
        hand = set(THREAD_START) | set(WORK_START) | p.handoff_names() | PUBLISH_FNS | \
            p.init_hand
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
                 and self.same_obj(f, kref_owner(args[0]), obj)]
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

    def balanced_since_alloc(self, f, path, pos, obj):
        """A free of an object this function allocated and never gave to
        anyone, whose count it only raised and lowered again (a get taken
        so that a put in a teardown helper is not the final one): the
        reference it drops is the one it started with."""
        p = self.prog
        src = self.src(path)
        off = src.offset(pos[0], pos[1])
        chunk = src.clean[f.body_start:off]
        allocs = [m.end() for m in re.finditer(
            r"(?<![\w.>])%s\s*=\s*(?:\([^()]*\)\s*)?(%s)\s*\(" % (
                re.escape(obj), "|".join(map(re.escape, sorted(ALLOC_FNS | p.alloc_w)))), chunk)]
        if not allocs:
            return False
        chunk = chunk[allocs[-1]:]
        gets = puts = 0
        for name, args, _o, _e in calls_in(chunk):
            if not args:
                continue
            if name == "kref_init" or name in p.init_w:
                return False
            if self.gets_of(f, "%s(%s)" % (name, ", ".join(args)), obj):
                gets += 1
            elif self.put_object(name, args) is not None and \
                    self.same_obj(f, obj_of(self.put_object(name, args)), obj):
                puts += 1
        if gets == 0 or gets != puts or self.hands_off(f, chunk, obj):
            return False
        if any(n in PUBLISH_FNS for n, _a, _o, _e in calls_in(chunk)):
            return False
        return not any(m.group(1) in p.globals for m in re.finditer(
            r"(?<![\w.>])([A-Za-z_]\w*)\s*=\s*%s\s*;" % re.escape(obj), chunk))

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
            s = direct = self.kref_obj(path, pos, po, f)
            if name in p.free_w and not s:
                w = p.funcs.get(name, [None])[0]
                if w is not None and w.ptypes:
                    t = p.struct_of_type(w.ptypes[p.free_w[name]])
                    s = t if t in p.structs else None
            k = key(path, pos)
            if not s:
                # An object holding a counted struct by value lives and dies
                # by that struct's count, once a kref op on the member made
                # it live (no such op: a plain struct freed, not judged).
                s = self.embedded_kref(path, pos) if k in live else None
            if not s:
                continue
            obj = norm(self.text(path, po))
            via = self.embedded_put(path, pos, s, obj) if s != direct else None
            # Inside a free helper, its callers' frees are what count.
            if obj in f.params and f.name in p.free_w and p.callers.get(f.name):
                continue
            if k in fresh and k not in live:
                continue        # never initialised: an allocation failure path
            if self.from_graveyard(f, obj):
                continue        # released already, parked for a later free
            if self.freed_by_last_put(f, path, pos, obj):
                continue
            if name in FREE_FNS and self.unshared_since_init(f, path, pos, obj):
                continue        # the only reference: this free is the final put
            if name in FREE_FNS and self.balanced_since_alloc(f, path, pos, obj):
                continue        # made here, its gets undone by as many puts
            rel = self.release_for(s)
            member = (p.structs.get(s) or ["ref"])[0]
            fix = ("kref_put(&%s->%s, %s)" % (obj, member, rel) if rel
                   else "kref_put() and its release function")
            if via:
                fix = via[0]
            what = "%s()" % name
            if name in p.free_w:
                what = "%s(), which frees it," % name
            self.add(path, pos, 2,
                     "%s of '%s' outside its release function (%s; "
                     "others may still hold references): drop your reference with %s instead"
                     % (what, obj, "%s embeds a struct kref" % s if s in p.structs
                        else "this function counts it with kref operations", fix),
                     via[1] if via else self.release_step(rel, s))
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
        self.rule2_discarded()
        self.rule2_use_after_put()
        self.rule2_borrowed_by_callback()
        self.rule2_unowned_member()
        self.rule2_racing_member_puts()
        self.rule2_member_repointed()
        self.rule2_put_leaves_member()
        self.rule2_member_overwritten()
        self.rule2_extra_get()
        self.rule2_owned()

    def release_step(self, rel, s):
        """The note naming the release function, the one place that frees."""
        for fn in self.prog.funcs.get(rel, [])[:1]:
            what = "%s's release function" % s if s else "the release function"
            return [(fn.src.path, (fn.line, 0),
                     "%s %s(), which kref_put calls when the count reaches 0" % (what, rel))]
        return []

    def rule2_leaks(self):
        p = self.prog
        # Keyed by the object too: x->m = keep(y) acquires both x->m and y,
        # and a put of y says nothing of the path of x->m.
        normal = {(key(path, pos[0]), key(path, pos[1]))
                  for _t, path, _fn, pos in self.rec.get("NORMAL", [])}
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
            acq = self.text(path, pa)
            # Stored straight into a member, the reference is the holder's.
            known = self.ref_lookup(acq) and re.match(r"^[A-Za-z_]\w*$", obj)
            if (key(path, pa), key(path, po)) not in normal and not known and \
                    not self.puts_in(f, f.body[rel(b_off):], obj):
                if not self.error_exit_keeps(f, path, pa, pb, obj):
                    continue
                kept = True
            if self.puts_in(f, f.body[rel(c_off):rel(b_off)], obj) or \
                    self.puts_embedded(f, f.body[rel(c_off):rel(b_off)], obj):
                continue
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
            if self.owned_by_returned(f, a_off, b_off, path, pb, obj, names):
                continue        # a constructor returns the object that owns the reference
            if not kept and self.left_with_caller(f, a_off, b_off, path, pb, names):
                continue        # the object went to the caller's out-parameter first
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
                     % (obj, pa[0], acq, "%s() returns it with a reference" % acq if known
                        else "the success path keeps it for later" if kept
                        else "the normal path puts it"),
                     [(path, pa, "reference to '%s' taken here (%s)" % (obj, acq))])

    def exit_tail(self, f, path, pb):
        """The body offsets of what runs from the exit at pb to its
        return: the exit itself, or a goto's label up to its return."""
        src = self.src(path)
        b = src.offset(pb[0], pb[1]) - f.body_start
        m = re.match(r"goto\s+([A-Za-z_]\w*)", f.body[b:])
        if m:
            lab = re.search(r"(?m)^\s*%s\s*:(?!:)" % re.escape(m.group(1)), f.body)
            if lab is None:
                return b, b
            b = lab.end()
        r = re.compile(r"\breturn\b[^;]*;").search(f.body, b)
        return b, r.end() if r else len(f.body)

    def roots(self, f, names):
        """names, and what they were read from: device = pd->device
        gives pd too (the holder of pd holds device)."""
        out = set(names)
        for n in names:
            for m in re.finditer(r"(?<![\w.>])%s\s*=\s*&?\s*([A-Za-z_]\w*)\s*(->|\.|;|,)"
                                 % re.escape(n), f.body):
                out.add(m.group(1))
        return out

    def owned_by_returned(self, f, a_off, b_off, path, pb, obj, names):
        """A constructor's success exit: it returns x, made by a call
        before the reference was taken, x holds the object (x->m = obj,
        or what obj was read from), and every put of it in the function
        is on a failure path that returns an error.  The reference taken
        while building x is x's, not this path's to put."""
        m = re.match(r"^return\s*\(?\s*([A-Za-z_]\w*)\s*\)?\s*;?$", self.stmt(path, pb))
        if not m or m.group(1) in names or m.group(1) in ("NULL", "nullptr"):
            return False
        x = re.escape(m.group(1))
        a, b = a_off - f.body_start, b_off - f.body_start
        made = [c for c in re.finditer(r"(?<![\w.>])%s\s*=\s*(\([^()]*\)\s*)?[A-Za-z_]\w*\s*\("
                                       % x, f.body[:a])]
        if not made:
            return False
        held = "|".join(re.escape(r) for r in self.roots(f, names))
        if not re.search(r"(?<![\w.>])%s\s*(->|\.)\s*\w+\s*=\s*&?\s*(%s)\s*;" % (x, held),
                         f.body[made[-1].end():b]):
            return False
        for name, args, _o, e in calls_in(f.body[a:], a):
            if name in ("kref_get", "kref_get_unless_zero") or not \
                    self.puts_in(f, "%s(%s)" % (name, ",".join(args)), obj):
                continue
            r = re.compile(r"\breturn\s*([^;]*);").search(f.body, e)
            if not r or not self.ERROR_VALUE.match(squeeze(r.group(1))):
                return False
        return True

    def left_with_caller(self, f, a_off, b_off, path, pb, names):
        """The exit leaves the object in the caller's out-parameter: the
        function made it (p = f(...)), stored it in *param before taking
        this extra reference, and nothing cleared *param since.  The
        object went to the caller, whose error handling puts it."""
        a, b = a_off - f.body_start, b_off - f.body_start
        alt = "|".join(re.escape(n) for n in names)
        outs = "|".join(re.escape(q) for q in f.params) or "$^"
        stores = list(re.finditer(r"(?<![\w.>])\*\s*(%s)\s*=\s*(%s)\s*;" % (outs, alt), f.body[:a]))
        if not stores:
            return False
        st = stores[-1]
        if not re.search(r"(?<![\w.>])(%s)\s*=\s*(\([^()]*\)\s*)?[A-Za-z_]\w*\s*\(" % alt,
                         f.body[:st.start()]):
            return False
        t0, t1 = self.exit_tail(f, path, pb)
        reset = re.compile(r"(?<![\w.>])\*\s*%s\s*=(?!=)" % re.escape(st.group(1)))
        return not reset.search(f.body[st.end():b]) and not reset.search(f.body[t0:t1])

    def put_object(self, name, args):
        """The object a call puts, or None if it is no put."""
        p = self.prog
        if name in KREF_PUTS and args:
            return obj_of(args[0])
        i = p.put_w.get(name, p.put_w1.get(name, p.put_any.get(name)))
        if i is not None and i < len(args):
            return norm(args[i])
        return None

    def gets_of(self, f, chunk, obj):
        p = self.prog
        gets = {"kref_get", "kref_get_unless_zero"}
        for name, args, _o, _e in calls_in(chunk):
            if name in gets and args and self.same_obj(f, obj_of(args[0]), obj):
                return True
            i = p.get_w.get(name, p.get_w1.get(name, p.try_w.get(name)))
            if i is not None and i < len(args) and self.same_obj(f, args[i], obj):
                return True
        return False

    def rule2_use_after_put(self):
        """A put the function had no reference of its own beside: the
        count may have reached zero there, so any use of the object after
        it (a dereference, passing it on) may touch freed memory."""
        p = self.prog
        for path, src in sorted(p.sources.items()):
            for f in src.funcs:
                if f.name in p.closure or f.name in p.releases or f.name in p.releases_early:
                    continue
                for name, args, o, e in f.calls:
                    if name in p.put_any and name not in p.put_w and name not in p.put_w1:
                        continue        # a teardown helper: which reference it drops is its own business
                    obj = self.put_object(name, args)
                    if not obj or not re.match(r"^[A-Za-z_]\w*((->|\.)[A-Za-z_]\w*)?$", obj):
                        continue
                    rel = self.release_of(name, args)
                    # What the release frees beside (or instead of) the
                    # object: a use of a copy of that member is a use too.
                    members_only = rel in p.funcs and not p.frees(rel)
                    if members_only and not self.release_frees_members(rel):
                        continue        # its release frees nothing: the object outlives the count
                    if self.acquired_here(f, src.clean[f.body_start:o], obj):
                        continue        # the reference it dropped was its own
                    # if (put(x)) ...: the result only says whether this put
                    # freed it; either way the caller's reference is gone.
                    tested = self.tested_put(f, src, o, e)
                    if tested is None and self.own_lock_across(f, src, o, obj):
                        continue        # a lock inside the object held across the put
                    before = squeeze(src.clean[max(f.body_start - 1, o - 60):o])
                    if tested is None and (not re.search(r"([;{}]|\)|\belse|(^|[;{}])[A-Za-z_]\w*:)$", before) or
                                           not squeeze(src.clean[e:e + 3]).startswith(";")):
                        continue        # its result is used: the caller knows whether it freed
                    if self.gets_of(f, src.clean[f.body_start:o], obj):
                        continue        # its own reference dropped; the one it came with remains
                    if self.published_here(f, src.clean[f.body_start:o], obj):
                        continue        # made and published here: its readers hold references
                    after = src.clean.find(";", e) + 1 if tested is None else tested
                    if not members_only and self.double_put(f, src, path, o, after, obj, name):
                        continue
                    if any(co >= after and self.put_object(n, a) is not None and
                           self.same_obj(f, self.put_object(n, a), obj) for n, a, co, _ce in f.calls):
                        continue        # put again later: it holds one of its own till then
                    use, callee = (None, None) if members_only else self.first_use_after(f, src, after, obj)
                    held = self.freed_member_use(f, src, after, obj, rel)
                    if held and (use is None or held[0] < use):
                        hline, pline = line_of(src.starts, held[0]), line_of(src.starts, o)
                        self.add(path, (hline, held[0] - src.starts[hline - 1]), 2,
                                 "'%s' (%s->%s) is used after the put at line %d, whose release "
                                 "%s() frees %s->%s: the put may have dropped the last reference "
                                 "(this function took none of its own): use it before the put"
                                 % (held[1], obj, held[2], pline, rel, obj, held[2]),
                                 [(path, (pline, o - src.starts[pline - 1]),
                                   "reference to '%s' dropped here (%s)" % (obj, name))]
                                 + self.release_step(rel, None))
                        continue
                    if use is None:
                        continue
                    line = line_of(src.starts, use)
                    pline = line_of(src.starts, o)
                    if callee:
                        # The use is out of sight, in the callee: the put
                        # is what the reader can move.
                        self.add(path, (pline, o - src.starts[pline - 1]), 2,
                                 "this put of '%s' comes before %s() (line %d) reads it, and may "
                                 "have dropped the last reference (this function took none of "
                                 "its own): put it after that call" % (obj, callee, line),
                                 [(path, (line, use - src.starts[line - 1]),
                                   "%s() reads '%s' here, after the put" % (callee, obj))])
                        continue
                    self.add(path, (line, use - src.starts[line - 1]), 2,
                             "'%s' is used after the put at line %d, which may have dropped "
                             "the last reference (this function took none of its own): "
                             "use it before the put, or put it last" % (obj, pline),
                             [(path, (pline, o - src.starts[pline - 1]),
                               "reference to '%s' dropped here (%s)" % (obj, name))])

    ASYNC_PARAM = re.compile(r"\bstruct\s+(work_struct|delayed_work|timer_list|kthread_work|"
                             r"rcu_head|tasklet_struct)\s*\*")
    SYNC_FNS = re.compile(r"^(cancel_\w*_sync|flush_\w*work\w*|kthread_stop|del_timer_sync|"
                          r"timer_delete_sync|timer_shutdown_sync|tasklet_kill|synchronize_\w+|"
                          r"pthread_join|thrd_join)$")

    def member_puts(self):
        """(struct, member) -> [(function, offset of the put)] for each put
        of a pointer read from that member: put(x->m), or p = x->m; put(p)."""
        out = {}
        for st, member, f, o, _holder in self.member_put_sites():
            out.setdefault((st, member), []).append((f, o))
        return out

    def rule2_racing_member_puts(self):
        """A work item (or timer, or thread) and another function each put
        the reference a member holds, reading it with a plain load and
        clearing it after: nothing makes the two exclusive (no common lock,
        no xchg that takes the pointer out, no cancel or flush that waits
        for the work), so both can read the same pointer and put it twice."""
        p = self.prog
        for (st, member), puts in sorted(self.member_puts().items(), key=lambda x: x[0]):
            funcs = {f for f, _o in puts}
            if len(funcs) < 2:
                continue
            for f, o in puts:
                if not (any(self.ASYNC_PARAM.search(t) for t in f.ptypes) or f.name in p.thread_fns):
                    continue
                if self.locked_at(f, o):
                    continue
                others = [(g, go) for g, go in puts if g is not f and not self.locked_at(g, go)
                          and not any(self.SYNC_FNS.match(n) for n, _a, co, _ce in g.calls if co < go)]
                if not others:
                    continue
                g, go = others[0]
                self.add_paired(f.src, o, g.src, go,
                                "%s() puts the reference held in ->%s, and %s() may put the same one at "
                                "the same time: take the pointer out of the member and clear it in one "
                                "step (xchg) or under a lock both take, before the put"
                                % (f.name, member, g.name),
                                "the other put of ->%s (%s)" % (member, st))

    def member_gets(self, st, member):
        """Functions that take a reference through holder->member of a
        holder of struct st, with the offset of the get."""
        out = []
        p = self.prog
        for g in p.all_funcs:
            if g.src.path not in p.sources:
                continue
            for name, args, o, _e in g.calls:
                if not args:
                    continue
                if name in ("kref_get", "kref_get_unless_zero"):
                    obj = obj_of(args[0])
                else:
                    i = p.get_w.get(name, p.get_w1.get(name, p.try_w.get(name)))
                    if i is None or i >= len(args):
                        continue
                    obj = norm(args[i])
                m = re.match(r"^([A-Za-z_]\w*)(?:->|\.)%s$" % re.escape(member), obj)
                if m and self.decl_struct(g, m.group(1)) == st:
                    out.append((g, o))
        return out

    def may_repoint(self, name, k, member):
        """Whether a call of name, given the holder as argument k, may
        store another pointer in holder->member: a function the program
        does not define may; one it defines, if it assigns that member."""
        p = self.prog
        if name in p.put_w or name in p.put_w1 or name in p.get_w or name in p.get_w1 or \
                name in FREE_FNS or name.startswith("kref_") or name in p.accessors:
            return False
        fn = p.funcs.get(name, [None])[0]
        if fn is None:
            return name in p.protos
        if k >= len(fn.params):
            return False
        return bool(re.search(r"(?<![\w.>])%s\s*->\s*%s\s*=(?!=)"
                              % (re.escape(fn.params[k]), re.escape(member)), fn.body))

    def puts_through_member(self, with_address):
        """Every put of holder->member (with_address: of &holder->member
        too, through a put that reaches the kref inside) outside release
        code: (path, src, function, offset, object, holder, member)."""
        for path, src, f in self.funcs_outside_release():
            for name, args, o, _e in f.calls:
                obj = self.put_object(name, args)
                if obj is None and with_address and args and \
                        norm(args[0]).startswith("&") and self.puts_through(name):
                    obj = norm(norm(args[0])[1:])
                m = re.match(r"^([A-Za-z_]\w*)(?:->|\.)([A-Za-z_]\w*)$", obj or "")
                if m:
                    yield path, src, f, o, obj, m.group(1), m.group(2)

    def rule2_member_repointed(self):
        """A reference taken through holder->member in one function and
        put through holder->member in another, after the holder went to
        code that may point the member at another object: the put may drop
        a reference on an object nobody got, and leak the one that was."""
        for path, src, f, o, obj, base, member in self.puts_through_member(with_address=False):
            if self.gets_of(f, f.body, obj):
                continue
            st = self.decl_struct(f, base)
            gets = [(g, go) for g, go in self.member_gets(st, member) if g is not f] if st else []
            if not gets:
                continue
            chunk = src.clean[f.body_start:o]
            if re.search(r"(?<![\w.>])%s\s*=(?!=)" % re.escape(base), chunk):
                continue
            # A callee the program does not define is not suspected when the
            # functions that take the reference are the ones that point the
            # member (set and got together) and no other function sets it.
            getfns = {g for g, _go in gets}
            moves = self.member_set_outside(member, getfns) or \
                not all(self.member_set_re(member).search(g.body) for g in getfns)
            via = [(c, co) for c, cargs, co, _ce in calls_in(chunk, f.body_start)
                   for k, a in enumerate(cargs)
                   if norm(a) == base and self.may_repoint(c, k, member)
                   and (moves or c in self.prog.funcs)]
            if not via:
                continue
            c, co = via[0]
            g, go = gets[0]
            line, cline = line_of(src.starts, o), line_of(src.starts, co)
            gline = line_of(g.src.starts, go)
            self.add(path, (line, o - src.starts[line - 1]), 2,
                     "put of '%s' through the member, after %s() (line %d) was given '%s' "
                     "and may have pointed it at another object: the reference was "
                     "taken in %s() on the object it held then; keep that pointer when "
                     "the reference is taken and put it" % (obj, c, cline, base, g.name),
                     [(g.src.path, (gline, go - g.src.starts[gline - 1]),
                       "reference taken here through '%s'" % obj)])

    @staticmethod
    def member_set_re(member):
        return re.compile(r"(?:->|\.)\s*%s\s*=(?!=)" % re.escape(member))

    def member_set_outside(self, member, skip):
        """Whether a function other than those in skip assigns ->member."""
        set_re = self.member_set_re(member)
        return any(set_re.search(fn.body) for fns in self.prog.funcs.values()
                   for fn in fns if fn not in skip)

    def member_put_sites(self):
        """(struct, member, function, offset of the put, holder) for each
        put of a pointer read from holder->member: put(h->m), or
        p = h->m; put(p).  Release code left out."""
        for path, src, f in self.funcs_outside_release():
            loaded = {}     # variable -> its first v = h->m; in f (one search each)
            for name, args, o, _e in f.calls:
                obj = self.put_object(name, args)
                if not obj:
                    continue
                m = re.match(r"^([A-Za-z_]\w*)(?:->|\.)([A-Za-z_]\w*)$", obj)
                if not m and re.match(r"^[A-Za-z_]\w*$", obj):
                    if obj not in loaded:
                        loaded[obj] = re.search(r"(?<![\w.>])%s\s*=\s*([A-Za-z_]\w*)\s*(?:->|\.)\s*"
                                                r"([A-Za-z_]\w*)\s*;" % re.escape(obj), f.body)
                    m = loaded[obj]
                if not m:
                    continue
                st = self.decl_struct(f, m.group(1))
                if st:
                    yield st, m.group(2), f, o, m.group(1)

    @staticmethod
    def member_re(holder, member):
        return r"(?<![\w.>])%s\s*(?:->|\.)\s*%s\b" % (re.escape(holder), re.escape(member))

    def clears_member(self, g, holder, member):
        return bool(re.search(self.member_re(holder, member) + r"\s*=\s*(NULL|0|\(\s*void\s*\*\s*\)\s*0)\s*;",
                              g.body))

    def tests_member(self, g, holder, member):
        """if (h->m) or if (h->m != NULL) in g: a set member is one that
        holds a reference."""
        return bool(re.search(r"\bif\s*\(\s*%s\s*(!=\s*NULL\s*)?\)" % self.member_re(holder, member), g.body))

    def holder_dies(self, f, after, holder):
        """Whether f frees or puts the holder itself after offset after."""
        p = self.prog
        for name, args, o, _e in f.calls:
            if o < after or not args:
                continue
            if (name in FREE_FNS or name in p.free_w) and norm(args[0]) == holder:
                return True
            if self.put_object(name, args) == holder:
                return True
        return False

    def holder_dies_in_callers(self, f, holder, member=None):
        """Whether f (a helper that tears down the holder's members) is
        only called by functions that free or put the holder they gave it,
        after the call (or, given member, point holder->member elsewhere
        after it)."""
        if holder not in f.params:
            return False
        k = f.params.index(holder)
        calls = [(g, co) for g, co in self.prog.callers.get(f.name, [])]
        if not calls:
            return False
        for g, co in calls:
            args = next((a for n, a, o, _e in g.calls if o == co), None)
            if args is None or k >= len(args):
                return False
            h = norm(args[k])
            if not (self.holder_dies(g, co + 1, h) or member and re.search(
                    self.member_re(h, member) + r"\s*=(?!=)", g.src.clean[co:g.end])):
                return False
        return True

    def rule2_put_leaves_member(self):
        """A put of the reference held in holder->member that leaves the
        pointer in the member, while another function puts that member only
        when it is set (if (h->m) put(h->m)) or clears it after its put:
        there a set member means a reference held, so the stale pointer left
        here is put (or used) again once the object may be freed."""
        p = self.prog
        sites = list(self.member_put_sites())
        for st, member, f, o, holder in sites:
            if f.name in p.free_w or re.search(self.member_re(holder, member) + r"\s*=(?!=)", f.body):
                continue        # the member is cleared or pointed elsewhere here
            if self.holder_dies(f, o, holder) or self.holder_dies_in_callers(f, holder, member):
                continue        # the holder goes with it, or its callers reset the member
            others = [(g, go, h) for s2, m2, g, go, h in sites
                      if s2 == st and m2 == member and g is not f]
            guard = [(g, go) for g, go, h in others if self.clears_member(g, h, member)]
            # The holder lives on past this put: f uses it after, or the
            # other put site clears the member for a later reader.
            used_after = re.search(r"(?<![\w.>])%s(?!\s*=[^=])\b" % re.escape(holder),
                                   f.src.clean[f.src.clean.find(";", o) + 1:f.end])
            if not guard and used_after:
                guard = [(g, go) for g, go, h in others if self.tests_member(g, h, member)]
            if not guard:
                continue
            g, go = guard[0]
            self.add_paired(f.src, o, g.src, go,
                            "this put of the reference held in %s->%s leaves the pointer in the member, "
                            "and %s() puts ->%s whenever it is set: the stale pointer is put (or used) "
                            "again after the object may be freed; set %s->%s to NULL with the put"
                            % (holder, member, g.name, member, holder, member),
                            "the other put of ->%s (%s), which trusts a set member" % (member, st))

    def returns_new_ref(self, name, path):
        p = self.prog
        return name in p.getter or name in p.ctor or bool(self.returns_ref_why(name, path))

    def rule2_member_overwritten(self):
        """holder->member = call() with a call that returns a new reference,
        while the member still points at an object this function used
        (dereferenced) before and did not put: the reference the member
        held is lost, a leak."""
        store = re.compile(r"(?<![\w.>])([A-Za-z_]\w*(?:\s*(?:->|\.)\s*[A-Za-z_]\w*)+)\s*=\s*"
                           r"(?:\([^()]*\)\s*)?([A-Za-z_]\w*)\s*\(")
        for path, src, f in self.funcs_outside_release():
            for m in store.finditer(f.body):
                lhs, name = squeeze(m.group(1)), m.group(2)
                if name in C_KEYWORDS or not self.returns_new_ref(name, path):
                    continue
                so = f.body_start + m.start()
                call_end = match_close(src.clean, f.body_start + m.end() - 1)
                if any(norm(a) == lhs for a in split_args(src.clean[f.body_start + m.end():call_end - 1])):
                    continue        # the old one is handed to the call (a cursor it puts)
                # Before the store, its call's arguments included.
                before = src.clean[f.body_start:call_end]
                parts = [re.escape(x) for x in re.split(r"->|\.", lhs)]
                lre = r"(?<![\w.>])" + r"\s*(?:->|\.)\s*".join(parts)
                deref = re.search(lre + r"\s*->", before)
                if not deref:
                    continue        # not known to point at anything yet
                rest = before[deref.start():]
                rest = rest[:len(rest) - (call_end - so)] if deref.start() < so - f.body_start else ""
                if re.search(lre + r"\s*=(?!=)", rest) or re.search(r"=\s*" + lre + r"\s*;", rest):
                    continue        # stored again, or the old pointer kept to put later
                if any(self.put_object(n, a) is not None and
                       squeeze(self.put_object(n, a)) == lhs for n, a, _o, _e in calls_in(rest)):
                    continue
                test = re.search(r"\bif\s*\(\s*%s\s*(?:!=\s*NULL\s*)?\)" % lre, before)
                if test and re.search(r"\b(return|goto)\b", before[test.end():so - f.body_start]):
                    continue        # if (h->m) return ...;: the store runs when it is NULL
                if self.helper_puts_member(rest, parts):
                    continue
                dpos = self.pos_of(src, f.body_start + deref.start())
                self.add(path, self.pos_of(src, so), 2,
                         "'%s' is overwritten with a new reference from %s() while it still "
                         "points at the object used at line %d, whose reference it held: that "
                         "reference leaks; put the old object first" % (lhs, name, dpos[0]),
                         [(path, dpos,
                           "'%s' points at an object here" % lhs)])

    def helper_puts_member(self, text, parts):
        """Whether text calls a function of the program, given the holder
        (parts[0] of holder->member), that puts param->member."""
        if len(parts) != 2:
            return False
        holder, member = (re.sub(r"\\(.)", r"\1", x) for x in parts)
        for n, a, _o, _e in calls_in(text):
            for g in self.prog.funcs.get(n, [])[:1]:
                for k, x in enumerate(a):
                    if norm(x) == holder and k < len(g.params) and any(
                            squeeze(self.put_object(n2, a2) or "") == "%s->%s" % (g.params[k], member)
                            for n2, a2, _o2, _e2 in g.calls):
                        return True
        return False

    def add_paired(self, src, off, other_src, other_off, message, note):
        """A rule 2 finding at src's offset off, with its one note at
        other_src's offset other_off."""
        self.add(src.path, self.pos_of(src, off), 2, message,
                 [(other_src.path, self.pos_of(other_src, other_off), note)])

    def ctor_refs(self, name):
        """How many references a constructor returns its object with: its
        kref_init and the gets it adds to the object it returns."""
        fn = self.prog.funcs.get(name, [None])[0]
        if fn is None:
            return 0
        rets = {norm(m.group(1)) for m in re.finditer(r"\breturn\s+([^;]+);", fn.body)}
        n = 0
        for c, args, _o, _e in fn.calls:
            if c in ("kref_init", "kref_get") and args and obj_of(args[0]) in rets:
                n += 1
        return n

    def rule2_extra_get(self):
        """A get on an object the function made itself, when the
        constructor's references already cover everything the function
        gives it to: counting the references held (the constructor's and
        the gets) against every place that may take one (puts, handoffs,
        stores, returns, any call given the pointer), one is left over
        that nothing will ever put."""
        p = self.prog
        for path, src in sorted(p.sources.items()):
            for f in src.funcs:
                if f.name in p.closure or f.name in p.ctor or f.name in p.getter:
                    continue
                for m in re.finditer(r"(?<![\w.>])([A-Za-z_]\w*)\s*=\s*([A-Za-z_]\w*)\s*\(", f.body):
                    obj, ctor = m.group(1), m.group(2)
                    if ctor not in p.ctor:
                        continue
                    held = self.ctor_refs(ctor)
                    start = f.body_start + m.end()
                    rest = src.clean[start:f.end]
                    if re.search(r"(?<![\w.>])%s\s*=(?!=)" % re.escape(obj), rest):
                        continue
                    gets, given = [], 0
                    for c, args, co, _ce in calls_in(rest, start):
                        whole = [a for a in args if norm(a) == obj or
                                 re.match(r"^&%s(->|\.)" % re.escape(obj), norm(a))]
                        if not whole:
                            continue
                        if c in ("kref_get", "kref_get_unless_zero") or c in p.get_w or c in p.try_w:
                            gets.append((c, co))
                        elif c.startswith("kref_") and c not in KREF_PUTS:
                            continue
                        elif c not in p.accessors and c not in READ_WRAPPERS_ALL:
                            given += 1
                    given += len(re.findall(r"(?<![\w.>])[A-Za-z_][\w.>\[\]-]*\s*=\s*%s\s*;"
                                            % re.escape(obj), rest))
                    given += len(re.findall(r"\breturn\s+%s\s*;" % re.escape(obj), rest))
                    if not gets or held < 1 or held + len(gets) <= given:
                        continue
                    c, co = gets[-1]
                    line = line_of(src.starts, co)
                    cline = line_of(src.starts, f.body_start + m.start())
                    self.add(path, (line, co - src.starts[line - 1]), 2,
                             "extra reference to '%s': %s() already returns it with %d, and "
                             "this function gives it to only %d place%s that may keep one; "
                             "the reference taken here is never put: drop the get"
                             % (obj, ctor, held, given, "" if given == 1 else "s"),
                             [(path, (cline, f.body_start + m.start() - src.starts[cline - 1]),
                               "made here by %s(), with %d reference%s"
                               % (ctor, held, "" if held == 1 else "s"))])

    def locked_at(self, f, off):
        src = f.src
        line = line_of(src.starts, off)
        return bool(self.held.get((src.path, line, off - src.starts[line - 1])))

    STORE = r"(?<![\w.>])([A-Za-z_]\w*)\s*(?:->|\.)\s*%s\s*=\s*([^;=][^;]*);"

    def member_stores(self, s, member):
        """(function, value, offset) of each store of a pointer to member
        of struct s, in the program's functions."""
        out = []
        for g in self.prog.all_funcs:
            if g.src.path not in self.prog.sources:
                continue
            for m in re.finditer(self.STORE % re.escape(member), g.body):
                if self.decl_struct(g, m.group(1)) == s:
                    out.append((g, norm(m.group(2)), g.body_start + m.start()))
        return out

    def rule2_unowned_member(self):
        """A put of a pointer held in a member that holds no reference: the
        function that stores it takes a reference for the other pointers it
        keeps but stores this one as it was given, so whoever puts the
        member drops a reference it never owned."""
        for path, src, f, o, obj, base, member in self.puts_through_member(with_address=True):
            st = self.decl_struct(f, base)
            if st is None:
                continue
            store = self.borrowed_store(st, member)
            if store is None:
                continue
            g, v, so = store
            line, sline = line_of(src.starts, o), line_of(g.src.starts, so)
            self.add(path, (line, o - src.starts[line - 1]), 2,
                     "put of '%s', a reference it does not own: %s() stores '%s' there "
                     "without a get (it gets the other pointers it keeps); put the member "
                     "that holds a reference, or take one when storing" % (obj, g.name, v),
                     [(g.src.path, (sline, so - g.src.starts[sline - 1]),
                       "stored here without a reference")])

    def borrowed_store(self, st, member):
        """The store that makes member of st a borrowed pointer: every
        store of it keeps a value its function took no reference on,
        while that function gets another pointer it stores."""
        stores = [x for x in self.member_stores(st, member) if x[1] not in ("NULL", "0")]
        if not stores:
            return None
        for g, v, so in stores:
            if not re.match(r"^[A-Za-z_]\w*$", v) or v not in g.params:
                return None     # made or found here: maybe its own reference
            if self.gets_of(g, g.body, v):
                return None
            others = [x.group(1) for x in re.finditer(r"(?<![\w.>])[A-Za-z_]\w*\s*(?:->|\.)\s*\w+\s*=\s*([A-Za-z_]\w*)\s*;", g.body)]
            if not any(w != v and self.gets_of(g, g.body, w) for w in others):
                return None
        return stores[0]

    def puts_through(self, name):
        """Whether the program's function name puts *p of its first
        parameter p (a clear-and-put helper given &holder->member)."""
        fn = self.prog.funcs.get(name, [None])[0]
        return fn is not None and bool(fn.params) and self.puts_in(fn, fn.body, "*" + fn.params[0])

    def puts_param(self, name):
        """Whether the program's function name puts its first parameter."""
        p = self.prog
        if p.put_w.get(name) == 0 or p.put_any.get(name) == 0:
            return True
        fn = p.funcs.get(name, [None])[0]
        return fn is not None and bool(fn.params) and fn.name not in p.releases and \
            self.puts_in(fn, fn.body, fn.params[0])

    def rule2_borrowed_by_callback(self):
        """A callback registered with its data and a destroy notify that
        puts that data: the reference belongs to the registration and is
        dropped by the notify when it ends, so the callback only borrows
        it.  A put in the callback is one put too many."""
        p = self.prog
        for path, src in sorted(p.sources.items()):
            for g in src.funcs:
                for _name, args, o, _e in g.calls:
                    names = [norm(a).lstrip("&") for a in args]
                    for j, cb in enumerate(names):
                        fn = p.funcs.get(cb, [None])[0]
                        if fn is None or not fn.params or fn.src.path not in p.sources:
                            continue
                        d = next((n for n in names[j + 2:] if n in p.funcs and self.puts_param(n)), None)
                        if d is None or d == cb:
                            continue
                        self.callback_puts(fn, fn.params[-1], d, path, src, o)

    def callback_puts(self, fn, data, destroy, rpath, rsrc, roff):
        src = fn.src
        for name, args, o, _e in fn.calls:
            if not args or name == "kref_get":
                continue
            obj = self.put_object(name, args)
            if obj is None and self.puts_param(name):
                obj = norm(args[0])
            if obj is None or not self.loose_same(fn, obj, data):
                continue
            line = line_of(src.starts, o)
            rline = line_of(rsrc.starts, roff)
            self.add(src.path, (line, o - src.starts[line - 1]), 2,
                     "%s() puts the reference to its data '%s', which it only borrows: the "
                     "registration owns it and its destroy notify %s() puts it; do not put it "
                     "here (take a reference of your own for what you keep)"
                     % (fn.name, obj, destroy),
                     [(rsrc.path, (rline, roff - rsrc.starts[rline - 1]),
                       "registered here with %s() as the destroy notify of its data" % destroy)])

    def release_of(self, name, args):
        """The release function a put call ends in, if the program says."""
        if name.startswith("kref_put") and len(args) > 1:
            return norm(args[1])
        for fn in self.prog.funcs.get(name, [])[:1]:
            for c, a, _o, _e in fn.calls:
                if c.startswith("kref_put") and len(a) > 1:
                    return norm(a[1])
        return None

    def acquired_here(self, f, chunk, obj):
        """Whether chunk takes a reference to obj: a get, an init, or a
        call that returns one (a getter, a constructor, a known lookup)."""
        if self.gets_of(f, chunk, obj):
            return True
        if any((n == "kref_init" or n in self.prog.init_w) and a and self.same_obj(f, obj_of(a[0]), obj)
               for n, a, _o, _e in calls_in(chunk)):
            return True
        for m in re.finditer(r"(?<![\w.>])%s\s*=\s*(?:\([^()]*\)\s*)?([A-Za-z_]\w*)\s*\(" % re.escape(obj), chunk):
            c = m.group(1)
            if c in self.prog.getter or c in self.prog.ctor or self.ref_lookup(c):
                return True
            # A lookup of the program's that gets what it finds (the
            # pointer it returns is another variable than the one it got).
            for fn in self.prog.funcs.get(c, [])[:1]:
                if "*" in fn.ret and any(n in ("kref_get", "kref_get_unless_zero") or
                                         n in self.prog.get_w or n in self.prog.try_w
                                         for n, _a, _o, _e in fn.calls):
                    return True
        return False

    def own_lock_across(self, f, src, off, obj):
        """Whether a lock inside obj is held across the put at off (it is
        released after it): were the put final, the release would free a
        lock still held, so the code relies on another holder's reference
        (a remove that waits under that lock)."""
        from .names import UNLOCK_FNS
        inside = re.compile(r"^&%s(->|\.)" % re.escape(obj))
        # Taken here or by the lookup that found it: released after the put.
        return any(n in UNLOCK_FNS and a and inside.match(norm(a[0]))
                   for n, a, _o, _e in calls_in(src.clean[off:f.end]))

    def published_here(self, f, chunk, obj):
        """Whether chunk initialises obj's count and then publishes it (a
        store to a global, a handoff): whoever found it there took a
        reference of their own (rule 1), which the put leaves."""
        i = [o for name, args, o, _e in calls_in(chunk)
             if (name == "kref_init" or name in self.prog.init_w) and args
             and self.same_obj(f, kref_owner(args[0]), obj)]
        if not i:
            return False
        rest = chunk[min(i):]
        if self.hands_off(f, rest, obj):
            return True
        return any(m.group(1) in self.prog.globals for m in re.finditer(
            r"(?<![\w.>])([A-Za-z_]\w*)\s*=\s*%s\s*;" % re.escape(obj), rest))

    def tested_put(self, f, src, o, e):
        """For a put that is the whole condition of an if (if (put(x)),
        if (!put(x)), if (put(x) == 0)): the offset where the code after the put starts
        (the branch, or past it when the branch only leaves); else None."""
        before = squeeze(src.clean[max(f.body_start - 1, o - 12):o])
        if not re.search(r"\bif\(!?$", before):
            return None
        m = re.match(r"\s*(?:(?:==|!=)\s*(?:0|1|false|true)\s*)?\)", src.clean[e:])
        if not m:
            return None
        close = e + m.end()
        bs, be = self.branch_after(src, close)
        if src.clean[bs:bs + 1] != "{" and re.match(r"(return|goto|break|continue)\b", src.clean[bs:be]):
            return be
        return close

    def double_put(self, f, src, path, o, after, obj, name):
        """A second put of obj after the put at o, with no get between and
        none before (acquired_here and gets_of said so): this function
        drops two references where it held one at most."""
        use, callee = self.first_use_after(f, src, after, obj, keep_puts=True)
        if use is None or callee:
            return False
        first = next((a for n, a, co, _ce in f.calls if co == o), None)
        puts = [(co, ce, a, n) for n, a, co, ce in f.calls if co >= after and self.put_object(n, a) is not None
                and self.same_obj(f, self.put_object(n, a), obj)]
        second, sname = next(((a, n) for co, ce, a, n in puts if co < use < ce), (None, None))
        if second is None and puts:
            # put(x); x->closed = 1; put(x);: uses between on one straight
            # path (no branch, jump or label, no get or new value of x).
            co, _ce, a, n = puts[0]
            between = src.clean[after:co]
            if not (self.gets_of(f, between, obj) or "{" in between or "}" in between or
                    re.search(r"\b(return|goto|else)\b|^\s*[A-Za-z_]\w*\s*:", between, re.M) or
                    re.search(r"(?<![\w.>])%s\s*=(?!=)" % re.escape(obj), between)):
                use, second, sname = co, a, n
        if first is None or second is None:
            return False
        # if (cancel_work_sync(&x->work)) put(x); put(x);: the call that
        # guards the first put handed this function another holder's
        # reference (a cancelled work's, a deleted timer's, an erased slot's).
        if self.guard_has_call(f, src, o):
            return False
        # list_del(&x->node); ... put(x); put(x);: the unlink handed this
        # function the container's reference.
        if any(UNLINK_RE.search(n) and any(self.prog.root(a) == obj for a in args)
               for n, args, co, _ce in f.calls if co < o):
            return False
        # The second put does again what the first did (the same put, or
        # a teardown that calls it): not a put of the function's own
        # reference after another holder's (a cleanup, then the final put).
        if sname != name and not self.prog.calls_reach(sname, lambda c: c == name):
            return False
        if norm(first[0]).startswith("&") and norm(second[0]).startswith("&") and \
                norm(first[0]) != norm(second[0]):
            return False        # two counts inside one object (&x->a, &x->b)
        ppos = self.pos_of(src, o)
        self.add(path, self.pos_of(src, use), 2,
                 "'%s' is put again here after the put at line %d (%s), and this function "
                 "took no second reference: a double put, which drops a reference someone "
                 "else holds (or underflows the count); put it once"
                 % (obj, ppos[0], name),
                 [(path, ppos,
                   "first put of '%s' (%s)" % (obj, name))])
        return True

    @staticmethod
    def guard_has_call(f, src, o):
        """Whether the statement at offset o is governed by an if whose
        condition calls a function: if (c) stmt, or inside if (c) { ... }."""
        text = src.clean
        j = o - 1
        while j >= f.body_start and text[j].isspace():
            j -= 1
        if text[j] != ")":
            depth = 0           # the innermost block still open at o
            while j >= f.body_start - 1:
                if text[j] == "}":
                    depth += 1
                elif text[j] == "{":
                    if depth == 0:
                        break
                    depth -= 1
                j -= 1
            j -= 1
            while j >= f.body_start and text[j].isspace():
                j -= 1
            if j < f.body_start or text[j] != ")":
                return False
        depth, k = 0, j         # back to the '(' that opens the condition
        while k >= f.body_start:
            if text[k] == ")":
                depth += 1
            elif text[k] == "(":
                depth -= 1
                if depth == 0:
                    break
            k -= 1
        if not re.search(r"\bif\s*$", text[max(f.body_start, k - 8):k]):
            return False
        return any(n not in C_KEYWORDS for n, _a, _o, _e in calls_in(text[k + 1:j]))

    def first_use_after(self, f, src, start, obj, keep_puts=False):
        """Offset of the first use of obj in the rest of the block that
        starts at offset start, up to a reassignment or a jump out."""
        text = src.clean
        depth, i = 0, start
        while i >= f.body_start:        # the enclosing block's end (the body's '{' at body_start - 1)
            i -= 1
            if text[i] == "}":
                depth += 1
            elif text[i] == "{":
                if depth == 0:
                    break
                depth -= 1
        end = min(match_close(text, i, "{", "}") - 1, f.end)
        # The put was one branch of an if: its else is another path.
        m = re.match(r"\s*else\b", text[start:end])
        while m:
            start = self.branch_after(src, start + m.end())[1]
            m = re.match(r"\s*else\b", text[start:end])
        rest = text[start:end]
        base = re.split(r"->|\.", obj)[0]
        stop = re.search(r"(?<![\w.>])(%s|%s)\s*=(?!=)" % (re.escape(obj), re.escape(base)), rest)
        if stop:
            rest = rest[:stop.start()]
        d = 0
        for m in re.finditer(r"[{}]|\b(return|goto|break|continue)\b[^;]*;", rest):
            if m.group(0) == "{":
                d += 1
            elif m.group(0) == "}":
                d -= 1
            elif d == 0 and re.search(r"(^|[;{}])$", squeeze(rest[max(0, m.start() - 12):m.start()])):
                rest = rest[:m.end()]   # a jump of its own, not one branch's
                break
        m = re.search(r"(?<![\w.>])%s\s*(->|\.)|(?<![\w.>])%s(?!\s*(->|\.|\w|\[))"
                      % (re.escape(obj), re.escape(obj)) if obj == base else
                      r"(?<![\w.>])%s(?!\s*=[^=])" % r"\s*(?:->|\.)\s*".join(map(re.escape, re.split(r"->|\.", obj))),
                      rest)
        hits = []
        if m:
            hits.append((start + m.start(), None))
        for name, args, co, _ce in calls_in(rest, start):
            if obj == base:
                continue
            callee = self.prog.funcs.get(name, [None])[0]
            if callee is None:
                continue
            for k, a in enumerate(args[:len(callee.params)]):
                if norm(a) == base and re.search(
                        r"(?<![\w.>])%s\s*->\s*%s\b(?!\s*=[^=])" % (re.escape(callee.params[k]),
                                                                  re.escape(obj[len(base):].lstrip("->."))),
                        callee.body):
                    hits.append((co, name))
        hits = [h for h in hits if not self.benign_use(text, h[0], obj, keep_puts)]
        return min(hits) if hits else (None, None)

    def benign_use(self, text, off, obj, keep_puts=False):
        """A use that does not touch the object: a comparison of the
        pointer, a put or free of it (another check's business)."""
        after = squeeze(text[off:off + len(obj) + 8])
        if re.match(r"^%s(==|!=)" % re.escape(squeeze(obj)), after):
            return True
        before = squeeze(text[max(0, off - 30):off])
        if re.search(r"(==|!=)$", before):
            return True
        m = re.search(r"([A-Za-z_]\w*)\(&?$", before)
        if m and keep_puts and self.put_object(m.group(1), [obj]) is not None:
            return False
        if m and (self.put_object(m.group(1), [obj]) is not None or m.group(1) in FREE_FNS or
                  m.group(1) in self.prog.free_w or m.group(1) in REF_LOOKUP_PUTS):
            return True
        return False

    DISCARD_BEFORE = re.compile(r"(\bif\(!?|\bwhile\(!?|[;{}]|&&!?|\|\|!?|\(void\))$")
    DISCARD_AFTER = re.compile(r"^(\)|;|&&|\|\|)")

    def rule2_discarded(self):
        """A call that returns a new reference, its result only tested or
        thrown away: nothing is left to put it with, so it leaks."""
        p = self.prog
        for path, src in sorted(p.sources.items()):
            for f in src.funcs:
                if f.name in p.closure:
                    continue
                for name, _args, o, e in f.calls:
                    if not (self.ref_lookup(name) or
                            (name in p.getter and not p.foreign(name, path))):
                        continue
                    before = squeeze(src.clean[max(f.body_start, o - 40):o])
                    after = squeeze(src.clean[e:e + 10])
                    if not (self.DISCARD_BEFORE.search(before) and self.DISCARD_AFTER.match(after)):
                        continue
                    line = line_of(src.starts, o)
                    pos = (line, o - src.starts[line - 1])
                    self.add(path, pos, 2,
                             "%s() returns its object with a reference, but the result is only "
                             "tested, never kept: the reference leaks; keep the pointer and put "
                             "it once tested" % name,
                             [(path, pos, "reference taken here (%s)" % name)])

    def puts_embedded(self, f, chunk, obj):
        """Whether chunk puts obj through an object it embeds:
        put_device(&pdev->dev) drops the reference to pdev."""
        p = self.prog
        for name, args, _o, _e in calls_in(chunk):
            i = p.put_w.get(name, p.put_w1.get(name, p.put_any.get(name)))
            if i is None and name in REF_LOOKUP_PUTS:
                i = 0
            if i is not None and i < len(args) and norm(args[i]).startswith("&") and \
                    self.loose_same(f, obj_of(args[i]), obj):
                return True
        return False

    def ref_lookup(self, name):
        """Whether name is one of the kernel's lookups that return a
        reference, in a program that counts what it returns: its declared
        result embeds a struct kref, or the program drops such references
        (of_node_put, put_device...) somewhere."""
        p = self.prog
        if name in p.funcs or not REF_LOOKUP_RE.match(name):
            return False
        if p.struct_of_type(p.protos.get(name)) in p.structs:
            return True
        if not hasattr(self, "_lookup_puts"):
            self._lookup_puts = any(n in REF_LOOKUP_PUTS for f in p.all_funcs
                                    for n, _a, _o, _e in f.calls) or \
                any(n in p.funcs for n in REF_LOOKUP_PUTS)
        return self._lookup_puts

    @staticmethod
    def tests(cond, names):
        """Whether the condition tests one of names for NULL or an error.
        In a disjunction every term must: in if (!p || !p->ready) the
        second term is taken with p valid, its reference held."""
        parts = Rule2.disjuncts(cond)
        if len(parts) > 1:
            return all(Rule2.tests(c, names) for c in parts)
        for n in names:
            if re.search(r"(^|[^\w>.])!%s($|[^\w\-.(\[])" % re.escape(n), cond) or \
                    re.search(r"\b%s(==|!=)NULL|NULL(==|!=)%s\b" % (re.escape(n), re.escape(n)), cond) or \
                    re.search(r"IS_ERR(_OR_NULL)?\(%s\)" % re.escape(n), cond) or \
                    cond == n:
                return True
        return False

    @staticmethod
    def disjuncts(cond):
        """The top-level terms of a || condition (squeezed text)."""
        parts, depth, last, i = [], 0, 0, 0
        while i < len(cond):
            c = cond[i]
            if c in "([{":
                depth += 1
            elif c in ")]}":
                depth -= 1
            elif depth == 0 and cond.startswith("||", i):
                parts.append(cond[last:i])
                last = i + 2
                i += 1
            i += 1
        return parts + [cond[last:]]

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
