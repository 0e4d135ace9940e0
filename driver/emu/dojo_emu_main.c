// SPDX-License-Identifier: GPL-2.0-only
/*
 * dojo_emu: a software model of the Dojo Interface Processor (DIP) card,
 * below its register interface. Cards live on a bus of their own,
 * /sys/bus/dojo_emu, where new_device and del_device plug and unplug them
 * at run time; each card publishes an auxiliary device for dojo.ko to bind.
 * Training tiles live there too (new_tile, del_tile), and link_tile and
 * unlink_tile cable a card's TTP port to a slot of a tile edge; link_eth
 * and unlink_eth cable its TTPoE port to a netdev.
 * See docs/emulator.md.
 */
#include <linux/ctype.h>
#include <linux/device.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/string.h>
#include <linux/wait_bit.h>

#include "dojo_emu.h"
#include "dojo_emu_dma.h"

static unsigned int dojo_emu_devices;
module_param_named(devices, dojo_emu_devices, uint, 0444);
MODULE_PARM_DESC(devices, "Emulated DIPs created at load, numbered from 0 (default 0, at most 64)");

unsigned int dojo_emu_hbm_backing_mb = 64;
module_param_named(hbm_backing_mb, dojo_emu_hbm_backing_mb, uint, 0644);
MODULE_PARM_DESC(hbm_backing_mb, "Host memory in MiB that may back each new card's HBM (default 64)");

unsigned int dojo_emu_tile_backing_mb = 128;
module_param_named(tile_backing_mb, dojo_emu_tile_backing_mb, uint, 0644);
MODULE_PARM_DESC(tile_backing_mb, "Host memory in MiB that may back each new tile's SRAM (default 128)");

unsigned int dojo_emu_ready_delay_ms = 10;
module_param_named(ready_delay_ms, dojo_emu_ready_delay_ms, uint, 0644);
MODULE_PARM_DESC(ready_delay_ms, "Time from power-on or reset to STATUS.READY of each new card, ms (default 10, at most 10000)");

/*
 * DONE_SEQNO is kept across resets and driver reloads, so a card that has
 * run for a while shows a large one; tests start new cards near 2^32 to
 * run jobs across the carry between its two registers.
 */
u64 dojo_emu_seqno_base;
module_param_named(seqno_base, dojo_emu_seqno_base, ullong, 0644);
MODULE_PARM_DESC(seqno_base, "DONE_SEQNO of each new card's queues at power-on (default 0)");

/* Cards not yet released, and cards whose model is not yet torn down. */
atomic_t dojo_emu_live_cards = ATOMIC_INIT(0);
DECLARE_WAIT_QUEUE_HEAD(dojo_emu_live_cards_wq);
atomic_t dojo_emu_live_models = ATOMIC_INIT(0);

static LIST_HEAD(dojo_emu_cards);
static LIST_HEAD(dojo_emu_tiles);
/* the lists, creation, deletion and cabling of cards and tiles */
static DEFINE_MUTEX(dojo_emu_cards_lock);
static unsigned int dojo_emu_nr_cards;
static unsigned int dojo_emu_nr_tiles;
static bool dojo_emu_closing;

static struct dojo_emu_card *dojo_emu_find(unsigned int id)
{
	struct dojo_emu_card *card;

	list_for_each_entry(card, &dojo_emu_cards, node)
		if (card->id == id)
			return card;
	return NULL;
}

static int dojo_emu_add(unsigned int id, const char *serial)
{
	struct dojo_emu_card *card;

	lockdep_assert_held(&dojo_emu_cards_lock);
	if (dojo_emu_closing)
		return -ENODEV;
	if (dojo_emu_find(id))
		return -EEXIST;
	if (dojo_emu_nr_cards >= DOJO_EMU_MAX_CARDS)
		return -ENOSPC;

	card = dojo_emu_card_create(id, serial);
	if (IS_ERR(card))
		return PTR_ERR(card);
	list_add_tail(&card->node, &dojo_emu_cards);
	dojo_emu_nr_cards++;
	return 0;
}

static void dojo_emu_del(struct dojo_emu_card *card)
{
	lockdep_assert_held(&dojo_emu_cards_lock);
	list_del(&card->node);
	dojo_emu_nr_cards--;
	dojo_emu_card_delete(card);
}

