/* SPDX-License-Identifier: MIT */
/*
 * Project: eclipse-cyclonedds/cyclonedds
 * Path: src/core/ddsi/src/q_entity.c
 * Fix commit: 26b7004fe656fc42e6f820c8a2721fb3c8dad77b
 * Bug: new_proxy_topic() looks the topic definition up under
 * topic_defs_lock but takes its reference later under the proxy
 * participant's lock, so a local topic deleted in between can drop the
 * last reference and free the definition the proxy topic then keeps.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <kref.h>

#define ddsrt_mutex_lock(m)	pthread_mutex_lock(m)
#define ddsrt_mutex_unlock(m)	pthread_mutex_unlock(m)

typedef int64_t seqno_t;
typedef struct { int64_t v; } ddsrt_wctime_t;
typedef struct { unsigned char hash[16]; } type_identifier_t;
typedef struct { uint32_t u; } ddsi_entityid_t;
typedef struct { ddsi_entityid_t entityid; } ddsi_guid_t;

struct dds_qos;
struct ddsi_sertype;
struct ddsrt_hh;

struct ddsi_domaingv {
	pthread_mutex_t topic_defs_lock;
	struct ddsrt_hh *topic_defs;		/* no reference of its own */
};

struct ddsi_topic_definition {
	struct kref refc;
	type_identifier_t type_id;
	struct dds_qos *xqos;
	struct ddsi_domaingv *gv;
};

struct proxy_topic {
	ddsi_entityid_t entityid;
	struct ddsi_topic_definition *definition;	/* counted */
	seqno_t seq;
	ddsrt_wctime_t tupdate;
	int deleted;
	struct proxy_topic *next;
};

struct proxy_participant {
	struct {
		pthread_mutex_t lock;
		struct ddsi_domaingv *gv;
	} e;
	struct proxy_topic *topics;
};

struct topic {
	struct ddsi_topic_definition *definition;	/* counted */
	struct ddsi_domaingv *gv;
};

/* hash-table primitives; lookup returns the stored element or NULL,
 * borrowed, and all need topic_defs_lock */
extern void *ddsrt_hh_lookup(const struct ddsrt_hh *hh, const void *template);
extern int ddsrt_hh_add(struct ddsrt_hh *hh, void *data);
extern int ddsrt_hh_remove(struct ddsrt_hh *hh, const void *template);
/* computes the definition's hash key from its QoS and type id */
extern void set_topic_definition_hash(struct ddsi_topic_definition *tpd);
/* duplicates / finalises a QoS */
extern struct dds_qos *ddsi_xqos_dup(const struct dds_qos *qos);
/* frees the definition after a grace period (garbage-collector request) */
extern void gcreq_topic_definition(struct ddsi_topic_definition *tpd, ddsrt_wctime_t timestamp);
/* publishes the definition on the built-in topic reader */
extern void builtintopic_write_topic(struct ddsi_topic_definition *tpd, ddsrt_wctime_t timestamp, bool alive);
/* the wall clock */
extern ddsrt_wctime_t ddsrt_time_wallclock(void);

static struct ddsi_topic_definition *new_topic_definition(struct ddsi_domaingv *gv,
							   const struct ddsi_sertype *type,
							   const struct dds_qos *qos,
							   const type_identifier_t *type_id)
{
	struct ddsi_topic_definition *tpd = malloc(sizeof(*tpd));

	(void)type;
	if (tpd == NULL)
		abort();
	tpd->xqos = ddsi_xqos_dup(qos);
	kref_init(&tpd->refc);
	tpd->gv = gv;
	memcpy(&tpd->type_id, type_id, sizeof(tpd->type_id));
	set_topic_definition_hash(tpd);
	(void)ddsrt_hh_add(gv->topic_defs, tpd);
	return tpd;
}

/* with topic_defs_lock held; a new definition comes with its first
 * reference, an existing one is returned without a reference */
static struct ddsi_topic_definition *lookup_topic_definition_locked(struct ddsi_domaingv *gv,
								     struct dds_qos *qos,
								     const type_identifier_t *type_id,
								     const struct ddsi_sertype *type,
								     bool *is_new)
{
	struct ddsi_topic_definition templ;
	struct ddsi_topic_definition *tpd;
	bool new = false;

	memset(&templ, 0, sizeof(templ));
	templ.xqos = qos;
	memcpy(&templ.type_id, type_id, sizeof(templ.type_id));
	templ.gv = gv;
	set_topic_definition_hash(&templ);
	tpd = ddsrt_hh_lookup(gv->topic_defs, &templ);
	if (tpd == NULL) {
		tpd = new_topic_definition(gv, type, qos, type_id);
		new = true;
	}
	if (is_new != NULL)
		*is_new = new;
	return tpd;
}

