// SPDX-License-Identifier: GPL-2.0-only
/*
 * The TTP transport of the emulated DIP's TTPoE port, as docs/ttpoe.md
 * describes it: connections per (peer node id, virtual channel), their
 * states, TxID/RxID sequence numbers starting at 1 (first PAYLOAD 2),
 * cumulative ACK, NACK with the last in-order id, go-back to the oldest
 * unacknowledged PAYLOAD, and timers.
 *
 * It interoperates with Tesla's reference model: its OPEN_ACK carries TxID
 * 0 (the peer's first PAYLOAD is then 2), a repeated OPEN resynchronises
 * an open connection, every control frame is padded to 64 bytes, and the
 * peer is known by its Ethernet source address. Up to 32 PAYLOADs are in
 * flight per connection; the reference sends one at a time, which is the
 * same protocol with a window of one.
 *
 * Everything here runs in process context under the port's lock: the rx
 * work, the timer work and the DMA engines that send.
 */
#include <linux/crc32.h>
#include <linux/etherdevice.h>
#include <linux/slab.h>
#include <linux/unaligned.h>

#include "dojo_emu_zp.h"

/* PAYLOADs, READ answers and received pieces not yet freed. */
atomic_t dojo_emu_zp_live_objs = ATOMIC_INIT(0);

static bool dojo_emu_zp_is_open(struct dojo_emu_zp_conn *c)
{
	return c->state == DOJO_ZP_CONN_OPEN ||
	       c->state == DOJO_ZP_CONN_CLOSE_SENT ||
	       c->state == DOJO_ZP_CONN_CLOSE_RECD;
}

static void dojo_emu_zp_set_state(struct dojo_emu_zp_conn *c, u8 state)
{
	WRITE_ONCE(c->state, state);
}

void dojo_emu_zp_arm(struct dojo_emu_zp *zp)
{
	queue_delayed_work(system_wq, &zp->tick,
			   msecs_to_jiffies(DOJO_EMU_ZP_TICK_MS));
}

static void dojo_emu_zp_ctl(struct dojo_emu_zp *zp, struct dojo_emu_zp_conn *c,
			    u8 op, u32 txid, u32 rxid)
{
	dojo_emu_zp_xmit(zp, c->peer, c->vc, op, txid, rxid, NULL, 0);
}

/* ---- PAYLOAD queues ------------------------------------------------------ */

struct dojo_emu_zp_tx *dojo_emu_zp_tx_alloc(u16 len)
{
	struct dojo_emu_zp_tx *tx;

	tx = kmalloc(struct_size(tx, noc, len), GFP_KERNEL);
	if (!tx)
		return NULL;
	tx->len = len;
	tx->txid = 0;
	atomic_inc(&dojo_emu_zp_live_objs);
	return tx;
}

static void dojo_emu_zp_tx_free(struct dojo_emu_zp_tx *tx)
{
	list_del(&tx->node);
	kfree(tx);
	atomic_dec(&dojo_emu_zp_live_objs);
}

void dojo_emu_zp_tx_queue(struct dojo_emu_zp_conn *conn,
			  struct dojo_emu_zp_tx *tx)
{
	list_add_tail(&tx->node, &conn->txq);
	conn->queued++;
}

/* Nothing more will be sent or answered on @c. */
static void dojo_emu_zp_drop_queues(struct dojo_emu_zp_conn *c)
{
	struct dojo_emu_zp_tx *tx, *ttmp;
	struct dojo_emu_zp_read *rd, *rtmp;

	list_for_each_entry_safe(tx, ttmp, &c->txq, node)
		dojo_emu_zp_tx_free(tx);
	list_for_each_entry_safe(tx, ttmp, &c->unacked, node)
		dojo_emu_zp_tx_free(tx);
	list_for_each_entry_safe(rd, rtmp, &c->reads, node) {
		list_del(&rd->node);
		kfree(rd);
		atomic_dec(&dojo_emu_zp_live_objs);
	}
	c->queued = 0;
	c->inflight = 0;
}

