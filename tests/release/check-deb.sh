#!/bin/sh
# SPDX-License-Identifier: MIT
# check-deb.sh - make dist is byte-reproducible, with or without git; the
# source package and .debs that dpkg-buildpackage builds from its tarball
# pass lintian without an error, and the .debs hold what libkref2 and
# libkref-dev should and build a program.
# The packages, the build log and lintian's output are kept in build/deb/.
. tests/common/tap.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
version=$(sed -n 's/^VERSION *:= *//p' Makefile)
tarball=build/libkref-$version.tar.gz
src=$tmp/libkref-$version
out=build/deb

need dpkg-buildpackage dpkg-dev
need dh debhelper
need lintian lintian
arch=$(dpkg-architecture -qDEB_HOST_ARCH)
ma=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
changes=$tmp/libkref_$version-1_$arch.changes
dev=$tmp/libkref-dev_$version-1_$arch.deb
lib=$tmp/libkref2_${version}-1_$arch.deb
kcheck=$tmp/kref-check_${version}-1_all.deb

sum() { sha256sum <"$tarball"; }
ok "make dist writes $tarball" make -s dist
first=$(sum)
dist_again() { make -s dist >/dev/null && [ "$(sum)" = "$first" ]; }
ok "make dist again: the same bytes" dist_again
ok "the tarball unpacks to libkref-$version/" tar -xzf "$tarball" -C "$tmp"

# Files git tracks that are missing from the tarball (a new top-level
# entry not yet in mk/release.mk's DIST_FILES).
untarred() {
	tar -tzf "$tarball" | grep -v '/$' | sed "s,^libkref-$version/,," |
		sort >"$tmp/in"
	git ls-files | while read -r f; do [ -f "$f" ] && echo "$f"; done |
		sort | comm -3 - "$tmp/in" | grep . && return 1
	true
}
if [ -e .git ] && command -v git >/dev/null; then
	ok "the tarball holds exactly the files git tracks" untarred
else
	skip "not a git checkout (git)"
fi
dist_unpacked() {
	(cd "$src" && make -s dist >/dev/null) && cmp "$tarball" "$src/$tarball" &&
	rm -r "$src/build"
}
ok "make dist in the unpacked tree, without git: the same bytes" dist_unpacked

cp "$tarball" "$tmp/libkref_$version.orig.tar.gz"
build() {
	(cd "$src" && dpkg-buildpackage -us -uc) >"$tmp/build.log" 2>&1 ||
		{ tail -n 30 "$tmp/build.log"; return 1; }
}
ok "dpkg-buildpackage -us -uc: the source package and the .debs" build
[ -f "$changes" ] || { done_testing; exit; }
case " $DEB_BUILD_OPTIONS " in
*" nocheck "*) skip "DEB_BUILD_OPTIONS=nocheck: no test run" ;;
*) ok "its test run passed" grep -Eq '^plain: [1-9][0-9]* passed, 0 failed' "$tmp/build.log" ;;
esac
# A new exported symbol must be added to debian/libkref2.symbols.
symbols_ok() { ! grep -E '^dpkg-gensymbols: warning|^[+-] .*@' "$tmp/build.log"; }
ok "debian/libkref2.symbols lists every exported symbol" symbols_ok
if command -v blhc >/dev/null; then
	ok "blhc: every compile and link had the hardening flags" \
		blhc --bindnow "$tmp/build.log"
else
	skip "blhc not installed (blhc)"
fi

lintian --fail-on error --display-info --pedantic "$changes" >"$tmp/lintian.log" 2>&1
status=$?
ok "lintian: no errors" test $status = 0
sed 's/^/# lintian: /' "$tmp/lintian.log"

# has DEB PATH...: the package holds each path (a file or a symlink).
has() {
	deb=$1
	shift
	dpkg-deb -c "$deb" | awk '{ print $6 }' | sed 's,^\.,,' >"$tmp/list"
	for p; do grep -qxF "$p" "$tmp/list" || { echo "missing: $p"; return 1; }; done
}
L=/usr/lib/$ma
ok "libkref2: libkref.so.2.0.0 and libkref.so.2" has "$lib" \
	$L/libkref.so.2.0.0 $L/libkref.so.2
