/* SPDX-License-Identifier: MIT */
/*
 * Project: libvips/libvips
 * Path: libvips/foreign/openslideconnection.c
 * Fix: 7cf6b0842906abbaec2888f3e21bd6119fd2f176 ("openslideconnection: remember to take global lock around unref")
 * Bug: when openslide_open() fails, vips__openslideconnection_open() drops
 * its connection reference without vips_openslideconnection_lock, the lock
 * under which other openers look the connection up in the cache and take
 * a reference, and the last unref frees the connection and removes it
 * from that cache.
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <kref.h>

typedef struct _openslide openslide_t;

typedef struct _VipsOpenslideConnection {
	/* lock access to osr */
	pthread_mutex_t lock;

	struct kref ref_count;
	char *filename;
	openslide_t *osr;
} VipsOpenslideConnection;

static pthread_mutex_t vips_openslideconnection_lock = PTHREAD_MUTEX_INITIALIZER;

/* g_hash_table_lookup() on the filename cache: returns a borrowed pointer */
extern VipsOpenslideConnection *vips_openslideconnection_cache_lookup(const char *filename);
/* g_hash_table_insert() into the filename cache */
extern void vips_openslideconnection_cache_insert(VipsOpenslideConnection *connection);
/* g_hash_table_remove() from the filename cache */
extern void vips_openslideconnection_cache_remove(VipsOpenslideConnection *connection);
/* opens a slide; NULL on failure (can take many seconds) */
extern openslide_t *openslide_open(const char *filename);
extern void openslide_close(openslide_t *osr);

/* called with vips_openslideconnection_lock held */
static void vips_openslideconnection_free(struct kref *kref)
{
	VipsOpenslideConnection *connection =
		container_of(kref, VipsOpenslideConnection, ref_count);

	vips_openslideconnection_cache_remove(connection);

	pthread_mutex_destroy(&connection->lock);
	free(connection->filename);
	if (connection->osr)
		openslide_close(connection->osr);
	free(connection);
}

/* the last unref calls _free, which needs vips_openslideconnection_lock */
static void vips_openslideconnection_unref(VipsOpenslideConnection *connection)
{
	kref_put(&connection->ref_count, vips_openslideconnection_free);
}

static void vips_openslideconnection_ref(VipsOpenslideConnection *connection)
{
	kref_get(&connection->ref_count);
}

static VipsOpenslideConnection *vips_openslideconnection_new(const char *filename)
{
	VipsOpenslideConnection *connection;

	connection = calloc(1, sizeof(*connection));
	if (!connection)
		return NULL;
	connection->filename = strdup(filename);
	pthread_mutex_init(&connection->lock, NULL);
	kref_init(&connection->ref_count);

	vips_openslideconnection_cache_insert(connection);

	return connection;
}

openslide_t *vips__openslideconnection_open(const char *filename)
{
	VipsOpenslideConnection *connection;
	openslide_t *osr;
	bool unref;

	pthread_mutex_lock(&vips_openslideconnection_lock);

	connection = vips_openslideconnection_cache_lookup(filename);
	if (connection)
		vips_openslideconnection_ref(connection);
	else
		connection = vips_openslideconnection_new(filename);

	pthread_mutex_unlock(&vips_openslideconnection_lock);

	if (!connection)
		return NULL;

	pthread_mutex_lock(&connection->lock);

	/* We do the open outside the main lock (just in the connection lock)
	 * since it can take many seconds for some slides.
	 */
	unref = false;
	if (!connection->osr) {
		connection->osr = openslide_open(connection->filename);

		/* If open fails, we must unref the connection since we'll
		 * return NULL.
		 */
		if (!connection->osr)
			unref = true;
	}

	osr = connection->osr;

	pthread_mutex_unlock(&connection->lock);

	if (unref)
		vips_openslideconnection_unref(connection); /* expect: rule 3 */

	return osr;
}

void vips__openslideconnection_close(const char *filename)
{
	VipsOpenslideConnection *connection;

	pthread_mutex_lock(&vips_openslideconnection_lock);

	connection = vips_openslideconnection_cache_lookup(filename);

	/* We unref in the main lock since openslide_close() is always
	 * relatively quick.
	 */
	if (connection)
		vips_openslideconnection_unref(connection);

	pthread_mutex_unlock(&vips_openslideconnection_lock);
}
