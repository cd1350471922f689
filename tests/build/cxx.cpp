// SPDX-License-Identifier: MIT
// cxx.cpp - <kref.h> from C++, linked with the C library: counting, release,
// a misuse reported through a handler written in C++.
#include <cstdio>
#include <kref.h>

struct widget {
	int id;
	struct kref ref;
};

static int released, reports;

static void widget_release(struct kref *ref)
{
	released += container_of(ref, struct widget, ref)->id;
}

static void on_report(refcount_t *, enum refcount_saturation_type t)
{
	reports += t == REFCOUNT_SUB_UAF;
}

int main()
{
	static_assert(sizeof(struct kref) == 4, "struct kref is 4 bytes in C++");
	widget w = { 7, KREF_INIT(1) };
	pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

	refcount_set_warn_handler(on_report);
	kref_get(&w.ref);
	if (!kref_get_unless_zero(&w.ref))
		return 1;
	kref_put(&w.ref, widget_release);
	kref_put_mutex(&w.ref, [](struct kref *) {}, &lock);
	kref_put(&w.ref, widget_release);
	kref_put(&w.ref, widget_release);	// one too many
	std::printf("released=%d reports=%d\n", released, reports);
	return released == 7 && reports == 1 ? 0 : 1;
}
