/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Fault injection for the pvbus KUnit suites (test builds only): make the
 * n-th allocation of a path fail, count what the path leaves allocated,
 * and take the snapshots a clean unwind must restore.
 *
 * Failing the n-th allocation: lib/fault-inject.c's should_fail() honours
 * the per-task current->fail_nth, so the test thread sets it and runs the
 * path itself.  mm/failslab.c skips every allocation that may sleep unless
 * failslab's debugfs bool "ignore-gfp-wait" is off, and almost every
 * allocation on these paths is GFP_KERNEL: pvbus_failslab_quiet() (which
 * pvbus_fault_init() calls) looks that bool up with debugfs_lookup() and
 * clears it (and "verbose", so that no stack is dumped per step), and
 * pvbus_failslab_restore() puts both back; the same as writing N and 0 to
 * the files as root.  Only slab allocations
 * fail this way (kmalloc() up to 8 KiB, kmem_cache_alloc()); none on these
 * paths is larger.  Page and vmalloc allocations are not failed.
 *
 * Counting leaks: kmemleak never scans in a KUnit run, so the slab's own
 * tracepoints count instead.  Between pvbus_fault_track_begin() and
 * pvbus_fault_track_end(), every kmalloc() and kmem_cache_alloc() of the
 * test thread is recorded with its call site, and every kfree() and
 * kmem_cache_free() of any task removes its record; after an RCU barrier,
 * what is left was not freed.  That catches any slab object the path
 * allocated in the test thread and did not free, whoever's code allocated
 * it (the bus's, the driver core's, the PCI core's).  It does not see
 * page or vmalloc allocations, allocations made for the path by other
 * tasks (a workqueue), objects freed by kfree_bulk() (the object is then
 * counted as a leak, a false positive, unless its address comes back), or
 * frees still batched by kfree_rcu().  What pools keep by design is not
 * counted (the per-CPU nodes of radix_tree_preload(), the pool of debug
 * objects), nor what reading /proc/iomem for a snapshot allocates.
 *
 * Copyright (C) 2026 The pvbus developers
 */
#ifndef _PVBUS_FAULT_TEST_H
#define _PVBUS_FAULT_TEST_H

#include <kunit/test.h>
#include <linux/bits.h>
#include <linux/debugfs.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/hash.h>
#include <linux/kallsyms.h>
#include <linux/mount.h>
#include <linux/pvbus.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/stdarg.h>
#include <linux/string.h>
#include <linux/tracepoint.h>
#include <linux/vmalloc.h>
#include <linux/workqueue.h>
#include <trace/events/kmem.h>

/* Objects a step may have live at once; a power of two. */
#define PVBUS_FAULT_TRACK_BITS	14
#define PVBUS_FAULT_TRACK_SLOTS	BIT(PVBUS_FAULT_TRACK_BITS)
#define PVBUS_FAULT_TOMB	((const void *)1)
/* Leaks printed per step. */
#define PVBUS_FAULT_SHOW	8
/* Room for a snapshot of /proc/iomem or of the bus's map. */
#define PVBUS_FAULT_SNAP_SIZE	(64 * 1024)

struct pvbus_fault_obj {
	const void *ptr;
	unsigned long site;
};

/**
 * struct pvbus_failslab - failslab's debugfs knobs, as a case found them
 * @ignore_wait: failslab's ignore_gfp_reclaim ("ignore-gfp-wait")
 * @old_ignore_wait: its value before
 * @verbose: failslab's "verbose"
 * @old_verbose: its value before
 */
struct pvbus_failslab {
	bool *ignore_wait;
	bool old_ignore_wait;
	unsigned long *verbose;
	unsigned long old_verbose;
};

/**
 * struct pvbus_fault - fault injection and leak counting for one case
 * @lock: protects everything below up to @obj, taken in any context
 * @task: the thread whose allocations are counted, or NULL
 * @live: objects recorded and not freed
 * @allocs: objects recorded in this step
 * @full: the table overflowed: the count is not exact
 * @obj: the objects, hashed by address; PVBUS_FAULT_TOMB marks a free slot
 *	in a chain
 * @failslab: failslab's knobs, quiet for the case
 * @registered: the tracepoint probes are registered
 * @proc: a mount of procfs, for /proc/iomem
 * @known: a known defect makes this case fail: mismatches are recorded in
 *	@first instead of failing the case, which is then skipped with it
 * @unfailable: the path must not fail (it undoes something): no fault
 *	point of it may fire
 * @mismatches: mismatches seen
 * @first: the first one
 */
struct pvbus_fault {
	raw_spinlock_t lock;
	struct task_struct *task;
	unsigned int live;
	unsigned int allocs;
	bool full;
	struct pvbus_fault_obj *obj;

	struct pvbus_failslab failslab;
	bool registered;
	struct vfsmount *proc;

	const char *known;
	bool unfailable;
	unsigned int mismatches;
	char first[256];
};

/* ---- failing the n-th allocation ------------------------------------ */

/* Fail the @nth fault point this thread reaches from now on (1 = next). */
static inline void pvbus_fault_arm(unsigned int nth)
{
	WRITE_ONCE(current->fail_nth, nth);
}

/* Stop failing; true if the armed fault point was reached and failed. */
static inline bool pvbus_fault_disarm(void)
{
	bool fired = !READ_ONCE(current->fail_nth);

	WRITE_ONCE(current->fail_nth, 0);
	return fired;
}

/* A step did not unwind: fail the case, or record it for a known defect. */
static inline __printf(3, 4)
void pvbus_fault_mismatch(struct kunit *test, struct pvbus_fault *fi,
			  const char *fmt, ...)
{
	char msg[sizeof(fi->first)];
	va_list args;

	va_start(args, fmt);
	vsnprintf(msg, sizeof(msg), fmt, args);
	va_end(args);
	strreplace(msg, '\n', ' ');
	if (!fi->known)
		KUNIT_FAIL(test, "%s", msg);
	else if (!fi->mismatches)
		strscpy(fi->first, msg, sizeof(fi->first));
	fi->mismatches++;
}

/*
 * Whether the steps should go on: not after a failure, nor after the
 * first mismatch of a known defect.
 */
static inline bool pvbus_fault_go_on(struct kunit *test,
				     struct pvbus_fault *fi)
{
	return test->status != KUNIT_FAILURE && !fi->mismatches;
}

/* The end of a case: a known defect seen skips it, saying what was seen. */
static inline void pvbus_fault_done(struct kunit *test,
				    struct pvbus_fault *fi)
{
	if (fi->known && fi->mismatches) {
		/* 6.1 prints no reason for a parameter's skip: say it here. */
		kunit_info(test, "KNOWN DEFECT, %s: %s\n", fi->known,
			   fi->first);
		kunit_skip(test, "known defect, %s: %s", fi->known, fi->first);
	}
	if (fi->known)
		kunit_info(test, "known defect no longer seen: %s\n",
			   fi->known);
}

/**
 * pvbus_fault_every_step() - fail each step of a path in turn
 * @test: the test
 * @fi: the fault state
 * @name: the path, for messages
 * @max: the most steps to take
 * @step: runs the path with its @nth step failed (none for 0, when it
 *	records the states the other steps must reach) and returns whether
 *	that fault fired
 * @data: for @step
 *
 * The steps go on until one whose fault did not fire (the path has no
 * more steps), a failure, or the first mismatch of a known defect.  A
 * path whose first fault does not fire fails, having failed nothing,
 * unless @fi says it is unfailable: then one whose first fault fires does.
 */
static inline void pvbus_fault_every_step(struct kunit *test,
					  struct pvbus_fault *fi,
					  const char *name, unsigned int max,
					  bool (*step)(struct kunit *test,
						       void *data,
						       unsigned int nth),
					  void *data)
{
	unsigned int nth;

	for (nth = 0; nth <= max; nth++) {
		bool fired = step(test, data, nth);

		if (!pvbus_fault_go_on(test, fi))
			break;
		if (nth && !fired)
			break;
	}
	pvbus_fault_done(test, fi);
	if (test->status == KUNIT_FAILURE)
		return;
	KUNIT_EXPECT_LE_MSG(test, nth, max, "%s: never completes", name);
	/*
	 * A path none of whose steps could be failed tested nothing, unless
	 * it must not fail: then none may be.
	 */
	if (fi->unfailable)
		KUNIT_EXPECT_EQ_MSG(test, nth, 1U,
				    "%s: a step failed where none may", name);
	else
		KUNIT_EXPECT_GT_MSG(test, nth, 1U,
				    "%s: its first step never failed", name);
	kunit_info(test, "%s: %u steps failed in turn\n", name, nth - 1);
}

/* The value of a debugfs file of failslab, as debugfs_create_*() got it. */
static inline void *pvbus_fault_knob(const char *name)
{
	struct dentry *dir, *d;
	void *p = NULL;

	dir = debugfs_lookup("failslab", NULL);
	if (IS_ERR_OR_NULL(dir))
		return NULL;
	d = debugfs_lookup(name, dir);
	if (!IS_ERR_OR_NULL(d)) {
		p = d_inode(d)->i_private;
		dput(d);
	}
	dput(dir);
	return p;
}

/*
 * Let failslab fail sleeping allocations, without a stack dump for each:
 * as writing 0 to its "ignore-gfp-wait" and "verbose" files.  Returns 0,
 * or -ENOENT without failslab (CONFIG_FAILSLAB,
 * CONFIG_FAULT_INJECTION_DEBUG_FS), nothing changed then.
 */
static inline int pvbus_failslab_quiet(struct pvbus_failslab *fs)
{
	memset(fs, 0, sizeof(*fs));
	fs->ignore_wait = pvbus_fault_knob("ignore-gfp-wait");
	fs->verbose = pvbus_fault_knob("verbose");
	if (!fs->ignore_wait || !fs->verbose) {
		memset(fs, 0, sizeof(*fs));
		return -ENOENT;
	}
	fs->old_ignore_wait = READ_ONCE(*fs->ignore_wait);
	fs->old_verbose = READ_ONCE(*fs->verbose);
	WRITE_ONCE(*fs->ignore_wait, false);
	WRITE_ONCE(*fs->verbose, 0);
	return 0;
}

/* Put failslab's knobs back as pvbus_failslab_quiet() found them. */
static inline void pvbus_failslab_restore(struct pvbus_failslab *fs)
{
	if (fs->ignore_wait)
		WRITE_ONCE(*fs->ignore_wait, fs->old_ignore_wait);
	if (fs->verbose)
		WRITE_ONCE(*fs->verbose, fs->old_verbose);
	memset(fs, 0, sizeof(*fs));
}

/* ---- counting leaks --------------------------------------------------- */

static inline struct pvbus_fault_obj *
pvbus_fault_find(struct pvbus_fault *fi, const void *ptr, bool insert)
{
	unsigned int i = hash_ptr((void *)ptr, PVBUS_FAULT_TRACK_BITS), n;
	struct pvbus_fault_obj *tomb = NULL;

	for (n = 0; n < PVBUS_FAULT_TRACK_SLOTS; n++) {
		struct pvbus_fault_obj *o = &fi->obj[i];

		if (o->ptr == ptr)
			return o;
		if (!o->ptr)
			return insert ? (tomb ?: o) : NULL;
		if (o->ptr == PVBUS_FAULT_TOMB && !tomb)
			tomb = o;
		i = (i + 1) & (PVBUS_FAULT_TRACK_SLOTS - 1);
	}
	return insert ? tomb : NULL;
}

static inline void pvbus_fault_alloced(struct pvbus_fault *fi,
				       const void *ptr, unsigned long site)
{
	struct pvbus_fault_obj *o;
	unsigned long flags;

	if (ZERO_OR_NULL_PTR(ptr) || current != READ_ONCE(fi->task) ||
	    !in_task())
		return;
	raw_spin_lock_irqsave(&fi->lock, flags);
	o = pvbus_fault_find(fi, ptr, true);
	if (!o) {
		fi->full = true;
	} else {
		/* An address seen again was freed where no tracepoint is. */
		if (o->ptr != ptr)
			fi->live++;
		o->ptr = ptr;
		o->site = site;
		fi->allocs++;
	}
	raw_spin_unlock_irqrestore(&fi->lock, flags);
}

static inline void pvbus_fault_freed(struct pvbus_fault *fi, const void *ptr)
{
	struct pvbus_fault_obj *o;
	unsigned long flags;

	if (ZERO_OR_NULL_PTR(ptr) || !READ_ONCE(fi->live))
		return;
	raw_spin_lock_irqsave(&fi->lock, flags);
	o = pvbus_fault_find(fi, ptr, false);
	if (o) {
		o->ptr = PVBUS_FAULT_TOMB;
		fi->live--;
	}
	raw_spin_unlock_irqrestore(&fi->lock, flags);
}

static void pvbus_fault_on_kmalloc(void *data, unsigned long site,
				   const void *ptr, size_t req, size_t got,
				   gfp_t gfp, int node)
{
	pvbus_fault_alloced(data, ptr, site);
}

static void pvbus_fault_on_cache_alloc(void *data, unsigned long site,
				       const void *ptr, struct kmem_cache *s,
				       gfp_t gfp, int node)
{
	pvbus_fault_alloced(data, ptr, site);
}

static void pvbus_fault_on_kfree(void *data, unsigned long site,
				 const void *ptr)
{
	pvbus_fault_freed(data, ptr);
}

static void pvbus_fault_on_cache_free(void *data, unsigned long site,
				      const void *ptr,
				      const struct kmem_cache *s)
{
	pvbus_fault_freed(data, ptr);
}

/* Stop counting for a while; returns what pvbus_fault_track_resume() takes. */
static inline struct task_struct *pvbus_fault_track_pause(struct pvbus_fault *fi)
{
	return xchg(&fi->task, NULL);
}

static inline void pvbus_fault_track_resume(struct pvbus_fault *fi,
					    struct task_struct *task)
{
	WRITE_ONCE(fi->task, task);
}

/* Start counting the test thread's allocations, afresh. */
static inline void pvbus_fault_track_begin(struct pvbus_fault *fi)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&fi->lock, flags);
	memset(fi->obj, 0, PVBUS_FAULT_TRACK_SLOTS * sizeof(*fi->obj));
	fi->live = 0;
	fi->allocs = 0;
	fi->full = false;
	WRITE_ONCE(fi->task, current);
	raw_spin_unlock_irqrestore(&fi->lock, flags);
}

