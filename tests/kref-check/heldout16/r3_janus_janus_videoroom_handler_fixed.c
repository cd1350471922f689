/* SPDX-License-Identifier: MIT */
/*
 * Project: meetecho/janus-gateway
 * Path: plugins/janus_videoroom.c
 * Fix commit: 45a0f1b7c1513475c845292fbb9460ff1cae61ba
 * Bug: when a new publisher sends its offer, janus_videoroom_handler() takes
 * the room from participant->room, counts the publishers under the room
 * mutex, unlocks and keeps using the room with no reference of its own,
 * while a concurrent "destroy" request clears every participant's room
 * pointer (dropping its reference) under that mutex and then drops the last
 * reference to the room.
 */
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <kref.h>

struct janus_videoroom_publisher;

typedef struct janus_videoroom {
	struct kref ref;
	pthread_mutex_t mutex;
	int destroyed;
	int max_publishers;
	bool require_e2ee;
	struct janus_videoroom_publisher *participants;	/* list, under mutex */
} janus_videoroom;

typedef struct janus_videoroom_publisher {
	struct kref ref;
	janus_videoroom *room;	/* counted: holds one room reference */
	bool has_sdp;
	bool e2ee;
	struct janus_videoroom_publisher *next;	/* link in room->participants */
} janus_videoroom_publisher;

/* frees the room's tables and memory */
extern void janus_videoroom_room_free(janus_videoroom *room);
/* removes the room from the global rooms table and drops the table's reference */
extern void janus_videoroom_rooms_remove(janus_videoroom *room);
/* tells the participant the room is gone and closes its PeerConnection */
extern void janus_videoroom_notify_destroyed(janus_videoroom_publisher *p);
/* negotiates the offer against the room's codecs and answers it; uses room */
extern int janus_videoroom_negotiate_offer(janus_videoroom_publisher *p,
					   janus_videoroom *room, const char *sdp);
/* notifies the other participants of the new publisher; takes room->mutex */
extern void janus_videoroom_notify_new_publisher(janus_videoroom *room,
						 janus_videoroom_publisher *p);

static void janus_videoroom_room_free_ref(struct kref *ref)
{
	janus_videoroom_room_free(container_of(ref, janus_videoroom, ref));
}

static void janus_videoroom_room_dereference(janus_videoroom *room)
{
	kref_put(&room->ref, janus_videoroom_room_free_ref);
}

/* "destroy" request (janus_videoroom_process_synchronous_request) */
void janus_videoroom_destroy_room(janus_videoroom *videoroom)
{
	janus_videoroom_publisher *p;

	/* Remove room, but add a reference until we're done */
	kref_get(&videoroom->ref);
	janus_videoroom_rooms_remove(videoroom);
	videoroom->destroyed = 1;
	pthread_mutex_lock(&videoroom->mutex);
	for (p = videoroom->participants; p; p = p->next) {
		if (p->room) {
			janus_videoroom *r = p->room;
			p->room = NULL;
			janus_videoroom_room_dereference(r);
			janus_videoroom_notify_destroyed(p);
		}
	}
	pthread_mutex_unlock(&videoroom->mutex);
	janus_videoroom_room_dereference(videoroom);
}

/* the part of the message handler thread that handles a publisher's offer */
int janus_videoroom_handler(janus_videoroom_publisher *participant,
			    const char *msg_sdp, bool e2ee)
{
	janus_videoroom *videoroom = participant->room;
	janus_videoroom_publisher *p;
	int count = 0;

	if (!videoroom || videoroom->destroyed)
		return -1;	/* JANUS_VIDEOROOM_ERROR_NO_SUCH_ROOM */
	/* This is a new publisher: is there room? */
	pthread_mutex_lock(&videoroom->mutex);
	for (p = videoroom->participants; p; p = p->next)
		if (p != participant && p->has_sdp)
			count++;
	kref_get(&videoroom->ref);
	pthread_mutex_unlock(&videoroom->mutex);
	if (count == videoroom->max_publishers) {
		janus_videoroom_room_dereference(videoroom);
		return -2;	/* JANUS_VIDEOROOM_ERROR_PUBLISHERS_FULL */
	}
	if (videoroom->require_e2ee && !e2ee && !participant->e2ee) {
		janus_videoroom_room_dereference(videoroom);
		return -3;	/* JANUS_VIDEOROOM_ERROR_INVALID_REQUEST */
	}
	if (janus_videoroom_negotiate_offer(participant, videoroom, msg_sdp) < 0) {
		janus_videoroom_room_dereference(videoroom);
		return -4;	/* JANUS_VIDEOROOM_ERROR_INVALID_SDP */
	}
	participant->has_sdp = true;
	janus_videoroom_notify_new_publisher(videoroom, participant);
	janus_videoroom_room_dereference(videoroom);
	return 0;
}
