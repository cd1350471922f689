/* SPDX-License-Identifier: MIT */
/*
 * debug_symbols.c - naming a call chain's frames for a report: function,
 * source file and line from elfutils' libdwfl (KREF_HAVE_LIBDW), which
 * reads .symtab and DWARF, so a program needs neither -rdynamic nor a
 * symbolizer process; else what dladdr() knows.
 *
 * The libdwfl session is made at the first report and kept: opening a
 * module's debug information is the slow part, and reports come in
 * bursts.  It is not thread-safe, hence one lock, a spinlock that records
 * its holder's process: a fork child that finds it held by a thread of
 * its parent (which does not exist in the child) takes it over and starts
 * a new session, since the old one may be half updated.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <link.h>
#include <sched.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#ifdef KREF_HAVE_LIBDW
#include <dwarf.h>
#include <elfutils/libdw.h>
#include <elfutils/libdwfl.h>
#endif

#include "debug_stack.h"

/* The holder's pid; 0 when free. */
static atomic_int symbols_lock;

/* True if the session must be dropped: a dead parent's thread held it. */
static bool lock_symbols(void)
{
	int me = getpid(), holder = 0;

	/* Acquire: the session's state as the last holder left it. */
	while (!atomic_compare_exchange_weak_explicit(&symbols_lock, &holder, me,
						      memory_order_acquire,
						      memory_order_relaxed)) {
		if (holder && holder != me &&
		    atomic_compare_exchange_strong_explicit(
			    &symbols_lock, &holder, me, memory_order_acquire,
			    memory_order_relaxed))
			return true;
		holder = 0;
		sched_yield();
	}
	return false;
}

static void unlock_symbols(void)
{
	/* Release: the session's updates, for the next holder. */
	atomic_store_explicit(&symbols_lock, 0, memory_order_release);
}

/* What is known of one return address. */
struct frame_name {
	const char *func;	/* NULL if unknown */
	const char *file;	/* NULL if no line information */
	int line;
	const char *module;	/* NULL if in no module */
	uintptr_t offset;	/* in the module's file, else the address */
};

#ifdef KREF_HAVE_LIBDW
static Dwfl *dwfl;
static pid_t session_pid;
static char *debuginfo_path;
/*
 * Separate debug information by build id, on this machine only (Debian's
 * -dbgsym packages, Fedora's -debuginfo): dwfl_standard_find_debuginfo()
 * would also ask the debuginfod servers of DEBUGINFOD_URLS, which a
 * developer's shell often sets, for every module without it: a program's
 * report would then wait on the network and write to ~/.cache.
 */
static int find_debuginfo(Dwfl_Module *mod, void **userdata,
			  const char *modname, Dwarf_Addr base,
			  const char *file_name, const char *debuglink_file,
			  GElf_Word debuglink_crc, char **debuginfo_file_name)
{
	return dwfl_build_id_find_debuginfo(mod, userdata, modname, base,
					    file_name, debuglink_file,
					    debuglink_crc, debuginfo_file_name);
}

static const Dwfl_Callbacks callbacks = {
	.find_elf = dwfl_linux_proc_find_elf,
	.find_debuginfo = find_debuginfo,
	.debuginfo_path = &debuginfo_path,
};

/* (Re)reads the process's mappings: at the first report, in a fork child,
 * and when an address is in no known module (dlopen since).  Modules
 * already known keep their loaded debug information. */
static void report_modules(void)
{
	if (!dwfl && !(dwfl = dwfl_begin(&callbacks)))
		return;
	session_pid = getpid();
	dwfl_report_begin(dwfl);
	if (dwfl_linux_proc_report(dwfl, session_pid) != 0 ||
	    dwfl_report_end(dwfl, NULL, NULL) != 0) {
		dwfl_end(dwfl);
		dwfl = NULL;
	}
}

/* @path relative to @cu's compilation directory, as gcc's line tables and
 * KREF_SITE's __FILE__ have it. */
static const char *relative(Dwarf_Die *cu, const char *path)
{
	Dwarf_Attribute attr;
	const char *dir = dwarf_formstring(dwarf_attr(cu, DW_AT_comp_dir, &attr));
	size_t n = dir ? strlen(dir) : 0;

	if (path && n && strncmp(path, dir, n) == 0 && path[n] == '/')
		return path + n + 1;
	return path;
}

/*
 * The line of @call, without .debug_aranges: clang emits none (before
 * version 17, unless -gdwarf-aranges), and libdw before 0.189 finds no
 * line without them.  Slow (every CU is looked at), but reports are rare.
 */
