/* SPDX-License-Identifier: MIT */
/*
 * Project: GNOME/epiphany
 * Path:    src/window-commands.c
 * Fix:     628c0c51190a85b2c0a074606bdf3148f4d7be58
 * Bug:     clipboard_text_received_cb() returns early when the clipboard
 *          cannot be read without dropping the window reference that
 *          window_cmd_new_tab_from_clipboard() passed to the async read.
 */
#include <stddef.h>
#include <stdlib.h>
#include <kref.h>

/* A GObject reduced to its reference count. */
typedef struct {
	struct kref ref_count;
} GObject;

typedef struct { GObject parent; } EphyWindow;
typedef struct { GObject parent; } EphyEmbed;
typedef struct EphyWebView EphyWebView;
typedef struct GdkClipboard GdkClipboard;
typedef struct GAsyncResult GAsyncResult;
typedef struct { char *message; } GError;

typedef void (*GAsyncReadyCallback)(GdkClipboard *clipboard, GAsyncResult *res, void *user_data);

/* runs the type's dispose/finalize and frees the instance */
extern void g_object_finalize(GObject *object);

static void g_object_release(struct kref *kref)
{
	g_object_finalize(container_of(kref, GObject, ref_count));
}

void *g_object_ref(void *object)
{
	kref_get(&((GObject *)object)->ref_count);
	return object;
}

void g_object_unref(void *object)
{
	kref_put(&((GObject *)object)->ref_count, g_object_release);
}

/* frees a GError */
extern void g_error_free(GError *error);
/* logs a warning */
extern void g_warning(const char *format, ...);
/* returns the window's primary clipboard, borrowed */
extern GdkClipboard *ephy_window_get_primary_clipboard(EphyWindow *window);
/* starts reading the clipboard text; calls @callback later with @user_data */
extern void gdk_clipboard_read_text_async(GdkClipboard *clipboard, void *cancellable,
					  GAsyncReadyCallback callback, void *user_data);
/* returns the text read (caller frees) or NULL and sets @error */
extern char *gdk_clipboard_read_text_finish(GdkClipboard *clipboard, GAsyncResult *res, GError **error);
/* returns a newly allocated URL or search URL for @text */
extern char *ephy_embed_utils_normalize_or_autosearch_address(const char *text);
/* opens a new tab in @window and returns its embed, borrowed (the window owns it) */
extern EphyEmbed *ephy_shell_new_tab(EphyWindow *window);
/* returns the embed's web view, borrowed */
extern EphyWebView *ephy_embed_get_web_view(EphyEmbed *embed);
/* starts loading @url in the view */
extern void ephy_web_view_load_url(EphyWebView *web_view, const char *url);
/* makes @embed the window's active tab and focuses it */
extern void ephy_embed_container_set_active_child(EphyWindow *window, EphyEmbed *embed);

/* user_data holds the reference that window_cmd_new_tab_from_clipboard() took */
static void clipboard_text_received_cb(GdkClipboard *clipboard,
				       GAsyncResult *res,
				       void *user_data)
{
	EphyWindow *window = user_data;
	EphyEmbed *embed;
	EphyWebView *web_view;
	GError *error = NULL;
	char *text;
	char *normalized;

	text = gdk_clipboard_read_text_finish(clipboard, res, &error);
	if (error) {
		g_warning("Failed to the URL from clipboard: %s", error->message);
		g_error_free(error);
		g_object_unref(window);
		return;
	}

	normalized = ephy_embed_utils_normalize_or_autosearch_address(text);

	embed = ephy_shell_new_tab(window);

	web_view = ephy_embed_get_web_view(embed);
	ephy_web_view_load_url(web_view, normalized);

	ephy_embed_container_set_active_child(window, embed);

	free(normalized);
	free(text);
	g_object_unref(window);
}

void window_cmd_new_tab_from_clipboard(void *action, void *parameter, void *user_data)
{
	EphyWindow *ephy_window = user_data;
	GdkClipboard *clipboard;

	clipboard = ephy_window_get_primary_clipboard(ephy_window);
	gdk_clipboard_read_text_async(clipboard, NULL,
				      clipboard_text_received_cb,
				      g_object_ref(ephy_window));
}
