// SPDX-License-Identifier: GPL-2.0-only
/*
 * The TTPoE port (docs/hardware.md): the card's link to the Z-plane, the
 * Ethernet fabric between DIPs. The card runs the protocol; the driver
 * enables the port at probe, follows its link, reads its counters and
 * connection table, and exports grants through its mailbox.
 *
 * The link state is cached for sysfs and refreshed by a work item that the
 * Z-plane interrupt queues (and a card reset, which masks interrupts for a
 * while); each change is told to userspace by a change uevent on the
 * accel node. The interrupt also fires when a connection fails, which
 * changes no link state and sends nothing.
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
#include "dojo_zplane.h"

/* The port's mailbox answers within this, on silicon. */
#define DOJO_ZP_MBOX_TIMEOUT_MS		100

/* More rows than any card has: a bound on a walk of a confused card. */
#define DOJO_ZP_MAX_ROWS		4096

bool dojo_zplane_present(struct dojo_device *ddev)
{
	return ddev->id.num_ttpoe_ports > 0;
}

static u32 dojo_zplane_link_of(u32 status)
{
	if (status & DOJO_ZP_LINK_UP)
		return DRM_DOJO_ZPLANE_LINK_UP;
	if (status & DOJO_ZP_CABLED)
		return DRM_DOJO_ZPLANE_LINK_DOWN;
	return DRM_DOJO_ZPLANE_UNCABLED;
}

const char *dojo_zplane_link_name(u32 link)
{
	switch (link) {
	case DRM_DOJO_ZPLANE_LINK_UP:
		return "up";
	case DRM_DOJO_ZPLANE_LINK_DOWN:
		return "down";
	default:
		return "uncabled";
	}
}

/* The link as the driver last read it: DRM_DOJO_ZPLANE_*. */
u32 dojo_zplane_link(struct dojo_device *ddev)
{
	return READ_ONCE(ddev->zp_link);
}

/* Inside drm_dev_enter(), which keeps the accel node registered. */
static void dojo_zplane_uevent(struct dojo_device *ddev, u32 link, u32 node)
{
	char state[32], node_id[32];
	char *envp[3] = { state, node_id, NULL };

	if (!ddev->drm.registered || !ddev->drm.accel)
		return;
	snprintf(state, sizeof(state), "DOJO_ZPLANE=%s",
		 dojo_zplane_link_name(link));
	snprintf(node_id, sizeof(node_id), "DOJO_ZPLANE_NODE=%u", node);
	kobject_uevent_env(&ddev->drm.accel->kdev->kobj, KOBJ_CHANGE, envp);
}

/*
 * The Z-plane interrupt fired (or a reset may have hidden one): re-read
 * the link. A change of LINK_CHANGES with the same state is a flap the
 * work came too late to see; it is told too, as the state it ended in.
 */
static void dojo_zplane_link_work(struct work_struct *work)
{
	struct dojo_device *ddev = container_of(work, struct dojo_device,
						zp_link_work);
	u32 status, changes, node, link;
	int idx;

	if (!drm_dev_enter(&ddev->drm, &idx))
		return;
	status = dojo_rd32(ddev, DOJO_REG_ZP_STATUS);
	changes = dojo_rd32(ddev, DOJO_REG_ZP_LINK_CHANGES);
	node = dojo_rd32(ddev, DOJO_REG_ZP_NODE_ID) & DOJO_ZP_CONN_NODE;
	if (status == U32_MAX)
		goto out;
	link = dojo_zplane_link_of(status);
	if (link == ddev->zp_link && changes == ddev->zp_link_changes)
		goto out;
	WRITE_ONCE(ddev->zp_link, link);
	ddev->zp_link_changes = changes;
	drm_info(&ddev->drm, "Z-plane link %s (node %u)\n",
		 dojo_zplane_link_name(link), node);
	dojo_zplane_uevent(ddev, link, node);
out:
	drm_dev_exit(idx);
}

