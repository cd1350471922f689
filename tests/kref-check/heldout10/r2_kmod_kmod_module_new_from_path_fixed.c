/* SPDX-License-Identifier: MIT */
/*
 * Project: kmod-project/kmod
 * Path: libkmod/libkmod-module.c
 * Fix commit: 2043c657959b71ffe36efbf5fe2ab27edd4ad246
 * Bug: when the pool already holds a module of that name with another
 * path, kmod_module_new_from_path() returns -EEXIST without dropping the
 * reference kmod_module_new() just took on the pooled module.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <kref.h>

struct kmod_ctx;

struct kmod_module {
	struct kref ref;
	struct kmod_ctx *ctx;
	char *name;
	char *path;
	int builtin;
};

#define KMOD_MODULE_BUILTIN_NO 1

/* makes @path absolute; returns a malloc'ed string or NULL */
extern char *path_make_absolute_cwd(const char *path);
/* writes the module name of @path into @buf; NULL if there is none */
extern char *path_to_modname(const char *path, char *buf, size_t *len);
/* unlinks @mod from the context's pool of modules */
extern void kmod_pool_del_module(struct kmod_ctx *ctx, struct kmod_module *mod);
/* finds @name in the pool and takes a reference on it, or creates a new
 * module (count 1) and adds it to the pool; the caller owns one reference */
extern int kmod_module_new(struct kmod_ctx *ctx, const char *name,
			   size_t namelen, struct kmod_module **mod);

static void kmod_module_release(struct kref *ref)
{
	struct kmod_module *mod = container_of(ref, struct kmod_module, ref);

	kmod_pool_del_module(mod->ctx, mod);
	free(mod->path);
	free(mod->name);
	free(mod);
}

struct kmod_module *kmod_module_unref(struct kmod_module *mod)
{
	if (mod == NULL)
		return NULL;
	if (kref_put(&mod->ref, kmod_module_release))
		return NULL;
	return mod;
}

int kmod_module_new_from_path(struct kmod_ctx *ctx, const char *path,
			      struct kmod_module **mod)
{
	struct kmod_module *m;
	struct stat st;
	char name[4096];
	char *abspath;
	size_t namelen;
	int err;

	if (ctx == NULL || path == NULL || mod == NULL)
		return -ENOENT;

	abspath = path_make_absolute_cwd(path);
	if (abspath == NULL)
		return -ENOMEM;

	if (stat(abspath, &st) < 0) {
		err = -errno;
		free(abspath);
		return err;
	}

	if (path_to_modname(path, name, &namelen) == NULL) {
		free(abspath);
		return -ENOENT;
	}

	err = kmod_module_new(ctx, name, namelen, &m);
	if (err < 0) {
		free(abspath);
		return err;
	}

	if (m->path == NULL) {
		m->path = abspath;
	} else if (strcmp(m->path, abspath) == 0) {
		free(abspath);
	} else {
		/* same name, different file: refuse */
		kmod_module_unref(m);
		free(abspath);
		return -EEXIST;
	}

	m->builtin = KMOD_MODULE_BUILTIN_NO;
	*mod = m;
	return 0;
}
