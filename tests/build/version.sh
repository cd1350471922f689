#!/bin/sh
# SPDX-License-Identifier: MIT
# version.sh - one version number: include/kref/version.h and debian/
# changelog's top entry name the Makefile's VERSION; make rewrites the
# header from VERSION; KREF_CHECK_VERSION() answers in #if and in C++.
. tests/common/tap.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
version=$(sed -n 's/^VERSION *:= *//p' Makefile)
header=include/kref/version.h

# macro NAME [HEADER]: the value #define NAME has in HEADER.
macro() {
	sed -n "s/^#define $1[[:space:]]*//p" "${2:-$header}"
}
header_names_version() {
	[ "$(macro KREF_VERSION_STRING)" = "\"$version\"" ] &&
	[ "$(macro KREF_VERSION_MAJOR).$(macro KREF_VERSION_MINOR).$(macro KREF_VERSION_PATCH)" = "$version" ] ||
		{ echo "$header says $(macro KREF_VERSION_STRING), the Makefile $version: run make"; return 1; }
}
ok "$header says the Makefile's VERSION ($version)" header_names_version

# The upstream part of the top entry: no epoch, no Debian revision.
changelog_names_version() {
	top=$(sed -n '1s/^libkref (\([^)]*\)).*/\1/p' debian/changelog)
	upstream=${top#*:}
	upstream=${upstream%-*}
	[ "$upstream" = "$version" ] ||
		{ echo "debian/changelog's top entry is $top, the Makefile's VERSION $version"; return 1; }
}
ok "debian/changelog's top entry is $version" changelog_names_version

# A release changes VERSION alone: make writes the new numbers, and writes
# nothing when they are already there.
regenerates() {
	mkdir -p "$tmp/tree" && cp -r Makefile mk include "$tmp/tree/" &&
	sed -i 's/^VERSION *:=.*/VERSION    := 12.0.37/' "$tmp/tree/Makefile" &&
	touch "$tmp/tree/Makefile" &&
	make -s -C "$tmp/tree" include/kref/version.h >/dev/null &&
	h=$tmp/tree/$header &&
	[ "$(macro KREF_VERSION_STRING "$h")" = '"12.0.37"' ] &&
	[ "$(macro KREF_VERSION_MAJOR "$h")" = 12 ] &&
	[ "$(macro KREF_VERSION_MINOR "$h")" = 0 ] &&
	[ "$(macro KREF_VERSION_PATCH "$h")" = 37 ] &&
	# All but the four numbers is the checked-in header.
	[ "$(diff "$header" "$h" | grep -c '^>')" = 4 ] &&
	touch -d '2000-01-01' "$h" && make -s -C "$tmp/tree" include/kref/version.h >/dev/null &&
	[ "$(find "$h" -newermt '2000-01-02')" = "" ]
}
ok "make rewrites $header from a new VERSION, and only when it changed" regenerates

# KREF_CHECK_VERSION against the version itself and its neighbours.
major=$(macro KREF_VERSION_MAJOR) minor=$(macro KREF_VERSION_MINOR) patch=$(macro KREF_VERSION_PATCH)
cat >"$tmp/check.c" <<EOF_C
#include <kref.h>
#if !KREF_CHECK_VERSION($major, $minor, $patch)
#error "not at least its own version"
#endif
#if KREF_CHECK_VERSION($major, $minor, $((patch + 1))) || \\
    KREF_CHECK_VERSION($major, $((minor + 1)), 0) || KREF_CHECK_VERSION($((major + 1)), 0, 0)
#error "a later version"
#endif
#if !KREF_CHECK_VERSION(0, 0, 0)
#error "not at least 0.0.0"
#endif
#if $minor > 0 && !KREF_CHECK_VERSION($major, $minor - 1, $patch + 100)
#error "an earlier minor with a later patch level"
#endif
#if $major > 0 && !KREF_CHECK_VERSION($major - 1, $minor + 100, $patch + 100)
#error "an earlier major"
#endif
#include <string.h>
int main(void) { return strcmp(KREF_VERSION_STRING, "$version") != 0; }
EOF_C
check_version() {
	$1 -std=c11 -pedantic -Wall -Wextra -Werror -Iinclude "$tmp/check.c" \
		-o "$tmp/check" && "$tmp/check"
}
for c in gcc clang; do
	if command -v $c >/dev/null; then
		ok "$c -std=c11 -pedantic: KREF_CHECK_VERSION in #if, KREF_VERSION_STRING" \
			check_version $c
	else
		skip "$c not installed ($c)"
	fi
done
cp "$tmp/check.c" "$tmp/check.cpp"
check_cxx() {
	g++ -std=c++17 -pedantic -Wall -Wextra -Werror -Iinclude "$tmp/check.cpp" \
		-o "$tmp/checkxx" && "$tmp/checkxx"
}
if command -v g++ >/dev/null; then
	ok "g++ -std=c++17 -pedantic: the same" check_cxx
else
	skip "g++ not installed (g++)"
fi
done_testing
