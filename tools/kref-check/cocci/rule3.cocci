// SPDX-License-Identifier: MIT
// rule3.cocci - Rule 3: a get by code that holds no reference yet (it
// just read the pointer from a global, a table or a list) must be made
// under the lock that the object's final put takes, or under RCU with
// kref_get_unless_zero.
//
// The matcher reports each get with the assignment that produced its
// pointer; the driver reads the assigned expression to decide whether it
// was such a read, and takes the locks held at the get from locks.cocci.

// OBJ = EXPR; ... get or tryget on OBJ.
@r3_read_get exists@
%%DECLS%%
expression P, E, E2;
position pr, pe, pg, py;
@@
P@pr = E@pe
... when != P = E2
    when any
\(%%GET(pg, P, py)%%\|%%TRY(pg, P, py)%%\)

@script:python@
pr << r3_read_get.pr; pe << r3_read_get.pe; pg << r3_read_get.pg;
py << r3_read_get.py;
@@
kc("RG", pr, pe, pg, py)

// A get inside a list iteration (list_for_each_entry and the like, or the
// program's own iteration macros) on the iteration's cursor.
@r3_iter_get exists@
%%DECLS%%
iterator I;
expression P;
position pi, pg, py;
@@
I@pi(P, ...) { <+... \(%%GET(pg, P, py)%%\|%%TRY(pg, P, py)%%\) ...+> }

@script:python@
pi << r3_iter_get.pi; pg << r3_iter_get.pg; py << r3_iter_get.py;
@@
kc("IG", pi, pg, py)

// A get straight on a global pointer.
@r3_global_get@
%%DECLS%%
global idexpression G;
position pg, py;
@@
\(%%GET(pg, G, py)%%\|%%TRY(pg, G, py)%%\)

@script:python@
pg << r3_global_get.pg; py << r3_global_get.py;
@@
kc("GG", pg, py)
