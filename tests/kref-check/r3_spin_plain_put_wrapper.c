/* SPDX-License-Identifier: MIT */
/* Rule 3, kernel style with a spinlock: lookups are under sessions_lock
 * with kref_get, and the put wrapper uses plain kref_put without it. */
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

struct nbd_session {
	struct list_head entry;
	struct kref kref;
	int handle;
};

static LIST_HEAD(sessions);
static DEFINE_SPINLOCK(sessions_lock);

static void session_free(struct kref *kref)
{
	struct nbd_session *s = container_of(kref, struct nbd_session, kref);

	spin_lock(&sessions_lock);
	list_del(&s->entry);
	spin_unlock(&sessions_lock);
	kfree(s);
}

static void session_put(struct nbd_session *s)
{
	kref_put(&s->kref, session_free);	/* expect: rule 3 */
}

struct nbd_session *session_get_by_handle(int handle)
{
	struct nbd_session *s, *found = NULL;

	spin_lock(&sessions_lock);
	list_for_each_entry(s, &sessions, entry) {
		if (s->handle == handle) {
			kref_get(&s->kref);	/* expect: rule 3 */
			found = s;
			break;
		}
	}
	spin_unlock(&sessions_lock);
	return found;
}

int session_ping(int handle)
{
	struct nbd_session *s = session_get_by_handle(handle);

	if (!s)
		return -1;
	session_put(s);
	return 0;
}
