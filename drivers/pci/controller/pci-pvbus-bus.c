// SPDX-License-Identifier: GPL-2.0
/*
 * pci-pvbus: the root bus and what is on it.  The functions, whose BARs
 * are written where they were planned, claimed and told to the host; the
 * root bus itself, created and removed.  Its windows are in
 * pci-pvbus-win.c.
 *
 * Copyright (C) 2026 The pvbus developers
 */

#include <kunit/visibility.h>
#include <linux/acpi.h>
#include <linux/device.h>
#include <linux/err.h>
#include <linux/ioport.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/minmax.h>
#include <linux/of.h>
#include <linux/pci.h>
#include <linux/pvbus_driver.h>
#include <linux/pvbus_mmio.h>
#include <linux/pvbus_pci.h>
#include <linux/property.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "pci-pvbus.h"

/* Write the planned BARs of @fn, with decoding off if any changes. */
static void pci_pvbus_write_bars(struct pci_pvbus *pb, struct pci_pvbus_fn *fn)
{
	unsigned int devfn = fn->desc.devfn, b;
	bool off = false;
	u32 cmd, lo, hi;

	for (b = 0; b < PVBUS_PCI_NR_BARS; b++) {
		bool is64 = fn->bar[b].flags & PCI_PVBUS_BAR_64;
		int where = PCI_BASE_ADDRESS_0 + 4 * b;
		u64 addr = fn->addr[b], cur;

		if (!addr)
			continue;
		hi = 0;
		if (pci_pvbus_cfg_access(pb, devfn, where, 4, &lo, false) ||
		    (is64 && pci_pvbus_cfg_access(pb, devfn, where + 4, 4, &hi,
						  false)))
			continue;
		cur = (u64)hi << 32 | (lo & PCI_BASE_ADDRESS_MEM_MASK);
		if (cur == addr)
			continue;

		if (!off && !pci_pvbus_cfg_access(pb, devfn, PCI_COMMAND, 2,
						  &cmd, false)) {
			cmd &= ~(PCI_COMMAND_MEMORY | PCI_COMMAND_IO);
			pci_pvbus_cfg_access(pb, devfn, PCI_COMMAND, 2, &cmd,
					     true);
			off = true;
		}
		lo = lower_32_bits(addr);
		hi = upper_32_bits(addr);
		pci_pvbus_cfg_access(pb, devfn, where, 4, &lo, true);
		if (is64)
			pci_pvbus_cfg_access(pb, devfn, where + 4, 4, &hi,
					     true);
	}
}

/*
 * Only functions with a type-0 header: a bridge would give the root bus
 * secondary buses that the host knows nothing of, and its bus number and
 * window registers are where a type-0 header has BARs 2 to 5.  Only
 * functions that answer: not with a vendor ID that reads as a retry,
 * which pci_pvbus_read() refuses too (a function that reads so is not
 * ready).
 */
static int pci_pvbus_check_header(struct pci_pvbus *pb,
				  struct pci_pvbus_fn *fn)
{
	unsigned int devfn = fn->desc.devfn;
	u32 hdr, vendor;

	if (pci_pvbus_cfg_access(pb, devfn, PCI_VENDOR_ID, 2, &vendor,
				 false) ||
	    pci_pvbus_cfg_access(pb, devfn, PCI_HEADER_TYPE, 1, &hdr, false)) {
		dev_err(pci_pvbus_dev(pb),
			"function %02x.%x (%04x:%04x) does not answer in config space\n",
			PCI_SLOT(devfn), PCI_FUNC(devfn), fn->desc.vendor,
			fn->desc.device);
		return -ENODEV;
	}
	if (pci_pvbus_vendor_is_retry(vendor)) {
		dev_err(pci_pvbus_dev(pb),
			"function %02x.%x (%04x:%04x) reads a retry (vendor ID 0x0001): not ready\n",
			PCI_SLOT(devfn), PCI_FUNC(devfn), fn->desc.vendor,
			fn->desc.device);
		return -ENODEV;
	}
	if ((hdr & PCI_HEADER_TYPE_MASK) != PCI_HEADER_TYPE_NORMAL) {
		dev_err(pci_pvbus_dev(pb),
			"function %02x.%x (%04x:%04x) has a type-%u header: only type 0 is supported\n",
			PCI_SLOT(devfn), PCI_FUNC(devfn), fn->desc.vendor,
			fn->desc.device, hdr & PCI_HEADER_TYPE_MASK);
		return -EINVAL;
	}
	return 0;
}

