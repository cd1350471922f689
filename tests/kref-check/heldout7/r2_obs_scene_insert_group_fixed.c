/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (not a copy) of a refcount bug fixed in OBS Studio.
 *
 * Repository: obsproject/obs-studio
 * Commit:     434bdc17684f6da7f37e85f61bf1795c26d7a5cb
 * Title:      "libobs: Fix possible use-after-free of obs_scene_t"
 * Path:       libobs/obs-scene.c
 * Function:   obs_scene_insert_group()
 *
 * obs_scene_insert_group() creates the group's sub-scene (one reference),
 * adds it to the parent scene as a scene item (the item takes its own
 * reference) and then drops the creation reference with
 * obs_scene_release(sub_scene) right away, before it locks the sub-scene
 * and moves the selected items into it.  If another thread removes the new
 * scene item meanwhile, the item's reference was the last one and the rest
 * of the function works on a freed scene.  Fixed by releasing sub_scene
 * only on the early return and at the very end.
 *
 * The scene's (source's) reference count is modelled with a struct kref.
 */
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <kref.h>

typedef struct obs_scene obs_scene_t;
typedef struct obs_scene_item obs_sceneitem_t;

struct obs_scene {
	struct kref ref;
	pthread_mutex_t video_mutex;
	pthread_mutex_t audio_mutex;
	obs_sceneitem_t *first_item;
	char *name;
};

struct obs_scene_item {
	struct kref ref;
	obs_scene_t *parent;
	obs_scene_t *source_scene;	/* holds a reference */
	obs_sceneitem_t *prev, *next;
	bool is_group;
};

static void scene_destroy(struct kref *ref)
{
	obs_scene_t *scene = container_of(ref, obs_scene_t, ref);

	pthread_mutex_destroy(&scene->audio_mutex);
	pthread_mutex_destroy(&scene->video_mutex);
	free(scene->name);
	free(scene);
}

void obs_scene_addref(obs_scene_t *scene)
{
	kref_get(&scene->ref);
}

void obs_scene_release(obs_scene_t *scene)
{
	if (scene)
		kref_put(&scene->ref, scene_destroy);
}

static inline void full_lock(obs_scene_t *scene)
{
	pthread_mutex_lock(&scene->video_mutex);
	pthread_mutex_lock(&scene->audio_mutex);
}

static inline void full_unlock(obs_scene_t *scene)
{
	pthread_mutex_unlock(&scene->audio_mutex);
	pthread_mutex_unlock(&scene->video_mutex);
}

/* a new "group" scene with one reference for the caller */
extern obs_scene_t *create_id(const char *id, const char *name);
/* unlinks an item from its current parent, under the parent's full lock */
extern void detach_sceneitem(obs_sceneitem_t *item);
extern void resize_group(obs_sceneitem_t *group);
extern void signal_item_add(obs_scene_t *scene, obs_sceneitem_t *item);

/* links a new item for source_scene into scene; the item takes a reference */
static obs_sceneitem_t *obs_scene_add_internal(obs_scene_t *scene,
					       obs_scene_t *source_scene,
					       obs_sceneitem_t *insert_after)
{
	obs_sceneitem_t *item = calloc(1, sizeof(*item));

	if (!item)
		return NULL;
	kref_init(&item->ref);
	obs_scene_addref(source_scene);
	item->source_scene = source_scene;
	item->is_group = true;
	full_lock(scene);
	item->parent = scene;
	item->prev = insert_after;
	if (!insert_after)
		scene->first_item = item;
	full_unlock(scene);
	return item;
}

obs_sceneitem_t *obs_scene_insert_group(obs_scene_t *scene, const char *name,
					obs_sceneitem_t **items, size_t count)
{
	if (!scene)
		return NULL;

	for (size_t i = count; i > 0; i--) {
		obs_sceneitem_t *item = items[i - 1];
		if (item->parent != scene || item->is_group)
			return NULL;
	}

	obs_scene_t *sub_scene = create_id("group", name);
	if (!sub_scene)
		return NULL;
	obs_sceneitem_t *last_item = items ? items[count - 1] : NULL;

	obs_sceneitem_t *item =
		obs_scene_add_internal(scene, sub_scene, last_item);

	if (!items || !count || !item) {
		obs_scene_release(sub_scene);
		return item;
	}

	full_lock(scene);
	full_lock(sub_scene);
	sub_scene->first_item = items[0];

	for (size_t i = count; i > 0; i--)
		detach_sceneitem(items[i - 1]);
	for (size_t i = 0; i < count; i++) {
		if (i != count - 1) {
			items[i]->next = items[i + 1];
			items[i + 1]->prev = items[i];
		} else {
			items[i]->next = NULL;
		}
		items[i]->parent = sub_scene;
	}
	items[0]->prev = NULL;
	resize_group(item);
	full_unlock(sub_scene);
	full_unlock(scene);

	signal_item_add(scene, item);

	obs_scene_release(sub_scene);
	return item;
}