static void find_line(Dwfl_Module *mod, Dwarf_Addr call, struct frame_name *fn)
{
	Dwarf_Die *cu = NULL;
	Dwarf_Addr bias;

	while ((cu = dwfl_module_nextcu(mod, cu, &bias))) {
		Dwarf_Line *line;

		if (dwarf_haspc(cu, call - bias) <= 0 ||
		    !(line = dwarf_getsrc_die(cu, call - bias)) ||
		    dwarf_lineno(line, &fn->line) != 0 ||
		    !(fn->file = dwarf_linesrc(line, NULL, NULL)))
			continue;
		fn->file = relative(cu, fn->file);
		return;
	}
}

static void name_frame(uintptr_t pc, struct frame_name *fn, bool *refreshed)
{
	/* The call instruction, not the one after it, which may be on the
	 * next line or in the next function. */
	Dwarf_Addr call = pc - 1, bias = 0;
	Dwfl_Module *mod = dwfl ? dwfl_addrmodule(dwfl, call) : NULL;
	Dwfl_Line *line;

	if (!mod && !*refreshed) {
		*refreshed = true;
		report_modules();
		mod = dwfl ? dwfl_addrmodule(dwfl, call) : NULL;
	}
	if (!mod)
		return;
	fn->module = dwfl_module_info(mod, NULL, NULL, NULL, NULL, NULL,
				      NULL, NULL);
	if (dwfl_module_getelf(mod, &bias))
		fn->offset = pc - (uintptr_t)bias;
	fn->func = dwfl_module_addrname(mod, call);
	if ((line = dwfl_module_getsrc(mod, call)))
		fn->file = dwfl_lineinfo(line, NULL, &fn->line, NULL, NULL, NULL);
	else
		find_line(mod, call, fn);
}

/*
 * The functions inlined at @pc, innermost first, each with the line it was
 * at: the line table's for the innermost, then each inlined call's own
 * line in the function it was inlined into.  So a helper inlined into its
 * caller still names the caller's line.  @fn: the frame as named without
 * them.  Return: the names written to @out (at least 1, at most @max).
 */
/* The innermost function (inlined instance or not) among @n @scopes, or
 * NULL; from @first on. */
static Dwarf_Die *function_scope(Dwarf_Die *scopes, int n, int first)
{
	for (int i = first; i < n; i++)
		if (dwarf_tag(&scopes[i]) == DW_TAG_inlined_subroutine ||
		    dwarf_tag(&scopes[i]) == DW_TAG_subprogram)
			return &scopes[i];
	return NULL;
}

static const char *function_name(Dwarf_Die *die, const char *fallback)
{
	Dwarf_Attribute attr;
	const char *name = dwarf_formstring(dwarf_attr_integrate(die, DW_AT_name,
								  &attr));

	return name ? name : fallback;
}

static unsigned int expand_inlined(uintptr_t pc, const struct frame_name *fn,
				   struct frame_name *out, unsigned int max)
{
	Dwarf_Addr call = pc - 1, bias = 0;
	Dwfl_Module *mod = dwfl ? dwfl_addrmodule(dwfl, call) : NULL;
	Dwarf_Die *cu = mod ? dwfl_module_addrdie(mod, call, &bias) : NULL;
	Dwarf_Die *scopes = NULL, *f, die;
	Dwarf_Files *files = NULL;
	unsigned int n = 1;
	int nscopes;

	out[0] = *fn;
	if (!cu || (nscopes = dwarf_getscopes(cu, call - bias, &scopes)) <= 0)
		return 1;
	f = function_scope(scopes, nscopes, 0);
	if (!f) {
		free(scopes);
		return 1;
	}
	die = *f;
	free(scopes);
	dwarf_getsrcfiles(cu, &files, NULL);
	out[0].func = function_name(&die, fn->func);
	/* Each inlined instance: its call's line, in the function around it. */
	while (dwarf_tag(&die) == DW_TAG_inlined_subroutine && n < max && files) {
		Dwarf_Attribute attr;
		Dwarf_Word file, line;

		if (dwarf_formudata(dwarf_attr(&die, DW_AT_call_file, &attr), &file) ||
		    dwarf_formudata(dwarf_attr(&die, DW_AT_call_line, &attr), &line))
			break;
		out[n] = out[n - 1];
		out[n].file = relative(cu, dwarf_filesrc(files, file, NULL, NULL));
		out[n].line = (int)line;
		out[n].func = fn->func;
		nscopes = dwarf_getscopes_die(&die, &scopes);
		f = nscopes > 0 ? function_scope(scopes, nscopes, 1) : NULL;
		if (f) {
			die = *f;
			out[n].func = function_name(&die, fn->func);
		}
		free(scopes);
		scopes = NULL;
		n++;
		if (!f)
			break;
	}
	return n;
}

