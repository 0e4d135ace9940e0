// SPDX-License-Identifier: GPL-2.0-only
/*
 * BAR0 register file of the emulated DIP, as dojo_regs.h specifies it.
 *
 * Every access takes the card's register lock with interrupts off, so the
 * driver may call in from any context; nothing here sleeps. Accesses outside
 * BAR0, unaligned ones and any access to a deleted card read all-ones and
 * drop writes, as an unclaimed PCI transaction would. Unassigned offsets
 * inside BAR0 read zero.
 */
#include <linux/bitfield.h>
#include <linux/jiffies.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/unaligned.h>

#include "dojo_emu.h"
#include "dojo_emu_dma.h"

#define DOJO_EMU_IDENTITY_END	0x0100

void dojo_emu_event_locked(struct dojo_emu_card *card, u32 bits)
{
	card->irq_status |= bits;
	if (bits & card->irq_mask)
		dojo_emu_irq_raise(card, 0);
}

/* HEARTBEAT: a 1 kHz firmware tick, counting from the last boot. */
static u32 dojo_emu_heartbeat_locked(struct dojo_emu_card *card)
{
	if (!(card->status & DOJO_STATUS_READY))
		return 0;
	if (card->hb_stall)
		return card->hb_frozen;
	return (u32)div_u64(ktime_get_ns() - card->fw_start_ns, NSEC_PER_MSEC);
}

static unsigned long dojo_emu_ready_delay(struct dojo_emu_card *card)
{
	return msecs_to_jiffies(min(READ_ONCE(card->ready_delay_ms),
				    DOJO_EMU_MAX_READY_DELAY_MS));
}

static void dojo_emu_reset_locked(struct dojo_emu_card *card)
{
	card->status = 0;
	card->scratch = 0;
	card->irq_status = 0;
	card->irq_mask = 0;
	card->win_addr = 0;
	card->win_status = DOJO_HBM_WIN_OK;
	card->hb_stall = false;
	card->reset_count++;
	dojo_emu_dma_reset_locked(card);
	mod_delayed_work(system_wq, &card->ready_work,
			 dojo_emu_ready_delay(card));
}

static void dojo_emu_ready_work(struct work_struct *work)
{
	struct dojo_emu_card *card = container_of(to_delayed_work(work),
						  struct dojo_emu_card,
						  ready_work);
	unsigned long flags;

	spin_lock_irqsave(&card->lock, flags);
	if (!card->gone && !card->reset_hang) {
		if (dojo_emu_dma_resetting_locked(card)) {
			/* READY waits for every DMA queue to stop. */
			mod_delayed_work(system_wq, &card->ready_work, 1);
		} else {
			card->status |= DOJO_STATUS_READY;
			card->fw_start_ns = ktime_get_ns();
		}
	}
	spin_unlock_irqrestore(&card->lock, flags);
}

/* A failed window access: WIN_STATUS keeps the first error until cleared. */
static u32 dojo_emu_win_error(struct dojo_emu_card *card, u32 err)
{
	if (card->win_status == DOJO_HBM_WIN_OK)
		card->win_status = err;
	dojo_emu_event_locked(card, DOJO_IRQ_HBM_ERROR);
	return ~0U;
}

/* One access through the HBM debug window; advances the address on success. */
static u32 dojo_emu_win_access(struct dojo_emu_card *card, bool write, u32 val)
{
	u64 addr = card->win_addr;
	__le32 word;
	int ret;

	if (addr & 3)
		return dojo_emu_win_error(card, DOJO_HBM_WIN_ERR_ALIGN);
	if (write) {
		word = cpu_to_le32(val);
		ret = dojo_emu_hbm_write(&card->hbm, addr, &word, sizeof(word),
					 GFP_NOWAIT);
	} else {
		ret = dojo_emu_hbm_read(&card->hbm, addr, &word, sizeof(word));
	}
	if (ret == -ERANGE)
		return dojo_emu_win_error(card, DOJO_HBM_WIN_ERR_RANGE);
	if (ret)
		return dojo_emu_win_error(card, DOJO_HBM_WIN_ERR_BACKING);
	card->win_addr = addr + sizeof(word);
	return write ? 0 : le32_to_cpu(word);
}

