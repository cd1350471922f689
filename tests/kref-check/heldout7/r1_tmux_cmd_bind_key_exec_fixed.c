/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (not a copy) of a refcount bug fixed in tmux.
 *
 * Repository: tmux/tmux
 * Commit:     03b83a5a34a4257be9029e1f5195dcddcd531caa
 * Title:      "Key bindings steal a reference to the command instead of
 *             adding their own, it was correct not to add a reference when
 *             parsing, but the bind-key then needs to add one."
 * Path:       cmd-bind-key.c (and cmd-parse.y)
 * Function:   cmd_bind_key_exec()
 *
 * When bind-key is given a {} command block, the parser passes it as an
 * ARGS_COMMANDS argument value holding one reference to the cmd_list;
 * args_free_value() drops it with cmd_list_free() when the bind-key
 * command itself is freed.  cmd_bind_key_exec() stores value->cmdlist in
 * the key table with key_bindings_add() without taking a reference, so
 * once the configuration's command list is freed the key binding points
 * at a freed cmd_list, and pressing the key runs it.  Fixed by
 * value->cmdlist->references++ after key_bindings_add() (the same commit
 * drops the extra reference the parser was taking, which had hidden this).
 *
 * The cmd_list's references count is modelled with a struct kref.
 */
#include <stdlib.h>
#include <kref.h>

typedef unsigned long long key_code;

struct cmd_list {
	struct kref references;
	void *list;
};

enum args_type { ARGS_NONE, ARGS_STRING, ARGS_COMMANDS };

struct args_value {
	enum args_type type;
	union {
		char *string;
		struct cmd_list *cmdlist;
	};
};

struct key_binding {
	key_code key;
	struct cmd_list *cmdlist;	/* owns one reference */
	int flags;
	struct key_binding *next;
};

/* the key table: bindings live until they are replaced or unbound */
static struct key_binding *key_table;

static void cmd_list_release(struct kref *kref)
{
	struct cmd_list *cmdlist = container_of(kref, struct cmd_list,
						references);

	free(cmdlist->list);
	free(cmdlist);
}

static void cmd_list_free(struct cmd_list *cmdlist)
{
	kref_put(&cmdlist->references, cmd_list_release);
}

void args_free_value(struct args_value *value)
{
	if (value->type == ARGS_STRING)
		free(value->string);
	else if (value->type == ARGS_COMMANDS)
		cmd_list_free(value->cmdlist);
}

/* replaces any binding for key; the binding adopts cmdlist as it is */
static void key_bindings_add(key_code key, int repeat, struct cmd_list *cmdlist)
{
	struct key_binding *bd, **pp;

	for (pp = &key_table; *pp != NULL; pp = &(*pp)->next) {
		if ((*pp)->key == key) {
			bd = *pp;
			*pp = bd->next;
			cmd_list_free(bd->cmdlist);
			free(bd);
			break;
		}
	}
	bd = calloc(1, sizeof(*bd));
	if (bd == NULL)
		abort();
	bd->key = key;
	bd->flags = repeat;
	bd->cmdlist = cmdlist;
	bd->next = key_table;
	key_table = bd;
}

/* parses and binds a command string; 0 on a parse error */
extern int cmd_bind_key_parse_string(key_code key, int repeat,
				     struct args_value *value);
/* queues the commands of a binding when its key is pressed */
extern void cmdq_append_cmdlist(struct cmd_list *cmdlist);

int cmd_bind_key_exec(key_code key, int repeat, struct args_value *value)
{
	if (value->type == ARGS_COMMANDS) {
		key_bindings_add(key, repeat, value->cmdlist);
		kref_get(&value->cmdlist->references);
		return 0;
	}
	return cmd_bind_key_parse_string(key, repeat, value) ? 0 : -1;
}

void key_bindings_dispatch(key_code key)
{
	struct key_binding *bd;

	for (bd = key_table; bd != NULL; bd = bd->next) {
		if (bd->key == key) {
			cmdq_append_cmdlist(bd->cmdlist);
			return;
		}
	}
}

/* the config file's "bind-key X { ... }": the parser hands the block over
 * with one reference, and the bind-key command's arguments are freed
 * once it has run */
int load_cfg_bind(key_code key)
{
	struct args_value value = { .type = ARGS_COMMANDS };
	int retval;

	value.cmdlist = calloc(1, sizeof(*value.cmdlist));
	if (value.cmdlist == NULL)
		return -1;
	kref_init(&value.cmdlist->references);

	retval = cmd_bind_key_exec(key, 0, &value);
	args_free_value(&value);
	key_bindings_dispatch(key);
	return retval;
}
