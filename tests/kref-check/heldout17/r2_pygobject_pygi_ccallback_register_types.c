/* SPDX-License-Identifier: MIT */
/*
 * Project: GNOME/pygobject
 * Path: gi/pygi-ccallback.c
 * Fix: 4f5bc6b2fa476015abf8eae3c0d83df653a13c4c
 * Bug: pygi_ccallback_register_types() takes a reference on the CCallback
 * type for PyModule_AddObject(), which only steals it on success; on failure
 * the code took a second reference instead of dropping the first, leaking two.
 */
#include <kref.h>
#include <stddef.h>

/* A type object; ob_ref stands for ob_refcnt. */
typedef struct PyTypeObject {
	struct kref ob_ref;
	const char *tp_name;
	unsigned long tp_flags;
	void (*tp_dealloc)(void *self);
	int ready;
} PyTypeObject;

typedef struct PyObject PyObject;

/* Static types are never freed; reaching zero only marks them dead. */
static void type_release(struct kref *kref)
{
	PyTypeObject *type = container_of(kref, PyTypeObject, ob_ref);

	type->ready = 0;
}

static inline void Py_INCREF(PyTypeObject *op)
{
	kref_get(&op->ob_ref);
}

static inline void Py_DECREF(PyTypeObject *op)
{
	kref_put(&op->ob_ref, type_release);
}

/* Finalizes the type's slots; -1 with an exception set on failure. */
extern int PyType_Ready(PyTypeObject *type);
/* Steals the caller's reference to value on success only; -1 on failure. */
extern int PyModule_AddObject(PyObject *m, const char *name, PyTypeObject *value);
/* Frees a CCallback instance. */
extern void _ccallback_dealloc(void *self);

PyTypeObject PyGICCallback_Type = {
	.ob_ref = KREF_INIT(1),
	.tp_name = "gi.CCallback",
};

/* Returns 0 on success, or -1 and sets an exception. */
int pygi_ccallback_register_types(PyObject *m)
{
	PyGICCallback_Type.tp_flags = 1;
	PyGICCallback_Type.tp_dealloc = _ccallback_dealloc;

	if (PyType_Ready(&PyGICCallback_Type) < 0)
		return -1;
	Py_INCREF(&PyGICCallback_Type);
	if (PyModule_AddObject(m, "CCallback", &PyGICCallback_Type) < 0) {
		Py_INCREF(&PyGICCallback_Type); /* expect: rule 2 */
		return -1;
	}

	return 0;
}
