// SPDX-License-Identifier: GPL-2.0-only
/*
 * One job of an emulated DMA queue, as docs/hardware.md specifies the
 * descriptor, its commands, its buffer table and its completion record.
 *
 * The engine reaches host memory only through DMA addresses the driver
 * gave it: the descriptor, its commands, buffer table and completion
 * record, and the page lists of host buffers. The emulated card has no
 * IOMMU and its device uses dma-direct, so a DMA address is a physical
 * address: the engine refuses one that names no RAM page, maps the page
 * and copies. Data moves a page at a time, directly between host pages and
 * the pages backing HBM. Between pages it looks for a reset, a deletion of
 * the card or a hang switch (dojo_emu_job_poll()).
 */
#include <linux/crc32.h>
#include <linux/delay.h>
#include <linux/gfp.h>
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/sched.h>
#include <linux/sizes.h>

#include "dojo_emu_job.h"

#define DOJO_EMU_LATENCY_STEP	1000	/* us between checks for a reset */
#define DOJO_EMU_BAD_OP		0xdead	/* what the corrupt_* switches write */
#define DOJO_EMU_CLEAR_CHUNK	SZ_2M	/* HBM cleared between polls */

/* Internal buffer type: kernel memory of the engine itself (CRC result). */
#define DOJO_EMU_BUF_KMEM	0x100

/* Returned by the data path in place of a DOJO_ERR_* code. */
#define DOJO_EMU_E_STOP		(-1)
#define DOJO_EMU_E_HANG		(-2)

/* Bounce pages not yet freed, checked at module unload. */
static atomic_t dojo_emu_job_pages = ATOMIC_INIT(0);

/* ---- host memory, as the card reaches it --------------------------------- */

/* A DMA address is a physical address; refuse one that is not RAM. */
static struct page *dojo_emu_dma_page(u64 addr)
{
	if (!pfn_valid(PHYS_PFN(addr)))
		return NULL;
	return pfn_to_page(PHYS_PFN(addr));
}

static bool dojo_emu_dma_ok(u64 addr, size_t len)
{
	u64 end, a;

	if (!len || check_add_overflow(addr, (u64)len - 1, &end))
		return false;
	for (a = addr; a <= end && a >= addr; a = (a & PAGE_MASK) + PAGE_SIZE)
		if (!dojo_emu_dma_page(a))
			return false;
	return true;
}

/* Descriptors, buffer tables, commands, page lists, completion records. */
static int dojo_emu_dma_rw(u64 addr, void *buf, size_t len, bool write)
{
	if (!dojo_emu_dma_ok(addr, len))
		return DOJO_ERR_DMA;

	while (len) {
		size_t off = offset_in_page(addr);
		size_t n = min_t(size_t, len, PAGE_SIZE - off);
		struct page *page = dojo_emu_dma_page(addr);

		if (write)
			memcpy_to_page(page, off, buf, n);
		else
			memcpy_from_page(buf, page, off, n);
		buf += n;
		addr += n;
		len -= n;
	}
	return 0;
}

/* fail_dma: the next N host data transfers fail. */
static bool dojo_emu_dma_fault(struct dojo_emu_job *job)
{
	return atomic_dec_if_positive(&job->q->dma->fail_dma) >= 0;
}

/* DMA address of byte @off of host buffer @s, through its page list. */
static int dojo_emu_host_addr(struct dojo_emu_side *s, u64 off, u64 *addr)
{
	u64 idx = off / DOJO_PAGE_SIZE;
	u64 page;

	if (idx < s->pl_first || idx - s->pl_first >= s->pl_count) {
		u64 total = DIV_ROUND_UP(s->size, DOJO_PAGE_SIZE);
		u32 n = min_t(u64, DOJO_EMU_PLIST_BATCH, total - idx);
		u64 at;

		s->pl_count = 0;
		if (check_add_overflow(s->addr, idx * sizeof(__le64), &at) ||
		    dojo_emu_dma_rw(at, s->pl, n * sizeof(__le64), false))
			return DOJO_ERR_DMA;
		s->pl_first = idx;
		s->pl_count = n;
	}
	page = le64_to_cpu(s->pl[idx - s->pl_first]);
	if (!IS_ALIGNED(page, DOJO_PAGE_SIZE))
		return DOJO_ERR_DMA;
	*addr = page + off % DOJO_PAGE_SIZE;
	return 0;
}

