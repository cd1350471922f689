#!/bin/sh
# SPDX-License-Identifier: MIT
# install.sh - make install (PREFIX and DESTDIR) lays out headers, both
# libraries and libkref.pc, and a program builds with pkg-config alone;
# make uninstall removes every file install wrote and nothing else, and
# libkref's own directories, but no shared one.
. tests/common/tap.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
p=$tmp/prefix

# ok_pc: ok, for a check that needs pkg-config.
ok_pc() {
	if command -v pkg-config >/dev/null; then
		ok "$@"
	else
		skip "pkg-config not installed (pkgconf)"
	fi
}

# A live prefix, as /usr/local is: the shared directories are there
# already, with another package's files in them.
for f in include/other.h lib/libother.so.1 lib/pkgconfig/other.pc bin/other \
	share/man/man1/other.1 share/man/man3/other.3 share/man/man7/other.7 \
	share/other/data; do
	mkdir -p "$p/${f%/*}" && echo other >"$p/$f"
done
# listing DIR: every path under DIR, with its type (f, l or d).
listing() {
	find "$1" -printf '%y %P\n' | sort
}
listing "$p" >"$tmp/before"

ok "make install PREFIX=dir" make -s install PREFIX="$p"
ok "headers installed" test -f "$p/include/kref.h" -a -f "$p/include/kref/refcount.h" \
	-a -f "$p/include/kref/kref.h" -a -f "$p/include/kref/locks.h"
ok "static and shared libraries installed" test -f "$p/lib/libkref.a" \
	-a -f "$p/lib/libkref.so.2.0.0" -a -L "$p/lib/libkref.so.2" -a -L "$p/lib/libkref.so"
ok "the shared library's soname is libkref.so.2" \
	sh -c "readelf -d '$p/lib/libkref.so.2.0.0' | grep -q 'SONAME.*\[libkref.so.2\]'"

build_with_pkg_config() {
	PKG_CONFIG_PATH=$p/lib/pkgconfig
	export PKG_CONFIG_PATH
	cc examples/minimal.c $(pkg-config --cflags --libs libkref) -o "$tmp/app" &&
	LD_LIBRARY_PATH=$p/lib "$tmp/app" | grep -q 'released: hello, kref' &&
	LD_LIBRARY_PATH=$p/lib ldd "$tmp/app" | grep -q "$p/lib/libkref.so.2"
}
ok_pc "cc app.c \$(pkg-config --cflags --libs libkref) builds, runs, uses the .so" \
	build_with_pkg_config
# Debug mode: libkref-debug.a, with -DKREF_DEBUG from its Cflags.
debug_with_pkg_config() {
	PKG_CONFIG_PATH=$p/lib/pkgconfig
	export PKG_CONFIG_PATH
	cc examples/demo.c $(pkg-config --cflags --libs libkref-debug libkref) \
		-o "$tmp/demo" &&
	LD_LIBRARY_PATH=$p/lib "$tmp/demo" 2>&1 | grep -q '^kref: put after the final put'
}
ok_pc "cc app.c \$(pkg-config --cflags --libs libkref-debug libkref): debug mode" \
	debug_with_pkg_config
version=$(sed -n 's/^VERSION *:= *//p' Makefile)
ok_pc "pkg-config reports the version ($version)" \
	sh -c "PKG_CONFIG_PATH='$p/lib/pkgconfig' pkg-config --modversion libkref | grep -qx '$version'"

installed_version() {
	grep -qx "#define KREF_VERSION_STRING[[:space:]]*\"$version\"" "$p/include/kref/version.h"
}
ok "kref/version.h installed, with KREF_VERSION_STRING \"$version\"" installed_version

kernel_style_builds() {
	PKG_CONFIG_PATH=$p/lib/pkgconfig
	export PKG_CONFIG_PATH
	cc -c examples/kernel_style.c -Iexamples \
		-I"$(pkg-config --variable=compatdir libkref)" \
		$(pkg-config --cflags libkref) -o "$tmp/ks.o" &&
	[ "$(pkg-config --variable=compatdir libkref)" = "$p/include/kref/compat" ]
}
ok_pc "kernel-style code builds with -I\$(pkg-config --variable=compatdir libkref)" \
	kernel_style_builds

