#!/bin/sh
# SPDX-License-Identifier: MIT
# kref-check.sh - kref-check against its corpus (tests/kref-check/: correct
# programs and programs whose violations are marked "expect: rule N"), each
# file a program of its own (--each, and a sample alone, which must agree):
# precision at least 0.9 and recall at least 0.8; then its exit statuses,
# its output format, the ignore comment, its SARIF, examples/ and src/
# clean; that it is never silent about a file it did not check (timeouts,
# crashes, odd files, C++); and the installed tool.
. tests/common/tap.sh
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
	grep -A1 ":42:3: rule 1" "$tmp/out" | grep -Eqx "$corpus/r1_kthread_get_after\.c:40:[0-9]+: note: .*handed off here.*" &&
	! grep -Evq '^[^:]+:[0-9]+:[0-9]+: (rule [123]|note): .+' "$tmp/out"
}
ok "findings read FILE:LINE:COL: rule N: message, with the fix, then a note at the handoff it pairs with" format

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
    assert loc["region"]["startLine"] > 0 and loc["artifactLocation"]["uri"].endswith(".c")
    flow = x["codeFlows"][0]["threadFlows"][0]["locations"]
    assert len(flow) >= 2 and flow[-1]["location"] == dict(x["locations"][0], message={"text": x["ruleId"].replace("rule", "rule ")}), flow
    assert len(x["relatedLocations"]) == len(flow) - 1' "$tmp/sarif"
}
ok "--format sarif: valid JSON (python3 -m json.tool), SARIF 2.1.0, one result per finding, each with its path (codeFlows)" sarif
ok "--format sarif on a clean program: valid, no result" \
	sh -c "$tool --format sarif $corpus/ok_static_object.c | python3 -m json.tool | grep -q '\"results\": \[\]'"

ok "examples/ and src/ are clean (make lint)" status 0 $tool examples/ src/
# Issue 18: a directory of unrelated files; one file's static getter says
# nothing of another file's function of the same name.
ok "a static function's facts stay in its file (directory run)" \
	status 0 $tool $corpus/two_files/

# Never silent (issue 18): every file that was not analysed to the end is
# named on stderr and makes the exit status 2; no other file loses its
# findings; no traceback.
r1=$corpus/r1_kthread_get_after.c
r1_line="$corpus/r1_kthread_get_after.c:42:3: rule 1:"
run() { "$@" >"$tmp/out" 2>"$tmp/err"; got=$?; }
quiet_error() {		# exit 2, one line on stderr matching $1, no traceback
	[ "$got" = 2 ] && grep -q "$1" "$tmp/err" && [ "$(wc -l <"$tmp/err")" = 1 ] &&
	! grep -q Traceback "$tmp/err" || { echo "exit $got"; cat "$tmp/err"; false; }
}

# A program of 2,500 functions: one identifier regex of every name went
# past PCRE's limit (Pcre.Error); SmPL's own words (format, any) as names.
python3 -c 'print("/* SPDX-License-Identifier: MIT */")
for i in range(2500):
    print("int kref_check_generated_function_number_%04d(int x) { return x + %d; }" % (i, i))
print("int format(int x) { return x; }\nint any(int x) { return format(x); }")' >"$tmp/many.c"
many() {
	run $tool "$tmp/many.c" $r1
	[ "$got" = 1 ] && grep -q "^$r1_line" "$tmp/out" || { echo "exit $got"; cat "$tmp/err"; false; }
}
ok "2,500 function names in one program (no Pcre.Error)" many

# No limit on the files of one program; one spatch run reads at most 32.
mkdir "$tmp/forty"
for i in $(seq 1 40); do cp $corpus/ok_static_object.c "$tmp/forty/f$i.c"; done
cp $r1 "$tmp/forty/r1.c"
printf '%s\n' '#!/bin/sh' \
	'# spatch, logging how many files each run reads' \
	'prev=' \
	'for a; do [ "$prev" = --file-groups ] && grep -c . "$a" >>"$KC_LOG"; prev=$a; done' \
	'exec spatch "$@"' >"$tmp/counting-spatch"