/*
 * Map the host page holding byte @off of @s; the caller moves at most up
 * to the end of that 4 KiB page, then kunmap_local()s the pointer. NULL
 * and *@err set if the card cannot reach the page.
 */
static void *dojo_emu_host_map(struct dojo_emu_side *s, u64 off, int *err)
{
	struct page *page;
	u64 addr;

	*err = dojo_emu_host_addr(s, off, &addr);
	if (*err)
		return NULL;
	page = dojo_emu_dma_page(addr);
	if (!page) {
		*err = DOJO_ERR_DMA;
		return NULL;
	}
	return kmap_local_page(page) + offset_in_page(addr);
}

static size_t dojo_emu_page_left(u64 off)
{
	return DOJO_PAGE_SIZE - off % DOJO_PAGE_SIZE;
}

/*
 * Map the host page of @s holding byte @off for at most @len bytes of a
 * transfer; *@n is how many of them lie in that page. NULL and *@err set
 * if the card cannot reach it (or fail_dma says it fails).
 */
static void *dojo_emu_host_chunk(struct dojo_emu_job *job,
				 struct dojo_emu_side *s, u64 off, u64 len,
				 size_t *n, int *err)
{
	*n = min_t(u64, len, dojo_emu_page_left(off));
	if (dojo_emu_dma_fault(job)) {
		*err = DOJO_ERR_DMA;
		return NULL;
	}
	return dojo_emu_host_map(s, off, err);
}

static int dojo_emu_hbm_err(int ret)
{
	if (!ret)
		return 0;
	return ret == -ERANGE ? DOJO_ERR_FAULT : DOJO_ERR_HBM;
}

/* ---- the data path ------------------------------------------------------- */

/* Between pages and commands: honour a reset, a deletion or a hang. */
int dojo_emu_job_poll(struct dojo_emu_job *job)
{
	struct dojo_emu_dmaq *q = job->q;

	if (READ_ONCE(q->reset) || READ_ONCE(job->card->gone))
		return DOJO_EMU_E_STOP;
	if (READ_ONCE(q->hang))
		return DOJO_EMU_E_HANG;
	/* The link went down (or bounced) since a tile buffer was resolved. */
	if (job->tile && READ_ONCE(job->card->ttp.gen) != job->tile_gen)
		return DOJO_ERR_LINK_DOWN;
	cond_resched();
	return 0;
}

/* A page of fill pattern. */
static void dojo_emu_job_bounce(struct dojo_emu_job *job)
{
	if (job->bounce)
		return;
	job->bounce_page = __get_free_page(GFP_KERNEL | __GFP_NOWARN);
	if (job->bounce_page) {
		atomic_inc(&dojo_emu_job_pages);
		job->bounce = (u8 *)job->bounce_page;
		job->bounce_len = PAGE_SIZE;
	} else {
		job->bounce = job->small_bounce;
		job->bounce_len = sizeof(job->small_bounce);
	}
}

/* Let go of the tile buffer a side resolved, if any. */
static void dojo_emu_side_put(struct dojo_emu_side *s)
{
	if (s->tbuf)
		dojo_emu_tbuf_put(s->tbuf);
	s->tbuf = NULL;
}

static void dojo_emu_job_release(struct dojo_emu_job *job)
{
	dojo_emu_side_put(&job->src);
	dojo_emu_side_put(&job->dst);
	if (job->bounce_page) {
		free_page(job->bounce_page);
		atomic_dec(&dojo_emu_job_pages);
	}
	job->bounce_page = 0;
	job->bounce = NULL;
}

/*
 * HBM to HBM: through the job's bounce page, as the engine stages data in
 * its own buffer. The model's HBM pages come from the page allocator in
 * runs, so a source and a destination page often lie a large power of two
 * apart; copied directly, such pairs thrash a software-emulated CPU's TLB
 * (QEMU TCG) and cost several times a copy through a third page.
 */