/* Room for one more PAYLOAD of an engine in the window. */
bool dojo_emu_zp_conn_room(struct dojo_emu_zp_conn *conn)
{
	return conn->state == DOJO_ZP_CONN_OPEN &&
	       conn->inflight + conn->queued < DOJO_EMU_ZP_WINDOW;
}

static void dojo_emu_zp_tx_send(struct dojo_emu_zp *zp,
				struct dojo_emu_zp_conn *c,
				struct dojo_emu_zp_tx *tx)
{
	dojo_emu_zp_xmit(zp, c->peer, c->vc, DOJO_EMU_TTP_PAYLOAD, tx->txid, 0,
			 tx->noc, tx->len);
}

/* Send what the window allows: queued PAYLOADs, then READ answers. */
void dojo_emu_zp_pump(struct dojo_emu_zp *zp, struct dojo_emu_zp_conn *c)
{
	struct dojo_emu_zp_tx *tx;

	if (c->state != DOJO_ZP_CONN_OPEN)
		return;
	while (c->inflight < DOJO_EMU_ZP_WINDOW) {
		if (list_empty(&c->txq) &&
		    (list_empty(&c->reads) || !dojo_emu_zp_read_piece(zp, c)))
			break;
		tx = list_first_entry(&c->txq, struct dojo_emu_zp_tx, node);
		list_move_tail(&tx->node, &c->unacked);
		c->queued--;
		if (!c->inflight++) {
			c->tries = 0;
			c->deadline = jiffies +
				      msecs_to_jiffies(DOJO_EMU_ZP_REPLAY_MS);
		}
		tx->txid = c->tx_seq + 1;
		WRITE_ONCE(c->tx_seq, tx->txid);
		dojo_emu_zp_tx_send(zp, c, tx);
		dojo_emu_zp_count(zp, DOJO_EMU_ZPC_TX_BYTES, tx->len);
	}
	if (c->inflight)
		dojo_emu_zp_arm(zp);
}

/**
 * dojo_emu_zp_send - queue a PAYLOAD on a connection
 * @zp: the port
 * @conn: the connection
 * @hdr: the remote-DMA header, DOJO_EMU_ZP_RDMA_HDR bytes
 * @data: data after it, or NULL
 * @len: bytes of @data
 *
 * Context: port lock. Return: 0, or -ENOMEM / -ENOSPC (the PAYLOAD is
 * lost, and counted in errors).
 */
int dojo_emu_zp_send(struct dojo_emu_zp *zp, struct dojo_emu_zp_conn *conn,
		     const u8 *hdr, const u8 *data, u16 len)
{
	struct dojo_emu_zp_tx *tx = NULL;

	lockdep_assert_held(&zp->lock);
	if (conn->queued < DOJO_EMU_ZP_TXQ_MAX)
		tx = dojo_emu_zp_tx_alloc(DOJO_EMU_ZP_RDMA_HDR + len);
	if (!tx) {
		dojo_emu_zp_count(zp, DOJO_EMU_ZPC_ERRORS, 1);
		return -ENOSPC;
	}
	memcpy(tx->noc, hdr, DOJO_EMU_ZP_RDMA_HDR);
	if (len)
		memcpy(tx->noc + DOJO_EMU_ZP_RDMA_HDR, data, len);
	dojo_emu_zp_tx_queue(conn, tx);
	dojo_emu_zp_pump(zp, conn);
	return 0;
}

/* Send every unacknowledged PAYLOAD again, oldest first. */
static void dojo_emu_zp_goback(struct dojo_emu_zp *zp,
			       struct dojo_emu_zp_conn *c)
{
	struct dojo_emu_zp_tx *tx;

	list_for_each_entry(tx, &c->unacked, node) {
		dojo_emu_zp_tx_send(zp, c, tx);
		dojo_emu_zp_count(zp, DOJO_EMU_ZPC_REPLAYS, 1);
	}
	c->deadline = jiffies + msecs_to_jiffies(DOJO_EMU_ZP_REPLAY_MS);
}

/* The peer has everything up to @r: retire it, send more. */
static void dojo_emu_zp_retire(struct dojo_emu_zp *zp,
			       struct dojo_emu_zp_conn *c, u32 r)
{
	struct dojo_emu_zp_tx *tx, *tmp;

