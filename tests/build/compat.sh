#!/bin/sh
# SPDX-License-Identifier: MIT
# compat.sh - kernel-style code builds unchanged against the installed
# compat headers (-I$(pkg-config --variable=compatdir libkref)): the kref
# article's example (tests/compat/test_kernel_seed.c) and the compat names
# (tests/compat/test_compat.c) build and pass, also with -DKREF_DEBUG.
. tests/common/tap.sh
need pkg-config pkgconf
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
p=$tmp/prefix

ok "make install PREFIX=dir" make -s install PREFIX="$p"
PKG_CONFIG_PATH=$p/lib/pkgconfig
export PKG_CONFIG_PATH
ok "compat headers installed, <linux/sched/task.h> too" test -f \
	"$(pkg-config --variable=compatdir libkref)/linux/sched/task.h"

# builds NAME [FLAGS]: tests/compat/NAME.c against the installed tree, run;
# with -DKREF_DEBUG, linked with the debug mode's library.
builds() {
	name=$1
	shift
	case " $* " in
	*" -DKREF_DEBUG "*) debug=$(pkg-config --libs libkref-debug) ;;
	*) debug= ;;
	esac
	# shellcheck disable=SC2086
	cc "$@" -Wall -Wextra -Werror -Itests/common \
		-I"$(pkg-config --variable=compatdir libkref)" \
		$(pkg-config --cflags libkref) "tests/compat/$name.c" \
		$debug "$p/lib/libkref.a" -pthread -o "$tmp/$name" &&
	LD_LIBRARY_PATH=$p/lib "$tmp/$name" >"$tmp/$name.out" 2>&1 ||
		{ cat "$tmp/$name.out"; return 1; }
}
WRAP=-Wl,--wrap=pthread_create		# the test makes pthread_create fail
ok "the kref article's code builds unchanged and passes" builds test_kernel_seed $WRAP
ok "  and with -DKREF_DEBUG" builds test_kernel_seed $WRAP -DKREF_DEBUG
ok "the compat names build and pass" builds test_compat
ok "  and with -DKREF_DEBUG" builds test_compat -DKREF_DEBUG
done_testing
