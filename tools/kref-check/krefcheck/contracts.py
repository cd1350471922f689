# SPDX-License-Identifier: MIT
"""Ownership contracts read from the comments next to declarations.

Real code says who owns a reference in prose, beside a prototype or in a
kernel-doc block: "Return: the node with its refcount incremented",
"returns a borrowed pointer", "consumes the caller's reference", "On
success, out->np holds a referenced node".  Functions the program only
declares (a library's, another file's) can be known no other way.  Each
comment is tied to the one declaration it documents (the comment just
above it, a trailing comment on its line, or a kernel-doc block naming
it), and its sentences become facts the rules use.
"""

import dataclasses
import re

from .source import IDENT, line_of, split_args


@dataclasses.dataclass(frozen=True)
class OutRef:
    """A parameter through which a function hands back a reference: the
    pointer it points to (member None) or one member of the struct it
    points to."""
    param: int
    member: str | None
    line: int           # the comment's line, for the notes
    path: str


@dataclasses.dataclass
class Contracts:
    returns_ref: dict = dataclasses.field(default_factory=dict)       # name -> (path, line)
    returns_borrowed: dict = dataclasses.field(default_factory=dict)  # name -> (path, line)
    consumes: dict = dataclasses.field(default_factory=dict)          # name -> (param, path, line)
    out_ref: dict = dataclasses.field(default_factory=dict)           # name -> [OutRef]


# A reference given to the caller.
GIVES = re.compile(
    r"(ref(erence)?\s*count\w*\s+(is\s+)?(incremented|increased|raised|elevated|bumped)|"
    r"\bnew\s+reference|\bwith\s+(\w+'?s?\s+){0,2}(reference|ref|refcount|ref\s+count)\b|"
    r"\(transfer\s+full\)|\bowns?\s+the\s+(returned\s+)?(reference|ref)\b|"
    r"\b\w+(_put|_unref|_release|_drop)\w*\(\)\s+(it\s+|on\s+it\s+|the\s+result\s+)?(when|once|after)\s+done|"
    r"\buse\s+\w+\(\)\s+(when|once)\s+(you\s+are\s+)?done|\breferenced\s+(\w+\s+)?(node|object|pointer|device|entry)|"
    r"\bholds?\s+a\s+(new\s+)?reference|\bcaller\s+(must|should|is\s+responsible\s+(for|to))\s+"
    r"(call\w*\s+)?(\w*_?(put|unref|release|drop)\w*|put|drop|release|unref)|"
    r"\b(must|should)\s+be\s+(released|dropped|put)\s+(with|by|using)|"
    r"\btakes?\s+a\s+reference\s+(on|to|for)\s+(it|the\s+\w+\s+(it\s+)?returns?))", re.I)
# Explicitly no reference.
BORROWS = re.compile(
    r"(\bborrowed\b|\b(does|do)\s+not\s+(take|get|hold|acquire|grab)\s+(a|any)\s+ref|"
    r"\bwithout\s+(taking\s+)?(a|any)\s+ref|\bno\s+reference\s+(is\s+)?(taken|held|acquired)|"
    r"\bnot\s+referenced\b|\(transfer\s+none\)|"
    r"\bwithout\s+(taking|incrementing|raising|grabbing|getting|holding|bumping)\s+(a|any|its|the)?\s*ref|"
    r"\b(does|do)\s+not\s+(increment|raise|bump|take|grab)\s+(its|the|a|any)\s+ref|"
    r"\breference\s+(is\s+)?(owned|held|kept)\s+by\s+(the\s+)?(?!caller)\w+|"
    r"\b(do|must)\s+not\s+(be\s+)?(free|put|unref|release|drop)\w*)", re.I)
# The callee takes over the caller's reference.
CONSUMES = re.compile(
    r"(\bconsumes?\s+(the\s+)?(caller'?s?\s+|initial\s+|one\s+|a\s+)?ref|"
    r"(?<!\bto\s)(?<!\(\)\s)\b(drops?|puts?|releases?)\s+(the\s+|a\s+|its\s+|one\s+)?([\w']+\s+)?(reference|ref)\b|"
    r"\btakes?\s+over\s+(the\s+)?(caller'?s?\s+)?(reference|ref|ownership)|"
    r"\bsteals?\s+(the\s+)?(caller'?s?\s+)?(reference|ref)|"
    r"\breference\s+(is\s+)?(transferred|consumed|dropped)\b)", re.I)
