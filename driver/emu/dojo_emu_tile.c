// SPDX-License-Identifier: GPL-2.0-only
/*
 * Emulated training tiles and the TTP tile port of the emulated DIP, as
 * docs/hardware.md specifies them.
 *
 * A tile is a controller and 11 GB of SRAM, backed by host pages only
 * where it was written (as HBM is, see dojo_emu_hbm.c), bounded per tile
 * by tile_backing_mb. Cards are cabled to a slot of one of its edges; all
 * cards of a tile reach the same SRAM, and only through buffers: the
 * controller allocates a range, names it by a 64-bit id that the tile
 * never reuses, and counts the holds each port has on it. The card's
 * engine resolves a DOJO_BUF_TILE entry of a job's buffer table through
 * the controller, which checks that the card's port holds the buffer.
 * When a link goes down the controller drops every hold of that port; a
 * range is freed (and its backing discarded, so that the next owner reads
 * zeroes) once no port holds it and no engine is moving its data.
 *
 * Locking: the emulator's list lock (cabling, creation, deletion), then a
 * tile's lock (its controller state), then a card's register lock.
 */
#include <linux/bitfield.h>
#include <linux/genalloc.h>
#include <linux/random.h>
#include <linux/slab.h>

#include "dojo_emu.h"

#define DOJO_EMU_TILE_GRANULE	4096
/* genalloc cannot hand out address 0: SRAM offset 0 is pool address BASE. */
#define DOJO_EMU_TILE_POOL_BASE	BIT(40)

atomic_t dojo_emu_live_tiles = ATOMIC_INIT(0);

/* ---- tiles --------------------------------------------------------------- */

static void dojo_emu_tile_release(struct kref *ref)
{
	struct dojo_emu_tile *tile = container_of(ref, struct dojo_emu_tile, ref);

	gen_pool_destroy(tile->pool);
	dojo_emu_hbm_fini(&tile->sram);
	xa_destroy(&tile->bufs);
	mutex_destroy(&tile->lock);
	kfree(tile);
	atomic_dec(&dojo_emu_live_tiles);
}

static void dojo_emu_tile_put(struct dojo_emu_tile *tile)
{
	kref_put(&tile->ref, dojo_emu_tile_release);
}

/**
 * dojo_emu_tile_create - power on a new training tile
 * @id: tile number, unique among live tiles
 *
 * Context: process; the caller serialises creation and deletion.
 * Return: the tile, or an ERR_PTR.
 */
struct dojo_emu_tile *dojo_emu_tile_create(unsigned int id)
{
	struct dojo_emu_tile *tile;
	unsigned long backing;

	tile = kzalloc(sizeof(*tile), GFP_KERNEL);
	if (!tile)
		return ERR_PTR(-ENOMEM);
	tile->pool = gen_pool_create(ilog2(DOJO_EMU_TILE_GRANULE), NUMA_NO_NODE);
	if (!tile->pool ||
	    gen_pool_add(tile->pool, DOJO_EMU_TILE_POOL_BASE,
			 round_down(DOJO_EMU_TILE_SRAM_SIZE,
				    DOJO_EMU_TILE_GRANULE), NUMA_NO_NODE)) {
		if (tile->pool)
			gen_pool_destroy(tile->pool);
		kfree(tile);
		return ERR_PTR(-ENOMEM);
	}
	kref_init(&tile->ref);
	mutex_init(&tile->lock);
	xa_init(&tile->bufs);
	tile->id = id;
	tile->nonce = get_random_u32() | 1;
	tile->next_buf = 1;
	atomic64_set(&tile->used, 0);
	backing = (unsigned long)READ_ONCE(dojo_emu_tile_backing_mb) <<
		  (20 - PAGE_SHIFT);
	dojo_emu_hbm_init(&tile->sram, DOJO_EMU_TILE_SRAM_SIZE, backing);
	atomic_inc(&dojo_emu_live_tiles);
	dojo_emu_debugfs_tile_init(tile);
	return tile;
}

/**
 * dojo_emu_tile_delete - power off a tile
 * @tile: the tile, off the emulator's list
 *
 * Every link to it goes down; its memory goes once the last engine moving
 * its data has let go. Context: process, under the emulator's list lock.
 */
