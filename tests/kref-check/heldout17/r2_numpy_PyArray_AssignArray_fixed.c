/* SPDX-License-Identifier: MIT */
/*
 * Project: numpy/numpy
 * Path: numpy/_core/src/multiarray/array_assign_array.c
 * Fix: d2b77dba7198de5c71ad5f185dd562eb66e40e4b
 * Bug: when src and dst overlap, PyArray_AssignArray() copies src into a
 * new temporary array, but the scalar where=False shortcut returns early
 * without dropping the reference to that temporary, leaking it.
 */
#include <kref.h>
#include <stdlib.h>
#include <stdbool.h>

#define NPY_MAXDIMS 64
typedef long npy_intp;
typedef unsigned char npy_bool;

/* An ndarray; ob_ref stands for ob_refcnt. */
typedef struct PyArrayObject {
	struct kref ob_ref;
	int nd;
	npy_intp *dims;
	npy_intp *strides;
	char *data;
	int is_bool;
} PyArrayObject;

static void array_dealloc(struct kref *kref)
{
	PyArrayObject *arr = container_of(kref, PyArrayObject, ob_ref);

	free(arr->data);
	free(arr);
}

static inline void Py_DECREF(PyArrayObject *arr)
{
	kref_put(&arr->ob_ref, array_dealloc);
}

#define PyArray_NDIM(a)		((a)->nd)
#define PyArray_DIMS(a)		((a)->dims)
#define PyArray_STRIDES(a)	((a)->strides)
#define PyArray_DATA(a)		((void *)(a)->data)

/* True if the memory of the two arrays may overlap. */
extern int arrays_overlap(PyArrayObject *a, PyArrayObject *b);
/* Returns a NEW array shaped like proto (its own reference), NULL on error. */
extern PyArrayObject *PyArray_NewLikeArray(PyArrayObject *proto);
/* Computes strides broadcasting one shape onto another; -1 on error. */
extern int broadcast_strides(int ndim, npy_intp const *shape,
			     int strides_ndim, npy_intp const *strides_shape,
			     npy_intp const *strides, const char *name,
			     npy_intp *out_strides);
/* Copies element data; -1 on error. */
extern int raw_array_assign_array(PyArrayObject *dst, PyArrayObject *src,
				  npy_intp const *src_strides);
/* Copies element data where the mask is true; -1 on error. */
extern int raw_array_wheremasked_assign_array(PyArrayObject *dst,
					      PyArrayObject *src,
					      npy_intp const *src_strides,
					      PyArrayObject *wheremask,
					      npy_intp const *mask_strides);

int PyArray_AssignArray(PyArrayObject *dst, PyArrayObject *src,
			PyArrayObject *wheremask)
{
	int copied_src = 0;
	npy_intp src_strides[NPY_MAXDIMS];

	/* If the data overlaps, work from a private copy of src. */
	if (PyArray_NDIM(dst) > 1 && arrays_overlap(src, dst)) {
		PyArrayObject *tmp = PyArray_NewLikeArray(dst);

		if (tmp == NULL)
			goto fail;
		if (PyArray_AssignArray(tmp, src, NULL) < 0) {
			Py_DECREF(tmp);
			goto fail;
		}
		src = tmp;
		copied_src = 1;
	}

	if (broadcast_strides(PyArray_NDIM(dst), PyArray_DIMS(dst),
			      PyArray_NDIM(src), PyArray_DIMS(src),
			      PyArray_STRIDES(src), "input array",
			      src_strides) < 0)
		goto fail;

	/* a 0-d boolean mask selects everything or nothing */
	if (wheremask != NULL && PyArray_NDIM(wheremask) == 0 &&
	    wheremask->is_bool) {
		npy_bool value = *(npy_bool *)PyArray_DATA(wheremask);

		if (value) {
			/* all selected: behave as if no mask was given */
			wheremask = NULL;
		} else {
			/* nothing selected: drop the overlap copy and return */
			if (copied_src)
				Py_DECREF(src);
			return 0;
		}
	}

	if (wheremask == NULL) {
		if (raw_array_assign_array(dst, src, src_strides) < 0)
			goto fail;
	} else {
		npy_intp wheremask_strides[NPY_MAXDIMS];

		if (broadcast_strides(PyArray_NDIM(dst), PyArray_DIMS(dst),
				      PyArray_NDIM(wheremask),
				      PyArray_DIMS(wheremask),
				      PyArray_STRIDES(wheremask), "where mask",
				      wheremask_strides) < 0)
			goto fail;
		if (raw_array_wheremasked_assign_array(dst, src, src_strides,
						       wheremask,
						       wheremask_strides) < 0)
			goto fail;
	}

	if (copied_src)
		Py_DECREF(src);
	return 0;

fail:
	if (copied_src)
		Py_DECREF(src);
	return -1;
}
