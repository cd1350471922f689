/* SPDX-License-Identifier: MIT */
/*
 * test_kref_rst.c - every pattern of the kernel's
 * Documentation/core-api/kref.rst and of kref.h's kernel-doc, written as
 * kernel code and compiled against the compat headers (-I compat, liburcu's
 * bulletproof flavour for RCU):
 *
 *   kmalloc_obj() and kref_init; handing data to a kthread, with the put
 *   when kthread_run() fails (forced, -Wl,--wrap=pthread_create); passing a
 *   reference on through a queue, with and without the "silly" get and put;
 *   the list lookup under a mutex with the put under it, the put's return
 *   value, kref_get_unless_zero() under the mutex and under RCU with
 *   kfree_rcu(), kref_put_mutex() and kref_put_lock(); and the same lookup
 *   written with guard(mutex), __free() and guard(rcu).
 *
 * Where the document gives several versions of one function (get_entry,
 * release_entry, put_entry), each keeps its body and gets a suffix; its
 * `get_entry()` is written `get_entry(void)` (-Wstrict-prototypes, as in
 * the kernel); more_data_handling() returns int, as kthread_run()'s thread
 * function must (the document's `void` would not compile in the kernel
 * either).
 *
 * Every object is counted: the harness's kmalloc and kfree macros count,
 * and each test asserts that everything allocated was freed exactly once
 * (ASan checks the memory itself).  The lock-based lookups run against the
 * final puts in two threads; the window in which an entry's count is 0 but
 * its release has not unlinked it yet, which kref_get_unless_zero() exists
 * for, is set up deterministically.  The document's get_entry_rcu() reads
 * q.next without rcu_dereference(), a data race under concurrent updates,
 * so its RCU lookup is checked in that window only (test_kernel_style
 * runs RCU lookups under load with list_for_each_entry_rcu).
 *
 * Build: -Wl,--wrap=pthread_create liburcu-bp
 */
#include <pthread.h>
#include <sched.h>
#include <semaphore.h>
#include <stdatomic.h>
#include "tap.h"

/* ---- the harness: counted allocation, pthread_create that can fail ------ */

#include <linux/rcupdate.h>
#include <linux/slab.h>

static atomic_int kmallocs, kfrees, kfree_rcus;

static void *counted_kmalloc(size_t size, gfp_t flags)
{
	void *p = kmalloc(size, flags);

	if (p)
		atomic_fetch_add(&kmallocs, 1);
	return p;
}

static void counted_kfree(const void *p)
{
	kfree(p);
	atomic_fetch_add(&kfrees, 1);
}

static void counted_kfree_rcu(void *p)
{
	atomic_fetch_add(&kfree_rcus, 1);
	kref_compat_kfree_rcu(p);
}

#define kmalloc(size, flags)	counted_kmalloc((size), (flags))
#define kfree(p)		counted_kfree(p)
#undef kfree_rcu
#define kfree_rcu(ptr, field)	((void)sizeof((ptr)->field), counted_kfree_rcu(ptr))

static int frees(void)
{
	return atomic_load(&kfrees) + atomic_load(&kfree_rcus);
}

/* Everything allocated since the marks was freed, by kfree or kfree_rcu
 * (whose grace periods rcu_barrier() waits for). */
static int all_freed(int mark_mallocs, int mark_frees)
{
	rcu_barrier();
	return atomic_load(&kmallocs) - mark_mallocs == frees() - mark_frees;
}

#include "fail_create.h"

/* ---- kref.rst ------------------------------------------------------------- */

#include <linux/err.h>
#include <linux/kref.h>
#include <linux/kthread.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>

struct my_data
{
	struct rcu_head rhead;
	struct kref refcount;
	struct list_head link;
	int value;
};

void data_release(struct kref *ref)
{
	struct my_data *data = container_of(ref, struct my_data, refcount);
	kfree(data);
}

static atomic_int handled;

int more_data_handling(void *cb_data)
{
	struct my_data *data = cb_data;
	/* do stuff with data here */
	atomic_fetch_add(&handled, 1);
	kref_put(&data->refcount, data_release);
	return 0;
}

int my_data_handler(void)
{
	int rv = 0;
	struct my_data *data;
	struct task_struct *task;
	data = kmalloc_obj(*data);
	if (!data)
		return -ENOMEM;
	kref_init(&data->refcount);

	kref_get(&data->refcount);
	task = kthread_run(more_data_handling, data, "more_data_handling");
	if (task == ERR_PTR(-ENOMEM)) {
		rv = -ENOMEM;
	        kref_put(&data->refcount, data_release);
		goto out;
	}

	/* do stuff with data here */
    out:
	kref_put(&data->refcount, data_release);
	return rv;
}

/* "if you are done with an object and enqueuing it for something else" */
struct obj {
	struct kref ref;
	struct list_head node;
};