void dojo_emu_tile_delete(struct dojo_emu_tile *tile)
{
	struct dojo_emu_card *card;
	unsigned int p;

	for (p = 0; p < DOJO_EMU_TILE_PORTS; p++) {
		mutex_lock(&tile->lock);
		card = tile->ports[p];
		mutex_unlock(&tile->lock);
		if (card)
			dojo_emu_ttp_unlink(card);
	}
	dojo_emu_debugfs_tile_fini(tile);
	dojo_emu_tile_put(tile);
}

/* ---- buffers ------------------------------------------------------------- */

static void dojo_emu_tbuf_release(struct kref *ref)
{
	struct dojo_emu_tbuf *tbuf = container_of(ref, struct dojo_emu_tbuf, ref);
	struct dojo_emu_tile *tile = tbuf->tile;

	/* The next owner of the range must read zeroes. */
	dojo_emu_hbm_discard(&tile->sram, tbuf->off, tbuf->size);
	gen_pool_free(tile->pool, DOJO_EMU_TILE_POOL_BASE + tbuf->off,
		      tbuf->size);
	atomic64_sub(tbuf->size, &tile->used);
	kfree(tbuf);
	dojo_emu_tile_put(tile);
}

void dojo_emu_tbuf_put(struct dojo_emu_tbuf *tbuf)
{
	kref_put(&tbuf->ref, dojo_emu_tbuf_release);
}

static struct dojo_emu_tbuf *dojo_emu_tile_lookup(struct dojo_emu_tile *tile,
						  u64 id)
{
	lockdep_assert_held(&tile->lock);
	if (upper_32_bits(id) != tile->nonce)
		return NULL;
	return xa_load(&tile->bufs, lower_32_bits(id));
}

/* Drop @n holds of @port on @tbuf; the last hold of all frees it. */
static void dojo_emu_tile_unhold(struct dojo_emu_tile *tile,
				 struct dojo_emu_tbuf *tbuf, unsigned int port,
				 unsigned int n)
{
	lockdep_assert_held(&tile->lock);
	tbuf->holds[port] -= n;
	tbuf->total -= n;
	if (tbuf->total)
		return;
	xa_erase(&tile->bufs, lower_32_bits(tbuf->id));
	dojo_emu_tbuf_put(tbuf);
}

static void dojo_emu_tile_release_port(struct dojo_emu_tile *tile,
				       unsigned int port)
{
	struct dojo_emu_tbuf *tbuf;
	unsigned long idx;

	lockdep_assert_held(&tile->lock);
	xa_for_each(&tile->bufs, idx, tbuf)
		if (tbuf->holds[port])
			dojo_emu_tile_unhold(tile, tbuf, port, tbuf->holds[port]);
}

static u32 dojo_emu_tile_alloc(struct dojo_emu_tile *tile, unsigned int port,
			       u64 size, u64 *id, u64 *bytes)
{
	struct dojo_emu_tbuf *tbuf;
	unsigned long addr;

	if (!size || size > DOJO_EMU_TILE_SRAM_SIZE)
		return DOJO_TTP_MBOX_INVALID;
	size = round_up(size, DOJO_EMU_TILE_GRANULE);

	tbuf = kzalloc(sizeof(*tbuf), GFP_KERNEL);
	if (!tbuf)
		return DOJO_TTP_MBOX_NO_SPACE;
	addr = gen_pool_alloc(tile->pool, size);
	if (!addr) {
		kfree(tbuf);
		return DOJO_TTP_MBOX_NO_SPACE;
	}
	kref_init(&tbuf->ref);
	tbuf->tile = tile;
	tbuf->off = addr - DOJO_EMU_TILE_POOL_BASE;
	tbuf->size = size;
	tbuf->id = (u64)tile->nonce << 32 | tile->next_buf;
	tbuf->key = get_random_u64();
	tbuf->holds[port] = 1;
	tbuf->total = 1;
	if (xa_insert(&tile->bufs, tile->next_buf, tbuf, GFP_KERNEL)) {
		gen_pool_free(tile->pool, addr, size);
		kfree(tbuf);
		return DOJO_TTP_MBOX_NO_SPACE;
	}
	/* Ids are never reused: a tile runs out of them, not into old ones. */
	tile->next_buf++;
	kref_get(&tile->ref);
	atomic64_add(size, &tile->used);
	*id = tbuf->id;
	*bytes = size;
	return DOJO_TTP_MBOX_OK;
}

