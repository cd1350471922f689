/* SPDX-License-Identifier: MIT */
/*
 * kref/cleanup.h - scope-based cleanup: the vocabulary of the kernel's
 * <linux/cleanup.h>, with its semantics, and one-line scoped references to
 * objects with an embedded kref.  Included by <kref.h> (in C, with GCC or
 * Clang; define KREF_NO_CLEANUP before it to leave it out).
 *
 *   KREF_DEFINE_PUT(foo_put, struct foo, ref, foo_release);
 *   ...
 *   struct foo *f __free(foo_put) = foo_lookup(key);
 *   if (!f)
 *           return -ENOENT;
 *   guard(pthread_mutex)(&f->lock);
 *   if (f->busy)
 *           return -EBUSY;          (f->lock unlocked, then f put)
 *   ...
 *   return_ptr(f);                  (the reference goes to the caller)
 *
 * Every exit from the scope of a __free() variable or a guard runs its
 * cleanup, newest first: return, goto out of the scope, break and continue
 * out of a loop body, the end of the block.  Not longjmp(), and not a
 * thread's pthread_exit() or cancellation.
 *
 * What is here:
 *   __free(name), DEFINE_FREE(name, type, expr)  a variable's cleanup; expr
 *                                        uses _T, the variable's value
 *   no_free_ptr(p), return_ptr(p), retain_and_null_ptr(p)
 *                                        take the value out of a __free()
 *                                        variable, leaving NULL
 *   DEFINE_CLASS, EXTEND_CLASS, CLASS, CLASS_INIT
 *                                        a type with a constructor and a
 *                                        destructor run at scope exit
 *   DEFINE_GUARD, DEFINE_GUARD_COND, DEFINE_LOCK_GUARD_0, _1, _1_COND,
 *   DEFINE_CLASS_IS_GUARD, DEFINE_CLASS_IS_COND_GUARD
 *                                        lock classes
 *   guard(name)(args), scoped_guard(name, args) { }, scoped_class,
 *   scoped_cond_guard(name, fail, args) { }, ACQUIRE, ACQUIRE_ERR
 *   KREF_DEFINE_PUT, KREF_DEFINE_PUT_MUTEX, KREF_DEFINE_PUT_LOCK
 *                                        __free() and CLASS() for a type
 *                                        with an embedded struct kref
 *   guards: pthread_mutex, pthread_mutex_try, pthread_spin and
 *   pthread_spin_try (where KREF_HAVE_SPINLOCK), rcu (kref/cleanup_rcu.h:
 *   defined here when a liburcu flavour was included first)
 *
 * Differences from the kernel's, all deliberate:
 *  - break and continue inside a scoped_guard() body leave the
 *    scoped_guard(), as in the kernel; but an `else` after one pairs with
 *    an enclosing `if`, as after any loop.
 *  - The variables of guard() and scoped_guard() have unique names (the
 *    kernel's scoped_guard() calls its variable `scope`), so nested ones
 *    are clean under -Wshadow.
 *  - DEFINE_FREE reads the variable with memcpy, so __free(kfree) on a
 *    `struct foo *` does not read it through a `void *` lvalue.
 *  - A conditional guard whose lock expression fails with a value that is
 *    not an error code holds nothing (the kernel would take it for a lock).
 *  - scoped_class() and scoped_cond_guard() take any number of arguments.
 *  - With GCC, discarding no_free_ptr()'s value warns, as in the kernel;
 *    Clang does not warn.
 *  - In debug mode (-DKREF_DEBUG) the put of a KREF_DEFINE_PUT() variable
 *    is recorded at its declaration's line for CLASS(), but at the
 *    KREF_DEFINE_PUT() line for __free(), which adds nothing to a
 *    declaration (so any declaration builds the same in both modes).
 *
 * Needs GCC or Clang (the cleanup attribute, statement expressions and
 * __typeof__); pedantic-clean under -std=c11.  Not for C++, which has
 * destructors.
 */
#ifndef KREF_CLEANUP_H
#define KREF_CLEANUP_H

#ifdef __cplusplus
#error "kref/cleanup.h is for C; in C++ use destructors (std::lock_guard, std::unique_ptr with a deleter that calls kref_put)"
#endif
#if !defined(__GNUC__)
#error "kref/cleanup.h needs the cleanup variable attribute (__attribute__((cleanup))), statement expressions and __typeof__, which this compiler does not have (use GCC or Clang); without them, put each reference on every path by hand"
#endif
#if defined(__has_attribute)
#if !__has_attribute(cleanup)
#error "kref/cleanup.h needs the cleanup variable attribute (__attribute__((cleanup))), which this compiler does not have; put each reference on every path by hand"
#endif
#endif

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <kref/kref.h>
#include <kref/locks.h>

