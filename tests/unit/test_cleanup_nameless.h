/* SPDX-License-Identifier: MIT */
/*
 * test_cleanup_nameless.h - for test_cleanup.c in debug mode: a function
 * whose call sites have no file name, as a generator's #line "" gives
 * them.  The #line applies to this header only.
 */
#line 30 ""
static struct obj *escape_nameless(struct obj *o)
{
	struct obj *a __free(obj_put) = o;

	return_ptr(a);
}
