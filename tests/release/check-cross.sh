#!/bin/sh
# SPDX-License-Identifier: MIT
# check-cross.sh ARCH... - build libkref and its C tests with Debian's cross
# compiler for each ARCH (aarch64 armhf armel riscv64 i386) and run them under
# qemu-user, through tests/harness/run.  The two tests
# that need liburcu are built where the target's liburcu is installed
# (Debian multiarch: dpkg --add-architecture arm64, then liburcu-dev:arm64;
# Debian 12 has none for riscv64).
for arch; do
	# The compiler's triple, and the multiarch directory of the target's
	# Debian packages (different only for i386).
	case $arch in
	aarch64) triple=aarch64-linux-gnu ma=$triple qemu=qemu-aarch64 ;;
	armhf) triple=arm-linux-gnueabihf ma=$triple qemu=qemu-arm ;;
	armel) triple=arm-linux-gnueabi ma=$triple qemu=qemu-arm ;;
	riscv64) triple=riscv64-linux-gnu ma=$triple qemu=qemu-riscv64 ;;
	i386) triple=i686-linux-gnu ma=i386-linux-gnu qemu=qemu-i386 ;;
	*) echo "check-cross: unknown arch $arch" >&2; exit 2 ;;
	esac
	run="tests/harness/run cross-$arch"
	if ! command -v $triple-gcc >/dev/null; then
		$run --skip "$triple-gcc not installed (gcc-$triple)"
		continue
	elif ! command -v $qemu >/dev/null; then
		$run --skip "$qemu not installed (qemu-user)"
		continue
	fi
	# pkg-config finds only the target's own libraries.
	PKG_CONFIG_LIBDIR=/usr/lib/$ma/pkgconfig \
	make -s --no-print-directory MODE=cross-$arch CC=$triple-gcc \
		AR=$triple-ar tests || { $run --fail "the build failed"; continue; }
	# The target's libraries come from the cross libc, never the host's
	# (an i386 host /lib32 libc.so.6 with the cross ld.so hangs).
	QEMU_LD_PREFIX=/usr/$triple \
	QEMU_SET_ENV=LD_LIBRARY_PATH=/usr/$triple/lib KREF_EXEC=$qemu \
		$run $(make -s --no-print-directory MODE=cross-$arch list-tests)
done
