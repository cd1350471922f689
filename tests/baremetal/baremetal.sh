#!/bin/sh
# SPDX-License-Identifier: MIT
# baremetal.sh - the freestanding core on bare-metal Cortex-M: built with
# arm-none-eabi-gcc -ffreestanding -nostdlib, it links against nothing but
# examples/cortex_m.c (no libc, libgcc or libatomic).  Cortex-M0 has no
# atomic read-modify-write and must use the critical-section hook;
# Cortex-M4 uses LDREX/STREX.  Each image then runs
# tests/baremetal/baremetal.c under qemu-system-arm, one instruction per
# translated block so that an interrupt can land between any two; its
# results are reported here.
. tests/common/tap.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

build() {
	arm-none-eabi-gcc -mcpu="$1" -mthumb -std=c11 -ffreestanding -nostdlib \
		-O2 -g -Wall -Wextra -Werror -Iinclude -T tests/baremetal/baremetal.ld \
		tests/baremetal/baremetal.c examples/cortex_m.c -o "$tmp/$1.elf" &&
	arm-none-eabi-objdump -d "$tmp/$1.elf" >"$tmp/$1.s"
}
calls_hook() {
	grep -q 'bl.*<kref_critical_enter>' "$tmp/$1.s" && ! grep -q ldrex "$tmp/$1.s"
}
uses_ldrex() {
	grep -q ldrex "$tmp/$1.s" && ! grep -q kref_critical_enter "$tmp/$1.s"
}
# The image printed its plan and exited 0 (else show what it printed).
finished() {
	grep -q '^1\.\.[1-9]' "$tmp/$1.out" && [ "$2" = 0 ] || { cat "$tmp/$1.out"; false; }
}

# run CPU MACHINE: each result of the image becomes one of ours.
run() {
	timeout 60 qemu-system-arm -M "$2" -singlestep -display none \
		-monitor none -serial none -semihosting-config enable=on,target=native \
		-kernel "$tmp/$1.elf" >"$tmp/$1.out" 2>&1
	status=$?
	while read -r line; do
		case $line in
		"ok "*) ok "$1:${line#*-}" true ;;
		"not ok "*) ok "$1:${line#*-}" false ;;
		esac
	done <"$tmp/$1.out"
	ok "$1: exits 0 after its plan" finished "$1" "$status"
}

if ! command -v arm-none-eabi-gcc >/dev/null; then
	skip "arm-none-eabi-gcc not installed (gcc-arm-none-eabi)"
	done_testing
	exit
fi
ok "cortex-m0: links with -nostdlib and nothing but the firmware's hooks" build cortex-m0
ok "cortex-m0: counters are reached through kref_critical_enter, no LDREX" calls_hook cortex-m0
ok "cortex-m4: links with -nostdlib and nothing but refcount_warn_saturate" build cortex-m4
ok "cortex-m4: updates with LDREX/STREX, no hook" uses_ldrex cortex-m4
# Clang too: with the hook, the counter is a plain int, so no atomic
# access is left for it to turn into a libatomic call.
clang_m0() {
	clang --target=thumbv6m-none-eabi -std=c11 -ffreestanding -O2 -Wall \
		-Wextra -Werror -Iinclude -c tests/build/freestanding.c -o "$tmp/c.o" &&
	! nm -u "$tmp/c.o" | grep -v -e kref_critical_ -e refcount_warn_saturate
}
if command -v clang >/dev/null; then
	ok "clang, cortex-m0: the core compiles calling only the firmware" clang_m0
else
	skip "clang not installed (clang)"
fi

if command -v qemu-system-arm >/dev/null; then
	run cortex-m0 microbit
	run cortex-m4 mps2-an386
else
	skip "qemu-system-arm not installed (qemu-system-arm)"
fi
done_testing
