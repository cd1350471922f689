/* SPDX-License-Identifier: MIT */
/*
 * Project: efficios/babeltrace
 * Path:    src/cli/babeltrace2-cfg-cli-params-arg.c
 * Fix:     4778a6c98cdf962ff5ea2de99171783c9b4cfb39
 * Bug:     ini_parse_value() must return a new reference, but for the
 *          `null` identifier it hands out the shared bt_value_null singleton
 *          without taking one; the caller's put then drops a reference it
 *          never got and releases the singleton.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <kref.h>

typedef struct bt_value {
	struct kref ref;
	int type;
} bt_value;

enum ini_token { TOKEN_INT, TOKEN_STRING, TOKEN_IDENTIFIER, TOKEN_OTHER };

struct ini_parsing_state {
	bt_value *params;		/* the map being filled, owned */
	const char *last_map_key;
	enum ini_token token;
	int64_t v_int;
	const char *v_string;		/* string or identifier */
};

/* the null value singleton, initialized by the library with one reference */
extern bt_value *const bt_value_null;

/* frees a value (for the null singleton: logs that it is being released) */
extern void bt_value_destroy(bt_value *value);
/* each returns a new value; the caller owns the reference */
extern bt_value *bt_value_bool_create_init(bool v);
extern bt_value *bt_value_integer_signed_create_init(int64_t v);
extern bt_value *bt_value_string_create_init(const char *v);
/* inserts value under key; the map takes its own reference; 0 on success */
extern int bt_value_map_insert_entry(bt_value *map, const char *key,
				     bt_value *value);
/* appends "expecting ..." to the parsing error */
extern void ini_append_error_expecting(struct ini_parsing_state *state,
				       const char *what);

static void bt_value_release(struct kref *ref)
{
	bt_value_destroy(container_of(ref, bt_value, ref));
}

void
bt_value_get_ref(bt_value *value)
{
	if (value)
		kref_get(&value->ref);
}

void
bt_value_put_ref(bt_value *value)
{
	if (value)
		kref_put(&value->ref, bt_value_release);
}

/* Parses the current token as a value; returns a new reference or NULL. */
static bt_value *
ini_parse_value(struct ini_parsing_state *state)
{
	bt_value *value = NULL;

	switch (state->token) {
	case TOKEN_INT:
		value = bt_value_integer_signed_create_init(state->v_int);
		break;
	case TOKEN_STRING:
		value = bt_value_string_create_init(state->v_string);
		break;
	case TOKEN_IDENTIFIER:
	{
		const char *id = state->v_string;

		if (strcmp(id, "null") == 0 || strcmp(id, "NULL") == 0 ||
		    strcmp(id, "nul") == 0) {
			value = bt_value_null;
			bt_value_get_ref(value);
		} else if (strcmp(id, "true") == 0 || strcmp(id, "yes") == 0) {
			value = bt_value_bool_create_init(true);
		} else if (strcmp(id, "false") == 0 || strcmp(id, "no") == 0) {
			value = bt_value_bool_create_init(false);
		} else {
			value = bt_value_string_create_init(id);
		}
		break;
	}
	default:
		ini_append_error_expecting(state, "value");
		break;
	}

	return value;
}

/* Handles one "key=value" pair; 0 to continue, -1 on error. */
int
ini_handle_value(struct ini_parsing_state *state)
{
	int ret = 0;
	bt_value *value;

	value = ini_parse_value(state);
	if (!value)
		return -1;

	if (bt_value_map_insert_entry(state->params, state->last_map_key, value))
		ret = -1;

	bt_value_put_ref(value);
	return ret;
}
