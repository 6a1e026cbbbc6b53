/* SPDX-License-Identifier: GPL-2.0 */
/*
 * KUNIT_ARRAY_PARAM_DESC() for a KUnit that lacks it (before Linux 6.5):
 * the parameters of a case are the entries of an array, each described by
 * its string member @desc_member, a const char *.  Where <kunit/test.h>
 * has it, this header adds nothing.
 *
 * Copyright (C) 2026 The pvbus developers
 */
#ifndef _PVBUS_KUNIT_PARAM_H
#define _PVBUS_KUNIT_PARAM_H

#include <kunit/test.h>
#include <linux/stddef.h>
#include <linux/string.h>

#ifndef KUNIT_ARRAY_PARAM_DESC
/*
 * The entry after @prev, or the first if @prev is NULL, of an array of
 * @size bytes whose entries are @elem bytes each; NULL after the last.
 * Its description is the string at @desc_off in it.
 */
static inline const void *
pvbus_kunit_param_next(const void *prev, char *desc, const void *array,
		       size_t size, size_t elem, size_t desc_off)
{
	const char *next = prev ? (const char *)prev + elem : array;

	if (next >= (const char *)array + size)
		return NULL;
	strscpy(desc, *(const char *const *)(next + desc_off),
		KUNIT_PARAM_DESC_SIZE);
	return next;
}

#define KUNIT_ARRAY_PARAM_DESC(name, array, desc_member)		\
static const void *name##_gen_params(const void *prev, char *desc)	\
{									\
	return pvbus_kunit_param_next(prev, desc, array,		\
				      sizeof(typeof(array)),		\
				      sizeof(typeof((array)[0])),	\
				      offsetof(typeof((array)[0]),	\
					       desc_member));		\
}
#endif

#endif /* _PVBUS_KUNIT_PARAM_H */
