/* SPDX-License-Identifier: MIT */
/*
 * Project: kmod-project/kmod
 * Path: tools/kmod-modprobe.c
 * Fix: c9a144481d236595bc5bd87ae303e311ad21824f
 * Bug: rmmod_do() walks the dependency list and gets a new reference to
 * each dependency with kmod_module_get_module(), but never puts it.
 */
#include <stdlib.h>
#include <kref.h>

struct kmod_module {
	struct kref ref;
	char *name;
};

struct kmod_list {
	struct kmod_list *next;
	struct kmod_module *data;	/* the list holds a reference */
};

#define kmod_list_foreach(itr, head) \
	for ((itr) = (head); (itr) != NULL; (itr) = (itr)->next)

static void kmod_module_release(struct kref *ref)
{
	struct kmod_module *mod = container_of(ref, struct kmod_module, ref);

	free(mod->name);
	free(mod);
}

struct kmod_module *kmod_module_ref(struct kmod_module *mod)
{
	if (mod == NULL)
		return NULL;
	kref_get(&mod->ref);
	return mod;
}

void kmod_module_unref(struct kmod_module *mod)
{
	if (mod == NULL)
		return;
	kref_put(&mod->ref, kmod_module_release);
}

/* Returns the module of a list entry with a new reference for the caller. */
struct kmod_module *kmod_module_get_module(const struct kmod_list *entry)
{
	if (entry == NULL)
		return NULL;
	return kmod_module_ref(entry->data);
}

/* Returns a new list; every entry holds a reference to its module. */
extern struct kmod_list *kmod_module_get_dependencies(const struct kmod_module *mod);
/* Puts the reference of every entry and frees the list. */
extern void kmod_module_unref_list(struct kmod_list *list);
/* Reads the use count from /sys/module; nothing to do with struct kref. */
extern int kmod_module_get_refcnt(const struct kmod_module *mod);
/* Asks the kernel to remove the module; borrows mod. */
extern int kmod_module_remove_module(struct kmod_module *mod, unsigned int flags);

int rmmod_do(struct kmod_module *mod)
{
	struct kmod_list *deps, *itr;
	int err;

	if (kmod_module_get_refcnt(mod) > 0)
		return -16;

	err = kmod_module_remove_module(mod, 0);
	if (err < 0)
		return err;

	deps = kmod_module_get_dependencies(mod);
	if (deps != NULL) {
		kmod_list_foreach(itr, deps) {
			struct kmod_module *dep = kmod_module_get_module(itr); /* expect: rule 2 */
			if (kmod_module_get_refcnt(dep) == 0)
				rmmod_do(dep);
		}
		kmod_module_unref_list(deps);
	}

	return err;
}