/*
 * Allocations kept by design after the path: the nodes radix_tree_preload()
 * keeps per CPU (idr_preload()), the pool of debug objects.
 */
static inline bool pvbus_fault_pooled(unsigned long site)
{
	static const char * const pools[] = {
		"__radix_tree_preload",
		"fill_pool",
	};
	char name[KSYM_NAME_LEN];
	unsigned int i;

	snprintf(name, sizeof(name), "%ps", (void *)site);
	for (i = 0; i < ARRAY_SIZE(pools); i++)
		if (!strcmp(name, pools[i]))
			return true;
	return false;
}

/*
 * Stop counting; wait for RCU callbacks to free what they free.  Expects
 * nothing to be left; the first few objects left are printed with their
 * call sites.  Returns how many were left.
 */
static inline unsigned int pvbus_fault_track_end(struct kunit *test,
						 struct pvbus_fault *fi,
						 const char *what,
						 unsigned int step)
{
	unsigned int i, shown = 0, live = 0;
	struct pvbus_fault_obj o;
	unsigned long flags;

	WRITE_ONCE(fi->task, NULL);
	/*
	 * destroy_workqueue() of an unbound (or ordered) workqueue drops its
	 * pool workqueues from a work item on system_wq, which frees them and
	 * the workqueue through RCU: wait for that work, then for RCU.
	 * flush_workqueue() would warn at build time for system_wq.
	 */
	__flush_workqueue(system_wq);
	rcu_barrier();
	KUNIT_EXPECT_FALSE_MSG(test, fi->full, "%s: leak table full", what);

	for (i = 0; i < PVBUS_FAULT_TRACK_SLOTS; i++) {
		raw_spin_lock_irqsave(&fi->lock, flags);
		o = fi->obj[i];
		raw_spin_unlock_irqrestore(&fi->lock, flags);
		if (!o.ptr || o.ptr == PVBUS_FAULT_TOMB ||
		    pvbus_fault_pooled(o.site))
			continue;
		live++;
		if (shown++ < PVBUS_FAULT_SHOW)
			kunit_info(test, "%s, step %u: not freed: %p from %pS\n",
				   what, step, o.ptr, (void *)o.site);
	}
	if (live)
		pvbus_fault_mismatch(test, fi,
				     "%s, step %u: %u slab objects not freed",
				     what, step, live);
	return live;
}

