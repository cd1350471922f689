/* SPDX-License-Identifier: MIT */
/*
 * Project:    strongswan/strongswan
 * Path:       src/libcharon/sa/ikev1/tasks/quick_mode.c
 * Fix commit: d02aea9c2cef7c9509fe61f674d3b468e5c7a12f
 * Bug:        check_for_rekeyed_child() adopts the reqid of the CHILD_SA
 *             being rekeyed into this->child.reqid with get_reqid(), which
 *             takes no reference, although the task holds a reference on
 *             this->child.reqid and releases it in destroy().
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <kref.h>

/* a reqid allocated in the kernel interface, counted by its users */
struct reqid_entry {
	struct kref refs;
	uint32_t reqid;
};

typedef enum { CHILD_CREATED, CHILD_INSTALLED, CHILD_REKEYING } child_sa_state_t;

typedef struct child_sa_t child_sa_t;
struct child_sa_t {
	struct reqid_entry *(*get_reqid)(child_sa_t *this);
	struct reqid_entry *(*get_reqid_ref)(child_sa_t *this);
	struct reqid_entry *reqid;	/* the CHILD_SA's own reference */
	child_sa_state_t state;
	uint32_t spi_in;
};

struct child_data {
	struct reqid_entry *reqid;	/* reference owned by the task */
	uint32_t mark_in, mark_out;
};

typedef struct {
	struct child_data child;
	uint32_t rekey;
	const char *name;
} private_quick_mode_t;

/* next CHILD_SA of the IKE_SA, borrowed; NULL at the end */
extern child_sa_t *ike_sa_next_child_sa(void *enumerator);
/* whether the CHILD_SA has this config name, traffic selectors and proposal */
extern bool child_sa_matches(child_sa_t *child_sa, private_quick_mode_t *this);
/* frees the kernel state of a reqid */
extern void reqid_entry_free(struct reqid_entry *entry);

static void reqid_release(struct kref *ref)
{
	reqid_entry_free(container_of(ref, struct reqid_entry, refs));
}

/* charon->kernel->ref_reqid() / release_reqid() */
void kernel_ref_reqid(struct reqid_entry *entry)
{
	kref_get(&entry->refs);
}

void kernel_release_reqid(struct reqid_entry *entry)
{
	kref_put(&entry->refs, reqid_release);
}

static struct reqid_entry *get_reqid(child_sa_t *this)
{
	return this->reqid;
}

static struct reqid_entry *get_reqid_ref(child_sa_t *this)
{
	if (this->reqid) {
		kernel_ref_reqid(this->reqid);
		return this->reqid;
	}
	return NULL;
}

void child_sa_init_methods(child_sa_t *child_sa)
{
	child_sa->get_reqid = get_reqid;
	child_sa->get_reqid_ref = get_reqid_ref;
}

void check_for_rekeyed_child(private_quick_mode_t *this, void *enumerator)
{
	child_sa_t *child_sa;

	while (!this->child.reqid && (child_sa = ike_sa_next_child_sa(enumerator))) {
		switch (child_sa->state) {
		case CHILD_INSTALLED:
		case CHILD_REKEYING:
			if (child_sa_matches(child_sa, this)) {
				this->rekey = child_sa->spi_in;
				this->child.reqid = child_sa->get_reqid_ref(child_sa);
				child_sa->state = CHILD_REKEYING;
			}
			break;
		default:
			break;
		}
	}
}

void use_reqid(private_quick_mode_t *this, struct reqid_entry *reqid)
{
	struct reqid_entry *existing_reqid = this->child.reqid;

	if (reqid)
		kernel_ref_reqid(reqid);
	this->child.reqid = reqid;
	if (existing_reqid)
		kernel_release_reqid(existing_reqid);
}

void destroy(private_quick_mode_t *this)
{
	if (this->child.reqid)
		kernel_release_reqid(this->child.reqid);
	free(this);
}
