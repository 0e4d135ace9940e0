// SPDX-License-Identifier: GPL-2.0-only
/*
 * Buffers.
 *
 * Host buffers are GEM shmem objects: pageable until a job first uses
 * them, then pinned and DMA-mapped for the object's lifetime, CPU-mappable
 * through the accel node, shareable as dma-bufs. Imported dma-bufs (another
 * process's buffer, another DIP's host buffer, a udmabuf) become host
 * buffers too, through the shmem helpers' sg-table import.
 *
 * HBM buffers are ranges of the card's HBM handed out by drm_mm. The CPU
 * cannot map them; a dma-buf of one can only be imported back into the
 * same DIP (by another process), as DIPs reach each other's HBM over the
 * Z-plane, not over PCIe.
 *
 * Tile buffers are ranges of the linked training tile's SRAM, allocated by
 * the tile's controller (dojo_ttp.c) and named by a tile-wide id. The CPU
 * cannot map them. Their dma-buf imports into this DIP (another process)
 * or into another DIP on the same tile, whose port the tile then lets hold
 * the buffer too; nothing else can import them.
 *
 * Remote buffers name a grant of another DIP on the Z-plane (its node id,
 * grant id and key): objects without memory here, which only COPY
 * commands may name, and which neither the CPU maps nor dma-buf shares.
 *
 * A job reaches a buffer only through the entry dojo_bo_hw_buf() writes
 * into the job's buffer table, see docs/hardware.md.
 */
#include <linux/dma-buf.h>
#include <linux/dma-mapping.h>
#include <linux/mm.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>

#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_gem_shmem_helper.h>
#include <drm/drm_managed.h>
#include <drm/drm_mm.h>
#include <drm/drm_print.h>

#include "dojo_accel.h"
#include "dojo_drv.h"
#include "dojo_gem.h"
#include "dojo_grant.h"
#include "dojo_job.h"
#include "dojo_ttp.h"
#include "dojo_zplane.h"

/**
 * struct dojo_hbm - the card's HBM as the driver hands it out
 * @mm: range allocator over [0, HBM size)
 * @lock: protects @mm and @used
 * @used: bytes held by HBM buffers
 * @host_used: bytes of host buffers created on this device
 */
struct dojo_hbm {
	struct drm_mm mm;
	struct mutex lock; /* protects mm and used */
	u64 used;
	atomic64_t host_used;
};

static void dojo_hbm_fini(struct drm_device *drm, void *arg)
{
	struct dojo_hbm *hbm = arg;

	/* Every buffer holds a drm_device reference: none can be left. */
	drm_WARN_ON(drm, hbm->used);
	drm_mm_takedown(&hbm->mm);
}

int dojo_hbm_init(struct dojo_device *ddev)
{
	struct dojo_hbm *hbm;
	int ret;

	hbm = drmm_kzalloc(&ddev->drm, sizeof(*hbm), GFP_KERNEL);
	if (!hbm)
		return -ENOMEM;
	ret = drmm_mutex_init(&ddev->drm, &hbm->lock);
	if (ret)
		return ret;

	drm_mm_init(&hbm->mm, 0, ddev->id.hbm_size);
	atomic64_set(&hbm->host_used, 0);
	ddev->hbm = hbm;
	return drmm_add_action_or_reset(&ddev->drm, dojo_hbm_fini, hbm);
}

/* Bytes held by HBM buffers; cheap enough for anyone to poll. */
u64 dojo_hbm_used(struct dojo_device *ddev)
{
	u64 used;

	mutex_lock(&ddev->hbm->lock);
	used = ddev->hbm->used;
	mutex_unlock(&ddev->hbm->lock);
	return used;
}

