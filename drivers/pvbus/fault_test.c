// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit fault injection for the pvbus core (pvbus_fault): every allocation
 * of a reservation's rebuild and of a host's attach and detach is made to
 * fail in turn, the 1st, the 2nd, ... until the path runs to its end
 * without reaching the armed one.  After each step the path has either
 * succeeded, and the state is the one a run without faults leaves, or
 * failed cleanly, and the state is the one before it; and once everything
 * is torn down, /proc/iomem and the bus's map (its debugfs "mmio" file,
 * pvbus_mmio_space_show()) are as before the case, and no slab object the
 * step allocated is left.  fault_test.h says how the faults are injected
 * and the leaks counted, and what that does not see.
 *
 * The host cases need a bus root: under kunit.py on UML, boot with
 * pvbus.mmio=16M@0x100000000; without one they are skipped.
 *
 * Copyright (C) 2026 The pvbus developers
 */

#include <kunit/test.h>
#include <linux/err.h>
#include <linux/ioport.h>
#include <linux/pvbus.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uuid.h>

#include "fault_test.h"
#include "kunit_param.h"
#include "pvbus_internal.h"

/* Steps after which a path that still fails is reported as endless. */
#define MAX_STEPS	2000

/* A published space of its own, where nothing else is. */
#define FT_BASE		0x7f0000000000ULL
#define FT_SIZE		SZ_256M

/* In the bus root's window, what the host cases reserve as firmware would. */
#define FT_ROOT_FB	0x100a00000ULL
#define FT_ROOT_FW	0x100800000ULL
#define FT_ROOT_CHURN	0x100fff000ULL

struct ft_ctx {
	struct pvbus_fault fi;
	struct pvbus_fault_snaps snap;
	struct pvbus_mmio_space *root_space;
	unsigned int root_rsv;	/* reservations made in it */
};

static int ft_init(struct kunit *test)
{
	struct ft_ctx *c;
	int ret;

	c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);
	if (!c)
		return -ENOMEM;
	test->priv = c;
	ret = pvbus_fault_init(&c->fi);
	if (ret) {
		kunit_err(test, "fault injection unavailable: %d\n", ret);
		return ret;
	}
	pvbus_fault_snaps_init(test, &c->snap);
	return 0;
}

static void ft_exit(struct kunit *test)
{
	struct ft_ctx *c = test->priv;

	if (!c)
		return;
	if (c->root_rsv > 1)
		pvbus_mmio_unreserve(c->root_space, FT_ROOT_FW, SZ_1M,
				     PVBUS_RSV_FIRMWARE);
	if (c->root_rsv)
		pvbus_mmio_unreserve(c->root_space, FT_ROOT_FB, SZ_2M,
				     PVBUS_RSV_FRAMEBUFFER);
	pvbus_fault_exit(&c->fi);
}

/* Snapshot /proc/iomem and @space's map into @iomem and @map. */
static void ft_snap(struct ft_ctx *c, struct pvbus_mmio_space *space,
		    char *iomem, char *map)
{
	pvbus_fault_iomem(&c->fi, iomem);
	if (map)
		pvbus_fault_map(space, map);
}

/* Expect the state now to be the one in @iomem and @map (NULL: not kept). */
static void ft_expect(struct kunit *test, struct ft_ctx *c,
		      struct pvbus_mmio_space *space, const char *iomem,
		      const char *map, const char *what, unsigned int step)
{
	ft_snap(c, space, c->snap.iomem, map ? c->snap.map : NULL);
	pvbus_fault_expect_same(test, &c->fi, "/proc/iomem", what, step,
				c->snap.iomem, iomem);
	if (map)
		pvbus_fault_expect_same(test, &c->fi, "the bus's map", what,
					step, c->snap.map, map);
}

/* ---- reservation rebuild ---------------------------------------------- */

enum ft_rsv_op {
	FT_RESERVE,
	FT_UNRESERVE,
};

struct ft_space {
	struct pvbus_mmio_space *space;
	struct resource *foreign;
	struct resource *area;
};