	if (r <= c->acked || r > c->tx_seq)
		return;
	list_for_each_entry_safe(tx, tmp, &c->unacked, node) {
		if (tx->txid > r)
			break;
		dojo_emu_zp_tx_free(tx);
		c->inflight--;
	}
	c->acked = r;
	c->tries = 0;
	c->deadline = jiffies + msecs_to_jiffies(DOJO_EMU_ZP_REPLAY_MS);
	/* What followed a lost PAYLOAD was NACKed or lost too. */
	if (c->replaying && c->inflight)
		dojo_emu_zp_goback(zp, c);
	c->replaying = false;
	dojo_emu_zp_wake(zp);
	dojo_emu_zp_pump(zp, c);
}

/* ---- connections --------------------------------------------------------- */

static struct dojo_emu_zp_conn *dojo_emu_zp_find(struct dojo_emu_zp *zp,
						 u32 peer, u8 vc)
{
	struct dojo_emu_zp_conn *c;

	for (c = zp->conns; c < zp->conns + DOJO_EMU_ZP_CONNS; c++)
		if (c->valid && c->peer == peer && c->vc == vc)
			return c;
	return NULL;
}

/* A fresh connection: sequence numbers start at 1, first PAYLOAD 2. */
static void dojo_emu_zp_fresh(struct dojo_emu_zp_conn *c)
{
	dojo_emu_zp_drop_queues(c);
	WRITE_ONCE(c->tx_seq, 1);
	c->acked = 1;
	WRITE_ONCE(c->rx_seq, 1);
	c->tries = 0;
	c->reopen = false;
	c->replaying = false;
	c->goback_r = 0;
}

/* A free row, or the first closed one; NULL if every row is busy. */
static struct dojo_emu_zp_conn *dojo_emu_zp_new(struct dojo_emu_zp *zp,
						u32 peer, u8 vc)
{
	struct dojo_emu_zp_conn *c, *closed = NULL;

	for (c = zp->conns; c < zp->conns + DOJO_EMU_ZP_CONNS; c++) {
		if (!c->valid)
			break;
		if (!closed && c->state == DOJO_ZP_CONN_CLOSED)
			closed = c;
	}
	if (c == zp->conns + DOJO_EMU_ZP_CONNS)
		c = closed;
	if (!c)
		return NULL;
	dojo_emu_zp_fresh(c);
	dojo_emu_zp_set_state(c, DOJO_ZP_CONN_CLOSED);
	WRITE_ONCE(c->peer, peer);
	WRITE_ONCE(c->vc, vc);
	WRITE_ONCE(c->valid, true);
	return c;
}

/*
 * The connection ends: its transfers fail with @err, and the driver hears
 * of it if it was open and this card did not ask for the close.
 */
static void dojo_emu_zp_fail(struct dojo_emu_zp *zp, struct dojo_emu_zp_conn *c,
			     int err, bool unrequested)
{
	bool was_open = c->state == DOJO_ZP_CONN_OPEN;

	dojo_emu_zp_drop_queues(c);
	dojo_emu_zp_set_state(c, DOJO_ZP_CONN_CLOSED);
	dojo_emu_zp_rdma_conn_failed(zp, c, err);
	if (was_open && unrequested)
		dojo_emu_zp_event(zp);
}

static void dojo_emu_zp_send_open(struct dojo_emu_zp *zp,
				  struct dojo_emu_zp_conn *c, bool reopen)
{
	dojo_emu_zp_set_state(c, DOJO_ZP_CONN_OPEN_SENT);
	c->reopen = reopen;
	c->tries = 1;
	c->deadline = jiffies + msecs_to_jiffies(DOJO_EMU_ZP_OPEN_MS);
	dojo_emu_zp_ctl(zp, c, DOJO_EMU_TTP_OPEN, c->acked, c->rx_seq);
	dojo_emu_zp_arm(zp);
}

/**
 * dojo_emu_zp_conn_open - the connection an engine sends on
 * @zp: the port
 * @peer: peer node id
 * @vc: virtual channel
 *
 * Opens it if it is closed or closing (the peer sees the CLOSE, then the
 * OPEN). Context: port lock.
 * Return: the connection, or NULL if the table is full.
 */
