// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests that drive pci-pvbus on the real bus against a fake host
 * (pci_pvbus_live).
 *
 * The fake host registers with the bus root, offers a paravirtual PCI bus
 * and plays the host's side of <linux/pvbus_pci.h>: it answers requests
 * from send() and emulates the trapped config window through the window
 * ops, with a config space per function whose BARs size like real ones.
 * The driver binds to the offered device, and the cases check what a host
 * and the guest's PCI core would see: the messages in their order, the
 * config window's place, the BARs in config space, the devices on the new
 * root bus, hot add and eject, teardown, and that the bus's MMIO space is
 * left as it was.
 *
 * The suite needs a bus root: under kunit.py on UML, boot with
 * pvbus.mmio=64M@0xc0000000,256M@0x100000000 (--kernel_args).  Without
 * one, or with another host attached, the cases are skipped.  Without a
 * window below 4 GiB, the parts about 32-bit BARs are left out.
 *
 * Copyright (C) 2026 The pvbus developers
 */

#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/err.h>
#include <linux/jiffies.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/pvbus.h>
#include <linux/pvbus_pci.h>
#include <linux/pvbus_wire.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/uuid.h>

#include "pci-pvbus.h"
#include "pci-pvbus-test.h"

#define FAKE_FNS	6
#define FAKE_LOG	128
#define GIB4		0x100000000ULL

/* A class no driver binds to: devices that only ask the bus for MMIO. */
static const guid_t probe_class =
	GUID_INIT(0x0d5e7a41, 0x9b2c, 0x4f3e,
		  0x8a, 0x61, 0x72, 0x5c, 0x0e, 0x9f, 0x11, 0x42);

struct fake_fn {
	bool listed;
	u32 slot;
	u16 vendor;
	u16 device;
	u32 class;
	u32 flags;
	u32 probed[PVBUS_PCI_NR_BARS];
	u64 host_addr[PVBUS_PCI_NR_BARS];
	unsigned long upper;	/* BARs that are upper halves */
	u8 cfg[256];
};

struct fake_log {
	u16 type;
	u32 slot;
};

struct fake {
	struct pvbus_host host;
	struct mutex send_lock;		/* one answer at a time */
	u8 *resp;

	spinlock_t lock;		/* protects everything below */
	u16 max_version;
	unsigned int refuse_d0;
	u32 refuse_assigned;	/* slot + 1, or 0 */
	bool dup_slots;
	bool d0;
	u64 cfg_base;
	u32 selected;
	unsigned int window_errors;
	struct fake_fn fn[FAKE_FNS];
	struct pvbus_pci_assigned assigned[FAKE_FNS];
	struct fake_log log[FAKE_LOG];
	unsigned int nr_log;
};

/* ---- the fake's config space ---------------------------------------- */

static void put32(u8 *p, u32 v)
{
	p[0] = v;
	p[1] = v >> 8;
	p[2] = v >> 16;
	p[3] = v >> 24;
}

static void fake_fn_init(struct fake_fn *fn, u32 slot, u16 device, u32 flags)
{
	memset(fn, 0, sizeof(*fn));
	fn->listed = true;
	fn->slot = slot;
	fn->vendor = 0x1234;
	fn->device = device;
	fn->class = 0x010802;
	fn->flags = flags;
}

/* A memory BAR of @size at index @b; 64-bit ones take @b + 1 too. */
static void fake_bar(struct fake_fn *fn, unsigned int b, u64 size, bool is64,
		     bool pref, u64 host)
{
	u64 mask = ~(size - 1);

	fn->probed[b] = lower_32_bits(mask) |
			(is64 ? PCI_BASE_ADDRESS_MEM_TYPE_64 : 0) |
			(pref ? PCI_BASE_ADDRESS_MEM_PREFETCH : 0);
	fn->host_addr[b] = host;
	if (is64) {
		fn->probed[b + 1] = upper_32_bits(mask);
		fn->upper |= BIT(b + 1);
	}
}

static void fake_cfg_init(struct fake_fn *fn)
{
	unsigned int b;

	memset(fn->cfg, 0, sizeof(fn->cfg));
	put32(fn->cfg + PCI_VENDOR_ID, fn->vendor | fn->device << 16);
	put32(fn->cfg + PCI_CLASS_REVISION, fn->class << 8 | 1);
	put32(fn->cfg + PCI_SUBSYSTEM_VENDOR_ID, fn->vendor | 0x5a5a << 16);
	for (b = 0; b < PVBUS_PCI_NR_BARS; b++) {
		u32 v;

		if (fn->upper & BIT(b))
			v = upper_32_bits(fn->host_addr[b - 1]);
		else if (fn->probed[b])
			v = lower_32_bits(fn->host_addr[b]) |
			    (fn->probed[b] & 0xf);
		else
			v = 0;
		put32(fn->cfg + PCI_BASE_ADDRESS_0 + 4 * b, v);
	}
}

static u32 fake_cfg_read(const struct fake_fn *fn, unsigned int off,
			 unsigned int size)
{
	unsigned int i;
	u32 v = 0;

	for (i = 0; i < size; i++)
		if (off + i < sizeof(fn->cfg))
			v |= (u32)fn->cfg[off + i] << (8 * i);
	return v;
}

