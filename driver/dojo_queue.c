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

/* Silicon milliseconds; an emulated card's timeouts are scaled up from it. */
#define DOJO_JOB_TIMEOUT_MAX_MS		3600000

static int dojo_job_timeout_set(const char *val, const struct kernel_param *kp)
{
	unsigned int ms;
	int ret;

	ret = kstrtouint(val, 0, &ms);
	if (ret)
		return ret;
	if (!ms || ms > DOJO_JOB_TIMEOUT_MAX_MS) {
		pr_err("dojo: job_timeout_ms must be 1..%u\n", DOJO_JOB_TIMEOUT_MAX_MS);
		return -EINVAL;
	}
	*(unsigned int *)kp->arg = ms;
	return 0;
}

static const struct kernel_param_ops dojo_job_timeout_ops = {
	.set = dojo_job_timeout_set,
	.get = param_get_uint,
};

static unsigned int job_timeout_ms = 2000;
module_param_cb(job_timeout_ms, &dojo_job_timeout_ops, &job_timeout_ms, 0444);
MODULE_PARM_DESC(job_timeout_ms,
		 "A job running longer is hung and its queue is reset (silicon ms, 1..3600000; scaled up for emulated cards; default 2000)");

static const char *dojo_fence_driver_name(struct dma_fence *fence)
{
	return DRIVER_NAME;
}

/*
 * A constant, not the queue's name: a signalled fence can outlive its
 * queue (a syncobj holds the scheduler's fence, which holds this one).
 */
