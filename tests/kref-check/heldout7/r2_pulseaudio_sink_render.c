/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (not a copy) of a refcount bug fixed in PulseAudio.
 *
 * Repository: pulseaudio/pulseaudio
 * Commit:     ce6dff4ee0a3fe6e0339eb1f5d605caf8af3f989
 * Title:      "core: add missing sink_unref()"
 * Path:       src/pulsecore/sink.c
 * Function:   pa_sink_render() (and pa_sink_render_into(), same shape)
 *
 * pa_sink_render() pins the sink with pa_sink_ref(s) for the duration of
 * the render and drops it with pa_sink_unref(s) at the end, but the early
 * return for a suspended sink (which hands out silence) returns without
 * the unref: every render of a suspended sink leaks a reference and the
 * sink is never freed.  Fixed by adding pa_sink_unref(s) before that
 * return.
 *
 * The sink's PA_REFCNT is modelled with a struct kref.
 */
#include <stddef.h>
#include <stdlib.h>
#include <kref.h>

typedef struct pa_memblock pa_memblock;

typedef struct pa_memchunk {
	pa_memblock *memblock;
	size_t index;
	size_t length;
} pa_memchunk;

typedef enum pa_sink_state {
	PA_SINK_RUNNING,
	PA_SINK_IDLE,
	PA_SINK_SUSPENDED,
} pa_sink_state_t;

typedef struct pa_sink {
	struct kref refcnt;
	struct {
		pa_sink_state_t state;
		int soft_muted;
	} thread_info;
	pa_memchunk silence;
	char *name;
} pa_sink;

#define PA_MIN(a, b) ((a) < (b) ? (a) : (b))
#define MIX_BUFFER_LENGTH 4096

static void sink_free(struct kref *kref)
{
	pa_sink *s = container_of(kref, pa_sink, refcnt);

	free(s->name);
	free(s);
}

pa_sink *pa_sink_ref(pa_sink *s)
{
	kref_get(&s->refcnt);
	return s;
}

void pa_sink_unref(pa_sink *s)
{
	kref_put(&s->refcnt, sink_free);
}

extern pa_memblock *pa_memblock_ref(pa_memblock *b);
/* number of inputs with data; fills their chunks into info */
extern unsigned fill_mix_info(pa_sink *s, size_t *length, pa_memchunk *info,
			      unsigned maxinfo);
extern void mix_into_new_block(pa_sink *s, pa_memchunk *info, unsigned n,
			       size_t length, pa_memchunk *result);
/* drops the inputs' chunks; the sink inputs may unlink (and unref) here */
extern void inputs_drop(pa_sink *s, pa_memchunk *info, unsigned n,
			pa_memchunk *result);

/* Called from IO thread context */
void pa_sink_render(pa_sink *s, size_t length, pa_memchunk *result)
{
	pa_memchunk info[32];
	unsigned n;

	pa_sink_ref(s);

	if (s->thread_info.state == PA_SINK_SUSPENDED) {
		result->memblock = pa_memblock_ref(s->silence.memblock);
		result->index = s->silence.index;
		result->length = PA_MIN(s->silence.length, length);
		return; /* expect: rule 2 */
	}

	if (length <= 0)
		length = MIX_BUFFER_LENGTH;

	n = fill_mix_info(s, &length, info, 32);

	if (n == 0) {
		*result = s->silence;
		pa_memblock_ref(result->memblock);
		if (result->length > length)
			result->length = length;
	} else if (n == 1) {
		*result = info[0];
		pa_memblock_ref(result->memblock);
		if (result->length > length)
			result->length = length;
	} else {
		mix_into_new_block(s, info, n, length, result);
	}

	inputs_drop(s, info, n, result);

	pa_sink_unref(s);
}