static void fake_cfg_write(struct fake_fn *fn, unsigned int off,
			   unsigned int size, u32 val)
{
	unsigned int i, b;

	if (off >= PCI_BASE_ADDRESS_0 && off <= PCI_BASE_ADDRESS_5) {
		b = (off - PCI_BASE_ADDRESS_0) / 4;
		if (size != 4)
			return;
		if (fn->upper & BIT(b))
			val &= fn->probed[b];
		else if (fn->probed[b])
			val = (val & fn->probed[b] & ~0xfU) |
			      (fn->probed[b] & 0xf);
		else
			val = 0;
		put32(fn->cfg + off, val);
		return;
	}
	/* Read-only: ids, status, class, header type, subsystem, ROM, pin. */
	if (off < PCI_COMMAND || (off >= PCI_STATUS && off < PCI_CACHE_LINE_SIZE) ||
	    off == PCI_HEADER_TYPE ||
	    (off >= PCI_CARDBUS_CIS && off < PCI_CAPABILITY_LIST) ||
	    off == PCI_INTERRUPT_PIN || off >= sizeof(fn->cfg))
		return;
	for (i = 0; i < size; i++)
		fn->cfg[off + i] = val >> (8 * i);
}

static struct fake_fn *fake_find(struct fake *f, u32 slot)
{
	unsigned int i;

	for (i = 0; i < FAKE_FNS; i++)
		if (f->fn[i].listed && f->fn[i].slot == slot)
			return &f->fn[i];
	return NULL;
}

/* The trapped config window, emulated. */
static int fake_window(struct fake *f, u64 addr, unsigned int size, u32 *val,
		       bool write)
{
	struct fake_fn *fn;
	unsigned long flags;
	int ret = 0;
	u64 off;

	spin_lock_irqsave(&f->lock, flags);
	off = addr - f->cfg_base;
	if (!f->d0 || addr < f->cfg_base ||
	    off + size > PVBUS_PCI_CFG_WINDOW_SIZE || off & (size - 1)) {
		f->window_errors++;
		ret = -EINVAL;
	} else if (off < PVBUS_PCI_CFG_SPACE) {
		if (off == PVBUS_PCI_CFG_SELECT && size == 4 && write)
			f->selected = *val;
		else if (!write)
			*val = off == PVBUS_PCI_CFG_SELECT ? f->selected : 0;
	} else {
		fn = fake_find(f, f->selected);
		off -= PVBUS_PCI_CFG_SPACE;
		if (!fn && !write)
			*val = ~0U >> (32 - 8 * size);
		else if (fn && write)
			fake_cfg_write(fn, off, size, *val);
		else if (fn)
			*val = fake_cfg_read(fn, off, size);
	}
	spin_unlock_irqrestore(&f->lock, flags);
	return ret;
}

static int fake_window_read(struct pvbus_host *host, struct pvbus_device *pdev,
			    u64 addr, unsigned int size, u32 *val)
{
	return fake_window(container_of(host, struct fake, host), addr, size,
			   val, false);
}

static int fake_window_write(struct pvbus_host *host,
			     struct pvbus_device *pdev, u64 addr,
			     unsigned int size, u32 val)
{
	return fake_window(container_of(host, struct fake, host), addr, size,
			   &val, true);
}

/* ---- the fake's answers --------------------------------------------- */

static void fake_log(struct fake *f, u16 type, u32 slot)
{
	unsigned long flags;

	spin_lock_irqsave(&f->lock, flags);
	if (f->nr_log < FAKE_LOG) {
		f->log[f->nr_log].type = type;
		f->log[f->nr_log].slot = slot;
		f->nr_log++;
	}
	spin_unlock_irqrestore(&f->lock, flags);
}

static size_t fake_relations(struct fake *f, u8 *buf, u16 type, u16 version)
{
	struct pvbus_pci_relations *rel = (void *)buf;
	unsigned long flags;
	unsigned int i, n = 0;
	size_t len;

	spin_lock_irqsave(&f->lock, flags);
	for (i = 0; i < FAKE_FNS; i++) {
		struct pvbus_pci_function *p = &rel->fn[n];
		struct fake_fn *fn = &f->fn[i];

		if (!fn->listed)
			continue;
		memset(p, 0, sizeof(*p));
		p->slot = cpu_to_le32(fn->slot);
		p->vendor = cpu_to_le16(fn->vendor);
		p->device = cpu_to_le16(fn->device);
		p->class = cpu_to_le32(fn->class);
		p->revision = 1;
		p->subsys_vendor = cpu_to_le16(fn->vendor);
		p->subsys_device = cpu_to_le16(0x5a5a);
		p->serial = cpu_to_le32(100 + i);
		if (version >= PVBUS_PCI_VERSION_1_1)
			p->flags = cpu_to_le32(fn->flags);
		if (f->dup_slots && n)
			p->slot = rel->fn[0].slot;
		n++;
	}
	spin_unlock_irqrestore(&f->lock, flags);

	len = struct_size(rel, fn, n);
	pvbus_msg_init(&rel->hdr, type, version, len);
	rel->hdr.flags = cpu_to_le32(type == PVBUS_PCI_MSG_RELATIONS_CHANGED ?
				     PVBUS_MSG_F_NOTIFY : PVBUS_MSG_F_RESPONSE);
	rel->count = cpu_to_le32(n);
	rel->reserved = 0;
	return len;
}

static size_t fake_resources(struct fake *f, u8 *buf, u32 slot, u16 version)
{
	struct pvbus_pci_resources *r = (void *)buf;
	struct fake_fn *fn;
	unsigned long flags;
	unsigned int b;

	memset(r, 0, sizeof(*r));
	pvbus_msg_init(&r->hdr, PVBUS_PCI_MSG_QUERY_RESOURCES, version,
		       sizeof(*r));
	r->slot = cpu_to_le32(slot);
	spin_lock_irqsave(&f->lock, flags);
	fn = fake_find(f, slot);
	for (b = 0; fn && b < PVBUS_PCI_NR_BARS; b++) {
		r->bar[b].probed = cpu_to_le32(fn->probed[b]);
		if (fn->flags & PVBUS_PCI_FN_PRESERVE &&
		    !(fn->upper & BIT(b)))
			r->bar[b].host_addr = cpu_to_le64(fn->host_addr[b]);
	}
	spin_unlock_irqrestore(&f->lock, flags);
	return fn ? sizeof(*r) : 0;
}

