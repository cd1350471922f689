/* SPDX-License-Identifier: MIT */
/*
 * OVIS LDMS (ovis-hpc/ldms), fix 9c8740c19bd9c89ad7c573112e16b62a5eb2663c
 * ("Remove race looking up open containers", #104),
 * ldms/src/store/store_sos.c: find_container() walks the shared
 * sos_handle_list without cfg_lock and takes the lock only around the
 * reference increment, while put_container() drops the last reference and
 * unlinks the handle under cfg_lock.
 */
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>
#include <kref.h>

#define SOS_COMMIT_ASYNC 0
#define SOS_PERM_RW 1

typedef struct sos_s *sos_t;
typedef struct sos_schema_s *sos_schema_t;
sos_t sos_container_open(const char *path, int perm);		/* opens a container */
void sos_container_close(sos_t sos, int flags);			/* closes it */
sos_schema_t sos_schema_by_name(sos_t sos, const char *name);	/* schema lookup */

typedef struct sos_handle_s {
	struct kref ref_count;
	char path[PATH_MAX];
	sos_t sos;
	LIST_ENTRY(sos_handle_s) entry;
} *sos_handle_t;

static LIST_HEAD(sos_handle_list, sos_handle_s) sos_handle_list;
static pthread_mutex_t cfg_lock = PTHREAD_MUTEX_INITIALIZER;

struct sos_instance {
	char *path;
	char *schema_name;
	sos_handle_t sos_handle;
	sos_schema_t sos_schema;
};

sos_handle_t create_handle(const char *path, sos_t sos)
{
	sos_handle_t h = calloc(1, sizeof(*h));

	if (!h)
		return NULL;
	snprintf(h->path, sizeof(h->path), "%s", path);
	kref_init(&h->ref_count);
	h->sos = sos;
	pthread_mutex_lock(&cfg_lock);
	LIST_INSERT_HEAD(&sos_handle_list, h, entry);
	pthread_mutex_unlock(&cfg_lock);
	return h;
}

/* Called with cfg_lock held: remove from list, destroy the handle. */
static void close_container(struct kref *ref)
{
	sos_handle_t h = container_of(ref, struct sos_handle_s, ref_count);

	LIST_REMOVE(h, entry);
	sos_container_close(h->sos, SOS_COMMIT_ASYNC);
	free(h);
}

static void put_container_no_lock(sos_handle_t h)
{
	kref_put(&h->ref_count, close_container);
}

static void put_container(sos_handle_t h)
{
	pthread_mutex_lock(&cfg_lock);
	put_container_no_lock(h);
	pthread_mutex_unlock(&cfg_lock);
}

static sos_handle_t find_container(const char *path)
{
	sos_handle_t h;

	LIST_FOREACH(h, &sos_handle_list, entry) {
		if (0 != strncmp(path, h->path, sizeof(h->path)))
			continue;

		/* found */
		/* take reference */
		pthread_mutex_lock(&cfg_lock);
		kref_get(&h->ref_count); /* expect: rule 3 */
		pthread_mutex_unlock(&cfg_lock);
		return h;
	}
	return NULL;
}

static int _open_store(struct sos_instance *si)
{
	sos_t sos;

	/* Check if the container is already open */
	si->sos_handle = find_container(si->path);
	if (si->sos_handle) {
		si->sos_schema = sos_schema_by_name(si->sos_handle->sos, si->schema_name);
		return 0;
	}
	sos = sos_container_open(si->path, SOS_PERM_RW);
	if (!sos)
		return -1;
	si->sos_handle = create_handle(si->path, sos);
	if (!si->sos_handle) {
		sos_container_close(sos, SOS_COMMIT_ASYNC);
		return -1;
	}
	si->sos_schema = sos_schema_by_name(sos, si->schema_name);
	return 0;
}

static void close_store(struct sos_instance *si)
{
	if (si->sos_handle)
		put_container(si->sos_handle);
	si->sos_handle = NULL;
}

int store(struct sos_instance *si)
{
	int rc = _open_store(si);

	if (rc)
		return rc;
	close_store(si);
	return 0;
}
