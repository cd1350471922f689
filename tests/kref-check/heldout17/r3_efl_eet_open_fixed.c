/* SPDX-License-Identifier: MIT */
/*
 * Project: Enlightenment/efl
 * Path:    legacy/eet/src/lib/eet_lib.c
 * Fix:     649760234c41ad90eaca45715c061353c1197372
 * Bug:     eet_open() finds an already open Eet_File in the file cache under
 *          the cache lock but counts its new user only after unlocking, and
 *          eet_close() drops the count without that lock, taking it only to
 *          remove the file from the cache before freeing it.
 */
#include <kref.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

typedef enum {
   EET_FILE_MODE_READ,
   EET_FILE_MODE_WRITE,
   EET_FILE_MODE_READ_WRITE
} Eet_File_Mode;

typedef struct _Eet_File Eet_File;
struct _Eet_File
{
   struct kref    references;
   Eet_File_Mode  mode;
   char          *path;
   Eet_File      *next;	/* eet_cache: holds no reference */
};

static pthread_mutex_t eet_cache_lock = PTHREAD_MUTEX_INITIALIZER;
#define LOCK_CACHE   pthread_mutex_lock(&eet_cache_lock)
#define UNLOCK_CACHE pthread_mutex_unlock(&eet_cache_lock)

static Eet_File *eet_cache = NULL;

/* opens, maps and reads the directory of a file; one reference */
extern Eet_File *eet_internal_open(const char *file, Eet_File_Mode mode);
/* writes out pending changes of a writable file */
extern void eet_flush2(Eet_File *ef);
/* unmaps and closes the file, frees its dictionary */
extern void eet_file_destroy(Eet_File *ef);

/* the cache lock is held */
static Eet_File *
eet_cache_find(const char *path, Eet_File_Mode mode)
{
   Eet_File *ef;

   for (ef = eet_cache; ef; ef = ef->next)
     if ((ef->mode == mode) && !strcmp(ef->path, path))
       return ef;
   return NULL;
}

/* the cache lock is held */
static void
eet_cache_add(Eet_File *ef)
{
   ef->next = eet_cache;
   eet_cache = ef;
}

/* the cache lock is held */
static void
eet_cache_del(Eet_File *ef)
{
   Eet_File **pp;

   for (pp = &eet_cache; *pp; pp = &(*pp)->next)
     if (*pp == ef)
       {
          *pp = ef->next;
          return;
       }
}

static void
eet_file_release(struct kref *kref)
{
   Eet_File *ef = container_of(kref, Eet_File, references);

   /* flush any writes */
   eet_flush2(ef);

   /* remove from cache: the caller holds the cache lock */
   eet_cache_del(ef);

   eet_file_destroy(ef);
   free(ef->path);
   free(ef);
}

int
eet_close(Eet_File *ef)
{
   if (!ef)
     return -1;
   LOCK_CACHE;
   /* deref */
   kref_put(&ef->references, eet_file_release);
   UNLOCK_CACHE;
   return 0;
}

Eet_File *
eet_open(const char *file, Eet_File_Mode mode)
{
   Eet_File *ef;

   if (!file)
     return NULL;

   LOCK_CACHE;
   ef = eet_cache_find(file, mode);

   /* We found one */
   if (ef)
     {
        /* reference it up and return it */
        kref_get(&ef->references);
        UNLOCK_CACHE;
        return ef;
     }

   ef = eet_internal_open(file, mode);
   if (!ef)
     goto on_error;

   /* add to cache */
   eet_cache_add(ef);
   UNLOCK_CACHE;
   return ef;

on_error:
   UNLOCK_CACHE;
   return NULL;
}
