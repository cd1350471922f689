/* SPDX-License-Identifier: MIT */
/*
 * eBPF for Windows (microsoft/ebpf-for-windows), fix
 * 16c8d212f605fdf4246b927ac65fed750c7b820b (PR #2311),
 * libs/platform/ebpf_object.c: ebpf_object_release_reference() drops the
 * count without the tracking-list lock and only then locks to take the object
 * out of the id table, while ebpf_object_reference_by_id() finds objects in
 * that table under the lock and takes a plain reference.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <kref.h>

typedef uint32_t ebpf_id_t;
typedef enum { EBPF_OBJECT_MAP, EBPF_OBJECT_PROGRAM, EBPF_OBJECT_LINK } ebpf_object_type_t;
typedef enum { EBPF_SUCCESS, EBPF_KEY_NOT_FOUND, EBPF_NO_MEMORY } ebpf_result_t;

#define EBPF_ID_TABLE_SIZE 1024

struct ebpf_core_object;
typedef void (*ebpf_free_object_t)(struct ebpf_core_object *object);

typedef struct ebpf_core_object {
	struct kref reference_count;
	ebpf_object_type_t type;
	ebpf_id_t id;
	ebpf_free_object_t free_function;
} ebpf_core_object_t;

typedef struct {
	uint16_t counter;
	int32_t reference_count;
	ebpf_core_object_t *object;
} ebpf_id_entry_t;

static pthread_spinlock_t _ebpf_object_tracking_list_lock;
static ebpf_id_entry_t _ebpf_id_table[EBPF_ID_TABLE_SIZE];

static ebpf_result_t _get_index_from_id(ebpf_id_t id, uint32_t *index)
{
	uint32_t new_index = id >> 16;

	if (new_index >= EBPF_ID_TABLE_SIZE)
		return EBPF_KEY_NOT_FOUND;
	if (_ebpf_id_table[new_index].counter != (uint16_t)id)
		return EBPF_KEY_NOT_FOUND;
	*index = new_index;
	return EBPF_SUCCESS;
}

/* Called with _ebpf_object_tracking_list_lock held. */
static void _ebpf_object_tracking_list_remove(const ebpf_core_object_t *object)
{
	uint32_t index;

	if (_get_index_from_id(object->id, &index) != EBPF_SUCCESS)
		return;
	_ebpf_id_table[index].reference_count--;
	_ebpf_id_table[index].object = NULL;
}

void ebpf_object_acquire_reference(ebpf_core_object_t *object)
{
	kref_get(&object->reference_count);
}

static void _ebpf_object_free(struct kref *ref)
{
	ebpf_core_object_t *object = container_of(ref, ebpf_core_object_t, reference_count);

	pthread_spin_lock(&_ebpf_object_tracking_list_lock);
	_ebpf_object_tracking_list_remove(object);
	pthread_spin_unlock(&_ebpf_object_tracking_list_lock);
	object->free_function(object);
}

void ebpf_object_release_reference(ebpf_core_object_t *object)
{
	if (!object)
		return;

	kref_put(&object->reference_count, _ebpf_object_free); /* expect: rule 3 */
}

ebpf_result_t ebpf_object_reference_by_id(ebpf_id_t id, ebpf_object_type_t object_type,
					  ebpf_core_object_t **object)
{
	uint32_t index;
	ebpf_result_t return_value;

	pthread_spin_lock(&_ebpf_object_tracking_list_lock);
	return_value = _get_index_from_id(id, &index);
	if (return_value == EBPF_SUCCESS) {
		ebpf_core_object_t *found = _ebpf_id_table[index].object;

		if (found != NULL && found->type == object_type) {
			ebpf_object_acquire_reference(found);
			*object = found;
		} else {
			return_value = EBPF_KEY_NOT_FOUND;
		}
	}
	pthread_spin_unlock(&_ebpf_object_tracking_list_lock);
	return return_value;
}

ebpf_object_type_t ebpf_object_get_type(const ebpf_core_object_t *object)
{
	return object->type;
}
