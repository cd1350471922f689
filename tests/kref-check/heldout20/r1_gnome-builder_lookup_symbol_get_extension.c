/* SPDX-License-Identifier: MIT */
/*
 * Project: GNOME/gnome-builder
 * Path: libide/buffers/ide-buffer.c
 * Fix commit: 591b541ccdff8153276ee91bb914d669663e5c5e
 * Bug: lookup_symbol_get_extension() collects the symbol resolvers of the
 * buffer's extension set into the async lookup's task data without taking a
 * reference, although the lookup walks them one by one across main-loop
 * iterations while the extension set may unload them.
 */
#include <stdlib.h>
#include <kref.h>

#define MAX_RESOLVERS 16

struct IdeSymbolResolver {
	struct kref ref;
	char *name;
};

typedef struct {
	struct IdeSymbolResolver *resolvers[MAX_RESOLVERS];
	unsigned int n_resolvers;
	void *location;
} LookUpSymbolData;

struct IdeExtensionSetAdapter;
struct GTask;

typedef void (*IdeExtensionSetAdapterForeachFunc)(struct IdeExtensionSetAdapter *set,
						  void *plugin_info,
						  struct IdeSymbolResolver *extension,
						  void *user_data);

/* calls func on every loaded extension; the adapter keeps the only references */
extern void ide_extension_set_adapter_foreach(struct IdeExtensionSetAdapter *set,
					      IdeExtensionSetAdapterForeachFunc func,
					      void *user_data);
/* number of loaded extensions */
extern unsigned int ide_extension_set_adapter_get_n_extensions(struct IdeExtensionSetAdapter *set);
/* the buffer's resolver set (borrowed); it reloads when the language changes */
extern struct IdeExtensionSetAdapter *ide_buffer_get_symbol_resolvers(void *buffer);
/* attaches data to the task; destroy runs when the task is finalized */
extern void g_task_set_task_data(struct GTask *task, void *data,
				 void (*destroy)(void *data));
/* starts an async lookup; the resolver is used again when it completes */
extern void ide_symbol_resolver_lookup_symbol_async(struct IdeSymbolResolver *resolver,
						    void *location,
						    struct GTask *task);
/* returns a new reference on a source location */
extern void *ide_source_location_new(void *buffer, unsigned int line,
				     unsigned int line_offset);
/* drops a reference on a source location */
extern void ide_source_location_unref(void *location);

static void ide_symbol_resolver_release(struct kref *ref)
{
	struct IdeSymbolResolver *resolver =
		container_of(ref, struct IdeSymbolResolver, ref);

	free(resolver->name);
	free(resolver);
}

void ide_symbol_resolver_unref(struct IdeSymbolResolver *resolver)
{
	kref_put(&resolver->ref, ide_symbol_resolver_release);
}

static void lookup_symbol_task_data_free(void *p)
{
	LookUpSymbolData *data = p;

	data->n_resolvers = 0;
	ide_source_location_unref(data->location);
	free(data);
}

static void lookup_symbol_get_extension(struct IdeExtensionSetAdapter *set,
					void *plugin_info,
					struct IdeSymbolResolver *extension,
					void *user_data)
{
	LookUpSymbolData *data = user_data;

	(void)set;
	(void)plugin_info;
	if (data->n_resolvers == MAX_RESOLVERS)
		return;
	data->resolvers[data->n_resolvers++] = extension; /* expect: rule 1 */
}

void ide_buffer_get_symbol_at_location_async(void *buffer, struct GTask *task,
					     unsigned int line,
					     unsigned int line_offset)
{
	struct IdeExtensionSetAdapter *adapter;
	struct IdeSymbolResolver *resolver;
	LookUpSymbolData *data;

	adapter = ide_buffer_get_symbol_resolvers(buffer);
	if (ide_extension_set_adapter_get_n_extensions(adapter) == 0)
		return;

	data = calloc(1, sizeof(*data));
	if (!data)
		return;
	data->location = ide_source_location_new(buffer, line, line_offset);

	ide_extension_set_adapter_foreach(adapter, lookup_symbol_get_extension, data);

	g_task_set_task_data(task, data, lookup_symbol_task_data_free);

	/* try the resolvers one by one, the last one first */
	resolver = data->resolvers[data->n_resolvers - 1];
	ide_symbol_resolver_lookup_symbol_async(resolver, data->location, task);
}
