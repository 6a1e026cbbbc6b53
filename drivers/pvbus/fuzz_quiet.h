/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Quiet fuzzing for the pvbus KUnit fuzzers (test builds only).
 *
 * A fuzz sequence makes the code under test log what it refuses, a few
 * dozen lines a sequence; a million messages make that a million lines,
 * and UML's console drops output when its reader falls behind, so the
 * KTAP lines and the run's summary could be lost with them.  So each
 * sequence runs with the console silenced: its records still go to the
 * kernel's ring buffer, and when the sequence ends they are read back from
 * there.  If the sequence failed, or any of its records is a kernel report
 * (the lines run_kunit.sh fails a raw log for: BUG:, WARNING:, KASAN,
 * lockdep, ODEBUG), its records are printed to the console after all, so
 * a report is never hidden: it still fails the sequence, and the raw log.
 * A sequence that logs more than the ring buffer holds loses its oldest
 * records; the fuzzers' taint and debug_locks checks still see a report.
 *
 * Copyright (C) 2026 The pvbus developers
 */
#ifndef _PVBUS_FUZZ_QUIET_H
#define _PVBUS_FUZZ_QUIET_H

#include <kunit/resource.h>
#include <kunit/test.h>
#include <linux/kmsg_dump.h>
#include <linux/printk.h>
#include <linux/slab.h>
#include <linux/string.h>

/* Records of one sequence printed at most, when it is shown. */
#define PVBUS_QUIET_SHOW	400

/**
 * struct pvbus_quiet - a span of quiet console
 * @first: sequence number of the span's first record in the ring buffer
 * @level: the console loglevel before the span
 * @quiet: the console is silenced
 * @line: a record read back
 */
struct pvbus_quiet {
	u64 first;
	int level;
	bool quiet;
	char line[1024];
};

static inline int pvbus_quiet_guard_init(struct kunit_resource *res,
					 void *level)
{
	res->data = level;
	return 0;
}

static inline void pvbus_quiet_guard_free(struct kunit_resource *res)
{
	console_loglevel = (int)(long)res->data;
}

/*
 * For a case that uses quiet spans, before the first: however it ends (a
 * timeout among other ways), the console loglevel is then as now.  A line
 * is printed: that closes the one KUnit of 6.1 leaves open before a
 * parameterised case ("# Subtest: <case>") and after each of its
 * parameters ("ok <n> <desc>"), with no newline, which is printed only
 * once closed and would otherwise meet a silent console.
 */
static inline int pvbus_quiet_guard(struct kunit *test)
{
	pr_info("fuzz: quiet: a sequence's kernel log is printed only if it fails\n");
	return kunit_alloc_resource(test, pvbus_quiet_guard_init,
				    pvbus_quiet_guard_free, GFP_KERNEL,
				    (void *)(long)console_loglevel) ?
	       0 : -ENOMEM;
}

/* Silence the console, if @quiet, until pvbus_quiet_end(). */
static inline void pvbus_quiet_begin(struct pvbus_quiet *q, bool quiet)
{
	struct kmsg_dump_iter iter;

	kmsg_dump_rewind(&iter);
	q->first = iter.next_seq;
	q->level = console_loglevel;
	q->quiet = quiet;
	if (quiet)
		console_loglevel = CONSOLE_LOGLEVEL_SILENT;
}

/* A record the raw log must not have: the same as run_kunit.sh's. */
static inline bool pvbus_quiet_report(const char *line)
{
	static const char * const reports[] = {
		"BUG:", "WARNING:", "KASAN", "possible circular locking",
		"inconsistent lock", "possible recursive locking", "ODEBUG",
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(reports); i++)
		if (strstr(line, reports[i]))
			return true;
	return false;
}

/* The span's next record, up to @end, into q->line. */
static inline bool pvbus_quiet_next(struct pvbus_quiet *q,
				    struct kmsg_dump_iter *iter, u64 end)
{
	size_t len;

	if (iter->cur_seq >= end ||
	    !kmsg_dump_get_line(iter, false, q->line, sizeof(q->line) - 1,
				&len) ||
	    iter->cur_seq > end)
		return false;
	q->line[len] = '\0';
	return true;
}

static inline void pvbus_quiet_rewind(struct pvbus_quiet *q,
				      struct kmsg_dump_iter *iter)
{
	kmsg_dump_rewind(iter);
	iter->cur_seq = max(iter->cur_seq, q->first);
}

/*
 * End the span: the console as before.  If @show, or if a record of the
 * span is a report, print the span's records.  Returns the number of
 * reports among them.
 */
static inline unsigned int pvbus_quiet_end(struct pvbus_quiet *q, bool show)
{
	unsigned int reports = 0, shown = 0, more = 0;
	struct kmsg_dump_iter iter;
	u64 end;

	if (!q->quiet)
		return 0;
	console_loglevel = q->level;
	q->quiet = false;

	pvbus_quiet_rewind(q, &iter);
	end = iter.next_seq;
	while (pvbus_quiet_next(q, &iter, end))
		reports += pvbus_quiet_report(q->line);
	if (!reports && !show)
		return 0;

	pr_err("fuzz: the sequence's kernel log, %u report%s:\n", reports,
	       reports == 1 ? "" : "s");
	pvbus_quiet_rewind(q, &iter);
	while (pvbus_quiet_next(q, &iter, end)) {
		if (shown++ < PVBUS_QUIET_SHOW)
			pr_err("| %s", q->line);
		else
			more++;
	}
	if (more)
		pr_err("fuzz: %u more records of the sequence not shown\n",
		       more);
	return reports;
}

#endif /* _PVBUS_FUZZ_QUIET_H */
