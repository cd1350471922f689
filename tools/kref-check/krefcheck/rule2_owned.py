# SPDX-License-Identifier: MIT
"""Rule 2 by ownership facts: references a function was handed (a call
whose contract, name or the program's other call sites say it returns a
reference, directly or through an out-parameter) that nothing puts, keeps
or passes on; puts of references the function does not own (a borrowed
result, a callback's argument it was given no reference to); a free of an
object holding a counted struct by value after a put that may not be the
last; a use, after a put, of what the release function frees.
"""

import dataclasses
import re

from .names import FREE_FNS, KREF_PUTS, THREAD_START, WORK_START
from .source import calls_in, norm

# Calls that write or read a struct's bytes: a later put of one of its
# members was not handed back by them.
MEMORY_FNS = re.compile(r"^(mem(set|cpy|move|cmp)|bzero|explicit_bzero|memset_s)$")


# Calls that by their name drop a reference on their argument, when the
# program does not say (a library's unref, a subsystem's put).
PUT_NAME = re.compile(r"(^|_)(put|unref|release|destroy|free|delete|del|unregister|drop)(_|$)|"
                      r"^(put|unref)|_unref\w*$|_put\w*$", re.I)
# Calls whose name says they free their argument.
FREEING_NAME = re.compile(r"(^|_)(free|destroy|delete)(_|$)", re.I)
# Ways a function waits for the release before freeing.
WAITS = re.compile(r"^(wait_for_completion\w*|wait_event\w*|flush_\w+|synchronize_\w+|rcu_barrier)$")


@dataclasses.dataclass(frozen=True)
class Acquired:
    """A reference a function was handed by a call."""
    var: str            # what holds it: p, or spec.np for an out-parameter
    call: str
    off: int            # offset of the call
    end: int            # offset just past the call
    why: str            # where the fact comes from, for the message


