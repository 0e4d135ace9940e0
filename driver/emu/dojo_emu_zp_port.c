// SPDX-License-Identifier: GPL-2.0-only
/*
 * The TTPoE port of the emulated DIP: its registers, its cable to a Linux
 * netdev, the link and the fault switches. The transport is in
 * dojo_emu_zp_conn.c, grants and remote DMA in dojo_emu_zp_rdma.c.
 *
 * link_eth cables the port to a netdev of the initial namespace: a packet
 * handler for EtherType 0x9AC6 on that device, the port's MAC in its
 * unicast filter, and a netdevice notifier that follows its carrier and
 * unplugs the cable when the device goes away. The handler runs in
 * softirq context and only queues frames (a bounded queue, as a NIC's
 * receive ring) for a work item: the transport runs in process context,
 * where storing into HBM may allocate backing pages.
 *
 * Frame integrity: veth has no Ethernet FCS, so the port marks its frames
 * with transport extension 0xF0 and appends a CRC-32 of bytes 14 to the
 * end of the NOC region right after it, inside the padding.
 */
#include <linux/bitfield.h>
#include <linux/crc32.h>
#include <linux/debugfs.h>
#include <linux/etherdevice.h>
#include <linux/ethtool.h>
#include <linux/if_arp.h>
#include <linux/module.h>
#include <linux/random.h>
#include <linux/rtnetlink.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/unaligned.h>
#include <net/net_namespace.h>

#include "dojo_emu_zp.h"

unsigned int dojo_emu_node_base = 1;
module_param_named(node_base, dojo_emu_node_base, uint, 0644);
MODULE_PARM_DESC(node_base, "Z-plane node id of card 0 at power-on; card N gets node_base + N (default 1)");

/* Ports cabled to a netdev, under rtnl. */
static LIST_HEAD(dojo_emu_zp_bound);

static const u8 dojo_emu_zp_oui[3] = { 0x98, 0xed, 0x5c };

static void dojo_emu_zp_mac(u8 *mac, u32 node)
{
	memcpy(mac, dojo_emu_zp_oui, sizeof(dojo_emu_zp_oui));
	mac[3] = node >> 16;
	mac[4] = node >> 8;
	mac[5] = node;
}

/* ---- the link ------------------------------------------------------------ */

static bool dojo_emu_zp_up_locked(struct dojo_emu_zp *zp)
{
	return (zp->ctrl & DOJO_ZP_CTRL_ENABLE) && READ_ONCE(zp->dev) &&
	       READ_ONCE(zp->carrier) && !READ_ONCE(zp->force_down) &&
	       !READ_ONCE(zp->flap_down) && !zp->card->gone;
}

static void dojo_emu_zp_link_eval_locked(struct dojo_emu_zp *zp)
{
	struct dojo_emu_card *card = zp->card;
	bool up = dojo_emu_zp_up_locked(zp);
	bool cabled = READ_ONCE(zp->dev);

	lockdep_assert_held(&card->lock);
	if (up == zp->link_up && cabled == zp->cabled)
		return;
	/* CABLED changes are events too: uncabled is a state software shows. */
	zp->cabled = cabled;
	if (up != zp->link_up) {
		WRITE_ONCE(zp->link_up, up);
		zp->link_changes++;
		if (!up)
			WRITE_ONCE(zp->link_down_at, jiffies);
	}
	if (!card->gone && (card->status & DOJO_STATUS_READY))
		dojo_emu_event_locked(card, DOJO_IRQ_ZPLANE);
}

/* Re-evaluate LINK_UP after one of its inputs changed. */
void dojo_emu_zp_link_eval(struct dojo_emu_zp *zp)
{
	unsigned long flags;

	spin_lock_irqsave(&zp->card->lock, flags);
	dojo_emu_zp_link_eval_locked(zp);
	spin_unlock_irqrestore(&zp->card->lock, flags);
	wake_up_all(&zp->wq);
	dojo_emu_zp_arm(zp);
}

bool dojo_emu_zp_link_usable(struct dojo_emu_zp *zp)
{
	return READ_ONCE(zp->link_up);
}

