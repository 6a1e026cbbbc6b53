// SPDX-License-Identifier: GPL-2.0
/*
 * pvbus_sim: pass-through of real PCI functions.
 *
 * A real PCI function of the guest (the QEMU NVMe, say) is taken from its
 * native driver and offered as a function of a simulated PCI bus, as a
 * hypervisor passes a device through to a VM.  Taking it, the analogue of
 * xen-pciback's hide (pvbus_sim_pt_take()):
 *
 * - its driver_override becomes "pvbus_sim", a name no PCI driver has, so
 *   that no driver binds to it any more, and its native driver is unbound;
 * - its config space is saved (pci_save_state()), memory and I/O decode,
 *   bus mastering and its ROM are turned off, and its BARs and ROM are
 *   released from the native resource tree: from now on it decodes where
 *   pci-pvbus puts its BARs, in the windows of the pvbus bus;
 * - its identity and its memory BARs describe the function the host
 *   offers.  I/O BARs are not offered: a pvbus PCI bus has no I/O window.
 *
 * It is kept awake (a runtime PM reference) until it is given back: the
 * forwarded accesses do not resume it.
 *
 * The host (pci.c) forwards the function's config space to the real one
 * through pvbus_sim_pt_ops.  Those call the real bus's config accessors
 * directly, as pci_bus_read_config_dword() would without taking pci_lock:
 * they run from the host's window operations, which the guest's PCI core
 * may call with pci_lock held (a raw spinlock, not taken twice), and from
 * the host's message handlers and configfs, which do not hold it (it is
 * not exported).  A native host bridge whose accessors rely on pci_lock
 * alone is one that pass-through does not support
 * (Documentation/admin-guide/pvbus-sim.rst).
 *
 * Giving it back once no guest has it (pvbus_sim_pt_give_back()): decode, bus
 * mastering, MSI and MSI-X off, the function reset, the saved config space
 * restored (the BARs at their native addresses) with decode still off, its
 * resources claimed again where they were, then decode as it was, the
 * driver_override it had, and the native driver probed.
 *
 * The function may leave the native bus while the host has it (removed
 * through sysfs, or unplugged): a notifier on the PCI bus sees it go.  It is
 * then given back to the hardware only, its config space restored with decode
 * off, and not reset (a reset could reach what a rescan found there since,
 * and one of a function unplugged waits a minute for an answer under the
 * rescan lock): nothing of it is claimed again, since its struct pci_dev goes
 * with the host's reference and a resource embedded in it must not stay in
 * the tree, and no driver is probed.  A rescan finds it as it was.  Taking
 * and giving back hold pci_lock_rescan_remove(), so that no removal runs
 * meanwhile; the native driver's remove() then runs under it (and its
 * probe(), when a take fails), as they do when the PCI core removes (sysfs
 * "remove") or rescans a device itself, so a driver that took it there would
 * deadlock there too.  Giving back probes the native driver once it has let
 * go of it.  A rescan of the native bus before the function is given back
 * finds the device anew, which nothing here keeps from its native driver: it
 * must be given back first.
 *
 * Copyright (C) 2026 The pvbus developers
 */

#define pr_fmt(fmt) "pvbus_sim: " fmt

#include <kunit/visibility.h>
#include <linux/ctype.h>
#include <linux/delay.h>
#include <linux/device.h>
#include <linux/err.h>
#include <linux/ioport.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/log2.h>
#include <linux/mutex.h>
#include <linux/notifier.h>
#include <linux/pci.h>
#include <linux/pci_regs.h>
#include <linux/pm_runtime.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "sim.h"

/* driver_override while the host has a function: no PCI driver's name. */
#define PVBUS_SIM_PT_OVERRIDE	"pvbus_sim"

/* The resources of a function that the host takes: its BARs and its ROM. */
#define PVBUS_SIM_PT_NR_RES	(PCI_ROM_RESOURCE + 1)