/*
 * Not API: the debug-mode hooks, which record where KREF_DEFINE_PUT()
 * variables are declared, put and escape; kref/cleanup_debug.h has them.
 * Without KREF_DEBUG they are nothing, and every macro here expands to
 * the same declarations and statements in both builds but for them: so a
 * program that compiles one way compiles the other, with the same
 * warnings.
 */
#ifdef KREF_DEBUG
#include <kref/cleanup_debug.h>
#else
#define KREF_ESCAPE_(pp, v)			((void)0)
#define KREF_CLASS_NOTE_NONE_(_name)
#define KREF_CLASS_DECLARE_(_name, var)		class_##_name##_constructor
#define KREF_CLASS_INIT_(_name, var, init)	(init)
#define KREF_EXTEND_NOTE_(_name, ext)
#define KREF_PUT_NOTES_(_name, _type, _member)
#define KREF_PUT_FREE_(_put, _debug_put)				\
	{ if (!kref_is_err_or_null_(_T)) _put; }
#define KREF_PUT_CLASS_(_put, _debug_put)	{ _put; }
#define KREF_PUT_CLASS_NULL_()			((void)0)
#endif

/* ---- Not API: building blocks ------------------------------------------ */

#define KREF_PASTE_(a, b)	a##b
#define KREF_PASTE(a, b)	KREF_PASTE_(a, b)
#define KREF_UNIQUE_ID(prefix)	KREF_PASTE(KREF_PASTE(kref_, prefix), __COUNTER__)
/* The functions the macros define may go unused; Clang warns about unused
 * static inline functions defined in a .c file. */
#define KREF_CLEANUP_INLINE_	static inline __attribute__((__unused__))
/* Unused too: Clang would otherwise warn about guard()'s variable, which
 * nothing names, and about a __free() variable only its cleanup reads. */
#define KREF_CLEANUP_(fn)	__attribute__((__cleanup__(fn), __unused__))

/*
 * Argument-count selectors, so that no macro is ever invoked with nothing
 * for its "...", which ISO C before C2x forbids: KREF_VA_k(args) is k when
 * there are exactly k arguments and kref_n_ when there are more.
 */
#define KREF_ARG17_(a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12,	\
		    a13, a14, a15, a16, x, ...) x
#define KREF_VA_1(...) KREF_ARG17_(__VA_ARGS__, kref_n_, kref_n_, kref_n_, \
	kref_n_, kref_n_, kref_n_, kref_n_, kref_n_, kref_n_, kref_n_,	\
	kref_n_, kref_n_, kref_n_, kref_n_, kref_n_, 1, ~)
#define KREF_VA_2(...) KREF_ARG17_(__VA_ARGS__, kref_n_, kref_n_, kref_n_, \
	kref_n_, kref_n_, kref_n_, kref_n_, kref_n_, kref_n_, kref_n_,	\
	kref_n_, kref_n_, kref_n_, kref_n_, 2, 1, ~)
#define KREF_VA_3(...) KREF_ARG17_(__VA_ARGS__, kref_n_, kref_n_, kref_n_, \
	kref_n_, kref_n_, kref_n_, kref_n_, kref_n_, kref_n_, kref_n_,	\
	kref_n_, kref_n_, kref_n_, 3, 2, 1, ~)
#define KREF_VA_4(...) KREF_ARG17_(__VA_ARGS__, kref_n_, kref_n_, kref_n_, \
	kref_n_, kref_n_, kref_n_, kref_n_, kref_n_, kref_n_, kref_n_,	\
	kref_n_, kref_n_, 4, 3, 2, 1, ~)

/* Error pointers (KREF_MAX_ERRNO, kref/compiler.h); <linux/err.h> in
 * compat/ has the kernel's names. */
KREF_CLEANUP_INLINE_ void *kref_err_ptr_(long err)
{
	return (void *)(intptr_t)err;
}

KREF_CLEANUP_INLINE_ bool kref_is_err_(const volatile void *p)
{
	return (uintptr_t)p >= (uintptr_t)-KREF_MAX_ERRNO;
}

KREF_CLEANUP_INLINE_ bool kref_is_err_or_null_(const volatile void *p)
{
	return !p || kref_is_err_(p);
}

