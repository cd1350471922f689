#!/bin/sh
# SPDX-License-Identifier: MIT
# check-system.sh [ARCH] - the C unit tests in a real Linux under
# qemu-system (TCG), with per-CPU mode on: unlike qemu-user, the guest
# kernel has rseq and membarrier.  ARCH: aarch64 (the default and only one).
#
# Debian's arm64 kernel (apt-get download through multiarch, cached in
# build/system/) boots an initramfs holding tests/release/system-init.c as
# /init, the tests built as check-cross builds them, and the libraries they
# load.  The init runs each test, bounded in time, between marker lines on
# the serial console, and powers off; this script splits the console back
# into one output per test and feeds them to tests/harness/run, which
# counts them as it counts every other mode.  The guest sets
# KREF_REQUIRE_PERCPU=1, so a test that would skip for lack of per-CPU mode
# fails, and the init's own checks (stream "system-init") fail if per-CPU
# mode is off.  A guest that hangs is killed after KREF_SYSTEM_TIMEOUT
# seconds (1800): the test it was running, and each one after, fails.
# KREF_TIMEOUT (300) bounds each test inside the guest.
arch=${1:-aarch64}
case $arch in
aarch64) triple=aarch64-linux-gnu debarch=arm64 qemu=qemu-system-aarch64
	console=ttyAMA0 interp=ld-linux-aarch64.so.1
	machine="-M virt -cpu max,pauth-impdef=on" ;;
*) echo "check-system: unknown arch $arch" >&2; exit 2 ;;
esac
mode=system-$arch
run="tests/harness/run $mode"
cache=build/system
out=build/$mode
cpus=2
make="make -s --no-print-directory MODE=$mode CC=$triple-gcc AR=$triple-ar"

if ! command -v $triple-gcc >/dev/null; then
	exec $run --skip "$triple-gcc not installed (gcc-$triple)"
elif [ ! -e /usr/$triple/lib/libc.so.6 ]; then
	exec $run --skip "the $arch C library not installed (libc6-dev-$debarch-cross)"
elif ! command -v $qemu >/dev/null; then
	exec $run --skip "$qemu not installed (qemu-system-arm)"
fi

# The kernel: the package Debian's linux-image-$debarch depends on now,
# fetched once.  Only /boot is unpacked: the initramfs needs no module.
mkdir -p $cache
kernel=$(ls $cache/boot/vmlinuz-* 2>/dev/null | tail -n 1)
if [ -z "$kernel" ]; then
	pkg=$(apt-cache depends linux-image-$debarch:$debarch 2>/dev/null |
	      sed -n 's/^ *Depends: \(linux-image-[0-9].*\)/\1/p' | head -n 1)
	[ -n "$pkg" ] || exec $run --skip "no linux-image-$debarch:$debarch in" \
		"apt's lists (dpkg --add-architecture $debarch; apt-get update)"
	rm -f $cache/*.deb
	(cd $cache && apt-get download -q "$pkg") >$cache/download.log 2>&1 ||
		exec $run --skip "apt-get download $pkg failed, offline? ($cache/download.log)"
	dpkg-deb --fsys-tarfile $cache/*.deb | (cd $cache && tar -x --wildcards './boot/vmlinuz-*') ||
		exec $run --fail "unpacking $cache/*.deb"
	kernel=$(ls $cache/boot/vmlinuz-* | tail -n 1)
fi

# The tests, as check-cross builds them (the target's own liburcu, if
# installed), and the init, static.
tests=$(PKG_CONFIG_LIBDIR=/usr/lib/$triple/pkgconfig $make list-tests)
PKG_CONFIG_LIBDIR=/usr/lib/$triple/pkgconfig $make $tests ||
	exec $run --fail "the build failed"
$triple-gcc -std=gnu11 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
	-O2 -g -Iinclude -static -pthread -o $out/init \
	tests/release/system-init.c $out/libkref.a || exec $run --fail "the init's build failed"

# The initramfs's tree: /init, /tests/*, and in /lib the dynamic loader and
# every library the tests need (their own, then those libraries' own), from
# the cross toolchain's libc or the target's multiarch packages.  A test
# that is a skip script (its library missing) stays here: the guest has
# no shell, and its skip is the same anywhere.
root=$out/root
rm -rf $root $out/guest
mkdir -p $root/tests/fuzz $root/lib $root/dev $out/guest
cp $out/init $root/init
# The fuzzer's replay reads its corpus from tests/fuzz/corpus: the guest
# runs the tests from /.
cp -r tests/fuzz/corpus $root/tests/fuzz/
: >$root/tests/list
elfs=
# KREF_SYSTEM_TESTS="test_a test_b" runs only those (while developing).
if [ -n "${KREF_SYSTEM_TESTS:-}" ]; then
	only=
	for t in $tests; do
		case " $KREF_SYSTEM_TESTS " in *" ${t##*/} "*) only="$only $t" ;; esac
	done
	tests=$only
