/* SPDX-License-Identifier: MIT */
/*
 * Source: FreeRDP, commit 604d505d5938d48a1ba59b530c12976d4acc1227
 * ("[channels,drdynvc] fix channel unref on create request send failure"),
 * channels/drdynvc/client/drdynvc_main.c, drdynvc_process_create_request()
 * and dvcman_create_channel().  When the create response cannot be sent,
 * the channel returned by dvcman_create_channel() is unreferenced whatever
 * the creation status was.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <kref.h>

typedef uint32_t UINT32;
typedef int32_t INT32;
typedef unsigned int UINT;
typedef int BOOL;
#define TRUE	1
#define FALSE	0

#define CHANNEL_RC_OK			0
#define CHANNEL_RC_ALREADY_OPEN		14
#define CHANNEL_RC_NO_MEMORY		12
#define CHANNEL_RC_INITIALIZATION_ERROR	20
#define ERROR_NOT_FOUND			1168
#define ERROR_INTERNAL_ERROR		1359
#define STATUS_NO_MEMORY		((INT32)0xC0000017)
#define STATUS_NOT_FOUND		((INT32)0xC0000225)
#define STATUS_UNSUCCESSFUL		((INT32)0xC0000001)

typedef struct wHashTable wHashTable;
typedef struct wStream wStream;

typedef enum {
	DVC_CHANNEL_INIT,
	DVC_CHANNEL_RUNNING,
	DVC_CHANNEL_CLOSED
} DVC_CHANNEL_STATE;

typedef struct DVCMAN DVCMAN;

typedef struct {
	struct kref refCounter;
	DVCMAN *dvcman;
	UINT32 channel_id;
	DVC_CHANNEL_STATE state;
	char *channel_name;
	void *channel_callback;
} DVCMAN_CHANNEL;

typedef struct {
	UINT (*OnNewChannelConnection)(void *listener_callback, DVCMAN_CHANNEL *channel,
				       BOOL *pbAccept, void **ppCallback);
	void *listener_callback;
	char *channel_name;
} DVCMAN_LISTENER;

struct DVCMAN {
	wHashTable *listeners;
	wHashTable *channelsById;
};

typedef struct {
	DVCMAN *channel_mgr;
} drdynvcPlugin;

/* wHashTable: the table keeps the pointers it is given; lookups return
 * them without a reference. */
extern void HashTable_Lock(wHashTable *table);
extern void HashTable_Unlock(wHashTable *table);
extern void *HashTable_GetItemValue(wHashTable *table, const void *key);
extern BOOL HashTable_Insert(wHashTable *table, const void *key, const void *value);
extern BOOL HashTable_Remove(wHashTable *table, const void *key);
/* Stream helpers; drdynvc_send() consumes the stream. */
extern wStream *StreamPool_Take(DVCMAN *dvcman, size_t size);
extern void Stream_Write_INT32(wStream *s, INT32 v);
extern UINT drdynvc_send(drdynvcPlugin *drdynvc, wStream *s);
extern UINT dvcman_open_channel(drdynvcPlugin *drdynvc, DVCMAN_CHANNEL *channel);

static void dvcman_channel_free(DVCMAN_CHANNEL *channel)
{
	if (!channel)
		return;

	free(channel->channel_name);
	free(channel);
}

static void dvcman_channel_release(struct kref *ref)
{
	DVCMAN_CHANNEL *channel = container_of(ref, DVCMAN_CHANNEL, refCounter);
	DVCMAN *dvcman = channel->dvcman;

	if (dvcman)
		HashTable_Remove(dvcman->channelsById, &channel->channel_id);
	dvcman_channel_free(channel);
}

static void dvcman_channel_unref(DVCMAN_CHANNEL *channel)
{
	kref_put(&channel->refCounter, dvcman_channel_release);
}

static DVCMAN_CHANNEL *dvcman_get_channel_by_id(DVCMAN *dvcman, UINT32 ChannelId, BOOL doRef)
{
	DVCMAN_CHANNEL *dvcChannel;

	HashTable_Lock(dvcman->channelsById);
	dvcChannel = HashTable_GetItemValue(dvcman->channelsById, &ChannelId);
	if (dvcChannel) {
		if (doRef)
			kref_get(&dvcChannel->refCounter);
	}
	HashTable_Unlock(dvcman->channelsById);
	return dvcChannel;
}

