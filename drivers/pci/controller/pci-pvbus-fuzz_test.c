// SPDX-License-Identifier: GPL-2.0
/*
 * A KUnit fuzzer for pci-pvbus against a hostile host (pci_pvbus_fuzz).
 *
 * Each sequence attaches the fake host (pci-pvbus-fakehost.h), gives it a
 * few functions, offers a paravirtual PCI bus and drives the real driver
 * through probe, hot add, eject, surprise removal (the host drops a
 * function, or the whole bus, without asking) and remove, while the fake's
 * hooks mutate its answers with knowledge of the wire format
 * (<linux/pvbus_pci.h>): lengths, counts, slots, BAR sizes and host
 * addresses, flags, status, versions, transaction ids; answers truncated,
 * extended, late, twice or never; floods of unsolicited RELATIONS_CHANGED
 * and EJECT; a config space that lies (type-1 headers, ROM BARs, BAR
 * sizes and vendor ids that change between reads, capability lists and
 * extended capabilities made up at every read); and BARs large enough,
 * with no hot-add slack, that hot add fills the bus's MMIO space and is
 * refused; functions with an SR-IOV capability the host tells nothing of
 * (a rescan must place none of their VF BARs); the guest removes a
 * function through sysfs and rescans the bus
 * (the function must stay off it), and may unbind the driver before the
 * host takes the bus away; the host offers the bus's instance twice (it
 * must be refused), and, in a sequence of 64, offers devices up to the
 * PVBUS_HOST_MAX_DEVICES a bus root takes, in half of those past it (each
 * past it must be refused with -ENOSPC, and taken once another is revoked);
 * as it attaches, the host says ranges are in use (its connect op: anywhere,
 * of any size, or a failure, or more ranges than the bus takes, which must
 * leave nothing of the host).  A quarter of
 * the sequences place the config window with cfg_window=legacy
 * (pci-pvbus-legacy.c); while the bus runs, random
 * requests check pvbus_mmio_find() against pvbus_mmio_alloc() on the
 * bus's space.
 *
 * After every sequence: probe either succeeded (a running bus) or failed
 * cleanly (no driver, nothing left in iomem); nothing is pending, but for
 * notifications not queued whose list the host would not give, with a
 * retry due; /proc/iomem and the bus's MMIO map (pvbus_mmio_space_show(),
 * the debugfs "mmio" file) are as before the host attached, its ranges
 * gone with it; and no WARN, KASAN report or lockdep splat happened
 * (the taint flags and debug_locks, which they change).  Once the driver
 * is gone (a failed probe, an unbind), the fake host is out of D0 if it
 * took a D0_ENTRY it answered itself, unless the last request's answer
 * was not its own (late, never, mutated: the driver may have taken the
 * host as gone).  While the bus runs, a function whose host-assigned
 * BARs the bus kept has each at the host's address, in a fixed window of
 * its own; a run of 20,000 messages or more fails if none was seen kept,
 * or none refused.  A failure prints
 * the sequence's seed; pci_pvbus.fuzz_replay=<seed> runs that sequence
 * alone.
 *
 * While the bus runs, the fuzzer also sends the bus's own request, PING,
 * which pci-pvbus never sends.  What the host sent is tallied per message
 * type of the wire format (the answers to each request, mutated, with a
 * status, as refusals; the notifications, mutated), printed at the end
 * ("fuzz: tally TYPE: ...");
 * besides generic mutation, a sequence in four refuses the first answer
 * of a type it picks, so that every answer's refusal reaches the driver,
 * and a run of 20,000 messages or more fails if a type was not reached.
 * The config window's backend may fail accesses (an error, or a positive
 * value no backend may return) and answer reads with bits above the
 * access's size: a config read through the bus's ops still has none,
 * and a failed one reads all ones.
 *
 * Then the PCI segments firmware declares (pci-pvbus-domain.c): random
 * MCFG tables of random lengths (mapped exactly, so that KASAN sees a read
 * past one), _SEG and DT "linux,pci-domain" values, live domains; the
 * domain chosen is never one of them, is the wanted one when that is free,
 * and -ENOSPC means every number was taken.
 *
 * Module parameters (on the kernel command line, pci_pvbus.<name>=):
 * fuzz_messages, the host messages to deliver in all (the run stops at the
 * first sequence that reaches it); fuzz_seed, the first sequence's seed;
 * fuzz_replay; fuzz_classes, a mask of the mutation classes (FUZZ_* below);
 * fuzz_timeout_ms, the request timeout during the run, so that a request
 * the host never answers costs 50 ms rather than 5 s; fuzz_domain_tables
 * (default fuzz_messages / 10, at least 1), fuzz_domain_seed and
 * fuzz_domain_replay for the segment tables.  The suite ends with "fuzz: N
 * sequences, M messages, K failures" and "fuzz-domain: N tables, K
 * failures".
 *
 * Copyright (C) 2026 The pvbus developers
 */

#include <asm/unaligned.h>
#include <kunit/test.h>
#include <linux/bitmap.h>
#include <linux/debug_locks.h>
#include <linux/delay.h>
#include <linux/err.h>
#include <linux/hash.h>
#include <linux/ioport.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/panic.h>
#include <linux/pci.h>
#include <linux/prandom.h>
#include <linux/pvbus.h>
#include <linux/pvbus_host.h>
#include <linux/pvbus_pci.h>
#include <linux/pvbus_wire.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/workqueue.h>

#include "pci-pvbus.h"
#include "pci-pvbus-domain.h"
#include "pci-pvbus-fakehost.h"
#include "pci-pvbus-test.h"
#include "../../pvbus/channel.h"
#include "../../pvbus/fuzz_quiet.h"
#include "../../pvbus/pvbus_internal.h"

/* Mutation classes: bits of fuzz_classes. */
enum {
	FUZZ_LEN,	/* header length field */
	FUZZ_TRUNC,	/* answer truncated */
	FUZZ_EXTEND,	/* answer extended */
	FUZZ_COUNT,	/* relations count */
	FUZZ_SLOT,	/* slots (devfns) */
	FUZZ_BAR,	/* BAR sizes, flags and host addresses */
	FUZZ_FLAGS,	/* header and function flags */
	FUZZ_STATUS,	/* status */
	FUZZ_VERSION,	/* versions and reserved fields */
	FUZZ_TRANS,	/* transaction id, type, stray answers */
	FUZZ_LATE,	/* answered late */
	FUZZ_TWICE,	/* answered twice */
	FUZZ_NEVER,	/* never answered: the request times out */
	FUZZ_SENDFAIL,	/* send() fails */
	FUZZ_FLOOD,	/* unsolicited RELATIONS_CHANGED and EJECT */
	FUZZ_CFG,	/* hostile config space */
	FUZZ_TYPE1,	/* a type-1 (bridge) header */
	FUZZ_ROM,	/* a ROM BAR the host never described, mapped */
	FUZZ_HOTPLUG,	/* hot add, eject, surprise and sysfs removal */
	FUZZ_DETACH,	/* the host detaches, or the driver unbinds */
	FUZZ_FULL,	/* BARs that fill the MMIO space, no hot-add slack */
	FUZZ_SRIOV,	/* SR-IOV, its VF BARs undescribed; a rescan */
	FUZZ_WINDOW,	/* config window accesses failed, or read too wide */
	FUZZ_HOSTRSV,	/* the host's reserved ranges, given as it attaches */
	FUZZ_NR_CLASSES
};

static const char * const fuzz_class_names[FUZZ_NR_CLASSES] = {
	"len", "trunc", "extend", "count", "slot", "bar", "flags", "status",
	"version", "trans", "late", "twice", "never", "sendfail", "flood",
	"cfg", "type1", "rom", "hotplug", "detach", "full", "sriov", "window",
	"hostrsv",
};

#define FUZZ_ALL	(BIT(FUZZ_NR_CLASSES) - 1)

/*
 * Built in, the parameters keep the names they had when the suite was
 * linked into the driver: pci_pvbus.fuzz_replay= and the others, which
 * run_fuzz.sh passes and a failing sequence prints.
 */
#ifndef MODULE
#undef MODULE_PARAM_PREFIX
#define MODULE_PARAM_PREFIX "pci_pvbus."
#endif

static unsigned long fuzz_messages = 2000;
module_param(fuzz_messages, ulong, 0444);
MODULE_PARM_DESC(fuzz_messages,
		 "pci_pvbus_fuzz: host messages to deliver in all (default 2000)");

static unsigned long long fuzz_seed = 0x5eed0001;
module_param(fuzz_seed, ullong, 0444);
MODULE_PARM_DESC(fuzz_seed, "pci_pvbus_fuzz: seed of the first sequence");

static unsigned long long fuzz_replay;
module_param(fuzz_replay, ullong, 0444);
MODULE_PARM_DESC(fuzz_replay,
		 "pci_pvbus_fuzz: run only the sequence of this seed");

static unsigned int fuzz_classes = FUZZ_ALL;
module_param(fuzz_classes, uint, 0444);
MODULE_PARM_DESC(fuzz_classes,
		 "pci_pvbus_fuzz: mask of the mutation classes to run");

static unsigned long fuzz_domain_tables;
module_param(fuzz_domain_tables, ulong, 0444);
MODULE_PARM_DESC(fuzz_domain_tables,
		 "pci_pvbus_fuzz: firmware segment tables to try (default: fuzz_messages / 10, at least 1)");

static unsigned long long fuzz_domain_seed = 0xd0a10001;
module_param(fuzz_domain_seed, ullong, 0444);
MODULE_PARM_DESC(fuzz_domain_seed,
		 "pci_pvbus_fuzz: seed of the first segment table");

static unsigned long long fuzz_domain_replay;
module_param(fuzz_domain_replay, ullong, 0444);
MODULE_PARM_DESC(fuzz_domain_replay,
		 "pci_pvbus_fuzz: try only the segment table of this seed");

/* A request the host never answers costs this, instead of 5 s. */
static unsigned int fuzz_timeout_ms = 50;
module_param(fuzz_timeout_ms, uint, 0444);
MODULE_PARM_DESC(fuzz_timeout_ms,
		 "pci_pvbus_fuzz: pci_pvbus.request_timeout_ms during the run (default 50)");

/* One case (one parameter) delivers at most this many messages. */
#define FUZZ_CHUNK_MESSAGES	20000
#define FUZZ_CHUNK_SECONDS	120
#define FUZZ_MAP_SIZE		SZ_64K
#define FUZZ_IOMEM_SIZE		SZ_64K

/*
 * What the host sent, per message type of the wire format (the bus's PING
 * and the PCI protocol's types), over the run: whether every answer and
 * every notification reaches the driver, mutated and as a refusal.
 * Printed at the end as "fuzz: tally TYPE: ...".
 */
#define FZ_NR_TYPES	(PVBUS_PCI_MSG_EJECT_COMPLETE - PVBUS_MSG_CLASS_BASE + 2)
#define FZ_PING		(FZ_NR_TYPES - 1)	/* PING's index */

struct fz_tally {
	u64 answers;		/* answers to requests of the type delivered */
	u64 mutated;		/* of them, mutated */
	u64 status;		/* of them, with a status other than success */
	u64 status_mutated;	/* of those, the status set by the fuzzer */
	u64 targeted;		/* of those, by the targeted refusal */
	u64 refusals;		/* of those, a header alone: a refusal */
	u64 notes;		/* notifications of the type injected */
	u64 notes_mutated;	/* of them, mutated */
};

static const char * const fz_type_names[FZ_NR_TYPES] = {
	"QUERY_VERSION", "D0_ENTRY", "D0_EXIT", "QUERY_RELATIONS",
	"QUERY_RESOURCES", "ASSIGNED_RESOURCES", "RELEASED_RESOURCES",
	"RELATIONS_CHANGED", "EJECT", "EJECT_COMPLETE", "PING",
};

/* The whole run. */
static struct {
	u64 sequences;
	u64 messages;
	u64 notes;
	u64 failures;
	u64 no_room;
	u64 legacy;
	u64 finds;
	u64 sysfs_removals;	/* functions removed and a rescan */
	u64 sriov_rescans;	/* rescans of a bus with SR-IOV functions */
	u64 unbinds;		/* the driver unbound before the revoke */
	u64 offers_again;	/* an instance offered twice */
	u64 offer_floods;	/* offers up to or past a root's bound */
	u64 offers_refused;	/* of them, refused there with -ENOSPC */
	u64 held;		/* BARs held, as seen by the checks */
	u64 busy_floods;	/* floods while the bus was busy */
	u64 notes_lost;		/* of them, notifications not queued */
	u64 window_lies;	/* config window accesses answered falsely */
	u64 retry_lies;		/* vendor ID reads answered with a retry */
	u64 retry_first;	/* of them, a function's first vendor ID read */
	u64 cfg_reads;		/* config reads checked through the bus's ops */
	u64 wide_reads;		/* of them, given bits above their size */
	u64 cap_lies;		/* reads past the header made up */
	u64 lists_older;	/* lists dropped as older than probe's */
	u64 probe_no_room;	/* buses up with a function left out for room */
	u64 d0_undone;		/* D0 the host took undone as the driver went */
	u64 kept;		/* functions seen with a host's BAR kept */
	u64 not_kept;		/* functions seen whose host's BARs were not */
	u64 host_ranges;	/* ranges hosts gave as they attached */
	u64 attach_refused;	/* hosts whose connect the bus refused */
	u64 next_seed;
	unsigned int chunk;
	bool done;
	struct fz_tally tally[FZ_NR_TYPES];
	u64 other_types;	/* answers to requests of no PCI type */
	u64 domain_tables;
	u64 domain_failures;
	u64 domain_wanted;	/* tables that want a free domain */
	u64 domain_other;	/* that want one taken or above max */
	u64 domain_full;	/* with every number taken: -ENOSPC */
} fuzz_run;

/* cfg_window as it was before the run, for the sequences not legacy. */
static int fuzz_cfg_mode;

/* Config-space lies about one function. */
struct fuzz_cfg {
	bool type1;
	bool rom;
	u32 rom_mask;
	bool vendor_lies;
	unsigned int vendor_after;	/* vendor changes after this many reads */
	unsigned int vendor_reads;
	unsigned int bar_jitter;	/* 1 in N BAR reads lies, 0: never */
	bool caps;			/* capability lists made up */
};