/*
 * A published space whose window holds two overlapping framebuffers with
 * a firmware range inside them, a host range, an allocation, and another
 * driver's region: every rebuild takes them all apart and puts them back.
 */
static int ft_space_create(struct ft_space *s)
{
	struct pvbus_mmio_req req = {
		.name = "pvbus-fault bar", .size = SZ_1M, .align = SZ_1M,
		.zone = PVBUS_MMIO_HIGH,
	};
	int ret;

	memset(s, 0, sizeof(*s));
	s->space = pvbus_mmio_space_create("pvbus-fault");
	if (IS_ERR(s->space)) {
		ret = PTR_ERR(s->space);
		s->space = NULL;
		return ret;
	}
	ret = pvbus_mmio_space_publish(s->space);
	if (!ret)
		ret = pvbus_mmio_add_window(s->space, FT_BASE, FT_SIZE);
	if (!ret)
		ret = pvbus_mmio_reserve(s->space, FT_BASE + SZ_16M, SZ_4M,
					 PVBUS_RSV_FRAMEBUFFER, "fb a");
	if (!ret)
		ret = pvbus_mmio_reserve(s->space, FT_BASE + SZ_16M + SZ_2M,
					 SZ_4M, PVBUS_RSV_FRAMEBUFFER, "fb b");
	if (!ret)
		ret = pvbus_mmio_reserve(s->space, FT_BASE + SZ_16M + SZ_1M,
					 SZ_1M, PVBUS_RSV_FIRMWARE, "fw");
	if (!ret)
		ret = pvbus_mmio_reserve(s->space, FT_BASE + SZ_64M, SZ_8M,
					 PVBUS_RSV_HOST, "host");
	if (ret)
		return ret;
	s->foreign = request_mem_region(FT_BASE + SZ_128M + SZ_1M, SZ_1M,
					"pvbus-fault foreign");
	if (!s->foreign)
		return -EBUSY;
	s->area = pvbus_mmio_alloc(s->space, &req);
	if (IS_ERR(s->area)) {
		ret = PTR_ERR(s->area);
		s->area = NULL;
		return ret;
	}
	return 0;
}

static void ft_space_destroy(struct ft_space *s)
{
	if (s->area)
		pvbus_mmio_free(s->space, s->area);
	if (s->foreign)
		release_mem_region(FT_BASE + SZ_128M + SZ_1M, SZ_1M);
	if (s->space)
		pvbus_mmio_space_destroy(s->space);
	memset(s, 0, sizeof(*s));
}

/* The reservation under test: a firmware range over the foreign region. */
static int ft_reserve(struct ft_space *s)
{
	return pvbus_mmio_reserve(s->space, FT_BASE + SZ_128M, SZ_16M,
				  PVBUS_RSV_FIRMWARE, "fault test");
}

static int ft_unreserve(struct ft_space *s)
{
	return pvbus_mmio_unreserve(s->space, FT_BASE + SZ_128M, SZ_16M,
				    PVBUS_RSV_FIRMWARE);
}

/*
 * One step: build the space, run @op with the @nth fault point armed (0:
 * none, and the states are recorded instead of compared), tear down.
 * Returns true if the armed fault point was reached.
 */
static bool ft_rsv_step(struct kunit *test, struct ft_ctx *c,
			enum ft_rsv_op op, unsigned int nth)
{
	bool golden = !nth, fired;
	struct ft_space s;
	const char *what = op == FT_RESERVE ? "reserve" : "unreserve";
	int ret;

	pvbus_fault_track_begin(&c->fi);
	ret = ft_space_create(&s);
	if (!ret && op == FT_UNRESERVE)
		ret = ft_reserve(&s);
	if (ret) {
		ft_space_destroy(&s);
		pvbus_fault_track_end(test, &c->fi, what, nth);
		KUNIT_FAIL(test, "%s, step %u: setting up failed: %d", what,
			   nth, ret);
		return false;
	}
	if (golden)
		ft_snap(c, s.space, c->snap.before_iomem, c->snap.before_map);
	else
		ft_expect(test, c, s.space, c->snap.before_iomem, c->snap.before_map,
			  what, nth);

