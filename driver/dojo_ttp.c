// SPDX-License-Identifier: GPL-2.0-only
/*
 * The TTP tile port (docs/hardware.md): the link to a training tile, seen
 * as registers and one device-event interrupt, and the tile controller's
 * mailbox, through which the driver allocates, frees and shares tile SRAM
 * buffers. The tile owns its SRAM allocator: every DIP of a tile asks the
 * same controller, which counts each port's holds on a buffer and frees
 * the range when no port holds it any more.
 *
 * The link state is cached for sysfs and refreshed by a work item that the
 * link interrupt queues; it also sends a change uevent on the accel node.
 *
 * The tile drops a port's holds when its link goes down. Each hold the
 * driver takes is therefore stamped with TTP_LINK_CHANGES (its epoch): a
 * buffer whose epoch is over is not given back (the tile already forgot
 * it, and the port may hold the same buffer again through another
 * object) and is described to the card by an id no tile hands out, so
 * that its jobs end LINK_DOWN even if the port holds the buffer anew.
 */
#include <linux/bitfield.h>
#include <linux/interrupt.h>
#include <linux/iopoll.h>
#include <linux/kobject.h>

#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_managed.h>

#include "dojo_accel.h"
#include "dojo_drv.h"
#include "dojo_hw.h"
#include "dojo_ttp.h"

/* The tile controller answers within this, on silicon. */
#define DOJO_TTP_MBOX_TIMEOUT_MS	100

bool dojo_ttp_present(struct dojo_device *ddev)
{
	return ddev->id.num_ttp_ports > 0;
}

/* Read the link from the card; false if the card reads all-ones. */
static bool dojo_ttp_read(struct dojo_device *ddev, struct dojo_ttp_state *s)
{
	u32 status = dojo_rd32(ddev, DOJO_REG_TTP_STATUS);

	memset(s, 0, sizeof(*s));
	if (status == U32_MAX)
		return false;
	s->up = status & DOJO_TTP_LINK_UP;
	if (!s->up)
		return true;
	s->edge = FIELD_GET(DOJO_TTP_EDGE, status);
	s->slot = FIELD_GET(DOJO_TTP_SLOT, status);
	s->tile_id = dojo_rd32(ddev, DOJO_REG_TTP_TILE_ID);
	s->sram_size = dojo_rd64(ddev, DOJO_REG_TTP_SRAM_SIZE_LO,
				 DOJO_REG_TTP_SRAM_SIZE_HI);
	return true;
}

static void dojo_ttp_uevent(struct dojo_device *ddev,
			    const struct dojo_ttp_state *s)
{
	char link[32], tile[32], edge[32], slot[32];
	char *envp[5] = { link, tile, edge, slot, NULL };

	if (!ddev->drm.accel)
		return;
	snprintf(link, sizeof(link), "DOJO_TTP_LINK=%s", s->up ? "up" : "down");
	if (s->up) {
		snprintf(tile, sizeof(tile), "DOJO_TILE_ID=%u", s->tile_id);
		snprintf(edge, sizeof(edge), "DOJO_TILE_EDGE=%u", s->edge);
		snprintf(slot, sizeof(slot), "DOJO_TILE_SLOT=%u", s->slot);
	} else {
		envp[1] = NULL;
	}
	kobject_uevent_env(&ddev->drm.accel->kdev->kobj, KOBJ_CHANGE, envp);
}

/* The link interrupt fired (or a reset may have hidden one): re-read it. */
static void dojo_ttp_link_work(struct work_struct *work)
{
	struct dojo_device *ddev = container_of(work, struct dojo_device,
						ttp_link_work);
	struct dojo_ttp_state s;
	bool changed;
	int idx;

	if (!drm_dev_enter(&ddev->drm, &idx))
		return;
	if (!dojo_ttp_read(ddev, &s)) {
		drm_dev_exit(idx);
		return;
	}
	drm_dev_exit(idx);

	spin_lock_irq(&ddev->ttp_lock);
	changed = memcmp(&s, &ddev->ttp, sizeof(s));
	ddev->ttp = s;
	spin_unlock_irq(&ddev->ttp_lock);
	if (!changed)
		return;
	if (s.up)
		drm_info(&ddev->drm, "TTP link up: tile %u, edge %u, slot %u\n",
			 s.tile_id, s.edge, s.slot);
	else
		drm_info(&ddev->drm, "TTP link down\n");
	dojo_ttp_uevent(ddev, &s);
}

/* From the device-event interrupt, or after a card reset. */
void dojo_ttp_link_changed(struct dojo_device *ddev)
{
	if (dojo_ttp_present(ddev) && READ_ONCE(ddev->ttp_ready))
		queue_work(system_wq, &ddev->ttp_link_work);
}

void dojo_ttp_state(struct dojo_device *ddev, bool *up, u32 *tile_id,
		    u32 *edge, u32 *slot, u64 *sram_size)
{
	spin_lock_irq(&ddev->ttp_lock);
	*up = ddev->ttp.up;
	*tile_id = ddev->ttp.tile_id;
	*edge = ddev->ttp.edge;
	*slot = ddev->ttp.slot;
	*sram_size = ddev->ttp.sram_size;
	spin_unlock_irq(&ddev->ttp_lock);
}

