/* SPDX-License-Identifier: MIT */
/*
 * kref/container_of.h - from a pointer to a member back to its structure.
 */
#ifndef KREF_CONTAINER_OF_H
#define KREF_CONTAINER_OF_H

#include <stddef.h>

#ifndef container_of
/**
 * container_of - cast a member of a structure out to the containing structure
 * @ptr:	the pointer to the member.
 * @type:	the type of the container struct this is embedded in.
 * @member:	the name of the member within the struct.
 *
 * The unevaluated comparison makes the compiler reject (or warn about) a
 * @ptr whose type is not a pointer to @member's type.
 *
 * Return: a pointer to the structure that contains *@ptr.
 */
#define container_of(ptr, type, member)					\
	((type *)(void *)((char *)(ptr) - offsetof(type, member) -	\
			  0 * sizeof((ptr) == &((type *)0)->member)))
#endif

#endif /* KREF_CONTAINER_OF_H */