static u32 dojo_emu_identity(struct dojo_emu_card *card, u32 off)
{
	switch (off) {
	case DOJO_REG_MAGIC:
		return DOJO_MAGIC;
	case DOJO_REG_REGS_VERSION:
		return DOJO_REGS_VERSION_MAJOR << 16 | DOJO_REGS_VERSION_MINOR;
	case DOJO_REG_PCI_ID:
		return DOJO_EMU_PCI_DEVICE << 16 | DOJO_EMU_PCI_VENDOR;
	case DOJO_REG_REVISION:
		return DOJO_EMU_REVISION;
	case DOJO_REG_FW_VERSION:
		return DOJO_EMU_FW_VERSION;
	case DOJO_REG_PLATFORM:
		return DOJO_PLATFORM_EMULATED;
	case DOJO_REG_CAPS:
		return FIELD_PREP(DOJO_CAPS_DMA_QUEUES, DOJO_EMU_DMA_QUEUES) |
		       FIELD_PREP(DOJO_CAPS_TTP_PORTS, DOJO_EMU_TTP_PORTS) |
		       FIELD_PREP(DOJO_CAPS_TTPOE_PORTS, DOJO_EMU_TTPOE_PORTS) |
		       FIELD_PREP(DOJO_CAPS_IRQ_VECTORS, DOJO_EMU_NR_IRQS);
	case DOJO_REG_PCIE_CAPS:
		return FIELD_PREP(DOJO_PCIE_CAPS_GEN, DOJO_EMU_PCIE_GEN) |
		       FIELD_PREP(DOJO_PCIE_CAPS_WIDTH, DOJO_EMU_PCIE_WIDTH);
	case DOJO_REG_HBM_SIZE_LO:
		return lower_32_bits(card->hbm.size);
	case DOJO_REG_HBM_SIZE_HI:
		return upper_32_bits(card->hbm.size);
	case DOJO_REG_SERIAL(0) ... DOJO_REG_SERIAL(DOJO_SERIAL_LEN / 4 - 1):
		return get_unaligned_le32(card->serial + off - DOJO_REG_SERIAL(0));
	default:
		return 0;
	}
}

static u32 dojo_emu_reg_read(struct dojo_emu_card *card, u32 off)
{
	bool ready = card->status & DOJO_STATUS_READY;

	/*
	 * MAGIC, PLATFORM and CAPS are strapped; the rest of the identity
	 * block comes from the firmware and is valid only while it is up.
	 */
	if (off < DOJO_EMU_IDENTITY_END) {
		if (ready || off == DOJO_REG_MAGIC ||
		    off == DOJO_REG_PLATFORM || off == DOJO_REG_CAPS)
			return dojo_emu_identity(card, off);
		return ~0U;
	}

	switch (off) {
	case DOJO_REG_CTRL:
		return ready ? 0 : DOJO_CTRL_RESET;
	case DOJO_REG_STATUS:
		return card->status;
	case DOJO_REG_SCRATCH:
		return card->scratch;
	case DOJO_REG_HEARTBEAT:
		return dojo_emu_heartbeat_locked(card);
	case DOJO_REG_RESET_COUNT:
		return card->reset_count;
	case DOJO_REG_IRQ_STATUS:
		return card->irq_status;
	case DOJO_REG_IRQ_MASK:
		return card->irq_mask;
	case DOJO_REG_HBM_WIN_ADDR_LO:
		return lower_32_bits(card->win_addr);
	case DOJO_REG_HBM_WIN_ADDR_HI:
		return upper_32_bits(card->win_addr);
	case DOJO_REG_HBM_WIN_DATA:
		return ready ? dojo_emu_win_access(card, false, 0) : ~0U;
	case DOJO_REG_HBM_WIN_STATUS:
		return card->win_status;
	default:
		if (dojo_emu_sensors_reg(off))
			return dojo_emu_sensors_read_locked(card, off);
		if (dojo_emu_dma_reg(off))
			return dojo_emu_dma_read_locked(card, off);
		if (dojo_emu_ttp_reg(off))
			return dojo_emu_ttp_read_locked(card, off);
		if (dojo_emu_zp_reg(off))
			return dojo_emu_zp_read_locked(card, off);
		return 0;
	}
}

static void dojo_emu_reg_write(struct dojo_emu_card *card, u32 off, u32 val)
{
	u32 unmasked;

	if (off == DOJO_REG_CTRL) {
		if (val & DOJO_CTRL_RESET)
			dojo_emu_reset_locked(card);
		return;
	}
	/* A card in reset ignores everything but CTRL. */
	if (!(card->status & DOJO_STATUS_READY))
		return;

	switch (off) {
	case DOJO_REG_SCRATCH:
		card->scratch = val;
		break;
	case DOJO_REG_IRQ_STATUS:
		card->irq_status &= ~val;
		break;
	case DOJO_REG_IRQ_MASK:
		unmasked = val & ~card->irq_mask & card->irq_status;
		card->irq_mask = val;
		if (unmasked)
			dojo_emu_irq_raise(card, 0);
		break;
	case DOJO_REG_IRQ_TEST:
		if (val & DOJO_IRQ_TEST)
			dojo_emu_event_locked(card, DOJO_IRQ_TEST);
		break;
	case DOJO_REG_HBM_WIN_ADDR_LO:
		card->win_addr = (card->win_addr & ~0xffffffffULL) | val;
		break;
	case DOJO_REG_HBM_WIN_ADDR_HI:
		card->win_addr = (u64)val << 32 | lower_32_bits(card->win_addr);
		break;
	case DOJO_REG_HBM_WIN_DATA:
		dojo_emu_win_access(card, true, val);
		break;
	case DOJO_REG_HBM_WIN_STATUS:
		if (!val)
			card->win_status = DOJO_HBM_WIN_OK;
		break;
	default:
		if (dojo_emu_dma_reg(off))
			dojo_emu_dma_write_locked(card, off, val);
		else if (dojo_emu_ttp_reg(off))
			dojo_emu_ttp_write_locked(card, off, val);
		else if (dojo_emu_zp_reg(off))
			dojo_emu_zp_write_locked(card, off, val);
		break;
	}
}