/* ---- snapshots -------------------------------------------------------- */

/*
 * /proc/iomem as root reads it, into @buf; returns its length.  What
 * reading it allocates is not counted.
 */
static inline size_t pvbus_fault_iomem(struct pvbus_fault *fi, char *buf)
{
	struct task_struct *task = pvbus_fault_track_pause(fi);
	struct file *file;
	size_t len = 0;
	loff_t pos = 0;
	ssize_t n;

	buf[0] = '\0';
	file = file_open_root_mnt(fi->proc, "iomem", O_RDONLY, 0);
	if (IS_ERR(file))
		goto out;
	while (len < PVBUS_FAULT_SNAP_SIZE - 1) {
		n = kernel_read(file, buf + len, PVBUS_FAULT_SNAP_SIZE - 1 - len,
				&pos);
		if (n <= 0)
			break;
		len += n;
	}
	buf[len] = '\0';
	fput(file);
	/* A kernel thread's last fput() is deferred: finish it now. */
	flush_delayed_fput();
out:
	pvbus_fault_track_resume(fi, task);
	return len;
}

/* A space's map as its debugfs file shows it, into @buf. */
static inline size_t pvbus_fault_map(struct pvbus_mmio_space *space, char *buf)
{
	struct seq_file m = {
		.buf	= buf,
		.size	= PVBUS_FAULT_SNAP_SIZE,
	};

	pvbus_mmio_space_show(&m, space);
	if (m.count >= m.size)
		m.count = m.size - 1;
	buf[m.count] = '\0';
	return m.count;
}

