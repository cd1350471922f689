/* SPDX-License-Identifier: MIT */
/*
 * linux/list.h (libkref compat) - the circular doubly linked list, with
 * the RCU variants readers need (under linux/rcupdate.h's read lock).
 */
#ifndef KREF_COMPAT_LINUX_LIST_H
#define KREF_COMPAT_LINUX_LIST_H

#include <stdbool.h>
#include <kref/container_of.h>

struct list_head {
	struct list_head *next, *prev;
};

#define LIST_HEAD_INIT(name)	{ &(name), &(name) }
#define LIST_HEAD(name)		struct list_head name = LIST_HEAD_INIT(name)

static inline void INIT_LIST_HEAD(struct list_head *list)
{
	list->next = list->prev = list;
}

static inline bool list_empty(const struct list_head *head)
{
	return __atomic_load_n(&head->next, __ATOMIC_RELAXED) == head;
}

/* Links @new after @prev; the release store publishes it to RCU readers. */
static inline void list_link(struct list_head *new, struct list_head *prev,
			     struct list_head *next)
{
	new->next = next;
	new->prev = prev;
	next->prev = new;
	__atomic_store_n(&prev->next, new, __ATOMIC_RELEASE);
}

static inline void list_add(struct list_head *new, struct list_head *head)
{
	list_link(new, head, head->next);
}

static inline void list_add_tail(struct list_head *new, struct list_head *head)
{
	list_link(new, head->prev, head);
}

#define list_add_rcu		list_add
#define list_add_tail_rcu	list_add_tail

/* Unlinks @entry; RCU readers already on it can still move on. */
static inline void list_del_rcu(struct list_head *entry)
{
	entry->next->prev = entry->prev;
	__atomic_store_n(&entry->prev->next, entry->next, __ATOMIC_RELEASE);
}

static inline void list_del(struct list_head *entry)
{
	list_del_rcu(entry);
	entry->next = entry->prev = NULL;
}

#define list_entry(ptr, type, member)	container_of(ptr, type, member)
#define list_first_entry(head, type, member) \
	list_entry((head)->next, type, member)

#define list_for_each_entry(pos, head, member)				\
	for (pos = list_entry((head)->next, __typeof__(*pos), member);	\
	     &pos->member != (head);					\
	     pos = list_entry(pos->member.next, __typeof__(*pos), member))

/* Acquire loads: pair with list_link's release. */
#define list_for_each_entry_rcu(pos, head, member)			\
	for (pos = list_entry(__atomic_load_n(&(head)->next, __ATOMIC_ACQUIRE), \
			      __typeof__(*pos), member);		\
	     &pos->member != (head);					\
	     pos = list_entry(__atomic_load_n(&pos->member.next, __ATOMIC_ACQUIRE), \
			      __typeof__(*pos), member))

#endif
