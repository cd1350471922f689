/* SPDX-License-Identifier: MIT */
/*
 * Project: tarantool/tarantool
 * Path: src/lua/error.c
 * Fix commit: 88de7c34a4a1b40d89812846a28a25f82982efca
 * Bug: luaT_pusherror() stores a borrowed error in a new Lua cdata and only
 * then takes its reference, but allocating the cdata can run the GC, whose
 * finalizers may drop the diag's last reference and free the error first
 * (gh-1955).
 */
#include <stdint.h>
#include <stdlib.h>
#include <kref.h>

struct lua_State;
typedef int (*lua_CFunction)(struct lua_State *L);

struct error
{
  struct kref refs;
  char errmsg[256];
};

struct diag
{
  struct error *last;	/* holds one reference */
};

extern uint32_t CTID_CONST_STRUCT_ERROR_REF;

/* allocates a cdata of type ctypeid on the stack; may run the Lua GC and its finalizers */
extern void *luaL_pushcdata(struct lua_State *L, uint32_t ctypeid);
/* pushes nil on the stack */
extern void lua_pushnil(struct lua_State *L);
/* pushes a C function on the stack */
extern void lua_pushcfunction(struct lua_State *L, lua_CFunction f);
/* makes the function on top of the stack the finalizer of the cdata at idx */
extern void luaL_setcdatagc(struct lua_State *L, int idx);
/* returns the error of the cdata at narg, or raises a Lua error */
extern struct error *luaL_checkerror(struct lua_State *L, int narg);
/* returns the diagnostics area of the current fiber */
extern struct diag *diag_get(void);
/* raises a Lua error with the value on top of the stack; does not return */
extern int lua_error(struct lua_State *L);

static void
error_destroy(struct kref *kref)
{
  struct error *e = container_of(kref, struct error, refs);

  free(e);
}

void
error_ref(struct error *e)
{
  kref_get(&e->refs);
}

void
error_unref(struct error *e)
{
  kref_put(&e->refs, error_destroy);
}

/* returns the diag's last error, borrowed */
static struct error *
diag_last_error(struct diag *diag)
{
  return diag->last;
}

static int
luaL_error_gc(struct lua_State *L)
{
  struct error *error = luaL_checkerror(L, 1);

  error_unref(error);
  return 0;
}

void
luaT_pusherror(struct lua_State *L, struct error *e)
{
  /*
   * luaL_pushcdata may trigger GC, whose finalizers may invalidate the
   * error: reference it first, then set the finalizer.
   */
  error_ref(e);
  struct error **ptr = (struct error **)
    luaL_pushcdata(L, CTID_CONST_STRUCT_ERROR_REF);
  *ptr = e;
  lua_pushcfunction(L, luaL_error_gc);
  luaL_setcdatagc(L, -2);
}

int
luaT_error(struct lua_State *L)
{
  struct error *e = diag_last_error(diag_get());

  luaT_pusherror(L, e);
  return lua_error(L);
}

int
luaT_push_nil_and_error(struct lua_State *L)
{
  lua_pushnil(L);
  luaT_pusherror(L, diag_last_error(diag_get()));
  return 2;
}