CALLER_PUTS = re.compile(r"\bcaller\s+(must|should|is\s+responsible)|\bmust\s+be\s+(released|dropped|put)|"
                         r"\bwhen\s+(you\s+are\s+)?done|\(transfer\s+full\)|\bcaller\s+owns", re.I)
RETURNISH = re.compile(r"\b(return|returns|returned|Return:|gives\s+back|hands\s+back)", re.I)


def comments(src):
    """(start, end, text) of each comment in the raw text (string and
    character literals are matched too, so that "//" in one is skipped)."""
    return [(m.start(), m.end(), m.group(0))
            for m in COMMENT_OR_LITERAL.finditer(src.text) if m.group(0)[0] == "/"]


COMMENT_OR_LITERAL = re.compile(r'"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\''
                                r"|/\*.*?\*/|//[^\n]*", re.S)


DECL = re.compile(r"([A-Za-z_]\w*)\s*\(([^()]*(?:\([^()]*\)[^()]*)*)\)")
NOT_TYPE = re.compile(r"\b(return|else|case|goto|do|sizeof|if|while|for|switch)\b")


def as_decl(text):
    """(name, return type, parameter list) if text is a function's
    declaration or definition head: a type, then NAME(params)."""
    d = DECL.search(text)
    if not d:
        return None
    ret = text[:d.start()]
    if not re.match(r"^[\s\w*]+$", ret) or not ret.strip() or NOT_TYPE.search(ret):
        return None
    return d.group(1), ret.strip(), d.group(2)


def documented(src, start, end):
    """The declaration a comment documents: (name, return type, parameter
    list) or None.  A comment right above it (only blank space between,
    no empty line), or one trailing on the line its declaration ends."""
    ls = src.clean.rfind("\n", 0, start) + 1
    if src.clean[ls:start].strip():
        s0 = max(src.clean.rfind(";", 0, ls), src.clean.rfind("}", 0, ls),
                 src.clean.rfind("{", 0, ls)) + 1
        text = src.clean[s0:start].strip()
        return as_decl(text[:-1]) if text.endswith(";") else None
    after = src.clean[end:end + 600]
    head = DOCUMENTED_HEAD.match(after)
    if head.group(2) in (";", "{") and "\n\n" not in after[:head.start(1)]:
        return as_decl(head.group(1))
    return None


# What follows a comment, up to the ; or { that ends the declaration it
# documents (none when a } or # comes first).  One way to match only: the
# lazy form tried every split of the blank space (a tenth of the run time).
DOCUMENTED_HEAD = re.compile(r"[ \t]*\n?([^;{}#]*)([;{}#]?)")


# Words that are part of a parameter's type, never its name.
TYPE_WORDS = {"const", "volatile", "restrict", "register", "signed", "unsigned", "short",
              "long", "int", "char", "float", "double", "void", "_Bool", "bool"}


def param_names(plist):
    """The parameter names of a prototype's parameter list ("" where a
    parameter is unnamed: void f(struct foo *), void f(int))."""
    out = []
    for p in split_args(plist):
        p = re.sub(r"\[[^\]]*\]", "", p)
        fp = re.search(r"\(\s*\*\s*([A-Za-z_]\w*)\s*\)", p)
        if fp:
            out.append(fp.group(1))
            continue
        # A struct, union or enum tag is the type's, not the name.
        p, tagged = re.subn(r"\b(struct|union|enum)\s+[A-Za-z_]\w*", " ", p)
        ids = list(IDENT.finditer(p))
        last = ids[-1] if ids else None
        if last is None or last.group(0) in TYPE_WORDS:
            out.append("")
        elif "*" in p:
            # The name follows the last '*' (a typedef's name precedes it).
            out.append(last.group(0) if last.start() > p.rfind("*") else "")
        else:
            out.append(last.group(0) if len(ids) > 1 or tagged else "")
    return out


