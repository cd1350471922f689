/* SPDX-License-Identifier: MIT */
/*
 * kref/cleanup_debug.h - kref/cleanup.h's debug-mode hooks; included by it
 * when KREF_DEBUG is defined.  Not API: include <kref.h>.
 *
 * They add calls to statements and initialisers that cleanup.h writes
 * anyway, and never a token to a declaration the program writes: __free()
 * is the same attribute in both builds, so a declaration that compiles
 * without KREF_DEBUG compiles with it, with the same warnings (attributes
 * after __free(), const pointees, several declarators, no initialiser).
 *
 *  - A CLASS() variable of a KREF_DEFINE_PUT() class enters its address
 *    and its declaration's site in this thread's record (class_NAME_note_()
 *    in its initialiser); its destructor exits it and records the put at
 *    that line.  A put whose entry is not there (more than 256 live on the
 *    thread) is recorded at the KREF_DEFINE_PUT() line instead.
 *  - A __free() variable's declaration runs no code of ours, so its put is
 *    recorded at the KREF_DEFINE_PUT() line, in __free_NAME().
 *  - no_free_ptr(), return_ptr() and retain_and_null_ptr() record on the
 *    object where its reference escaped: the kref is found at the offset
 *    the CLASS() entry has, or for a __free() variable at the first offset
 *    of a KREF_DEFINE_PUT() in the program (each registers its own before
 *    main()) where a live tracked object has its kref.
 */
#ifndef KREF_CLEANUP_DEBUG_H
#define KREF_CLEANUP_DEBUG_H

#include <stddef.h>
#include <stdint.h>
#include <kref/debug.h>

/*
 * Not API, in libkref.so (src/debug_scope.c).  enter records CLASS()
 * variable @var, declared at @site, whose object has its kref at
 * @kref_offset; exit forgets @var's entry and returns its site, or
 * @fallback if it has none.  escape records at @site, on the object
 * @value points to, that the reference held by @var escaped.  @frame is
 * unused (NULL): programs built with earlier headers passed the
 * declaring frame of a __free() variable, whose enter returned the slot
 * it was initialised through.  offset registers a KREF_DEFINE_PUT()'s
 * kref offset for escapes from __free() variables.
 */
void **kref_debug_scope_enter_(const void *var, const void *frame,
			       long kref_offset, const struct kref_site *site)
	KREF_ADDRESS_ONLY(1);
const struct kref_site *kref_debug_scope_exit_(const void *var, const void *frame,
					       const struct kref_site *fallback)
	KREF_ADDRESS_ONLY(1);
void kref_debug_scope_escape_(const void *var, const void *frame,
			      const void *value, const struct kref_site *site)
	KREF_ADDRESS_ONLY(1) KREF_ADDRESS_ONLY(3);
void kref_debug_scope_offset_(long kref_offset);

#define KREF_ESCAPE_(pp, v)						\
	kref_debug_scope_escape_((const void *)(pp), NULL,		\
				 (const void *)(uintptr_t)(v), KREF_SITE)

/* Classes that are not KREF_DEFINE_PUT()'s ignore the note. */
#define KREF_CLASS_NOTE_NONE_(_name)					\
KREF_CLEANUP_INLINE_ KREF_ADDRESS_ONLY(1)					\
void class_##_name##_note_(const volatile void *kref_var_,		\
					 const struct kref_site *kref_at_) \
{									\
	(void)kref_var_;						\
	(void)kref_at_;							\
}
#define KREF_CLASS_DECLARE_(_name, var)					\
	(class_##_name##_note_(&(var), KREF_SITE), class_##_name##_constructor)
#define KREF_CLASS_INIT_(_name, var, init)				\
	(class_##_name##_note_(&(var), KREF_SITE), (init))
#define KREF_EXTEND_NOTE_(_name, ext)					\
KREF_CLEANUP_INLINE_ void class_##_name##ext##_note_(class_##_name##_t *kref_var_, \
					      const struct kref_site *kref_at_) \
{									\
	class_##_name##_note_(kref_var_, kref_at_);			\
}

#define KREF_PUT_NOTES_(_name, _type, _member)				\
static void __attribute__((__constructor__, __unused__))		\
kref_put_offset_##_name##_(void)					\
{									\
	kref_debug_scope_offset_((long)offsetof(_type, _member));	\
}									\
KREF_CLEANUP_INLINE_ void class_##_name##_note_(_type **kref_var_,		\
					 const struct kref_site *kref_at_) \
{									\
	(void)kref_debug_scope_enter_(kref_var_, NULL,			\
				      (long)offsetof(_type, _member), kref_at_); \
}
/* The puts, in terms of _T and kref_at_, the site they are recorded at. */
#define KREF_PUT_FREE_(_put, _debug_put)				\
	{ if (!kref_is_err_or_null_(_T)) {				\
		const struct kref_site *kref_at_ = KREF_SITE; _debug_put; } }
#define KREF_PUT_CLASS_(_put, _debug_put)				\
	{ const struct kref_site *kref_at_ =				\
		kref_debug_scope_exit_(kref_var_, NULL, KREF_SITE); _debug_put; }
#define KREF_PUT_CLASS_NULL_()	((void)kref_debug_scope_exit_(kref_var_, NULL, NULL))

#endif /* KREF_CLEANUP_DEBUG_H */
