/* SPDX-License-Identifier: MIT */
/* Rule 2 kept: a call returning an unsigned status (0 is success) hands
 * back a reference through its out parameter only when it succeeds; the
 * failure path has none to put. */
#include <stdlib.h>
#include <kref.h>

typedef unsigned int rc_t;
struct blob { struct kref ref; int len; };

/* Parses text into a new blob (*out holds one reference); 0 or an error code. */
extern rc_t blob_parse(const char *text, struct blob **out);
/* Appends blob to the log, which takes over the caller's reference. */
extern void log_append(struct blob *blob);

rc_t log_add_text(const char *text)
{
	struct blob *b = NULL;
	rc_t r = blob_parse(text, &b);

	if (r)
		return r;
	log_append(b);
	return 0;
}