static int dojo_emu_hbm_stage(struct dojo_emu_job *job,
			      struct dojo_emu_hbm *hbm, u64 addr,
			      const u8 *src, size_t len)
{
	int err = 0;

	dojo_emu_job_bounce(job);
	while (len && !err) {
		size_t n = min(len, job->bounce_len);

		memcpy(job->bounce, src, n);
		err = dojo_emu_hbm_write(hbm, addr, job->bounce, n, GFP_KERNEL);
		src += n;
		addr += n;
		len -= n;
	}
	return err;
}

/* Bytes that crossed the TTP link, for its counters. */
static void dojo_emu_ttp_count(struct dojo_emu_job *job,
			       struct dojo_emu_side *s, size_t n, bool tx)
{
	if (s->type == DOJO_BUF_TILE)
		atomic64_add(n, tx ? &job->card->ttp.tx_bytes :
				     &job->card->ttp.rx_bytes);
}

/*
 * HBM ECC: a read of HBM holding an uncorrected error fails, a write makes
 * the range clean again. Tile SRAM is not the card's HBM: neither applies.
 */
static int dojo_emu_side_ecc_read(struct dojo_emu_job *job,
				  struct dojo_emu_side *s, u64 addr, u64 len)
{
	if (s->type != DOJO_BUF_HBM)
		return 0;
	return dojo_emu_ecc_read(job->card, addr, len);
}

static void dojo_emu_side_ecc_write(struct dojo_emu_job *job,
				    struct dojo_emu_side *s, u64 addr, u64 len)
{
	if (s->type == DOJO_BUF_HBM)
		dojo_emu_ecc_write(job->card, addr, len);
}

/*
 * Move @len bytes from @src at @soff to @dst at @doff, front to back, at
 * most a page at a time, directly between host pages and the pages
 * backing HBM or tile SRAM.
 */
static int dojo_emu_xfer(struct dojo_emu_job *job, struct dojo_emu_side *src,
			 u64 soff, struct dojo_emu_side *dst, u64 doff, u64 len)
{
	bool shost = src->type == DOJO_BUF_HOST;
	bool shbm = src->type == DOJO_BUF_HBM || src->type == DOJO_BUF_TILE;
	bool dhost = dst->type == DOJO_BUF_HOST;
	bool dkmem = dst->type == DOJO_EMU_BUF_KMEM;

	while (len) {
		size_t n = min_t(u64, len, DOJO_PAGE_SIZE);
		const u8 *sp;
		u8 *dp = NULL;
		int err;

		err = dojo_emu_job_poll(job);
		if (err)
			return err;

		if (shost)
			n = min(n, dojo_emu_page_left(soff));
		if (shbm)
			n = min(n, PAGE_SIZE - offset_in_page(src->addr + soff));
		if (dhost)
			n = min(n, dojo_emu_page_left(doff));
		if ((shost || dhost) && dojo_emu_dma_fault(job))
			return DOJO_ERR_DMA;
		err = dojo_emu_side_ecc_read(job, src, src->addr + soff, n);
		if (err)
			return err;

		if (shost) {
			sp = dojo_emu_host_map(src, soff, &err);
			if (!sp)
				return err;
		} else if (shbm) {
			sp = dojo_emu_hbm_map(src->mem, src->addr + soff);
		} else {
			sp = (const u8 *)src->kaddr + soff;
		}
		if (dhost)
			dp = dojo_emu_host_map(dst, doff, &err);

		if (dp)
			memcpy(dp, sp, n);
		else if (!err && dkmem)
			memcpy((u8 *)dst->kaddr + doff, sp, n);
		else if (!err && shbm)
			err = dojo_emu_hbm_stage(job, dst->mem, dst->addr + doff,
						 sp, n);
		else if (!err)
			err = dojo_emu_hbm_write(dst->mem, dst->addr + doff, sp,
						 n, GFP_KERNEL);

		if (dp)
			kunmap_local(dp);
		if (shost || shbm)
			kunmap_local(sp);
		if (err)
			return dhost ? err : dojo_emu_hbm_err(err);
		dojo_emu_side_ecc_write(job, dst, dst->addr + doff, n);
		dojo_emu_ttp_count(job, src, n, false);
		dojo_emu_ttp_count(job, dst, n, true);
		soff += n;
		doff += n;
		len -= n;
		job->bytes += n;
	}
	return 0;
}

