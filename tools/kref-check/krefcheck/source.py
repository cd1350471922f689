# SPDX-License-Identifier: MIT
"""The source model: C text with comments and strings blanked, its
functions, macros, structs, globals and prototypes (Source), and the
preprocessor's conditionals and includes as the compiler reads them (TU).
"""

import functools
import os
import re
import typing

from .names import C_KEYWORDS, IGNORE_RE, LOCK_MEMBER_RE, TYPE_WORDS


def clean_source(text):
    """The text with comments and the insides of string and character
    literals replaced by spaces (newlines kept), so offsets and lines stay
    those of the file."""
    def blank(m):
        if m.group(1):
            return NOT_NEWLINE_RE.sub(" ", m.group(1))
        return m.group(2) + NOT_NEWLINE_RE.sub(" ", m.group(3)) + (m.group(4) or "")
    return COMMENT_OR_LITERAL_RE.sub(blank, text)


# A comment (to its end, or the text's), or a literal: its quote, what is
# inside (a backslash escapes the next character, a newline too), and
# the quote or the newline that ends it.
COMMENT_OR_LITERAL_RE = re.compile(r"(/\*.*?(?:\*/|\Z)|//[^\n]*)|([\"'])((?:\\[\s\S]?|(?!\2)[^\\\n])*)(\2|\n)?",
                                   re.S)
NOT_NEWLINE_RE = re.compile(r"[^\n]")


def match_close(s, i, open_c="(", close_c=")"):
    """Index just past the bracket that closes the one at s[i]."""
    depth = 0
    n = len(s)
    while i < n:
        c = s[i]
        if c == open_c:
            depth += 1
        elif c == close_c:
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return n


def split_args(s):
    """Top-level comma-separated pieces of s."""
    parts, depth, start = [], 0, 0
    for i, c in enumerate(s):
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
        elif c == "," and depth == 0:
            parts.append(s[start:i])
            start = i + 1
    parts.append(s[start:])
    return [p.strip() for p in parts if p.strip() != ""]


IDENT = re.compile(r"[A-Za-z_]\w*")
# A preprocessor directive: a line whose first non-blank is #, and the
# lines its backslashes continue it on.
CPP_LINES_RE = re.compile(r"^[ \t]*#(?:[^\n]*\\\n)*[^\n]*", re.M)
# An old-style definition's header, up to its first parameter declaration:
# int f(a, b) int a;
KNR_HEADER_RE = re.compile(r"\s*(?:[A-Za-z_][\w\s*]*?[\s*])?([A-Za-z_]\w*)\s*\(\s*[A-Za-z_]\w*"
                           r"(?:\s*,\s*[A-Za-z_]\w*)*\s*\)\s*()(?:struct\s+|union\s+|enum\s+)?"
                           r"[A-Za-z_]\w*[\s*]+[A-Za-z_]", re.S)
CALL_RE = re.compile(r"\b([A-Za-z_]\w*)\s*\(")
# A pointer member of a struct body: its type and its name.
MEMBER_PTR_RE = re.compile(r"((?:struct|union)\s+\w+|\w+)\s*\*\s*(?:__rcu\s+)?([A-Za-z_]\w*)\s*;")


def calls_in(s, offset=0):
    """(name, [args], start offset, end offset) of every call in s."""
    for m in CALL_RE.finditer(s):
        name = m.group(1)
        if name in C_KEYWORDS:
            continue
        open_i = m.end() - 1
        close_i = match_close(s, open_i)
        yield name, split_args(s[open_i + 1:close_i - 1]), m.start() + offset, close_i + offset


# squeeze and norm: pure, and asked the same texts again and again by
# every rule (a tenth of the Python time on a large program).
@functools.lru_cache(maxsize=1 << 16)
def squeeze(expr):
    """An expression's text with whitespace only between two words."""
    e = re.sub(r"\s+", " ", (expr or "").strip())
    return re.sub(r"\s*([^\w\s])\s*", r"\1", e)


