/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * DMA queues of the emulated DIP: the engine behind the queue register
 * blocks DOJO_REG_Q(q) of dojo_regs.h. See dojo_emu_dma.c.
 */
#ifndef __DOJO_EMU_DMA_H__
#define __DOJO_EMU_DMA_H__

#include <linux/types.h>

struct dentry;
struct dojo_emu_card;

int dojo_emu_dma_init(struct dojo_emu_card *card);
void dojo_emu_dma_fini(struct dojo_emu_card *card);

/* Register file hooks; the _locked ones run under the card's lock. */
bool dojo_emu_dma_reg(u32 off);
u32 dojo_emu_dma_read_locked(struct dojo_emu_card *card, u32 off);
void dojo_emu_dma_write_locked(struct dojo_emu_card *card, u32 off, u32 val);
void dojo_emu_dma_reset_locked(struct dojo_emu_card *card);
bool dojo_emu_dma_resetting_locked(struct dojo_emu_card *card);

void dojo_emu_dma_debugfs_init(struct dojo_emu_card *card, struct dentry *dir);
void dojo_emu_dma_check_leaks(void);

#endif /* __DOJO_EMU_DMA_H__ */