static int fake_send(struct pvbus_host *host, struct pvbus_device *pdev,
		     const void *msg, size_t len)
{
	struct fake *f = container_of(host, struct fake, host);
	const struct pvbus_msg_hdr *req = msg;
	u16 type = le16_to_cpu(req->type);
	u16 version = le16_to_cpu(req->version);
	const struct pvbus_pci_d0_entry *d0 = msg;
	struct pvbus_msg_hdr *resp;
	u32 status = 0, slot = ~0U;
	unsigned long flags;
	size_t rlen = len;

	if (len >= sizeof(struct pvbus_pci_slot_msg) &&
	    type != PVBUS_PCI_MSG_QUERY_VERSION &&
	    type != PVBUS_PCI_MSG_D0_ENTRY)
		slot = le32_to_cpu(((const struct pvbus_pci_slot_msg *)msg)->slot);
	fake_log(f, type, slot);

	mutex_lock(&f->send_lock);
	resp = (void *)f->resp;
	memcpy(f->resp, msg, min_t(size_t, len, PVBUS_MSG_MAX_LEN));

	switch (type) {
	case PVBUS_PCI_MSG_QUERY_VERSION:
		if (version > f->max_version)
			status = PVBUS_STATUS_UNSUPPORTED;
		break;
	case PVBUS_PCI_MSG_D0_ENTRY:
		spin_lock_irqsave(&f->lock, flags);
		if (f->refuse_d0) {
			f->refuse_d0--;
			status = PVBUS_STATUS_BUSY;
		} else {
			f->d0 = true;
			f->cfg_base = le64_to_cpu(d0->cfg_base);
		}
		spin_unlock_irqrestore(&f->lock, flags);
		break;
	case PVBUS_PCI_MSG_D0_EXIT:
		spin_lock_irqsave(&f->lock, flags);
		f->d0 = false;
		spin_unlock_irqrestore(&f->lock, flags);
		break;
	case PVBUS_PCI_MSG_QUERY_RELATIONS:
		rlen = fake_relations(f, f->resp, type, version);
		break;
	case PVBUS_PCI_MSG_QUERY_RESOURCES:
		rlen = fake_resources(f, f->resp, slot, version);
		if (!rlen) {
			status = PVBUS_STATUS_NOT_FOUND;
			rlen = len;
		}
		break;
	case PVBUS_PCI_MSG_ASSIGNED_RESOURCES:
		spin_lock_irqsave(&f->lock, flags);
		if (f->refuse_assigned == slot + 1)
			status = PVBUS_STATUS_REFUSED;
		else if (fake_find(f, slot))
			memcpy(&f->assigned[fake_find(f, slot) - f->fn], msg,
			       sizeof(f->assigned[0]));
		spin_unlock_irqrestore(&f->lock, flags);
		break;
	default:
		break;
	}

	resp->trans_id = req->trans_id;
	resp->flags = cpu_to_le32(PVBUS_MSG_F_RESPONSE);
	if (status) {
		rlen = sizeof(*resp);
		resp->status = cpu_to_le32(status);
	}
	resp->len = cpu_to_le32(rlen);
	pvbus_channel_receive(pdev->chan, f->resp, rlen);
	mutex_unlock(&f->send_lock);
	return 0;
}

static const struct pvbus_host_ops fake_ops = {
	.send		= fake_send,
	.window_read	= fake_window_read,
	.window_write	= fake_window_write,
};

/* ---- fixtures ------------------------------------------------------- */

static void fake_unregister(void *data)
{
	struct fake *f = data;

	pvbus_host_unregister(&f->host);
	kfree(f->resp);
	kfree(f);
}

static struct fake *fake_create(struct kunit *test)
{
	struct fake *f;
	int ret;

	f = kzalloc(sizeof(*f), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, f);
	f->resp = kzalloc(PVBUS_MSG_MAX_LEN, GFP_KERNEL);
	if (!f->resp) {
		kfree(f);
		KUNIT_ASSERT_FAILURE(test, "no memory");
	}
	mutex_init(&f->send_lock);
	spin_lock_init(&f->lock);
	f->max_version = PVBUS_PCI_VERSION_MAX;
	f->host.name = "pci-pvbus-test";
	f->host.ops = &fake_ops;
	f->host.owner = THIS_MODULE;

	ret = pvbus_host_register(&f->host);
	if (ret) {
		kfree(f->resp);
		kfree(f);
		if (ret == -ENODEV)
			kunit_skip(test,
				   "no pvbus root: boot with pvbus.mmio=64M@0xc0000000,256M@0x100000000");
		if (ret == -EBUSY)
			kunit_skip(test, "another pvbus host is attached");
		KUNIT_ASSERT_EQ(test, ret, 0);
	}
	KUNIT_ASSERT_EQ(test, pci_pvbus_test_defer(test, fake_unregister, f),
			0);
	return f;
}

static void revoke(void *data)
{
	pvbus_host_revoke(data);
}

