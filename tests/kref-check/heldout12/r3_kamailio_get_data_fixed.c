/* SPDX-License-Identifier: MIT */
/*
 * Project: kamailio/kamailio
 * Path: src/modules/carrierroute/cr_data.c
 * Fix commit: 673189f2fc38f0a9741ffe953e365a20959b5e02
 * Bug: get_data() reads the published routing table pointer and takes its
 * reference with no lock shared with reload_route_data(), so a reload can
 * swap the table out and drop its last reference between the read and the get.
 */
#include <stddef.h>
#include <stdlib.h>
#include <pthread.h>
#include <kref.h>

struct route_data_t {
	void *carriers;			/* the routing tree itself */
	size_t carrier_num;
	int default_carrier_id;
	struct kref proc_cnt;		/* the global pointer holds one */
};

/* Pointer to the routing data currently in use (shared memory). */
static struct route_data_t **global_data = NULL;
/* protects the *global_data pointer itself and getting a table's reference */
static pthread_mutex_t global_data_lock = PTHREAD_MUTEX_INITIALIZER;

/* builds a new table from the database or the config file; returns it
 * with its one reference, or NULL */
extern struct route_data_t *load_route_data(void);
/* frees the carrier and domain trees hanging off a table */
extern void destroy_route_trees(struct route_data_t *data);

static void clear_route_data(struct kref *kref)
{
	struct route_data_t *data =
		container_of(kref, struct route_data_t, proc_cnt);

	destroy_route_trees(data);
	free(data);
}

int reload_route_data(void)
{
	struct route_data_t *old_data;
	struct route_data_t *new_data;

	new_data = load_route_data();
	if (new_data == NULL)
		return -1;

	pthread_mutex_lock(&global_data_lock);
	if (*global_data == NULL) {
		*global_data = new_data;
		pthread_mutex_unlock(&global_data_lock);
	} else {
		/* swap out pointers with lock held */
		old_data = *global_data;
		*global_data = new_data;
		pthread_mutex_unlock(&global_data_lock);
		/* no other thread can get a reference to old_data now */
		kref_put(&old_data->proc_cnt, clear_route_data);
	}
	return 0;
}

/* Returns the current table with a reference the caller drops with
 * release_data(). */
struct route_data_t *get_data(void)
{
	struct route_data_t *ret;

	pthread_mutex_lock(&global_data_lock);
	if (!global_data || !*global_data) {
		pthread_mutex_unlock(&global_data_lock);
		return NULL;
	}
	ret = *global_data;
	kref_get(&ret->proc_cnt);
	pthread_mutex_unlock(&global_data_lock);
	/* safe reference to "ret" held here */
	return ret;
}

void release_data(struct route_data_t *data)
{
	kref_put(&data->proc_cnt, clear_route_data);
}