static LIST_HEAD(obj_queue);
static DEFINE_SPINLOCK(obj_queue_lock);

static void obj_cleanup(struct kref *ref)
{
	kfree(container_of(ref, struct obj, ref));
}

static void enqueue(struct obj *obj)
{
	spin_lock(&obj_queue_lock);
	list_add_tail(&obj->node, &obj_queue);
	spin_unlock(&obj_queue_lock);
}

static void silly(struct obj *obj)
{
	/* Silly extra get and put */
	kref_get(&obj->ref);
	enqueue(obj);
	kref_put(&obj->ref, obj_cleanup);
}

static void just_enqueue(struct obj *obj)
{
	enqueue(obj);
	/* We are done with obj, so we pass our refcount off
	   to the queue.  DON'T TOUCH obj AFTER HERE! */
}

/* The queue's consumer: puts what it takes, until stopped and drained.
 * It says when it runs: a kthread stopped before it ever ran returns
 * -EINTR without running, in the kernel as here. */
static sem_t consumer_running;

static int obj_consumer(void *unused)
{
	(void)unused;
	sem_post(&consumer_running);
	for (;;) {
		struct obj *obj = NULL;

		spin_lock(&obj_queue_lock);
		if (!list_empty(&obj_queue)) {
			obj = list_first_entry(&obj_queue, struct obj, node);
			list_del(&obj->node);
		}
		spin_unlock(&obj_queue_lock);
		if (obj)
			kref_put(&obj->ref, obj_cleanup);
		else if (kthread_should_stop())
			return 0;
		else
			sched_yield();
	}
}

/* The list of entries and its mutex, shared by the versions below. */
static DEFINE_MUTEX(mutex);
static LIST_HEAD(q);

/* Version 1: kref_get under the mutex; the put under it too. */
static struct my_data *get_entry(void)
{
	struct my_data *entry = NULL;
	mutex_lock(&mutex);
	if (!list_empty(&q)) {
		entry = container_of(q.next, struct my_data, link);
		kref_get(&entry->refcount);
	}
	mutex_unlock(&mutex);
	return entry;
}

static void release_entry(struct kref *ref)
{
	struct my_data *entry = container_of(ref, struct my_data, refcount);

	list_del(&entry->link);
	kfree(entry);
}

static void put_entry(struct my_data *entry)
{
	mutex_lock(&mutex);
	kref_put(&entry->refcount, release_entry);
	mutex_unlock(&mutex);
}

/* Version 2: the work after kref_put() returns 1, not in the release. */
static void release_entry_ret(struct kref *ref)
{
	/* All work is done after the return from kref_put(). */
	(void)ref;
}

static void put_entry_ret(struct my_data *entry)
{
	mutex_lock(&mutex);
	if (kref_put(&entry->refcount, release_entry_ret)) {
		list_del(&entry->link);
		mutex_unlock(&mutex);
		kfree(entry);
	} else
		mutex_unlock(&mutex);
}

/* Version 3: kref_get_unless_zero() under the mutex; a plain put. */
static struct my_data *get_entry_unless_zero(void)
{
	struct my_data *entry = NULL;
	mutex_lock(&mutex);
	if (!list_empty(&q)) {
		entry = container_of(q.next, struct my_data, link);
		if (!kref_get_unless_zero(&entry->refcount))
			entry = NULL;
	}
	mutex_unlock(&mutex);
	return entry;
}

static void release_entry_unless_zero(struct kref *ref)
{
	struct my_data *entry = container_of(ref, struct my_data, refcount);

	mutex_lock(&mutex);
	list_del(&entry->link);
	mutex_unlock(&mutex);
	kfree(entry);
}

static void put_entry_unless_zero(struct my_data *entry)
{
	kref_put(&entry->refcount, release_entry_unless_zero);
}

/* Version 4: under RCU, freed after a grace period. */
static struct my_data *get_entry_rcu(void)
{
	struct my_data *entry = NULL;
	rcu_read_lock();
	if (!list_empty(&q)) {
		entry = container_of(q.next, struct my_data, link);
		if (!kref_get_unless_zero(&entry->refcount))
			entry = NULL;
	}
	rcu_read_unlock();
	return entry;
}

static void release_entry_rcu(struct kref *ref)
{
	struct my_data *entry = container_of(ref, struct my_data, refcount);

	mutex_lock(&mutex);
	list_del_rcu(&entry->link);
	mutex_unlock(&mutex);
	kfree_rcu(entry, rhead);
}

static void put_entry_rcu(struct my_data *entry)
{
	kref_put(&entry->refcount, release_entry_rcu);
}

/* kref.h: kref_put_mutex() calls the release with the mutex held, and the
 * release unlocks it. */
