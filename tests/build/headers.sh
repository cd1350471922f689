#!/bin/sh
# SPDX-License-Identifier: MIT
# headers.sh - the core headers compile freestanding under gcc and clang for
# C11, C17 and C2x and need nothing but refcount_warn_saturate; <kref.h>
# compiles as C++17 and C++20 and links with the C library; KREF_DEBUG
# leaves a unit built without it untouched; KREF_ATOMIC_HOOK=1 leaves no
# atomic read-modify-write instruction.
. tests/common/tap.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Undefined symbols of an object other than our one out-of-line function.
foreign_symbols() {
	nm -u "$1" | awk '$2 != "refcount_warn_saturate" { print $2 }'
}

freestanding() {
	$1 -std=$2 -ffreestanding -nostdlib -O2 -Wall -Wextra -Werror \
		-Iinclude -c tests/build/freestanding.c -o "$tmp/f.o" &&
	[ -z "$(foreign_symbols "$tmp/f.o")" ]
}

cxx() {
	$1 -std=$2 -Wall -Wextra -Werror -Iinclude -pthread tests/build/cxx.cpp \
		"$KREF_BUILD/libkref.a" -o "$tmp/cxx" && "$tmp/cxx"
}

# every "COMPILERS" "STANDARDS" CHECK WHAT: runs CHECK COMPILER STANDARD for
# each pair, as "COMPILER -std=STANDARD: WHAT"; skipped if not installed.
every() {
	for compiler in $1; do
		for std in $2; do
			if command -v "$compiler" >/dev/null; then
				ok "$compiler -std=$std: $4" "$3" "$compiler" "$std"
			else
				skip "$compiler not installed (${compiler%++})"
			fi
		done
	done
}

# Strict ISO C, no feature-test macro: <kref.h> compiles, links and runs;
# so does man 7 kref's example.  Asking for POSIX brings the spinlock calls.
STRICT="-pedantic -Wall -Wextra -Werror -Iinclude"
sed -n '/^\.EX/,/^\.EE/{/^\.E[XE]/d;s/\\-/-/g;p}' man/kref.7 >"$tmp/man7.c"
cat >"$tmp/spin.c" <<'EOF_C'
#include <kref.h>
static void rel(struct kref *k) { pthread_spin_unlock((pthread_spinlock_t *)(void *)k); }
int put(struct kref *k, pthread_spinlock_t *l) { return kref_put_lock(k, rel, l); }
EOF_C
strict() {
	$1 -std=$2 $STRICT examples/minimal.c "$KREF_BUILD/libkref.a" -pthread \
		-o "$tmp/strict" && "$tmp/strict" >/dev/null &&
	$1 -std=$2 $STRICT -c "$tmp/man7.c" -o "$tmp/man7.o" &&
	$1 -std=$2 $STRICT -D_POSIX_C_SOURCE=200112L -c "$tmp/spin.c" -o "$tmp/spin.o"
}
every "gcc clang" "c11 c17 c2x" strict \
	"-pedantic: <kref.h> and man 7 kref's example build and run"

every "gcc clang" "c11 c17 c2x" freestanding \
	"-ffreestanding: core compiles, needs no libc"
every "g++ clang++" "c++17 c++20" cxx "<kref.h> compiles, links with C, runs"

# Without KREF_DEBUG not one token of debug mode reaches the compiler but
# the declaration of kref_debug_report_leaks(), which every build has.
no_debug_tokens() {
	cc -E -Iinclude examples/minimal.c | grep 'kref_debug' |
		grep -vxc 'unsigned long kref_debug_report_leaks(void);' | grep -qx 0
}
debug_hooks() {
	cc -std=gnu11 -DKREF_DEBUG -O2 -Iinclude -c examples/minimal.c -o "$tmp/d.o" &&
	nm -u "$tmp/d.o" | grep -q 'kref_debug_put$'
}
# rcuref_get is one atomic add: no compare-and-swap loop (x86-64 check).
one_add_no_cas() {
	cc -std=c11 -O2 -Iinclude -c tests/build/rcuref_get_fn.c -o "$tmp/g.o" &&
	objdump -d "$tmp/g.o" >"$tmp/g.s" &&
	[ "$(grep -c 'lock xadd' "$tmp/g.s")" = 1 ] && ! grep -q cmpxchg "$tmp/g.s"
}
# KREF_ATOMIC_HOOK=1, as on Cortex-M0: no atomic RMW instruction is left
# (xchg with memory is one) in the core or rcuref_get, and they call the
# firmware's hook.
hook_only() {
	for f in freestanding rcuref_get_fn; do
		cc -std=c11 -O2 -DKREF_ATOMIC_HOOK=1 -Iinclude -c tests/build/$f.c \
			-o "$tmp/h.o" && objdump -d "$tmp/h.o" >"$tmp/h.s" &&
		! grep -Eq 'lock|xchg.*\(' "$tmp/h.s" &&
		nm -u "$tmp/h.o" | grep -q kref_critical_enter || return 1
	done
}
if [ "$(uname -m)" = x86_64 ]; then
	ok "rcuref_get compiles to one lock xadd and no cmpxchg" one_add_no_cas
	ok "KREF_ATOMIC_HOOK=1: no locked instruction; calls the hook" hook_only
else
	skip "the rcuref_get code check reads x86-64 code"
	skip "the KREF_ATOMIC_HOOK code check reads x86-64 code"
fi
ok "without KREF_DEBUG, <kref.h> expands to no debug code (but kref_debug_report_leaks' declaration)" \
	no_debug_tokens
ok "with KREF_DEBUG, kref_put calls the debug path" debug_hooks

done_testing
