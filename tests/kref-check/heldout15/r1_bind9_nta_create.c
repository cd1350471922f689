/* SPDX-License-Identifier: MIT */
/*
 * Project: isc-projects/bind9
 * Path:    lib/dns/nta.c
 * Fix:     26c895cc9281d5cc36447d4a2c5464ad31137f76
 * Bug: nta_create() stores the parent NTA table in each new NTA without
 * taking a reference, so an in-flight fetch's fetch_done() can dereference
 * nta->ntatable after view destruction has freed the table.
 */
#include <stdlib.h>
#include <kref.h>

struct dns_fetch;

typedef struct dns_ntatable {
	struct kref references;
	void *table;
} dns_ntatable_t;

typedef struct dns__nta {
	struct kref references;
	dns_ntatable_t *ntatable;
	struct dns_fetch *fetch;
	char *name;
} dns__nta_t;

/* cancels and frees an outstanding resolver fetch */
extern void dns_resolver_destroyfetch(struct dns_fetch **fetchp);
/* returns a newly allocated copy of name */
extern char *dns_name_dup(const char *name);
/* frees a name from dns_name_dup() */
extern void dns_name_free(char *name);

static void dns__ntatable_destroy(struct kref *ref)
{
	dns_ntatable_t *ntatable =
		container_of(ref, dns_ntatable_t, references);

	free(ntatable);
}

dns_ntatable_t *dns_ntatable_ref(dns_ntatable_t *ntatable)
{
	kref_get(&ntatable->references);
	return ntatable;
}

void dns_ntatable_detach(dns_ntatable_t **ntatablep)
{
	dns_ntatable_t *ntatable = *ntatablep;

	*ntatablep = NULL;
	kref_put(&ntatable->references, dns__ntatable_destroy);
}

static void dns__nta_destroy(struct kref *ref)
{
	dns__nta_t *nta = container_of(ref, dns__nta_t, references);

	if (nta->fetch != NULL)
		dns_resolver_destroyfetch(&nta->fetch);
	dns_name_free(nta->name);
	free(nta);
}

void dns__nta_detach(dns__nta_t **ntap)
{
	dns__nta_t *nta = *ntap;

	*ntap = NULL;
	kref_put(&nta->references, dns__nta_destroy);
}

int nta_create(dns_ntatable_t *ntatable, const char *name,
	       dns__nta_t **target)
{
	dns__nta_t *nta;

	nta = calloc(1, sizeof(*nta));
	if (nta == NULL)
		return -1;
	nta->ntatable = ntatable; /* expect: rule 1 */
	kref_init(&nta->references);
	nta->name = dns_name_dup(name);

	*target = nta;
	return 0;
}
