/* SPDX-License-Identifier: GPL-2.0 */
/*
 * KUNIT_ARRAY_PARAM_DESC() for a KUnit that lacks it (before Linux 6.5):
 * the parameters of a case are the entries of an array, each described by
 * its string member @desc_member.  Where <kunit/test.h> has it, this
 * header adds nothing.
 *
 * Copyright (C) 2026 The pvbus developers
 */
#ifndef _PVBUS_KUNIT_PARAM_H
#define _PVBUS_KUNIT_PARAM_H

#include <kunit/test.h>
#include <linux/kernel.h>
#include <linux/string.h>

#ifndef KUNIT_ARRAY_PARAM_DESC
/*
 * As upstream's: @array must be an array (ARRAY_SIZE() checks), and
 * @desc_member a string of its entries, a pointer or an array of char.
 */
#define KUNIT_ARRAY_PARAM_DESC(name, array, desc_member)		\
static const void *name##_gen_params(const void *prev, char *desc)	\
{									\
	__auto_type __array = &(array);					\
	__auto_type __next = prev ?					\
		(typeof(&(*__array)[0]))prev + 1 : &(*__array)[0];	\
									\
	if (__next - &(*__array)[0] >= ARRAY_SIZE(*__array))		\
		return NULL;						\
	strscpy(desc, (*__next).desc_member, KUNIT_PARAM_DESC_SIZE);	\
	return __next;							\
}
#endif

#endif /* _PVBUS_KUNIT_PARAM_H */
