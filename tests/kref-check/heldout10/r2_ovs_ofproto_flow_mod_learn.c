/* SPDX-License-Identifier: MIT */
/*
 * Project: openvswitch/ovs
 * Path: ofproto/ofproto.c
 * Fix commit: 05b1dd234aeee05bb702d682f0ffc59739a4ec9a
 * Bug: when the learn limit is reached, ofproto_flow_mod_learn() calls
 * ofproto_flow_mod_uninit(), which puts ofm->temp_rule (also held in the
 * local 'rule'), and then reads rule->flow_cookie for the log message.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <pthread.h>
#include <kref.h>

enum rule_state { RULE_INITIALIZED, RULE_INSERTED, RULE_REMOVED };

struct ofproto {
	unsigned long long tables_version;
};

struct rule {
	struct kref ref_count;
	struct ofproto *ofproto;
	enum rule_state state;
	uint8_t table_id;
	uint64_t flow_cookie;
};

struct ofproto_flow_mod {
	struct rule *temp_rule;		/* counted reference, or NULL */
	unsigned long long version;
	void *conjs;
	size_t n_conjs;
};

static pthread_mutex_t ofproto_mutex = PTHREAD_MUTEX_INITIALIZER;

/* tears down the rule's actions and match; frees it */
extern void rule_destroy_cb(struct rule *rule);
/* re-inserts or refreshes ofm->temp_rule; 0 on success */
extern int ofproto_flow_mod_learn_refresh(struct ofproto_flow_mod *ofm);
/* counts the rules of @table_id with @cookie */
extern unsigned int count_rules_with_cookie(struct ofproto *ofproto,
					    uint8_t table_id, uint64_t cookie);
/* starts inserting ofm->temp_rule into the classifier; 0 on success */
extern int ofproto_flow_mod_learn_start(struct ofproto_flow_mod *ofm);
/* finishes the insertion started above */
extern void ofproto_flow_mod_learn_finish(struct ofproto_flow_mod *ofm);
/* rate-limited info log */
extern void vlog_info_rl(const char *fmt, unsigned long long cookie);

static void rule_release(struct kref *ref)
{
	rule_destroy_cb(container_of(ref, struct rule, ref_count));
}

void ofproto_rule_unref(struct rule *rule)
{
	if (rule)
		kref_put(&rule->ref_count, rule_release);
}

/* Free resources that may be allocated by ofproto_flow_mod_init(). */
void ofproto_flow_mod_uninit(struct ofproto_flow_mod *ofm)
{
	if (ofm->temp_rule) {
		ofproto_rule_unref(ofm->temp_rule);
		ofm->temp_rule = NULL;
	}
	if (ofm->conjs) {
		free(ofm->conjs);
		ofm->conjs = NULL;
		ofm->n_conjs = 0;
	}
}

int ofproto_flow_mod_learn(struct ofproto_flow_mod *ofm, bool keep_ref,
			   unsigned int limit, bool *below_limitp)
{
	int error = ofproto_flow_mod_learn_refresh(ofm);
	struct rule *rule = ofm->temp_rule;
	bool below_limit = true;

	/* Do we need to insert the rule? */
	if (!error && rule->state == RULE_INITIALIZED) {
		pthread_mutex_lock(&ofproto_mutex);

		if (limit &&
		    count_rules_with_cookie(rule->ofproto, rule->table_id,
					    rule->flow_cookie) >= limit)
			below_limit = false;

		if (below_limit) {
			ofm->version = rule->ofproto->tables_version + 1;
			error = ofproto_flow_mod_learn_start(ofm);
			if (!error)
				ofproto_flow_mod_learn_finish(ofm);
		} else {
			ofproto_flow_mod_uninit(ofm);
		}
		pthread_mutex_unlock(&ofproto_mutex);

		if (!below_limit)
			vlog_info_rl("Learn limit for flow %llu reached.",
				     (unsigned long long)rule->flow_cookie); /* expect: rule 2 */
	}

	if (!keep_ref && below_limit) {
		ofproto_rule_unref(rule);
		ofm->temp_rule = NULL;
	}
	if (below_limitp)
		*below_limitp = below_limit;
	return error;
}