/* Whether a guard's pointer holds its lock: neither NULL nor an error. */
KREF_CLEANUP_INLINE_ bool kref_guard_held_(const volatile void *p)
{
	return (uintptr_t)p - 1u < (uintptr_t)-KREF_MAX_ERRNO - 1u;
}

/* A failed conditional lock: an error pointer for an error code, NULL for
 * anything else (a lock expression returning false, or a positive value). */
KREF_CLEANUP_INLINE_ void *kref_guard_failed_(int ret)
{
	return ret < 0 && ret >= -KREF_MAX_ERRNO ? kref_err_ptr_(ret) : NULL;
}

/* ---- __free --------------------------------------------------------------- */

/**
 * DEFINE_FREE - define a cleanup for __free(@_name)
 * @_name: the name __free() will take
 * @_type: the type of the variables it cleans up (a pointer type; `void *`
 *	fits any pointer variable)
 * @_free: a statement using _T, the variable's value at scope exit.  Test
 *	_T first (`if (_T) kfree(_T)`): after no_free_ptr() it is NULL, and
 *	the compiler then drops the call.
 *
 * No semicolon after it, as in the kernel.
 */
#define DEFINE_FREE(_name, _type, _free)				\
KREF_CLEANUP_INLINE_ void __free_##_name(void *kref_var_)			\
{									\
	_type _T;							\
									\
	__builtin_memcpy(&_T, kref_var_, sizeof(_T));			\
	_free;								\
}

/**
 * __free - run DEFINE_FREE(@_name)'s cleanup when the variable goes out of
 *	scope
 *
 * Declare and initialise in one statement, where the resource is acquired:
 * cleanups run newest first, so a variable declared at the top of a
 * function would be cleaned up after guards taken later.  A variable
 * declared without a value is not initialised, in debug mode as without
 * it: an exit from its scope before it is assigned cleans up whatever it
 * held (GCC may warn, -Wmaybe-uninitialized); declare it `= NULL`.
 * __free() is only an attribute, in both modes, so other attributes may
 * come before or after it.
 */
#define __free(_name)	KREF_CLEANUP_(__free_##_name)

/* Not API: the value of @p, leaving NULL in it.  In debug mode the
 * object it points to records where its reference escaped the scope. */
#define kref_take_ptr_(p) (__extension__ ({				\
	__typeof__(p) *kref_pp_ = &(p);					\
	__typeof__(p) kref_pv_ = *kref_pp_;				\
	KREF_ESCAPE_(kref_pp_, kref_pv_);				\
	*kref_pp_ = NULL;						\
	kref_pv_;							\
}))

KREF_CLEANUP_INLINE_ KREF_MUST_CHECK const volatile void *
kref_keep_ptr_(const volatile void *p)
{
	return p;
}

/**
 * no_free_ptr - take the value out of a __free() variable
 *
 * The variable becomes NULL, so its cleanup does nothing: the caller now
 * owns what it pointed to.  GCC warns if the value is discarded.  In debug
 * mode, an object of a KREF_DEFINE_PUT() type records this line as where
 * its reference escaped, for the leak report (so do return_ptr() and
 * retain_and_null_ptr()).
 *
 * Return: the variable's value.
 */
#define no_free_ptr(p)	((__typeof__(p))kref_keep_ptr_(kref_take_ptr_(p)))

/** return_ptr - return a __free() variable's value without cleaning it up */
#define return_ptr(p)	return no_free_ptr(p)

/**
 * retain_and_null_ptr - leave a __free() variable NULL, for when a callee
 *	has taken ownership on success
 */
#define retain_and_null_ptr(p)	((void)kref_take_ptr_(p))

/* ---- classes ---------------------------------------------------------------- */


/* Not API: the typedef and destructor every DEFINE_CLASS() has. */
#define KREF_CLASS_BASE_(_name, _type, _exit)				\
typedef _type class_##_name##_t;					\
KREF_CLASS_NOTE_NONE_(_name)						\
KREF_CLEANUP_INLINE_ void class_##_name##_destructor(_type *kref_var_)	\
{									\
	_type _T = *kref_var_;						\
									\
	(void)_T;							\
	_exit;								\
}

/**
 * DEFINE_CLASS - a type whose variables are constructed and destroyed
 * @_name: the class name, for CLASS()
 * @_type: the variables' type
 * @_exit: a statement run at scope exit, using _T, the variable's value
 * @_init: an expression of @_type, using the constructor's parameters
 * @...: the constructor's parameter declarations, if any
 */
#define DEFINE_CLASS(...)						\
	KREF_PASTE(kref_define_class_, KREF_VA_4(__VA_ARGS__))(__VA_ARGS__)
