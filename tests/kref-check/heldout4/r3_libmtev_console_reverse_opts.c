/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (own code) of a real bug: circonus-labs/libmtev commit
 * 8b157d485916bb39a039116c8cf6788a413c06b5 "CIRC-9644 - race" (PR #890),
 * src/mtev_reverse_socket.cpp, mtev_console_reverse_opts().  The console
 * completion walks the reverse_sockets hash under the read lock, drops the
 * lock on a match and then reads ctx->id: "Pointer can be released after
 * lock is dropped at any time because ref count was not bumped".  The fix
 * holds the context through a reverse_socket_sp (an intrusive pointer:
 * the reference is taken under the lock).  The intrusive count written
 * with struct kref, the smart pointer as explicit get and put.
 */
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <kref.h>

typedef struct reverse_socket {
	struct kref refcnt;
	char *id;
} reverse_socket_t;

typedef struct mtev_hash_iter { void *opaque; void *value_ptr; } mtev_hash_iter;

static pthread_rwlock_t reverse_sockets_lock = PTHREAD_RWLOCK_INITIALIZER;
static struct mtev_hash_table *reverse_sockets;

/* Advances iter; returns 0 at the end.  iter->value_ptr is the entry. */
extern int mtev_hash_adv(struct mtev_hash_table *h, mtev_hash_iter *iter);
/* Removes the entry for id; returns nonzero if it was there. */
extern int mtev_hash_delete(struct mtev_hash_table *h, const char *id);

static void reverse_socket_free(struct kref *ref)
{
	reverse_socket_t *rc = container_of(ref, reverse_socket_t, refcnt);

	free(rc->id);
	free(rc);
}

static void reverse_socket_deref(reverse_socket_t *rc)
{
	kref_put(&rc->refcnt, reverse_socket_free);
}

/* Shutdown of a reverse connection: unhash it and drop the table's reference. */
void mtev_reverse_socket_remove(reverse_socket_t *rc)
{
	pthread_rwlock_wrlock(&reverse_sockets_lock);
	if (mtev_hash_delete(reverse_sockets, rc->id))
		reverse_socket_deref(rc);
	pthread_rwlock_unlock(&reverse_sockets_lock);
}

char *mtev_console_reverse_opts(int argc, char **argv, int idx)
{
	if (argc == 1) {
		mtev_hash_iter iter = { 0 };
		int i = 0;
		reverse_socket_t *ctx;

		pthread_rwlock_rdlock(&reverse_sockets_lock);
		while (mtev_hash_adv(reverse_sockets, &iter)) {
			ctx = iter.value_ptr;
			if (!strncmp(ctx->id, argv[0], strlen(argv[0]))) {
				if (idx == i) {
					pthread_rwlock_unlock(&reverse_sockets_lock);
					return strdup(ctx->id); /* expect: rule 3 */
				}
				i++;
			}
		}
		pthread_rwlock_unlock(&reverse_sockets_lock);
	}
	return NULL;
}
