/* SPDX-License-Identifier: MIT */
/*
 * Project: ostreedev/ostree
 * Path:    src/libostree/ostree-sysroot-upgrader.c
 * Fix:     1b8759a67e7705b2dba4b6c4d99e0c7b0b82da41
 * Bug:     the upgrader keeps the merge deployment's origin key file in
 *          self->origin (and unrefs it in finalize) but stores the borrowed
 *          pointer from ostree_deployment_get_origin() without taking a
 *          reference of its own.
 */
#include <kref.h>
#include <stdbool.h>
#include <stdlib.h>

typedef struct _OstreeSysroot OstreeSysroot;
typedef struct _OstreeDeployment OstreeDeployment;

typedef struct _GKeyFile {
	struct kref ref;		/* g_key_file_ref / g_key_file_unref */
	char *data;
} GKeyFile;

typedef struct OstreeSysrootUpgrader {
	OstreeSysroot *sysroot;
	char *osname;
	OstreeDeployment *merge_deployment;
	GKeyFile *origin;
	char *origin_remote;
	char *origin_ref;
} OstreeSysrootUpgrader;

/* returns a new reference to the merge deployment of osname, or NULL */
extern OstreeDeployment *ostree_sysroot_get_merge_deployment(OstreeSysroot *sysroot,
							     const char *osname);
/* returns a borrowed pointer to the deployment's origin (transfer none) */
extern GKeyFile *ostree_deployment_get_origin(OstreeDeployment *deployment);
extern void g_object_unref(void *object);
/* parses origin/refspec of self->origin into origin_remote and origin_ref */
extern bool parse_refspec(OstreeSysrootUpgrader *self);

static void g_key_file_free_cb(struct kref *ref)
{
	GKeyFile *key_file = container_of(ref, GKeyFile, ref);

	free(key_file->data);
	free(key_file);
}

void g_key_file_unref(GKeyFile *key_file)
{
	kref_put(&key_file->ref, g_key_file_free_cb);
}

bool ostree_sysroot_upgrader_initable_init(OstreeSysrootUpgrader *self)
{
	self->merge_deployment = ostree_sysroot_get_merge_deployment(self->sysroot,
								     self->osname);
	if (self->merge_deployment == NULL)
		return false;

	self->origin = ostree_deployment_get_origin(self->merge_deployment); /* expect: rule 1 */
	if (!self->origin)
		return false;

	if (!parse_refspec(self))
		return false;

	return true;
}

void ostree_sysroot_upgrader_finalize(OstreeSysrootUpgrader *self)
{
	if (self->merge_deployment)
		g_object_unref(self->merge_deployment);
	if (self->origin)
		g_key_file_unref(self->origin);
	free(self->osname);
	free(self->origin_remote);
	free(self->origin_ref);
	free(self);
}