	pvbus_fault_arm(nth);
	ret = op == FT_RESERVE ? ft_reserve(&s) : ft_unreserve(&s);
	fired = pvbus_fault_disarm();

	if (golden) {
		KUNIT_EXPECT_EQ(test, ret, 0);
		ft_snap(c, s.space, c->snap.after_iomem, c->snap.after_map);
		/* What the others are held to: the op's change. */
		KUNIT_EXPECT_STRNEQ_MSG(test, c->snap.after_map,
					c->snap.before_map,
					"%s changed nothing in the map", what);
	} else if (!ret) {
		ft_expect(test, c, s.space, c->snap.after_iomem, c->snap.after_map,
			  what, nth);
	} else {
		/* Only reserve may fail, and only for want of memory. */
		KUNIT_EXPECT_EQ_MSG(test, op, FT_RESERVE, "step %u", nth);
		KUNIT_EXPECT_EQ_MSG(test, ret, -ENOMEM, "%s, step %u", what,
				    nth);
		ft_expect(test, c, s.space, c->snap.before_iomem, c->snap.before_map,
			  what, nth);
	}

	if (op == FT_RESERVE && !ret)
		ft_unreserve(&s);
	if (op == FT_UNRESERVE && ret)
		ft_unreserve(&s);
	ft_space_destroy(&s);
	ft_expect(test, c, NULL, c->snap.base_iomem, NULL, what, nth);
	pvbus_fault_track_end(test, &c->fi, what, nth);
	return fired;
}

/* ---- host attach and detach ------------------------------------------- */

enum ft_host_op {
	FT_ATTACH,
	FT_DETACH,
};

struct ft_host {
	struct pvbus_host host;
	int connect_err;
	unsigned int connects;
	unsigned int disconnects;
};

/*
 * What the host says is in use: inside the root's window, two of them
 * overlapping, one across the framebuffer the case reserves there.
 */
static const struct pvbus_range ft_host_rsv[] = {
	{ 0x100100000ULL, SZ_1M },
	{ 0x100400000ULL, SZ_2M },
	{ 0x100500000ULL, SZ_2M },
	{ 0x100b80000ULL, SZ_1M },
	{ 0x100f00000ULL, SZ_64K },
};

static int ft_connect(struct pvbus_host *host, struct pvbus_range *rsv,
		      unsigned int max)
{
	struct ft_host *h = container_of(host, struct ft_host, host);

	h->connects++;
	if (h->connect_err)
		return h->connect_err;
	memcpy(rsv, ft_host_rsv, sizeof(ft_host_rsv));
	return ARRAY_SIZE(ft_host_rsv);
}

static int ft_send(struct pvbus_host *host, struct pvbus_device *pdev,
		   const void *msg, size_t len)
{
	return -EIO;
}

static void ft_disconnect(struct pvbus_host *host)
{
	container_of(host, struct ft_host, host)->disconnects++;
}

static const struct pvbus_host_ops ft_host_ops = {
	.connect	= ft_connect,
	.send		= ft_send,
	.disconnect	= ft_disconnect,
};

/* A class no driver binds to. */
static const guid_t ft_class =
	GUID_INIT(0x3b0c55e2, 0x61f4, 0x4c8d,
		  0x9e, 0x27, 0x1a, 0x80, 0x5d, 0x33, 0x6f, 0x04);
static const guid_t ft_instance =
	GUID_INIT(0x3b0c55e2, 0x61f4, 0x4c8d,
		  0x9e, 0x27, 0x1a, 0x80, 0x5d, 0x33, 0x6f, 0x05);

/* The bus root's space; skips the case if there is no root. */
static struct pvbus_mmio_space *ft_root_space(struct kunit *test,
					      struct ft_ctx *c,
					      struct ft_host *h)
{
	struct pvbus_mmio_space *space;
	int ret;