cmake_builds() {
	PKG_CONFIG_PATH=$p/lib/pkgconfig
	export PKG_CONFIG_PATH
	cmake -S examples/cmake -B "$tmp/cmake" >/dev/null &&
	cmake --build "$tmp/cmake" >/dev/null &&
	LD_LIBRARY_PATH=$p/lib "$tmp/cmake/minimal" | grep -q 'released: hello, kref'
}
if command -v cmake >/dev/null; then
	ok_pc "CMake: find_package(PkgConfig) + pkg_check_modules builds and runs" \
		cmake_builds
else
	skip "cmake not installed (cmake)"
fi

# The analyzer plugin, when built: installed where the installed
# kref-check finds it with no KREF_CHECK_PLUGIN.
installed_clang_engine() {
	test -f "$p/lib/kref-check/kref-analyzer.so" &&
	env -u KREF_CHECK_PLUGIN "$p/bin/kref-check" --engine=clang -I"$p/include" \
		-I"$p/include/kref/compat" tests/kref-check/clang/r2_double_put.c >"$tmp/out" 2>&1
	[ $? = 1 ] && grep -q "r2_double_put.c:26:[0-9]*: rule 2: " "$tmp/out" || { cat "$tmp/out"; return 1; }
}
if command -v clang-14 >/dev/null && command -v llvm-config-14 >/dev/null &&
	[ -e "$(llvm-config-14 --includedir)/clang/StaticAnalyzer/Core/Checker.h" ]; then
	ok "make analyzer-plugin, then make install: the plugin installed" \
		sh -c 'make -s analyzer-plugin && make -s install PREFIX="$1"' sh "$p"
	ok "the installed kref-check --engine=clang runs with it" installed_clang_engine
else
	skip "the analyzer plugin cannot be built (clang-14 llvm-14-dev libclang-14-dev)"
fi

# The live prefix after make uninstall: what it was before make install,
# path for path (the other package's files kept, no file of ours left).
uninstalled_live() {
	make -s uninstall PREFIX="$p" && listing "$p" >"$tmp/after" &&
	diff "$tmp/before" "$tmp/after"
}
ok "make uninstall PREFIX=dir: the prefix is as it was before make install" \
	uninstalled_live

s=$tmp/stage
ok "make install DESTDIR=stage PREFIX=/usr" \
	make -s install DESTDIR="$s" PREFIX=/usr
ok "DESTDIR prefixes every file; libkref.pc names /usr" \
	sh -c "test -f '$s/usr/include/kref.h' -a -f '$s/usr/lib/libkref.a' &&
	       grep -qx 'prefix=/usr' '$s/usr/lib/pkgconfig/libkref.pc'"
installed_count=$(find "$s" ! -type d | wc -l)
# Into an empty DESTDIR, every directory is install's: uninstall removes
# every file and link, and libkref's own directories; the shared ones stay.
shared="usr usr/bin usr/include usr/lib usr/lib/pkgconfig usr/share usr/share/man
usr/share/man/man1 usr/share/man/man3 usr/share/man/man7"
uninstalled_stage() {
	make -s uninstall DESTDIR="$s" PREFIX=/usr || return 1
	find "$s" ! -type d | grep . && { echo "left above"; return 1; }
	find "$s" -mindepth 1 -type d -printf '%P\n' | sort >"$tmp/dirs"
	printf "%s\n" $shared | sort | diff - "$tmp/dirs"
}
ok "make uninstall DESTDIR=stage: none of the $installed_count files and links left, only shared directories" \
	uninstalled_stage
ok "make uninstall again: nothing to do, no error" sh -c \
	"make -s uninstall DESTDIR='$s' PREFIX=/usr 2>&1 | grep . && exit 1; true"
# A file of someone else's in libkref's own directory keeps it.
foreign_kept() {
	make -s install DESTDIR="$s" PREFIX=/usr >/dev/null &&
	echo local >"$s/usr/include/kref/local.h" &&
	make -s uninstall DESTDIR="$s" PREFIX=/usr | grep -q 'kref holds files' &&
	[ "$(find "$s" ! -type d -printf '%P\n')" = usr/include/kref/local.h ]
}
ok "make uninstall keeps a file it did not install, and its directory" foreign_kept
done_testing
