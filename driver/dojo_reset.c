// SPDX-License-Identifier: GPL-2.0-only
/*
 * Device recovery: the level above a queue reset.
 *
 * A queue that does not stop, a fatal error interrupt or an operator's
 * request resets the whole card: userspace is told (OFFLINE, then ONLINE
 * uevents on the accel node), the card's state is kept in a devcoredump,
 * every job the card started ends ABORTED (or TIMEOUT for the one that
 * caused it), the card is reset and the queues restarted; jobs the card
 * never started run afterwards. HBM contents and every buffer survive.
 * A card that does not come back is wedged; one that reads all-ones has
 * left the bus (docs/hardware.md).
 *
 * Queue resets (scheduler timeouts) and device resets all run on one
 * ordered workqueue, so they never race each other.
 */
#include <linux/devcoredump.h>
#include <linux/dma-fence.h>
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
#include "dojo_telemetry.h"

#define DOJO_DUMP_SIZE	4096

/* What userspace is still to be told, in this order (dojo_reset_events). */
#define DOJO_EVENT_OFFLINE	BIT(0)
#define DOJO_EVENT_DUMP		BIT(1)
#define DOJO_EVENT_DONE	BIT(2)	/* then ONLINE, or WEDGED=rebind */

static void dojo_reset_uevent(struct dojo_device *ddev, enum kobject_action action,
			      const char *reason, const char *extra)
{
	char reason_env[32 + DOJO_REASON_LEN];
	char *envp[3] = { reason_env, NULL, NULL };

	if (!ddev->drm.accel)
		return;
	snprintf(reason_env, sizeof(reason_env), "DOJO_RESET_REASON=%s", reason);
	envp[1] = (char *)extra;
	kobject_uevent_env(&ddev->drm.accel->kdev->kobj, action, envp);
}

/* The card's registers as the reset found them, for the vendor's tools. */
static void dojo_reset_coredump(struct dojo_device *ddev, const struct dojo_dump *d)
{
	size_t len = 0;
	unsigned int i;
	char *buf;

	buf = vzalloc(DOJO_DUMP_SIZE);
	if (!buf)
		return;

#define DUMP(...) (len += scnprintf(buf + len, DOJO_DUMP_SIZE - len, __VA_ARGS__))
	DUMP("dojo device coredump\nreason: %s\nserial: %s\n", d->reason,
	     ddev->id.serial);
	DUMP("status: 0x%08x\nirq_status: 0x%08x\nheartbeat: %u\nreset_count: %u\n",
	     d->status, d->irq_status, d->heartbeat, d->reset_count);
	for (i = 0; i < ddev->nr_queues; i++)
		DUMP("queue %u: ctrl 0x%08x status 0x%08x head %u done_seqno %llu\n",
		     i, d->q_ctrl[i], d->q_status[i], d->q_head[i],
		     d->q_done_seqno[i]);
#undef DUMP
	/* devcoredump owns and frees the buffer. */
	dev_coredumpv(ddev->drm.dev, buf, len, GFP_KERNEL);
}

/*
 * Uevents and the devcoredump allocate memory, which the reset path must
 * not (it signals fences that memory reclaim may wait for): they are sent
 * from here, in order, once the reset is done, on the module's workqueue
 * rather than the reset queue that timeouts need. Whether the card came
 * back is read now: of two resets sent together, the last one counts.
 */
static void dojo_reset_events(struct work_struct *work)
{
	struct dojo_device *ddev = container_of(work, struct dojo_device,
						events_work);
	unsigned long events;
	struct dojo_dump dump;

	spin_lock_irq(&ddev->events_lock);
	events = ddev->events;
	ddev->events = 0;
	dump = ddev->dump;
	spin_unlock_irq(&ddev->events_lock);

	if (events & DOJO_EVENT_OFFLINE)
		dojo_reset_uevent(ddev, KOBJ_OFFLINE, dump.reason, NULL);
	if (events & DOJO_EVENT_DUMP)
		dojo_reset_coredump(ddev, &dump);
	if (events & DOJO_EVENT_DONE) {
		switch (dojo_state(ddev)) {
		case DOJO_STATE_ONLINE:
			dojo_reset_uevent(ddev, KOBJ_ONLINE, dump.reason, NULL);
			break;
		case DOJO_STATE_WEDGED:
			dojo_reset_uevent(ddev, KOBJ_CHANGE, dump.reason,
					  "WEDGED=rebind");
			break;
		case DOJO_STATE_LOST:
			break;
		}
		/* The reset may have changed the card's health. */
		queue_work(dojo_wq, &ddev->health_work);
	}
}

