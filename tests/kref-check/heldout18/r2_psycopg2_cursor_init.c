/* SPDX-License-Identifier: MIT */
/*
 * Project: psycopg/psycopg2
 * Path: psycopg/cursor_type.c
 * Fix commit: ca98167ae4ef47957f12e12befce89c0bc12f812
 * Bug: cursor_init() drops the only reference to the bytes object that
 * psycopg_ensure_bytes() returned and then reads the name out of it.
 *
 * Python objects are counted here with a struct kref: Py_INCREF is
 * kref_get, Py_DECREF is kref_put.
 */
#include <stddef.h>
#include <stdlib.h>
#include <kref.h>

typedef struct PyObject {
	struct kref ob_refcnt;
	int is_none;
	char *buf;
} PyObject;

typedef struct cursorObject cursorObject;
typedef struct connectionObject connectionObject;

/* Frees the object when its last reference goes. */
static void pyobject_dealloc(struct kref *kref)
{
	PyObject *o = container_of(kref, PyObject, ob_refcnt);

	free(o->buf);
	free(o);
}

/* Parses (conn, name=None); conn and name are borrowed from args. */
extern int parse_cursor_args(PyObject *args, PyObject *kwargs,
			     PyObject **conn, PyObject **name);
/* Steals the caller's reference to obj; returns a new reference to a
 * bytes object (obj itself if it already was bytes), or NULL. */
extern PyObject *psycopg_ensure_bytes(PyObject *obj);
/* Returns a pointer into the bytes object's buffer: valid only while the
 * caller holds a reference to it. */
extern const char *Bytes_AsString(PyObject *bytes);
/* Copies the name it is given; takes its own reference to conn. */
extern int cursor_setup(cursorObject *self, connectionObject *conn,
			const char *name);

int cursor_init(PyObject *obj, PyObject *args, PyObject *kwargs)
{
	PyObject *conn;
	PyObject *name = NULL;
	const char *cname;

	if (parse_cursor_args(args, kwargs, &conn, &name) < 0)
		return -1;

	if (name == NULL || name->is_none) {
		cname = NULL;
	} else {
		kref_get(&name->ob_refcnt);	/* for ensure_bytes */
		name = psycopg_ensure_bytes(name);
		if (name == NULL) {
			/* the reference was stolen */
			return -1;
		}
		kref_put(&name->ob_refcnt, pyobject_dealloc);

		cname = Bytes_AsString(name); /* expect: rule 2 */
		if (cname == NULL)
			return -1;
	}

	return cursor_setup((cursorObject *)obj, (connectionObject *)conn,
			    cname);
}
