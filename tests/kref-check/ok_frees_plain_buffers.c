/* SPDX-License-Identifier: MIT */
/* Correct: only buffers without a kref are freed directly; the object
 * with a kref goes through kref_put. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <kref.h>

struct chunk {
	size_t len;
	char *data;
};

struct message {
	struct kref ref;
	struct chunk *chunks;
	size_t nchunks;
};

static void message_release(struct kref *ref)
{
	struct message *m = container_of(ref, struct message, ref);

	for (size_t i = 0; i < m->nchunks; i++)
		free(m->chunks[i].data);
	free(m->chunks);
	free(m);
}

int message_append(struct message *m, const char *text)
{
	struct chunk *grown, *c;
	char *copy = strdup(text);

	if (!copy)
		return -1;
	grown = realloc(m->chunks, (m->nchunks + 1) * sizeof(*grown));
	if (!grown) {
		free(copy);
		return -1;
	}
	m->chunks = grown;
	c = &grown[m->nchunks++];
	c->data = copy;
	c->len = strlen(copy);
	return 0;
}

static void *sender(void *arg)
{
	struct message *m = arg;
	char *scratch = malloc(256);

	if (scratch) {
		memset(scratch, 0, 256);
		free(scratch);
	}
	kref_put(&m->ref, message_release);
	return NULL;
}

int message_send(struct message *m)
{
	pthread_t t;

	kref_get(&m->ref);
	if (pthread_create(&t, NULL, sender, m)) {
		kref_put(&m->ref, message_release);
		return -1;
	}
	return pthread_detach(t);
}