static struct pvbus_device *offer(struct kunit *test, struct fake *f,
				  const guid_t *class, u8 id)
{
	struct pvbus_device *pdev;
	guid_t inst = GUID_INIT(0x6c1e0000 | id, 0x42a1, 0x4d0b,
				0x5a, id, 0x3e, 0x77, 0x10, 0x02, 0x00, id);

	pdev = pvbus_host_offer(&f->host, class, &inst, f);
	KUNIT_ASSERT_FALSE(test, IS_ERR(pdev));
	KUNIT_ASSERT_EQ(test, pci_pvbus_test_defer(test, revoke, pdev), 0);
	return pdev;
}

/* Revoke now; the deferred revoke only drops the reference taken here. */
static void unoffer(struct pvbus_device *pdev)
{
	get_device(&pdev->dev);
	pvbus_host_revoke(pdev);
}

/* Where the bus would put 8 KiB above and below 4 GiB, right now. */
struct space_mark {
	u64 high;
	u64 low;	/* 0: no window below 4 GiB */
};

static u64 try_alloc(struct pvbus_device *pdev, enum pvbus_mmio_zone zone,
		     u64 size, u64 align)
{
	struct pvbus_mmio_req req = {
		.name = "pci-pvbus-test probe", .size = size, .align = align,
		.zone = zone,
	};
	struct resource *res = pvbus_device_mmio_alloc(pdev, &req);
	u64 start;

	if (IS_ERR(res))
		return 0;
	start = res->start;
	pvbus_device_mmio_free(pdev, res);
	return start;
}

static void space_mark(struct kunit *test, struct fake *f,
		       struct space_mark *m, u8 id)
{
	struct pvbus_device *probe = offer(test, f, &probe_class, id);

	m->high = try_alloc(probe, PVBUS_MMIO_HIGH, SZ_8K, SZ_4K);
	m->low = try_alloc(probe, PVBUS_MMIO_LOW, SZ_8K, SZ_4K);
	unoffer(probe);
	KUNIT_ASSERT_NE_MSG(test, m->high, 0ULL,
			    "the bus has no room above 4 GiB");
}

/* A free 1M above 4 GiB that stays free after the config window. */
static u64 free_high_1m(struct kunit *test, struct fake *f, u8 id)
{
	struct pvbus_device *probe = offer(test, f, &probe_class, id);
	struct pvbus_mmio_req req = {
		.name = "pci-pvbus-test cfg", .size = SZ_8K, .align = SZ_4K,
		.zone = PVBUS_MMIO_HIGH,
	};
	struct resource *cfg = pvbus_device_mmio_alloc(probe, &req);
	u64 addr;

	KUNIT_ASSERT_FALSE(test, IS_ERR(cfg));
	addr = try_alloc(probe, PVBUS_MMIO_HIGH, SZ_1M, SZ_1M);
	pvbus_device_mmio_free(probe, cfg);
	unoffer(probe);
	KUNIT_ASSERT_NE(test, addr, 0ULL);
	return addr;
}

static struct pci_pvbus *bus_of(struct pvbus_device *pdev)
{
	return dev_get_drvdata(&pdev->dev);
}

static unsigned int count_log(struct fake *f, u16 type, u32 slot)
{
	unsigned long flags;
	unsigned int i, n = 0;

	spin_lock_irqsave(&f->lock, flags);
	for (i = 0; i < f->nr_log; i++)
		if (f->log[i].type == type &&
		    (slot == ~0U || f->log[i].slot == slot))
			n++;
	spin_unlock_irqrestore(&f->lock, flags);
	return n;
}

/* Wait for the host to have seen @n requests of @type for @slot. */
static bool wait_log(struct fake *f, u16 type, u32 slot, unsigned int n)
{
	unsigned long end = jiffies + 10 * HZ;

	while (count_log(f, type, slot) < n) {
		if (time_after(jiffies, end))
			return false;
		msleep(20);
	}
	return true;
}

static void expect_log(struct kunit *test, struct fake *f,
		       const u16 *types, unsigned int n)
{
	unsigned int i;

	KUNIT_ASSERT_EQ(test, f->nr_log, n);
	for (i = 0; i < n; i++)
		KUNIT_EXPECT_EQ_MSG(test, f->log[i].type, types[i],
				    "request %u", i);
}

static struct pci_dev *get_fn(struct pci_pvbus *pb, u32 slot)
{
	return pci_get_domain_bus_and_slot(pb->domain, pb->busnr, slot);
}

static unsigned int count_devices(struct pci_pvbus *pb)
{
	unsigned int devfn, n = 0;
	struct pci_dev *pdev;

	for (devfn = 0; devfn <= PVBUS_PCI_MAX_SLOT; devfn++) {
		pdev = get_fn(pb, devfn);
		if (pdev)
			n++;
		pci_dev_put(pdev);
	}
	return n;
}

/*
 * BAR @b of the function in @slot: claimed, where config space says, and
 * where the host was told; returns its start.
 */
static u64 check_bar(struct kunit *test, struct fake *f, struct pci_pvbus *pb,
		     u32 slot, unsigned int b, u64 size)
{
	struct fake_fn *fn = fake_find(f, slot);
	struct pci_dev *pdev = get_fn(pb, slot);
	struct resource *r;
	u32 lo, hi = 0;
	u64 start;

	KUNIT_ASSERT_NOT_NULL(test, fn);
	KUNIT_ASSERT_NOT_NULL_MSG(test, pdev, "no device in slot %#x", slot);
	r = &pdev->resource[b];
	start = r->start;
	KUNIT_EXPECT_NOT_NULL_MSG(test, r->parent, "%#x BAR %u unclaimed",
				  slot, b);
	KUNIT_EXPECT_EQ(test, (u64)resource_size(r), size);
	KUNIT_EXPECT_EQ(test, start % size, 0ULL);

	pci_read_config_dword(pdev, PCI_BASE_ADDRESS_0 + 4 * b, &lo);
	if (r->flags & IORESOURCE_MEM_64)
		pci_read_config_dword(pdev, PCI_BASE_ADDRESS_0 + 4 * b + 4,
				      &hi);
	KUNIT_EXPECT_EQ(test, (u64)hi << 32 | (lo & PCI_BASE_ADDRESS_MEM_MASK),
			start);
	KUNIT_EXPECT_EQ(test,
			le64_to_cpu(f->assigned[fn - f->fn].addr[b]), start);
	pci_dev_put(pdev);
	return start;
}