struct dojo_emu_zp_conn *dojo_emu_zp_conn_open(struct dojo_emu_zp *zp,
					       u32 peer, u8 vc)
{
	struct dojo_emu_zp_conn *c;

	lockdep_assert_held(&zp->lock);
	c = dojo_emu_zp_find(zp, peer, vc) ?: dojo_emu_zp_new(zp, peer, vc);
	if (c && c->state != DOJO_ZP_CONN_OPEN &&
	    c->state != DOJO_ZP_CONN_OPEN_SENT) {
		dojo_emu_zp_fresh(c);
		dojo_emu_zp_send_open(zp, c, false);
	}
	return c;
}

/**
 * dojo_emu_zp_close_all - close every connection (ZP_CTRL.RESET, removal)
 * @zp: the port
 *
 * Transfers on them fail REMOTE_GONE. Context: port lock.
 */
void dojo_emu_zp_close_all(struct dojo_emu_zp *zp)
{
	struct dojo_emu_zp_conn *c;

	lockdep_assert_held(&zp->lock);
	for (c = zp->conns; c < zp->conns + DOJO_EMU_ZP_CONNS; c++) {
		if (!c->valid || c->state == DOJO_ZP_CONN_CLOSED)
			continue;
		if (c->state == DOJO_ZP_CONN_OPEN) {
			dojo_emu_zp_drop_queues(c);
			dojo_emu_zp_rdma_conn_failed(zp, c,
						     DOJO_ERR_REMOTE_GONE);
			dojo_emu_zp_set_state(c, DOJO_ZP_CONN_CLOSE_SENT);
			c->tries = 1;
			c->deadline = jiffies +
				      msecs_to_jiffies(DOJO_EMU_ZP_CLOSE_MS);
			dojo_emu_zp_ctl(zp, c, DOJO_EMU_TTP_CLOSE,
					c->tx_seq + 1, c->rx_seq);
			dojo_emu_zp_arm(zp);
		} else {
			dojo_emu_zp_fail(zp, c, DOJO_ERR_REMOTE_GONE, false);
		}
	}
}

/* ---- receive ------------------------------------------------------------- */

static void dojo_emu_zp_rx_open(struct dojo_emu_zp *zp,
				struct dojo_emu_zp_conn *c, u32 txid, u32 rxid)
{
	bool lost;

	switch (c->state) {
	case DOJO_ZP_CONN_CLOSED:
	case DOJO_ZP_CONN_OPEN_RECD:
		dojo_emu_zp_fresh(c);
		fallthrough;
	case DOJO_ZP_CONN_OPEN_SENT:
		/* A passing OPEN opens at once, as the reference does. */
		WRITE_ONCE(c->rx_seq, txid);
		dojo_emu_zp_ctl(zp, c, DOJO_EMU_TTP_OPEN_ACK, 0, txid);
		dojo_emu_zp_set_state(c, DOJO_ZP_CONN_OPEN);
		c->tries = 0;
		c->reopen = false;
		dojo_emu_zp_goback(zp, c);
		dojo_emu_zp_pump(zp, c);
		dojo_emu_zp_wake(zp);
		return;
	default:
		/* A repeated OPEN resynchronises the receive side. */
		WRITE_ONCE(c->rx_seq, txid);
		dojo_emu_zp_ctl(zp, c, DOJO_EMU_TTP_OPEN_ACK, 0, txid);
		if (rxid >= c->acked && rxid <= c->tx_seq) {
			dojo_emu_zp_retire(zp, c, rxid);
			dojo_emu_zp_goback(zp, c);
			return;
		}
		/* The peer lost this side's sequence: start over. */
		lost = c->inflight || c->queued || !list_empty(&c->reads);
		dojo_emu_zp_drop_queues(c);
		dojo_emu_zp_rdma_conn_failed(zp, c, DOJO_ERR_REMOTE_GONE);
		WRITE_ONCE(c->tx_seq, rxid);
		c->acked = rxid;
		if (lost)
			dojo_emu_zp_event(zp);
		return;
	}
}