/**
 * dojo_emu_job_kmem - move bytes between a side of a job and kernel memory
 * @job: the job
 * @s: a local side (host, HBM or tile buffer)
 * @off: offset in @s
 * @buf: kernel memory
 * @n: bytes
 * @to_side: from @buf to @s, else from @s to @buf
 *
 * For the Z-plane engine, which moves data between local buffers and
 * frames. Return: 0, a DOJO_ERR_*, or a stop as dojo_emu_job_poll().
 */
int dojo_emu_job_kmem(struct dojo_emu_job *job, struct dojo_emu_side *s,
		      u64 off, void *buf, size_t n, bool to_side)
{
	struct dojo_emu_side k = {
		.type = DOJO_EMU_BUF_KMEM, .kaddr = buf, .size = n,
	};

	if (to_side)
		return dojo_emu_xfer(job, &k, 0, s, off, n);
	return dojo_emu_xfer(job, s, off, &k, 0, n);
}

/*
 * FILL: byte i of the range is byte (i % 4) of the little-endian pattern,
 * counted from the start of the range whatever its alignment. The pattern
 * is laid out once in the bounce page (@tmpl bytes, a multiple of 4) and
 * copied from there.
 */
static void dojo_emu_fill_from(struct dojo_emu_job *job, u8 *dst, size_t n,
			       unsigned int phase, size_t tmpl)
{
	while (n) {
		size_t k = min(n, tmpl - phase);

		memcpy(dst, job->bounce + phase, k);
		dst += k;
		n -= k;
		phase = 0;
	}
}

/* FILL of HBM with zeroes (the driver's scrub): a chunk between polls. */
static int dojo_emu_hbm_clear(struct dojo_emu_job *job,
			      struct dojo_emu_side *dst, u64 addr, u64 len)
{
	while (len) {
		u64 n = min_t(u64, len, DOJO_EMU_CLEAR_CHUNK);
		int err;

		err = dojo_emu_job_poll(job);
		if (err)
			return err;
		err = dojo_emu_hbm_zero(dst->mem, addr, n);
		if (err)
			return dojo_emu_hbm_err(err);
		dojo_emu_side_ecc_write(job, dst, addr, n);
		dojo_emu_ttp_count(job, dst, n, true);
		addr += n;
		len -= n;
		job->bytes += n;
	}
	return 0;
}

static int dojo_emu_fill(struct dojo_emu_job *job, struct dojo_emu_side *dst,
			 u64 doff, u64 len, u32 pattern)
{
	bool dhost = dst->type == DOJO_BUF_HOST;
	size_t tmpl;
	u64 pos = 0;

	if (!dhost && !pattern)
		return dojo_emu_hbm_clear(job, dst, dst->addr + doff, len);

	dojo_emu_job_bounce(job);
	tmpl = min_t(u64, job->bounce_len, round_up(len, 4) + 4);
	memset32((u32 *)job->bounce, (__force u32)cpu_to_le32(pattern),
		 tmpl / 4);

	while (len) {
		unsigned int phase = pos % 4;
		size_t n;
		u8 *dp;
		int err;

		err = dojo_emu_job_poll(job);
		if (err)
			return err;

		if (dhost) {
			dp = dojo_emu_host_chunk(job, dst, doff, len, &n, &err);
			if (!dp)
				return err;
			dojo_emu_fill_from(job, dp, n, phase, tmpl);
			kunmap_local(dp);
		} else {
			n = min_t(u64, len, tmpl - phase);
			err = dojo_emu_hbm_write(dst->mem, dst->addr + doff,
						 job->bounce + phase, n,
						 GFP_KERNEL);
			if (err)
				return dojo_emu_hbm_err(err);
			dojo_emu_side_ecc_write(job, dst, dst->addr + doff, n);
			dojo_emu_ttp_count(job, dst, n, true);
		}
		doff += n;
		pos += n;
		len -= n;
		job->bytes += n;
	}
	return 0;
}

