#!/bin/sh
# SPDX-License-Identifier: MIT
# man.sh - every man page renders without a warning, and after make install
# every documented name opens its family's page; the SEE ALSO sections link
# every page to kref(7) and back, and name no page that does not exist.
. tests/common/tap.sh
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

# "name section" for each entry of PAGE's SEE ALSO section (.BR name (N)).
see_also() {
	sed -n '/^\.SH SEE ALSO/,/^\.SH /p' "$1" |
		sed -n 's/^\.BR \([^ ]*\) (\([0-9][a-z]*\)).*/\1 \2/p'
}
# Every page in man/ is listed in kref(7)'s SEE ALSO.
all_reachable() {
	missing=0
	see_also man/kref.7 >"$tmp/listed"
	for page in man/*.[0-9]; do
		[ "$page" = man/kref.7 ] && continue
		f=${page##*/}
		grep -qx "${f%.*} ${f##*.}" "$tmp/listed" || { echo "kref(7) does not list $f"; missing=1; }
	done
	return $missing
}
# Every page a SEE ALSO names is in man/ (a page, or a name man/links
# installs as a link to a section-3 page), or is one of these system pages.
system_pages="abort 3
membarrier 2
pthread_mutex_lock 3
pthread_spin_lock 3
spatch 1"
all_exist() {
	missing=0
	for page in man/*.[0-9]; do
		see_also "$page" >"$tmp/named"
		[ -s "$tmp/named" ] || { echo "$page: no SEE ALSO"; missing=1; }
		while read -r name sec; do
			[ -e "man/$name.$sec" ] && continue
			[ "$sec" = 3 ] && sed 's/^[^:]*://' man/links | tr ' ' '\n' |
				grep -qx "$name" && continue
			printf '%s\n' "$system_pages" | grep -qx "$name $sec" && continue
			echo "$page: SEE ALSO $name($sec): no such page"; missing=1
		done <"$tmp/named"
	done
	return $missing
}
# Every page's SEE ALSO leads back to kref(7).
all_back() {
	missing=0
	for page in man/*.[0-9]; do
		[ "$page" = man/kref.7 ] && continue
		see_also "$page" | grep -qx 'kref 7' || { echo "$page: no kref(7)"; missing=1; }
	done
	return $missing
}
ok "kref(7)'s SEE ALSO lists every page in man/" all_reachable
ok "every page a SEE ALSO names exists (man/, man/links or a system page)" all_exist
ok "every page's SEE ALSO lists kref(7)" all_back

need man man-db
for page in man/*.1 man/*.3 man/*.7; do
	ok "man --warnings -l $page: clean" renders -l "$page"
done
ok "make install puts the pages and their links in MANDIR" \
	make -s install PREFIX="$tmp/p"
ok "man 7 kref and man 3 kref_put_mutex open after install" \
	sh -c "MANWIDTH=80 man -M '$tmp/p/share/man' 7 kref | grep -q 'Get a reference before' &&
	       MANWIDTH=80 man -M '$tmp/p/share/man' 3 kref_put_mutex | grep -q 'kref_put_mutex'"
ok "man 1 kref-check opens after install" \
	sh -c "MANWIDTH=80 man -M '$tmp/p/share/man' 1 kref-check | grep -q 'kref-check: ignore'"
ok "every name in man/links opens its family's page" all_links_open
done_testing