chmod +x "$tmp/counting-spatch"
forty() {
	run env KC_LOG="$tmp/runs" $tool --spatch "$tmp/counting-spatch" "$tmp/forty"
	[ "$got" = 1 ] && grep -q "forty/r1.c:42:3: rule 1:" "$tmp/out" &&
	[ "$(sort -n "$tmp/runs" | tail -n 1)" -le 32 ] &&
	[ "$(awk '{ n += $1 } END { print n }' "$tmp/runs")" = 41 ] ||
	{ echo "exit $got; files a run:"; cat "$tmp/runs" "$tmp/err"; false; }
}
ok "41 files, one program: spatch runs of at most 32 files, each file read once" forty

# A file spatch cannot finish in time (a minute and more without --timeout).
python3 -c 'print("/* SPDX-License-Identifier: MIT */\n#include <kref.h>")
print("struct o { struct kref ref; int a; };\nvoid rel(struct kref *k);")
print("int f(struct o *o, int x)\n{")
for i in range(400):
    print("\tif (x == %d) { kref_get(&o->ref); if (x & 1) goto out; } "
          "else if (o->a) { kref_put(&o->ref, rel); return -1; }" % i)
print("out:\n\tkref_put(&o->ref, rel);\n\treturn 0;\n}")' >"$tmp/slow.c"
timeout_alone() {
	run $tool --timeout 1 "$tmp/slow.c"
	quiet_error "slow.c: .*timed out"
}
ok "--timeout: a file spatch gives up on is named, exit 2 (not 0, silently)" timeout_alone
timeout_each_file() {
	run $tool --timeout 1 "$tmp/slow.c" $r1
	quiet_error "slow.c: .*timed out" && grep -q "^$r1_line" "$tmp/out"
}
ok "--timeout is per file: the slow one is named, the other still reported" timeout_each_file
# A file kref-check's own reading (not spatch) is slow on: 100,000
# functions, several seconds of reading, bounded by --timeout too.
python3 -c 'print("/* SPDX-License-Identifier: MIT */\n#include <kref.h>\nstruct o { struct kref ref; int a; };")
for i in range(100000):
    print("static int f%d(struct o *o) { return o->a + %d; }" % (i, i))' >"$tmp/long_read.c"
timeout_reading() {
	run $tool "$@" --timeout 1 "$tmp/long_read.c" $r1
	[ "$got" = 2 ] && grep -q "long_read.c: .*reading it took over 1 s" "$tmp/err" &&
	! grep -q "r1_kthread_get_after.c: .*not checked" "$tmp/err" &&
	grep -q "^$r1_line" "$tmp/out" || { echo "exit $got"; cat "$tmp/err"; false; }
}
ok "--timeout bounds kref-check's own reading of a file too: named, the other still reported" \
	timeout_reading --each
ok "--timeout on reading, in one program: each file then read alone, the slow one named" timeout_reading
timeout_sarif() {
	run $tool --format sarif --timeout 1 "$tmp/slow.c" $r1 "$tmp/no-such-file.c"
	[ "$got" = 2 ] && python3 -c 'import json, sys
r = json.load(open(sys.argv[1]))["runs"][0]
inv = r["invocations"][0]
notes = [n["message"]["text"] for n in inv["toolExecutionNotifications"]]
assert not inv["executionSuccessful"] and len(r["results"]) == 1, r
assert any("slow.c: not checked" in n for n in notes), notes
assert any("no-such-file.c: no such file" in n for n in notes), notes' "$tmp/out"
}
ok "--format sarif: a file not checked makes the run unsuccessful, named in a notification" timeout_sarif

# A macro invocation with no semicolon before a function (the kernel's
# BDI_SHOW(name, expr) in mm/backing-dev.c): the function header read
# after it took time exponential in the length of its words (the file
# never finished; one 15-letter name took 6 s), and in the number of its
# attributes (24 took 10 s).  Bounded by timeout(1) at a minute.
printf '%s\n' '/* SPDX-License-Identifier: MIT */' '#include <kref.h>' \
	'struct attribute_of_a_device { struct kref ref; int value; };' \
	'SHOW_ATTRIBUTE(read_ahead_kilobytes, KILOBYTES(value))' '' \
	'static unsigned long show_the_attribute_of_a_device(struct attribute_of_a_device *attribute)' \
	'{' '	return attribute->value;' '}' >"$tmp/macro_header.c"
