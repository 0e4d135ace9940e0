// SPDX-License-Identifier: GPL-2.0-only
/*
 * Grants and remote DMA of the emulated DIP's TTPoE port, as
 * docs/hardware.md ("Remote DMA on the wire") specifies them.
 *
 * Target: every WRITE and READ names a grant by id and key; the access
 * must lie inside it, and a WRITE needs its write permission. Accesses run
 * under the grant lock, so REVOKE, which takes it too, returns once no
 * access touches the memory. A tile grant holds a reference on its tile
 * buffer and stops working when the tile link changes (the tile dropped
 * the port's holds).
 *
 * Initiator: a COPY between a local buffer and a REMOTE entry, run by the
 * DMA engine of the queue in its own worker: WRITE pieces of up to 1 KiB
 * as the window allows, then STATUS; or READs of up to 256 KiB at a time,
 * whose READ_DATA pieces the rx work hands over and the engine stores.
 * The engine waits in short steps and looks for a reset or a deletion of
 * the card between them (dojo_emu_job_poll()).
 */
#include <linux/bitfield.h>
#include <linux/slab.h>
#include <linux/unaligned.h>

#include "dojo_emu_job.h"
#include "dojo_emu_zp.h"

#define DOJO_EMU_ZP_OP_WRITE	1
#define DOJO_EMU_ZP_OP_READ	2
#define DOJO_EMU_ZP_OP_READ_DATA	3
#define DOJO_EMU_ZP_OP_STATUS	4
#define DOJO_EMU_ZP_LAST	BIT(0)
#define DOJO_EMU_ZP_MAX_READ	SZ_16M
#define DOJO_EMU_ZP_READ_CHUNK	SZ_256K	/* one READ of an initiator */

/**
 * struct dojo_emu_zp_grant - a range remote cards may reach
 * @id: grant id, never 0 and never reused
 * @write: remote cards may write it
 * @key: what a remote access must present
 * @off: HBM offset, or SRAM offset of the tile buffer's range
 * @size: bytes
 * @tbuf: GRANT_TILE: the tile buffer, referenced; else NULL
 * @gen: GRANT_TILE: the tile link's generation when it was granted
 */
struct dojo_emu_zp_grant {
	u32 id;
	bool write;
	u64 key;
	u64 off;
	u64 size;
	struct dojo_emu_tbuf *tbuf;
	u32 gen;
};

/* A READ_DATA piece on its way from the rx work to the engine. */
struct dojo_emu_zp_piece {
	struct list_head node;
	u64 addr;
	u16 len;
	u8 data[];
};

/**
 * struct dojo_emu_zp_xfer - a remote transfer an engine runs
 * @node: in the port's list, under its lock
 * @conn: the connection it runs on
 * @tag: its tag on the wire
 * @status: DOJO_ERR_* once it failed, else 0
 * @done: WRITE: the target answered STATUS OK
 * @pieces: READ_DATA received, not yet stored
 * @progress: jiffies of the last answer or piece sent
 */
struct dojo_emu_zp_xfer {
	struct list_head node;
	struct dojo_emu_zp_conn *conn;
	u32 tag;
	int status;
	bool done;
	struct list_head pieces;
	unsigned long progress;
};

/* The 32-byte remote-DMA header at the start of the NOC region. */
struct dojo_emu_zp_hdr {
	u8 op;
	u8 flags;
	u16 len;
	u32 grant;
	u64 addr;
	u64 key;
	u32 tag;
	u32 count;
};

static void dojo_emu_zp_hdr_put(u8 *b, const struct dojo_emu_zp_hdr *h)
{
	b[0] = h->op;
	b[1] = h->flags;
	put_unaligned_be16(h->len, b + 2);
	put_unaligned_be32(h->grant, b + 4);
	put_unaligned_be64(h->addr, b + 8);
	put_unaligned_be64(h->key, b + 16);
	put_unaligned_be32(h->tag, b + 24);
	put_unaligned_be32(h->count, b + 28);
}

