// SPDX-License-Identifier: GPL-2.0-only
/*
 * dojo: DRM-accel driver for the Dojo Interface Processor (DIP).
 * The DRM device, its ioctl table and the probe sequence shared by the PCI
 * and emulated backends.
 */
#include <linux/devcoredump.h>
#include <linux/dma-mapping.h>
#include <linux/module.h>
#include <linux/wait_bit.h>

#include <drm/drm_accel.h>
#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_ioctl.h>
#include <drm/drm_managed.h>

#include "dojo_accel.h"

#include "dojo_drv.h"
#include "dojo_gem.h"
#include "dojo_grant.h"
#include "dojo_hw.h"
#include "dojo_job.h"
#include "dojo_query.h"
#include "dojo_queue.h"
#include "dojo_reset.h"
#include "dojo_ttp.h"
#include "dojo_zplane.h"

static const struct drm_ioctl_desc dojo_ioctls[] = {
	DRM_IOCTL_DEF_DRV(DOJO_QUERY, dojo_query_ioctl, 0),
	DRM_IOCTL_DEF_DRV(DOJO_BO_CREATE, dojo_bo_create_ioctl, 0),
	DRM_IOCTL_DEF_DRV(DOJO_BO_INFO, dojo_bo_info_ioctl, 0),
	DRM_IOCTL_DEF_DRV(DOJO_SUBMIT, dojo_submit_ioctl, 0),
	DRM_IOCTL_DEF_DRV(DOJO_JOB_WAIT, dojo_job_wait_ioctl, 0),
	DRM_IOCTL_DEF_DRV(DOJO_GRANT_CREATE, dojo_grant_create_ioctl, 0),
	DRM_IOCTL_DEF_DRV(DOJO_GRANT_REVOKE, dojo_grant_revoke_ioctl, 0),
	DRM_IOCTL_DEF_DRV(DOJO_REMOTE_IMPORT, dojo_remote_import_ioctl, 0),
};

/*
 * 6.12's drm_getunique() and drm_getmagic() dereference the file's DRM
 * master, which a file of an accel node never has: any user who can open
 * the node could oops the kernel. Nothing on an accel node needs them. The
 * core dispatches on the ioctl number alone, so match that.
 */
static bool dojo_ioctl_refused(unsigned int cmd)
{
	unsigned int nr = _IOC_NR(cmd);

	return _IOC_TYPE(cmd) == DRM_IOCTL_BASE &&
	       (nr == DRM_IOCTL_NR(DRM_IOCTL_GET_UNIQUE) ||
		nr == DRM_IOCTL_NR(DRM_IOCTL_GET_MAGIC));
}

static long dojo_ioctl(struct file *filp, unsigned int cmd, unsigned long arg)
{
	if (dojo_ioctl_refused(cmd))
		return -EOPNOTSUPP;
	return drm_ioctl(filp, cmd, arg);
}

#ifdef CONFIG_COMPAT
static long dojo_compat_ioctl(struct file *filp, unsigned int cmd,
			      unsigned long arg)
{
	if (dojo_ioctl_refused(cmd))
		return -EOPNOTSUPP;
	return drm_compat_ioctl(filp, cmd, arg);
}
#else
#define dojo_compat_ioctl NULL
#endif

/*
 * DRM_ACCEL_FOPS, with the ioctls above in front of the core's and
 * show_fdinfo, without which fdinfo has no drm-* keys.
 */
static const struct file_operations dojo_fops = {
	.owner = THIS_MODULE,
	.open = accel_open,
	.release = drm_release,
	.unlocked_ioctl = dojo_ioctl,
	.compat_ioctl = dojo_compat_ioctl,
	.poll = drm_poll,
	.read = drm_read,
	.llseek = noop_llseek,
	.mmap = drm_gem_mmap,
	.fop_flags = FOP_UNSIGNED_OFFSET,
	.show_fdinfo = drm_show_fdinfo,
};

