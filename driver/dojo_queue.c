// SPDX-License-Identifier: GPL-2.0-only
/*
 * DMA queues.
 *
 * Each hardware queue has a ring of descriptors in coherent DMA memory, a
 * doorbell (TAIL), a DONE_SEQNO register and an MSI-X vector, and one
 * drm_sched scheduler that feeds it. The scheduler lives as long as the
 * drm_device, so that open files can tear down their entities after the
 * card is gone; the ring lives as long as the card is bound.
 */
#include <linux/bitfield.h>
#include <linux/dma-mapping.h>
#include <linux/interrupt.h>
#include <linux/iopoll.h>
#include <linux/module.h>
#include <linux/slab.h>

#include <drm/drm_drv.h>
#include <drm/drm_managed.h>

#include "dojo_accel.h"
#include "dojo_drv.h"
#include "dojo_hw.h"
#include "dojo_job.h"
#include "dojo_queue.h"
#include "dojo_reset.h"

#define DOJO_RING_SIZE			256
#define DOJO_QUEUE_RESET_TIMEOUT_MS	100

static unsigned int job_timeout_ms = 2000;
module_param(job_timeout_ms, uint, 0444);
MODULE_PARM_DESC(job_timeout_ms,
		 "A job running longer is hung and its queue is reset (silicon ms; scaled up for emulated cards; default 2000)");

static const char *dojo_fence_driver_name(struct dma_fence *fence)
{
	return DRIVER_NAME;
}

/* The fence's lock is its queue's: that names the timeline. */
static const char *dojo_fence_timeline_name(struct dma_fence *fence)
{
	return container_of(fence->lock, struct dojo_queue, lock)->name;
}

static const struct dma_fence_ops dojo_hw_fence_ops = {
	.get_driver_name = dojo_fence_driver_name,
	.get_timeline_name = dojo_fence_timeline_name,
};

static u32 dojo_q_rd(struct dojo_queue *q, u32 reg)
{
	return dojo_rd32(q->ddev, q->base + reg);
}

static void dojo_q_wr(struct dojo_queue *q, u32 reg, u32 val)
{
	dojo_wr32(q->ddev, q->base + reg, val);
}

static u64 dojo_q_done_seqno(struct dojo_queue *q)
{
	return dojo_rd64(q->ddev, q->base + DOJO_Q_DONE_SEQNO_LO,
			 q->base + DOJO_Q_DONE_SEQNO_HI);
}

static void dojo_queue_write_desc(struct dojo_queue *q, struct dojo_job *job)
{
	u32 idx = q->tail & (q->ring_size - 1);
	struct dojo_hw_desc *desc = &q->ring[idx];

	dojo_job_place(job, q->slots + idx * DOJO_JOB_SLOT_SIZE,
		       q->slots_dma + idx * DOJO_JOB_SLOT_SIZE);

	desc->op = cpu_to_le16(DOJO_DESC_OP_JOB);
	desc->flags = cpu_to_le16(DOJO_DESC_FLAG_IRQ);
	desc->num_cmds = cpu_to_le32(job->num_cmds);
	desc->seqno = cpu_to_le64(job->seqno);
	desc->cmds = cpu_to_le64(dojo_job_desc_cmds(job));
	desc->btab = cpu_to_le64(dojo_job_desc_btab(job));
	desc->num_bufs = cpu_to_le32(job->num_bufs);
	desc->rsvd0 = 0;
	desc->compl = cpu_to_le64(dojo_job_desc_compl(job));
	desc->rsvd1[0] = 0;
	desc->rsvd1[1] = 0;
	q->tail++;
}

static void dojo_queue_ring_doorbell(struct dojo_queue *q)
{
	/* Descriptors must be visible before the card sees the new tail. */
	dma_wmb();
	dojo_q_wr(q, DOJO_Q_TAIL, q->tail & (q->ring_size - 1));
}

/*
 * A job's sequence number orders it on the ring and names its hardware
 * fence; it keeps both when a queue reset puts it back on the ring.
 */
void dojo_queue_assign_seqno(struct dojo_queue *q, struct dojo_job *job)
{
	lockdep_assert_held(&q->lock);
	if (job->seqno)
		return;
	job->seqno = ++q->seqno;
	dma_fence_init(job->hw_fence, &dojo_hw_fence_ops, &q->lock,
		       q->fence_ctx, job->seqno);
}

