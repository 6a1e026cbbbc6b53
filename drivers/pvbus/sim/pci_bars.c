// SPDX-License-Identifier: GPL-2.0
/*
 * pvbus_sim: the text of a PCI function's "bars" attribute, read and
 * written: "TYPE:SIZE" per BAR, a 64-bit BAR taking two slots; and of its
 * "host_addrs" attribute: the BARs' host addresses.
 *
 * Copyright (C) 2026 The pvbus developers
 */

#include <kunit/visibility.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/kstrtox.h>
#include <linux/log2.h>
#include <linux/sizes.h>
#include <linux/string.h>
#include <linux/sysfs.h>

#include "sim.h"

/**
 * pvbus_sim_pci_parse_bars() - parse the "bars" attribute
 * @s: the list, modified: BARs separated by blanks, each "TYPE:SIZE" with
 *	TYPE one of 32, 32p, 64 and 64p (p: prefetchable) and SIZE as
 *	memparse() reads it, or "-" for an unused BAR slot
 * @bar: %PVBUS_PCI_NR_BARS entries, filled in: the size and flags of each
 *	BAR, a 64-bit BAR taking two slots; host addresses 0
 *
 * A size is a power of two of at least 16 bytes, at most 2 GiB for a
 * 32-bit BAR.
 *
 * Return: the number of slots used; -EINVAL for a malformed list; -ERANGE
 * for a size that does not fit in 64 bits; -E2BIG if the BARs take more
 * than %PVBUS_PCI_NR_BARS slots.
 */
int pvbus_sim_pci_parse_bars(char *s, struct pvbus_sim_pci_bar *bar)
{
	unsigned int n = 0, slots;
	char *tok, *end;
	u64 size;
	u32 flags;
	int ret;

	memset(bar, 0, PVBUS_PCI_NR_BARS * sizeof(*bar));
	while ((tok = strsep(&s, " \t\n"))) {
		if (!*tok)
			continue;
		if (!strcmp(tok, "-")) {
			if (n == PVBUS_PCI_NR_BARS)
				return -E2BIG;
			n++;
			continue;
		}

		if (!strncmp(tok, "32:", 3))
			flags = 0;
		else if (!strncmp(tok, "32p:", 4))
			flags = PVBUS_SIM_BAR_PREFETCH;
		else if (!strncmp(tok, "64:", 3))
			flags = PVBUS_SIM_BAR_64;
		else if (!strncmp(tok, "64p:", 4))
			flags = PVBUS_SIM_BAR_64 | PVBUS_SIM_BAR_PREFETCH;
		else
			return -EINVAL;
		tok = strchr(tok, ':') + 1;

		ret = pvbus_parse_size(tok, &end, &size);
		if (ret)
			return ret;
		if (*end || size < 16 || !is_power_of_2(size))
			return -EINVAL;
		if (!(flags & PVBUS_SIM_BAR_64) && size > SZ_2G)
			return -EINVAL;

		slots = flags & PVBUS_SIM_BAR_64 ? 2 : 1;
		if (n + slots > PVBUS_PCI_NR_BARS)
			return -E2BIG;
		bar[n].size = size;
		bar[n].flags = flags;
		if (slots == 2)
			bar[n + 1].flags = PVBUS_SIM_BAR_UPPER;
		n += slots;
	}
	return n;
}
EXPORT_SYMBOL_IF_KUNIT(pvbus_sim_pci_parse_bars);

/* Print a size with the largest suffix that divides it. */
static int pvbus_sim_size_str(char *buf, size_t len, u64 size)
{
	static const char suffix[] = "KMGTPE";
	int i = -1;

	while (i < (int)sizeof(suffix) - 2 && size >= SZ_1K &&
	       !(size & (SZ_1K - 1))) {
		size >>= 10;
		i++;
	}
	if (i < 0)
		return scnprintf(buf, len, "%llu", size);
	return scnprintf(buf, len, "%llu%c", size, suffix[i]);
}

/* The "bars" attribute: the BARs as pvbus_sim_pci_parse_bars() reads them. */
ssize_t pvbus_sim_bars_str(char *page, const struct pvbus_sim_pci_bar *bar)
{
	unsigned int b, last = 0;
	ssize_t len = 0;
	char size[24];

	for (b = 0; b < PVBUS_PCI_NR_BARS; b++)
		if (bar[b].size)
			last = b + 1;
	for (b = 0; b < last; b++) {
		if (bar[b].flags & PVBUS_SIM_BAR_UPPER)
			continue;
		if (len)
			len += sysfs_emit_at(page, len, " ");
		if (!bar[b].size) {
			len += sysfs_emit_at(page, len, "-");
			continue;
		}
		pvbus_sim_size_str(size, sizeof(size), bar[b].size);
		len += sysfs_emit_at(page, len, "%s%s:%s",
				     bar[b].flags & PVBUS_SIM_BAR_64 ? "64" : "32",
				     bar[b].flags & PVBUS_SIM_BAR_PREFETCH ?
				     "p" : "", size);
	}
	len += sysfs_emit_at(page, len, "\n");
	return len;
}

/*
 * Parse the "host_addrs" attribute: blank-separated addresses into @addr,
 * at most %PVBUS_PCI_NR_BARS.  Returns how many, or -errno.
 */
int pvbus_sim_pci_parse_host_addrs(char *s, u64 *addr)
{
	unsigned int n = 0;
	char *tok;
	int ret;

	while ((tok = strsep(&s, " \t\n"))) {
		if (!*tok)
			continue;
		if (n == PVBUS_PCI_NR_BARS)
			return -E2BIG;
		ret = kstrtou64(tok, 0, &addr[n]);
		if (ret)
			return ret;
		n++;
	}
	return n;
}
