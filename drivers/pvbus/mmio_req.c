// SPDX-License-Identifier: GPL-2.0
/*
 * pvbus MMIO allocator: a request, checked, and the passes its zone makes.
 * Pure functions of the request.
 *
 * Copyright (C) 2026 The pvbus developers
 */

#include <kunit/visibility.h>
#include <linux/errno.h>
#include <linux/log2.h>
#include <linux/minmax.h>
#include <linux/pvbus_mmio.h>

#include "mmio_internal.h"

#ifdef CONFIG_X86
#include <asm/e820/types.h>
#endif

/*
 * Where allocate_resource() never places on this architecture: x86's
 * arch_remove_reservations() clips each gap it is given around the BIOS
 * ROM area just below 4 GiB, keeping the larger side, so that a gap
 * across it loses its smaller side whole (a window from 3 GiB to 5 GiB
 * would get nothing below 4 GiB).  The passes stop short of it, so that
 * no gap spans it, and pvbus_mmio_find(), which does not go through
 * allocate_resource(), answers as pvbus_mmio_alloc() places.  (It clips
 * E820 entries too, which no published window takes in or lies in.)
 * Empty elsewhere.
 */
#ifdef CONFIG_X86
static const struct pvbus_mmio_pass pvbus_mmio_arch_hole = {
	BIOS_ROM_BASE, BIOS_ROM_END
};
#else
static const struct pvbus_mmio_pass pvbus_mmio_arch_hole = { 1, 0 };
#endif

/* Append @p to @pass[@n], less what @hole takes of it; the new count. */
static unsigned int pvbus_mmio_add_pass(struct pvbus_mmio_pass *pass,
					unsigned int n,
					struct pvbus_mmio_pass p,
					const struct pvbus_mmio_pass *hole)
{
	if (hole->min > hole->max || p.max < hole->min || p.min > hole->max) {
		pass[n++] = p;
		return n;
	}
	if (p.min < hole->min)
		pass[n++] = (struct pvbus_mmio_pass){ p.min, hole->min - 1 };
	if (p.max > hole->max)
		pass[n++] = (struct pvbus_mmio_pass){ hole->max + 1, p.max };
	return n;
}

/**
 * __pvbus_mmio_passes() - the bounds each pass of a request's zone must
 *	meet, none of them taking in @hole
 * @req: the request, checked
 * @min: the lowest address the allocation may use
 * @max: the highest one
 * @hole: a range no pass takes in; empty (min > max) for none
 * @pass: where the passes go, %PVBUS_MMIO_MAX_PASSES at most, in the
 *	order to try them
 *
 * Return: the number of passes.
 */
VISIBLE_IF_KUNIT unsigned int
__pvbus_mmio_passes(const struct pvbus_mmio_req *req, u64 min, u64 max,
		    const struct pvbus_mmio_pass *hole,
		    struct pvbus_mmio_pass *pass)
{
	struct pvbus_mmio_pass low = { min, min_t(u64, max, PVBUS_MMIO_LOW_END) };
	struct pvbus_mmio_pass high = { max_t(u64, min, PVBUS_MMIO_LOW_END + 1), max };
	struct pvbus_mmio_pass any = { min, max };
	unsigned int n = 0;

	switch (req->zone) {
	case PVBUS_MMIO_LOW:
		n = pvbus_mmio_add_pass(pass, n, low, hole);
		break;
	case PVBUS_MMIO_HIGH:
		n = pvbus_mmio_add_pass(pass, n, high, hole);
		break;
	case PVBUS_MMIO_PREFER_HIGH:
		n = pvbus_mmio_add_pass(pass, n, high, hole);
		n = pvbus_mmio_add_pass(pass, n, low, hole);
		break;
	case PVBUS_MMIO_ANY:
		n = pvbus_mmio_add_pass(pass, n, any, hole);
		break;
	}
	return n;
}
EXPORT_SYMBOL_IF_KUNIT(__pvbus_mmio_passes);

/**
 * pvbus_mmio_passes() - the bounds each pass of a request's zone must meet
 * @req: the request, checked
 * @min: the lowest address the allocation may use
 * @max: the highest one
 * @pass: where the passes go, %PVBUS_MMIO_MAX_PASSES at most, in the order
 *	to try them
 *
 * None takes in what allocate_resource() never places in on this
 * architecture.
 *
 * Return: the number of passes.
 */
unsigned int pvbus_mmio_passes(const struct pvbus_mmio_req *req,
			       u64 min, u64 max, struct pvbus_mmio_pass *pass)
{
	return __pvbus_mmio_passes(req, min, max, &pvbus_mmio_arch_hole, pass);
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
