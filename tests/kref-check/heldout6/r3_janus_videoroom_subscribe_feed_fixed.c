/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (own code) of a real bug: meetecho/janus-gateway commit
 * a96eba50ef7867ebd1046760a1735d00c408d620 "Increase publisher refcount
 * before unlocking videoroom->mutex.", plugins/janus_videoroom.c,
 * janus_videoroom_handler() ("join" as a subscriber) against
 * janus_videoroom_leave_or_unpublish().  The handler finds the publisher
 * in videoroom->participants under videoroom->mutex, unlocks, and only
 * then increases the publisher's refcount.  Meanwhile a leaving publisher
 * is removed from the hash table under the same mutex, whose value destroy
 * function drops the table's reference, the last one once the publisher
 * was destroyed: the handler can get a freed publisher.  The fix takes
 * the references before unlocking.  janus_refcount is written with a kref.
 */
#include <stdlib.h>
#include <stdint.h>
#include <pthread.h>
#include <kref.h>

typedef struct janus_videoroom_session { struct kref ref; } janus_videoroom_session;

typedef struct janus_videoroom_publisher {
	uint64_t user_id;
	janus_videoroom_session *session;
	char *sdp;
	volatile int destroyed;
	struct kref ref;
} janus_videoroom_publisher;

typedef struct janus_videoroom {
	void *participants;	/* GHashTable: user_id -> publisher (holds a reference) */
	pthread_mutex_t mutex;
} janus_videoroom;

typedef struct janus_videoroom_subscriber {
	janus_videoroom_session *session;
	janus_videoroom *room;
	janus_videoroom_publisher *feed;
} janus_videoroom_subscriber;

/* g_hash_table_lookup(): the publisher with this id, no reference taken. */
extern janus_videoroom_publisher *participants_lookup(void *participants, uint64_t *feed_id);
/* g_hash_table_steal(): unlinks the entry; the caller drops the table's reference. */
extern void participants_steal(void *participants, uint64_t *user_id);

static void janus_videoroom_publisher_free(struct kref *ref)
{
	free(container_of(ref, janus_videoroom_publisher, ref));
}

static void janus_videoroom_session_free(struct kref *ref)
{
	free(container_of(ref, janus_videoroom_session, ref));
}

/* The hash table's value destroy function. */
static void janus_videoroom_publisher_dereference(janus_videoroom_publisher *p)
{
	if (p)
		kref_put(&p->ref, janus_videoroom_publisher_free);
}

void janus_videoroom_leave_or_unpublish(janus_videoroom *room, janus_videoroom_publisher *participant)
{
	pthread_mutex_lock(&room->mutex);
	participants_steal(room->participants, &participant->user_id);
	janus_videoroom_publisher_dereference(participant);
	pthread_mutex_unlock(&room->mutex);
}

/* Part of janus_videoroom_handler(): "join" with ptype "subscriber". */
janus_videoroom_subscriber *janus_videoroom_join_subscriber(janus_videoroom *videoroom,
		janus_videoroom_session *session, uint64_t feed_id)
{
	janus_videoroom_subscriber *subscriber;
	janus_videoroom_publisher *publisher;

	pthread_mutex_lock(&videoroom->mutex);
	publisher = participants_lookup(videoroom->participants, &feed_id);
	if (publisher == NULL || publisher->destroyed || publisher->sdp == NULL) {
		pthread_mutex_unlock(&videoroom->mutex);
		return NULL;	/* "No such feed" */
	}
	/* Increase the refcount before unlocking so that nobody can remove
	 * and free the publisher in the meantime. */
	kref_get(&publisher->ref);
	kref_get(&publisher->session->ref);
	pthread_mutex_unlock(&videoroom->mutex);
	subscriber = calloc(1, sizeof(*subscriber));
	if (!subscriber) {
		kref_put(&publisher->session->ref, janus_videoroom_session_free);
		kref_put(&publisher->ref, janus_videoroom_publisher_free);
		return NULL;
	}
	subscriber->session = session;
	subscriber->room = videoroom;
	subscriber->feed = publisher;
	return subscriber;
}