/**
 * struct pvbus_sim_pt_res - a resource of the real function as it was
 * @start: its start
 * @end: its end
 * @flags: its flags
 * @claimed: it was in the resource tree
 */
struct pvbus_sim_pt_res {
	resource_size_t start;
	resource_size_t end;
	unsigned long flags;
	bool claimed;
};

/**
 * struct pvbus_sim_pt_dev - a real function taken for pass-through
 * @pt: what the host sees of it
 * @node: in pvbus_sim_pt_devs
 * @pdev: the function; a reference is held
 * @state: its config space as it was when it was taken
 * @override: its driver_override before, or NULL
 * @driver: the native driver that was bound, for the log
 * @res: its resources as they were
 * @nb: on the PCI bus's notifier chain while the host has the function
 * @removed: it left the native bus meanwhile; under pvbus_sim_pt_lock
 */
struct pvbus_sim_pt_dev {
	struct pvbus_sim_pt pt;
	struct list_head node;
	struct notifier_block nb;
	bool removed;
	struct pci_dev *pdev;
	struct pci_saved_state *state;
	const char *override;
	char driver[32];
	struct pvbus_sim_pt_res res[PVBUS_SIM_PT_NR_RES];
};

/* The functions taken, so that no function is taken twice. */
static DEFINE_MUTEX(pvbus_sim_pt_lock);
static LIST_HEAD(pvbus_sim_pt_devs);

static struct pvbus_sim_pt_dev *to_pt_dev(struct pvbus_sim_pt *pt)
{
	return container_of(pt, struct pvbus_sim_pt_dev, pt);
}

/* ---------------------------------------------------------------------
 * What the host describes (pure, for KUnit)
 */

/* Up to @max_digits hex digits at *@s, at most @max; *@s moves past them. */
static int pvbus_sim_pt_hex(const char **s, unsigned int max_digits, u32 max,
			    u32 *val)
{
	const char *p = *s;
	unsigned int n = 0;
	u64 v = 0;

	while (n < max_digits && isxdigit(*p)) {
		v = v << 4 | hex_to_bin(*p++);
		n++;
	}
	if (!n || v > max)
		return -EINVAL;
	*val = v;
	*s = p;
	return 0;
}

/**
 * pvbus_sim_pt_parse_addr() - parse the address of a PCI function
 * @s: "DOMAIN:BUS:DEV.FN" or "BUS:DEV.FN" (domain 0), hex as lspci and
 *	sysfs print them, e.g. "0000:00:04.0"; a newline may follow
 * @domain: its domain, up to 8 digits, at most 0x7fffffff
 * @bus: its bus, up to 2 digits
 * @devfn: its device (up to 2 digits, at most 0x1f) and function (one
 *	digit, at most 7)
 *
 * Return: 0, or -EINVAL for anything else.
 */
