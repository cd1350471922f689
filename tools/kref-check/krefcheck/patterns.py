# SPDX-License-Identifier: MIT
"""Writing the patterns: the templates' %%DECLS%% (each metavariable's
names, from the program's facts) and %%FRAGMENT(...)%%.
"""

import re
import typing

from .names import (ALLOC_FNS, FREE_FNS, KREF_PUTS, LOCK_FNS, NO_NAME, RAW_LOOKUP_FNS, RCU_LOCK_FNS,
    RCU_UNLOCK_FNS, READ_WRAPPERS, THREAD_START, UNLOCK_FNS)
from .rule2 import REF_LOOKUP_RE, Rule2
from .source import line_of, norm


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
        # reference (the driver checks that a put follows): the calls the
        # driver could keep a leak of (acquirers), less these.
        "acqf!": ALLOC_FNS | prog.alloc_w | READ_WRAPPERS | RAW_LOOKUP_FNS |
        prog.rawlookup | prog.ctor | prog.getter | prog.accessors | prog.borrowed,
        "acqf": acquirers(prog),
        "lockw": LOCK_FNS | set(prog.lock_w),
        "unlockw": UNLOCK_FNS | set(prog.unlock_w),
        "lock0": RCU_LOCK_FNS | set(prog.lock0),
        "unlock0": RCU_UNLOCK_FNS | set(prog.unlock0),
        "relw": prog.releases & set(prog.funcs),
        "heldat": held,
    }


# Every assignment, up to the end of its statement; overlapping, so that
# each of "T a = f(), b = g();" is an assignment of its own.
ASSIGNED_RE = re.compile(r"(?<![=!<>+\-*/%&|^])=(?!=)(?=([^;]*))")
CALLED_RE = re.compile(r"([A-Za-z_]\w*)\s*\(")
IDENT_RE = re.compile(r"[A-Za-z_]\w*")
# Every X = Y between two names (a cast, container_of between them too):
# wider than what the driver counts as an alias.
# Overlapping matches, from every position: a superset however the
# driver's own expressions split the text.
ALIAS_RE = re.compile(r"(?=([A-Za-z_]\w*)\s*=\s*(?:\([^()]*\)\s*)?"
                      r"(?:(?:container_of|caa_container_of|list_entry)\s*\(\s*)?"
                      r"([A-Za-z_]\w*)\s*[;,)])")
# C's own words, which look like calls (sizeof(x)) but name no function
# and which SmPL does not take for an identifier.
C_RESERVED = {"if", "while", "for", "switch", "return", "sizeof", "do", "else",
              "case", "goto", "_Alignof", "alignof", "typeof", "__typeof__",
              "__typeof", "_Generic", "__attribute__", "_Static_assert", "__asm__",
              "asm", "__asm", "int", "char", "void", "long", "short", "float", "double",
              "unsigned", "signed", "const", "volatile", "struct", "union", "enum",
              "static", "inline", "extern", "register", "restrict", "_Atomic", "auto"}


class _Prog(typing.NamedTuple):
    """What Rule2.decl_struct reads of the checker: the program."""
    prog: object


class _PutReach:
    """The names of one function that may reach a put or free of its own:
    every name in such a call's arguments, and every name joined to one by
    an assignment (the driver's aliases are a subset)."""

    def __init__(self, f, puts):
        parent = {}

        def find(x):
            while parent.get(x, x) != x:
                x = parent[x]
            return x
        for a, b in ALIAS_RE.findall(f.body):
            ra, rb = find(a), find(b)
            if ra != rb:
                parent[ra] = rb
        self.find = find
        self.roots = set()
        for name, args, _o, _e in f.calls:
            if name in puts:
                for x in IDENT_RE.findall(",".join(args)):
                    self.roots.add(find(x))

    def reaches(self, names):
        return any(self.find(x) in self.roots for x in names)