/*
 * Before @fn is on the bus: check its header, write its planned BARs and
 * tell the host where they are.  A function the host does not take stays
 * off the bus; if the host's answer leaves open whether it took them (no
 * answer in time, a malformed one), they are released again, so that the
 * host and the guest agree.  No global lock is held: this waits for the
 * host.
 */
int pci_pvbus_offer_fn(struct pci_pvbus *pb, struct pci_pvbus_fn *fn)
{
	int ret;

	ret = pci_pvbus_check_header(pb, fn);
	if (ret)
		goto out;
	pci_pvbus_write_bars(pb, fn);
	ret = pci_pvbus_send_assigned(pb, fn);
	/* Refused, or never sent: the host has nothing to release. */
	if (ret && ret != -EREMOTEIO && ret != -ENODEV && ret != -ESHUTDOWN &&
	    pci_pvbus_release_fn(pb, fn))
		pci_pvbus_windows_hold_fn(pb, fn);
out:
	if (ret)
		dev_err(pci_pvbus_dev(pb),
			"function %02x.%x (%04x:%04x) left off the bus: %s\n",
			PCI_SLOT(fn->desc.devfn), PCI_FUNC(fn->desc.devfn),
			fn->desc.vendor, fn->desc.device,
			ret == -EINVAL ? "not a type-0 function" :
			ret == -ENODEV ? "it does not answer" :
			ret == -EINTR ? "the task adding it was killed" :
			"the host did not take its resources");
	return ret;
}

/* What resource @b of a function is, for messages. */
static const char *pci_pvbus_res_kind(unsigned int b)
{
	if (b == PCI_ROM_RESOURCE)
		return "ROM";
#ifdef CONFIG_PCI_IOV
	if (b >= PCI_IOV_RESOURCES && b <= PCI_IOV_RESOURCE_END)
		return "VF BAR";
#endif
	return "BAR";
}

/* A BAR the host told nothing of, a ROM or a VF BAR: never placed. */
static void pci_pvbus_disable_res(struct pci_dev *pdev, unsigned int b,
				  const char *why)
{
	struct resource *r = &pdev->resource[b];

	if (!r->flags || r->parent)
		return;
	pci_info(pdev, "%s %pR left unassigned: %s\n", pci_pvbus_res_kind(b),
		 r, why);
	r->start = 0;
	r->end = 0;
	r->flags = 0;
}

/*
 * Put @fn on the bus (the scan may have found it already) and claim its
 * BARs where they were planned and told to the host.  A BAR the host did
 * not describe, an I/O BAR, the ROM and the VF BARs of an SR-IOV
 * capability are left unassigned, not where config space shows them, and
 * so a rescan does not place them either: the host was told of no address
 * for them (I/O BARs are never placed), and the protocol has none for a
 * ROM or a VF.  Returns
 * -ENODEV if the function does not answer in config space, -EBUSY if a
 * planned BAR is not where the host was told; either way the function is
 * off the bus and hidden.  Called with pci_lock_rescan_remove() held,
 * before pci_bus_add_devices().
 */