/* A connection left OPEN without this card asking for it. */
void dojo_emu_zp_event(struct dojo_emu_zp *zp)
{
	dojo_emu_raise_event(zp->card, DOJO_IRQ_ZPLANE);
}

/* Carrier and speed of the cabled netdev; under rtnl. */
static void dojo_emu_zp_carrier(struct dojo_emu_zp *zp)
{
	struct net_device *dev = zp->dev;
	struct ethtool_link_ksettings ks;
	u32 speed = 0;

	ASSERT_RTNL();
	if (!__ethtool_get_link_ksettings(dev, &ks) &&
	    ks.base.speed != SPEED_UNKNOWN)
		speed = ks.base.speed / 1000;
	WRITE_ONCE(zp->speed, speed);
	WRITE_ONCE(zp->carrier, netif_running(dev) && netif_carrier_ok(dev));
	dojo_emu_zp_link_eval(zp);
}

/* ---- frames -------------------------------------------------------------- */

/**
 * dojo_emu_zp_xmit - send one TTPoE frame
 * @zp: the port
 * @peer: destination node id
 * @vc: virtual channel
 * @op: transport opcode
 * @txid: TxID
 * @rxid: RxID
 * @noc: NOC region (PAYLOAD), or NULL
 * @len: its bytes
 *
 * Nothing is sent while the link is down. Context: process, port lock.
 */
void dojo_emu_zp_xmit(struct dojo_emu_zp *zp, u32 peer, u8 vc, u8 op,
		      u32 txid, u32 rxid, const u8 *noc, u16 len)
{
	struct net_device *dev = zp->dev;
	u32 node = READ_ONCE(zp->node_id);
	unsigned int flen, pct, pos;
	struct sk_buff *skb;
	u8 *f;

	lockdep_assert_held(&zp->lock);
	if (!dev || !dojo_emu_zp_link_usable(zp))
		return;

	flen = max(DOJO_EMU_ZP_MIN_FRAME, DOJO_EMU_ZP_HDR + len + 4);
	skb = alloc_skb(LL_RESERVED_SPACE(dev) + flen + dev->needed_tailroom,
			GFP_KERNEL);
	if (!skb) {
		dojo_emu_zp_count(zp, DOJO_EMU_ZPC_ERRORS, 1);
		return;
	}
	skb_reserve(skb, LL_RESERVED_SPACE(dev));
	f = skb_put_zero(skb, flen);

	dojo_emu_zp_mac(f, peer);
	dojo_emu_zp_mac(f + ETH_ALEN, node);
	put_unaligned_be16(DOJO_EMU_ZP_ETH_P, f + 12);
	f[14] = 0x05;			/* TTH: header length 5 words */
	put_unaligned_be16(46 + len, f + 16);
	put_unaligned_be32(node << 8, f + 34);	/* shim: 24-bit ids */
	f[37] = peer >> 16;
	f[38] = peer >> 8;
	f[39] = peer;
	put_unaligned_be16(26 + len, f + 40);
	f[42] = op;
	f[43] = vc;
	f[51] = DOJO_EMU_ZP_FCS_EXT;
	put_unaligned_be32(txid, f + 52);
	put_unaligned_be32(rxid, f + 56);
	if (len)
		memcpy(f + DOJO_EMU_ZP_HDR, noc, len);
	put_unaligned_le32(~crc32_le(~0U, f + 14, 46 + len),
			   f + DOJO_EMU_ZP_HDR + len);

	/* zp_corrupt_pct: flip a byte the CRC covers, never the marker. */
	pct = min(READ_ONCE(zp->corrupt_pct), 100U);
	if (pct && get_random_u32_below(100) < pct) {
		pos = 14 + get_random_u32_below(46 + len);
		if (pos == 51)
			pos = 52;
		f[pos] ^= 0xff;
	}

	skb->dev = dev;
	skb->protocol = htons(DOJO_EMU_ZP_ETH_P);
	skb_reset_mac_header(skb);
	skb_reset_network_header(skb);
	dojo_emu_zp_count(zp, DOJO_EMU_ZPC_TX_FRAMES, 1);
	dev_queue_xmit(skb);
}

