#!/bin/sh
# SPDX-License-Identifier: MIT
# check-abi.sh - the built libkref.so against the ABI of the last release
# with its soname, abi/libkref.so.SOVERSION.abi (abidw's XML, written by
# make abi-baseline at each release): abidiff must find no change but
# additions (new functions and variables pass, listed).  abidiff's own
# "incompatible" bit (exit 8) is not enough: it is set for a removed
# symbol, not for a changed layout of a type an export reaches (exit 4, as
# for an addition), so the verdict is abidiff --no-added-syms's: any change
# it still reports fails.
#
# A soname bump (SOVERSION above every baseline's) makes the previous
# release's ABI moot: the break is what the bump is for.  The changes are
# listed, not judged, and the check of the new soname is a skip until its
# first release writes abi/libkref.so.SOVERSION.abi.
#
# abidiff sees the exported functions and variables and the types they
# reach; the inline ABI (struct kref, counter encodings, percpu_ref's flag
# bits: CONTRIBUTING.md's "What is ABI") it cannot see.
# KREF_BUILD: the build (build/plain); KREF_SOVERSION and KREF_ABI_DIR
# (the Makefile's SOVERSION, abi) for tests/build/abi.sh.
. tests/common/tap.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
need abidiff abigail-tools
need abidw abigail-tools
soversion=${KREF_SOVERSION:-$(sed -n 's/^SOVERSION *:= *//p' Makefile)}
dir=${KREF_ABI_DIR:-abi}
soname=libkref.so.$soversion
so=$KREF_BUILD/$soname.0.0
baseline=$dir/$soname.abi

# attr NAME FILE: the abi-corpus element's attribute NAME.
attr() {
	sed -n "s/^<abi-corpus .*$1='\([^']*\)'.*/\1/p" "$2" | head -n 1
}
# diag FILE: FILE as TAP comments.
diag() {
	sed 's/^/# /' "$1"
}

ok "$so is built, with its soname $soname" \
	sh -c "readelf -d '$so' | grep -q 'SONAME.*\[$soname\]'"
ok "$so has debug information (abidiff reads the types from it)" \
	sh -c "readelf -S '$so' | grep -q '\.debug_info'"
abidw --no-corpus-path --no-comp-dir-path --no-show-locs --out-file "$tmp/new.abi" "$so" ||
	{ echo "Bail out! abidw cannot read $so"; exit 1; }

if [ -f "$baseline" ]; then
	ok "$baseline is the ABI of $soname" test "$(attr soname "$baseline")" = "$soname"
	arch=$(attr architecture "$baseline")
	if [ "$arch" != "$(attr architecture "$tmp/new.abi")" ]; then
		# Sizes and layouts differ between architectures: no comparison.
		skip "$baseline is $arch's ABI, not this machine's ($(attr architecture "$tmp/new.abi"))"
		done_testing
		exit
	fi
	abidiff "$baseline" "$so" >"$tmp/report" 2>&1
	rc=$?
	abidiff --no-added-syms "$baseline" "$so" >"$tmp/changes" 2>&1
	changes=$?
	compatible() {
		if [ $((rc & 3)) != 0 ] || [ $((changes & 3)) != 0 ]; then
			cat "$tmp/report"
			echo "abidiff failed (exit $rc)"
			return 1
		fi
		[ "$changes" = 0 ] && return
		cat "$tmp/changes"
		echo "An incompatible change: undo it, or bump SOVERSION in the Makefile (the"
		echo "package becomes libkref$((soversion + 1)), its symbols file"
		echo "debian/libkref$((soversion + 1)).symbols)."
		return 1
	}
	ok "no change but additions since $soname's last release (abidiff exit $rc)" compatible
	[ "$rc" = 4 ] && [ "$changes" = 0 ] &&
		{ echo "# compatible changes (additions):"; diag "$tmp/report"; }
	done_testing
	exit
fi

# No baseline for this soname: it was bumped since the last release, or
# the ABI was never recorded.
last=$(ls "$dir"/libkref.so.*.abi 2>/dev/null |
	sed -n 's,.*/libkref\.so\.\([0-9][0-9]*\)\.abi$,\1,p' | sort -n | tail -n 1)
if [ -z "$last" ]; then
	ok "an ABI baseline in $dir/ (make abi-baseline writes $baseline)" false
	done_testing
	exit
fi
bumped() {
	[ "$last" -lt "$soversion" ] && return
	echo "SOVERSION $soversion, but $dir/libkref.so.$last.abi is of a later release:"
	echo "SOVERSION went back, or $baseline was removed"
	return 1
}
ok "soname bumped from libkref.so.$last to $soname: $dir/libkref.so.$last.abi is moot" bumped
if [ "$last" -lt "$soversion" ]; then
	abidiff "$dir/libkref.so.$last.abi" "$so" >"$tmp/report" 2>&1
	rc=$?
	echo "# what changed since libkref.so.$last (abidiff exit $rc, not judged):"
	diag "$tmp/report"
	abidiff --no-added-syms "$dir/libkref.so.$last.abi" "$so" >/dev/null 2>&1 &&
		echo "# abidiff finds no change but additions: was the bump for the inline ABI?"
	skip "no $baseline until $soname's first release (make abi-baseline then)"
fi
done_testing
