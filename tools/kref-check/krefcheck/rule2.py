# SPDX-License-Identifier: MIT
"""Rule 2: put when you are done; free only in the release function.
Beside its patterns, cocci/rule2.cocci.
"""

import re

from .names import FREE_FNS
from .source import calls_in, key, match_close, norm, squeeze


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
        s = self.prog.struct_of_type(self.types.get(key(path, pos)))
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
            rel = self.release_for(s)
            member = (p.structs.get(s) or ["ref"])[0]
            fix = "kref_put(&%s->%s, %s)" % (obj, member, rel) if rel else "kref_put()"
            what = "%s()" % name
            if name in p.free_w:
                what = "%s(), which frees it," % name
            self.add(path, pos, 2,
                     "%s of '%s' outside its release function (%s embeds a struct kref; "
                     "others may still hold references): drop your reference with %s instead"
                     % (what, obj, s, fix))
        for _t, path, _fn, (pos,) in self.rec.get("RELCALL", []):
            f = self.func(path, pos)
            if f is None or f.name in p.closure:
                continue
            rel = self.text(path, pos)
            if not self.prog.frees(rel):
                continue
            args = self.call_args(path, pos)
            arg = args[0] if args else "..."
            self.add(path, pos, 2,
                     "%s() called directly frees the object whatever its count: "
                     "call kref_put(%s, %s) instead" % (rel, arg.strip(), rel))
        self.rule2_leaks()

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
            cond = squeeze(self.text(path, pc))
            c = self.canon(f, obj)
            names = {x for x, r in self.aliases(f).items() if r == c} | {obj, c}
            tests_obj = False
            for n in names:
                if re.search(r"(^|[^\w>.])!%s($|[^\w\-.(\[])" % re.escape(n), cond) or \
                        re.search(r"\b%s(==|!=)NULL|NULL(==|!=)%s\b" % (re.escape(n), re.escape(n)), cond) or \
                        re.search(r"IS_ERR(_OR_NULL)?\(%s\)" % re.escape(n), cond) or \
                        cond == n:
                    tests_obj = True
            if tests_obj:
                continue
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
                if self.puts_in(f, after[:r.end()] if r else after, obj):
                    continue
            acq = self.text(path, pa)
            self.add(path, pb, 2,
                     "this error path leaks the reference to '%s' taken at line %d (%s); "
                     "%s: put it here too"
                     % (obj, pa[0], acq, "the success path keeps it for later" if kept
                        else "the normal path puts it"))

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
