/* SPDX-License-Identifier: MIT */
/*
 * debug_report.c - debug mode's reports: a broken rule, with the object's
 * story (where it was initialised, its final put, its last operations),
 * and the objects still referenced (leaks), once each.
 *
 * Environment, read when the report is made:
 *   KREF_ABORT=1          abort() after each report (report.c)
 *   KREF_LEAKS=0          no leak report at exit
 *   KREF_LEAK_EXITCODE=N  a run whose exit-time report found leaks exits
 *                         with status N (1 to 255)
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <kref/debug.h>
#include "debug_internal.h"

#define LEAKS_IN_DETAIL	20

static const char *const op_name[] = {
	[OP_INIT] = "init", [OP_GET] = "get",
	[OP_GET_UNLESS_ZERO] = "get_unless_zero",
	[OP_GET_UNLESS_ZERO_FAILED] = "get_unless_zero (failed)",
	[OP_PUT] = "put", [OP_FINAL_PUT] = "put (final)",
	[OP_ESCAPE] = "escaped its scope", [OP_FREED] = "freed",
};

const char debug_rule_get[] =
	"rule 1: take a reference before handing the pointer off; rule 3: "
	"find and get under the lock the final put takes (kref_put_mutex), "
	"or with kref_get_unless_zero under RCU";
const char debug_rule_put[] =
	"rule 2: put only a reference you hold, once; the final put ends "
	"the object";

struct report {
	char text[8192];
	int len;
};

static void add(struct report *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void add(struct report *r, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (r->len >= (int)sizeof(r->text) - 1)
		return;
	va_start(ap, fmt);
	n = vsnprintf(r->text + r->len, sizeof(r->text) - (size_t)r->len, fmt, ap);
	va_end(ap);
	r->len = n < 0 ? r->len : r->len + n;
	if (r->len > (int)sizeof(r->text) - 1)
		r->len = (int)sizeof(r->text) - 1;
}

static void add_site(struct report *r, const struct event *e)
{
	add(r, "%s:%d in %s(), thread %d", e->site->file, e->site->line,
	    e->site->func, e->tid);
}

/* @e's site, then the calls that led to it, one a line. */
static void add_site_chain(struct report *r, const struct event *e)
{
	add_site(r, e);
	add(r, "\n");
	if (r->len < (int)sizeof(r->text) - 1)
		r->len += (int)kref_chain_format_(e->chain, "      ",
						  r->text + r->len,
						  sizeof(r->text) - (size_t)r->len);
}

static void add_history(struct report *r, const struct record *rec)
{
	unsigned int first = rec->events > DEBUG_HISTORY ?
			     rec->events - DEBUG_HISTORY : 0;

	add(r, "  last %u operations, oldest first:\n", rec->events - first);
	for (unsigned int i = first; i < rec->events; i++) {
		const struct event *e = &rec->history[i % DEBUG_HISTORY];

		char chain[512];

		add(r, "    %-26s count %-11d at ",
		    op_name[rec->op[i % DEBUG_HISTORY]], e->count);
		add_site(r, e);
		if (kref_chain_format_line_(e->chain, 4, chain, sizeof(chain)))
			add(r, "\n      %s", chain);
		add(r, "\n");
	}
}

void debug_report_rule(const char *what, const char *rule,
		       const struct event *now, const struct record *rec)
{
	struct report r = { .len = 0 };

	add(&r, "kref: %s\n  at ", what);
	add_site_chain(&r, now);
	add(&r, "  object %p\n", (const void *)rec->kref);
	if (rec->flags & RELEASED) {
		add(&r, "  its final put was at ");
		add_site_chain(&r, &rec->final_put);
	}
	add(&r, "  initialised at ");
	add_site_chain(&r, &rec->init);
	add_history(&r, rec);
	add(&r, "  %s\n", rule);
	kref_report_write(r.text, r.len);
	kref_report_end();
}

/* ---- leaks ------------------------------------------------------------ */

/*
 * The newest escape in @rec's history if it is the leaked reference's
 * story: no put followed it and the count is still what it left, so the
 * reference it handed on is the one still held; and its site names a
 * file.  Else NULL.
 */
