#!/bin/sh
# SPDX-License-Identifier: MIT
# kref-check.sh - kref-check against its corpus (tests/kref-check/: correct
# programs and programs whose violations are marked "expect: rule N"), each
# file a program of its own (--each, and a sample alone, which must agree):
# precision at least 0.9 and recall at least 0.8; then its exit statuses,
# its output format, the ignore comment, its SARIF, examples/ and src/
# clean, and the installed tool.
. tests/harness/tap.sh
need spatch coccinelle
need python3 python3
tool=tools/kref-check/kref-check
corpus=tests/kref-check
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

KREF_CHECK_JOBS=${KREF_CHECK_JOBS:-$(nproc 2>/dev/null || echo 2)} \
	python3 $corpus/score.py $tool $corpus/*.c >"$tmp/score"
grep '^#' "$tmp/score"
tail -n 1 "$tmp/score" >"$tmp/summary.json"
goal() {
	python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
sys.exit(0 if d[sys.argv[2]] >= float(sys.argv[3]) else 1)' "$tmp/summary.json" "$@"
}
ok "corpus: precision at least 0.9 over all rules" goal precision 0.9
ok "corpus: recall at least 0.8 over all rules" goal recall 0.8
agree() {
	python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
print("\n".join(d["problems"]))
sys.exit(1 if d["problems"] else 0)' "$tmp/summary.json"
}
ok "corpus: files checked alone find what --each finds, exit 1 exactly when they find" agree

status() {
	want=$1
	shift
	"$@" >"$tmp/out" 2>"$tmp/err"
	got=$?
	[ "$got" = "$want" ] || { echo "exit $got, not $want"; cat "$tmp/err"; false; }
}
ok "exit 0 on a correct program" status 0 $tool $corpus/ok_kthread_get_before.c
ok "exit 1 on a violation" status 1 $tool $corpus/r1_kthread_get_after.c
ok "exit 2 without a file" status 2 $tool
ok "exit 2 on an unknown option" status 2 $tool --no-such-option $corpus/ok_static_object.c
ok "exit 2 on a missing file" status 2 $tool "$tmp/no-such-file.c"
printf '#include <kref.h>\nstruct o { struct kref ref; };\nint f(struct o *o)\n{\n\tint x = ;\n\tkref_get(&o->ref);\n\treturn x;\n}\n' \
	>"$tmp/broken.c"
ok "exit 2 on a file spatch cannot parse, naming its line" \
	sh -c "status() { $tool \"\$1\" >/dev/null 2>\"$tmp/perr\"; [ \$? = 2 ]; }; status '$tmp/broken.c' &&
	       grep -q 'broken.c:5: ' '$tmp/perr'"

format() {
	$tool $corpus/r1_kthread_get_after.c >"$tmp/out"
	grep -Eqx "$corpus/r1_kthread_get_after\.c:42:3: rule 1: .*before the handoff" "$tmp/out" &&
	! grep -Evq '^[^:]+:[0-9]+:[0-9]+: rule [123]: .+' "$tmp/out"
}
ok "findings read FILE:LINE:COL: rule N: message, with the fix" format

# The marked line of a violation, silenced on the line and from above.
ignored() {
	sed "$1" $corpus/r3_global_no_lock.c >"$tmp/ignored.c"
	$tool "$tmp/ignored.c" >"$tmp/out"
	[ $? = 0 ] && [ ! -s "$tmp/out" ]
}
ok "'kref-check: ignore' on the line silences its finding" \
	ignored 's|/\* expect: rule 3 \*/|/* kref-check: ignore (test) */|'
ok "'kref-check: ignore' on the line above silences it too" \
	ignored 's|^\(.*\)/\* expect: rule 3 \*/|\t/* kref-check: ignore (test) */\n\1|'
ok "without the comment the same file has its finding" \
	sh -c "$tool $corpus/r3_global_no_lock.c | grep -q ':31:.*rule 3'"

sarif() {
	$tool --format sarif $corpus/r2_free_after_put.c $corpus/r1_alias_arg.c >"$tmp/sarif"
	[ $? = 1 ] && python3 -m json.tool "$tmp/sarif" >/dev/null &&
	python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
r = d["runs"][0]
assert d["version"] == "2.1.0"
assert r["tool"]["driver"]["name"] == "kref-check"
assert sorted(x["ruleId"] for x in r["results"]) == ["rule1", "rule2"], r["results"]
for x in r["results"]:
    loc = x["locations"][0]["physicalLocation"]
    assert loc["region"]["startLine"] > 0 and loc["artifactLocation"]["uri"].endswith(".c")' "$tmp/sarif"
}
ok "--format sarif: valid JSON (python3 -m json.tool), SARIF 2.1.0, one result per finding" sarif
ok "--format sarif on a clean program: valid, no result" \
	sh -c "$tool --format sarif $corpus/ok_static_object.c | python3 -m json.tool | grep -q '\"results\": \[\]'"

ok "examples/ and src/ are clean (make lint)" status 0 $tool examples/ src/

# Installed, it finds its patterns in ../share/kref-check.
installed() {
	make -s install DESTDIR="$tmp/stage" PREFIX=/usr >/dev/null &&
	test -x "$tmp/stage/usr/bin/kref-check" &&
	test -f "$tmp/stage/usr/share/kref-check/rule1.cocci" &&
	"$tmp/stage/usr/bin/kref-check" $corpus/r1_kthread_get_after.c | grep -q ':42:3: rule 1:'
}
ok "make install: bin/kref-check runs with share/kref-check's patterns" installed
done_testing
