#!/bin/sh
# SPDX-License-Identifier: MIT
# cleanup.sh - <kref/cleanup.h> under strict ISO C with gcc and clang (the
# unit test, in release and debug builds, and examples/cleanup.c); a
# compiler without GNU C (gcc -U__GNUC__) still gets <kref.h>, and
# <kref/cleanup.h> says what it lacks; C++ gets a clear #error; a discarded
# no_free_ptr() warns under gcc; and the __refcount_*() forms with a NULL
# oldp compile to exactly the code of the plain names (x86-64 check).
. tests/common/tap.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

STRICT="-pedantic -Wall -Wextra -Werror -Wshadow -D_POSIX_C_SOURCE=200809L -Iinclude"
strict() {
	$1 -std=$2 $STRICT -Itests/common -c tests/unit/test_cleanup.c -o "$tmp/t.o" &&
	$1 -std=$2 $STRICT -DKREF_DEBUG -Itests/common -c tests/unit/test_cleanup.c \
		-o "$tmp/td.o" &&
	$1 -std=$2 $STRICT -Iexamples -c examples/cleanup.c -o "$tmp/e.o"
}
for cc in gcc clang; do
	for std in c11 c17; do
		if command -v $cc >/dev/null; then
			ok "$cc -std=$std -pedantic: cleanup.h's test (and with KREF_DEBUG), examples/cleanup.c" \
				strict $cc $std
		else
			skip "$cc not installed ($cc)"
		fi
	done
done

printf '#include <kref.h>\nint main(void) { struct kref k = KREF_INIT(1); return (int)kref_read(&k) - 1; }\n' >"$tmp/plain.c"
printf '#include <kref/cleanup.h>\n' >"$tmp/direct.c"
no_gnu_c() {
	gcc -U__GNUC__ -std=c11 -Iinclude "$tmp/plain.c" "$KREF_BUILD/libkref.a" \
		-pthread -o "$tmp/plain" && "$tmp/plain" &&
	! gcc -U__GNUC__ -std=c11 -Iinclude -c "$tmp/direct.c" -o "$tmp/d.o" \
		2>"$tmp/err" && grep -q 'needs the cleanup variable attribute' "$tmp/err"
}
ok "without GNU C: <kref.h> builds and runs; <kref/cleanup.h> names what is missing" \
	no_gnu_c

cp "$tmp/direct.c" "$tmp/direct.cpp"
cxx_error() {
	! g++ -std=c++17 -Iinclude -c "$tmp/direct.cpp" -o "$tmp/d.o" 2>"$tmp/err" &&
	grep -q 'is for C; in C++ use destructors' "$tmp/err"
}
if command -v g++ >/dev/null; then
	ok "C++: <kref/cleanup.h> says to use destructors" cxx_error
else
	skip "g++ not installed (g++)"
fi

cat >"$tmp/nfp.c" <<'EOF_C'
#include <kref.h>
void f(void *p);
void f(void *p) { void *q __free(nothing) = p; no_free_ptr(q); }
EOF_C
sed -i '2i DEFINE_FREE(nothing, void *, (void)_T)' "$tmp/nfp.c"
discard_warns() {
	! gcc -std=c11 -Wall -Werror -Iinclude -c "$tmp/nfp.c" -o "$tmp/n.o" \
		2>"$tmp/err" && grep -q 'warn_unused_result\|unused-result' "$tmp/err"
}
ok "gcc: discarding no_free_ptr()'s value warns" discard_warns

# kref_get and kref_put are one lock xadd each and no compare-and-swap, and
# the __refcount_*() forms with a NULL oldp compile to as many instructions.
cat >"$tmp/getput.c" <<'EOF_C'
#include <kref.h>
void get(struct kref *k) { kref_get(k); }
void get_oldp(struct kref *k) { __refcount_inc(&k->refcount, NULL); }
bool put(struct kref *k) { return refcount_dec_and_test(&k->refcount); }
bool put_oldp(struct kref *k) { return __refcount_dec_and_test(&k->refcount, NULL); }
EOF_C
insns() {
	objdump -d --no-show-raw-insn "$tmp/g.o" |
		awk -v f="<$1>:" '$2 == f { on = 1; next } /^$/ { on = 0 } on' |
		grep -vc 'nop'
}
locked() {
	objdump -d --no-show-raw-insn "$tmp/g.o" |
		awk -v f="<$1>:" '$2 == f { on = 1; next } /^$/ { on = 0 } on' |
		grep -c 'lock xadd'
}
# -fno-ipa-icf: gcc would otherwise fold the identical forms into a jump.
same_code() {
	cc -std=c11 -O2 -fno-ipa-icf -Iinclude -c "$tmp/getput.c" -o "$tmp/g.o" &&
	[ "$(locked get)" = 1 ] && [ "$(locked put)" = 1 ] &&
	! objdump -d "$tmp/g.o" | grep -q cmpxchg &&
	[ "$(insns get)" = "$(insns get_oldp)" ] &&
	[ "$(insns put)" = "$(insns put_oldp)" ]
}
if [ "$(uname -m)" = x86_64 ]; then
	ok "kref_get, kref_put: one lock xadd, no cmpxchg; __refcount_*(..., NULL) the same size" \
		same_code
else
	skip "the code check reads x86-64 code"
fi

done_testing
