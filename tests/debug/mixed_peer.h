/* SPDX-License-Identifier: MIT */
/* mixed_peer.h - kref operations compiled without KREF_DEBUG. */
#ifndef TESTS_MIXED_PEER_H
#define TESTS_MIXED_PEER_H

#include <kref.h>

void peer_get_put(struct kref *ref, void (*release)(struct kref *), int n);
void peer_get(struct kref *ref);
int peer_put(struct kref *ref, void (*release)(struct kref *));
void peer_init(struct kref *ref);

#endif /* TESTS_MIXED_PEER_H */