static void dojo_reset_post(struct dojo_device *ddev, unsigned long events)
{
	spin_lock_irq(&ddev->events_lock);
	ddev->events |= events;
	spin_unlock_irq(&ddev->events_lock);
	queue_work(dojo_wq, &ddev->events_work);
}

/*
 * Registers for the dump, read before the reset clears them; read outside
 * the lock (a dying link makes reads slow), published under it.
 */
static void dojo_reset_snapshot(struct dojo_device *ddev, const char *reason)
{
	struct dojo_dump d = { };
	unsigned int i;

	strscpy(d.reason, reason, sizeof(d.reason));
	d.status = dojo_rd32(ddev, DOJO_REG_STATUS);
	d.irq_status = dojo_rd32(ddev, DOJO_REG_IRQ_STATUS);
	d.heartbeat = dojo_rd32(ddev, DOJO_REG_HEARTBEAT);
	d.reset_count = dojo_rd32(ddev, DOJO_REG_RESET_COUNT);
	for (i = 0; i < ddev->nr_queues && i < ARRAY_SIZE(d.q_ctrl); i++) {
		struct dojo_queue *q = &ddev->queues[i];

		d.q_ctrl[i] = dojo_rd32(ddev, q->base + DOJO_Q_CTRL);
		d.q_status[i] = dojo_rd32(ddev, q->base + DOJO_Q_STATUS);
		d.q_head[i] = dojo_rd32(ddev, q->base + DOJO_Q_HEAD);
		dojo_queue_done_seqno(q, &d.q_done_seqno[i]);
	}
	spin_lock_irq(&ddev->events_lock);
	ddev->dump = d;
	spin_unlock_irq(&ddev->events_lock);
}

/* MAGIC is hardwired: it reads all-ones only from a card off the bus. */
static bool dojo_reset_card_lost(struct dojo_device *ddev)
{
	return dojo_rd32(ddev, DOJO_REG_MAGIC) == U32_MAX;
}

/**
 * dojo_reset_lost - the card left the bus (reads all-ones)
 * @ddev: the device
 *
 * Every job it held ends ABORTED; nothing it reports is believed, no job
 * completes; new work is refused with ENODEV until the card is removed.
 * Runs on the reset queue.
 */
void dojo_reset_lost(struct dojo_device *ddev)
{
	unsigned int i;

	if (dojo_state(ddev) != DOJO_STATE_LOST)
		drm_err(&ddev->drm, "the card reads all-ones: it left the bus\n");
	WRITE_ONCE(ddev->state, DOJO_STATE_LOST);
	for (i = 0; i < ddev->nr_queues; i++)
		dojo_queue_lost(&ddev->queues[i]);
}

/*
 * Reset the card. Runs on the reset workqueue, in a fence-signalling
 * section, with every queue's scheduler stopped by the caller. Jobs the
 * card started end ABORTED (or TIMEOUT for one that hung), jobs it never
 * started run after the reset. A card that does not come back is wedged:
 * it loses bus mastering, its jobs end ABORTED, new work fails with EIO,
 * userspace gets a WEDGED uevent, and a later reset that succeeds (or
 * rebinding the driver) brings it back. A lost card stays lost.
 */
static void dojo_reset_device(struct dojo_device *ddev, const char *reason)
{
	unsigned int i;
	int ret;

	if (dojo_state(ddev) == DOJO_STATE_LOST || dojo_reset_card_lost(ddev)) {
		dojo_reset_lost(ddev);
		return;
	}
	drm_err(&ddev->drm, "resetting the card: %s\n", reason);
	dojo_reset_snapshot(ddev, reason);

	/*
	 * A card in reset ignores register writes but still reads back the
	 * last mailbox answer: a command sent in the window would read the
	 * previous one's result, perhaps another client's tile buffer or
	 * grant. No mailbox command runs across the reset.
	 */
	mutex_lock(&ddev->ttp_mbox_lock);
	mutex_lock(&ddev->zp_lock);
	ret = dojo_hw_reset(ddev);
	mutex_unlock(&ddev->zp_lock);
	mutex_unlock(&ddev->ttp_mbox_lock);
	if (ret) {
		dojo_hw_bus_master(ddev, false);
		WRITE_ONCE(ddev->state, DOJO_STATE_WEDGED);
		drm_err(&ddev->drm, "the card did not come back from reset: wedged\n");
	} else {
		dojo_hw_bus_master(ddev, true);
		dojo_hw_irq_enable(ddev);
		WRITE_ONCE(ddev->state, DOJO_STATE_ONLINE);
	}
	for (i = 0; i < ddev->nr_queues; i++)
		dojo_queue_abort(&ddev->queues[i], !ret);
	if (!ret)
		dojo_telemetry_reset_done(ddev);

	spin_lock_irq(&ddev->events_lock);
	strscpy(ddev->last_reset_reason, reason,
		sizeof(ddev->last_reset_reason));
	spin_unlock_irq(&ddev->events_lock);
	atomic_inc(&ddev->device_resets);
	dojo_reset_post(ddev, DOJO_EVENT_OFFLINE | DOJO_EVENT_DUMP | DOJO_EVENT_DONE);
}

