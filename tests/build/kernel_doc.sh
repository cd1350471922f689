#!/bin/sh
# SPDX-License-Identifier: MIT
# kernel_doc.sh - every public function in include/kref/*.h has a kernel-doc
# block (/** name - summary) with an @param: line for each parameter and,
# unless it returns void, a Return: line (CONTRIBUTING.md, "Code").  Public:
# a static inline definition or a declaration whose name does not end in _
# and whose comment does not say "Not API".  tests/build/kernel_doc.py is
# the parser; it names each problem as FILE:LINE.
. tests/common/tap.sh
need python3 python3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
kdoc() { python3 tests/build/kernel_doc.py "$@"; }

ok "every public function in include/kref/*.h has complete kernel-doc" \
	kdoc include/kref/*.h

# The parser finds what it must: a doctored header with one problem of each
# kind is named, with its line.
cat >"$tmp/bad.h" <<'HDR'
/* SPDX-License-Identifier: MIT */
/**
 * good - documented
 * @a: one
 * @cb: a callback
 *
 * Return: something.
 */
static inline KREF_MUST_CHECK int
good(int a, void (*cb)(struct kref *kref))
{
	return a;
}

/**
 * no_param - the @b line is missing
 * @a: one
 */
static inline void no_param(int a, int b)
{
}

/** no_return - no Return: line */
bool no_return(void);

int undocumented(const char *s);

/* Not API: exempt. */
void internal(int x);
void internal_too(int x);
void helper_(int x);
#define macro_body(x) \
static inline int in_macro(int x) { return x; }
HDR
bad() {
	out=$(kdoc "$tmp/bad.h" 2>/dev/null) && { echo "passed a bad header"; return 1; }
	printf '%s\n' "$out"
	printf '%s\n' "$out" | grep -q "bad.h:19: no_param: no @b: line" &&
	printf '%s\n' "$out" | grep -q "bad.h:24: no_return: returns bool, no Return: line" &&
	printf '%s\n' "$out" | grep -q "bad.h:26: undocumented: no kernel-doc block" &&
	[ "$(printf '%s\n' "$out" | wc -l)" = 3 ]
}
ok "a missing block, @param: or Return: is named as FILE:LINE; nothing else is" bad
done_testing
