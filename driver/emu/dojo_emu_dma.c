// SPDX-License-Identifier: GPL-2.0-only
/*
 * DMA queues of the emulated DIP, as the "DMA queues" part of dojo_regs.h
 * and docs/hardware.md specify them. What a queue does with each job is
 * in dojo_emu_job.c.
 *
 * Each queue is one work item on the card's workqueue: a doorbell
 * (TAIL) or ENABLE queues it, and it runs the descriptors from HEAD to
 * TAIL, one job at a time.
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
#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/workqueue.h>

#include "dojo_emu_dma.h"
#include "dojo_emu_job.h"

#define DOJO_EMU_RING_MIN	16
#define DOJO_EMU_RING_MAX	4096
#define DOJO_EMU_Q_STRIDE	(DOJO_REG_Q(1) - DOJO_REG_Q(0))

/* Engines not yet freed, checked at module unload. */
static atomic_t dojo_emu_dma_engines = ATOMIC_INIT(0);

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
	q->reset_stuck = false;
	WRITE_ONCE(q->reset, false);
	dojo_emu_sensors_update_locked(q->card);
}

/*
 * CTRL.RESET: at once if the engine holds no job, else by the worker. A
 * queue's own reset of a queue whose job hangs stays pending under
 * queue_reset_hang (a running job still stops, see dojo_emu_job_poll());
 * a reset of the card (@card_reset) always completes.
 */
static void dojo_emu_dmaq_reset_locked(struct dojo_emu_dmaq *q, bool card_reset)
{
	if (!q->busy) {
		dojo_emu_dmaq_reset_done_locked(q);
		return;
	}
	q->reset_stuck = !card_reset && READ_ONCE(q->dma->queue_reset_hang);
	WRITE_ONCE(q->reset, true);
	if (!q->reset_stuck)
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
			return q->reset_stuck ? DOJO_EMU_IDLE : DOJO_EMU_ABORT;
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
	dojo_emu_sensors_update_locked(card);
	return DOJO_EMU_RUN;
}

static bool dojo_emu_dmaq_publish_locked(struct dojo_emu_dmaq *q,
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

/* Publish how the job left the engine; true if its vector is to fire. */
static bool dojo_emu_dmaq_end_locked(struct dojo_emu_dmaq *q,
				     struct dojo_emu_job *job,
				     enum dojo_emu_end end)
{
	bool raise = dojo_emu_dmaq_publish_locked(q, job, end);

	/* The engine's load changed: the thermal model sees it from now. */
	dojo_emu_sensors_update_locked(q->card);
	return raise;
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
			dojo_emu_irq_raise(card, 1 + q->index);
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
			dojo_emu_irq_raise(card, 1 + q->index);
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
			dojo_emu_dmaq_reset_locked(q, false);
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
		dojo_emu_dmaq_reset_locked(q, true);
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
		q->done_seqno = READ_ONCE(dojo_emu_seqno_base);
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
	int n = atomic_read(&dojo_emu_dma_engines);

	if (n)
		pr_err("dojo_emu: leaked %d DMA engines\n", n);
	dojo_emu_job_check_leaks();
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
	debugfs_create_u32("hang_at_cmd", 0600, dir, &card->dma->hang_at_cmd);
	debugfs_create_bool("queue_reset_hang", 0600, dir,
			    &card->dma->queue_reset_hang);
	debugfs_create_file("dma_queues", 0400, dir, card,
			    &dojo_emu_dma_queues_fops);
}