/* Softirq: frames addressed to the port go to the rx work. */
static int dojo_emu_zp_rcv(struct sk_buff *skb, struct net_device *dev,
			   struct packet_type *pt, struct net_device *orig)
{
	struct dojo_emu_zp *zp = container_of(pt, struct dojo_emu_zp, pt);
	u8 mac[ETH_ALEN];

	dojo_emu_zp_mac(mac, READ_ONCE(zp->node_id));
	if (skb->pkt_type == PACKET_OUTGOING ||
	    !ether_addr_equal(eth_hdr(skb)->h_dest, mac))
		goto drop;
	skb = skb_share_check(skb, GFP_ATOMIC);
	if (!skb)
		return NET_RX_DROP;
	if (skb_queue_len(&zp->rxq) >= DOJO_EMU_ZP_RX_QUEUE) {
		dojo_emu_zp_count(zp, DOJO_EMU_ZPC_DROPS, 1);
		goto drop;
	}
	skb_queue_tail(&zp->rxq, skb);
	queue_work(system_wq, &zp->rx_work);
	return NET_RX_SUCCESS;
drop:
	kfree_skb(skb);
	return NET_RX_DROP;
}

static void dojo_emu_zp_rx_work(struct work_struct *work)
{
	struct dojo_emu_zp *zp = container_of(work, struct dojo_emu_zp,
					      rx_work);
	struct sk_buff *skb;
	unsigned int pct;

	while ((skb = skb_dequeue(&zp->rxq))) {
		pct = min(READ_ONCE(zp->drop_pct), 100U);
		/* A port without link (or disabled) hears nothing. */
		if ((!pct || get_random_u32_below(100) >= pct) &&
		    dojo_emu_zp_link_usable(zp) && !READ_ONCE(zp->card->gone)) {
			mutex_lock(&zp->lock);
			dojo_emu_zp_rx_frame(zp, skb);
			mutex_unlock(&zp->lock);
		}
		consume_skb(skb);
		cond_resched();
	}
}

/* ---- cabling ------------------------------------------------------------- */

/* Under rtnl: unplug the cable. */
static int dojo_emu_zp_unbind(struct dojo_emu_zp *zp)
{
	struct net_device *dev = zp->dev;

	ASSERT_RTNL();
	if (!dev)
		return -ENOENT;
	list_del_init(&zp->bound);
	dev_remove_pack(&zp->pt);	/* waits for running handlers */
	dev_uc_del(dev, zp->uc_mac);
	mutex_lock(&zp->lock);
	WRITE_ONCE(zp->dev, NULL);
	mutex_unlock(&zp->lock);
	skb_queue_purge(&zp->rxq);
	netdev_put(dev, &zp->tracker);
	WRITE_ONCE(zp->carrier, false);
	WRITE_ONCE(zp->speed, 0);
	dojo_emu_zp_link_eval(zp);
	return 0;
}

/**
 * dojo_emu_zp_link - cable a card's TTPoE port to a netdev
 * @card: the card
 * @ifname: a netdev of the initial namespace
 *
 * Context: process. Return: 0; -ENOENT if there is no such netdev; -EINVAL
 * if it is not an Ethernet interface; -EBUSY if the port is already cabled.
 */
int dojo_emu_zp_link(struct dojo_emu_card *card, const char *ifname)
{
	struct dojo_emu_zp *zp = card->zp;
	struct net_device *dev;
	int ret = 0;

	rtnl_lock();
	if (zp->dev) {
		ret = -EBUSY;
		goto out;
	}
	dev = netdev_get_by_name(&init_net, ifname, &zp->tracker, GFP_KERNEL);
	if (!dev) {
		ret = -ENOENT;
		goto out;
	}
	/* TTPoE is Ethernet: the port builds Ethernet headers and MACs. */
	if (dev->type != ARPHRD_ETHER || dev->addr_len != ETH_ALEN) {
		netdev_put(dev, &zp->tracker);
		ret = -EINVAL;
		goto out;
	}
	dojo_emu_zp_mac(zp->uc_mac, READ_ONCE(zp->node_id));
	ret = dev_uc_add(dev, zp->uc_mac);
	if (ret) {
		netdev_put(dev, &zp->tracker);
		goto out;
	}
	zp->pt.type = htons(DOJO_EMU_ZP_ETH_P);
	zp->pt.dev = dev;
	zp->pt.func = dojo_emu_zp_rcv;
	mutex_lock(&zp->lock);
	WRITE_ONCE(zp->dev, dev);
	mutex_unlock(&zp->lock);
	dev_add_pack(&zp->pt);
	list_add_tail(&zp->bound, &dojo_emu_zp_bound);
	dojo_emu_zp_carrier(zp);
out:
	rtnl_unlock();
	return ret;
}