static void dojo_emu_zp_hdr_get(const u8 *b, struct dojo_emu_zp_hdr *h)
{
	h->op = b[0];
	h->flags = b[1];
	h->len = get_unaligned_be16(b + 2);
	h->grant = get_unaligned_be32(b + 4);
	h->addr = get_unaligned_be64(b + 8);
	h->key = get_unaligned_be64(b + 16);
	h->tag = get_unaligned_be32(b + 24);
	h->count = get_unaligned_be32(b + 28);
}

static bool dojo_emu_zp_range_ok(u64 off, u64 len, u64 size)
{
	u64 end;

	return !check_add_overflow(off, len, &end) && end <= size;
}

/* ---- grants -------------------------------------------------------------- */

static void dojo_emu_zp_grant_free(struct dojo_emu_zp_grant *g)
{
	if (g->tbuf)
		dojo_emu_tbuf_put(g->tbuf);
	kfree(g);
}

static u32 dojo_emu_zp_grant_add(struct dojo_emu_zp *zp,
				 struct dojo_emu_zp_grant *g, u64 *id, u64 *key)
{
	u32 result = DOJO_ZP_MBOX_NO_SPACE;

	mutex_lock(&zp->grant_lock);
	if (zp->nr_grants < DOJO_ZP_MAX_GRANTS && zp->next_grant) {
		g->id = zp->next_grant;
		g->key = get_random_u64();
		if (!xa_insert(&zp->grants, g->id, g, GFP_KERNEL)) {
			zp->next_grant++;	/* ids are never reused */
			zp->nr_grants++;
			*id = g->id;
			*key = g->key;
			result = DOJO_ZP_MBOX_OK;
		}
	}
	mutex_unlock(&zp->grant_lock);
	if (result)
		dojo_emu_zp_grant_free(g);
	return result;
}

static u32 dojo_emu_zp_grant(struct dojo_emu_zp *zp, u32 cmd, const u64 *arg,
			     u64 *id, u64 *key)
{
	struct dojo_emu_card *card = zp->card;
	struct dojo_emu_zp_grant *g;
	u64 size;

	g = kzalloc(sizeof(*g), GFP_KERNEL);
	if (!g)
		return DOJO_ZP_MBOX_NO_SPACE;
	if (cmd == DOJO_ZP_MBOX_GRANT_HBM) {
		g->off = arg[0];
		g->size = arg[1];
		g->write = arg[2] & DOJO_ZP_GRANT_WRITE;
		if (!g->size ||
		    !dojo_emu_zp_range_ok(g->off, g->size, card->hbm.size)) {
			kfree(g);
			return DOJO_ZP_MBOX_INVALID;
		}
		return dojo_emu_zp_grant_add(zp, g, id, key);
	}

	size = arg[2] & ~BIT_ULL(63);
	g->write = arg[2] >> 63;
	if (dojo_emu_ttp_resolve(card, arg[0], 0, &g->tbuf, &g->gen)) {
		kfree(g);
		return DOJO_ZP_MBOX_NO_BUFFER;
	}
	if (!size || !dojo_emu_zp_range_ok(arg[1], size, g->tbuf->size)) {
		dojo_emu_zp_grant_free(g);
		return DOJO_ZP_MBOX_INVALID;
	}
	g->off = g->tbuf->off + arg[1];
	g->size = size;
	return dojo_emu_zp_grant_add(zp, g, id, key);
}

static u32 dojo_emu_zp_revoke(struct dojo_emu_zp *zp, u64 id)
{
	struct dojo_emu_zp_grant *g = NULL;

	mutex_lock(&zp->grant_lock);
	if (id && id <= U32_MAX)
		g = xa_erase(&zp->grants, id);
	if (g)
		zp->nr_grants--;
	mutex_unlock(&zp->grant_lock);
	if (!g)
		return DOJO_ZP_MBOX_NO_GRANT;
	dojo_emu_zp_grant_free(g);
	return DOJO_ZP_MBOX_OK;
}

static void dojo_emu_zp_revoke_all(struct dojo_emu_zp *zp)
{
	struct dojo_emu_zp_grant *g;
	unsigned long id;

	mutex_lock(&zp->grant_lock);
	xa_for_each(&zp->grants, id, g) {
		xa_erase(&zp->grants, id);
		dojo_emu_zp_grant_free(g);
	}
	zp->nr_grants = 0;
	mutex_unlock(&zp->grant_lock);
}

