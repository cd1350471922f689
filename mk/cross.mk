# SPDX-License-Identifier: MIT
#
# The C tests on other architectures: check-cross under qemu-user,
# check-system in a real Linux under qemu-system.  A new architecture is
# a word in CROSS_ARCHES (and its triple in tests/release/check-cross.sh).

# Cross builds under qemu-user (packages: gcc-<triple>, qemu-user).
CROSS_ARCHES ?= aarch64 armhf armel riscv64 i386
check-cross:
	@$(call counted,cross,tests/release/check-cross.sh $(CROSS_ARCHES))

# The C tests in a real Linux under qemu-system (TCG), per-CPU mode on and
# required (packages: gcc-aarch64-linux-gnu, libc6-dev-arm64-cross,
# qemu-system-arm; the kernel: apt-get download, multiarch arm64).
# Only from the command line: some environments export ARCH for their own use.
ifneq ($(origin ARCH),command line)
ARCH := aarch64
endif
check-system:
	@$(call counted,system,tests/release/check-system.sh $(ARCH))

.PHONY: check-cross check-system
