/* SPDX-License-Identifier: MIT */
/*
 * Project: GNOME/libgweather
 * Path: libgweather/gweather-timezone.c
 * Fix: afa1f52b8281c11a8cedab3a870beeb8b47e28a0
 * Bug: a parsed timezone is put in the parser's timezone cache, which unrefs
 * its values when destroyed, without a reference of its own, while the only
 * reference is also returned to the caller.
 */
#include <stdlib.h>
#include <string.h>
#include <kref.h>

typedef struct _GHashTable GHashTable;

/* stores key -> value; the table unrefs value (gweather_timezone_unref) when
 * the entry is replaced or removed or the table is destroyed */
extern void g_hash_table_insert(GHashTable *table, void *key, void *value);
/* reads the <timezone> element: newly allocated id and localized name, 0 at end */
extern int gweather_parser_read_timezone(void *xml, char **id, char **name);
/* looks the zone up in the tz database; 0 if unknown */
extern int parse_tzdata(const char *id, int *offset, int *has_dst, int *dst_offset);

typedef struct {
	void *xml;
	GHashTable *timezone_cache;	/* id -> GWeatherTimezone, counted */
} GWeatherParser;

typedef struct _GWeatherTimezone {
	struct kref ref;		/* ref_count */
	char *id;
	char *name;
	int offset;
	int dst_offset;
	int has_dst;
} GWeatherTimezone;

static void gweather_timezone_release(struct kref *ref)
{
	GWeatherTimezone *zone = container_of(ref, GWeatherTimezone, ref);

	free(zone->id);
	free(zone->name);
	free(zone);
}

GWeatherTimezone *gweather_timezone_ref(GWeatherTimezone *zone)
{
	kref_get(&zone->ref);
	return zone;
}

void gweather_timezone_unref(GWeatherTimezone *zone)
{
	kref_put(&zone->ref, gweather_timezone_release);
}

/* Returns a new reference to the parsed zone, or NULL. */
GWeatherTimezone *parse_timezone(GWeatherParser *parser)
{
	GWeatherTimezone *zone = NULL;
	char *id = NULL;
	char *name = NULL;
	int offset = 0, dst_offset = 0, has_dst = 0;

	if (!gweather_parser_read_timezone(parser->xml, &id, &name))
		return NULL;

	if (parse_tzdata(id, &offset, &has_dst, &dst_offset)) {
		zone = calloc(1, sizeof(*zone));
		if (zone) {
			kref_init(&zone->ref);
			zone->id = strdup(id);
			zone->name = name;
			zone->offset = offset;
			zone->has_dst = has_dst;
			zone->dst_offset = dst_offset;

			g_hash_table_insert(parser->timezone_cache, zone->id, gweather_timezone_ref(zone));

			name = NULL;
		}
	}

	free(name);
	free(id);

	return zone;
}
