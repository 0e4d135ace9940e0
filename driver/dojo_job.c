// SPDX-License-Identifier: GPL-2.0-only
/*
 * Jobs.
 *
 * DRM_IOCTL_DOJO_SUBMIT copies a command buffer out of userspace, looks up
 * every buffer it names through the submitter's own handles, checks every
 * command against those buffers' bounds, and only then builds what the
 * card reads (commands, buffer table, completion record) and hands the job
 * to the queue's scheduler. Each job's end is recorded in its client's
 * status slots, which DRM_IOCTL_DOJO_JOB_WAIT reads: syncobjs say that a
 * job ended, the slot says how.
 */
#include <linux/dma-fence-array.h>
#include <linux/dma-fence-chain.h>
#include <linux/dma-mapping.h>
#include <linux/nospec.h>
#include <linux/overflow.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_managed.h>
#include <drm/drm_print.h>
#include <drm/drm_syncobj.h>

#include "dojo_accel.h"
#include "dojo_drv.h"
#include "dojo_gem.h"
#include "dojo_grant.h"
#include "dojo_job.h"
#include "dojo_queue.h"
#include "dojo_reset.h"

/* ---- clients ------------------------------------------------------------- */

static void dojo_file_priv_put_dev(struct work_struct *work)
{
	struct dojo_file_priv *fpriv = container_of(work, struct dojo_file_priv,
						    put_work);
	struct drm_device *drm = &fpriv->ddev->drm;

	kfree(fpriv);
	drm_dev_put(drm);
}

static void dojo_file_priv_release(struct kref *ref)
{
	struct dojo_file_priv *fpriv = container_of(ref, struct dojo_file_priv, ref);
	unsigned int i;

	if (fpriv->slots)
		for (i = 0; i < DOJO_JOB_SLOTS; i++)
			dma_fence_put(fpriv->slots[i].done);
	kvfree(fpriv->slots);
	kfree(fpriv->engine_ns);
	kfree(fpriv->entities);
	mutex_destroy(&fpriv->submit_lock);
	if (!fpriv->holds_dev) {
		kfree(fpriv);
		return;
	}
	/*
	 * A closed file's last job may be freed by a work item of the
	 * device's own scheduler or reset queue, which releasing the device
	 * would flush from inside itself: drop the device from our own.
	 */
	INIT_WORK(&fpriv->put_work, dojo_file_priv_put_dev);
	queue_work(dojo_wq, &fpriv->put_work);
}

/*
 * A client. Its jobs hold it, and a file's client holds the drm_device,
 * so that a job killed at file close can still be freed through its
 * scheduler once its dependencies (on any device) signal, even after the
 * card and the file are gone.
 */
static struct dojo_file_priv *dojo_file_priv_create(struct dojo_device *ddev,
						    bool holds_dev)
{
	struct dojo_file_priv *fpriv;
	unsigned int i;
	int ret;

	fpriv = kzalloc(sizeof(*fpriv), GFP_KERNEL_ACCOUNT);
	if (!fpriv)
		return ERR_PTR(-ENOMEM);
	kref_init(&fpriv->ref);
	fpriv->ddev = ddev;
	fpriv->next_id = 1;
	mutex_init(&fpriv->submit_lock);
	spin_lock_init(&fpriv->status_lock);
	atomic_set(&fpriv->in_flight, 0);
	dojo_grants_init(fpriv);
	if (holds_dev) {
		drm_dev_get(&ddev->drm);
		fpriv->holds_dev = true;
	}

	fpriv->entities = kcalloc(ddev->nr_queues, sizeof(*fpriv->entities),
				  GFP_KERNEL_ACCOUNT);
	fpriv->engine_ns = kcalloc(ddev->nr_queues, sizeof(*fpriv->engine_ns),
				   GFP_KERNEL_ACCOUNT);
	if (!fpriv->entities || !fpriv->engine_ns) {
		ret = -ENOMEM;
		goto err_put;
	}

	for (i = 0; i < ddev->nr_queues; i++) {
		struct drm_gpu_scheduler *sched = &ddev->queues[i].sched;

		ret = drm_sched_entity_init(&fpriv->entities[i],
					    DRM_SCHED_PRIORITY_NORMAL, &sched,
					    1, NULL);
		if (ret)
			goto err_entities;
	}
	return fpriv;

err_entities:
	while (i--)
		drm_sched_entity_destroy(&fpriv->entities[i]);
err_put:
	kref_put(&fpriv->ref, dojo_file_priv_release);
	return ERR_PTR(ret);
}

static void dojo_file_priv_destroy(struct dojo_file_priv *fpriv)
{
	unsigned int i;

	for (i = 0; i < fpriv->ddev->nr_queues; i++)
		drm_sched_entity_destroy(&fpriv->entities[i]);
	kref_put(&fpriv->ref, dojo_file_priv_release);
}