/* One sequence. */
struct fuzz {
	struct kunit *test;
	raw_spinlock_t rnd_lock;	/* protects rnd; under the fake host's lock */
	struct rnd_state rnd;
	u64 seed;
	unsigned long classes;
	unsigned int rate;		/* 1 in rate answers is mutated */
	unsigned int window_rate;	/* 1 in it window accesses lies */
	struct task_struct *checking;	/* in fz_read_cfg()'s own reads */
	struct pci_pvbus_fake *f;
	struct pvbus_root *root;
	struct pci_pvbus_fake_hooks hooks;
	u64 sent;
	u64 notes;			/* of sent, notifications */
	struct pvbus_device *pdev;
	/* Devices of a flood of offers, and how many of them are taken. */
	struct pvbus_device **flood;
	unsigned int nr_flood;
	u16 version;
	bool legacy;			/* cfg_window=legacy */
	u16 target;			/* a type whose first answer is refused */
	u64 finds;			/* pvbus_mmio_find() checks */
	unsigned int next_device;
	struct fuzz_cfg cfg[PCI_PVBUS_FAKE_FNS];
	struct mutex buf_lock;		/* protects buf */
	u8 *buf;			/* notifications */
	char *iomem_base, *iomem_now;
	size_t iomem_base_len, iomem_now_len;
	char *map_base, *map_now;
	size_t map_base_len, map_now_len;
	/* Before the host attached: what its going must leave. */
	char *iomem_pre, *map_pre;
	size_t iomem_pre_len, map_pre_len;
	bool connect_bad;		/* connect failed, or gave too many */
	bool failed;
	char why[64];
	struct pvbus_quiet quiet;
	u64 slack[PCI_PVBUS_NR_ZONES];	/* the parameters before the run */
	/*
	 * The answer to the last request was not the fake host's own (late,
	 * never, mutated, a send failure): it may have timed out, and two
	 * such in a row may take the host as gone, after which nothing is
	 * sent, D0_EXIT neither.
	 */
	bool last_touched;
	/*
	 * A D0_ENTRY's answer was not the fake's own: what the guest was
	 * told of D0 is unknown (taken or refused).
	 */
	bool d0_unsure;
	bool d0_taken;			/* it took one, and said so */
};

static u32 fz_rand(struct fuzz *fz)
{
	unsigned long flags;
	u32 v;

	raw_spin_lock_irqsave(&fz->rnd_lock, flags);
	v = prandom_u32_state(&fz->rnd);
	raw_spin_unlock_irqrestore(&fz->rnd_lock, flags);
	return v;
}

static u32 fz_below(struct fuzz *fz, u32 n)
{
	return n ? fz_rand(fz) % n : 0;
}

static bool fz_chance(struct fuzz *fz, u32 n)
{
	return !fz_below(fz, n);
}

static u64 fz_rand64(struct fuzz *fz)
{
	return (u64)fz_rand(fz) << 32 | fz_rand(fz);
}

static bool fz_on(struct fuzz *fz, unsigned int cls)
{
	return test_bit(cls, &fz->classes);
}

/* The first failure of a sequence is what fz_sequence_quiet() reports. */
static void fz_fail(struct fuzz *fz, const char *what)
{
	if (!fz->failed)
		strscpy(fz->why, what, sizeof(fz->why));
	fz->failed = true;
}

/* ---- what must be as it was ----------------------------------------- */

static size_t fz_iomem_walk(struct resource *parent, char *buf, size_t pos,
			    size_t size, unsigned int depth)
{
	struct resource *r;

	for (r = parent->child; r && pos < size; r = r->sibling) {
		pos += scnprintf(buf + pos, size - pos, "%u %llx-%llx %lx %s\n",
				 depth, (u64)r->start, (u64)r->end, r->flags,
				 r->name ?: "");
		if (r->child && depth < 16)
			pos = fz_iomem_walk(r, buf, pos, size, depth + 1);
	}
	return pos;
}

/*
 * /proc/iomem as text.  Without resource_lock (not exported): nothing else
 * changes iomem while the fuzzer takes it, between sequences.
 */
static size_t fz_iomem(char *buf)
{
	return fz_iomem_walk(&iomem_resource, buf, 0, FUZZ_IOMEM_SIZE, 0);
}

/* The bus's MMIO map, as its debugfs file shows it. */
static size_t fz_map(struct fuzz *fz, char *buf)
{
	struct seq_file m = {};

	m.buf = buf;
	m.size = FUZZ_MAP_SIZE;
	pvbus_mmio_space_show(&m, fz->root->space);
	return m.count;
}

static void fz_snapshot(struct fuzz *fz, bool base)
{
	if (base) {
		fz->iomem_base_len = fz_iomem(fz->iomem_base);
		fz->map_base_len = fz_map(fz, fz->map_base);
	} else {
		fz->iomem_now_len = fz_iomem(fz->iomem_now);
		fz->map_now_len = fz_map(fz, fz->map_now);
	}
}

/* Print the first line that differs. */
static void fz_diff(struct fuzz *fz, const char *what, const char *a,
		    size_t alen, const char *b, size_t blen)
{
	size_t i = 0, line = 0;

	while (i < alen && i < blen && a[i] == b[i]) {
		if (a[i] == '\n')
			line = i + 1;
		i++;
	}
	kunit_err(fz->test, "fuzz: %s differs from before: was \"%.*s\", is \"%.*s\"\n",
		  what, (int)strcspn(a + line, "\n"), a + line,
		  (int)strcspn(b + line, "\n"), b + line);
}

/* iomem and the map now as in @iomem and @map, or say what differs. */
static void fz_expect_same(struct fuzz *fz, const char *when,
			   const char *iomem, size_t iomem_len,
			   const char *map, size_t map_len)
{
	char what[64];

	fz_snapshot(fz, false);
	if (fz->iomem_now_len != iomem_len ||
	    memcmp(fz->iomem_now, iomem, iomem_len)) {
		snprintf(what, sizeof(what), "iomem not as before %s", when);
		fz_fail(fz, what);
		fz_diff(fz, "iomem", iomem, iomem_len, fz->iomem_now,
			fz->iomem_now_len);
	}
	if (fz->map_now_len != map_len || memcmp(fz->map_now, map, map_len)) {
		snprintf(what, sizeof(what), "MMIO map not as before %s", when);
		fz_fail(fz, what);
		fz_diff(fz, "map", map, map_len, fz->map_now, fz->map_now_len);
	}
}

/* As after the host attached. */
static void fz_expect_baseline(struct fuzz *fz, const char *when)
{
	fz_expect_same(fz, when, fz->iomem_base, fz->iomem_base_len,
		       fz->map_base, fz->map_base_len);
}

/* As before the host attached: nothing of it, its ranges too, is left. */
static void fz_expect_pre_attach(struct fuzz *fz, const char *when)
{
	fz_expect_same(fz, when, fz->iomem_pre, fz->iomem_pre_len,
		       fz->map_pre, fz->map_pre_len);
}

/* What a WARN, a KASAN report or a lockdep splat leaves behind. */
struct fz_health {
	bool warn;
	bool bad_page;
	bool locks;
	enum kunit_status status;
};

static void fz_health(struct fuzz *fz, struct fz_health *h)
{
	h->warn = test_taint(TAINT_WARN);
	h->bad_page = test_taint(TAINT_BAD_PAGE);
	h->locks = debug_locks;
	h->status = fz->test->status;
}

static void fz_expect_healthy(struct fuzz *fz, const struct fz_health *was)
{
	struct fz_health now;

	fz_health(fz, &now);
	if (now.warn != was->warn)
		fz_fail(fz, "a WARN (taint W)");
	if (now.bad_page != was->bad_page)
		fz_fail(fz, "a KASAN or bad page report (taint B)");
	if (now.locks != was->locks)
		fz_fail(fz, "a lockdep report (debug_locks turned off)");
	if (now.status != was->status)
		fz_fail(fz, "a KASAN report or a failed expectation in the test");
}

/* ---- mutating answers ----------------------------------------------- */

static struct fuzz *fz_of(struct pci_pvbus_fake *f)
{
	return f->hooks->data;
}

static void fz_fill(struct fuzz *fz, u8 *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = fz_rand(fz);
}

static u32 fz_len_value(struct fuzz *fz, size_t len)
{
	switch (fz_below(fz, 7)) {
	case 0:
		return 0;
	case 1:
		return len - 1;
	case 2:
		return len + 1;
	case 3:
		return sizeof(struct pvbus_msg_hdr);
	case 4:
		return U32_MAX;
	case 5:
		return PVBUS_MSG_MAX_LEN + 1;
	default:
		return fz_rand(fz);
	}
}

/*
 * An I/O BAR: of 4 to 256 bytes, larger, of no size, or anything (a hole
 * in the mask, likely).
 */
static u32 fz_probed_io(struct fuzz *fz)
{
	switch (fz_below(fz, 4)) {
	case 0:
		return (~0U << (2 + fz_below(fz, 7))) |
		       PCI_BASE_ADDRESS_SPACE_IO;
	case 1:
		return (~0U << (9 + fz_below(fz, 23))) |
		       PCI_BASE_ADDRESS_SPACE_IO;
	case 2:
		return PCI_BASE_ADDRESS_SPACE_IO;
	default:
		return (fz_rand(fz) & ~0x2U) | PCI_BASE_ADDRESS_SPACE_IO;
	}
}

/* A BAR as a host might describe it, or lie about it. */
static u32 fz_probed(struct fuzz *fz)
{
	switch (fz_below(fz, 10)) {
	case 0:
		return 0;
	case 1:
		return U32_MAX;
	case 2:		/* not a power of two */
		return (fz_rand(fz) | 0x10) & ~0xfU;
	case 3:
		return fz_probed_io(fz);
	case 4:		/* 64-bit, prefetchable, 16 bytes */
		return 0xfffffff0 | PCI_BASE_ADDRESS_MEM_TYPE_64 |
		       PCI_BASE_ADDRESS_MEM_PREFETCH;
	case 5:		/* below 1M type */
		return 0xfffff000 | PCI_BASE_ADDRESS_MEM_TYPE_1M;
	case 6:		/* a huge 32-bit BAR */
		return 0x80000000;
	case 7:		/* reserved type bits */
		return 0xffff0000 | 0x6;
	default:
		return (~0U << (4 + fz_below(fz, 28))) |
		       (fz_rand(fz) & 0xe);
	}
}

/*
 * A message type: one of the PCI protocol's mostly, or the bus's own
 * (below the class base, which no notification may have), or anything.
 */
static u16 fz_msg_type(struct fuzz *fz)
{
	switch (fz_below(fz, 8)) {
	case 0:
		return PVBUS_MSG_PING;
	case 1:
		return fz_below(fz, PVBUS_MSG_CLASS_BASE);
	case 2:
		return fz_rand(fz);
	default:
		return PVBUS_PCI_MSG_QUERY_VERSION + fz_below(fz, 12);
	}
}

static u64 fz_addr(struct fuzz *fz)
{
	switch (fz_below(fz, 8)) {
	case 0:
		return 0;
	case 1:
		return U64_MAX & ~0xfffULL;
	case 2:
		return 0xc0000000 + ((u64)fz_below(fz, 1 << 14) << 12);
	case 3:
		return 0x100000000ULL + ((u64)fz_below(fz, 1 << 16) << 12);
	case 4:		/* unaligned */
		return 0x100000000ULL + fz_below(fz, 1 << 28);
	case 5:
		return fz->f->cfg_base;
	default:
		return fz_rand64(fz);
	}
}

/*
 * The host's connect op: the ranges it says are in use, which the bus
 * reserves before anything of it is placed.  In the root's windows or
 * anywhere, of any size (none, and ones that wrap, among them); or a
 * failure, or more ranges than the bus takes, which it must refuse
 * leaving nothing behind.
 */
static int fz_connect(struct pci_pvbus_fake *f, struct pvbus_range *rsv,
		      unsigned int max)
{
	static const u64 sizes[] = { 0, SZ_4K, SZ_1M, SZ_16M, SZ_64M,
				     U64_MAX };
	struct fuzz *fz = f->hooks->data;
	unsigned int i, n;

	fz->f = f;		/* for fz_addr(): no config window yet */
	if (!fz_on(fz, FUZZ_HOSTRSV))
		return 0;
	switch (fz_below(fz, 16)) {
	case 0:
		fz->connect_bad = true;
		return -EIO;
	case 1:
		fz->connect_bad = true;
		return max + 1 + fz_below(fz, 4);
	}
	n = fz_below(fz, min(max, 8U) + 1);
	for (i = 0; i < n; i++) {
		rsv[i].start = fz_addr(fz);
		rsv[i].size = fz_chance(fz, 4) ? fz_rand64(fz) :
			      sizes[fz_below(fz, ARRAY_SIZE(sizes))];
	}
	fuzz_run.host_ranges += n;
	return n;
}

static void fz_mutate_relations(struct fuzz *fz, u8 *msg, size_t *len,
				unsigned int what)
{
	struct pvbus_pci_relations *rel = (void *)msg;
	size_t have = *len;
	u32 n, i;

	if (have < sizeof(*rel))
		return;
	n = (have - sizeof(*rel)) / sizeof(rel->fn[0]);
	switch (what) {
	case FUZZ_COUNT:
		switch (fz_below(fz, 6)) {
		case 0:
			rel->count = 0;
			break;
		case 1:
			rel->count = cpu_to_le32(n + 1);
			break;
		case 2:
			rel->count = cpu_to_le32(n ? n - 1 : 0);
			break;
		case 3:		/* too many, and the room for them */
			n = PVBUS_PCI_MAX_FUNCTIONS + fz_below(fz, 3);
			rel->count = cpu_to_le32(n);
			fz_fill(fz, (u8 *)rel->fn, n * sizeof(rel->fn[0]));
			*len = struct_size(rel, fn, n);
			rel->hdr.len = cpu_to_le32(*len);
			break;
		case 4:
			rel->count = cpu_to_le32(U32_MAX);
			break;
		default:	/* as many as fit, all random */
			n = 1 + fz_below(fz, PVBUS_PCI_MAX_FUNCTIONS);
			rel->count = cpu_to_le32(n);
			fz_fill(fz, (u8 *)rel->fn, n * sizeof(rel->fn[0]));
			for (i = 0; i < n; i++)
				rel->fn[i].devfn = cpu_to_le32(fz_below(fz, 0x110));
			*len = struct_size(rel, fn, n);
			rel->hdr.len = cpu_to_le32(*len);
			break;
		}
		break;
	case FUZZ_SLOT:
		if (!n)
			return;
		i = fz_below(fz, n);
		switch (fz_below(fz, 4)) {
		case 0:
			rel->fn[i].devfn = cpu_to_le32(0x100 + fz_below(fz, 8));
			break;
		case 1:
			rel->fn[i].devfn = cpu_to_le32(U32_MAX);
			break;
		case 2:
			rel->fn[i].devfn = rel->fn[fz_below(fz, n)].devfn;
			break;
		default:
			rel->fn[i].devfn = cpu_to_le32(fz_below(fz, 0x100));
			break;
		}
		break;
	case FUZZ_FLAGS:
		if (n)
			rel->fn[fz_below(fz, n)].flags = cpu_to_le32(fz_chance(fz, 2) ?
						fz_rand(fz) : PVBUS_PCI_FN_PRESERVE);
		break;
	case FUZZ_VERSION:
		if (fz_chance(fz, 2))
			rel->reserved = cpu_to_le32(fz_rand(fz) | 1);
		else if (n)
			rel->fn[fz_below(fz, n)].reserved0[fz_below(fz, 3)] =
				fz_rand(fz) | 1;
		break;
	case FUZZ_BAR:		/* vendor and class: what the core keys on */
		if (n) {
			i = fz_below(fz, n);
			rel->fn[i].vendor = cpu_to_le16(fz_chance(fz, 2) ?
							0xffff : fz_rand(fz));
			rel->fn[i].class = cpu_to_le32(fz_chance(fz, 2) ?
						       0x060400 : fz_rand(fz));
		}
		break;
	}
}

