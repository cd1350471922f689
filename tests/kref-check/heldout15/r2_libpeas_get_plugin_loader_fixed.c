/* SPDX-License-Identifier: MIT */
/*
 * Project: GNOME/libpeas
 * Path: libpeas/peas-engine.c
 * Fix: 0d7a4176a0162568bf5a47e1cf90c5791c87caf1
 * Bug: when a plugin loader fails to initialize, get_plugin_loader() puts
 * the loader by hand and then replaces the table entry, whose destroy
 * function puts the same loader again (a double put).
 */
#include <stdbool.h>
#include <stdlib.h>
#include <kref.h>

typedef struct _PeasPluginLoader {
	struct kref ref;
	char *id;
} PeasPluginLoader;

/* A GTypeModule: loaded once, must never be finalized. */
typedef struct _PeasObjectModule PeasObjectModule;

typedef struct _PeasPluginInfo {
	const char *loader;
} PeasPluginInfo;

typedef struct _LoaderInfo {
	PeasPluginLoader *loader;	/* holds a reference */
	PeasObjectModule *module;
} LoaderInfo;

static void peas_plugin_loader_release(struct kref *ref)
{
	PeasPluginLoader *loader = container_of(ref, PeasPluginLoader, ref);

	free(loader->id);
	free(loader);
}

static void peas_plugin_loader_unref(PeasPluginLoader *loader)
{
	kref_put(&loader->ref, peas_plugin_loader_release);
}

/* Destroy function of the loaders table: puts the loader of the entry. */
static void loader_destroy(LoaderInfo *info)
{
	if (!info)
		return;

	if (info->loader)
		peas_plugin_loader_unref(info->loader);

	free(info);
}

/* The loaders table (id -> LoaderInfo); replacing a value calls loader_destroy() on the old one. */
extern void *loaders;
/* Returns the LoaderInfo stored under id; borrowed. */
extern LoaderInfo *loaders_lookup(void *table, const char *id);
/* Stores info under id, calling loader_destroy() on the value it replaces. */
extern void loaders_insert(void *table, const char *id, LoaderInfo *info);
/* Opens the loader module and marks it used; NULL on failure. */
extern PeasObjectModule *try_to_open_loader_module(const char *loader_id);
/* Creates the loader object; returns a new reference or NULL. */
extern PeasPluginLoader *peas_object_module_create_loader(PeasObjectModule *module);
/* Drops the use count of a type module (does not free it). */
extern void peas_object_module_unuse(PeasObjectModule *module);
/* Drops a reference to the type module; not allowed once it registered types. */
extern void peas_object_module_unref(PeasObjectModule *module);
extern bool peas_plugin_loader_initialize(PeasPluginLoader *loader);

PeasPluginLoader *get_plugin_loader(PeasPluginInfo *info)
{
	LoaderInfo *loader_info;

	loader_info = loaders_lookup(loaders, info->loader);

	/* The loader has not been enabled. */
	if (loader_info == NULL)
		return NULL;

	/* The loader has already been loaded. */
	if (loader_info->loader != NULL)
		return loader_info->loader;

	loader_info->module = try_to_open_loader_module(info->loader);
	if (loader_info->module == NULL) {
		loaders_insert(loaders, info->loader, NULL);
		return NULL;
	}

	loader_info->loader = peas_object_module_create_loader(loader_info->module);

	peas_object_module_unuse(loader_info->module);

	if (loader_info->loader == NULL ||
	    !peas_plugin_loader_initialize(loader_info->loader)) {
		/* This will cause the loader to be put if it exists */
		loaders_insert(loaders, info->loader, NULL);
		return NULL;
	}

	return loader_info->loader;
}
