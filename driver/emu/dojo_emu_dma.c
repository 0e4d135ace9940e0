// SPDX-License-Identifier: GPL-2.0-only
/*
 * DMA queues of the emulated DIP, as the "DMA queues" part of dojo_regs.h
 * and docs/hardware.md specify them.
 *
 * Each queue is one work item on the card's workqueue: a doorbell
 * (TAIL) or ENABLE queues it, and it runs the descriptors from HEAD to
 * TAIL. The engine reaches host memory only through DMA addresses the
 * driver gave it: the ring, each descriptor's commands, buffer table and
 * completion record, and the page lists of host buffers. The emulated card
 * has no IOMMU and its device uses dma-direct, so a DMA address is a
 * physical address: the engine refuses one that names no RAM page, maps
 * the page and copies. Data moves a page at a time, directly between host
 * pages and the pages backing HBM.
 *
 * The queue registers live under the card's register lock, which register
 * accesses take from any context. The worker takes it only to pick up a
 * job and to publish its end, never across a memory access, and raises
 * interrupts after dropping it. CTRL.RESET cannot wait for the engine (a
 * register write may come from atomic context): it completes at once when
 * the queue holds no job, and otherwise asks the worker, which looks
 * between pages, ends the job ABORTED and then completes the reset.
 */
#include <linux/bitfield.h>
#include <linux/crc32.h>
#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/gfp.h>
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/workqueue.h>

#include "dojo_emu.h"
#include "dojo_emu_dma.h"

#define DOJO_EMU_RING_MIN	16
#define DOJO_EMU_RING_MAX	4096
#define DOJO_EMU_Q_STRIDE	(DOJO_REG_Q(1) - DOJO_REG_Q(0))
#define DOJO_EMU_PLIST_BATCH	32	/* page list entries fetched at once */
#define DOJO_EMU_SMALL_BOUNCE	256	/* in the job if no page is free */
#define DOJO_EMU_LATENCY_STEP	1000	/* us between checks for a reset */
#define DOJO_EMU_BAD_OP		0xdead	/* what the corrupt_* switches write */

/* Internal buffer type: kernel memory of the engine itself (CRC result). */
#define DOJO_EMU_BUF_KMEM	0x100

/* Engines and bounce pages not yet freed, checked at module unload. */
static atomic_t dojo_emu_dma_engines = ATOMIC_INIT(0);
static atomic_t dojo_emu_dma_pages = ATOMIC_INIT(0);

struct dojo_emu_dma;

/**
 * struct dojo_emu_dmaq - one DMA queue
 * @card: the card
 * @dma: the card's DMA engine
 * @work: runs the queue
 * @index: queue number
 * @ring: RING_LO/HI
 * @ring_size: RING_SIZE
 * @head: HEAD
 * @tail: TAIL
 * @enabled: CTRL.ENABLE
 * @reset: CTRL.RESET: a reset waits for the worker to stop
 * @halted: STATUS.HALTED
 * @error: STATUS.ERROR, the DOJO_ERR_* that halted the queue
 * @busy: STATUS.BUSY: the engine holds a job, running or hung
 * @parked: the job it holds hangs (hang_queue) until a reset
 * @done_seqno: DONE_SEQNO
 * @hang: fault switch: the current or next job never completes
 * @corrupt_desc: fault switch: garble the next descriptor fetched
 * @corrupt_cmd: fault switch: garble the next job's first command
 * @corrupt_range: fault switch: move the next job's first command's
 *		   destination a TiB past its offset, outside any buffer
 * @jobs: jobs ended, with or without an error
 * @errors: jobs ended with an error
 * @aborted: jobs ended by a reset
 * @halts: descriptors that halted the queue
 * @bytes: data bytes moved
 * @compl: worker only: completion record of the job it holds
 * @seqno: worker only: sequence number of that job
 * @cmd: worker only: index of the command running
 *
 * Everything up to @bytes is under the card's lock; @reset, @hang and the
 * card's gone flag are also read by the worker between pages.
 */
struct dojo_emu_dmaq {
	struct dojo_emu_card *card;
	struct dojo_emu_dma *dma;
	struct work_struct work;
	unsigned int index;

