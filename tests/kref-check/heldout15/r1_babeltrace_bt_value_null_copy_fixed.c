/* SPDX-License-Identifier: MIT */
/*
 * Project: efficios/babeltrace
 * Path:    src/lib/value.c
 * Fix:     d164ff16c5d8d303f2f9f3c295e66fff56a271a7
 * Bug: bt_value_null_copy() hands the shared null-value singleton back as
 * the new reference every copy function must return, without taking one,
 * so each copied null value later drops a reference it never got and the
 * singleton's count underflows.
 */
#include <stddef.h>
#include <kref.h>

enum bt_value_type {
	BT_VALUE_TYPE_NULL,
	BT_VALUE_TYPE_MAP,
};

struct bt_value {
	struct kref ref_count;
	enum bt_value_type type;
};

/* logs "Releasing the null value singleton" */
extern void bt_value_null_instance_release_func(struct kref *ref);
/* creates an empty map value (one reference for the caller) */
extern struct bt_value *bt_value_map_create(void);
/* calls fn(key, element, data) for each entry of the map */
extern void bt_value_map_foreach(const struct bt_value *map,
				 int (*fn)(const char *key,
					   const struct bt_value *element,
					   void *data),
				 void *data);
/* inserts element under key; the map takes its own reference */
extern int bt_value_map_insert_entry(struct bt_value *map, const char *key,
				     struct bt_value *element);
/* destroys a value whose last reference was dropped */
extern void bt_value_destroy(struct kref *ref);

static struct bt_value bt_value_null_instance = {
	.ref_count = KREF_INIT(1),
	.type = BT_VALUE_TYPE_NULL,
};

struct bt_value *const bt_value_null = &bt_value_null_instance;

static void bt_value_put_ref(struct bt_value *value)
{
	if (value == bt_value_null)
		kref_put(&value->ref_count,
			 bt_value_null_instance_release_func);
	else
		kref_put(&value->ref_count, bt_value_destroy);
}

int bt_value_copy(const struct bt_value *object, struct bt_value **copy_obj);

static struct bt_value *bt_value_null_copy(const struct bt_value *null_obj)
{
	(void)null_obj;
	kref_get(&bt_value_null->ref_count);
	return (struct bt_value *)bt_value_null;
}

struct map_copy_data {
	struct bt_value *copy_obj;
	int status;
};

static int map_copy_element(const char *key, const struct bt_value *element,
			    void *data)
{
	struct map_copy_data *d = data;
	struct bt_value *element_obj_copy = NULL;

	if (bt_value_copy(element, &element_obj_copy)) {
		d->status = -1;
		return -1;
	}
	d->status = bt_value_map_insert_entry(d->copy_obj, key,
					      element_obj_copy);
	bt_value_put_ref(element_obj_copy);
	return d->status;
}

static struct bt_value *bt_value_map_copy(const struct bt_value *map_obj)
{
	struct map_copy_data d = { .copy_obj = bt_value_map_create() };

	if (!d.copy_obj)
		return NULL;
	bt_value_map_foreach(map_obj, map_copy_element, &d);
	if (d.status) {
		bt_value_put_ref(d.copy_obj);
		return NULL;
	}
	return d.copy_obj;
}

/* Every copy function returns a new reference to the copy. */
static struct bt_value *(*const copy_funcs[])(const struct bt_value *) = {
	[BT_VALUE_TYPE_NULL] = bt_value_null_copy,
	[BT_VALUE_TYPE_MAP] = bt_value_map_copy,
};

int bt_value_copy(const struct bt_value *object, struct bt_value **copy_obj)
{
	*copy_obj = copy_funcs[object->type](object);
	return *copy_obj ? 0 : -1;
}