static void dojo_reset_work(struct work_struct *work)
{
	struct dojo_device *ddev = container_of(work, struct dojo_device, reset_work);
	char reason[DOJO_REASON_LEN];
	bool cookie;
	int idx;

	spin_lock_irq(&ddev->events_lock);
	strscpy(reason, ddev->reset_reason, sizeof(reason));
	spin_unlock_irq(&ddev->events_lock);
	if (!drm_dev_enter(&ddev->drm, &idx))
		return;
	/* Before the signalling section: stopping waits for run_job. */
	dojo_queues_stop_scheds(ddev);
	cookie = dma_fence_begin_signalling();
	dojo_reset_device(ddev, reason);
	dma_fence_end_signalling(cookie);
	dojo_queues_start_scheds(ddev);
	drm_dev_exit(idx);
}

/*
 * Ask for a device reset from any context; it runs on the reset queue.
 * Of two requests before it runs, the reason of the last one counts.
 */
void dojo_reset_schedule(struct dojo_device *ddev, const char *reason)
{
	unsigned long flags;

	spin_lock_irqsave(&ddev->events_lock, flags);
	strscpy(ddev->reset_reason, reason, sizeof(ddev->reset_reason));
	spin_unlock_irqrestore(&ddev->events_lock, flags);
	queue_work(ddev->reset_wq, &ddev->reset_work);
}

/**
 * dojo_reset_request - reset the card now and wait for the outcome
 * @ddev: the device
 * @reason: what userspace is told (DOJO_RESET_REASON, last_reset_reason)
 *
 * For an operator: debugfs reset and sysfs reset. Returns once the reset,
 * its uevents and the health that follows are done. Process context.
 *
 * Return: 0 if the card came back; -EIO if it is wedged; -ENODEV if it is
 * gone or lost.
 */
int dojo_reset_request(struct dojo_device *ddev, const char *reason)
{
	int idx;

	if (!drm_dev_enter(&ddev->drm, &idx))
		return -ENODEV;
	dojo_reset_schedule(ddev, reason);
	drm_dev_exit(idx);

	flush_work(&ddev->reset_work);
	flush_work(&ddev->events_work);
	flush_work(&ddev->health_work);
	if (drm_dev_is_unplugged(&ddev->drm))
		return -ENODEV;
	switch (dojo_state(ddev)) {
	case DOJO_STATE_ONLINE:
		return 0;
	case DOJO_STATE_WEDGED:
		return -EIO;
	default:
		return -ENODEV;
	}
}

static void dojo_reset_fini(struct drm_device *drm, void *arg)
{
	struct dojo_device *ddev = arg;

	destroy_workqueue(ddev->reset_wq);
}

int dojo_reset_init(struct dojo_device *ddev)
{
	/* Timeouts end jobs, which memory reclaim may be waiting for. */
	ddev->reset_wq = alloc_ordered_workqueue("dojo-reset-%s", WQ_MEM_RECLAIM,
						 ddev->bus_addr);
	if (!ddev->reset_wq)
		return -ENOMEM;
	INIT_WORK(&ddev->reset_work, dojo_reset_work);
	INIT_WORK(&ddev->events_work, dojo_reset_events);
	spin_lock_init(&ddev->events_lock);
	atomic_set(&ddev->device_resets, 0);
	WRITE_ONCE(ddev->state, DOJO_STATE_ONLINE);
	return drmm_add_action_or_reset(&ddev->drm, dojo_reset_fini, ddev);
}

/* Called once the card is gone: no reset may start or still run. */
void dojo_reset_flush(struct dojo_device *ddev)
{
	cancel_work_sync(&ddev->reset_work);
	cancel_work_sync(&ddev->events_work);
	dojo_telemetry_flush(ddev);
}
