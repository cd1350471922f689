/* SPDX-License-Identifier: MIT */
/*
 * Project:    freedesktop/xorg-xserver (GitHub mirror of xorg/xserver)
 * Path:       hw/xfree86/ramdac/xf86CursorRD.c
 * Fix commit: 919f1f46fc67dae93b2b3f278fcbfc77af34ec58
 * Bug:        with the VT switched away, xf86CursorSetCursor() stores the
 *             cursor in both CurrentCursor and SavedCursor after a single
 *             RefCursor(), so the two fields share one reference and the
 *             cursor is used after free when the VT comes back.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <kref.h>

typedef struct _Cursor {
	struct kref refcnt;
	int xhot, yhot;
} CursorRec, *CursorPtr;

#define NullCursor	((CursorPtr)0)
#define None		0

typedef struct {
	bool vtSema;			/* pScrn->vtSema: we own the VT */
	CursorPtr CurrentCursor;	/* holds a reference */
	CursorPtr SavedCursor;		/* holds a reference */
	CursorPtr CursorToRestore;
	int x, y, HotX, HotY;
	bool isUp, SWCursor;
} xf86CursorScreenRec, *xf86CursorScreenPtr;

/* unrealizes the cursor on every screen and frees it */
extern void CursorDestroy(CursorPtr pCurs);
/* loads the cursor image into the hardware; false if it cannot be used */
extern bool xf86SetCursor(xf86CursorScreenPtr ScreenPriv, CursorPtr pCurs, int x, int y);
/* hands the cursor to the software sprite layer */
extern void SpriteSetCursor(xf86CursorScreenPtr ScreenPriv, CursorPtr pCurs, int x, int y);

static void CursorRelease(struct kref *ref)
{
	CursorDestroy(container_of(ref, CursorRec, refcnt));
}

CursorPtr RefCursor(CursorPtr cursor)
{
	if (cursor)
		kref_get(&cursor->refcnt);
	return cursor;
}

void UnrefCursor(CursorPtr cursor)
{
	if (cursor)
		kref_put(&cursor->refcnt, CursorRelease);
}

int FreeCursor(void *value, int cid)
{
	UnrefCursor(value);
	return 0;
}

void xf86CursorSetCursor(xf86CursorScreenPtr ScreenPriv, CursorPtr pCurs, int x, int y)
{
	if (pCurs == NullCursor) {
		if (ScreenPriv->isUp) {
			xf86SetCursor(ScreenPriv, NullCursor, x, y);
			ScreenPriv->isUp = false;
		}
		if (ScreenPriv->CurrentCursor)
			FreeCursor(ScreenPriv->CurrentCursor, None);
		ScreenPriv->CurrentCursor = NullCursor;
		return;
	}

	CursorPtr cursor = RefCursor(pCurs);
	if (ScreenPriv->CurrentCursor)
		FreeCursor(ScreenPriv->CurrentCursor, None);
	ScreenPriv->CurrentCursor = cursor;
	ScreenPriv->x = x;
	ScreenPriv->y = y;
	ScreenPriv->CursorToRestore = NULL;
	ScreenPriv->HotX = cursor->xhot;
	ScreenPriv->HotY = cursor->yhot;

	if (!ScreenPriv->vtSema) {
		ScreenPriv->SavedCursor = cursor; /* expect: rule 1 */
		return;
	}

	if (xf86SetCursor(ScreenPriv, cursor, x, y)) {
		ScreenPriv->SWCursor = false;
		ScreenPriv->isUp = true;
		return;
	}
	ScreenPriv->SWCursor = true;
	SpriteSetCursor(ScreenPriv, pCurs, x, y);
}

void xf86CursorEnableDisableFBAccess(xf86CursorScreenPtr ScreenPriv, bool enable)
{
	if (!enable && ScreenPriv->CurrentCursor != NullCursor) {
		CursorPtr currentCursor = RefCursor(ScreenPriv->CurrentCursor);

		xf86CursorSetCursor(ScreenPriv, NullCursor, ScreenPriv->x, ScreenPriv->y);
		ScreenPriv->isUp = false;
		ScreenPriv->SWCursor = true;
		ScreenPriv->SavedCursor = currentCursor;
	}

	if (enable && ScreenPriv->SavedCursor) {
		/* re-set the cursor now that the framebuffer is back */
		xf86CursorSetCursor(ScreenPriv, ScreenPriv->SavedCursor,
				    ScreenPriv->x, ScreenPriv->y);
		UnrefCursor(ScreenPriv->SavedCursor);
		ScreenPriv->SavedCursor = NULL;
	}
}