python3 -c 'print("SHOW_ATTRIBUTE(write_behind_kilobytes, KILOBYTES(value))\nstatic int " +
	"__attribute__((unused)) " * 24 + "show_more(struct attribute_of_a_device *a)\n{\n\treturn a->value;\n}")' \
	>>"$tmp/macro_header.c"
macro_header() {
	run timeout 60 $tool "$tmp/macro_header.c"
	[ "$got" = 0 ] || { echo "exit $got (124: timed out)"; cat "$tmp/err"; false; }
}
ok "a function after a macro invocation with no semicolon is read in linear time" macro_header

# Functions the reading dropped without a word: one named __like_this
# right after a macro invocation with no semicolon (read as sparse's
# __acquires() after the macro's parameters); every function after an
# old-style (K&R) definition, whose parameter declarations were read as
# globals; functions whose header a macro makes (the kernel's
# SYSCALL_DEFINE3() and UVERBS_HANDLER()), and the functions after them
# up to the next top-level semicolon (10 functions of mlx5's dm.c).
# Each use after a put must be found at its line.
cat >"$tmp/head.c" <<'EOF'
#include <stdlib.h>
#include <kref.h>
struct obj { struct kref ref; int v; };
static void obj_release(struct kref *k)
{
	free(container_of(k, struct obj, ref));
}
EOF
use_after_put='(struct obj *o)
{
	kref_put(&o->ref, obj_release);
	o->v = 0;
}'
{ cat "$tmp/head.c"; echo '#define DEFINE_SHOW(n) static int show_##n(struct obj *o) { return o->n; }'
  printf 'DEFINE_SHOW(v)\nstatic void __obj_done%s\n' "$use_after_put"; } >"$tmp/macro_dunder.c"
{ cat "$tmp/head.c"; printf 'static int old_style(a, b)\nint a;\nchar *b;\n{\n\treturn a + (b != 0);\n}\n'
  printf 'static void obj_done%s\n' "$use_after_put"; } >"$tmp/knr.c"
{ cat "$tmp/head.c"
  printf '#define DEFINE1(name, t, a) void sys_##name(t a)\n#define HANDLER(name) handler_##name\n'
  printf 'DEFINE1(done, struct obj *, o)\n{\n\tkref_put(&o->ref, obj_release);\n\to->v = 0;\n}\n'
  printf 'static int HANDLER(done)%s\n' "$use_after_put"
  printf 'static void obj_done%s\n' "$use_after_put"; } >"$tmp/macro_defined.c"
found_at() {
	f=$1
	run $tool "$f"
	shift
	[ "$got" = 1 ] || { echo "exit $got"; cat "$tmp/out" "$tmp/err"; return 1; }
	for line; do
		grep -q "^$f:$line:[0-9]*: rule 2: 'o' is used after the put" "$tmp/out" ||
			{ echo "nothing at line $line"; cat "$tmp/out"; return 1; }
	done
}
ok "a __function right after a macro invocation with no semicolon is checked" \
	found_at "$tmp/macro_dunder.c" 13
ok "the functions after an old-style (K&R) definition are checked" found_at "$tmp/knr.c" 17
ok "functions a macro's header defines are checked, and the functions after them" \
	found_at "$tmp/macro_defined.c" 13 18 23

# A spatch that dies on one file (as on a parser crash).
printf '%s\n' '#!/bin/sh' \
	'# spatch, except that it dies of SIGSEGV when it is to read crash.c' \
	'prev=' \
	'for a; do' \
	'	case "$a" in *crash.c) kill -SEGV $$ ;; esac' \
	'	[ "$prev" = --file-groups ] && grep -q "crash\.c" "$a" && kill -SEGV $$' \
	'	prev=$a' \
	'done' \
	'exec spatch "$@"' >"$tmp/crashing-spatch"
chmod +x "$tmp/crashing-spatch"
cp $corpus/ok_static_object.c "$tmp/crash.c"
crash() {
	run $tool --spatch "$tmp/crashing-spatch" "$tmp/crash.c" $r1 $corpus/r3_global_no_lock.c
	quiet_error "crash.c: .*crashed" && grep -q "^$r1_line" "$tmp/out" &&
	grep -q "r3_global_no_lock.c:31:.*rule 3" "$tmp/out"
}
ok "a file that crashes spatch is named, exit 2; the others keep their findings" crash