/* The grant mailbox: one command, run by the port's firmware. */
void dojo_emu_zp_mbox_work(struct work_struct *work)
{
	struct dojo_emu_zp *zp = container_of(work, struct dojo_emu_zp,
					      mbox_work);
	struct dojo_emu_card *card = zp->card;
	u64 arg[3], res0 = 0, res1 = 0;
	unsigned long flags;
	u32 cmd, result;

	/* zp_mbox_stall: the command waits, BUSY, until the switch clears. */
	if (READ_ONCE(zp->mbox_stall))
		return;
	spin_lock_irqsave(&card->lock, flags);
	cmd = zp->cmd;
	memcpy(arg, zp->arg, sizeof(arg));
	spin_unlock_irqrestore(&card->lock, flags);

	switch (cmd) {
	case DOJO_ZP_MBOX_GRANT_HBM:
	case DOJO_ZP_MBOX_GRANT_TILE:
		result = dojo_emu_zp_grant(zp, cmd, arg, &res0, &res1);
		break;
	case DOJO_ZP_MBOX_REVOKE:
		result = dojo_emu_zp_revoke(zp, arg[0]);
		break;
	case DOJO_ZP_MBOX_REVOKE_ALL:
		dojo_emu_zp_revoke_all(zp);
		result = DOJO_ZP_MBOX_OK;
		break;
	default:
		result = DOJO_ZP_MBOX_INVALID;
		break;
	}

	spin_lock_irqsave(&card->lock, flags);
	zp->res[0] = res0;
	zp->res[1] = res1;
	zp->mbox_status = FIELD_PREP(DOJO_ZP_MBOX_RESULT, result);
	spin_unlock_irqrestore(&card->lock, flags);
}

/*
 * One access through a grant, checked; with @buf NULL only checked.
 * Context: grant lock. Return: 0, or -EPERM if refused.
 */
static int dojo_emu_zp_access(struct dojo_emu_zp *zp, u32 id, u64 key,
			      u64 addr, u64 len, bool write, void *buf)
{
	struct dojo_emu_card *card = zp->card;
	struct dojo_emu_zp_grant *g;
	struct dojo_emu_hbm *mem;
	int ret;

	lockdep_assert_held(&zp->grant_lock);
	g = xa_load(&zp->grants, id);
	if (!g || g->key != key || (write && !g->write) ||
	    !dojo_emu_zp_range_ok(addr, len, g->size))
		return -EPERM;
	if (g->tbuf && READ_ONCE(card->ttp.gen) != g->gen)
		return -EPERM;
	if (!buf)
		return 0;
	mem = g->tbuf ? &g->tbuf->tile->sram : &card->hbm;
	if (write) {
		ret = dojo_emu_hbm_write(mem, g->off + addr, buf, len,
					 GFP_KERNEL);
		if (!ret && !g->tbuf)
			dojo_emu_ecc_write(card, g->off + addr, len);
	} else {
		ret = g->tbuf ? 0 : dojo_emu_ecc_read(card, g->off + addr, len);
		if (!ret)
			ret = dojo_emu_hbm_read(mem, g->off + addr, buf, len);
	}
	return ret ? -EPERM : 0;
}

/* ---- target -------------------------------------------------------------- */

static void dojo_emu_zp_status(struct dojo_emu_zp *zp,
			       struct dojo_emu_zp_conn *conn, u32 tag,
			       bool refused)
{
	struct dojo_emu_zp_hdr h = {
		.op = DOJO_EMU_ZP_OP_STATUS, .tag = tag, .count = refused,
	};
	u8 b[DOJO_EMU_ZP_RDMA_HDR];

	if (refused)
		dojo_emu_zp_count(zp, DOJO_EMU_ZPC_ERRORS, 1);
	dojo_emu_zp_hdr_put(b, &h);
	dojo_emu_zp_send(zp, conn, b, NULL, 0);
}

static void dojo_emu_zp_read_free(struct dojo_emu_zp_read *rd)
{
	list_del(&rd->node);
	kfree(rd);
	atomic_dec(&dojo_emu_zp_live_objs);
}