static void release_entry_mutex(struct kref *ref)
{
	struct my_data *entry = container_of(ref, struct my_data, refcount);

	list_del(&entry->link);
	mutex_unlock(&mutex);
	kfree(entry);
}

static void put_entry_mutex(struct my_data *entry)
{
	kref_put_mutex(&entry->refcount, release_entry_mutex, &mutex);
}

/* kref.h: kref_put_lock(), the same with a spinlock. */
static DEFINE_SPINLOCK(lock);
static LIST_HEAD(sq);

static struct my_data *get_entry_spin(void)
{
	struct my_data *entry = NULL;

	spin_lock(&lock);
	if (!list_empty(&sq)) {
		entry = list_first_entry(&sq, struct my_data, link);
		kref_get(&entry->refcount);
	}
	spin_unlock(&lock);
	return entry;
}

static void release_entry_spin(struct kref *ref)
{
	struct my_data *entry = container_of(ref, struct my_data, refcount);

	list_del(&entry->link);
	spin_unlock(&lock);
	kfree(entry);
}

static void put_entry_spin(struct my_data *entry)
{
	kref_put_lock(&entry->refcount, release_entry_spin, &lock);
}

/* The same lookup with cleanup.h: the lock and the reference let go on
 * every return. */
static struct my_data *get_entry_scoped(void)
{
	guard(mutex)(&mutex);
	if (list_empty(&q))
		return NULL;
	struct my_data *entry = container_of(q.next, struct my_data, link);
	if (!kref_get_unless_zero(&entry->refcount))
		return NULL;
	return entry;
}

DEFINE_FREE(put_entry, struct my_data *, if (_T) put_entry_unless_zero(_T))

static int first_value_scoped(void)
{
	struct my_data *entry __free(put_entry) = get_entry_scoped();

	if (!entry)
		return -ENOENT;
	return entry->value;
}

static int add_entry_scoped(int value)
{
	struct my_data *entry __free(kfree) = kmalloc_obj(*entry);

	if (!entry)
		return -ENOMEM;
	kref_init(&entry->refcount);
	entry->value = value;
	scoped_guard(mutex, &mutex)
		list_add_tail(&no_free_ptr(entry)->link, &q);
	return 0;
}

/* ---- the test ------------------------------------------------------------ */

static struct my_data *add_entry(struct list_head *head, int value)
{
	struct my_data *entry = kmalloc_obj(*entry);

	if (!entry)
		BAIL_OUT("out of memory");
	kref_init(&entry->refcount);
	entry->value = value;
	if (head == &sq) {
		spin_lock(&lock);
		list_add_tail(&entry->link, head);
		spin_unlock(&lock);
	} else {
		mutex_lock(&mutex);
		list_add_tail(&entry->link, head);
		mutex_unlock(&mutex);
	}
	return entry;
}

static void test_handler(void)
{
	int m = atomic_load(&kmallocs), f = frees();

	for (int i = 0; i < 50; i++)
		if (my_data_handler() != 0)
			BAIL_OUT("my_data_handler failed");
	while (atomic_load(&handled) < 50 || frees() - f < 50)
		sched_yield();	/* the threads' puts, the last of each frees */
	ok(all_freed(m, f), "kthread handoff: 50 objects, each freed once");

	fail_creates = 1;
	is(my_data_handler(), -ENOMEM,
	   "kthread_run() failing: task == ERR_PTR(-ENOMEM), rv -ENOMEM");
	ok(all_freed(m, f), "  both references put on the error path: freed");
}

static void test_queue(void)
{
	int m = atomic_load(&kmallocs), f = frees();
	struct task_struct *consumer =
		kthread_create(obj_consumer, NULL, "consumer %d", 1);

	if (IS_ERR(consumer))
		BAIL_OUT("kthread_create: %ld", PTR_ERR(consumer));
	get_task_struct(consumer);
	wake_up_process(consumer);
	sem_wait(&consumer_running);
	for (int i = 0; i < 200; i++) {
		struct obj *obj = kmalloc_obj(struct obj, GFP_KERNEL);

		if (!obj)
			BAIL_OUT("out of memory");
		kref_init(&obj->ref);
		if (i % 2)
			silly(obj);
		else
			just_enqueue(obj);
	}
	is(kthread_stop_put(consumer), 0, "the queue's consumer drained and stopped");
	ok(all_freed(m, f), "queue handoff, with and without the extra get and "
	   "put: 200 objects freed once, by the consumer");
}

/* Two threads look entries up and put them while the owner adds entries
 * and drops its references: every entry is freed exactly once, and a
 * lookup only ever gets a live one. */
struct version {
	const char *name;
	struct list_head *head;
	struct my_data *(*get)(void);
	void (*put)(struct my_data *);
};

static const struct version *running;
static atomic_int stop, lookups, bad, latest;

/* Counts each entry it finds once, and yields when it finds the same one
 * again, so the owner is not starved of the lock. */
