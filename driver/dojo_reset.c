// SPDX-License-Identifier: GPL-2.0-only
/*
 * Device recovery: the level above a queue reset.
 *
 * A queue that does not stop, a fatal error interrupt or an operator's
 * request resets the whole card: userspace is told (OFFLINE, then ONLINE
 * uevents on the accel node), the card's state is kept in a devcoredump,
 * every job on the card ends ABORTED (or TIMEOUT for the one that caused
 * it), the card is reset and the queues restarted; jobs not yet handed to
 * the card run afterwards. HBM contents and every buffer survive.
 *
 * Queue resets (scheduler timeouts) and device resets all run on one
 * ordered workqueue, so they never race each other.
 */
#include <linux/devcoredump.h>
#include <linux/kobject.h>
#include <linux/vmalloc.h>
#include <linux/workqueue.h>

#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_managed.h>

#include "dojo_drv.h"
#include "dojo_hw.h"
#include "dojo_job.h"
#include "dojo_queue.h"
#include "dojo_reset.h"

#define DOJO_DUMP_SIZE	4096

static void dojo_reset_uevent(struct dojo_device *ddev, enum kobject_action action,
			      const char *reason)
{
	char reason_env[64];
	char *envp[2];

	if (!ddev->drm.accel)
		return;
	snprintf(reason_env, sizeof(reason_env), "DOJO_RESET_REASON=%s", reason);
	envp[0] = reason_env;
	envp[1] = NULL;
	kobject_uevent_env(&ddev->drm.accel->kdev->kobj, action, envp);
}

/* The card's registers as the reset found them, for the vendor's tools. */
static void dojo_reset_coredump(struct dojo_device *ddev, const char *reason)
{
	size_t len = 0;
	unsigned int i;
	char *buf;

	buf = vzalloc(DOJO_DUMP_SIZE);
	if (!buf)
		return;

#define DUMP(...) (len += scnprintf(buf + len, DOJO_DUMP_SIZE - len, __VA_ARGS__))
	DUMP("dojo device coredump\nreason: %s\nserial: %s\n", reason,
	     ddev->id.serial);
	DUMP("status: 0x%08x\nirq_status: 0x%08x\nheartbeat: %u\nreset_count: %u\n",
	     dojo_rd32(ddev, DOJO_REG_STATUS),
	     dojo_rd32(ddev, DOJO_REG_IRQ_STATUS),
	     dojo_rd32(ddev, DOJO_REG_HEARTBEAT),
	     dojo_rd32(ddev, DOJO_REG_RESET_COUNT));
	for (i = 0; i < ddev->nr_queues; i++) {
		u32 base = DOJO_REG_Q(i);

		DUMP("queue %u: ctrl 0x%08x status 0x%08x head %u done_seqno %llu\n",
		     i, dojo_rd32(ddev, base + DOJO_Q_CTRL),
		     dojo_rd32(ddev, base + DOJO_Q_STATUS),
		     dojo_rd32(ddev, base + DOJO_Q_HEAD),
		     dojo_rd64(ddev, base + DOJO_Q_DONE_SEQNO_LO,
			       base + DOJO_Q_DONE_SEQNO_HI));
	}
#undef DUMP
	/* devcoredump owns and frees the buffer. */
	dev_coredumpv(ddev->drm.dev, buf, len, GFP_KERNEL);
}

/*
 * Reset the card. Runs on the reset workqueue; @stopped is a queue whose
 * scheduler the caller has already stopped (a queue reset escalating), or
 * NULL.
 */
void dojo_reset_device(struct dojo_device *ddev, struct dojo_queue *stopped,
		       const char *reason)
{
	unsigned int i;
	int ret;

	drm_err(&ddev->drm, "resetting the card: %s\n", reason);
	dojo_reset_uevent(ddev, KOBJ_OFFLINE, reason);
	dojo_reset_coredump(ddev, reason);

	for (i = 0; i < ddev->nr_queues; i++)
		if (&ddev->queues[i] != stopped)
			drm_sched_stop(&ddev->queues[i].sched, NULL);

	ret = dojo_hw_reset(ddev);
	if (!ret)
		dojo_hw_irq_enable(ddev);

	for (i = 0; i < ddev->nr_queues; i++)
		dojo_queue_abort(&ddev->queues[i], !ret);

	for (i = 0; i < ddev->nr_queues; i++) {
		if (&ddev->queues[i] == stopped)
			continue;
		drm_sched_resubmit_jobs(&ddev->queues[i].sched);
		drm_sched_start(&ddev->queues[i].sched);
	}

	atomic_inc(&ddev->device_resets);
	if (ret) {
		drm_err(&ddev->drm, "the card did not come back from reset\n");
		return;
	}
	dojo_reset_uevent(ddev, KOBJ_ONLINE, reason);
}

static void dojo_reset_work(struct work_struct *work)
{
	struct dojo_device *ddev = container_of(work, struct dojo_device, reset_work);
	int idx;

	if (!drm_dev_enter(&ddev->drm, &idx))
		return;
	dojo_reset_device(ddev, NULL, ddev->reset_reason);
	drm_dev_exit(idx);
}

/* Ask for a device reset from any context; it runs on the reset queue. */
void dojo_reset_schedule(struct dojo_device *ddev, const char *reason)
{
	ddev->reset_reason = reason;
	queue_work(ddev->reset_wq, &ddev->reset_work);
}

static void dojo_reset_fini(struct drm_device *drm, void *arg)
{
	struct dojo_device *ddev = arg;

	destroy_workqueue(ddev->reset_wq);
}

int dojo_reset_init(struct dojo_device *ddev)
{
	ddev->reset_wq = alloc_ordered_workqueue("dojo-reset-%s", 0,
						 ddev->bus_addr);
	if (!ddev->reset_wq)
		return -ENOMEM;
	INIT_WORK(&ddev->reset_work, dojo_reset_work);
	atomic_set(&ddev->device_resets, 0);
	return drmm_add_action_or_reset(&ddev->drm, dojo_reset_fini, ddev);
}

/* Called once the card is gone: no reset may start or still run. */
void dojo_reset_flush(struct dojo_device *ddev)
{
	cancel_work_sync(&ddev->reset_work);
}