/* From the device-event interrupt, or after a card reset. */
void dojo_zplane_link_changed(struct dojo_device *ddev)
{
	if (dojo_zplane_present(ddev) && READ_ONCE(ddev->zp_ready))
		queue_work(system_wq, &ddev->zp_link_work);
}

/* ---- the grant mailbox --------------------------------------------------- */

static int dojo_zplane_errno(u32 result)
{
	switch (result) {
	case DOJO_ZP_MBOX_OK:
		return 0;
	case DOJO_ZP_MBOX_NO_SPACE:
		return -ENOSPC;
	case DOJO_ZP_MBOX_NO_GRANT:
		return -ENOENT;
	case DOJO_ZP_MBOX_NO_BUFFER:
		return -ENOLINK;
	default:
		return -EINVAL;
	}
}

/* Wait until the mailbox is idle; -ENODEV if the card reads all-ones. */
static int dojo_zplane_mbox_idle(struct dojo_device *ddev, u32 *status)
{
	unsigned int timeout_us;
	int ret;

	timeout_us = dojo_timeout_ms(ddev, DOJO_ZP_MBOX_TIMEOUT_MS) * 1000;
	ret = read_poll_timeout(dojo_rd32, *status,
				*status == U32_MAX ||
				!(*status & DOJO_ZP_MBOX_BUSY), 10, timeout_us,
				false, ddev, DOJO_REG_ZP_MBOX_STATUS);
	if (*status == U32_MAX)
		return -ENODEV;
	return ret;
}

static void dojo_zplane_wr64(struct dojo_device *ddev, u32 lo, u64 val)
{
	dojo_wr32(ddev, lo, lower_32_bits(val));
	dojo_wr32(ddev, lo + 4, upper_32_bits(val));
}

/*
 * One mailbox command. Callers are inside drm_dev_enter() and hold
 * zp_lock. The mailbox ignores a command while busy, so it must be idle
 * before the arguments are written, not only after the last command.
 */
static int dojo_zplane_mbox_locked(struct dojo_device *ddev, u32 cmd,
				   u64 arg0, u64 arg1, u64 arg2, u64 *res0,
				   u64 *res1)
{
	u32 status;
	int ret;

	lockdep_assert_held(&ddev->zp_lock);
	ret = dojo_zplane_mbox_idle(ddev, &status);
	if (!ret) {
		dojo_zplane_wr64(ddev, DOJO_REG_ZP_MBOX_ARG0_LO, arg0);
		dojo_zplane_wr64(ddev, DOJO_REG_ZP_MBOX_ARG1_LO, arg1);
		dojo_zplane_wr64(ddev, DOJO_REG_ZP_MBOX_ARG2_LO, arg2);
		dojo_wr32(ddev, DOJO_REG_ZP_MBOX_CMD, cmd);
		ret = dojo_zplane_mbox_idle(ddev, &status);
	}
	if (ret == -ETIMEDOUT)
		drm_warn(&ddev->drm, "Z-plane mailbox did not answer command %u\n",
			 cmd);
	if (!ret)
		ret = dojo_zplane_errno(FIELD_GET(DOJO_ZP_MBOX_RESULT, status));
	if (!ret && res0)
		*res0 = dojo_rd64(ddev, DOJO_REG_ZP_MBOX_RES0_LO,
				  DOJO_REG_ZP_MBOX_RES0_LO + 4);
	if (!ret && res1)
		*res1 = dojo_rd64(ddev, DOJO_REG_ZP_MBOX_RES1_LO,
				  DOJO_REG_ZP_MBOX_RES1_LO + 4);
	return ret;
}

static int dojo_zplane_mbox(struct dojo_device *ddev, u32 cmd, u64 arg0,
			    u64 arg1, u64 arg2, u64 *res0, u64 *res1)
{
	int ret;

	mutex_lock(&ddev->zp_lock);
	ret = dojo_zplane_mbox_locked(ddev, cmd, arg0, arg1, arg2, res0, res1);
	mutex_unlock(&ddev->zp_lock);
	return ret;
}