/* Hand a job to the card. Called by the scheduler, one job at a time. */
void dojo_queue_push(struct dojo_queue *q, struct dojo_job *job)
{
	unsigned long flags;

	spin_lock_irqsave(&q->lock, flags);
	dojo_queue_assign_seqno(q, job);
	job->started = ktime_get();
	list_add_tail(&job->link, &q->pending);
	dojo_queue_write_desc(q, job);
	dojo_queue_ring_doorbell(q);
	spin_unlock_irqrestore(&q->lock, flags);
}

/* The card's error codes are the uAPI's, but for its reset-only ABORTED. */
static u32 dojo_queue_uapi_error(u32 hw_error)
{
	BUILD_BUG_ON(DOJO_ERR_FAULT != DRM_DOJO_ERR_FAULT);
	BUILD_BUG_ON(DOJO_ERR_INVALID != DRM_DOJO_ERR_INVALID);
	BUILD_BUG_ON(DOJO_ERR_DMA != DRM_DOJO_ERR_DMA);
	BUILD_BUG_ON(DOJO_ERR_HBM != DRM_DOJO_ERR_HBM);
	return hw_error <= DOJO_ERR_HBM ? hw_error : DRM_DOJO_ERR_INVALID;
}

/*
 * End every pending job the card reports done, in order. The completion
 * record says how each ended; DONE_SEQNO says how far the card got.
 */
static void dojo_queue_reap(struct dojo_queue *q)
{
	struct dojo_job *job, *tmp;
	u64 done = dojo_q_done_seqno(q);

	dma_rmb();
	list_for_each_entry_safe(job, tmp, &q->pending, link) {
		u32 error;

		if (job->seqno > done)
			break;
		list_del_init(&job->link);
		error = le32_to_cpu(job->compl->error);
		if (!(le32_to_cpu(job->compl->flags) & DOJO_COMPL_DONE))
			error = DOJO_ERR_INVALID;
		dojo_job_end(job, error ? DRM_DOJO_JOB_ERROR : DRM_DOJO_JOB_DONE,
			     dojo_queue_uapi_error(error),
			     le32_to_cpu(job->compl->error_cmd));
	}
}

static irqreturn_t dojo_queue_irq(int irq, void *arg)
{
	struct dojo_queue *q = arg;
	unsigned long flags;
	u32 status;

	spin_lock_irqsave(&q->lock, flags);
	dojo_queue_reap(q);
	status = dojo_q_rd(q, DOJO_Q_STATUS);
	spin_unlock_irqrestore(&q->lock, flags);

	/* A descriptor the card could not parse: recover now, not on timeout. */
	if (status != U32_MAX && (status & DOJO_Q_STATUS_HALTED))
		queue_work(q->ddev->reset_wq, &q->halt_work);
	return IRQ_HANDLED;
}

/* Stop the queue's engine; once this returns it touches no memory. */
static int dojo_queue_hw_reset(struct dojo_queue *q)
{
	unsigned int timeout_us;
	u32 ctrl;

	timeout_us = dojo_timeout_ms(q->ddev, DOJO_QUEUE_RESET_TIMEOUT_MS) * 1000;
	dojo_q_wr(q, DOJO_Q_CTRL, DOJO_Q_CTRL_RESET);
	return read_poll_timeout(dojo_q_rd, ctrl, !(ctrl & DOJO_Q_CTRL_RESET),
				 20, timeout_us, false, q, DOJO_Q_CTRL);
}

static void dojo_queue_hw_start(struct dojo_queue *q)
{
	dojo_q_wr(q, DOJO_Q_RING_LO, lower_32_bits(q->ring_dma));
	dojo_q_wr(q, DOJO_Q_RING_HI, upper_32_bits(q->ring_dma));
	dojo_q_wr(q, DOJO_Q_RING_SIZE, q->ring_size);
	q->tail = 0;
	dojo_q_wr(q, DOJO_Q_CTRL, DOJO_Q_CTRL_ENABLE);
}

/*
 * Reset one queue after @guilty hung or halted it. Jobs the card finished
 * meanwhile end normally; @guilty ends with TIMEOUT (or the error the card
 * reported); jobs behind it, which the card never started, leave the ring
 * with their fences unsignalled, for the scheduler to hand back in order.
 * If the queue does not stop, they are aborted instead. Other queues are
 * untouched. Called with the queue's scheduler stopped.
 */
