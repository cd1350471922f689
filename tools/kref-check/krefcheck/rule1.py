# SPDX-License-Identifier: MIT
"""Rule 1: get a reference before you hand the pointer off; put it back
if the handoff fails.  Beside its patterns, cocci/rule1.cocci.
"""

import re

from .names import (ALLOC_FNS, FREE_FNS, HANDOFF_RE, KREF_PUTS, NORETURN, NOT_HANDOFF, RAW_LOOKUP_FNS,
    THREAD_START, UNLINK_RE, WORK_START)
from . import ownership
from .rule2 import REF_LOOKUP_RE
from .source import calls_in, f_end, split_args, key, line_of, match_close, norm, obj_of, squeeze


# Arming a timer or a work item whose callback runs once.
ARMING = {"mod_timer", "add_timer", "timer_reduce", "mod_delayed_work", "queue_work",
          "schedule_work", "queue_delayed_work", "schedule_delayed_work", "queue_work_on",
          "mod_delayed_work_on", "queue_delayed_work_on"}
# Calls given a callback that they run at once, over something they
# iterate or search (not a registration for later).
SYNC_CALLBACK_RE = re.compile(r"(^|_)(for_?each|each|iterate|walk|visit|traverse|sort|search|"
                              r"find|lookup|sync|wait|map|filter|reduce|apply)(_|$)|"
                              r"^(pthread_once|call_once|qsort|qsort_r|bsearch|lfind|lsearch|tsearch|tfind|twalk|"
                              r"twalk_r|tdelete|scandir|ftw|nftw)$", re.I)
# Waiting for the other side (a thread, a work item, a timer, a loop).
# Joins and waits by their common names: any library's thread_join,
# sem_wait, event_wait or cond_wait.
WAIT_RE = re.compile(r"\b(\w*thread_join|thrd_join|kthread_stop|flush_work|cancel_work_sync|"
                     r"wait_for_completion\w*|flush_workqueue|del_timer_sync|"
                     r"timer_delete_sync|cancel_delayed_work_sync|\w*cond_wait|"
                     r"\w*cond_timedwait|\w*sem_wait|\w*event_wait|cnd_wait|"
                     r"\w*barrier_wait|g_main_loop_run|g_main_context_iteration)\s*\(")


