# SPDX-License-Identifier: MIT
"""Rule 1: get a reference before you hand the pointer off; put it back
if the handoff fails.  Beside its patterns, cocci/rule1.cocci.
"""

import re

from .names import FREE_FNS, NORETURN, THREAD_START, WORK_START
from .source import calls_in, f_end, key, line_of, match_close, norm, obj_of, squeeze


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
        self.rule1_failure()
        self.rule1_fallthrough()

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
            if name in ("kref_put", "kref_put_mutex", "kref_put_lock") and \
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
