/* SPDX-License-Identifier: MIT */
/*
 * mpv (mpv-player/mpv), fix 304426c390901436fb1d4a63efbd582ae80c88f4,
 * video/filter/vf_amf.c: process() hands the input frame's image over to
 * the AMF surface made by mp_image_to_amf_surface() and releases the
 * surface after SubmitInput(); when the FRC queue is full, the surface's
 * release has dropped the image, yet the same frame is pushed back into
 * the input pin with mp_pin_out_unread().
 */
#include <stdbool.h>
#include <stdlib.h>
#include <kref.h>

enum mp_frame_type { MP_FRAME_NONE, MP_FRAME_VIDEO, MP_FRAME_EOF };

typedef enum { AMF_OK, AMF_EOF, AMF_REPEAT, AMF_INPUT_FULL, AMF_FAIL } AMF_RESULT;

struct mp_image {
	struct kref ref;
	int imgfmt;
	double pts;
};

struct mp_frame {
	enum mp_frame_type type;
	void *data;
};

typedef struct AMFSurface {
	struct kref ref;
	struct mp_image *src;	/* image kept alive until the surface goes */
} AMFSurface;

struct mp_pin;
struct amf_priv;

struct priv {
	struct amf_priv *amf;
	struct mp_image *ref_image;
	bool has_frame;
};

struct mp_filter {
	struct priv *priv;
	struct mp_pin **ppins;
};

/* Frees the image (called on the last unref). */
extern void mp_image_destroy(struct kref *ref);
/* Returns the next frame of the pin; the caller owns its reference. */
extern struct mp_frame mp_pin_out_read(struct mp_pin *p);
/* Puts the frame back at the head of the pin; the pin takes its reference. */
extern void mp_pin_out_unread(struct mp_pin *p, struct mp_frame frame);
extern bool mp_pin_in_needs_data(struct mp_pin *p);
extern void mp_frame_unref(struct mp_frame *frame);
extern void mp_filter_internal_mark_failed(struct mp_filter *f);
/* Queues the surface for conversion; takes its own surface reference on AMF_OK. */
extern AMF_RESULT amf_frc_submit_input(struct amf_priv *a, AMFSurface *surface);
extern void read_out(struct mp_filter *f);

static void mp_image_unrefp(struct mp_image **p_img)
{
	if (*p_img)
		kref_put(&(*p_img)->ref, mp_image_destroy);
	*p_img = NULL;
}

static struct mp_image *mp_image_new_ref(struct mp_image *img)
{
	if (!img)
		return NULL;
	kref_get(&img->ref);
	return img;
}

static void amf_surface_dtor(struct kref *ref)
{
	AMFSurface *surface = container_of(ref, AMFSurface, ref);

	mp_image_unrefp(&surface->src);
	free(surface);
}

static void amf_surface_release(AMFSurface *surface)
{
	kref_put(&surface->ref, amf_surface_dtor);
}

/* Takes over the caller's reference to src: the surface releases it. */
static AMFSurface *mp_image_to_amf_surface(struct mp_filter *f, struct mp_image *src)
{
	AMFSurface *out = calloc(1, sizeof(*out));

	if (!out) {
		mp_image_unrefp(&src);
		return NULL;
	}
	kref_init(&out->ref);
	out->src = src;
	return out;
}

void process(struct mp_filter *f)
{
	struct priv *p = f->priv;
	struct amf_priv *a = p->amf;

	if (!mp_pin_in_needs_data(f->ppins[1]))
		return;

	if (p->has_frame) {
		read_out(f);
		return;
	}

	struct mp_frame frame = mp_pin_out_read(f->ppins[0]);

	if (frame.type == MP_FRAME_NONE)
		return;

	if (frame.type != MP_FRAME_VIDEO) {
		mp_frame_unref(&frame);
		mp_filter_internal_mark_failed(f);
		return;
	}

	struct mp_image *in = frame.data;
	mp_image_unrefp(&p->ref_image);
	p->ref_image = mp_image_new_ref(in);

	AMFSurface *surface = mp_image_to_amf_surface(f, in);
	if (!surface) {
		mp_filter_internal_mark_failed(f);
		return;
	}

	AMF_RESULT res = amf_frc_submit_input(a, surface);
	amf_surface_release(surface);

	if (res == AMF_INPUT_FULL) {
		frame = (struct mp_frame){MP_FRAME_VIDEO, mp_image_new_ref(p->ref_image)};
		mp_pin_out_unread(f->ppins[0], frame);
		return;
	}

	if (res != AMF_OK && res != AMF_EOF) {
		mp_filter_internal_mark_failed(f);
		return;
	}

	read_out(f);
}