class Rule1:
    """The checks of rule 1 (a mixin of Checker)."""

    # -- rule 1 -------------------------------------------------------------
    def rule1(self):
        p = self.prog
        later = {}
        for _t, path, _fn, (pg, py, ph, px) in self.rec.get("GH", []):
            f = self.func(path, pg)
            if (ph[0], ph[1]) > (pg[0], pg[1]) and \
                    self.same_obj(f, obj_of(self.text(path, px)), self.text(path, py)):
                later.setdefault(key(path, pg), []).append(ph)
        for tag, path, _fn, (ph, px, pg, py) in self.rec.get("HG", []) + self.rec.get("SG", []):
            f = self.func(path, pg)
            if f is None or (ph[0], ph[1]) >= (pg[0], pg[1]):
                continue
            xt = self.text(path, px)
            if re.match(r"^\s*[A-Za-z_]\w*\s*\(", norm(xt)):
                continue        # the argument is itself a call (a get wrapper)
            if not self.same_obj(f, obj_of(xt), self.text(path, py)):
                continue
            if key(path, pg) in later:
                continue        # this get is for the next handoff
            if tag == "SG":
                g = self.text(path, ph)
                if g not in p.globals:
                    continue
                what = "publishing it in '%s'" % g
            else:
                what = "handing it to %s()" % self.text(path, ph)
            name = self.text(path, ph)
            if name.startswith("kthread_create"):
                continue        # it runs only once woken up
            if tag == "HG" and self.private_container(f, path, ph, xt):
                continue
            src = self.src(path)
            between = src.clean[src.offset(ph[0], ph[1]):src.offset(pg[0], pg[1])]
            if re.search(r"\b(pthread_join|thrd_join|kthread_stop|flush_work|"
                         r"cancel_work_sync|wait_for_completion)\s*\(", between):
                continue        # the other side is done with it
            if tag == "SG" or name not in THREAD_START:
                if self.single_threaded(path, pg):
                    continue
                # Handed off and got inside one critical section: nobody
                # can take it out before the get.
                held = self.held.get(key(path, pg), {})
                if any((pl[0], pl[1]) < (ph[0], ph[1]) for pls in held.values() for pl in pls):
                    continue
            obj = norm(self.text(path, py))
            self.add(path, pg, 1,
                     "reference to '%s' taken after %s at line %d; the other side may "
                     "already have put it: take the reference before the handoff"
                     % (obj, what, ph[0]),
                     [(path, ph, "'%s' handed off here, with no reference taken for it yet" % obj)])
        self.rule1_thread_self_get(later)
        self.rule1_thread_entry_get()
        self.rule1_failure()
        self.rule1_fallthrough()
        self.rule1_copies()

    def private_container(self, f, path, ph, xt):
        """A queue or list handoff whose container is a local variable of
        the function: nobody else can see it yet."""
        name = self.text(path, ph)
        if name in THREAD_START or name in WORK_START or name in self.prog.hand_w:
            return False
        others = [a for a in self.call_args(path, ph) if norm(a) != norm(xt)]
        if not others:
            return False
        for a in others:
            r = self.prog.root(a)
            if not r or r in f.params or r in self.prog.globals or r in self.prog.funcs:
                return False
            if not re.search(r"[\w\s\*]\b%s\s*(\[[^\]]*\]\s*)?[;=,)]|\b[A-Z_]+\(\s*%s\s*\)"
                             % (re.escape(r), re.escape(r)), f.body):
                return False
        return True

    def rule1_thread_self_get(self, later):
        p = self.prog
        for (path, line, col), (name, _path, fn, pos, po) in self.ops.items():
            if fn not in p.thread_fns or not (name == "kref_get" or name in p.get_w):
                continue
            f = self.func(path, pos)
            if f is None or f.name != fn or not f.params:
                continue
            param = f.params[-1]
            obj = self.text(path, po)
            if not self.same_obj(f, obj, param):
                continue
            if key(path, pos) in later:
                continue
            # The creator took one for the thread before starting it (this
            # get is an extra one the thread holds for itself), or waits
            # for the thread while it holds its own.
            creator_ok = False
            starts = []
            for g, off in p.thread_start_sites:
                if not re.search(r"\b%s\b" % re.escape(fn), g.src.clean[off:off + 400]):
                    continue
                ln = line_of(g.src.starts, off)
                starts.append((g.src.path, (ln, off - g.src.starts[ln - 1]),
                               "the thread %s() is started here" % fn))
                if re.search(r"\b(pthread_join|thrd_join|kthread_stop)\s*\(",
                             g.src.clean[off:f_end(g)]):
                    creator_ok = True
                for _t, gpath, _fn, (pg, py, ph, px) in self.rec.get("GH", []):
                    if gpath == g.src.path and g.src.offset(ph[0], ph[1]) == off:
                        creator_ok = True
            if creator_ok:
                continue
            self.add(path, pos, 1,
                     "the thread takes its own reference to '%s' after it was handed "
                     "over; its creator may have put the last one by then: take the "
                     "reference in the creator, before starting the thread" % norm(obj),
                     starts)

    def convention(self, name):
        if name in ("pthread_create", "thrd_create"):
            return "int"
        if name.startswith("kthread_"):
            return "ptr"
        if name in WORK_START:
            return "bool"
        fs = self.prog.funcs.get(name)
        ret = fs[0].ret if fs else self.prog.protos.get(name, "")
        if re.search(r"\b(bool|_Bool|gboolean)\b", ret):
            return "bool"
        if "*" in ret:
            return "ptr"
        if fs and not re.search(r"return\s+-|return\s+\w*err", fs[0].body) and \
                re.search(r"return\s+1\b|return\s+true\b", fs[0].body):
            return "bool"
        return "int"

    def condition(self, path, pos):
        """The text of the if condition around pos."""
        src = self.src(path)
        off = src.offset(pos[0], pos[1])
        s = src.clean
        i = off
        while i > 0:
            m = re.search(r"\bif\s*\($", s[max(0, i - 40):i + 1])
            if s[i] == "(" and m:
                end = match_close(s, i)
                if end > off:
                    return src.text[i + 1:end - 1], i + 1, end - 1
            i -= 1
        return None, None, None

    def failure_branch(self, cond, name, h_text):
        """True if the condition is true when the handoff failed, False if
        when it succeeded, None if unknown."""
        c = squeeze(cond)
        h = squeeze(h_text)
        if not h or h not in c:
            return None
        c = c.replace(h, "H")
        c = re.sub(r"\b[A-Za-z_]\w*=H", "H", c)
        c = re.sub(r"\b(unlikely|likely)\(", "(", c)
        while c.startswith("(") and match_close(c, 0) == len(c):
            c = c[1:-1]
        c = re.sub(r"\(H\)", "H", c)
        conv = self.convention(name)
        fail = {"int": ["H", "H!=0", "H<0", "H!=thrd_success", "H==-1", "H>0", "0!=H",
                        "H==thrd_error", "H==thrd_nomem", "H!=EOK"],
                "ptr": ["IS_ERR(H)", "!H", "H==NULL", "NULL==H", "IS_ERR_OR_NULL(H)",
                        "PTR_ERR(H)"],
                "bool": ["!H", "H==false", "H==0", "false==H"]}[conv]
        ok = {"int": ["!H", "H==0", "H==thrd_success", "H>=0", "0==H"],
              "ptr": ["!IS_ERR(H)", "H", "H!=NULL", "!IS_ERR_OR_NULL(H)"],
              "bool": ["H", "H==true", "H!=0", "H!=false"]}[conv]
        if conv == "ptr" and re.match(r"^H==ERR_PTR\(.*\)$", c):
            return True
        if c in fail:
            return True
        if c in ok:
            return False
        return None

    def label_puts(self, f, label, obj):
        """For goto LABEL: None if the label can be reached by falling into
        it (the code after it is the normal path's too), else whether the
        code after it puts obj before returning."""
        m = re.search(r"(?m)^\s*%s\s*:(?!:)" % re.escape(label), f.body)
        if not m:
            return None
        before = f.body[:m.start()].rstrip()
        stmt = re.split(r"[;{}]", before[:-1])[-1].strip() if before.endswith(";") else ""
        if not re.match(r"^(return\b|goto\b|break$|continue$)", stmt):
            return None
        after = f.body[m.end():]
        r = re.search(r"\breturn\b[^;]*;", after)
        chunk = after[:r.end()] if r else after
        return self.puts_in(f, chunk, obj)

    def puts_in(self, f, chunk, obj):
        for name, args, _o, _e in calls_in(chunk):
            if not args:
                continue
            if name in KREF_PUTS and \
                    self.loose_same(f, obj_of(args[0]), obj):
                return True
            i = self.prog.put_w.get(name, self.prog.put_w1.get(name, self.prog.put_any.get(name)))
            if i is not None and i < len(args) and self.loose_same(f, args[i], obj):
                return True
            if (name in FREE_FNS or name in self.prog.free_w) and self.loose_same(f, args[0], obj):
                return True
        return False

    def branch_after(self, src, close):
        """The statement starting after offset close (a condition's ')'):
        (start, end) of a block or a simple statement."""
        s = src.clean
        i = close
        while i < len(s) and s[i] in " \t\n":
            i += 1
        if i < len(s) and s[i] == "{":
            return i, match_close(s, i, "{", "}")
        j = i
        depth = 0
        while j < len(s):
            if s[j] in "({[":
                depth += 1
            elif s[j] in ")}]":
                depth -= 1
            elif s[j] == ";" and depth == 0:
                return i, j + 1
            j += 1
        return i, j

    def rule1_fallthrough(self):
        """Failure branches that do not leave: the reference is never put."""
        for _tag, path, _fn, (pg, py, ph, px, pc) in self.rec.get("FAILANY", []):
            f = self.func(path, ph)
            if f is None or (pg[0], pg[1]) >= (ph[0], ph[1]) or key(path, ph) in self.fail_sites:
                continue
            obj = self.text(path, py)
            if not self.same_obj(f, obj_of(self.text(path, px)), obj):
                continue
            name = self.text(path, ph)
            cond, _c0, c1 = self.condition(path, pc)
            if cond is None:
                continue
            src = self.src(path)
            h_text = self.call_text(path, ph) if pc == ph else self.text(path, pc)
            failure_then = self.failure_branch(cond, name, h_text)
            if failure_then is None:
                continue
            b0, b1 = self.branch_after(src, c1 + 1)
            if not failure_then:
                m = re.match(r"\s*else\b", src.clean[b1:])
                if not m:
                    continue
                b0, b1 = self.branch_after(src, b1 + m.end())
            branch = src.clean[b0:b1]
            if re.search(r"\b(return|goto|break|continue)\b", branch):
                continue        # the path-sensitive rules have these
            if self.puts_in(f, branch, obj) or any(
                    c in NORETURN for c, _a, _o, _e in calls_in(branch)):
                continue
            self.fail_sites.add(key(path, ph))
            self.add(path, ph, 1,
                     "if %s() fails, the reference to '%s' taken for it at line %d is "
                     "never put: kref_put it when the handoff fails"
                     % (name, norm(obj), pg[0]),
                     [(path, pg, "reference to '%s' taken for %s()" % (norm(obj), name)),
                      (path, pc, "%s() failed: this branch does not put it" % name)])

    def call_text(self, path, pos):
        src = self.src(path)
        off = src.offset(pos[0], pos[1])
        end = match_close(src.clean, src.clean.find("(", off))
        return src.text[off:end]

    def rule1_failure(self):
        for tag, path, _fn, (pg, py, ph, px, pc, pb) in \
                self.rec.get("FAIL", []) + self.rec.get("FAILELSE", []):
            f = self.func(path, ph)
            if f is None or (pg[0], pg[1]) >= (ph[0], ph[1]):
                continue
            obj = self.text(path, py)
            if not self.same_obj(f, obj_of(self.text(path, px)), obj):
                continue
            name = self.text(path, ph)
            cond, _a, _b = self.condition(path, pc)
            if cond is None:
                continue
            h_text = self.call_text(path, ph) if pc == ph else self.text(path, pc)
            failure_then = self.failure_branch(cond, name, h_text)
            if failure_then is None:
                continue
            if (tag == "FAIL") != failure_then:
                continue
            src = self.src(path)
            branch = src.clean[src.offset(pc[0], pc[1]):src.offset(pb[0], pb[1])]
            if self.puts_in(f, branch, obj) or any(
                    c in NORETURN for c, _a, _o, _e in calls_in(branch)):
                continue
            exit_text = self.stmt(path, pb)
            m = re.match(r"^goto\s+([A-Za-z_]\w*)", exit_text)
            if m:
                puts = self.label_puts(f, m.group(1), obj)
                if puts:
                    continue
            self.fail_exits.add(key(path, pb))
            self.fail_sites.add(key(path, ph))
            self.add(path, ph, 1,
                     "if %s() fails, the reference to '%s' taken for it at line %d is "
                     "never put (the failure path at line %d leaves without it): "
                     "kref_put it when the handoff fails"
                     % (name, norm(obj), pg[0], pb[0]),
                     [(path, pg, "reference to '%s' taken for %s()" % (norm(obj), name)),
                      (path, pb, "%s() failed: this path leaves without putting it" % name)])

    # -- long-lived copies, callbacks and armings (text of the functions) ----
    def rule1_copies(self):
        fields = self.owning_fields()
        self.member_types = ownership.member_types(self.prog)
        self.handle_owned = ownership.put_fields(self.prog)
        self.long_lived = {}    # struct -> counted or released
        self.starters = ownership.thread_starters(self.prog)
        self.registrations = self.registrations_of()
        self.stopped_members = self.stopped_of()
        for src in self.prog.sources.values():
            for f in src.funcs:
                self.rule1_field_stores(f, fields)
                self.rule1_borrowed_field(f, fields)
                self.rule1_borrowed_field_call(f, fields)
                self.rule1_container_no_ref(f)
                self.rule1_container_takes_only_ref(f)
                self.rule1_publish_return(f)
                self.rule1_callback_then_put(f)
                self.rule1_pending_test(f)
                self.rule1_record_handoff(f)
                self.rule1_callback_gives_borrowed(f)
                self.rule1_callback_borrowed_data(f)
        self.rule1_async_work()

    def add_in(self, src, off, msg, notes=()):
        """A rule 1 finding at offset off of src, with its notes, each an
        (offset, text) in the same file."""
        self.add(src.path, self.pos_of(src, off), 1, msg,
                 [(src.path, self.pos_of(src, o), t) for o, t in notes])

    def put_arg(self, name, args):
        """The object a call puts, or None."""
        if not args:
            return None
        if name in KREF_PUTS:
            return obj_of(args[0])
        p = self.prog
        i = p.put_w.get(name, p.put_w1.get(name, p.put_any.get(name)))
        if i is not None and i < len(args):
            return norm(args[i])
        return None

    def get_arg(self, name, args):
        """The object a call takes a reference on (a get, a tryget, an init),
        or None."""
        if not args:
            return None
        if name in ("kref_get", "kref_get_unless_zero", "kref_init"):
            return obj_of(args[0])
        p = self.prog
        for table in (p.get_w, p.get_w1, p.try_w, p.init_w):
            i = table.get(name)
            if i is not None and i < len(args):
                return norm(args[i])
        return None

    def owning_fields(self):
        """Fields whose pointer some code puts: by the program's own
        convention the field owns a reference (a destructor, a teardown or
        a disconnect puts what it holds).  member -> (path, pos) of a put."""
        out = {}
        self.field_putters = {}     # member -> names of the functions that put it
        self.field_structs = {}     # member -> structs put through it (None: not known)
        for f in self.prog.all_funcs:
            loads = {}      # variable -> each v = x->field; in f (one search each)
            for name, args, off, _e in f.calls:
                arg = self.put_arg(name, args)
                if arg is None:
                    continue
                m = re.match(r"^.+?(?:->|\.)\s*([A-Za-z_]\w*)$", arg)
                field = m.group(1) if m else None
                if field is None and re.match(r"^[A-Za-z_]\w*$", arg):
                    # v = x->field; ... put(v): the field's reference, taken
                    # out by the last such load before the put
                    if arg not in loads:
                        loads[arg] = list(re.finditer(r"(?<![\w.>])%s\s*=\s*(?:\([^()]*\)\s*)?"
                                                      r"[A-Za-z_][\w.>\-\s]*?(?:->|\.)\s*([A-Za-z_]\w*)\s*;"
                                                      % re.escape(arg), f.body))
                    rel = off - f.body_start
                    for a in loads[arg]:
                        if a.end() <= rel:
                            field = a.group(1)
                if field:
                    out.setdefault(field, (f.src.path, self.pos_of(f.src, off)))
                    self.field_putters.setdefault(field, set()).add(f.name)
                    self.field_structs.setdefault(field, set()).add(self.put_struct(name, args))
        return out

    def put_struct(self, name, args):
        """The struct a put drops a reference on: from the release function
        it is given, or the put wrapper's parameter."""
        if name in KREF_PUTS:
            return self.prog.release_struct.get(norm(args[1])) if len(args) > 1 else None
        p = self.prog
        i = p.put_w.get(name, p.put_w1.get(name, p.put_any.get(name)))
        for g in p.funcs.get(name, []):
            if i is not None and i < len(g.ptypes):
                return p.struct_of_type(g.ptypes[i])
        return None

    def acquisitions(self, f, obj):
        """Offsets (in the file) where f takes or creates a reference on obj:
        gets, trygets, inits, and results of constructors and getters."""
        out = []
        for name, args, off, _e in f.calls:
            a = self.get_arg(name, args)
            if a is not None and self.same_obj(f, a, obj):
                out.append(off)
        names = self.prog.ctor | self.prog.getter
        for m in re.finditer(r"(?<![\w.>])([A-Za-z_]\w*)\s*=\s*(?:\([^()]*\)\s*)?([A-Za-z_]\w*)\s*\(",
                             f.body):
            if m.group(2) in names and self.same_obj(f, m.group(1), obj):
                out.append(f.body_start + m.start())
        return sorted(out)

    def borrowed(self, f, obj):
        """Whether f's pointer obj is one it holds no reference of its own
        on: a parameter, or read from a field or a container_of."""
        if obj in f.params:
            return not self.consumed_param(f, obj)
        assigned = [norm(a.group(1)) for a in re.finditer(
            r"(?<![\w.>])%s\s*=(?!=)\s*([^;]+);" % re.escape(obj), f.body)]
        if not assigned:
            return False
        # A copy of a parameter (a callback's void *data cast to its type)
        # borrows what the parameter does.
        return all(re.match(r"^(container_of|list_entry|hlist_entry|caa_container_of)\(", a)
                   or re.match(r"^[A-Za-z_]\w*(\s*(->|\.)\s*\w+)+$", a)
                   or (a in f.params and not self.consumed_param(f, a)) for a in assigned)

    def consumed_param(self, f, obj):
        """Whether parameter obj carries a reference the callee owns: every
        call of f in the program passes, in its place, a pointer the caller
        acquired before the call and does not put after it, so the caller's
        reference is transferred with the pointer."""
        i = f.params.index(obj)
        sites = [(g, norm(args[i]), off, end) for g in self.prog.all_funcs
                 for name, args, off, end in g.calls if name == f.name and i < len(args)]
        if not sites:
            return False
        for g, a, off, end in sites:
            if not re.match(r"^[A-Za-z_]\w*$", a) or a in g.params:
                return False
            if not any(o < off for o in self.acquisitions(g, a) + self.ref_lookups(g, a)):
                return False
            for n, args, o, _e in g.calls:
                p = self.put_arg(n, args) if o > end else None
                if p is not None and self.same_obj(g, p, a):
                    return False
        return True

    def ref_lookups(self, g, a):
        """Offsets where g sets a from a library lookup that returns a held
        object (dev_get_by_index, of_find_node_by_name, ...)."""
        return [g.body_start + m.start() for m in re.finditer(
            r"(?<![\w.>])%s\s*=\s*(?:\([^()]*\)\s*)?([A-Za-z_]\w*)\s*\(" % re.escape(a), g.body)
            if m.group(1) not in self.prog.funcs and REF_LOOKUP_RE.match(m.group(1))]

    STORE_RE = re.compile(r"(?<![\w.>])([A-Za-z_]\w*(?:\s*(?:->|\.)\s*\w+|\s*\[[^\]]*\])*)"
                          r"\s*(?:->|\.)\s*(\w+)\s*=(?!=)\s*(?:\([^()]*\)\s*)?([A-Za-z_]\w*)\s*;")

    def rule1_field_stores(self, f, fields):
        src = f.src
        for m in self.STORE_RE.finditer(f.body):
            field, obj = m.group(2), m.group(3)
            if field not in fields or obj in ("NULL", "nullptr") or obj in self.prog.globals:
                continue
            holder = self.prog.root(m.group(1))
            if not holder or self.same_obj(f, holder, obj):
                continue
            s = self.pointee(f, obj)
            if s not in self.prog.structs:
                continue        # not a counted object
            if None not in self.field_structs[field] and s not in self.field_structs[field]:
                continue        # another struct's field of the same name
            so = f.body_start + m.start()
            copy = "%s->%s" % (norm(m.group(1)), field)
            # A get through the copy (get(x->field) after x->field = p) is one too.
            acq = sorted(self.acquisitions(f, obj) + [
                o for o in self.acquisitions(f, copy) if o > so])
            if any(o < so for o in acq) or not self.borrowed(f, obj):
                continue        # the function's own reference goes to the field
            ppath, ppos = fields[field]
            put_step = (ppath, ppos, "what a '%s' field holds is put here: the field owns a "
                        "reference" % field)
            if acq:
                self.late_field_get(f, m, obj, copy, acq[0], put_step)
                continue
            if self.field_handed_off(f, m, holder, obj, copy, put_step):
                continue
            self.field_used_after_unlock(f, m, obj, copy, put_step)

    def late_field_get(self, f, m, obj, copy, og, put_step):
        """The copy is stored first and its reference taken later: a call
        in between (a failure path's destructor) can put the field while it
        holds no reference."""
        src = f.src
        so = f.body_start + m.end()
        between = src.clean[so:og]
        putters = self.field_putters.get(m.group(2), set())
        reach = [n for n, _a, _o, _e in calls_in(between) if n in putters or any(
            c in putters for g in self.prog.funcs.get(n, []) for c, _a2, _o2, _e2 in g.calls)]
        if not reach:
            return      # nothing in between puts the field: the late get is in time
        pg = self.pos_of(src, og)
        self.add(src.path, self.pos_of(src, f.body_start + m.start()), 1,
                 "'%s' keeps a copy of '%s' before its reference is taken at line %d; "
                 "%s() in between can put the field with no reference in it: take the "
                 "reference before storing the copy" % (copy, obj, pg[0], reach[0]),
                 [(src.path, pg, "the reference to '%s' is taken only here" % obj), put_step])

    def passes(self, f, arg, holder):
        """Whether a call's argument gives the callee the holder itself (or
        a member's address in it), not a value read out of it."""
        return self.same_obj(f, obj_of(arg), holder) or self.same_obj(f, norm(arg).lstrip("&"), holder)

    def gets_field(self, name, field):
        """Whether the program's function name takes a reference on what a
        field of that name holds (get(x->field) in its body)."""
        for g in self.prog.funcs.get(name, []):
            for n, a, _o, _e in g.calls:
                obj = self.get_arg(n, a)
                if obj is None and n in ownership.HANDLE_GETS and a:
                    obj = norm(a[0])
                if obj and re.search(r"(->|\.)\s*%s$" % re.escape(field), obj):
                    return True
        return False

    def as_item(self, f, name, args, i, holder):
        """Whether argument i gives the holder away as the item handed off,
        not as the container something else is added to (bio_add_page(bio,
        page, ...) hands the page to the bio): a member of it linked in, a
        work item or thread, the only argument, or one after the first."""
        a = norm(args[i])
        if name in THREAD_START or name in WORK_START:
            return True
        if a.startswith("&") and not self.same_obj(f, a.lstrip("&"), holder):
            return True
        return len(args) == 1 or i > 0

    def field_handed_off(self, f, m, holder, obj, copy, put_step):
        """The holder is handed off (a work item, a thread, a queue) with a
        copy the function holds no reference for."""
        src = f.src
        so = f.body_start + m.end()
        hand = self.valid["handoff"]
        for name, args, off, _e in f.calls:
            if off < so or name not in hand:
                continue
            if not any(self.passes(f, a, holder) and self.as_item(f, name, args, i, holder)
                       for i, a in enumerate(args)):
                continue
            if self.gets_field(name, m.group(2)):
                continue        # the callee takes the copy's reference itself
            ph = self.pos_of(src, off)
            self.add(src.path, ph, 1,
                     "'%s' is handed to %s() with '%s', a copy of '%s' stored with no "
                     "reference taken for it, and whoever puts the field puts a reference "
                     "nobody took: take a reference on '%s' before storing it"
                     % (holder, name, copy, obj, obj),
                     [(src.path, self.pos_of(src, f.body_start + m.start()),
                       "'%s' stored here with no reference of its own" % copy), put_step])
            return True
        return False

    def field_used_after_unlock(self, f, m, obj, copy, put_step):
        """Stored under a lock: once the lock is dropped, another thread can
        take the pointer out of the field and put it; the function's own use
        of it after the unlock needs a reference of its own."""
        src = f.src
        so = f.body_start + m.start()
        locks = self.valid["lock"] | set(self.prog.lock_w)
        unlocks = {n for n in self.prog.unlock_w} | {n for n in self.prog.unlock0} | \
            {n for n, _a, _o, _e in f.calls if re.search(r"(^|_)unlock", n)}
        before = [o for n, _a, o, _e in f.calls if o < so and (n in locks or n in unlocks)]
        if not before or not any(n in locks for n, _a, o, _e in f.calls if o == max(before)):
            return
        after = [o for n, _a, o, _e in f.calls if o > so and n in unlocks]
        if not after:
            return
        rest = src.clean[after[0]:f.end]
        use = re.search(r"(?<![\w.>])%s\s*->" % re.escape(obj), rest)
        if not use:
            return
        self.add(src.path, self.pos_of(src, so), 1,
                 "'%s' gets the function's pointer '%s' with no reference taken for it, "
                 "under a lock; after the unlock another thread can take it out and put "
                 "it while '%s' is still used (line %d): take a reference for the field "
                 "before storing it" % (copy, obj, obj,
                                        line_of(src.starts, after[0] + use.start())),
                 [(src.path, self.pos_of(src, after[0]), "the lock is dropped here"), put_step])

    def unlinks(self, s):
        """Whether the release of struct s takes the object out of its
        containers itself (then a container holds no reference)."""
        rels = [r for r, st in self.prog.release_struct.items() if st == s]
        if not rels:
            return None
        seen, todo = set(), list(rels)
        while todo:
            n = todo.pop()
            if n in seen:
                continue
            seen.add(n)
            for g in self.prog.funcs.get(n, []):
                for c, _a, _o, _e in g.calls:
                    if UNLINK_RE.search(c):
                        return True
                    if c in self.prog.macros and UNLINK_RE.search(self.prog.macros[c].body):
                        return True
                todo += [c for c in self.prog.refs.get(g, ()) if c not in seen]
        return False

    def rule1_publish_return(self, f):
        """A new object published in a shared container and returned, with
        its one reference: the container owns it (the release does not
        take the object out, so whoever removes it puts it), and the
        caller gets a pointer with none."""
        if "*" not in f.ret:
            return
        src = f.src
        hand = self.prog.handoff_names()
        for r in re.finditer(r"\breturn\s+([A-Za-z_]\w*)\s*;", f.body):
            obj = r.group(1)
            ro = f.body_start + r.start()
            inits = [o for n, a, o, _e in f.calls if o < ro and n in ("kref_init",) + tuple(self.prog.init_w)
                     and self.get_arg(n, a) is not None and self.same_obj(f, self.get_arg(n, a), obj)]
            if len(inits) != 1:
                continue
            if [o for o in self.acquisitions(f, obj) if o not in inits]:
                continue
            s = self.pointee(f, obj)
            if s not in self.prog.structs or self.unlinks(s) is not False:
                continue
            for name, args, off, _e in f.calls:
                if not inits[0] < off < ro or name not in hand:
                    continue
                if not any(self.same_obj(f, obj_of(a), obj) for a in args):
                    continue
                if not self.under_lock(f, off):
                    continue        # a shared container is written under its lock
                ph = self.pos_of(src, off)
                self.add(src.path, ph, 1,
                         "'%s' is published by %s() with its only reference (the release "
                         "does not take it out, so the container owns it) and returned at "
                         "line %d: the caller uses it with no reference while another thread "
                         "can remove and put it: take a reference for the caller before "
                         "publishing" % (obj, name, line_of(src.starts, ro)),
                         [(src.path, self.pos_of(src, inits[0]),
                           "'%s' gets its one reference here" % obj),
                          (src.path, self.pos_of(src, ro), "returned here with none")])
                break

    def under_lock(self, f, off):
        locks = self.valid["lock"] | set(self.prog.lock_w)
        last = None
        for n, _a, o, _e in f.calls:
            if o >= off:
                break
            if n in locks:
                last = "lock"
            elif re.search(r"(^|_)unlock", n) or n in self.prog.unlock_w or n in self.prog.unlock0:
                last = "unlock"
        return last == "lock"

    def rule1_callback_then_put(self, f):
        """An object handed to a callback (a thread, a work item, a timer or
        an event source given a function and the object), then put by the
        function that never took a reference for the callback: the
        callback runs on an object nobody holds."""
        src = f.src
        hand = self.valid["handoff"]
        for name, args, off, end in f.calls:
            if name not in hand or not args:
                continue
            if name not in THREAD_START and name not in WORK_START and not any(
                    norm(a).lstrip("&") in self.prog.funcs for a in args):
                continue        # no callback given
            before = src.clean[max(f.body_start, off - 200):off].rstrip()
            if not before or before[-1] not in ";{}":
                continue        # its result is tested: a failure branch may put
            objs = [obj_of(a) for a in args if re.match(r"^&?[A-Za-z_]\w*(\s*(->|\.)\s*\w+)?$", norm(a))
                    and norm(a).lstrip("&") not in self.prog.funcs]
            for obj in objs:
                if self.pointee(f, obj) not in self.prog.structs:
                    continue
                put = None
                for n2, a2, o2, _e2 in f.calls:
                    if o2 > end:
                        p = self.put_arg(n2, a2)
                        if p is not None and self.same_obj(f, p, obj):
                            put = o2
                            break
                if put is None:
                    continue
                gets = [o for n3, a3, o, _e in f.calls if n3 != "kref_init"
                        and n3 not in self.prog.init_w and o < put
                        and self.get_arg(n3, a3) is not None and self.same_obj(f, self.get_arg(n3, a3), obj)]
                if gets:
                    continue
                if not [o for o in self.acquisitions(f, obj) if o < off]:
                    continue        # a pointer it was given: whose the put is is not known here
                between = src.clean[end:put]
                if re.search(r"\b(pthread_join|thrd_join|kthread_stop|flush_work|cancel_work_sync|"
                             r"wait_for_completion|del_timer_sync|timer_delete_sync|"
                             r"cancel_delayed_work_sync|flush_workqueue)\s*\(|\b(return|goto)\b", between):
                    continue
                ph = self.pos_of(src, off)
                self.add(src.path, ph, 1,
                         "'%s' is handed to %s() for a callback with no reference taken for "
                         "it, and the function puts its own at line %d: the callback may run "
                         "after the last put: take a reference for the callback (or give it "
                         "this one and drop the put)" % (obj, name, line_of(src.starts, put)),
                         [(src.path, self.pos_of(src, put), "the function's reference to '%s' is "
                           "put here" % obj)])
                break

    def held_before(self, f, obj, off):
        """Whether f takes or creates a reference on obj before offset off:
        the program's gets and constructors, or the kernel's handle gets
        (dev_hold, get_device) given it."""
        if [o for o in self.acquisitions(f, obj) if o < off]:
            return True
        for name, args, o, _e in f.calls:
            if o >= off or name in ("container_of", "from_timer"):
                continue
            if name in ownership.HANDLE_GETS and any(
                    self.same_obj(f, obj_of(a), obj) for a in args):
                return True
        return False

    def field_put_anywhere(self, field):
        """Whether some code puts what a member named field holds (the
        program's puts, or the kernel's handle puts)."""
        return field in self.field_putters or field in self.handle_owned

    def fresh(self, f, var):
        """Whether f's local var is set from an allocator (a record of its
        own nobody else sees yet)."""
        return any(re.search(r"(?<![\w.>])%s\s*=\s*(?:\([^()]*\)\s*)?%s\s*\(" % (re.escape(var), re.escape(a)),
                             f.body) for a in ALLOC_FNS)

    def record_handoff(self, f, rec, after):
        """The first place after offset `after` where f hands its fresh
        record rec to another context: to a function with a callback
        (a function pointer and rec as its data), to a queue or list
        call, by its own work item, or by storing it where others find
        it.  (offset, text) or None."""
        p = self.prog
        for name, args, off, _e in f.calls:
            if off < after:
                continue
            sq = [squeeze(a) for a in args]
            data = [a for a in sq if a == rec or re.match(r"^&%s->\w+$" % re.escape(rec), a)]
            if not data:
                continue
            if name in WORK_START:
                return off, "%s()" % name
            if any(a.lstrip("&") in p.funcs for a in sq) and rec in sq:
                return off, "%s(), with a callback" % name
            if HANDOFF_RE.search(name) and name not in NOT_HANDOFF and any(
                    p.root(a) and p.root(a) != rec and not self.fresh(f, p.root(a))
                    for a in args if squeeze(a) not in data):
                return off, "%s()" % name
        rel = max(0, after - f.body_start)
        for m in re.finditer(r"(?<![\w.>])([A-Za-z_]\w*)\s*(?:->|\.)\s*[\w.>\-]*?\s*=\s*%s\s*;"
                             % re.escape(rec), f.body[rel:]):
            holder = m.group(1)
            if holder == rec or self.fresh(f, holder):
                continue
            return f.body_start + rel + m.start(), "the store into '%s'" % holder
        return None

    def rule1_record_handoff(self, f):
        """A borrowed counted object (a parameter) stored in a record the
        function just allocated, and the record handed to another context
        (a callback's data, a queue, another thread's list) with no
        reference taken for it: the record outlives the call, and the
        caller's reference may be put before the other side uses it.
        Silent when some code puts that field (the record is then meant
        to own a reference, which the field-store checks see to), when the
        function takes or creates any reference on the object or its
        callers hand theirs over, and when it waits for the other side or
        frees the record itself."""
        p = self.prog
        src = f.src
        for m in re.finditer(r"(?<![\w.>])([A-Za-z_]\w*)\s*->\s*([A-Za-z_]\w*)\s*=\s*([A-Za-z_]\w*)\s*;",
                             f.body):
            rec, field, obj = m.groups()
            if obj not in f.params or obj == rec or not self.fresh(f, rec):
                continue
            s = self.pointee(f, obj)
            if not s or not ownership.counted(p, s):
                continue
            if self.field_put_anywhere(field) or self.consumed_param(f, obj):
                continue
            off = f.body_start + m.start()
            h = self.record_handoff(f, rec, off)
            if h is None or self.held_before(f, obj, h[0]):
                continue
            rest = src.clean[h[0]:f_end(f)]
            if WAIT_RE.search(rest) or \
                    re.search(r"\b(free|kfree|g_free)\s*\(\s*%s\s*\)" % re.escape(rec), rest):
                continue
            self.add_in(src, off,
                        "'%s' is stored in '%s->%s' with no reference taken for it, and the record "
                        "is handed off (%s, line %d) to run later elsewhere: the caller's "
                        "reference may be put before then: take a reference for the record "
                        "and put it when the record is done"
                        % (obj, rec, field, h[1], line_of(src.starts, h[0])),
                        [(h[0], "the record '%s' is handed off here" % rec)])

    def consumes_param(self, g, i):
        """How many references g drops on its parameter i beyond those it
        takes, counting its own puts and the puts of the functions it hands
        the parameter to (one level), and whether its last act is a put of
        it: a function that takes ownership of what it is given."""
        if i >= len(g.params):
            return 0, False
        par = g.params[i]
        net, last = 0, None
        for name, args, off, end in g.calls:
            a = self.put_arg(name, args)
            if a is not None and self.same_obj(g, a, par):
                net += 1
                last = end
                continue
            a = self.get_arg(name, args)
            if a is not None and self.same_obj(g, a, par):
                net -= 1
                continue
            for j, x in enumerate(args):
                if norm(x) != par:
                    continue
                for h in self.prog.funcs.get(name, []):
                    if h is not g and j < len(h.params) and any(
                            self.put_arg(n2, a2) is not None and self.same_obj(h, self.put_arg(n2, a2), h.params[j])
                            for n2, a2, _o2, _e2 in h.calls):
                        net += 1
        tail = g.src.clean[last:f_end(g)] if last is not None else ""
        return net, last is not None and re.match(r"^\s*\)?\s*;\s*\}?\s*$", tail) is not None

    def registered_without_ref(self, f):
        """Whether f is registered as a callback (its name given to a call
        with a data pointer) by a function that passes, as the data, a
        parameter of its own it takes no reference on and was not given
        one for: the callback then holds none."""
        found = False
        for g, name, args, off in self.registrations.get(f.name, ()):
            if name == f.name:
                continue
            data = [norm(a) for a in args if norm(a) in g.params]
            if not data:
                return False
            for d in data:
                if self.held_before(g, d, off) or self.consumed_param(g, d):
                    return False
            found = True
        return found

    def registrations_of(self):
        """Function name -> the calls given it as an argument (a callback
        registered): (caller, call name, arguments, offset)."""
        out = {}
        funcs = self.prog.funcs
        for g in self.prog.all_funcs:
            for name, args, off, _e in g.calls:
                for fn in {norm(a).lstrip("&") for a in args}:
                    if fn in funcs:
                        out.setdefault(fn, []).append((g, name, args, off))
        return out

    def rule1_callback_gives_borrowed(self, f):
        """A callback passes the object it was given as its data (which its
        registrant keeps) to a function that takes ownership of it (puts
        more than it gets, last of all): the callback gives away a
        reference it does not hold."""
        p = self.prog
        if not self.registered_without_ref(f):
            return
        for name, args, off, _e in f.calls:
            if self.put_arg(name, args) is not None and all(
                    self.put_arg(n2, a2) is not None for g in p.funcs.get(name, [None])[:1]
                    for n2, a2, _o2, _e2 in (g.calls if g else [("", [], 0, 0)])):
                continue        # a plain put, not a consumer: a different check's concern
            for g in p.funcs.get(name, [])[:1]:
                for i, a in enumerate(args):
                    obj = norm(a)
                    if not re.match(r"^[A-Za-z_]\w*$", obj):
                        continue
                    if not any(self.same_obj(f, obj, q) for q in f.params):
                        continue
                    s = self.pointee(f, obj)
                    if not s or not ownership.counted(p, s):
                        continue
                    net, last = self.consumes_param(g, i)
                    if net < 1 or not last:
                        continue
                    if self.held_before(f, obj, off):
                        continue
                    self.add(f.src.path, self.pos_of(f.src, off), 1,
                             "the callback %s() hands '%s', the data it was given and holds no "
                             "reference on, to %s(), which takes ownership of it (puts it last, "
                             "%d more time(s) than it gets it): take a reference before the call"
                             % (f.name, obj, name, net),
                             [(g.src.path, self.pos_of(g.src, g.start),
                               "%s() puts its parameter '%s'" % (name, g.params[i]))])
                    return

    def callback_arg(self, a):
        """The program function an argument passes as a callback (cb, &cb,
        (type) cb, MACRO(cb)), or None."""
        e = norm(a).lstrip("&")
        e = re.sub(r"^\([^()]*\)\s*", "", e)
        m = re.match(r"^[A-Z][A-Z0-9_]*\(\s*([A-Za-z_]\w*)\s*\)$", e)
        if m:
            e = m.group(1)
        return e if e in self.prog.funcs else None

    def data_arg(self, a):
        """The variable an argument passes as plain data (x, (void *) x)."""
        e = re.sub(r"^\([^()]*\)\s*", "", norm(a))
        return e if re.match(r"^[A-Za-z_]\w*$", e) else None

    def runs_at_once(self, name, i):
        """Whether the program's function name calls the callback it is
        given as parameter i itself (a synchronous iteration), rather than
        keeping it for later."""
        for g in self.prog.funcs.get(name, []):
            if i < len(g.params) and re.search(r"(?<![\w.>])\(?\s*\*?\s*%s\s*\)?\s*\("
                                               % re.escape(g.params[i]), g.body):
                return True
        return False

    def registration_kept(self, f, obj, args, end):
        """Whether the object keeps the registration itself, so that its
        teardown can stop it before the last put: the call is made on a
        member of the object that code elsewhere stops or frees (its own
        request, port or timer), or on a local handed, after the call,
        to a call with a member of the object (anchored to a list of its
        pending requests)."""
        for a in args:
            e = norm(a).lstrip("&")
            m = re.match(r"^%s\s*(?:->|\.)\s*([A-Za-z_]\w*)$" % re.escape(obj), e)
            if m and m.group(1) in self.stopped_members:
                return True
            if re.match(r"^[A-Za-z_]\w*$", e) and e != obj and e not in self.prog.funcs:
                for name, a2, o, _e in f.calls:
                    if o > end and any(norm(x) == e for x in a2) and any(
                            re.match(r"^&?\s*%s\s*(->|\.)" % re.escape(obj), norm(x)) for x in a2):
                        return True
        return False

    STOP_RE = re.compile(r"(^|_)(free|destroy|kill|cancel|stop|poison|shutdown|del|delete|"
                         r"remove|unregister|close|unwatch|disconnect|detach|abort)(_|$)")

    def id_kept(self, src, obj, off):
        """obj->member = call(...): the registration's id or handle is kept
        in a member of the object that code elsewhere stops (a source id
        removed by the teardown)."""
        m = re.search(r"(?<![\w.>])%s\s*(?:->|\.)\s*([A-Za-z_]\w*)\s*=\s*(?:\([^()]*\)\s*)?$"
                      % re.escape(obj), src.clean[max(0, off - 200):off])
        return bool(m and m.group(1) in self.stopped_members)

    def stopped_of(self):
        """Members some code stops or frees what they hold in (a call
        named for it given x->member)."""
        out = set()
        for g in self.prog.all_funcs:
            for name, args, _o, _e in g.calls:
                if not (self.STOP_RE.search(name) or name in FREE_FNS):
                    continue
                for a in args:
                    m = re.search(r"(?:->|\.)\s*([A-Za-z_]\w*)$", norm(a))
                    if m:
                        out.add(m.group(1))
        return out

    def rule1_callback_borrowed_data(self, f):
        """A counted object the function holds no reference on (its
        caller's, or read from elsewhere) given as the data of a callback
        registration (a call given one of the program's functions and the
        object) that keeps the callback for later, with no reference taken
        for it: the callback neither puts nor frees anything, nothing gives
        the registration a destructor that does, and the function does not
        wait for the callback, so the last put may come first.  Calls that
        iterate over something at once (sort, foreach, walk, search, or the
        program's own functions that call the callback they are given) and
        threads and work items (their own checks) are left out."""
        p = self.prog
        if f.name in p.closure or f.name in p.release_struct:
            return
        src = f.src
        for name, args, off, end in f.calls:
            if name in THREAD_START or name in WORK_START or name in ARMING or \
                    name in self.starters or name in NOT_HANDOFF or SYNC_CALLBACK_RE.search(name):
                continue
            cbs = [(i, c) for i, c in enumerate(self.callback_arg(a) for a in args) if c]
            if not cbs or any(c == f.name for _i, c in cbs):
                continue        # no callback, or a callback re-arming itself
            if any(self.runs_at_once(name, i) for i, _c in cbs):
                continue
            # The callback's data: the argument next to it (after it, else
            # before it), as callback registrations pass them.
            i = cbs[0][0]
            near = [args[j] for j in (i + 1, i - 1) if 0 <= j < len(args)]
            for a in near[:1] if near and self.data_arg(near[0]) else near[1:]:
                obj = self.data_arg(a)
                if not obj or obj in p.funcs or obj in p.globals:
                    continue
                s = self.pointee(f, obj)
                if not s or not ownership.counted(p, s):
                    continue
                if not self.borrowed(f, obj) or self.held_before(f, obj, end):
                    continue
                # The callback (or the registration's destroy notify) puts or
                # frees: the registration is meant to hold a reference, and
                # the handoff of one is another check's concern.
                if any(self.handler_puts(c, s) for _i, c in cbs):
                    continue
                rest = src.clean[end:f_end(f)]
                if WAIT_RE.search(rest):
                    continue
                if self.registration_kept(f, obj, args, end) or self.id_kept(src, obj, off):
                    continue
                cb = cbs[0][1]
                g = p.funcs[cb][0]
                # At the data argument: the pointer handed off.
                at = [m.start() for m in re.finditer(r"(?<![\w.>])%s\b" % re.escape(obj),
                                                     src.clean[off:end])]
                self.add(src.path, self.pos_of(src, off + at[-1] if at else off), 1,
                         "'%s' is given to %s() as the data of the callback %s(), which runs "
                         "later and holds no reference on it (it puts nothing), and this "
                         "function holds none of its own to give: the last put may free "
                         "'%s' before the callback runs: take a reference for the callback "
                         "(and put it at its end)" % (obj, name, cb, obj),
                         [(g.src.path, self.pos_of(g.src, g.start),
                           "the callback %s() uses its data with no reference of its own" % cb)])
                break

    def rule1_pending_test(self, f):
        """The reference for a timer or work item is taken on a separate
        "not pending" test made before the arming call: the callback can
        run and put in between, and the arming then has no reference."""
        src = f.src
        for m in re.finditer(r"\bif\s*\(\s*!\s*([A-Za-z_]\w*_pending)\s*\(", f.body):
            i = f.body_start + m.end() - 1
            close = match_close(src.clean, i)
            arg = squeeze(src.clean[i + 1:close - 1])
            if not re.match(r"\s*\)", src.clean[close:close + 8]):
                continue        # only the test itself, nothing else in the condition
            cond_end = src.clean.find(")", close) + 1
            b0, b1 = self.branch_after(src, cond_end)
            obj = obj_of(arg)
            gets = [(o, n) for n, a, o, _e in calls_in(src.clean[b0:b1], b0)
                    if n not in ("kref_init",) and self.get_arg(n, a) is not None
                    and self.same_obj(f, self.get_arg(n, a), obj)]
            if not gets:
                continue
            for name, args, off, _e in f.calls:
                if off < b1 or name not in ARMING:
                    continue
                if not any(squeeze(a) == arg for a in args):
                    continue
                self.add_in(src, off,
                            "the reference for %s() is taken at line %d on a separate %s() test: "
                            "the callback can run and put between the test and the arming, "
                            "which then has no reference: take the reference on %s()'s own "
                            "result (it says whether it armed an idle one)"
                            % (name, line_of(src.starts, gets[0][0]), m.group(1), name),
                            [(f.body_start + m.start(), "%s() tested here" % m.group(1)),
                             (gets[0][0], "reference taken here, on that test")])
                break

    # -- asynchronous handoffs: a counted object's own work item or timer ----
    def work_handlers(self):
        """(struct, member) -> handler functions: INIT_WORK/timer_setup
        pairs, and functions that find their object with container_of (or
        from_timer) on that member."""
        p = self.prog
        out = {}
        for f in p.all_funcs:
            for name, args, _o, _e in f.calls:
                if name in ("container_of", "from_timer", "timer_container_of") and len(args) == 3:
                    if name == "container_of":
                        s = p.struct_of_type(args[1])
                    else:
                        var = norm(args[0])
                        s = self.pointee(f, var)
                    mem = squeeze(args[2]).split(".")[0]
                    if s:
                        out.setdefault((s, mem), set()).add(f.name)
        for f in p.all_funcs:
            for name, args, _o, _e in f.calls:
                if not re.match(r"^(INIT_(DELAYED_)?WORK|timer_setup|setup_timer|INIT_RCU_WORK|"
                                r"kthread_init_work)$", name) or len(args) < 2:
                    continue
                m = re.match(r"^&\s*([A-Za-z_]\w*)\s*->\s*([A-Za-z_]\w*)", squeeze(args[0]))
                if not m:
                    continue
                s = self.pointee(f, m.group(1))
                fn = norm(args[1]).lstrip("&")
                if s and fn in p.funcs:
                    out.setdefault((s, m.group(2)), set()).add(fn)
        return out

    def waited_members(self):
        """Members some code cancels or flushes synchronously, and the
        workqueues some code flushes or destroys: the teardown waits for
        the callback, which then needs no reference of its own."""
        members, queues = set(), set()
        for f in self.prog.all_funcs:
            for name, args, _o, _e in f.calls:
                if not args:
                    continue
                if re.match(r"^(cancel_(delayed_)?work_sync|flush_(delayed_)?work|del_timer_sync|"
                            r"timer_delete_sync|timer_shutdown_sync|del_timer|timer_delete|"
                            r"timer_shutdown|cancel_delayed_work|cancel_work|kthread_cancel_work_sync|"
                            r"kthread_flush_work|cancel_rcu_work|flush_rcu_work|"
                            r"kthread_cancel_delayed_work_sync|disable_work_sync|"
                            r"disable_delayed_work_sync)$", name):
                    m = re.search(r"(?:->|\.)\s*([A-Za-z_]\w*)\s*(?:\.\s*\w+\s*)?$", squeeze(args[0]))
                    if m:
                        members.add(m.group(1))
                elif re.match(r"^(flush_workqueue|destroy_workqueue|drain_workqueue)$", name):
                    queues.add(norm(args[0]))
        return members, queues

    def handler_puts(self, fn, s):
        """Whether the handler fn (or what it calls in the program, one
        level) puts an object of struct s, or any object at all by the
        program's put wrappers, or frees one: its queuer is then meant to
        hold one, or the callback finishes a release."""
        p = self.prog
        for g in p.funcs.get(fn, []):
            for name, args, _o, _e in g.calls:
                if self.put_arg(name, args) is not None or name in FREE_FNS:
                    return True
                for h in p.funcs.get(name, []):
                    if h is g:
                        continue
                    for n2, a2, _o2, _e2 in h.calls:
                        if n2 in FREE_FNS or self.put_arg(n2, a2) is not None and \
                                self.put_struct(n2, a2) in (s, None):
                            return True
        return False

    def rule1_async_work(self):
        """A counted object's own work item or timer armed with no
        reference taken for the callback: the callback finds the object
        with container_of and uses it when it runs, after the arming
        path has returned, and the last holder may have put it by then.
        Silent when the teardown waits for the callback (a synchronous
        cancel or flush of that member, or of the workqueue), when the
        callback puts (its queuer holds one for it), or when the function
        took or created a reference before the arming."""
        p = self.prog
        handlers = self.work_handlers()
        members, queues = self.waited_members()
        for src in p.sources.values():
            for f in src.funcs:
                for name, args, off, _end in f.calls:
                    i = WORK_START.get(name)
                    if i is None and name in ("mod_timer", "add_timer", "timer_reduce", "add_timer_on"):
                        i = 0
                    if i is None or i >= len(args):
                        continue
                    m = re.match(r"^&\s*([A-Za-z_]\w*)\s*->\s*([A-Za-z_]\w*)(\s*\.\s*\w+)?$",
                                 squeeze(args[i]))
                    if not m:
                        continue
                    obj, mem = m.group(1), m.group(2)
                    s = self.pointee(f, obj)
                    if not s or not ownership.counted(p, s) or mem in members:
                        continue
                    if i > 0 and norm(args[0]) in queues:
                        continue
                    fns = sorted(handlers.get((s, mem), ()))
                    if not fns or any(fn == f.name for fn in fns) or f.name in p.release_struct:
                        continue        # re-armed by its own callback, or finishing a release
                    if any(self.handler_puts(fn, s) for fn in fns):
                        continue
                    if self.held_before(f, obj, off):
                        continue
                    h = p.funcs[fns[0]][0]
                    self.add(src.path, self.pos_of(src, off), 1,
                             "'%s' is handed to %s() through its own member '%s' with no "
                             "reference taken for the callback %s(), which uses it later and "
                             "puts nothing, and nothing cancels or flushes '%s' synchronously: "
                             "the last put may free it before the callback runs: take a "
                             "reference before arming it and put it at the end of the callback"
                             % (obj, name, mem, fns[0], mem),
                             [(h.src.path, self.pos_of(h.src, h.start),
                               "the callback %s() finds the object from '%s' and holds no "
                               "reference on it" % (fns[0], mem))])

    # -- general shapes: threads, long-lived fields, shared containers -------
    def rule1_thread_entry_get(self):
        """A thread function whose first act on the object it was handed is
        a get: until then it holds nothing, and its creator (the
        program's own thread-start wrappers included) may put the last
        reference before the thread is scheduled."""
        p = self.prog
        for ts in ownership.thread_starts(p):
            data = ownership.base_ident(p, ts.data)
            if not data:
                continue
            for tf in p.funcs.get(ts.fn, []):
                if not tf.params or tf.src.path not in p.sources:
                    continue
                got = self.entry_get(tf, tf.params[-1])
                if got is None:
                    continue
                g = ts.caller
                if self.creator_holds(g, ts.off, data):
                    continue
                gsrc = g.src
                self.add(tf.src.path, self.pos_of(tf.src, got), 1,
                         "the thread %s() takes its own reference to '%s' (the data %s() "
                         "handed it) only once it runs; its creator %s() took none for it, "
                         "so the last reference may be put before the thread is scheduled: "
                         "take the reference in %s(), before starting the thread"
                         % (ts.fn, tf.params[-1], ts.name, g.name, g.name),
                         [(gsrc.path, self.pos_of(gsrc, ts.off),
                           "'%s' handed to the thread %s() here with no reference taken "
                           "for it" % (ts.data, ts.fn))])

    def entry_get(self, tf, param):
        """Offset of a get on param (or a pointer cast from it) that the
        thread makes before any put of it, or None."""
        for name, args, off, _e in tf.calls:
            if self.put_arg(name, args) is not None and \
                    self.same_obj(tf, ownership.base_ident(self.prog, self.put_arg(name, args)), param):
                return None
            if name == "kref_init" or name in self.prog.init_w:
                continue
            a = self.get_arg(name, args)
            if a is not None and self.same_obj(tf, ownership.base_ident(self.prog, a), param):
                return off
        return None

    def creator_holds(self, g, off, data):
        """The creator took a reference on data before starting the thread,
        or waits for the thread (a join) while it holds its own."""
        for name, args, o, _e in g.calls:
            if name == "kref_init" or name in self.prog.init_w:
                continue
            a = self.get_arg(name, args)
            if o < off and a is not None and \
                    self.same_obj(g, ownership.base_ident(self.prog, a), data):
                return True
        # A join, or a wait for the thread to say it started (it got its
        # reference by then, while the creator still held its own).
        return bool(WAIT_RE.search(g.src.clean[off:g.end]))

    FIELD_STORE_RE = re.compile(r"(?<![\w.>])([A-Za-z_]\w*(?:\s*(?:->|\.)\s*\w+)?)\s*(?:->|\.)\s*(\w+)"
                                r"\s*=(?!=)\s*(?:\([^()]*\)\s*)?"
                                r"(&?\s*[A-Za-z_]\w*(?:\s*(?:->|\.)\s*\w+)*)\s*;")

    def caller_puts_after(self, f, i):
        """(caller, argument) of a call of f whose caller puts what it
        passed as parameter i after the call, or None."""
        for g, off in self.prog.callers.get(f.name, []):
            for name, args, o, end in g.calls:
                if o != off or i >= len(args) or not re.match(r"^[A-Za-z_]\w*$", norm(args[i])):
                    continue
                a = norm(args[i])
                for n2, a2, o2, _e in g.calls:
                    put = self.put_arg(n2, a2) if o2 > end else None
                    if put is None and o2 > end and n2 in ownership.HANDLE_PUTS and a2:
                        put = norm(a2[0])
                    if put is not None and self.same_obj(g, put, a):
                        return g.name, a
        return None

    def borrow_reason(self, f, rhs, caller_put=False):
        """Why f holds no reference of its own for the pointer rhs (a
        parameter its caller keeps, a loop cursor, a lookup's result,
        another object's member), or None."""
        p = self.prog
        if rhs.startswith("&"):
            return "the address of an object embedded in '%s'" % p.root(rhs)
        if re.search(r"->|\.", rhs):
            return "read from another object's member"
        if rhs in f.params:
            i = f.params.index(rhs)
            for g, _o in p.callers.get(f.name, []):
                for name, args, _o2, _e in g.calls:
                    if name == f.name and i < len(args) and \
                            re.match(r"^[A-Za-z_]\w*$", norm(args[i])) and \
                            ownership.loop_iterated(g, norm(args[i])):
                        return ("a parameter: %s() passes its loop cursor '%s', whose "
                                "reference the loop's next step drops" % (g.name, norm(args[i])))
            if caller_put:
                put = self.caller_puts_after(f, i)
                if put:
                    return ("a parameter: %s() puts its own reference to '%s' after the call"
                            % put)
                return None
            if not self.consumed_param(f, rhs):
                return "a parameter, whose reference stays with the caller"
            return None
        if ownership.loop_iterated(f, rhs):
            return "a loop cursor, whose reference the loop's next step drops"
        if ownership.raw_lookup_result(p, f, rhs):
            return "the result of a lookup that returns no reference"
        if self.ref_lookups(f, rhs):
            return None
        if self.borrowed(f, rhs):
            return "read from another object"
        return None

    def rule1_borrowed_field(self, f, fields):
        """A long-lived field of a counted object filled with a counted
        pointer the function holds no reference for, and no get for the
        field anywhere on the way: the holder outlives the function and
        keeps using a pointer whose owner may put it."""
        p = self.prog
        src = f.src
        handle_owned = self.handle_owned
        if f.name in p.closure:
            return      # a release path: the object is going, no reference to take
        for m in self.FIELD_STORE_RE.finditer(f.body):
            hexpr, field, rhs = norm(m.group(1)), m.group(2), norm(m.group(3))
            holder = p.root(hexpr)
            if field in fields or field in handle_owned or rhs in ("NULL", "nullptr") or rhs in p.globals or \
                    rhs in p.funcs or holder in p.globals:
                continue        # an owning field is rule1_field_stores'
            if "->" not in m.group(0).split("=")[0] and hexpr == holder:
                continue        # a local struct's member
            so = f.body_start + m.start()
            sh = self.pointee(f, holder) if hexpr == holder else None
            lives = self.outlives(f, hexpr, sh, so, rhs)
            if lives is None:
                continue        # the holder is not known to outlive the function
            sp = self.member_types.get(sh, {}).get(field) if sh else None
            if sp is None and re.match(r"^[A-Za-z_]\w*$", rhs):
                sp = self.pointee(f, rhs)
            if not ownership.counted(p, sp):
                continue
            base = ownership.base_ident(p, rhs)
            if base == holder or self.same_obj(f, base, holder):
                continue
            # Linking a chain (it->next = q->head): the container's lock and
            # its owner's references govern it, not the link.
            if sp == sh and (re.search(r"->|\.", rhs) or re.search(
                    r"(^|_)(next|prev|head|tail|first|last)(_|$)", field)):
                continue
            # A parameter counts only when a caller is seen to end its own
            # reference after the call: a driver's bound device or a
            # parent handed down outlives what the callee builds.
            why = self.borrow_reason(f, rhs, caller_put=True)
            if why is None and rhs in f.params and not self.consumed_param(f, rhs):
                why = self.sibling_owned(f, hexpr, field, rhs, sh, sp)
            if why is None:
                continue
            copy = m.group(0).split("=")[0].strip()
            if self.field_got(f, so, rhs, copy, holder, field):
                continue
            steps = [(src.path, self.pos_of(src, so), "'%s' is %s" % (rhs, why))]
            rel = [r for r, st in p.release_struct.items() if st == sh and r in p.funcs]
            if rel:
                g = p.funcs[rel[0]][0]
                steps = [(g.src.path, self.pos_of(g.src, g.start),
                          "the release of %s never puts '%s'" % (sh, field))]
            self.add(src.path, self.pos_of(src, so), 1,
                     "'%s' keeps '%s' (%s) in a field of %s, and no reference is taken "
                     "for it: its owner may put it while '%s' still points to it: get it for "
                     "the field (and put the field in the release)"
                     % (copy, rhs, why, lives, copy), steps)

    def sibling_owned(self, f, hexpr, field, rhs, sh, sp):
        """For a parameter stored in hexpr->field: the reason it counts as
        borrowed when the same function takes a reference for another
        counted pointer it keeps in the same holder (the holder owns what
        it keeps, by the function's own doing), or None.  Only a sibling of
        another type counts: one of the same type kept with a reference
        beside one kept without is a choice (a cursor holding the track it
        plays and borrowing the next one)."""
        p = self.prog
        for m in self.FIELD_STORE_RE.finditer(f.body):
            if norm(m.group(1)) != hexpr or m.group(2) == field:
                continue
            other = norm(m.group(3))
            if other == rhs or not re.match(r"^[A-Za-z_]\w*$", other):
                continue
            so = self.pointee(f, other)
            if not ownership.counted(p, so) or so == sp:
                continue
            if self.acquisitions(f, other) or self.held_before(f, other, f.end):
                return ("a parameter whose reference stays with the caller, while '%s->%s' "
                        "beside it gets a reference of its own" % (hexpr, m.group(2)))
        for m in self.FIELD_CALL_RE.finditer(f.body):
            if norm(m.group(1)) != hexpr or m.group(2) == field:
                continue
            name = m.group(3)
            so = self.member_types.get(sh, {}).get(m.group(2)) if sh else None
            if not ownership.counted(p, so) or so == sp:
                continue
            if name in self.valid["get"] or name in p.get_w or name in ownership.HANDLE_GETS or \
                    name in p.ctor or name in p.getter:
                return ("a parameter whose reference stays with the caller, while '%s->%s' "
                        "beside it gets a reference of its own (%s())" % (hexpr, m.group(2), name))
        return None

    FIELD_CALL_RE = re.compile(r"(?<![\w.>])([A-Za-z_]\w*(?:\s*(?:->|\.)\s*\w+)?)\s*(?:->|\.)\s*(\w+)"
                               r"\s*=(?!=)\s*(?:\([^()]*\)\s*)?([A-Za-z_]\w*)\s*\(")
    # Accessors by the common libraries' naming (g_object_get_data,
    # gtk_widget_get_window): the middle "get" reads what the object
    # holds and gives no reference; ref, dup, new, copy give one.
    ACCESSOR_RE = re.compile(r"^[A-Za-z]\w*?_get_(?!(?:\w*?_)?(ref|dup|new|copy|create|alloc|take|"
                             r"find|lookup|open|by|next|prev|parent|child|first|last)(?:_|$))\w+$")

    def borrowing_call(self, name):
        """Why a call's result is a pointer the caller holds no reference
        for (a lookup of the program's that takes none, an accessor of a
        library's), or None."""
        p = self.prog
        if name in p.rawlookup or name in RAW_LOOKUP_FNS:
            return "the result of %s(), a lookup that returns no reference" % name
        if name in p.funcs or name in ownership.HANDLE_GETS or name in p.getter or name in p.ctor or \
                name in self.valid["get"] or REF_LOOKUP_RE.match(name):
            return None
        if self.ACCESSOR_RE.match(name):
            return "the result of %s(), an accessor that gives no reference" % name
        return None

    def rule1_borrowed_field_call(self, f, fields):
        """A long-lived field filled with a counted pointer read by a call
        that gives no reference (an accessor, a raw lookup), and no get for
        the field anywhere: as rule1_borrowed_field, for a call's result."""
        p = self.prog
        src = f.src
        if f.name in p.closure:
            return
        for m in self.FIELD_CALL_RE.finditer(f.body):
            hexpr, field, name = norm(m.group(1)), m.group(2), m.group(3)
            holder = p.root(hexpr)
            if field in fields or field in self.handle_owned or holder in p.globals:
                continue
            if "->" not in m.group(0).split("=")[0] and hexpr == holder:
                continue
            why = self.borrowing_call(name)
            if why is None:
                continue
            so = f.body_start + m.start()
            sh = self.pointee(f, holder) if hexpr == holder else None
            sp = self.member_types.get(sh, {}).get(field) if sh else None
            if not ownership.counted(p, sp) or sp == sh:
                continue
            lives = self.outlives(f, hexpr, sh, so, "")
            if lives is None:
                continue
            copy = m.group(0).split("=")[0].strip()
            if self.field_got(f, so, copy, copy, holder, field):
                continue
            self.add(src.path, self.pos_of(src, so), 1,
                     "'%s' keeps %s, in a field of %s, and no reference is taken for it: "
                     "its owner may put it while '%s' still points to it: get it for the "
                     "field (and put the field when the holder goes)"
                     % (copy, why, lives, copy), [])

    def outlives(self, f, hexpr, sh, so, rhs):
        """Why the object holding the field outlives the function (a text
        for the finding), or None: it is counted or has a release
        function, it is reached through a counted object's member (its
        private data), or it is registered or added somewhere after the
        store."""
        p = self.prog
        if sh:
            if sh not in self.long_lived:
                self.long_lived[sh] = ownership.counted(p, sh) or ownership.released(p, sh)
            if self.long_lived[sh]:
                return "a counted %s that outlives this function" % sh
        holder = p.root(hexpr)
        if hexpr == holder and self.fresh(f, holder) and \
                re.search(r"\breturn\s+%s\s*;" % re.escape(holder), f.body):
            return "'%s', allocated here and returned to the caller" % holder
        for a in re.finditer(r"(?<![\w.>])%s\s*=\s*(?:\([^()]*\)\s*)?([A-Za-z_]\w*)\s*->\s*\w+\s*;"
                             % re.escape(holder), f.body):
            if ownership.counted(p, self.pointee(f, a.group(1))) and \
                    not self.same_obj(f, ownership.base_ident(p, rhs), a.group(1)):
                return ("'%s', reached through the counted '%s' and living as long as it"
                        % (holder, a.group(1)))
        if holder in f.params and hexpr != holder:
            for name, args, off, _e in f.calls:
                if off > so and (self.insert_call(name) or p.is_handoff_name(name)) and \
                        any(norm(x).lstrip("&") == hexpr for x in args):
                    return "'%s', which %s() publishes after the store" % (hexpr, name)
        return None

    def field_got(self, f, so, rhs, copy, holder, field):
        """Whether a reference for the stored pointer is taken: a get of
        it in the function (before or after the store), or by a callee
        the holder is handed to (get(x->field) in its body)."""
        p = self.prog
        base = ownership.base_ident(p, rhs)
        for name, args, off, _e in f.calls:
            a = self.get_arg(name, args)
            if a is None and name in ownership.HANDLE_GETS and args:
                a = norm(args[0])
            if a is not None and (norm(a) == rhs or self.same_obj(f, a, rhs) or
                                  (re.match(r"^[A-Za-z_]\w*$", rhs) and
                                   self.same_obj(f, ownership.base_ident(p, a), base)) or
                                  squeeze(a) == squeeze(copy)):
                return True
            if off > so and any(p.root(x) == holder for x in args) and self.gets_field(name, field):
                return True
        if re.match(r"^[A-Za-z_]\w*$", rhs) and self.acquisitions(f, rhs):
            return True
        return False

    def rule1_container_no_ref(self, f):
        """A pointer the function holds no reference for (its caller's,
        one read from elsewhere) inserted into a shared container (a
        global, or a member of an object others reach) with no get for the
        container, when the object's release does not take it out: the
        container keeps a pointer whose owner may put the last reference."""
        p = self.prog
        src = f.src
        for name, args, off, _e in f.calls:
            if name in THREAD_START or name in WORK_START or len(args) < 2:
                continue
            if not self.insert_call(name):
                continue
            # add(&entry->node, head): the entry is linked by its member
            listy = name.startswith(("list_add", "hlist_add")) or (
                re.match(r"^&\s*[A-Za-z_]\w*\s*(->|\.)\s*\w+$", norm(args[0])) is not None and
                self.pointee(f, obj_of(args[0])) in p.structs)
            items = [args[0]] if listy else [a for a in args[1:] if re.match(r"^[A-Za-z_]\w*$", norm(a))]
            conts = args[1:] if listy else args[:1]
            shared = [c for c in conts if self.shared_container(f, c)]
            if not shared:
                continue
            for it in items:
                obj = norm(it)
                if listy:
                    if not obj.startswith("&"):
                        continue
                    obj = obj_of(obj)   # &entry->node: the entry
                    if any(p.root(c) == obj for c in conts):
                        continue
                if obj in p.globals or obj not in f.params and not re.match(r"^\w+$", obj):
                    continue
                s = self.pointee(f, obj)
                if s not in p.structs or self.unlinks(s) is not False:
                    continue        # not counted, or the release takes it out itself
                why = self.borrow_reason(f, obj)
                if why is None:
                    why = self.own_put_after(f, obj, off)
                elif self.acquisitions(f, obj):
                    continue
                if why is None:
                    continue
                if any(o > off and UNLINK_RE.search(n) and any(p.root(a) == obj for a in a2)
                       for n, a2, o, _e2 in f.calls):
                    continue        # taken out again before the function returns
                rel = self.release_for(s)
                steps = []
                if rel and rel in p.funcs:
                    g = p.funcs[rel][0]
                    steps.append((g.src.path, self.pos_of(g.src, g.start),
                                  "the release of %s does not take it out of the container"
                                  % s))
                self.add(src.path, self.pos_of(src, off), 1,
                         "'%s' (%s) is published in the shared container '%s' by %s() with "
                         "no reference taken for the container; the object's release does not "
                         "take it out, so the container keeps a pointer its owner may put: "
                         "get it for the container (and put it when it is removed)"
                         % (obj, why, norm(shared[0]).lstrip("&"), name), steps)
                break

    def shared_container(self, f, c):
        """A container others reach: a global, or a member of a parameter
        or of a global."""
        p = self.prog
        r = p.root(c)
        if r in p.globals:
            return True
        if r and r not in f.params:
            # r = param->member...: a local that points where the parameter does
            m = re.search(r"(?<![\w.>])%s\s*=\s*([A-Za-z_]\w*)\s*(->|\.)[^;()]*;" % re.escape(r), f.body)
            if not m or m.group(1) not in f.params and m.group(1) not in p.globals:
                return False
            r = m.group(1)
            if r in p.globals:
                return True
        return r in f.params and bool(re.search(r"->|\.", norm(c).lstrip("&")))

    CTOR_CALL_RE = re.compile(r"(?<![\w.>])([A-Za-z_]\w*)\s*=\s*(?:\([^()]*\)\s*)?([A-Za-z_]\w*)\s*\(")

    def rule1_container_takes_only_ref(self, f):
        """A new object, built from the caller's data, published in a shared
        container whose eviction puts its entries, with its one reference:
        the container owns it and nobody else holds one, but the caller goes
        on using the data the object now owns: an eviction can free it under
        the caller.  A reference for the caller (handed back) is missing."""
        p = self.prog
        src = f.src
        for m in self.CTOR_CALL_RE.finditer(f.body):
            x, ctor = m.group(1), m.group(2)
            if ctor not in p.ctor or self.pointee(f, x) not in p.structs:
                continue
            co = f.body_start + m.start(2)
            cargs = next((a for n, a, o, _e in f.calls if o == co), [])
            given = [i for i, a in enumerate(cargs) if p.root(a) in f.params and self.adopts(ctor, i)]
            if not given:
                continue
            if [o for o in self.acquisitions(f, x) if o != f.body_start + m.start()]:
                continue
            if re.search(r"\breturn\s+%s\s*;|\*\s*[A-Za-z_]\w*\s*=\s*%s\s*;|->\s*\w+\s*=\s*%s\s*;"
                         % ((re.escape(x),) * 3), f.body):
                continue        # a reference or the pointer goes back to the caller
            for name, args, off, _e in f.calls:
                if off < co or not self.insert_call(name):
                    continue
                if not any(norm(a) == x for a in args):
                    continue
                conts = [a for a in args if norm(a) != x and self.shared_container(f, a)
                         and re.search(r"(->|\.)\s*(\w+)$", norm(a))]
                if not conts:
                    continue
                member = re.search(r"(->|\.)\s*(\w+)$", norm(conts[0])).group(2)
                evict = self.evicts(member)
                if evict is None:
                    continue
                param = p.root(cargs[given[0]])
                use = self.caller_uses_after(f, param)
                if use is None:
                    continue
                g, uo = use
                self.add(src.path, self.pos_of(src, off), 1,
                         "'%s', built from the caller's '%s', is published in '%s' by %s() "
                         "with its only reference, the container's, and none is taken for the "
                         "caller, which still uses that data: an eviction can put the entry "
                         "and free it meanwhile: take a reference for the caller and hand it "
                         "back, to be put when the caller is done"
                         % (x, param, norm(conts[0]).lstrip("&"), name),
                         [(evict[0].src.path, self.pos_of(evict[0].src, evict[1]),
                           "an eviction from '%s' puts the entry here" % member),
                          (g.src.path, self.pos_of(g.src, uo),
                           "%s() still uses the data after the call" % g.name)])
                break

    def adopts(self, ctor, i):
        """Whether the constructor keeps its parameter i's data in the new
        object (copies the struct in, or stores the pointer)."""
        for g in self.prog.funcs.get(ctor, []):
            if i >= len(g.params):
                continue
            prm = re.escape(g.params[i])
            if re.search(r"\b(memcpy|memmove)\s*\(\s*&?\s*\w+\s*->\s*\w+\s*,\s*%s\s*," % prm, g.body) or \
                    re.search(r"\w+\s*->\s*\w+\s*=\s*\*?\s*%s\s*;" % prm, g.body):
                return True
        return False

    def evicts(self, member):
        """(function, offset) of a put of an entry taken out of a container
        in a member of that name, elsewhere in the program, or None."""
        for g in self.prog.all_funcs:
            for a in re.finditer(r"(?<![\w.>])([A-Za-z_]\w*)\s*=\s*(?:\([^()]*\)\s*)?\w+\s*\([^;]*"
                                 r"(?:->|\.)\s*%s\b[^;]*;" % re.escape(member), g.body):
                v = a.group(1)
                for n, args, o, _e in g.calls:
                    if o > g.body_start + a.start():
                        put = self.put_arg(n, args)
                        if put is not None and self.same_obj(g, put, v):
                            return g, o
        return None

    def caller_uses_after(self, f, param):
        """(caller, offset) of a use, after a call of f, of what the caller
        passed as param, or None."""
        i = f.params.index(param)
        for g, off in self.prog.callers.get(f.name, []):
            for name, args, o, end in g.calls:
                if o != off or i >= len(args):
                    continue
                r = self.prog.root(args[i])
                if not r:
                    continue
                use = re.search(r"(?<![\w.>])%s\b" % re.escape(r), g.src.clean[end:g.end])
                if use:
                    return g, end + use.start()
        return None

    def insert_call(self, name):
        """A call whose name says it puts an entry into a container."""
        p = self.prog
        if name in NOT_HANDOFF or name in self.valid["get"] or name in p.put_w or \
                name in p.put_w1 or name in p.put_any or name in FREE_FNS or \
                re.match(r"^(atomic|refcount|kref|percpu|__atomic|__sync)", name):
            return False
        return bool(ownership.INSERT_RE.search(name)) and (
            p.is_handoff_name(name) or name.startswith(("list_add", "hlist_add")) or
            name not in p.funcs)

    def own_put_after(self, f, obj, off):
        """For an object the function created (its one reference) and then
        inserted at off: a put of that reference later in the function,
        with no other get and no removal, leaves the container with none."""
        acq = self.acquisitions(f, obj)
        if len(acq) != 1 or acq[0] > off:
            return None
        for name, args, o, _e in f.calls:
            if o <= off:
                continue
            if UNLINK_RE.search(name) and any(self.prog.root(a) == obj for a in args):
                return None
            put = self.put_arg(name, args)
            if put is not None and self.same_obj(f, put, obj):
                between = f.src.clean[off:o]
                if re.search(r"\b(return|goto)\b", between):
                    return None     # the put may be on a failure path only
                return ("created by this function with one reference, which it puts at line %d"
                        % line_of(f.src.starts, o))
        return None
