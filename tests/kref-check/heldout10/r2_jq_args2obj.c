/* SPDX-License-Identifier: MIT */
/*
 * Project: jqlang/jq
 * Path: src/execute.c
 * Fix commit: 3985b80ce50bd75c6eb5a97cb3348c3f835ca8e0
 * Bug: args2obj() passes its own "name"/"value" key strings to
 * jv_object_get(), which consumes (puts) its key, on every loop turn and
 * then frees them again: a put of references it no longer owns.
 */
#include <stdlib.h>
#include <kref.h>

enum jv_kind { JV_KIND_INVALID, JV_KIND_STRING, JV_KIND_ARRAY, JV_KIND_OBJECT };

/* a heap jv value (string, array or object) with its reference count */
struct jv {
	struct kref refcnt;
	enum jv_kind kind;
};

/* frees the payload of @v (string bytes, array slots, object table) */
extern void jvp_free_contents(struct jv *v);
/* new empty object, count 1 */
extern struct jv *jv_object(void);
/* new string, count 1 */
extern struct jv *jv_string(const char *s);
/* consumes @a; returns its length */
extern int jv_array_length(struct jv *a);
/* consumes @a; returns a new reference to element @i */
extern struct jv *jv_array_get(struct jv *a, int i);
/* consumes @obj and @key; returns a new reference to the member value */
extern struct jv *jv_object_get(struct jv *obj, struct jv *key);
/* consumes @obj, @key and @val; returns the updated object */
extern struct jv *jv_object_set(struct jv *obj, struct jv *key, struct jv *val);

static void jvp_release(struct kref *ref)
{
	struct jv *v = container_of(ref, struct jv, refcnt);

	jvp_free_contents(v);
	free(v);
}

struct jv *jv_copy(struct jv *v)
{
	kref_get(&v->refcnt);
	return v;
}

void jv_free(struct jv *v)
{
	kref_put(&v->refcnt, jvp_release);
}

static enum jv_kind jv_get_kind(const struct jv *v)
{
	return v->kind;
}

/* turns [{"name": k, "value": v}, ...] into {k: v, ...}; consumes @args */
struct jv *args2obj(struct jv *args)
{
	struct jv *r, *kk, *vk;
	int i, n;

	if (jv_get_kind(args) == JV_KIND_OBJECT)
		return args;

	r = jv_object();
	kk = jv_string("name");
	vk = jv_string("value");
	n = jv_array_length(jv_copy(args));
	for (i = 0; i < n; i++) {
		struct jv *v = jv_array_get(jv_copy(args), i);

		r = jv_object_set(r, jv_object_get(jv_copy(v), kk), jv_object_get(v, vk)); /* expect: rule 2 */
	}
	jv_free(args);
	jv_free(kk);
	jv_free(vk);
	return r;
}
