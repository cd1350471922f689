// SPDX-License-Identifier: MIT
// rule2.cocci - Rule 2: put your reference when you are done, and free the
// object only in its release function.
//
// Frees: the driver knows which frees are of objects that embed a struct
// kref (events.cocci) and which functions the release functions reach;
// here the matcher says which frees may follow a kref_init or a get of the
// same pointer (the object was live), and which may follow an allocation
// with no kref_init in between (an allocation failure path, fine).

@r2_fresh exists@
%%DECLS%%
expression E, E2;
position pf;
@@
E = %%ALLOC%%
... when != %%KREFOPANY(E)%%
    when != E = E2
    when any
%%FREE(pf, E, __pe)%%

@script:python@
pf << r2_fresh.pf;
@@
kc("FRESH", pf)

@r2_live exists@
%%DECLS%%
expression E, E2;
position pf;
@@
%%KREFOPANY(E)%%
... when != E = E2
    when any
%%FREE(pf, E, __pe)%%

@script:python@
pf << r2_live.pf;
@@
kc("LIVE", pf)

// Leaks: a reference taken (get, init, or a call whose result is put
// later), then a branch that leaves the function without a put, a handoff
// or a store of the pointer.  The driver keeps those where another path
// does put the object (the "normal path" below), or keeps it and returns
// success where this branch returns an error; it reads the condition to
// skip the branches that test whether the acquisition worked.
@r2_leak exists@
%%DECLS%%
expression P, E2, E3, E4, C;
global idexpression G;
identifier L;
position pa, po, pc, pb;
@@
%%ACQ(pa, P, po)%%
... when != %%PUTANY(P)%%
    when != P = E2
    when != G = P
    when != E3->__h = P
    when != E3.__h = P
    when != E3[E4] = P
    when != *E3 = P
    when != %%FREEANY(P)%%
    when != %%HANDOFFANY(P)%%
    when != return P;
    when any
if (C@pc) {
  ... when != %%PUTANY(P)%%
      when != G = P
      when != E3->__h = P
      when != *E3 = P
      when != %%HANDOFFANY(P)%%
  \(return@pb ...;\|goto@pb L;\)
}

@script:python@
pa << r2_leak.pa; po << r2_leak.po; pc << r2_leak.pc; pb << r2_leak.pb;
@@
kc("LEAK", pa, po, pc, pb)

@r2_normal exists@
%%DECLS%%
expression P;
position pa, po;
@@
%%ACQ(pa, P, po)%%
...
%%PUTANY(P)%%

@script:python@
pa << r2_normal.pa; po << r2_normal.po;
@@
kc("NORMAL", pa, po)