/**
 * dojo_emu_zp_unlink - pull a card's Ethernet cable
 * @card: the card
 *
 * Context: process. Return: 0, or -ENOENT if the port was not cabled.
 */
int dojo_emu_zp_unlink(struct dojo_emu_card *card)
{
	int ret;

	rtnl_lock();
	ret = dojo_emu_zp_unbind(card->zp);
	rtnl_unlock();
	return ret;
}

static int dojo_emu_zp_netdev_event(struct notifier_block *nb,
				    unsigned long event, void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);
	struct dojo_emu_zp *zp, *tmp;

	list_for_each_entry_safe(zp, tmp, &dojo_emu_zp_bound, bound) {
		if (zp->dev != dev)
			continue;
		switch (event) {
		case NETDEV_UNREGISTER:
			dojo_emu_zp_unbind(zp);
			break;
		case NETDEV_UP:
		case NETDEV_DOWN:
		case NETDEV_CHANGE:
			dojo_emu_zp_carrier(zp);
			break;
		default:
			break;
		}
	}
	return NOTIFY_DONE;
}

static struct notifier_block dojo_emu_zp_notifier = {
	.notifier_call = dojo_emu_zp_netdev_event,
};

/* The node id changed while cabled: move the unicast filter along. */
static void dojo_emu_zp_addr_work(struct work_struct *work)
{
	struct dojo_emu_zp *zp = container_of(work, struct dojo_emu_zp,
					      addr_work);
	u8 mac[ETH_ALEN];

	rtnl_lock();
	dojo_emu_zp_mac(mac, READ_ONCE(zp->node_id));
	if (zp->dev && !ether_addr_equal(mac, zp->uc_mac) &&
	    !dev_uc_add(zp->dev, mac)) {
		dev_uc_del(zp->dev, zp->uc_mac);
		ether_addr_copy(zp->uc_mac, mac);
	}
	rtnl_unlock();
}

static void dojo_emu_zp_flap_work(struct work_struct *work)
{
	struct dojo_emu_zp *zp = container_of(to_delayed_work(work),
					      struct dojo_emu_zp, flap_work);
	u32 ms = READ_ONCE(zp->flap_ms);

	WRITE_ONCE(zp->flap_down, ms && !zp->flap_down);
	dojo_emu_zp_link_eval(zp);
	if (ms)
		queue_delayed_work(system_wq, &zp->flap_work,
				   msecs_to_jiffies(ms));
}

static void dojo_emu_zp_reset_work(struct work_struct *work)
{
	struct dojo_emu_zp *zp = container_of(work, struct dojo_emu_zp,
					      reset_work);

	mutex_lock(&zp->lock);
	dojo_emu_zp_close_all(zp);
	mutex_unlock(&zp->lock);
}

/* ---- registers ----------------------------------------------------------- */

bool dojo_emu_zp_reg(u32 off)
{
	return off >= DOJO_REG_ZP_STATUS && off <= DOJO_REG_ZP_MBOX_RES1_LO + 4;
}

