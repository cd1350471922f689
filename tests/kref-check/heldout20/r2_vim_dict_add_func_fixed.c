/* SPDX-License-Identifier: MIT */
/*
 * Project: vim/vim
 * Path: src/dict.c
 * Fix commit: 4a403b48c653461f3c2fa331664d68585f59ea4c
 * Bug: dict_add_func() takes the function reference only after dict_add()
 * succeeds, but on failure dictitem_free() drops a function reference for
 * the item anyway, putting a reference that was never taken.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <kref.h>

#define OK	1
#define FAIL	0

#define VAR_UNKNOWN	0
#define VAR_FUNC	3

#define DI_FLAGS_ALLOC	0x10

typedef struct ufunc_S {
	struct kref uf_refcount;	/* funcrefs to a lambda/numbered function */
	size_t uf_namelen;
	char uf_name[64];
} ufunc_T;

typedef struct {
	int v_type;
	int v_lock;
	union {
		char *v_string;	/* VAR_FUNC: name of the referenced function */
		long v_number;
	} vval;
} typval_T;

typedef struct dictitem_S {
	typval_T di_tv;
	int di_flags;
	char di_key[1];
} dictitem_T;

typedef struct dict_S dict_T;

/* finds a function by name in the function table (borrowed pointer) */
extern ufunc_T *find_func(const char *name);
/* removes the function from the function table and frees it */
extern void func_free(ufunc_T *fp);
/* hashes item into d; FAIL when the key already exists or out of memory */
extern int dict_add(dict_T *d, dictitem_T *item);

static void func_release(struct kref *kref)
{
	func_free(container_of(kref, ufunc_T, uf_refcount));
}

/* count one more funcref to the function called name */
void func_ref(const char *name)
{
	ufunc_T *fp = name ? find_func(name) : NULL;

	if (fp != NULL)
		kref_get(&fp->uf_refcount);
}

/* drop one funcref to the function called name */
void func_unref(const char *name)
{
	ufunc_T *fp = name ? find_func(name) : NULL;

	if (fp != NULL)
		kref_put(&fp->uf_refcount, func_release);
}

static char *vim_strnsave(const char *s, size_t len)
{
	char *p = malloc(len + 1);

	if (p != NULL) {
		memcpy(p, s, len);
		p[len] = '\0';
	}
	return p;
}

static void clear_tv(typval_T *tv)
{
	if (tv->v_type == VAR_FUNC) {
		func_unref(tv->vval.v_string);
		free(tv->vval.v_string);
		tv->vval.v_string = NULL;
	}
	tv->v_type = VAR_UNKNOWN;
}

dictitem_T *dictitem_alloc(const char *key)
{
	size_t len = strlen(key);
	dictitem_T *di = malloc(offsetof(dictitem_T, di_key) + len + 1);

	if (di == NULL)
		return NULL;
	memcpy(di->di_key, key, len + 1);
	di->di_flags = DI_FLAGS_ALLOC;
	di->di_tv.v_lock = 0;
	di->di_tv.v_type = VAR_UNKNOWN;
	return di;
}

void dictitem_free(dictitem_T *item)
{
	clear_tv(&item->di_tv);
	if (item->di_flags & DI_FLAGS_ALLOC)
		free(item);
}

/*
 * Add a function entry to dictionary "d".
 * Returns FAIL when out of memory and when key already exists.
 */
int dict_add_func(dict_T *d, char *key, ufunc_T *fp)
{
	dictitem_T *item;

	item = dictitem_alloc(key);
	if (item == NULL)
		return FAIL;
	item->di_tv.v_type = VAR_FUNC;
	item->di_tv.vval.v_string = vim_strnsave(fp->uf_name, fp->uf_namelen);
	/* reference before dict_add() so dictitem_free()'s unref is balanced */
	func_ref(item->di_tv.vval.v_string);
	if (dict_add(d, item) == FAIL) {
		dictitem_free(item);
		return FAIL;
	}
	return OK;
}