int pci_pvbus_add_fn(struct pci_pvbus *pb, struct pci_pvbus_fn *fn)
{
	unsigned int devfn = fn->desc.devfn, b, spare;
	struct pci_dev *pdev;
	int ret = 0;

	pdev = pci_get_slot(pb->bus, devfn);
	if (!pdev) {
		spare = pci_pvbus_spare_begin();
		pdev = pci_scan_single_device(pb->bus, devfn);
		pci_pvbus_spare_end(spare);
		pci_dev_get(pdev);
	}
	if (!pdev) {
		dev_err(pci_pvbus_dev(pb),
			"function %02x.%x (%04x:%04x) does not answer in config space\n",
			PCI_SLOT(devfn), PCI_FUNC(devfn), fn->desc.vendor,
			fn->desc.device);
		/* Nor may it to a rescan before it is given back. */
		pci_pvbus_set_visible(pb, devfn, false);
		return -ENODEV;
	}
	if (pdev->vendor != fn->desc.vendor || pdev->device != fn->desc.device)
		pci_warn(pdev, "is %04x:%04x in config space, %04x:%04x in the host's list\n",
			 pdev->vendor, pdev->device, fn->desc.vendor,
			 fn->desc.device);

	for (b = 0; b < PVBUS_PCI_NR_BARS; b++) {
		struct resource *r = &pdev->resource[b];

		if (!fn->addr[b]) {
			if (resource_type(r) == IORESOURCE_IO)
				pci_pvbus_disable_res(pdev, b,
						      "pci-pvbus places no I/O BARs");
			else if (resource_type(r) == IORESOURCE_MEM)
				pci_pvbus_disable_res(pdev, b,
						      "the host did not describe it");
			continue;
		}
		if (!r->parent)
			pci_claim_resource(pdev, b);
		if (!r->parent || r->start != fn->addr[b] ||
		    resource_size(r) != fn->bar[b].size) {
			pci_err(pdev, "BAR %u is %pR, not [mem %#llx-%#llx] as the host was told\n",
				b, r, fn->addr[b],
				fn->addr[b] + fn->bar[b].size - 1);
			ret = -EBUSY;
		}
	}
	pci_pvbus_disable_res(pdev, PCI_ROM_RESOURCE,
			      "the host is told of no ROM");
#ifdef CONFIG_PCI_IOV
	for (b = PCI_IOV_RESOURCES; b <= PCI_IOV_RESOURCE_END; b++)
		pci_pvbus_disable_res(pdev, b, "the host is told of no VFs");
#endif
	if (ret) {
		pci_stop_and_remove_bus_device(pdev);
		pci_dev_put(pdev);
		pci_pvbus_set_visible(pb, devfn, false);
		return ret;
	}
	/*
	 * x86 has a default MSI domain.  Elsewhere firmware names it, for
	 * the bus (a GICv2m frame) or for each requester id (an ITS through
	 * the IORT root complex of the domain, or the DT's msi-map).  A
	 * function that got none has MSI turned off, so that its driver
	 * finds none rather than the PCI core warning that it cannot set
	 * one up; and pci-pvbus says so.
	 */
	if (IS_ENABLED(CONFIG_PCI_MSI_IRQ_DOMAIN) && !IS_ENABLED(CONFIG_X86) &&
	    !dev_get_msi_domain(&pdev->dev)) {
		pdev->no_msi = 1;
		pci_info(pdev, "no MSI domain in the firmware for domain %04x: no MSI or MSI-X\n",
			 pb->domain);
	}
	fn->present = true;
	pci_dev_put(pdev);
	return 0;
}

/* Take @fn off the bus; no host round trip. */
void pci_pvbus_unplug_fn(struct pci_pvbus *pb, struct pci_pvbus_fn *fn)
{
	struct pci_dev *pdev;

	pci_lock_rescan_remove();
	if (fn->present && pb->bus) {
		pdev = pci_get_slot(pb->bus, fn->desc.devfn);
		if (pdev) {
			pci_stop_and_remove_bus_device(pdev);
			pci_dev_put(pdev);
		}
	}
	fn->present = false;
	pci_pvbus_set_visible(pb, fn->desc.devfn, false);
	pci_unlock_rescan_remove();
}

/*
 * Give @fn's fixed windows back to the bus's MMIO space, and forget it.
 * Only once the host no longer has it: no other bus may be placed where
 * the host may still decode it.
 */
void pci_pvbus_forget_fn(struct pci_pvbus *pb, struct pci_pvbus_fn *fn)
{
	pci_lock_rescan_remove();
	pci_pvbus_windows_free_fn(pb, fn);
	pci_unlock_rescan_remove();
	list_del(&fn->node);
	pb->nr_fns--;
	kfree(fn);
}

