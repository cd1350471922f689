/* SPDX-License-Identifier: MIT */
/*
 * Project: open-mpi/ompi
 * Path:    ompi/request/grequestx.c
 * Fix:     4a39a34baba050e7bf6826ad741c7bbc17cdc7e7
 * Bug:     ompi_grequestx_start() links the new generalized request into the
 *          static list polled by grequestx_progress() without a reference of
 *          its own, so the user's wait/free destroys the completed request
 *          while it is still on the list.
 */
#include <kref.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>

typedef struct opal_list_item {
	struct opal_list_item *next, *prev;
} opal_list_item_t;

typedef struct opal_list {
	opal_list_item_t sentinel;
} opal_list_t;

typedef int (*ompi_grequestx_poll_function)(void *extra_state, void *status);

typedef struct ompi_grequest {
	opal_list_item_t super;		/* linkage on the requests list */
	struct kref ref;		/* OBJ_RETAIN / OBJ_RELEASE */
	bool complete;
	void *greq_state;
	ompi_grequestx_poll_function c_poll;
} ompi_grequest_t;

/*
 * allocates a generalized request and returns it with the one reference
 * the user owns (dropped by MPI_Wait/MPI_Test/MPI_Request_free)
 */
extern int ompi_grequest_start(void *extra_state, ompi_grequest_t **request);
/* registers/unregisters a callback called from opal_progress() */
extern int opal_progress_register(int (*cb)(void));
extern int opal_progress_unregister(int (*cb)(void));

static bool requests_initialized = false;
static opal_list_t requests;
static int active_requests = 0;
static bool in_progress = false;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static void opal_list_construct(opal_list_t *list)
{
	list->sentinel.next = &list->sentinel;
	list->sentinel.prev = &list->sentinel;
}

static void opal_list_append(opal_list_t *list, opal_list_item_t *item)
{
	item->prev = list->sentinel.prev;
	item->next = &list->sentinel;
	list->sentinel.prev->next = item;
	list->sentinel.prev = item;
}

static void opal_list_remove_item(opal_list_t *list, opal_list_item_t *item)
{
	(void)list;
	item->prev->next = item->next;
	item->next->prev = item->prev;
}

static void ompi_grequest_destruct(struct kref *ref)
{
	ompi_grequest_t *req = container_of(ref, ompi_grequest_t, ref);

	free(req);
}

/* MPI_Request_free(): the user gives up its reference */
void ompi_grequest_free(ompi_grequest_t *request)
{
	kref_put(&request->ref, ompi_grequest_destruct);
}

static int grequestx_progress(void)
{
	opal_list_item_t *item, *next;
	int completed = 0;

	pthread_mutex_lock(&lock);
	if (!in_progress) {
		in_progress = true;

		for (item = requests.sentinel.next; item != &requests.sentinel;
		     item = next) {
			ompi_grequest_t *request =
				container_of(item, ompi_grequest_t, super);
			char status[64];

			next = item->next;
			pthread_mutex_unlock(&lock);
			request->c_poll(request->greq_state, status);
			pthread_mutex_lock(&lock);
			if (request->complete) {
				opal_list_remove_item(&requests, &request->super);
				kref_put(&request->ref, ompi_grequest_destruct);
				completed++;
			}
		}
		in_progress = false;
	}
	pthread_mutex_unlock(&lock);

	return completed;
}

int ompi_grequestx_start(ompi_grequestx_poll_function gpoll_fn,
			 void *extra_state, ompi_grequest_t **request)
{
	int rc;

	rc = ompi_grequest_start(extra_state, request);
	if (rc != 0)
		return rc;
	(*request)->c_poll = gpoll_fn;

	/* the list of active requests holds its own reference until unlinked */
	kref_get(&(*request)->ref);

	pthread_mutex_lock(&lock);
	if (!requests_initialized) {
		opal_list_construct(&requests);
		requests_initialized = true;
	}
	opal_list_append(&requests, &(*request)->super);
	pthread_mutex_unlock(&lock);

	if (__atomic_add_fetch(&active_requests, 1, __ATOMIC_SEQ_CST) == 1)
		opal_progress_register(grequestx_progress);

	return 0;
}
