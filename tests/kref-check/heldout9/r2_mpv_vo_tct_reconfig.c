/* SPDX-License-Identifier: MIT */
/*
 * mpv (mpv-player/mpv), fix 824e569fb56b2f4fbe9296cca2d319a0e33a4e19,
 * video/out/vo_tct.c: reconfig() stores a newly allocated image in
 * p->frame over the one a previous reconfig() stored there, without
 * dropping that image's reference.
 */
#include <stdio.h>
#include <stdlib.h>
#include <kref.h>

#define IMGFMT		1
#define ALGO_PLAIN	1
#define ALGO_HALF_BLOCKS 2

struct mp_image {
	struct kref ref;
	int imgfmt;
	int w, h;
	unsigned char *planes[4];
};

struct mp_image_params {
	int imgfmt;
	int w, h;
	int p_w, p_h;
};

struct mp_rect {
	int x0, y0, x1, y1;
};

struct mp_osd_res {
	int w, h;
};

struct mp_sws_context {
	struct mp_image_params src;
	struct mp_image_params dst;
};

struct vo_tct_opts {
	int algo;
};

struct priv {
	struct vo_tct_opts *opts;
	int swidth;
	int sheight;
	struct mp_image *frame;
	struct mp_rect src;
	struct mp_rect dst;
	struct mp_sws_context *sws;
};

struct vo {
	struct priv *priv;
	int dwidth, dheight;
	int want_redraw;
};

/* Returns a new image with a reference for the caller, or NULL. */
extern struct mp_image *mp_image_alloc(int imgfmt, int w, int h);
/* Frees the image's planes and the image (called on the last unref). */
extern void mp_image_destroy(struct kref *ref);
extern int mp_sws_reinit(struct mp_sws_context *ctx);
extern void get_win_size(struct vo *vo, int *out_width, int *out_height);
extern void vo_get_src_dst_rects(struct vo *vo, struct mp_rect *out_src,
				 struct mp_rect *out_dst, struct mp_osd_res *out_osd);

static inline void mp_image_unref(struct mp_image *img)
{
	if (img)
		kref_put(&img->ref, mp_image_destroy);
}

static int reconfig(struct vo *vo, struct mp_image_params *params)
{
	struct priv *p = vo->priv;

	get_win_size(vo, &vo->dwidth, &vo->dheight);

	struct mp_osd_res osd;
	vo_get_src_dst_rects(vo, &p->src, &p->dst, &osd);
	p->swidth = p->dst.x1 - p->dst.x0;
	p->sheight = p->dst.y1 - p->dst.y0;

	p->sws->src = *params;
	p->sws->dst = (struct mp_image_params) {
		.imgfmt = IMGFMT,
		.w = p->swidth,
		.h = p->sheight,
		.p_w = 1,
		.p_h = 1,
	};

	const int mul = (p->opts->algo == ALGO_PLAIN ? 1 : 2);
	p->frame = mp_image_alloc(IMGFMT, p->swidth, p->sheight * mul); /* expect: rule 2 */
	if (!p->frame)
		return -1;

	if (mp_sws_reinit(p->sws) < 0)
		return -1;

	printf("\033[?25l");
	printf("\033[2J");
	vo->want_redraw = 1;
	return 0;
}

int vo_tct_resize(struct vo *vo, struct mp_image_params *params)
{
	/* reconfig() runs again on every size or zoom change */
	if (reconfig(vo, params) < 0)
		return -1;
	return reconfig(vo, params);
}