/* Take @fn off the bus, with its fixed windows, and forget it. */
void pci_pvbus_remove_fn(struct pci_pvbus *pb, struct pci_pvbus_fn *fn)
{
	pci_pvbus_unplug_fn(pb, fn);
	pci_pvbus_forget_fn(pb, fn);
}

/*
 * A function that was offered to the host but cannot stay: off the bus,
 * released if the host took its resources, and only then are its fixed
 * windows given back, so that no other bus is placed where the host may
 * still have it; if the host does not confirm the release, its BARs are
 * held until the bus goes.
 */
void pci_pvbus_drop_fn(struct pci_pvbus *pb, struct pci_pvbus_fn *fn)
{
	pci_pvbus_unplug_fn(pb, fn);
	if (fn->assigned && pci_pvbus_release_fn(pb, fn))
		pci_pvbus_windows_hold_fn(pb, fn);
	pci_pvbus_forget_fn(pb, fn);
}

struct pci_pvbus_fn *pci_pvbus_find_fn(struct pci_pvbus *pb, u32 devfn)
{
	struct pci_pvbus_fn *fn;

	list_for_each_entry(fn, &pb->fns, node)
		if (fn->desc.devfn == devfn)
			return fn;
	return NULL;
}
EXPORT_SYMBOL_IF_KUNIT(pci_pvbus_find_fn);

/*
 * New functions from @desc: ask for their BARs.  One that fails, or that
 * there is no memory for, is left out with a message; the others go on,
 * unless the host is taken as gone, the bus goes (a slow host would
 * otherwise hold the unbind for an answer a function) or the task asking
 * is killed (each request would be given up at once).  One the host no
 * longer has, ejected since it was listed, is no error: the list was
 * sent before the host heard the eject was answered.
 */
unsigned int pci_pvbus_new_fns(struct pci_pvbus *pb,
			       const struct pvbus_pci_fn_desc *desc,
			       unsigned int nr,
			       struct pci_pvbus_fn **fns)
{
	unsigned int i, n = 0;
	int ret;

	for (i = 0; i < nr; i++) {
		struct pci_pvbus_fn *fn;

		if (READ_ONCE(pb->host_gone) || READ_ONCE(pb->dying) ||
		    fatal_signal_pending(current))
			break;
		fn = kzalloc(sizeof(*fn), GFP_KERNEL);
		if (!fn) {
			pb->nr_left_out++;
			dev_err(pci_pvbus_dev(pb),
				"function %02x.%x (%04x:%04x) left out: no memory\n",
				PCI_SLOT(desc[i].devfn), PCI_FUNC(desc[i].devfn),
				desc[i].vendor, desc[i].device);
			continue;
		}
		fn->desc = desc[i];
		ret = pci_pvbus_query_resources(pb, fn);
		if (ret == -ENOENT && test_bit(fn->desc.devfn, pb->ejected)) {
			dev_info(pci_pvbus_dev(pb),
				 "function %02x.%x listed after its eject by a list that crossed the answer: the host no longer has it\n",
				 PCI_SLOT(fn->desc.devfn),
				 PCI_FUNC(fn->desc.devfn));
		} else if (ret) {
			pb->nr_left_out++;
			dev_err(pci_pvbus_dev(pb),
				"function %02x.%x (%04x:%04x) left out%s\n",
				PCI_SLOT(fn->desc.devfn),
				PCI_FUNC(fn->desc.devfn), fn->desc.vendor,
				fn->desc.device,
				ret == -ENOENT ? ": the host has no such function" : "");
		} else {
			__clear_bit(fn->desc.devfn, pb->ejected);
			fns[n++] = fn;
			continue;
		}
		kfree(fn);
	}
	return n;
}
EXPORT_SYMBOL_IF_KUNIT(pci_pvbus_new_fns);