int dojo_job_file_open(struct drm_device *drm, struct drm_file *file)
{
	struct dojo_file_priv *fpriv;

	fpriv = dojo_file_priv_create(to_dojo_device(drm), true);
	if (IS_ERR(fpriv))
		return PTR_ERR(fpriv);
	file->driver_priv = fpriv;
	return 0;
}

/*
 * Destroying the entities waits (killably) until every job queued in them
 * has reached the card, or only briefly if the process is exiting; the
 * jobs still queued then are killed: they end with their fences in error
 * and are freed once their own dependencies signal. Jobs on the card run
 * to their end (bounded by the job timeout). Either way they report into
 * the client they hold a reference on.
 */
void dojo_job_file_close(struct drm_device *drm, struct drm_file *file)
{
	dojo_grants_fini(file->driver_priv);
	dojo_file_priv_destroy(file->driver_priv);
}

/* ---- job lifetime ------------------------------------------------------ */

/* The card's view of a job: [completion record][buffer table][commands]. */
static size_t dojo_job_btab_off(void)
{
	return ALIGN(sizeof(struct dojo_hw_compl), 64);
}

static size_t dojo_job_cmds_off(struct dojo_job *job)
{
	return dojo_job_btab_off() + job->num_bufs * sizeof(struct dojo_hw_buf);
}

u64 dojo_job_desc_compl(struct dojo_job *job)
{
	return job->dma_addr;
}

u64 dojo_job_desc_btab(struct dojo_job *job)
{
	return job->dma_addr + dojo_job_btab_off();
}

u64 dojo_job_desc_cmds(struct dojo_job *job)
{
	return job->dma_addr + dojo_job_cmds_off(job);
}

/*
 * The card's view of the job, zeroed (the completion record must not say
 * DONE before the card wrote it). Most jobs fit a ring slot: kernel memory
 * now, copied to the slot when the job reaches the card, which costs less
 * than DMA memory of their own.
 */