static bool overlaps(u64 s1, u64 e1, u64 s2, u64 e2)
{
	return s1 <= e2 && s2 <= e1;
}

static void notify(struct kunit *test, struct fake *f,
		   struct pvbus_device *pdev, u16 type, u32 slot)
{
	u8 *buf = kunit_kzalloc(test, PVBUS_MSG_MAX_LEN, GFP_KERNEL);
	struct pvbus_pci_slot_msg *m = (void *)buf;
	size_t len;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	if (type == PVBUS_PCI_MSG_RELATIONS_CHANGED) {
		len = fake_relations(f, buf, type, bus_of(pdev)->version);
	} else {
		len = sizeof(*m);
		pvbus_msg_init(&m->hdr, type, bus_of(pdev)->version, len);
		m->hdr.flags = cpu_to_le32(PVBUS_MSG_F_NOTIFY);
		m->slot = cpu_to_le32(slot);
	}
	KUNIT_ASSERT_EQ(test, pvbus_channel_receive(pdev->chan, buf, len), 0);
}

/* ---- the cases ------------------------------------------------------ */

static void restore_slack(void *data)
{
	WRITE_ONCE(pci_pvbus_slack[PCI_PVBUS_HIGH], (unsigned long)data);
}

/* A bus with three functions, eject, hot add twice, remove. */
static void live_bus(struct kunit *test)
{
	struct fake *f = fake_create(test);
	struct space_mark before, after;
	struct pvbus_device *pdev;
	struct pci_pvbus *pb;
	u64 host, a0, a2, d0;
	unsigned int i;
	void *old_slack;
	bool low;

	/* 4M of slack: the case fits the 16M of a small bus root. */
	old_slack = (void *)(unsigned long)pci_pvbus_slack[PCI_PVBUS_HIGH];
	KUNIT_ASSERT_EQ(test, pci_pvbus_test_defer(test, restore_slack,
						   old_slack), 0);
	WRITE_ONCE(pci_pvbus_slack[PCI_PVBUS_HIGH], SZ_4M);

	space_mark(test, f, &before, 1);
	low = before.low;
	host = free_high_1m(test, f, 2);

	/* 00.0: 64-bit 16K, 64-bit prefetchable 4M, 32-bit 1M. */
	fake_fn_init(&f->fn[0], 0x00, 0xa000, 0);
	fake_bar(&f->fn[0], 0, SZ_16K, true, false, 0);
	fake_bar(&f->fn[0], 2, SZ_4M, true, true, 0);
	if (low)
		fake_bar(&f->fn[0], 4, SZ_1M, false, false, 0);
	/* 01.1, without a function 0 in its slot: 64-bit 64K. */
	fake_fn_init(&f->fn[1], 0x09, 0xa001, 0);
	fake_bar(&f->fn[1], 0, SZ_64K, true, false, 0);
	/* 02.0, preserved: its 1M BAR stays where the host put it. */
	fake_fn_init(&f->fn[2], 0x10, 0xa002, PVBUS_PCI_FN_PRESERVE);
	fake_bar(&f->fn[2], 0, SZ_1M, true, false, host);
	for (i = 0; i < 3; i++)
		fake_cfg_init(&f->fn[i]);

	pdev = offer(test, f, &PVBUS_PCI_CLASS, 3);
	pb = bus_of(pdev);
	KUNIT_ASSERT_NOT_NULL_MSG(test, pdev->dev.driver, "pci-pvbus did not bind");
	KUNIT_ASSERT_NOT_NULL(test, pb);
	KUNIT_EXPECT_EQ(test, pb->version, (u16)PVBUS_PCI_VERSION_1_1);
	KUNIT_EXPECT_EQ(test, f->window_errors, 0U);
	{
		static const u16 order[] = {
			PVBUS_PCI_MSG_QUERY_VERSION,
			PVBUS_PCI_MSG_QUERY_RELATIONS,
			PVBUS_PCI_MSG_QUERY_RESOURCES,
			PVBUS_PCI_MSG_QUERY_RESOURCES,
			PVBUS_PCI_MSG_QUERY_RESOURCES,
			PVBUS_PCI_MSG_D0_ENTRY,
			PVBUS_PCI_MSG_ASSIGNED_RESOURCES,
			PVBUS_PCI_MSG_ASSIGNED_RESOURCES,
			PVBUS_PCI_MSG_ASSIGNED_RESOURCES,
		};

		expect_log(test, f, order, ARRAY_SIZE(order));
	}

	/* The config window: above 4 GiB, busy, told to the host. */
	KUNIT_ASSERT_NOT_NULL(test, pb->cfg);
	KUNIT_EXPECT_GE(test, (u64)pb->cfg->start, GIB4);
	KUNIT_EXPECT_EQ(test, (u64)pb->cfg->start % SZ_4K, 0ULL);
	KUNIT_EXPECT_EQ(test, (u64)resource_size(pb->cfg),
			(u64)PVBUS_PCI_CFG_WINDOW_SIZE);
	KUNIT_EXPECT_EQ(test, f->cfg_base, (u64)pb->cfg->start);
	KUNIT_ASSERT_NOT_NULL(test, pb->cfg_busy);
	KUNIT_EXPECT_TRUE(test, pb->cfg_busy->flags & IORESOURCE_BUSY);
	KUNIT_EXPECT_PTR_EQ(test, pb->cfg_busy->parent, pb->cfg);
	KUNIT_EXPECT_EQ(test, before.high, (u64)pb->cfg->start);

	/* Config space is never BAR space. */
	for (i = 0; i < pb->nr_win; i++) {
		struct resource *r = &pb->win[i].res;

		if (pb->win[i].alloc)
			KUNIT_EXPECT_FALSE(test, overlaps(r->start, r->end,
							  pb->cfg->start,
							  pb->cfg->end));
	}

	/* Exactly the listed functions, at the devfns the host gave. */
	KUNIT_ASSERT_NOT_NULL(test, pb->bus);
	KUNIT_EXPECT_NE(test, pb->domain + pb->busnr, 0);
	KUNIT_EXPECT_EQ(test, count_devices(pb), 3U);

	/* BARs: planned, claimed, in config space, told to the host. */
	a0 = check_bar(test, f, pb, 0x00, 0, SZ_16K);
	a2 = check_bar(test, f, pb, 0x00, 2, SZ_4M);
	KUNIT_EXPECT_GE(test, a0, GIB4);
	KUNIT_EXPECT_GE(test, a2, GIB4);
	{
		struct pci_dev *p = get_fn(pb, 0x00);

		KUNIT_ASSERT_NOT_NULL(test, p);
		KUNIT_EXPECT_TRUE(test, p->resource[2].flags &
				  IORESOURCE_PREFETCH);
		KUNIT_EXPECT_TRUE(test, p->resource[2].flags &
				  IORESOURCE_MEM_64);
		pci_dev_put(p);
	}
	/* Largest first: the 4M BAR at the window's start, 16K after. */
	KUNIT_EXPECT_EQ(test, a0, a2 + SZ_4M + SZ_64K);
	if (low)
		KUNIT_EXPECT_LT(test, check_bar(test, f, pb, 0x00, 4, SZ_1M),
				GIB4);
	KUNIT_EXPECT_GE(test, check_bar(test, f, pb, 0x09, 0, SZ_64K), GIB4);
	KUNIT_EXPECT_EQ(test, check_bar(test, f, pb, 0x10, 0, SZ_1M), host);

	/* Eject 01.1. */
	notify(test, f, pdev, PVBUS_PCI_MSG_EJECT, 0x09);
	KUNIT_ASSERT_TRUE(test, wait_log(f, PVBUS_PCI_MSG_EJECT_COMPLETE, 0x09,
					 1));
	KUNIT_EXPECT_EQ(test, count_devices(pb), 2U);
	KUNIT_EXPECT_NULL(test, get_fn(pb, 0x09));
	f->fn[1].listed = false;

	/* Hot add 03.0 with a 2M BAR: it fits in the 4M slack. */
	fake_fn_init(&f->fn[3], 0x18, 0xa003, 0);
	fake_bar(&f->fn[3], 0, SZ_2M, true, false, 0);
	fake_cfg_init(&f->fn[3]);
	notify(test, f, pdev, PVBUS_PCI_MSG_RELATIONS_CHANGED, 0);
	KUNIT_ASSERT_TRUE(test, wait_log(f, PVBUS_PCI_MSG_ASSIGNED_RESOURCES,
					 0x18, 1));
	d0 = check_bar(test, f, pb, 0x18, 0, SZ_2M);
	KUNIT_EXPECT_GE(test, d0, a2);
	KUNIT_EXPECT_EQ(test, d0, a2 + SZ_4M + SZ_2M);
	KUNIT_EXPECT_EQ(test, count_devices(pb), 3U);

	/* Hot add 04.0 with a 32-bit BAR: no slack below, a new window. */
	if (low) {
		unsigned int before_win = 0, after_win = 0;

		for (i = 0; i < pb->nr_win; i++)
			before_win += !!pb->win[i].alloc;
		fake_fn_init(&f->fn[4], 0x20, 0xa004, 0);
		fake_bar(&f->fn[4], 1, SZ_256K, false, false, 0);
		fake_cfg_init(&f->fn[4]);
		notify(test, f, pdev, PVBUS_PCI_MSG_RELATIONS_CHANGED, 0);
		KUNIT_ASSERT_TRUE(test,
				  wait_log(f, PVBUS_PCI_MSG_ASSIGNED_RESOURCES,
					   0x20, 1));
		KUNIT_EXPECT_LT(test, check_bar(test, f, pb, 0x20, 1, SZ_256K),
				GIB4);
		for (i = 0; i < pb->nr_win; i++)
			after_win += !!pb->win[i].alloc;
		KUNIT_EXPECT_EQ(test, after_win, before_win + 1);

		/* Ejected, it gives the window grown for it back. */
		notify(test, f, pdev, PVBUS_PCI_MSG_EJECT, 0x20);
		KUNIT_ASSERT_TRUE(test,
				  wait_log(f, PVBUS_PCI_MSG_EJECT_COMPLETE,
					   0x20, 1));
		f->fn[4].listed = false;
		for (i = 0, after_win = 0; i < pb->nr_win; i++)
			after_win += !!pb->win[i].alloc;
		KUNIT_EXPECT_EQ(test, after_win, before_win);
		KUNIT_EXPECT_EQ(test, count_devices(pb), 3U);
	}

	/* A host that ejects what it never listed is ignored. */
	notify(test, f, pdev, PVBUS_PCI_MSG_EJECT, 0x77);
	msleep(50);
	KUNIT_EXPECT_EQ(test, count_log(f, PVBUS_PCI_MSG_EJECT_COMPLETE, 0x77),
			0U);
	KUNIT_EXPECT_EQ(test, f->window_errors, 0U);

	/* Remove: resources released, then D0 exit; the space as it was. */
	f->nr_log = 0;
	unoffer(pdev);
	KUNIT_EXPECT_EQ(test, count_log(f, PVBUS_PCI_MSG_RELEASED_RESOURCES,
					~0U), 3U);
	KUNIT_ASSERT_GE(test, f->nr_log, 1U);
	KUNIT_EXPECT_EQ(test, f->log[f->nr_log - 1].type,
			(u16)PVBUS_PCI_MSG_D0_EXIT);
	KUNIT_EXPECT_FALSE(test, f->d0);

	space_mark(test, f, &after, 4);
	KUNIT_EXPECT_EQ(test, after.high, before.high);
	KUNIT_EXPECT_EQ(test, after.low, before.low);
}