static int dojo_ttp_errno(u32 result)
{
	switch (result) {
	case DOJO_TTP_MBOX_OK:
		return 0;
	case DOJO_TTP_MBOX_LINK_DOWN:
		return -ENOLINK;
	case DOJO_TTP_MBOX_NO_SPACE:
		return -ENOMEM;
	case DOJO_TTP_MBOX_NO_BUFFER:
		return -ENOENT;
	case DOJO_TTP_MBOX_DENIED:
		return -EACCES;
	default:
		return -EINVAL;
	}
}

/* One command to the tile controller, under the mailbox lock. */
static int dojo_ttp_mbox_locked(struct dojo_device *ddev, u32 cmd, u64 arg0,
				u64 arg1, u64 *res0, u64 *res1)
{
	unsigned int timeout_us;
	u32 status;
	int ret;

	lockdep_assert_held(&ddev->ttp_mbox_lock);
	timeout_us = dojo_timeout_ms(ddev, DOJO_TTP_MBOX_TIMEOUT_MS) * 1000;
	/*
	 * The card ignores a command while BUSY: one that timed out earlier
	 * may still be running, and its answer must not be taken for ours.
	 */
	ret = read_poll_timeout(dojo_rd32, status,
				status == U32_MAX ||
				!(status & DOJO_TTP_MBOX_BUSY), 10, timeout_us,
				false, ddev, DOJO_REG_TTP_MBOX_STATUS);
	if (status == U32_MAX)
		return -ENODEV;
	if (ret)
		return -EBUSY;
	dojo_wr32(ddev, DOJO_REG_TTP_MBOX_ARG0_LO, lower_32_bits(arg0));
	dojo_wr32(ddev, DOJO_REG_TTP_MBOX_ARG0_HI, upper_32_bits(arg0));
	dojo_wr32(ddev, DOJO_REG_TTP_MBOX_ARG1_LO, lower_32_bits(arg1));
	dojo_wr32(ddev, DOJO_REG_TTP_MBOX_ARG1_HI, upper_32_bits(arg1));
	dojo_wr32(ddev, DOJO_REG_TTP_MBOX_CMD, cmd);
	/* A card off the bus reads all-ones: no answer will come. */
	ret = read_poll_timeout(dojo_rd32, status,
				status == U32_MAX ||
				!(status & DOJO_TTP_MBOX_BUSY), 10, timeout_us,
				false, ddev, DOJO_REG_TTP_MBOX_STATUS);
	if (status == U32_MAX)
		ret = -ENODEV;
	if (ret == -ETIMEDOUT)
		drm_warn(&ddev->drm, "tile controller did not answer command %u\n",
			 cmd);
	if (!ret)
		ret = dojo_ttp_errno(FIELD_GET(DOJO_TTP_MBOX_RESULT, status));
	if (!ret && res0)
		*res0 = dojo_rd64(ddev, DOJO_REG_TTP_MBOX_RES0_LO,
				  DOJO_REG_TTP_MBOX_RES0_HI);
	if (!ret && res1)
		*res1 = dojo_rd64(ddev, DOJO_REG_TTP_MBOX_RES1_LO,
				  DOJO_REG_TTP_MBOX_RES1_HI);
	return ret;
}

/*
 * One command to the tile controller. Callers are inside drm_dev_enter();
 * the mailbox is one per card, so commands are serialised. For a command
 * that takes a hold, @epoch is where to stamp it; if the link changed
 * while the command ran, the hold may already be gone: it is given back
 * and the command fails with -ENOLINK.
 */
static int dojo_ttp_mbox(struct dojo_device *ddev, u32 cmd, u64 arg0,
			 u64 arg1, u64 *res0, u64 *res1, u32 *epoch)
{
	u32 before = 0;
	u64 id;
	int ret;

	if (!dojo_ttp_present(ddev))
		return -EOPNOTSUPP;
	mutex_lock(&ddev->ttp_mbox_lock);
	if (epoch)
		before = dojo_rd32(ddev, DOJO_REG_TTP_LINK_CHANGES);
	ret = dojo_ttp_mbox_locked(ddev, cmd, arg0, arg1, res0, res1);
	if (!ret && epoch) {
		*epoch = dojo_rd32(ddev, DOJO_REG_TTP_LINK_CHANGES);
		if (*epoch != before) {
			id = cmd == DOJO_TTP_MBOX_ALLOC ? *res0 : arg0;
			dojo_ttp_mbox_locked(ddev, DOJO_TTP_MBOX_FREE, id, 0,
					     NULL, NULL);
			ret = -ENOLINK;
		}
	}
	mutex_unlock(&ddev->ttp_mbox_lock);
	return ret;
}

/* A tile buffer of at least @size bytes, held by this card's port. */
int dojo_ttp_alloc(struct dojo_device *ddev, u64 size, u64 *id, u64 *bytes,
		   u32 *epoch)
{
	return dojo_ttp_mbox(ddev, DOJO_TTP_MBOX_ALLOC, size, 0, id, bytes,
			     epoch);
}