class Rule2Owned:
    """The ownership checks of rule 2 (a mixin of Checker)."""

    def rule2_owned(self):
        self.rule2_unput_results()
        self.rule2_borrowed_put()
        self.rule2_callback_unowned_put()
        self.rule2_free_after_unregister()

    # -- what a call hands back --------------------------------------------
    def returns_ref_why(self, name, path):
        """Why a call of name returns a reference, or None."""
        p = self.prog
        c = p.contracts
        if name in c.returns_borrowed:
            return None
        if name in c.returns_ref:
            cpath, cline = c.returns_ref[name]
            return "its declaration's comment says so (%s:%d)" % (cpath, cline)
        if self.ref_lookup(name):
            return "a lookup documented to return a reference"
        return None

    def out_refs(self):
        """name -> [(param, member, why)]: parameters through which a call
        hands back a reference, from the contracts and from the program's
        other call sites, which put what the call filled in."""
        if hasattr(self, "_out_refs"):
            return self._out_refs
        p = self.prog
        out = {}
        for name, refs in p.contracts.out_ref.items():
            for r in refs:
                out.setdefault(name, []).append(
                    (r.param, r.member, "its declaration's comment says so (%s:%d)" % (r.path, r.line)))
        for f in p.all_funcs:
            if f.src.path not in p.sources:
                continue
            for name, args, _o, e in f.calls:
                if name in out or name in p.funcs or MEMORY_FNS.match(name):
                    continue
                for i, a in enumerate(args):
                    m = re.match(r"^&([A-Za-z_]\w*)$", norm(a))
                    if not m:
                        continue
                    s = m.group(1)
                    for n2, a2, o2, _e2 in (c for c in f.calls if c[2] >= e):
                        if not a2 or not (self.known_put(n2) or PUT_NAME.search(n2)):
                            continue
                        pm = re.match(r"^%s(?:\.|->)([A-Za-z_]\w*)$" % re.escape(s), norm(a2[0]))
                        if pm:
                            out.setdefault(name, []).append(
                                (i, pm.group(1), "%s() puts what it fills in at %s:%d"
                                 % (f.name, f.src.path, self.pos_of(f.src, o2)[0])))
        self._out_refs = out
        return out

    def known_put(self, name):
        from .rule2 import REF_LOOKUP_PUTS
        p = self.prog
        return name in KREF_PUTS or name in p.put_w or \
            name in p.put_w1 or name in p.put_any or name in REF_LOOKUP_PUTS

    def handed_refs(self, f):
        """The references f is handed by its calls: results assigned to a
        local, and out-parameters filled in."""
        p = self.prog
        src = f.src
        outs = self.out_refs()
        for name, args, o, e in f.calls:
            why = self.returns_ref_why(name, src.path)
            if why:
                before = src.clean[max(f.body_start, o - 80):o]
                m = re.search(r"(?<![\w.>])([A-Za-z_]\w*)\s*=\s*(?:\([^()]*\)\s*)?$", before)
                if m and m.group(1) not in p.globals:
                    yield Acquired(m.group(1), name, o, e, why)
            for i, member, why in outs.get(name, ()):
                if i >= len(args):
                    continue
                a = norm(args[i])
                m = re.match(r"^&([A-Za-z_]\w*)$", a)
                if m:
                    var = m.group(1) + ("." + member if member else "")
                elif member and re.match(r"^[A-Za-z_]\w*$", a):
                    var = a + "->" + member
                else:
                    continue
                yield Acquired(var, name, o, e, why)

    # -- what happens to it afterwards -------------------------------------
    def expr_re(self, var):
        parts = re.split(r"->|\.", var)
        return r"(?<![\w.>])" + r"\s*(?:->|\.)\s*".join(map(re.escape, parts)) + r"(?![\w\[])"

    def disposed(self, f, rest, roff, var, depth=0):
        """Whether the code in rest (the function after the acquisition)
        puts var, keeps it (a store other than to a plain local, a
        return), passes it to something that may take it over, or copies
        it to a local that does one of those."""
        p = self.prog
        v = self.expr_re(var)
        if re.search(r"\breturn\s*\(?\s*(\([^()]*\)\s*)?%s\s*\)?\s*(;|\?)" % v, rest):
            return True
        for m in re.finditer(r"(?<![=!<>])=(?!=)\s*(?:\([^()]*\)\s*)?%s\s*[;,)]" % v, rest):
            s0 = max(rest.rfind(c, 0, m.start()) for c in ";{}(,") + 1
            lhs = norm(rest[s0:m.start()])
            w = re.match(r"^(?:[\w\s*]*\s\**)?([A-Za-z_]\w*)$", lhs)
            if not w or w.group(1) in p.globals:
                return True         # stored in a member, an array, a global
            if depth < 2 and self.disposed(f, rest[m.end():], roff + m.end(), w.group(1), depth + 1):
                return True
        # A put of what it points to: the reference may be on that
        # (a lookup that returns a port with its parent's count raised).
        parts = {norm(m.group(1)) for m in re.finditer(
            r"(?<![\w.>])([A-Za-z_]\w*)\s*=\s*%s\s*(?:->|\.)\s*\w+\s*;" % v, rest)}
        for name, args, _o, _e in calls_in(rest):
            if args and (self.known_put(name) or PUT_NAME.search(name)) and (
                    norm(args[0]).lstrip("&") in parts or
                    re.match(r"^%s\s*(->|\.)\s*\w+$" % v, norm(args[0]))):
                return True
            for i, a in enumerate(args):
                a = norm(a)
                whole = re.fullmatch(v.replace(r"(?![\w\[])", ""), a) is not None
                addr = re.fullmatch("&" + v.replace(r"(?<![\w.>])", "").replace(r"(?![\w\[])", ""),
                                    a) is not None
                inner = re.match(r"^&?%s\s*(->|\.)" % v.replace(r"(?![\w\[])", ""), a) is not None
                if not (whole or addr or inner):
                    continue
                if addr:
                    return True     # it may be filled in again
                if self.consumer(name, i, whole):
                    return True
        return False

    def consumer(self, name, i, whole):
        """Whether a call of name may take over (or drop) the reference
        passed as argument i."""
        p = self.prog
        c = p.contracts.consumes.get(name)
        if c is not None and c[0] == i:
            return True
        if self.known_put(name) or self.ref_lookup(name):
            return True         # a put, or an iterator that drops its start
        if name in THREAD_START or name in WORK_START or name in p.hand_w or \
                p.is_handoff_name(name) or name in p.init_hand:
            return True
        if whole and PUT_NAME.search(name):
            return True
        fn = p.funcs.get(name, [None])[0]
        if fn is not None and i < len(fn.params):
            # The program's own function: it keeps, puts or passes it on.
            q = fn.params[i]
            if re.search(r"(?<![\w.>])[\w\s\->.\[\]]*(->|\.|\])\s*\w*\s*=\s*(\([^()]*\)\s*)?%s\s*;"
                         % re.escape(q), fn.body) or re.search(r"\breturn\s+%s\b" % re.escape(q), fn.body):
                return True
            if any(q in [norm(x) for x in a] and (self.known_put(n) or PUT_NAME.search(n))
                   for n, a, _o, _e in fn.calls):
                return True
        return False

    def rule2_unput_results(self):
        """A reference handed to the function (by contract, a known lookup,
        or an out-parameter the program elsewhere puts) that it never puts,
        keeps or passes on: no path to the function's end drops it."""
        for path, src, f in self.funcs_outside_release():
            for a in self.handed_refs(f):
                if re.search(r"\b%s\s+__free\s*\(" % re.escape(a.var.split(".")[0].split("-")[0]), f.body):
                    continue    # put by its cleanup attribute
                rest = src.clean[a.end:f.end]
                if self.disposed(f, rest, a.end, a.var):
                    continue
                # A loop puts it on the next round, or it is put
                # before being found again.
                if self.disposed(f, src.clean[f.body_start:a.off], f.body_start, a.var):
                    continue
                pos = self.pos_of(src, a.off)
                self.add(path, pos, 2,
                         "the reference %s() hands back in '%s' is never put: no path to the "
                         "end of %s() puts it, keeps it or passes it on (%s() hands it back "
                         "with a reference: %s); put it once done with it"
                         % (a.call, a.var, f.name, a.call, a.why),
                         [(path, pos, "reference taken here (%s)" % a.call)])

    # -- puts of references not owned --------------------------------------
    def owned_put_arg(self, name, args):
        """The object a call puts, the program's puts and by name (beside
        put_arg's: the kernel's lookup puts, and functions that put a
        parameter)."""
        obj = self.put_object(name, args)
        if obj is not None:
            return obj
        from .rule2 import REF_LOOKUP_PUTS
        if args and (name in REF_LOOKUP_PUTS or self.puts_param(name)):
            return norm(args[0])
        return None

    def rule2_borrowed_put(self):
        """A put of a pointer a call returned borrowed (its contract says
        it takes no reference), with no get of it in between."""
        p = self.prog
        borrowed = p.contracts.returns_borrowed
        if not borrowed:
            return
        for path, src, f in self.funcs_outside_release():
            for name, _args, o, e in f.calls:
                if name not in borrowed:
                    continue
                m = re.search(r"(?<![\w.>])([A-Za-z_]\w*)\s*=\s*(?:\([^()]*\)\s*)?$",
                              src.clean[max(f.body_start, o - 80):o])
                if not m:
                    continue
                var = m.group(1)
                for n2, a2, o2, _e2 in (c for c in f.calls if c[2] >= e):
                    obj = self.owned_put_arg(n2, a2)
                    if obj is None or norm(obj) != var:
                        continue
                    between = src.clean[e:o2]
                    if self.gets_of(f, between, var) or re.search(
                            r"(?<![\w.>])%s\s*=(?!=)" % re.escape(var), between):
                        break
                    bpath, bline = borrowed[name]
                    self.add(path, self.pos_of(src, o2), 2,
                             "put of '%s', which %s() returned without a reference (%s:%d "
                             "says it is borrowed): this drops a reference the function does "
                             "not own; do not put it, or take one with a get first"
                             % (var, name, bpath, bline),
                             [(path, self.pos_of(src, o),
                               "borrowed pointer returned here (%s)" % name)])
                    break

    def rule2_callback_unowned_put(self):
        """A callback registered with an object (passed beside it to the
        registration) that puts the argument it receives, while nobody
        took a reference for it: the registering function did not acquire
        the object, nor did any caller when it is a parameter."""
        p = self.prog
        for path, src in sorted(p.sources.items()):
            for g in src.funcs:
                for reg, args, ro, _re in g.calls:
                    if reg in THREAD_START or reg in WORK_START or reg.startswith("INIT_"):
                        continue        # rule 1's handoffs
                    names = [norm(a) for a in args]
                    for cb in names:
                        fn = p.funcs.get(cb.lstrip("&"), [None])[0]
                        if fn is None or fn.src.path not in p.sources or fn.name == g.name:
                            continue
                        self.callback_put_of(g, reg, ro, names, fn)

    def callback_put_of(self, g, reg, ro, names, fn):
        p = self.prog
        for k, q in enumerate(fn.params):
            st = p.struct_of_type(fn.ptypes[k])
            local = {q}
            if re.sub(r"\s+", "", fn.ptypes[k]) in ("void*", "constvoid*"):
                # Untyped callback data: the struct of the local it is
                # converted to.
                for m in re.finditer(r"(?<![\w.>])([A-Za-z_]\w*)\s*=\s*(?:\([^()]*\)\s*)?%s\s*;"
                                     % re.escape(q), fn.body):
                    if self.decl_struct(fn, m.group(1)) in p.structs:
                        st = self.decl_struct(fn, m.group(1))
                        local.add(m.group(1))
            if st not in p.structs:
                continue
            # The object registered with it: a whole pointer of that struct.
            objs = [a for a in names if re.match(r"^[A-Za-z_]\w*$", a) and a != fn.name
                    and self.decl_struct(g, a) == st]
            if len(objs) != 1:
                continue
            obj = objs[0]
            if self.owned_when_registered(g, ro, obj):
                continue
            local |= {m.group(1) for m in re.finditer(
                r"(?<![\w.>])([A-Za-z_]\w*)\s*=\s*(?:\([^()]*\)\s*)?%s\s*;" % re.escape(q), fn.body)}
            for n, a, o, _e in fn.calls:
                put = self.owned_put_arg(n, a)
                if put is None or norm(put) not in local:
                    continue
                if self.gets_of(fn, fn.src.clean[fn.body_start:o], norm(put)):
                    break
                self.add_paired(fn.src, o, g.src, ro,
                                "%s() puts '%s', the object it is called back with, but no reference "
                                "was taken for it: %s() registers it with %s() without a get (nor did "
                                "its callers); the callback only borrows it: do not put it here, or "
                                "take a reference before registering" % (fn.name, norm(put), g.name, reg),
                                "registered here with '%s', no reference taken for the callback" % obj)
                return

    def owned_when_registered(self, g, ro, obj):
        """Whether g, or every caller when obj is g's parameter, holds a
        reference of its own to obj at the registration."""
        p = self.prog
        chunk = g.src.clean[g.body_start:ro]
        if self.acquired_here(g, chunk, obj) or self.gets_of(g, chunk, obj):
            return True
        if any(a.var == obj for a in self.handed_refs(g) if a.off < ro):
            return True
        if obj not in g.params:
            return not re.search(r"(?<![\w.>])%s\s*=\s*(?:\([^()]*\)\s*)?(?:%s)\b"
                                 % (re.escape(obj), "|".join(re.escape(x) for x in g.params) or "$^"),
                                 chunk)
        i = g.params.index(obj)
        callers = p.callers.get(g.name, [])
        if not callers:
            return True         # nothing says what the caller holds
        for c, co in callers:
            args = next((a for n, a, o, _e in c.calls if o == co), None)
            if args is None or i >= len(args):
                return True
            ca = norm(args[i])
            cchunk = c.src.clean[c.body_start:co]
            if self.acquired_here(c, cchunk, ca) or self.gets_of(c, cchunk, ca):
                return True
            if ca not in c.params:
                return True     # made or found there: maybe with a reference
        return False

    # -- a free after a put that may not be the last ------------------------
    def embed_paths(self, st, depth=0):
        """[(member path, counted struct)] of the counted structs st holds
        by value, through nested structs."""
        p = self.prog
        out = []
        if depth > 3:
            return out
        for m, inner in p.embeds.get(st, ()):
            if inner in p.structs:
                out.append((m, inner))
            out += [(m + "." + mm, s) for mm, s in self.embed_paths(inner, depth + 1)]
        return out

    def rule2_free_after_unregister(self):
        """free(obj) where obj holds a counted struct by value, after a put
        or unregister of that member in the same function: that put may
        not be the last (the count's release function is where the memory
        can go), and nothing between waits for the release."""
        p = self.prog
        for path, src, f in self.funcs_outside_release():
            for name, args, o, _e in f.calls:
                if not (name in FREE_FNS or name in p.free_w) or not args:
                    continue
                obj = norm(args[0])
                if not re.match(r"^[A-Za-z_]\w*$", obj):
                    continue
                st = self.decl_struct(f, obj)
                paths = self.embed_paths(st) if st else []
                if not paths or st in p.structs:
                    continue
                put = None
                for n, a, po, _pe in (c for c in f.calls if c[2] < o):
                    if WAITS.match(n):
                        put = None
                        continue
                    for i, x in enumerate(a):
                        x = norm(x)
                        m = re.match(r"^&%s(?:->|\.)([\w.]+?)$" % re.escape(obj), x)
                        if not m or not any(mp == m.group(1) or mp.startswith(m.group(1) + ".")
                                            for mp, _s in paths):
                            continue
                        if self.consumer(n, i, False) or re.search(r"unregister|_put$|^put_", n):
                            put = (n, po, m.group(1))
                if put is None:
                    self.free_with_empty_release(f, path, src, name, o, obj, paths)
                    continue
                n, po, member = put
                member, inner = next((mp, s) for mp, s in paths
                                     if mp == member or mp.startswith(member + "."))
                self.add_paired(src, o, src, po,
                                "%s() of '%s' outside its release function: it holds %s (->%s) by "
                                "value, whose count %s() at line %d dropped a reference that may not "
                                "be the last; free it in the release function of that count"
                                % (name, obj, inner, member, n, self.pos_of(src, po)[0]),
                                "reference dropped here (%s); others may still hold one" % n)

    # -- a use of what the release frees ------------------------------------
    def release_frees_members(self, rel):
        """Members of its object the release function frees (directly, or
        by a call whose name says it frees)."""
        p = self.prog
        out = set()
        for fn in p.funcs.get(rel, [])[:1]:
            for n, a, _o, _e in fn.calls:
                if not a:
                    continue
                if n in FREE_FNS or n in p.free_w or FREEING_NAME.search(n) or \
                        (n in p.funcs and p.frees(n)):
                    m = re.match(r"^[A-Za-z_]\w*(?:->|\.)([A-Za-z_]\w*)$", norm(a[0]))
                    if m:
                        out.add(m.group(1))
        return out

    def freed_member_use(self, f, src, after, obj, rel):
        """The first use, after the put (offset after), of a local copy
        of obj->member where the release frees that member: (offset,
        local, member) or None."""
        if not rel:
            return None
        best = None
        for member in sorted(self.release_frees_members(rel)):
            for m in re.finditer(r"(?<![\w.>])([A-Za-z_]\w*)\s*=\s*%s\s*(?:->|\.)\s*%s\s*;"
                                 % (re.escape(obj), re.escape(member)), src.clean[f.body_start:after]):
                local = m.group(1)
                use, _callee = self.first_use_after(f, src, after, local)
                if use is not None and (best is None or use < best[0]):
                    best = (use, local, member)
        return best

    def empty_releases(self):
        """Release callbacks stored in a ->release member whose body does
        nothing: struct they are called with -> the function."""
        if hasattr(self, "_empty_releases"):
            return self._empty_releases
        p = self.prog
        out = {}
        for g in p.all_funcs:
            for m in re.finditer(r"(?:->|\.)\s*release\s*=\s*&?([A-Za-z_]\w*)\s*;", g.body):
                fn = p.funcs.get(m.group(1), [None])[0]
                if fn is None or len(fn.params) != 1:
                    continue
                body = re.sub(r"\(\s*void\s*\)\s*[A-Za-z_]\w*\s*;", "", fn.body)
                if body.strip("{} \t\n;"):
                    continue
                st = p.struct_of_type(fn.ptypes[0])
                if st:
                    out.setdefault(st, fn)
        self._empty_releases = out
        return out

    def free_with_empty_release(self, f, path, src, name, o, obj, paths):
        """free(obj) where obj holds a counted struct whose release
        callback is empty: the count can outlive this free, and when it
        reaches zero nothing is left to release."""
        empty = self.empty_releases()
        hit = next(((mp, s) for mp, s in paths if s in empty), None)
        if hit is None:
            return
        fn = empty[hit[1]]
        if f is fn:
            return
        self.add(path, self.pos_of(src, o), 2,
                 "%s() of '%s' outside its release function: it holds a counted %s (->%s) by "
                 "value, whose release callback %s() is empty, so the memory goes here whatever "
                 "the count; free it in %s() instead" % (name, obj, hit[1], hit[0], fn.name, fn.name),
                 [(fn.src.path, (fn.line, 0), "the empty release callback %s()" % fn.name)])
