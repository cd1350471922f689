// SPDX-License-Identifier: MIT
// rule1.cocci - Rule 1: get a reference before the handoff, and put it
// back if the handoff fails.
//
// The matcher reports pairs; the driver keeps those on the same object
// (through one level of aliasing), in the order the text has them (a get
// that follows a handoff only through a loop's back edge is the next
// iteration's get-before-handoff), and drops the gets that come before a
// later handoff of the same object.

// A handoff (thread, work, queue, table, list) followed by a get (a
// get_unless_zero too: taking the reference after is as late).
@r1_handoff_get exists@
%%DECLS%%
expression X, Y;
position ph, px, pg, py;
@@
%%HANDOFF(ph, X, px)%%
...
\(
%%GET(pg, Y, py)%%
\|
%%TRY(pg, Y, py)%%
\)

@script:python@
ph << r1_handoff_get.ph; px << r1_handoff_get.px;
pg << r1_handoff_get.pg; py << r1_handoff_get.py;
@@
kc("HG", ph, px, pg, py)

// A store of the pointer to a global (publication) followed by a get.
@r1_store_get exists@
%%DECLS%%
expression X, Y;
global idexpression G;
position ph, px, pg, py;
@@
%%STORE(ph, G, X, px)%%
...
%%GET(pg, Y, py)%%

@script:python@
ph << r1_store_get.ph; px << r1_store_get.px;
pg << r1_store_get.pg; py << r1_store_get.py;
@@
kc("SG", ph, px, pg, py)

// A get followed by a handoff or a store: that get is for the handoff.
@r1_get_handoff exists@
%%DECLS%%
expression X, Y;
global idexpression G;
position ph, px, pg, py;
@@
%%GET(pg, Y, py)%%
...
(
%%HANDOFF(ph, X, px)%%
|
%%STORE(ph, G, X, px)%%
)

@script:python@
ph << r1_get_handoff.ph; px << r1_get_handoff.px;
pg << r1_get_handoff.pg; py << r1_get_handoff.py;
@@
kc("GH", pg, py, ph, px)

// A get, then a handoff whose result is tested, and a branch of that test
// that leaves without a put of the object.  The driver finds the condition
// around pc and decides from its text whether that branch is the failure
// branch (the call itself in the condition, or a variable it was stored
// in).
@r1_fail_call exists@
%%DECLS%%
expression X, Y;
identifier L;
position pg, py, ph, px, pb;
@@
%%GET(pg, Y, py)%%
... when != %%PUTANY(Y)%%
    when any
if (<+... %%HANDOFF(ph, X, px)%% ...+>) {
  ... when != %%PUTANY(Y)%%
  \(return@pb ...;\|continue@pb;\|break@pb;\|goto@pb L;\)
}

@script:python@
pg << r1_fail_call.pg; py << r1_fail_call.py; ph << r1_fail_call.ph;
px << r1_fail_call.px; pb << r1_fail_call.pb;
@@
kc("FAIL", pg, py, ph, px, ph, pb)

@r1_fail_var exists@
%%DECLS%%
expression X, Y, E, E2;
identifier L;
position pg, py, ph, px, pc, pb;
@@
%%GET(pg, Y, py)%%
... when != %%PUTANY(Y)%%
    when any
E = %%HANDOFF(ph, X, px)%%
... when != E = E2
if (<+... E@pc ...+>) {
  ... when != %%PUTANY(Y)%%
  \(return@pb ...;\|continue@pb;\|break@pb;\|goto@pb L;\)
}

@script:python@
pg << r1_fail_var.pg; py << r1_fail_var.py; ph << r1_fail_var.ph;
px << r1_fail_var.px; pc << r1_fail_var.pc; pb << r1_fail_var.pb;
@@
kc("FAIL", pg, py, ph, px, pc, pb)

// The same with the failure in the else branch.
@r1_fail_call_else exists@
%%DECLS%%
expression X, Y;
identifier L;
statement S;
position pg, py, ph, px, pb;
@@
%%GET(pg, Y, py)%%
... when != %%PUTANY(Y)%%
    when any
if (<+... %%HANDOFF(ph, X, px)%% ...+>) S else {
  ... when != %%PUTANY(Y)%%
  \(return@pb ...;\|continue@pb;\|break@pb;\|goto@pb L;\)
}

@script:python@
pg << r1_fail_call_else.pg; py << r1_fail_call_else.py;
ph << r1_fail_call_else.ph; px << r1_fail_call_else.px;
pb << r1_fail_call_else.pb;
@@
kc("FAILELSE", pg, py, ph, px, ph, pb)

@r1_fail_var_else exists@
%%DECLS%%
expression X, Y, E, E2;
identifier L;
statement S;
position pg, py, ph, px, pc, pb;
@@
%%GET(pg, Y, py)%%
... when != %%PUTANY(Y)%%
    when any
E = %%HANDOFF(ph, X, px)%%
... when != E = E2
if (<+... E@pc ...+>) S else {
  ... when != %%PUTANY(Y)%%
  \(return@pb ...;\|continue@pb;\|break@pb;\|goto@pb L;\)
}

@script:python@
pg << r1_fail_var_else.pg; py << r1_fail_var_else.py;
ph << r1_fail_var_else.ph; px << r1_fail_var_else.px;
pc << r1_fail_var_else.pc; pb << r1_fail_var_else.pb;
@@
kc("FAILELSE", pg, py, ph, px, pc, pb)

// Any branch on the handoff's result, for the failure branches that do
// not leave (they fall through with the reference never put): the driver
// reads the branch.
@r1_fail_any_call exists@
%%DECLS%%
expression X, Y;
statement S, S2;
position pg, py, ph, px;
@@
%%GET(pg, Y, py)%%
... when != %%PUTANY(Y)%%
    when any
(
if (<+... %%HANDOFF(ph, X, px)%% ...+>) S else S2
|
if (<+... %%HANDOFF(ph, X, px)%% ...+>) S
)

@script:python@
pg << r1_fail_any_call.pg; py << r1_fail_any_call.py;
ph << r1_fail_any_call.ph; px << r1_fail_any_call.px;
@@
kc("FAILANY", pg, py, ph, px, ph)

@r1_fail_any_var exists@
%%DECLS%%
expression X, Y, E, E2;
statement S, S2;
position pg, py, ph, px, pc;
@@
%%GET(pg, Y, py)%%
... when != %%PUTANY(Y)%%
    when any
E = %%HANDOFF(ph, X, px)%%
... when != E = E2
(
if (<+... E@pc ...+>) S else S2
|
if (<+... E@pc ...+>) S
)

@script:python@
pg << r1_fail_any_var.pg; py << r1_fail_any_var.py;
ph << r1_fail_any_var.ph; px << r1_fail_any_var.px; pc << r1_fail_any_var.pc;
@@
kc("FAILANY", pg, py, ph, px, pc)
