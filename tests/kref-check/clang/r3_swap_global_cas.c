/* SPDX-License-Identifier: MIT */
/* Rule 3: the current settings are published in a global swapped by a
 * compare-and-swap, which then drops the global's reference to the old
 * settings; a reader loads the global and gets what it found with no lock,
 * so the swapper's put can free it between the load and the get. */
#include <stdlib.h>
#include <kref.h>

struct settings {
	struct kref ref;
	int verbose;
};

static struct settings *current_settings;	/* holds one reference */

static void settings_free(struct kref *ref)
{
	free(container_of(ref, struct settings, ref));
}

struct settings *settings_get_current(void)
{
	struct settings *s = __atomic_load_n(&current_settings, __ATOMIC_ACQUIRE);

	if (s)
		kref_get(&s->ref);	/* expect: rule 3 */
	return s;
}

void settings_replace(struct settings *next)
{
	struct settings *old;

	kref_get(&next->ref);
	old = __atomic_load_n(&current_settings, __ATOMIC_ACQUIRE);
	while (!__atomic_compare_exchange_n(&current_settings, &old, next, 0, __ATOMIC_ACQ_REL,
					    __ATOMIC_ACQUIRE))
		;
	if (old)
		kref_put(&old->ref, settings_free);
}
