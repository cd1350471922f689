/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (own code) of a real bug: bluez/bluez commit
 * 390c2b0885bfb3d301a50b4959e50c31de52b91c "a2dp: Fix ref counting bug of
 * setup_unref", profiles/audio/a2dp.c, a2dp_reconfig().  The reference
 * a2dp_setup_get() returns is handed to the callback record cb_data
 * (setup_cb_new() links it on setup->cb, keeping cb->setup), and
 * setup_cb_free() drops it.  The fail label instead drops the setup
 * reference directly and leaves cb_data, still pointing at the setup, on
 * the list: a later setup_cb_free() puts it a second time.  The fix calls
 * setup_cb_free(cb_data) there.  The setup's ref counted with a kref.
 */
#include <errno.h>
#include <stdlib.h>
#include <kref.h>

struct avdtp;
struct a2dp_sep;		/* local and remote stream end points */
struct a2dp_remote_sep;
struct a2dp_channel { struct avdtp *session; };

struct a2dp_setup_cb {
	struct a2dp_setup_cb *next;
	struct a2dp_setup *setup;
	void *user_data;	/* the D-Bus message reconfig_cb() answers */
};

struct a2dp_setup {
	struct kref ref;
	struct avdtp *session;
	struct a2dp_setup_cb *cb;
	int reconfigure;
};

/* The setup of session on the global list setups, or NULL (no reference). */
extern struct a2dp_setup *find_setup_by_session(struct avdtp *session);
/* Allocates a setup (one reference) and links it on setups. */
extern struct a2dp_setup *setup_new(struct avdtp *session);
extern void setups_remove(struct a2dp_setup *s);
extern void setup_cb_unlink(struct a2dp_setup *setup, struct a2dp_setup_cb *cb);
/* Nonzero if a stream existed and was closed (*err < 0 if that failed). */
extern int a2dp_close_existing_stream(struct a2dp_channel *chan, const char *sender,
				      struct a2dp_remote_sep *rsep, int *err);
extern int avdtp_set_configuration(struct avdtp *session, struct a2dp_remote_sep *rsep,
				   struct a2dp_sep *lsep);

static void setup_free(struct kref *ref)
{
	struct a2dp_setup *s = container_of(ref, struct a2dp_setup, ref);

	setups_remove(s);
	free(s);
}

static struct a2dp_setup *setup_ref(struct a2dp_setup *setup)
{
	kref_get(&setup->ref);
	return setup;
}
static void setup_unref(struct a2dp_setup *setup)
{
	kref_put(&setup->ref, setup_free);
}

static struct a2dp_setup *a2dp_setup_get(struct avdtp *session)
{
	struct a2dp_setup *setup = find_setup_by_session(session);

	if (!setup && !(setup = setup_new(session)))
		return NULL;
	return setup_ref(setup);
}

/* Takes over the caller's reference on setup. */
static struct a2dp_setup_cb *setup_cb_new(struct a2dp_setup *setup)
{
	struct a2dp_setup_cb *cb = calloc(1, sizeof(*cb));
	cb->setup = setup;
	cb->next = setup->cb;
	setup->cb = cb;
	return cb;
}

void setup_cb_free(struct a2dp_setup_cb *cb)
{
	setup_cb_unlink(cb->setup, cb);
	setup_unref(cb->setup);
	free(cb);
}

int a2dp_reconfig(struct a2dp_channel *chan, const char *sender,
		  struct a2dp_sep *lsep, struct a2dp_remote_sep *rsep, void *user_data)
{
	struct a2dp_setup *setup;
	struct a2dp_setup_cb *cb_data;
	int err;

	setup = a2dp_setup_get(chan->session);
	if (!setup)
		return -ENOMEM;

	cb_data = setup_cb_new(setup);
	cb_data->user_data = user_data;

	/* Check for existing stream and close it */
	if (a2dp_close_existing_stream(chan, sender, rsep, &err)) {
		if (err < 0)
			goto fail;
		setup->reconfigure = 1;	/* set up again once closed */
		return 0;
	}

	err = avdtp_set_configuration(setup->session, rsep, lsep);
	if (!err)
		return 0;

fail:
	setup_cb_free(cb_data);
	return err;
}