static struct ddsi_topic_definition *lookup_topic_definition(struct ddsi_domaingv *gv,
							      struct dds_qos *qos,
							      const type_identifier_t *type_id,
							      const struct ddsi_sertype *type,
							      bool *is_new)
{
	struct ddsi_topic_definition *tpd;

	ddsrt_mutex_lock(&gv->topic_defs_lock);
	tpd = lookup_topic_definition_locked(gv, qos, type_id, type, is_new);
	ddsrt_mutex_unlock(&gv->topic_defs_lock);
	return tpd;
}

static struct ddsi_topic_definition *ref_topic_definition_locked(struct ddsi_domaingv *gv,
								  const struct ddsi_sertype *type,
								  const type_identifier_t *type_id,
								  struct dds_qos *qos, bool *is_new)
{
	struct ddsi_topic_definition *tpd = lookup_topic_definition_locked(gv, qos, type_id, type, is_new);

	if (!*is_new)
		kref_get(&tpd->refc);
	return tpd;
}

static struct ddsi_topic_definition *ref_topic_definition(struct ddsi_domaingv *gv,
							   const struct ddsi_sertype *type,
							   const type_identifier_t *type_id,
							   struct dds_qos *qos, bool *is_new)
{
	struct ddsi_topic_definition *tpd;

	ddsrt_mutex_lock(&gv->topic_defs_lock);
	tpd = ref_topic_definition_locked(gv, type, type_id, qos, is_new);
	ddsrt_mutex_unlock(&gv->topic_defs_lock);
	return tpd;
}

/* kref release, called with topic_defs_lock held */
static void delete_topic_definition_locked(struct kref *refc)
{
	struct ddsi_topic_definition *tpd = container_of(refc, struct ddsi_topic_definition, refc);

	(void)ddsrt_hh_remove(tpd->gv->topic_defs, tpd);
	gcreq_topic_definition(tpd, ddsrt_time_wallclock());
}

static void unref_topic_definition(struct ddsi_domaingv *gv, struct ddsi_topic_definition *tpd)
{
	ddsrt_mutex_lock(&gv->topic_defs_lock);
	kref_put(&tpd->refc, delete_topic_definition_locked);
	ddsrt_mutex_unlock(&gv->topic_defs_lock);
}

/* local topics: creation and deletion */
void new_topic(struct topic *tp, struct ddsi_domaingv *gv, const struct ddsi_sertype *type,
	       const type_identifier_t *type_id, struct dds_qos *tp_qos, bool *new_topic_def)
{
	tp->gv = gv;
	tp->definition = ref_topic_definition(gv, type, type_id, tp_qos, new_topic_def);
}

void delete_topic(struct topic *tp)
{
	unref_topic_definition(tp->gv, tp->definition);
	tp->definition = NULL;
}

/* discovery thread: a remote participant announced a topic */
void new_proxy_topic(struct proxy_participant *proxypp, seqno_t seq, const ddsi_guid_t *guid,
		     const type_identifier_t *type_id, struct dds_qos *qos, ddsrt_wctime_t timestamp)
{
	struct ddsi_domaingv *gv = proxypp->e.gv;
	bool new_tpd = false;
	struct ddsi_topic_definition *tpd = lookup_topic_definition(gv, qos, type_id, NULL, &new_tpd);
	struct proxy_topic *proxytp = malloc(sizeof(*proxytp));

	if (proxytp == NULL)
		abort();
	proxytp->entityid = guid->entityid;
	proxytp->definition = tpd;
	proxytp->seq = seq;
	proxytp->tupdate = timestamp;
	proxytp->deleted = 0;
	ddsrt_mutex_lock(&proxypp->e.lock);
	proxytp->next = proxypp->topics;
	proxypp->topics = proxytp;
	if (!new_tpd)
		kref_get(&tpd->refc); /* expect: rule 3 */
	ddsrt_mutex_unlock(&proxypp->e.lock);
	if (new_tpd)
		builtintopic_write_topic(tpd, timestamp, true);
}
