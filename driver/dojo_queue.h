/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * DMA queues: the hardware rings, their interrupts and their resets.
 */
#ifndef __DOJO_QUEUE_H__
#define __DOJO_QUEUE_H__

#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/workqueue.h>
#include <drm/gpu_scheduler.h>

#include "dojo_regs.h"

struct dojo_device;
struct dojo_job;

/**
 * struct dojo_queue - one hardware DMA queue and its scheduler
 * @ddev: the device
 * @index: queue number on the card
 * @base: offset of the queue's register block
 * @irq: Linux IRQ of the queue's completion vector
 * @ring: descriptors, shared with the card
 * @ring_dma: DMA address of @ring
 * @ring_size: entries in @ring, a power of 2
 * @slots: one DOJO_JOB_SLOT_SIZE slot per descriptor, for its job's view
 * @slots_dma: DMA address of @slots
 * @lock: protects @tail, @seqno and @pending; taken in the IRQ handler
 * @tail: free-running index of the next descriptor to write
 * @seqno: last sequence number handed to the card
 * @fence_ctx: dma_fence context of the queue's hardware fences
 * @pending: jobs handed to the card and not yet ended, in @seqno order
 * @sched: the queue's drm_sched scheduler
 * @halt_work: recovery from a halt, on the device's reset queue
 * @timeouts: jobs that hung on this queue
 * @name: "dma<index>", for the scheduler and fdinfo
 * @retired: the first queue of a released device: entry in the list of
 *	     queues kept until module unload
 */
struct dojo_queue {
	struct dojo_device *ddev;
	unsigned int index;
	u32 base;
	int irq;
	struct dojo_hw_desc *ring;
	dma_addr_t ring_dma;
	u32 ring_size;
	void *slots;
	dma_addr_t slots_dma;
	spinlock_t lock; /* protects tail, seqno, pending */
	u32 tail;
	u64 seqno;
	u64 fence_ctx;
	struct list_head pending;
	struct drm_gpu_scheduler sched;
	struct work_struct halt_work;
	atomic_t timeouts;
	char name[16];
	struct list_head retired;
};

int dojo_queues_init(struct dojo_device *ddev);
void dojo_queues_fini(struct dojo_device *ddev);
void dojo_queues_free_retired(void);
void dojo_queue_assign_seqno(struct dojo_queue *q, struct dojo_job *job);
void dojo_queue_push(struct dojo_queue *q, struct dojo_job *job);
int dojo_queue_reset(struct dojo_queue *q, struct dojo_job *guilty);
void dojo_queue_abort(struct dojo_queue *q, bool restart);
void dojo_queue_lost(struct dojo_queue *q);
bool dojo_queue_done_seqno(struct dojo_queue *q, u64 *seqno);
bool dojo_queue_timeout(struct dojo_queue *q, struct dojo_job *job);
void dojo_queues_stop_scheds(struct dojo_device *ddev);
void dojo_queues_start_scheds(struct dojo_device *ddev);

#endif /* __DOJO_QUEUE_H__ */
