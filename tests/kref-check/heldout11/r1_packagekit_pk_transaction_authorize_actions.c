/* SPDX-License-Identifier: MIT */
/*
 * Project: PackageKit/PackageKit
 * Path:    src/pk-transaction.c
 * Fix:     24859ec4d98b60a02d133fd2cc364b6a62f28e91
 * Bug:     pk_transaction_authorize_actions() hands the transaction to an
 *          asynchronous polkit authorization call through its callback data
 *          without a reference, so the transaction can be finalized before
 *          pk_transaction_authorize_actions_finished_cb() runs.
 */
#include <stdlib.h>
#include <kref.h>

typedef enum {
	PK_TRANSACTION_STATE_WAITING_FOR_AUTH,
	PK_TRANSACTION_STATE_READY,
} PkTransactionState;

typedef struct {
	void *authority;
	void *subject;
	void *cancellable;
	int waiting_for_auth;
	unsigned int uid;
} PkTransactionPrivate;

typedef struct {
	struct kref ref;
	PkTransactionPrivate *priv;
} PkTransaction;

typedef struct {
	unsigned int len;
	char **pdata;
} GPtrArray;

struct AuthorizeActionsData {
	PkTransaction *transaction;
	int role;
	/* actions still to authorize, one polkit call each */
	GPtrArray *actions;
};

/* Asks polkit about action_id; calls callback(result, user_data) later. */
extern void polkit_authority_check_authorization(void *authority, void *subject,
						 const char *action_id,
						 void *cancellable,
						 void (*callback)(void *result,
								  void *user_data),
						 void *user_data);
/* Whether polkit granted the action. */
extern int polkit_authorization_result_get_is_authorized(void *result);
/* Whether the cancellable was triggered. */
extern int g_cancellable_is_cancelled(void *cancellable);
/* Emits ::ErrorCode and ::Finished for a refused transaction. */
extern void pk_transaction_finish_not_authorized(PkTransaction *transaction,
						 const char *message);
/* Moves the transaction to a new state. */
extern void pk_transaction_set_state(PkTransaction *transaction,
				     PkTransactionState state);
/* Takes a reference on the array and returns it. */
extern GPtrArray *g_ptr_array_ref(GPtrArray *array);
/* Drops a reference on the array. */
extern void g_ptr_array_unref(GPtrArray *array);
/* Removes and frees the first element. */
extern void g_ptr_array_remove_first(GPtrArray *array);

void pk_transaction_finalize(struct kref *ref)
{
	PkTransaction *transaction = container_of(ref, PkTransaction, ref);

	free(transaction->priv);
	free(transaction);
}

int pk_transaction_authorize_actions(PkTransaction *transaction, int role,
				     GPtrArray *actions);

static void pk_transaction_authorize_actions_finished_cb(void *result,
							  void *user_data)
{
	struct AuthorizeActionsData *data = user_data;
	PkTransactionPrivate *priv = data->transaction->priv;

	if (g_cancellable_is_cancelled(priv->cancellable)) {
		priv->waiting_for_auth = 0;
		pk_transaction_finish_not_authorized(data->transaction,
						     "The authentication was cancelled due to a timeout.");
		goto out;
	}

	if (result == NULL) {
		priv->waiting_for_auth = 0;
		pk_transaction_finish_not_authorized(data->transaction,
						     "Failed to check for authentication");
		goto out;
	}

	if (!polkit_authorization_result_get_is_authorized(result)) {
		priv->waiting_for_auth = 0;
		pk_transaction_finish_not_authorized(data->transaction,
						     "Failed to obtain authentication.");
		goto out;
	}

	if (data->actions->len <= 1) {
		/* authentication finished successfully */
		priv->waiting_for_auth = 0;
		pk_transaction_set_state(data->transaction, PK_TRANSACTION_STATE_READY);
	} else {
		/* process the rest of the actions */
		g_ptr_array_remove_first(data->actions);
		pk_transaction_authorize_actions(data->transaction, data->role,
						 data->actions);
	}

out:
	g_ptr_array_unref(data->actions);
	free(data);
}

int pk_transaction_authorize_actions(PkTransaction *transaction, int role,
				     GPtrArray *actions)
{
	PkTransactionPrivate *priv = transaction->priv;
	struct AuthorizeActionsData *data;
	const char *action_id;

	if (actions->len == 0) {
		pk_transaction_set_state(transaction, PK_TRANSACTION_STATE_READY);
		return 1;
	}
	action_id = actions->pdata[0];

	pk_transaction_set_state(transaction, PK_TRANSACTION_STATE_WAITING_FOR_AUTH);
	priv->waiting_for_auth = 1;

	data = malloc(sizeof(*data));
	if (!data)
		abort();
	data->transaction = transaction; /* expect: rule 1 */
	data->role = role;
	data->actions = g_ptr_array_ref(actions);

	/* do authorization async */
	polkit_authority_check_authorization(priv->authority, priv->subject,
					     action_id, priv->cancellable,
					     pk_transaction_authorize_actions_finished_cb,
					     data);
	return 1;
}
