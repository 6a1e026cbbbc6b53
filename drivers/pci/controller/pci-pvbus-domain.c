// SPDX-License-Identifier: GPL-2.0
/*
 * pci-pvbus: the choice of a bus's PCI domain (or, without PCI domains, of
 * its root bus number).
 *
 * The domain must be one no other root bus has or may have: not the domain
 * of a bus alive now, not one of another pvbus bus, and not a PCI segment
 * firmware declares, whether or not a bus is alive in it yet: the
 * segments of the ACPI MCFG table, the _SEG of every device in the ACPI
 * namespace that has one (host bridges present or not: one may be hot
 * added later), and the DT "linux,pci-domain" of every node.  Firmware
 * is untrusted: at most %PCI_PVBUS_MAX_FW_SEGS segments of each source
 * are read, and a malformed MCFG table is reported and not read.
 *
 * What remains: on x86 the PCI core has no domain allocator, so nothing
 * can be reserved against a root bus whose domain no firmware declared
 * when the bus was probed (a host bridge in an ACPI table loaded at run
 * time, a driver that picks domains of its own as pci-hyperv does).
 * pci_register_host_bridge() refuses such a bus ("bus already known",
 * -EEXIST): the pvbus bus stays, the other does not come up.  With
 * CONFIG_PCI_DOMAINS_GENERIC and a device tree, likewise a DT host bridge
 * probed later without "linux,pci-domain": the PCI core's allocator gives
 * it the lowest number free there, and knows nothing of the domain set
 * in a pvbus host bridge.  vmd takes domains above 0xffff, which are
 * never chosen here.
 *
 * Copyright (C) 2026 The pvbus developers
 */

#include <asm/unaligned.h>
#include <kunit/visibility.h>
#include <linux/acpi.h>
#include <linux/device.h>
#include <linux/mutex.h>
#include <linux/of.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/xarray.h>

#include "pci-pvbus-domain.h"
#include "pci-pvbus.h"

/* Without domains, the largest root bus number chosen. */
#define PCI_PVBUS_MAX_BUSNR	0xff

/* Serialises the choice of domains; holds those of our buses. */
static DEFINE_MUTEX(pci_pvbus_ids_lock);
static DEFINE_XARRAY(pci_pvbus_ids);

/* The ACPI MCFG table: header, 8 reserved bytes, then 16-byte entries. */
#define PCI_PVBUS_ACPI_LEN	4	/* offset of the table's length */
#define PCI_PVBUS_MCFG_HDR	44
#define PCI_PVBUS_MCFG_ENTRY	16
#define PCI_PVBUS_MCFG_SEG	8	/* offset of the segment in an entry */