# A spatch that fails with a message of megabytes on one line (as on a
# program of 100,000 functions, whose identifiers it lists).
printf '%s\n' '#!/bin/sh' 'python3 -c "print(\"Fatal error: \" + \"name_of_a_function|\" * 100000)" >&2' \
	'exit 255' >"$tmp/verbose-spatch"
chmod +x "$tmp/verbose-spatch"
verbose() {
	run $tool --spatch "$tmp/verbose-spatch" "$tmp/crash.c"
	quiet_error "crash.c: .*spatch failed (exit 255): Fatal error: name_of_a_function" &&
	[ "$(wc -c <"$tmp/err")" -lt 1000 ] || { wc -c <"$tmp/err"; false; }
}
ok "a failing spatch's message of megabytes is cut to one short line" verbose

mkdir "$tmp/odd"
cp $r1 "$tmp/odd/r1.c"
mkfifo "$tmp/odd/fifo.c"
ln -s no-such-file.c "$tmp/odd/dangling.c"
odd_dir() {
	run timeout 120 $tool "$tmp/odd"
	[ "$got" = 2 ] && grep -q "fifo.c: not a regular file" "$tmp/err" &&
	grep -q "dangling.c: a dangling symbolic link" "$tmp/err" &&
	grep -q "odd/r1.c:42:3: rule 1:" "$tmp/out" && ! grep -q Traceback "$tmp/err" ||
	{ echo "exit $got"; cat "$tmp/err"; false; }
}
ok "a FIFO named *.c and a dangling link in a directory: named, exit 2, no hang" odd_dir
named() { run timeout 120 $tool "$1"; quiet_error "$2"; }
ok "a FIFO named on the command line: one line, exit 2" named "$tmp/odd/fifo.c" "fifo.c: not a regular file"
ok "a dangling symbolic link: one line, exit 2" named "$tmp/odd/dangling.c" "dangling.c: a dangling symbolic link"
cp $r1 "$tmp/unreadable.c"
chmod 000 "$tmp/unreadable.c"
if [ -r "$tmp/unreadable.c" ]; then
	skip "an unreadable file: one line, exit 2 (running as root: every file is readable)"
else
	ok "an unreadable file: one line, exit 2" named "$tmp/unreadable.c" "unreadable.c: not readable"
fi
out_missing() { run $tool -o "$tmp/no/such/dir/out.txt" $r1; quiet_error "no such directory"; }
ok "-o into a missing directory: one line, exit 2" out_missing

# The struct's definition is elsewhere: the message names the struct
# spatch saw, never "None".
sed 's|struct client \*c = container_of(ref, struct client, ref);|struct client *c = (struct client *)ref;|
     /^struct client {/,/^};/d' $corpus/r3_plain_put_unlocked.c >"$tmp/unknown_struct.c"
no_none() {
	run $tool "$tmp/unknown_struct.c"
	[ "$got" = 1 ] && grep -q ":[0-9]*:[0-9]*: rule 3: objects of struct client " "$tmp/out" &&
	! grep -q None "$tmp/out" || { echo "exit $got"; cat "$tmp/out" "$tmp/err"; false; }
}
ok "rule 3 on a struct defined elsewhere says which struct (not 'objects of None')" no_none

# C++ is not checked, and says so once.
printf '// SPDX-License-Identifier: MIT\nclass A { int x; };\n' >"$tmp/a.cpp"
cxx_alone() { run $tool "$tmp/a.cpp"; quiet_error "C++ file not checked"; }
ok "a C++ file alone: said once, exit 2 (nothing was checked)" cxx_alone
mkdir "$tmp/mixed"
cp "$tmp/a.cpp" $r1 "$tmp/mixed/"
printf '// SPDX-License-Identifier: MIT\n#pragma once\nnamespace n {\nclass B {\npublic:\n\tint y;\n};\n}\n' \
	>"$tmp/mixed/b.h"
