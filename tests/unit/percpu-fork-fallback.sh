#!/bin/sh
# SPDX-License-Identifier: MIT
# percpu-fork-fallback.sh - test_percpu_fork_callbacks where per-CPU mode is
# unavailable: with every ref atomic, fork() must still never wait for a
# confirmation, a release() or a lock of the program.
KREF_PERCPU=0 exec "${KREF_BUILD:-build/plain}/tests/test_percpu_fork_callbacks"