static void fz_mutate_resources(struct fuzz *fz, u8 *msg, size_t *len,
				unsigned int what)
{
	struct pvbus_pci_resources *r = (void *)msg;
	unsigned int b = fz_below(fz, PVBUS_PCI_NR_BARS);

	if (*len < sizeof(*r))
		return;
	switch (what) {
	case FUZZ_SLOT:
		r->devfn = cpu_to_le32(fz_chance(fz, 2) ? fz_below(fz, 0x100) :
				      fz_rand(fz));
		break;
	case FUZZ_BAR:
		switch (fz_below(fz, 4)) {
		case 0:
			r->bar[b].probed = cpu_to_le32(fz_probed(fz));
			break;
		case 1:
			r->bar[b].host_addr = cpu_to_le64(fz_addr(fz));
			break;
		case 2:		/* a 64-bit BAR in the last slot */
			r->bar[PVBUS_PCI_NR_BARS - 1].probed =
				cpu_to_le32(0xffff0000 |
					    PCI_BASE_ADDRESS_MEM_TYPE_64);
			break;
		default:	/* a huge 64-bit BAR */
			if (b + 1 < PVBUS_PCI_NR_BARS) {
				r->bar[b].probed =
					cpu_to_le32(PCI_BASE_ADDRESS_MEM_TYPE_64);
				r->bar[b + 1].probed =
					cpu_to_le32(~0U << fz_below(fz, 32));
			}
			break;
		}
		break;
	case FUZZ_VERSION:
		if (fz_chance(fz, 2))
			r->reserved = cpu_to_le32(fz_rand(fz) | 1);
		else
			r->bar[b].reserved = cpu_to_le32(fz_rand(fz) | 1);
		break;
	}
}

/* Mutate @msg (*@len bytes, room for PVBUS_MSG_MAX_LEN) in class @what. */
static void fz_mutate(struct fuzz *fz, u8 *msg, size_t *len,
		      unsigned int what)
{
	struct pvbus_msg_hdr *hdr = (void *)msg;
	u16 type = le16_to_cpu(hdr->type);
	size_t n;

	switch (what) {
	case FUZZ_LEN:
		hdr->len = cpu_to_le32(fz_len_value(fz, *len));
		break;
	case FUZZ_TRUNC:
		n = fz_below(fz, *len);
		*len = n;
		if (n >= offsetof(struct pvbus_msg_hdr, trans_id) &&
		    fz_chance(fz, 2))
			hdr->len = cpu_to_le32(n);
		break;
	case FUZZ_EXTEND:
		n = fz_chance(fz, 8) ? PVBUS_MSG_MAX_LEN - *len :
		    1 + fz_below(fz, 64);
		n = min_t(size_t, n, PVBUS_MSG_MAX_LEN - *len);
		fz_fill(fz, msg + *len, min_t(size_t, n, 256));
		if (n > 256)
			memset(msg + *len + 256, 0, n - 256);
		*len += n;
		if (fz_chance(fz, 2))
			hdr->len = cpu_to_le32(*len);
		break;
	case FUZZ_COUNT:
	case FUZZ_SLOT:
	case FUZZ_BAR:
	case FUZZ_FLAGS:
	case FUZZ_VERSION:
		if (what == FUZZ_FLAGS && fz_chance(fz, 2)) {
			static const u32 flags[] = {
				0, PVBUS_MSG_F_NOTIFY, PVBUS_MSG_F_ALL, 0x4,
				PVBUS_MSG_F_RESPONSE | 0x80000000,
			};

			n = fz_below(fz, ARRAY_SIZE(flags));
			hdr->flags = cpu_to_le32(flags[n]);
			break;
		}
		if (what == FUZZ_VERSION && fz_chance(fz, 2)) {
			static const u16 versions[] = {
				0, 0x00ff, PVBUS_PCI_VERSION_1_0,
				PVBUS_PCI_VERSION_1_1, 0x0102, 0x0200, 0xffff,
			};

			n = fz_below(fz, ARRAY_SIZE(versions));
			hdr->version = cpu_to_le16(versions[n]);
			if (type == PVBUS_PCI_MSG_QUERY_VERSION &&
			    *len >= sizeof(struct pvbus_pci_version) &&
			    fz_chance(fz, 2))
				((struct pvbus_pci_version *)msg)->version =
					hdr->version;
			break;
		}
		if (type == PVBUS_PCI_MSG_QUERY_RELATIONS ||
		    type == PVBUS_PCI_MSG_RELATIONS_CHANGED)
			fz_mutate_relations(fz, msg, len, what);
		else if (type == PVBUS_PCI_MSG_QUERY_RESOURCES)
			fz_mutate_resources(fz, msg, len, what);
		else if (*len > sizeof(*hdr))	/* somewhere in the payload */
			msg[sizeof(*hdr) + fz_below(fz, *len - sizeof(*hdr))] ^=
				1 << fz_below(fz, 8);
		break;
	case FUZZ_STATUS: {
		static const u32 status[] = {
			PVBUS_STATUS_INVALID, PVBUS_STATUS_UNSUPPORTED,
			PVBUS_STATUS_REFUSED, PVBUS_STATUS_BUSY,
			PVBUS_STATUS_NOT_FOUND, 1, 0xdeadbeef,
		};

		hdr->status = cpu_to_le32(status[fz_below(fz, ARRAY_SIZE(status))]);
		if (fz_chance(fz, 2)) {		/* a bare refusal */
			*len = sizeof(*hdr);
			hdr->len = cpu_to_le32(*len);
		}
		break;
	}
	case FUZZ_TRANS:
		/*
		 * Another transaction id leaves the request unanswered: as
		 * slow as FUZZ_NEVER, and only with it.
		 */
		switch (fz_on(fz, FUZZ_NEVER) ? fz_below(fz, 4) : 2) {
		case 0:
			hdr->trans_id = cpu_to_le64(le64_to_cpu(hdr->trans_id) + 1);
			break;
		case 1:
			hdr->trans_id = cpu_to_le64(le64_to_cpu(hdr->trans_id) - 1);
			break;
		case 2:
			hdr->type = cpu_to_le16(fz_msg_type(fz));
			break;
		default:
			hdr->trans_id = cpu_to_le64(fz_rand64(fz));
			break;
		}
		break;
	}
}

/* The types the host answers (the others are notifications). */
static const u16 fz_reply_types[] = {
	PVBUS_PCI_MSG_QUERY_VERSION, PVBUS_PCI_MSG_D0_ENTRY,
	PVBUS_PCI_MSG_D0_EXIT, PVBUS_PCI_MSG_QUERY_RELATIONS,
	PVBUS_PCI_MSG_QUERY_RESOURCES, PVBUS_PCI_MSG_ASSIGNED_RESOURCES,
	PVBUS_PCI_MSG_RELEASED_RESOURCES, PVBUS_PCI_MSG_EJECT_COMPLETE,
	PVBUS_MSG_PING,
};

/* The tally of the type @type, or NULL for a type of no protocol. */
static struct fz_tally *fz_tally_of(u16 type)
{
	if (type == PVBUS_MSG_PING)
		return &fuzz_run.tally[FZ_PING];
	if (type < PVBUS_MSG_CLASS_BASE ||
	    type - PVBUS_MSG_CLASS_BASE >= FZ_PING)
		return NULL;
	return &fuzz_run.tally[type - PVBUS_MSG_CLASS_BASE];
}

/*
 * An answer to the request @req, as delivered (@resp, @len bytes): a
 * refusal is a header alone with a status, as the channel passes it to
 * the driver (pvbus_msg_validate_refusal()).
 */
static void fz_tally_answer(const void *req, size_t req_len,
			    const void *resp, size_t len, bool mutated,
			    bool status)
{
	const struct pvbus_msg_hdr *hdr = resp;
	struct fz_tally *t = NULL;

	if (req_len >= sizeof(*hdr))
		t = fz_tally_of(le16_to_cpu(((const struct pvbus_msg_hdr *)req)->type));
	if (!t) {
		fuzz_run.other_types++;
		return;
	}
	t->answers++;
	t->mutated += mutated;
	if (len < offsetofend(struct pvbus_msg_hdr, status) || !hdr->status)
		return;
	t->status++;
	t->status_mutated += status;
	t->refusals += len == sizeof(*hdr) && le32_to_cpu(hdr->len) == len &&
		       le32_to_cpu(hdr->flags) == PVBUS_MSG_F_RESPONSE &&
		       hdr->type == ((const struct pvbus_msg_hdr *)req)->type;
}

/* Answer classes, chosen from at random. */
static const u8 fz_answer_classes[] = {
	FUZZ_LEN, FUZZ_TRUNC, FUZZ_EXTEND, FUZZ_COUNT, FUZZ_SLOT, FUZZ_BAR,
	FUZZ_FLAGS, FUZZ_STATUS, FUZZ_VERSION, FUZZ_TRANS, FUZZ_LATE,
	FUZZ_TWICE, FUZZ_NEVER, FUZZ_SENDFAIL,
};

static void fz_flood(struct fuzz *fz, struct pvbus_device *pdev,
		     unsigned int n);

/*
 * What the driver was told of a request of @type: the fake host's own
 * answer, or not (@touched).  The fake's D0 follows the requests it
 * took, not what the fuzzer made of its answers.
 */
static void fz_answer_seen(struct fuzz *fz, u16 type, bool touched)
{
	unsigned long flags;
	bool d0;

	fz->last_touched = touched;
	if (type == PVBUS_PCI_MSG_D0_ENTRY) {
		/* The fake took it, or refused it (refuse_d0), before this. */
		raw_spin_lock_irqsave(&fz->f->lock, flags);
		d0 = fz->f->d0;
		raw_spin_unlock_irqrestore(&fz->f->lock, flags);
		fz->d0_unsure = touched;
		fz->d0_taken |= !touched && d0;
	} else if (type == PVBUS_PCI_MSG_D0_EXIT) {
		fz->d0_unsure = false;
	}
}

/*
 * FUZZ_SENDFAIL: send() fails, with an error of its own or with one of
 * the channel's words for what the host did (a refusal, a silence, a
 * malformed answer, a killed waiter), which no request may take from a
 * send() that sent nothing: those come back as -EIO.
 */
static int fz_send_error(struct fuzz *fz)
{
	static const int errs[] = {
		-EIO, -ENOMEM, -EREMOTEIO, -ETIMEDOUT, -EBADMSG, -EMSGSIZE,
		-EINTR,
	};

	return errs[fz_below(fz, ARRAY_SIZE(errs))];
}

static int fz_answer(struct pci_pvbus_fake *f, struct pvbus_device *pdev,
		     const void *req, size_t req_len, void *resp,
		     size_t *resp_len)
{
	struct fuzz *fz = fz_of(f);
	int fate = PCI_PVBUS_FAKE_NOW;
	unsigned int i, k, cls;
	bool mutated = false, status = false;
	u16 type = 0;

	/* Notifications racing with the request. */
	if (fz_on(fz, FUZZ_FLOOD) && fz_chance(fz, 16))
		fz_flood(fz, pdev, 1 + fz_below(fz, 4));
	/* A stray answer to some other request. */
	if (fz_on(fz, FUZZ_TRANS) && fz_chance(fz, 32)) {
		struct pvbus_msg_hdr *hdr = resp;
		u64 id = le64_to_cpu(hdr->trans_id);

		hdr->trans_id = cpu_to_le64(id + 1 + fz_below(fz, 4));
		pci_pvbus_fake_inject(f, pdev, resp, *resp_len);
		hdr->trans_id = cpu_to_le64(id);
	}

	/*
	 * Targeted: the first answer of the type the sequence picked is a
	 * refusal, so that every answer's refusal reaches the driver however
	 * rarely generic mutation picks that type.
	 */
	if (req_len >= sizeof(struct pvbus_msg_hdr))
		type = le16_to_cpu(((const struct pvbus_msg_hdr *)req)->type);
	if (fz->target && type == fz->target &&
	    (fuzz_classes & BIT(FUZZ_STATUS))) {
		fz->target = 0;
		fz_mutate(fz, resp, resp_len, FUZZ_STATUS);
		fz_tally_of(type)->targeted++;
		mutated = true;
		status = true;
		goto out;
	}
	if (!fz_chance(fz, fz->rate))
		goto out;
	k = 1 + fz_below(fz, 3);
	for (i = 0; i < k; i++) {
		cls = fz_answer_classes[fz_below(fz,
						 ARRAY_SIZE(fz_answer_classes))];
		if (!fz_on(fz, cls))
			continue;
		switch (cls) {
		case FUZZ_LATE:
			fate = PCI_PVBUS_FAKE_LATE;
			break;
		case FUZZ_TWICE:
			fate = PCI_PVBUS_FAKE_TWICE;
			break;
		case FUZZ_NEVER:
			fate = PCI_PVBUS_FAKE_NEVER;
			break;
		case FUZZ_SENDFAIL:
			fz_answer_seen(fz, type, true);
			return fz_send_error(fz);
		default:
			fz_mutate(fz, resp, resp_len, cls);
			mutated = true;
			status |= cls == FUZZ_STATUS;
			break;
		}
	}
out:
	if (fate != PCI_PVBUS_FAKE_NEVER)
		fz_tally_answer(req, req_len, resp, *resp_len, mutated,
				status);
	fz_answer_seen(fz, type, mutated || fate != PCI_PVBUS_FAKE_NOW);
	return fate;
}

