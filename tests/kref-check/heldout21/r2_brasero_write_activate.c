/* SPDX-License-Identifier: MIT */
/*
 * Project: GNOME/brasero
 * Path: nautilus/nautilus-burn-extension.c
 * Fix commit: e12e8efb130cf390177a547ade9c45fcc46ab2da
 * Bug: write_activate() creates a session (one reference), hands it to the
 * burn dialog (which takes its own) and then puts its reference twice, once
 * right after the hand-off and once more in the cleanup, freeing the
 * session under the dialog.
 */
#include <kref.h>
#include <stdlib.h>

typedef struct GtkWidget GtkWidget;
typedef struct GtkWindow GtkWindow;

typedef struct BraseroTrackDataCfg {
	struct kref ref;
	const char *uri;
} BraseroTrackDataCfg;

typedef struct BraseroSessionCfg {
	struct kref ref;
	BraseroTrackDataCfg *track;	/* counted */
} BraseroSessionCfg;

#define BURN_URI "burn:///"

/* true (after telling the user) when there is nothing to burn */
extern int nautilus_disc_burn_is_empty(GtkWindow *toplevel);
/* a new vertical box */
extern GtkWidget *gtk_vbox_new(int homogeneous, int spacing);
/* packs child into box; the box owns the child widget */
extern void gtk_box_pack_start(GtkWidget *box, GtkWidget *child);
/* the volume label editor for a session; takes its own session reference */
extern GtkWidget *brasero_project_name_new(BraseroSessionCfg *session);
/* the data options widget; takes its own session reference */
extern GtkWidget *brasero_data_options_new(BraseroSessionCfg *session);
/*
 * runs the burn dialog for the session on the window, taking its own
 * reference to the session for as long as the dialog lives
 */
extern void launch_brasero_on_window_session(BraseroSessionCfg *session,
					     GtkWidget *options,
					     GtkWindow *window);
/* releases the track's file graph (called from the release only) */
extern void brasero_track_data_cfg_free_fields(BraseroTrackDataCfg *track);

static void brasero_track_release(struct kref *kref)
{
	BraseroTrackDataCfg *track =
		container_of(kref, BraseroTrackDataCfg, ref);

	brasero_track_data_cfg_free_fields(track);
	free(track);
}

static void brasero_session_release(struct kref *kref)
{
	BraseroSessionCfg *session =
		container_of(kref, BraseroSessionCfg, ref);

	if (session->track)
		kref_put(&session->track->ref, brasero_track_release);
	free(session);
}

static void brasero_track_unref(BraseroTrackDataCfg *track)
{
	kref_put(&track->ref, brasero_track_release);
}

static void brasero_session_unref(BraseroSessionCfg *session)
{
	kref_put(&session->ref, brasero_session_release);
}

static BraseroTrackDataCfg *brasero_track_data_cfg_new(void)
{
	BraseroTrackDataCfg *track = calloc(1, sizeof(*track));

	if (track)
		kref_init(&track->ref);
	return track;
}

static BraseroSessionCfg *brasero_session_cfg_new(void)
{
	BraseroSessionCfg *session = calloc(1, sizeof(*session));

	if (session)
		kref_init(&session->ref);
	return session;
}

/* the session keeps its own reference to the track */
static void brasero_burn_session_add_track(BraseroSessionCfg *session,
					   BraseroTrackDataCfg *track)
{
	kref_get(&track->ref);
	session->track = track;
}

static void write_activate(GtkWindow *toplevel)
{
	BraseroTrackDataCfg *track;
	BraseroSessionCfg *session;
	GtkWidget *name_options;
	GtkWidget *options;
	GtkWidget *box;

	if (nautilus_disc_burn_is_empty(toplevel))
		return;

	track = brasero_track_data_cfg_new();
	if (!track)
		return;
	track->uri = BURN_URI;

	session = brasero_session_cfg_new();
	if (!session) {
		brasero_track_unref(track);
		return;
	}
	brasero_burn_session_add_track(session, track);
	brasero_track_unref(track);

	/* Add option widget */
	box = gtk_vbox_new(0, 6);

	/* add name widget here to set the label of the volume */
	name_options = brasero_project_name_new(session);
	gtk_box_pack_start(box, name_options);

	/* create the options box */
	options = brasero_data_options_new(session);
	gtk_box_pack_start(box, options);

	/* NOTE: set the disc we're handling */
	launch_brasero_on_window_session(session, options, toplevel);
	brasero_session_unref(session); /* expect: rule 2 */

	/* cleanup */
	brasero_session_unref(session);
}

void write_activate_cb(void *item, void *user_data)
{
	(void)item;
	write_activate(user_data);
}
