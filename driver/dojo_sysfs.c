// SPDX-License-Identifier: GPL-2.0-only
/*
 * Identity and health in sysfs, world-readable, so that inventory and
 * monitoring tools need no root: /sys/class/accel/accelN/device/dojo/.
 * Identity is read from the card once at probe; the counters are the
 * driver's own. Only health and the ECC counts read registers (the card's
 * alarm and ECC counters) and the Z-plane's node id, MAC and counters.
 * Two attributes are writable, by root alone: reset, the operator's
 * device reset, and zplane_node_id. docs/sysfs-abi.md documents them.
 */
#include <linux/capability.h>
#include <linux/device.h>
#include <linux/string.h>
#include <linux/sysfs.h>

#include "dojo_accel.h"
#include "dojo_drv.h"
#include "dojo_gem.h"
#include "dojo_queue.h"
#include "dojo_reset.h"
#include "dojo_telemetry.h"
#include "dojo_ttp.h"
#include "dojo_zplane.h"

/* An operator's reason for a reset: printable ASCII, at most this long. */
#define DOJO_ADMIN_REASON_MAX	64

static struct dojo_device *dev_to_dojo(struct device *dev)
{
	return dev_get_drvdata(dev);
}

#define DOJO_ID_ATTR(_name, _fmt, _expr)				\
static ssize_t _name##_show(struct device *dev,				\
			    struct device_attribute *attr, char *buf)	\
{									\
	struct dojo_device *ddev = dev_to_dojo(dev);			\
									\
	return sysfs_emit(buf, _fmt "\n", _expr);			\
}									\
static DEVICE_ATTR_RO(_name)

DOJO_ID_ATTR(serial_number, "%s", ddev->id.serial);
DOJO_ID_ATTR(bus_addr, "%s", ddev->bus_addr);
DOJO_ID_ATTR(bus_type, "%s",
	     ddev->bus_type == DRM_DOJO_BUS_PCI ? "pci" : "emulated");
DOJO_ID_ATTR(platform, "%s",
	     ddev->id.platform == DOJO_PLATFORM_EMULATED ? "emulated" : "silicon");
DOJO_ID_ATTR(vendor_id, "0x%04x", ddev->id.vendor_id);
DOJO_ID_ATTR(device_id, "0x%04x", ddev->id.device_id);
DOJO_ID_ATTR(revision, "%u", ddev->id.revision);
DOJO_ID_ATTR(hbm_size_bytes, "%llu", ddev->id.hbm_size);
DOJO_ID_ATTR(num_dma_queues, "%u", ddev->id.num_dma_queues);
DOJO_ID_ATTR(num_ttp_ports, "%u", ddev->id.num_ttp_ports);
DOJO_ID_ATTR(num_ttpoe_ports, "%u", ddev->id.num_ttpoe_ports);
DOJO_ID_ATTR(pcie_max_gen, "%u", ddev->id.pcie_max_gen);
DOJO_ID_ATTR(pcie_max_width, "%u", ddev->id.pcie_max_width);

static ssize_t fw_version_show(struct device *dev,
			       struct device_attribute *attr, char *buf)
{
	u32 v = dev_to_dojo(dev)->id.fw_version;

	return sysfs_emit(buf, "%u.%u.%u\n", v >> 16, (v >> 8) & 0xff, v & 0xff);
}
static DEVICE_ATTR_RO(fw_version);

static ssize_t regs_version_show(struct device *dev,
				 struct device_attribute *attr, char *buf)
{
	u32 v = dev_to_dojo(dev)->id.regs_version;

	return sysfs_emit(buf, "%u.%u\n", v >> 16, v & 0xffff);
}
static DEVICE_ATTR_RO(regs_version);

/*
 * Bytes of HBM held by buffers, all clients together (QUERY_MEMORY's
 * hbm_used). Anyone may poll it: no walk of the allocator's holes.
 */
static ssize_t hbm_used_bytes_show(struct device *dev,
				   struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%llu\n", dojo_hbm_used(dev_to_dojo(dev)));
}
static DEVICE_ATTR_RO(hbm_used_bytes);

/*
 * Device resets since probe, whatever asked for them: reset_count, and
 * device_resets, its first name, kept for the tools that read it.
 */
static ssize_t device_resets_show(struct device *dev,
				  struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%d\n",
			  atomic_read(&dev_to_dojo(dev)->device_resets));
}
static DEVICE_ATTR_RO(device_resets);

