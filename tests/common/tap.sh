# SPDX-License-Identifier: MIT
# tap.sh - TAP for the shell tests: ok CMD..., skip REASON, need CMD PACKAGE,
# done_testing.
# Run from the top of the source tree; KREF_BUILD names the build directory.

tap_n=0
tap_failed=0
KREF_BUILD=${KREF_BUILD:-build/plain}

# ok "description" command [args...]: passes if the command exits 0.
ok() {
	desc=$1
	shift
	tap_n=$((tap_n + 1))
	if tap_out=$("$@" 2>&1); then
		echo "ok $tap_n - $desc"
	else
		echo "not ok $tap_n - $desc"
		printf '%s\n' "$tap_out" | sed 's/^/#   /'
		tap_failed=$((tap_failed + 1))
	fi
}

# skip "what is missing (package)": one check not run.
skip() {
	tap_n=$((tap_n + 1))
	echo "ok $tap_n # SKIP $1"
}

# need COMMAND PACKAGE: without COMMAND, skip the whole script and say
# which Debian package brings it.
need() {
	command -v "$1" >/dev/null && return
	echo "1..0 # SKIP $1 not installed ($2)"
	exit 0
}

done_testing() {
	echo "1..$tap_n"
	[ "$tap_failed" = 0 ]
}