static bool dojo_emu_off_valid(u32 off)
{
	return off < DOJO_BAR0_SIZE && !(off & 3);
}

static u32 dojo_emu_read32(void *opaque, u32 off)
{
	struct dojo_emu_card *card = opaque;
	unsigned long flags;
	u32 val = ~0U;

	if (!dojo_emu_off_valid(off))
		return val;

	spin_lock_irqsave(&card->lock, flags);
	if (!card->gone)
		val = dojo_emu_reg_read(card, off);
	spin_unlock_irqrestore(&card->lock, flags);
	return val;
}

static void dojo_emu_write32(void *opaque, u32 off, u32 val)
{
	struct dojo_emu_card *card = opaque;
	unsigned long flags;

	if (!dojo_emu_off_valid(off))
		return;

	spin_lock_irqsave(&card->lock, flags);
	if (!card->gone)
		dojo_emu_reg_write(card, off, val);
	spin_unlock_irqrestore(&card->lock, flags);
}

const struct dojo_emu_bar_ops dojo_emu_bar_ops = {
	.read32 = dojo_emu_read32,
	.write32 = dojo_emu_write32,
};

/**
 * dojo_emu_raise_event - report device events on vector 0
 * @card: the card
 * @bits: DOJO_IRQ_* bits to set in IRQ_STATUS
 *
 * Any context. Vector 0 fires if any of @bits is set in IRQ_MASK.
 */
void dojo_emu_raise_event(struct dojo_emu_card *card, u32 bits)
{
	unsigned long flags;

	spin_lock_irqsave(&card->lock, flags);
	if (!card->gone && (card->status & DOJO_STATUS_READY))
		dojo_emu_event_locked(card, bits);
	spin_unlock_irqrestore(&card->lock, flags);
}

/* Fault: the card stops with STATUS.FATAL until the next reset. */
void dojo_emu_inject_fatal(struct dojo_emu_card *card)
{
	unsigned long flags;

	spin_lock_irqsave(&card->lock, flags);
	if (!card->gone && (card->status & DOJO_STATUS_READY)) {
		card->status |= DOJO_STATUS_FATAL;
		dojo_emu_event_locked(card, DOJO_IRQ_FATAL);
	}
	spin_unlock_irqrestore(&card->lock, flags);
}

/* Fault: freeze or restart the firmware tick. */
void dojo_emu_stall_heartbeat(struct dojo_emu_card *card, bool stall)
{
	unsigned long flags;

	spin_lock_irqsave(&card->lock, flags);
	if (stall && !card->hb_stall)
		card->hb_frozen = dojo_emu_heartbeat_locked(card);
	else if (!stall && card->hb_stall)
		card->fw_start_ns = ktime_get_ns() -
				    (u64)card->hb_frozen * NSEC_PER_MSEC;
	card->hb_stall = stall;
	spin_unlock_irqrestore(&card->lock, flags);
}

/*
 * Fault: the card drops off the bus as a surprise-removed PCI card does,
 * before anyone deletes it: every read returns all-ones, writes are lost,
 * the engines stop between two pages without writing anything back and no
 * interrupt fires. Deleting the card later completes the removal.
 */
void dojo_emu_surprise_remove(struct dojo_emu_card *card)
{
	unsigned long flags;

	spin_lock_irqsave(&card->lock, flags);
	card->gone = true;
	spin_unlock_irqrestore(&card->lock, flags);
}

/* Power the card on: READY follows after ready_delay_ms. */
void dojo_emu_regs_init(struct dojo_emu_card *card)
{
	spin_lock_init(&card->lock);
	INIT_DELAYED_WORK(&card->ready_work, dojo_emu_ready_work);
	card->win_status = DOJO_HBM_WIN_OK;
	dojo_emu_sensors_init(card);
	schedule_delayed_work(&card->ready_work, dojo_emu_ready_delay(card));
}

/* Power the card off: from now on it reads all-ones and drops writes. */
void dojo_emu_regs_stop(struct dojo_emu_card *card)
{
	unsigned long flags;

	spin_lock_irqsave(&card->lock, flags);
	card->gone = true;
	spin_unlock_irqrestore(&card->lock, flags);
	cancel_delayed_work_sync(&card->ready_work);
}