static ssize_t reset_count_show(struct device *dev,
				struct device_attribute *attr, char *buf)
{
	return device_resets_show(dev, attr, buf);
}
static DEVICE_ATTR_RO(reset_count);

/* Why the last device reset ran, "none" before the first. */
static ssize_t last_reset_reason_show(struct device *dev,
				      struct device_attribute *attr, char *buf)
{
	struct dojo_device *ddev = dev_to_dojo(dev);
	char reason[DOJO_REASON_LEN];

	spin_lock_irq(&ddev->events_lock);
	strscpy(reason, ddev->last_reset_reason, sizeof(reason));
	spin_unlock_irq(&ddev->events_lock);
	return sysfs_emit(buf, "%s\n", reason[0] ? reason : "none");
}
static DEVICE_ATTR_RO(last_reset_reason);

/*
 * reset (0200, and CAP_SYS_ADMIN): write a reason, reset the card as
 * recovery does, return once it is back (or the errno of its failure).
 * The reason is printable ASCII, 1 to DOJO_ADMIN_REASON_MAX characters,
 * one trailing newline allowed; userspace sees "admin: <reason>".
 */
static ssize_t reset_store(struct device *dev, struct device_attribute *attr,
			   const char *buf, size_t count)
{
	struct dojo_device *ddev = dev_to_dojo(dev);
	char reason[DOJO_REASON_LEN];
	size_t len = count, i;
	int ret;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	if (len && buf[len - 1] == '\n')
		len--;
	if (!len || len > DOJO_ADMIN_REASON_MAX)
		return -EINVAL;
	for (i = 0; i < len; i++)
		if (buf[i] < 0x20 || buf[i] > 0x7e)
			return -EINVAL;
	if (buf[0] == ' ' || buf[len - 1] == ' ')
		return -EINVAL;

	snprintf(reason, sizeof(reason), "admin: %.*s", (int)len, buf);
	drm_info(&ddev->drm, "reset requested by %s[%d]: %s\n",
		 current->comm, task_pid_nr(current), reason);
	ret = dojo_reset_request(ddev, reason);
	return ret ? ret : count;
}
static DEVICE_ATTR_WO(reset);

/*
 * ok, warning or critical; see dojo_health(). A change is also told by a
 * change uevent of the accel node with DOJO_HEALTH=<health>.
 */
static ssize_t health_show(struct device *dev, struct device_attribute *attr,
			   char *buf)
{
	return sysfs_emit(buf, "%s\n",
			  dojo_health_name(dojo_health(dev_to_dojo(dev))));
}
static DEVICE_ATTR_RO(health);

/* HBM ECC errors since probe, from the card's counters. */
static ssize_t ecc_corrected_show(struct device *dev,
				  struct device_attribute *attr, char *buf)
{
	u64 ce, ue;

	dojo_telemetry_ecc(dev_to_dojo(dev), &ce, &ue);
	return sysfs_emit(buf, "%llu\n", ce);
}
static DEVICE_ATTR_RO(ecc_corrected);

static ssize_t ecc_uncorrected_show(struct device *dev,
				    struct device_attribute *attr, char *buf)
{
	u64 ce, ue;

	dojo_telemetry_ecc(dev_to_dojo(dev), &ce, &ue);
	return sysfs_emit(buf, "%llu\n", ue);
}
static DEVICE_ATTR_RO(ecc_uncorrected);

/* What the driver may still do with the card: docs/uapi.md. */
static ssize_t state_show(struct device *dev, struct device_attribute *attr,
			  char *buf)
{
	static const char * const names[] = {
		[DOJO_STATE_ONLINE] = "online",
		[DOJO_STATE_WEDGED] = "wedged",
		[DOJO_STATE_LOST] = "lost",
	};

	return sysfs_emit(buf, "%s\n", names[dojo_state(dev_to_dojo(dev))]);
}
static DEVICE_ATTR_RO(state);

/* Job timeouts that reset a queue since probe, all queues together. */
static ssize_t job_timeouts_show(struct device *dev,
				 struct device_attribute *attr, char *buf)
{
	struct dojo_device *ddev = dev_to_dojo(dev);
	unsigned int i, n = 0;

	for (i = 0; i < ddev->nr_queues; i++)
		n += atomic_read(&ddev->queues[i].timeouts);
	return sysfs_emit(buf, "%u\n", n);
}
static DEVICE_ATTR_RO(job_timeouts);

/*
 * The TTP link as the driver last read it (at probe and on each link
 * interrupt, which also sends a change uevent). While the link is down,
 * tile_id, tile_edge and tile_slot read -1 and tile_sram_size_bytes 0.
 */
