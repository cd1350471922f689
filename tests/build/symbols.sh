#!/bin/sh
# SPDX-License-Identifier: MIT
# symbols.sh - libkref.so exports exactly src/libkref.map's names, each in
# its version node (none at Base); src/internal.h's helpers stay hidden;
# debian/libkref2.symbols lists the same names at the same nodes; a program
# linked with libkref.so asks for the versioned names.
. tests/common/tap.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
need readelf binutils
so=$(ls "$KREF_BUILD"/libkref.so.*.*.* 2>/dev/null | head -n 1)
[ -n "$so" ] || { echo "1..0 # SKIP no $KREF_BUILD/libkref.so.*: run make"; exit 0; }

# "name node" for each global name of the version script.
awk '
	/^[A-Za-z_][A-Za-z0-9_.]* *\{/ { node = $1; sub(/\{.*/, "", node); next }
	/^\}/ { node = ""; next }
	node != "" && /^global:/ { global = 1; next }
	node != "" && /^local:/ { global = 0; next }
	node != "" && global && /^[ \t]+[A-Za-z_][A-Za-z0-9_]*;/ {
		name = $1; sub(/;$/, "", name); print name, node }
' src/libkref.map | sort >"$tmp/map"
ok "src/libkref.map names exports" test -s "$tmp/map"

# The library's defined dynamic symbols as "name node" (node: Base if none),
# the version nodes' own (absolute) symbols left out.
readelf --dyn-syms -W "$so" | awk '$7 != "UND" && $7 != "ABS" && $8 ~ /./ && NR > 3 && $1 ~ /:$/ {
	n = $8
	if (n ~ /@@?/) { split(n, p, /@@?/); print p[1], p[2] }
	else print n, "Base" }' | awk '$1 != $2' | sort >"$tmp/so"

ok "every export of ${so##*/} has a version node (none at Base)" \
	sh -c "! grep ' Base\$' '$tmp/so'"
same_exports() {
	diff "$tmp/map" "$tmp/so" && return
	echo "< in src/libkref.map only, > exported but not in it"
	return 1
}
ok "${so##*/} exports exactly src/libkref.map's names, at its nodes" same_exports

# Every function src/internal.h and src/debug_internal.h declare.
sed -n 's/^[a-z][a-z_ ]*[ *]\([a-z_][a-z0-9_]*\)(.*/\1/p' src/internal.h \
	src/debug_internal.h | sort -u >"$tmp/internal"
hidden() {
	[ -s "$tmp/internal" ] || { echo "no helpers found in src/internal.h"; return 1; }
	cut -d' ' -f1 "$tmp/so" | grep -xFf "$tmp/internal" && return 1
	true
}
ok "src/internal.h's $(wc -l <"$tmp/internal") helpers are not exported" hidden

# debian/libkref2.symbols: "name@NODE minver" for the names and the nodes.
symbols_file() {
	sed -n 's/^ \([^@ ]*\)@\([^ ]*\) .*/\1 \2/p' debian/libkref2.symbols |
		awk '$1 != $2' | sort >"$tmp/deb"
	diff "$tmp/map" "$tmp/deb" || return 1
	cut -d' ' -f2 "$tmp/map" | sort -u | while read -r node; do
		grep -q "^ $node@$node " debian/libkref2.symbols ||
			{ echo "no $node@$node"; return 1; }
	done
}
ok "debian/libkref2.symbols lists the same names at the same nodes" symbols_file

cat >"$tmp/app.c" <<'EOF_C'
#include <kref.h>
int main(void) { return refcount_set_warn_handler(refcount_warn_default) != refcount_warn_default; }
EOF_C
versioned_reference() {
	cc -Iinclude "$tmp/app.c" -L"$KREF_BUILD" -lkref -pthread -o "$tmp/app" &&
	LD_LIBRARY_PATH=$KREF_BUILD "$tmp/app" &&
	node=$(grep '^refcount_set_warn_handler ' "$tmp/map" | cut -d' ' -f2) &&
	readelf --dyn-syms -W "$tmp/app" | grep -q "refcount_set_warn_handler@$node"
}
ok "a program linked with -lkref asks for refcount_set_warn_handler@LIBKREF_*" \
	versioned_reference
done_testing
