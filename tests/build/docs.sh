#!/bin/sh
# SPDX-License-Identifier: MIT
# docs.sh - the docs say what the code does: docs/debug.md's sample report
# is make demo-debug's output (thread ids and addresses aside), and every
# path of the tree that README.md, CONTRIBUTING.md or docs/*.md names
# exists.
. tests/common/tap.sh

# Thread ids and object addresses differ from run to run.
normal() { sed -E 's/thread [0-9]+/thread N/; s/0x[0-9a-f]+/0xADDR/'; }

sample() {
	sed -n '/<!-- demo-debug: begin -->/,/<!-- demo-debug: end -->/p' docs/debug.md |
		sed '1,2d;$d' | sed '$d' | normal >"$tmp/doc"
	"$KREF_BUILD/demo-debug" 2>&1 | sed -n '/^kref: put after the final put/,/^  rule 2:/p' |
		normal >"$tmp/demo"
	[ -s "$tmp/doc" ] && diff -u "$tmp/doc" "$tmp/demo"
}
ok "docs/debug.md's sample report is make demo-debug's" sample

# Paths in backquotes that start with a directory of the tree (not the
# kernel's include/linux/, nor a pattern: NAME, MODE, libkrefN, *).
paths() {
	missing=0
	for doc in README.md CONTRIBUTING.md docs/*.md; do
		for p in $(grep -o '`[a-z_]*/[A-Za-z0-9_./-]*`' "$doc" | tr -d '`' |
			grep -E '^(src|include|tests|examples|docs|bench|man|mk|compat|tools|debian)/' |
			sed 's/[.,:]$//' | sort -u); do
			case $p in *'*'* | *NAME* | *[a-z]N.* | *MODE* | include/linux/*) continue ;; esac
			[ -e "$p" ] || { echo "$doc: $p"; missing=1; }
		done
	done
	return $missing
}
ok "every tree path the docs name exists" paths
done_testing