static void *looker(void *arg)
{
	int last = -1;

	(void)arg;
	while (!atomic_load(&stop)) {
		struct my_data *e = running->get();
		int value;

		if (!e) {
			sched_yield();
			continue;
		}
		value = e->value;
		if (value < 0 || value > atomic_load(&latest))
			atomic_fetch_add(&bad, 1);
		running->put(e);
		if (value == last) {
			sched_yield();
			continue;
		}
		last = value;
		atomic_fetch_add(&lookups, 1);
	}
	return NULL;
}

#define ENTRIES 200

static void run_version(const struct version *v)
{
	int m = atomic_load(&kmallocs), f = frees();
	pthread_t t[2];

	running = v;
	atomic_store(&stop, 0);
	atomic_store(&lookups, 0);
	atomic_store(&bad, 0);
	for (int i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, looker, NULL);
	for (int i = 0; i < ENTRIES; i++) {
		struct my_data *e;
		int seen = atomic_load(&lookups);

		atomic_store(&latest, i);
		e = add_entry(v->head, i);
		while (atomic_load(&lookups) < seen + 2)
			sched_yield();	/* both found it before its owner lets go */
		v->put(e);
	}
	atomic_store(&stop, 1);
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	ok(all_freed(m, f) && list_empty(v->head) && atomic_load(&bad) == 0,
	   "%s: %d entries, each found by the lookups before its put, freed once, "
	   "only ever found live", v->name, ENTRIES);
}

static void test_lookups(void)
{
	static const struct version versions[] = {
		{ "kref_get and kref_put under the mutex", &q, get_entry, put_entry },
		{ "kref_put's return value", &q, get_entry, put_entry_ret },
		{ "kref_get_unless_zero under the mutex", &q,
		  get_entry_unless_zero, put_entry_unless_zero },
		{ "kref_put_mutex", &q, get_entry, put_entry_mutex },
		{ "kref_put_lock", &sq, get_entry_spin, put_entry_spin },
		{ "guard(mutex) and __free(put_entry)", &q, get_entry_scoped,
		  put_entry_unless_zero },
	};

	for (size_t i = 0; i < sizeof(versions) / sizeof(versions[0]); i++)
		run_version(&versions[i]);
}

static void noop_release(struct kref *ref)
{
	(void)ref;
}

/* An entry whose count reached 0 and whose release has not unlinked it
 * yet: both kref_get_unless_zero() lookups must pass it by. */
static void test_dying_window(void)
{
	int m = atomic_load(&kmallocs), f = frees();
	struct my_data *e = add_entry(&q, 7);

	ok(kref_put(&e->refcount, noop_release) && !list_empty(&q),
	   "an entry at count 0, still on the list");
	ok(get_entry_unless_zero() == NULL,
	   "  kref_get_unless_zero under the mutex passes it by");
	ok(get_entry_rcu() == NULL, "  kref_get_unless_zero under RCU too");
	is(first_value_scoped(), -ENOENT, "  and the guard(mutex) version");
	release_entry_rcu(&e->refcount);	/* the release catches up */
	ok(list_empty(&q) && all_freed(m, f), "  kfree_rcu frees it after a grace period");

	e = add_entry(&q, 8);
	e = get_entry_rcu();
	ok(e && e->value == 8 && kref_read(&e->refcount) == 2,
	   "get_entry_rcu takes a live entry");
	put_entry_rcu(e);
	put_entry_rcu(e);
	ok(list_empty(&q) && all_freed(m, f), "  put_entry: unlinked, freed after "
	   "a grace period");
}

static void test_scoped(void)
{
	int m = atomic_load(&kmallocs), f = frees(), inside = 0;
	struct my_data *e;

	is(add_entry_scoped(42), 0, "add_entry with __free(kfree) and scoped_guard(mutex)");
	is(first_value_scoped(), 42, "  found with guard(mutex), put by __free");
	e = get_entry();
	ok(e && kref_read(&e->refcount) == 2, "  the lookup's reference was put");
	put_entry(e);
	scoped_guard(rcu)
		inside = rcu_read_ongoing();
	ok(inside && !rcu_read_ongoing(), "scoped_guard(rcu): a read-side section, ended");
	{
		guard(rcu)();
		inside = rcu_read_ongoing();
	}
	ok(inside && !rcu_read_ongoing(), "guard(rcu)(): the same to the end of the scope");
	e = get_entry_unless_zero();
	put_entry_unless_zero(e);
	put_entry_unless_zero(e);	/* add_entry's: unlinked, freed */
	ok(list_empty(&q) && all_freed(m, f), "everything the scoped code allocated freed");
}

int main(void)
{
	sem_init(&consumer_running, 0, 0);
	test_handler();
	test_queue();
	test_lookups();
	test_dying_window();
	test_scoped();
	return done_testing();
}