/**
 * dojo_emu_zp_read_piece - queue the next piece of the oldest READ
 * @zp: the port
 * @conn: a connection with READs to answer
 *
 * The grant is checked again for each piece: a READ of a grant revoked
 * meanwhile ends with STATUS REFUSED. Context: port lock.
 * Return: true if a PAYLOAD was queued.
 */
bool dojo_emu_zp_read_piece(struct dojo_emu_zp *zp,
			    struct dojo_emu_zp_conn *conn)
{
	struct dojo_emu_zp_read *rd = list_first_entry(&conn->reads,
						       struct dojo_emu_zp_read,
						       node);
	u16 n = min_t(u32, rd->left, DOJO_EMU_ZP_MAX_DATA);
	struct dojo_emu_zp_hdr h = {
		.op = DOJO_EMU_ZP_OP_READ_DATA, .len = n, .grant = rd->grant,
		.addr = rd->addr, .tag = rd->tag,
		.flags = n == rd->left ? DOJO_EMU_ZP_LAST : 0,
	};
	struct dojo_emu_zp_tx *tx;
	int ret;

	tx = dojo_emu_zp_tx_alloc(DOJO_EMU_ZP_RDMA_HDR + n);
	if (!tx)
		return false;
	mutex_lock(&zp->grant_lock);
	ret = dojo_emu_zp_access(zp, rd->grant, rd->key, rd->addr, n, false,
				 tx->noc + DOJO_EMU_ZP_RDMA_HDR);
	mutex_unlock(&zp->grant_lock);
	if (ret) {
		dojo_emu_zp_count(zp, DOJO_EMU_ZPC_ERRORS, 1);
		h = (struct dojo_emu_zp_hdr){
			.op = DOJO_EMU_ZP_OP_STATUS, .tag = rd->tag, .count = 1,
		};
		tx->len = DOJO_EMU_ZP_RDMA_HDR;
		rd->left = 0;
	} else {
		rd->addr += n;
		rd->left -= n;
	}
	dojo_emu_zp_hdr_put(tx->noc, &h);
	dojo_emu_zp_tx_queue(conn, tx);
	if (!rd->left)
		dojo_emu_zp_read_free(rd);
	return true;
}

static void dojo_emu_zp_target_read(struct dojo_emu_zp *zp,
				    struct dojo_emu_zp_conn *conn,
				    const struct dojo_emu_zp_hdr *h)
{
	struct dojo_emu_zp_read *rd;
	int ret = -EPERM;

	if (h->count && h->count <= DOJO_EMU_ZP_MAX_READ) {
		mutex_lock(&zp->grant_lock);
		ret = dojo_emu_zp_access(zp, h->grant, h->key, h->addr,
					 h->count, false, NULL);
		mutex_unlock(&zp->grant_lock);
	}
	rd = ret ? NULL : kmalloc(sizeof(*rd), GFP_KERNEL);
	if (!rd) {
		dojo_emu_zp_status(zp, conn, h->tag, true);
		return;
	}
	atomic_inc(&dojo_emu_zp_live_objs);
	rd->grant = h->grant;
	rd->key = h->key;
	rd->addr = h->addr;
	rd->left = h->count;
	rd->tag = h->tag;
	list_add_tail(&rd->node, &conn->reads);
	dojo_emu_zp_pump(zp, conn);
}

static struct dojo_emu_zp_xfer *dojo_emu_zp_xfer_find(struct dojo_emu_zp *zp,
						      struct dojo_emu_zp_conn *c,
						      u32 tag)
{
	struct dojo_emu_zp_xfer *x;

	list_for_each_entry(x, &zp->xfers, node)
		if (x->tag == tag && x->conn == c && !x->status)
			return x;
	return NULL;
}

static void dojo_emu_zp_kick(struct dojo_emu_zp *zp, struct dojo_emu_zp_xfer *x)
{
	x->progress = jiffies;
	dojo_emu_zp_wake(zp);
}