static ssize_t ttp_link_state_show(struct device *dev,
				   struct device_attribute *attr, char *buf)
{
	u32 tile, edge, slot;
	bool up;
	u64 sram;

	dojo_ttp_state(dev_to_dojo(dev), &up, &tile, &edge, &slot, &sram);
	return sysfs_emit(buf, "%s\n", up ? "up" : "down");
}
static DEVICE_ATTR_RO(ttp_link_state);

#define DOJO_TTP_ATTR(_name, _expr)					\
static ssize_t _name##_show(struct device *dev,				\
			    struct device_attribute *attr, char *buf)	\
{									\
	u32 tile, edge, slot;						\
	bool up;							\
	u64 sram;							\
									\
	dojo_ttp_state(dev_to_dojo(dev), &up, &tile, &edge, &slot, &sram); \
	if (!up)							\
		return sysfs_emit(buf, "-1\n");			\
	return sysfs_emit(buf, "%llu\n", (u64)(_expr));		\
}									\
static DEVICE_ATTR_RO(_name)

DOJO_TTP_ATTR(tile_id, tile);
DOJO_TTP_ATTR(tile_edge, edge);
DOJO_TTP_ATTR(tile_slot, slot);

static ssize_t tile_sram_size_bytes_show(struct device *dev,
					 struct device_attribute *attr,
					 char *buf)
{
	u32 tile, edge, slot;
	bool up;
	u64 sram;

	dojo_ttp_state(dev_to_dojo(dev), &up, &tile, &edge, &slot, &sram);
	return sysfs_emit(buf, "%llu\n", up ? sram : 0);
}
static DEVICE_ATTR_RO(tile_sram_size_bytes);

/*
 * The Z-plane link as the driver last read it (at probe and on each
 * Z-plane interrupt, which also sends a change uevent): up, down or
 * uncabled.
 */
static ssize_t zplane_link_state_show(struct device *dev,
				      struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%s\n",
			  dojo_zplane_link_name(dojo_zplane_link(dev_to_dojo(dev))));
}
static DEVICE_ATTR_RO(zplane_link_state);

static ssize_t zplane_node_id_show(struct device *dev,
				   struct device_attribute *attr, char *buf)
{
	u32 node;
	int ret;

	ret = dojo_zplane_node_id(dev_to_dojo(dev), &node);
	return ret ? ret : sysfs_emit(buf, "%u\n", node);
}

/*
 * zplane_node_id (0644, writes need CAP_SYS_ADMIN): a new 24-bit node id,
 * decimal or 0x-prefixed hex. The port goes down while it changes.
 */
static ssize_t zplane_node_id_store(struct device *dev,
				    struct device_attribute *attr,
				    const char *buf, size_t count)
{
	u32 node;
	int ret;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	ret = kstrtou32(buf, 0, &node);
	if (ret)
		return ret;
	ret = dojo_zplane_set_node_id(dev_to_dojo(dev), node);
	return ret ? ret : count;
}
static DEVICE_ATTR_RW(zplane_node_id);

static ssize_t zplane_mac_show(struct device *dev,
			       struct device_attribute *attr, char *buf)
{
	u8 mac[6];
	int ret;

	ret = dojo_zplane_mac(dev_to_dojo(dev), mac);
	return ret ? ret : sysfs_emit(buf, "%pM\n", mac);
}
static DEVICE_ATTR_RO(zplane_mac);

static ssize_t zplane_link_changes_show(struct device *dev,
					struct device_attribute *attr,
					char *buf)
{
	u64 n;
	int ret;

	ret = dojo_zplane_link_changes(dev_to_dojo(dev), &n);
	return ret ? ret : sysfs_emit(buf, "%llu\n", n);
}
static DEVICE_ATTR_RO(zplane_link_changes);

/* The port's counters since power-on, read live. */
#define DOJO_ZP_COUNTER_ATTR(_name, _index)				\
static ssize_t _name##_show(struct device *dev,				\
			    struct device_attribute *attr, char *buf)	\
{									\
	u64 val;							\
	int ret;							\
									\
	ret = dojo_zplane_counter(dev_to_dojo(dev), _index, &val);	\
	return ret ? ret : sysfs_emit(buf, "%llu\n", val);		\
}									\
static DEVICE_ATTR_RO(_name)