static void dojo_emu_zp_rx_payload(struct dojo_emu_zp *zp,
				   struct dojo_emu_zp_conn *c, u32 txid,
				   const u8 *noc, u16 len)
{
	u32 r = c->rx_seq;

	if (txid == r + 1 && len) {
		WRITE_ONCE(c->rx_seq, txid);
		dojo_emu_zp_count(zp, DOJO_EMU_ZPC_RX_BYTES, len);
		dojo_emu_zp_ctl(zp, c, DOJO_EMU_TTP_ACK, 0, txid);
		dojo_emu_zp_rdma_rx(zp, c, noc, len);
		return;
	}
	dojo_emu_zp_count(zp, DOJO_EMU_ZPC_DROPS, 1);
	if (txid && txid <= r && len)	/* a duplicate: its ACK was lost */
		dojo_emu_zp_ctl(zp, c, DOJO_EMU_TTP_ACK, 0, r);
	else
		dojo_emu_zp_ctl(zp, c, DOJO_EMU_TTP_NACK, 0, r);
}

static void dojo_emu_zp_rx_nack(struct dojo_emu_zp *zp,
				struct dojo_emu_zp_conn *c, u32 rxid)
{
	dojo_emu_zp_retire(zp, c, rxid);
	if (!c->inflight)
		return;
	/* Every PAYLOAD past a gap is NACKed: go back once per gap. */
	if (rxid == c->goback_r &&
	    time_before(jiffies, c->goback_at +
			msecs_to_jiffies(DOJO_EMU_ZP_REPLAY_MS)))
		return;
	c->goback_r = rxid;
	c->goback_at = jiffies;
	dojo_emu_zp_goback(zp, c);
}

/* The frame failed a check: the reference drops such frames silently. */
static bool dojo_emu_zp_frame_ok(struct dojo_emu_zp *zp, const u8 *f,
				 unsigned int flen, u16 *len)
{
	u16 shim;

	if (flen < DOJO_EMU_ZP_HDR)
		goto bad;
	shim = get_unaligned_be16(f + 40);
	if (shim < 26 || shim - 26 > flen - DOJO_EMU_ZP_HDR ||
	    shim - 26 > DOJO_EMU_ZP_MAX_NOC)
		goto bad;
	*len = shim - 26;
	if (f[51] == DOJO_EMU_ZP_FCS_EXT &&
	    (flen < DOJO_EMU_ZP_HDR + *len + 4 ||
	     get_unaligned_le32(f + DOJO_EMU_ZP_HDR + *len) !=
	     ~crc32_le(~0U, f + 14, 46 + *len)))
		goto bad;
	if ((f[42] & 0x3f) > DOJO_EMU_TTP_NACK_NOLINK || f[43] > 2 ||
	    (f[15] & 0x80)) {
		dojo_emu_zp_count(zp, DOJO_EMU_ZPC_DROPS, 1);
		return false;
	}
	return true;
bad:
	dojo_emu_zp_count(zp, DOJO_EMU_ZPC_ERRORS, 1);
	return false;
}

/**
 * dojo_emu_zp_rx_frame - run the transport on one received frame
 * @zp: the port
 * @skb: the frame, its MAC header set
 *
 * Context: process, port lock.
 */
