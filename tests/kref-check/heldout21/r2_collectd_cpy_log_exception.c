/* SPDX-License-Identifier: MIT */
/*
 * Project: collectd/collectd
 * Path: src/python.c
 * Fix commit: feca5996d58cf1c61c187369389accec284ac43b
 * Bug: cpy_log_exception() drops a reference on each line it reads from
 * the formatted traceback list, although PyList_GET_ITEM() only lends the
 * item, so the list's own references are put a second time.
 */
#include <kref.h>
#include <stdlib.h>
#include <string.h>

typedef struct PyObject PyObject;

struct PyObject {
	struct kref ob_ref;
	char *str;		/* for string objects */
	PyObject **items;	/* for list objects: each item counted */
	long n_items;
};

/* traceback.format_exception, when the traceback module is loaded */
extern PyObject *cpy_format_exception;
/* fetches the pending exception; new references, type NULL if none */
extern void PyErr_Fetch(PyObject **type, PyObject **value, PyObject **tb);
/* clears the pending exception */
extern void PyErr_Clear(void);
/*
 * calls callable(type, value, tb), consuming the three references
 * (value and tb may be NULL);
 * returns a new reference to the result (a list of strings) or NULL
 */
extern PyObject *cpy_call_format_exception(PyObject *callable, PyObject *type,
					   PyObject *value, PyObject *tb);
/* collectd's logger */
extern void ERROR(const char *fmt, ...);

static void py_object_release(struct kref *kref)
{
	PyObject *o = container_of(kref, PyObject, ob_ref);
	long i;

	for (i = 0; i < o->n_items; i++)
		kref_put(&o->items[i]->ob_ref, py_object_release);
	free(o->items);
	free(o->str);
	free(o);
}

static void Py_DECREF(PyObject *o)
{
	kref_put(&o->ob_ref, py_object_release);
}

static void Py_XDECREF(PyObject *o)
{
	if (o)
		Py_DECREF(o);
}

/* borrowed reference: the list keeps its own */
static PyObject *PyList_GET_ITEM(PyObject *list, long i)
{
	return list->items[i];
}

static long PyObject_Length(PyObject *o)
{
	return o->n_items;
}

void cpy_log_exception(const char *context)
{
	long i, l = 0;
	PyObject *type, *value, *traceback, *list;

	PyErr_Fetch(&type, &value, &traceback);
	if (!type)
		return;
	ERROR("Unhandled python exception in %s", context);
	if (!cpy_format_exception) {
		PyErr_Clear();
		Py_XDECREF(type);
		Py_XDECREF(value);
		Py_XDECREF(traceback);
		return;
	}
	list = cpy_call_format_exception(cpy_format_exception, type, value,
					 traceback); /* New reference. */
	if (list)
		l = PyObject_Length(list);
	for (i = 0; i < l; ++i) {
		char *s;
		PyObject *line;

		line = PyList_GET_ITEM(list, i); /* Borrowed reference. */
		s = strdup(line->str);
		Py_DECREF(line); /* expect: rule 2 */
		if (!s)
			continue;
		if (s[0] && s[strlen(s) - 1] == '\n')
			s[strlen(s) - 1] = 0;
		ERROR("%s", s);
		free(s);
	}
	Py_XDECREF(list);
	PyErr_Clear();
}