int dojo_queue_reset(struct dojo_queue *q, struct dojo_job *guilty)
{
	struct dojo_job *job, *tmp;
	unsigned long flags;
	u32 status, halt_error = 0;
	int ret;

	/* A halted queue says why in STATUS, which the reset clears. */
	status = dojo_q_rd(q, DOJO_Q_STATUS);
	if (status != U32_MAX && (status & DOJO_Q_STATUS_HALTED))
		halt_error = FIELD_GET(DOJO_Q_STATUS_ERROR, status) ?: DOJO_ERR_INVALID;

	ret = dojo_queue_hw_reset(q);
	spin_lock_irqsave(&q->lock, flags);
	dojo_queue_reap(q);

	list_for_each_entry_safe(job, tmp, &q->pending, link) {
		u32 error = le32_to_cpu(job->compl->error);

		if (job == guilty && (!error || error == DOJO_ERR_ABORTED))
			error = halt_error;

		list_del_init(&job->link);
		if (job != guilty && ret == 0)
			continue;	/* resubmitted: placed anew, record clear */
		if (job != guilty)
			dojo_job_end(job, DRM_DOJO_JOB_ABORTED, 0, 0);
		else if (error && error != DOJO_ERR_ABORTED)
			dojo_job_end(job, DRM_DOJO_JOB_ERROR,
				     dojo_queue_uapi_error(error),
				     le32_to_cpu(job->compl->error_cmd));
		else
			dojo_job_end(job, DRM_DOJO_JOB_TIMEOUT, 0, 0);
	}

	if (!ret)
		dojo_queue_hw_start(q);
	spin_unlock_irqrestore(&q->lock, flags);

	if (ret)
		drm_err(&q->ddev->drm, "queue %u did not stop; its jobs were aborted\n",
			q->index);
	return ret;
}

/*
 * After the card was reset, or before it goes away: end every job it held
 * (those it finished normally, the rest ABORTED), then restart the queue
 * if @restart.
 */
void dojo_queue_abort(struct dojo_queue *q, bool restart)
{
	struct dojo_job *job, *tmp;
	unsigned long flags;

	spin_lock_irqsave(&q->lock, flags);
	dojo_queue_reap(q);
	list_for_each_entry_safe(job, tmp, &q->pending, link) {
		list_del_init(&job->link);
		dojo_job_end(job, DRM_DOJO_JOB_ABORTED, 0, 0);
	}
	if (restart)
		dojo_queue_hw_start(q);
	spin_unlock_irqrestore(&q->lock, flags);
}

static void dojo_queue_stop(struct dojo_queue *q)
{
	/* No halt recovery may start, or still run, and restart the engine. */
	disable_irq(q->irq);
	cancel_work_sync(&q->halt_work);
	dojo_queue_hw_reset(q);
	dojo_queue_abort(q, false);
}

static void dojo_queues_release(struct drm_device *drm, void *arg)
{
	struct dojo_device *ddev = arg;
	unsigned int i;

	/*
	 * Every job has ended by now (the queues were stopped, the files
	 * closed): let the schedulers free them all, which drm_sched_fini()
	 * would not do.
	 */
	drain_workqueue(ddev->submit_wq);
	for (i = 0; i < ddev->nr_queues; i++)
		drm_sched_fini(&ddev->queues[i].sched);
	destroy_workqueue(ddev->submit_wq);
}

/*
 * The queue halted on a descriptor it could not parse. Recover at once,
 * on the same ordered queue as timeouts: the job at the head of the ring
 * ends ERROR with the card's reason, the jobs behind it run.
 */
static void dojo_queue_halt_work(struct work_struct *work)
{
	struct dojo_queue *q = container_of(work, struct dojo_queue, halt_work);
	struct dojo_job *guilty;
	unsigned long flags;
	int idx;

	if (!drm_dev_enter(&q->ddev->drm, &idx))
		return;
	drm_sched_stop(&q->sched, NULL);
	spin_lock_irqsave(&q->lock, flags);
	guilty = list_first_entry_or_null(&q->pending, struct dojo_job, link);
	spin_unlock_irqrestore(&q->lock, flags);
	if (dojo_queue_reset(q, guilty))
		dojo_reset_device(q->ddev, q, "a halted DMA queue did not stop");
	drm_sched_resubmit_jobs(&q->sched);
	drm_sched_start(&q->sched);
	drm_dev_exit(idx);
}

/*
 * One scheduler per hardware queue; a job takes one ring entry. Debian's
 * 6.12 kernels changed drm_sched_init() to an argument struct in 6.12.115:
 * Kbuild tests the headers and says which one this kernel has.
 */
