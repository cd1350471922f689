/* SPDX-License-Identifier: MIT */
/*
 * Source: HAProxy, commit bed842390fce445c1eeabb7e7101fb5d5a7a3b36
 * ("BUG/MINOR: proxy: use proxy_drop() in parse_new_proxy() error path"),
 * src/proxy.c, parse_new_proxy().  When copying the defaults section into
 * the new proxy fails, the proxy (named, linked on the global list and
 * counted by alloc_new_proxy()) is disposed of on the error path.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <kref.h>
#include <linux/list.h>

#define PR_CAP_DEF	0x0001
#define PR_CAP_INT	0x0080

#define ha_free(x) do {			\
		free(*(x));		\
		*(x) = NULL;		\
	} while (0)

struct proxy {
	struct kref refcount;
	unsigned int cap;
	char *id;
	struct list_head global_list;
	struct {
		const char *file;
		int line;
	} conf;
};

static LIST_HEAD(proxies);

/* Inserts the proxy into the proxy_by_name tree (keeps the pointer, takes
 * no reference). */
extern void proxy_store_name(struct proxy *px);
/* Removes the proxy from the proxy_by_name tree. */
extern void proxy_remove_name(struct proxy *px);
/* Copies the settings of defaults section <defproxy> into <curproxy>,
 * allocating strings and other members; returns non-zero on error with
 * *errmsg set. */
extern int proxy_defproxy_cpy(struct proxy *curproxy, const struct proxy *defproxy,
			      char **errmsg);
/* Releases the members proxy_defproxy_cpy() and setup_new_proxy() allocated. */
extern void free_proxy_members(struct proxy *p);
/* Returns a string owned by the file-name cache. */
extern const char *copy_file_name(const char *file);
extern void ha_alert(const char *fmt, ...);

void deinit_proxy(struct proxy *p)
{
	if (p->id && p->id[0] != '\0' && !(p->cap & PR_CAP_INT))
		proxy_remove_name(p);
	if (!(p->cap & PR_CAP_DEF))
		list_del(&p->global_list);
	free_proxy_members(p);
	ha_free(&p->id);
}

static void proxy_release(struct kref *ref)
{
	struct proxy *p = container_of(ref, struct proxy, refcount);

	deinit_proxy(p);
	ha_free(&p);
}

/* Decrement <p> refcount and free it if null. */
void proxy_drop(struct proxy *p)
{
	if (!p)
		return;

	kref_put(&p->refcount, proxy_release);
}

/* Increment <px> refcount. */
void proxy_take(struct proxy *px)
{
	kref_get(&px->refcount);
}

int setup_new_proxy(struct proxy *px, const char *name, unsigned int cap, char **errmsg)
{
	INIT_LIST_HEAD(&px->global_list);

	if (name) {
		px->id = strdup(name);
		if (!px->id) {
			*errmsg = strdup("out of memory");
			return 0;
		}
	}

	px->cap = cap;

	/* Internal proxies or with empty name are not stored in the named tree. */
	if (name && name[0] != '\0' && !(cap & PR_CAP_INT))
		proxy_store_name(px);

	if (!(cap & PR_CAP_DEF))
		list_add_tail(&px->global_list, &proxies);

	return 1;
}

/* Allocates a new proxy <name> of type <cap>.
 * Returns the proxy instance on success. On error, NULL is returned.
 */
struct proxy *alloc_new_proxy(const char *name, unsigned int cap, char **errmsg)
{
	struct proxy *curproxy;

	if ((curproxy = calloc(1, sizeof(*curproxy))) == NULL) {
		*errmsg = strdup("out of memory");
		goto fail;
	}

	if (!setup_new_proxy(curproxy, name, cap, errmsg))
		goto fail;

	kref_init(&curproxy->refcount);

	return curproxy;

 fail:
	free(curproxy);
	return NULL;
}

struct proxy *parse_new_proxy(const char *name, unsigned int cap,
			      const char *file, int linenum,
			      const struct proxy *defproxy)
{
	struct proxy *curproxy = NULL;
	char *errmsg = NULL;

	if (!(curproxy = alloc_new_proxy(name, cap, &errmsg))) {
		ha_alert("parsing [%s:%d] : %s\n", file, linenum, errmsg);
		free(errmsg);
		return NULL;
	}

	if (defproxy) {
		if (proxy_defproxy_cpy(curproxy, defproxy, &errmsg)) {
			ha_alert("parsing [%s:%d] : %s\n", file, linenum, errmsg);
			free(errmsg);

			ha_free(&curproxy); /* expect: rule 2 */
			return NULL;
		}
	}

	curproxy->conf.file = copy_file_name(file);
	curproxy->conf.line = linenum;

	return curproxy;
}
