/* SPDX-License-Identifier: MIT */
/*
 * Project: GNOME/pygobject
 * Path: gi/pygi-resulttuple.c
 * Fix: 42bc3ad06a1aa602a63a501a7529ea68d6654a83
 * Bug: resulttuple_new_type() drops a reference on the names list it got
 * from PyArg_ParseTuple("O"), which is only borrowed from the argument
 * tuple, so the caller's list loses a reference it still owns.
 */
#include <kref.h>
#include <stdlib.h>

/* A Python object; ob_ref stands for ob_refcnt. */
typedef struct PyObject {
	struct kref ob_ref;
	int is_list;
} PyObject;

typedef struct PyTypeObject PyTypeObject;

static void py_object_dealloc(struct kref *kref)
{
	free(container_of(kref, PyObject, ob_ref));
}

static inline void Py_DECREF(PyObject *op)
{
	kref_put(&op->ob_ref, py_object_dealloc);
}

/* Stores a BORROWED pointer to the single argument in *out; 0 on error. */
extern int PyArg_ParseTuple_O(PyObject *args, const char *fmt, PyObject **out);
/* Raises a TypeError. */
extern void PyErr_SetString_TypeError(const char *msg);
/* Builds a new ResultTuple subclass (new reference); the names are borrowed. */
extern PyTypeObject *pygi_resulttuple_new_type(PyObject *tuple_names);

#define PyList_Check(o)	((o)->is_list)

/*
 * Exposes pygi_resulttuple_new_type() as ResultTuple._new_type() for the
 * unit tests.
 */
PyObject *resulttuple_new_type(PyObject *self, PyObject *args)
{
	PyObject *tuple_names, *new_type;

	(void)self;
	if (!PyArg_ParseTuple_O(args, "O:ResultTuple._new_type", &tuple_names))
		return NULL;

	if (!PyList_Check(tuple_names)) {
		PyErr_SetString_TypeError("not a list");
		return NULL;
	}

	new_type = (PyObject *)pygi_resulttuple_new_type(tuple_names);
	return new_type;
}