static const char *dojo_fence_timeline_name(struct dma_fence *fence)
{
	return "dojo-dma";
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

/*
 * DONE_SEQNO is two 32-bit registers that the card updates while they are
 * read: read the high half around the low one, and again if it moved, so
 * that a carry between the halves is never seen half done. False if the
 * card reads all-ones: it is no longer on the bus.
 */
bool dojo_queue_done_seqno(struct dojo_queue *q, u64 *seqno)
{
	u32 hi, lo, hi2;

	hi = dojo_q_rd(q, DOJO_Q_DONE_SEQNO_HI);
	lo = dojo_q_rd(q, DOJO_Q_DONE_SEQNO_LO);
	hi2 = dojo_q_rd(q, DOJO_Q_DONE_SEQNO_HI);
	if (hi != hi2)
		lo = dojo_q_rd(q, DOJO_Q_DONE_SEQNO_LO);
	*seqno = (u64)hi2 << 32 | lo;
	return *seqno != U64_MAX;
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

/* End @job as the card's completion record says. */
static void dojo_queue_end_hw(struct dojo_job *job, u32 error)
{
	/* Errors with a job status of their own; none resets anything. */
	static const u32 status_of[] = {
		[DOJO_ERR_ECC] = DRM_DOJO_JOB_ECC_ERROR,
		[DOJO_ERR_LINK_DOWN] = DRM_DOJO_JOB_LINK_DOWN,
		[DOJO_ERR_ZP_LINK_DOWN] = DRM_DOJO_JOB_ZPLANE_DOWN,
		[DOJO_ERR_REMOTE_REFUSED] = DRM_DOJO_JOB_REMOTE_REFUSED,
		[DOJO_ERR_REMOTE_GONE] = DRM_DOJO_JOB_REMOTE_GONE,
		[DOJO_ERR_REMOTE_TIMEOUT] = DRM_DOJO_JOB_REMOTE_TIMEOUT,
	};
	u32 cmd = le32_to_cpu(job->compl->error_cmd);

	if (error < ARRAY_SIZE(status_of) && status_of[error])
		dojo_job_end(job, status_of[error], 0, cmd);
	else if (error)
		dojo_job_end(job, DRM_DOJO_JOB_ERROR,
			     dojo_queue_uapi_error(error), cmd);
	else
		dojo_job_end(job, DRM_DOJO_JOB_DONE, 0, 0);
}

/*
 * End every pending job the card reports done, in order. The completion
 * record says how each ended; DONE_SEQNO says how far the card got.
 * False, ending nothing, if the card reads all-ones.
 */
static bool dojo_queue_reap(struct dojo_queue *q)
{
	struct dojo_job *job, *tmp;
	u64 done;

	if (!dojo_queue_done_seqno(q, &done))
		return false;
	dma_rmb();
	list_for_each_entry_safe(job, tmp, &q->pending, link) {
		u32 error;

		if (job->seqno > done)
			break;
		list_del_init(&job->link);
		error = le32_to_cpu(job->compl->error);
		if (!(le32_to_cpu(job->compl->flags) & DOJO_COMPL_DONE))
			error = DOJO_ERR_INVALID;
		dojo_queue_end_hw(job, error);
	}
	return true;
}

static irqreturn_t dojo_queue_irq(int irq, void *arg)
{
	struct dojo_queue *q = arg;
	unsigned long flags;
	bool cookie, alive;
	u32 status;

	cookie = dma_fence_begin_signalling();
	spin_lock_irqsave(&q->lock, flags);
	alive = dojo_queue_reap(q);
	status = dojo_q_rd(q, DOJO_Q_STATUS);
	spin_unlock_irqrestore(&q->lock, flags);
	dma_fence_end_signalling(cookie);

	/* A card that left the bus: the reset work finds out and ends its jobs. */
	if (!alive || status == U32_MAX)
		dojo_reset_schedule(q->ddev, "the card reads all-ones");
	/* A descriptor the card could not parse: recover now, not on timeout. */
	else if (status & DOJO_Q_STATUS_HALTED)
		queue_work(q->ddev->reset_wq, &q->halt_work);
	return IRQ_HANDLED;
}

/* Stop the queue's engine; once this returns it touches no memory. */
static int dojo_queue_hw_reset(struct dojo_queue *q)
{
	unsigned int timeout_us;
	u32 ctrl;
	int ret;

	timeout_us = dojo_timeout_ms(q->ddev, DOJO_QUEUE_RESET_TIMEOUT_MS) * 1000;
	dojo_q_wr(q, DOJO_Q_CTRL, DOJO_Q_CTRL_RESET);
	/* A card that reads all-ones will not stop: do not wait for it. */
	ret = read_poll_timeout(dojo_q_rd, ctrl,
				!(ctrl & DOJO_Q_CTRL_RESET) || ctrl == U32_MAX,
				20, timeout_us, false, q, DOJO_Q_CTRL);
	return ret ?: (ctrl == U32_MAX ? -ENODEV : 0);
}

static void dojo_queue_hw_start(struct dojo_queue *q)
{
	dojo_q_wr(q, DOJO_Q_RING_LO, lower_32_bits(q->ring_dma));
	dojo_q_wr(q, DOJO_Q_RING_HI, upper_32_bits(q->ring_dma));
	dojo_q_wr(q, DOJO_Q_RING_SIZE, q->ring_size);
	q->tail = 0;
	dojo_q_wr(q, DOJO_Q_CTRL, DOJO_Q_CTRL_ENABLE);
}

/* Put the jobs still pending back on the ring, in order, after a reset. */
static void dojo_queue_replay_locked(struct dojo_queue *q)
{
	struct dojo_job *job;

	if (list_empty(&q->pending))
		return;
	list_for_each_entry(job, &q->pending, link) {
		job->started = ktime_get();
		dojo_queue_write_desc(q, job);
	}
	dojo_queue_ring_doorbell(q);
}

/*
 * The engine has stopped (or the card is gone, @alive false): end every
 * job the card finished as it finished it; end every job it started
 * ABORTED, as it never runs twice; keep the jobs it never started, with
 * their fences unsignalled, and put them back on the restarted ring if
 * @restart, else end them ABORTED too. Called with the queue's lock held.
 */
static void dojo_queue_settle_locked(struct dojo_queue *q, bool alive,
				     bool restart)
{
	struct dojo_job *job, *tmp;

	if (alive && !dojo_queue_reap(q))
		alive = false;
	restart = restart && alive;
	list_for_each_entry_safe(job, tmp, &q->pending, link) {
		if (restart && !dojo_job_started(job) && !job->timed_out)
			continue;
		list_del_init(&job->link);
		dojo_job_end(job, job->timed_out ? DRM_DOJO_JOB_TIMEOUT :
			     DRM_DOJO_JOB_ABORTED, 0, 0);
	}
	if (restart) {
		dojo_queue_hw_start(q);
		dojo_queue_replay_locked(q);
	}
}

/* How @job, which hung or halted its queue, ended. */
static void dojo_queue_end_culprit(struct dojo_job *job, u32 halt_error)
{
	u32 error = le32_to_cpu(job->compl->error);

	if (dojo_job_started(job) && error && error != DOJO_ERR_ABORTED)
		dojo_queue_end_hw(job, error);
	else if (halt_error)
		dojo_job_end(job, DRM_DOJO_JOB_ERROR,
			     dojo_queue_uapi_error(halt_error), 0);
	else
		dojo_job_end(job, DRM_DOJO_JOB_TIMEOUT, 0, 0);
}

/*
 * Reset one queue after @guilty hung it, or after it halted on the job at
 * the head of its ring (@guilty NULL). Jobs the card finished meanwhile
 * end normally; the culprit ends TIMEOUT (or the error the card reported);
 * jobs the card started end ABORTED, jobs it never started go back on the
 * ring. Other queues are untouched. If the queue does not stop, the card
 * may still be writing memory for its jobs: they are left as they are
 * (the culprit marked) for the device reset the caller asks for. Called
 * on the reset queue with the queue's scheduler stopped.
 */
int dojo_queue_reset(struct dojo_queue *q, struct dojo_job *guilty)
{
	struct dojo_job *head;
	unsigned long flags;
	u32 status, halt_error = 0;
	bool alive;
	int ret;

	/* A halted queue says why in STATUS, which the reset clears. */
	status = dojo_q_rd(q, DOJO_Q_STATUS);
	if (status != U32_MAX && (status & DOJO_Q_STATUS_HALTED))
		halt_error = FIELD_GET(DOJO_Q_STATUS_ERROR, status) ?: DOJO_ERR_INVALID;

	ret = dojo_queue_hw_reset(q);
	spin_lock_irqsave(&q->lock, flags);
	alive = dojo_queue_reap(q);
	if (ret && alive) {
		if (guilty && !guilty->ended)
			guilty->timed_out = true;
		spin_unlock_irqrestore(&q->lock, flags);
		drm_err(&q->ddev->drm, "queue %u did not stop\n", q->index);
		return ret;
	}
	head = list_first_entry_or_null(&q->pending, struct dojo_job, link);
	if (halt_error && head && head != guilty && !dojo_job_started(head)) {
		/* The card halted on the head job's descriptor. */
		list_del_init(&head->link);
		dojo_queue_end_culprit(head, halt_error);
	}
	if (guilty && !guilty->ended) {
		list_del_init(&guilty->link);
		dojo_queue_end_culprit(guilty, guilty == head ? halt_error : 0);
	}
	dojo_queue_settle_locked(q, alive, alive);
	spin_unlock_irqrestore(&q->lock, flags);
	return 0;
}

/*
 * After the card was reset (@restart: and came back), or before it goes
 * away: end every job it finished as it did and every job it started
 * ABORTED; keep the ones it never started if @restart, else abort them.
 */
void dojo_queue_abort(struct dojo_queue *q, bool restart)
{
	unsigned long flags;

	spin_lock_irqsave(&q->lock, flags);
	dojo_queue_settle_locked(q, true, restart);
	spin_unlock_irqrestore(&q->lock, flags);
}

/* The card left the bus: nothing it says is true any more. */
void dojo_queue_lost(struct dojo_queue *q)
{
	unsigned long flags;

	spin_lock_irqsave(&q->lock, flags);
	dojo_queue_settle_locked(q, false, false);
	spin_unlock_irqrestore(&q->lock, flags);
}

/*
 * A job's timeout fired. If the card has finished it (only its interrupt
 * is late, or lost), end it and leave the queue alone; if the card is no
 * longer there, end everything; else reset the queue under it, and ask
 * for a device reset if the queue does not stop. False if the queue's
 * scheduler must stay stopped until that device reset restarts it.
 * Called in a fence-signalling section: no allocation, no waiting.
 */
bool dojo_queue_timeout(struct dojo_queue *q, struct dojo_job *job)
{
	unsigned long flags;
	bool alive, ended;

	spin_lock_irqsave(&q->lock, flags);
	alive = dojo_queue_reap(q);
	ended = job->ended;
	spin_unlock_irqrestore(&q->lock, flags);

	if (!alive) {
		dojo_reset_lost(q->ddev);
		return true;
	}
	if (ended)
		return true;
	atomic_inc(&q->timeouts);
	drm_warn(&q->ddev->drm, "job %llu on queue %u hung; resetting the queue\n",
		 job->id, q->index);
	if (!dojo_queue_reset(q, job))
		return true;
	dojo_reset_schedule(q->ddev, "a DMA queue did not stop");
	return false;
}

/* Stop the schedulers' work items (not the card): before a device reset. */
void dojo_queues_stop_scheds(struct dojo_device *ddev)
{
	unsigned int i;

	for (i = 0; i < ddev->nr_queues; i++)
		drm_sched_wqueue_stop(&ddev->queues[i].sched);
}

/* Restart them, and their job timeouts from now: jobs were put back. */
void dojo_queues_start_scheds(struct dojo_device *ddev)
{
	unsigned int i;

	for (i = 0; i < ddev->nr_queues; i++) {
		struct drm_gpu_scheduler *sched = &ddev->queues[i].sched;

		drm_sched_resume_timeout(sched, sched->timeout);
		drm_sched_wqueue_start(sched);
	}
}

static void dojo_queue_stop(struct dojo_queue *q)
{
	/* No halt recovery may start, or still run, and restart the engine. */
	disable_irq(q->irq);
	cancel_work_sync(&q->halt_work);
	/* An engine that does not stop must not reach memory freed next. */
	if (dojo_queue_hw_reset(q))
		dojo_hw_bus_master(q->ddev, false);
	dojo_queue_abort(q, false);
}

/*
 * The queues of released devices. A scheduler's fences outlive it (a
 * syncobj or sync_file holds them), and 6.12's drm_sched fence reads its
 * scheduler's name when asked for its timeline (sync_file info, debugfs,
 * tracepoints): the queues, schedulers included, are kept until the module
 * goes instead of with their device.
 */
static LIST_HEAD(dojo_queues_retired);
static DEFINE_MUTEX(dojo_queues_retired_lock);

void dojo_queues_free_retired(void)
{
	struct dojo_queue *q, *tmp;

	mutex_lock(&dojo_queues_retired_lock);
	list_for_each_entry_safe(q, tmp, &dojo_queues_retired, retired) {
		list_del(&q->retired);
		kfree(q);
	}
	mutex_unlock(&dojo_queues_retired_lock);
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

	mutex_lock(&dojo_queues_retired_lock);
	list_add(&ddev->queues[0].retired, &dojo_queues_retired);
	mutex_unlock(&dojo_queues_retired_lock);
	ddev->queues = NULL;
}

/*
 * The queue halted on a descriptor it could not parse. Recover at once,
 * on the same ordered queue as timeouts: the job at the head of the ring
 * ends ERROR with the card's reason, the jobs behind it run. A halt that
 * a timeout or a device reset already recovered from is stale: the card
 * no longer says HALTED, and the queue is left alone.
 */
static void dojo_queue_halt_work(struct work_struct *work)
{
	struct dojo_queue *q = container_of(work, struct dojo_queue, halt_work);
	bool cookie, restart = true;
	u32 status;
	int idx;

	if (!drm_dev_enter(&q->ddev->drm, &idx))
		return;
	/* Before the signalling section: this waits for run_job. */
	drm_sched_wqueue_stop(&q->sched);
	cookie = dma_fence_begin_signalling();
	status = dojo_q_rd(q, DOJO_Q_STATUS);
	if (status == U32_MAX) {
		dojo_reset_lost(q->ddev);
	} else if ((status & DOJO_Q_STATUS_HALTED) && dojo_queue_reset(q, NULL)) {
		dojo_reset_schedule(q->ddev, "a halted DMA queue did not stop");
		restart = false;
	}
	dma_fence_end_signalling(cookie);
	if (restart) {
		/* Jobs put back on the ring get a whole timeout again. */
		drm_sched_resume_timeout(&q->sched, q->sched.timeout);
		drm_sched_wqueue_start(&q->sched);
	}
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
	if (!dojo_queue_done_seqno(q, &q->seqno))
		return -ENODEV;

	ret = devm_request_irq(dev, q->irq, dojo_queue_irq, 0, dev_name(dev), q);
	if (ret)
		return ret;
	ret = dojo_queue_sched_init(q);
	if (ret)
		return ret;

	/* Last: a queue that failed to set up was never enabled. */
	dojo_queue_hw_start(q);
	return 0;
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

	/* Kept past the device, see dojo_queues_free_retired(). */
	ddev->queues = kcalloc(n, sizeof(*ddev->queues), GFP_KERNEL);
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
	if (!ddev->submit_wq) {
		kfree(ddev->queues);
		ddev->queues = NULL;
		return -ENOMEM;
	}
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
	/*
	 * Every job has ended: let the schedulers free them. A timeout or a
	 * halt may have stopped one for a device reset that now never runs,
	 * and its jobs would hold their clients, and so the device, forever.
	 */
	for (i = 0; i < ddev->nr_queues; i++)
		drm_sched_wqueue_start(&ddev->queues[i].sched);
}