static bool dojo_emu_serial_valid(const char *s)
{
	size_t len = strlen(s);

	if (!len || len > DOJO_SERIAL_LEN)
		return false;
	for (; *s; s++)
		if (!isalnum(*s) && *s != '-')
			return false;
	return true;
}

/* Parse "ID" or, if @serial is given, "ID [SERIAL]". */
static int dojo_emu_parse(const char *buf, unsigned int *id, char *serial)
{
	char tmp[64], *s, *word;

	if (strscpy(tmp, buf, sizeof(tmp)) < 0)
		return -EINVAL;
	s = strim(tmp);
	word = strsep(&s, " \t");
	if (kstrtouint(word, 10, id) || *id > DOJO_EMU_MAX_ID)
		return -EINVAL;

	s = s ? skip_spaces(s) : NULL;
	if (!s || !*s)
		return 0;
	if (!serial || !dojo_emu_serial_valid(s))
		return -EINVAL;
	strscpy(serial, s, DOJO_SERIAL_LEN + 1);
	return 1;
}

static ssize_t new_device_store(const struct bus_type *bus, const char *buf,
				size_t count)
{
	char serial[DOJO_SERIAL_LEN + 1];
	unsigned int id;
	int ret;

	ret = dojo_emu_parse(buf, &id, serial);
	if (ret < 0)
		return ret;

	mutex_lock(&dojo_emu_cards_lock);
	ret = dojo_emu_add(id, ret ? serial : NULL);
	mutex_unlock(&dojo_emu_cards_lock);
	return ret ?: count;
}
static BUS_ATTR_WO(new_device);

static ssize_t del_device_store(const struct bus_type *bus, const char *buf,
				size_t count)
{
	struct dojo_emu_card *card;
	unsigned int id;
	int ret;

	ret = dojo_emu_parse(buf, &id, NULL);
	if (ret < 0)
		return ret;

	mutex_lock(&dojo_emu_cards_lock);
	card = dojo_emu_closing ? NULL : dojo_emu_find(id);
	if (card)
		dojo_emu_del(card);
	mutex_unlock(&dojo_emu_cards_lock);
	return card ? count : -ENOENT;
}
static BUS_ATTR_WO(del_device);

/* ---- tiles and cabling --------------------------------------------------- */

static struct dojo_emu_tile *dojo_emu_find_tile(unsigned int id)
{
	struct dojo_emu_tile *tile;

	list_for_each_entry(tile, &dojo_emu_tiles, node)
		if (tile->id == id)
			return tile;
	return NULL;
}

/* Parse up to @n unsigned numbers; all @n must be there. */
static int dojo_emu_parse_uints(const char *buf, unsigned int *v, int n)
{
	char tmp[64], *s, *word;
	int i;

	if (strscpy(tmp, buf, sizeof(tmp)) < 0)
		return -EINVAL;
	s = strim(tmp);
	for (i = 0; i < n; i++) {
		word = strsep(&s, " \t");
		if (!word || kstrtouint(word, 10, &v[i]))
			return -EINVAL;
		s = s ? skip_spaces(s) : NULL;
	}
	return s && *s ? -EINVAL : 0;
}

static ssize_t new_tile_store(const struct bus_type *bus, const char *buf,
			      size_t count)
{
	struct dojo_emu_tile *tile;
	unsigned int id;
	int ret;

	ret = dojo_emu_parse_uints(buf, &id, 1);
	if (ret || id > DOJO_EMU_MAX_ID)
		return -EINVAL;

	mutex_lock(&dojo_emu_cards_lock);
	if (dojo_emu_closing)
		ret = -ENODEV;
	else if (dojo_emu_find_tile(id))
		ret = -EEXIST;
	else if (dojo_emu_nr_tiles >= DOJO_EMU_MAX_TILES)
		ret = -ENOSPC;
	if (!ret) {
		tile = dojo_emu_tile_create(id);
		if (IS_ERR(tile)) {
			ret = PTR_ERR(tile);
		} else {
			list_add_tail(&tile->node, &dojo_emu_tiles);
			dojo_emu_nr_tiles++;
		}
	}
	mutex_unlock(&dojo_emu_cards_lock);
	return ret ?: count;
}
static BUS_ATTR_WO(new_tile);

