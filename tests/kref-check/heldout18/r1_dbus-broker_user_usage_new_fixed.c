/* SPDX-License-Identifier: MIT */
/*
 * Project: bus1/dbus-broker
 * Path:    src/util/user.c (and src/bus/peer.c)
 * Fix:     608b259e25ef1348b9e4a8e022c35b5c68d3df98
 *          ("util/user: keep reference to user in each usage table")
 * Bug: user_usage_new() stores the owning User in the new usage table
 * without a reference; a charge keeps the usage alive after the peer has
 * dropped the user, and the usage's release then unlinks itself from a
 * freed user.
 *
 * dbus-broker's n_refs (ref_inc/ref_dec of util/ref.h) are struct krefs.
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <sys/types.h>
#include <kref.h>

typedef struct CRBNode {
	struct CRBNode *left, *right, *parent;
} CRBNode;

typedef struct CRBTree {
	CRBNode *root;
} CRBTree;

typedef struct UserRegistry {
	size_t n_slots;
} UserRegistry;

typedef struct User {
	struct kref n_refs;
	UserRegistry *registry;
	unsigned int n_usages;
	CRBTree usage_tree;
} User;

typedef struct UserUsage {
	struct kref n_refs;
	User *user;
	uid_t uid;
	CRBNode user_node;
	unsigned int slots[];
} UserUsage;

typedef struct UserCharge {
	UserUsage *usage;
	size_t slot;
	unsigned int charge;
} UserCharge;

typedef struct Peer {
	User *user;
	UserCharge charges[3];
} Peer;

/* inserts node into tree at slot */
extern void c_rbtree_add(CRBTree *tree, CRBNode *parent, CRBNode **slot, CRBNode *node);
/* removes node from the tree it is linked in */
extern void c_rbnode_unlink(CRBNode *node);
/* releases a user (the user's usage tree is empty by then) */
extern void user_free(struct kref *n_refs);

static User *user_ref(User *user)
{
	if (user)
		kref_get(&user->n_refs);
	return user;
}

static User *user_unref(User *user)
{
	if (user)
		kref_put(&user->n_refs, user_free);
	return NULL;
}

void user_usage_link(UserUsage *usage, CRBNode *parent, CRBNode **slot)
{
	++usage->user->n_usages;
	c_rbtree_add(&usage->user->usage_tree, parent, slot, &usage->user_node);
}

static void user_usage_unlink(UserUsage *usage)
{
	c_rbnode_unlink(&usage->user_node);
	--usage->user->n_usages;
}

int user_usage_new(UserUsage **usagep, User *user, uid_t uid)
{
	UserUsage *usage;

	usage = calloc(1, sizeof(*usage) + user->registry->n_slots * sizeof(*usage->slots));
	if (!usage)
		return -ENOMEM;

	kref_init(&usage->n_refs);
	usage->user = user_ref(user);
	usage->uid = uid;

	*usagep = usage;
	return 0;
}

static void user_usage_free(struct kref *n_refs)
{
	UserUsage *usage = container_of(n_refs, UserUsage, n_refs);

	user_usage_unlink(usage);
	user_unref(usage->user);
	free(usage);
}

static UserUsage *user_usage_unref(UserUsage *usage)
{
	if (usage)
		kref_put(&usage->n_refs, user_usage_free);
	return NULL;
}

void user_charge_deinit(UserCharge *charge)
{
	if (charge->usage) {
		charge->usage->slots[charge->slot] -= charge->charge;
		charge->usage = user_usage_unref(charge->usage);
		charge->slot = 0;
		charge->charge = 0;
	}
}

Peer *peer_free(Peer *peer)
{
	if (!peer)
		return NULL;

	user_charge_deinit(&peer->charges[2]);
	user_charge_deinit(&peer->charges[1]);
	user_charge_deinit(&peer->charges[0]);
	peer->user = user_unref(peer->user);
	free(peer);
	return NULL;
}

Peer *peer_new(User *user)
{
	Peer *peer = calloc(1, sizeof(*peer));

	if (!peer)
		return NULL;
	peer->user = user_ref(user);
	return peer;
}
