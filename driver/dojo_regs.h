/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * BAR0 register map of the DIP, as this project models the card.
 * docs/hardware.md is the prose form of this file; keep them in step.
 * Both the driver and the emulated card include it, as a driver and an RTL
 * model share one register specification.
 */
#ifndef __DOJO_REGS_H__
#define __DOJO_REGS_H__

#include <linux/bits.h>

#define DOJO_BAR0_SIZE			0x10000

/* Identity block: read-only, valid whenever STATUS.READY is set. */
#define DOJO_REG_MAGIC			0x0000	/* reads DOJO_MAGIC */
#define DOJO_MAGIC			0x444f4a4f	/* "DOJO" */
#define DOJO_REG_REGS_VERSION		0x0004	/* major << 16 | minor */
#define DOJO_REGS_VERSION_MAJOR		1
#define DOJO_REGS_VERSION_MINOR		0
#define DOJO_REG_PCI_ID			0x0008	/* device << 16 | vendor */
#define DOJO_REG_REVISION		0x000c
#define DOJO_REG_FW_VERSION		0x0010	/* major << 16 | minor << 8 | patch */
#define DOJO_REG_PLATFORM		0x0014
#define   DOJO_PLATFORM_SILICON		1
#define   DOJO_PLATFORM_EMULATED	2
#define DOJO_REG_CAPS			0x0018
#define   DOJO_CAPS_DMA_QUEUES		GENMASK(7, 0)
#define   DOJO_CAPS_TTP_PORTS		GENMASK(11, 8)
#define   DOJO_CAPS_TTPOE_PORTS		GENMASK(15, 12)
#define   DOJO_CAPS_IRQ_VECTORS		GENMASK(23, 16)
#define DOJO_REG_PCIE_CAPS		0x001c
#define   DOJO_PCIE_CAPS_GEN		GENMASK(3, 0)
#define   DOJO_PCIE_CAPS_WIDTH		GENMASK(9, 4)
#define DOJO_REG_HBM_SIZE_LO		0x0020	/* bytes */
#define DOJO_REG_HBM_SIZE_HI		0x0024
#define DOJO_REG_SERIAL(i)		(0x0030 + (i) * 4)	/* 16 ASCII bytes */
#define DOJO_SERIAL_LEN			16

/* Control and status. */
#define DOJO_REG_CTRL			0x0100
#define   DOJO_CTRL_RESET		BIT(0)	/* self-clearing */
#define DOJO_REG_STATUS			0x0104
#define   DOJO_STATUS_READY		BIT(0)
#define   DOJO_STATUS_FATAL		BIT(1)
#define DOJO_REG_SCRATCH		0x0108	/* read/write, cleared by reset */
#define DOJO_REG_HEARTBEAT		0x010c	/* firmware tick, free-running */
#define DOJO_REG_RESET_COUNT		0x0110	/* resets since power-on */

/*
 * Interrupts. Vector 0 carries device events (the bits below); vectors
 * 1..N carry DMA queue completions. STATUS bits are write-one-to-clear;
 * a bit raises its vector only while the same bit is set in MASK.
 */
#define DOJO_REG_IRQ_STATUS		0x0200
#define DOJO_REG_IRQ_MASK		0x0204
#define DOJO_REG_IRQ_TEST		0x0208	/* write 1: raise DOJO_IRQ_TEST */
#define   DOJO_IRQ_TEST			BIT(0)
#define   DOJO_IRQ_HBM_ERROR		BIT(1)
#define   DOJO_IRQ_FATAL		BIT(31)

/*
 * HBM debug window: indirect access to HBM, one 32-bit word at a time, for
 * bring-up and debugfs. Writing DATA stores the word at ADDR; reading DATA
 * loads it; either advances ADDR by 4. WIN_STATUS keeps the first error
 * since it was last cleared (sticky), so a burst needs one check at its end.
 */
#define DOJO_REG_HBM_WIN_ADDR_LO	0x0300	/* byte address, 4-aligned */
#define DOJO_REG_HBM_WIN_ADDR_HI	0x0304
#define DOJO_REG_HBM_WIN_DATA		0x0308
#define DOJO_REG_HBM_WIN_STATUS		0x030c	/* write 0 to clear */
#define   DOJO_HBM_WIN_OK		0
#define   DOJO_HBM_WIN_ERR_RANGE	1	/* address beyond HBM */
#define   DOJO_HBM_WIN_ERR_ALIGN	2	/* address not 4-aligned */
#define   DOJO_HBM_WIN_ERR_BACKING	3	/* card could not store the word */

#endif /* __DOJO_REGS_H__ */