void dojo_emu_zp_rx_frame(struct dojo_emu_zp *zp, struct sk_buff *skb)
{
	struct dojo_emu_zp_conn *c;
	u32 peer, txid, rxid;
	unsigned int flen;
	const u8 *f;
	u8 op, vc;
	u16 len;

	lockdep_assert_held(&zp->lock);
	if (skb_linearize(skb))
		return;
	f = skb_mac_header(skb);
	flen = skb_tail_pointer(skb) - f;
	if (!dojo_emu_zp_frame_ok(zp, f, flen, &len))
		return;
	dojo_emu_zp_count(zp, DOJO_EMU_ZPC_RX_FRAMES, 1);

	/* The peer is known by its Ethernet source, as in the reference. */
	peer = f[9] << 16 | f[10] << 8 | f[11];
	op = f[42] & 0x3f;
	vc = f[43];
	txid = get_unaligned_be32(f + 52);
	rxid = get_unaligned_be32(f + 56);
	c = dojo_emu_zp_find(zp, peer, vc);

	switch (op) {
	case DOJO_EMU_TTP_OPEN:
		if (!c)
			c = dojo_emu_zp_new(zp, peer, vc);
		if (c)	/* no free row: no answer, as the reference */
			dojo_emu_zp_rx_open(zp, c, txid, rxid);
		return;
	case DOJO_EMU_TTP_OPEN_ACK:
		if (!c || c->state != DOJO_ZP_CONN_OPEN_SENT)
			return;
		/* TxID 0 (the reference) means the first PAYLOAD is 2. */
		WRITE_ONCE(c->rx_seq, txid ? txid - 1 : 1);
		dojo_emu_zp_set_state(c, DOJO_ZP_CONN_OPEN);
		c->tries = 0;
		c->reopen = false;
		dojo_emu_zp_retire(zp, c, rxid);
		dojo_emu_zp_goback(zp, c);
		dojo_emu_zp_pump(zp, c);
		dojo_emu_zp_wake(zp);
		return;
	case DOJO_EMU_TTP_OPEN_NACK:
		if (c && c->state == DOJO_ZP_CONN_OPEN_SENT)
			dojo_emu_zp_fail(zp, c, c->reopen ? DOJO_ERR_REMOTE_GONE :
					 DOJO_ERR_ZP_LINK_DOWN, false);
		return;
	case DOJO_EMU_TTP_CLOSE:
		if (!c) {
			dojo_emu_zp_xmit(zp, peer, vc, DOJO_EMU_TTP_CLOSE_ACK, 0,
					 rxid, NULL, 0);
			return;
		}
		dojo_emu_zp_ctl(zp, c, DOJO_EMU_TTP_CLOSE_ACK, 0, rxid);
		if (c->state == DOJO_ZP_CONN_OPEN ||
		    c->state == DOJO_ZP_CONN_CLOSE_SENT ||
		    c->state == DOJO_ZP_CONN_CLOSE_RECD)
			dojo_emu_zp_fail(zp, c, DOJO_ERR_REMOTE_GONE, true);
		return;
	case DOJO_EMU_TTP_CLOSE_ACK:
		if (c && (c->state == DOJO_ZP_CONN_CLOSE_SENT ||
			  c->state == DOJO_ZP_CONN_CLOSE_RECD))
			dojo_emu_zp_fail(zp, c, DOJO_ERR_REMOTE_GONE, false);
		return;
	case DOJO_EMU_TTP_PAYLOAD:
		if (!c || !dojo_emu_zp_is_open(c)) {
			dojo_emu_zp_count(zp, DOJO_EMU_ZPC_DROPS, 1);
			dojo_emu_zp_xmit(zp, peer, vc, DOJO_EMU_TTP_NACK_NOLINK, 0,
					 c ? c->rx_seq : rxid, NULL, 0);
			return;
		}
		dojo_emu_zp_rx_payload(zp, c, txid, f + DOJO_EMU_ZP_HDR, len);
		return;
	case DOJO_EMU_TTP_ACK:
		if (c && dojo_emu_zp_is_open(c))
			dojo_emu_zp_retire(zp, c, rxid);
		return;
	case DOJO_EMU_TTP_NACK:
	case DOJO_EMU_TTP_NACK_FULL:
	case DOJO_EMU_TTP_NACK_NOLINK:
		dojo_emu_zp_count(zp, DOJO_EMU_ZPC_NACKS, 1);
		if (!c || !dojo_emu_zp_is_open(c))
			return;
		if (op == DOJO_EMU_TTP_NACK)
			dojo_emu_zp_rx_nack(zp, c, rxid);
		else if (op == DOJO_EMU_TTP_NACK_FULL)
			dojo_emu_zp_retire(zp, c, rxid);	/* timer replays */
		else if (c->state == DOJO_ZP_CONN_OPEN) {
			/* The peer lost the connection: open it again. */
			dojo_emu_zp_send_open(zp, c, true);
			dojo_emu_zp_event(zp);
		}
		return;
	default:	/* CLOSE_NACK: ignored, as by the reference */
		return;
	}
}

/* ---- timers -------------------------------------------------------------- */

