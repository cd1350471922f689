/* SPDX-License-Identifier: MIT */
/*
 * Project: numpy/numpy
 * Path: numpy/_core/src/_simd/_simd_convert.inc
 * Fix: e0befa7fd64ae6c2f0eec674b0c2b738c7652fbf
 * Bug: simd_sequence_from_iterable() drops the new reference it got from
 * PySequence_Fast() on the size-check error path but not when the lane
 * buffer allocation fails, so every out-of-memory return leaks the sequence.
 */
#include <kref.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>

typedef long Py_ssize_t;

/* A Python object; ob_ref stands for ob_refcnt. */
typedef struct PyObject {
	struct kref ob_ref;
	Py_ssize_t size;
	struct PyObject **items;
} PyObject;

typedef enum { simd_data_vu8, simd_data_vu32, simd_data_vf64 } simd_data_type;

typedef struct {
	const char *pyname;
	int is_sequence;
	int lane_size;
	simd_data_type to_scalar;
} simd_data_info;

typedef union { uint64_t u64; double f64; } simd_data;

static void py_object_dealloc(struct kref *kref)
{
	PyObject *op = container_of(kref, PyObject, ob_ref);

	free(op->items);
	free(op);
}

static inline void Py_DECREF(PyObject *op)
{
	kref_put(&op->ob_ref, py_object_dealloc);
}

/* Returns a NEW reference: obj itself (after a get) or a fresh list. */
extern PyObject *PySequence_Fast(PyObject *obj, const char *msg);
/* Static table lookup; nothing counted. */
extern const simd_data_info *simd_data_getinfo(simd_data_type dtype);
/* Allocates an aligned lane buffer, NULL (with MemoryError set) on failure. */
extern void *simd_sequence_new(Py_ssize_t len, simd_data_type dtype);
/* Frees a buffer from simd_sequence_new(). */
extern void simd_sequence_free(void *ptr);
/* Converts a borrowed item to a lane scalar; sets an exception on error. */
extern simd_data simd_scalar_from_number(PyObject *obj, simd_data_type dtype);
/* Raises a ValueError. */
extern void PyErr_SetString_ValueError(const char *msg);
/* Non-zero if an exception is pending. */
extern int PyErr_Occurred(void);

#define PySequence_Fast_GET_SIZE(o)	((o)->size)
#define PySequence_Fast_ITEMS(o)	((o)->items)

void *simd_sequence_from_iterable(PyObject *obj, simd_data_type dtype,
				  Py_ssize_t min_size)
{
	const simd_data_info *info = simd_data_getinfo(dtype);
	PyObject *seq_obj = PySequence_Fast(obj, "expected a sequence");
	Py_ssize_t seq_size;
	uint8_t *dst;
	PyObject **seq_items;

	if (seq_obj == NULL)
		return NULL;

	seq_size = PySequence_Fast_GET_SIZE(seq_obj);
	if (seq_size < min_size) {
		PyErr_SetString_ValueError("minimum acceptable size of the required sequence");
		Py_DECREF(seq_obj);
		return NULL;
	}

	dst = simd_sequence_new(seq_size, dtype);
	if (dst == NULL) {
		return NULL; /* expect: rule 2 */
	}

	seq_items = PySequence_Fast_ITEMS(seq_obj);
	for (Py_ssize_t i = 0; i < seq_size; ++i) {
		simd_data data = simd_scalar_from_number(seq_items[i], info->to_scalar);

		memcpy(dst + i * info->lane_size, &data.u64, info->lane_size);
	}
	Py_DECREF(seq_obj);

	if (PyErr_Occurred()) {
		simd_sequence_free(dst);
		return NULL;
	}
	return dst;
}