static void dojo_emu_del_tile(struct dojo_emu_tile *tile)
{
	lockdep_assert_held(&dojo_emu_cards_lock);
	list_del(&tile->node);
	dojo_emu_nr_tiles--;
	dojo_emu_tile_delete(tile);
}

static ssize_t del_tile_store(const struct bus_type *bus, const char *buf,
			      size_t count)
{
	struct dojo_emu_tile *tile = NULL;
	unsigned int id;

	if (dojo_emu_parse_uints(buf, &id, 1))
		return -EINVAL;

	mutex_lock(&dojo_emu_cards_lock);
	if (!dojo_emu_closing)
		tile = dojo_emu_find_tile(id);
	if (tile)
		dojo_emu_del_tile(tile);
	mutex_unlock(&dojo_emu_cards_lock);
	return tile ? count : -ENOENT;
}
static BUS_ATTR_WO(del_tile);

/* "CARD TILE EDGE SLOT": cable card CARD's TTP port to TILE. */
static ssize_t link_tile_store(const struct bus_type *bus, const char *buf,
			       size_t count)
{
	struct dojo_emu_card *card;
	struct dojo_emu_tile *tile;
	unsigned int v[4];
	int ret;

	if (dojo_emu_parse_uints(buf, v, 4))
		return -EINVAL;

	mutex_lock(&dojo_emu_cards_lock);
	card = dojo_emu_closing ? NULL : dojo_emu_find(v[0]);
	tile = dojo_emu_closing ? NULL : dojo_emu_find_tile(v[1]);
	if (!card || !tile)
		ret = -ENOENT;
	else
		ret = dojo_emu_ttp_link(card, tile, v[2], v[3]);
	mutex_unlock(&dojo_emu_cards_lock);
	return ret ?: count;
}
static BUS_ATTR_WO(link_tile);

/* "CARD": pull card CARD's TTP cable. */
static ssize_t unlink_tile_store(const struct bus_type *bus, const char *buf,
				 size_t count)
{
	struct dojo_emu_card *card;
	unsigned int id;
	int ret;

	if (dojo_emu_parse_uints(buf, &id, 1))
		return -EINVAL;

	mutex_lock(&dojo_emu_cards_lock);
	card = dojo_emu_closing ? NULL : dojo_emu_find(id);
	ret = card ? dojo_emu_ttp_unlink(card) : -ENOENT;
	mutex_unlock(&dojo_emu_cards_lock);
	return ret ?: count;
}
static BUS_ATTR_WO(unlink_tile);

/* "CARD IFNAME": cable card CARD's TTPoE port to netdev IFNAME. */
static ssize_t link_eth_store(const struct bus_type *bus, const char *buf,
			      size_t count)
{
	char tmp[64], *s, *word;
	struct dojo_emu_card *card;
	unsigned int id;
	int ret;

	if (strscpy(tmp, buf, sizeof(tmp)) < 0)
		return -EINVAL;
	s = strim(tmp);
	word = strsep(&s, " \t");
	s = s ? strim(s) : NULL;
	if (kstrtouint(word, 10, &id) || !s || !*s || strlen(s) >= IFNAMSIZ ||
	    strpbrk(s, " \t"))
		return -EINVAL;

	mutex_lock(&dojo_emu_cards_lock);
	card = dojo_emu_closing ? NULL : dojo_emu_find(id);
	ret = card ? dojo_emu_zp_link(card, s) : -ENOENT;
	mutex_unlock(&dojo_emu_cards_lock);
	return ret ?: count;
}
static BUS_ATTR_WO(link_eth);

/* "CARD": pull card CARD's Ethernet cable. */
static ssize_t unlink_eth_store(const struct bus_type *bus, const char *buf,
				size_t count)
{
	struct dojo_emu_card *card;
	unsigned int id;
	int ret;

	if (dojo_emu_parse_uints(buf, &id, 1))
		return -EINVAL;

	mutex_lock(&dojo_emu_cards_lock);
	card = dojo_emu_closing ? NULL : dojo_emu_find(id);
	ret = card ? dojo_emu_zp_unlink(card) : -ENOENT;
	mutex_unlock(&dojo_emu_cards_lock);
	return ret ?: count;
}
static BUS_ATTR_WO(unlink_eth);

