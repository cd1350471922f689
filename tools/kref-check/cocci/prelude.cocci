// SPDX-License-Identifier: MIT
// prelude.cocci - shared by every pass: how a match is reported to the
// driver.  Each report is one line on stdout:
//   KC <tab> TAG <tab> FILE <tab> FUNCTION <tab> POS...
// with each POS as line:column:line_end:column_end (columns from 0, the
// end exclusive).  Only positions cross over from the matcher: the driver
// reads the text at each from the source, which is far cheaper than
// handing expressions to Python.

@initialize:python@
@@
import sys


def kc(tag, *ps):
    first = ps[0][0]
    out = ["KC", tag, first.file, first.current_element]
    for p in ps:
        q = p[0]
        out.append("%s:%s:%s:%s" % (q.line, q.column, q.line_end, q.column_end))
    sys.stdout.write("\t".join(out) + "\n")