/* A host that speaks only 1.0. */
static void live_version_fallback(struct kunit *test)
{
	static const u16 order[] = {
		PVBUS_PCI_MSG_QUERY_VERSION,
		PVBUS_PCI_MSG_QUERY_VERSION,
		PVBUS_PCI_MSG_QUERY_RELATIONS,
		PVBUS_PCI_MSG_QUERY_RESOURCES,
		PVBUS_PCI_MSG_D0_ENTRY,
		PVBUS_PCI_MSG_ASSIGNED_RESOURCES,
	};
	struct fake *f = fake_create(test);
	struct pvbus_device *pdev;

	f->max_version = PVBUS_PCI_VERSION_1_0;
	fake_fn_init(&f->fn[0], 0x00, 0xb000, PVBUS_PCI_FN_PRESERVE);
	fake_bar(&f->fn[0], 0, SZ_64K, true, false, 0);
	fake_cfg_init(&f->fn[0]);

	pdev = offer(test, f, &PVBUS_PCI_CLASS, 5);
	KUNIT_ASSERT_NOT_NULL(test, bus_of(pdev));
	KUNIT_EXPECT_EQ(test, bus_of(pdev)->version,
			(u16)PVBUS_PCI_VERSION_1_0);
	expect_log(test, f, order, ARRAY_SIZE(order));
	check_bar(test, f, bus_of(pdev), 0x00, 0, SZ_64K);
}

