/* SPDX-License-Identifier: MIT */
/*
 * Project: charybdis-ircd/charybdis
 * Path:    authd/providers/blacklist.c
 * Fix:     7c003d84bc18f021d413675699e760ec2d6cf270
 * Bug:     on a blacklist hit, blacklist_dns_callback() first cancels the
 *          blacklist checks, which drops the provider's reference on the
 *          auth client and the lookups' references on the blacklists, and
 *          only then rejects the client using auth, bl->host and bl->reason.
 */
#include <kref.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

/* A connecting client being checked by authd's providers. */
struct auth_client {
	struct kref ref;
	uint32_t cid;
};

/* A DNS blacklist; blacklist_list holds one reference until rehash marks
 * it deleted, and every lookup in flight holds one. */
struct blacklist {
	struct kref ref;
	char host[255];
	char reason[255];
	unsigned int hits;
};

struct blacklist_lookup {
	struct blacklist *bl;		/* holds a reference */
	struct auth_client *auth;	/* covered by the provider's reference */
	void *query;
	struct blacklist_lookup *next;
};

struct blacklist_user {
	struct blacklist_lookup *queries;
};

extern uint32_t SELF_PID;

/* Removes the client from the auth_clients dictionary and frees it. */
extern void auth_client_free(struct auth_client *auth);
/* Unlinks the blacklist from blacklist_list and frees it and its filters. */
extern void blacklist_free(struct blacklist *bl);
/* Returns this provider's data for the client (borrowed), or NULL. */
extern void *get_provider_data(struct auth_client *auth, uint32_t id);
/* Sets this provider's data for the client. */
extern void set_provider_data(struct auth_client *auth, uint32_t id,
			      void *data);
/* Clears the provider's timeout for the client. */
extern void set_provider_timeout_absolute(struct auth_client *auth,
					  uint32_t id, long timeout);
/* Marks the provider done for the client; may accept the client. */
extern void provider_done(struct auth_client *auth, uint32_t id);
/* Sends a notice to the client with the given id. */
extern void notice_client(uint32_t cid, const char *fmt, ...);
/* Cancels a pending DNS query: its callback will not run. */
extern void cancel_query(void *query);
/* True when the DNS reply matches one of the blacklist's filters. */
extern bool blacklist_check_reply(struct blacklist_lookup *bllookup,
				  const char *ipaddr);
/* Tells ircd to reject the client (reads auth's id and names) and
 * cancels the client's other providers. */
extern void reject_client(struct auth_client *auth, uint32_t id,
			  const char *data, const char *fmt, ...);

static void auth_client_release(struct kref *kref)
{
	auth_client_free(container_of(kref, struct auth_client, ref));
}

static inline void auth_client_unref(struct auth_client *auth)
{
	kref_put(&auth->ref, auth_client_release);
}

static void blacklist_release(struct kref *kref)
{
	blacklist_free(container_of(kref, struct blacklist, ref));
}

static void unref_blacklist(struct blacklist *bl)
{
	kref_put(&bl->ref, blacklist_release);
}

static void bluser_unlink(struct blacklist_user *bluser,
			  struct blacklist_lookup *bllookup)
{
	struct blacklist_lookup **pp;

	for (pp = &bluser->queries; *pp; pp = &(*pp)->next) {
		if (*pp == bllookup) {
			*pp = bllookup->next;
			return;
		}
	}
}

/* Ends the blacklist checks for a client and drops this provider's
 * reference to it (taken by blacklists_start()). */
static void blacklists_generic_cancel(struct auth_client *auth,
				      const char *message)
{
	struct blacklist_user *bluser = get_provider_data(auth, SELF_PID);
	struct blacklist_lookup *bllookup, *next;

	if (bluser == NULL)
		return;

	if (bluser->queries)
		notice_client(auth->cid, "%s", message);

	for (bllookup = bluser->queries; bllookup; bllookup = next) {
		next = bllookup->next;
		cancel_query(bllookup->query);
		unref_blacklist(bllookup->bl);
		free(bllookup);
	}

	free(bluser);
	set_provider_data(auth, SELF_PID, NULL);
	set_provider_timeout_absolute(auth, SELF_PID, 0);
	provider_done(auth, SELF_PID);

	auth_client_unref(auth);
}

static void blacklists_cancel(struct auth_client *auth)
{
	blacklists_generic_cancel(auth, "*** Aborting DNS blacklist checks");
}

void blacklist_dns_callback(const char *result, bool status, void *data)
{
	struct blacklist_lookup *bllookup = data;
	struct blacklist_user *bluser;
	struct blacklist *bl = bllookup->bl;
	struct auth_client *auth = bllookup->auth;

	if ((bluser = get_provider_data(auth, SELF_PID)) == NULL)
		return;

	if (result != NULL && status && blacklist_check_reply(bllookup, result)) {
		/* Match found, so proceed no further */
		bl->hits++;
		blacklists_cancel(auth); /* expect: rule 2 */
		reject_client(auth, SELF_PID, bl->host, "%s", bl->reason);
		return;
	}

	unref_blacklist(bl);
	cancel_query(bllookup->query);	/* Ignore future responses */
	bluser_unlink(bluser, bllookup);
	free(bllookup);

	if (bluser->queries == NULL) {
		/* Done here */
		notice_client(auth->cid, "*** IP not found in DNS blacklists");
		free(bluser);
		set_provider_data(auth, SELF_PID, NULL);
		set_provider_timeout_absolute(auth, SELF_PID, 0);
		provider_done(auth, SELF_PID);

		auth_client_unref(auth);
	}
}