	u64 ring;
	u32 ring_size;
	u32 head;
	u32 tail;
	bool enabled;
	bool reset;
	bool halted;
	u8 error;
	bool busy;
	bool parked;
	u64 done_seqno;

	bool hang;
	bool corrupt_desc;
	bool corrupt_cmd;
	bool corrupt_range;

	u64 jobs;
	u64 errors;
	u64 aborted;
	u64 halts;
	u64 bytes;

	u64 compl;
	u64 seqno;
	u32 cmd;
};

/* A per-queue fault switch in debugfs: a bool at @offset in each queue. */
struct dojo_emu_qswitch {
	struct dojo_emu_card *card;
	size_t offset;
};

enum {
	DOJO_EMU_SW_HANG,
	DOJO_EMU_SW_CORRUPT_DESC,
	DOJO_EMU_SW_CORRUPT_CMD,
	DOJO_EMU_SW_CORRUPT_RANGE,
	DOJO_EMU_NR_SWITCHES,
};

/**
 * struct dojo_emu_dma - the DMA engine of one card
 * @wq: runs the queues, each at most once at a time
 * @fail_dma: fault switch: host data transfers still to fail
 * @latency_us: throttle: time each job waits before it starts
 * @sw: debugfs handles of the per-queue fault switches
 * @q: the queues
 */
struct dojo_emu_dma {
	struct workqueue_struct *wq;
	atomic_t fail_dma;
	u32 latency_us;
	struct dojo_emu_qswitch sw[DOJO_EMU_NR_SWITCHES];
	struct dojo_emu_dmaq q[DOJO_EMU_DMA_QUEUES];
};

/* One side of a transfer: a buffer of the job's table, or engine memory. */
struct dojo_emu_side {
	u32 type;		/* DOJO_BUF_* or DOJO_EMU_BUF_KMEM */
	u64 size;
	u64 addr;		/* HOST: page list; HBM: base */
	void *kaddr;		/* KMEM */
	u64 pl_first;		/* page index of pl[0] */
	u32 pl_count;		/* valid entries of pl */
	__le64 pl[DOJO_EMU_PLIST_BATCH];
};

struct dojo_emu_job {
	struct dojo_emu_dmaq *q;
	struct dojo_emu_card *card;
	u64 desc;		/* DMA address of the descriptor */
	u64 cmds;
	u64 btab;
	u32 num_cmds;
	u32 num_bufs;
	bool irq;
	bool corrupt_desc;
	bool corrupt_cmd;
	bool corrupt_range;
	u32 error;		/* DOJO_ERR_* of the job or of the halt */
	u64 bytes;
	u8 *bounce;
	size_t bounce_len;
	unsigned long bounce_page;
	struct dojo_emu_side src;
	struct dojo_emu_side dst;
	u8 small_bounce[DOJO_EMU_SMALL_BOUNCE] __aligned(8);
};

/* How a job left the engine. */
enum dojo_emu_end {
	DOJO_EMU_ENDED,		/* completion record written, error in job */
	DOJO_EMU_HALT,		/* bad descriptor: the queue halts */
	DOJO_EMU_STOPPED,	/* queue reset (record says ABORTED) or card gone */
	DOJO_EMU_HUNG,		/* hang_queue: the job stays until a reset */
};

/* Returned by the data path in place of a DOJO_ERR_* code. */
#define DOJO_EMU_E_STOP		(-1)
#define DOJO_EMU_E_HANG		(-2)

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

static int dojo_emu_hbm_err(int ret)
{
	if (!ret)
		return 0;
	return ret == -ERANGE ? DOJO_ERR_FAULT : DOJO_ERR_HBM;
}

/* ---- the data path ------------------------------------------------------- */

/* Between pages and commands: honour a reset, a deletion or a hang. */
static int dojo_emu_job_poll(struct dojo_emu_job *job)
{
	struct dojo_emu_dmaq *q = job->q;

	if (READ_ONCE(q->reset) || READ_ONCE(job->card->gone))
		return DOJO_EMU_E_STOP;
	if (READ_ONCE(q->hang))
		return DOJO_EMU_E_HANG;
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
		atomic_inc(&dojo_emu_dma_pages);
		job->bounce = (u8 *)job->bounce_page;
		job->bounce_len = PAGE_SIZE;
	} else {
		job->bounce = job->small_bounce;
		job->bounce_len = sizeof(job->small_bounce);
	}
}