fi
for t in $tests; do
	name=${t##*/}
	if [ "$(head -c 4 "$t")" = "$(printf '\177ELF')" ]; then
		cp "$t" $root/tests/ && echo "$name" >>$root/tests/list
		elfs="$elfs $t"
	fi
done
libdirs="/usr/$triple/lib /usr/lib/$triple /lib/$triple"
find_lib() {
	for d in $libdirs; do
		[ -e "$d/$1" ] && { echo "$d/$1"; return; }
	done
}
needed() {
	# shellcheck disable=SC2086
	readelf -d "$@" 2>/dev/null | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | sort -u
}
# glibc's backtrace() and pthread_cancel load libgcc_s themselves.
libs="$interp libgcc_s.so.1 $(needed $elfs)"
while [ -n "$libs" ]; do
	more=
	for l in $libs; do
		[ -e $root/lib/$l ] && continue
		f=$(find_lib "$l")
		[ -n "$f" ] || exec $run --fail "$l, which the tests need, not found in $libdirs"
		cp -L "$f" $root/lib/$l
		more="$more $(needed "$f")"
	done
	libs=$more
done

# newc cpio, written here so that no cpio tool is needed.  One entry:
# cpio_entry NAME MODE [FILE [RDEVMAJOR RDEVMINOR]]
ino=0
cpio_entry() {
	size=0
	[ -n "${3:-}" ] && size=$(wc -c <"$3")
	ino=$((ino + 1))
	namesize=$((${#1} + 1))
	printf '070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%s\0' \
		$ino $(($2)) 0 0 1 0 $size 0 0 ${4:-0} ${5:-0} $namesize 0 "$1"
	head -c $(((4 - (110 + namesize) % 4) % 4)) /dev/zero
	if [ $size != 0 ]; then
		cat "$3"
		head -c $(((4 - size % 4) % 4)) /dev/zero
	fi
}
{
	# The kernel opens /dev/console for /init before devtmpfs is mounted.
	(cd $root && find dev lib tests -type d) | sort | while read -r d; do
		cpio_entry "$d" 040755
	done
	cpio_entry dev/console 020600 "" 5 1
	(cd $root && find init lib tests -type f) | sort | while read -r f; do
		cpio_entry "$f" 0100755 "$root/$f"
	done
	cpio_entry TRAILER!!! 0
} >$out/initramfs.cpio

# Boot, with a host-side limit for a guest that hangs.
limit=${KREF_SYSTEM_TIMEOUT:-1800}
echo "$mode: booting $kernel under $qemu, $cpus CPUs ($(wc -l <$root/tests/list) test programs)"
start=$(date +%s)
timeout -k 10 "$limit" $qemu $machine -smp $cpus -m 1024 -nographic -no-reboot -nic none \
	-kernel "$kernel" -initrd $out/initramfs.cpio \
	-append "console=$console panic=-1 quiet kref_timeout=${KREF_TIMEOUT:-300} kref_cpus=$cpus" \
	</dev/null >$out/console.log 2>&1
rc=$?
echo "$mode: the guest ran $(($(date +%s) - start)) s$([ $rc = 0 ] || echo ", qemu exit $rc")"
[ $rc = 124 ] || [ $rc = 137 ] && stopped="the guest was killed after $limit s, during this test"

# Each test's output and exit status, as a program that replays them for
# tests/harness/run.  A test the guest began and never ended, or never
# began, fails.
tr -d '\r' <$out/console.log | awk -v dir=$out/guest -v stopped="${stopped:-the guest stopped during this test}" '
	/^@@kref-system begin / { name = $3; file = dir "/" name ".out"; printf "" > file; next }
	/^@@kref-system end / {
		st = $4 == "exit" ? $5 : $4 == "signal" ? 128 + $5 : 124
		if ($4 == "timeout")
			print "# check-system: killed after the per-test limit" > file
		print st > (dir "/" name ".rc"); close(file); name = ""; next }
	name != "" { print > file }
	END { if (name != "") { print "# check-system: " stopped > file; print 124 > (dir "/" name ".rc") } }'
progs=
for name in system-init $(cat $root/tests/list); do
	g=$out/guest/$name
	if [ ! -e $g.rc ]; then
		echo "# check-system: never run: the guest stopped before it ($out/console.log)" >$g.out
		echo 125 >$g.rc
	fi
	printf '#!/bin/sh\ncat "$0.out"\nexit %s\n' "$(cat $g.rc)" >$g
	chmod +x $g
	progs="$progs $g"
done
for t in $tests; do
	grep -qx "${t##*/}" $root/tests/list || progs="$progs $t"
done
# shellcheck disable=SC2086
exec $run $progs
