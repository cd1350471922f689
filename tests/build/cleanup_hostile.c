/* SPDX-License-Identifier: MIT */
/*
 * cleanup_hostile.c - declarations of scoped variables that compile
 * without KREF_DEBUG, in every form C allows them: tests/build/
 * cleanup_parity.sh compiles this file both ways, with gcc and clang,
 * and wants the same warnings (none, under -Wall -Wextra -Werror).
 */
#include <stdlib.h>
#include <kref.h>

struct obj {
	struct kref ref;
	int id;
};

static void obj_release(struct kref *ref)
{
	free(container_of(ref, struct obj, ref));
}

KREF_DEFINE_PUT(obj_put, struct obj, ref, obj_release);
DEFINE_FREE(tally, int *, if (_T) (*_T)++)
DEFINE_FREE(heap, void *, free(_T))
DEFINE_CLASS(int_plus, int, (void)_T, start + 1, int start)
typedef struct obj *obj_ptr;

struct obj *lookup(int id);
int attributes_after(int id);
int attributes_before(int id);
int attributes_between(int id);
int const_pointee(int id);
int volatile_pointee(int id);
int no_initialiser(int id);
int several(int id);
int in_for(int id);
int typedef_name(int id);
int classes(int id);
struct obj *escape(int id);
const struct obj *escape_const(int id);
void *escape_void(void);
unsigned long leaks(void);

int attributes_after(int id)
{
	struct obj *o __free(obj_put) __attribute__((unused)) = lookup(id);
	struct obj *p __free(obj_put) __attribute__((__unused__, __aligned__(16))) =
		lookup(id);

	return 0;
}

int attributes_before(int id)
{
	__attribute__((unused)) struct obj *o __free(obj_put) = lookup(id);
	struct obj *p __attribute__((unused)) __free(obj_put) = lookup(id);

	return 0;
}

int attributes_between(int id)
{
	struct obj *o __attribute__((unused)) __free(obj_put)
		__attribute__((aligned(8))) = lookup(id);

	return 0;
}

int const_pointee(int id)
{
	const struct obj *o __free(obj_put) = lookup(id);
	struct obj const *p __free(obj_put) __attribute__((unused)) = lookup(id);

	return o ? o->id : -1;
}

int volatile_pointee(int id)
{
	volatile struct obj *o __free(obj_put) = lookup(id);

	return o ? o->id : -1;
}

int no_initialiser(int id)
{
	struct obj *o __free(obj_put);
	int n = 0, *t __free(tally);

	o = lookup(id);
	t = &n;
	return o ? o->id + *t : -1;
}

int several(int id)
{
	int n = 0;
	struct obj *a __free(obj_put) = lookup(id), *b __free(obj_put) = lookup(id + 1),
		*c = NULL, *d __free(obj_put);
	int *t __free(tally) = &n, *u __free(tally) = &n;

	d = lookup(id + 2);
	(void)u;
	return (a ? 1 : 0) + (b ? 2 : 0) + (c ? 4 : 0) + (d ? 8 : 0) + *t;
}

int in_for(int id)
{
	int found = 0;

	for (struct obj *o __free(obj_put) = lookup(id); o; ) {
		found = o->id;
		break;
	}
	return found;
}

int typedef_name(int id)
{
	obj_ptr o __free(obj_put) = lookup(id);
	void *scratch __free(heap) __attribute__((unused)) = malloc(16);

	return o ? o->id : -1;
}

int classes(int id)
{
	CLASS(obj_put, a)(lookup(id));
	CLASS_INIT(obj_put, b, lookup(id + 1));
	CLASS(int_plus, n)(id);
	struct obj *c __free(obj_put) = lookup(id + 2);

	for (int i = 0; i < 2; i++) {
		CLASS(obj_put, d)(lookup(id + i));

		if (d)
			break;
	}
	return n + (a ? a->id : 0) + (b ? b->id : 0) + (c ? c->id : 0);
}

struct obj *escape(int id)
{
	struct obj *o __free(obj_put) __attribute__((unused)) = lookup(id);

	if (!o)
		return NULL;
	return_ptr(o);
}

const struct obj *escape_const(int id)
{
	const struct obj *o __free(obj_put) = lookup(id);
	const struct obj *p = no_free_ptr(o);

	return p;
}

void *escape_void(void)
{
	void *p __free(heap) = malloc(8);

	return_ptr(p);
}

/* Declared by <kref.h> in both builds: 0 without KREF_DEBUG. */
unsigned long leaks(void)
{
	return kref_debug_report_leaks();
}
