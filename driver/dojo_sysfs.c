// SPDX-License-Identifier: GPL-2.0-only
/*
 * Identity and health in sysfs, world-readable, so that inventory and
 * monitoring tools need no root: /sys/class/accel/accelN/device/dojo/.
 * Identity is read from the card once at probe; the counters are the
 * driver's own. Reading an attribute never touches the card.
 */
#include <linux/device.h>
#include <linux/sysfs.h>

#include "dojo_accel.h"
#include "dojo_drv.h"
#include "dojo_gem.h"
#include "dojo_queue.h"
#include "dojo_ttp.h"

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

/* Device resets since probe, whatever asked for them. */
static ssize_t device_resets_show(struct device *dev,
				  struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%d\n",
			  atomic_read(&dev_to_dojo(dev)->device_resets));
}
static DEVICE_ATTR_RO(device_resets);

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
	&dev_attr_ttp_link_state.attr,
	&dev_attr_tile_id.attr,
	&dev_attr_tile_edge.attr,
	&dev_attr_tile_slot.attr,
	&dev_attr_tile_sram_size_bytes.attr,
	NULL
};

/* A card without a TTP port shows no tile attributes, and hides nothing else. */
static umode_t dojo_attr_visible(struct kobject *kobj, struct attribute *attr,
				 int n)
{
	struct dojo_device *ddev = dev_to_dojo(kobj_to_dev(kobj));

	if (!dojo_ttp_present(ddev) &&
	    (attr == &dev_attr_ttp_link_state.attr ||
	     attr == &dev_attr_tile_id.attr ||
	     attr == &dev_attr_tile_edge.attr ||
	     attr == &dev_attr_tile_slot.attr ||
	     attr == &dev_attr_tile_sram_size_bytes.attr))
		return 0;
	return attr->mode;
}

static const struct attribute_group dojo_group = {
	.name = "dojo",
	.attrs = dojo_attrs,
	.is_visible = dojo_attr_visible,
};

int dojo_sysfs_init(struct dojo_device *ddev)
{
	return devm_device_add_group(ddev->drm.dev, &dojo_group);
}
