/* SPDX-License-Identifier: MIT */
/*
 * Project: isc-projects/bind9
 * Path:    lib/dns/adb.c
 * Fix:     da7c44898875ca699552c2aa20498a767d7c81f8
 * Bug:     clean_namehooks() expires an ADB entry (unlinks it from the
 *          adb->entries table and drops the table's reference) without
 *          adb->entries_lock, the lock under which
 *          get_attached_and_locked_entry() finds entries and references them.
 */
#include <kref.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

typedef unsigned int isc_stdtime_t;
typedef struct dns_adb dns_adb_t;

typedef struct dns_adbentry {
	struct kref references;
	pthread_mutex_t lock;
	dns_adb_t *adb;
	char sockaddr[32];
	int nhs;			/* namehooks pointing at this entry */
	isc_stdtime_t expires;
	bool dead;
	struct dns_adbentry *next;	/* adb->entries (the hashmap) */
} dns_adbentry_t;

typedef struct dns_adbnamehook {
	dns_adbentry_t *entry;
	struct dns_adbnamehook *next;
} dns_adbnamehook_t;

struct dns_adb {
	pthread_mutex_t entries_lock;
	dns_adbentry_t *entries;
};

/* allocates an entry with one reference (the table's) and links it */
extern dns_adbentry_t *new_adbentry(dns_adb_t *adb, const char *addr);
/* frees a namehook */
extern void free_adbnamehook(dns_adb_t *adb, dns_adbnamehook_t **namehookp);

static void destroy_adbentry(struct kref *kref)
{
	dns_adbentry_t *entry = container_of(kref, dns_adbentry_t, references);

	pthread_mutex_destroy(&entry->lock);
	free(entry);
}

void dns_adbentry_ref(dns_adbentry_t *entry)
{
	kref_get(&entry->references);
}

void dns_adbentry_detach(dns_adbentry_t **entryp)
{
	dns_adbentry_t *entry = *entryp;

	*entryp = NULL;
	kref_put(&entry->references, destroy_adbentry);
}

/* unlink from adb->entries and drop the table's reference */
static void expire_entry(dns_adbentry_t *adbentry)
{
	dns_adb_t *adb = adbentry->adb;
	dns_adbentry_t **pp;

	adbentry->dead = true;
	for (pp = &adb->entries; *pp != NULL; pp = &(*pp)->next) {
		if (*pp == adbentry) {
			*pp = adbentry->next;
			break;
		}
	}
	dns_adbentry_detach(&adbentry);
}

static bool maybe_expire_entry(dns_adbentry_t *adbentry, isc_stdtime_t now)
{
	if (adbentry->nhs != 0)
		return false;
	if (adbentry->expires == 0 || adbentry->expires > now)
		return false;
	expire_entry(adbentry);
	return true;
}

dns_adbentry_t *get_attached_and_locked_entry(dns_adb_t *adb,
					      isc_stdtime_t now,
					      const char *addr)
{
	dns_adbentry_t *adbentry;

	pthread_mutex_lock(&adb->entries_lock);
	for (adbentry = adb->entries; adbentry != NULL;
	     adbentry = adbentry->next)
		if (strcmp(adbentry->sockaddr, addr) == 0)
			break;
	if (adbentry != NULL) {
		dns_adbentry_ref(adbentry);
		pthread_mutex_lock(&adbentry->lock);
		if (maybe_expire_entry(adbentry, now)) {
			pthread_mutex_unlock(&adbentry->lock);
			dns_adbentry_detach(&adbentry);
		}
	}
	if (adbentry == NULL) {
		adbentry = new_adbentry(adb, addr);
		dns_adbentry_ref(adbentry);
		pthread_mutex_lock(&adbentry->lock);
	}
	pthread_mutex_unlock(&adb->entries_lock);
	return adbentry;	/* locked, with a reference for the caller */
}

/* the name owning the namehooks list is locked */
void clean_namehooks(dns_adb_t *adb, dns_adbnamehook_t **namehooks)
{
	dns_adbnamehook_t *namehook;

	while ((namehook = *namehooks) != NULL) {
		dns_adbentry_t *adbentry = namehook->entry;

		namehook->entry = NULL;
		*namehooks = namehook->next;

		pthread_mutex_lock(&adbentry->lock);
		adbentry->nhs--;
		pthread_mutex_unlock(&adbentry->lock);
		dns_adbentry_detach(&adbentry);	/* the namehook's reference */

		free_adbnamehook(adb, &namehook);
	}
}
