/* SPDX-License-Identifier: MIT */
/*
 * Project: 389ds/389-ds-base
 * Path: ldap/servers/slapd/attrsyntax.c
 * Fix: a23e607e3368f009e26f0e65e5ad8f34665da4f1
 * Bug: attr_syntax_get_plugin_by_name_with_default() looked the attribute
 * syntax up in the global name2asi table with ref_count false, so no
 * reference was taken under name2asi_lock and a concurrent
 * attr_syntax_delete() (schema reload) could free the asyntaxinfo while
 * the caller still read asi_plugin from it.
 */
#include <pthread.h>
#include <stddef.h>
#include <kref.h>

#define ATTR_WITH_DIRSTRING_SYNTAX	"description"

struct asyntaxinfo {
	struct kref	asi_refcnt;	/* one held by the tables while hashed */
	char		*asi_name;
	char		*asi_oid;
	void		*asi_plugin;
};

static pthread_rwlock_t name2asi_lock = PTHREAD_RWLOCK_INITIALIZER;
static void *name2asi;

/* looks a name up in the hash table; returns a borrowed pointer */
extern void *PL_HashTableLookup_const(void *table, const void *key);
/* removes a name from the hash table */
extern void PL_HashTableRemove(void *table, const void *key);
/* frees the asyntaxinfo and its strings */
extern void attr_syntax_free(struct asyntaxinfo *asi);

static void attr_syntax_release(struct kref *kref)
{
	attr_syntax_free(container_of(kref, struct asyntaxinfo, asi_refcnt));
}

struct asyntaxinfo *
attr_syntax_get_by_name_locking_optional(const char *name, int use_lock)
{
	struct asyntaxinfo *asi = NULL;

	if (name2asi) {
		if (use_lock)
			pthread_rwlock_rdlock(&name2asi_lock);
		asi = PL_HashTableLookup_const(name2asi, name);
		if (asi != NULL)
			kref_get(&asi->asi_refcnt);
		if (use_lock)
			pthread_rwlock_unlock(&name2asi_lock);
	}
	return asi;
}

struct asyntaxinfo *attr_syntax_get_by_name(const char *name)
{
	return attr_syntax_get_by_name_locking_optional(name, 1);
}

void attr_syntax_return(struct asyntaxinfo *asi)
{
	if (asi != NULL)
		kref_put(&asi->asi_refcnt, attr_syntax_release);
}

/* schema reload: take the syntax out of the table; drops the table's reference */
void attr_syntax_delete(struct asyntaxinfo *asi)
{
	pthread_rwlock_wrlock(&name2asi_lock);
	PL_HashTableRemove(name2asi, asi->asi_name);
	pthread_rwlock_unlock(&name2asi_lock);
	attr_syntax_return(asi);
}

/* check syntax */
void *attr_syntax_get_plugin_by_name_with_default(const char *type)
{
	struct asyntaxinfo *asi;
	void *plugin = NULL;

	/*
	 * first we look for this attribute type explictly
	 */
	if ((asi = attr_syntax_get_by_name(type)) == NULL) {
		/*
		 * no syntax for this type... return DirectoryString
		 * syntax.  we accomplish this by looking up a well known
		 * attribute type that has that syntax.
		 */
		asi = attr_syntax_get_by_name(ATTR_WITH_DIRSTRING_SYNTAX);
	}
	if (asi != NULL) {
		plugin = asi->asi_plugin;
		attr_syntax_return(asi);
	}
	return plugin;
}