	h->host.name = "pvbus-fault";
	h->host.ops = &ft_host_ops;
	h->host.owner = THIS_MODULE;
	ret = pvbus_host_register(&h->host);
	if (ret == -ENODEV)
		kunit_skip(test, "no pvbus root: boot with pvbus.mmio=16M@0x100000000");
	if (ret == -EBUSY)
		kunit_skip(test, "another pvbus host is attached");
	KUNIT_ASSERT_EQ(test, ret, 0);
	space = h->host.root->space;
	pvbus_host_unregister(&h->host);

	c->root_space = space;
	c->root_rsv = pvbus_mmio_reserve(space, FT_ROOT_FB, SZ_2M,
					 PVBUS_RSV_FRAMEBUFFER,
					 "pvbus-fault fb") == 0;
	KUNIT_ASSERT_TRUE(test, c->root_rsv);
	ret = pvbus_mmio_reserve(space, FT_ROOT_FW, SZ_1M, PVBUS_RSV_FIRMWARE,
				 "pvbus-fault firmware");
	c->root_rsv = 1 + !ret;
	KUNIT_ASSERT_EQ(test, ret, 0);
	return space;
}

/*
 * Every rebuild of the root's window frees the segments that show its
 * reservations and allocates them anew, so those of the reservations that
 * outlive a step were allocated in it.  Rebuild the window once more,
 * uncounted, so that they are replaced; a segment the bus lost track of
 * is not freed by that and still counts.
 */
static void ft_churn(struct kunit *test, struct ft_ctx *c,
		     struct pvbus_mmio_space *space)
{
	struct task_struct *task = pvbus_fault_track_pause(&c->fi);

	KUNIT_EXPECT_EQ(test, pvbus_mmio_reserve(space, FT_ROOT_CHURN, SZ_4K,
						 PVBUS_RSV_FIRMWARE,
						 "pvbus-fault churn"), 0);
	KUNIT_EXPECT_EQ(test, pvbus_mmio_unreserve(space, FT_ROOT_CHURN, SZ_4K,
						   PVBUS_RSV_FIRMWARE), 0);
	pvbus_fault_track_resume(&c->fi, task);
}

static bool ft_host_step(struct kunit *test, struct ft_ctx *c,
			 struct ft_host *h, struct pvbus_mmio_space *space,
			 enum ft_host_op op, unsigned int nth)
{
	const char *what = op == FT_ATTACH ? "attach" : "detach";
	struct pvbus_device *pdev = NULL;
	bool golden = !nth, fired;
	int ret = 0;

	pvbus_fault_track_begin(&c->fi);
	if (op == FT_DETACH) {
		ret = pvbus_host_register(&h->host);
		KUNIT_EXPECT_EQ_MSG(test, ret, 0, "step %u", nth);
		if (!ret)
			pdev = pvbus_host_offer(&h->host, &ft_class,
						&ft_instance, h);
		KUNIT_EXPECT_FALSE_MSG(test, IS_ERR_OR_NULL(pdev),
				       "step %u: offer failed", nth);
		if (IS_ERR(pdev))
			pdev = NULL;
	}
	if (golden)
		ft_snap(c, space, c->snap.before_iomem, c->snap.before_map);
	else
		ft_expect(test, c, space, c->snap.before_iomem, c->snap.before_map, what,
			  nth);

	pvbus_fault_arm(nth);
	if (op == FT_ATTACH)
		ret = pvbus_host_register(&h->host);
	else
		pvbus_host_unregister(&h->host);
	fired = pvbus_fault_disarm();

	if (golden) {
		KUNIT_EXPECT_EQ(test, ret, 0);
		ft_snap(c, space, c->snap.after_iomem, c->snap.after_map);
	} else if (!ret) {
		ft_expect(test, c, space, c->snap.after_iomem, c->snap.after_map, what,
			  nth);
	} else {
		KUNIT_EXPECT_EQ_MSG(test, ret, -ENOMEM, "%s, step %u", what,
				    nth);
		KUNIT_EXPECT_NULL_MSG(test, h->host.root, "%s, step %u", what,
				      nth);
		ft_expect(test, c, space, c->snap.before_iomem, c->snap.before_map,
			  what, nth);
	}