VISIBLE_IF_KUNIT int pvbus_sim_pt_parse_addr(const char *s, u32 *domain,
					     u8 *bus, u8 *devfn)
{
	unsigned int na, nb;
	const char *p = s;
	u32 a, b, d, f;

	/* Two numbers of up to 8 digits first; which form it is comes next. */
	if (pvbus_sim_pt_hex(&s, 8, S32_MAX, &a))
		return -EINVAL;
	na = s - p;
	if (*s++ != ':')
		return -EINVAL;
	p = s;
	if (pvbus_sim_pt_hex(&s, 8, S32_MAX, &b))
		return -EINVAL;
	nb = s - p;
	if (*s == ':') {
		s++;
		if (nb > 2 || b > 0xff || pvbus_sim_pt_hex(&s, 2, 0x1f, &d))
			return -EINVAL;
	} else {
		/* No domain: what was read is the bus and the device. */
		if (na > 2 || nb > 2 || a > 0xff || b > 0x1f)
			return -EINVAL;
		d = b;
		b = a;
		a = 0;
	}
	if (*s++ != '.' || pvbus_sim_pt_hex(&s, 1, 7, &f))
		return -EINVAL;
	if (*s == '\n')
		s++;
	if (*s)
		return -EINVAL;
	*domain = a;
	*bus = b;
	*devfn = PCI_DEVFN(d, f);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(pvbus_sim_pt_parse_addr);

/**
 * pvbus_sim_pt_describe_bars() - a real function's BARs as the host offers
 *	them
 * @res: its resources 0 to 5, as the PCI core sized them
 * @bar: filled in, %PVBUS_PCI_NR_BARS entries
 *
 * Memory BARs are offered as they are: size, width (a 64-bit BAR takes two
 * slots) and the prefetchable flag.  I/O BARs are not offered.
 *
 * Return: the number of I/O BARs left out, or -EINVAL for a memory BAR the
 * protocol cannot describe: a size that is not a power of two of at least
 * 16 bytes, a 32-bit BAR of more than 2 GiB, a 64-bit BAR in the last slot.
 */
VISIBLE_IF_KUNIT int
pvbus_sim_pt_describe_bars(const struct resource *res,
			   struct pvbus_sim_pci_bar *bar)
{
	unsigned int b;
	int io = 0;
	u64 size;

	memset(bar, 0, PVBUS_PCI_NR_BARS * sizeof(*bar));
	for (b = 0; b < PVBUS_PCI_NR_BARS; b++) {
		const struct resource *r = &res[b];

		if (bar[b].flags & PVBUS_SIM_BAR_UPPER)
			continue;
		if (r->flags & IORESOURCE_IO) {
			io++;
			continue;
		}
		if (!(r->flags & IORESOURCE_MEM))
			continue;
		size = resource_size(r);
		if (size < 16 || !is_power_of_2(size))
			return -EINVAL;
		if (r->flags & IORESOURCE_MEM_64) {
			if (b + 1 == PVBUS_PCI_NR_BARS)
				return -EINVAL;
			bar[b].flags |= PVBUS_SIM_BAR_64;
			bar[b + 1].flags = PVBUS_SIM_BAR_UPPER;
		} else if (size > SZ_2G) {
			return -EINVAL;
		}
		if (r->flags & IORESOURCE_PREFETCH)
			bar[b].flags |= PVBUS_SIM_BAR_PREFETCH;
		bar[b].size = size;
	}
	return io;
}
EXPORT_SYMBOL_IF_KUNIT(pvbus_sim_pt_describe_bars);

/* ---------------------------------------------------------------------
 * Config space, in atomic context
 */

static int pvbus_sim_pt_read(struct pvbus_sim_pt *pt, unsigned int where,
			     unsigned int size, u32 *val)
{
	struct pci_dev *pdev = to_pt_dev(pt)->pdev;

	/* pci_read_config_*() would take pci_lock, which may be held. */
	return pcibios_err_to_errno(pdev->bus->ops->read(pdev->bus,
							 pdev->devfn, where,
							 size, val));
}

static int pvbus_sim_pt_write(struct pvbus_sim_pt *pt, unsigned int where,
			      unsigned int size, u32 val)
{
	struct pci_dev *pdev = to_pt_dev(pt)->pdev;

	return pcibios_err_to_errno(pdev->bus->ops->write(pdev->bus,
							  pdev->devfn, where,
							  size, val));
}

static const struct pvbus_sim_pt_ops pvbus_sim_pt_ops = {
	.read	= pvbus_sim_pt_read,
	.write	= pvbus_sim_pt_write,
};

/* ---------------------------------------------------------------------
 * Taking and giving back
 */

/*
 * Whether @pdev can be passed through: a type 0 function that is no
 * bridge; no virtual function (its BARs and memory enable are the
 * physical function's: the host could neither move nor fence it) and no
 * physical function with SR-IOV (the guest would enable VFs on the real
 * device, which the host kernel does not know of); not in an IOMMU group
 * (the guest's device is in none: its driver would give the real device
 * physical addresses to DMA to, which an IOMMU domain that translates
 * does not map; and MSI in the format of no interrupt remapping); and not
 * behind a pvbus PCI bus (its config accesses go through the host's window
 * operations: forwarding to it would nest them); and on a root bus: the
 * host moves its BARs into the guest's window, which the windows of a
 * bridge above it do not forward (nor does the host change them), so the
 * guest would reach nothing of it.  Interrupt remapping
 * without an IOMMU group (DMA remapping off) is not seen here: the
 * device's MSI then does not arrive (Documentation/admin-guide/pvbus-sim.rst).
 */
VISIBLE_IF_KUNIT int pvbus_sim_pt_check(struct pci_dev *pdev)
{
	struct device *dev;

	if (pdev->hdr_type != PCI_HEADER_TYPE_NORMAL || pdev->subordinate ||
	    pdev->class >> 16 == PCI_BASE_CLASS_BRIDGE) {
		pci_info(pdev, "not passed through: a bridge, or not a type 0 function\n");
		return -EINVAL;
	}
	if (pdev->is_virtfn) {
		pci_info(pdev, "not passed through: a virtual function\n");
		return -EINVAL;
	}
	if (pdev->is_physfn ||
	    pci_find_ext_capability(pdev, PCI_EXT_CAP_ID_SRIOV)) {
		pci_info(pdev, "not passed through: it has SR-IOV\n");
		return -EINVAL;
	}
	if (device_iommu_mapped(&pdev->dev)) {
		pci_info(pdev, "not passed through: an IOMMU handles it\n");
		return -EINVAL;
	}
	if (!pci_is_root_bus(pdev->bus)) {
		pci_info(pdev, "not passed through: it is behind a bridge, whose windows would not forward its BARs' new addresses\n");
		return -EINVAL;
	}
	for (dev = pdev->dev.parent; dev; dev = dev->parent) {
		if (dev->bus && !strcmp(dev->bus->name, "pvbus")) {
			pci_info(pdev, "not passed through: it is behind a pvbus PCI bus\n");
			return -EINVAL;
		}
	}
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(pvbus_sim_pt_check);

/*
 * Keep drivers off @d's function, and unbind the one it has.  On failure
 * the function is left as it was.
 */
static int pvbus_sim_pt_hide(struct pvbus_sim_pt_dev *d)
{
	struct pci_dev *pdev = d->pdev;
	struct device *dev = &pdev->dev;
	const char *old;
	int ret;

	device_lock(dev);
	if (pdev->driver_override) {
		d->override = kstrdup(pdev->driver_override, GFP_KERNEL);
		if (!d->override) {
			device_unlock(dev);
			return -ENOMEM;
		}
	}
	device_unlock(dev);

	ret = driver_set_override(dev, &pdev->driver_override,
				  PVBUS_SIM_PT_OVERRIDE,
				  strlen(PVBUS_SIM_PT_OVERRIDE));
	if (ret)
		goto free;

	device_lock(dev);
	if (dev->driver)
		strscpy(d->driver, dev->driver->name, sizeof(d->driver));
	device_unlock(dev);
	device_release_driver(dev);
	if (!READ_ONCE(dev->driver))
		return 0;

	pci_warn(pdev, "its driver does not let go of it\n");
	old = d->override ?: "";
	driver_set_override(dev, &pdev->driver_override, old, strlen(old));
	ret = -EBUSY;
free:
	kfree(d->override);
	d->override = NULL;
	return ret;
}

/* Undo pvbus_sim_pt_hide(): the old driver_override, the native driver. */
static void pvbus_sim_pt_unhide(struct pvbus_sim_pt_dev *d)
{
	struct pci_dev *pdev = d->pdev;
	const char *old = d->override ?: "";
	int ret;

	ret = driver_set_override(&pdev->dev, &pdev->driver_override, old,
				  strlen(old));
	if (ret)
		pci_warn(pdev, "cannot restore driver_override '%s': %d\n",
			 old, ret);
	kfree(d->override);
	d->override = NULL;
	ret = device_reprobe(&pdev->dev);
	if (ret)
		pci_warn(pdev, "probing its drivers failed: %d\n", ret);
}

/*
 * No decode, no DMA, no MSI or MSI-X, no INTx (the guest is given none,
 * and the host keeps it off: pci_forward.c): what a function is handed
 * over in.  Its ROM is disabled too: the guest never sees the ROM BAR, and the ROM,
 * released from the native tree, would decode at its native address as
 * soon as the guest turned memory decode on.  The saved state enables it
 * again, as it was, when the function is given back.
 */
static void pvbus_sim_pt_quiesce(struct pci_dev *pdev)
{
	u16 cmd, ctrl;

	pci_read_config_word(pdev, PCI_COMMAND, &cmd);
	cmd &= ~(PCI_COMMAND_MEMORY | PCI_COMMAND_IO | PCI_COMMAND_MASTER);
	pci_write_config_word(pdev, PCI_COMMAND,
			      cmd | PCI_COMMAND_INTX_DISABLE);
	if (pdev->rom_base_reg)
		pci_disable_rom(pdev);
	if (pdev->msix_cap) {
		pci_read_config_word(pdev, pdev->msix_cap + PCI_MSIX_FLAGS,
				     &ctrl);
		pci_write_config_word(pdev, pdev->msix_cap + PCI_MSIX_FLAGS,
				      ctrl & ~(PCI_MSIX_FLAGS_ENABLE |
					       PCI_MSIX_FLAGS_MASKALL));
	}
	if (pdev->msi_cap) {
		pci_read_config_word(pdev, pdev->msi_cap + PCI_MSI_FLAGS,
				     &ctrl);
		pci_write_config_word(pdev, pdev->msi_cap + PCI_MSI_FLAGS,
				      ctrl & ~PCI_MSI_FLAGS_ENABLE);
	}
}

/*
 * Take @d's function off the native bus: its config space saved, then
 * quiesced, its BARs released and hidden (no flags) from the native
 * resource assigner: a rescan would place them anew, writing the real
 * BARs under the guest.
 */
static int pvbus_sim_pt_detach(struct pvbus_sim_pt_dev *d)
{
	struct pci_dev *pdev = d->pdev;
	unsigned int i;

	if (pci_save_state(pdev))
		return -EIO;
	d->state = pci_store_saved_state(pdev);
	if (!d->state)
		return -ENOMEM;

	pvbus_sim_pt_quiesce(pdev);
	for (i = 0; i < PVBUS_SIM_PT_NR_RES; i++) {
		struct resource *r = &pdev->resource[i];

		d->res[i] = (struct pvbus_sim_pt_res) {
			.start		= r->start,
			.end		= r->end,
			.flags		= r->flags,
			.claimed	= r->parent,
		};
		if (r->parent)
			pci_release_resource(pdev, i);
		r->flags = 0;
	}
	return 0;
}

/*
 * Bring @pdev back to D0, if the guest put it in a lower state through
 * its PM capability (forwarded): the PCI core still takes it for D0, and
 * a config space restored in D3hot is lost on the way back to D0 by a
 * function that resets then (No_Soft_Reset clear).
 */
static void pvbus_sim_pt_wake(struct pci_dev *pdev)
{
	u16 pmcsr;

	if (!pdev->pm_cap)
		return;
	pci_read_config_word(pdev, pdev->pm_cap + PCI_PM_CTRL, &pmcsr);
	if (PCI_POSSIBLE_ERROR(pmcsr) || !(pmcsr & PCI_PM_CTRL_STATE_MASK))
		return;
	pci_info(pdev, "given back in D%u: back to D0\n",
		 pmcsr & PCI_PM_CTRL_STATE_MASK);
	/* Not the PME status, which writing it back would clear. */
	pci_write_config_word(pdev, pdev->pm_cap + PCI_PM_CTRL,
			      pmcsr & ~(PCI_PM_CTRL_STATE_MASK |
					PCI_PM_CTRL_PME_STATUS));
	/* Its D3hot to D0 recovery time, as pci_set_power_state() waits. */
	if (pdev->d3hot_delay)
		msleep(pdev->d3hot_delay);
}

/*
 * Whatever the guest's driver left running in the function goes, as
 * xen-pciback and vfio-pci reset a function they let go of.  A guest whose
 * function was taken from it by surprise (a function or host set not
 * live, an eject the guest did not complete) could not shut it down: its
 * writes went nowhere once the function was fenced.  An NVMe controller
 * left enabled, its queues in memory the guest's driver has freed, would
 * take them up again once the native driver turns bus mastering on,
 * before that driver disables it.  The function is bound to no driver
 * (hidden), and its config space is restored after this.
 */
static void pvbus_sim_pt_reset(struct pci_dev *pdev)
{
	int ret;

	device_lock(&pdev->dev);
	pci_cfg_access_lock(pdev);
	ret = __pci_reset_function_locked(pdev);
	pci_cfg_access_unlock(pdev);
	device_unlock(&pdev->dev);
	if (ret)
		pci_warn(pdev, "not reset (%d): whatever the guest left running in it still runs\n",
			 ret);
}

/*
 * Put @d's function back on the native bus as it was.  Its decode stays
 * off until every resource it had is claimed again (or reassigned): until
 * then a range of it may be someone else's, taken while the host had it.
 * Called with pci_lock_rescan_remove() held, so that the function does
 * not leave the native bus between the look at @d->removed and the
 * claims; a function that left it gets its config space back, and nothing
 * else.
 */
static void pvbus_sim_pt_attach(struct pvbus_sim_pt_dev *d)
{
	const u32 decode = PCI_COMMAND_MEMORY | PCI_COMMAND_IO;
	struct pci_dev *pdev = d->pdev;
	u32 *cmd_dword = &pdev->saved_config_space[PCI_COMMAND / 4];
	bool claimed = true;
	unsigned int i;
	u16 cmd;

	/* Nothing of the guest's. */
	pvbus_sim_pt_wake(pdev);
	pvbus_sim_pt_quiesce(pdev);
	if (!d->removed && !pci_dev_is_disconnected(pdev))
		pvbus_sim_pt_reset(pdev);

	/* The BARs at their native addresses, decode still off. */
	pci_load_and_free_saved_state(pdev, &d->state);
	cmd = *cmd_dword & 0xffff;
	*cmd_dword &= ~decode;
	pci_restore_state(pdev);

	if (d->removed) {
		pci_info(pdev, "not put back on the native bus, which removed it\n");
		return;
	}

	for (i = 0; i < PVBUS_SIM_PT_NR_RES; i++) {
		struct resource *r = &pdev->resource[i];

		if (r->parent)
			continue;
		r->start = d->res[i].start;
		r->end = d->res[i].end;
		r->flags = d->res[i].flags;
		if (!d->res[i].claimed || !pci_claim_resource(pdev, i))
			continue;
		pci_warn(pdev, "BAR %u: cannot claim %pR where it was: reassigning it\n",
			 i, r);
		if (!pci_assign_resource(pdev, i))
			continue;
		if (i == PCI_ROM_RESOURCE) {
			/*
			 * The ROM's own enable bit, not the command register,
			 * keeps it off: pci_enable_device() turns memory decode
			 * on without a ROM that is not enabled.
			 */
			pci_err(pdev, "ROM: no room for it: its decode left off\n");
			pci_disable_rom(pdev);
		} else {
			pci_err(pdev, "BAR %u: no room for it\n", i);
			claimed = false;
		}
	}

	if (claimed)
		pci_write_config_word(pdev, PCI_COMMAND, cmd);
	else
		pci_err(pdev, "memory and I/O decode left off: a BAR has no place\n");
}

/* The PCI bus removes a device: is it one the host has? */
static int pvbus_sim_pt_bus_event(struct notifier_block *nb,
				  unsigned long action, void *data)
{
	struct pvbus_sim_pt_dev *d = container_of(nb, struct pvbus_sim_pt_dev,
						  nb);

	if (action != BUS_NOTIFY_DEL_DEVICE || data != &d->pdev->dev)
		return NOTIFY_DONE;

	mutex_lock(&pvbus_sim_pt_lock);
	d->removed = true;
	mutex_unlock(&pvbus_sim_pt_lock);
	pci_warn(d->pdev, "removed from the native bus while the simulated host has it\n");
	return NOTIFY_OK;
}

/* Keep @d's function from its native driver and bus; unwinds on error. */
static int pvbus_sim_pt_hold(struct pvbus_sim_pt_dev *d)
{
	int ret;

	d->nb.notifier_call = pvbus_sim_pt_bus_event;
	ret = bus_register_notifier(&pci_bus_type, &d->nb);
	if (ret)
		return ret;
	ret = pvbus_sim_pt_hide(d);
	if (!ret) {
		ret = pvbus_sim_pt_detach(d);
		if (ret)
			pvbus_sim_pt_unhide(d);
	}
	if (ret)
		bus_unregister_notifier(&pci_bus_type, &d->nb);
	return ret;
}

/**
 * pvbus_sim_pt_take() - take a real PCI function for pass-through
 * @addr: its address, as pvbus_sim_pt_parse_addr() reads it
 * @desc: the function the host is to offer in its place: its ids, class,
 *	revision and BARs are set from the real function's, and its
 *	&pvbus_sim_pci_fn_desc.pt; its devfn, serial and flags are left
 *
 * The function's native driver is unbound, no other driver can bind to it,
 * and it decodes nothing until the guest enables it where pci-pvbus placed
 * its BARs.
 *
 * Return: the function, for pvbus_sim_pt_give_back(), or an ERR_PTR():
 * -EINVAL for a malformed address, a bridge, a virtual function, a
 * physical function with SR-IOV, a function an IOMMU handles or one behind
 * a pvbus bus, or BARs the protocol cannot describe; -ENODEV if there is no such
 * function; -EBUSY if it is taken already or its driver does not let go;
 * -EIO if its PCI Express Device Control reads as all ones; -ENOMEM.
 */
struct pvbus_sim_pt *pvbus_sim_pt_take(const char *addr,
				       struct pvbus_sim_pci_fn_desc *desc)
{
	struct pvbus_sim_pci_bar bar[PVBUS_PCI_NR_BARS];
	struct pvbus_sim_pt_dev *d, *other;
	struct pci_dev *pdev;
	u8 busnr, devfn;
	u32 domain;
	int io, rebar, ret;

	ret = pvbus_sim_pt_parse_addr(addr, &domain, &busnr, &devfn);
	if (ret)
		return ERR_PTR(ret);
	/* No removal of it from the native bus while it is taken. */
	pci_lock_rescan_remove();
	pdev = pci_get_domain_bus_and_slot(domain, busnr, devfn);
	if (!pdev) {
		ret = -ENODEV;
		goto unlock;
	}
	ret = pvbus_sim_pt_check(pdev);
	if (ret)
		goto put;
	io = pvbus_sim_pt_describe_bars(pdev->resource, bar);
	if (io < 0) {
		pci_info(pdev, "not passed through: a BAR the pvbus PCI protocol cannot describe\n");
		ret = io;
		goto put;
	}

	d = kzalloc(sizeof(*d), GFP_KERNEL);
	if (!d) {
		ret = -ENOMEM;
		goto put;
	}
	d->pdev = pdev;
	d->pt.ops = &pvbus_sim_pt_ops;
	d->pt.cfg_size = pdev->cfg_size;
	d->pt.name = pci_name(pdev);

	mutex_lock(&pvbus_sim_pt_lock);
	list_for_each_entry(other, &pvbus_sim_pt_devs, node) {
		if (other->pdev == pdev) {
			mutex_unlock(&pvbus_sim_pt_lock);
			ret = -EBUSY;
			goto free;
		}
	}
	list_add_tail(&d->node, &pvbus_sim_pt_devs);
	mutex_unlock(&pvbus_sim_pt_lock);

	/*
	 * Awake while the host has it, as vfio-pci keeps the devices it has:
	 * the guest's accesses do not resume it, and with no driver it
	 * would runtime-suspend, its state saved behind the guest's back and
	 * the bridge above it free to go to D3.
	 */
	ret = pm_runtime_resume_and_get(&pdev->dev);
	if (ret) {
		pci_info(pdev, "not passed through: it does not resume: %d\n",
			 ret);
	} else {
		/* Awake: its config space reads as it is. */
		rebar = pci_find_ext_capability(pdev, PCI_EXT_CAP_ID_REBAR);
		ret = pvbus_sim_pt_find_kept(&d->pt, pci_pcie_cap(pdev), rebar);
		if (ret)
			pci_info(pdev, "not passed through: its Device Control reads as all ones\n");
		else
			ret = pvbus_sim_pt_hold(d);
		if (ret)
			pm_runtime_put(&pdev->dev);
	}
	if (ret) {
		mutex_lock(&pvbus_sim_pt_lock);
		list_del(&d->node);
		mutex_unlock(&pvbus_sim_pt_lock);
		goto free;
	}

	desc->id.vendor = pdev->vendor;
	desc->id.device = pdev->device;
	desc->id.class = pdev->class;
	desc->id.revision = pdev->revision;
	desc->id.subsys_vendor = pdev->subsystem_vendor;
	desc->id.subsys_device = pdev->subsystem_device;
	memcpy(desc->bar, bar, sizeof(bar));
	desc->pt = &d->pt;

	pci_info(pdev, "taken from %s for pass-through by the simulated host\n",
		 d->driver[0] ? d->driver : "no driver");
	if (io)
		pci_info(pdev, "%d I/O BAR%s not passed through\n", io,
			 io == 1 ? "" : "s");
	pci_unlock_rescan_remove();
	return &d->pt;

free:
	kfree(d);
put:
	pci_dev_put(pdev);
unlock:
	pci_unlock_rescan_remove();
	return ERR_PTR(ret);
}

/**
 * pvbus_sim_pt_give_back() - give a function back to the native bus
 * @pt: what pvbus_sim_pt_take() returned; freed
 *
 * No guest may have the function any more: no bus of the host has it in
 * its relations.  Its config space is restored as it was taken, its
 * resources are claimed where they were, and its native driver is probed;
 * if it left the native bus meanwhile, only its config space is restored.
 */
void pvbus_sim_pt_give_back(struct pvbus_sim_pt *pt)
{
	struct pvbus_sim_pt_dev *d = to_pt_dev(pt);
	struct pci_dev *pdev = d->pdev;
	bool removed;

	pci_lock_rescan_remove();
	mutex_lock(&pvbus_sim_pt_lock);
	pvbus_sim_pt_attach(d);
	removed = d->removed;
	mutex_unlock(&pvbus_sim_pt_lock);
	pci_unlock_rescan_remove();
	bus_unregister_notifier(&pci_bus_type, &d->nb);

	if (removed) {
		kfree(d->override);
		d->override = NULL;
	} else {
		pci_info(pdev, "given back by the simulated host\n");
		pvbus_sim_pt_unhide(d);
	}

	pm_runtime_put(&pdev->dev);

	mutex_lock(&pvbus_sim_pt_lock);
	list_del(&d->node);
	mutex_unlock(&pvbus_sim_pt_lock);
	pci_dev_put(pdev);
	kfree(d);
}
