/* SPDX-License-Identifier: MIT */
/*
 * Project: obsproject/obs-studio
 * Path: libobs/obs-audio.c
 * Fix commit: 573197af5b4141dfb5c14ffcff3d2884c978dbfb
 * Bug: push_audio_tree() takes a plain reference (obs_source_addref) on a
 * source it reached by walking the list of audio sources, although that source's
 * count may already have dropped to zero with its destroy waiting to unlink it.
 */
#include <stddef.h>
#include <pthread.h>
#include <kref.h>

typedef struct obs_source obs_source_t;

struct obs_source {
	struct kref refs;		/* the source list does not hold one */
	struct obs_source *next_audio_source;
	struct obs_source **prev_next_audio_source;
};

struct obs_core_data {
	pthread_mutex_t audio_sources_mutex;
	struct obs_source *first_audio_source;
};

#define MAX_RENDER_ORDER 256

struct obs_core_audio {
	obs_source_t *render_order[MAX_RENDER_ORDER];
	size_t num_render_order;
};

extern struct obs_core_data *obs_data;

/* mixes the audio of the sources in render_order */
extern void mix_audio(struct obs_core_audio *audio);
/* frees the source's context, filters and buffers */
extern void obs_source_free(obs_source_t *source);

static void obs_source_destroy(struct kref *kref)
{
	obs_source_t *source = container_of(kref, obs_source_t, refs);

	pthread_mutex_lock(&obs_data->audio_sources_mutex);
	if (source->prev_next_audio_source) {
		*source->prev_next_audio_source = source->next_audio_source;
		if (source->next_audio_source)
			source->next_audio_source->prev_next_audio_source =
				source->prev_next_audio_source;
	}
	pthread_mutex_unlock(&obs_data->audio_sources_mutex);
	obs_source_free(source);
}

static inline obs_source_t *obs_source_get_ref(obs_source_t *source)
{
	if (!source || !kref_get_unless_zero(&source->refs))
		return NULL;
	return source;
}

void obs_source_release(obs_source_t *source)
{
	if (source)
		kref_put(&source->refs, obs_source_destroy);
}

static int render_order_find(struct obs_core_audio *audio,
			     obs_source_t *source)
{
	size_t i;

	for (i = 0; i < audio->num_render_order; i++)
		if (audio->render_order[i] == source)
			return 1;
	return 0;
}

static void push_audio_tree(obs_source_t *parent, obs_source_t *source,
			    void *p)
{
	struct obs_core_audio *audio = p;

	(void)parent;
	if (!render_order_find(audio, source) &&
	    audio->num_render_order < MAX_RENDER_ORDER) {
		obs_source_t *s = obs_source_get_ref(source);
		if (s)
			audio->render_order[audio->num_render_order++] = s;
	}
}

void audio_callback(struct obs_core_audio *audio)
{
	struct obs_core_data *data = obs_data;
	obs_source_t *source;
	size_t i;

	audio->num_render_order = 0;

	pthread_mutex_lock(&data->audio_sources_mutex);
	source = data->first_audio_source;
	while (source) {
		push_audio_tree(NULL, source, audio);
		source = source->next_audio_source;
	}
	pthread_mutex_unlock(&data->audio_sources_mutex);

	mix_audio(audio);

	for (i = 0; i < audio->num_render_order; i++)
		obs_source_release(audio->render_order[i]);
}
