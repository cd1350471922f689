# SPDX-License-Identifier: MIT
"""Writing the patterns: the templates' %%DECLS%% (each metavariable's
names, from the program's facts) and %%FRAGMENT(...)%%.
"""

import re

from .names import (ALLOC_FNS,
    FREE_FNS,
    LOCK_FNS,
    NO_NAME,
    RAW_LOOKUP_FNS,
    RCU_LOCK_FNS,
    RCU_UNLOCK_FNS,
    READ_WRAPPERS,
    THREAD_START,
    UNLOCK_FNS)


# Words SmPL's parser reserves, which a C program may use as names: not
# allowed in an identifier list, they go in a regular expression beside it.
SMPL_WORDS = {"any", "assignment", "attribute", "binary", "comments",
              "constant", "declaration", "declarer", "depends", "error",
              "ever", "exists", "expression", "field", "finalize", "forall",
              "format", "fresh", "function", "global", "identifier",
              "idexpression", "initialize", "initializer", "initialiser",
              "iterator", "list", "local", "metavariable", "never",
              "operator", "parameter", "position", "script", "statement",
              "strict", "symbol", "type", "typedef", "virtual", "when", "words"}


def name_constraint(names, negate=False):
    """The constraint of an identifier metavariable that matches exactly
    these names (or, negated, every other name): an identifier list ({a,
    b}), which spatch compares name by name, where one regular expression
    of thousands of names exceeds PCRE's limits (Pcre.Error on a large
    program); SmPL's own words in a small expression beside it."""
    names = sorted(n for n in names if re.match(r"^[A-Za-z_]\w*$", n))
    plain = [n for n in names if n not in SMPL_WORDS] or [NO_NAME]
    words = [n for n in names if n in SMPL_WORDS]
    out = "%s {%s}" % ("!=" if negate else "=", ", ".join(plain))
    if words:
        out += ' %s %s "^(%s)$"' % ("&&" if negate else "||", "!~" if negate else "=~",
                                    "|".join(words))
    return out


def name_sets(prog):
    """The names each pattern metavariable stands for, in one program."""
    held = {"kref_get", "kref_get_unless_zero", "kref_put", "kref_put_mutex",
            "kref_put_lock"} | set(prog.get_w) | set(prog.get_w1) | \
        set(prog.try_w) | set(prog.put_w) | set(prog.put_w1) | \
        set(prog.funcs) | prog.handoff_names() | set(THREAD_START) | FREE_FNS
    return {
        "getw": set(prog.get_w),
        "getw1": set(prog.get_w1),
        "tryw": set(prog.try_w),
        "putw": set(prog.put_w),
        "putw1": set(prog.put_w1),
        "initw": set(prog.init_w),
        "freew": FREE_FNS | {n for n, i in prog.free_w.items() if i == 0},
        "handw": prog.handoff_names(),
        "ctorw": prog.ctor | prog.getter,
        "allocf": ALLOC_FNS | prog.alloc_w,
        # Any other call whose result the normal path puts returned a
        # reference (the driver checks that a put follows).
        "acqf!": ALLOC_FNS | prog.alloc_w | READ_WRAPPERS | RAW_LOOKUP_FNS |
        prog.rawlookup | prog.ctor | prog.getter | prog.accessors,
        "lockw": LOCK_FNS | set(prog.lock_w),
        "unlockw": UNLOCK_FNS | set(prog.unlock_w),
        "lock0": RCU_LOCK_FNS | set(prog.lock0),
        "unlock0": RCU_UNLOCK_FNS | set(prog.unlock0),
        "relw": prog.releases & set(prog.funcs),
        "heldat": held,
    }


def union_sets(progs):
    sets = {}
    for prog in progs:
        for k, v in name_sets(prog).items():
            sets.setdefault(k, set()).update(v)
    return sets


def share_patterns(progs):
    """Programs checked each alone (--each), in groups that can share one
    spatch run: the union of their names makes the same patterns as each
    program's own names wherever a program's code is concerned, because
    no name that another program adds to a set occurs in its code.  A
    getter of one file never makes another file's call a leak; groups save
    spatch's start-up (most of its time on a small file)."""
    groups = []     # [progs, union of name sets, union of identifiers]
    for prog in progs:
        mine = name_sets(prog)
        idents = prog.identifiers()
        for g in groups:
            ok = all(not ((g[1][k] - v) & idents) and not ((v - g[1][k]) & g[2])
                     for k, v in mine.items())
            if ok:
                g[0].append(prog)
                for k, v in mine.items():
                    g[1][k] |= v
                g[2] |= idents
                break
        else:
            groups.append([[prog], {k: set(v) for k, v in mine.items()}, set(idents)])
    return [g[0] for g in groups]


def decls(progs):
    """The metavariable declarations every rule starts with: for several
    programs checked at once (--each, grouped by share_patterns), the union
    of their names."""
    sets = union_sets(progs)
    lines = [
        "identifier __f, __g, __h;",
        "expression __e1, __e2, __e3, __e4;",
        "type __t;",
        "position __px, __pe;",
    ]
    for k in ("getw", "getw1", "tryw", "putw", "putw1", "initw", "freew", "handw",
              "ctorw", "allocf"):
        lines.append('identifier %s %s;' % (k, name_constraint(sets[k])))
    lines.append('identifier acqf %s;' % name_constraint(sets["acqf!"], True))
    for k in ("lockw", "unlockw", "lock0", "unlock0", "relw", "heldat"):
        lines.append('identifier %s %s;' % (k, name_constraint(sets[k])))
    return "\n".join(lines)


