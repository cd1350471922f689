# SPDX-License-Identifier: MIT
#
# What a release is checked with and made of: kref-check over the tree
# (lint, score-real, score-kernel), the tarball (dist), the Debian packages (check-deb)
# and the ABI (check-abi, abi-baseline).

# kref-check's recall on reconstructed real bugs, and the fixed twins it
# flags, set by set: real/ (developed on), heldout/ (worked on in a
# second round), heldout2/ (third round), heldout3/ (fourth round),
# heldout4/ (fifth round), heldout5/ to heldout19/ (never worked on by
# the patterns; the analyzer's seventh to thirteenth rounds), heldout20/
# to heldout23/ (never worked on: the estimate on unseen code);
# tests/kref-check/real/score.sh, a few minutes.  score-real-clang
# (mk/analyzer.mk) scores the same sets.
REAL_BUG_SETS := real heldout heldout2 heldout3 heldout4 heldout5 heldout6 heldout7 heldout8 heldout9 heldout10 heldout11 heldout12 heldout13 heldout14 heldout15 heldout16 heldout17 heldout18 heldout19 heldout20 heldout21 heldout22 heldout23
score-real:
	for set in $(REAL_BUG_SETS); do \
		echo "# $$set"; \
		tests/kref-check/real/score.sh tools/kref-check/kref-check tests/kref-check/$$set/r[123]_*.c || exit 2; \
	done

# kref-check's precision on real kernel files, when they are present:
# make score-kernel KERNEL=DIR, DIR holding the files that
# tests/kref-check/kernel/MANIFEST names (not in this tree).
score-kernel:
	@[ -n "$(KERNEL)" ] || { echo "score-kernel: KERNEL=DIR, the tree of tests/kref-check/kernel/MANIFEST's files" >&2; exit 2; }
	tests/kref-check/kernel/precision.sh $(KERNEL)

# kref-check (tools/kref-check, needs Coccinelle's spatch) over the
# examples and the library: non-zero on any finding.
lint:
	tools/kref-check/kref-check examples/ src/

# The release tarball, byte-reproducible: fixed order, owners, modes and
# mtime (SOURCE_DATE_EPOCH, else the last commit's date, else the newest
# file's, which makes dist in an unpacked tarball give the same bytes).
# An explicit list, so it needs no git: add new top-level entries here.
DIST_FILES := .ci .gitignore CONTRIBUTING.md LICENSE Makefile README.md abi bench compat debian \
	docs examples include libkref.pc.in libkref-debug.pc.in man mk src tests tools
DIST := build/libkref-$(VERSION).tar
dist:
	@mkdir -p build
	@epoch=$${SOURCE_DATE_EPOCH:-$$([ -e .git ] && git log -1 --format=%ct 2>/dev/null)}; \
	epoch=$${epoch:-$$(find $(DIST_FILES) -type f -printf '%T@\n' | sort -n | tail -n 1)}; \
	tar -cf $(DIST) --format=gnu --sort=name --owner=0 --group=0 --numeric-owner \
		--mode=u+rwX,go=rX --mtime=@$${epoch%.*} \
		--transform='flags=r;s,^,libkref-$(VERSION)/,' $(DIST_FILES) && \
	gzip -9nf $(DIST) && echo $(DIST).gz

# make check-abi: libkref.so against the ABI of the last release with its
# soname, abi/libkref.so.SOVERSION.abi, with abidiff (abigail-tools): an
# incompatible change without a new SOVERSION fails
# (tests/release/check-abi.sh).  A release writes its ABI with
# make abi-baseline, from a build with debug information (CFLAGS has -g).
ABIDW_FLAGS := --no-corpus-path --no-comp-dir-path --no-show-locs
check-abi: $(B)/$(SOREAL)
	@$(call counted,abi,KREF_BUILD=$(B) tests/harness/run abi tests/release/check-abi.sh)

# The SPDX line goes on the second line: abidiff knows the file by its first.
abi-baseline: $(B)/$(SOREAL)
	@mkdir -p abi
	abidw $(ABIDW_FLAGS) --out-file abi/$(SONAME).abi.new $(B)/$(SOREAL)
	sed '1a\  <!-- SPDX-License-Identifier: MIT -->' abi/$(SONAME).abi.new >abi/$(SONAME).abi
	rm -f abi/$(SONAME).abi.new

# The Debian packages from make dist's tarball, checked (tests/release/check-deb.sh).
check-deb:
	@$(call counted,deb,tests/harness/run deb tests/release/check-deb.sh)

.PHONY: score-real score-kernel lint dist check-abi abi-baseline check-deb