/* ---- hostile config space ------------------------------------------- */

/*
 * A vendor ID that changed under the driver: no function (all ones), a
 * Configuration Request Retry Status (0x0001, which the PCI core would
 * wait a minute on), or anything.
 */
static u32 fz_vendor_lie(struct fuzz *fz)
{
	switch (fz_below(fz, 3)) {
	case 0:
		return ~0U;
	case 1:
		fuzz_run.retry_lies++;
		return (fz_rand(fz) & 0xffff0000U) | PCI_VENDOR_ID_PCI_SIG;
	default:
		return fz_rand(fz);
	}
}

/*
 * A dword of config space past the standard header, made up: half the
 * time a capability header (in the extended space from 0x100, an
 * extended one) of a kind the PCI core parses, or of none, its next
 * pointer anywhere, itself included; otherwise anything.  The core's
 * walks are bounded (PCI_FIND_CAP_TTL, the extended space's 4 KiB) and
 * must stay so whatever the host says.
 */
static u32 fz_cap_lie(struct fuzz *fz, unsigned int base)
{
	static const u8 ids[] = {
		PCI_CAP_ID_PM, PCI_CAP_ID_MSI, PCI_CAP_ID_MSIX, PCI_CAP_ID_EXP,
		PCI_CAP_ID_VNDR, PCI_CAP_ID_AF, PCI_CAP_ID_EA,
	};
	static const u16 ext_ids[] = {
		PCI_EXT_CAP_ID_ERR, PCI_EXT_CAP_ID_ACS, PCI_EXT_CAP_ID_ARI,
		PCI_EXT_CAP_ID_SRIOV, PCI_EXT_CAP_ID_REBAR, PCI_EXT_CAP_ID_LTR,
		PCI_EXT_CAP_ID_DSN, PCI_EXT_CAP_ID_L1SS,
	};
	u32 r = fz_rand(fz);

	fuzz_run.cap_lies++;
	if (fz_chance(fz, 2))
		return r;
	if (base < PCI_CFG_SPACE_SIZE)
		return (r & ~0xffffU) | (fz_rand(fz) & 0xff) << 8 |
		       ids[fz_below(fz, ARRAY_SIZE(ids))];
	return (r & ~0xffffU) | ext_ids[fz_below(fz, ARRAY_SIZE(ext_ids))];
}

static void fz_cfg_read(struct pci_pvbus_fake *f, struct pci_pvbus_fake_fn *fn,
			unsigned int off, unsigned int size, u32 *val)
{
	struct fuzz *fz = fz_of(f);
	struct fuzz_cfg *c;
	unsigned int shift = 8 * (off & 3);
	u32 mask = size == 4 ? ~0U : ((1U << (8 * size)) - 1) << shift;
	u32 dw = *val << shift, lie;
	unsigned int base = off & ~3U;

	if (!fn)
		return;
	c = &fz->cfg[fn - f->fn];
	lie = dw;
	switch (base) {
	case PCI_VENDOR_ID:
		if (c->vendor_lies && ++c->vendor_reads > c->vendor_after) {
			lie = fz_vendor_lie(fz);
			if (c->vendor_reads == 1 &&
			    pci_pvbus_vendor_is_retry(lie))
				fuzz_run.retry_first++;
		}
		break;
	case PCI_CLASS_REVISION:
		if (c->type1)
			lie = 0x06040001;
		break;
	case PCI_CACHE_LINE_SIZE:	/* header type in byte 2 */
		if (c->type1)
			lie = (dw & ~0x00ff0000U) |
			      (PCI_HEADER_TYPE_BRIDGE << 16);
		break;
	case PCI_ROM_ADDRESS:
		if (c->rom)
			lie = c->rom_mask;
		break;
	case PCI_BASE_ADDRESS_0 ... PCI_BASE_ADDRESS_5:
		if (c->bar_jitter && fz_chance(fz, c->bar_jitter))
			lie = fz_rand(fz);
		break;
	}
	if (c->type1 && base >= PCI_PRIMARY_BUS && base <= 0x3c &&
	    base != PCI_ROM_ADDRESS1 && fz_chance(fz, 2))
		lie = fz_rand(fz);
	if (c->caps) {
		if (base == PCI_COMMAND)	/* the status in its upper half */
			lie |= PCI_STATUS_CAP_LIST << 16;
		else if (base == PCI_CAPABILITY_LIST)
			lie = (lie & ~0xffU) | (fz_rand(fz) & 0xff);
		else if (base >= PCI_STD_HEADER_SIZEOF)
			lie = fz_cap_lie(fz, base);
	}
	*val = (lie & mask) >> shift;
}

/* ---- hostile config window ------------------------------------------ */

static const int fz_window_errors[] = { -EIO, -EINVAL, -ENODEV, -ETIMEDOUT };

/*
 * 1 in window_rate accesses to the config window fails, with an error or
 * a positive value, or, for a read narrower than 4 bytes, has its value's
 * bits above the access's size set.  The rate is 1 in 4 at the most, so
 * that functions still reach the bus and the other classes' checks run.
 */
static int fz_window(struct pci_pvbus_fake *f, bool write, unsigned int size,
		     u32 *val, int ret)
{
	struct fuzz *fz = fz_of(f);

	if (!fz_on(fz, FUZZ_WINDOW) || !fz_chance(fz, fz->window_rate))
		return ret;
	fuzz_run.window_lies++;
	switch (fz_below(fz, write || size == 4 ? 2 : 3)) {
	case 0:
		return fz_window_errors[fz_below(fz,
						 ARRAY_SIZE(fz_window_errors))];
	case 1:
		return 1 + fz_below(fz, INT_MAX);
	default:
		*val |= (fz_rand(fz) | 1) << (8 * size);
		if (READ_ONCE(fz->checking) == current)
			fuzz_run.wide_reads++;
		return ret;
	}
}

/* ---- the host's functions ------------------------------------------- */

static const u64 fz_bar_sizes[] = {
	SZ_4K, SZ_16K, SZ_64K, SZ_256K, SZ_1M, SZ_2M,
};

/* FUZZ_FULL: a few of these fill the suite's 64M below and 256M above. */
static const u64 fz_big_bar_sizes[] = {
	SZ_8M, SZ_16M, SZ_32M, SZ_64M, SZ_128M,
};

/* A BAR size; big ones often when the space is to be filled. */
static u64 fz_bar_size(struct fuzz *fz)
{
	if (fz_on(fz, FUZZ_FULL) && fz_chance(fz, 2))
		return fz_big_bar_sizes[fz_below(fz,
						 ARRAY_SIZE(fz_big_bar_sizes))];
	return fz_bar_sizes[fz_below(fz, ARRAY_SIZE(fz_bar_sizes))];
}

static struct pci_pvbus_fake_fn *fz_free_fn(struct fuzz *fz)
{
	unsigned int i;

	for (i = 0; i < PCI_PVBUS_FAKE_FNS; i++)
		if (!fz->f->fn[i].listed)
			return &fz->f->fn[i];
	return NULL;
}

static bool fz_slot_used(struct fuzz *fz, u32 slot)
{
	return pci_pvbus_fake_find(fz->f, slot);
}

/* A new function in a free slot of the fake host. */
static struct pci_pvbus_fake_fn *fz_new_fn(struct fuzz *fz)
{
	struct pci_pvbus_fake_fn *fn = fz_free_fn(fz);
	struct fuzz_cfg *c;
	unsigned int b, nbars, tries;
	u32 slot = 0;
	unsigned long flags;

	if (!fn)
		return NULL;
	for (tries = 0; tries < 8; tries++) {
		slot = fz_chance(fz, 2) ? fz_below(fz, 8) << 3 :
		       fz_below(fz, 0x100);
		if (!fz_slot_used(fz, slot))
			break;
	}
	if (tries == 8)
		return NULL;

	raw_spin_lock_irqsave(&fz->f->lock, flags);
	pci_pvbus_fake_fn_init(fn, slot, 0xf000 + (fz->next_device++ & 0xfff),
			       fz_chance(fz, 4) ? PVBUS_PCI_FN_PRESERVE : 0);
	nbars = fz_below(fz, 4);
	for (b = 0; b < PVBUS_PCI_NR_BARS && nbars; b++, nbars--) {
		bool is64 = b + 1 < PVBUS_PCI_NR_BARS && fz_chance(fz, 2);
		u64 size = fz_bar_size(fz);
		u64 host = 0;

		if (fn->flags & PVBUS_PCI_FN_PRESERVE)
			host = fz_chance(fz, 2) ? fz_addr(fz) & ~(size - 1) :
			       0x100000000ULL + (u64)fz_below(fz, 64) * size;
		pci_pvbus_fake_bar(fn, b, size, is64, fz_chance(fz, 3), host);
		if (is64)
			b++;
	}
	pci_pvbus_fake_cfg_init(fn);

	c = &fz->cfg[fn - fz->f->fn];
	memset(c, 0, sizeof(*c));
	if (fz_on(fz, FUZZ_CFG) && fz_chance(fz, 4)) {
		/* From the first read on (the probe's check) or later. */
		c->vendor_lies = fz_chance(fz, 2);
		c->vendor_after = fz_chance(fz, 4) ? 0 : fz_below(fz, 40);
		c->bar_jitter = fz_chance(fz, 2) ? 1 + fz_below(fz, 8) : 0;
		c->caps = fz_chance(fz, 2);
	}
	if (fz_on(fz, FUZZ_TYPE1) && fz_chance(fz, 8))
		c->type1 = true;
	if (fz_on(fz, FUZZ_ROM) && fz_chance(fz, 6)) {
		c->rom = true;
		c->rom_mask = fz_chance(fz, 4) ? fz_rand(fz) :
			      (~0U << (11 + fz_below(fz, 10)));
	}
	if (fz_on(fz, FUZZ_SRIOV) && fz_chance(fz, 3))
		pci_pvbus_fake_sriov(fn, 1 + fz_below(fz, 8),
				     SZ_4K << fz_below(fz, 9));
	raw_spin_unlock_irqrestore(&fz->f->lock, flags);
	return fn;
}

/* ---- notifications -------------------------------------------------- */

static void fz_notify(struct fuzz *fz, struct pvbus_device *pdev, u16 type,
		      u32 slot, bool mutate)
{
	struct pvbus_msg_hdr *hdr = (void *)fz->buf;
	struct fz_tally *t;
	size_t len;

	mutex_lock(&fz->buf_lock);
	if (type == PVBUS_PCI_MSG_RELATIONS_CHANGED) {
		len = pci_pvbus_fake_relations(fz->f, fz->buf, type,
					       fz->version);
	} else {
		struct pvbus_pci_devfn_msg *m = (void *)fz->buf;

		len = sizeof(*m);
		pvbus_msg_init(&m->hdr, type, fz->version, len);
		m->hdr.flags = cpu_to_le32(PVBUS_MSG_F_NOTIFY);
		m->devfn = cpu_to_le32(slot);
		m->reserved = 0;
	}
	if (mutate) {
		static const u8 classes[] = {
			FUZZ_LEN, FUZZ_TRUNC, FUZZ_EXTEND, FUZZ_COUNT,
			FUZZ_SLOT, FUZZ_FLAGS, FUZZ_VERSION, FUZZ_STATUS,
			FUZZ_TRANS, FUZZ_BAR,
		};
		unsigned int cls = classes[fz_below(fz, ARRAY_SIZE(classes))];

		if (fz_on(fz, cls))
			fz_mutate(fz, fz->buf, &len, cls);
		if (cls == FUZZ_TRANS && fz_chance(fz, 2))
			hdr->trans_id = cpu_to_le64(1 + fz_below(fz, 8));
	}
	pci_pvbus_fake_inject(fz->f, pdev, fz->buf, len);
	fz->notes++;
	t = fz_tally_of(type);
	if (t) {
		t->notes++;
		t->notes_mutated += mutate;
	}
	mutex_unlock(&fz->buf_lock);
}

/* Unsolicited notifications: new lists, ejects of anything. */
static void fz_flood(struct fuzz *fz, struct pvbus_device *pdev,
		     unsigned int n)
{
	unsigned int i;
	u32 slot;

	for (i = 0; i < n; i++) {
		if (fz_chance(fz, 3)) {
			fz_notify(fz, pdev, PVBUS_PCI_MSG_RELATIONS_CHANGED, 0,
				  fz_chance(fz, 2));
			continue;
		}
		slot = fz_below(fz, 0x100);
		if (fz_chance(fz, 2)) {
			unsigned int k = fz_below(fz, PCI_PVBUS_FAKE_FNS);

			if (fz->f->fn[k].listed)
				slot = fz->f->fn[k].devfn;
		}
		fz_notify(fz, pdev, PVBUS_PCI_MSG_EJECT, slot,
			  fz_chance(fz, 3));
	}
}

/* Wait until the channel has handed its queue to the driver. */
static void fz_channel_drain(struct fuzz *fz)
{
	struct pvbus_channel_stats st;
	unsigned int i;

	for (i = 0; i < 1000; i++) {
		pvbus_channel_get_stats(fz->pdev->chan, &st);
		if (!st.queued)
			return;
		usleep_range(100, 200);
	}
}

static u64 fz_notes_lost(struct pci_pvbus *pb)
{
	unsigned long flags;
	u64 n;

	spin_lock_irqsave(&pb->note_lock, flags);
	n = pb->nr_notes_lost;
	spin_unlock_irqrestore(&pb->note_lock, flags);
	return n;
}

/*
 * A flood while the bus is busy (the fuzzer holds its lock): more than
 * pci-pvbus queues reaches it, so that what it cannot queue, and what
 * follows that, is handled as lost once the bus is free.  A batch at a
 * time, each handed to the driver before the next, so that the channel's
 * own queue does not drop it first.
 */
static void fz_flood_busy(struct fuzz *fz, struct pci_pvbus *pb)
{
	unsigned int i, n = PCI_PVBUS_MAX_NOTES + 1 + fz_below(fz, 64);
	u64 before = fz_notes_lost(pb);

	mutex_lock(&pb->lock);
	for (i = 0; i < n; i += 16) {
		fz_flood(fz, fz->pdev, min(16U, n - i));
		fz_channel_drain(fz);
	}
	mutex_unlock(&pb->lock);
	fuzz_run.busy_floods++;
	fuzz_run.notes_lost += fz_notes_lost(pb) - before;
}