/* The line of @s that @p points into, as a length and a start. */
static inline int pvbus_fault_line(const char *s, const char *p,
				   const char **start)
{
	const char *e;

	while (p > s && p[-1] != '\n')
		p--;
	e = strchrnul(p, '\n');
	*start = p;
	return e - p;
}

/* Expect snapshot @got to equal @want; else show the first line that differs. */
static inline void pvbus_fault_expect_same(struct kunit *test,
					   struct pvbus_fault *fi,
					   const char *which, const char *what,
					   unsigned int step, const char *got,
					   const char *want)
{
	const char *g = got, *w = want, *gs, *ws;
	unsigned int line = 1;
	int gl, wl;

	while (*g && *g == *w) {
		if (*g == '\n')
			line++;
		g++;
		w++;
	}
	if (!*g && !*w)
		return;
	gl = pvbus_fault_line(got, g, &gs);
	wl = pvbus_fault_line(want, w, &ws);
	pvbus_fault_mismatch(test, fi,
			     "%s, step %u: %s differs at line %u:\n  now: %.*s\n  was: %.*s",
			     what, step, which, line, gl, gs, wl, ws);
}

/* A buffer for a snapshot, freed when the case ends. */
static inline char *pvbus_fault_snap_buf(struct kunit *test)
{
	char *buf = kunit_kzalloc(test, PVBUS_FAULT_SNAP_SIZE, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, buf);
	return buf;
}

