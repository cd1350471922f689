/* SPDX-License-Identifier: MIT */
/* rcuref_get_fn.c - rcuref_get() alone, for tests/build/headers.sh to disassemble. */
#include <kref/rcuref.h>

bool get_it(rcuref_t *r);
bool get_it(rcuref_t *r)
{
	return rcuref_get(r);
}
