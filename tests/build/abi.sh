#!/bin/sh
# SPDX-License-Identifier: MIT
# abi.sh - make check-abi's script (tests/release/check-abi.sh) on doctored
# libraries: a removed export or a changed struct layout fails it; an
# added export passes, listed; a
# soname bump passes with the old ABI not compared and the new one a skip;
# a SOVERSION below the last baseline fails; without abidiff the whole
# check is one skip naming abigail-tools, counted as such by the harness.
. tests/common/tap.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
need abidiff abigail-tools
soversion=$(sed -n 's/^SOVERSION *:= *//p' Makefile)
[ -f "$KREF_BUILD/libkref.so.$soversion.0.0" ] ||
	{ echo "1..0 # SKIP no $KREF_BUILD/libkref.so.$soversion.0.0: run make"; exit 0; }
# libkref.so's objects: libkref.a's members, as the build left them.
objs=$(ar t "$KREF_BUILD/libkref.a" | sed "s,^,$KREF_BUILD/obj/,")

# lib NAME SOVERSION MAP [OBJECT]: a libkref.so.SOVERSION in $tmp/NAME
# linked from the build's objects (and OBJECT) with version script MAP.
lib() {
	mkdir -p "$tmp/$1" &&
	cc -shared -g -Wl,-soname,libkref.so.$2 -Wl,--version-script="$3" -pthread \
		-o "$tmp/$1/libkref.so.$2.0.0" $objs $4
}
# check NAME SOVERSION: check-abi.sh on it; its output in $tmp/NAME.log.
check() {
	KREF_BUILD=$tmp/$1 KREF_SOVERSION=$2 sh tests/release/check-abi.sh >"$tmp/$1.log" 2>&1
}

grep -v 'percpu_ref_is_zero;' src/libkref.map >"$tmp/removed.map"
removed() {
	lib removed "$soversion" "$tmp/removed.map" || return 1
	check removed "$soversion" && { cat "$tmp/removed.log"; return 1; }
	grep -q '^not ok .*no change but additions' "$tmp/removed.log" &&
	grep -q 'percpu_ref_is_zero' "$tmp/removed.log" &&
	grep -q 'bump SOVERSION' "$tmp/removed.log"
}
ok "an export removed at the same soname: check-abi fails, names it, says bump SOVERSION" removed

# A new function, exported in a new node.
echo 'int kref_abi_test_added(int x) { return x + 1; }' >"$tmp/added.c"
{ cat src/libkref.map
  printf 'LIBKREF_99.0.0 {\nglobal:\n\tkref_abi_test_added;\n} %s;\n' \
	"$(sed -n 's/^\(LIBKREF_[0-9.]*\) {.*/\1/p' src/libkref.map | tail -n 1)"
} >"$tmp/added.map"
added() {
	cc -c -g -fPIC -o "$tmp/added.o" "$tmp/added.c" &&
	lib added "$soversion" "$tmp/added.map" "$tmp/added.o" || return 1
	check added "$soversion" || { cat "$tmp/added.log"; return 1; }
	grep -q '^# compatible changes' "$tmp/added.log" &&
	grep -q "kref_abi_test_added" "$tmp/added.log"
}
ok "an export added in a new node: check-abi passes and lists it" added

# A changed layout: struct percpu_ref_data's release moved after chunk.
layout() {
	cp -r include "$tmp/inc" &&
	sed -i 's/^\tpercpu_ref_func_t \*release;$/\tvoid *moved_;\n\tpercpu_ref_func_t *release;/' \
		"$tmp/inc/kref/percpu.h" &&
	grep -q moved_ "$tmp/inc/kref/percpu.h" &&
	cc -std=c11 -D_POSIX_C_SOURCE=200809L -g -O2 -fPIC -pthread -I"$tmp/inc" \
		-c -o "$tmp/percpu.o" src/percpu.c || return 1
	objs_saved=$objs
	objs=$(echo "$objs" | grep -v '/percpu\.o$')
	lib layout "$soversion" src/libkref.map "$tmp/percpu.o"
	status=$?
	objs=$objs_saved
	[ $status = 0 ] || return 1
	check layout "$soversion" && { cat "$tmp/layout.log"; return 1; }
	grep -q '^not ok .*no change but additions' "$tmp/layout.log" &&
	grep -q 'percpu_ref_data' "$tmp/layout.log"
}
ok "struct percpu_ref_data's layout changed at the same soname: check-abi fails" layout

next=$((soversion + 1))
bumped() {
	lib bumped "$next" "$tmp/removed.map" || return 1
	check bumped "$next" || { cat "$tmp/bumped.log"; return 1; }
	grep -q "^ok .*soname bumped from libkref.so.$soversion to libkref.so.$next" "$tmp/bumped.log" &&
	grep -q '^# .*percpu_ref_is_zero' "$tmp/bumped.log" &&
	grep -q "^ok [0-9]* # SKIP no abi/libkref.so.$next.abi" "$tmp/bumped.log"
}
ok "the same removal with a soname bump: passes, libkref.so.$soversion's ABI moot, a skip for libkref.so.$next" bumped

if [ "$soversion" -gt 1 ]; then
	back=$((soversion - 1))
	went_back() {
		lib back "$back" src/libkref.map || return 1
		check back "$back" && { cat "$tmp/back.log"; return 1; }
		grep -q "SOVERSION went back" "$tmp/back.log"
	}
	ok "SOVERSION below the last baseline's: check-abi fails" went_back
else
	skip "SOVERSION is 1: none below it"
fi

# Without abidiff: tests/harness/run counts one skip, naming the package.
mkdir -p "$tmp/bin"
for t in sh mkdir dirname head timeout awk cat rm mktemp sed; do
	ln -s "$(command -v $t)" "$tmp/bin/$t"
done
no_abidiff() {
	PATH=$tmp/bin KREF_COUNTS=$tmp/counts KREF_SKIPS=$tmp/skips \
		tests/harness/run abi tests/release/check-abi.sh >/dev/null
	[ "$(cat "$tmp/counts")" = "abi 0 0 1" ] &&
	grep -qx 'abidiff not installed (abigail-tools)' "$tmp/skips"
}
ok "without abidiff: one skip, \"abidiff not installed (abigail-tools)\"" no_abidiff
done_testing