/**
 * struct pvbus_fault_snaps - what a case compares
 * @base_iomem: /proc/iomem before the case
 * @base_map: the bus's map before the case
 * @before_iomem: /proc/iomem before the path under test
 * @before_map: the map then
 * @after_iomem: /proc/iomem after the path, in a run without faults
 * @after_map: the map then
 * @iomem: /proc/iomem now
 * @map: the map now
 */
struct pvbus_fault_snaps {
	char *base_iomem;
	char *base_map;
	char *before_iomem;
	char *before_map;
	char *after_iomem;
	char *after_map;
	char *iomem;
	char *map;
};

/* For a case's init: a buffer for each snapshot of @s. */
static inline void pvbus_fault_snaps_init(struct kunit *test,
					  struct pvbus_fault_snaps *s)
{
	s->base_iomem = pvbus_fault_snap_buf(test);
	s->base_map = pvbus_fault_snap_buf(test);
	s->before_iomem = pvbus_fault_snap_buf(test);
	s->before_map = pvbus_fault_snap_buf(test);
	s->after_iomem = pvbus_fault_snap_buf(test);
	s->after_map = pvbus_fault_snap_buf(test);
	s->iomem = pvbus_fault_snap_buf(test);
	s->map = pvbus_fault_snap_buf(test);
}