/* ---- the sequence --------------------------------------------------- */

/*
 * Let the driver handle what was sent to it: the channel delivers on the
 * system workqueue, pci-pvbus handles on its own; what it sends may be
 * answered with more notifications, so until the host sends nothing more.
 */
static void fz_settle(struct fuzz *fz)
{
	struct pci_pvbus *pb = pci_pvbus_fake_bus_of(fz->pdev);
	unsigned int i;
	u64 sent;

	for (i = 0; i < 64; i++) {
		sent = READ_ONCE(fz->f->nr_sent);
		flush_scheduled_work();
		if (pb)
			flush_workqueue(pb->wq);
		flush_scheduled_work();
		if (READ_ONCE(fz->f->nr_sent) == sent)
			break;
	}
}

static struct pci_pvbus_fake_fn *fz_listed_fn(struct fuzz *fz)
{
	unsigned int i, start = fz_below(fz, PCI_PVBUS_FAKE_FNS);

	for (i = 0; i < PCI_PVBUS_FAKE_FNS; i++) {
		struct pci_pvbus_fake_fn *fn =
			&fz->f->fn[(start + i) % PCI_PVBUS_FAKE_FNS];

		if (fn->listed)
			return fn;
	}
	return NULL;
}

/* The PCI device of a function the host lists, with a reference, or NULL. */
static struct pci_dev *fz_listed_dev(struct fuzz *fz, struct pci_pvbus *pb)
{
	struct pci_pvbus_fake_fn *fn = fz_listed_fn(fz);

	return fn ? pci_pvbus_fake_get_fn(pb, fn->devfn) : NULL;
}

/* Map a ROM BAR nobody described, as reading sysfs "rom" does. */
static void fz_rom(struct fuzz *fz, struct pci_pvbus *pb)
{
	struct pci_dev *dev = fz_listed_dev(fz, pb);

	if (!dev)
		return;
	pci_lock_rescan_remove();
	if (dev->resource[PCI_ROM_RESOURCE].flags &&
	    !dev->resource[PCI_ROM_RESOURCE].parent &&
	    pci_assign_resource(dev, PCI_ROM_RESOURCE))
		pci_dbg(dev, "fuzz: no room for the ROM\n");
	pci_unlock_rescan_remove();
	pci_dev_put(dev);
}

/*
 * Rescan the bus, as sysfs's "rescan" does: the PCI core places what it
 * finds unassigned, so no VF BAR of an SR-IOV function may be left with
 * flags, and none may be placed.
 */
static void fz_sriov_rescan(struct fuzz *fz, struct pci_pvbus *pb)
{
#ifdef CONFIG_PCI_IOV
	struct pci_dev *dev;
	unsigned int i;
	bool sriov = false;

	if (!pb->bus)
		return;
	pci_lock_rescan_remove();
	pci_rescan_bus(pb->bus);
	list_for_each_entry(dev, &pb->bus->devices, bus_list) {
		sriov |= dev->is_physfn;
		for (i = PCI_IOV_RESOURCES; i <= PCI_IOV_RESOURCE_END; i++)
			if (dev->resource[i].flags || dev->resource[i].parent)
				fz_fail(fz, "a VF BAR left to the PCI core to place");
	}
	pci_unlock_rescan_remove();
	fuzz_run.sriov_rescans += sriov;
#endif
}

/*
 * Read every function's config space, as lspci would; and its header
 * in each size through the bus's ops, which the PCI core's accessors
 * would narrow: what they return is never wider than the access, and
 * all ones if it failed.
 */
static void fz_read_cfg(struct fuzz *fz, struct pci_pvbus *pb)
{
	static const unsigned int sizes[] = { 1, 2, 4 };
	unsigned int devfn, off, i;
	struct pci_dev *dev;
	u32 v, mask;
	int ret;

	for (devfn = 0; devfn <= PVBUS_PCI_MAX_DEVFN; devfn++) {
		dev = pci_pvbus_fake_get_fn(pb, devfn);
		if (!dev)
			continue;
		for (off = 0; off < 64; off += 4)
			pci_read_config_dword(dev, off, &v);
		for (i = 0; i < ARRAY_SIZE(sizes); i++) {
			mask = GENMASK(8 * sizes[i] - 1, 0);
			for (off = 0; off < 64; off += sizes[i]) {
				v = 0;
				WRITE_ONCE(fz->checking, current);
				ret = dev->bus->ops->read(dev->bus, dev->devfn,
							  off, sizes[i], &v);
				WRITE_ONCE(fz->checking, NULL);
				fuzz_run.cfg_reads++;
				if (ret == PCIBIOS_SUCCESSFUL && (v & ~mask))
					fz_fail(fz, "a config read wider than its size");
				else if (ret != PCIBIOS_SUCCESSFUL &&
					 (v & mask) != mask)
					fz_fail(fz, "a failed config read not all ones");
				else if (ret == PCIBIOS_SUCCESSFUL &&
					 off == PCI_VENDOR_ID && sizes[i] >= 2 &&
					 (v & 0xffff) == PCI_VENDOR_ID_PCI_SIG)
					fz_fail(fz, "a vendor ID read as a retry taken");
			}
		}
		pci_dev_put(dev);
	}
}

/*
 * A random request to the bus's space, to pvbus_mmio_find() and to
 * pvbus_mmio_alloc(): what the allocator can place, find has room for
 * (it looks at fewer resources); and where find has room, an allocation
 * of exactly that range succeeds, unless a resource the space does not
 * record is there: the config window placed by cfg_window=legacy.  The
 * bus's lock keeps the space as it is meanwhile.
 */
static void fz_find(struct fuzz *fz, struct pci_pvbus *pb)
{
	static const enum pvbus_mmio_zone zones[] = {
		PVBUS_MMIO_LOW, PVBUS_MMIO_HIGH, PVBUS_MMIO_PREFER_HIGH,
		PVBUS_MMIO_ANY,
	};
	struct pvbus_mmio_space *space = fz->root->space;
	struct pvbus_mmio_req req = { .name = "pci-pvbus-fuzz find" };
	struct pvbus_mmio_req at;
	bool failed = fz->failed;
	resource_size_t start = 0;
	struct resource *res;
	int found;

	req.size = fz_chance(fz, 4) ? 1 + fz_below(fz, SZ_1M) :
				      (u64)SZ_4K << fz_below(fz, 24);
	req.align = fz_chance(fz, 2) ? 0 : (u64)SZ_4K << fz_below(fz, 20);
	req.zone = zones[fz_below(fz, ARRAY_SIZE(zones))];
	if (fz_chance(fz, 3))
		req.min = fz_rand64(fz) & GENMASK_ULL(36, 12);
	if (fz_chance(fz, 4))
		req.max = req.min + (fz_rand64(fz) & GENMASK_ULL(36, 0));
	fz->finds++;

	mutex_lock(&pb->lock);
	found = pvbus_mmio_find(space, &req, &start);
	res = pvbus_mmio_alloc(space, &req);
	if (!IS_ERR(res)) {
		if (found)
			fz_fail(fz, "find: no room where alloc placed");
		if (pvbus_mmio_free(space, res))
			fz_fail(fz, "find: alloc not freed");
	}
	if (!found) {
		at = req;
		at.zone = PVBUS_MMIO_ANY;
		at.min = start;
		at.max = start + req.size - 1;
		res = pvbus_mmio_alloc(space, &at);
		if (IS_ERR(res)) {
			if (!pb->cfg_legacy || !pb->cfg ||
			    !pvbus_ranges_overlap(at.min, at.max,
						  pb->cfg->start,
						  pb->cfg->end))
				fz_fail(fz, "find: room alloc does not see");
		} else {
			if (res->start != start)
				fz_fail(fz, "find: alloc at another start");
			if (pvbus_mmio_free(space, res))
				fz_fail(fz, "find: alloc not freed");
		}
	}
	mutex_unlock(&pb->lock);
	if (fz->failed && !failed)
		kunit_err(fz->test, "fuzz: find size %#llx align %#llx zone %d min %#llx max %#llx: %d at %#llx\n",
			  (u64)req.size, (u64)req.align, req.zone,
			  (u64)req.min, (u64)req.max, found, (u64)start);
}

/*
 * The bus's own request, PING (debugfs "ping" sends it), which the bus
 * driver never sends: the host echoes it, the fuzzer mutates the echo.
 * Whatever comes back, the channel answers with one of its documented
 * errors or the cookie.
 */
static void fz_ping(struct fuzz *fz)
{
	struct pvbus_msg_ping req, resp = {};
	u64 cookie = fz_rand64(fz);
	size_t len = 0;
	int ret;

	pvbus_msg_init(&req.hdr, PVBUS_MSG_PING, PVBUS_BUS_VERSION,
		       sizeof(req));
	req.cookie = cpu_to_le64(cookie);
	ret = pvbus_channel_request(fz->pdev->chan, &req, sizeof(req), &resp,
				    sizeof(resp), &len,
				    clamp(fuzz_timeout_ms, 10U, 600000U));
	switch (ret) {
	case 0:		/* validated: exactly a PING's length */
		if (len != sizeof(resp))
			fz_fail(fz, "ping: an answer of another length taken");
		break;
	case -EREMOTEIO:	/* the host's refusal: its header is in resp */
		if (len < sizeof(resp.hdr))
			fz_fail(fz, "ping: a refusal without the host's header");
		break;
	case -ETIMEDOUT:
	case -EBADMSG:
	case -EMSGSIZE:
	case -ENODEV:
	case -ENOMEM:
	case -EIO:		/* FUZZ_SENDFAIL */
		break;
	default:
		kunit_err(fz->test, "fuzz: ping: %d\n", ret);
		fz_fail(fz, "ping: an error the channel does not document");
		break;
	}
}

/*
 * The guest removes a function as sysfs's "remove" does, then rescans the
 * bus as sysfs's "rescan" does: the function stays off the bus until the
 * host offers it anew, whatever the host said of it before.
 */
static void fz_sysfs_remove(struct fuzz *fz, struct pci_pvbus *pb)
{
	struct pci_dev *dev;
	unsigned int devfn;

	/* No list still queued may offer it anew meanwhile. */
	fz_settle(fz);
	dev = fz_listed_dev(fz, pb);
	if (!dev)
		return;
	devfn = dev->devfn;
	pci_stop_and_remove_bus_device_locked(dev);
	pci_dev_put(dev);
	fuzz_run.sysfs_removals++;

	pci_lock_rescan_remove();
	pci_rescan_bus(pb->bus);
	pci_unlock_rescan_remove();
	dev = pci_pvbus_fake_get_fn(pb, devfn);
	if (dev)
		fz_fail(fz, "a function removed through sysfs came back on a rescan");
	pci_dev_put(dev);
}

/* Hot add, eject, surprise removal and floods while the bus runs. */
static void fz_steps(struct fuzz *fz)
{
	unsigned int i, n = fz_below(fz, 12);
	struct pci_pvbus_fake_fn *fn;
	struct pci_pvbus *pb;

	for (i = 0; i < n; i++) {
		pb = pci_pvbus_fake_bus_of(fz->pdev);
		if (!pb)
			return;
		switch (fz_below(fz, 10)) {
		case 9:
			if (fz_on(fz, FUZZ_HOTPLUG))
				fz_sysfs_remove(fz, pb);
			break;
		case 8:
			fz_ping(fz);
			break;
		case 0:		/* hot add */
			if (!fz_on(fz, FUZZ_HOTPLUG) || !fz_new_fn(fz))
				break;
			fz_notify(fz, fz->pdev, PVBUS_PCI_MSG_RELATIONS_CHANGED,
				  0, false);
			break;
		case 1:		/* eject */
			fn = fz_listed_fn(fz);
			if (!fz_on(fz, FUZZ_HOTPLUG) || !fn)
				break;
			fz_notify(fz, fz->pdev, PVBUS_PCI_MSG_EJECT, fn->devfn,
				  false);
			fz_settle(fz);
			pci_pvbus_fake_set_listed(fz->f, fn, false);
			break;
		case 2:		/* surprise removal of a function */
			fn = fz_listed_fn(fz);
			if (!fz_on(fz, FUZZ_HOTPLUG) || !fn)
				break;
			pci_pvbus_fake_set_listed(fz->f, fn, false);
			fz_notify(fz, fz->pdev, PVBUS_PCI_MSG_RELATIONS_CHANGED,
				  0, false);
			break;
		case 3:
			if (!fz_on(fz, FUZZ_FLOOD))
				break;
			if (fz_chance(fz, 4))
				fz_flood_busy(fz, pb);
			else
				fz_flood(fz, fz->pdev, 1 + fz_below(fz, 64));
			break;
		case 4:
			if (fz_on(fz, FUZZ_ROM))
				fz_rom(fz, pb);
			if (fz_on(fz, FUZZ_SRIOV))
				fz_sriov_rescan(fz, pb);
			break;
		case 5:
			fz_read_cfg(fz, pb);
			break;
		case 6:
			fz_find(fz, pb);
			break;
		default:	/* a notification while others are handled */
			if (fz_on(fz, FUZZ_HOTPLUG))
				fz_notify(fz, fz->pdev,
					  PVBUS_PCI_MSG_RELATIONS_CHANGED, 0,
					  fz_chance(fz, 2));
			continue;	/* no settling */
		}
		fz_settle(fz);
	}
}

/*
 * The bus's windows: within their bound, each nested in its allocation and
 * on the root bus; none grown for a hot add left empty once it settled,
 * but for one that holds a BAR the host still has for a function removed
 * through sysfs, or one pinned for a BAR that could not be held.  The
 * BARs held for a host that did not confirm it let them go: within their
 * bound, each in a window of the bus.
 */