/* A host still holding a crashed kernel's state: exit D0 and retry. */
static void live_d0_retry(struct kunit *test)
{
	static const u16 order[] = {
		PVBUS_PCI_MSG_QUERY_VERSION,
		PVBUS_PCI_MSG_QUERY_RELATIONS,
		PVBUS_PCI_MSG_QUERY_RESOURCES,
		PVBUS_PCI_MSG_D0_ENTRY,
		PVBUS_PCI_MSG_RELEASED_RESOURCES,
		PVBUS_PCI_MSG_D0_EXIT,
		PVBUS_PCI_MSG_D0_ENTRY,
		PVBUS_PCI_MSG_ASSIGNED_RESOURCES,
	};
	struct fake *f = fake_create(test);
	struct pvbus_device *pdev;

	f->refuse_d0 = 1;
	fake_fn_init(&f->fn[0], 0x00, 0xc000, 0);
	fake_bar(&f->fn[0], 0, SZ_64K, true, false, 0);
	fake_cfg_init(&f->fn[0]);

	pdev = offer(test, f, &PVBUS_PCI_CLASS, 6);
	KUNIT_ASSERT_NOT_NULL(test, bus_of(pdev));
	expect_log(test, f, order, ARRAY_SIZE(order));
	KUNIT_EXPECT_TRUE(test, f->d0);
}

/* A function whose BARs make no sense is left out, but can be ejected. */
static void live_left_out(struct kunit *test)
{
	struct fake *f = fake_create(test);
	struct pvbus_device *pdev;
	struct pci_pvbus *pb;

	fake_fn_init(&f->fn[0], 0x00, 0xe000, 0);
	fake_bar(&f->fn[0], 0, SZ_64K, true, false, 0);
	fake_cfg_init(&f->fn[0]);
	fake_fn_init(&f->fn[1], 0x08, 0xe001, 0);
	f->fn[1].probed[0] = 0xffe0a000;	/* not a power of two */
	fake_cfg_init(&f->fn[1]);

	pdev = offer(test, f, &PVBUS_PCI_CLASS, 12);
	pb = bus_of(pdev);
	KUNIT_ASSERT_NOT_NULL(test, pb);
	KUNIT_EXPECT_EQ(test, count_devices(pb), 1U);
	KUNIT_EXPECT_EQ(test, count_log(f, PVBUS_PCI_MSG_QUERY_RESOURCES, ~0U),
			2U);
	KUNIT_EXPECT_EQ(test, count_log(f, PVBUS_PCI_MSG_ASSIGNED_RESOURCES,
					~0U), 1U);

	notify(test, f, pdev, PVBUS_PCI_MSG_EJECT, 0x08);
	KUNIT_EXPECT_TRUE(test, wait_log(f, PVBUS_PCI_MSG_EJECT_COMPLETE, 0x08,
					 1));
	KUNIT_EXPECT_EQ(test, count_devices(pb), 1U);
}