#define kref_define_class_4(_name, _type, _exit, _init)			\
KREF_CLASS_BASE_(_name, _type, _exit)					\
KREF_CLEANUP_INLINE_ _type class_##_name##_constructor(void)			\
{									\
	_type kref_obj_ = _init;					\
									\
	return kref_obj_;						\
}
#define kref_define_class_kref_n_(_name, _type, _exit, _init, ...)	\
KREF_CLASS_BASE_(_name, _type, _exit)					\
KREF_CLEANUP_INLINE_ _type class_##_name##_constructor(__VA_ARGS__)		\
{									\
	_type kref_obj_ = _init;					\
									\
	return kref_obj_;						\
}

/* Not API: what a class @_name##@ext extending class @_name forwards. */
#define KREF_EXTEND_BASE_(_name, ext)					\
typedef class_##_name##_t class_##_name##ext##_t;			\
KREF_CLEANUP_INLINE_ void class_##_name##ext##_destructor(class_##_name##_t *kref_var_) \
{									\
	class_##_name##_destructor(kref_var_);				\
}									\
KREF_EXTEND_NOTE_(_name, ext)

/**
 * EXTEND_CLASS - class @_name##@ext: class @_name with another constructor
 * @_init: an expression of class @_name's type, using the parameters
 * @...: the constructor's parameter declarations, if any
 */
#define EXTEND_CLASS(...)						\
	KREF_PASTE(kref_extend_class_, KREF_VA_3(__VA_ARGS__))(__VA_ARGS__)
#define kref_extend_class_3(_name, ext, _init)				\
KREF_EXTEND_BASE_(_name, ext)						\
KREF_CLEANUP_INLINE_ class_##_name##_t class_##_name##ext##_constructor(void)	\
{									\
	class_##_name##_t kref_obj_ = _init;				\
									\
	return kref_obj_;						\
}
#define kref_extend_class_kref_n_(_name, ext, _init, ...)		\
KREF_EXTEND_BASE_(_name, ext)						\
KREF_CLEANUP_INLINE_ class_##_name##_t class_##_name##ext##_constructor(__VA_ARGS__) \
{									\
	class_##_name##_t kref_obj_ = _init;				\
									\
	return kref_obj_;						\
}

/**
 * CLASS - declare @var of class @_name: CLASS(name, var)(args);
 *
 * The constructor runs with args; the destructor runs when @var goes out
 * of scope.
 */
#define CLASS(_name, var)						\
	class_##_name##_t var KREF_CLEANUP_(class_##_name##_destructor) = \
		KREF_CLASS_DECLARE_(_name, var)

/** CLASS_INIT - declare @_var of class @_name, initialised by @_init_expr */
#define CLASS_INIT(_name, _var, _init_expr)				\
	class_##_name##_t _var KREF_CLEANUP_(class_##_name##_destructor) = \
		KREF_CLASS_INIT_(_name, _var, _init_expr)

/* ---- guards ------------------------------------------------------------------ */

/*
 * A guard's value says whether it holds its lock: a pointer to the lock
 * if so, NULL or an error pointer if a conditional lock failed.
 * class_NAME_lock_ptr() gives the lock or NULL, class_NAME_lock_err() 0 or
 * a negative error code (-EBUSY for a plain failure).  @_exp reads the
 * guard's pointer from kref_g_, a pointer to the guard.
 */
#define KREF_GUARD_PTR_(_name, _exp)					\
KREF_CLEANUP_INLINE_ void *class_##_name##_lock_ptr(class_##_name##_t *kref_g_) \
{									\
	void *kref_p_ = (void *)(_exp);					\
									\
	return kref_guard_held_(kref_p_) ? kref_p_ : NULL;		\
}									\
KREF_CLEANUP_INLINE_ int class_##_name##_lock_err(class_##_name##_t *kref_g_)	\
{									\
	const void *kref_p_ = (const void *)(_exp);			\
									\
	if (!kref_p_)							\
		return -EBUSY;						\
	return kref_is_err_(kref_p_) ? (int)(intptr_t)kref_p_ : 0;	\
}

