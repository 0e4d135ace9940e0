// SPDX-License-Identifier: GPL-2.0-only
/*
 * debugfs, under /sys/kernel/debug/accel/<parent device>/:
 *   status  - live control and status registers
 *   hbm     - HBM through the card's debug window; pread/pwrite at any
 *             4-byte aligned offset, as amdgpu's amdgpu_vram file does
 *   reset   - write 1 to reset the card now, as recovery would
 */
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/kstrtox.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include <drm/drm_debugfs.h>
#include <drm/drm_drv.h>
#include <drm/drm_file.h>

#include "dojo_hw.h"
#include "dojo_queue.h"
#include "dojo_reset.h"

/* Bounce buffer size for one window burst. */
#define DOJO_HBM_CHUNK	4096

static int dojo_status_show(struct seq_file *m, void *unused)
{
	struct drm_debugfs_entry *entry = m->private;
	struct dojo_device *ddev = to_dojo_device(entry->dev);
	unsigned int i;
	int idx;

	if (!drm_dev_enter(&ddev->drm, &idx))
		return -ENODEV;
	seq_printf(m, "status:      0x%08x\n", dojo_rd32(ddev, DOJO_REG_STATUS));
	seq_printf(m, "irq_status:  0x%08x\n", dojo_rd32(ddev, DOJO_REG_IRQ_STATUS));
	seq_printf(m, "irq_mask:    0x%08x\n", dojo_rd32(ddev, DOJO_REG_IRQ_MASK));
	seq_printf(m, "heartbeat:   %u\n", dojo_rd32(ddev, DOJO_REG_HEARTBEAT));
	seq_printf(m, "reset_count: %u\n", dojo_rd32(ddev, DOJO_REG_RESET_COUNT));
	seq_printf(m, "hbm_errors:  %d\n", atomic_read(&ddev->hbm_errors));
	seq_printf(m, "device_resets: %d\n", atomic_read(&ddev->device_resets));
	for (i = 0; i < ddev->nr_queues; i++)
		seq_printf(m, "queue%u: timeouts %d\n", i,
			   atomic_read(&ddev->queues[i].timeouts));
	drm_dev_exit(idx);
	return 0;
}

static const struct drm_debugfs_info dojo_debugfs_list[] = {
	{ "status", dojo_status_show, 0 },
};

/*
 * User memory is copied only outside drm_dev_enter(): DRM's unplug waits
 * for every device's drm_dev_enter() section, and a user page may never
 * finish faulting in. Each chunk goes through the bounce buffer.
 */
static ssize_t dojo_hbm_io(struct file *f, char __user *ubuf, size_t size,
			   loff_t *pos, bool write)
{
	struct dojo_device *ddev = file_inode(f)->i_private;
	ssize_t done = 0;
	u32 *bounce;
	int ret = 0, idx;

	if (*pos < 0 || !IS_ALIGNED(*pos, 4) || !IS_ALIGNED(size, 4))
		return -EINVAL;
	if (*pos >= ddev->id.hbm_size)
		return write ? -ENOSPC : 0;
	size = min_t(u64, size, ddev->id.hbm_size - *pos);

	bounce = kmalloc(DOJO_HBM_CHUNK, GFP_KERNEL);
	if (!bounce)
		return -ENOMEM;

	while (done < size) {
		size_t n = min_t(size_t, size - done, DOJO_HBM_CHUNK);

		if (write && copy_from_user(bounce, ubuf + done, n)) {
			ret = -EFAULT;
			break;
		}
		if (!drm_dev_enter(&ddev->drm, &idx)) {
			ret = -ENODEV;
			break;
		}
		ret = dojo_hw_hbm_rw(ddev, *pos, bounce, n / 4, write);
		drm_dev_exit(idx);
		if (ret)
			break;
		if (!write && copy_to_user(ubuf + done, bounce, n)) {
			ret = -EFAULT;
			break;
		}
		done += n;
		*pos += n;
		if (fatal_signal_pending(current))
			break;
		cond_resched();
	}

	kfree(bounce);
	return done ? done : ret;
}

static ssize_t dojo_hbm_read(struct file *f, char __user *buf, size_t size,
			     loff_t *pos)
{
	return dojo_hbm_io(f, buf, size, pos, false);
}

static ssize_t dojo_hbm_write(struct file *f, const char __user *buf,
			      size_t size, loff_t *pos)
{
	return dojo_hbm_io(f, (char __user *)buf, size, pos, true);
}

static const struct file_operations dojo_hbm_fops = {
	.owner = THIS_MODULE,
	.read = dojo_hbm_read,
	.write = dojo_hbm_write,
	.llseek = default_llseek,
};

static ssize_t dojo_reset_write(struct file *f, const char __user *ubuf,
				size_t size, loff_t *pos)
{
	struct dojo_device *ddev = file_inode(f)->i_private;
	bool reset;
	int ret;

	ret = kstrtobool_from_user(ubuf, size, &reset);
	if (ret)
		return ret;
	if (!reset)
		return size;
	/* Return once the reset, its uevents and its dump are done. */
	dojo_reset_request(ddev, "requested through debugfs");
	return size;
}

static const struct file_operations dojo_reset_fops = {
	.owner = THIS_MODULE,
	.write = dojo_reset_write,
};

void dojo_debugfs_init(struct dojo_device *ddev)
{
	drm_debugfs_add_files(&ddev->drm, dojo_debugfs_list,
			      ARRAY_SIZE(dojo_debugfs_list));
	debugfs_create_file_size("hbm", 0600, ddev->drm.debugfs_root, ddev,
				 &dojo_hbm_fops, ddev->id.hbm_size);
	debugfs_create_file("reset", 0200, ddev->drm.debugfs_root, ddev,
			    &dojo_reset_fops);
}