/*
 * What differs between the architectures, in one place: the root bus's
 * sysdata, its firmware node, its MSI domain, its domain number.
 *
 * x86 reads sysdata as a struct pci_sysdata (the domain and the NUMA
 * node), and pcibios_device_add() gives a device on a bus without an MSI
 * domain the default x86 PCI/MSI domain.
 *
 * arm64 with ACPI reads sysdata as a struct pci_config_window in
 * pcibios_root_bridge_prepare(): its parent, the ACPI device of the bus
 * root (NULL for none), becomes the bridge's companion, from which the PCI
 * core takes the devices' DMA attributes (_CCA) and the MSI domain of the
 * bus (the GICv2m frame).  An ITS has none for the bus: each function gets
 * the ITS's domain and device id through the IORT root complex whose PCI
 * segment is the bus's domain, or none if the IORT has no such node.
 * Other architectures do not read sysdata.
 *
 * Every bus of a root shares that ACPI companion, as pci-hyperv's buses
 * share the VMBus device's, and the PCI core's ACPI code reads it for
 * each bus: its slots (_SUN), _DSM function 8, the functions' own ACPI
 * devices (its _ADR children).  acpiphp (HOTPLUG_PCI_ACPI) keeps one
 * hotplug context per ACPI device and sets a new one for each root bus:
 * each bus a root gets while another is there leaks the context it
 * replaces, a few bytes (acpiphp_enumerate_slots(), acpiphp_drop_bridge()
 * in 6.1).
 *
 * With a device tree, the bus root's node becomes the bridge's node, from
 * which the PCI core reads msi-parent (the MSI controller) and msi-map
 * (the ITS device id of each requester id) as from any host bridge's node.
 * The bridge's parent, our pvbus device, shares the node too (pvbus gives
 * it its root's): pci_dma_configure() takes the functions' DMA coherence
 * from there.
 *
 * Under CONFIG_PCI_DOMAINS_GENERIC the domain is the one the driver chose,
 * not one the PCI core allocates.
 */
static void pci_pvbus_bridge_init(struct pci_pvbus *pb,
				  struct pci_host_bridge *bridge)
{
	struct device *dev = pci_pvbus_dev(pb);
	struct device *root = dev->parent;

#ifdef CONFIG_X86
	pb->sysdata.domain = pb->domain;
	pb->sysdata.node = dev_to_node(dev);
#elif IS_ENABLED(CONFIG_ACPI)
	if (root && has_acpi_companion(root))
		pb->sysdata.parent = &ACPI_COMPANION(root)->dev;
#endif
	bridge->sysdata = &pb->sysdata;
	/* The root outlives the bridge, a device managed by its child. */
	if (root && root->of_node)
		device_set_node(&bridge->dev, of_fwnode_handle(root->of_node));
#ifdef CONFIG_PCI_DOMAINS_GENERIC
	bridge->domain_nr = pb->domain;
#endif
}

static void pci_pvbus_free_bridge(void *bridge)
{
	pci_free_host_bridge(bridge);
}

/*
 * devm_pci_alloc_host_bridge() without its device tree part, which reads
 * the parent's node as a PCI host bridge's: "ranges", "bus-range",
 * "dma-ranges".  Our parent shares the bus root's node, which has none of
 * them: the bridge would get a bus range [bus 00-ff] beside its own one
 * bus, whose insertion then conflicts with it, and warnings.
 */
static struct pci_host_bridge *pci_pvbus_alloc_bridge(struct device *dev)
{
	struct pci_host_bridge *bridge = pci_alloc_host_bridge(0);

	if (!bridge)
		return NULL;
	bridge->dev.parent = dev;
	if (devm_add_action_or_reset(dev, pci_pvbus_free_bridge, bridge))
		return NULL;
	return bridge;
}

/*
 * The PCI core removes a device of the bus: through sysfs, or for
 * pci-pvbus.  Its config space is hidden from then on, so that no rescan
 * finds it again: the PCI core would place its BARs itself, and a ROM,
 * where the host was never told.  The host's next offer of the function
 * brings it back the way every function comes.
 */
static int pci_pvbus_pci_event(struct notifier_block *nb, unsigned long action,
			       void *data)
{
	struct pci_pvbus *pb = container_of(nb, struct pci_pvbus, pci_nb);
	struct pci_dev *pdev = to_pci_dev(data);

	if (action != BUS_NOTIFY_DEL_DEVICE || pdev->bus != pb->bus)
		return NOTIFY_DONE;
	pci_pvbus_set_visible(pb, pdev->devfn, false);
	return NOTIFY_OK;
}

