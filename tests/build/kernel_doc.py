# SPDX-License-Identifier: MIT
"""kernel_doc.py HEADER... - name, as FILE:LINE: WHAT, every public function
of the headers whose kernel-doc block is missing or incomplete.

A function is a file-scope `static inline` definition or a declaration
(not a typedef, not inside a macro's body).  It is public unless its name
ends in `_` or the comment just before it says "Not API" (a comment that
covers a group of declarations on consecutive lines).  Its kernel-doc
block is the `/** NAME - summary` comment just before it (blank lines and
attribute-macro lines such as KREF_ADDRESS_ONLY(1) may come between); the
block needs one ` * @param:` line per named parameter and, unless the
function returns void, a ` * Return:` line.  Exit status 1 if anything is
named."""
import re
import sys

IDENT = r'[A-Za-z_][A-Za-z0-9_]*'


def strip_code(text):
    """The file's lines with macro bodies and preprocessor lines blanked, and
    the comments as (start line, end line, text)."""
    lines = text.split('\n')
    out = []
    comments = []
    in_comment = None
    cont = False
    for no, line in enumerate(lines, 1):
        if in_comment is not None:
            end = line.find('*/')
            if end < 0:
                in_comment[2].append(line)
                out.append('')
                continue
            in_comment[2].append(line[:end])
            comments.append((in_comment[0], no, '\n'.join(in_comment[2])))
            in_comment = None
            line = line[end + 2:]
            if not line.strip():
                out.append('')
                continue
        if cont or line.lstrip().startswith('#'):
            cont = line.rstrip().endswith('\\')
            out.append('')
            continue
        code = ''
        rest = line
        while True:
            start = rest.find('/*')
            slash = rest.find('//')
            if slash >= 0 and (start < 0 or slash < start):
                code += rest[:slash]
                break
            if start < 0:
                code += rest
                break
            code += rest[:start]
            end = rest.find('*/', start + 2)
            if end < 0:
                in_comment = [no, None, [rest[start:]]]
                break
            comments.append((no, no, rest[start:end]))
            rest = rest[end + 2:]
        out.append(code)
    return out, comments


def split_params(params):
    parts, depth, cur = [], 0, ''
    for ch in params:
        if ch in '([':
            depth += 1
        elif ch in ')]':
            depth -= 1
        if ch == ',' and depth == 0:
            parts.append(cur)
            cur = ''
        else:
            cur += ch
    parts.append(cur)
    names = []
    for p in parts:
        p = p.strip()
        if not p or p == 'void' or p == '...':
            continue
        m = re.search(r'\(\s*\*\s*(' + IDENT + r')\s*\)', p)	# function pointer
        if m:
            names.append(m.group(1))
            continue
        p = re.sub(r'\[[^\]]*\]', '', p)
        ids = re.findall(IDENT, p)
        if ids:
            names.append(ids[-1])
    return names


def declarations(code):
    """(first line, last line, text, ';' or '{') of each file-scope statement."""
    depth = 0
    stmt, start = '', None
    for no, line in enumerate(code, 1):
        for ch in line:
            if depth > 0:
                depth += {'{': 1, '}': -1}.get(ch, 0)
                continue
            if not stmt.strip() and ch.isspace():
                continue
            if not stmt.strip():
                start = no
            if ch in ';{':
                yield start, no, stmt, ch
                stmt = ''
                if ch == '{':
                    depth = 1
                continue
            stmt += ch
        # An all-capitals macro alone on a line (KREF_BEGIN_DECLS,
        # KREF_ADDRESS_ONLY(1), KREF_DEFINE_TRY_CMPXCHG(a, b)) ends nothing.
        if re.fullmatch(r'\s*[A-Z_][A-Z0-9_]*\s*(\([^()]*\))?\s*', stmt):
            stmt = ''
        else:
            stmt += ' '


def functions(code):
    for line, last, stmt, end in declarations(code):
        s = re.sub(r'__attribute__\s*\(\(.*?\)\)', ' ', stmt)
        s = re.sub(r'\b[A-Z_][A-Z0-9_]*\s*\([^()]*\)', ' ', s)	# KREF_ADDRESS_ONLY(1)
        s = s.strip()
        if re.match(r'(typedef|struct|union|enum)\b', s) and not re.search(r'\)\s*$', s):
            continue
        if s.startswith('typedef') or s.startswith('extern "C"'):
            continue
        m = re.search(r'(' + IDENT + r')\s*\(', s)
        if not m:
            continue
        if end == '{' and not re.search(r'\b(inline|KREF_CLEANUP_INLINE_)\b', s[:m.start()]) \
                and not re.search(r'\bstatic\b', s[:m.start()]):
            continue
        name = m.group(1)
        ret = s[:m.start()]
        ret = re.sub(r'\b(static|inline|extern|KREF_CLEANUP_INLINE_|[A-Z_][A-Z0-9_]*)\b', ' ', ret)
        ret = ' '.join(ret.split())
        depth, i = 0, m.end() - 1
        for j in range(i, len(s)):
            depth += {'(': 1, ')': -1}.get(s[j], 0)
            if depth == 0:
                break
        yield line, last, name, ret, split_params(s[i + 1:j])


def check(path):
    with open(path, encoding='utf-8') as f:
        text = f.read()
    code, comments = strip_code(text)
    ends = {c[1]: c for c in comments}
    bad = []
    count = 0
    prev_last, prev_exempt = 0, False
    for line, last, name, ret, params in functions(code):
        # A declaration on the line after an exempt one shares its
        # comment: "Not API" covers the group.
        follows = line - prev_last == 1
        exempt = name.endswith('_') or (follows and prev_exempt)
        prev_last, prev_exempt = last, exempt
        if exempt:
            continue
        # The comment just before: skip blank lines and attribute macros.
        no = line - 1
        while no > 0 and no not in ends and \
                re.fullmatch(r'\s*([A-Z_][A-Z0-9_]*\s*(\([^()]*\))?)?\s*', code[no - 1]):
            no -= 1
        comment = ends.get(no)
        if comment and re.search(r'\bNot API\b', comment[2], re.I) \
                and not comment[2].startswith('/**'):
            prev_exempt = True
            continue
        count += 1
        where = '%s:%d: %s' % (path, line, name)
        if not comment or not re.match(r'/\*\*\s*(\*\s*)?' + re.escape(name) + r'(\(\))?\s+-\s',
                                       comment[2]):
            bad.append(where + ': no kernel-doc block (/** %s - summary)' % name)
            continue
        body = comment[2]
        for p in params:
            if not re.search(r'^\s*\*?\s*@' + re.escape(p) + r':', body, re.M):
                bad.append(where + ': no @%s: line' % p)
        if ret != 'void' and not re.search(r'^\s*\*?\s*Return:', body, re.M):
            bad.append(where + ': returns %s, no Return: line' % ret)
    return count, bad


def main(paths):
    total, bad = 0, []
    for p in paths:
        n, b = check(p)
        total += n
        bad += b
    for b in bad:
        print(b)
    print('%d public functions, %d problems' % (total, len(bad)), file=sys.stderr)
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
