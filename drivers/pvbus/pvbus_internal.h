/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pvbus internals shared by the files of pvbus.ko.
 */
#ifndef _PVBUS_INTERNAL_H
#define _PVBUS_INTERNAL_H

#include <linux/device.h>
#include <linux/mutex.h>
#include <linux/pvbus_host.h>

struct pci_bus;

/* Most MMIO windows and firmware reserved ranges a root takes. */
#define PVBUS_MAX_WINDOWS	8
#define PVBUS_MAX_FW_RSV	16

/* Where the bus learnt of a framebuffer or reserved range. */
enum pvbus_fb_source {
	PVBUS_FB_SCREEN_INFO,
	PVBUS_FB_PCI_DISPLAY,
	PVBUS_FB_FIRMWARE,
	PVBUS_FB_HOST,
	PVBUS_FB_PARAM,
	PVBUS_FB_KDUMP_FALLBACK,
	PVBUS_FB_NR_SOURCES,
};

/**
 * enum pvbus_host_state - where the host of a bus root is
 * @PVBUS_HOST_NONE: no host
 * @PVBUS_HOST_ATTACHING: a host registers; its connect() runs
 * @PVBUS_HOST_ATTACHED: a host is attached and may offer devices
 * @PVBUS_HOST_DETACHING: the host's devices are revoked, then its
 *	disconnect() runs
 */
enum pvbus_host_state {
	PVBUS_HOST_NONE,
	PVBUS_HOST_ATTACHING,
	PVBUS_HOST_ATTACHED,
	PVBUS_HOST_DETACHING,
};

/**
 * struct pvbus_root - the root of a bus: one per firmware node
 * @node: on the list of roots (protected by the bus lock)
 * @dev: the device the root driver bound to (ACPI/DT node, or the one
 *	created for the pvbus.mmio= parameter)
 * @space: the published MMIO space of the bus
 * @windows: the windows added to @space, as validated
 * @nr_windows: entries in @windows
 * @tie_err: why a window in a PCI host bridge window was refused while
 *	probing, or 0: the root's probe fails with it (root_bridge.c)
 * @fb_sources: bit N set when source N (&enum pvbus_fb_source) gave a range
 * @host: the host backend attaching, attached or detaching, or NULL
 *	(protected by the bus lock)
 * @host_state: where @host is, an &enum pvbus_host_state (likewise)
 * @devices: the &struct pvbus_device offered by @host (likewise)
 * @revoking: devices taken off @devices by pvbus_host_revoke() or by a
 *	failed offer whose revoke is not done (likewise): @host is not
 *	detached before none is
 * @host_rsv: the ranges @host reported when it connected (likewise)
 * @nr_host_rsv: entries in @host_rsv (likewise)
 * @debugfs: the root's debugfs file, its map of the MMIO space
 */
struct pvbus_root {
	struct list_head node;
	struct device *dev;
	struct pvbus_mmio_space *space;
	struct pvbus_range windows[PVBUS_MAX_WINDOWS];
	unsigned int nr_windows;
	int tie_err;
	unsigned long fb_sources;
	struct pvbus_host *host;
	enum pvbus_host_state host_state;
	struct list_head devices;
	unsigned int revoking;
	struct pvbus_range host_rsv[PVBUS_HOST_MAX_RSV];
	unsigned int nr_host_rsv;
	struct dentry *debugfs;
};

/**
 * struct pvbus_fw_input - what firmware says of a root's windows
 * @crs: the resources of the _CRS that describes them, or NULL
 * @nr_crs: entries in @crs
 * @old_ram: in a kdump kernel, the crashed kernel's RAM, or NULL
 * @nr_old_ram: entries in @old_ram
 *
 * Read by pvbus_fw_read_input() before the root takes the bus's lock:
 * evaluating AML and reading /proc/vmcore take as long as they take.
 */
struct pvbus_fw_input {
	struct resource *crs;
	unsigned int nr_crs;
	struct pvbus_range *old_ram;
	unsigned int nr_old_ram;
};

/* firmware.c: MMIO windows from firmware and pvbus.mmio= */
int pvbus_fw_read_input(struct device *dev, struct pvbus_fw_input *in);
void pvbus_fw_free_input(struct pvbus_fw_input *in);
int pvbus_fw_add_windows(struct pvbus_root *root,
			 const struct pvbus_fw_input *in, bool param);
bool pvbus_fw_param_root_wanted(void);

/* mmio_iomem.c: the PCI root bus whose window a resource is */
struct pci_bus *pvbus_mmio_root_bus_of(const struct resource *res);

/* root_bridge.c: the PCI host bridges a root's windows lie in */
int pvbus_root_tie_window(void *data, const struct resource *win);

/* fb.c: the framebuffer and every other reserved range */
int pvbus_fb_reserve_boot(struct pvbus_root *root);
int pvbus_fb_reserve_host(struct pvbus_root *root,
			  const struct pvbus_range *rsv, unsigned int nr);
const char *pvbus_fb_source_name(enum pvbus_fb_source src);

/* msg.c */
int pvbus_msg_specs_check(const struct pvbus_msg_spec *specs,
			  unsigned int nspecs);
int pvbus_msg_validate_refusal(const void *msg, size_t len,
			       const struct pvbus_msg_spec *specs,
			       unsigned int nspecs);

/* bus.c */
extern struct bus_type pvbus_bus_type;
int pvbus_bus_init(void);
void pvbus_bus_exit(void);
struct pvbus_device *pvbus_device_create(struct pvbus_root *root,
					 struct pvbus_host *host,
					 const guid_t *class,
					 const guid_t *instance,
					 void *host_data);

/* root.c */
int pvbus_root_init(void);
void pvbus_root_exit(void);
#if IS_ENABLED(CONFIG_KUNIT)
bool pvbus_param_root_needed(void);
#endif

#endif /* _PVBUS_INTERNAL_H */