static void dojo_emu_job_release(struct dojo_emu_job *job)
{
	if (job->bounce_page) {
		free_page(job->bounce_page);
		atomic_dec(&dojo_emu_dma_pages);
	}
	job->bounce_page = 0;
	job->bounce = NULL;
}

/*
 * Map the page backing HBM byte @addr, or the zero page where HBM was never
 * written; the caller reads at most to the end of that page, then
 * kunmap_local()s the pointer. Backing pages stay until the card is
 * deleted, so a page found here cannot go away under the engine.
 */
/*
 * HBM to HBM: through the job's bounce page, as the engine stages data in
 * its own buffer. The model's HBM pages come from the page allocator in
 * runs, so a source and a destination page often lie a large power of two
 * apart; copied directly, such pairs thrash a software-emulated CPU's TLB
 * (QEMU TCG) and cost several times a copy through a third page.
 */
static int dojo_emu_hbm_stage(struct dojo_emu_job *job, u64 addr,
			      const u8 *src, size_t len)
{
	struct dojo_emu_hbm *hbm = &job->card->hbm;
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

/*
 * Move @len bytes from @src at @soff to @dst at @doff, front to back, at
 * most a page at a time, directly between host pages and HBM pages.
 */
static int dojo_emu_xfer(struct dojo_emu_job *job, struct dojo_emu_side *src,
			 u64 soff, struct dojo_emu_side *dst, u64 doff, u64 len)
{
	struct dojo_emu_hbm *hbm = &job->card->hbm;
	bool shost = src->type == DOJO_BUF_HOST;
	bool shbm = src->type == DOJO_BUF_HBM;
	bool dhost = dst->type == DOJO_BUF_HOST;

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

		if (shost) {
			sp = dojo_emu_host_map(src, soff, &err);
			if (!sp)
				return err;
		} else if (shbm) {
			sp = dojo_emu_hbm_map(hbm, src->addr + soff);
		} else {
			sp = (const u8 *)src->kaddr + soff;
		}
		if (dhost)
			dp = dojo_emu_host_map(dst, doff, &err);

		if (dp)
			memcpy(dp, sp, n);
		else if (!err && shbm)
			err = dojo_emu_hbm_stage(job, dst->addr + doff, sp, n);
		else if (!err)
			err = dojo_emu_hbm_write(hbm, dst->addr + doff, sp, n,
						 GFP_KERNEL);

		if (dp)
			kunmap_local(dp);
		if (shost || shbm)
			kunmap_local(sp);
		if (err)
			return dhost ? err : dojo_emu_hbm_err(err);
		soff += n;
		doff += n;
		len -= n;
		job->bytes += n;
	}
	return 0;
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

static int dojo_emu_fill(struct dojo_emu_job *job, struct dojo_emu_side *dst,
			 u64 doff, u64 len, u32 pattern)
{
	struct dojo_emu_hbm *hbm = &job->card->hbm;
	bool dhost = dst->type == DOJO_BUF_HOST;
	size_t tmpl;
	u64 pos = 0;

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
			n = min_t(u64, len, dojo_emu_page_left(doff));
			if (dojo_emu_dma_fault(job))
				return DOJO_ERR_DMA;
			dp = dojo_emu_host_map(dst, doff, &err);
			if (!dp)
				return err;
			dojo_emu_fill_from(job, dp, n, phase, tmpl);
			kunmap_local(dp);
		} else {
			n = min_t(u64, len, tmpl - phase);
			err = dojo_emu_hbm_write(hbm, dst->addr + doff,
						 job->bounce + phase, n,
						 GFP_KERNEL);
			if (err)
				return dojo_emu_hbm_err(err);
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
	struct dojo_emu_hbm *hbm = &job->card->hbm;
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
			n = min_t(u64, len, dojo_emu_page_left(soff));
			if (dojo_emu_dma_fault(job))
				return DOJO_ERR_DMA;
			sp = dojo_emu_host_map(src, soff, &err);
			if (!sp)
				return err;
		} else {
			n = min_t(u64, len,
				  PAGE_SIZE - offset_in_page(src->addr + soff));
			sp = dojo_emu_hbm_map(hbm, src->addr + soff);
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

/* Look up buffer @idx of the job's table: the card's address translation. */
static int dojo_emu_job_buf(struct dojo_emu_job *job, u8 idx,
			    struct dojo_emu_side *s, bool write)
{
	struct dojo_hw_buf hb;
	u32 type, flags;
	int err;

	if (idx >= job->num_bufs)
		return DOJO_ERR_INVALID;
	err = dojo_emu_dma_rw(job->btab + idx * sizeof(hb), &hb, sizeof(hb),
			      false);
	if (err)
		return err;

	type = le32_to_cpu(hb.type);
	flags = le32_to_cpu(hb.flags);
	if ((type != DOJO_BUF_HOST && type != DOJO_BUF_HBM) ||
	    (flags & ~DOJO_BUF_FLAG_WRITE) || hb.rsvd)
		return DOJO_ERR_INVALID;
	if (write && !(flags & DOJO_BUF_FLAG_WRITE))
		return DOJO_ERR_FAULT;

	s->type = type;
	s->size = le64_to_cpu(hb.size);
	s->addr = le64_to_cpu(hb.addr);
	s->pl_count = 0;
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
		err = dojo_emu_job_buf(job, c->src_buf, src, false);
		if (!err)
			err = dojo_emu_job_buf(job, c->dst_buf, dst, true);
		if (err)
			return err;
		if (!dojo_emu_range_ok(soff, len, src->size) ||
		    !dojo_emu_range_ok(doff, len, dst->size))
			return DOJO_ERR_FAULT;
		return dojo_emu_xfer(job, src, soff, dst, doff, len);
	case DOJO_CMD_FILL:
		if (!len)
			return DOJO_ERR_INVALID;
		err = dojo_emu_job_buf(job, c->dst_buf, dst, true);
		if (err)
			return err;
		if (!dojo_emu_range_ok(doff, len, dst->size))
			return DOJO_ERR_FAULT;
		return dojo_emu_fill(job, dst, doff, len,
				     le32_to_cpu(c->pattern));
	case DOJO_CMD_CRC32:
		if (!len)
			return DOJO_ERR_INVALID;
		err = dojo_emu_job_buf(job, c->src_buf, src, false);
		if (!err)
			err = dojo_emu_job_buf(job, c->dst_buf, dst, true);
		if (err)
			return err;
		if (!dojo_emu_range_ok(soff, len, src->size) ||
		    !dojo_emu_range_ok(doff, sizeof(result), dst->size))
			return DOJO_ERR_FAULT;
		err = dojo_emu_crc(job, src, soff, len, &crc);
		if (err)
			return err;
		result = cpu_to_le32(crc);
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
static void dojo_emu_job_abort(struct dojo_emu_dmaq *q)
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

static enum dojo_emu_end dojo_emu_job_exec(struct dojo_emu_job *job)
{
	int err;

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

/* ---- the queue ----------------------------------------------------------- */

static void dojo_emu_dmaq_reset_done_locked(struct dojo_emu_dmaq *q)
{
	q->head = 0;
	q->tail = 0;
	q->enabled = false;
	q->halted = false;
	q->error = DOJO_ERR_NONE;
	q->busy = false;
	q->parked = false;
	WRITE_ONCE(q->hang, false);
	WRITE_ONCE(q->reset, false);
}

/* CTRL.RESET: at once if the engine holds no job, else by the worker. */
static void dojo_emu_dmaq_reset_locked(struct dojo_emu_dmaq *q)
{
	if (!q->busy) {
		dojo_emu_dmaq_reset_done_locked(q);
		return;
	}
	WRITE_ONCE(q->reset, true);
	queue_work(q->dma->wq, &q->work);
}

static bool dojo_emu_dmaq_config_ok(struct dojo_emu_dmaq *q)
{
	return is_power_of_2(q->ring_size) &&
	       q->ring_size >= DOJO_EMU_RING_MIN &&
	       q->ring_size <= DOJO_EMU_RING_MAX &&
	       IS_ALIGNED(q->ring, DOJO_PAGE_SIZE) &&
	       q->head < q->ring_size && q->tail < q->ring_size;
}

static void dojo_emu_dmaq_halt_locked(struct dojo_emu_dmaq *q, u32 error)
{
	q->halted = true;
	q->error = error;
	q->halts++;
}

/* What the worker does next. */
enum dojo_emu_step {
	DOJO_EMU_IDLE,		/* nothing to do */
	DOJO_EMU_RAISE,		/* halted on its configuration: interrupt */
	DOJO_EMU_ABORT,		/* a reset of a hung job */
	DOJO_EMU_RUN,		/* run the job at HEAD */
};

static enum dojo_emu_step dojo_emu_dmaq_pick_locked(struct dojo_emu_dmaq *q,
						    struct dojo_emu_job *job)
{
	struct dojo_emu_card *card = q->card;

	if (q->reset) {
		if (q->busy)
			return DOJO_EMU_ABORT;
		dojo_emu_dmaq_reset_done_locked(q);
		return DOJO_EMU_IDLE;
	}
	if (q->busy || card->gone || !q->enabled || q->halted)
		return DOJO_EMU_IDLE;
	if (!dojo_emu_dmaq_config_ok(q)) {
		dojo_emu_dmaq_halt_locked(q, DOJO_ERR_INVALID);
		return DOJO_EMU_RAISE;
	}
	if (q->head == q->tail)
		return DOJO_EMU_IDLE;

	memset(job, 0, offsetof(struct dojo_emu_job, src));
	job->q = q;
	job->card = card;
	job->desc = q->ring + (u64)q->head * DOJO_DESC_SIZE;
	job->corrupt_desc = q->corrupt_desc;
	job->corrupt_cmd = q->corrupt_cmd;
	job->corrupt_range = q->corrupt_range;
	q->corrupt_desc = false;
	q->corrupt_cmd = false;
	q->corrupt_range = false;
	q->busy = true;
	return DOJO_EMU_RUN;
}

/* Publish how the job left the engine; true if its vector is to fire. */
static bool dojo_emu_dmaq_end_locked(struct dojo_emu_dmaq *q,
				     struct dojo_emu_job *job,
				     enum dojo_emu_end end)
{
	switch (end) {
	case DOJO_EMU_ENDED:
		/* Record first (done), then DONE_SEQNO, then HEAD. */
		q->done_seqno = q->seqno;
		q->head = (q->head + 1) & (q->ring_size - 1);
		q->busy = false;
		q->jobs++;
		q->errors += job->error != DOJO_ERR_NONE;
		q->bytes += job->bytes;
		return job->irq && !q->card->gone;
	case DOJO_EMU_HALT:
		q->busy = false;
		dojo_emu_dmaq_halt_locked(q, job->error);
		return !q->card->gone && !q->reset;
	case DOJO_EMU_STOPPED:
		q->busy = false;
		q->aborted++;
		q->bytes += job->bytes;
		return false;
	case DOJO_EMU_HUNG:
		q->parked = true;
		q->bytes += job->bytes;
		return false;
	}
	return false;
}

static void dojo_emu_dmaq_work(struct work_struct *work)
{
	struct dojo_emu_dmaq *q = container_of(work, struct dojo_emu_dmaq, work);
	struct dojo_emu_card *card = q->card;
	struct dojo_emu_job job;
	enum dojo_emu_step step;
	enum dojo_emu_end end;
	unsigned long flags;
	bool raise;

	for (;;) {
		spin_lock_irqsave(&card->lock, flags);
		step = dojo_emu_dmaq_pick_locked(q, &job);
		spin_unlock_irqrestore(&card->lock, flags);

		switch (step) {
		case DOJO_EMU_IDLE:
			return;
		case DOJO_EMU_RAISE:
			dojo_emu_irq_raise_now(card, 1 + q->index);
			return;
		case DOJO_EMU_ABORT:
			dojo_emu_job_abort(q);
			spin_lock_irqsave(&card->lock, flags);
			q->aborted++;
			dojo_emu_dmaq_reset_done_locked(q);
			spin_unlock_irqrestore(&card->lock, flags);
			continue;
		case DOJO_EMU_RUN:
			break;
		}

		end = dojo_emu_job_exec(&job);

		spin_lock_irqsave(&card->lock, flags);
		raise = dojo_emu_dmaq_end_locked(q, &job, end);
		spin_unlock_irqrestore(&card->lock, flags);
		if (raise)
			dojo_emu_irq_raise_now(card, 1 + q->index);
	}
}

/* ---- registers ----------------------------------------------------------- */

bool dojo_emu_dma_reg(u32 off)
{
	return off >= DOJO_REG_Q(0) && off < DOJO_REG_Q(DOJO_EMU_DMA_QUEUES);
}

static struct dojo_emu_dmaq *dojo_emu_dma_q(struct dojo_emu_card *card,
					    u32 off)
{
	return &card->dma->q[(off - DOJO_REG_Q(0)) / DOJO_EMU_Q_STRIDE];
}

u32 dojo_emu_dma_read_locked(struct dojo_emu_card *card, u32 off)
{
	struct dojo_emu_dmaq *q = dojo_emu_dma_q(card, off);

	switch ((off - DOJO_REG_Q(0)) % DOJO_EMU_Q_STRIDE) {
	case DOJO_Q_RING_LO:
		return lower_32_bits(q->ring);
	case DOJO_Q_RING_HI:
		return upper_32_bits(q->ring);
	case DOJO_Q_RING_SIZE:
		return q->ring_size;
	case DOJO_Q_HEAD:
		return q->head;
	case DOJO_Q_TAIL:
		return q->tail;
	case DOJO_Q_CTRL:
		return (q->enabled ? DOJO_Q_CTRL_ENABLE : 0) |
		       (q->reset ? DOJO_Q_CTRL_RESET : 0);
	case DOJO_Q_STATUS:
		return (q->busy ? DOJO_Q_STATUS_BUSY : 0) |
		       (q->halted ? DOJO_Q_STATUS_HALTED : 0) |
		       FIELD_PREP(DOJO_Q_STATUS_ERROR, q->error);
	case DOJO_Q_DONE_SEQNO_LO:
		return lower_32_bits(q->done_seqno);
	case DOJO_Q_DONE_SEQNO_HI:
		return upper_32_bits(q->done_seqno);
	default:
		return 0;
	}
}

void dojo_emu_dma_write_locked(struct dojo_emu_card *card, u32 off, u32 val)
{
	struct dojo_emu_dmaq *q = dojo_emu_dma_q(card, off);

	switch ((off - DOJO_REG_Q(0)) % DOJO_EMU_Q_STRIDE) {
	case DOJO_Q_RING_LO:
		q->ring = (q->ring & ~0xffffffffULL) | val;
		break;
	case DOJO_Q_RING_HI:
		q->ring = (u64)val << 32 | lower_32_bits(q->ring);
		break;
	case DOJO_Q_RING_SIZE:
		q->ring_size = val;
		break;
	case DOJO_Q_TAIL:
		/* Until a reset completes, the doorbell is not heard. */
		if (q->reset)
			break;
		q->tail = val;
		if (q->enabled)
			queue_work(q->dma->wq, &q->work);
		break;
	case DOJO_Q_CTRL:
		if (val & DOJO_Q_CTRL_RESET) {
			dojo_emu_dmaq_reset_locked(q);
			break;
		}
		if (q->reset)
			break;
		q->enabled = val & DOJO_Q_CTRL_ENABLE;
		if (q->enabled)
			queue_work(q->dma->wq, &q->work);
		break;
	default:
		break;
	}
}

/* CTRL.RESET of the card: every queue resets and forgets its ring. */
void dojo_emu_dma_reset_locked(struct dojo_emu_card *card)
{
	unsigned int i;

	for (i = 0; i < DOJO_EMU_DMA_QUEUES; i++) {
		struct dojo_emu_dmaq *q = &card->dma->q[i];

		q->ring = 0;
		q->ring_size = 0;
		dojo_emu_dmaq_reset_locked(q);
	}
}

/* The card turns READY only once every queue has stopped. */
bool dojo_emu_dma_resetting_locked(struct dojo_emu_card *card)
{
	unsigned int i;

	for (i = 0; i < DOJO_EMU_DMA_QUEUES; i++)
		if (card->dma->q[i].reset)
			return true;
	return false;
}

/* ---- life ---------------------------------------------------------------- */

int dojo_emu_dma_init(struct dojo_emu_card *card)
{
	struct dojo_emu_dma *dma;
	unsigned int i;

	dma = kzalloc(sizeof(*dma), GFP_KERNEL);
	if (!dma)
		return -ENOMEM;
	/*
	 * Per-CPU: a doorbell rung by a worker (the driver's scheduler) is
	 * run by that CPU's pool once the worker returns, without waking
	 * another CPU; a job that keeps the CPU for long is moved out of
	 * the pool's way by the workqueue's CPU-hog detection. A queue's
	 * work item may be queued again while it runs (a doorbell during a
	 * job), and then holds two active slots: allow two per queue.
	 */
	dma->wq = alloc_workqueue("dojo_emu%u_dma", 0,
				  2 * DOJO_EMU_DMA_QUEUES, card->id);
	if (!dma->wq) {
		kfree(dma);
		return -ENOMEM;
	}
	atomic_set(&dma->fail_dma, 0);
	for (i = 0; i < DOJO_EMU_DMA_QUEUES; i++) {
		struct dojo_emu_dmaq *q = &dma->q[i];

		q->card = card;
		q->dma = dma;
		q->index = i;
		INIT_WORK(&q->work, dojo_emu_dmaq_work);
	}
	card->dma = dma;
	atomic_inc(&dojo_emu_dma_engines);
	return 0;
}

/*
 * Called once the card is gone (registers dead, debugfs removed): a worker
 * still running notices that between two pages and stops without touching
 * memory again.
 */
void dojo_emu_dma_fini(struct dojo_emu_card *card)
{
	struct dojo_emu_dma *dma = card->dma;
	unsigned int i;

	if (!dma)
		return;
	for (i = 0; i < DOJO_EMU_DMA_QUEUES; i++)
		cancel_work_sync(&dma->q[i].work);
	destroy_workqueue(dma->wq);
	card->dma = NULL;
	kfree(dma);
	atomic_dec(&dojo_emu_dma_engines);
}

void dojo_emu_dma_check_leaks(void)
{
	int n;

	n = atomic_read(&dojo_emu_dma_engines);
	if (n)
		pr_err("dojo_emu: leaked %d DMA engines\n", n);
	n = atomic_read(&dojo_emu_dma_pages);
	if (n)
		pr_err("dojo_emu: leaked %d DMA bounce pages\n", n);
}

/* ---- debugfs ------------------------------------------------------------- */

/* Reads: the queues whose switch is set, in order, space-separated. */
static int dojo_emu_qswitch_show(struct seq_file *m, void *unused)
{
	struct dojo_emu_qswitch *sw = m->private;
	struct dojo_emu_card *card = sw->card;
	bool set[DOJO_EMU_DMA_QUEUES];
	unsigned long flags;
	unsigned int i, n = 0;

	spin_lock_irqsave(&card->lock, flags);
	for (i = 0; i < DOJO_EMU_DMA_QUEUES; i++)
		set[i] = *(bool *)((void *)&card->dma->q[i] + sw->offset);
	spin_unlock_irqrestore(&card->lock, flags);

	for (i = 0; i < DOJO_EMU_DMA_QUEUES; i++)
		if (set[i])
			seq_printf(m, n++ ? " %u" : "%u", i);
	seq_putc(m, '\n');
	return 0;
}

static int dojo_emu_qswitch_open(struct inode *inode, struct file *file)
{
	return single_open(file, dojo_emu_qswitch_show, inode->i_private);
}

/* Writes: a queue number sets the switch of that queue. */
static ssize_t dojo_emu_qswitch_write(struct file *file,
				      const char __user *ubuf, size_t count,
				      loff_t *ppos)
{
	struct dojo_emu_qswitch *sw =
		((struct seq_file *)file->private_data)->private;
	struct dojo_emu_card *card = sw->card;
	unsigned long flags;
	unsigned int qn;
	int ret;

	ret = kstrtouint_from_user(ubuf, count, 0, &qn);
	if (ret)
		return ret;
	if (qn >= DOJO_EMU_DMA_QUEUES)
		return -EINVAL;

	spin_lock_irqsave(&card->lock, flags);
	WRITE_ONCE(*(bool *)((void *)&card->dma->q[qn] + sw->offset), true);
	spin_unlock_irqrestore(&card->lock, flags);
	return count;
}

static const struct file_operations dojo_emu_qswitch_fops = {
	.owner = THIS_MODULE,
	.open = dojo_emu_qswitch_open,
	.read = seq_read,
	.write = dojo_emu_qswitch_write,
	.llseek = seq_lseek,
	.release = single_release,
};

static int dojo_emu_fail_dma_get(void *data, u64 *val)
{
	struct dojo_emu_card *card = data;

	*val = atomic_read(&card->dma->fail_dma);
	return 0;
}

static int dojo_emu_fail_dma_set(void *data, u64 val)
{
	struct dojo_emu_card *card = data;

	if (val > INT_MAX)
		return -EINVAL;
	atomic_set(&card->dma->fail_dma, val);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(dojo_emu_fail_dma_fops, dojo_emu_fail_dma_get,
			 dojo_emu_fail_dma_set, "%llu\n");

static int dojo_emu_dma_queues_show(struct seq_file *m, void *unused)
{
	struct dojo_emu_card *card = m->private;
	unsigned long flags;
	unsigned int i;

	seq_puts(m, "queue ring size head tail ctrl status done_seqno jobs errors aborted halts bytes\n");
	for (i = 0; i < DOJO_EMU_DMA_QUEUES; i++) {
		struct dojo_emu_dmaq *q = &card->dma->q[i];
		u64 ring, done, stats[5];
		u32 size, head, tail, ctrl, status;

		spin_lock_irqsave(&card->lock, flags);
		ring = q->ring;
		size = q->ring_size;
		head = q->head;
		tail = q->tail;
		ctrl = dojo_emu_dma_read_locked(card, DOJO_REG_Q(i) + DOJO_Q_CTRL);
		status = dojo_emu_dma_read_locked(card, DOJO_REG_Q(i) + DOJO_Q_STATUS);
		done = q->done_seqno;
		stats[0] = q->jobs;
		stats[1] = q->errors;
		stats[2] = q->aborted;
		stats[3] = q->halts;
		stats[4] = q->bytes;
		spin_unlock_irqrestore(&card->lock, flags);

		seq_printf(m, "%u 0x%llx %u %u %u 0x%x 0x%x %llu %llu %llu %llu %llu %llu\n",
			   i, ring, size, head, tail, ctrl, status, done,
			   stats[0], stats[1], stats[2], stats[3], stats[4]);
	}
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(dojo_emu_dma_queues);

void dojo_emu_dma_debugfs_init(struct dojo_emu_card *card, struct dentry *dir)
{
	static const struct {
		const char *name;
		size_t offset;
	} switches[DOJO_EMU_NR_SWITCHES] = {
		[DOJO_EMU_SW_HANG] = {
			"hang_queue", offsetof(struct dojo_emu_dmaq, hang) },
		[DOJO_EMU_SW_CORRUPT_DESC] = {
			"corrupt_desc", offsetof(struct dojo_emu_dmaq, corrupt_desc) },
		[DOJO_EMU_SW_CORRUPT_CMD] = {
			"corrupt_cmd", offsetof(struct dojo_emu_dmaq, corrupt_cmd) },
		[DOJO_EMU_SW_CORRUPT_RANGE] = {
			"corrupt_range",
			offsetof(struct dojo_emu_dmaq, corrupt_range) },
	};
	struct dojo_emu_dma *dma = card->dma;
	unsigned int i;

	for (i = 0; i < DOJO_EMU_NR_SWITCHES; i++) {
		dma->sw[i].card = card;
		dma->sw[i].offset = switches[i].offset;
		debugfs_create_file(switches[i].name, 0600, dir, &dma->sw[i],
				    &dojo_emu_qswitch_fops);
	}
	debugfs_create_file_unsafe("fail_dma", 0600, dir, card,
				   &dojo_emu_fail_dma_fops);
	debugfs_create_u32("dma_latency_us", 0600, dir,
			   &card->dma->latency_us);
	debugfs_create_file("dma_queues", 0400, dir, card,
			    &dojo_emu_dma_queues_fops);
}