def acquirers(prog):
    """The calls r2_leak tries as acquisitions (x = F(...)): those whose
    leak rule2_leaks could keep, a superset of its tests.  It keeps one
    where the function puts x (the normal path's put, a put after the exit,
    through an alias too), where F is a lookup known to return a reference
    or one of the program's getters, or where x's struct counts references
    (a success path that keeps it).  Any other call's matches were thrown
    away, after costing most of spatch's time on large functions."""
    cached = getattr(prog, "_acquirers", None)
    if cached is not None:
        return cached
    puts = KREF_PUTS | set(prog.put_w) | \
        set(prog.put_w1) | set(prog.put_any) | FREE_FNS | set(prog.free_w)
    out = set(prog.get_w) | set(prog.get_w1) | set(prog.try_w) | \
        set(prog.init_w) | prog.ctor | prog.getter
    reach, counted, mentions, starred = {}, {}, {}, {}
    shim = _Prog(prog)

    def keeps(f, lhs):
        names = set(IDENT_RE.findall(lhs))
        if id(f) not in reach:
            reach[id(f)] = _PutReach(f, puts)
        if reach[id(f)].reaches(names):
            return True
        if id(f) not in mentions:
            # decl_struct names one of f's words or parameter types: if
            # none is a counted struct, it never names one (and its
            # expression, compiled per name, is the costly part).
            words = set(IDENT_RE.findall(f.body)) | \
                set(re.findall(r"\b(?:struct|union)\s+\w+", f.body)) | set(f.ptypes)
            mentions[id(f)] = any(prog.struct_of_type(w) in prog.structs for w in words)
        if not mentions[id(f)]:
            return False
        bare = re.sub(r"^\s*(if|while|return)\b", "", lhs).lstrip("( \t\n")
        if id(f) not in starred:
            # decl_struct's declaration has a '*' before the name, with no
            # ';' between: only such names need its expression.
            st = set()
            for seg in f.body.split(";"):
                i = seg.find("*")
                if i >= 0:
                    st.update(IDENT_RE.findall(seg[i:]))
            starred[id(f)] = st
        for n in names | {norm(lhs), norm(bare)}:
            if IDENT_RE.fullmatch(n) and n not in f.params and n not in starred[id(f)]:
                continue
            if (id(f), n) not in counted:
                counted[id(f), n] = Rule2.decl_struct(shim, f, n) in prog.structs
            if counted[id(f), n]:
                return True
        return False
    for src in prog.sources.values():
        for m in ASSIGNED_RE.finditer(src.clean):
            names = set(CALLED_RE.findall(m.group(1))) - out - C_RESERVED
            if not names:
                continue
            f = src.func_at(line_of(src.starts, m.start()))
            if f is None:
                continue
            if m.start() < f.body_start:
                out |= names
                continue
            start = max(src.clean.rfind(c, f.body_start, m.start()) for c in ";{}")
            lhs = src.clean[max(start + 1, f.body_start):m.start()]
            for n in names - out:
                if n.startswith("kref_") or REF_LOOKUP_RE.match(n) or keeps(f, lhs):
                    out.add(n)
    prog._acquirers = out
    return out


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
        # Another program's acquirers only add matches that the driver
        # does not count for this one (Checker.matches_program).
        del mine["acqf"]
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
        "identifier __f, __g, __h, __m1, __m2;",
        "expression __e1, __e2, __e3, __e4;",
        "type __t;",
        "position __px, __pe;",
    ]
    for k in ("getw", "getw1", "tryw", "putw", "putw1", "initw", "freew", "handw",
              "ctorw", "allocf"):
        lines.append('identifier %s %s;' % (k, name_constraint(sets[k])))
    lines.append('identifier acqf %s;' % name_constraint(sets["acqf"] - sets["acqf!"]))
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


DECL_RE = re.compile(r"^(identifier|expression|type|position)\s+([^;]*?)\s*"
                     r"((?:!?=|!=)\s.*)?;$")
MARK = "%%DECLS%%"


def used_decls(lines, body):
    """The declaration lines, each reduced to the metavariables the rule's
    body names: spatch parses every declaration of every rule, and the
    name lists are long (most of its start-up)."""
    used = set(re.findall(r"[A-Za-z_]\w*", body))
    out = []
    for line in lines:
        m = DECL_RE.match(line)
        names = [n.strip() for n in m.group(2).split(",")]
        keep = [n for n in names if n in used]
        if keep:
            out.append("%s %s%s;" % (m.group(1), ", ".join(keep),
                                     " " + m.group(3) if m.group(3) else ""))
    return "\n".join(out)


# A kref operation's argument, &OBJ->ref, also as the kref of a struct
# embedded in OBJ by value (&surface->base.reference, &p->a.b.ref): the
# object is OBJ either way, and the patterns bind the kref's member name.
KREF_ARG_RE = re.compile(r"\b(kref_\w+(?:@\w+)?)\(&([A-Za-z_]\w*(?:@\w+)?)->(__[fg])\b")


def nested_members(text):
    return KREF_ARG_RE.sub(
        lambda m: "%s(&\\(%s->%s\\|%s->__m1.%s\\|%s->__m1.__m2.%s\\)" % (
            m.group(1), m.group(2), m.group(3), m.group(2), m.group(3),
            m.group(2), m.group(3)), text)


def expand(template, progs):
    lines = decls(progs).split("\n")

    def sub(m):
        name = m.group(1)
        if name == "DECLS":
            return MARK
        args = [a.strip() for a in (m.group(2) or "").split(",") if a.strip()]
        return FRAGMENTS[name](*args)
    text = nested_members(FRAG_RE.sub(sub, template))
    out, pos = [], 0
    while True:
        i = text.find(MARK, pos)
        if i < 0:
            break
        # The rule's body: from its @@ to the next rule's header.
        j = text.find("\n@@", i)
        k = text.find("\n@", j + 3) if j >= 0 else -1
        body = text[j:k if k >= 0 else len(text)] if j >= 0 else text[i:]
        out += [text[pos:i], used_decls(lines, body)]
        pos = i + len(MARK)
    return "".join(out + [text[pos:]])
