/* SPDX-License-Identifier: MIT */
/*
 * Project: libgit2/pygit2
 * Path: src/refdb_backend.c
 * Fix commit: eb512d2c88cd82164f6e6f8b4fcfd6e4e980eb1f
 * Bug: pygit2_refdb_backend_write() hands its references to ref, who and
 * old over to the argument tuple (Py_BuildValue's "N"), then puts them
 * again in the shared cleanup block: a double put.
 *
 * Python objects are counted here with a struct kref: Py_DECREF is
 * kref_put (Py_XDECREF: a put when the pointer is not NULL).
 */
#include <stdlib.h>
#include <kref.h>

#define GIT_EUSER (-7)

typedef struct PyObject {
	struct kref ob_refcnt;
} PyObject;

typedef struct git_refdb_backend {
	int version;
} git_refdb_backend;

typedef struct git_reference git_reference;
typedef struct git_signature git_signature;
typedef struct git_oid git_oid;

struct pygit2_refdb_backend {
	git_refdb_backend backend;
	PyObject *write;
};

/* Frees the object when its last reference goes. */
void pyobject_dealloc(struct kref *kref)
{
	free(container_of(kref, PyObject, ob_refcnt));
}

/* Each returns a new reference, or NULL. */
extern PyObject *wrap_reference(git_reference *c_reference);
extern PyObject *build_signature(const git_signature *signature,
				 const char *encoding);
extern PyObject *git_oid_to_python(const git_oid *oid);
/* Py_BuildValue("(NNNsNs)", ...): takes over the caller's references to
 * ref, who and old, even when it fails; returns a new reference to the
 * tuple, or NULL. */
extern PyObject *build_write_args(PyObject *ref, int force, PyObject *who,
				  const char *message, PyObject *old,
				  const char *old_target);
/* Calls the Python write method with args (borrowed). */
extern void call_object(PyObject *callable, PyObject *args);
/* Turns a pending Python exception into a libgit2 error code. */
extern int git_error_for_exc(void);

int pygit2_refdb_backend_write(git_refdb_backend *_be,
			       const git_reference *_ref, int force,
			       const git_signature *_who, const char *message,
			       const git_oid *_old, const char *old_target)
{
	struct pygit2_refdb_backend *be = (struct pygit2_refdb_backend *)_be;

	/* XXX: Drops const */
	PyObject *ref = wrap_reference((git_reference *)_ref);
	if (ref == NULL)
		return GIT_EUSER;

	PyObject *who = build_signature(_who, "utf-8");
	if (who == NULL) {
		kref_put(&ref->ob_refcnt, pyobject_dealloc);
		return GIT_EUSER;
	}

	PyObject *old = git_oid_to_python(_old);
	if (old == NULL) {
		kref_put(&ref->ob_refcnt, pyobject_dealloc);
		kref_put(&who->ob_refcnt, pyobject_dealloc);
		return GIT_EUSER;
	}

	/* build_write_args takes over ref, who and old, even on failure:
	 * they must not be put past this point. */
	PyObject *args = build_write_args(ref, force, who, message, old,
					  old_target);
	if (args == NULL)
		return GIT_EUSER;

	call_object(be->write, args);
	int err = git_error_for_exc();
	kref_put(&args->ob_refcnt, pyobject_dealloc);
	return err;
}
