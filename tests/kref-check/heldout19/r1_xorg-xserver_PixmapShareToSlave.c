/* SPDX-License-Identifier: MIT */
/*
 * Project: freedesktop/xorg-xserver
 * Path: dix/pixmap.c
 * Fix: 1a465fef9bc21142eecca3999f0761a3c0501a09
 * Bug: PixmapShareToSlave() stores the master pixmap in the new slave
 * pixmap's master_pixmap without taking a reference, although both the
 * master and the slave are destroyed together later, so resizing a PRIME
 * output uses the master pixmap after it was freed.
 */
#include <stdlib.h>
#include <kref.h>

typedef int Bool;
#define TRUE	1
#define FALSE	0

typedef struct _Screen *ScreenPtr;

typedef struct _Pixmap {
	struct kref refcnt;
	ScreenPtr pScreen;
	int width, height, depth, devKind;
	struct _Pixmap *master_pixmap;	/* counted: the slave holds one */
} PixmapRec, *PixmapPtr;

typedef struct _RRCrtc {
	ScreenPtr pScreen;
	PixmapPtr scanout_pixmap;
} RRCrtcRec, *RRCrtcPtr;

/* exports the master pixmap's backing store as a handle for the slave */
extern Bool SharePixmapBacking(PixmapPtr pixmap, ScreenPtr slave, void **handle);
/* creates an empty pixmap with one reference, owned by the caller */
extern PixmapPtr CreatePixmap(ScreenPtr screen, int w, int h, int depth);
/* sets the pixmap's size, depth and pitch */
extern void ModifyPixmapHeader(PixmapPtr pix, int w, int h, int depth, int devKind);
/* points the slave pixmap at the shared backing store */
extern Bool SetSharedPixmapBacking(PixmapPtr spix, void *handle);
/* returns the master screen of a slave screen */
extern ScreenPtr current_master(ScreenPtr slave);

void DestroyPixmap(PixmapPtr pix);

static void FreePixmap(struct kref *kref)
{
	PixmapPtr pix = container_of(kref, PixmapRec, refcnt);

	/* a shared slave pixmap lets go of its master when it goes */
	if (pix->master_pixmap)
		DestroyPixmap(pix->master_pixmap);
	free(pix);
}

void DestroyPixmap(PixmapPtr pix)
{
	kref_put(&pix->refcnt, FreePixmap);
}

PixmapPtr PixmapShareToSlave(PixmapPtr pixmap, ScreenPtr slave)
{
	PixmapPtr spix;
	Bool ret;
	void *handle;

	ret = SharePixmapBacking(pixmap, slave, &handle);
	if (ret == FALSE)
		return NULL;

	spix = CreatePixmap(slave, 0, 0, pixmap->depth);
	if (!spix)
		return NULL;
	ModifyPixmapHeader(spix, pixmap->width, pixmap->height,
			   pixmap->depth, pixmap->devKind);

	spix->master_pixmap = pixmap; /* expect: rule 1 */

	ret = SetSharedPixmapBacking(spix, handle);
	if (ret == FALSE) {
		DestroyPixmap(spix);
		return NULL;
	}

	return spix;
}

void RRCrtcDetachScanoutPixmap(RRCrtcPtr crtc)
{
	if (crtc->scanout_pixmap) {
		/* the creator's reference on the master, then the slave */
		DestroyPixmap(crtc->scanout_pixmap->master_pixmap);
		DestroyPixmap(crtc->scanout_pixmap);
	}
	crtc->scanout_pixmap = NULL;
}

Bool rrCreateSharedPixmap(RRCrtcPtr crtc, int width, int height, int depth)
{
	ScreenPtr master = current_master(crtc->pScreen);
	PixmapPtr mpix, spix;

	if (crtc->scanout_pixmap)
		RRCrtcDetachScanoutPixmap(crtc);

	mpix = CreatePixmap(master, width, height, depth);
	if (!mpix)
		return FALSE;

	spix = PixmapShareToSlave(mpix, crtc->pScreen);
	if (spix == NULL) {
		DestroyPixmap(mpix);
		return FALSE;
	}

	crtc->scanout_pixmap = spix;
	return TRUE;
}
