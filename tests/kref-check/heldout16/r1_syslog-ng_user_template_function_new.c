/* SPDX-License-Identifier: MIT */
/*
 * Project: syslog-ng/syslog-ng
 * Path: lib/template/user-function.c
 * Fix commit: e85bb2b50d15e5556a839bf6fb19f6b72a1d7c14
 * Bug: user_template_function_new() keeps the plugin's template in the new
 * function object without taking a reference, yet the function's destructor
 * unrefs it, so two invocations of a user function free the template twice.
 */
#include <stdlib.h>
#include <string.h>
#include <kref.h>

typedef struct _LogTemplate
{
  struct kref ref_cnt;
  char *template_str;
} LogTemplate;

typedef struct _LogTemplateFunction LogTemplateFunction;
struct _LogTemplateFunction
{
  int size_of_state;
  void (*free_fn)(LogTemplateFunction *s);
};

typedef struct _UserTemplateFunction
{
  LogTemplateFunction super;
  char *name;
  LogTemplate *template;
} UserTemplateFunction;

typedef struct _UserTemplateFunctionPlugin
{
  const char *name;
  LogTemplate *template;
} UserTemplateFunctionPlugin;

/* registers the plugin in the configuration, which keeps it until it is freed */
extern void plugin_register(UserTemplateFunctionPlugin *plugin);

static void
log_template_free(struct kref *kref)
{
  LogTemplate *self = container_of(kref, LogTemplate, ref_cnt);

  free(self->template_str);
  free(self);
}

LogTemplate *
log_template_ref(LogTemplate *s)
{
  if (s)
    kref_get(&s->ref_cnt);
  return s;
}

void
log_template_unref(LogTemplate *s)
{
  if (s)
    kref_put(&s->ref_cnt, log_template_free);
}

static void
user_template_function_free(LogTemplateFunction *s)
{
  UserTemplateFunction *self = (UserTemplateFunction *) s;

  free(self->name);
  log_template_unref(self->template);
  free(self);
}

LogTemplateFunction *
user_template_function_new(const char *name, LogTemplate *template)
{
  UserTemplateFunction *self;

  self = calloc(1, sizeof(*self));
  if (!self)
    return NULL;
  self->super.size_of_state = 0;
  self->super.free_fn = user_template_function_free;
  self->template = template; /* expect: rule 1 */
  self->name = strdup(name);
  return &self->super;
}

/* called once per $(name) invocation compiled in the configuration */
LogTemplateFunction *
user_template_function_construct(UserTemplateFunctionPlugin *self)
{
  return user_template_function_new(self->name, self->template);
}

static void
user_template_function_plugin_free(UserTemplateFunctionPlugin *plugin)
{
  free((char *) plugin->name);
  log_template_unref(plugin->template);
  free(plugin);
}

void
user_template_function_register(const char *name, LogTemplate *template)
{
  UserTemplateFunctionPlugin *plugin;

  plugin = calloc(1, sizeof(*plugin));
  if (!plugin)
    return;
  plugin->name = strdup(name);
  plugin->template = log_template_ref(template);
  plugin_register(plugin);
}

void
user_template_function_unregister(UserTemplateFunctionPlugin *plugin)
{
  user_template_function_plugin_free(plugin);
}