/* One mailbox command from @port, as the tile controller runs it. */
static u32 dojo_emu_tile_cmd(struct dojo_emu_tile *tile, unsigned int port,
			     u32 cmd, u64 arg0, u64 arg1, u64 *res0, u64 *res1)
{
	struct dojo_emu_tbuf *tbuf;

	lockdep_assert_held(&tile->lock);
	switch (cmd) {
	case DOJO_TTP_MBOX_ALLOC:
		if (!tile->next_buf)
			return DOJO_TTP_MBOX_NO_SPACE;
		return dojo_emu_tile_alloc(tile, port, arg0, res0, res1);
	case DOJO_TTP_MBOX_RELEASE_ALL:
		dojo_emu_tile_release_port(tile, port);
		return DOJO_TTP_MBOX_OK;
	case DOJO_TTP_MBOX_FREE:
	case DOJO_TTP_MBOX_GRANT:
	case DOJO_TTP_MBOX_ATTACH:
		break;
	default:
		return DOJO_TTP_MBOX_INVALID;
	}

	tbuf = dojo_emu_tile_lookup(tile, arg0);
	if (!tbuf)
		return DOJO_TTP_MBOX_NO_BUFFER;
	switch (cmd) {
	case DOJO_TTP_MBOX_FREE:
		if (!tbuf->holds[port])
			return DOJO_TTP_MBOX_NO_BUFFER;
		dojo_emu_tile_unhold(tile, tbuf, port, 1);
		return DOJO_TTP_MBOX_OK;
	case DOJO_TTP_MBOX_GRANT:
		if (!tbuf->holds[port])
			return DOJO_TTP_MBOX_NO_BUFFER;
		*res1 = tbuf->key;
		return DOJO_TTP_MBOX_OK;
	default: /* ATTACH */
		if (arg1 != tbuf->key)
			return DOJO_TTP_MBOX_DENIED;
		if (tbuf->holds[port] == U16_MAX)
			return DOJO_TTP_MBOX_INVALID;
		tbuf->holds[port]++;
		tbuf->total++;
		*res1 = tbuf->size;
		return DOJO_TTP_MBOX_OK;
	}
}

/* ---- the card's port ----------------------------------------------------- */

static void dojo_emu_ttp_mbox_work(struct work_struct *work)
{
	struct dojo_emu_card *card = container_of(work, struct dojo_emu_card,
						  ttp.mbox_work);
	struct dojo_emu_ttp *ttp = &card->ttp;
	struct dojo_emu_tile *tile;
	u64 arg0, arg1, res0 = 0, res1 = 0;
	u32 cmd, result = DOJO_TTP_MBOX_LINK_DOWN;
	unsigned long flags;
	unsigned int port;

	spin_lock_irqsave(&card->lock, flags);
	cmd = ttp->cmd;
	arg0 = ttp->arg0;
	arg1 = ttp->arg1;
	port = ttp->port;
	tile = ttp->tile;
	if (tile)
		kref_get(&tile->ref);
	spin_unlock_irqrestore(&card->lock, flags);

	if (tile) {
		mutex_lock(&tile->lock);
		if (tile->ports[port] == card)
			result = dojo_emu_tile_cmd(tile, port, cmd, arg0, arg1,
						   &res0, &res1);
		mutex_unlock(&tile->lock);
		dojo_emu_tile_put(tile);
	}

	spin_lock_irqsave(&card->lock, flags);
	ttp->res0 = res0;
	ttp->res1 = res1;
	ttp->mbox_status = FIELD_PREP(DOJO_TTP_MBOX_RESULT, result);
	spin_unlock_irqrestore(&card->lock, flags);
}

/* Set the card's side of the link and tell the driver it changed. */
static void dojo_emu_ttp_set(struct dojo_emu_card *card,
			     struct dojo_emu_tile *tile, unsigned int port)
{
	unsigned long flags;

	spin_lock_irqsave(&card->lock, flags);
	card->ttp.tile = tile;
	card->ttp.port = port;
	card->ttp.gen++;
	card->ttp.link_changes++;
	spin_unlock_irqrestore(&card->lock, flags);
	dojo_emu_raise_event(card, DOJO_IRQ_TTP_LINK);
}