/*
 * Export a grant: @cmd is DOJO_ZP_MBOX_GRANT_HBM or _GRANT_TILE with its
 * arguments. Inside drm_dev_enter(). A grant id of 0 is none: the card
 * did not do what it said.
 */
int dojo_zplane_grant(struct dojo_device *ddev, u32 cmd, u64 arg0, u64 arg1,
		      u64 arg2, u32 *grant_id, u64 *key, u32 *node_id)
{
	u64 id;
	int ret;

	mutex_lock(&ddev->zp_lock);
	ret = dojo_zplane_mbox_locked(ddev, cmd, arg0, arg1, arg2, &id, key);
	if (!ret && (!id || id > U32_MAX)) {
		drm_err(&ddev->drm, "Z-plane mailbox returned grant id %llu\n",
			id);
		ret = -EIO;
	}
	if (!ret) {
		*grant_id = id;
		*node_id = dojo_rd32(ddev, DOJO_REG_ZP_NODE_ID) &
			   DOJO_ZP_CONN_NODE;
	}
	mutex_unlock(&ddev->zp_lock);
	return ret;
}

/*
 * Revoke a grant; once the card answers, no engine touches its memory.
 * Inside drm_dev_enter(). A grant the card no longer has is revoked.
 */
int dojo_zplane_revoke(struct dojo_device *ddev, u32 grant_id)
{
	int ret;

	ret = dojo_zplane_mbox(ddev, DOJO_ZP_MBOX_REVOKE, grant_id, 0, 0,
			       NULL, NULL);
	if (ret == -ENOENT)
		return 0;
	if (ret && ret != -ENODEV)
		drm_err(&ddev->drm, "cannot revoke Z-plane grant %u: %d\n",
			grant_id, ret);
	return ret;
}

/* ---- state for sysfs and queries ----------------------------------------- */

/* Each reads the card: -ENODEV once it is gone. */
int dojo_zplane_node_id(struct dojo_device *ddev, u32 *node_id)
{
	int idx;
	u32 v;

	if (!drm_dev_enter(&ddev->drm, &idx))
		return -ENODEV;
	v = dojo_rd32(ddev, DOJO_REG_ZP_NODE_ID);
	drm_dev_exit(idx);
	if (v == U32_MAX)
		return -ENODEV;
	*node_id = v & DOJO_ZP_CONN_NODE;
	return 0;
}

static void dojo_zplane_read_mac(struct dojo_device *ddev, u8 mac[6])
{
	u32 lo = dojo_rd32(ddev, DOJO_REG_ZP_MAC_LO);
	u32 hi = dojo_rd32(ddev, DOJO_REG_ZP_MAC_HI);

	mac[0] = lo;
	mac[1] = lo >> 8;
	mac[2] = lo >> 16;
	mac[3] = lo >> 24;
	mac[4] = hi;
	mac[5] = hi >> 8;
}

int dojo_zplane_mac(struct dojo_device *ddev, u8 mac[6])
{
	int idx;

	if (!drm_dev_enter(&ddev->drm, &idx))
		return -ENODEV;
	dojo_zplane_read_mac(ddev, mac);
	drm_dev_exit(idx);
	return 0;
}

int dojo_zplane_link_changes(struct dojo_device *ddev, u64 *changes)
{
	int idx;

	if (!drm_dev_enter(&ddev->drm, &idx))
		return -ENODEV;
	*changes = dojo_rd32(ddev, DOJO_REG_ZP_LINK_CHANGES);
	drm_dev_exit(idx);
	return 0;
}

static u64 dojo_zplane_read_counter(struct dojo_device *ddev, unsigned int i)
{
	u32 lo = DOJO_REG_ZP_TX_BYTES_LO + 8 * i;

	return dojo_rd64_counter(ddev, lo, lo + 4);
}

int dojo_zplane_counter(struct dojo_device *ddev, unsigned int i, u64 *val)
{
	int idx;

	if (i >= DOJO_ZP_COUNTERS)
		return -EINVAL;
	if (!drm_dev_enter(&ddev->drm, &idx))
		return -ENODEV;
	*val = dojo_zplane_read_counter(ddev, i);
	drm_dev_exit(idx);
	return 0;
}