cxx_dir() {
	run $tool "$tmp/mixed"
	[ "$got" = 1 ] && [ "$(grep -c 'C++' "$tmp/err")" = 1 ] && grep -q 'a.cpp' "$tmp/err" &&
	grep -q 'b.h' "$tmp/err" && ! grep -q 'cannot parse' "$tmp/err" &&
	grep -q "rule 1:" "$tmp/out" || { echo "exit $got"; cat "$tmp/err"; false; }
}
ok "C++ files in a directory (a.cpp, a C++ b.h) are named once, not parsed; the C files are checked" cxx_dir

# --each: no fact of one file leaks into another.  a.c's thing_hold() is
# a get wrapper; b.c's own thing_hold() is not, and b.c is correct alone.
cat >"$tmp/each_a.c" <<'EOF'
/* SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <kref.h>

struct thing {
	struct kref ref;
};

void thing_hold(struct thing *t)
{
	kref_get(&t->ref);
}
EOF
cat >"$tmp/each_b.c" <<'EOF'
/* SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <kref.h>

struct thing {
	struct kref ref;
	int held;
};

static void thing_release(struct kref *ref)
{
	free(container_of(ref, struct thing, ref));
}

/* Not a get: marks the thing, whose reference the caller gave us. */
void thing_hold(struct thing *t)
{
	t->held = 1;
}

int thing_use(struct thing *t, int bad)
{
	thing_hold(t);
	if (bad)
		return -1;
	kref_put(&t->ref, thing_release);
	return 0;
}
EOF
each_alone() {
	run $tool --each "$tmp/each_a.c" "$tmp/each_b.c"
	[ "$got" = 0 ] && [ ! -s "$tmp/out" ] || { echo "exit $got"; cat "$tmp/out" "$tmp/err"; false; }
}
ok "--each: a wrapper learnt in one file is not one in another (no leak found in b.c)" each_alone

# Read as the compiler reads it: -I, -D, -U, -p (compile_commands.json),
# #if and #ifdef; a header with the usual extern "C" guard is read.  The
# program: include/client.h declares the struct, src/client.c has a final
# put that does not take the lookup's lock (rule 3) unless
# CLIENT_PUT_LOCKED is defined.
mkdir -p "$tmp/cc/include" "$tmp/cc/src"
cat >"$tmp/cc/include/client.h" <<'EOF'
/* SPDX-License-Identifier: MIT */
#ifndef CLIENT_H
#define CLIENT_H
#include <kref.h>
#ifdef __cplusplus
extern "C" {
#endif

struct client {
	struct kref ref;
	struct client *next, **pprev;
	int id;
};

struct client *client_lookup(int id);
void client_put(struct client *c);

#ifdef __cplusplus
}
#endif
#endif
EOF
cat >"$tmp/cc/src/client.c" <<'EOF'
/* SPDX-License-Identifier: MIT */
#include <pthread.h>
#include <stdlib.h>
#include "client.h"

static struct client *clients;
static pthread_mutex_t clients_lock = PTHREAD_MUTEX_INITIALIZER;

/* Called with clients_lock held when CLIENT_PUT_LOCKED (kref_put_mutex). */
static void client_release(struct kref *ref)
{
	struct client *c = container_of(ref, struct client, ref);

#ifndef CLIENT_PUT_LOCKED
	pthread_mutex_lock(&clients_lock);
#endif
	*c->pprev = c->next;
	if (c->next)
		c->next->pprev = c->pprev;
	pthread_mutex_unlock(&clients_lock);
	free(c);
}

struct client *client_lookup(int id)
{
	struct client *c;

	pthread_mutex_lock(&clients_lock);
	for (c = clients; c; c = c->next)
		if (c->id == id) {
			kref_get(&c->ref);
			break;
		}
	pthread_mutex_unlock(&clients_lock);
	return c;
}