/**
 * dojo_emu_ttp_link - cable a card's TTP port to a tile edge slot
 * @card: the card
 * @tile: the tile
 * @edge: 0..3
 * @slot: 0..4
 *
 * Context: process, under the emulator's list lock.
 * Return: 0; -EINVAL for a bad edge or slot; -EBUSY if the card is
 * already linked or the slot taken.
 */
int dojo_emu_ttp_link(struct dojo_emu_card *card, struct dojo_emu_tile *tile,
		      unsigned int edge, unsigned int slot)
{
	unsigned int port = edge * DOJO_TTP_SLOTS + slot;

	if (edge >= DOJO_TTP_EDGES || slot >= DOJO_TTP_SLOTS)
		return -EINVAL;
	if (READ_ONCE(card->ttp.tile))
		return -EBUSY;

	mutex_lock(&tile->lock);
	if (tile->ports[port]) {
		mutex_unlock(&tile->lock);
		return -EBUSY;
	}
	tile->ports[port] = card;
	kref_get(&tile->ref);
	mutex_unlock(&tile->lock);

	dojo_emu_ttp_set(card, tile, port);
	return 0;
}

/**
 * dojo_emu_ttp_unlink - pull a card's TTP cable
 * @card: the card
 *
 * The tile drops every hold of the card's port; engines moving tile data
 * stop at their next page with LINK_DOWN.
 * Context: process, under the emulator's list lock.
 * Return: 0, or -ENOENT if the card was not linked.
 */
int dojo_emu_ttp_unlink(struct dojo_emu_card *card)
{
	struct dojo_emu_tile *tile = READ_ONCE(card->ttp.tile);
	unsigned int port = card->ttp.port;

	if (!tile)
		return -ENOENT;
	mutex_lock(&tile->lock);
	tile->ports[port] = NULL;
	dojo_emu_tile_release_port(tile, port);
	mutex_unlock(&tile->lock);

	dojo_emu_ttp_set(card, NULL, 0);
	dojo_emu_tile_put(tile);
	return 0;
}

void dojo_emu_ttp_init(struct dojo_emu_card *card)
{
	INIT_WORK(&card->ttp.mbox_work, dojo_emu_ttp_mbox_work);
	atomic64_set(&card->ttp.tx_bytes, 0);
	atomic64_set(&card->ttp.rx_bytes, 0);
}

/* Once the card is gone: unplug its cable, finish its mailbox. */
void dojo_emu_ttp_fini(struct dojo_emu_card *card)
{
	dojo_emu_ttp_unlink(card);
	cancel_work_sync(&card->ttp.mbox_work);
}

/**
 * dojo_emu_ttp_resolve - the tile buffer a job's buffer table names
 * @card: the card running the job
 * @id: the entry's buffer id
 * @size: the entry's size
 * @tbuf: out: the buffer, referenced until dojo_emu_tbuf_put()
 * @gen: out: the link generation it was resolved under
 *
 * Context: process.
 * Return: 0; DOJO_ERR_LINK_DOWN if the link is down or the port does not
 * hold the buffer (any more); DOJO_ERR_FAULT if @size exceeds it.
 */
int dojo_emu_ttp_resolve(struct dojo_emu_card *card, u64 id, u64 size,
			 struct dojo_emu_tbuf **tbuf, u32 *gen)
{
	struct dojo_emu_tile *tile;
	struct dojo_emu_tbuf *t;
	unsigned long flags;
	unsigned int port;
	int err = DOJO_ERR_LINK_DOWN;

	spin_lock_irqsave(&card->lock, flags);
	tile = card->ttp.tile;
	port = card->ttp.port;
	*gen = card->ttp.gen;
	if (tile)
		kref_get(&tile->ref);
	spin_unlock_irqrestore(&card->lock, flags);
	if (!tile)
		return err;

	mutex_lock(&tile->lock);
	t = dojo_emu_tile_lookup(tile, id);
	if (t && t->holds[port] && tile->ports[port] == card) {
		err = size > t->size ? DOJO_ERR_FAULT : 0;
		if (!err) {
			kref_get(&t->ref);
			*tbuf = t;
		}
	}
	mutex_unlock(&tile->lock);
	dojo_emu_tile_put(tile);
	return err;
}

/* ---- registers ----------------------------------------------------------- */

