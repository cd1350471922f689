/* SPDX-License-Identifier: MIT */
/* Correct: the error jumps to a label that puts; the early return before
 * the get needs no put. */
#include <stdio.h>
#include <stdlib.h>
#include <kref.h>

struct image {
	struct kref ref;
	int width, height;
	unsigned char *pixels;
};

static void image_release(struct kref *ref)
{
	struct image *img = container_of(ref, struct image, ref);

	free(img->pixels);
	free(img);
}

int image_save(struct image *img, const char *path)
{
	FILE *f;
	int ret = 0;

	if (!path)
		return -1;
	kref_get(&img->ref);
	f = fopen(path, "wb");
	if (!f) {
		ret = -1;
		goto out;
	}
	if (fwrite(img->pixels, 1, (size_t)img->width * img->height, f) == 0)
		ret = -1;
	fclose(f);
out:
	kref_put(&img->ref, image_release);
	return ret;
}