static const struct drm_driver dojo_drm_driver = {
	.driver_features = DRIVER_GEM | DRIVER_COMPUTE_ACCEL | DRIVER_SYNCOBJ |
			   DRIVER_SYNCOBJ_TIMELINE,
	.open = dojo_job_file_open,
	.postclose = dojo_job_file_close,
	.gem_create_object = dojo_gem_create_object,
	.gem_prime_import = dojo_gem_prime_import,
	.gem_prime_import_sg_table = dojo_gem_prime_import_sg_table,
	.show_fdinfo = dojo_gem_show_fdinfo,
	.ioctls = dojo_ioctls,
	.num_ioctls = ARRAY_SIZE(dojo_ioctls),
	.fops = &dojo_fops,
	.name = DRIVER_NAME,
	.desc = DRIVER_DESC,
	.major = DRIVER_MAJOR,
	.minor = DRIVER_MINOR,
};

/*
 * Buffer sizes, HBM offsets and DMA addresses are handled as unsigned long
 * and size_t throughout: the driver is for 64-bit hosts only.
 */
static_assert(BITS_PER_LONG == 64, "dojo builds only for 64-bit kernels");

/*
 * A drm_device outlives its card while files or jobs hold it, and its last
 * reference may drop in a work item of this module (dojo_job.c): module
 * unload waits until every device is released, then for that work.
 */
struct workqueue_struct *dojo_wq;
static atomic_t dojo_live_devices = ATOMIC_INIT(0);
static DECLARE_WAIT_QUEUE_HEAD(dojo_live_devices_wq);

/* The device's last release step: registered first, so it runs last. */
static void dojo_device_released(struct drm_device *drm, void *arg)
{
	if (atomic_dec_and_test(&dojo_live_devices))
		wake_up(&dojo_live_devices_wq);
}

/* Allocate the device; freed with @parent's driver data (devres). */
struct dojo_device *dojo_device_alloc(struct device *parent)
{
	struct dojo_device *ddev;
	int ret;

	ddev = devm_drm_dev_alloc(parent, &dojo_drm_driver, struct dojo_device,
				  drm);
	if (IS_ERR(ddev))
		return ddev;
	atomic_inc(&dojo_live_devices);
	ret = drmm_add_action_or_reset(&ddev->drm, dojo_device_released, NULL);
	if (ret)
		return ERR_PTR(ret);

	init_completion(&ddev->irq_test_done);
	atomic_set(&ddev->hbm_errors, 0);
	ret = drmm_mutex_init(&ddev->drm, &ddev->hbm_win_lock);
	if (ret)
		return ERR_PTR(ret);
	return ddev;
}

/*
 * Everything after the backend has mapped registers and found interrupt
 * vectors: reset the card, learn what it is, prove interrupts work, then
 * offer it to userspace. Unwinding is by devres on the parent device.
 */
