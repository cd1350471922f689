/* SPDX-License-Identifier: MIT */
/*
 * Project: GNOME/anjuta
 * Path:    libanjuta/anjuta-async-command.c
 * Fix:     ccef579ddf0015347f4b376a4bd7447ca65ad872
 * Bug:     start_command() handed the command to a new worker thread without
 *          taking a reference for it, so the owner could drop the last
 *          reference while the thread was still running the command.
 */
#include <stdlib.h>
#include <kref.h>

typedef struct AnjutaCommand AnjutaCommand;

struct AnjutaCommand {
	struct kref ref;
	int complete;
	unsigned int return_code;
	unsigned int (*run)(AnjutaCommand *command);
};

typedef void *(*GThreadFunc)(void *data);

/* starts a detached thread that calls func(data); keeps no reference itself */
extern void g_thread_new(const char *name, GThreadFunc func, void *data);
/* polls the command from the main loop; the source is removed in finalize */
extern unsigned int g_idle_add(int (*func)(void *data), void *data);
/* removes the idle sources whose data is the command */
extern void g_idle_remove_by_data(void *data);
/* posts the completion for the main loop */
extern void anjuta_command_notify_complete(AnjutaCommand *command,
					   unsigned int return_code);

static void anjuta_async_command_finalize(struct kref *ref)
{
	AnjutaCommand *self = container_of(ref, AnjutaCommand, ref);

	g_idle_remove_by_data(self);
	free(self);
}

void g_object_unref(AnjutaCommand *command)
{
	kref_put(&command->ref, anjuta_async_command_finalize);
}

static int anjuta_async_command_notification_poll(void *data)
{
	AnjutaCommand *command = data;

	return !command->complete;
}

static void *anjuta_async_command_thread(void *data)
{
	AnjutaCommand *command = data;
	unsigned int return_code;

	return_code = command->run(command);
	anjuta_command_notify_complete(command, return_code);

	kref_put(&command->ref, anjuta_async_command_finalize);
	return NULL;
}

void start_command(AnjutaCommand *command)
{
	g_idle_add(anjuta_async_command_notification_poll, command);
	kref_get(&command->ref);
	g_thread_new("AnjutaCommand Thread", anjuta_async_command_thread, command);
}
