#!/bin/sh
# SPDX-License-Identifier: MIT
# cleanup_parity.sh - a program that compiles without KREF_DEBUG compiles
# with it, with the same warnings (libkref issue 17): examples/, the tests
# that use <kref/cleanup.h> and tests/build/cleanup_hostile.c (attributes
# around __free(), const pointees, several declarators, no initialiser,
# CLASS()), each under gcc and clang, -Werror both ways and the warnings of
# -Wall -Wextra compared.  A __free() declaration expands to the same
# tokens both ways, and a return before a __free() variable is assigned
# draws the same warnings both ways: debug mode does not zero the variable
# and so hide the garbage put the release build makes.
. tests/common/tap.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

FLAGS="-std=c11 -D_POSIX_C_SOURCE=200809L -O2 -Wall -Wextra -Wshadow
	-Wstrict-prototypes -Iinclude -Icompat -Iexamples -Itests/common
	-Itests/unit"
FILES="examples/*.c tests/unit/test_cleanup.c tests/unit/test_cleanup_example.c
	tests/compat/test_compat.c tests/compat/test_kref_rst.c tests/build/cleanup_hostile.c"

# To assembly only: examples/cortex_m.c's inline asm is Cortex-M's (and
# Clang parses inline asm unless told not to).
asm_only() {
	case $1 in
	clang*) echo "-S -fno-integrated-as" ;;
	*) echo "-S" ;;
	esac
}

# warnings CC FILE [FLAGS...]: the warning lines of compiling FILE, sorted.
warnings() {
	cc=$1 file=$2
	shift 2
	# shellcheck disable=SC2086
	$cc $FLAGS "$@" $(asm_only $cc) -o /dev/null "$file" 2>&1 |
		grep 'warning:' | sort
}

# same CC FILE: FILE builds with -Werror without KREF_DEBUG and with it,
# and warns the same way both ways without -Werror.
same() {
	# shellcheck disable=SC2086
	$1 $FLAGS -Werror $(asm_only $1) -o /dev/null "$2" &&
	$1 $FLAGS -Werror -DKREF_DEBUG $(asm_only $1) -o /dev/null "$2" || return 1
	warnings "$1" "$2" >"$tmp/release"
	warnings "$1" "$2" -DKREF_DEBUG >"$tmp/debug"
	diff "$tmp/release" "$tmp/debug"
}

for cc in gcc clang; do
	if ! command -v $cc >/dev/null; then
		skip "$cc not installed ($cc)"
		continue
	fi
	for file in $FILES; do
		# shellcheck disable=SC2086
		case $file in
		*/test_kref_rst.c|*/kernel_style.c)
			# liburcu's headers (liburcu-dev)
			if ! $cc $FLAGS $(asm_only $cc) -o /dev/null "$file" 2>/dev/null; then
				skip "$cc: $file needs liburcu's headers (liburcu-dev)"
				continue
			fi ;;
		esac
		ok "$cc: $file builds with KREF_DEBUG as without it, -Werror, the same warnings" \
			same $cc "$file"
	done
done

# A return before the variable is assigned: without KREF_DEBUG the cleanup
# puts whatever the variable held; it must do the same with it.
cat >"$tmp/early.c" <<'EOF_C'
#include <kref.h>
struct obj { struct kref ref; int id; };
static void obj_release(struct kref *ref) { (void)ref; }
KREF_DEFINE_PUT(obj_put, struct obj, ref, obj_release);
struct obj *lookup(int id);
int early(int id, int fail);
int early(int id, int fail)
{
	struct obj *o __free(obj_put);

	if (fail)
		return -1;
	o = lookup(id);
	return o ? o->id : 0;
}
EOF_C
early_same() {
	warnings "$1" "$tmp/early.c" >"$tmp/release"
	warnings "$1" "$tmp/early.c" -DKREF_DEBUG >"$tmp/debug"
	diff "$tmp/release" "$tmp/debug" || return 1
	# GCC sees the uninitialised read; then so must it in debug mode.
	[ "$1" != gcc ] || ! grep -q 'uninitialized' "$tmp/release" ||
		grep -q 'uninitialized' "$tmp/debug"
}
for cc in gcc clang; do
	if command -v $cc >/dev/null; then
		w=$(warnings $cc "$tmp/early.c" | grep -o '\[-W[a-z-]*\]' | head -n 1)
		ok "$cc: a return before a __free() variable is assigned warns the same with KREF_DEBUG (${w:-no warning})" \
			early_same $cc
	else
		skip "$cc not installed ($cc)"
	fi
done

# The declaration the program wrote, as the compiler gets it.
declaration() {
	# shellcheck disable=SC2086
	cc $FLAGS "$@" -E "$tmp/early.c" | grep -F 'struct obj *o ' | tr -s ' \t'
}
same_tokens() {
	declaration >"$tmp/release" && declaration -DKREF_DEBUG >"$tmp/debug" &&
	[ -s "$tmp/release" ] && diff "$tmp/release" "$tmp/debug"
}
ok "a __free() declaration without a value expands to the same tokens with KREF_DEBUG (no initialiser added)" \
	same_tokens

done_testing