int dojo_device_probe(struct dojo_device *ddev)
{
	int ret;

	/*
	 * The card walks host buffers page by page: a mapping may merge pages
	 * into segments of any size (the DMA API's default is 64 KiB).
	 */
	dma_set_max_seg_size(ddev->drm.dev, UINT_MAX);

	ret = dojo_hw_reset(ddev);
	if (ret)
		return ret;

	ret = dojo_hw_read_identity(ddev);
	if (ret)
		return ret;
	if (ddev->nr_irqs < ddev->id.num_irqs) {
		drm_err(&ddev->drm, "%u interrupt vectors, the card needs %u\n",
			ddev->nr_irqs, ddev->id.num_irqs);
		return -ENODEV;
	}

	ret = dojo_ttp_init(ddev);
	if (ret)
		return ret;

	ret = dojo_zplane_init(ddev);
	if (ret)
		return ret;

	/* Before interrupts: a fatal-error interrupt queues a reset. */
	ret = dojo_reset_init(ddev);
	if (ret)
		return ret;

	/* Before interrupts too: the sensor and ECC events queue its work. */
	ret = dojo_telemetry_init(ddev);
	if (ret)
		return ret;

	ret = dojo_hw_irq_init(ddev);
	if (ret)
		return ret;

	ret = dojo_hw_irq_selftest(ddev);
	if (ret)
		goto err_quiesce;

	ret = dojo_hbm_init(ddev);
	if (ret)
		goto err_quiesce;

	ret = dojo_queues_init(ddev);
	if (ret)
		goto err_quiesce;

	ret = dojo_job_kernel_client_init(ddev);
	if (ret)
		goto err_queues;

	ret = dojo_sysfs_init(ddev);
	if (ret)
		goto err_queues;

	ret = dojo_hwmon_init(ddev);
	if (ret)
		goto err_queues;

	dojo_debugfs_init(ddev);

	ret = drm_dev_register(&ddev->drm, 0);
	if (ret)
		goto err_queues;
	/* A card that starts out unwell says so at once. */
	queue_work(dojo_wq, &ddev->health_work);

	drm_info(&ddev->drm, "DIP %s at %s: firmware %u.%u.%u, %llu GiB HBM, %u DMA queues\n",
		 ddev->id.serial, ddev->bus_addr, ddev->id.fw_version >> 16,
		 (ddev->id.fw_version >> 8) & 0xff, ddev->id.fw_version & 0xff,
		 ddev->id.hbm_size >> 30, ddev->id.num_dma_queues);
	return 0;

err_queues:
	/* Stop the engines before devres frees their rings; no reset after. */
	dojo_reset_flush(ddev);
	dojo_queues_fini(ddev);
err_quiesce:
	dojo_zplane_fini(ddev);
	dojo_ttp_fini(ddev);
	dojo_hw_quiesce(ddev);
	return ret;
}

/*
 * The card is going away (unbind, hot unplug, emulated card deleted).
 * Open files keep the drm_device alive but get -ENODEV from now on.
 * drm_dev_unplug() waits for every drm_dev_enter() section, so after it
 * the only register accesses left are the driver's own last writes here.
 */
void dojo_device_remove(struct dojo_device *ddev)
{
	drm_dev_unplug(&ddev->drm);
	dojo_reset_flush(ddev);
	dojo_queues_fini(ddev);
	/* A dump must not keep a deleted card's device alive for minutes. */
	dev_coredump_put(ddev->drm.dev);
	/*
	 * Host buffer mappings now raise SIGBUS, see dojo_gem.c. Those made
	 * through a dma-buf fd are in the same address space: DRM's export
	 * points the dma-buf file's mapping at the device's anon inode.
	 */
	unmap_mapping_range(ddev->drm.anon_inode->i_mapping, 0, 0, 1);
	dojo_zplane_fini(ddev);
	dojo_grants_release_stuck(ddev);
	dojo_ttp_fini(ddev);
	dojo_hw_quiesce(ddev);
}

static int __init dojo_init(void)
{
	int ret;

	dojo_wq = alloc_workqueue("dojo", WQ_UNBOUND, 0);
	if (!dojo_wq)
		return -ENOMEM;

	ret = dojo_pci_register();
	if (ret)
		goto err_wq;

	ret = dojo_aux_register();
	if (ret)
		goto err_pci;
	return 0;

err_pci:
	dojo_pci_unregister();
err_wq:
	destroy_workqueue(dojo_wq);
	return ret;
}

static void __exit dojo_exit(void)
{
	dojo_aux_unregister();
	dojo_pci_unregister();
	/*
	 * Every card is gone, so every job has ended or waits only on fences
	 * of other drivers; the last ones free their devices from here on.
	 */
	if (atomic_read(&dojo_live_devices))
		pr_notice("dojo: waiting for the jobs of %d removed devices to end\n",
			  atomic_read(&dojo_live_devices));
	/* Jobs may wait long on other drivers' fences: no hung task. */
	wait_event_idle(dojo_live_devices_wq, !atomic_read(&dojo_live_devices));
	destroy_workqueue(dojo_wq);
	dojo_queues_free_retired();
}

module_init(dojo_init);
module_exit(dojo_exit);

MODULE_DESCRIPTION("Dojo Interface Processor (DIP) accelerator driver");
MODULE_LICENSE("GPL");
MODULE_VERSION(DOJO_VERSION);