static void fz_check_windows(struct fuzz *fz, struct pci_pvbus *pb)
{
	struct pci_pvbus_held *h;
	struct pci_pvbus_win *w;
	unsigned int n = 0, nh = 0;

	pci_lock_rescan_remove();
	list_for_each_entry(w, &pb->wins, node) {
		n++;
		if (w->res.parent != w->alloc || !w->on_bus)
			fz_fail(fz, "a window not in its allocation or not on the bus");
		if (w->grown && !w->pinned && !w->res.child &&
		    !pci_pvbus_win_told(pb, w))
			fz_fail(fz, "an empty window grown for hot add kept");
	}
	list_for_each_entry(h, &pb->held, node) {
		nh++;
		list_for_each_entry(w, &pb->wins, node)
			if (h->res.parent == &w->res)
				break;
		if (list_entry_is_head(w, &pb->wins, node))
			fz_fail(fz, "a held BAR in no window of the bus");
	}
	pci_unlock_rescan_remove();
	if (n != pb->nr_win || n > PCI_PVBUS_MAX_WIN)
		fz_fail(fz, "the bus's windows miscounted or past their bound");
	if (nh != pb->nr_held || nh > PCI_PVBUS_MAX_HELD)
		fz_fail(fz, "the BARs held miscounted or past their bound");
	fuzz_run.held = max_t(u64, fuzz_run.held, nh);
}

/* The fixed window of @fn that lies exactly at @start, @size long. */
static bool fz_fixed_window_at(struct pci_pvbus *pb,
			       const struct pci_pvbus_fn *fn, u64 start,
			       u64 size)
{
	struct pci_pvbus_win *w;

	list_for_each_entry(w, &pb->wins, node)
		if (w->kind == PCI_PVBUS_WIN_FIXED && w->fn == fn &&
		    w->res.start == start && resource_size(&w->res) == size)
			return true;
	return false;
}

/*
 * A function whose host-assigned BARs the bus kept has each BAR it placed
 * at the host's address, in a fixed window of its own that lies exactly
 * there.  Called under the bus's lock.
 */
static void fz_check_kept(struct fuzz *fz, struct pci_pvbus *pb)
{
	struct pci_pvbus_fn *fn;
	unsigned int b, n;

	pci_lock_rescan_remove();
	list_for_each_entry(fn, &pb->fns, node) {
		if (fn->keep == PCI_PVBUS_KEEP_NONE)
			continue;
		if (fn->keep != PCI_PVBUS_KEEP_OK) {
			fuzz_run.not_kept++;
			continue;
		}
		for (b = 0, n = 0; b < PVBUS_PCI_NR_BARS; b++) {
			const struct pci_pvbus_bar *bar = &fn->bar[b];

			if (!pci_pvbus_placeable(bar))
				continue;
			n++;
			if (fn->addr[b] != bar->host_addr)
				fz_fail(fz, "a kept BAR not at the host's address");
			else if (!fz_fixed_window_at(pb, fn, bar->host_addr,
						     bar->size))
				fz_fail(fz, "a kept BAR in no fixed window of its function");
		}
		fuzz_run.kept += !!n;
	}
	pci_unlock_rescan_remove();
}

/*
 * The driver is gone (a failed probe, an unbind): a D0 the host took is
 * undone, unless the host may have been taken as gone (the last answer
 * was not the host's own) or the guest was told something else of it.
 */
static void fz_check_d0_undone(struct fuzz *fz)
{
	unsigned long flags;
	bool d0;

	raw_spin_lock_irqsave(&fz->f->lock, flags);
	d0 = fz->f->d0;
	raw_spin_unlock_irqrestore(&fz->f->lock, flags);
	if (!fz->d0_taken || fz->d0_unsure || fz->last_touched)
		return;
	if (d0)
		fz_fail(fz, "the driver went, the host still in D0");
	else
		fuzz_run.d0_undone++;
}

static void fz_check_bound(struct fuzz *fz)
{
	struct pci_pvbus *pb = pci_pvbus_fake_bus_of(fz->pdev);
	unsigned long flags;
	bool empty, lost_ok;

	if (!fz->pdev->dev.driver) {
		if (pb)
			fz_fail(fz, "no driver, but driver data");
		fz_expect_baseline(fz, "after a failed probe");
		fz_check_d0_undone(fz);
		return;
	}
	if (!pb) {
		fz_fail(fz, "bound without a bus");
		return;
	}
	mutex_lock(&pb->lock);
	if (pb->state != PCI_PVBUS_RUNNING)
		fz_fail(fz, "bound, but the bus is not running");
	if (!pb->cfg || !pb->cfg->parent || !pb->bus)
		fz_fail(fz, "bound without config window or root bus");
	fz_check_windows(fz, pb);
	fz_check_kept(fz, pb);
	mutex_unlock(&pb->lock);
	spin_lock_irqsave(&pb->note_lock, flags);
	empty = list_empty(&pb->notes);
	/*
	 * Only a list that could not be had again is kept for later, with
	 * the ejects that wait for it, and asked for again then.
	 */
	lost_ok = pb->lost ? work_busy(&pb->work) ||
			     (pb->lost_relations &&
			      work_busy(&pb->lost_retry.work)) :
		  !pb->lost_relations &&
		  bitmap_empty(pb->lost_ejects, PVBUS_PCI_MAX_DEVFN + 1) &&
		  bitmap_empty(pb->lost_reset, PVBUS_PCI_MAX_DEVFN + 1);
	spin_unlock_irqrestore(&pb->note_lock, flags);
	if (!empty)
		fz_fail(fz, "notifications still pending after settling");
	if (!lost_ok)
		fz_fail(fz, "lost notifications pending after settling, no retry due");
}

static int fz_alloc_bufs(struct fuzz *fz)
{
	fz->buf = kvzalloc(PVBUS_MSG_MAX_LEN, GFP_KERNEL);
	fz->iomem_base = kvzalloc(FUZZ_IOMEM_SIZE, GFP_KERNEL);
	fz->iomem_now = kvzalloc(FUZZ_IOMEM_SIZE, GFP_KERNEL);
	fz->map_base = kvzalloc(FUZZ_MAP_SIZE, GFP_KERNEL);
	fz->map_now = kvzalloc(FUZZ_MAP_SIZE, GFP_KERNEL);
	fz->iomem_pre = kvzalloc(FUZZ_IOMEM_SIZE, GFP_KERNEL);
	fz->map_pre = kvzalloc(FUZZ_MAP_SIZE, GFP_KERNEL);
	fz->flood = kvcalloc(PVBUS_HOST_MAX_DEVICES, sizeof(*fz->flood),
			     GFP_KERNEL);
	if (!fz->buf || !fz->iomem_base || !fz->iomem_now || !fz->map_base ||
	    !fz->map_now || !fz->iomem_pre || !fz->map_pre || !fz->flood)
		return -ENOMEM;
	return 0;
}

static void fz_free_bufs(struct fuzz *fz)
{
	kvfree(fz->buf);
	kvfree(fz->iomem_base);
	kvfree(fz->iomem_now);
	kvfree(fz->map_base);
	kvfree(fz->map_now);
	kvfree(fz->iomem_pre);
	kvfree(fz->map_pre);
	kvfree(fz->flood);
}

/* The host offers an instance it offered already: refused. */
static void fz_offer_again(struct fuzz *fz, const guid_t *inst)
{
	struct pvbus_device *dup;

	fuzz_run.offers_again++;
	dup = pvbus_host_offer(&fz->f->host, &PVBUS_PCI_CLASS, inst, fz->f);
	if (!IS_ERR(dup)) {
		fz_fail(fz, "an instance offered twice was taken twice");
		pvbus_host_revoke(dup);
	} else if (PTR_ERR(dup) != -EEXIST) {
		fz_fail(fz, "an instance offered twice was not refused with -EEXIST");
	}
}

/*
 * The host offers devices of a class no driver binds, while the bus runs,
 * until its root holds PVBUS_HOST_MAX_DEVICES, the bus among them, give
 * or take a few: each offer past the bound is refused with -ENOSPC, and
 * taken once another device is revoked.  They stay through the sequence's
 * steps; fz_flood_revoke() takes them away.  Whether a sequence floods,
 * and how far, follows from its seed alone, not from the random state:
 * its other choices stay what they were before floods came in, and a
 * seed that failed then replays the same sequence now.
 */
static void fz_offer_flood(struct fuzz *fz)
{
	unsigned int i, want, room = PVBUS_HOST_MAX_DEVICES - 1;
	u64 h = fz->seed * GOLDEN_RATIO_64;
	struct pvbus_device *pdev;
	bool refused = false;
	guid_t inst;

	/* One sequence in 64. */
	if (h >> 58)
		return;
	fuzz_run.offer_floods++;
	want = room - 3 + ((h >> 32) & 7);
	for (i = 0; i < want; i++) {
		pci_pvbus_fake_guid(&inst, 0x20000 + i);
		pdev = pvbus_host_offer(&fz->f->host, &pci_pvbus_fake_probe_class,
					&inst, fz->f);
		if (i < room && IS_ERR(pdev)) {
			fz_fail(fz, "a flood's offer below the bound was refused");
			return;
		}
		if (i < room) {
			fz->flood[fz->nr_flood++] = pdev;
			continue;
		}
		if (!IS_ERR(pdev)) {
			fz_fail(fz, "an offer past the bound was taken");
			fz->flood[fz->nr_flood++] = pdev;
			return;
		}
		if (PTR_ERR(pdev) != -ENOSPC) {
			fz_fail(fz, "an offer past the bound was not refused with -ENOSPC");
			return;
		}
		fuzz_run.offers_refused++;
		refused = true;
	}
	if (!refused)
		return;

	/* One revoked: its place is free for another. */
	pvbus_host_revoke(fz->flood[--fz->nr_flood]);
	pci_pvbus_fake_guid(&inst, 0x20000 + want);
	pdev = pvbus_host_offer(&fz->f->host, &pci_pvbus_fake_probe_class,
				&inst, fz->f);
	if (IS_ERR(pdev))
		fz_fail(fz, "an offer after a revoke below the bound was refused");
	else
		fz->flood[fz->nr_flood++] = pdev;
}

/* The flood's devices go, whether or not their host went before. */
static void fz_flood_revoke(struct fuzz *fz)
{
	while (fz->nr_flood)
		pvbus_host_revoke(fz->flood[--fz->nr_flood]);
}

/* One sequence; returns the messages the host delivered. */
static u64 fz_sequence(struct fuzz *fz, u64 seed)
{
	struct pci_pvbus_fake *f;
	struct fz_health health;
	struct pci_pvbus *pb;
	unsigned int i, k, n;
	guid_t inst;
	bool bound;

	fz->seed = seed;
	fz->failed = false;
	prandom_seed_state(&fz->rnd, seed);
	fz->pdev = NULL;
	fz->sent = 0;
	fz->notes = 0;
	fz->version = PVBUS_PCI_VERSION_MAX;
	memset(fz->cfg, 0, sizeof(fz->cfg));
	fz->last_touched = false;
	fz->d0_unsure = false;
	fz->d0_taken = false;

	/*
	 * A few answer classes at a time, so that some answers get through;
	 * what the host does besides answering, more often.
	 */
	fz->classes = 0;
	n = 1 + fz_below(fz, 4);
	for (i = 0; i < n; i++) {
		k = fz_below(fz, ARRAY_SIZE(fz_answer_classes));
		__set_bit(fz_answer_classes[k], &fz->classes);
	}
	for (i = FUZZ_FLOOD; i < FUZZ_NR_CLASSES; i++)
		if (fz_chance(fz, i == FUZZ_HOTPLUG || i == FUZZ_FLOOD ? 2 : 4))
			__set_bit(i, &fz->classes);
	fz->classes &= fuzz_classes;
	fz->rate = 1 + fz_below(fz, 8);
	fz->window_rate = 4 + fz_below(fz, 13);
	fz->legacy = fz_chance(fz, 4);
	fz->finds = 0;
	fz->target = 0;
	if (fz_chance(fz, 4))
		fz->target = fz_reply_types[fz_below(fz,
						     ARRAY_SIZE(fz_reply_types))];
	WRITE_ONCE(pci_pvbus_cfg_mode,
		   fz->legacy ? PCI_PVBUS_CFG_LEGACY : fuzz_cfg_mode);

	if (fz_on(fz, FUZZ_FULL)) {
		WRITE_ONCE(pci_pvbus_slack[PCI_PVBUS_LOW], 0);
		WRITE_ONCE(pci_pvbus_slack[PCI_PVBUS_HIGH], 0);
	} else {
		WRITE_ONCE(pci_pvbus_slack[PCI_PVBUS_LOW], fz->slack[PCI_PVBUS_LOW]);
		WRITE_ONCE(pci_pvbus_slack[PCI_PVBUS_HIGH],
			   fz->slack[PCI_PVBUS_HIGH]);
	}

	fz_health(fz, &health);
	fz->iomem_pre_len = fz_iomem(fz->iomem_pre);
	fz->map_pre_len = fz_map(fz, fz->map_pre);
	fz->hooks.answer = fz_answer;
	fz->hooks.cfg_read = fz_cfg_read;
	fz->hooks.window = fz_window;
	fz->hooks.connect = fz_connect;
	fz->hooks.data = fz;
	fz->connect_bad = false;
	f = pci_pvbus_fake_new(&fz->hooks);
	fz->f = IS_ERR(f) ? NULL : f;
	if (IS_ERR(f) && fz->connect_bad) {
		/* Refused, with nothing of the host left. */
		fuzz_run.attach_refused++;
		fz_expect_pre_attach(fz, "after a refused attach");
		fz_expect_healthy(fz, &health);
		return 0;
	}
	if (IS_ERR(f)) {
		fz_fail(fz, "the fake host did not attach");
		return 0;
	}
	if (fz->connect_bad)
		fz_fail(fz, "a host whose connect failed attached");
	if (f->host.root != fz->root)
		fz_fail(fz, "the fake host attached to another root");
	fz_snapshot(fz, true);
	f->late_ms = fz_below(fz, 2 * fuzz_timeout_ms);
	if (fz_chance(fz, 8))
		f->max_version = PVBUS_PCI_VERSION_1_0;
	if (fz_chance(fz, 8))
		f->refuse_d0 = 1 + fz_below(fz, 2);

	n = fz_below(fz, 5);
	for (i = 0; i < n; i++)
		fz_new_fn(fz);

	pci_pvbus_fake_guid(&inst, 0x10000 | (u32)(seed & 0xffff));
	fz->pdev = pvbus_host_offer(&f->host, &PVBUS_PCI_CLASS, &inst, f);
	if (IS_ERR(fz->pdev)) {
		fz_fail(fz, "offer failed");
		fz->pdev = NULL;
		goto out;
	}
	if (pci_pvbus_fake_bus_of(fz->pdev))
		fz->version = pci_pvbus_fake_bus_of(fz->pdev)->version;
	fz_settle(fz);
	fz_check_bound(fz);
	pb = pci_pvbus_fake_bus_of(fz->pdev);
	if (pb) {
		fuzz_run.lists_older += READ_ONCE(pb->nr_lists_older);
		/* Probe is over: nothing writes it any more. */
		fuzz_run.probe_no_room += !!pb->nr_probe_no_room;
	}
	if (fz_chance(fz, 4))
		fz_offer_again(fz, &inst);
	fz_offer_flood(fz);
	if (pci_pvbus_fake_bus_of(fz->pdev))
		fz_find(fz, pci_pvbus_fake_bus_of(fz->pdev));

	fz_steps(fz);
	fz_settle(fz);
	if (pci_pvbus_fake_bus_of(fz->pdev)) {
		fz_check_bound(fz);
		fuzz_run.no_room += pci_pvbus_fake_bus_of(fz->pdev)->nr_no_room;
	}

	if (fz_on(fz, FUZZ_DETACH) && fz_chance(fz, 2)) {
		/* The host goes away under the bus: a surprise removal. */
		pci_pvbus_fake_drop_late(f);
		pvbus_host_unregister(&f->host);
		pvbus_host_revoke(fz->pdev);
	} else if (fz_on(fz, FUZZ_DETACH) && fz_chance(fz, 2)) {
		/*
		 * The guest unbinds the driver, a hot add perhaps under
		 * way, while the host answers late, wrong or never.
		 */
		if (fz_on(fz, FUZZ_HOTPLUG) && fz_chance(fz, 2) && fz_new_fn(fz))
			fz_notify(fz, fz->pdev,
				  PVBUS_PCI_MSG_RELATIONS_CHANGED, 0, false);
		bound = fz->pdev->dev.driver;
		device_release_driver(&fz->pdev->dev);
		fuzz_run.unbinds++;
		if (pci_pvbus_fake_bus_of(fz->pdev))
			fz_fail(fz, "unbound, but driver data");
		/* A failed probe's was judged after it. */
		if (bound)
			fz_check_d0_undone(fz);
		pvbus_host_revoke(fz->pdev);
	} else {
		pvbus_host_revoke(fz->pdev);
	}
	fz->pdev = NULL;
	fz_flood_revoke(fz);
	pci_pvbus_fake_flush(f);
out:
	fz->sent = f->nr_sent;
	pci_pvbus_fake_destroy(f);
	fz->f = NULL;

	fz_expect_pre_attach(fz, "after the sequence");
	fz_expect_healthy(fz, &health);
	return fz->sent;
}

