#!/bin/sh
# SPDX-License-Identifier: MIT
# man.sh - every man page renders without a warning, and after make install
# every documented name opens its family's page.
. tests/harness/tap.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# No output on stderr from man --warnings, and some text on stdout.
renders() {
	out=$(MANWIDTH=80 man --warnings "$@" 2>&1 >"$tmp/page") &&
	[ -z "$out" ] && [ -s "$tmp/page" ] || { printf '%s\n' "$out"; false; }
}
all_links_open() {
	while read -r page names; do
		for n in $names; do
			MANWIDTH=80 man -M "$tmp/p/share/man" 3 "$n" 2>&1 |
				grep -q "$n" || { echo "$n"; return 1; }
		done
	done < man/links
}

need man man-db
for page in man/*.3 man/*.7; do
	ok "man --warnings -l $page: clean" renders -l "$page"
done
ok "make install puts the pages and their links in MANDIR" \
	make -s install PREFIX="$tmp/p"
ok "man 7 kref and man 3 kref_put_mutex open after install" \
	sh -c "MANWIDTH=80 man -M '$tmp/p/share/man' 7 kref | grep -q 'Get a reference before' &&
	       MANWIDTH=80 man -M '$tmp/p/share/man' 3 kref_put_mutex | grep -q 'kref_put_mutex'"
ok "every name in man/links opens its family's page" all_links_open
done_testing
