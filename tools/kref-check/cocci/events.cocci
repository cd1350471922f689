// SPDX-License-Identifier: MIT
// events.cocci - every reference operation, free and lock, with the
// object it acts on and, where the matcher knows it, the object's type.
// The driver builds its per-object facts from these: which struct a get
// or put is on, which lock a kref_put_mutex takes, which frees are of
// objects that embed a struct kref.

// A kref operation on &OBJ->field; the driver reads which from the text.
@ev_kref@
%%DECLS%%
expression P;
position p, po;
@@
(
kref_get@p(&P@po->__f)
|
kref_get_unless_zero@p(&P@po->__f)
|
kref_init@p(&P@po->__f)
|
kref_put@p(&P@po->__f, ...)
|
kref_put_mutex@p(&P@po->__f, ...)
|
kref_put_lock@p(&P@po->__f, ...)
)

@script:python@
p << ev_kref.p; po << ev_kref.po;
@@
kc("EV", p, po)

// The same operations on an object whose type the matcher knows.
@ev_type@
%%DECLS%%
type T;
T P;
position p;
@@
(
kref_get@p(&P->__f)
|
kref_get_unless_zero@p(&P->__f)
|
kref_init@p(&P->__f)
|
kref_put@p(&P->__f, ...)
|
kref_put_mutex@p(&P->__f, ...)
|
kref_put_lock@p(&P->__f, ...)
)

@script:python@
p << ev_type.p; T << ev_type.T;
@@
kc("TY " + str(T).replace("\t", " "), p)

// Calls of the program's own wrappers and of the free functions.
@ev_wrap@
%%DECLS%%
expression P;
position p, po;
@@
(
getw@p(P@po, ...)
|
getw1@p(__e1, P@po, ...)
|
tryw@p(P@po, ...)
|
putw@p(P@po, ...)
|
putw1@p(__e1, P@po, ...)
|
initw@p(P@po, ...)
|
freew@p(P@po, ...)
)

@script:python@
p << ev_wrap.p; po << ev_wrap.po;
@@
kc("EV", p, po)

// Frees of an object whose type the matcher knows.
@ev_free_type@
%%DECLS%%
type T;
T P;
position p;
@@
freew@p(P, ...)

@script:python@
p << ev_free_type.p; T << ev_free_type.T;
@@
kc("TY " + str(T).replace("\t", " "), p)

// A release function called directly, as a function and not through a
// kref_put: it frees whatever the count says.
@ev_release_call@
%%DECLS%%
position p;
@@
relw@p(...)

@script:python@
p << ev_release_call.p;
@@
kc("RELCALL", p)