static int dojo_emu_crc(struct dojo_emu_job *job, struct dojo_emu_side *src,
			u64 soff, u64 len, u32 *crc)
{
	bool shost = src->type == DOJO_BUF_HOST;
	u32 c = ~0U;

	while (len) {
		const u8 *sp;
		size_t n;
		int err;

		err = dojo_emu_job_poll(job);
		if (err)
			return err;

		if (shost) {
			sp = dojo_emu_host_chunk(job, src, soff, len, &n, &err);
			if (!sp)
				return err;
		} else {
			n = min_t(u64, len,
				  PAGE_SIZE - offset_in_page(src->addr + soff));
			err = dojo_emu_side_ecc_read(job, src, src->addr + soff,
						     n);
			if (err)
				return err;
			sp = dojo_emu_hbm_map(src->mem, src->addr + soff);
			dojo_emu_ttp_count(job, src, n, false);
		}
		c = crc32_le(c, sp, n);
		kunmap_local(sp);
		soff += n;
		len -= n;
		job->bytes += n;
	}
	*crc = ~c;
	return 0;
}

/* ---- commands ------------------------------------------------------------ */

static bool dojo_emu_range_ok(u64 off, u64 len, u64 size)
{
	u64 end;

	return !check_add_overflow(off, len, &end) && end <= size;
}

/*
 * A tile buffer is named by its id; the tile controller says where it is
 * and whether this card's port holds it.
 */
static int dojo_emu_job_tile_buf(struct dojo_emu_job *job,
				 struct dojo_emu_side *s, u64 id)
{
	u32 gen;
	int err;

	err = dojo_emu_ttp_resolve(job->card, id, s->size, &s->tbuf, &gen);
	if (err)
		return err;
	if (job->tile && gen != job->tile_gen) {
		dojo_emu_side_put(s);
		return DOJO_ERR_LINK_DOWN;
	}
	job->tile = true;
	job->tile_gen = gen;
	s->mem = &s->tbuf->tile->sram;
	s->addr = s->tbuf->off;
	return 0;
}

/* Look up buffer @idx of the job's table: the card's address translation. */
static int dojo_emu_job_buf(struct dojo_emu_job *job, u8 idx,
			    struct dojo_emu_side *s, bool write, bool remote)
{
	struct dojo_hw_buf hb;
	u32 type, flags;
	int err;

	dojo_emu_side_put(s);
	if (idx >= job->num_bufs)
		return DOJO_ERR_INVALID;
	err = dojo_emu_dma_rw(job->btab + idx * sizeof(hb), &hb, sizeof(hb),
			      false);
	if (err)
		return err;

	type = le32_to_cpu(hb.type);
	flags = le32_to_cpu(hb.flags);
	if ((type != DOJO_BUF_HOST && type != DOJO_BUF_HBM &&
	     type != DOJO_BUF_TILE && type != DOJO_BUF_REMOTE) ||
	    (flags & ~DOJO_BUF_FLAG_WRITE) ||
	    (type == DOJO_BUF_REMOTE ? !remote : !!hb.ext))
		return DOJO_ERR_INVALID;
	if (write && !(flags & DOJO_BUF_FLAG_WRITE))
		return DOJO_ERR_FAULT;

	s->type = type;
	s->size = le64_to_cpu(hb.size);
	s->addr = le64_to_cpu(hb.addr);
	s->pl_count = 0;
	s->mem = &job->card->hbm;
	/* A grant of a peer: the peer checks it, the card only the size. */
	s->node = upper_32_bits(le64_to_cpu(hb.ext));
	s->grant = lower_32_bits(le64_to_cpu(hb.ext));
	if (type == DOJO_BUF_TILE)
		return dojo_emu_job_tile_buf(job, s, s->addr);
	/* An HBM window reaching past the card's HBM faults as a whole. */
	if (type == DOJO_BUF_HBM &&
	    !dojo_emu_range_ok(s->addr, s->size, job->card->hbm.size))
		return DOJO_ERR_FAULT;
	return 0;
}

