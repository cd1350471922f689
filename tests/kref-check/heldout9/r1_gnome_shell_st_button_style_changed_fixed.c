/* SPDX-License-Identifier: MIT */
/*
 * gnome-shell, fix d7e0051bc6c33283c664f3018490f56c13e48ff0
 * ("[StButton] Hold ref to self until animation completes"),
 * src/st/st-button.c.
 * st_button_style_changed() connects the fade-out animation's "completed"
 * signal with the button as user data but holds no reference for it: a
 * button destroyed while the animation runs is used by the handler.
 */
#include <kref.h>
#include <stdlib.h>

typedef struct _ClutterActor ClutterActor;
typedef struct _ClutterAnimation ClutterAnimation;
typedef void (*GCallback) (void);

typedef struct _StButtonPrivate
{
  ClutterActor *old_bg;
  int           old_bg_parented;	/* TRUE if we have adopted old_bg */
  int           old_bg_animating;	/* TRUE while the fade runs; we hold a ref on the button */
  unsigned int  transition_duration;
} StButtonPrivate;

typedef struct _StButton
{
  struct kref      ref;
  ClutterActor    *actor;
  StButtonPrivate *priv;
} StButton;

/* Clutter: parenting, animation and references of actors */
extern ClutterActor *clutter_actor_get_parent (ClutterActor *actor);
extern void clutter_actor_set_parent (ClutterActor *actor, ClutterActor *parent);
extern void clutter_actor_unparent (ClutterActor *actor);
extern ClutterActor *clutter_actor_ref (ClutterActor *actor);
extern void clutter_actor_unref (ClutterActor *actor);
/* starts a fade of @actor's opacity to 0 over @duration ms */
extern ClutterAnimation *clutter_actor_animate_opacity (ClutterActor *actor,
                                                       unsigned int duration);
/* the border image actor of the widget's theme node, or NULL */
extern ClutterActor *st_widget_get_border_image (StButton *button);
/* calls @handler (instance, data) when @instance emits @signal */
extern unsigned long g_signal_connect (void *instance, const char *signal,
                                       GCallback handler, void *data);

static void
st_button_finalize (struct kref *ref)
{
  StButton *button = container_of (ref, StButton, ref);

  free (button->priv);
  free (button);
}

static void
st_button_dispose_old_bg (StButton *button)
{
  StButtonPrivate *priv = button->priv;

  if (priv->old_bg)
    {
      if (priv->old_bg_parented)
        {
          clutter_actor_unparent (priv->old_bg);
          priv->old_bg_parented = 0;
        }
      clutter_actor_unref (priv->old_bg);
      priv->old_bg = NULL;
      if (priv->old_bg_animating)
        {
          priv->old_bg_animating = 0;
          kref_put (&button->ref, st_button_finalize);
        }
    }
}

static void
st_animation_completed (ClutterAnimation *animation,
                        StButton         *button)
{
  st_button_dispose_old_bg (button);
}

void
st_button_style_changed (StButton *button)
{
  StButtonPrivate *priv = button->priv;
  ClutterActor *bg_image;

  st_button_dispose_old_bg (button);

  bg_image = st_widget_get_border_image (button);
  if (bg_image)
    priv->old_bg = clutter_actor_ref (bg_image);

  if (priv->old_bg)
    {
      ClutterAnimation *animation;

      if (!clutter_actor_get_parent (priv->old_bg))
        {
          clutter_actor_set_parent (priv->old_bg, button->actor);
          priv->old_bg_parented = 1;
        }
      if (priv->transition_duration > 0)
        {
          animation = clutter_actor_animate_opacity (priv->old_bg,
                                                     priv->transition_duration);
          priv->old_bg_animating = 1;
          kref_get (&button->ref);
          g_signal_connect (animation, "completed", (GCallback) st_animation_completed, button);
        }
      else
        {
          st_button_dispose_old_bg (button);
        }
    }
}

/* the actor was destroyed: drop the reference its owner held */
void
st_button_destroy (StButton *button)
{
  kref_put (&button->ref, st_button_finalize);
}
