/* SPDX-License-Identifier: MIT */
/* Correct: Old value handed to a declared function documented "stores item
 * in the cache, which owns it", then field replaced. */
#include <stdlib.h>
#include <kref.h>

struct page { struct kref ref; int idx; };
struct reader { struct page *cur; void *cache; };

static void page_free(struct kref *ref) { free(container_of(ref, struct page, ref)); }
void page_put(struct page *p) { kref_put(&p->ref, page_free); }
/* Returns a new page (one reference). */
extern struct page *page_read(int idx);
/* Stores item in the cache, which owns it from then on. */
extern void cache_store(void *cache, struct page *item);

void reader_next(struct reader *r, int idx)
{
	cache_store(r->cache, r->cur);
	r->cur = page_read(idx);
}

void reader_fini(struct reader *r)
{
	page_put(r->cur);
}