VISIBLE_IF_KUNIT int pci_pvbus_add_id(struct pci_pvbus_ids *ids, u32 id)
{
	if (ids->nr == ids->room) {
		unsigned int room = max(2 * ids->room, 16U);
		u32 *more;

		more = krealloc_array(ids->id, room, sizeof(*more), GFP_KERNEL);
		if (!more)
			return -ENOMEM;
		ids->id = more;
		ids->room = room;
	}
	ids->id[ids->nr++] = id;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(pci_pvbus_add_id);

/**
 * pci_pvbus_mcfg_entries() - how many entries an MCFG table has
 * @tbl: the table, as mapped
 * @len: bytes mapped at @tbl
 *
 * The entries are read up to the table's own length or @len, whichever is
 * less; a partial entry at the end is not one, as for the PCI core.
 *
 * Return: the number of entries; -EINVAL if @tbl is shorter than the MCFG
 * header, or says it is.
 */
VISIBLE_IF_KUNIT int pci_pvbus_mcfg_entries(const u8 *tbl, size_t len)
{
	u32 tlen;

	if (!tbl || len < PCI_PVBUS_MCFG_HDR)
		return -EINVAL;
	tlen = get_unaligned_le32(tbl + PCI_PVBUS_ACPI_LEN);
	if (tlen < PCI_PVBUS_MCFG_HDR)
		return -EINVAL;
	len = min_t(size_t, len, tlen);
	return min_t(size_t, (len - PCI_PVBUS_MCFG_HDR) / PCI_PVBUS_MCFG_ENTRY,
		     PCI_PVBUS_MAX_FW_SEGS);
}
EXPORT_SYMBOL_IF_KUNIT(pci_pvbus_mcfg_entries);

/**
 * pci_pvbus_pick_domain() - choose a domain no one has or may have
 * @wanted: the domain the bus asks for
 * @taken: the domains of the buses alive and of the pvbus buses; the
 *	segments of @fw are added to it
 * @fw: the segments firmware declares
 * @max: the largest domain allowed
 *
 * Return: the domain, as pci_pvbus_pick_id() chooses it among the numbers
 * neither in @taken nor declared by @fw; -ENOSPC if there is none;
 * -ENOMEM.
 */
VISIBLE_IF_KUNIT int pci_pvbus_pick_domain(u32 wanted,
					   struct pci_pvbus_ids *taken,
					   const struct pci_pvbus_fw_segs *fw,
					   u32 max)
{
	int i, n, ret = 0;

	n = pci_pvbus_mcfg_entries(fw->mcfg, fw->mcfg_len);
	for (i = 0; !ret && i < n; i++)
		ret = pci_pvbus_add_id(taken, get_unaligned_le16(fw->mcfg +
			PCI_PVBUS_MCFG_HDR + i * PCI_PVBUS_MCFG_ENTRY +
			PCI_PVBUS_MCFG_SEG));
	/* As acpi_pci_root_add(): the segment is the low 16 bits of _SEG. */
	for (i = 0; !ret && i < fw->nr_seg; i++)
		ret = pci_pvbus_add_id(taken, fw->seg[i] & 0xffff);
	for (i = 0; !ret && i < fw->nr_dt; i++)
		ret = pci_pvbus_add_id(taken, fw->dt[i]);
	if (ret)
		return ret;
	return pci_pvbus_pick_id(wanted, taken->id, taken->nr, max);
}
EXPORT_SYMBOL_IF_KUNIT(pci_pvbus_pick_domain);

#ifdef CONFIG_ACPI
static acpi_status pci_pvbus_seg_one(acpi_handle handle, u32 level,
				     void *ctx, void **ret)
{
	struct pci_pvbus_fw_segs *fw = ctx;
	unsigned long long seg;

	if (!acpi_has_method(handle, METHOD_NAME__SEG) ||
	    ACPI_FAILURE(acpi_evaluate_integer(handle, METHOD_NAME__SEG,
					       NULL, &seg)))
		return AE_OK;
	if (fw->nr_seg == PCI_PVBUS_MAX_FW_SEGS) {
		fw->more = true;
		return AE_CTRL_TERMINATE;
	}
	fw->seg[fw->nr_seg++] = seg;
	return AE_OK;
}

static void pci_pvbus_acpi_segs(struct device *dev,
				struct pci_pvbus_fw_segs *fw)
{
	struct acpi_table_header *mcfg;

	if (acpi_disabled)
		return;
	if (ACPI_SUCCESS(acpi_get_table(ACPI_SIG_MCFG, 1, &mcfg))) {
		fw->mcfg_hdr = mcfg;
		fw->mcfg = (const u8 *)mcfg;
		fw->mcfg_len = mcfg->length;
		if (pci_pvbus_mcfg_entries(fw->mcfg, fw->mcfg_len) < 0)
			dev_err(dev, "ACPI MCFG table of %u bytes is shorter than its header: its segments are not avoided\n",
				mcfg->length);
	}
	acpi_walk_namespace(ACPI_TYPE_DEVICE, ACPI_ROOT_OBJECT, ACPI_UINT32_MAX,
			    pci_pvbus_seg_one, NULL, fw, NULL);
}

static void pci_pvbus_acpi_segs_put(struct pci_pvbus_fw_segs *fw)
{
	if (fw->mcfg_hdr)
		acpi_put_table(fw->mcfg_hdr);
}
#else
static void pci_pvbus_acpi_segs(struct device *dev,
				struct pci_pvbus_fw_segs *fw)
{
}

static void pci_pvbus_acpi_segs_put(struct pci_pvbus_fw_segs *fw)
{
}
#endif

static void pci_pvbus_dt_segs(struct pci_pvbus_fw_segs *fw)
{
	struct device_node *np;
	u32 dom;

	for_each_node_with_property(np, "linux,pci-domain") {
		if (of_property_read_u32(np, "linux,pci-domain", &dom))
			continue;
		if (fw->nr_dt == PCI_PVBUS_MAX_FW_SEGS) {
			fw->more = true;
			of_node_put(np);
			break;
		}
		fw->dt[fw->nr_dt++] = dom;
	}
}

/* Read what firmware declares; put it back with pci_pvbus_fw_segs_put(). */
static int pci_pvbus_fw_segs_get(struct device *dev,
				 struct pci_pvbus_fw_segs *fw)
{
	fw->seg = kcalloc(PCI_PVBUS_MAX_FW_SEGS, sizeof(*fw->seg), GFP_KERNEL);
	fw->dt = kcalloc(PCI_PVBUS_MAX_FW_SEGS, sizeof(*fw->dt), GFP_KERNEL);
	if (!fw->seg || !fw->dt)
		return -ENOMEM;
	pci_pvbus_acpi_segs(dev, fw);
	pci_pvbus_dt_segs(fw);
	if (fw->more)
		dev_err(dev, "firmware declares more than %d PCI segments in _SEG or linux,pci-domain: only the first %d of each are avoided\n",
			PCI_PVBUS_MAX_FW_SEGS, PCI_PVBUS_MAX_FW_SEGS);
	return 0;
}

static void pci_pvbus_fw_segs_put(struct pci_pvbus_fw_segs *fw)
{
	pci_pvbus_acpi_segs_put(fw);
	kfree(fw->seg);
	kfree(fw->dt);
}

/*
 * The domains (or, without domains, the bus numbers) in use.  The walk of
 * the root buses holds pci_lock_rescan_remove(): pci_find_next_bus()
 * takes no reference, and a root bus is removed, and freed, under that
 * lock (another pvbus bus, a host bridge unbound), with the sysdata
 * pci_domain_nr() reads.  It nests inside @pci_pvbus_ids_lock.
 */
static int pci_pvbus_ids_in_use(struct pci_pvbus_ids *ids)
{
	struct pci_bus *bus = NULL;
	unsigned long id;
	void *entry;
	int ret = 0;

	pci_lock_rescan_remove();
	if (IS_ENABLED(CONFIG_PCI_DOMAINS)) {
		while (!ret && (bus = pci_find_next_bus(bus)))
			ret = pci_pvbus_add_id(ids, pci_domain_nr(bus));
	} else {
		for (id = 0; !ret && id <= PCI_PVBUS_MAX_BUSNR; id++)
			if (pci_find_bus(0, id))
				ret = pci_pvbus_add_id(ids, id);
	}
	pci_unlock_rescan_remove();
	xa_for_each(&pci_pvbus_ids, id, entry)
		if (!ret)
			ret = pci_pvbus_add_id(ids, id);
	return ret;
}

/*
 * Choose the bus's domain from its instance id, as the old front-ends
 * did: bytes 8 and 9, the fourth group of the UUID as printed, unless it
 * is taken or declared (see above).  Without PCI domains, choose the
 * number of its root bus instead.
 */
int pci_pvbus_reserve_id(struct pci_pvbus *pb)
{
	const guid_t *inst = &pb->pdev->instance;
	u32 wanted = inst->b[8] << 8 | inst->b[9];
	bool domains = IS_ENABLED(CONFIG_PCI_DOMAINS);
	struct pci_pvbus_fw_segs fw = {};
	struct pci_pvbus_ids ids = {};
	int id;

	mutex_lock(&pci_pvbus_ids_lock);
	id = pci_pvbus_ids_in_use(&ids);
	if (!id && domains)
		id = pci_pvbus_fw_segs_get(&pb->pdev->dev, &fw);
	if (!id)
		id = pci_pvbus_pick_domain(wanted, &ids, &fw,
					   domains ? PCI_PVBUS_MAX_DOMAIN :
						     PCI_PVBUS_MAX_BUSNR);
	pci_pvbus_fw_segs_put(&fw);
	kfree(ids.id);
	if (id >= 0) {
		int ret = xa_insert(&pci_pvbus_ids, id, pb, GFP_KERNEL);

		if (ret)
			id = ret;
	}
	mutex_unlock(&pci_pvbus_ids_lock);

	if (id < 0) {
		dev_err(&pb->pdev->dev, "no free PCI %s: %d\n",
			domains ? "domain" : "bus number", id);
		return id;
	}
	if (domains) {
		pb->domain = id;
		pb->busnr = 0;
	} else {
		pb->domain = 0;
		pb->busnr = id;
	}
	if (domains && id != wanted)
		dev_info(&pb->pdev->dev, "PCI domain %04x is not available: using %04x\n",
			 wanted, id);
	snprintf(pb->name, sizeof(pb->name), "pci-pvbus %04x:%02x",
		 pb->domain, pb->busnr);
	return 0;
}

void pci_pvbus_release_id(struct pci_pvbus *pb)
{
	mutex_lock(&pci_pvbus_ids_lock);
	xa_erase(&pci_pvbus_ids, IS_ENABLED(CONFIG_PCI_DOMAINS) ?
		 pb->domain : pb->busnr);
	mutex_unlock(&pci_pvbus_ids_lock);
}