	pvbus_host_unregister(&h->host);
	if (pdev)
		pvbus_host_revoke(pdev);
	KUNIT_EXPECT_EQ_MSG(test, h->connects, h->disconnects,
			    "%s, step %u: connect() and disconnect() unpaired",
			    what, nth);
	h->connects = 0;
	h->disconnects = 0;
	ft_expect(test, c, space, c->snap.base_iomem, c->snap.base_map, what, nth);
	ft_churn(test, c, space);
	pvbus_fault_track_end(test, &c->fi, what, nth);
	return fired;
}

/* ---- the cases -------------------------------------------------------- */

/*
 * @known names a defect that makes the case fail today: the case then
 * stops at the first step that shows it and is skipped with what it saw.
 * @unfailable: the path must not fail, so nothing of it may be failed
 * (pvbus_mmio_unreserve() allocates with __GFP_NOFAIL).
 */
struct ft_case {
	const char *name;
	bool host;
	int op;
	bool unfailable;
	const char *known;
};

static const struct ft_case ft_cases[] = {
	{ "reserve rebuild", false, FT_RESERVE },
	{ "unreserve rebuild", false, FT_UNRESERVE, true },
	{ "host attach", true, FT_ATTACH },
	{ "host detach", true, FT_DETACH },
};

KUNIT_ARRAY_PARAM_DESC(ft, ft_cases, name);

/* A case's path, for pvbus_fault_every_step(). */
struct ft_path {
	struct ft_ctx *c;
	struct ft_host *h;
	struct pvbus_mmio_space *space;
	int op;
};

static bool ft_path_step(struct kunit *test, void *data, unsigned int nth)
{
	struct ft_path *path = data;

	if (path->h)
		return ft_host_step(test, path->c, path->h, path->space,
				    path->op, nth);
	return ft_rsv_step(test, path->c, path->op, nth);
}

/*
 * Fail each allocation of the path in turn.  Step 0 runs it without a
 * fault and records the states the others must reach.
 */
static void fault_every_alloc(struct kunit *test)
{
	const struct ft_case *p = test->param_value;
	struct ft_path path = { .c = test->priv, .op = p->op };

	if (p->host) {
		path.h = kunit_kzalloc(test, sizeof(*path.h), GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, path.h);
		path.space = ft_root_space(test, path.c, path.h);
	}
	ft_snap(path.c, path.space, path.c->snap.base_iomem,
		p->host ? path.c->snap.base_map : NULL);
	path.c->fi.known = p->known;
	path.c->fi.unfailable = p->unfailable;

	pvbus_fault_every_step(test, &path.c->fi, p->name, MAX_STEPS,
			       ft_path_step, &path);
}

/* A host whose connect() fails leaves nothing behind. */
static void fault_connect_fails(struct kunit *test)
{
	struct ft_ctx *c = test->priv;
	struct pvbus_mmio_space *space;
	struct ft_host *h;
	int ret;

	h = kunit_kzalloc(test, sizeof(*h), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, h);
	space = ft_root_space(test, c, h);
	ft_snap(c, space, c->snap.base_iomem, c->snap.base_map);

	pvbus_fault_track_begin(&c->fi);
	h->connect_err = -EIO;
	ret = pvbus_host_register(&h->host);
	KUNIT_EXPECT_EQ(test, ret, -EIO);
	KUNIT_EXPECT_NULL(test, h->host.root);
	ft_expect(test, c, space, c->snap.base_iomem, c->snap.base_map, "connect", 1);
	ft_churn(test, c, space);
	pvbus_fault_track_end(test, &c->fi, "connect", 1);
}

static struct kunit_case pvbus_fault_cases[] = {
	KUNIT_CASE_PARAM(fault_every_alloc, ft_gen_params),
	KUNIT_CASE(fault_connect_fails),
	{}
};

static struct kunit_suite pvbus_fault_suite = {
	.name = "pvbus_fault",
	.init = ft_init,
	.exit = ft_exit,
	.test_cases = pvbus_fault_cases,
};

kunit_test_suite(pvbus_fault_suite);

MODULE_DESCRIPTION("KUnit fault injection for the pvbus core");
MODULE_LICENSE("GPL");