void dojo_hbm_usage(struct dojo_device *ddev, struct drm_dojo_memory_info *info)
{
	struct dojo_hbm *hbm = ddev->hbm;
	struct drm_mm_node *hole;
	u64 start, end, largest = 0;

	mutex_lock(&hbm->lock);
	info->hbm_used = hbm->used;
	drm_mm_for_each_hole(hole, &hbm->mm, start, end)
		largest = max(largest, end - start);
	mutex_unlock(&hbm->lock);
	info->hbm_size = ddev->id.hbm_size;
	info->hbm_largest_free = largest;
	info->host_used = atomic64_read(&hbm->host_used);
}

/* ---- host buffers ------------------------------------------------------ */

static void dojo_bo_free_plist(struct dojo_bo *bo)
{
	struct drm_device *drm = bo->base.base.dev;

	if (bo->plist)
		dma_free_coherent(drm->dev, bo->plist_size, bo->plist,
				  bo->plist_dma);
	bo->plist = NULL;
}

static void dojo_host_bo_free(struct drm_gem_object *obj)
{
	struct dojo_bo *bo = to_dojo_bo(obj);
	struct dojo_device *ddev = to_dojo_device(obj->dev);

	dojo_bo_free_plist(bo);
	if (!obj->import_attach)
		atomic64_sub(obj->size, &ddev->hbm->host_used);
	mutex_destroy(&bo->lock);
	drm_gem_shmem_free(&bo->base);
}

static enum drm_gem_object_status dojo_host_bo_status(struct drm_gem_object *obj)
{
	struct drm_gem_shmem_object *shmem = to_drm_gem_shmem_obj(obj);

	return shmem->pages ? DRM_GEM_OBJECT_RESIDENT : 0;
}

/*
 * Once the card is gone (unplugged, unbound, emulated card deleted) the
 * driver zaps every mapping of its buffers; touching one again faults here
 * and raises SIGBUS instead of quietly reaching memory the card no longer
 * owns.
 */
static vm_fault_t dojo_host_bo_fault(struct vm_fault *vmf)
{
	struct drm_gem_object *obj = vmf->vma->vm_private_data;
	vm_fault_t ret;
	int idx;

	if (!drm_dev_enter(obj->dev, &idx))
		return VM_FAULT_SIGBUS;
	ret = drm_gem_shmem_vm_ops.fault(vmf);
	drm_dev_exit(idx);
	return ret;
}

static void dojo_host_bo_vm_open(struct vm_area_struct *vma)
{
	drm_gem_shmem_vm_ops.open(vma);
}

static void dojo_host_bo_vm_close(struct vm_area_struct *vma)
{
	drm_gem_shmem_vm_ops.close(vma);
}

static const struct vm_operations_struct dojo_host_bo_vm_ops = {
	.fault = dojo_host_bo_fault,
	.open = dojo_host_bo_vm_open,
	.close = dojo_host_bo_vm_close,
};

static int dojo_host_bo_map(struct dojo_bo *bo);

/*
 * Map the buffer for this card before it is shared. Once another device
 * has mapped the same pages, this card's first mapping would do its CPU
 * cache maintenance over memory that device may be writing; importers map
 * without it (DMA_ATTR_SKIP_CPU_SYNC), so the exporter maps first.
 */
static struct dma_buf *dojo_host_bo_export(struct drm_gem_object *obj,
					   int flags)
{
	struct dojo_bo *bo = to_dojo_bo(obj);
	int ret = -ENODEV, idx;

	if (drm_dev_enter(obj->dev, &idx)) {
		mutex_lock(&bo->lock);
		ret = dojo_host_bo_map(bo);
		mutex_unlock(&bo->lock);
		drm_dev_exit(idx);
	}
	if (ret)
		return ERR_PTR(ret);
	return drm_gem_prime_export(obj, flags);
}

static const struct drm_gem_object_funcs dojo_host_bo_funcs = {
	.free = dojo_host_bo_free,
	.export = dojo_host_bo_export,
	.print_info = drm_gem_shmem_object_print_info,
	.pin = drm_gem_shmem_object_pin,
	.unpin = drm_gem_shmem_object_unpin,
	.get_sg_table = drm_gem_shmem_object_get_sg_table,
	.vmap = drm_gem_shmem_object_vmap,
	.vunmap = drm_gem_shmem_object_vunmap,
	.mmap = drm_gem_shmem_object_mmap,
	.status = dojo_host_bo_status,
	.vm_ops = &dojo_host_bo_vm_ops,
};

