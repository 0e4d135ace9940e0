// SPDX-License-Identifier: GPL-2.0-only
/*
 * DRM_IOCTL_DOJO_QUERY: extensible, read-only device queries.
 */
#include <linux/minmax.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include <drm/drm_drv.h>

#include "dojo_accel.h"
#include "dojo_drv.h"
#include "dojo_gem.h"
#include "dojo_query.h"
#include "dojo_ttp.h"
#include "dojo_zplane.h"

static void dojo_query_fill_device_info(struct dojo_device *ddev,
					struct drm_dojo_device_info *info)
{
	const struct dojo_identity *id = &ddev->id;

	memset(info, 0, sizeof(*info));
	info->vendor_id = id->vendor_id;
	info->device_id = id->device_id;
	info->revision = id->revision;
	info->platform = id->platform == DOJO_PLATFORM_EMULATED ?
			 DRM_DOJO_PLATFORM_EMULATED : DRM_DOJO_PLATFORM_SILICON;
	info->bus_type = ddev->bus_type;
	info->fw_version = id->fw_version;
	info->regs_version = id->regs_version;
	info->num_dma_queues = id->num_dma_queues;
	info->num_ttp_ports = id->num_ttp_ports;
	info->num_ttpoe_ports = id->num_ttpoe_ports;
	info->pcie_max_gen = id->pcie_max_gen;
	info->pcie_max_width = id->pcie_max_width;
	info->hbm_size = id->hbm_size;
	strscpy(info->serial, id->serial, sizeof(info->serial));
	strscpy(info->bus_addr, ddev->bus_addr, sizeof(info->bus_addr));
}

/*
 * Copy an answer of @len bytes to userspace. A buffer larger than the
 * answer is accepted and its tail zeroed, so that userspace built against
 * a newer header reads fields this kernel does not know as zero.
 */
static int dojo_query_copy_out(struct drm_dojo_query *args, const void *answer,
			       u32 len)
{
	void __user *ubuf = u64_to_user_ptr(args->data);

	if (!args->size) {
		args->size = len;
		return 0;
	}
	if (args->size < len)
		return -EINVAL;
	if (copy_to_user(ubuf, answer, len))
		return -EFAULT;
	if (args->size > len && clear_user(ubuf + len, args->size - len))
		return -EFAULT;
	args->size = len;
	return 0;
}

/*
 * The answer is built inside drm_dev_enter() and copied out after it:
 * DRM's unplug waits for every device's drm_dev_enter() section, so a
 * user page that never faults in must not be touched inside one.
 */
int dojo_query_ioctl(struct drm_device *drm, void *data, struct drm_file *file)
{
	struct dojo_device *ddev = to_dojo_device(drm);
	struct drm_dojo_query *args = data;
	union dojo_query_answer {
		struct drm_dojo_device_info info;
		struct drm_dojo_memory_info mem;
		struct drm_dojo_ttp_info ttp;
		struct drm_dojo_zplane_info zp;
		struct drm_dojo_zplane_conns conns;
	} *answer;
	u32 len;
	int ret = -EINVAL;
	int idx;

	if (args->flags || args->pad)
		return -EINVAL;

	/* The connection table is too large for the stack. */
	answer = kmalloc(sizeof(*answer), GFP_KERNEL);
	if (!answer)
		return -ENOMEM;
	if (!drm_dev_enter(drm, &idx)) {
		kfree(answer);
		return -ENODEV;
	}
	switch (args->query) {
	case DRM_DOJO_QUERY_DEVICE_INFO:
		dojo_query_fill_device_info(ddev, &answer->info);
		len = sizeof(answer->info);
		break;
	case DRM_DOJO_QUERY_MEMORY:
		dojo_hbm_usage(ddev, &answer->mem);
		len = sizeof(answer->mem);
		break;
	case DRM_DOJO_QUERY_TTP:
		ret = dojo_ttp_info(ddev, &answer->ttp);
		len = ret ? 0 : sizeof(answer->ttp);
		break;
	case DRM_DOJO_QUERY_ZPLANE:
		ret = dojo_zplane_info(ddev, &answer->zp);
		len = ret ? 0 : sizeof(answer->zp);
		break;
	case DRM_DOJO_QUERY_ZPLANE_CONNS:
		ret = dojo_zplane_conns(ddev, &answer->conns);
		len = ret ? 0 : sizeof(answer->conns);
		break;
	default:
		len = 0;
		break;
	}
	drm_dev_exit(idx);

	if (len)
		ret = dojo_query_copy_out(args, answer, len);
	kfree(answer);
	return ret;
}