u32 dojo_emu_zp_read_locked(struct dojo_emu_card *card, u32 off)
{
	struct dojo_emu_zp *zp = card->zp;
	struct dojo_emu_zp_conn *c;
	u32 node = zp->node_id;
	u64 v;

	if (off >= DOJO_REG_ZP_TX_BYTES_LO &&
	    off < DOJO_REG_ZP_TX_BYTES_LO + 8 * DOJO_ZP_COUNTERS) {
		v = atomic64_read(&zp->counters[(off - DOJO_REG_ZP_TX_BYTES_LO) / 8]);
		return off & 4 ? upper_32_bits(v) : lower_32_bits(v);
	}
	if (off >= DOJO_REG_ZP_MBOX_ARG0_LO && off < DOJO_REG_ZP_MBOX_CMD) {
		v = zp->arg[(off - DOJO_REG_ZP_MBOX_ARG0_LO) / 8];
		return off & 4 ? upper_32_bits(v) : lower_32_bits(v);
	}
	if (off >= DOJO_REG_ZP_MBOX_RES0_LO) {
		v = zp->res[(off - DOJO_REG_ZP_MBOX_RES0_LO) / 8];
		return off & 4 ? upper_32_bits(v) : lower_32_bits(v);
	}

	c = zp->conn_sel < DOJO_EMU_ZP_CONNS ? &zp->conns[zp->conn_sel] : NULL;
	switch (off) {
	case DOJO_REG_ZP_STATUS:
		return (zp->link_up ? DOJO_ZP_LINK_UP : 0) |
		       (READ_ONCE(zp->dev) ? DOJO_ZP_CABLED : 0) |
		       FIELD_PREP(DOJO_ZP_SPEED, min(READ_ONCE(zp->speed), 0xffffU));
	case DOJO_REG_ZP_NODE_ID:
		return node;
	case DOJO_REG_ZP_MAC_LO:
		return 0x98 | 0xed << 8 | 0x5c << 16 | (node >> 16 & 0xff) << 24;
	case DOJO_REG_ZP_MAC_HI:
		return (node >> 8 & 0xff) | (node & 0xff) << 8;
	case DOJO_REG_ZP_CTRL:
		return zp->ctrl;
	case DOJO_REG_ZP_LINK_CHANGES:
		return zp->link_changes;
	case DOJO_REG_ZP_CONN_ROWS:
		return DOJO_EMU_ZP_CONNS;
	case DOJO_REG_ZP_CONN_SEL:
		return zp->conn_sel;
	case DOJO_REG_ZP_CONN_PEER:
		if (!c || !READ_ONCE(c->valid))
			return 0;
		return FIELD_PREP(DOJO_ZP_CONN_NODE, READ_ONCE(c->peer)) |
		       FIELD_PREP(DOJO_ZP_CONN_VC, READ_ONCE(c->vc)) |
		       DOJO_ZP_CONN_VALID;
	case DOJO_REG_ZP_CONN_STATE:
		return c && READ_ONCE(c->valid) ? READ_ONCE(c->state) : 0;
	case DOJO_REG_ZP_CONN_TX_SEQ:
		return c && READ_ONCE(c->valid) ? READ_ONCE(c->tx_seq) : 0;
	case DOJO_REG_ZP_CONN_RX_SEQ:
		return c && READ_ONCE(c->valid) ? READ_ONCE(c->rx_seq) : 0;
	case DOJO_REG_ZP_MBOX_CMD:
		return zp->cmd;
	case DOJO_REG_ZP_MBOX_STATUS:
		return zp->mbox_status;
	default:
		return 0;
	}
}

static void dojo_emu_zp_set_half(u64 *reg, u32 off, u32 val)
{
	if (off & 4)
		*reg = (u64)val << 32 | lower_32_bits(*reg);
	else
		*reg = (*reg & ~0xffffffffULL) | val;
}

