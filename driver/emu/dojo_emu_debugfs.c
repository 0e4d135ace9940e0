// SPDX-License-Identifier: GPL-2.0-only
/*
 * Fault switches and counters of the emulated DIP, in
 * /sys/kernel/debug/dojo_emu/<card>/. The switches act inside the model;
 * the driver learns of them only through registers and interrupts.
 */
#include <linux/debugfs.h>
#include <linux/seq_file.h>

#include "dojo_emu.h"
#include "dojo_emu_dma.h"

static struct dentry *dojo_emu_debugfs_root;

static int dojo_emu_fatal_set(void *data, u64 val)
{
	if (val)
		dojo_emu_inject_fatal(data);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(dojo_emu_fatal_fops, NULL, dojo_emu_fatal_set,
			 "%llu\n");

static int dojo_emu_surprise_set(void *data, u64 val)
{
	if (val)
		dojo_emu_surprise_remove(data);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(dojo_emu_surprise_fops, NULL, dojo_emu_surprise_set,
			 "%llu\n");

static int dojo_emu_hb_stall_get(void *data, u64 *val)
{
	struct dojo_emu_card *card = data;

	*val = READ_ONCE(card->hb_stall);
	return 0;
}

static int dojo_emu_hb_stall_set(void *data, u64 val)
{
	dojo_emu_stall_heartbeat(data, val);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(dojo_emu_hb_stall_fops, dojo_emu_hb_stall_get,
			 dojo_emu_hb_stall_set, "%llu\n");

static int dojo_emu_backing_get(void *data, u64 *val)
{
	struct dojo_emu_card *card = data;

	*val = atomic_long_read(&card->hbm.nr_pages);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(dojo_emu_backing_fops, dojo_emu_backing_get, NULL,
			 "%llu\n");

static int dojo_emu_irq_count_show(struct seq_file *m, void *unused)
{
	struct dojo_emu_card *card = m->private;
	unsigned int v;

	for (v = 0; v < DOJO_EMU_NR_IRQS; v++)
		seq_printf(m, "%u %d %ld\n", v, card->irqs.virq[v],
			   atomic_long_read(&card->irqs.count[v]));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(dojo_emu_irq_count);

void dojo_emu_debugfs_card_init(struct dojo_emu_card *card)
{
	struct dentry *dir;

	dir = debugfs_create_dir(dev_name(&card->dev), dojo_emu_debugfs_root);
	card->debugfs = dir;

	debugfs_create_file_unsafe("inject_fatal", 0200, dir, card,
				   &dojo_emu_fatal_fops);
	debugfs_create_file_unsafe("heartbeat_stall", 0600, dir, card,
				   &dojo_emu_hb_stall_fops);
	debugfs_create_file_unsafe("surprise_remove", 0200, dir, card,
				   &dojo_emu_surprise_fops);
	debugfs_create_bool("reset_hang", 0600, dir, &card->reset_hang);
	debugfs_create_u32("irq_delay_ms", 0600, dir, &card->irqs.delay_ms);
	debugfs_create_u32("ready_delay_ms", 0600, dir, &card->ready_delay_ms);
	debugfs_create_file_unsafe("hbm_backing_pages", 0400, dir, card,
				   &dojo_emu_backing_fops);
	debugfs_create_ulong("hbm_backing_max_pages", 0400, dir,
			     &card->hbm.max_pages);
	debugfs_create_file("irq_count", 0400, dir, card,
			    &dojo_emu_irq_count_fops);
	dojo_emu_dma_debugfs_init(card, dir);
	dojo_emu_sensors_debugfs_init(card, dir);
	dojo_emu_zp_debugfs_init(card, dir);
}

void dojo_emu_debugfs_card_fini(struct dojo_emu_card *card)
{
	debugfs_remove_recursive(card->debugfs);
	card->debugfs = NULL;
}

/* ---- tiles --------------------------------------------------------------- */

static int dojo_emu_tile_used_get(void *data, u64 *val)
{
	struct dojo_emu_tile *tile = data;

	*val = atomic64_read(&tile->used);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(dojo_emu_tile_used_fops, dojo_emu_tile_used_get,
			 NULL, "%llu\n");

static int dojo_emu_tile_backing_get(void *data, u64 *val)
{
	struct dojo_emu_tile *tile = data;

	*val = atomic_long_read(&tile->sram.nr_pages);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(dojo_emu_tile_backing_fops, dojo_emu_tile_backing_get,
			 NULL, "%llu\n");

/* One line per buffer: id, SRAM offset, bytes, then the holding ports. */
static int dojo_emu_tile_buffers_show(struct seq_file *m, void *unused)
{
	struct dojo_emu_tile *tile = m->private;
	struct dojo_emu_tbuf *tbuf;
	unsigned long idx;
	unsigned int p;

	mutex_lock(&tile->lock);
	xa_for_each(&tile->bufs, idx, tbuf) {
		seq_printf(m, "0x%016llx 0x%llx %llu", tbuf->id, tbuf->off,
			   tbuf->size);
		for (p = 0; p < DOJO_EMU_TILE_PORTS; p++)
			if (tbuf->holds[p])
				seq_printf(m, " %u.%u:%u", p / DOJO_TTP_SLOTS,
					   p % DOJO_TTP_SLOTS, tbuf->holds[p]);
		seq_putc(m, '\n');
	}
	mutex_unlock(&tile->lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(dojo_emu_tile_buffers);

/* One line per cabled slot: edge, slot, card. */
static int dojo_emu_tile_ports_show(struct seq_file *m, void *unused)
{
	struct dojo_emu_tile *tile = m->private;
	unsigned int p;

	mutex_lock(&tile->lock);
	for (p = 0; p < DOJO_EMU_TILE_PORTS; p++)
		if (tile->ports[p])
			seq_printf(m, "%u %u %s\n", p / DOJO_TTP_SLOTS,
				   p % DOJO_TTP_SLOTS,
				   dev_name(&tile->ports[p]->dev));
	mutex_unlock(&tile->lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(dojo_emu_tile_ports);

void dojo_emu_debugfs_tile_init(struct dojo_emu_tile *tile)
{
	char name[32];
	struct dentry *dir;

	snprintf(name, sizeof(name), "tile%u", tile->id);
	dir = debugfs_create_dir(name, dojo_emu_debugfs_root);
	tile->debugfs = dir;
	debugfs_create_file_unsafe("sram_used_bytes", 0400, dir, tile,
				   &dojo_emu_tile_used_fops);
	debugfs_create_file_unsafe("sram_backing_pages", 0400, dir, tile,
				   &dojo_emu_tile_backing_fops);
	debugfs_create_ulong("sram_backing_max_pages", 0400, dir,
			     &tile->sram.max_pages);
	debugfs_create_file("buffers", 0400, dir, tile,
			    &dojo_emu_tile_buffers_fops);
	debugfs_create_file("ports", 0400, dir, tile,
			    &dojo_emu_tile_ports_fops);
}

void dojo_emu_debugfs_tile_fini(struct dojo_emu_tile *tile)
{
	debugfs_remove_recursive(tile->debugfs);
	tile->debugfs = NULL;
}

static int dojo_emu_live_tiles_get(void *data, u64 *val)
{
	*val = atomic_read(&dojo_emu_live_tiles);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(dojo_emu_live_tiles_fops, dojo_emu_live_tiles_get,
			 NULL, "%llu\n");

void dojo_emu_debugfs_init(void)
{
	dojo_emu_debugfs_root = debugfs_create_dir(DOJO_EMU_AUX_MODNAME, NULL);
	debugfs_create_file_unsafe("tiles_live", 0400, dojo_emu_debugfs_root,
				   NULL, &dojo_emu_live_tiles_fops);
}

void dojo_emu_debugfs_fini(void)
{
	debugfs_remove_recursive(dojo_emu_debugfs_root);
}
