// SPDX-License-Identifier: GPL-2.0
/*
 * pvbus: reading the sizes, addresses and ranges users give pvbus's
 * modules.
 *
 * Copyright (C) 2026 The pvbus developers
 */

#include <linux/ctype.h>
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/limits.h>
#include <linux/overflow.h>
#include <linux/pvbus_driver.h>
#include <linux/pvbus_host.h>

/**
 * pvbus_parse_size() - read a size or an address as memparse() does
 * @s: the string: a number, decimal, 0x hex or 0 octal, and an optional
 *	K, M, G, T, P or E suffix (either case)
 * @end: set to the first character after what was read
 * @val: the value read
 *
 * Unlike memparse(), a number that does not fit in 64 bits, alone or with
 * its suffix, is refused instead of wrapped ("24E" is not 2^63).
 *
 * For the parameters and attributes of pvbus's modules, which a user or a
 * script writes.
 *
 * Return: 0; -EINVAL if @s does not start with a number; -ERANGE if the
 * value does not fit in 64 bits.
 */
int pvbus_parse_size(const char *s, char **end, u64 *val)
{
	unsigned int base = 10, shift = 0, d;
	bool overflow = false;
	const char *p = s;
	u64 v = 0;

	if (p[0] == '0' && tolower(p[1]) == 'x' && isxdigit(p[2])) {
		base = 16;
		p += 2;
	} else if (p[0] == '0') {
		base = 8;
	}
	for (;; p++) {
		if (isdigit(*p))
			d = *p - '0';
		else if (isxdigit(*p))
			d = tolower(*p) - 'a' + 10;
		else
			break;
		if (d >= base)
			break;
		if (check_mul_overflow(v, (u64)base, &v) ||
		    check_add_overflow(v, (u64)d, &v))
			overflow = true;
	}
	if (p == s)
		return -EINVAL;

	switch (*p) {
	case 'E':
	case 'e':
		shift += 10;
		fallthrough;
	case 'P':
	case 'p':
		shift += 10;
		fallthrough;
	case 'T':
	case 't':
		shift += 10;
		fallthrough;
	case 'G':
	case 'g':
		shift += 10;
		fallthrough;
	case 'M':
	case 'm':
		shift += 10;
		fallthrough;
	case 'K':
	case 'k':
		shift += 10;
		p++;
		break;
	default:
		break;
	}
	*end = (char *)p;
	if (overflow || (shift && v > (U64_MAX >> shift)))
		return -ERANGE;
	*val = v << shift;
	return 0;
}
EXPORT_SYMBOL_GPL(pvbus_parse_size);

/**
 * pvbus_parse_range() - read a range written as size@start
 * @s: the string: a size, '@' and a start, each as pvbus_parse_size()
 *	reads it, nothing around them
 * @end: set to the first character after what was read
 * @r: the range read
 *
 * What follows the start is the caller's: a list's separator, or the end.
 *
 * Return: 0; -EINVAL if @s does not start with size@start, for a size of
 * 0 or a range that wraps around the end of the address space; -ERANGE
 * if a number does not fit in 64 bits.
 */
int pvbus_parse_range(const char *s, char **end, struct pvbus_range *r)
{
	u64 size, start, last;
	char *p;
	int ret;

	ret = pvbus_parse_size(s, &p, &size);
	if (ret)
		return ret;
	if (*p != '@')
		return -EINVAL;
	ret = pvbus_parse_size(p + 1, &p, &start);
	if (ret)
		return ret;
	if (!size || check_add_overflow(start, size - 1, &last))
		return -EINVAL;
	*end = p;
	r->start = start;
	r->size = size;
	return 0;
}
EXPORT_SYMBOL_GPL(pvbus_parse_range);
