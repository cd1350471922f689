# SPDX-License-Identifier: MIT
#
# make install and make uninstall: PREFIX, DESTDIR and the *DIR variables
# (the Makefile), the same for both.

install: $(LIBS)
	install -d $(DESTDIR)$(INCLUDEDIR)/kref/arch $(DESTDIR)$(LIBDIR) \
		$(DESTDIR)$(PKGCONFIGDIR)
	install -m 644 include/kref.h $(DESTDIR)$(INCLUDEDIR)/
	install -m 644 include/kref/*.h $(DESTDIR)$(INCLUDEDIR)/kref/
	install -m 644 include/kref/arch/*.h $(DESTDIR)$(INCLUDEDIR)/kref/arch/
	install -d $(DESTDIR)$(INCLUDEDIR)/kref/compat/linux/sched
	install -m 644 compat/linux/*.h $(DESTDIR)$(INCLUDEDIR)/kref/compat/linux/
	install -m 644 compat/linux/sched/*.h $(DESTDIR)$(INCLUDEDIR)/kref/compat/linux/sched/
	install -m 644 $(B)/libkref.a $(B)/libkref-debug.a $(DESTDIR)$(LIBDIR)/
	install -m 755 $(B)/$(SOREAL) $(DESTDIR)$(LIBDIR)/
	ln -sf $(SOREAL) $(DESTDIR)$(LIBDIR)/$(SONAME)
	ln -sf $(SONAME) $(DESTDIR)$(LIBDIR)/libkref.so
	@# Into the live system: refresh the dynamic linker's cache, and say
	@# so if it still cannot find the library (LIBDIR not in its path).
	@[ -n "$(DESTDIR)" ] || { ldconfig 2>/dev/null; \
	ldconfig -p 2>/dev/null | grep -q ' => $(LIBDIR)/$(SONAME)$$' || \
	echo "make install: $(LIBDIR) is not in the dynamic linker's path: run" \
	     "ldconfig as root after adding it to /etc/ld.so.conf.d/," \
	     "or link with -Wl,-rpath,$(LIBDIR)"; }
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' \
	    -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' -e 's|@VERSION@|$(VERSION)|' \
	    libkref.pc.in > $(DESTDIR)$(PKGCONFIGDIR)/libkref.pc
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' \
	    -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' -e 's|@VERSION@|$(VERSION)|' \
	    -e 's|@DW_LIBS@|$(DW_LIBS)|' libkref-debug.pc.in > $(DESTDIR)$(PKGCONFIGDIR)/libkref-debug.pc
	install -d $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man3 $(DESTDIR)$(MANDIR)/man7
	install -m 644 man/*.1 $(DESTDIR)$(MANDIR)/man1/
	install -m 644 man/*.3 $(DESTDIR)$(MANDIR)/man3/
	install -m 644 man/*.7 $(DESTDIR)$(MANDIR)/man7/
	# kref-check: the script, and its package and patterns where it looks
	# for them (BINDIR/../share/kref-check).
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)/kref-check/krefcheck
	install -m 755 tools/kref-check/kref-check $(DESTDIR)$(BINDIR)/
	install -m 644 tools/kref-check/cocci/*.cocci tools/kref-check/cocci/macros.h \
		$(DESTDIR)$(DATADIR)/kref-check/
	install -m 644 tools/kref-check/krefcheck/*.py $(DESTDIR)$(DATADIR)/kref-check/krefcheck/
	# The analyzer plugin (--engine=clang), when make analyzer-plugin built
	# it: in LIBDIR/kref-check, where kref-check looks from BINDIR/../lib.
	if [ -f $(ANALYZER_PLUGIN) ]; then \
		install -d $(DESTDIR)$(LIBDIR)/kref-check && \
		install -m 644 $(ANALYZER_PLUGIN) $(DESTDIR)$(LIBDIR)/kref-check/; \
	fi
	# One page per family; every other name is a link to it (man/links).
	while read -r page names; do for n in $$names; do \
		echo ".so man3/$${page%:}" > $(DESTDIR)$(MANDIR)/man3/$$n.3; \
	done; done < man/links

# make uninstall: what make install put there, by the same lists (run it
# from the same version's tree, with the same PREFIX, DESTDIR and *DIR),
# then the directories that are libkref's alone (INCLUDEDIR/kref and
# DATADIR/kref-check) once empty.  Shared ones (LIBDIR, PKGCONFIGDIR,
# MANDIR/manN, BINDIR...) stay even if empty: make cannot tell whether
# install created them or the system had them.
UNINSTALL_FILES = $(INCLUDEDIR)/kref.h \
	$(patsubst include/%,$(INCLUDEDIR)/%,$(wildcard include/kref/*.h include/kref/arch/*.h)) \
	$(patsubst compat/%,$(INCLUDEDIR)/kref/compat/%,$(wildcard compat/linux/*.h compat/linux/sched/*.h)) \
	$(addprefix $(LIBDIR)/,libkref.a libkref-debug.a $(SOREAL) $(SONAME) libkref.so) \
	$(addprefix $(PKGCONFIGDIR)/,libkref.pc libkref-debug.pc) \
	$(patsubst man/%,$(MANDIR)/man1/%,$(wildcard man/*.1)) \
	$(patsubst man/%,$(MANDIR)/man3/%,$(wildcard man/*.3)) \
	$(patsubst man/%,$(MANDIR)/man7/%,$(wildcard man/*.7)) \
	$(BINDIR)/kref-check \
	$(patsubst tools/kref-check/cocci/%,$(DATADIR)/kref-check/%,$(wildcard \
		tools/kref-check/cocci/*.cocci tools/kref-check/cocci/macros.h)) \
	$(patsubst tools/kref-check/%,$(DATADIR)/kref-check/%,$(wildcard \
		tools/kref-check/krefcheck/*.py)) \
	$(LIBDIR)/kref-check/kref-analyzer.so
UNINSTALL_DIRS = $(addprefix $(INCLUDEDIR)/kref/,compat/linux/sched compat/linux compat arch) \
	$(INCLUDEDIR)/kref $(DATADIR)/kref-check/krefcheck/__pycache__ \
	$(DATADIR)/kref-check/krefcheck $(DATADIR)/kref-check $(LIBDIR)/kref-check
uninstall:
	rm -f $(addprefix $(DESTDIR),$(UNINSTALL_FILES))
	@# The link pages, as install wrote them from man/links.
	@while read -r page names; do for n in $$names; do \
		rm -f $(DESTDIR)$(MANDIR)/man3/$$n.3; \
	done; done < man/links
	@for d in $(addprefix $(DESTDIR),$(UNINSTALL_DIRS)); do \
		[ ! -d $$d ] || rmdir $$d 2>/dev/null || \
		echo "make uninstall: $$d holds files libkref did not install: left"; \
	done
	@[ -n "$(DESTDIR)" ] || ldconfig 2>/dev/null || true

.PHONY: install uninstall
