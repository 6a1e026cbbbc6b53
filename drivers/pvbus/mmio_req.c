// SPDX-License-Identifier: GPL-2.0
/*
 * pvbus MMIO allocator: a request, checked, and the passes its zone makes.
 * Pure functions of the request.
 *
 * Copyright (C) 2026 The pvbus developers
 */

#include <linux/errno.h>
#include <linux/log2.h>
#include <linux/minmax.h>
#include <linux/pvbus_mmio.h>

#include "mmio_internal.h"

/**
 * pvbus_mmio_passes() - the bounds each pass of a request's zone must meet
 * @req: the request, checked
 * @min: the lowest address the allocation may use
 * @max: the highest one
 * @pass: where the passes go, two at most, in the order to try them
 *
 * Return: the number of passes.
 */
unsigned int pvbus_mmio_passes(const struct pvbus_mmio_req *req,
			       u64 min, u64 max, struct pvbus_mmio_pass *pass)
{
	struct pvbus_mmio_pass low = { min, min_t(u64, max, PVBUS_MMIO_LOW_END) };
	struct pvbus_mmio_pass high = { max_t(u64, min, PVBUS_MMIO_LOW_END + 1), max };
	struct pvbus_mmio_pass any = { min, max };
	unsigned int n = 0;

	switch (req->zone) {
	case PVBUS_MMIO_LOW:
		pass[n++] = low;
		break;
	case PVBUS_MMIO_HIGH:
		pass[n++] = high;
		break;
	case PVBUS_MMIO_PREFER_HIGH:
		pass[n++] = high;
		pass[n++] = low;
		break;
	case PVBUS_MMIO_ANY:
		pass[n++] = any;
		break;
	}
	return n;
}

/**
 * pvbus_mmio_check_req() - check a request
 * @req: the request
 * @align: where its alignment goes (natural if it gives none)
 * @max: where its upper bound goes (the top if it gives none)
 *
 * Return: 0, or -EINVAL.
 */
int pvbus_mmio_check_req(const struct pvbus_mmio_req *req,
			 resource_size_t *align, u64 *max)
{
	resource_size_t end;

	if (!req || !req->name || !req->size)
		return -EINVAL;
	if ((unsigned int)req->zone > PVBUS_MMIO_ANY)
		return -EINVAL;

	if (req->align) {
		if (!is_power_of_2(req->align))
			return -EINVAL;
		*align = req->align;
	} else {
		/* Natural alignment must itself be representable. */
		if (req->size > PVBUS_MMIO_TOP / 2 + 1)
			return -EINVAL;
		*align = (resource_size_t)roundup_pow_of_two(req->size);
	}

	*max = req->max ? req->max : PVBUS_MMIO_TOP;
	if (req->min > *max)
		return -EINVAL;
	if (!pvbus_mmio_end(req->min, req->size, &end))
		return -EINVAL;

	return 0;
}
