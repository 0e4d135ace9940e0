/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Register access and bring-up of the DIP, the same code for every backend.
 */
#ifndef __DOJO_HW_H__
#define __DOJO_HW_H__

#include <linux/io.h>

#include "dojo_drv.h"

/*
 * The one place that knows a card can be a register file in software:
 * everything above these accessors programs silicon and model alike.
 */
static inline u32 dojo_rd32(struct dojo_device *ddev, u32 off)
{
	if (ddev->mmio)
		return readl(ddev->mmio + off);
	return ddev->emu_bar->read32(ddev->emu_card, off);
}

static inline void dojo_wr32(struct dojo_device *ddev, u32 off, u32 val)
{
	if (ddev->mmio)
		writel(val, ddev->mmio + off);
	else
		ddev->emu_bar->write32(ddev->emu_card, off, val);
}

static inline u64 dojo_rd64(struct dojo_device *ddev, u32 lo, u32 hi)
{
	return dojo_rd32(ddev, lo) | (u64)dojo_rd32(ddev, hi) << 32;
}

/* Blocks of the register interface, by the minor version that added them. */
#define DOJO_REGS_MINOR_TELEMETRY	1
#define DOJO_REGS_MINOR_TTP		2
#define DOJO_REGS_MINOR_ZPLANE		3

/*
 * Read a 64-bit counter kept as LO/HI registers without tearing: if HI
 * moved while LO was read, LO wrapped and is read again.
 */
static inline u64 dojo_rd64_counter(struct dojo_device *ddev, u32 lo, u32 hi)
{
	u32 h1, l, h2;

	h2 = dojo_rd32(ddev, hi);
	do {
		h1 = h2;
		l = dojo_rd32(ddev, lo);
		h2 = dojo_rd32(ddev, hi);
	} while (h1 != h2);
	return l | (u64)h1 << 32;
}

unsigned int dojo_timeout_ms(struct dojo_device *ddev, unsigned int silicon_ms);
bool dojo_hw_has_regs(struct dojo_device *ddev, u32 minor);
bool dojo_hw_is_dip(struct dojo_device *ddev, u32 *magic);
int dojo_hw_reset(struct dojo_device *ddev);
int dojo_hw_read_identity(struct dojo_device *ddev);
int dojo_hw_irq_init(struct dojo_device *ddev);
int dojo_hw_irq_selftest(struct dojo_device *ddev);
void dojo_hw_irq_enable(struct dojo_device *ddev);
void dojo_hw_quiesce(struct dojo_device *ddev);
void dojo_hw_bus_master(struct dojo_device *ddev, bool on);
int dojo_hw_hbm_rw(struct dojo_device *ddev, u64 addr, u32 *words,
		   size_t count, bool write);

#endif /* __DOJO_HW_H__ */
