/* SPDX-License-Identifier: MIT */
/*
 * Project: freedesktop/fontconfig (mirror of gitlab.freedesktop.org/fontconfig/fontconfig)
 * Path:    src/fccfg.c
 * Fix:     aa8c8cfa9fb2563482336249e3f56459099fcf6e
 * Bug:     FcConfigReference(NULL) reads the current config from the global
 *          _fcConfig and increments its count afterwards with no lock, while
 *          FcConfigSetCurrent() swaps _fcConfig and drops the global's
 *          reference to the old config, so the increment can hit a freed one.
 */
#include <kref.h>
#include <stdlib.h>

typedef int FcBool;
#define FcTrue	1
#define FcFalse	0

typedef struct _FcConfig {
	struct kref ref;
	void *fonts;		/* system font set, built on demand */
} FcConfig;

static FcConfig *_fcConfig;	/* the current config; holds one reference */

/* loads the configuration files and fonts; returns a config holding one
 * reference, or NULL */
extern FcConfig *FcInitLoadConfigAndFonts(void);
/* builds config->fonts from the configured directories */
extern FcBool FcConfigBuildFonts(FcConfig *config);
/* frees the config's members (not the struct) */
extern void FcConfigFini(FcConfig *config);

static void FcConfigRelease(struct kref *ref)
{
	FcConfig *config = container_of(ref, FcConfig, ref);

	FcConfigFini(config);
	free(config);
}

void FcConfigDestroy(FcConfig *config)
{
	if (config)
		kref_put(&config->ref, FcConfigRelease);
}

FcConfig *FcConfigReference(FcConfig *config)
{
	if (!config) {
	retry:
		config = __atomic_load_n(&_fcConfig, __ATOMIC_ACQUIRE);
		if (!config) {
			FcConfig *expected = NULL;

			config = FcInitLoadConfigAndFonts();
			if (!config)
				return NULL;
			if (!__atomic_compare_exchange_n(&_fcConfig, &expected, config, 0,
							 __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
				FcConfigDestroy(config);
				goto retry;
			}
		}
		kref_get(&config->ref); /* expect: rule 3 */
	} else {
		kref_get(&config->ref);
	}
	return config;
}

FcBool FcConfigSetCurrent(FcConfig *config)
{
	FcConfig *cfg;

	if (config) {
		if (!config->fonts && !FcConfigBuildFonts(config))
			return FcFalse;
		kref_get(&config->ref);		/* the reference _fcConfig will hold */
	}

retry:
	cfg = __atomic_load_n(&_fcConfig, __ATOMIC_ACQUIRE);
	if (config == cfg) {
		FcConfigDestroy(config);
		return FcTrue;
	}
	if (!__atomic_compare_exchange_n(&_fcConfig, &cfg, config, 0,
					 __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
		goto retry;

	/* drop the reference the global held on the old config */
	FcConfigDestroy(cfg);
	return FcTrue;
}