/*
 * A sequence with the console quiet (not when replaying one): a failure
 * prints the sequence's kernel log, then its seed.
 */
static u64 fz_sequence_quiet(struct fuzz *fz, u64 seed, bool quiet)
{
	u64 m;

	pvbus_quiet_begin(&fz->quiet, quiet);
	m = fz_sequence(fz, seed);
	if (pvbus_quiet_end(&fz->quiet, fz->failed))
		fz_fail(fz, "a kernel report in its log (above)");
	if (fz->failed)
		kunit_err(fz->test,
			  "fuzz: seed %#llx failed: %s (replay: pci_pvbus.fuzz_replay=%#llx pci_pvbus.fuzz_classes=%#x)\n",
			  fz->seed, fz->why, fz->seed, fuzz_classes);
	return m;
}

/* ---- the suite ------------------------------------------------------ */

static const void *fz_gen(const void *prev, char *desc)
{
	if (fuzz_run.done)
		return NULL;
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "chunk %u", fuzz_run.chunk);
	return &fuzz_run;
}

static void fz_restore_timeout(void *data)
{
	WRITE_ONCE(pci_pvbus_timeout_ms, (unsigned int)(unsigned long)data);
}

static void fz_restore_slack(void *data)
{
	struct fuzz *fz = data;

	WRITE_ONCE(pci_pvbus_slack[PCI_PVBUS_LOW], fz->slack[PCI_PVBUS_LOW]);
	WRITE_ONCE(pci_pvbus_slack[PCI_PVBUS_HIGH], fz->slack[PCI_PVBUS_HIGH]);
}

static void fz_restore_cfg_mode(void *data)
{
	WRITE_ONCE(pci_pvbus_cfg_mode, fuzz_cfg_mode);
}

static void fz_free_action(void *data)
{
	struct fuzz *fz = data;

	fz_free_bufs(fz);
	mutex_destroy(&fz->buf_lock);
	kfree(fz);
}

/* One chunk of the run: sequences until its share of messages is sent. */
static void pci_pvbus_fuzz_chunk(struct kunit *test)
{
	unsigned long end = jiffies + FUZZ_CHUNK_SECONDS * HZ;
	u64 msgs = 0, notes = 0, fails = 0, seqs = 0, legacy = 0, finds = 0;
	struct pci_pvbus_fake *probe;
	struct pvbus_root *root;
	void *old_timeout;
	struct fuzz *fz;
	u64 seed, m;

	fuzz_run.chunk++;
	probe = pci_pvbus_fake_new(NULL);
	if (IS_ERR(probe)) {
		fuzz_run.done = true;
		if (PTR_ERR(probe) == -ENODEV)
			kunit_skip(test, "no pvbus root: see pci_pvbus_live");
		KUNIT_ASSERT_FAILURE(test, "fake host: %ld", PTR_ERR(probe));
	}
	/* The sequences' hosts attach to it: its map is read before. */
	root = probe->host.root;
	pci_pvbus_fake_destroy(probe);

	fz = kzalloc(sizeof(*fz), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, fz);
	fz->test = test;
	fz->root = root;
	raw_spin_lock_init(&fz->rnd_lock);
	mutex_init(&fz->buf_lock);
	if (pci_pvbus_test_defer(test, fz_free_action, fz))
		KUNIT_ASSERT_FAILURE(test, "no memory");
	old_timeout = (void *)(unsigned long)READ_ONCE(pci_pvbus_timeout_ms);
	KUNIT_ASSERT_EQ(test, pci_pvbus_test_defer(test, fz_restore_timeout,
						   old_timeout), 0);
	WRITE_ONCE(pci_pvbus_timeout_ms,
		   clamp(fuzz_timeout_ms, 10U, 600000U));
	fz->slack[PCI_PVBUS_LOW] = READ_ONCE(pci_pvbus_slack[PCI_PVBUS_LOW]);
	fz->slack[PCI_PVBUS_HIGH] = READ_ONCE(pci_pvbus_slack[PCI_PVBUS_HIGH]);
	KUNIT_ASSERT_EQ(test, pci_pvbus_test_defer(test, fz_restore_slack, fz),
			0);
	fuzz_cfg_mode = READ_ONCE(pci_pvbus_cfg_mode);
	KUNIT_ASSERT_EQ(test, pci_pvbus_test_defer(test, fz_restore_cfg_mode,
						   NULL), 0);
	KUNIT_ASSERT_EQ(test, fz_alloc_bufs(fz), 0);
	KUNIT_ASSERT_EQ(test, pvbus_quiet_guard(test), 0);

	if (fuzz_replay) {
		fuzz_run.done = true;
		msgs = fz_sequence_quiet(fz, fuzz_replay, false);
		notes = fz->notes;
		legacy = fz->legacy;
		finds = fz->finds;
		seqs = 1;
		fails = fz->failed;
	} else {
		if (!fuzz_run.next_seed)
			fuzz_run.next_seed = fuzz_seed;
		while (msgs < FUZZ_CHUNK_MESSAGES &&
		       fuzz_run.messages + msgs < fuzz_messages &&
		       time_before(jiffies, end)) {
			seed = fuzz_run.next_seed++;
			m = fz_sequence_quiet(fz, seed, true);
			msgs += m;
			notes += fz->notes;
			legacy += fz->legacy;
			finds += fz->finds;
			seqs++;
			fails += fz->failed;
			if (!m && fz->failed)
				break;	/* e.g. the host did not attach */
		}
		if (fuzz_run.messages + msgs >= fuzz_messages || !seqs)
			fuzz_run.done = true;
	}
	fuzz_run.sequences += seqs;
	fuzz_run.messages += msgs;
	fuzz_run.notes += notes;
	fuzz_run.legacy += legacy;
	fuzz_run.finds += finds;
	fuzz_run.failures += fails;
	KUNIT_EXPECT_EQ_MSG(test, fails, 0ULL,
			    "the seeds of the failing sequences are above");
}

static int pci_pvbus_fuzz_init(struct kunit_suite *suite)
{
	char list[FUZZ_NR_CLASSES * 10];
	unsigned int i;
	size_t pos = 0;

	memset(&fuzz_run, 0, sizeof(fuzz_run));
	for (i = 0; i < FUZZ_NR_CLASSES; i++)
		pos += scnprintf(list + pos, sizeof(list) - pos, " %s%s",
				 fuzz_classes & BIT(i) ? "" : "-",
				 fuzz_class_names[i]);
	pr_info("fuzz: pci_pvbus_fuzz: %lu messages, seed %#llx, classes %#x:%s\n",
		fuzz_messages, fuzz_seed, fuzz_classes, list);
	return 0;
}

static void pci_pvbus_fuzz_exit(struct kunit_suite *suite)
{
	unsigned int i;

	pr_info("fuzz: %llu sequences, %llu messages, %llu failures\n",
		fuzz_run.sequences, fuzz_run.messages, fuzz_run.failures);
	pr_info("fuzz: of the messages, %llu answers and %llu notifications\n",
		fuzz_run.messages - fuzz_run.notes, fuzz_run.notes);
	pr_info("fuzz: %llu plans refused with the MMIO space full; %llu buses came up with a function probe left out for it\n",
		fuzz_run.no_room, fuzz_run.probe_no_room);
	pr_info("fuzz: of the sequences, %llu with cfg_window=legacy; %llu pvbus_mmio_find() checks\n",
		fuzz_run.legacy, fuzz_run.finds);
	pr_info("fuzz: %llu functions removed as through sysfs and the bus rescanned; %llu rescans of a bus with SR-IOV functions; %llu unbinds before the revoke; %llu instances offered twice; %llu floods of offers to the %d devices a root takes, %llu offers refused past it; at most %llu BARs held at once\n",
		fuzz_run.sysfs_removals, fuzz_run.sriov_rescans,
		fuzz_run.unbinds, fuzz_run.offers_again, fuzz_run.offer_floods,
		PVBUS_HOST_MAX_DEVICES, fuzz_run.offers_refused, fuzz_run.held);
	pr_info("fuzz: %llu floods while the bus was busy, %llu notifications in them not queued (handled as lost)\n",
		fuzz_run.busy_floods, fuzz_run.notes_lost);
	pr_info("fuzz: %llu drivers that went undid the host's D0\n",
		fuzz_run.d0_undone);
	pr_info("fuzz: functions seen with the host's BARs kept: %llu (with a BAR); refused: %llu\n",
		fuzz_run.kept, fuzz_run.not_kept);
	pr_info("fuzz: %llu config window accesses answered falsely, %llu config reads checked through the bus's ops (%llu of them answered wider than their size), %llu vendor ID reads answered with a retry (%llu a function's first, which probe checks)\n",
		fuzz_run.window_lies, fuzz_run.cfg_reads, fuzz_run.wide_reads,
		fuzz_run.retry_lies, fuzz_run.retry_first);
	pr_info("fuzz: %llu config reads past the standard header answered with made-up capabilities\n",
		fuzz_run.cap_lies);
	pr_info("fuzz: %llu lists of functions dropped as older than the list probe had\n",
		fuzz_run.lists_older);
	pr_info("fuzz: %llu ranges given by hosts as they attached; %llu attaches refused, the host's connect failed or gave too many\n",
		fuzz_run.host_ranges, fuzz_run.attach_refused);
	for (i = 0; i < FZ_NR_TYPES; i++) {
		const struct fz_tally *t = &fuzz_run.tally[i];

		pr_info("fuzz: tally %s: %llu answers, %llu mutated, %llu with a status (%llu set by the fuzzer, %llu of them targeted), %llu refusals; %llu notifications, %llu mutated\n",
			fz_type_names[i], t->answers, t->mutated, t->status,
			t->status_mutated, t->targeted, t->refusals, t->notes,
			t->notes_mutated);
	}
	pr_info("fuzz: tally other: %llu answers to requests of no PCI type\n",
		fuzz_run.other_types);
	pr_info("fuzz-domain: %llu tables, %llu failures\n",
		fuzz_run.domain_tables, fuzz_run.domain_failures);
	pr_info("fuzz-domain: of the tables, %llu wanted a free domain, %llu one taken or above max, %llu had every number taken\n",
		fuzz_run.domain_wanted, fuzz_run.domain_other,
		fuzz_run.domain_full);
}

/* ---- the PCI segments firmware declares ------------------------------ */

#define FZ_MCFG_HDR	44
#define FZ_MCFG_ENTRY	16
#define FZ_DOM_LIVE	8
#define FZ_DOM_MAX	0xffff		/* the largest PCI domain chosen */
#define FZ_DOM_IDS	(FZ_DOM_MAX + 1)

/* One table set: what firmware declares, what is alive. */
struct fz_dom {
	struct rnd_state rnd;
	u64 seed;
	u32 wanted, max;
	u32 live[FZ_DOM_LIVE];
	unsigned int nr_live;
	u8 *mcfg;			/* exactly @mcfg_len bytes, or NULL */
	size_t mcfg_len;
	u64 *seg;
	u32 *dt;
	unsigned long *forbidden;	/* FZ_DOM_IDS bits */
};

static u32 fd_rand(struct fz_dom *d)
{
	return prandom_u32_state(&d->rnd);
}

static u32 fd_below(struct fz_dom *d, u32 n)
{
	return n ? fd_rand(d) % n : 0;
}

/* How many of a source: mostly a few, now and then past the bound. */
static unsigned int fd_count(struct fz_dom *d)
{
	switch (fd_below(d, 16)) {
	case 0:
		return PCI_PVBUS_MAX_FW_SEGS - 2 + fd_below(d, 5);
	case 1:
		return fd_below(d, PCI_PVBUS_MAX_FW_SEGS);
	case 2:
	case 3:
		return 0;
	default:
		return fd_below(d, 16);
	}
}

/* A segment number as firmware might declare it. */
static u32 fd_segment(struct fz_dom *d)
{
	switch (fd_below(d, 8)) {
	case 0:
		return d->wanted;
	case 1:
		return d->wanted + 1;
	case 2:
		return 0xffff;
	case 3:
		return fd_below(d, 8);
	case 4:
		return d->max - fd_below(d, 4);
	default:
		return fd_rand(d);
	}
}

