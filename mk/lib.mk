# SPDX-License-Identifier: MIT
#
# The libraries: libkref.a and libkref.so from src/, and libkref-debug.a,
# debug mode, from src/debug*.c; all three in build/MODE/.

# Debug mode (src/debug*.c) is libkref-debug.a, linked only into programs
# built with KREF_DEBUG: it brings its own malloc() (src/debug_alloc.c).
DEBUG_SRCS := $(wildcard src/debug*.c)
LIB_OBJS := $(patsubst src/%.c,$(B)/obj/%.o,$(filter-out $(DEBUG_SRCS),$(wildcard src/*.c)))
DEBUG_OBJS := $(patsubst src/%.c,$(B)/obj/%.o,$(DEBUG_SRCS))
# It carries its own copies of report.o, refcount.o and percpu_lock.o, so
# that a static link never pulls libkref.a's as well, and a link with
# libkref.so finds the helpers libkref.so keeps hidden; the program's
# copies of the exported ones (refcount_set_warn_handler, ...) interpose
# libkref.so's, so there is one warn handler.  Link it into the program,
# not into a shared library.
DEBUG_LIB_OBJS := $(DEBUG_OBJS) $(B)/obj/report.o $(B)/obj/refcount.o \
	$(B)/obj/percpu_lock.o
# What a debug-mode program links, before libkref.a.
DEBUG_LIBS = $(B)/libkref-debug.a -ldl $(DW_LIBS)
# The hook build's library carries the critical section a firmware would.
ifeq ($(MODE),hook)
LIB_OBJS += $(B)/obj/critical_hook.o
endif
SONAME  := libkref.so.$(SOVERSION)
# The file: named after the soname, which changes only with the ABI.
SOREAL  := $(SONAME).0.0
LIBS    := $(B)/libkref.a $(B)/$(SOREAL) $(B)/libkref-debug.a

all: $(LIBS)

$(B)/obj/%.o: src/%.c src/internal.h src/debug_internal.h $(HEADERS)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(OBJ_CFLAGS_$*) -fPIC -c -o $@ $<
$(DEBUG_OBJS): $(B)/obj/%.o: src/%.c src/internal.h src/debug_internal.h $(HEADERS)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(OBJ_CFLAGS_$*) -fPIC -fno-omit-frame-pointer $(NO_SAN) -c -o $@ $<
# The program's malloc() runs before a sanitizer's runtime is initialised:
# like that runtime's own allocator, it is not instrumented.
$(B)/obj/debug_alloc.o: NO_SAN := -fno-sanitize=all
$(B)/obj/critical_hook.o: tests/common/critical_hook.c $(HEADERS)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -fPIC -c -o $@ $<

$(B)/libkref.a: $(LIB_OBJS)
	rm -f $@
	$(AR) rcs $@ $^

$(B)/libkref-debug.a: $(DEBUG_LIB_OBJS)
	rm -f $@
	$(AR) rcs $@ $^

# Every export carries the version node of the release that added it
# (src/libkref.map); nothing else is exported.
MAP     := src/libkref.map
$(B)/$(SOREAL): $(LIB_OBJS) $(MAP)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -shared -Wl,-soname,$(SONAME) \
		-Wl,--version-script=$(MAP) -o $@ $(LIB_OBJS)
	ln -sf $(SOREAL) $(B)/$(SONAME)
	ln -sf $(SONAME) $(B)/libkref.so

# ---- call chains (stack branch): src/debug_stack.[ch], src/debug_symbols.c
# With libdw (the Makefile's DW_LIBS), frames are named FILE:LINE.
# Whatever links libkref-debug.a needs $(DW_LIBS) (DEBUG_LIBS has it).
ifneq ($(DW_LIBS),)
OBJ_CFLAGS_debug_symbols := -DKREF_HAVE_LIBDW $(shell pkg-config --cflags libdw 2>/dev/null)
endif
$(B)/obj/debug_stack.o $(B)/obj/debug_symbols.o: src/debug_stack.h
# ---- end of call chains

.PRECIOUS: $(B)/obj/%.o
