/* SPDX-License-Identifier: MIT */
/*
 * Project: ibus/ibus
 * Path: bus/inputcontext.c
 * Fix: 1ff8b3f0415ffa660d1fa934472be36da77604cc
 * Bug: bus_input_context_update_preedit_text() puts the stored preedit text
 * before taking a reference to the new one, so when the caller passes the
 * stored text itself the object can be freed and then used.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <kref.h>

typedef struct _IBusText {
	struct kref ref;
	char *text;
} IBusText;

typedef struct _BusInputContext {
	IBusText *preedit_text;		/* holds a reference */
	unsigned int preedit_cursor_pos;
	bool preedit_visible;
	unsigned int preedit_mode;
	unsigned int hints;
} BusInputContext;

#define IBUS_INPUT_HINT_HIDDEN_TEXT	(1u << 12)

static void ibus_text_release(struct kref *ref)
{
	IBusText *text = container_of(ref, IBusText, ref);

	free(text->text);
	free(text);
}

static IBusText *ibus_text_ref(IBusText *text)
{
	kref_get(&text->ref);
	return text;
}

static void ibus_text_unref(IBusText *text)
{
	kref_put(&text->ref, ibus_text_release);
}

/* The shared empty text; lives for the whole daemon, has its own reference. */
extern IBusText *text_empty;
/* Sends the text to the client; borrows it. */
extern void bus_input_context_emit_preedit(BusInputContext *context,
					   IBusText *text,
					   unsigned int cursor_pos,
					   bool visible);

void bus_input_context_update_preedit_text(BusInputContext *context,
					   IBusText *text,
					   unsigned int cursor_pos,
					   bool visible,
					   unsigned int mode)
{
	if (context->preedit_text) {
		ibus_text_unref(context->preedit_text); /* expect: rule 2 */
	}

	context->preedit_text = ibus_text_ref(text ? text : text_empty);
	context->preedit_cursor_pos = cursor_pos;
	context->preedit_visible = visible;
	context->preedit_mode = mode;

	bus_input_context_emit_preedit(context, context->preedit_text,
				       context->preedit_cursor_pos,
				       context->preedit_visible);
}

/* Resends the current preedit text when the hidden-text hint changes. */
void bus_input_context_set_content_type(BusInputContext *context,
					unsigned int hints)
{
	bool hidden_changed = (context->hints ^ hints) & IBUS_INPUT_HINT_HIDDEN_TEXT;

	context->hints = hints;
	if (hidden_changed && context->preedit_text)
		bus_input_context_update_preedit_text(context,
						      context->preedit_text,
						      context->preedit_cursor_pos,
						      context->preedit_visible,
						      context->preedit_mode);
}