int pci_pvbus_create_bus(struct pci_pvbus *pb)
{
	struct device *dev = pci_pvbus_dev(pb);
	struct pci_host_bridge *bridge;
	struct pci_pvbus_fn *fn, *tmp;
	unsigned int spare;
	int ret;

	bridge = pci_pvbus_alloc_bridge(dev);
	if (!bridge)
		return -ENOMEM;

	pci_pvbus_bridge_init(pb, bridge);
	bridge->ops = &pci_pvbus_ops;
	bridge->busnr = pb->busnr;
	/*
	 * The host has the BARs where they were told to it: a Resizable BAR
	 * resize (sysfs resourceN_resize, pci_resize_resource()) would move
	 * them without a word to it, so the PCI core refuses it.
	 */
	bridge->preserve_config = 1;

	pb->busn.name = pb->bus_name;
	pb->busn.start = pb->busnr;
	/* No secondary buses: only type-0 functions are on the bus. */
	pb->busn.end = pb->busnr;
	pb->busn.flags = IORESOURCE_BUS;
	/*
	 * The windows go on the root bus once it exists, as hot add puts
	 * them there: handed over with the bridge, adjacent ones would be
	 * merged into one, and the bus could never take more.
	 */
	pci_add_resource(&bridge->windows, &pb->busn);

	/* Only the functions the host took answer config accesses. */
	list_for_each_entry(fn, &pb->fns, node)
		if (fn->assigned)
			pci_pvbus_set_visible(pb, fn->desc.devfn, true);

	pci_lock_rescan_remove();
	spare = pci_pvbus_spare_begin();
	ret = pci_scan_root_bus_bridge(bridge);
	pci_pvbus_spare_end(spare);
	if (ret) {
		pci_unlock_rescan_remove();
		dev_err(dev, "cannot create root bus %04x:%02x: %d\n",
			pb->domain, pb->busnr, ret);
		return ret;
	}
	pb->bridge = bridge;
	pb->bus = bridge->bus;
	pb->pci_nb.notifier_call = pci_pvbus_pci_event;
	bus_register_notifier(&pci_bus_type, &pb->pci_nb);
	pci_pvbus_windows_show(pb);
	list_for_each_entry(fn, &pb->fns, node)
		if (fn->assigned)
			pci_pvbus_add_fn(pb, fn);
	spare = pci_pvbus_spare_begin();
	pci_bus_add_devices(pb->bus);
	pci_pvbus_spare_end(spare);
	pci_unlock_rescan_remove();

	/* What could not be put on the bus goes back to the host. */
	list_for_each_entry_safe(fn, tmp, &pb->fns, node)
		if (fn->assigned && !fn->present)
			pci_pvbus_drop_fn(pb, fn);
	return 0;
}

void pci_pvbus_remove_bus(struct pci_pvbus *pb)
{
	struct pci_pvbus_fn *fn;

	if (pb->bus) {
		pci_lock_rescan_remove();
		pci_stop_root_bus(pb->bus);
		/* Off the root bus before it goes: the bus frees what is on it. */
		pci_pvbus_windows_hide(pb);
		pci_remove_root_bus(pb->bus);
		/*
		 * Only now, as it was registered under the lock: a function
		 * removed through sysfs before would stay visible, and a
		 * rescan would find it again and place its BARs unannounced.
		 */
		bus_unregister_notifier(&pci_bus_type, &pb->pci_nb);
		pci_unlock_rescan_remove();
		pb->bus = NULL;
		pb->bridge = NULL;
	}
	list_for_each_entry(fn, &pb->fns, node) {
		fn->present = false;
		pci_pvbus_set_visible(pb, fn->desc.devfn, false);
	}
}

void pci_pvbus_free_fns(struct pci_pvbus *pb)
{
	struct pci_pvbus_fn *fn, *tmp;

	list_for_each_entry_safe(fn, tmp, &pb->fns, node) {
		list_del(&fn->node);
		kfree(fn);
	}
	pb->nr_fns = 0;
}