/* One connection's timer fired. */
static void dojo_emu_zp_timeout(struct dojo_emu_zp *zp,
				struct dojo_emu_zp_conn *c)
{
	switch (c->state) {
	case DOJO_ZP_CONN_OPEN_SENT:
		if (c->tries >= DOJO_EMU_ZP_OPEN_TRIES) {
			dojo_emu_zp_fail(zp, c, c->reopen ? DOJO_ERR_REMOTE_GONE :
					 DOJO_ERR_ZP_LINK_DOWN, false);
			return;
		}
		c->tries++;
		c->deadline = jiffies + msecs_to_jiffies(DOJO_EMU_ZP_OPEN_MS);
		dojo_emu_zp_ctl(zp, c, DOJO_EMU_TTP_OPEN, c->acked, c->rx_seq);
		return;
	case DOJO_ZP_CONN_CLOSE_SENT:
		if (c->tries >= DOJO_EMU_ZP_CLOSE_TRIES) {
			dojo_emu_zp_fail(zp, c, DOJO_ERR_REMOTE_GONE, false);
			return;
		}
		c->tries++;
		c->deadline = jiffies + msecs_to_jiffies(DOJO_EMU_ZP_CLOSE_MS);
		dojo_emu_zp_ctl(zp, c, DOJO_EMU_TTP_CLOSE, c->tx_seq + 1,
				c->rx_seq);
		return;
	case DOJO_ZP_CONN_OPEN:
		if (!c->inflight)
			return;
		if (c->tries >= DOJO_EMU_ZP_REPLAYS) {
			dojo_emu_zp_fail(zp, c, DOJO_ERR_REMOTE_TIMEOUT, true);
			return;
		}
		/* Only the oldest, as the reference does: a slow peer is not flooded. */
		c->tries++;
		c->replaying = true;
		c->deadline = jiffies + msecs_to_jiffies(DOJO_EMU_ZP_REPLAY_MS);
		dojo_emu_zp_tx_send(zp, c, list_first_entry(&c->unacked,
							    struct dojo_emu_zp_tx,
							    node));
		dojo_emu_zp_count(zp, DOJO_EMU_ZPC_REPLAYS, 1);
		return;
	default:
		return;
	}
}

void dojo_emu_zp_tick_work(struct work_struct *work)
{
	struct dojo_emu_zp *zp = container_of(to_delayed_work(work),
					      struct dojo_emu_zp, tick);
	bool up = dojo_emu_zp_link_usable(zp);
	struct dojo_emu_zp_conn *c;
	bool more = false;

	mutex_lock(&zp->lock);
	for (c = zp->conns; c < zp->conns + DOJO_EMU_ZP_CONNS; c++) {
		if (!c->valid)
			continue;
		if (c->state == DOJO_ZP_CONN_CLOSED ||
		    (c->state == DOJO_ZP_CONN_OPEN && !c->inflight))
			continue;
		/*
		 * Nothing goes out while the link is down: replay holds until
		 * it comes back (the link's change re-arms the tick), so that
		 * a flapping link costs no connection. OPEN and CLOSE give up.
		 */
		if (!up && c->state == DOJO_ZP_CONN_OPEN) {
			c->deadline = jiffies +
				      msecs_to_jiffies(DOJO_EMU_ZP_REPLAY_MS);
			continue;
		}
		more = true;
		if (time_after_eq(jiffies, c->deadline))
			dojo_emu_zp_timeout(zp, c);
	}
	mutex_unlock(&zp->lock);
	if (more)
		dojo_emu_zp_arm(zp);
}

void dojo_emu_zp_conn_init(struct dojo_emu_zp *zp)
{
	struct dojo_emu_zp_conn *c;

	for (c = zp->conns; c < zp->conns + DOJO_EMU_ZP_CONNS; c++) {
		INIT_LIST_HEAD(&c->txq);
		INIT_LIST_HEAD(&c->unacked);
		INIT_LIST_HEAD(&c->reads);
	}
}

void dojo_emu_zp_conn_fini(struct dojo_emu_zp *zp)
{
	struct dojo_emu_zp_conn *c;

	for (c = zp->conns; c < zp->conns + DOJO_EMU_ZP_CONNS; c++)
		dojo_emu_zp_drop_queues(c);
}
