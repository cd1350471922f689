/* SPDX-License-Identifier: MIT */
/*
 * OBS Studio (obsproject/obs-studio), fix
 * 0a3d2e127fcc13d81f38670770bfe602987825b7 ("libobs: Fix race condition"),
 * libobs/obs-video-gpu-encode.c: gpu_encode_thread() collects the encoders
 * of video->gpu_encoders under gpu_encoder_mutex with obs_encoder_addref();
 * an encoder whose last reference is gone stays in that list until its
 * destroy path takes the mutex to remove it, so the plain addref can revive
 * an encoder that is being destroyed.
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <kref.h>

#define MAX_GPU_ENCODERS 16

typedef struct obs_encoder obs_encoder_t;

struct obs_encoder {
	struct kref ref;
	struct obs_encoder *paired_encoder;
	bool first_received;
	uint64_t first_raw_ts;
	int64_t cur_pts;
	uint64_t start_ts;
	uint32_t timebase_num;
};

struct obs_core_video {
	pthread_mutex_t gpu_encoder_mutex;
	obs_encoder_t *gpu_encoders[MAX_GPU_ENCODERS];
	size_t gpu_encoders_num;
};

static struct obs_core_video video_core = {
	.gpu_encoder_mutex = PTHREAD_MUTEX_INITIALIZER,
};

/* runs the encoder's encode_texture() on the shared texture and sends the packet off */
bool encoder_encode_texture(obs_encoder_t *encoder, uint32_t handle, uint64_t lock_key,
			    uint64_t *next_key);
/* blocks until the video thread has a texture for the encoders; false on stop */
bool wait_gpu_encode_frame(struct obs_core_video *video, uint32_t *handle,
			   uint64_t *timestamp);

static void stop_gpu_encode(obs_encoder_t *encoder)
{
	struct obs_core_video *video = &video_core;

	pthread_mutex_lock(&video->gpu_encoder_mutex);
	for (size_t i = 0; i < video->gpu_encoders_num; i++) {
		if (video->gpu_encoders[i] == encoder) {
			video->gpu_encoders[i] =
				video->gpu_encoders[--video->gpu_encoders_num];
			break;
		}
	}
	pthread_mutex_unlock(&video->gpu_encoder_mutex);
}

static void obs_encoder_destroy(struct kref *ref)
{
	obs_encoder_t *encoder = container_of(ref, obs_encoder_t, ref);

	stop_gpu_encode(encoder);
	free(encoder);
}

void obs_encoder_addref(obs_encoder_t *encoder)
{
	if (encoder)
		kref_get(&encoder->ref);
}

void obs_encoder_release(obs_encoder_t *encoder)
{
	if (encoder)
		kref_put(&encoder->ref, obs_encoder_destroy);
}

void *gpu_encode_thread(void *unused)
{
	struct obs_core_video *video = &video_core;
	obs_encoder_t *encoders[MAX_GPU_ENCODERS];
	size_t num;
	uint32_t handle;
	uint64_t timestamp;

	(void)unused;

	while (wait_gpu_encode_frame(video, &handle, &timestamp)) {
		uint64_t lock_key = 0;
		uint64_t next_key = 0;

		num = 0;
		pthread_mutex_lock(&video->gpu_encoder_mutex);
		for (size_t i = 0; i < video->gpu_encoders_num; i++) {
			obs_encoder_t *encoder = video->gpu_encoders[i];
			encoders[num++] = encoder;
			obs_encoder_addref(encoder); /* expect: rule 3 */
		}
		pthread_mutex_unlock(&video->gpu_encoder_mutex);

		for (size_t i = 0; i < num; i++) {
			obs_encoder_t *encoder = encoders[i];
			struct obs_encoder *pair = encoder->paired_encoder;

			if (!encoder->first_received && pair) {
				if (!pair->first_received || pair->first_raw_ts > timestamp)
					continue;
			}
			if (!encoder->start_ts)
				encoder->start_ts = timestamp;

			encoder_encode_texture(encoder, handle, lock_key, &next_key);
			lock_key = next_key;
			encoder->cur_pts += encoder->timebase_num;
		}

		for (size_t i = 0; i < num; i++)
			obs_encoder_release(encoders[i]);
	}
	return NULL;
}