/* ---- the case --------------------------------------------------------- */

/*
 * For a case's init: look up failslab's knobs, mount procfs, register the
 * tracepoint probes.  Returns 0 or an errno; pvbus_fault_exit() undoes
 * what was done either way.
 */
static inline int pvbus_fault_init(struct pvbus_fault *fi)
{
	struct file_system_type *proc;
	int ret;

	memset(fi, 0, sizeof(*fi));
	raw_spin_lock_init(&fi->lock);
	fi->obj = vzalloc(PVBUS_FAULT_TRACK_SLOTS * sizeof(*fi->obj));
	if (!fi->obj)
		return -ENOMEM;

	ret = pvbus_failslab_quiet(&fi->failslab);
	if (ret)
		return ret;

	proc = get_fs_type("proc");
	if (!proc)
		return -ENOENT;
	fi->proc = kern_mount(proc);
	put_filesystem(proc);
	if (IS_ERR(fi->proc)) {
		ret = PTR_ERR(fi->proc);
		fi->proc = NULL;
		return ret;
	}

	ret = register_trace_kmalloc(pvbus_fault_on_kmalloc, fi);
	if (ret)
		return ret;
	ret = register_trace_kmem_cache_alloc(pvbus_fault_on_cache_alloc, fi);
	if (ret)
		goto out_kmalloc;
	ret = register_trace_kfree(pvbus_fault_on_kfree, fi);
	if (ret)
		goto out_cache_alloc;
	ret = register_trace_kmem_cache_free(pvbus_fault_on_cache_free, fi);
	if (ret)
		goto out_kfree;
	fi->registered = true;
	return 0;

out_kfree:
	unregister_trace_kfree(pvbus_fault_on_kfree, fi);
out_cache_alloc:
	unregister_trace_kmem_cache_alloc(pvbus_fault_on_cache_alloc, fi);
out_kmalloc:
	unregister_trace_kmalloc(pvbus_fault_on_kmalloc, fi);
	tracepoint_synchronize_unregister();
	return ret;
}

static inline void pvbus_fault_exit(struct pvbus_fault *fi)
{
	pvbus_fault_disarm();
	WRITE_ONCE(fi->task, NULL);
	if (fi->registered) {
		unregister_trace_kmem_cache_free(pvbus_fault_on_cache_free, fi);
		unregister_trace_kfree(pvbus_fault_on_kfree, fi);
		unregister_trace_kmem_cache_alloc(pvbus_fault_on_cache_alloc,
						  fi);
		unregister_trace_kmalloc(pvbus_fault_on_kmalloc, fi);
		tracepoint_synchronize_unregister();
		fi->registered = false;
	}
	if (fi->proc)
		kern_unmount(fi->proc);
	fi->proc = NULL;
	pvbus_failslab_restore(&fi->failslab);
	vfree(fi->obj);
	fi->obj = NULL;
}

#endif /* _PVBUS_FAULT_TEST_H */
