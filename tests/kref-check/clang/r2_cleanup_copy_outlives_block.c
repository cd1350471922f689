/* SPDX-License-Identifier: MIT */
/* Rule 2: the loop's candidate is put by its cleanup when each iteration
 * ends; the match copied out of it is used after the loop. */
#include <stdlib.h>
#include <string.h>
#include <kref.h>

struct account { struct kref ref; char name[32]; };

static void account_release(struct kref *ref)
{
	free(container_of(ref, struct account, ref));
}

static void account_putp(struct account **a)
{
	if (*a)
		kref_put(&(*a)->ref, account_release);
}

/* Returns the i-th account with a new reference, or NULL past the end. */
extern struct account *account_nth(int i);
/* Makes the account the default one; takes its own reference. */
extern void account_set_default(struct account *a);

int choose_default(const char *name)
{
	struct account *found = NULL;

	for (int i = 0;; i++) {
		struct account *a __attribute__((cleanup(account_putp))) = account_nth(i);

		if (!a)
			break;
		if (strcmp(a->name, name) == 0) {
			found = a; /* expect: rule 2 */
			break;
		}
	}
	if (!found)
		return -1;
	account_set_default(found);
	return 0;
}
