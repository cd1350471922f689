/* SPDX-License-Identifier: MIT */
/*
 * Project: bellard/quickjs
 * Path: quickjs.c
 * Fix commit: fcd33c1afa7b3028531f53cd1190a3877454f6b3
 * Bug: cpool_add() owns the reference to 'val' it is given, but when
 * growing the constant pool fails it returns -1 without freeing it.
 *
 * A JSValue holding a counted value is a pointer to a struct with a
 * kref here: JS_DupValue is kref_get, JS_FreeValue is kref_put.
 */
#include <stdlib.h>
#include <kref.h>

typedef struct JSRefCountHeader {
	struct kref ref_count;
} JSRefCountHeader;

typedef JSRefCountHeader *JSValue;

typedef struct JSContext JSContext;

typedef struct JSFunctionDef {
	JSValue *cpool;
	int cpool_count;
	int cpool_size;
} JSFunctionDef;

typedef struct JSParseState {
	JSContext *ctx;
	JSFunctionDef *cur_func;
} JSParseState;

/* Frees the value when its last reference goes. */
void js_free_value_rt(struct kref *kref)
{
	free(container_of(kref, JSRefCountHeader, ref_count));
}

/* Grows *parray to hold at least req_size elements; -1 on failure
 * (the array is left as it was). */
extern int js_resize_array(JSContext *ctx, void **parray, int elem_size,
			   int *psize, int req_size);
/* Emit bytecode; no references involved. */
extern void emit_op(JSParseState *s, int op);
extern void emit_u32(JSParseState *s, unsigned int val);

#define OP_push_const 2

/* return the constant pool index. 'val' is not duplicated. */
static int cpool_add(JSParseState *s, JSValue val)
{
	JSFunctionDef *fd = s->cur_func;

	if (js_resize_array(s->ctx, (void **)&fd->cpool, sizeof(fd->cpool[0]),
			    &fd->cpool_size, fd->cpool_count + 1))
		return -1; /* expect: rule 2 */
	fd->cpool[fd->cpool_count++] = val;
	return fd->cpool_count - 1;
}

int emit_push_const(JSParseState *s, JSValue val)
{
	int idx;

	kref_get(&val->ref_count);	/* JS_DupValue: cpool_add consumes it */
	idx = cpool_add(s, val);
	if (idx < 0)
		return -1;
	emit_op(s, OP_push_const);
	emit_u32(s, idx);
	return 0;
}
