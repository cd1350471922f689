/* SPDX-License-Identifier: MIT */
/*
 * kref/version.h - the version of the libkref headers a unit is built with.
 *
 * Generated: the numbers below are written by the Makefile from its VERSION
 * (the one number a release changes; debian/changelog's top entry must
 * name the same, which tests/build/version.sh checks).  Edit VERSION, not
 * this file; make rewrites it.  It is kept in git so that <kref.h> works
 * from a checkout or a copied include/ without running make.
 *
 * Freestanding: macros only, usable in #if.
 */
#ifndef KREF_VERSION_H
#define KREF_VERSION_H

#define KREF_VERSION_MAJOR	0
#define KREF_VERSION_MINOR	3
#define KREF_VERSION_PATCH	0
#define KREF_VERSION_STRING	"0.3.0"

/**
 * KREF_CHECK_VERSION - whether the headers are at least version @major.@minor.@patch
 * @major: the major version required
 * @minor: the minor version required
 * @patch: the patch level required
 *
 * Return: 1 if the headers in use are version @major.@minor.@patch or
 * later, else 0.  A constant expression, usable in #if:
 * "#if KREF_CHECK_VERSION(0, 3, 0)".
 */
#define KREF_CHECK_VERSION(major, minor, patch)				\
	(KREF_VERSION_MAJOR > (major) ||				\
	 (KREF_VERSION_MAJOR == (major) &&				\
	  (KREF_VERSION_MINOR > (minor) ||				\
	   (KREF_VERSION_MINOR == (minor) && KREF_VERSION_PATCH >= (patch)))))

#endif /* KREF_VERSION_H */