@functools.lru_cache(maxsize=1 << 16)
def norm(expr):
    """An expression's text without redundant parentheses or casts."""
    e = squeeze(expr)
    while e:
        if e.startswith("(") and match_close(e, 0) == len(e):
            e = e[1:-1]
            continue
        m = re.match(r"^\(([^()]+)\)([\w(&*].*)$", e)
        if m and re.match(r"^(const |volatile )*((struct|union|enum) )?\w+( \w+)*\**$", m.group(1)):
            e = m.group(2)
            continue
        break
    return e


def obj_of(expr):
    """The object an argument designates: &X->member and &X.member are X,
    (void *)X is X."""
    e = norm(expr)
    if e.startswith("&"):
        e = norm(e[1:])
        m = re.match(r"^(.+?)(->|\.)([A-Za-z_]\w*)$", e)
        if m:
            e = norm(m.group(1))
    return e


def kref_owner(expr):
    """The object whose kref an argument designates, through structs
    embedded by value: &X->a.ref and &X->a.b.ref are X, as &X->ref is."""
    e = obj_of(expr)
    if not re.search(r"\.\s*[A-Za-z_]\w*\s*$", norm(expr)) or "->" not in e:
        return e
    while re.search(r"\.[A-Za-z_]\w*$", e):
        e = norm(re.sub(r"\.[A-Za-z_]\w*$", "", e))
    return norm(re.sub(r"->[A-Za-z_]\w*$", "", e))


def lock_id(expr, params=()):
    """A name for a lock expression: a global's name, or .member for a lock
    inside some object (the object's name differs from caller to caller)."""
    e = norm(expr)
    if e.startswith("&"):
        e = norm(e[1:])
    m = re.search(r"(->|\.)([A-Za-z_]\w*)$", e)
    if m:
        return "." + m.group(2)
    if e in params:
        return "?"
    return e or "?"


def line_of(starts, off):
    lo, hi = 0, len(starts) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if starts[mid] <= off:
            lo = mid
        else:
            hi = mid - 1
    return lo + 1


class Func:
    def __init__(self, src, name, ret, params, ptypes, start, body_start, end):
        self.src = src
        self.name = name
        self.ret = ret
        self.params = params
        self.ptypes = ptypes
        self.start = start
        self.body_start = body_start
        self.end = end
        self.body = src.clean[body_start:end]
        self.line = line_of(src.starts, start)
        self.end_line = line_of(src.starts, end - 1)
        self.calls = list(calls_in(self.body, body_start))


class Macro:
    def __init__(self, name, params, body, line):
        self.name = name
        self.params = params
        self.body = body
        self.line = line
        self.calls = list(calls_in(body))
        self.ret = ""