def alt(*branches):
    return "\\(" + "\\|".join(branches) + "\\)"


FRAGMENTS = {
    "GET": lambda p, y, py: alt(
        "kref_get@%s(&%s@%s->__f)" % (p, y, py),
        "getw@%s(%s@%s, ...)" % (p, y, py),
        "getw1@%s(__e1, %s@%s, ...)" % (p, y, py)),
    "TRY": lambda p, y, py: alt(
        "kref_get_unless_zero@%s(&%s@%s->__f)" % (p, y, py),
        "tryw@%s(%s@%s, ...)" % (p, y, py)),
    "PUTANY": lambda y: alt(
        "kref_put(&%s->__g, ...)" % y,
        "kref_put_mutex(&%s->__g, ...)" % y,
        "kref_put_lock(&%s->__g, ...)" % y,
        "putw(%s, ...)" % y,
        "putw1(__e4, %s, ...)" % y),
    "FREE": lambda p, e, pe: "freew@%s(%s@%s, ...)" % (p, e, pe),
    "FREEANY": lambda e: "freew(%s, ...)" % e,
    "HANDOFF": lambda p, x, px: alt(
        "pthread_create@%s(__e1, __e2, __e3, %s@%s)" % (p, x, px),
        "thrd_create@%s(__e1, __e2, %s@%s)" % (p, x, px),
        "kthread_run@%s(__e1, %s@%s, ...)" % (p, x, px),
        "kthread_create@%s(__e1, %s@%s, ...)" % (p, x, px),
        "queue_work@%s(__e1, %s@%s)" % (p, x, px),
        "schedule_work@%s(%s@%s)" % (p, x, px),
        "queue_delayed_work@%s(__e1, %s@%s, ...)" % (p, x, px),
        "schedule_delayed_work@%s(%s@%s, ...)" % (p, x, px),
        "handw@%s(..., %s@%s, ...)" % (p, x, px)),
    "HANDOFFANY": lambda x: alt(
        "pthread_create(__e1, __e2, __e3, %s)" % x,
        "pthread_create(__e1, __e2, __e3, (__t)%s)" % x,
        "thrd_create(__e1, __e2, %s)" % x,
        "kthread_run(__e1, %s, ...)" % x,
        "kthread_create(__e1, %s, ...)" % x,
        "queue_work(__e1, &%s->__g)" % x,
        "schedule_work(&%s->__g)" % x,
        "handw(..., %s, ...)" % x,
        "handw(..., &%s->__g, ...)" % x),
    "STORE": lambda p, g, x, px: alt(
        "%s@%s = %s@%s" % (g, p, x, px),
        "%s@%s->__g = %s@%s" % (g, p, x, px),
        "%s@%s.__g = %s@%s" % (g, p, x, px),
        "%s@%s[__e2] = %s@%s" % (g, p, x, px),
        "rcu_assign_pointer(%s@%s, %s@%s)" % (g, p, x, px),
        "WRITE_ONCE(%s@%s, %s@%s)" % (g, p, x, px),
        "atomic_store(&%s@%s, %s@%s)" % (g, p, x, px),
        "atomic_store_explicit(&%s@%s, %s@%s, __e3)" % (g, p, x, px),
        "__atomic_store_n(&%s@%s, %s@%s, __e3)" % (g, p, x, px)),
    "ACQ": lambda p, y, py: alt(
        "kref_get@%s(&%s@%s->__f)" % (p, y, py),
        "kref_get_unless_zero@%s(&%s@%s->__f)" % (p, y, py),
        "tryw@%s(%s@%s, ...)" % (p, y, py),
        "kref_init@%s(&%s@%s->__f)" % (p, y, py),
        "getw@%s(%s@%s, ...)" % (p, y, py),
        "getw1@%s(__e1, %s@%s, ...)" % (p, y, py),
        "initw@%s(%s@%s, ...)" % (p, y, py),
        "%s@%s = ctorw@%s(...)" % (y, py, p),
        "%s@%s = acqf@%s(...)" % (y, py, p)),
    "KREFOPANY": lambda e: alt(
        "kref_init(&%s->__g)" % e,
        "kref_get(&%s->__g)" % e,
        "kref_get_unless_zero(&%s->__g)" % e,
        "kref_put(&%s->__g, ...)" % e,
        "kref_put_mutex(&%s->__g, ...)" % e,
        "kref_put_lock(&%s->__g, ...)" % e,
        # A wrapper given the object's embedded member (the kernel's
        # device_register(&x->dev)) initialises or counts the object too;
        # first, so that the plain forms do not bind the member instead.
        "initw(&%s->__g, ...)" % e,
        "getw(&%s->__g, ...)" % e,
        "putw(&%s->__g, ...)" % e,
        "initw(%s, ...)" % e,
        "getw(%s, ...)" % e,
        "putw(%s, ...)" % e,
        "%s = ctorw(...)" % e),
    "ALLOC": lambda: alt("allocf(...)", "(__t)allocf(...)"),
}

FRAG_RE = re.compile(r"%%([A-Z]+)(?:\(([^)]*)\))?%%")


def expand(template, progs):
    d = decls(progs)

    def sub(m):
        name = m.group(1)
        if name == "DECLS":
            return d
        args = [a.strip() for a in (m.group(2) or "").split(",") if a.strip()]
        return FRAGMENTS[name](*args)
    return FRAG_RE.sub(sub, template)