def sentences(text):
    text = re.sub(r"^\s*/\*+|\*+/\s*$|^\s*//", "", text)
    text = re.sub(r"(?m)^\s*\*", " ", text)
    # Kernel-doc's "@param:" and "Return:" lines are sentences of their own.
    parts = re.split(r"(?<=[.;])\s+|\n\s*\n|\n(?=\s*@\w+\s*:)|\n(?=\s*(?:Return|Returns|Context)\s*:)", text)
    return [s.strip() for s in parts if s and s.strip()]


def read(sources):
    """The contracts of every documented declaration in sources."""
    c = Contracts()
    for src in sources:
        for start, end, text in comments(src):
            d = documented(src, start, end)
            if d is None:
                # A kernel-doc block names its function on its first line.
                k = re.match(r"\s*/\*\*\s*\n?\s*\*?\s*([A-Za-z_]\w*)\s*(\(\))?\s*-", text)
                if not k:
                    continue
                m = re.search(r"\b%s\s*\(([^()]*(?:\([^()]*\)[^()]*)*)\)" % re.escape(k.group(1)),
                              src.clean[end:end + 2000])
                if not m:
                    continue
                d = (k.group(1), "", m.group(1))
            name, ret, plist = d
            line = line_of(src.starts, start)
            dbl = {i for i, a in enumerate(split_args(plist)) if re.search(r"\*\s*\*", a)}
            learn(c, name, ret, param_names(plist), text, src.path, line, dbl)
    return c


def learn(c, name, ret, params, text, path, line, dbl=frozenset()):
    """The facts of one comment on the declaration of name."""
    guessed = False
    for s in sentences(text):
        named = [i for i, p in enumerate(params) if p and re.search(r"(?<![\w>.])%s\b" % re.escape(p), s)]
        at = re.match(r"@(\w+)\s*:", s)
        if at and at.group(1) in params:
            named = [params.index(at.group(1))] + [i for i in named if params[i] != at.group(1)]
            if re.search(r"\(out\)", s) and re.search(r"\(transfer\s+full\)", s):
                c.out_ref.setdefault(name, []).append(OutRef(named[0], None, line, path))
                continue
            if re.search(r"\(transfer\s+full\)", s):
                c.consumes.setdefault(name, (named[0], path, line))
                continue
        # "the caller must drop the reference": one it was given.
        hands_back = GIVES.search(s) and RETURNISH.search(s)
        if CONSUMES.search(s) and not BORROWS.search(s) and not CALLER_PUTS.search(s) \
                and not hands_back:
            i = named[0] if named else 0
            if params and name not in c.consumes:
                c.consumes[name] = (i, path, line)
                guessed = not named
            continue
        if BORROWS.search(s):
            if (RETURNISH.search(s) or not named) and (not ret or "*" in ret):
                c.returns_borrowed.setdefault(name, (path, line))
            continue
        if not GIVES.search(s):
            continue
        # "with its parent's refcount incremented": a reference on
        # another object than the one handed back.
        if re.search(r"\b(parent|owner|container|[a-z_]+'s)\s+(\w+\s+){0,5}(ref(erence)?\s*count|reference|ref)\b",
                     s, re.I) and not re.search(r"\b(caller|its)'s\b", s, re.I):
            continue
        # Through an out-parameter: "out->np holds a referenced node",
        # "*np is set to the node with a reference".
        out = None
        for i, p in enumerate(params):
            if not p:
                continue
            m = re.search(r"(?<![\w>.])\*?\s*%s\s*(->|\.)\s*([A-Za-z_]\w*)" % re.escape(p), s)
            if m:
                out = OutRef(i, m.group(2), line, path)
                break
            if re.search(r"\*\s*%s\b" % re.escape(p), s) or (i in dbl and named and named[0] == i):
                out = OutRef(i, None, line, path)
                break
        if out is not None:
            c.out_ref.setdefault(name, []).append(out)
        elif name not in c.returns_borrowed and (RETURNISH.search(s) or CALLER_PUTS.search(s)) \
                and (not ret or "*" in ret):
            c.returns_ref.setdefault(name, (path, line))
    # "drop the reference with foo_put()" beside "returns ... with a
    # reference" tells the caller what to do with the result.
    if guessed and (name in c.returns_ref or name in c.out_ref):
        del c.consumes[name]
