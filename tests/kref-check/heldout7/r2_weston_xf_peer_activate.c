/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (not a copy) of a refcount bug fixed in Weston.
 *
 * Repository: wayland-project/weston
 * Commit:     c3c0b247a05da46eb032320f38428767acc26910
 * Title:      "backend-rdp: unref keymap after associating with seat"
 * Path:       libweston/backend-rdp/rdp.c
 * Function:   xf_peer_activate()
 *
 * When an RDP client activates, the backend builds an xkb keymap for the
 * client's keyboard layout (xkb_keymap_new_from_names() returns it with
 * one reference) and passes it to weston_seat_init_keyboard(), which takes
 * its own reference.  The backend never drops the one it created, so a
 * struct xkb_keymap leaks per connection.  Fixed by xkb_keymap_unref()
 * after the seat has its keyboard.
 *
 * The keymap's refcnt is modelled with a struct kref.
 */
#include <stdlib.h>
#include <kref.h>

struct xkb_keymap {
	struct kref refcnt;
	char *layout;
};

struct weston_keyboard {
	struct xkb_keymap *keymap;	/* holds a reference */
};

struct weston_seat {
	struct weston_keyboard *keyboard;
	const char *name;
};

struct rdp_peers_item {
	int flags;
	struct weston_seat *seat;
};

struct rdp_peer_context {
	struct rdp_peers_item item;
	unsigned keyboard_layout;
};

#define RDP_PEER_ACTIVATED (1 << 0)

static void xkb_keymap_free(struct kref *kref)
{
	struct xkb_keymap *keymap = container_of(kref, struct xkb_keymap, refcnt);

	free(keymap->layout);
	free(keymap);
}

struct xkb_keymap *xkb_keymap_ref(struct xkb_keymap *keymap)
{
	kref_get(&keymap->refcnt);
	return keymap;
}

void xkb_keymap_unref(struct xkb_keymap *keymap)
{
	if (keymap)
		kref_put(&keymap->refcnt, xkb_keymap_free);
}

/* compiles a keymap for the layout: a new keymap with one reference */
extern struct xkb_keymap *xkb_keymap_new_from_names(unsigned layout);
extern void weston_seat_init(struct weston_seat *seat, const char *name);
extern void weston_seat_init_pointer(struct weston_seat *seat);

int weston_seat_init_keyboard(struct weston_seat *seat,
			      struct xkb_keymap *keymap)
{
	struct weston_keyboard *keyboard = calloc(1, sizeof(*keyboard));

	if (!keyboard)
		return -1;
	if (keymap)
		keyboard->keymap = xkb_keymap_ref(keymap);
	seat->keyboard = keyboard;
	return 0;
}

static int xf_peer_activate(struct rdp_peer_context *peerCtx)
{
	struct rdp_peers_item *peersItem = &peerCtx->item;
	struct xkb_keymap *keymap = NULL;

	if (peerCtx->keyboard_layout)
		keymap = xkb_keymap_new_from_names(peerCtx->keyboard_layout); /* expect: rule 2 */

	weston_seat_init(peersItem->seat, "RDP seat");
	weston_seat_init_keyboard(peersItem->seat, keymap);
	weston_seat_init_pointer(peersItem->seat);

	peersItem->flags |= RDP_PEER_ACTIVATED;
	return 1;
}

int (*rdp_activate_cb)(struct rdp_peer_context *) = xf_peer_activate;
