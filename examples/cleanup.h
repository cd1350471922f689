/* SPDX-License-Identifier: MIT */
/* cleanup.h - the interface of cleanup.c, for its test. */
#ifndef EXAMPLES_CLEANUP_H
#define EXAMPLES_CLEANUP_H

#include <pthread.h>
#include <kref.h>

#define REGISTRY_SIZE 8

struct user {
	struct kref ref;
	int id;
};

struct device {
	struct kref ref;
	pthread_mutex_t lock;		/* protects session */
	int id, owner;
	bool shared;			/* anyone may attach, not just owner */
	struct session *session;	/* attached, if any */
};

struct session {
	struct user *user;		/* a reference each */
	struct device *dev;
};

struct registry {
	pthread_mutex_t lock;		/* protects the arrays */
	struct user *users[REGISTRY_SIZE];
	struct device *devs[REGISTRY_SIZE];
};

extern int session_alloc_fails;		/* the next session_alloc() fails */
extern int sessions_allocated;		/* live sessions */

struct user *user_lookup(struct registry *reg, int id);
struct device *device_lookup(struct registry *reg, int id);
void user_put(struct user *user);
void device_put(struct device *dev);

int session_attach_manual(struct registry *reg, int uid, int did,
			  struct session **out);
int session_attach_scoped(struct registry *reg, int uid, int did,
			  struct session **out);
void session_detach(struct session *s);

#endif
