#!/bin/sh
# SPDX-License-Identifier: MIT
# percpu-fallback.sh - test_percpu where per-CPU mode is unavailable:
# KREF_PERCPU=0 leaves every percpu_ref in atomic mode, still correct.
KREF_PERCPU=0 exec "${KREF_BUILD:-build/plain}/tests/test_percpu"
