/* SPDX-License-Identifier: MIT */
/* Rule 2: an error jumps to a label placed after the put, so the
 * reference taken at the top leaks on that path. */
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

	kref_get(&img->ref);	/* keep it while we write */
	f = fopen(path, "wb");
	if (!f) {
		ret = -1;
		goto out;	/* expect: rule 2 */
	}
	if (fwrite(img->pixels, 1, (size_t)img->width * img->height, f) == 0)
		ret = -1;
	fclose(f);
	kref_put(&img->ref, image_release);
out:
	return ret;
}