void dojo_emu_zp_write_locked(struct dojo_emu_card *card, u32 off, u32 val)
{
	struct dojo_emu_zp *zp = card->zp;

	if (off >= DOJO_REG_ZP_MBOX_ARG0_LO && off < DOJO_REG_ZP_MBOX_CMD) {
		dojo_emu_zp_set_half(&zp->arg[(off - DOJO_REG_ZP_MBOX_ARG0_LO) / 8],
				     off, val);
		return;
	}
	switch (off) {
	case DOJO_REG_ZP_NODE_ID:
		if (zp->ctrl & DOJO_ZP_CTRL_ENABLE)
			break;
		WRITE_ONCE(zp->node_id, val & DOJO_ZP_CONN_NODE);
		queue_work(system_wq, &zp->addr_work);
		break;
	case DOJO_REG_ZP_CTRL:
		zp->ctrl = val & DOJO_ZP_CTRL_ENABLE;
		dojo_emu_zp_link_eval_locked(zp);
		wake_up_all(&zp->wq);
		if (val & DOJO_ZP_CTRL_RESET)
			queue_work(system_wq, &zp->reset_work);
		break;
	case DOJO_REG_ZP_CONN_SEL:
		zp->conn_sel = val;
		break;
	case DOJO_REG_ZP_MBOX_CMD:
		if (zp->mbox_status & DOJO_ZP_MBOX_BUSY)
			break;
		zp->cmd = val;
		zp->mbox_status = DOJO_ZP_MBOX_BUSY;
		queue_work(system_wq, &zp->mbox_work);
		break;
	default:
		break;
	}
}

/* ---- debugfs ------------------------------------------------------------- */

static int dojo_emu_zp_link_down_get(void *data, u64 *val)
{
	struct dojo_emu_zp *zp = data;

	*val = READ_ONCE(zp->force_down);
	return 0;
}