DOJO_ZP_COUNTER_ATTR(zplane_tx_bytes, DOJO_ZP_TX_BYTES);
DOJO_ZP_COUNTER_ATTR(zplane_rx_bytes, DOJO_ZP_RX_BYTES);
DOJO_ZP_COUNTER_ATTR(zplane_tx_frames, DOJO_ZP_TX_FRAMES);
DOJO_ZP_COUNTER_ATTR(zplane_rx_frames, DOJO_ZP_RX_FRAMES);
DOJO_ZP_COUNTER_ATTR(zplane_replays, DOJO_ZP_REPLAYS);
DOJO_ZP_COUNTER_ATTR(zplane_nacks, DOJO_ZP_NACKS);
DOJO_ZP_COUNTER_ATTR(zplane_drops, DOJO_ZP_DROPS);
DOJO_ZP_COUNTER_ATTR(zplane_errors, DOJO_ZP_ERRORS);

/* Every Z-plane attribute's name starts so. */
static bool dojo_attr_is_zplane(struct attribute *a)
{
	return str_has_prefix(a->name, "zplane_");
}

static struct attribute *dojo_attrs[] = {
	&dev_attr_serial_number.attr,
	&dev_attr_bus_addr.attr,
	&dev_attr_bus_type.attr,
	&dev_attr_platform.attr,
	&dev_attr_vendor_id.attr,
	&dev_attr_device_id.attr,
	&dev_attr_revision.attr,
	&dev_attr_hbm_size_bytes.attr,
	&dev_attr_num_dma_queues.attr,
	&dev_attr_num_ttp_ports.attr,
	&dev_attr_num_ttpoe_ports.attr,
	&dev_attr_pcie_max_gen.attr,
	&dev_attr_pcie_max_width.attr,
	&dev_attr_fw_version.attr,
	&dev_attr_regs_version.attr,
	&dev_attr_hbm_used_bytes.attr,
	&dev_attr_device_resets.attr,
	&dev_attr_state.attr,
	&dev_attr_job_timeouts.attr,
	&dev_attr_reset_count.attr,
	&dev_attr_last_reset_reason.attr,
	&dev_attr_reset.attr,
	&dev_attr_health.attr,
	&dev_attr_ecc_corrected.attr,
	&dev_attr_ecc_uncorrected.attr,
	&dev_attr_ttp_link_state.attr,
	&dev_attr_tile_id.attr,
	&dev_attr_tile_edge.attr,
	&dev_attr_tile_slot.attr,
	&dev_attr_tile_sram_size_bytes.attr,
	&dev_attr_zplane_link_state.attr,
	&dev_attr_zplane_node_id.attr,
	&dev_attr_zplane_mac.attr,
	&dev_attr_zplane_link_changes.attr,
	&dev_attr_zplane_tx_bytes.attr,
	&dev_attr_zplane_rx_bytes.attr,
	&dev_attr_zplane_tx_frames.attr,
	&dev_attr_zplane_rx_frames.attr,
	&dev_attr_zplane_replays.attr,
	&dev_attr_zplane_nacks.attr,
	&dev_attr_zplane_drops.attr,
	&dev_attr_zplane_errors.attr,
	NULL
};

/*
 * Only what the card lacks is hidden: the ECC counts of a card without
 * them, the tile attributes of a card without a TTP port, the Z-plane's
 * of a card without a TTPoE port.
 */
static umode_t dojo_attr_is_visible(struct kobject *kobj, struct attribute *a,
				    int n)
{
	struct dojo_device *ddev = dev_to_dojo(kobj_to_dev(kobj));

	if ((a == &dev_attr_ecc_corrected.attr ||
	     a == &dev_attr_ecc_uncorrected.attr) &&
	    !(ddev->sensors_present & DOJO_PRESENT_ECC))
		return 0;
	if ((a == &dev_attr_ttp_link_state.attr ||
	     a == &dev_attr_tile_id.attr ||
	     a == &dev_attr_tile_edge.attr ||
	     a == &dev_attr_tile_slot.attr ||
	     a == &dev_attr_tile_sram_size_bytes.attr) &&
	    !dojo_ttp_present(ddev))
		return 0;
	if (dojo_attr_is_zplane(a) && !dojo_zplane_present(ddev))
		return 0;
	return a->mode;
}

static const struct attribute_group dojo_group = {
	.name = "dojo",
	.attrs = dojo_attrs,
	.is_visible = dojo_attr_is_visible,
};

int dojo_sysfs_init(struct dojo_device *ddev)
{
	return devm_device_add_group(ddev->drm.dev, &dojo_group);
}
