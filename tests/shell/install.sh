#!/bin/sh
# SPDX-License-Identifier: MIT
# install.sh - make install (PREFIX and DESTDIR) lays out headers, both
# libraries and libkref.pc, and a program builds with pkg-config alone.
. tests/harness/tap.sh
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

ok "make install DESTDIR=stage PREFIX=/usr" \
	make -s install DESTDIR="$tmp/stage" PREFIX=/usr
ok "DESTDIR prefixes every file; libkref.pc names /usr" \
	sh -c "test -f '$tmp/stage/usr/include/kref.h' -a -f '$tmp/stage/usr/lib/libkref.a' &&
	       grep -qx 'prefix=/usr' '$tmp/stage/usr/lib/pkgconfig/libkref.pc'"
done_testing