static int dojo_emu_job_cmd(struct dojo_emu_job *job,
			    const struct dojo_hw_cmd *c)
{
	u64 soff = le64_to_cpu(c->src_off);
	u64 doff = le64_to_cpu(c->dst_off);
	u64 len = le64_to_cpu(c->len);
	struct dojo_emu_side *src = &job->src, *dst = &job->dst;
	__le32 result;
	u32 crc;
	int err;

	switch (le16_to_cpu(c->op)) {
	case DOJO_CMD_NOP:
	case DOJO_CMD_BARRIER:
		/* Commands run one after another: earlier writes are done. */
		return 0;
	case DOJO_CMD_COPY:
		if (!len)
			return DOJO_ERR_INVALID;
		err = dojo_emu_job_buf(job, c->src_buf, src, false, true);
		if (!err)
			err = dojo_emu_job_buf(job, c->dst_buf, dst, true, true);
		if (err)
			return err;
		if (src->type == DOJO_BUF_REMOTE && dst->type == DOJO_BUF_REMOTE)
			return DOJO_ERR_INVALID;
		if (!dojo_emu_range_ok(soff, len, src->size) ||
		    !dojo_emu_range_ok(doff, len, dst->size))
			return DOJO_ERR_FAULT;
		if (src->type == DOJO_BUF_REMOTE || dst->type == DOJO_BUF_REMOTE)
			return dojo_emu_zp_copy(job, src, soff, dst, doff, len);
		return dojo_emu_xfer(job, src, soff, dst, doff, len);
	case DOJO_CMD_FILL:
		if (!len)
			return DOJO_ERR_INVALID;
		err = dojo_emu_job_buf(job, c->dst_buf, dst, true, false);
		if (err)
			return err;
		if (!dojo_emu_range_ok(doff, len, dst->size))
			return DOJO_ERR_FAULT;
		return dojo_emu_fill(job, dst, doff, len,
				     le32_to_cpu(c->pattern));
	case DOJO_CMD_CRC32:
		if (!len)
			return DOJO_ERR_INVALID;
		err = dojo_emu_job_buf(job, c->src_buf, src, false, false);
		if (!err)
			err = dojo_emu_job_buf(job, c->dst_buf, dst, true, false);
		if (err)
			return err;
		if (!dojo_emu_range_ok(soff, len, src->size) ||
		    !dojo_emu_range_ok(doff, sizeof(result), dst->size))
			return DOJO_ERR_FAULT;
		err = dojo_emu_crc(job, src, soff, len, &crc);
		if (err)
			return err;
		result = cpu_to_le32(crc);
		dojo_emu_side_put(src);
		src->type = DOJO_EMU_BUF_KMEM;
		src->kaddr = &result;
		src->size = sizeof(result);
		return dojo_emu_xfer(job, src, 0, dst, doff, sizeof(result));
	default:
		return DOJO_ERR_INVALID;
	}
}

/* ---- jobs ---------------------------------------------------------------- */

static void dojo_emu_job_complete(struct dojo_emu_dmaq *q, u32 error)
{
	struct dojo_hw_compl c = {
		.flags = cpu_to_le32(DOJO_COMPL_DONE),
		.error = cpu_to_le32(error),
		.error_cmd = cpu_to_le32(error ? q->cmd : 0),
		.seqno = cpu_to_le64(q->seqno),
	};

	/* The address was checked when the descriptor was parsed. */
	dojo_emu_dma_rw(q->compl, &c, sizeof(c), true);
}

/* The held job ends by a reset; nothing is written for a deleted card. */
void dojo_emu_job_abort(struct dojo_emu_dmaq *q)
{
	if (!READ_ONCE(q->card->gone))
		dojo_emu_job_complete(q, DOJO_ERR_ABORTED);
}

