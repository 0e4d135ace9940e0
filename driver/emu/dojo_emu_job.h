/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The emulated DIP's DMA engine, shared by its queues (dojo_emu_dma.c) and
 * the jobs they run (dojo_emu_job.c). Private to those two files.
 */
#ifndef __DOJO_EMU_JOB_H__
#define __DOJO_EMU_JOB_H__

#include <linux/atomic.h>
#include <linux/types.h>
#include <linux/workqueue.h>

#include "dojo_emu.h"

#define DOJO_EMU_PLIST_BATCH	32	/* page list entries fetched at once */
#define DOJO_EMU_SMALL_BOUNCE	256	/* in the job if no page is free */

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
 * @reset_stuck is a queue reset that queue_reset_hang holds back.
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
	bool reset_stuck;
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
 * @hang_at_cmd: fault switch: the next job to reach this command (1 or
 *		 more) hangs there, after running the ones before it
 * @queue_reset_hang: fault switch: a queue's own reset (CTRL.RESET of the
 *		      queue) never completes while the queue holds a hung
 *		      job (a running one still stops, so no engine runs on
 *		      after a failed reset); a reset of the card completes
 * @sw: debugfs handles of the per-queue fault switches
 * @q: the queues
 */
struct dojo_emu_dma {
	struct workqueue_struct *wq;
	atomic_t fail_dma;
	u32 latency_us;
	u32 hang_at_cmd;
	bool queue_reset_hang;
	struct dojo_emu_qswitch sw[DOJO_EMU_NR_SWITCHES];
	struct dojo_emu_dmaq q[DOJO_EMU_DMA_QUEUES];
};

/* One side of a transfer: a buffer of the job's table, or engine memory. */
struct dojo_emu_side {
	u32 type;		/* DOJO_BUF_* or DOJO_EMU_BUF_KMEM */
	u64 size;
	u64 addr;		/* HOST: page list; HBM, TILE: base in @mem */
	struct dojo_emu_hbm *mem;	/* HBM: the card's; TILE: the tile's */
	struct dojo_emu_tbuf *tbuf;	/* TILE: the buffer, referenced */
	void *kaddr;		/* KMEM */
	u32 node;		/* REMOTE: peer node id (addr: the key) */
	u32 grant;		/* REMOTE: grant id on the peer */
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
	bool tile;		/* a command resolved a tile buffer... */
	u32 tile_gen;		/* ...under this link generation */
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

enum dojo_emu_end dojo_emu_job_exec(struct dojo_emu_job *job);
int dojo_emu_job_poll(struct dojo_emu_job *job);
int dojo_emu_job_kmem(struct dojo_emu_job *job, struct dojo_emu_side *s,
		      u64 off, void *buf, size_t n, bool to_side);

/* dojo_emu_zp_rdma.c: a COPY with one side on the Z-plane */
int dojo_emu_zp_copy(struct dojo_emu_job *job, struct dojo_emu_side *src,
		     u64 soff, struct dojo_emu_side *dst, u64 doff, u64 len);
void dojo_emu_job_abort(struct dojo_emu_dmaq *q);
void dojo_emu_job_check_leaks(void);

#endif /* __DOJO_EMU_JOB_H__ */