class Source:
    def __init__(self, path, text):
        self.path = path
        self.text = text
        self.lines = text.split("\n")
        self.starts = [0]
        for i, c in enumerate(text):
            if c == "\n":
                self.starts.append(i + 1)
        self.clean = clean_source(text)
        self.macros = []
        self.funcs = []
        self.globals = set()
        self.protos = {}        # name -> return type text
        self.structs = {}       # struct key -> [kref member names]
        self.typedefs = {}      # typedef name -> struct key
        self.lock_structs = set()   # structs with a lock member
        self.lock_types = set()     # the program's typedef names of a lock type
        self.embeds = {}        # struct key -> [(member, struct key)] held by value
        self.member_ptrs = {}   # struct key -> {pointer member: its pointee's type}
        self.ignored = set()
        self.cpp_lines = set()
        for i, line in enumerate(self.lines, 1):
            if IGNORE_RE.search(line):
                self.ignored.add(i)
                self.ignored.add(i + 1)
        self._preprocessor()
        self._toplevel()

    def _preprocessor(self):
        """Record #define macros and blank every preprocessor line."""
        for d in CPP_LINES_RE.finditer(self.clean):
            first = line_of(self.starts, d.start())
            last = line_of(self.starts, max(d.start(), d.end() - 1))
            self.cpp_lines.update(range(first, last + 1))
            m = re.match(r"\s*#\s*define\s+([A-Za-z_]\w*)(\(([^)]*)\))?\s*(.*)$",
                         d.group().replace("\\\n", " "), re.S)
            if m:
                params = [p.strip() for p in (m.group(3) or "").split(",") if p.strip()]
                if m.group(2) is None:
                    params = None
                self.macros.append(Macro(m.group(1), params, m.group(4), first))
        self.clean = CPP_LINES_RE.sub(lambda d: NOT_NEWLINE_RE.sub(" ", d.group()), self.clean)

    def _toplevel(self):
        s = self.clean
        n = len(s)
        i = 0
        stmt = 0
        paren = 0
        spans = []
        knr = None      # an old-style (K&R) header: its start, its end, its declarations
        while i < n:
            c = s[i]
            if c == "(":
                paren += 1
            elif c == ")":
                paren -= 1
            elif c == "{" and paren == 0:
                header = s[stmt:i]
                end = match_close(s, i, "{", "}")
                if knr and not header.strip() and \
                        self._function(s[knr[0]:knr[1]], knr[0], i, end):
                    self._knr_types(self.funcs[-1], knr[2])
                    knr = None
                    stmt = i = end
                    continue
                knr = self._declarations_of(knr)
                if not spans and self._function(header, stmt, i, end):
                    stmt = end
                    i = end
                    continue
                spans.append((i, end))
                i = end
                continue
            elif c == ";" and paren == 0:
                m = None if spans or knr else KNR_HEADER_RE.match(s, stmt, i)
                if knr:
                    knr[2].append(s[stmt:i])
                elif m and not (m.group(1).isupper() and not s[stmt:m.start(1)].strip()):
                    knr = (stmt, m.start(2), [s[m.start(2):i]])
                else:
                    self._declaration(s[stmt:i], spans)
                spans = []
                stmt = i + 1
            elif c == "}" and paren == 0:
                knr = self._declarations_of(knr)
                stmt = i + 1
                spans = []
            i += 1
        self._declarations_of(knr)

    def _declarations_of(self, knr):
        """What looked like a K&R header was not one: read its statements
        as the declarations they are."""
        if knr:
            self._declaration(self.clean[knr[0]:knr[1]] + " " + knr[2][0], [])
            for d in knr[2][1:]:
                self._declaration(d, [])
        return None

    @staticmethod
    def _knr_types(f, decls):
        """A K&R definition's parameter types, from the declarations
        between its header and its body (char *b, **c;)."""
        for d in decls:
            parts = split_args(d)
            base = re.sub(r"[\s*]*[A-Za-z_]\w*\s*(\[.*)?$", "", parts[0] if parts else "", flags=re.S)
            for part in parts:
                ids = IDENT.findall(re.sub(r"\[.*?\]", "", part))
                if ids and ids[-1] in f.params:
                    stars = "*" * part[:part.rfind(ids[-1])].count("*")
                    f.ptypes[f.params.index(ids[-1])] = (base.strip() + " " + stars).strip()

    def _function(self, header, start, body, end):
        h = header.strip()
        if not h.endswith(")") and not re.search(r"\)\s*(__attribute__\s*\(\(.*\)\)|[A-Za-z_]\w*)\s*$", h, re.S):
            return False
        if re.search(r"=", re.sub(r"\([^()]*\)", "", h)) or h.startswith("typedef"):
            return False
        first = 0   # where the function's own header starts in h
        for m in re.finditer(r"([A-Za-z_]\w*)\s*\(", h):
            name = m.group(1)
            if m.start() < first or name in ("__attribute__", "__declspec", "alignas", "_Alignas") or \
                    name in TYPE_WORDS:
                continue
            close = match_close(h, m.end() - 1)
            ret = h[first:m.start()].strip()
            if not ret and name.isupper():
                # A macro invocation: ending its line with no semicolon
                # (DEFINE_SHOW(v)), it is not part of the function that
                # follows; else it is in the return type (STACK_OF(X509) *).
                if "\n" in re.match(r"\s*", h[close:]).group():
                    first = close
                continue
            rest = h[close:].strip()
            # Annotations after the parameters: __attribute__((...)), a
            # bare word, or sparse's __releases(lock) and its kin.  (Each
            # word and attribute matched one way only: \b, and no .* inside
            # an attribute; not split in every way before failing.)
            if rest and not re.match(r"^(__attribute__\s*\(\((?:[^()]|\([^()]*\))*\)\)\s*|__\w+\s*\([^()]*\)\s*|"
                                     r"[A-Za-z_]\w*\b\s*)*$", rest, re.S):
                continue
            params, ptypes = self._params(split_args(h[m.end():close - 1]))
            own = h[first:]
            self.funcs.append(Func(self, name, ret, params, ptypes,
                                   start + (len(header) - len(header.lstrip())) + first +
                                   (len(own) - len(own.lstrip())),
                                   body + 1, end - 1))
            return True
        return self._macro_function(h[first:], start + len(header) - len(header.lstrip()) + first,
                                    body, end)

    def _macro_function(self, h, start, body, end):
        """A function whose header a macro makes: SYSCALL_DEFINE2(name,
        int, fd, char *, buf) or static int HANDLER(name)(struct req *r).
        Named after the macro and its first argument (the real name is the
        macro's to make); the parameters are the second list's, or else
        the macro's arguments that declare one (char *buf), or each second
        argument when they come as type, name pairs."""
        lead = len(h) - len(h.lstrip())
        h = h.lstrip()
        m = re.match(r"((?:[A-Za-z_]\w*[\s*]+)*?)([A-Z_][A-Z0-9_]*)\s*\(", h)
        if not m:
            return False
        close = match_close(h, m.end() - 1)
        args = split_args(h[m.end():close - 1])
        rest = h[close:].strip()
        if rest and not (rest.startswith("(") and match_close(rest, 0) == len(rest)) or \
                m.group(1) and not rest:
            return False
        if rest:
            params, ptypes = self._params(split_args(rest[1:-1]))
        elif len(args) > 1 and len(args) % 2 and all(IDENT.fullmatch(a) for a in args[2::2]):
            params, ptypes = args[2::2], args[1::2]
        else:
            params, ptypes = self._params([a for a in args[1:] if re.search(r"[\s*]\s*[A-Za-z_]\w*$", a)])
        name = m.group(2) + ("__" + args[0] if args and IDENT.fullmatch(args[0]) else "")
        self.funcs.append(Func(self, name, m.group(1).strip(), params, ptypes, start + lead,
                               body + 1, end - 1))
        return True

    @staticmethod
    def _params(parts):
        """The names and types of a parameter list's parts."""
        params, ptypes = [], []
        for p in parts:
            pm = re.search(r"\(\s*\*\s*([A-Za-z_]\w*)\s*\)", p)
            if pm:
                params.append(pm.group(1))
                ptypes.append(p)
                continue
            ids = IDENT.findall(re.sub(r"\[.*?\]", "", p))
            if p.strip() in ("void", "...") or not ids:
                continue
            params.append(ids[-1])
            ptypes.append(p[:p.rfind(ids[-1])].strip())
        return params, ptypes

    def _declaration(self, text, spans):
        """A top-level declaration: struct definitions, typedefs, globals
        and prototypes."""
        s = text.strip()
        if not s:
            return
        # Struct bodies with a struct kref member.
        full = s
        for m in re.finditer(r"(typedef\s+)?\b(struct|union)\s+([A-Za-z_]\w*)?\s*\{", full):
            close = match_close(full, m.end() - 1, "{", "}")
            body = full[m.end():close - 1]
            members = re.findall(r"\bstruct\s+kref\s+([A-Za-z_]\w*)\s*[;,\[]", body)
            tag = m.group(3)
            tail = full[close:]
            key = ("struct " + tag) if tag else None
            if m.group(1):
                tnames = IDENT.findall(re.sub(r"\b(__attribute__\s*\(\(.*?\)\))", "", tail))
                if key is None and tnames:
                    key = tnames[0]
                for t in tnames:
                    if t != key:
                        self.typedefs[t] = key
            if key and members:
                self.structs[key] = members
            if key:
                self.member_ptrs.setdefault(key, {}).update(
                    (d.group(2), d.group(1)) for d in MEMBER_PTR_RE.finditer(body))
            if key:
                inner = re.findall(r"\bstruct\s+([A-Za-z_]\w*)\s+([A-Za-z_]\w*)\s*;", body)
                if inner:
                    self.embeds[key] = [(mb, "struct " + t) for t, mb in inner if t != "kref"]
            if key and (LOCK_MEMBER_RE.search(body) or any(
                    re.search(r"\b%s\s+\w+\s*[;,\[]" % t, body) for t in self.lock_types)):
                self.lock_structs.add(key)
        if s.startswith("typedef"):
            # typedef pthread_mutex_t simple_mtx_t;: a lock by another name.
            m = LOCK_MEMBER_RE.match(s[len("typedef"):].strip() + ";")
            if m:
                self.lock_types.add(re.findall(r"\w+", s)[-1])
            m = re.match(r"typedef\s+(struct|union)\s+([A-Za-z_]\w*)\s*\**\s*([A-Za-z_]\w*)\s*$", s)
            if m:
                self.typedefs[m.group(3)] = "struct " + m.group(2)
                return
            # typedef Base Alias; of a named type (GObject-style subtypes).
            m = re.match(r"typedef\s+([A-Za-z_]\w*)\s+([A-Za-z_]\w*)\s*$", s)
            if m and m.group(1) not in TYPE_WORDS:
                self.typedefs[m.group(2)] = m.group(1)
            return
        # Declarations of a macro's object: static DEFINE_MUTEX(x); LIST_HEAD(q);
        m = re.match(r"^(?:static\s+)?([A-Z_][A-Z0-9_]*)\s*\(\s*([A-Za-z_]\w*)\s*(?:,.*)?\)$", s, re.S)
        if m:
            self.globals.add(m.group(2))
            return
        collapsed, prev = s, None
        while collapsed != prev:
            prev = collapsed
            collapsed = re.sub(r"\{[^{}]*\}", "{}", collapsed)
        if re.match(r"^(struct|union|enum)\s+[A-Za-z_]\w*\s*\{\}\s*$", collapsed) or \
                re.match(r"^(struct|union|enum)\s*\{\}\s*$", collapsed):
            return
        for decl in split_args(collapsed):
            d = decl.split("=")[0].strip() if "=" in decl else decl
            # A prototype: NAME(params) with no '=' before.
            pm = re.search(r"([A-Za-z_]\w*)\s*\(([^()]*(\([^()]*\))?[^()]*)\)\s*(__attribute__.*)?$", d, re.S)
            if pm and not re.search(r"\(\s*\*", d[:pm.start() + 1]) and pm.group(1) not in ("_Atomic", "__typeof__", "typeof"):
                self.protos[pm.group(1)] = d[:pm.start()].strip()
                continue
            d = re.sub(r"\[[^\]]*\]", "", d)
            d = re.sub(r"_Atomic\s*\(([^()]*)\)", r"\1", d)
            fp = re.search(r"\(\s*\*\s*([A-Za-z_]\w*)\s*\)", d)
            if fp:
                self.globals.add(fp.group(1))
                continue
            ids = [x for x in IDENT.findall(d) if x not in TYPE_WORDS]
            if ids:
                self.globals.add(ids[-1])

    def text_at(self, pos):
        """The source text between two positions (line, col, line_end,
        col_end), columns from 0."""
        l1, c1, l2, c2 = pos
        if l1 < 1 or l1 > len(self.lines):
            return ""
        if l1 == l2:
            return self.lines[l1 - 1][c1:c2]
        parts = [self.lines[l1 - 1][c1:]]
        parts.extend(self.lines[l1:l2 - 1])
        parts.append(self.lines[l2 - 1][:c2])
        return "\n".join(parts)

    def offset(self, line, col):
        return self.starts[line - 1] + col

    def func_at(self, line):
        for f in self.funcs:
            if f.line <= line <= f.end_line:
                return f
        return None