/* Fetch and check the descriptor; any failure halts the queue. */
static int dojo_emu_job_parse(struct dojo_emu_job *job)
{
	struct dojo_emu_dmaq *q = job->q;
	struct dojo_hw_desc d;
	u64 end;

	if (dojo_emu_dma_rw(job->desc, &d, sizeof(d), false))
		return DOJO_ERR_DMA;
	if (job->corrupt_desc)
		d.op = cpu_to_le16(DOJO_EMU_BAD_OP);

	job->num_cmds = le32_to_cpu(d.num_cmds);
	job->num_bufs = le32_to_cpu(d.num_bufs);
	job->cmds = le64_to_cpu(d.cmds);
	job->btab = le64_to_cpu(d.btab);
	job->irq = le16_to_cpu(d.flags) & DOJO_DESC_FLAG_IRQ;
	if (le16_to_cpu(d.op) != DOJO_DESC_OP_JOB ||
	    (le16_to_cpu(d.flags) & ~DOJO_DESC_FLAG_IRQ) ||
	    !job->num_cmds || job->num_cmds > DOJO_MAX_CMDS ||
	    job->num_bufs > DOJO_MAX_BUFS ||
	    d.rsvd0 || d.rsvd1[0] || d.rsvd1[1])
		return DOJO_ERR_INVALID;
	if (check_add_overflow(job->cmds, (u64)job->num_cmds *
			       sizeof(struct dojo_hw_cmd), &end) ||
	    check_add_overflow(job->btab, (u64)job->num_bufs *
			       sizeof(struct dojo_hw_buf), &end))
		return DOJO_ERR_INVALID;
	if (!dojo_emu_dma_ok(le64_to_cpu(d.compl), sizeof(struct dojo_hw_compl)))
		return DOJO_ERR_DMA;

	q->compl = le64_to_cpu(d.compl);
	q->seqno = le64_to_cpu(d.seqno);
	q->cmd = 0;
	return 0;
}

/* The dma_latency_us throttle: sleep, but notice a reset or a hang. */
static int dojo_emu_job_delay(struct dojo_emu_job *job)
{
	unsigned int left = READ_ONCE(job->q->dma->latency_us);
	int err = 0;

	while (left && !err) {
		unsigned int step = min(left, DOJO_EMU_LATENCY_STEP);

		fsleep(step);
		left -= step;
		err = dojo_emu_job_poll(job);
	}
	return err;
}

static int dojo_emu_job_run(struct dojo_emu_job *job)
{
	struct dojo_emu_dmaq *q = job->q;
	struct dojo_hw_cmd c;
	u32 i;
	int err;

	err = dojo_emu_job_delay(job);
	if (err)
		return err;

	for (i = 0; i < job->num_cmds; i++) {
		q->cmd = i;
		if (i && READ_ONCE(q->dma->hang_at_cmd) == i &&
		    cmpxchg(&q->dma->hang_at_cmd, i, 0) == i)
			WRITE_ONCE(q->hang, true);
		err = dojo_emu_job_poll(job);
		if (err)
			return err;
		err = dojo_emu_dma_rw(job->cmds + i * sizeof(c), &c, sizeof(c),
				      false);
		if (err)
			return err;
		if (!i && job->corrupt_cmd)
			c.op = cpu_to_le16(DOJO_EMU_BAD_OP);
		if (!i && job->corrupt_range)
			c.dst_off = cpu_to_le64(le64_to_cpu(c.dst_off) + BIT_ULL(40));
		err = dojo_emu_job_cmd(job, &c);
		if (err)
			return err;
	}
	return 0;
}

enum dojo_emu_end dojo_emu_job_exec(struct dojo_emu_job *job)
{
	int err;

	job->src.tbuf = NULL;
	job->dst.tbuf = NULL;
	err = dojo_emu_job_parse(job);
	if (err) {
		job->error = err;
		return DOJO_EMU_HALT;
	}

	err = dojo_emu_job_run(job);
	dojo_emu_job_release(job);
	if (err == DOJO_EMU_E_HANG)
		return DOJO_EMU_HUNG;
	if (err == DOJO_EMU_E_STOP) {
		dojo_emu_job_abort(job->q);
		return DOJO_EMU_STOPPED;
	}
	job->error = err;
	dojo_emu_job_complete(job->q, err);
	return DOJO_EMU_ENDED;
}

void dojo_emu_job_check_leaks(void)
{
	int n = atomic_read(&dojo_emu_job_pages);

	if (n)
		pr_err("dojo_emu: leaked %d DMA bounce pages\n", n);
}