static void start_session(bool drop, bool *refreshed)
{
	if (drop)
		dwfl = NULL;	/* leaked: it may be half updated */
	if (!dwfl || session_pid != getpid()) {
		report_modules();
		*refreshed = true;
	}
}
#else
static void name_frame(uintptr_t pc, struct frame_name *fn, bool *refreshed)
{
	Dl_info info;
	struct link_map *map = NULL;

	(void)refreshed;
	if (!dladdr1((void *)(pc - 1), &info, (void **)&map, RTLD_DL_LINKMAP) ||
	    !info.dli_fname)
		return;
	fn->module = info.dli_fname;
	fn->offset = pc - (map ? (uintptr_t)map->l_addr : 0);
	fn->func = info.dli_sname;
}

static void start_session(bool drop, bool *refreshed)
{
	(void)drop;
	(void)refreshed;
}

static unsigned int expand_inlined(uintptr_t pc, const struct frame_name *fn,
				   struct frame_name *out, unsigned int max)
{
	(void)pc;
	(void)max;
	out[0] = *fn;
	return 1;
}
#endif

/* Appends to @buf what @fmt makes, if it fits whole with its NUL. */
__attribute__((format(printf, 4, 5)))
static void add(char *buf, size_t room, size_t *len, const char *fmt, ...)
{
	char line[1024];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(line) || *len + (size_t)n >= room)
		return;
	memcpy(buf + *len, line, (size_t)n + 1);
	*len += (size_t)n;
}

/* "FUNC FILE:LINE", "FUNC MODULE+0xOFF", "MODULE+0xOFF" or "0xADDR". */
static void name(char *out, size_t room, uintptr_t pc,
		 const struct frame_name *fnp)
{
	struct frame_name fn = *fnp;
	const char *func, *space;
	int f;

	func = fn.func ? fn.func : "";
	/* Without its symbol version: "__libc_start_main", not
	 * "__libc_start_main@@GLIBC_2.34". */
	f = (int)strcspn(func, "@");
	space = f ? " " : "";
	if (fn.file)
		snprintf(out, room, "%.*s%s%s:%d", f, func, space, fn.file, fn.line);
	else if (fn.module)
		snprintf(out, room, "%.*s%s%s+%#lx", f, func, space, fn.module,
			 (unsigned long)fn.offset);
	else
		snprintf(out, room, "%#lx", (unsigned long)pc);
}

/* One frame per line after @indent, or all on one line if it is NULL. */
static size_t format(kref_chain_t id, const char *indent, unsigned int max,
		     char *buf, size_t room)
{
	const void *pcs[KREF_CHAIN_DEPTH];
	unsigned int n = kref_chain_frames_(id, pcs, KREF_CHAIN_DEPTH);
	bool refreshed = false;
	size_t len = 0;

	if (!room)
		return 0;
	buf[0] = '\0';
	if (id == KREF_CHAIN_FULL) {
		add(buf, room, &len, "%s(call chain not kept: depot full)%s",
		    indent ? indent : "", indent ? "\n" : "");
		return len;
	}
	if (max && n > max)
		n = max;
	if (!n)
		return 0;
	start_session(lock_symbols(), &refreshed);
	for (unsigned int i = 0, k = 0; i < n && (!max || k < max); i++) {
		struct frame_name fn = { NULL, NULL, 0, NULL, (uintptr_t)pcs[i] };
		struct frame_name names[KREF_CHAIN_DEPTH];
		unsigned int m;

		name_frame((uintptr_t)pcs[i], &fn, &refreshed);
		m = expand_inlined((uintptr_t)pcs[i], &fn, names, KREF_CHAIN_DEPTH);
		for (unsigned int j = 0; j < m && (!max || k < max); j++, k++) {
			char frame[768];
			size_t before = len;

			name(frame, sizeof(frame), (uintptr_t)pcs[i], &names[j]);
			if (indent)
				add(buf, room, &len, "%s#%u %s%s\n", indent, k,
				    frame, j + 1 < m ? " (inlined)" : "");
			else
				add(buf, room, &len, "%s%s", k ? " < " : "", frame);
			if (len == before)
				goto full;	/* no room for the whole frame */
		}
	}
full:
	unlock_symbols();
	return len;
}

size_t kref_chain_format_(kref_chain_t id, const char *indent, char *buf,
			  size_t room)
{
	return format(id, indent ? indent : "", 0, buf, room);
}

size_t kref_chain_format_line_(kref_chain_t id, unsigned int n, char *buf,
			       size_t room)
{
	return format(id, NULL, n, buf, room);
}