static int dojo_queue_sched_init(struct dojo_queue *q)
{
	struct dojo_device *ddev = q->ddev;
	long timeout = msecs_to_jiffies(dojo_timeout_ms(ddev, job_timeout_ms));
#ifdef DOJO_HAVE_SCHED_INIT_ARGS
	const struct drm_sched_init_args args = {
		.ops = &dojo_sched_ops,
		.submit_wq = ddev->submit_wq,
		.num_rqs = DRM_SCHED_PRIORITY_COUNT,
		.credit_limit = q->ring_size - 1,
		.timeout = timeout,
		.timeout_wq = ddev->reset_wq,
		.name = q->name,
		.dev = ddev->drm.dev,
	};

	return drm_sched_init(&q->sched, &args);
#else
	return drm_sched_init(&q->sched, &dojo_sched_ops, ddev->submit_wq,
			      DRM_SCHED_PRIORITY_COUNT, q->ring_size - 1, 0,
			      timeout, ddev->reset_wq, NULL, q->name,
			      ddev->drm.dev);
#endif
}

static int dojo_queue_init(struct dojo_device *ddev, struct dojo_queue *q,
			   unsigned int index)
{
	struct device *dev = ddev->drm.dev;
	int ret;

	q->ddev = ddev;
	q->index = index;
	q->base = DOJO_REG_Q(index);
	q->irq = ddev->irqs[1 + index];
	q->ring_size = DOJO_RING_SIZE;
	spin_lock_init(&q->lock);
	INIT_LIST_HEAD(&q->pending);
	q->fence_ctx = dma_fence_context_alloc(1);
	INIT_WORK(&q->halt_work, dojo_queue_halt_work);
	atomic_set(&q->timeouts, 0);
	snprintf(q->name, sizeof(q->name), "dma%u", index);

	q->ring = dmam_alloc_coherent(dev, q->ring_size * DOJO_DESC_SIZE,
				      &q->ring_dma, GFP_KERNEL);
	/* A slot per descriptor for the job it carries, see dojo_job_place(). */
	q->slots = dmam_alloc_coherent(dev, q->ring_size * DOJO_JOB_SLOT_SIZE,
				       &q->slots_dma, GFP_KERNEL);
	if (!q->ring || !q->slots)
		return -ENOMEM;

	ret = dojo_queue_hw_reset(q);
	if (ret) {
		drm_err(&ddev->drm, "queue %u does not reset\n", index);
		return ret;
	}
	/* The card keeps DONE_SEQNO across resets and driver reloads. */
	q->seqno = dojo_q_done_seqno(q);
	dojo_queue_hw_start(q);

	ret = devm_request_irq(dev, q->irq, dojo_queue_irq, 0, dev_name(dev), q);
	if (ret)
		return ret;

	return dojo_queue_sched_init(q);
}

int dojo_queues_init(struct dojo_device *ddev)
{
	unsigned int i, n = ddev->id.num_dma_queues;
	int ret;

	if (!n || n + 1 > ddev->nr_irqs) {
		drm_err(&ddev->drm, "%u DMA queues need %u vectors, have %u\n",
			n, n + 1, ddev->nr_irqs);
		return -ENODEV;
	}

	ddev->queues = drmm_kcalloc(&ddev->drm, n, sizeof(*ddev->queues),
				    GFP_KERNEL);
	if (!ddev->queues)
		return -ENOMEM;

	/*
	 * Per-CPU, not the scheduler's default ordered (unbound) queue: a
	 * job's scheduler work then runs on the CPU that submitted it, and
	 * work queued while a worker runs (the next job, freeing the last)
	 * waits for that worker instead of waking another CPU. The
	 * scheduler's own items still never run twice at once.
	 */
	ddev->submit_wq = alloc_workqueue("dojo-sched-%s", WQ_MEM_RECLAIM, 0,
					  ddev->bus_addr);
	if (!ddev->submit_wq)
		return -ENOMEM;
	/* Schedulers go with the drm_device, after every file has closed. */
	ret = drmm_add_action_or_reset(&ddev->drm, dojo_queues_release, ddev);
	if (ret)
		return ret;

	for (i = 0; i < n; i++) {
		ret = dojo_queue_init(ddev, &ddev->queues[i], i);
		if (ret)
			break;
		ddev->nr_queues = i + 1;
	}
	if (ret)
		dojo_queues_fini(ddev);
	return ret;
}

void dojo_queues_fini(struct dojo_device *ddev)
{
	unsigned int i;

	for (i = 0; i < ddev->nr_queues; i++)
		dojo_queue_stop(&ddev->queues[i]);
}
