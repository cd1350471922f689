/* SPDX-License-Identifier: MIT */
/*
 * jansson (akheron/jansson), fix 89dad8959b7903b1ab3653d11b3bd4335c44015e,
 * src/value.c: json_object_iter_set_new() steals the caller's reference to
 * value, but when its arguments are invalid it returns -1 without dropping
 * that reference.
 */
#include <stdlib.h>
#include <string.h>
#include <kref.h>

typedef enum { JSON_OBJECT, JSON_INTEGER } json_type;

typedef struct json_t {
	json_type type;
	struct kref refcount;
} json_t;

struct hashtable_pair {
	char *key;
	json_t *value;
};

#define OBJECT_SLOTS 8

typedef struct {
	json_t json;
	struct hashtable_pair pairs[OBJECT_SLOTS];
	size_t size;
} json_object_t;

typedef struct {
	json_t json;
	long long value;
} json_integer_t;

#define json_is_object(j)	((j) && (j)->type == JSON_OBJECT)
#define json_to_object(j)	container_of(j, json_object_t, json)
#define json_to_integer(j)	container_of(j, json_integer_t, json)

static void json_delete(struct kref *kref)
{
	json_t *json = container_of(kref, json_t, refcount);

	if (json->type == JSON_OBJECT) {
		json_object_t *object = json_to_object(json);
		size_t i;

		for (i = 0; i < object->size; i++) {
			free(object->pairs[i].key);
			if (object->pairs[i].value)
				kref_put(&object->pairs[i].value->refcount, json_delete);
		}
		free(object);
	} else {
		free(json_to_integer(json));
	}
}

static void json_decref(json_t *json)
{
	if (json)
		kref_put(&json->refcount, json_delete);
}

static json_t *json_object(void)
{
	json_object_t *object = calloc(1, sizeof(*object));

	if (!object)
		return NULL;
	object->json.type = JSON_OBJECT;
	kref_init(&object->json.refcount);
	return &object->json;
}

static json_t *json_integer(long long value)
{
	json_integer_t *integer = malloc(sizeof(*integer));

	if (!integer)
		return NULL;
	integer->json.type = JSON_INTEGER;
	kref_init(&integer->json.refcount);
	integer->value = value;
	return &integer->json;
}

/* Steals the reference to value. */
static int json_object_set_new(json_t *json, const char *key, json_t *value)
{
	json_object_t *object;

	if (!value)
		return -1;
	if (!json_is_object(json) || json_to_object(json)->size == OBJECT_SLOTS) {
		json_decref(value);
		return -1;
	}
	object = json_to_object(json);
	object->pairs[object->size].key = strdup(key);
	object->pairs[object->size].value = value;
	object->size++;
	return 0;
}

static void *json_object_iter(json_t *json)
{
	if (!json_is_object(json) || json_to_object(json)->size == 0)
		return NULL;
	return &json_to_object(json)->pairs[0];
}

/* Replaces the pair's value: drops the old one, keeps the new one. */
static void hashtable_iter_set(void *iter, json_t *value)
{
	struct hashtable_pair *pair = iter;

	json_decref(pair->value);
	pair->value = value;
}

/* Steals the reference to value. */
int json_object_iter_set_new(json_t *json, void *iter, json_t *value)
{
	if (!json_is_object(json) || !iter || !value)
		return -1; /* expect: rule 2 */

	hashtable_iter_set(iter, value);
	return 0;
}

int main(void)
{
	json_t *object = json_object();
	void *iter;

	if (!object)
		return 1;
	json_object_set_new(object, "answer", json_integer(41));

	iter = json_object_iter(object);
	json_object_iter_set_new(object, iter, json_integer(42));

	/* invalid object: the new integer is still consumed */
	json_object_iter_set_new(NULL, iter, json_integer(43));

	json_decref(object);
	return 0;
}
