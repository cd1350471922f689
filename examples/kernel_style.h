/* SPDX-License-Identifier: MIT */
/* kernel_style.h - the interface of kernel_style.c, for its test. */
#ifndef EXAMPLES_KERNEL_STYLE_H
#define EXAMPLES_KERNEL_STYLE_H

struct my_data;

struct my_data *add_entry(int value);
void put_entry(struct my_data *entry);
struct my_data *get_first_entry(void);
struct my_data *get_entry_rcu(int value);
int entry_value(const struct my_data *entry);
int entries_released(void);
void wait_for_frees(void);

#endif
