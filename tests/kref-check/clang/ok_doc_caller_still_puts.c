/* SPDX-License-Identifier: MIT */
/* Correct: Comment says the caller still owns and puts msg; send_copy
 * copies it. Caller puts: correct. */
#include <stdlib.h>
#include <kref.h>

struct msg { struct kref ref; int len; };

static void msg_free(struct kref *ref) { free(container_of(ref, struct msg, ref)); }
void msg_put(struct msg *m) { kref_put(&m->ref, msg_free); }
/* Sends a copy of msg on conn; the caller still owns msg and puts msg when done. */
extern int send_copy(void *conn, struct msg *msg);

int ping(void *conn)
{
	struct msg *m = malloc(sizeof(*m));

	if (!m)
		return -1;
	kref_init(&m->ref);
	m->len = 0;
	send_copy(conn, m);
	msg_put(m);
	return 0;
}
