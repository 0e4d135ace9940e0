/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Jobs: command buffers copied from userspace, checked, scheduled with
 * drm_sched onto a DMA queue, and their statuses.
 */
#ifndef __DOJO_JOB_H__
#define __DOJO_JOB_H__

#include <linux/dma-fence.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>
#include <drm/gpu_scheduler.h>

struct drm_device;
struct drm_file;
struct drm_gem_object;
struct drm_printer;
struct dojo_device;
struct dojo_hw_compl;
struct dojo_queue;

/* Job statuses each file keeps; older ones are dropped (uapi.md). */
#define DOJO_JOB_SLOTS	1024

/*
 * The card's view of a job (completion record, buffer table, commands) is
 * copied into its queue's ring slot when it reaches the card, up to this
 * size; a larger job keeps coherent memory of its own.
 */
#define DOJO_JOB_SLOT_SIZE	512

/* In-syncs plus one HBM scrub per buffer. */
#define DOJO_JOB_MAX_IN_FENCES	(32 + 64)

/**
 * struct dojo_job_slot - how one job of a file ended
 * @id: the job's id, 0 if the slot is free
 * @status: DRM_DOJO_JOB_*
 * @error: DRM_DOJO_ERR_*
 * @error_cmd: index of the failing command
 * @done: the job's scheduler fence, signalled once it ended
 */
struct dojo_job_slot {
	u64 id;
	u32 status;
	u32 error;
	u32 error_cmd;
	struct dma_fence *done;
};

/**
 * struct dojo_file_priv - a client: one open file of the accel node
 * @ref: held by the file and by each of its jobs, which report into it
 * @ddev: the device
 * @entities: one scheduler entity per queue
 * @submit_lock: orders job ids with the order jobs reach the entities
 * @status_lock: protects @slots and @next_id; taken in the IRQ handler
 * @next_id: id of the next job
 * @slots: the last DOJO_JOB_SLOTS job statuses, allocated on first submit
 * @engine_ns: nanoseconds the card spent on this client's jobs, per queue
 * @in_flight: jobs submitted and not yet freed, bounded per client
 * @holds_dev: holds a reference on the drm_device (every file's client;
 *	       not the driver's own, which the device holds)
 * @put_work: drops that reference once the last job is gone
 * @grant_lock: protects @grants and @num_grants (dojo_grant.c)
 * @grants: the grants this file exported, by grant id
 * @num_grants: entries in @grants
 */
struct dojo_file_priv {
	struct kref ref;
	struct dojo_device *ddev;
	struct drm_sched_entity *entities;
	struct mutex submit_lock; /* orders ids with entity pushes */
	spinlock_t status_lock; /* protects slots, next_id */
	u64 next_id;
	struct dojo_job_slot *slots;
	atomic64_t *engine_ns;
	atomic_t in_flight;
	bool holds_dev;
	struct work_struct put_work;
	struct mutex grant_lock; /* protects grants, num_grants */
	struct xarray grants;
	unsigned int num_grants;
};

/**
 * struct dojo_job - one submitted command buffer
 * @base: the scheduler's job
 * @q: the queue it runs on
 * @fpriv: its client
 * @id: id reported to userspace
 * @bos: buffers it references, one GEM reference each
 * @num_bos: entries in @bos
 * @view: the card's view of the job, built at submit: completion record,
 *	  buffer table and commands
 * @view_size: bytes of @view; above DOJO_JOB_SLOT_SIZE, @view is coherent
 *	       DMA memory the card reads in place, at @view_dma
 * @view_dma: DMA address of a coherent @view
 * @dma_addr: DMA address of the view the card reads, once on the ring
 * @compl: the completion record the card writes, once on the ring
 * @num_cmds: commands
 * @hw_fence: signalled when the card ended the job
 * @seqno: sequence number on its queue, 0 until first handed to the card
 * @link: entry in the queue's pending list
 * @started: when it was handed to the card
 * @ended: the card ended it or a reset did; its status is final
 * @in_fences: what it waits for (in-syncs, buffer scrubs); if one of them
 *	       failed, the job never reaches the card and ends ABORTED
 * @num_in_fences: entries in @in_fences
 * @counted: counts in its client's @in_flight
 * @holds_dev: holds a reference on the drm_device (the driver's own jobs,
 *	       whose client does not)
 * @timed_out: hung past the job timeout; ends TIMEOUT whoever ends it
 * @free_work: frees it, off the scheduler's own workqueue
 */
struct dojo_job {
	struct drm_sched_job base;
	struct dojo_queue *q;
	struct dojo_file_priv *fpriv;
	u64 id;
	struct drm_gem_object **bos;
	u32 num_bos;
	void *view;
	size_t view_size;
	dma_addr_t view_dma;
	dma_addr_t dma_addr;
	struct dojo_hw_compl *compl;
	u32 num_cmds;
	u32 num_bufs;
	struct dma_fence *hw_fence;
	u64 seqno;
	struct list_head link;
	ktime_t started;
	bool ended;
	struct dma_fence *in_fences[DOJO_JOB_MAX_IN_FENCES];
	u32 num_in_fences;
	bool counted;
	bool holds_dev;
	bool timed_out;
	struct work_struct free_work;
};

static inline struct dojo_job *to_dojo_job(struct drm_sched_job *sched_job)
{
	return container_of(sched_job, struct dojo_job, base);
}

extern const struct drm_sched_backend_ops dojo_sched_ops;

int dojo_job_file_open(struct drm_device *drm, struct drm_file *file);
void dojo_job_file_close(struct drm_device *drm, struct drm_file *file);
int dojo_submit_ioctl(struct drm_device *drm, void *data, struct drm_file *file);
int dojo_job_wait_ioctl(struct drm_device *drm, void *data, struct drm_file *file);
void dojo_job_show_fdinfo(struct drm_printer *p, struct drm_file *file);

int dojo_job_kernel_client_init(struct dojo_device *ddev);
struct dma_fence *dojo_job_scrub_hbm(struct dojo_device *ddev, u64 addr,
				     u64 size);
void dojo_job_end(struct dojo_job *job, u32 status, u32 error, u32 error_cmd);
bool dojo_job_started(struct dojo_job *job);
u64 dojo_job_desc_cmds(struct dojo_job *job);
u64 dojo_job_desc_btab(struct dojo_job *job);
void dojo_job_place(struct dojo_job *job, void *slot, dma_addr_t slot_dma);
u64 dojo_job_desc_compl(struct dojo_job *job);

#endif /* __DOJO_JOB_H__ */
