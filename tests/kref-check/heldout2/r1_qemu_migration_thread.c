/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (own code) of a real bug: qemu/qemu commit
 * 7fc8beb16ee05399837efb41d0924fa1897da864 "migration: Take migration
 * object refcount earlier for threads", migration/migration.c,
 * migrate_fd_connect(), migration_thread() and bg_migration_thread().
 * Each thread took its reference on the MigrationState at its own entry;
 * if it is scheduled late, migration_shutdown() in the main thread may
 * already have dropped the last reference and the thread refs freed
 * memory.  QOM's object_ref/object_unref written here with struct kref.
 */
#include <stdlib.h>
#include <kref.h>

typedef struct Object { struct kref ref; } Object;
typedef struct QemuThread { unsigned long id; } QemuThread;
typedef struct MigrationState { Object parent_obj; QemuThread thread; int state; } MigrationState;
#define OBJECT(s)	(&(s)->parent_obj)
#define QEMU_THREAD_JOINABLE 0

void qemu_thread_create(QemuThread *thread, const char *name,
			void *(*start_routine)(void *), void *arg, int mode);
int migrate_background_snapshot(void);
void migration_iteration_run(MigrationState *s);
extern MigrationState *current_migration;

static void object_finalize(struct kref *ref)
{
	free(container_of(ref, Object, ref));
}

static void object_ref(Object *obj)
{
	kref_get(&obj->ref);
}

static void object_unref(Object *obj)
{
	kref_put(&obj->ref, object_finalize);
}

static void *migration_thread(void *opaque)
{
	MigrationState *s = opaque;

	object_ref(OBJECT(s));	/* expect: rule 1 */
	migration_iteration_run(s);
	object_unref(OBJECT(s));
	return NULL;
}

static void *bg_migration_thread(void *opaque)
{
	MigrationState *s = opaque;

	object_ref(OBJECT(s));	/* expect: rule 1 */
	migration_iteration_run(s);
	object_unref(OBJECT(s));
	return NULL;
}

void migrate_fd_connect(MigrationState *s)
{
	if (migrate_background_snapshot())
		qemu_thread_create(&s->thread, "bg_snapshot", bg_migration_thread, s,
				   QEMU_THREAD_JOINABLE);
	else
		qemu_thread_create(&s->thread, "live_migration", migration_thread, s,
				   QEMU_THREAD_JOINABLE);
}

void migration_shutdown(void)
{
	object_unref(OBJECT(current_migration));
}