# ---------------------------------------------------------------------------
# Reading code as the compiler does: #if and #ifdef decided with -D, -U and
# the file's own #defines; #include followed through the file's directory
# and -I.  What cannot be decided (a compiler's predefined macro: __GNUC__,
# __linux__) is read, both branches, as before.

# The kref API: known by name, never read (libkref's own headers define it
# with the very calls the checks look for).
API_HEADER_RE = re.compile(r"^(kref\.h|kref/|linux/)")
PREDEFINED = {"__STDC__": "1", "__STDC_VERSION__": "201710L", "__STDC_HOSTED__": "1"}
# Read as C: whatever the compiler, these are not defined.
NEVER_DEFINED = {"__cplusplus", "__OBJC__"}
DIRECTIVE_RE = re.compile(r"^\s*#\s*([a-z_]+)\b(.*)$")


class Unknown(Exception):
    pass


class MissingInclude(typing.NamedTuple):
    """A quoted #include that was not found: where, and the name."""
    path: str
    line: int
    name: str


class TU:
    """One translation unit read as the compiler reads it: the lines of
    each file an #if turned off, the headers it reached, the quoted
    #includes it could not find."""

    def __init__(self, path, include_dirs, defines):
        self.dirs = list(include_dirs)
        self.defines = dict(PREDEFINED)
        self.undefined = set(NEVER_DEFINED)
        for name, value in defines:
            if value is None:
                self.defines.pop(name, None)
                self.undefined.add(name)
            else:
                self.defines[name] = value
                self.undefined.discard(name)
        self.inactive = {}      # path -> set of line numbers
        self.headers = []       # paths of the headers read, in order
        self.missing = []       # [MissingInclude]
        self._read(path, 0)

    cache = {}      # path -> text, for all units: headers are read once

    def text(self, path):
        if path not in TU.cache:
            with open(path, encoding="utf-8", errors="replace") as fh:
                TU.cache[path] = fh.read()
        return TU.cache[path]

    def find(self, name, quoted, here):
        if os.path.isabs(name):
            return name if os.path.isfile(name) else None
        dirs = ([os.path.dirname(here) or "."] if quoted else []) + self.dirs
        for d in dirs:
            p = os.path.normpath(os.path.join(d, name))
            if os.path.isfile(p):
                return p
        return None

    cleaned = {}    # path -> its lines, comments and strings blanked

    def _read(self, path, depth):
        if path not in TU.cleaned:
            TU.cleaned[path] = clean_source(self.text(path)).split("\n")
        lines = TU.cleaned[path]
        raw = self.text(path).split("\n")
        off = self.inactive.setdefault(path, set())
        # Each open #if: [active now, a branch was surely taken, the
        # enclosing region active].
        stack = []
        active = True
        i = 0
        while i < len(lines):
            n = i + 1
            line = lines[i]
            while line.endswith("\\") and i + 1 < len(lines):
                i += 1
                line = line[:-1] + " " + lines[i]
            m = DIRECTIVE_RE.match(line)
            if not m:
                if not active:
                    off.update(range(n, i + 2))
                i += 1
                continue
            d, rest = m.group(1), m.group(2).strip()
            if d in ("if", "ifdef", "ifndef"):
                if not active:
                    stack.append([False, True, False])
                else:
                    v = self._cond(d, rest)
                    stack.append([v is not False, v is True, True])
            elif d == "elif" and stack:
                top = stack[-1]
                if not top[2] or top[1]:
                    top[0] = False
                else:
                    v = self._cond("if", rest)
                    top[0] = v is not False
                    top[1] = v is True
            elif d == "else" and stack:
                top = stack[-1]
                top[0] = top[2] and not top[1]
                top[1] = True
            elif d == "endif" and stack:
                stack.pop()
            elif not active:
                off.update(range(n, i + 2))     # a #define turned off
            elif d == "define":
                dm = re.match(r"([A-Za-z_]\w*)(\([^)]*\))?\s*(.*)$", rest)
                if dm and dm.group(1) not in NEVER_DEFINED:
                    self.defines[dm.group(1)] = None if dm.group(2) else dm.group(3).strip()
                    self.undefined.discard(dm.group(1))
            elif d == "undef":
                name = rest.split()[0] if rest.split() else ""
                self.defines.pop(name, None)
                self.undefined.add(name)
            elif d == "include" and depth < 32:
                im = re.match(r'^(?:"([^"]+)"|<([^>]+)>)',
                              raw[n - 1].split("include", 1)[-1].strip())
                if im:
                    name = im.group(1) or im.group(2)
                    found = self.find(name, im.group(1) is not None, path)
                    if API_HEADER_RE.match(name):
                        pass
                    elif found is None:
                        if im.group(1) is not None:
                            self.missing.append(MissingInclude(path, n, name))
                    elif found not in self.inactive:
                        try:
                            self.text(found)
                        except OSError:
                            self.missing.append(MissingInclude(path, n, name))
                        else:
                            self.headers.append(found)
                            self._read(found, depth + 1)
            active = all(s[0] for s in stack)
            i += 1

    def _cond(self, d, rest):
        """True, False, or None when it cannot be decided."""
        if d in ("ifdef", "ifndef"):
            name = rest.split()[0] if rest.split() else ""
            v = self._defined(name)
            if v is None:
                return None
            return v if d == "ifdef" else not v
        try:
            return bool(self._eval(rest))
        except Unknown:
            return None
        except Exception:       # an expression this reader does not know
            return None

    def _defined(self, name):
        if name in self.defines:
            return True
        if name in self.undefined:
            return False
        # A name reserved to the implementation may be the compiler's own.
        if name.startswith("__") or re.match(r"^_[A-Z]", name):
            return None
        return False

    def _eval(self, expr, depth=0):
        if depth > 16:
            raise Unknown()

        def defined(m):
            v = self._defined(m.group(1) or m.group(2))
            if v is None:
                raise Unknown()
            return " 1 " if v else " 0 "
        e = re.sub(r"\bdefined\s*(?:\(\s*([A-Za-z_]\w*)\s*\)|([A-Za-z_]\w*))", defined, expr)

        def ident(m):
            name = m.group(0)
            if name in self.defines:
                value = self.defines[name]
                if value is None or "(" in (value or ""):
                    raise Unknown()
                return " (%d) " % self._eval(value or "0", depth + 1)
            if self._defined(name) is None:
                raise Unknown()
            return " 0 "
        e = re.sub(r"\b[A-Za-z_]\w*\b(?!\s*\()", ident, e)
        if re.search(r"[A-Za-z_]\w*\s*\(", e):
            raise Unknown()     # a function-like macro
        e = re.sub(r"\b(0[xX][0-9a-fA-F]+|\d+)[uUlL]*\b", r"\1", e)
        e = e.replace("&&", " and ").replace("||", " or ")
        e = re.sub(r"!(?!=)", " not ", e)
        e = e.replace("/", "//")
        if re.search(r"[^\s\d()xXa-fA-F<>=!+\-*/%&|^~]|\?", re.sub(r"\b(and|or|not)\b", "", e)):
            raise Unknown()
        return int(eval(e, {"__builtins__": {}}, {}))


def blank_lines(text, lines):
    """The text with these lines (from 1) blanked, newlines kept."""
    if not lines:
        return text
    out = text.split("\n")
    for n in lines:
        if 0 < n <= len(out):
            out[n - 1] = " " * len(out[n - 1])
    return "\n".join(out)


def f_end(f):
    return f.end


def key(path, pos):
    return (path, pos[0], pos[1])