static int dojo_job_alloc_view(struct dojo_job *job, size_t size)
{
	struct device *dev = job->q->ddev->drm.dev;

	if (size <= DOJO_JOB_SLOT_SIZE) {
		job->view_size = size;
		job->view = kzalloc(size, GFP_KERNEL_ACCOUNT);
	} else {
		job->view_size = PAGE_ALIGN(size);
		job->view = dma_alloc_coherent(dev, job->view_size,
					       &job->view_dma,
					       GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
	}
	return job->view ? 0 : -ENOMEM;
}

static void dojo_job_free_view(struct dojo_job *job)
{
	struct device *dev = job->q->ddev->drm.dev;

	if (job->view_size <= DOJO_JOB_SLOT_SIZE)
		kfree(job->view);
	else if (job->view)
		dma_free_coherent(dev, job->view_size, job->view, job->view_dma);
}

/*
 * Put the job where the card reads it, with a clear completion record:
 * into the ring slot @slot of its descriptor, or, for a large job, its own
 * memory. Called under the queue's lock each time the job goes on the ring.
 */
void dojo_job_place(struct dojo_job *job, void *slot, dma_addr_t slot_dma)
{
	if (job->view_size <= DOJO_JOB_SLOT_SIZE) {
		memcpy(slot, job->view, job->view_size);
		job->compl = slot;
		job->dma_addr = slot_dma;
	} else {
		job->compl = job->view;
		job->dma_addr = job->view_dma;
	}
	memset(job->compl, 0, sizeof(*job->compl));
}

static void dojo_job_free(struct dojo_job *job)
{
	u32 i;

	dojo_job_free_view(job);
	/* Entries after a failed lookup are NULL, which put ignores. */
	for (i = 0; job->bos && i < job->num_bos; i++)
		drm_gem_object_put(job->bos[i]);
	kvfree(job->bos);
	for (i = 0; i < job->num_in_fences; i++)
		dma_fence_put(job->in_fences[i]);
	if (job->hw_fence && !job->hw_fence->ops)
		kfree(job->hw_fence);
	else
		dma_fence_put(job->hw_fence);
	if (job->counted)
		atomic_dec(&job->fpriv->in_flight);
	if (job->fpriv)
		kref_put(&job->fpriv->ref, dojo_file_priv_release);
	if (job->holds_dev)
		drm_dev_put(&job->q->ddev->drm);
	kfree(job);
}

static void dojo_job_free_work(struct work_struct *work)
{
	dojo_job_free(container_of(work, struct dojo_job, free_work));
}

/* A job for queue @q, with the hardware fence it signals once it ended. */
static struct dojo_job *dojo_job_alloc(struct dojo_queue *q)
{
	struct dojo_job *job;

	job = kzalloc(sizeof(*job), GFP_KERNEL_ACCOUNT);
	if (!job)
		return NULL;
	job->q = q;
	INIT_LIST_HEAD(&job->link);
	job->hw_fence = kzalloc(sizeof(*job->hw_fence), GFP_KERNEL_ACCOUNT);
	if (!job->hw_fence) {
		kfree(job);
		return NULL;
	}
	return job;
}

static void dojo_job_record(struct dojo_job *job, u32 status, u32 error,
			    u32 error_cmd)
{
	struct dojo_file_priv *fpriv = job->fpriv;
	struct dojo_job_slot *slot;
	unsigned long flags;

	spin_lock_irqsave(&fpriv->status_lock, flags);
	slot = &fpriv->slots[job->id % DOJO_JOB_SLOTS];
	if (slot->id == job->id) {
		slot->status = status;
		slot->error = error;
		slot->error_cmd = error_cmd;
	}
	spin_unlock_irqrestore(&fpriv->status_lock, flags);
}

/*
 * The job ended, on the card or by a reset: record how, then signal its
 * hardware fence, which lets the scheduler signal the job's fence. Callers
 * hold the queue's lock.
 */
void dojo_job_end(struct dojo_job *job, u32 status, u32 error, u32 error_cmd)
{
	static const int fence_error[] = {
		[DRM_DOJO_JOB_DONE] = 0,
		[DRM_DOJO_JOB_ERROR] = -EIO,
		[DRM_DOJO_JOB_TIMEOUT] = -ETIMEDOUT,
		[DRM_DOJO_JOB_ABORTED] = -ECANCELED,
		[DRM_DOJO_JOB_ECC_ERROR] = -EBADMSG,
		[DRM_DOJO_JOB_LINK_DOWN] = -ENOLINK,
		[DRM_DOJO_JOB_ZPLANE_DOWN] = -ENOLINK,
		[DRM_DOJO_JOB_REMOTE_REFUSED] = -EACCES,
		[DRM_DOJO_JOB_REMOTE_GONE] = -ECONNRESET,
		[DRM_DOJO_JOB_REMOTE_TIMEOUT] = -EHOSTUNREACH,
	};
	s64 ns = ktime_to_ns(ktime_sub(ktime_get(), job->started));

	if (job->ended)
		return;
	if (WARN_ON_ONCE(status >= ARRAY_SIZE(fence_error)))
		status = DRM_DOJO_JOB_ERROR;
	job->ended = true;
	atomic64_add(ns, &job->fpriv->engine_ns[job->q->index]);
	dojo_job_record(job, status, error, error_cmd);
	if (fence_error[status])
		dma_fence_set_error(job->hw_fence, fence_error[status]);
	/* The fence's lock is the queue's, which the caller holds. */
	dma_fence_signal_locked(job->hw_fence);
}

/*
 * Whether the card began the job: it writes the completion record when it
 * ends a job, and Q_CTRL.RESET writes ABORTED into the record of the job
 * it stops. A job whose record is still clear never ran a command, so it
 * may go on the ring again after a reset; any other must not run twice.
 */
bool dojo_job_started(struct dojo_job *job)
{
	return le32_to_cpu(READ_ONCE(job->compl->flags)) & DOJO_COMPL_DONE;
}

/* ---- scheduler backend ------------------------------------------------- */

/* 6.12's scheduler does not pass a dependency's error on: look ourselves. */
static bool dojo_job_in_fence_failed(struct dojo_job *job)
{
	u32 i;

	for (i = 0; i < job->num_in_fences; i++)
		if (dma_fence_get_status(dma_fence_chain_contained(job->in_fences[i])) < 0)
			return true;
	return false;
}

/*
 * In 6.12 the scheduler drops a dependency on a job of the same entity and
 * waits only for a job of the same scheduler to be *scheduled*, so that
 * jobs can queue behind each other on the ring. A job must not reach the
 * card before a job it depends on has ended, or it runs even though that
 * job failed (and, behind an HBM scrub that fails, reads the previous
 * owner's data): hide such a fence in a fence array, which the scheduler
 * waits for in full.
 */
static struct dma_fence *dojo_job_full_wait(struct dojo_job *job,
					    struct dma_fence *fence)
{
	struct drm_sched_fence *s_fence = to_drm_sched_fence(fence);
	struct dma_fence_array *array;
	struct dma_fence **fences;

	if (!s_fence || s_fence->sched != &job->q->sched ||
	    dma_fence_is_signaled(fence))
		return dma_fence_get(fence);

	fences = kmalloc_array(1, sizeof(*fences), GFP_KERNEL_ACCOUNT);
	if (!fences)
		return ERR_PTR(-ENOMEM);
	fences[0] = dma_fence_get(fence);
	array = dma_fence_array_create(1, fences, dma_fence_context_alloc(1), 1,
				       false);
	if (!array) {
		dma_fence_put(fences[0]);
		kfree(fences);
		return ERR_PTR(-ENOMEM);
	}
	return &array->base;
}

/*
 * Wait for @fence (whose reference this takes over) before the job runs,
 * and remember it to check its error.
 */
static int dojo_job_add_in_fence(struct dojo_job *job, struct dma_fence *fence)
{
	struct dma_fence *wait;

	if (WARN_ON(job->num_in_fences >= DOJO_JOB_MAX_IN_FENCES)) {
		dma_fence_put(fence);
		return -EINVAL;
	}
	job->in_fences[job->num_in_fences++] = fence;
	wait = dojo_job_full_wait(job, fence);
	if (IS_ERR(wait))
		return PTR_ERR(wait);
	return drm_sched_job_add_dependency(&job->base, wait);
}

/* The job ends before it reaches the card; the scheduler fails its fence. */
static void dojo_job_abort_unsent(struct dojo_job *job)
{
	job->ended = true;
	dojo_job_record(job, DRM_DOJO_JOB_ABORTED, 0, 0);
}

static struct dma_fence *dojo_sched_run_job(struct drm_sched_job *sched_job)
{
	struct dojo_job *job = to_dojo_job(sched_job);
	struct dojo_queue *q = job->q;
	struct dma_fence *fence;
	bool cookie;
	int idx;

	cookie = dma_fence_begin_signalling();
	/*
	 * A dependency failed, or the card takes no work (wedged, lost,
	 * removed): the card never sees the job. It gets no hardware fence,
	 * so it cannot signal out of order with the queue's others.
	 */
	if (sched_job->s_fence->finished.error || dojo_job_in_fence_failed(job) ||
	    dojo_state(q->ddev) != DOJO_STATE_ONLINE ||
	    !drm_dev_enter(&q->ddev->drm, &idx)) {
		dojo_job_abort_unsent(job);
		fence = ERR_PTR(-ECANCELED);
	} else {
		dojo_queue_push(q, job);
		drm_dev_exit(idx);
		fence = dma_fence_get(job->hw_fence);
	}
	dma_fence_end_signalling(cookie);
	return fence;
}

/*
 * Called by the scheduler's free worker, by its entity-kill work after the
 * file closed, or by a timeout after removal. Putting a buffer can take
 * its reservation lock (which someone may hold while waiting for a fence
 * of this card), and the last put of the client or device runs release
 * code: do all that from the module's own workqueue, which module unload
 * drains, and keep this non-blocking.
 */
static void dojo_sched_free_job(struct drm_sched_job *sched_job)
{
	struct dojo_job *job = to_dojo_job(sched_job);

	drm_sched_job_cleanup(sched_job);
	INIT_WORK(&job->free_work, dojo_job_free_work);
	queue_work(dojo_wq, &job->free_work);
}

static enum drm_gpu_sched_stat dojo_sched_timedout_job(struct drm_sched_job *sched_job)
{
	struct dojo_job *job = to_dojo_job(sched_job);
	struct dojo_queue *q = job->q;
	bool cookie, restart;
	int idx;

	if (!drm_dev_enter(&q->ddev->drm, &idx)) {
		/*
		 * The card is gone and its removal ends every job it held.
		 * The scheduler took this job off its list and does not free
		 * it on ENODEV: wait for the removal to end it, then free it.
		 * This blocks the reset queue, which removal therefore must
		 * not flush before dojo_queues_fini() has ended every job.
		 */
		dma_fence_wait(&sched_job->s_fence->finished, false);
		dojo_sched_free_job(sched_job);
		return DRM_GPU_SCHED_STAT_ENODEV;
	}

	/*
	 * 6.12's scheduler took the job off its pending list; only
	 * drm_sched_stop() puts it back, and that also detaches every
	 * hardware fence, which only the deprecated drm_sched_resubmit_jobs()
	 * attaches again. The queue keeps its jobs and their fences itself:
	 * stop the scheduler's work (before the signalling section: it waits
	 * for run_job, which is one), put the job back as drm_sched_stop()
	 * would, and let the queue decide what the card really did.
	 */
	drm_sched_wqueue_stop(&q->sched);
	spin_lock(&q->sched.job_list_lock);
	list_add(&sched_job->list, &q->sched.pending_list);
	spin_unlock(&q->sched.job_list_lock);

	cookie = dma_fence_begin_signalling();
	restart = dojo_queue_timeout(q, job);
	dma_fence_end_signalling(cookie);

	/* Else the device reset it asked for restarts every queue. */
	if (restart)
		drm_sched_wqueue_start(&q->sched);
	drm_dev_exit(idx);
	return DRM_GPU_SCHED_STAT_NOMINAL;
}

const struct drm_sched_backend_ops dojo_sched_ops = {
	.run_job = dojo_sched_run_job,
	.timedout_job = dojo_sched_timedout_job,
	.free_job = dojo_sched_free_job,
};

/* ---- submission -------------------------------------------------------- */

static bool dojo_range_ok(u64 off, u64 len, u64 size)
{
	u64 end;

	return len && !check_add_overflow(off, len, &end) && end <= size;
}

/* Size of buffer @i of a job, 0 if it has none: indexes never speculate. */
static u64 dojo_job_bo_size(struct drm_gem_object **bos, u32 num_bos, u32 i)
{
	if (i >= num_bos)
		return 0;
	return dojo_bo_size(bos[array_index_nospec(i, num_bos)]);
}

/* Whether buffer @i of a job is another DIP's, reached over the Z-plane. */
static bool dojo_job_bo_remote(struct drm_gem_object **bos, u32 num_bos, u32 i)
{
	if (i >= num_bos)
		return false;
	return to_dojo_bo(bos[array_index_nospec(i, num_bos)])->placement ==
	       DRM_DOJO_PLACEMENT_REMOTE;
}

/* Every rule a command must meet before any of it reaches a queue. */
static int dojo_job_check_cmd(const struct drm_dojo_cmd *c,
			      struct drm_gem_object **bos, u32 num_bos)
{
	u64 src_size = dojo_job_bo_size(bos, num_bos, c->src_bo);
	u64 dst_size = dojo_job_bo_size(bos, num_bos, c->dst_bo);
	bool src_remote = dojo_job_bo_remote(bos, num_bos, c->src_bo);
	bool dst_remote = dojo_job_bo_remote(bos, num_bos, c->dst_bo);

	/*
	 * Only COPY moves data over the Z-plane, and to or from one peer.
	 * Buffers a command does not use (NOP's, FILL's source) do not count.
	 */
	if (c->op == DRM_DOJO_CMD_COPY && src_remote && dst_remote)
		return -EINVAL;
	if (c->op == DRM_DOJO_CMD_FILL && dst_remote)
		return -EINVAL;
	if (c->op == DRM_DOJO_CMD_CRC32 && (src_remote || dst_remote))
		return -EINVAL;

	switch (c->op) {
	case DRM_DOJO_CMD_NOP:
	case DRM_DOJO_CMD_BARRIER:
		if (c->src_bo || c->dst_bo || c->pattern || c->src_offset ||
		    c->dst_offset || c->len)
			return -EINVAL;
		return 0;
	case DRM_DOJO_CMD_COPY:
		if (c->pattern || c->src_bo >= num_bos || c->dst_bo >= num_bos)
			return -EINVAL;
		if (!dojo_range_ok(c->src_offset, c->len, src_size) ||
		    !dojo_range_ok(c->dst_offset, c->len, dst_size))
			return -EINVAL;
		return 0;
	case DRM_DOJO_CMD_FILL:
		if (c->src_bo || c->src_offset || c->dst_bo >= num_bos)
			return -EINVAL;
		if (!dojo_range_ok(c->dst_offset, c->len, dst_size))
			return -EINVAL;
		return 0;
	case DRM_DOJO_CMD_CRC32:
		if (c->pattern || c->src_bo >= num_bos || c->dst_bo >= num_bos)
			return -EINVAL;
		if (!dojo_range_ok(c->src_offset, c->len, src_size) ||
		    !dojo_range_ok(c->dst_offset, 4, dst_size))
			return -EINVAL;
		return 0;
	default:
		return -EINVAL;
	}
}

static int dojo_job_check_args(struct dojo_device *ddev,
			       const struct drm_dojo_submit *args)
{
	if (args->flags || args->pad || args->job_id || args->out_sync.flags)
		return -EINVAL;
	if (args->queue >= ddev->nr_queues)
		return -EINVAL;
	if (!args->num_cmds || args->num_cmds > DRM_DOJO_MAX_CMDS ||
	    args->num_bos > DRM_DOJO_MAX_BOS ||
	    args->num_in_syncs > DRM_DOJO_MAX_SYNCS)
		return -EINVAL;
	if (!args->out_sync.handle && args->out_sync.point)
		return -EINVAL;
	return 0;
}

/* Commands a job copies onto the stack rather than into an allocation. */
#define DOJO_JOB_STACK_CMDS	8

/* Copy the commands in, before the device is entered. */
static int dojo_job_copy_cmds(const struct drm_dojo_submit *args,
			      struct drm_dojo_cmd **cmds)
{
	if (args->num_cmds > DOJO_JOB_STACK_CMDS) {
		*cmds = kvmalloc_array(args->num_cmds, sizeof(**cmds),
				       GFP_KERNEL_ACCOUNT);
		if (!*cmds)
			return -ENOMEM;
	}
	if (copy_from_user(*cmds, u64_to_user_ptr(args->cmds),
			   array_size(args->num_cmds, sizeof(**cmds))))
		return -EFAULT;
	return 0;
}

/* Copy the in-syncs in, before the device is entered; NULL if none. */
static struct drm_dojo_sync *dojo_job_copy_syncs(const struct drm_dojo_submit *args)
{
	struct drm_dojo_sync *syncs;

	if (!args->num_in_syncs)
		return NULL;
	syncs = kmalloc_array(args->num_in_syncs, sizeof(*syncs),
			      GFP_KERNEL_ACCOUNT);
	if (!syncs)
		return ERR_PTR(-ENOMEM);
	if (copy_from_user(syncs, u64_to_user_ptr(args->in_syncs),
			   array_size(args->num_in_syncs, sizeof(*syncs)))) {
		kfree(syncs);
		return ERR_PTR(-EFAULT);
	}
	return syncs;
}

/* Check the commands against the buffers, then write the card's view. */
static int dojo_job_build(struct dojo_job *job, const struct drm_dojo_cmd *cmds,
			  u32 num_cmds)
{
	struct dojo_hw_buf *btab;
	struct dojo_hw_cmd *hw;
	u32 i;
	int ret;

	job->num_cmds = num_cmds;
	job->num_bufs = job->num_bos;
	ret = dojo_job_alloc_view(job, dojo_job_cmds_off(job) +
				  job->num_cmds * sizeof(*hw));
	if (ret)
		return ret;

	btab = job->view + dojo_job_btab_off();
	for (i = 0; i < job->num_bos; i++) {
		ret = dojo_bo_hw_buf(to_dojo_bo(job->bos[i]), &btab[i]);
		if (ret)
			return ret;
	}

	hw = job->view + dojo_job_cmds_off(job);
	for (i = 0; i < job->num_cmds; i++) {
		hw[i].op = cpu_to_le16(cmds[i].op);
		hw[i].src_buf = cmds[i].src_bo;
		hw[i].dst_buf = cmds[i].dst_bo;
		hw[i].pattern = cpu_to_le32(cmds[i].pattern);
		hw[i].src_off = cpu_to_le64(cmds[i].src_offset);
		hw[i].dst_off = cpu_to_le64(cmds[i].dst_offset);
		hw[i].len = cpu_to_le64(cmds[i].len);
	}
	return 0;
}

static int dojo_job_add_in_syncs(struct dojo_job *job, struct drm_file *file,
				 const struct drm_dojo_sync *syncs, u32 num_syncs)
{
	struct dma_fence *fence;
	u32 i;
	int ret;

	for (i = 0; i < num_syncs; i++) {
		if (syncs[i].flags || !syncs[i].handle)
			return -EINVAL;
		ret = drm_syncobj_find_fence(file, syncs[i].handle,
					     syncs[i].point, 0, &fence);
		if (ret)
			return ret;
		ret = dojo_job_add_in_fence(job, fence);
		if (ret)
			return ret;
	}

	/* A new HBM buffer is usable once the card has scrubbed it. */
	for (i = 0; i < job->num_bos; i++) {
		fence = dojo_bo_scrub_fence(to_dojo_bo(job->bos[i]));
		if (!fence)
			continue;
		ret = dojo_job_add_in_fence(job, fence);
		if (ret)
			return ret;
	}
	return 0;
}

/* Open the job's status slot; an older job's status there is dropped. */
static void dojo_job_take_slot(struct dojo_file_priv *fpriv,
			       struct dojo_job *job, struct dma_fence *done)
{
	struct dojo_job_slot *slot;
	struct dma_fence *old;
	unsigned long flags;

	spin_lock_irqsave(&fpriv->status_lock, flags);
	job->id = fpriv->next_id++;
	slot = &fpriv->slots[job->id % DOJO_JOB_SLOTS];
	old = slot->done;
	slot->id = job->id;
	slot->status = DRM_DOJO_JOB_PENDING;
	slot->error = 0;
	slot->error_cmd = 0;
	slot->done = dma_fence_get(done);
	spin_unlock_irqrestore(&fpriv->status_lock, flags);
	dma_fence_put(old);
}

static int dojo_file_priv_alloc_slots(struct dojo_file_priv *fpriv)
{
	struct dojo_job_slot *slots;

	if (READ_ONCE(fpriv->slots))
		return 0;
	slots = kvcalloc(DOJO_JOB_SLOTS, sizeof(*slots), GFP_KERNEL_ACCOUNT);
	if (!slots)
		return -ENOMEM;
	mutex_lock(&fpriv->submit_lock);
	if (!fpriv->slots)
		swap(fpriv->slots, slots);
	mutex_unlock(&fpriv->submit_lock);
	kvfree(slots);
	return 0;
}

/* Why a card takes no new work, as an errno for SUBMIT. */
static int dojo_job_state_errno(struct dojo_device *ddev)
{
	switch (dojo_state(ddev)) {
	case DOJO_STATE_WEDGED:
		return -EIO;
	case DOJO_STATE_LOST:
		return -ENODEV;
	default:
		return 0;
	}
}

/*
 * Everything is copied from userspace before drm_dev_enter(): DRM's
 * unplug waits for every device's drm_dev_enter() section, so a user page
 * that never faults in must not be touched inside one. Buffers are mapped
 * for the card only inside it, so that no mapping is made for a card that
 * is already gone.
 */
int dojo_submit_ioctl(struct drm_device *drm, void *data, struct drm_file *file)
{
	struct dojo_device *ddev = to_dojo_device(drm);
	struct dojo_file_priv *fpriv = file->driver_priv;
	struct drm_dojo_submit *args = data;
	struct drm_dojo_cmd stack_cmds[DOJO_JOB_STACK_CMDS];
	struct drm_dojo_cmd *cmds = stack_cmds;
	struct drm_dojo_sync *syncs = NULL;
	struct dma_fence_chain *chain = NULL;
	struct drm_syncobj *out = NULL;
	struct dma_fence *done;
	struct dojo_job *job;
	u32 queue, i;
	int ret, idx;

	ret = dojo_job_check_args(ddev, args);
	if (ret)
		return ret;
	queue = array_index_nospec(args->queue, ddev->nr_queues);
	ret = dojo_job_state_errno(ddev);
	if (ret)
		return ret;

	ret = dojo_file_priv_alloc_slots(fpriv);
	if (ret)
		return ret;

	/* Bounds the kernel memory one client's jobs can hold. */
	if (atomic_inc_return(&fpriv->in_flight) > DRM_DOJO_MAX_JOBS_IN_FLIGHT) {
		atomic_dec(&fpriv->in_flight);
		return -EBUSY;
	}
	job = dojo_job_alloc(&ddev->queues[queue]);
	if (!job) {
		atomic_dec(&fpriv->in_flight);
		return -ENOMEM;
	}
	job->fpriv = fpriv;
	kref_get(&fpriv->ref);
	job->counted = true;

	ret = dojo_job_copy_cmds(args, &cmds);
	if (ret)
		goto err_free;
	syncs = dojo_job_copy_syncs(args);
	if (IS_ERR(syncs)) {
		ret = PTR_ERR(syncs);
		syncs = NULL;
		goto err_free;
	}
	if (args->num_bos) {
		job->num_bos = args->num_bos;
		ret = drm_gem_objects_lookup(file, u64_to_user_ptr(args->bo_handles),
					     args->num_bos, &job->bos);
		if (ret)
			goto err_free;
	}
	for (i = 0; i < args->num_cmds; i++) {
		ret = dojo_job_check_cmd(&cmds[i], job->bos, job->num_bos);
		if (ret)
			goto err_free;
	}

	if (args->out_sync.handle) {
		out = drm_syncobj_find(file, args->out_sync.handle);
		if (!out) {
			ret = -ENOENT;
			goto err_free;
		}
		if (args->out_sync.point) {
			chain = dma_fence_chain_alloc();
			if (!chain) {
				ret = -ENOMEM;
				goto err_free;
			}
		}
	}

	if (!drm_dev_enter(drm, &idx)) {
		ret = -ENODEV;
		goto err_free;
	}

	ret = dojo_job_build(job, cmds, args->num_cmds);
	if (ret)
		goto err_exit;

	ret = drm_sched_job_init(&job->base, &fpriv->entities[queue], 1,
				 fpriv, file->client_id);
	if (ret)
		goto err_exit;

	ret = dojo_job_add_in_syncs(job, file, syncs, args->num_in_syncs);
	if (ret)
		goto err_cleanup;

	mutex_lock(&fpriv->submit_lock);
	drm_sched_job_arm(&job->base);
	done = &job->base.s_fence->finished;
	dojo_job_take_slot(fpriv, job, done);
	args->job_id = job->id;
	dma_fence_get(done);
	drm_sched_entity_push_job(&job->base);
	mutex_unlock(&fpriv->submit_lock);

	if (out) {
		if (chain)
			drm_syncobj_add_point(out, chain, done, args->out_sync.point);
		else
			drm_syncobj_replace_fence(out, done);
		drm_syncobj_put(out);
	}
	dma_fence_put(done);
	drm_dev_exit(idx);
	kfree(syncs);
	if (cmds != stack_cmds)
		kvfree(cmds);
	return 0;

err_cleanup:
	drm_sched_job_cleanup(&job->base);
err_exit:
	drm_dev_exit(idx);
err_free:
	dma_fence_chain_free(chain);
	if (out)
		drm_syncobj_put(out);
	dojo_job_free(job);
	kfree(syncs);
	if (cmds != stack_cmds)
		kvfree(cmds);
	return ret;
}

/* ---- status ------------------------------------------------------------ */

static int dojo_job_wait_fence(struct dma_fence *fence, s64 deadline_ns)
{
	s64 left = deadline_ns - ktime_get_ns();
	long ret;

	if (dma_fence_is_signaled(fence))
		return 0;
	if (deadline_ns <= 0 || left <= 0)
		return -ETIME;
	ret = dma_fence_wait_timeout(fence, true, nsecs_to_jiffies(left) + 1);
	if (ret < 0)
		return ret;
	return ret ? 0 : -ETIME;
}

int dojo_job_wait_ioctl(struct drm_device *drm, void *data, struct drm_file *file)
{
	struct dojo_file_priv *fpriv = file->driver_priv;
	struct drm_dojo_job_wait *args = data;
	struct dojo_job_slot *slot;
	struct dma_fence *fence;
	unsigned long flags;
	int ret;

	if (args->flags || args->status || args->error || args->error_cmd)
		return -EINVAL;
	if (!args->job_id || !fpriv->slots)
		return -ENOENT;

	spin_lock_irqsave(&fpriv->status_lock, flags);
	slot = &fpriv->slots[args->job_id % DOJO_JOB_SLOTS];
	fence = slot->id == args->job_id ? dma_fence_get(slot->done) : NULL;
	spin_unlock_irqrestore(&fpriv->status_lock, flags);
	if (!fence)
		return -ENOENT;

	ret = dojo_job_wait_fence(fence, args->timeout_ns);

	spin_lock_irqsave(&fpriv->status_lock, flags);
	if (slot->id != args->job_id) {
		ret = -ENOENT;
	} else if (!ret) {
		args->status = slot->status;
		args->error = slot->error;
		args->error_cmd = slot->error_cmd;
		/* Ended before reaching the card (failed dependency, teardown). */
		if (args->status == DRM_DOJO_JOB_PENDING)
			args->status = fence->error ? DRM_DOJO_JOB_ABORTED :
				       DRM_DOJO_JOB_DONE;
	}
	spin_unlock_irqrestore(&fpriv->status_lock, flags);
	dma_fence_put(fence);
	return ret;
}

/* fdinfo: time the card spent on this client's jobs, per DMA queue. */
void dojo_job_show_fdinfo(struct drm_printer *p, struct drm_file *file)
{
	struct dojo_file_priv *fpriv = file->driver_priv;
	unsigned int i;

	for (i = 0; i < fpriv->ddev->nr_queues; i++)
		drm_printf(p, "drm-engine-dma%u:\t%lld ns\n", i,
			   atomic64_read(&fpriv->engine_ns[i]));
}

/* ---- the driver's own jobs --------------------------------------------- */

static void dojo_job_kernel_client_fini(struct drm_device *drm, void *arg)
{
	dojo_file_priv_destroy(arg);
}

/* The driver's own client, for jobs no file submits (HBM scrubbing). */
int dojo_job_kernel_client_init(struct dojo_device *ddev)
{
	struct dojo_file_priv *fpriv;
	int ret;

	fpriv = dojo_file_priv_create(ddev, false);
	if (IS_ERR(fpriv))
		return PTR_ERR(fpriv);
	ret = dojo_file_priv_alloc_slots(fpriv);
	if (ret) {
		dojo_file_priv_destroy(fpriv);
		return ret;
	}
	ddev->kernel_client = fpriv;
	/* Runs before the schedulers go (drmm actions run in reverse). */
	return drmm_add_action_or_reset(&ddev->drm, dojo_job_kernel_client_fini,
					fpriv);
}

/*
 * Zero @size bytes of HBM at @addr with the card's FILL; returns the job's
 * fence. A new HBM buffer must not show what an earlier client left there:
 * every job using the buffer waits for this fence, and fails if it failed.
 * The queue is chosen by the range, so scrubs spread over the queues.
 */
struct dma_fence *dojo_job_scrub_hbm(struct dojo_device *ddev, u64 addr, u64 size)
{
	struct dojo_file_priv *fpriv = ddev->kernel_client;
	struct dojo_queue *q = &ddev->queues[(addr >> 20) % ddev->nr_queues];
	struct dojo_hw_buf *btab;
	struct dojo_hw_cmd *cmd;
	struct dma_fence *done;
	struct dojo_job *job;
	int ret, idx;

	job = dojo_job_alloc(q);
	if (!job)
		return ERR_PTR(-ENOMEM);

	job->num_cmds = 1;
	job->num_bufs = 1;
	ret = dojo_job_alloc_view(job, dojo_job_cmds_off(job) + sizeof(*cmd));
	if (ret)
		goto err_free;
	btab = job->view + dojo_job_btab_off();
	btab->type = cpu_to_le32(DOJO_BUF_HBM);
	btab->flags = cpu_to_le32(DOJO_BUF_FLAG_WRITE);
	btab->size = cpu_to_le64(size);
	btab->addr = cpu_to_le64(addr);
	cmd = job->view + dojo_job_cmds_off(job);
	cmd->op = cpu_to_le16(DOJO_CMD_FILL);
	cmd->len = cpu_to_le64(size);

	if (!drm_dev_enter(&ddev->drm, &idx)) {
		ret = -ENODEV;
		goto err_free;
	}
	ret = drm_sched_job_init(&job->base, &fpriv->entities[q->index], 1,
				 fpriv, 0);
	if (ret) {
		drm_dev_exit(idx);
		goto err_free;
	}

	kref_get(&fpriv->ref);
	job->fpriv = fpriv;
	/*
	 * The driver's client does not hold the device (the device holds it):
	 * the job does, so that it can still be freed through its scheduler
	 * if the client's entities kill it at release.
	 */
	drm_dev_get(&ddev->drm);
	job->holds_dev = true;
	mutex_lock(&fpriv->submit_lock);
	drm_sched_job_arm(&job->base);
	done = dma_fence_get(&job->base.s_fence->finished);
	dojo_job_take_slot(fpriv, job, done);
	drm_sched_entity_push_job(&job->base);
	mutex_unlock(&fpriv->submit_lock);
	drm_dev_exit(idx);
	return done;

err_free:
	dojo_job_free(job);
	return ERR_PTR(ret);
}