/* READ_DATA or STATUS for a transfer of this card. */
static void dojo_emu_zp_answer(struct dojo_emu_zp *zp,
			       struct dojo_emu_zp_conn *conn,
			       const struct dojo_emu_zp_hdr *h, const u8 *data)
{
	struct dojo_emu_zp_xfer *x = dojo_emu_zp_xfer_find(zp, conn, h->tag);
	struct dojo_emu_zp_piece *p;

	if (!x) {		/* a transfer that ended meanwhile */
		dojo_emu_zp_count(zp, DOJO_EMU_ZPC_DROPS, 1);
		return;
	}
	if (h->op == DOJO_EMU_ZP_OP_STATUS) {
		if (h->count)
			x->status = DOJO_ERR_REMOTE_REFUSED;
		else
			x->done = true;
	} else {
		p = kmalloc(struct_size(p, data, h->len), GFP_KERNEL);
		if (!p) {
			x->status = DOJO_ERR_REMOTE_TIMEOUT;
		} else {
			atomic_inc(&dojo_emu_zp_live_objs);
			p->addr = h->addr;
			p->len = h->len;
			memcpy(p->data, data, h->len);
			list_add_tail(&p->node, &x->pieces);
		}
	}
	dojo_emu_zp_kick(zp, x);
}

/**
 * dojo_emu_zp_rdma_rx - a PAYLOAD delivered in order
 * @zp: the port
 * @conn: its connection
 * @noc: its NOC region
 * @len: bytes of @noc
 *
 * Context: process, port lock.
 */
void dojo_emu_zp_rdma_rx(struct dojo_emu_zp *zp, struct dojo_emu_zp_conn *conn,
			 const u8 *noc, u16 len)
{
	const u8 *data = noc + DOJO_EMU_ZP_RDMA_HDR;
	struct dojo_emu_zp_hdr h;
	bool has_data;
	int ret;

	if (len < DOJO_EMU_ZP_RDMA_HDR)
		goto bad;
	dojo_emu_zp_hdr_get(noc, &h);
	has_data = h.op == DOJO_EMU_ZP_OP_WRITE ||
		   h.op == DOJO_EMU_ZP_OP_READ_DATA;
	if (h.len > DOJO_EMU_ZP_MAX_DATA ||
	    (has_data && h.len != len - DOJO_EMU_ZP_RDMA_HDR))
		goto bad;

	switch (h.op) {
	case DOJO_EMU_ZP_OP_WRITE:
		mutex_lock(&zp->grant_lock);
		ret = dojo_emu_zp_access(zp, h.grant, h.key, h.addr, h.len,
					 true, (void *)data);
		mutex_unlock(&zp->grant_lock);
		if (ret || (h.flags & DOJO_EMU_ZP_LAST))
			dojo_emu_zp_status(zp, conn, h.tag, ret);
		return;
	case DOJO_EMU_ZP_OP_READ:
		dojo_emu_zp_target_read(zp, conn, &h);
		return;
	case DOJO_EMU_ZP_OP_READ_DATA:
	case DOJO_EMU_ZP_OP_STATUS:
		dojo_emu_zp_answer(zp, conn, &h, data);
		return;
	default:
		break;
	}
bad:	/* the transport delivered it; the header is not ours to act on */
	dojo_emu_zp_count(zp, DOJO_EMU_ZPC_ERRORS, 1);
}

/* The connection ended: its transfers fail with @err. */
void dojo_emu_zp_rdma_conn_failed(struct dojo_emu_zp *zp,
				  struct dojo_emu_zp_conn *conn, int err)
{
	struct dojo_emu_zp_xfer *x;

	list_for_each_entry(x, &zp->xfers, node) {
		if (x->conn != conn || x->status || x->done)
			continue;
		x->status = err;
		dojo_emu_zp_kick(zp, x);
	}
}

/* ---- initiator ----------------------------------------------------------- */

static void dojo_emu_zp_pieces_free(struct list_head *pieces)
{
	struct dojo_emu_zp_piece *p, *tmp;

	list_for_each_entry_safe(p, tmp, pieces, node) {
		list_del(&p->node);
		kfree(p);
		atomic_dec(&dojo_emu_zp_live_objs);
	}
}

/*
 * How the transfer stands, under the port lock: its failure, a link down
 * for too long, or an answer overdue; else 0.
 */
static int dojo_emu_zp_check(struct dojo_emu_zp *zp,
			     struct dojo_emu_zp_xfer *x, unsigned long start)
{
	unsigned long down;