/* Called by the shmem helpers for every host buffer, made or imported. */
struct drm_gem_object *dojo_gem_create_object(struct drm_device *drm, size_t size)
{
	struct dojo_bo *bo;

	bo = kzalloc(sizeof(*bo), GFP_KERNEL);
	if (!bo)
		return ERR_PTR(-ENOMEM);
	bo->placement = DRM_DOJO_PLACEMENT_HOST;
	bo->base.map_wc = false;
	mutex_init(&bo->lock);
	bo->base.base.funcs = &dojo_host_bo_funcs;
	return &bo->base.base;
}

struct drm_gem_object *
dojo_gem_prime_import_sg_table(struct drm_device *drm,
			       struct dma_buf_attachment *attach,
			       struct sg_table *sgt)
{
	return drm_gem_shmem_prime_import_sg_table(drm, attach, sgt);
}

/*
 * Write the DMA address of every 4 KiB page of @sgt into the page list the
 * card walks. Segments that are not whole pages cannot be described to the
 * card, so such a buffer (an odd import) is refused.
 */
static int dojo_bo_fill_plist(struct dojo_bo *bo, struct sg_table *sgt)
{
	size_t n = 0, npages = bo->plist_size / sizeof(u64);
	struct scatterlist *sg;
	unsigned int i;

	for_each_sgtable_dma_sg(sgt, sg, i) {
		dma_addr_t addr = sg_dma_address(sg);
		unsigned int len = sg_dma_len(sg);

		if (!IS_ALIGNED(addr, DOJO_PAGE_SIZE) ||
		    !IS_ALIGNED(len, DOJO_PAGE_SIZE))
			return -EINVAL;
		for (; len && n < npages; len -= DOJO_PAGE_SIZE) {
			bo->plist[n++] = cpu_to_le64(addr);
			addr += DOJO_PAGE_SIZE;
		}
	}
	return n == npages ? 0 : -EINVAL;
}