static struct attribute *dojo_emu_bus_attrs[] = {
	&bus_attr_new_device.attr,
	&bus_attr_del_device.attr,
	&bus_attr_new_tile.attr,
	&bus_attr_del_tile.attr,
	&bus_attr_link_tile.attr,
	&bus_attr_unlink_tile.attr,
	&bus_attr_link_eth.attr,
	&bus_attr_unlink_eth.attr,
	NULL
};
ATTRIBUTE_GROUPS(dojo_emu_bus);

const struct bus_type dojo_emu_bus = {
	.name = DOJO_EMU_AUX_MODNAME,
	.dev_name = DOJO_EMU_AUX_MODNAME,
	.bus_groups = dojo_emu_bus_groups,
};

/*
 * An open file can keep a card for hours. Wait as an idle task: the wait
 * is for userspace, no hung task for the kernel's detector (or a panic
 * where it is set to panic); and say once why rmmod waits.
 */
static void dojo_emu_wait_live_cards(void)
{
	if (wait_event_idle_timeout(dojo_emu_live_cards_wq,
				    !atomic_read(&dojo_emu_live_cards), 10 * HZ))
		return;
	pr_notice("dojo_emu: waiting for %d cards still in use\n",
		  atomic_read(&dojo_emu_live_cards));
	wait_event_idle(dojo_emu_live_cards_wq,
			!atomic_read(&dojo_emu_live_cards));
}

static void dojo_emu_del_all(void)
{
	struct dojo_emu_card *card, *tmp;
	struct dojo_emu_tile *tile, *ttmp;

	mutex_lock(&dojo_emu_cards_lock);
	dojo_emu_closing = true;
	list_for_each_entry_safe_reverse(card, tmp, &dojo_emu_cards, node)
		dojo_emu_del(card);
	list_for_each_entry_safe_reverse(tile, ttmp, &dojo_emu_tiles, node)
		dojo_emu_del_tile(tile);
	mutex_unlock(&dojo_emu_cards_lock);

	/*
	 * A card's memory goes when the last reference to its auxiliary
	 * device does, which an open file of the driver can delay. The
	 * release callbacks are this module's code: wait for them.
	 */
	dojo_emu_wait_live_cards();
}

static int __init dojo_emu_init(void)
{
	unsigned int i;
	int ret;

	if (dojo_emu_devices > DOJO_EMU_MAX_CARDS) {
		pr_err("dojo_emu: devices=%u, at most %u\n", dojo_emu_devices,
		       DOJO_EMU_MAX_CARDS);
		return -EINVAL;
	}

	dojo_emu_hbm_limit_init();
	dojo_emu_debugfs_init();
	ret = dojo_emu_zp_module_init();
	if (ret)
		goto err_debugfs;
	ret = bus_register(&dojo_emu_bus);
	if (ret)
		goto err_zp;

	mutex_lock(&dojo_emu_cards_lock);
	for (i = 0, ret = 0; i < dojo_emu_devices && !ret; i++)
		ret = dojo_emu_add(i, NULL);
	mutex_unlock(&dojo_emu_cards_lock);
	if (ret)
		goto err_cards;
	return 0;

err_cards:
	dojo_emu_del_all();
	bus_unregister(&dojo_emu_bus);
err_zp:
	dojo_emu_zp_module_exit();
err_debugfs:
	dojo_emu_debugfs_fini();
	return ret;
}

static void __exit dojo_emu_exit(void)
{
	long pages;
	int models;

	dojo_emu_del_all();
	bus_unregister(&dojo_emu_bus);
	dojo_emu_zp_module_exit();
	dojo_emu_debugfs_fini();

	models = atomic_read(&dojo_emu_live_models);
	if (models)
		pr_err("dojo_emu: leaked %d card models\n", models);
	if (atomic_read(&dojo_emu_live_tiles))
		pr_err("dojo_emu: leaked %d tiles\n",
		       atomic_read(&dojo_emu_live_tiles));
	pages = dojo_emu_hbm_total_pages();
	if (pages)
		pr_err("dojo_emu: leaked %ld HBM backing pages\n", pages);
	dojo_emu_dma_check_leaks();
}

module_init(dojo_emu_init);
module_exit(dojo_emu_exit);

MODULE_DESCRIPTION("Emulated Dojo Interface Processor (DIP) card");
MODULE_LICENSE("GPL");