	if (x->status)
		return x->status;
	if (!dojo_emu_zp_link_usable(zp)) {
		down = READ_ONCE(zp->link_down_at);
		if (time_before(down, start))
			down = start;
		if (time_after(jiffies, down +
			       msecs_to_jiffies(DOJO_EMU_ZP_LINK_WAIT_MS)))
			return DOJO_ERR_ZP_LINK_DOWN;
	}
	if (time_after(jiffies, x->progress +
		       msecs_to_jiffies(DOJO_EMU_ZP_PROGRESS_MS)))
		return DOJO_ERR_REMOTE_TIMEOUT;
	return 0;
}

/*
 * Wait a little for the port to change (an answer, an ACK, the link) since
 * it was last looked at; short, so that a reset or deletion of the card is
 * seen promptly.
 */
static void dojo_emu_zp_wait(struct dojo_emu_zp *zp, u32 seen)
{
	wait_event_timeout(zp->wq, READ_ONCE(zp->events) != seen,
			   msecs_to_jiffies(DOJO_EMU_ZP_TICK_MS * 2));
}

/* Local to remote: WRITE pieces, then the target's STATUS. */
static int dojo_emu_zp_push(struct dojo_emu_job *job, struct dojo_emu_zp *zp,
			    struct dojo_emu_zp_xfer *x, struct dojo_emu_side *l,
			     u64 loff, struct dojo_emu_side *r, u64 roff,
			     u64 len, u8 *buf)
{
	unsigned long start = jiffies;
	struct dojo_emu_zp_hdr h = {
		.op = DOJO_EMU_ZP_OP_WRITE, .grant = r->grant, .key = r->addr,
		.tag = x->tag,
	};
	u8 b[DOJO_EMU_ZP_RDMA_HDR];
	bool room, done;
	u64 sent = 0;
	u32 seen;
	int err;

	for (;;) {
		err = dojo_emu_job_poll(job);
		if (err)
			return err;
		mutex_lock(&zp->lock);
		err = dojo_emu_zp_check(zp, x, start);
		room = sent < len && dojo_emu_zp_conn_room(x->conn);
		done = x->done;
		seen = zp->events;
		mutex_unlock(&zp->lock);
		if (err || done)
			return err;
		if (!room) {
			dojo_emu_zp_wait(zp, seen);
			continue;
		}

		h.len = min_t(u64, len - sent, DOJO_EMU_ZP_MAX_DATA);
		h.addr = roff + sent;
		h.flags = sent + h.len == len ? DOJO_EMU_ZP_LAST : 0;
		err = dojo_emu_job_kmem(job, l, loff + sent, buf, h.len, false);
		if (err)
			return err;
		dojo_emu_zp_hdr_put(b, &h);
		mutex_lock(&zp->lock);
		if (!x->status && dojo_emu_zp_send(zp, x->conn, b, buf, h.len))
			x->status = DOJO_ERR_REMOTE_TIMEOUT;
		x->progress = jiffies;
		mutex_unlock(&zp->lock);
		sent += h.len;
	}
}

/* Remote to local: READs, and their READ_DATA stored as it comes. */
static int dojo_emu_zp_pull(struct dojo_emu_job *job, struct dojo_emu_zp *zp,
			    struct dojo_emu_zp_xfer *x, struct dojo_emu_side *l,
			    u64 loff, struct dojo_emu_side *r, u64 roff,
			    u64 len)
{
	unsigned long start = jiffies;
	struct dojo_emu_zp_hdr h = {
		.op = DOJO_EMU_ZP_OP_READ, .grant = r->grant, .key = r->addr,
		.tag = x->tag,
	};
	struct dojo_emu_zp_piece *p, *tmp;
	u8 b[DOJO_EMU_ZP_RDMA_HDR];
	u64 asked = 0, got = 0;
	LIST_HEAD(pieces);
	bool busy;
	u32 seen;
	int err;

	while (got < len) {
		err = dojo_emu_job_poll(job);
		if (err)
			return err;
		busy = false;
		mutex_lock(&zp->lock);
		err = dojo_emu_zp_check(zp, x, start);
		if (!err && asked == got && dojo_emu_zp_conn_room(x->conn)) {
			h.count = min_t(u64, len - asked,
					DOJO_EMU_ZP_READ_CHUNK);
			h.addr = roff + asked;
			dojo_emu_zp_hdr_put(b, &h);
			if (dojo_emu_zp_send(zp, x->conn, b, NULL, 0))
				err = DOJO_ERR_REMOTE_TIMEOUT;
			asked += h.count;
			x->progress = jiffies;
			busy = true;
		}
		busy |= !list_empty(&x->pieces);
		list_splice_tail_init(&x->pieces, &pieces);
		seen = zp->events;
		mutex_unlock(&zp->lock);

		list_for_each_entry_safe(p, tmp, &pieces, node) {
			/* Pieces come in order, each where the last ended. */
			if (!err && (p->addr != roff + got ||
				     p->len > asked - got))
				err = DOJO_ERR_REMOTE_GONE;
			if (!err)
				err = dojo_emu_job_kmem(job, l, loff + got,
							p->data, p->len, true);
			if (!err)
				got += p->len;
			list_del(&p->node);
			kfree(p);
			atomic_dec(&dojo_emu_zp_live_objs);
		}
		if (err)
			return err;
		if (!busy)
			dojo_emu_zp_wait(zp, seen);
	}
	return 0;
}

