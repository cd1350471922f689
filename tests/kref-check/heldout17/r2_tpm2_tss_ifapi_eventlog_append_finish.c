/* SPDX-License-Identifier: MIT */
/*
 * Project: tpm2-software/tpm2-tss
 * Path: src/tss2-fapi/ifapi_eventlog.c
 * Fix: 8cee07ac3f30abb78c73a7c1032c1187d6bd92e3
 * Bug: ifapi_eventlog_append_finish() puts eventlog->log on the serialize
 * error path and again in error_cleanup, and after the normal put it leaves
 * the stale pointer in eventlog->log so a write error puts it a second time.
 */
#include <kref.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>

typedef uint32_t TSS2_RC;
#define TSS2_RC_SUCCESS			0
#define TSS2_FAPI_RC_BAD_VALUE		0x6000bU

/* A json-c object; ob_ref stands for _ref_count. */
typedef struct json_object {
	struct kref ob_ref;
	char *text;
} json_object;

typedef struct { int pcr; size_t recnum; } IFAPI_EVENT;
typedef struct IFAPI_IO IFAPI_IO;

typedef struct {
	char *log_dir;
	json_object *log;	/* owns one reference, set by the read step */
	IFAPI_EVENT event;
	int state;
} IFAPI_EVENTLOG;

enum { IFAPI_EVENTLOG_STATE_INIT, IFAPI_EVENTLOG_STATE_APPENDING,
       IFAPI_EVENTLOG_STATE_WRITING };

static void json_object_free(struct kref *kref)
{
	json_object *jso = container_of(kref, json_object, ob_ref);

	free(jso->text);
	free(jso);
}

static inline int json_object_put(json_object *jso)
{
	return kref_put(&jso->ob_ref, json_object_free);
}

/* Number of elements of a json array. */
extern size_t json_object_array_length(json_object *jso);
/* Serializes an event into a new json object (*jso owns one reference). */
extern TSS2_RC ifapi_json_IFAPI_EVENT_serialize(const IFAPI_EVENT *in,
						json_object **jso);
/* Appends val to the array, taking over the caller's reference to val. */
extern int json_object_array_add(json_object *arr, json_object *val);
/* Returns text owned by jso, valid until jso is freed. */
extern const char *json_object_to_json_string_ext(json_object *jso, int flags);
/* Allocating sprintf; 0 on success. */
extern TSS2_RC ifapi_asprintf(char **str, const char *fmt, ...);
/* Starts an asynchronous write; the data is copied. */
extern TSS2_RC ifapi_io_write_async(IFAPI_IO *io, const char *filename,
				    const uint8_t *buffer, size_t length);
/* Finishes the pending write. */
extern TSS2_RC ifapi_io_write_finish(IFAPI_IO *io);

TSS2_RC ifapi_eventlog_append_finish(IFAPI_EVENTLOG *eventlog, IFAPI_IO *io,
				     const IFAPI_EVENT *pcr_event)
{
	TSS2_RC r;
	char *event_log_file = NULL;
	const char *logstr2 = NULL;
	json_object *event = NULL;

	switch (eventlog->state) {
	case IFAPI_EVENTLOG_STATE_APPENDING:
		eventlog->event = *pcr_event;

		/* the new event gets the next record number */
		eventlog->event.recnum = json_object_array_length(eventlog->log) + 1;

		r = ifapi_json_IFAPI_EVENT_serialize(&eventlog->event, &event);
		if (r) {
			json_object_put(eventlog->log); /* expect: rule 2 */
			r = TSS2_FAPI_RC_BAD_VALUE;
			goto error_cleanup;
		}

		json_object_array_add(eventlog->log, event);
		logstr2 = json_object_to_json_string_ext(eventlog->log, 1);

		/* per-PCR log file name */
		r = ifapi_asprintf(&event_log_file, "%s/pcr%i",
				   eventlog->log_dir, eventlog->event.pcr);
		if (r)
			goto error_cleanup;

		/* queue the serialized log for writing */
		r = ifapi_io_write_async(io, event_log_file,
					 (const uint8_t *)logstr2, strlen(logstr2));
		free(event_log_file);
		event_log_file = NULL;
		json_object_put(eventlog->log); /* expect: rule 2 */
		if (r)
			goto error_cleanup;
		eventlog->state = IFAPI_EVENTLOG_STATE_WRITING;
		/* fallthrough */

	case IFAPI_EVENTLOG_STATE_WRITING:
		/* wait for the queued write */
		r = ifapi_io_write_finish(io);
		if (r)
			goto error_cleanup;

		eventlog->state = IFAPI_EVENTLOG_STATE_INIT;
		break;

	default:
		return TSS2_FAPI_RC_BAD_VALUE;
	}

	return TSS2_RC_SUCCESS;

error_cleanup:
	free(event_log_file);
	if (eventlog->log)
		json_object_put(eventlog->log);
	return r;
}