/*
 * A new node id: the card takes it only while the port is disabled, so
 * the link goes down for the change and comes back with the new id.
 * Connections stay in the table (peers knew the old id, and their
 * transfers time out); grants keep working, but peers must be told the
 * new id.
 */
int dojo_zplane_set_node_id(struct dojo_device *ddev, u32 node_id)
{
	u32 ctrl, now;
	int ret = 0, idx;

	if (!dojo_zplane_present(ddev))
		return -EOPNOTSUPP;
	if (node_id > DOJO_ZP_CONN_NODE)
		return -EINVAL;
	if (!drm_dev_enter(&ddev->drm, &idx))
		return -ENODEV;
	mutex_lock(&ddev->zp_lock);
	ctrl = dojo_rd32(ddev, DOJO_REG_ZP_CTRL);
	if (ctrl == U32_MAX) {
		ret = -ENODEV;
		goto out;
	}
	dojo_wr32(ddev, DOJO_REG_ZP_CTRL, ctrl & ~DOJO_ZP_CTRL_ENABLE);
	dojo_wr32(ddev, DOJO_REG_ZP_NODE_ID, node_id);
	now = dojo_rd32(ddev, DOJO_REG_ZP_NODE_ID);
	dojo_wr32(ddev, DOJO_REG_ZP_CTRL, DOJO_ZP_CTRL_ENABLE);
	if ((now & DOJO_ZP_CONN_NODE) != node_id)
		ret = now == U32_MAX ? -ENODEV : -EIO;
out:
	mutex_unlock(&ddev->zp_lock);
	drm_dev_exit(idx);
	if (!ret)
		drm_info(&ddev->drm, "Z-plane node id set to %u\n", node_id);
	/* The port went down and up: the link work tells userspace. */
	dojo_zplane_link_changed(ddev);
	return ret;
}

/* DRM_DOJO_QUERY_ZPLANE, read live. Inside drm_dev_enter(). */
int dojo_zplane_info(struct dojo_device *ddev, struct drm_dojo_zplane_info *info)
{
	struct drm_dojo_zplane_conns *conns;
	u64 *counter = &info->tx_bytes;
	unsigned int i;
	u32 status;
	int ret;

	memset(info, 0, sizeof(*info));
	if (!dojo_zplane_present(ddev))
		return -EOPNOTSUPP;
	status = dojo_rd32(ddev, DOJO_REG_ZP_STATUS);
	if (status == U32_MAX)
		return -ENODEV;
	info->link_state = dojo_zplane_link_of(status);
	info->node_id = dojo_rd32(ddev, DOJO_REG_ZP_NODE_ID) & DOJO_ZP_CONN_NODE;
	dojo_zplane_read_mac(ddev, info->mac);
	info->speed_mbps = FIELD_GET(DOJO_ZP_SPEED, status) * 1000;
	info->grants = atomic_read(&ddev->zp_grants);
	info->link_changes = dojo_rd32(ddev, DOJO_REG_ZP_LINK_CHANGES);
	/* The counters' fields follow the registers' order. */
	BUILD_BUG_ON(offsetof(struct drm_dojo_zplane_info, errors) -
		     offsetof(struct drm_dojo_zplane_info, tx_bytes) !=
		     (DOJO_ZP_COUNTERS - 1) * sizeof(u64));
	for (i = 0; i < DOJO_ZP_COUNTERS; i++)
		counter[i] = dojo_zplane_read_counter(ddev, i);

	conns = kzalloc(sizeof(*conns), GFP_KERNEL);
	if (!conns)
		return -ENOMEM;
	ret = dojo_zplane_conns(ddev, conns);
	info->num_conns = conns->count;
	kfree(conns);
	return ret;
}

/*
 * DRM_DOJO_QUERY_ZPLANE_CONNS: the valid rows of the connection table,
 * read live through its row selector. Inside drm_dev_enter().
 */