/* A function whose resources the host refuses stays off the bus. */
static void live_assigned_refused(struct kunit *test)
{
	struct fake *f = fake_create(test);
	struct pvbus_device *pdev;
	struct pci_pvbus *pb;

	f->refuse_assigned = 0x08 + 1;
	fake_fn_init(&f->fn[0], 0x00, 0xf000, 0);
	fake_bar(&f->fn[0], 0, SZ_64K, true, false, 0);
	fake_cfg_init(&f->fn[0]);
	fake_fn_init(&f->fn[1], 0x08, 0xf001, 0);
	fake_bar(&f->fn[1], 0, SZ_64K, true, false, 0);
	fake_cfg_init(&f->fn[1]);

	pdev = offer(test, f, &PVBUS_PCI_CLASS, 13);
	pb = bus_of(pdev);
	KUNIT_ASSERT_NOT_NULL(test, pb);
	KUNIT_EXPECT_EQ(test, count_log(f, PVBUS_PCI_MSG_ASSIGNED_RESOURCES,
					~0U), 2U);
	KUNIT_EXPECT_EQ(test, count_devices(pb), 1U);
	KUNIT_EXPECT_NULL(test, get_fn(pb, 0x08));

	/* Teardown releases only what the host took. */
	unoffer(pdev);
	KUNIT_EXPECT_EQ(test, count_log(f, PVBUS_PCI_MSG_RELEASED_RESOURCES,
					0x00), 1U);
	KUNIT_EXPECT_EQ(test, count_log(f, PVBUS_PCI_MSG_RELEASED_RESOURCES,
					0x08), 0U);
	KUNIT_EXPECT_EQ(test, count_log(f, PVBUS_PCI_MSG_D0_EXIT, ~0U), 1U);
}

struct fail_case {
	const char *name;
	unsigned int refuse_d0;
	bool dup_slots;
	u16 last;	/* the last request the host sees */
};

static const struct fail_case fail_cases[] = {
	{ "D0 refused twice", 2, false, PVBUS_PCI_MSG_D0_ENTRY },
	{ "relations list a slot twice", 0, true,
	  PVBUS_PCI_MSG_QUERY_RELATIONS },
};

static void fail_case_desc(const struct fail_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(fail, fail_cases, fail_case_desc);

/* Probe fails cleanly: no driver, nothing left allocated. */
static void live_probe_fails(struct kunit *test)
{
	const struct fail_case *c = test->param_value;
	struct fake *f = fake_create(test);
	struct space_mark before, after;
	struct pvbus_device *pdev;

	space_mark(test, f, &before, 7);
	f->refuse_d0 = c->refuse_d0;
	f->dup_slots = c->dup_slots;
	fake_fn_init(&f->fn[0], 0x00, 0xd000, 0);
	fake_bar(&f->fn[0], 0, SZ_64K, true, false, 0);
	fake_fn_init(&f->fn[1], 0x08, 0xd001, 0);
	fake_bar(&f->fn[1], 0, SZ_64K, true, false, 0);

	pdev = offer(test, f, &PVBUS_PCI_CLASS, 8);
	KUNIT_EXPECT_NULL(test, pdev->dev.driver);
	KUNIT_EXPECT_NULL(test, bus_of(pdev));
	KUNIT_ASSERT_GE(test, f->nr_log, 1U);
	KUNIT_EXPECT_EQ(test, f->log[f->nr_log - 1].type, c->last);
	KUNIT_EXPECT_EQ(test, count_log(f, PVBUS_PCI_MSG_ASSIGNED_RESOURCES,
					~0U), 0U);
	space_mark(test, f, &after, 9);
	KUNIT_EXPECT_EQ(test, after.high, before.high);
	KUNIT_EXPECT_EQ(test, after.low, before.low);
}

static void restore_cfg_mode(void *data)
{
	WRITE_ONCE(pci_pvbus_cfg_mode, (int)(long)data);
}

/*
 * cfg_window=legacy reproduces the old placement: the lowest address that
 * nothing reserved, allocated or claimed takes.
 */
static void live_cfg_legacy(struct kunit *test)
{
	struct fake *f = fake_create(test);
	struct space_mark before;
	struct pvbus_device *pdev;
	struct pci_pvbus *pb;

	space_mark(test, f, &before, 10);
	if (!before.low)
		kunit_skip(test, "the bus has no window below 4 GiB");
	KUNIT_ASSERT_EQ(test,
			pci_pvbus_test_defer(test, restore_cfg_mode,
					     (void *)(long)pci_pvbus_cfg_mode),
			0);
	WRITE_ONCE(pci_pvbus_cfg_mode, PCI_PVBUS_CFG_LEGACY);

	pdev = offer(test, f, &PVBUS_PCI_CLASS, 11);
	pb = bus_of(pdev);
	KUNIT_ASSERT_NOT_NULL(test, pb);
	KUNIT_EXPECT_EQ(test, (u64)pb->cfg->start, before.low);
	KUNIT_EXPECT_LT(test, (u64)pb->cfg->start, GIB4);
}

static struct kunit_case pci_pvbus_live_cases[] = {
	KUNIT_CASE(live_bus),
	KUNIT_CASE(live_version_fallback),
	KUNIT_CASE(live_d0_retry),
	KUNIT_CASE(live_left_out),
	KUNIT_CASE(live_assigned_refused),
	KUNIT_CASE_PARAM(live_probe_fails, fail_gen_params),
	KUNIT_CASE(live_cfg_legacy),
	{}
};

static struct kunit_suite pci_pvbus_live_suite = {
	.name = "pci_pvbus_live",
	.test_cases = pci_pvbus_live_cases,
};

kunit_test_suite(pci_pvbus_live_suite);