static void fd_forbid(struct fz_dom *d, u32 id)
{
	if (id < FZ_DOM_IDS)
		__set_bit(id, d->forbidden);
}

/*
 * An MCFG table of random length and entries, mapped exactly as long as
 * it is (so that KASAN sees a read past it), its length field true,
 * short, long or absurd; the entries the rule says are read are
 * forbidden: those within both lengths, whole, at most
 * PCI_PVBUS_MAX_FW_SEGS.
 */
static int fd_mcfg(struct fz_dom *d)
{
	unsigned int n = fd_count(d), i, read;
	size_t len = FZ_MCFG_HDR + n * FZ_MCFG_ENTRY;
	u32 field;

	d->mcfg = NULL;
	d->mcfg_len = 0;
	if (!fd_below(d, 4))
		return 0;
	switch (fd_below(d, 8)) {
	case 0:		/* a partial entry, or shorter than the header */
		len = fd_below(d, len + 16);
		break;
	case 1:
		len += 1 + fd_below(d, FZ_MCFG_ENTRY - 1);
		break;
	default:
		break;
	}
	switch (fd_below(d, 8)) {
	case 0:
		field = fd_rand(d);
		break;
	case 1:
		field = fd_below(d, FZ_MCFG_HDR + 1);
		break;
	case 2:
		field = U32_MAX;
		break;
	case 3:
		field = fd_below(d, len + 1);
		break;
	default:
		field = len;
		break;
	}
	d->mcfg = kmalloc(max_t(size_t, len, 1), GFP_KERNEL);
	if (!d->mcfg)
		return -ENOMEM;
	d->mcfg_len = len;
	for (i = 0; i < len; i++)
		d->mcfg[i] = fd_rand(d);
	if (len >= 8)
		put_unaligned_le32(field, d->mcfg + 4);
	for (i = 0; FZ_MCFG_HDR + (i + 1) * FZ_MCFG_ENTRY <= len; i++)
		put_unaligned_le16(fd_segment(d), d->mcfg + FZ_MCFG_HDR +
				   i * FZ_MCFG_ENTRY + 8);

	if (len < FZ_MCFG_HDR || field < FZ_MCFG_HDR)
		return 0;
	read = (min_t(size_t, len, field) - FZ_MCFG_HDR) / FZ_MCFG_ENTRY;
	read = min_t(unsigned int, read, PCI_PVBUS_MAX_FW_SEGS);
	for (i = 0; i < read; i++)
		fd_forbid(d, get_unaligned_le16(d->mcfg + FZ_MCFG_HDR +
						i * FZ_MCFG_ENTRY + 8));
	return 0;
}

/* One table set; returns false if the choice broke a rule. */
static bool fd_one(struct kunit *test, struct fz_dom *d, u64 seed)
{
	struct pci_pvbus_fw_segs fw = {};
	struct pci_pvbus_ids taken = {};
	unsigned int i, bound;
	bool ok = true;
	u32 id;
	int ret;

	d->seed = seed;
	prandom_seed_state(&d->rnd, seed);
	bitmap_zero(d->forbidden, FZ_DOM_IDS);
	switch (fd_below(d, 8)) {
	case 0:		/* without PCI domains: root bus numbers */
		d->max = 0xff;
		break;
	case 1:		/* few enough that all may be taken */
		d->max = 1 + fd_below(d, 16);
		break;
	default:
		d->max = FZ_DOM_MAX;
		break;
	}
	d->wanted = fd_below(d, 4) ? fd_below(d, d->max + 2) : fd_rand(d);
	d->nr_live = fd_below(d, FZ_DOM_LIVE + 1);
	fd_forbid(d, 0);
	for (i = 0; i < d->nr_live; i++) {
		d->live[i] = fd_segment(d);
		fd_forbid(d, d->live[i]);
		if (pci_pvbus_add_id(&taken, d->live[i]))
			goto nomem;
	}
	if (fd_mcfg(d))
		goto nomem;
	fw.mcfg = d->mcfg;
	fw.mcfg_len = d->mcfg_len;
	fw.seg = d->seg;
	fw.nr_seg = min_t(unsigned int, fd_count(d), PCI_PVBUS_MAX_FW_SEGS);
	for (i = 0; i < fw.nr_seg; i++) {
		d->seg[i] = fd_below(d, 2) ? (u64)fd_rand(d) << 32 | fd_segment(d) :
					     fd_segment(d);
		fd_forbid(d, d->seg[i] & 0xffff);
	}
	fw.dt = d->dt;
	fw.nr_dt = min_t(unsigned int, fd_count(d), PCI_PVBUS_MAX_FW_SEGS);
	for (i = 0; i < fw.nr_dt; i++) {
		d->dt[i] = fd_segment(d);
		fd_forbid(d, d->dt[i]);
	}

	ret = pci_pvbus_pick_domain(d->wanted, &taken, &fw, d->max);
	bound = d->nr_live + 3 * PCI_PVBUS_MAX_FW_SEGS;
	if (taken.nr > bound) {
		kunit_err(test, "fuzz-domain: %u segments read, more than %u\n",
			  taken.nr, bound);
		ok = false;
	}
	if (ret >= 0) {
		id = ret;
		if (id > d->max || test_bit(id, d->forbidden)) {
			kunit_err(test, "fuzz-domain: chose %#x (max %#x): %s\n",
				  id, d->max, id > d->max ? "above max" :
				  !id ? "domain 0" : "a declared or live segment");
			ok = false;
		} else if (d->wanted && d->wanted <= d->max &&
			   !test_bit(d->wanted, d->forbidden)) {
			if (id != d->wanted) {
				kunit_err(test, "fuzz-domain: chose %#x, not the free %#x wanted\n",
					  id, d->wanted);
				ok = false;
			}
			fuzz_run.domain_wanted++;
		} else if (d->wanted) {
			fuzz_run.domain_other++;
		}
	} else if (ret == -ENOSPC) {
		fuzz_run.domain_full++;
		id = find_next_zero_bit(d->forbidden, d->max + 1, 1);
		if (id <= d->max) {
			kunit_err(test, "fuzz-domain: -ENOSPC, but %#x is free\n",
				  id);
			ok = false;
		}
	} else {
		kunit_err(test, "fuzz-domain: %d\n", ret);
		ok = false;
	}
	kfree(taken.id);
	kfree(d->mcfg);
	d->mcfg = NULL;
	if (!ok)
		kunit_err(test, "fuzz-domain: seed %#llx failed: wanted %#x, max %#x, %u live, MCFG %zu bytes, %u _SEG, %u DT (replay: pci_pvbus.fuzz_domain_replay=%#llx)\n",
			  seed, d->wanted, d->max, d->nr_live, d->mcfg_len,
			  fw.nr_seg, fw.nr_dt, seed);
	return ok;

nomem:
	kfree(taken.id);
	kunit_err(test, "fuzz-domain: seed %#llx: no memory\n", seed);
	return false;
}

static void fz_dom_free(void *data)
{
	struct fz_dom *d = data;

	kfree(d->seg);
	kfree(d->dt);
	bitmap_free(d->forbidden);
	kfree(d);
}

/*
 * The firmware segment tables (pci-pvbus-domain.c): random MCFG tables of
 * random lengths, _SEG and DT values, live domains; the domain chosen
 * never one of them, the wanted one when it is free, -ENOSPC only when
 * every number is taken, no more segments read than the bound.
 */
#define FZ_DOM_COVERAGE_TABLES	1000

static const struct {
	const u64 *count;
	const char *what;
} fz_dom_outcomes[] = {
	{ &fuzz_run.domain_wanted, "wanted a free domain" },
	{ &fuzz_run.domain_other, "wanted a domain taken or above max" },
	{ &fuzz_run.domain_full, "had every domain number taken" },
};

static void pci_pvbus_fuzz_domain(struct kunit *test)
{
	u64 n = fuzz_domain_tables ?: max(fuzz_messages / 10, 1UL), i, fails = 0;
	struct fz_dom *d;

	d = kzalloc(sizeof(*d), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, d);
	d->seg = kcalloc(PCI_PVBUS_MAX_FW_SEGS + 4, sizeof(*d->seg), GFP_KERNEL);
	d->dt = kcalloc(PCI_PVBUS_MAX_FW_SEGS + 4, sizeof(*d->dt), GFP_KERNEL);
	d->forbidden = bitmap_zalloc(FZ_DOM_IDS, GFP_KERNEL);
	if (pci_pvbus_test_defer(test, fz_dom_free, d))
		KUNIT_ASSERT_FAILURE(test, "no memory");
	KUNIT_ASSERT_TRUE(test, d->seg && d->dt && d->forbidden);

	if (fuzz_domain_replay) {
		fails = !fd_one(test, d, fuzz_domain_replay);
		n = 1;
	} else {
		for (i = 0; i < n; i++) {
			fails += !fd_one(test, d, fuzz_domain_seed + i);
			cond_resched();
		}
	}
	fuzz_run.domain_tables += n;
	fuzz_run.domain_failures += fails;
	KUNIT_EXPECT_EQ_MSG(test, fails, 0ULL,
			    "the seeds of the failing tables are above");

	/* So many tables reach each outcome (see pci_pvbus_fuzz_coverage). */
	if (fuzz_domain_replay || n < FZ_DOM_COVERAGE_TABLES)
		return;
	for (i = 0; i < ARRAY_SIZE(fz_dom_outcomes); i++)
		KUNIT_EXPECT_GT_MSG(test, *fz_dom_outcomes[i].count, 0ULL,
				    "no table %s", fz_dom_outcomes[i].what);
}

/* So many messages reach every type of the wire format, as below. */
#define FUZZ_COVERAGE_MESSAGES	20000

static bool fz_is_reply(unsigned int i)
{
	unsigned int k;

	for (k = 0; k < ARRAY_SIZE(fz_reply_types); k++)
		if (fz_tally_of(fz_reply_types[k]) == &fuzz_run.tally[i])
			return true;
	return false;
}

/*
 * After the run: the host sent every type of the wire format, mutated;
 * every answer also as a refusal whose status the fuzzer set, which the
 * driver takes as the host's; an offer past a root's bound was refused;
 * a list older than probe's was dropped; a function's host-assigned BARs
 * were kept, and another's refused.  Judged only on a run of
 * FUZZ_COVERAGE_MESSAGES or more.
 */
static void pci_pvbus_fuzz_coverage(struct kunit *test)
{
	unsigned int i;

	if (fuzz_replay || fuzz_run.messages < FUZZ_COVERAGE_MESSAGES)
		kunit_skip(test, "%llu messages: too few to judge",
			   fuzz_run.messages);
	for (i = 0; i < FZ_NR_TYPES; i++) {
		const struct fz_tally *t = &fuzz_run.tally[i];

		if (!fz_is_reply(i)) {
			KUNIT_EXPECT_GT_MSG(test, t->notes_mutated, 0ULL,
					    "%s: no mutated notification",
					    fz_type_names[i]);
			continue;
		}
		KUNIT_EXPECT_GT_MSG(test, t->mutated, 0ULL,
				    "%s: no mutated answer", fz_type_names[i]);
		if (fuzz_classes & BIT(FUZZ_STATUS)) {
			KUNIT_EXPECT_GT_MSG(test, t->status_mutated, 0ULL,
					    "%s: no status set by the fuzzer",
					    fz_type_names[i]);
			KUNIT_EXPECT_GT_MSG(test, t->refusals, 0ULL,
					    "%s: no refusal", fz_type_names[i]);
		}
	}
	KUNIT_EXPECT_GT_MSG(test, fuzz_run.cfg_reads, 0ULL,
			    "no config read checked through the bus's ops");
	KUNIT_EXPECT_GT_MSG(test, fuzz_run.offers_refused, 0ULL,
			    "no offer past the devices a root takes was refused");
	if (fuzz_classes & BIT(FUZZ_FLOOD))
		KUNIT_EXPECT_GT_MSG(test, fuzz_run.lists_older, 0ULL,
				    "no list older than probe's was dropped");
	if (fuzz_classes & BIT(FUZZ_BAR))
		KUNIT_EXPECT_GT_MSG(test, fuzz_run.probe_no_room, 0ULL,
				    "no bus came up with a function probe left out for room");
	if (fuzz_classes & BIT(FUZZ_CFG))
		KUNIT_EXPECT_GT_MSG(test, fuzz_run.retry_lies, 0ULL,
				    "no vendor ID read was answered with a retry");
	if (fuzz_classes & BIT(FUZZ_CFG))
		KUNIT_EXPECT_GT_MSG(test, fuzz_run.retry_first, 0ULL,
				    "no function's first vendor ID read was answered with a retry");
	if (fuzz_classes & BIT(FUZZ_CFG))
		KUNIT_EXPECT_GT_MSG(test, fuzz_run.cap_lies, 0ULL,
				    "no config read past the header was made up");
	if (fuzz_classes & BIT(FUZZ_WINDOW))
		KUNIT_EXPECT_GT_MSG(test, fuzz_run.wide_reads, 0ULL,
				    "no config read checked was answered wider than its size");
	if (fuzz_classes & BIT(FUZZ_STATUS))
		KUNIT_EXPECT_GT_MSG(test, fuzz_run.d0_undone, 0ULL,
				    "no driver that went was seen to undo the host's D0");
	KUNIT_EXPECT_GT_MSG(test, fuzz_run.kept, 0ULL,
			    "no function seen with a host's BAR kept");
	KUNIT_EXPECT_GT_MSG(test, fuzz_run.not_kept, 0ULL,
			    "no function seen whose host's BARs were refused");
}

static struct kunit_case pci_pvbus_fuzz_cases[] = {
	KUNIT_CASE_PARAM(pci_pvbus_fuzz_chunk, fz_gen),
	KUNIT_CASE(pci_pvbus_fuzz_coverage),
	KUNIT_CASE(pci_pvbus_fuzz_domain),
	{}
};

static struct kunit_suite pci_pvbus_fuzz_suite = {
	.name = "pci_pvbus_fuzz",
	.suite_init = pci_pvbus_fuzz_init,
	.suite_exit = pci_pvbus_fuzz_exit,
	.test_cases = pci_pvbus_fuzz_cases,
};

kunit_test_suite(pci_pvbus_fuzz_suite);

MODULE_DESCRIPTION("KUnit fuzzer of pci-pvbus: host messages mutated at random");
MODULE_AUTHOR("The pvbus developers");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