/* Whether a hold stamped @epoch is still the port's. Inside drm_dev_enter(). */
bool dojo_ttp_epoch_valid(struct dojo_device *ddev, u32 epoch)
{
	return dojo_rd32(ddev, DOJO_REG_TTP_LINK_CHANGES) == epoch;
}

/*
 * Give up this port's hold. If the card is gone, or the link went down
 * since the hold was taken, the tile has already forgotten it.
 */
void dojo_ttp_free(struct dojo_device *ddev, u64 id, u32 epoch)
{
	int idx;

	if (!drm_dev_enter(&ddev->drm, &idx))
		return;
	mutex_lock(&ddev->ttp_mbox_lock);
	if (dojo_ttp_epoch_valid(ddev, epoch))
		dojo_ttp_mbox_locked(ddev, DOJO_TTP_MBOX_FREE, id, 0, NULL,
				     NULL);
	mutex_unlock(&ddev->ttp_mbox_lock);
	drm_dev_exit(idx);
}

/*
 * Let card @to hold tile buffer @id of card @from: @from's port asks its
 * tile for the buffer's share key, @to's port presents it to the tile,
 * which refuses it if @to is on another tile or the key does not match.
 */
int dojo_ttp_share(struct dojo_device *from, struct dojo_device *to, u64 id,
		   u64 *bytes, u32 *epoch)
{
	u64 key;
	int ret, idx;

	if (!drm_dev_enter(&from->drm, &idx))
		return -ENODEV;
	ret = dojo_ttp_mbox(from, DOJO_TTP_MBOX_GRANT, id, 0, NULL, &key,
			    NULL);
	drm_dev_exit(idx);
	if (ret)
		return ret;
	if (!drm_dev_enter(&to->drm, &idx))
		return -ENODEV;
	ret = dojo_ttp_mbox(to, DOJO_TTP_MBOX_ATTACH, id, key, NULL, bytes,
			    epoch);
	drm_dev_exit(idx);
	memzero_explicit(&key, sizeof(key));
	return ret;
}

/* DRM_DOJO_QUERY_TTP: read live from the card. Inside drm_dev_enter(). */
int dojo_ttp_info(struct dojo_device *ddev, struct drm_dojo_ttp_info *info)
{
	struct dojo_ttp_state s;

	memset(info, 0, sizeof(*info));
	if (!dojo_ttp_present(ddev))
		return -EOPNOTSUPP;
	if (!dojo_ttp_read(ddev, &s))
		return -ENODEV;
	info->link_state = s.up ? DRM_DOJO_TTP_LINK_UP : DRM_DOJO_TTP_LINK_DOWN;
	if (s.up) {
		info->tile_id = s.tile_id;
		info->tile_edge = s.edge;
		info->tile_slot = s.slot;
		info->sram_size = s.sram_size;
	}
	info->link_changes = dojo_rd32(ddev, DOJO_REG_TTP_LINK_CHANGES);
	info->tx_bytes = dojo_rd64(ddev, DOJO_REG_TTP_TX_BYTES_LO,
				   DOJO_REG_TTP_TX_BYTES_HI);
	info->rx_bytes = dojo_rd64(ddev, DOJO_REG_TTP_RX_BYTES_LO,
				   DOJO_REG_TTP_RX_BYTES_HI);
	info->tile_used = atomic64_read(&ddev->ttp_used);
	return 0;
}

/*
 * At probe: a driver starts with no tile buffers, so whatever the port
 * still holds (a previous driver's) is released, then the link is read.
 */
int dojo_ttp_init(struct dojo_device *ddev)
{
	int ret;

	spin_lock_init(&ddev->ttp_lock);
	INIT_WORK(&ddev->ttp_link_work, dojo_ttp_link_work);
	atomic64_set(&ddev->ttp_used, 0);
	ret = drmm_mutex_init(&ddev->drm, &ddev->ttp_mbox_lock);
	if (ret || !dojo_ttp_present(ddev))
		return ret;

	ret = dojo_ttp_mbox(ddev, DOJO_TTP_MBOX_RELEASE_ALL, 0, 0, NULL, NULL,
			    NULL);
	if (ret && ret != -ENOLINK)
		return ret;
	dojo_ttp_read(ddev, &ddev->ttp);
	WRITE_ONCE(ddev->ttp_ready, true);
	return 0;
}

/*
 * At removal, after drm_dev_unplug(): files may still hold tile buffers,
 * but can do nothing with them; the port gives them back to the tile.
 */
void dojo_ttp_fini(struct dojo_device *ddev)
{
	if (!dojo_ttp_present(ddev))
		return;
	WRITE_ONCE(ddev->ttp_ready, false);
	synchronize_irq(ddev->irqs[0]);
	cancel_work_sync(&ddev->ttp_link_work);
	dojo_ttp_mbox(ddev, DOJO_TTP_MBOX_RELEASE_ALL, 0, 0, NULL, NULL, NULL);
}
