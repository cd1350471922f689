# SPDX-License-Identifier: MIT
#
# kref-check's second engine: the three rules checked path by path, as a
# Clang Static Analyzer plugin (tools/kref-check/analyzer/), which
# kref-check --engine=clang loads.  Needs llvm-14-dev and libclang-14-dev.
LLVM_CONFIG ?= llvm-config-14
ANALYZER_PLUGIN := build/kref-check/kref-analyzer.so

analyzer-plugin: $(ANALYZER_PLUGIN)

# The LLVM headers as system headers: their warnings are not ours.
ANALYZER_SOURCES := $(wildcard tools/kref-check/analyzer/*.cpp)
$(ANALYZER_PLUGIN): $(ANALYZER_SOURCES) $(wildcard tools/kref-check/analyzer/*.h)
	@mkdir -p $(@D)
	$(CXX) -shared -fPIC -O1 $$($(LLVM_CONFIG) --cxxflags | sed 's/-std=c++14/-std=c++17/; s/-I/-isystem /') \
		-fno-rtti -Wall -Wextra -Werror -Wno-unused-parameter $(ANALYZER_SOURCES) -o $@

# The analyzer engine's recall and flagged fixed twins on the real-bug sets.
score-real-clang: $(ANALYZER_PLUGIN)
	for set in $(REAL_BUG_SETS); do \
		echo "# $$set"; \
		tests/kref-check/real/score.sh tests/kref-check/clang/engine tests/kref-check/$$set/r[123]_*.c || exit 2; \
	done

.PHONY: analyzer-plugin score-real-clang
