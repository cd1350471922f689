/* SPDX-License-Identifier: MIT */
/*
 * Project: curl/curl
 * Path:    lib/dnscache.c
 * Fix:     1bf663e32f054d40dbe5e30947f893735a230e47
 * Bug:     Curl_dnscache_add_negative() inserts a negative entry into a DNS
 *          cache that may be shared between threads and then drops the
 *          reference dnscache_add_addr() returned, both without the share
 *          lock that Curl_dnscache_get() holds to find entries and count them.
 */
#include <kref.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

struct Curl_dns_entry {
  struct kref refcount;		/* the cache holds the first reference */
  char hostname[256];
  unsigned short port;
  bool negative;
  long timestamp;
  struct Curl_dns_entry *next;	/* dnscache->entries (the hash) */
};

struct Curl_dnscache {
  pthread_mutex_t lock;		/* CURL_LOCK_DATA_DNS of the share */
  struct Curl_dns_entry *entries;
};

struct Curl_easy;

/* the share's DNS cache, or the multi handle's */
extern struct Curl_dnscache *dnscache_get(struct Curl_easy *data);
/* frees the address list of an entry */
extern void Curl_freeaddrinfo_of(struct Curl_dns_entry *dns);

static void dnscache_lock(struct Curl_dnscache *dnscache)
{
  pthread_mutex_lock(&dnscache->lock);
}

static void dnscache_unlock(struct Curl_dnscache *dnscache)
{
  pthread_mutex_unlock(&dnscache->lock);
}

static void dnscache_entry_free(struct kref *kref)
{
  struct Curl_dns_entry *dns = container_of(kref, struct Curl_dns_entry,
                                            refcount);
  Curl_freeaddrinfo_of(dns);
  free(dns);
}

/* dnscache locked: look the host up, returns a borrowed pointer */
static struct Curl_dns_entry *fetch_addr(struct Curl_dnscache *dnscache,
                                         const char *hostname,
                                         unsigned short port)
{
  struct Curl_dns_entry *dns;

  for(dns = dnscache->entries; dns; dns = dns->next)
    if(dns->port == port && !strcmp(dns->hostname, hostname))
      return dns;
  return NULL;
}

struct Curl_dns_entry *Curl_dnscache_get(struct Curl_easy *data,
                                         const char *hostname,
                                         unsigned short port)
{
  struct Curl_dnscache *dnscache = dnscache_get(data);
  struct Curl_dns_entry *dns;

  dnscache_lock(dnscache);
  dns = fetch_addr(dnscache, hostname, port);
  if(dns)
    kref_get(&dns->refcount); /* we pass out a reference */
  dnscache_unlock(dnscache);
  return dns;
}

void Curl_dns_entry_unlink(struct Curl_easy *data,
                           struct Curl_dns_entry **pdns)
{
  if(*pdns) {
    struct Curl_dnscache *dnscache = dnscache_get(data);
    struct Curl_dns_entry *dns = *pdns;

    *pdns = NULL;
    dnscache_lock(dnscache);
    kref_put(&dns->refcount, dnscache_entry_free);
    dnscache_unlock(dnscache);
  }
}

/* drop the entries older than 'oldest'; the hash's reference goes with them */
void Curl_dnscache_prune(struct Curl_easy *data, long oldest)
{
  struct Curl_dnscache *dnscache = dnscache_get(data);
  struct Curl_dns_entry **pp, *dns;

  dnscache_lock(dnscache);
  pp = &dnscache->entries;
  while((dns = *pp) != NULL) {
    if(dns->timestamp < oldest) {
      *pp = dns->next;
      kref_put(&dns->refcount, dnscache_entry_free);
    }
    else
      pp = &dns->next;
  }
  dnscache_unlock(dnscache);
}

/* returns the new entry with a reference for the caller */
static struct Curl_dns_entry *
dnscache_add_addr(struct Curl_dnscache *dnscache, const char *hostname,
                  unsigned short port, long now)
{
  struct Curl_dns_entry *dns = calloc(1, sizeof(*dns));

  if(!dns)
    return NULL;
  kref_init(&dns->refcount);
  strncpy(dns->hostname, hostname, sizeof(dns->hostname) - 1);
  dns->port = port;
  dns->negative = true;
  dns->timestamp = now;
  dns->next = dnscache->entries;
  dnscache->entries = dns;
  kref_get(&dns->refcount);       /* mark entry as in-use */
  return dns;
}

int Curl_dnscache_add_negative(struct Curl_easy *data, const char *host,
                               unsigned short port, long now)
{
  struct Curl_dnscache *dnscache = dnscache_get(data);
  struct Curl_dns_entry *dns;

  if(!dnscache)
    return -1;

  dns = dnscache_add_addr(dnscache, host, port, now);
  if(dns) {
    /* release the returned reference; the cache itself will keep the
     * entry alive: */
    kref_put(&dns->refcount, dnscache_entry_free); /* expect: rule 3 */
    return 0;
  }
  return -1;
}