bool dojo_emu_ttp_reg(u32 off)
{
	return off >= DOJO_REG_TTP_STATUS && off <= DOJO_REG_TTP_MBOX_RES1_HI;
}

u32 dojo_emu_ttp_read_locked(struct dojo_emu_card *card, u32 off)
{
	struct dojo_emu_ttp *ttp = &card->ttp;
	u64 sram = ttp->tile ? ttp->tile->sram.size : 0;

	switch (off) {
	case DOJO_REG_TTP_STATUS:
		if (!ttp->tile)
			return 0;
		return DOJO_TTP_LINK_UP |
		       FIELD_PREP(DOJO_TTP_EDGE, ttp->port / DOJO_TTP_SLOTS) |
		       FIELD_PREP(DOJO_TTP_SLOT, ttp->port % DOJO_TTP_SLOTS);
	case DOJO_REG_TTP_TILE_ID:
		return ttp->tile ? ttp->tile->id : 0;
	case DOJO_REG_TTP_SRAM_SIZE_LO:
		return lower_32_bits(sram);
	case DOJO_REG_TTP_SRAM_SIZE_HI:
		return upper_32_bits(sram);
	case DOJO_REG_TTP_LINK_CHANGES:
		return ttp->link_changes;
	case DOJO_REG_TTP_TX_BYTES_LO:
		return lower_32_bits(atomic64_read(&ttp->tx_bytes));
	case DOJO_REG_TTP_TX_BYTES_HI:
		return upper_32_bits(atomic64_read(&ttp->tx_bytes));
	case DOJO_REG_TTP_RX_BYTES_LO:
		return lower_32_bits(atomic64_read(&ttp->rx_bytes));
	case DOJO_REG_TTP_RX_BYTES_HI:
		return upper_32_bits(atomic64_read(&ttp->rx_bytes));
	case DOJO_REG_TTP_MBOX_ARG0_LO:
		return lower_32_bits(ttp->arg0);
	case DOJO_REG_TTP_MBOX_ARG0_HI:
		return upper_32_bits(ttp->arg0);
	case DOJO_REG_TTP_MBOX_ARG1_LO:
		return lower_32_bits(ttp->arg1);
	case DOJO_REG_TTP_MBOX_ARG1_HI:
		return upper_32_bits(ttp->arg1);
	case DOJO_REG_TTP_MBOX_CMD:
		return ttp->cmd;
	case DOJO_REG_TTP_MBOX_STATUS:
		return ttp->mbox_status;
	case DOJO_REG_TTP_MBOX_RES0_LO:
		return lower_32_bits(ttp->res0);
	case DOJO_REG_TTP_MBOX_RES0_HI:
		return upper_32_bits(ttp->res0);
	case DOJO_REG_TTP_MBOX_RES1_LO:
		return lower_32_bits(ttp->res1);
	case DOJO_REG_TTP_MBOX_RES1_HI:
		return upper_32_bits(ttp->res1);
	default:
		return 0;
	}
}

static void dojo_emu_set_lo(u64 *reg, u32 val)
{
	*reg = (*reg & ~0xffffffffULL) | val;
}

static void dojo_emu_set_hi(u64 *reg, u32 val)
{
	*reg = (u64)val << 32 | lower_32_bits(*reg);
}

void dojo_emu_ttp_write_locked(struct dojo_emu_card *card, u32 off, u32 val)
{
	struct dojo_emu_ttp *ttp = &card->ttp;

	switch (off) {
	case DOJO_REG_TTP_MBOX_ARG0_LO:
		dojo_emu_set_lo(&ttp->arg0, val);
		break;
	case DOJO_REG_TTP_MBOX_ARG0_HI:
		dojo_emu_set_hi(&ttp->arg0, val);
		break;
	case DOJO_REG_TTP_MBOX_ARG1_LO:
		dojo_emu_set_lo(&ttp->arg1, val);
		break;
	case DOJO_REG_TTP_MBOX_ARG1_HI:
		dojo_emu_set_hi(&ttp->arg1, val);
		break;
	case DOJO_REG_TTP_MBOX_CMD:
		if (ttp->mbox_status & DOJO_TTP_MBOX_BUSY)
			break;
		ttp->cmd = val;
		ttp->mbox_status = DOJO_TTP_MBOX_BUSY;
		queue_work(system_wq, &ttp->mbox_work);
		break;
	default:
		break;
	}
}
