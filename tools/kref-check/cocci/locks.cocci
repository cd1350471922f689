// SPDX-License-Identifier: MIT
// locks.cocci - which calls of interest run with a lock held: a path from
// the lock call reaches them with no unlock of the same lock on the way.
// "Some path" (exists) on purpose: a get that may run under the lock is
// given the benefit of the doubt, so the checks that use this (Rules 1
// and 3) stay quiet rather than wrong.

// A lock that takes an argument (mutex, spinlock, rwlock, a wrapper).
@held_lock exists@
%%DECLS%%
expression L;
position pl, pp;
@@
lockw@pl(L, ...)
... when != unlockw(L, ...)
    when any
heldat@pp(...)

@script:python@
pl << held_lock.pl; pp << held_lock.pp;
@@
kc("HELD", pl, pp)

// rcu_read_lock() and lock wrappers without arguments.
@held_lock0 exists@
%%DECLS%%
position pl, pp;
@@
lock0@pl()
... when != unlock0()
    when any
heldat@pp(...)

@script:python@
pl << held_lock0.pl; pp << held_lock0.pp;
@@
kc("HELD", pl, pp)

// Stores to globals made with a lock held (a publication under the lock).
@held_store exists@
%%DECLS%%
expression L, X;
global idexpression G;
position pl, pp;
@@
lockw@pl(L, ...)
... when != unlockw(L, ...)
    when any
%%STORE(pp, G, X, __px)%%

@script:python@
pl << held_store.pl; pp << held_store.pp;
@@
kc("HELD", pl, pp)

// guard(name)(lock): held to the end of its scope.  The match runs on to
// the end of the function, which can only make the checks quieter.
@held_guard exists@
%%DECLS%%
identifier X;
position pl, pp;
@@
guard@pl(X)(...)
... when any
heldat@pp(...)

@script:python@
pl << held_guard.pl; pp << held_guard.pp;
@@
kc("HELD", pl, pp)

// scoped_guard(name, lock) { ... }: held inside the block.
@held_scoped exists@
%%DECLS%%
iterator name scoped_guard;
position pl, pp;
@@
scoped_guard@pl(...) { <+... heldat@pp(...) ...+> }

@script:python@
pl << held_scoped.pl; pp << held_scoped.pp;
@@
kc("HELD", pl, pp)