static int dojo_host_bo_map(struct dojo_bo *bo)
{
	struct drm_gem_object *obj = &bo->base.base;
	struct sg_table *sgt;
	int ret;

	if (bo->plist)
		return 0;
	/* An imported buffer can be larger than any we create. */
	if (obj->size > DRM_DOJO_MAX_HOST_BO_SIZE)
		return -EINVAL;

	sgt = drm_gem_shmem_get_pages_sgt(&bo->base);
	if (IS_ERR(sgt))
		return PTR_ERR(sgt);
	bo->plist_size = (obj->size / DOJO_PAGE_SIZE) * sizeof(u64);
	bo->plist = dma_alloc_coherent(obj->dev->dev, bo->plist_size,
				       &bo->plist_dma,
				       GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
	if (!bo->plist)
		return -ENOMEM;
	ret = dojo_bo_fill_plist(bo, sgt);
	if (ret)
		dojo_bo_free_plist(bo);
	return ret;
}

/* ---- HBM buffers --------------------------------------------------------- */

/* The range goes back to the allocator: the card no longer writes it. */
static void dojo_hbm_bo_release_range(struct dojo_bo *bo)
{
	struct drm_device *drm = bo->base.base.dev;
	struct dojo_hbm *hbm = to_dojo_device(drm)->hbm;

	mutex_lock(&hbm->lock);
	drm_mm_remove_node(&bo->hbm_node);
	hbm->used -= bo->base.base.size;
	mutex_unlock(&hbm->lock);
	dma_fence_put(bo->scrub);
	mutex_destroy(&bo->lock);
	kfree(bo);
}

static void dojo_hbm_bo_free_work(struct work_struct *work)
{
	struct dojo_bo *bo = container_of(work, struct dojo_bo, free_work);
	struct drm_device *drm = bo->base.base.dev;

	dojo_hbm_bo_release_range(bo);
	drm_dev_put(drm);
}

/* Fence-signalling context: no locks that sleep, no allocation. */
static void dojo_hbm_bo_scrubbed(struct dma_fence *fence, struct dma_fence_cb *cb)
{
	struct dojo_bo *bo = container_of(cb, struct dojo_bo, free_cb);

	queue_work(dojo_wq, &bo->free_work);
}

/*
 * Freeing never waits for the card (the scrub may sit behind other jobs,
 * each allowed the job timeout): the buffer is gone for userspace at
 * once, and its range returns to the allocator when the scrub has ended.
 * Until then the buffer keeps the device, whose allocator it returns to.
 */
static void dojo_hbm_bo_free(struct drm_gem_object *obj)
{
	struct dojo_bo *bo = to_dojo_bo(obj);

	drm_gem_object_release(obj);
	if (bo->scrub) {
		INIT_WORK(&bo->free_work, dojo_hbm_bo_free_work);
		drm_dev_get(obj->dev);
		if (!dma_fence_add_callback(bo->scrub, &bo->free_cb,
					    dojo_hbm_bo_scrubbed))
			return;
		drm_dev_put(obj->dev);
	}
	dojo_hbm_bo_release_range(bo);
}

static enum drm_gem_object_status dojo_hbm_bo_status(struct drm_gem_object *obj)
{
	return DRM_GEM_OBJECT_RESIDENT;
}

/*
 * Only this DIP can import an HBM buffer's dma-buf, and DRM's self-import
 * needs no scatterlist; any other importer is told no.
 */
static struct sg_table *dojo_hbm_bo_get_sg_table(struct drm_gem_object *obj)
{
	return ERR_PTR(-EOPNOTSUPP);
}

/*
 * The CPU cannot map HBM. Without this callback, mmap() of an HBM buffer's
 * dma-buf takes drm_gem_prime_mmap()'s fallback, which dereferences the
 * primary minor an accel device does not have.
 */
static int dojo_hbm_bo_mmap(struct drm_gem_object *obj,
			    struct vm_area_struct *vma)
{
	return -EOPNOTSUPP;
}

static const struct drm_gem_object_funcs dojo_hbm_bo_funcs = {
	.free = dojo_hbm_bo_free,
	.close = dojo_grants_gem_close,
	.status = dojo_hbm_bo_status,
	.get_sg_table = dojo_hbm_bo_get_sg_table,
	.mmap = dojo_hbm_bo_mmap,
};

static struct dojo_bo *dojo_hbm_bo_create(struct dojo_device *ddev, u64 size)
{
	struct dojo_hbm *hbm = ddev->hbm;
	struct dojo_bo *bo;
	int ret;

	bo = kzalloc(sizeof(*bo), GFP_KERNEL);
	if (!bo)
		return ERR_PTR(-ENOMEM);
	bo->placement = DRM_DOJO_PLACEMENT_HBM;
	mutex_init(&bo->lock);
	bo->base.base.funcs = &dojo_hbm_bo_funcs;
	drm_gem_private_object_init(&ddev->drm, &bo->base.base, size);

	mutex_lock(&hbm->lock);
	ret = drm_mm_insert_node_generic(&hbm->mm, &bo->hbm_node, size,
					 DOJO_PAGE_SIZE, 0, DRM_MM_INSERT_BEST);
	if (!ret)
		hbm->used += size;
	mutex_unlock(&hbm->lock);
	if (ret) {
		drm_gem_object_release(&bo->base.base);
		mutex_destroy(&bo->lock);
		kfree(bo);
		return ERR_PTR(ret);
	}

	/* No client may read what another left in this range. */
	bo->scrub = dojo_job_scrub_hbm(ddev, bo->hbm_node.start, size);
	if (IS_ERR(bo->scrub)) {
		ret = PTR_ERR(bo->scrub);
		bo->scrub = NULL;
		drm_gem_object_put(&bo->base.base);
		return ERR_PTR(ret);
	}
	return bo;
}

/* ---- tile buffers -------------------------------------------------------- */

static void dojo_tile_bo_free(struct drm_gem_object *obj)
{
	struct dojo_bo *bo = to_dojo_bo(obj);
	struct dojo_device *ddev = to_dojo_device(obj->dev);

	/* No job holds it any more: the port gives its hold back. */
	dojo_ttp_free(ddev, bo->tile_id, bo->tile_epoch);
	atomic64_sub(obj->size, &ddev->ttp_used);
	drm_gem_object_release(obj);
	mutex_destroy(&bo->lock);
	kfree(bo);
}

static struct dma_buf *dojo_tile_bo_export(struct drm_gem_object *obj,
					   int flags);

static const struct drm_gem_object_funcs dojo_tile_bo_funcs = {
	.free = dojo_tile_bo_free,
	.close = dojo_grants_gem_close,
	.export = dojo_tile_bo_export,
	.status = dojo_hbm_bo_status,
	.get_sg_table = dojo_hbm_bo_get_sg_table,
	.mmap = dojo_hbm_bo_mmap,
};

/*
 * A tile buffer's dma-buf has ops of its own, so that another DIP can
 * recognise it on import; to any other importer it is an HBM-like buffer
 * without pages (no scatterlist, no mmap).
 */
static const struct dma_buf_ops dojo_tile_dmabuf_ops = {
	.attach = drm_gem_map_attach,
	.detach = drm_gem_map_detach,
	.map_dma_buf = drm_gem_map_dma_buf,
	.unmap_dma_buf = drm_gem_unmap_dma_buf,
	.release = drm_gem_dmabuf_release,
	.mmap = drm_gem_dmabuf_mmap,
};

static struct dma_buf *dojo_tile_bo_export(struct drm_gem_object *obj,
					   int flags)
{
	struct dma_buf_export_info exp_info = {
		.exp_name = KBUILD_MODNAME,
		.owner = THIS_MODULE,
		.ops = &dojo_tile_dmabuf_ops,
		.size = obj->size,
		.flags = flags,
		.priv = obj,
		.resv = obj->resv,
	};

	return drm_gem_dmabuf_export(obj->dev, &exp_info);
}

/* A GEM object for tile buffer @id, which this card's port holds. */
static struct dojo_bo *dojo_tile_bo_new(struct dojo_device *ddev, u64 id,
					u64 size, u32 epoch)
{
	struct dojo_bo *bo;

	bo = kzalloc(sizeof(*bo), GFP_KERNEL);
	if (!bo) {
		dojo_ttp_free(ddev, id, epoch);
		return ERR_PTR(-ENOMEM);
	}
	bo->placement = DRM_DOJO_PLACEMENT_TILE;
	bo->tile_id = id;
	bo->tile_epoch = epoch;
	mutex_init(&bo->lock);
	bo->base.base.funcs = &dojo_tile_bo_funcs;
	drm_gem_private_object_init(&ddev->drm, &bo->base.base, size);
	atomic64_add(size, &ddev->ttp_used);
	return bo;
}

/*
 * The tile controller scrubs a range before it hands it out: a new tile
 * buffer reads as zeroes without a job of the driver's.
 */
static struct dojo_bo *dojo_tile_bo_create(struct dojo_device *ddev, u64 size)
{
	u64 id, bytes;
	u32 epoch;
	int ret, idx;

	if (!drm_dev_enter(&ddev->drm, &idx))
		return ERR_PTR(-ENODEV);
	ret = dojo_ttp_alloc(ddev, size, &id, &bytes, &epoch);
	drm_dev_exit(idx);
	if (ret)
		return ERR_PTR(ret);
	/* The controller's granule is the page: it never hands out less. */
	if (bytes != size) {
		dojo_ttp_free(ddev, id, epoch);
		return ERR_PTR(-EIO);
	}
	return dojo_tile_bo_new(ddev, id, size, epoch);
}

/*
 * Another DIP's tile buffer: only a DIP on the same tile can hold it, and
 * the tile checks that, whatever the driver believes.
 */
static struct drm_gem_object *dojo_tile_bo_import(struct dojo_device *ddev,
						  struct dojo_bo *src)
{
	struct dojo_device *sdev = to_dojo_device(src->base.base.dev);
	u32 tile, stile, e, s;
	bool up, sup;
	u64 sram, bytes;
	struct dojo_bo *bo;
	u32 epoch;
	int ret;

	dojo_ttp_state(ddev, &up, &tile, &e, &s, &sram);
	dojo_ttp_state(sdev, &sup, &stile, &e, &s, &sram);
	if (!up || !sup)
		return ERR_PTR(-ENOLINK);
	if (tile != stile)
		return ERR_PTR(-EXDEV);

	ret = dojo_ttp_share(sdev, ddev, src->tile_id, &bytes, &epoch);
	if (ret == -ENOENT)
		ret = -EXDEV;
	if (ret)
		return ERR_PTR(ret);
	if (bytes != src->base.base.size) {
		dojo_ttp_free(ddev, src->tile_id, epoch);
		return ERR_PTR(-EIO);
	}
	bo = dojo_tile_bo_new(ddev, src->tile_id, bytes, epoch);
	return IS_ERR(bo) ? ERR_CAST(bo) : &bo->base.base;
}

struct drm_gem_object *dojo_gem_prime_import(struct drm_device *drm,
					     struct dma_buf *dma_buf)
{
	struct drm_gem_object *obj = dma_buf->priv;

	if (dma_buf->ops != &dojo_tile_dmabuf_ops)
		return drm_gem_prime_import(drm, dma_buf);
	/* Our own buffer back (another process): the same object. */
	if (obj->dev == drm) {
		drm_gem_object_get(obj);
		return obj;
	}
	return dojo_tile_bo_import(to_dojo_device(drm), to_dojo_bo(obj));
}

/* ---- remote buffers ------------------------------------------------------ */

static void dojo_remote_bo_free(struct drm_gem_object *obj)
{
	struct dojo_bo *bo = to_dojo_bo(obj);

	drm_gem_object_release(obj);
	memzero_explicit(&bo->remote_key, sizeof(bo->remote_key));
	mutex_destroy(&bo->lock);
	kfree(bo);
}

/* No memory here: nothing resident, nothing to share. */
static enum drm_gem_object_status dojo_remote_bo_status(struct drm_gem_object *obj)
{
	return 0;
}

/* Its key is a capability: it does not travel in a dma-buf. */
static struct dma_buf *dojo_remote_bo_export(struct drm_gem_object *obj,
					     int flags)
{
	return ERR_PTR(-EOPNOTSUPP);
}

static const struct drm_gem_object_funcs dojo_remote_bo_funcs = {
	.free = dojo_remote_bo_free,
	.export = dojo_remote_bo_export,
	.status = dojo_remote_bo_status,
	.get_sg_table = dojo_hbm_bo_get_sg_table,
	.mmap = dojo_hbm_bo_mmap,
};

/* The largest grant a card can describe (GRANT_TILE's size field). */
#define DOJO_REMOTE_MAX_SIZE	(BIT_ULL(63) - 1)

int dojo_remote_import_ioctl(struct drm_device *drm, void *data,
			     struct drm_file *file)
{
	struct drm_dojo_remote_import *args = data;
	struct dojo_bo *bo;
	int ret;

	if (args->flags || args->handle)
		return -EINVAL;
	if (args->node_id > DOJO_ZP_CONN_NODE || !args->grant_id ||
	    !args->size || args->size > DOJO_REMOTE_MAX_SIZE)
		return -EINVAL;
	if (!dojo_zplane_present(to_dojo_device(drm)))
		return -EOPNOTSUPP;

	bo = kzalloc(sizeof(*bo), GFP_KERNEL_ACCOUNT);
	if (!bo)
		return -ENOMEM;
	bo->placement = DRM_DOJO_PLACEMENT_REMOTE;
	bo->remote_node = args->node_id;
	bo->remote_grant = args->grant_id;
	bo->remote_key = args->key;
	bo->remote_size = args->size;
	mutex_init(&bo->lock);
	bo->base.base.funcs = &dojo_remote_bo_funcs;
	drm_gem_private_object_init(drm, &bo->base.base,
				    round_up(args->size, PAGE_SIZE));

	ret = drm_gem_handle_create(file, &bo->base.base, &args->handle);
	drm_gem_object_put(&bo->base.base);
	return ret;
}

/* ---- what jobs use ----------------------------------------------------- */

/* The scrub a job using @bo must wait for, with a reference, or NULL. */
struct dma_fence *dojo_bo_scrub_fence(struct dojo_bo *bo)
{
	if (!bo->scrub || dma_fence_is_signaled(bo->scrub)) {
		/* A scrub that failed still fails the jobs that use the buffer. */
		if (bo->scrub && bo->scrub->error)
			return dma_fence_get(bo->scrub);
		return NULL;
	}
	return dma_fence_get(bo->scrub);
}

/*
 * Describe @bo to the card: its entry in a job's buffer table. A host
 * buffer is pinned and mapped on first use and stays so until freed.
 */
int dojo_bo_hw_buf(struct dojo_bo *bo, struct dojo_hw_buf *hw)
{
	u64 size = bo->base.base.size;
	int ret = 0;

	memset(hw, 0, sizeof(*hw));
	hw->size = cpu_to_le64(size);
	hw->flags = cpu_to_le32(DOJO_BUF_FLAG_WRITE);

	if (bo->placement == DRM_DOJO_PLACEMENT_HBM) {
		hw->type = cpu_to_le32(DOJO_BUF_HBM);
		hw->addr = cpu_to_le64(bo->hbm_node.start);
		return 0;
	}
	if (bo->placement == DRM_DOJO_PLACEMENT_REMOTE) {
		hw->type = cpu_to_le32(DOJO_BUF_REMOTE);
		hw->size = cpu_to_le64(bo->remote_size);
		hw->addr = cpu_to_le64(bo->remote_key);
		hw->ext = cpu_to_le64((u64)bo->remote_node << 32 |
				      bo->remote_grant);
		return 0;
	}
	if (bo->placement == DRM_DOJO_PLACEMENT_TILE) {
		struct dojo_device *ddev = to_dojo_device(bo->base.base.dev);

		/*
		 * A hold from before the link last changed is gone: id 0,
		 * which no tile hands out, makes the card end the job
		 * LINK_DOWN even if the port holds the buffer again.
		 */
		hw->type = cpu_to_le32(DOJO_BUF_TILE);
		if (dojo_ttp_epoch_valid(ddev, bo->tile_epoch))
			hw->addr = cpu_to_le64(bo->tile_id);
		return 0;
	}

	mutex_lock(&bo->lock);
	ret = dojo_host_bo_map(bo);
	mutex_unlock(&bo->lock);
	if (ret)
		return ret;
	hw->type = cpu_to_le32(DOJO_BUF_HOST);
	hw->addr = cpu_to_le64(bo->plist_dma);
	return 0;
}

/* ---- ioctls ------------------------------------------------------------ */

int dojo_bo_create_ioctl(struct drm_device *drm, void *data, struct drm_file *file)
{
	struct dojo_device *ddev = to_dojo_device(drm);
	struct drm_dojo_bo_create *args = data;
	struct drm_gem_shmem_object *shmem;
	struct drm_gem_object *obj;
	u64 size;
	int ret;

	if (args->flags || args->pad || args->handle)
		return -EINVAL;
	if (!args->size || args->size > ddev->id.hbm_size)
		return -EINVAL;
	size = PAGE_ALIGN(args->size);

	switch (args->placement) {
	case DRM_DOJO_PLACEMENT_HOST:
		/* Its page list is one allocation (docs/hardware.md). */
		if (size > DRM_DOJO_MAX_HOST_BO_SIZE)
			return -EINVAL;
		shmem = drm_gem_shmem_create(drm, size);
		if (IS_ERR(shmem))
			return PTR_ERR(shmem);
		obj = &shmem->base;
		atomic64_add(obj->size, &ddev->hbm->host_used);
		break;
	case DRM_DOJO_PLACEMENT_HBM: {
		struct dojo_bo *bo = dojo_hbm_bo_create(ddev, size);

		if (IS_ERR(bo))
			return PTR_ERR(bo) == -ENOSPC ? -ENOMEM : PTR_ERR(bo);
		obj = &bo->base.base;
		break;
	}
	case DRM_DOJO_PLACEMENT_TILE: {
		struct dojo_bo *bo;

		if (!dojo_ttp_present(ddev))
			return -EINVAL;
		bo = dojo_tile_bo_create(ddev, size);
		if (IS_ERR(bo))
			return PTR_ERR(bo);
		obj = &bo->base.base;
		break;
	}
	default:
		return -EINVAL;
	}

	ret = drm_gem_handle_create(file, obj, &args->handle);
	drm_gem_object_put(obj);
	return ret;
}

int dojo_bo_info_ioctl(struct drm_device *drm, void *data, struct drm_file *file)
{
	struct drm_dojo_bo_info *args = data;
	struct drm_gem_object *obj;
	struct dojo_bo *bo;
	int ret = 0;

	if (args->flags || args->pad)
		return -EINVAL;

	obj = drm_gem_object_lookup(file, args->handle);
	if (!obj)
		return -ENOENT;
	bo = to_dojo_bo(obj);

	args->size = dojo_bo_size(obj);
	args->placement = bo->placement;
	args->mmap_offset = 0;
	if (bo->placement == DRM_DOJO_PLACEMENT_HOST) {
		ret = drm_gem_create_mmap_offset(obj);
		if (!ret)
			args->mmap_offset = drm_vma_node_offset_addr(&obj->vma_node);
	}
	drm_gem_object_put(obj);
	return ret;
}

/*
 * fdinfo: memory per region in the standard drm-*-<region> keys, so the
 * usual per-process tools (gputop, nvtop) read it.
 */
void dojo_gem_show_fdinfo(struct drm_printer *p, struct drm_file *file)
{
	struct drm_memory_stats stats[3] = {};
	enum drm_gem_object_status supported = DRM_GEM_OBJECT_RESIDENT;
	struct drm_gem_object *obj;
	int id;

	spin_lock(&file->table_lock);
	idr_for_each_entry(&file->object_idr, obj, id) {
		struct dojo_bo *bo = to_dojo_bo(obj);
		struct drm_memory_stats *s =
			&stats[bo->placement == DRM_DOJO_PLACEMENT_HBM ? 1 :
			       bo->placement == DRM_DOJO_PLACEMENT_TILE ? 2 : 0];

		/* A remote buffer's memory is another DIP's. */
		if (bo->placement == DRM_DOJO_PLACEMENT_REMOTE)
			continue;
		if (obj->handle_count > 1)
			s->shared += obj->size;
		else
			s->private += obj->size;
		if (obj->funcs->status(obj) & DRM_GEM_OBJECT_RESIDENT)
			s->resident += obj->size;
	}
	spin_unlock(&file->table_lock);

	drm_print_memory_stats(p, &stats[0], supported, "host");
	drm_print_memory_stats(p, &stats[1], supported, "hbm");
	drm_print_memory_stats(p, &stats[2], supported, "tile");
	dojo_job_show_fdinfo(p, file);
}
