/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the benchmark suites (pvbus_mmio_bench, pci_pvbus_bench) share:
 * the line that gives a case's wall time.  Each result is a KTAP
 * diagnostic line, "# bench: <kind> key=value ...", which
 * tools/testing/bench/bench.py reads.
 *
 * Copyright (C) 2026 The pvbus developers
 */
#ifndef _PVBUS_BENCH_H
#define _PVBUS_BENCH_H

#include <kunit/test.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/time64.h>

/*
 * "bench: T case=@name ms=...": the wall time of the case @name since
 * @t0, a ktime_get_ns() taken at its start.
 */
static inline void pvbus_bench_report_time(struct kunit *test,
					   const char *name, u64 t0)
{
	kunit_info(test, "bench: T case=%s ms=%llu\n", name,
		   div_u64(ktime_get_ns() - t0, NSEC_PER_MSEC));
}

#endif /* _PVBUS_BENCH_H */
