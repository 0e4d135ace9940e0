/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The seam between dojo.ko and an emulated DIP (dojo_emu.ko).
 *
 * An emulated DIP is published as an auxiliary device named
 * DOJO_EMU_AUX_MODNAME "." DOJO_EMU_AUX_DEVNAME. It offers exactly what a
 * PCI card offers: a BAR0 to read and write (through @bar, since a software
 * register file cannot be mapped), interrupt lines (real Linux IRQ numbers
 * from the emulator's own irq_domain) and a struct device to map DMA memory
 * against (the auxiliary device itself). Nothing else crosses: neither
 * module calls the other's functions, so dojo.ko loads without the emulator.
 */
#ifndef __DOJO_EMU_IF_H__
#define __DOJO_EMU_IF_H__

#include <linux/auxiliary_bus.h>
#include <linux/types.h>

#define DOJO_EMU_AUX_MODNAME	"dojo_emu"
#define DOJO_EMU_AUX_DEVNAME	"dip"
#define DOJO_EMU_MAX_IRQS	16

/**
 * struct dojo_emu_bar_ops - the emulated card's BAR0
 * @read32: load the 32-bit register at byte offset @off
 * @write32: store @val to the 32-bit register at byte offset @off
 *
 * Both may be called from any context, including hard interrupt context,
 * and never sleep. Offsets outside the BAR read as all-ones and ignore
 * writes, as an unclaimed PCI read would.
 */
struct dojo_emu_bar_ops {
	u32 (*read32)(void *card, u32 off);
	void (*write32)(void *card, u32 off, u32 val);
};

/**
 * struct dojo_emu_dip - what the emulator publishes for one DIP
 * @adev: the auxiliary device the driver binds; its dev is DMA-capable
 * @bar: register accessors
 * @card: the model instance, passed back to @bar
 * @nr_irqs: interrupt vectors, vector i is Linux IRQ @irqs[i]
 * @irqs: Linux IRQ numbers
 * @bus_addr: the emulated card's name, used as its bus address
 */
struct dojo_emu_dip {
	struct auxiliary_device adev;
	const struct dojo_emu_bar_ops *bar;
	void *card;
	unsigned int nr_irqs;
	int irqs[DOJO_EMU_MAX_IRQS];
	char bus_addr[32];
};

static inline struct dojo_emu_dip *to_dojo_emu_dip(struct auxiliary_device *adev)
{
	return container_of(adev, struct dojo_emu_dip, adev);
}

#endif /* __DOJO_EMU_IF_H__ */
