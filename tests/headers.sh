#!/bin/sh
# SPDX-License-Identifier: MIT
# headers.sh - the core headers compile freestanding under gcc and clang for
# C11, C17 and C2x and need nothing but refcount_warn_saturate; <kref.h>
# compiles as C++17 and C++20 and links with the C library; KREF_DEBUG
# leaves a unit built without it untouched.
. tests/tap.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Undefined symbols of an object other than our one out-of-line function.
foreign_symbols() {
	nm -u "$1" | awk '$2 != "refcount_warn_saturate" { print $2 }'
}

freestanding() {
	$1 -std=$2 -ffreestanding -nostdlib -O2 -Wall -Wextra -Werror \
		-Iinclude -c tests/freestanding.c -o "$tmp/f.o" &&
	[ -z "$(foreign_symbols "$tmp/f.o")" ]
}

cxx() {
	$1 -std=$2 -Wall -Wextra -Werror -Iinclude -pthread tests/cxx.cpp \
		"$KREF_BUILD/libkref.a" -o "$tmp/cxx" && "$tmp/cxx"
}

for cc in gcc clang; do
	for std in c11 c17 c2x; do
		if command -v $cc >/dev/null; then
			ok "$cc -std=$std -ffreestanding: core compiles, needs no libc" \
				freestanding $cc $std
		else
			skip "$cc not installed"
		fi
	done
done
# Without KREF_DEBUG not one token of debug mode reaches the compiler.
no_debug_tokens() {
	cc -E -Iinclude examples/minimal.c | grep -c 'kref_debug' | grep -qx 0
}
debug_hooks() {
	cc -std=gnu11 -DKREF_DEBUG -O2 -Iinclude -c examples/minimal.c -o "$tmp/d.o" &&
	nm -u "$tmp/d.o" | grep -q 'kref_debug_put$'
}
ok "without KREF_DEBUG, <kref.h> expands to no debug code" no_debug_tokens
ok "with KREF_DEBUG, kref_put calls the debug path" debug_hooks

for cxx in g++ clang++; do
	for std in c++17 c++20; do
		if command -v $cxx >/dev/null; then
			ok "$cxx -std=$std: <kref.h> compiles, links with C, runs" \
				cxx $cxx $std
		else
			skip "$cxx not installed"
		fi
	done
done
done_testing
