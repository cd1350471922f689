/* SPDX-License-Identifier: MIT */
/*
 * Project: syslog-ng/syslog-ng
 * Path: lib/parser/parser-expr.c
 * Fix commit: c98fd4225d3193c7ce9e1dafc5fad573998aa04b
 * Bug: log_parser_clone_settings() hands the original parser's template to
 * log_parser_set_template(), which consumes a reference and stores it in
 * the clone, without taking a reference first; both parsers then own the
 * same single reference and the second one freed puts a freed template.
 */
#include <stddef.h>
#include <stdlib.h>
#include <kref.h>

typedef struct LogTemplate {
	struct kref ref;
	char *template_str;
} LogTemplate;

typedef struct LogParser {
	LogTemplate *template;
	char *name;
} LogParser;

static void log_template_free(struct kref *ref)
{
	LogTemplate *self = container_of(ref, LogTemplate, ref);

	free(self->template_str);
	free(self);
}

LogTemplate *log_template_ref(LogTemplate *s)
{
	if (s)
		kref_get(&s->ref);
	return s;
}

void log_template_unref(LogTemplate *s)
{
	if (s)
		kref_put(&s->ref, log_template_free);
}

/* NOTE: consumes template */
void log_parser_set_template(LogParser *self, LogTemplate *template)
{
	log_template_unref(self->template);
	self->template = template;
}

void log_parser_clone_settings(LogParser *self, LogParser *cloned)
{
	log_parser_set_template(cloned, log_template_ref(self->template));
}

void log_parser_free_method(LogParser *self)
{
	free(self->name);
	log_template_unref(self->template);
}