/**
 * dojo_emu_zp_copy - a COPY between a local buffer and a remote grant
 * @job: the job
 * @src: source side
 * @soff: offset in it
 * @dst: destination side
 * @doff: offset in it
 * @len: bytes, inside both sides as the buffer table says
 *
 * Exactly one side is DOJO_BUF_REMOTE. Context: the queue's worker.
 * Return: 0, a DOJO_ERR_*, or what dojo_emu_job_poll() returned.
 */
int dojo_emu_zp_copy(struct dojo_emu_job *job, struct dojo_emu_side *src,
		     u64 soff, struct dojo_emu_side *dst, u64 doff, u64 len)
{
	struct dojo_emu_zp *zp = job->card->zp;
	bool write = dst->type == DOJO_BUF_REMOTE;
	struct dojo_emu_side *r = write ? dst : src;
	struct dojo_emu_zp_xfer x = {};
	u8 *buf = NULL;
	int err = 0;

	if (write) {
		buf = kmalloc(DOJO_EMU_ZP_MAX_DATA, GFP_KERNEL);
		if (!buf)
			return DOJO_ERR_REMOTE_TIMEOUT;
	}
	INIT_LIST_HEAD(&x.pieces);
	mutex_lock(&zp->lock);
	x.tag = ++zp->next_tag ?: ++zp->next_tag;
	x.progress = jiffies;
	x.conn = dojo_emu_zp_conn_open(zp, r->node, DOJO_EMU_ZP_RDMA_VC);
	if (x.conn)
		list_add_tail(&x.node, &zp->xfers);
	else
		err = DOJO_ERR_ZP_LINK_DOWN;	/* no free connection row */
	mutex_unlock(&zp->lock);

	if (!err && write)
		err = dojo_emu_zp_push(job, zp, &x, src, soff, dst, doff,
				       len, buf);
	else if (!err)
		err = dojo_emu_zp_pull(job, zp, &x, dst, doff, src, soff, len);

	if (x.conn) {
		mutex_lock(&zp->lock);
		list_del(&x.node);
		dojo_emu_zp_pieces_free(&x.pieces);
		mutex_unlock(&zp->lock);
	}
	kfree(buf);
	return err;
}

/* ---- life ---------------------------------------------------------------- */

void dojo_emu_zp_rdma_init(struct dojo_emu_zp *zp)
{
	mutex_init(&zp->grant_lock);
	xa_init(&zp->grants);
	INIT_LIST_HEAD(&zp->xfers);
	zp->next_grant = 1;
}

void dojo_emu_zp_rdma_fini(struct dojo_emu_zp *zp)
{
	dojo_emu_zp_revoke_all(zp);
	xa_destroy(&zp->grants);
	mutex_destroy(&zp->grant_lock);
}

void dojo_emu_zp_rdma_check_leaks(void)
{
	int n = atomic_read(&dojo_emu_zp_live_objs);

	if (n)
		pr_err("dojo_emu: leaked %d Z-plane frames or transfers\n", n);
}