void client_put(struct client *c)
{
#if defined(CLIENT_PUT_LOCKED) && CLIENT_PUT_LOCKED > 0
	kref_put_mutex(&c->ref, client_release, &clients_lock);
#else
	kref_put(&c->ref, client_release);
#endif
}
EOF
put_line=":43:2: rule 3: objects of struct client are looked up under clients_lock"
finds() {		# exit 1, the rule 3 finding, nothing on stderr
	[ "$got" = 1 ] && grep -q "src/client.c$put_line" "$tmp/out" && [ ! -s "$tmp/err" ] ||
	{ echo "exit $got"; cat "$tmp/out" "$tmp/err"; false; }
}
clean() {		# exit 0, nothing said
	[ "$got" = 0 ] && [ ! -s "$tmp/out" ] && [ ! -s "$tmp/err" ] ||
	{ echo "exit $got"; cat "$tmp/out" "$tmp/err"; false; }
}
extern_c() { run $tool "$tmp/cc/include/client.h" "$tmp/cc/src/client.c"; finds; }
ok "a header with an extern \"C\" guard is read (its struct known: rule 3 found)" extern_c
with_i() { run $tool -I "$tmp/cc/include" "$tmp/cc/src"; finds; }
ok "-I: src/'s #include \"client.h\" is found in include/" with_i
without_i() {
	run $tool "$tmp/cc/src"
	grep -q 'src/client.c:4: kref-check: "client.h" not found' "$tmp/err" ||
	{ echo "exit $got"; cat "$tmp/err"; false; }
}
ok "without -I: the header not found is named" without_i
with_d() { run $tool -I "$tmp/cc/include" -D CLIENT_PUT_LOCKED "$tmp/cc/src/client.c"; clean; }
ok "-D: #ifdef and #if defined(X) && X > 0 follow it (the locked put: clean)" with_d
with_u() { run $tool -I "$tmp/cc/include" -D CLIENT_PUT_LOCKED=0 "$tmp/cc/src/client.c"; finds; }
ok "-D NAME=0: #if NAME > 0 is false (the plain put: rule 3)" with_u
printf '[{"directory": "%s", "file": "src/client.c",\n  "arguments": ["cc", "-Iinclude", "-DCLIENT_PUT_LOCKED", "-c", "src/client.c"]}]\n' \
	"$tmp/cc" >"$tmp/cc/compile_commands.json"
with_p() { run $tool -p "$tmp/cc" "$tmp/cc/src/client.c"; clean; }
ok "-p DIR: each file's -I and -D from compile_commands.json" with_p
p_only() { top=$(pwd); (cd "$tmp" && run "$top/$tool" -p cc && clean); }
ok "-p DIR without FILE: checks the files it lists" p_only
p_u() { run $tool -p "$tmp/cc" -U CLIENT_PUT_LOCKED "$tmp/cc/src/client.c"; finds; }
ok "-U on the command line wins over compile_commands.json's -D" p_u
sed 's/^#if defined(CLIENT_PUT_LOCKED) && CLIENT_PUT_LOCKED > 0$/#if 1/' \
	"$tmp/cc/src/client.c" >"$tmp/cc/if1.c"
if_1() { run $tool -I "$tmp/cc/include" "$tmp/cc/if1.c"; clean; }
ok "#if 1 ... #else: the #else branch is not read" if_1

# The package: importable, one module per concern, typed records.
package() {
	PYTHONDONTWRITEBYTECODE=1 PYTHONPATH=tools/kref-check python3 -c '
import dataclasses, sys
from krefcheck import cli, facts, source, patterns, spatch, checker, report
from krefcheck import rule1, rule2, rule3
prog = facts.Program([sys.argv[1]])
assert prog.structs and prog.funcs, "no facts"
assert issubclass(checker.Checker, (rule1.Rule1, rule2.Rule2, rule3.Rule3))
assert dataclasses.is_dataclass(report.Finding) and dataclasses.is_dataclass(spatch.Outcome)
assert spatch.Record._fields == ("tag", "path", "function", "pos")
sys.exit(cli.main(["--format", "text", sys.argv[1]]) != 1)' $r1 >/dev/null
}
ok "krefcheck imports as a package; its checker gives the finding" package

# Installed, it finds its patterns in ../share/kref-check.
installed() {
	make -s install DESTDIR="$tmp/stage" PREFIX=/usr >/dev/null &&
	test -x "$tmp/stage/usr/bin/kref-check" &&
	test -f "$tmp/stage/usr/share/kref-check/rule1.cocci" &&
	test -f "$tmp/stage/usr/share/kref-check/krefcheck/cli.py" &&
	"$tmp/stage/usr/bin/kref-check" $corpus/r1_kthread_get_after.c | grep -q ':42:3: rule 1:'
}
ok "make install: bin/kref-check runs with share/kref-check's patterns" installed
done_testing
