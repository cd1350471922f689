/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (own code) of a real bug: dino/dino PR #1891 "Fix
 * use-after-free in Idle callback closure" (fixes #1890),
 * main/src/ui/conversation_content_view/conversation_view.vala (path not
 * checked).
 * Idle.add_once(finish_load_new_conversation) queued a callback whose
 * target is `this` without a reference (as the reviewer noted, unlike the
 * closures of Idle.add); closing the window can finalize the view before
 * the idle source runs.  The fix switched to Idle.add(), which holds a
 * reference on the target until the source is removed.  Written as the C
 * the Vala compiler produces, with the GObject count as struct kref.
 */
#include <stdlib.h>
#include <kref.h>

typedef struct ConversationView {
	struct kref ref_count;
	void *conversation;
	int loading;
} ConversationView;

typedef void (*GSourceOnceFunc)(void *user_data);
typedef int (*GSourceFunc)(void *user_data);
typedef void (*GDestroyNotify)(void *data);

/* g_idle_add_once(): runs func(data) once; keeps no reference on data. */
extern unsigned g_idle_add_once(GSourceOnceFunc func, void *data);
/* g_idle_add_full(): destroy(data) is called when the source is removed. */
extern unsigned g_idle_add_full(int priority, GSourceFunc func, void *data, GDestroyNotify destroy);
/* Scrolls to the bottom and shows the loaded messages. */
extern void conversation_view_display_loaded(ConversationView *self);

static void conversation_view_finalize(struct kref *ref)
{
	free(container_of(ref, ConversationView, ref_count));
}

static void conversation_view_unref(void *self)
{
	kref_put(&((ConversationView *) self)->ref_count, conversation_view_finalize);
}

static void finish_load_new_conversation(ConversationView *self)
{
	self->loading = 0;
	conversation_view_display_loaded(self);
}

static void _finish_load_new_conversation_gsource_once_func(void *self)
{
	finish_load_new_conversation(self);
}

static int _finish_load_new_conversation_gsource_func(void *self)
{
	finish_load_new_conversation(self);
	return 0;
}

void conversation_view_initialize_for_conversation(ConversationView *self, void *conversation)
{
	self->conversation = conversation;
	self->loading = 1;
	g_idle_add_once(_finish_load_new_conversation_gsource_once_func, self); /* expect: rule 1 */
	(void) _finish_load_new_conversation_gsource_func;
	(void) conversation_view_unref;
}