static int dojo_emu_zp_link_down_set(void *data, u64 val)
{
	struct dojo_emu_zp *zp = data;

	WRITE_ONCE(zp->force_down, !!val);
	dojo_emu_zp_link_eval(zp);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(dojo_emu_zp_link_down_fops, dojo_emu_zp_link_down_get,
			 dojo_emu_zp_link_down_set, "%llu\n");

static int dojo_emu_zp_stall_get(void *data, u64 *val)
{
	struct dojo_emu_zp *zp = data;

	*val = READ_ONCE(zp->mbox_stall);
	return 0;
}

/* Clearing the switch runs the command that waited, if any. */
static int dojo_emu_zp_stall_set(void *data, u64 val)
{
	struct dojo_emu_zp *zp = data;
	unsigned long flags;
	bool busy;

	WRITE_ONCE(zp->mbox_stall, !!val);
	spin_lock_irqsave(&zp->card->lock, flags);
	busy = zp->mbox_status & DOJO_ZP_MBOX_BUSY;
	spin_unlock_irqrestore(&zp->card->lock, flags);
	if (!val && busy)
		queue_work(system_wq, &zp->mbox_work);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(dojo_emu_zp_stall_fops, dojo_emu_zp_stall_get,
			 dojo_emu_zp_stall_set, "%llu\n");

static int dojo_emu_zp_flap_get(void *data, u64 *val)
{
	struct dojo_emu_zp *zp = data;

	*val = READ_ONCE(zp->flap_ms);
	return 0;
}

static int dojo_emu_zp_flap_set(void *data, u64 val)
{
	struct dojo_emu_zp *zp = data;

	if (val > 60000)
		return -EINVAL;
	WRITE_ONCE(zp->flap_ms, val);
	if (val) {
		mod_delayed_work(system_wq, &zp->flap_work,
				 msecs_to_jiffies(val));
		return 0;
	}
	cancel_delayed_work_sync(&zp->flap_work);
	WRITE_ONCE(zp->flap_down, false);
	dojo_emu_zp_link_eval(zp);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(dojo_emu_zp_flap_fops, dojo_emu_zp_flap_get,
			 dojo_emu_zp_flap_set, "%llu\n");

static const char *const dojo_emu_zp_state_names[] = {
	"CLOSED", "OPEN_SENT", "OPEN_RECD", "OPEN", "CLOSE_SENT", "CLOSE_RECD",
};

static int dojo_emu_zp_conns_show(struct seq_file *m, void *unused)
{
	struct dojo_emu_zp *zp = m->private;
	struct dojo_emu_zp_conn *c;
	unsigned int i;

	seq_puts(m, "row peer vc state tx_seq acked rx_seq inflight queued\n");
	mutex_lock(&zp->lock);
	for (i = 0; i < DOJO_EMU_ZP_CONNS; i++) {
		c = &zp->conns[i];
		if (!c->valid)
			continue;
		seq_printf(m, "%u %06x %u %s %u %u %u %u %u\n", i, c->peer,
			   c->vc, dojo_emu_zp_state_names[c->state], c->tx_seq,
			   c->acked, c->rx_seq, c->inflight, c->queued);
	}
	mutex_unlock(&zp->lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(dojo_emu_zp_conns);

void dojo_emu_zp_debugfs_init(struct dojo_emu_card *card, struct dentry *dir)
{
	struct dojo_emu_zp *zp = card->zp;

	debugfs_create_u32("zp_drop_pct", 0600, dir, &zp->drop_pct);
	debugfs_create_u32("zp_corrupt_pct", 0600, dir, &zp->corrupt_pct);
	debugfs_create_file_unsafe("zp_link_down", 0600, dir, zp,
				   &dojo_emu_zp_link_down_fops);
	debugfs_create_file_unsafe("zp_flap_ms", 0600, dir, zp,
				   &dojo_emu_zp_flap_fops);
	debugfs_create_file_unsafe("zp_mbox_stall", 0600, dir, zp,
				   &dojo_emu_zp_stall_fops);
	debugfs_create_file("zp_conns", 0400, dir, zp, &dojo_emu_zp_conns_fops);
}

/* ---- life ---------------------------------------------------------------- */

/* Power on the port: not cabled, not enabled, its node id strapped. */
int dojo_emu_zp_init(struct dojo_emu_card *card)
{
	struct dojo_emu_zp *zp;
	unsigned int i;

	zp = kzalloc(sizeof(*zp), GFP_KERNEL);
	if (!zp)
		return -ENOMEM;
	zp->card = card;
	mutex_init(&zp->lock);
	INIT_LIST_HEAD(&zp->bound);
	skb_queue_head_init(&zp->rxq);
	INIT_WORK(&zp->rx_work, dojo_emu_zp_rx_work);
	INIT_DELAYED_WORK(&zp->tick, dojo_emu_zp_tick_work);
	INIT_DELAYED_WORK(&zp->flap_work, dojo_emu_zp_flap_work);
	INIT_WORK(&zp->mbox_work, dojo_emu_zp_mbox_work);
	INIT_WORK(&zp->reset_work, dojo_emu_zp_reset_work);
	INIT_WORK(&zp->addr_work, dojo_emu_zp_addr_work);
	init_waitqueue_head(&zp->wq);
	for (i = 0; i < DOJO_ZP_COUNTERS; i++)
		atomic64_set(&zp->counters[i], 0);
	zp->node_id = (dojo_emu_node_base + card->id) & DOJO_ZP_CONN_NODE;
	zp->link_down_at = jiffies;
	dojo_emu_zp_conn_init(zp);
	dojo_emu_zp_rdma_init(zp);
	card->zp = zp;
	return 0;
}

/*
 * Once the card is gone and its engines stopped: say goodbye to the peers,
 * unplug the cable, stop the port's work and free it.
 */
void dojo_emu_zp_fini(struct dojo_emu_card *card)
{
	struct dojo_emu_zp *zp = card->zp;

	if (!zp)
		return;
	mutex_lock(&zp->lock);
	dojo_emu_zp_close_all(zp);
	mutex_unlock(&zp->lock);
	dojo_emu_zp_unlink(card);

	WRITE_ONCE(zp->flap_ms, 0);
	cancel_work_sync(&zp->rx_work);
	cancel_work_sync(&zp->reset_work);
	cancel_work_sync(&zp->mbox_work);
	cancel_work_sync(&zp->addr_work);
	cancel_delayed_work_sync(&zp->flap_work);
	cancel_delayed_work_sync(&zp->tick);
	skb_queue_purge(&zp->rxq);

	dojo_emu_zp_conn_fini(zp);
	dojo_emu_zp_rdma_fini(zp);
	mutex_destroy(&zp->lock);
	card->zp = NULL;
	kfree(zp);
}

int dojo_emu_zp_module_init(void)
{
	return register_netdevice_notifier(&dojo_emu_zp_notifier);
}

void dojo_emu_zp_module_exit(void)
{
	unregister_netdevice_notifier(&dojo_emu_zp_notifier);
	dojo_emu_zp_rdma_check_leaks();
}