/* Not API: what a conditional class @_name##@ext forwards to @_name. */
#define KREF_GUARD_FORWARD_(_name, ext)					\
enum { class_##_name##ext##_is_conditional = 1 };			\
KREF_EXTEND_BASE_(_name, ext)						\
KREF_CLEANUP_INLINE_ void *class_##_name##ext##_lock_ptr(class_##_name##_t *kref_g_) \
{									\
	return class_##_name##_lock_ptr(kref_g_);			\
}									\
KREF_CLEANUP_INLINE_ int class_##_name##ext##_lock_err(class_##_name##_t *kref_g_) \
{									\
	return class_##_name##_lock_err(kref_g_);			\
}

/**
 * DEFINE_CLASS_IS_GUARD - make DEFINE_CLASS(@_name)'s pointer type a guard
 *	for scoped_guard(): held when the pointer is neither NULL nor an error
 */
#define DEFINE_CLASS_IS_GUARD(_name)					\
enum { class_##_name##_is_conditional = 0 };				\
KREF_GUARD_PTR_(_name, *kref_g_)

/** DEFINE_CLASS_IS_COND_GUARD - as DEFINE_CLASS_IS_GUARD, for a lock that can fail */
#define DEFINE_CLASS_IS_COND_GUARD(_name)				\
enum { class_##_name##_is_conditional = 1 };				\
KREF_GUARD_PTR_(_name, *kref_g_)

/**
 * DEFINE_GUARD - a lock class whose value is a pointer to the lock
 * @_name: the guard name, for guard() and scoped_guard()
 * @_type: the pointer type
 * @_lock: a statement taking _T (it may set _T to an error pointer when
 *	locking failed: the unlock is then skipped)
 * @_unlock: a statement releasing _T
 */
#define DEFINE_GUARD(_name, _type, _lock, _unlock)			\
enum { class_##_name##_is_conditional = 0 };				\
typedef _type class_##_name##_t;					\
KREF_CLASS_NOTE_NONE_(_name)						\
KREF_CLEANUP_INLINE_ void class_##_name##_destructor(_type *kref_var_)	\
{									\
	_type _T = *kref_var_;						\
									\
	if (kref_guard_held_(_T)) {					\
		_unlock;						\
	}								\
}									\
KREF_CLEANUP_INLINE_ _type class_##_name##_constructor(_type _T)		\
{									\
	_lock;								\
	return _T;							\
}									\
KREF_GUARD_PTR_(_name, *kref_g_)

/**
 * DEFINE_GUARD_COND - guard @_name##@ext: a variant of DEFINE_GUARD(@_name)
 *	whose lock can fail
 * @_lock: an int expression taking _T, e.g. a trylock
 * @...: optionally, a condition on _RET (@_lock's value) that means it was
 *	taken; by default _RET itself (nonzero: taken).  On failure a
 *	negative _RET is the error ACQUIRE_ERR() gives.
 */
#define DEFINE_GUARD_COND(...)						\
	KREF_PASTE(kref_guard_cond_, KREF_VA_3(__VA_ARGS__))(__VA_ARGS__)
#define kref_guard_cond_3(_name, ext, _lock)				\
	kref_guard_cond_kref_n_(_name, ext, _lock, _RET)
#define kref_guard_cond_kref_n_(_name, ext, _lock, _cond)		\
KREF_GUARD_FORWARD_(_name, ext)						\
KREF_CLEANUP_INLINE_ class_##_name##_t						\
class_##_name##ext##_constructor(class_##_name##_t _T)			\
{									\
	int _RET = (_lock);						\
									\
	if (_T && !(_cond))						\
		return (class_##_name##_t)kref_guard_failed_(_RET);	\
	return _T;							\
}

/* Not API: the struct-based guards' common part. */
#define KREF_LOCK_GUARD_BASE_(_name, _unlock)				\
enum { class_##_name##_is_conditional = 0 };				\
KREF_CLASS_NOTE_NONE_(_name)						\
KREF_CLEANUP_INLINE_ void class_##_name##_destructor(class_##_name##_t *_T)	\
{									\
	if (kref_guard_held_(_T->lock)) {				\
		_unlock;						\
	}								\
}									\
KREF_GUARD_PTR_(_name, kref_g_->lock)

/**
 * DEFINE_LOCK_GUARD_1 - a lock class holding a pointer to the lock and,
 *	optionally, more fields
 * @_name: the guard name
 * @_type: the lock's type (the guard holds a `_type *lock`)
 * @_lock: a statement taking _T->lock, where _T points to the guard
 * @_unlock: a statement releasing it
 * @...: optionally, declarations of more fields (e.g. `unsigned long
 *	flags`), which _lock and _unlock may use
 */
#define DEFINE_LOCK_GUARD_1(...)					\
	KREF_PASTE(kref_lock_guard_1_, KREF_VA_4(__VA_ARGS__))(__VA_ARGS__)
#define kref_lock_guard_1_4(_name, _type, _lock, _unlock)		\
typedef struct {							\
	_type *lock;							\
} class_##_name##_t;							\
kref_lock_guard_1_(_name, _type, _lock, _unlock)
#define kref_lock_guard_1_kref_n_(_name, _type, _lock, _unlock, ...)	\
typedef struct {							\
	_type *lock;							\
	__VA_ARGS__;							\
} class_##_name##_t;							\
kref_lock_guard_1_(_name, _type, _lock, _unlock)
#define kref_lock_guard_1_(_name, _type, _lock, _unlock)		\
KREF_LOCK_GUARD_BASE_(_name, _unlock)					\
KREF_CLEANUP_INLINE_ class_##_name##_t class_##_name##_constructor(_type *kref_l_) \
{									\
	class_##_name##_t kref_g_ = { .lock = kref_l_ }, *_T = &kref_g_; \
									\
	_lock;								\
	return kref_g_;							\
}

/**
 * DEFINE_LOCK_GUARD_0 - a lock class for a lock that is not an object
 *	(the RCU read side): guard(name)()
 * @_lock: a statement taking it
 * @_unlock: a statement releasing it
 * @...: optionally, declarations of fields, for _lock and _unlock (_T
 *	points to the guard)
 */
#define DEFINE_LOCK_GUARD_0(...)					\
	KREF_PASTE(kref_lock_guard_0_, KREF_VA_3(__VA_ARGS__))(__VA_ARGS__)
#define kref_lock_guard_0_3(_name, _lock, _unlock)			\
typedef struct {							\
	void *lock;							\
} class_##_name##_t;							\
kref_lock_guard_0_(_name, _lock, _unlock)
#define kref_lock_guard_0_kref_n_(_name, _lock, _unlock, ...)		\
typedef struct {							\
	void *lock;							\
	__VA_ARGS__;							\
} class_##_name##_t;							\
kref_lock_guard_0_(_name, _lock, _unlock)
#define kref_lock_guard_0_(_name, _lock, _unlock)			\
KREF_LOCK_GUARD_BASE_(_name, _unlock)					\
KREF_CLEANUP_INLINE_ class_##_name##_t class_##_name##_constructor(void)	\
{									\
	class_##_name##_t kref_g_ = { .lock = (void *)1 }, *_T = &kref_g_; \
									\
	(void)_T;							\
	_lock;								\
	return kref_g_;							\
}

/**
 * DEFINE_LOCK_GUARD_1_COND - guard @_name##@ext: a variant of
 *	DEFINE_LOCK_GUARD_1(@_name) whose lock can fail
 * @_lock: an int expression taking _T->lock
 * @...: optionally, the condition on _RET that means it was taken, as for
 *	DEFINE_GUARD_COND()
 */
#define DEFINE_LOCK_GUARD_1_COND(...)					\
	KREF_PASTE(kref_lock_guard_1_cond_, KREF_VA_3(__VA_ARGS__))(__VA_ARGS__)
#define kref_lock_guard_1_cond_3(_name, ext, _lock)			\
	kref_lock_guard_1_cond_kref_n_(_name, ext, _lock, _RET)
#define kref_lock_guard_1_cond_kref_n_(_name, ext, _lock, _cond)	\
KREF_GUARD_FORWARD_(_name, ext)						\
KREF_CLEANUP_INLINE_ class_##_name##_t class_##_name##ext##_constructor(	\
	__typeof__(((class_##_name##_t *)0)->lock) kref_l_)		\
{									\
	class_##_name##_t kref_g_ = { .lock = kref_l_ }, *_T = &kref_g_; \
	int _RET = (_lock);						\
									\
	if (_T->lock && !(_cond))					\
		_T->lock = kref_guard_failed_(_RET);			\
	return kref_g_;							\
}

/**
 * guard - take a lock until the end of the enclosing scope:
 *	guard(name)(args);
 *
 * For conditional locks use scoped_guard(), scoped_cond_guard() or
 * ACQUIRE(), which tell whether the lock was taken.
 */
#define guard(_name)	CLASS(_name, KREF_UNIQUE_ID(guard_))

/**
 * ACQUIRE - a named guard, for conditional locks: ACQUIRE(name, var)(args);
 *	then ACQUIRE_ERR(name, &var) is 0 if the lock was taken.
 */
#define ACQUIRE(_name, _var)		CLASS(_name, _var)
#define ACQUIRE_ERR(_name, _var)	class_##_name##_lock_err(_var)

/*
 * Not API: the loops behind the scoped forms.  The outer loop's flag runs
 * the inner one once; break, continue or the end of the body all end the
 * inner loop, whose variable's cleanup then runs, and the outer one with
 * it.  The guard's condition is skipped for unconditional classes, so the
 * compiler sees the body always run.
 */
#define kref_scoped_(_name, _once, _var, _args)				\
	for (int _once = 1; _once; _once = 0)				\
		for (CLASS(_name, _var) _args;				\
		     _once && (!class_##_name##_is_conditional ||	\
			       class_##_name##_lock_ptr(&_var));	\
		     _once = 0)

#define kref_scoped_cond_(_name, _fail, _once, _var, _args)		\
	for (int _once = 1; _once; _once = 0)				\
		for (CLASS(_name, _var) _args; _once; _once = 0)	\
			if (!class_##_name##_lock_ptr(&_var)) {		\
				_Static_assert(class_##_name##_is_conditional, \
					"scoped_cond_guard() needs a guard that can fail"); \
				_fail;					\
			} else

/**
 * scoped_guard - hold a guard for the next statement:
 *	scoped_guard(name, args) { ... }
 *
 * For a conditional guard the body is skipped when the lock was not
 * taken.  break and continue in the body end the scoped_guard(), not an
 * enclosing loop.
 */
#define scoped_guard(...)						\
	KREF_PASTE(kref_scoped_guard_, KREF_VA_1(__VA_ARGS__))(__VA_ARGS__)
#define kref_scoped_guard_1(_name)					\
	kref_scoped_(_name, KREF_UNIQUE_ID(once_), KREF_UNIQUE_ID(scope_), ())
#define kref_scoped_guard_kref_n_(_name, ...)				\
	kref_scoped_(_name, KREF_UNIQUE_ID(once_), KREF_UNIQUE_ID(scope_), \
		     (__VA_ARGS__))

/**
 * scoped_cond_guard - scoped_guard() for a conditional guard that runs
 *	@_fail (e.g. `return -EBUSY`) when the lock was not taken:
 *	scoped_cond_guard(name, fail, args) { ... }
 */
#define scoped_cond_guard(...)						\
	KREF_PASTE(kref_scoped_cond_guard_, KREF_VA_2(__VA_ARGS__))(__VA_ARGS__)
#define kref_scoped_cond_guard_2(_name, _fail)				\
	kref_scoped_cond_(_name, _fail, KREF_UNIQUE_ID(once_),		\
			  KREF_UNIQUE_ID(scope_), ())
#define kref_scoped_cond_guard_kref_n_(_name, _fail, ...)		\
	kref_scoped_cond_(_name, _fail, KREF_UNIQUE_ID(once_),		\
			  KREF_UNIQUE_ID(scope_), (__VA_ARGS__))

/**
 * scoped_class - scoped_guard() with a variable you name:
 *	scoped_class(name, var, args) { ... use var ... }
 */
#define scoped_class(...)						\
	KREF_PASTE(kref_scoped_class_, KREF_VA_2(__VA_ARGS__))(__VA_ARGS__)
#define kref_scoped_class_2(_name, var)					\
	kref_scoped_(_name, KREF_UNIQUE_ID(once_), var, ())
#define kref_scoped_class_kref_n_(_name, var, ...)			\
	kref_scoped_(_name, KREF_UNIQUE_ID(once_), var, (__VA_ARGS__))

/* ---- scoped references ----------------------------------------------------- */


/*
 * Not API: defines __free(@_name) and class @_name for @_type *.  @_put
 * and @_debug_put are the put, in terms of _T and (in debug mode) of
 * kref_at_; the trailing struct declaration takes the semicolon.
 */
#define kref_define_put_(_name, _type, _member, _put, _debug_put)	\
KREF_PUT_NOTES_(_name, _type, _member)					\
KREF_CLEANUP_INLINE_ void __free_##_name(void *kref_var_)		\
{									\
	_type *_T;							\
									\
	__builtin_memcpy(&_T, kref_var_, sizeof(_T));			\
	KREF_PUT_FREE_(_put, _debug_put)				\
}									\
typedef _type *class_##_name##_t;					\
KREF_CLEANUP_INLINE_ void class_##_name##_destructor(_type **kref_var_)	\
{									\
	_type *_T = *kref_var_;						\
									\
	if (kref_is_err_or_null_(_T))					\
		KREF_PUT_CLASS_NULL_();					\
	else								\
		KREF_PUT_CLASS_(_put, _debug_put)			\
}									\
KREF_CLEANUP_INLINE_ _type *class_##_name##_constructor(_type *kref_ref_)	\
{									\
	return kref_ref_;						\
}									\
struct kref_define_put_semicolon_

/**
 * KREF_DEFINE_PUT - scoped references to @_type, put with kref_put()
 * @_name: the name for __free() and CLASS()
 * @_type: the object type, e.g. `struct foo`
 * @_member: its struct kref
 * @_release: its release function, as for kref_put()
 *
 * Then `struct foo *f __free(@_name) = ...;` holds a reference that is put
 * when f goes out of scope, unless f is NULL or an error pointer (so after
 * no_free_ptr() or return_ptr(), nothing is put).  `CLASS(@_name, f)(ptr);`
 * does the same.  In debug mode (-DKREF_DEBUG) a CLASS() variable's put
 * is recorded at its declaration's file and line (at this line if more
 * than 256 are live on the thread), a __free() one's at this line, in
 * __free_@_name(); no_free_ptr(), return_ptr() and retain_and_null_ptr()
 * record on the object where its reference escaped.
 * Takes a semicolon.
 */
#define KREF_DEFINE_PUT(_name, _type, _member, _release)		\
	kref_define_put_(_name, _type, _member,				\
			 (kref_put)(&_T->_member, (_release)),		\
			 kref_debug_put(&_T->_member, (_release), kref_at_))

/**
 * KREF_DEFINE_PUT_MUTEX - KREF_DEFINE_PUT() whose put is kref_put_mutex()
 * @_mutex: the pthread_mutex_t * for kref_put_mutex(); an expression that
 *	may use _T, the object
 */
#define KREF_DEFINE_PUT_MUTEX(_name, _type, _member, _release, _mutex)	\
	kref_define_put_(_name, _type, _member,				\
			 (kref_put_mutex)(&_T->_member, (_release), (_mutex)), \
			 kref_debug_put_mutex(&_T->_member, (_release),	\
					      (_mutex), kref_at_))

#ifdef KREF_HAVE_SPINLOCK
/**
 * KREF_DEFINE_PUT_LOCK - KREF_DEFINE_PUT() whose put is kref_put_lock()
 * @_lock: the pthread_spinlock_t * for kref_put_lock(); may use _T
 */
#define KREF_DEFINE_PUT_LOCK(_name, _type, _member, _release, _lock)	\
	kref_define_put_(_name, _type, _member,				\
			 (kref_put_lock)(&_T->_member, (_release), (_lock)), \
			 kref_debug_put_lock(&_T->_member, (_release),	\
					     (_lock), kref_at_))
#endif

/* ---- ready guards ------------------------------------------------------------ */

/* Not API: lock, or an error pointer for a lock that failed (only an
 * error-checking or robust mutex can fail), so the unlock is skipped. */
KREF_CLEANUP_INLINE_ pthread_mutex_t *kref_guard_mutex_lock_(pthread_mutex_t *m)
{
	int err = pthread_mutex_lock(m);

	return err ? (pthread_mutex_t *)kref_err_ptr_(-err) : m;
}

/* guard(pthread_mutex)(&m): pthread_mutex_lock() until the scope ends. */
DEFINE_GUARD(pthread_mutex, pthread_mutex_t *,
	     _T = kref_guard_mutex_lock_(_T), pthread_mutex_unlock(_T))
/* pthread_mutex_try: pthread_mutex_trylock(); ACQUIRE_ERR gives -EBUSY. */
DEFINE_GUARD_COND(pthread_mutex, _try, -pthread_mutex_trylock(_T), _RET == 0)

#ifdef KREF_HAVE_SPINLOCK
KREF_CLEANUP_INLINE_ pthread_spinlock_t *kref_guard_spin_lock_(pthread_spinlock_t *s)
{
	int err = pthread_spin_lock(s);

	return err ? (pthread_spinlock_t *)kref_err_ptr_(-err) : s;
}

/* guard(pthread_spin)(&s) and pthread_spin_try, where POSIX spinlocks are
 * declared (KREF_HAVE_SPINLOCK). */
DEFINE_GUARD(pthread_spin, pthread_spinlock_t *,
	     _T = kref_guard_spin_lock_(_T), pthread_spin_unlock(_T))
DEFINE_GUARD_COND(pthread_spin, _try, -pthread_spin_trylock(_T), _RET == 0)
#endif

/* guard(rcu)() when a liburcu flavour is already included (its
 * rcu_read_lock is a macro); otherwise include <kref/cleanup_rcu.h> after
 * it. */
#if defined(rcu_read_lock) && defined(rcu_read_unlock)
#include <kref/cleanup_rcu.h>
#endif

#endif /* KREF_CLEANUP_H */