only_runtime() {
	dpkg-deb -c "$lib" | awk '{ print $6 }' | grep -v '/$' |
		grep -Ev "^\./usr/(lib/$ma/libkref\.so\.2|share/doc/libkref2/)" | grep . &&
		return 1
	true
}
ok "libkref2: nothing but the runtime library and its docs" only_runtime
ok "libkref-dev: kref.h and every kref/*.h" has "$dev" /usr/include/kref.h \
	$(for h in include/kref/*.h; do echo /usr/$h; done)
ok "libkref-dev: the compat linux headers" has "$dev" \
	$(for h in compat/linux/*.h; do echo /usr/include/kref/$h; done)
ok "libkref-dev: libkref.a, libkref-debug.a, libkref.so, libkref.pc, libkref-debug.pc" has "$dev" \
	$L/libkref.a $L/libkref-debug.a $L/libkref.so $L/pkgconfig/libkref.pc $L/pkgconfig/libkref-debug.pc
ok "libkref-dev: kref(7) and every section-3 page" has "$dev" \
	/usr/share/man/man7/kref.7.gz \
	$(for m in man/*.3; do echo /usr/share/man/man3/${m#man/}.gz; done)
# dh_installman turns make install's ".so man3/PAGE" stubs into symlinks.
links_ok() {
	dpkg-deb -c "$dev" >"$tmp/list"
	while read -r page names; do
		for n in $names; do
			grep -qF "/man3/$n.3.gz -> ${page%:}.gz" "$tmp/list" ||
				{ echo "$n"; return 1; }
		done
	done <man/links
}
ok "libkref-dev: every name in man/links is a symlink to its page" links_ok
# kref-check is apart, so that libkref-dev does not pull in Coccinelle.
ok "kref-check: the script, its package, its patterns and kref-check(1)" has "$kcheck" \
	/usr/bin/kref-check /usr/share/man/man1/kref-check.1.gz \
	$(for c in tools/kref-check/cocci/*; do echo /usr/share/kref-check/${c##*/}; done) \
	$(for c in tools/kref-check/krefcheck/*.py; do echo /usr/share/kref-check/krefcheck/${c##*/}; done)
ok "kref-check: depends on coccinelle; libkref-dev does not" sh -c \
	"dpkg-deb -f '$kcheck' Depends | grep -q coccinelle &&
	 ! dpkg-deb -f '$dev' Depends | grep -q coccinelle"

# The packages, unpacked, are enough to build and run a program.
root=$tmp/root
extract() { dpkg-deb -x "$lib" "$root" && dpkg-deb -x "$dev" "$root"; }
ok "both packages extract" extract
ok "libkref.pc names /usr/lib/$ma" grep -qx "libdir=$L" "$root$L/pkgconfig/libkref.pc"
builds() {
	PKG_CONFIG_SYSROOT_DIR=$root PKG_CONFIG_LIBDIR=$root$L/pkgconfig
	export PKG_CONFIG_SYSROOT_DIR PKG_CONFIG_LIBDIR
	cc examples/minimal.c $(pkg-config --cflags --libs libkref) -o "$tmp/app" &&
	LD_LIBRARY_PATH=$root$L "$tmp/app" | grep -q 'released: hello, kref' &&
	LD_LIBRARY_PATH=$root$L ldd "$tmp/app" | grep -q "$root$L/libkref.so.2"
}
ok "examples/minimal.c builds with pkg-config and runs on the packaged .so" builds
so=$root$L/libkref.so.2.0.0
hardened() {
	readelf -lW "$so" | grep -q GNU_RELRO && readelf -d "$so" | grep -q BIND_NOW &&
	nm -D "$so" | grep -q '_chk@'
}
ok "the packaged .so is hardened: relro, bindnow, fortify" hardened

rm -rf "$out" && mkdir -p "$out" &&
	cp "$tmp"/*.deb "$tmp"/*.dsc "$tmp"/*.debian.tar.* "$tmp"/*.changes \
		"$tmp"/*.buildinfo "$tmp"/*.log "$out"/ 2>/dev/null
done_testing