static DVCMAN_CHANNEL *dvcman_channel_new(DVCMAN *dvcman, UINT32 ChannelId,
					  const char *ChannelName)
{
	DVCMAN_CHANNEL *channel = calloc(1, sizeof(DVCMAN_CHANNEL));

	if (!channel)
		return NULL;

	channel->dvcman = dvcman;
	channel->channel_id = ChannelId;
	kref_init(&channel->refCounter);
	channel->state = DVC_CHANNEL_INIT;
	channel->channel_name = strdup(ChannelName);
	if (!channel->channel_name)
		goto fail;

	return channel;
fail:
	dvcman_channel_free(channel);
	return NULL;
}

static DVCMAN_CHANNEL *dvcman_create_channel(drdynvcPlugin *drdynvc, DVCMAN *dvcman,
					     UINT32 ChannelId, const char *ChannelName, UINT *res)
{
	BOOL bAccept;
	DVCMAN_CHANNEL *channel = NULL;
	DVCMAN_LISTENER *listener;
	void *pCallback = NULL;

	HashTable_Lock(dvcman->listeners);
	listener = HashTable_GetItemValue(dvcman->listeners, ChannelName);
	if (!listener) {
		*res = ERROR_NOT_FOUND;
		goto out;
	}

	channel = dvcman_get_channel_by_id(dvcman, ChannelId, FALSE);
	if (channel) {
		switch (channel->state) {
		case DVC_CHANNEL_RUNNING:
			*res = CHANNEL_RC_ALREADY_OPEN;
			goto out;
		default:
			*res = CHANNEL_RC_INITIALIZATION_ERROR;
			goto out;
		}
	} else {
		if (!(channel = dvcman_channel_new(dvcman, ChannelId, ChannelName))) {
			*res = CHANNEL_RC_NO_MEMORY;
			goto out;
		}
	}

	if (!HashTable_Insert(dvcman->channelsById, &channel->channel_id, channel)) {
		*res = ERROR_INTERNAL_ERROR;
		dvcman_channel_free(channel);
		channel = NULL;
		goto out;
	}

	bAccept = TRUE;
	*res = listener->OnNewChannelConnection(listener->listener_callback, channel,
						&bAccept, &pCallback);
	if (*res != CHANNEL_RC_OK) {
		*res = ERROR_INTERNAL_ERROR;
		dvcman_channel_unref(channel);
		goto out;
	}

	if (!bAccept) {
		*res = ERROR_INTERNAL_ERROR;
		dvcman_channel_unref(channel);
		channel = NULL;
		goto out;
	}

	channel->state = DVC_CHANNEL_RUNNING;
	channel->channel_callback = pCallback;

out:
	HashTable_Unlock(dvcman->listeners);

	return channel;
}

UINT drdynvc_process_create_request(drdynvcPlugin *drdynvc, UINT32 ChannelId, const char *name)
{
	UINT status;
	wStream *data_out;
	UINT channel_status = 0;
	DVCMAN *dvcman = drdynvc->channel_mgr;
	DVCMAN_CHANNEL *channel;
	INT32 retStatus;

	data_out = StreamPool_Take(dvcman, strlen(name) + 8);
	if (!data_out)
		return CHANNEL_RC_NO_MEMORY;

	channel = dvcman_create_channel(drdynvc, dvcman, ChannelId, name, &channel_status);
	switch (channel_status) {
	case CHANNEL_RC_OK:
		retStatus = 0;
		break;
	case CHANNEL_RC_NO_MEMORY:
		retStatus = STATUS_NO_MEMORY;
		break;
	case ERROR_NOT_FOUND:
		retStatus = STATUS_NOT_FOUND;
		break;
	default:
		retStatus = STATUS_UNSUCCESSFUL;
		break;
	}
	Stream_Write_INT32(data_out, retStatus);

	status = drdynvc_send(drdynvc, data_out);
	if (status != CHANNEL_RC_OK) {
		dvcman_channel_unref(channel); /* expect: rule 2 */
		return status;
	}

	if (channel_status == CHANNEL_RC_OK) {
		if ((status = dvcman_open_channel(drdynvc, channel)))
			return status;
	}

	return status;
}
