/* SPDX-License-Identifier: MIT */
/*
 * Fixed twin of r1_qemu_migration_thread.c (own code): qemu/qemu commit
 * 7fc8beb16ee05399837efb41d0924fa1897da864, migration/migration.c.  The
 * reference is taken in migrate_fd_connect(), while the main thread still
 * holds the object, before either thread is created; the threads only put
 * it at their end.
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

	migration_iteration_run(s);
	object_unref(OBJECT(s));
	return NULL;
}

static void *bg_migration_thread(void *opaque)
{
	MigrationState *s = opaque;

	migration_iteration_run(s);
	object_unref(OBJECT(s));
	return NULL;
}

void migrate_fd_connect(MigrationState *s)
{
	/* Take a refcount for the thread, released at the thread's end. */
	object_ref(OBJECT(s));
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