int dojo_zplane_conns(struct dojo_device *ddev,
		      struct drm_dojo_zplane_conns *conns)
{
	u32 rows, row, peer;
	int ret = 0;

	memset(conns, 0, sizeof(*conns));
	if (!dojo_zplane_present(ddev))
		return -EOPNOTSUPP;
	mutex_lock(&ddev->zp_lock);
	rows = dojo_rd32(ddev, DOJO_REG_ZP_CONN_ROWS);
	if (rows == U32_MAX) {
		ret = -ENODEV;
		goto out;
	}
	rows = min(rows, DOJO_ZP_MAX_ROWS);
	for (row = 0; row < rows; row++) {
		struct drm_dojo_zplane_conn *c = &conns->conns[conns->count];

		if (conns->count >= DRM_DOJO_ZPLANE_MAX_CONNS)
			break;
		dojo_wr32(ddev, DOJO_REG_ZP_CONN_SEL, row);
		peer = dojo_rd32(ddev, DOJO_REG_ZP_CONN_PEER);
		if (peer == U32_MAX) {
			ret = -ENODEV;
			goto out;
		}
		if (!(peer & DOJO_ZP_CONN_VALID))
			continue;
		c->peer_node_id = FIELD_GET(DOJO_ZP_CONN_NODE, peer);
		c->vc = FIELD_GET(DOJO_ZP_CONN_VC, peer);
		c->state = dojo_rd32(ddev, DOJO_REG_ZP_CONN_STATE);
		c->tx_seq = dojo_rd32(ddev, DOJO_REG_ZP_CONN_TX_SEQ);
		c->rx_seq = dojo_rd32(ddev, DOJO_REG_ZP_CONN_RX_SEQ);
		conns->count++;
	}
out:
	mutex_unlock(&ddev->zp_lock);
	return ret;
}

/* ---- probe and removal --------------------------------------------------- */

/*
 * At probe: a driver starts with no grants, so whatever the port still
 * exports (a previous driver's) is revoked; then the port is enabled and
 * its link read.
 */
int dojo_zplane_init(struct dojo_device *ddev)
{
	u32 status;
	int ret;

	INIT_WORK(&ddev->zp_link_work, dojo_zplane_link_work);
	INIT_LIST_HEAD(&ddev->zp_stuck);
	atomic_set(&ddev->zp_grants, 0);
	ddev->zp_link = DRM_DOJO_ZPLANE_UNCABLED;
	ret = drmm_mutex_init(&ddev->drm, &ddev->zp_lock);
	if (ret || !dojo_zplane_present(ddev))
		return ret;

	ret = dojo_zplane_mbox(ddev, DOJO_ZP_MBOX_REVOKE_ALL, 0, 0, 0, NULL,
			       NULL);
	if (ret)
		return ret;
	dojo_wr32(ddev, DOJO_REG_ZP_CTRL, DOJO_ZP_CTRL_ENABLE);
	status = dojo_rd32(ddev, DOJO_REG_ZP_STATUS);
	ddev->zp_link = dojo_zplane_link_of(status);
	ddev->zp_link_changes = dojo_rd32(ddev, DOJO_REG_ZP_LINK_CHANGES);
	WRITE_ONCE(ddev->zp_ready, true);
	return 0;
}

/*
 * At removal, after drm_dev_unplug() (or when probe fails): files may
 * still hold grants, but can do nothing with them; the port stops
 * exporting any, so that peers no longer reach memory the driver is
 * about to give up.
 */
void dojo_zplane_fini(struct dojo_device *ddev)
{
	if (!dojo_zplane_present(ddev))
		return;
	WRITE_ONCE(ddev->zp_ready, false);
	synchronize_irq(ddev->irqs[0]);
	cancel_work_sync(&ddev->zp_link_work);
	dojo_zplane_mbox(ddev, DOJO_ZP_MBOX_REVOKE_ALL, 0, 0, 0, NULL, NULL);
}