static const struct event *last_escape(const struct record *rec)
{
	unsigned int first = rec->events > DEBUG_HISTORY ?
			     rec->events - DEBUG_HISTORY : 0;
	const struct event *last = &rec->history[(rec->events - 1) % DEBUG_HISTORY];

	for (unsigned int i = rec->events; i-- > first;) {
		const struct event *e = &rec->history[i % DEBUG_HISTORY];

		switch (rec->op[i % DEBUG_HISTORY]) {
		case OP_PUT:
		case OP_FINAL_PUT:
			return NULL;
		case OP_ESCAPE:
			return e->count == last->count && e->site->file &&
			       e->site->file[0] ? e : NULL;
		default:
			break;
		}
	}
	return NULL;
}

static void report_leak(const struct record *rec)
{
	const struct event *last = &rec->history[(rec->events - 1) % DEBUG_HISTORY];
	const struct event *escape = last_escape(rec);
	struct report r = { .len = 0 };

	add(&r, "kref: leak: object %p still referenced (count %d at its last "
	    "operation)\n  initialised at ", (const void *)rec->kref, last->count);
	add_site_chain(&r, &rec->init);
	if (escape) {
		add(&r, "  a reference escaped its scope at ");
		add_site(&r, escape);
		add(&r, "\n  (no_free_ptr, return_ptr or retain_and_null_ptr): "
		    "whoever received it must put it\n");
	}
	add_history(&r, rec);
	kref_report_write(r.text, r.len);
}

static void report_freed_referenced(const struct record *rec,
				    const struct event *last)
{
	struct report r = { .len = 0 };

	add(&r, "kref: object %p freed while still referenced (count %d at its "
	    "last operation): its other references were lost\n  initialised "
	    "at ", (const void *)rec->kref, last->count);
	add_site_chain(&r, &rec->init);
	add_history(&r, rec);
	add(&r, "  %s; free it only in the release function\n", debug_rule_put);
	kref_report_write(r.text, r.len);
	kref_report_end();
}

struct leak_count {
	unsigned long found, shown;
};

/*
 * Each leaked object is reported once: a second report (at exit, after
 * the program called kref_debug_report_leaks) leaves it out.  An object
 * whose memory was freed without its final put is no leak: freed after
 * kref_init on an error path before anyone else had it (count 1), that is
 * its correct end; with more references, the other holders' references
 * were lost, and that is reported.
 */
static void leak(struct record *rec, void *arg)
{
	const struct event *last = &rec->history[(rec->events - 1) % DEBUG_HISTORY];
	struct leak_count *n = arg;
	enum watch_state w;

	if (rec->flags & LEAK_REPORTED)
		return;
	w = debug_watch_state(rec->kref);
	if (w != WATCH_KEPT) {
		rec->flags |= LEAK_REPORTED;
		if (w == WATCH_FREED && last->count > 1)
			report_freed_referenced(rec, last);
		return;
	}
	rec->flags |= LEAK_REPORTED;
	if (++n->found <= LEAKS_IN_DETAIL)
		report_leak(rec);
}

unsigned long kref_debug_report_leaks(void)
{
	struct leak_count n = { 0, 0 };

	debug_for_each_live(leak, &n);
	if (n.found) {
		char text[128];
		int len = snprintf(text, sizeof(text), "kref: %lu object%s still "
				   "referenced%s\n", n.found, n.found == 1 ? "" : "s",
				   n.found > LEAKS_IN_DETAIL ? " (the first 20 shown)" : "");

		kref_report_write(text, len);
		kref_report_end();
	}
	return n.found;
}

static void report_leaks_at_exit(void)
{
	const char *off = getenv("KREF_LEAKS");
	const char *code = getenv("KREF_LEAK_EXITCODE");
	long status = code ? strtol(code, NULL, 10) : 0;

	if (off && strcmp(off, "0") == 0)
		return;
	if (kref_debug_report_leaks() && status > 0 && status < 256) {
		/* exit() may not be called again from an atexit handler:
		 * flush what the program wrote, then leave with the status. */
		fflush(NULL);
		_exit((int)status);
	}
}

void debug_report_start(void)
{
	atexit(report_leaks_at_exit);
}
