/* SPDX-License-Identifier: MIT */
/* Rule 2: "kref_put frees it only when it is the last one, so free it to
 * be sure": a double free whenever the put was the last, a use after free
 * for the other holders otherwise. */
#include <stdlib.h>
#include <kref.h>

struct token {
	struct kref kref;
	char value[64];
};

static void token_release(struct kref *kref)
{
	free(container_of(kref, struct token, kref));
}

void token_revoke(struct token *tok)
{
	struct token *victim = tok;

	victim->value[0] = '\0';
	kref_put(&victim->kref, token_release);
	free(victim);	/* expect: rule 2 */
}
