/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Buffers: host buffers (GEM shmem) and HBM buffers (drm_mm over the card's
 * HBM), their accounting, and what a job needs to let the card reach them.
 */
#ifndef __DOJO_GEM_H__
#define __DOJO_GEM_H__

#include <linux/dma-fence.h>
#include <linux/mutex.h>
#include <linux/workqueue.h>
#include <linux/types.h>
#include <drm/drm_gem_shmem_helper.h>
#include <drm/drm_mm.h>

#include "dojo_accel.h"
#include "dojo_regs.h"

struct dma_buf;
struct dma_buf_attachment;
struct dma_fence;
struct drm_device;
struct drm_file;
struct drm_gem_object;
struct drm_printer;
struct sg_table;
struct dojo_device;
struct drm_dojo_memory_info;

/**
 * struct dojo_bo - a buffer
 * @base: the GEM object; a shmem object for host buffers, of which an HBM
 *	  buffer uses only the embedded drm_gem_object. Must stay first.
 * @placement: DRM_DOJO_PLACEMENT_*
 * @hbm_node: the buffer's range of HBM
 * @tile_id: tile buffer: its id at the tile controller
 * @tile_epoch: tile buffer: TTP_LINK_CHANGES when the port took its hold
 * @remote_node: remote buffer: the peer's node id
 * @remote_grant: remote buffer: the grant's id on the peer
 * @remote_key: remote buffer: the grant's key
 * @remote_size: remote buffer: bytes, exactly (the object's size is whole
 *		 pages)
 * @lock: protects the page list
 * @plist: host buffer: DMA address of each 4 KiB page, as the card reads
 *	   them; made on first use by a job
 * @plist_dma: DMA address of @plist
 * @plist_size: bytes of @plist
 * @scrub: HBM buffer: the job zeroing it, which every job using it waits for
 * @free_cb: HBM buffer: returns its range once @scrub signalled
 * @free_work: HBM buffer: does so in process context
 */
struct dojo_bo {
	struct drm_gem_shmem_object base;
	u32 placement;
	struct drm_mm_node hbm_node;
	u64 tile_id;
	u32 tile_epoch;
	u32 remote_node;
	u32 remote_grant;
	u64 remote_key;
	u64 remote_size;
	struct mutex lock; /* protects plist */
	__le64 *plist;
	dma_addr_t plist_dma;
	size_t plist_size;
	struct dma_fence *scrub;
	struct dma_fence_cb free_cb;
	struct work_struct free_work;
};

static inline struct dojo_bo *to_dojo_bo(struct drm_gem_object *obj)
{
	return container_of(obj, struct dojo_bo, base.base);
}

/* Bytes a job may address in @obj. */
static inline u64 dojo_bo_size(struct drm_gem_object *obj)
{
	struct dojo_bo *bo = to_dojo_bo(obj);

	return bo->placement == DRM_DOJO_PLACEMENT_REMOTE ? bo->remote_size :
							   obj->size;
}

int dojo_hbm_init(struct dojo_device *ddev);
u64 dojo_hbm_used(struct dojo_device *ddev);
void dojo_hbm_usage(struct dojo_device *ddev, struct drm_dojo_memory_info *info);
int dojo_bo_hw_buf(struct dojo_bo *bo, struct dojo_hw_buf *hw);
struct dma_fence *dojo_bo_scrub_fence(struct dojo_bo *bo);

struct drm_gem_object *dojo_gem_create_object(struct drm_device *drm, size_t size);
struct drm_gem_object *dojo_gem_prime_import(struct drm_device *drm,
					     struct dma_buf *dma_buf);
struct drm_gem_object *
dojo_gem_prime_import_sg_table(struct drm_device *drm,
			       struct dma_buf_attachment *attach,
			       struct sg_table *sgt);
void dojo_gem_show_fdinfo(struct drm_printer *p, struct drm_file *file);

int dojo_bo_create_ioctl(struct drm_device *drm, void *data, struct drm_file *file);
int dojo_bo_info_ioctl(struct drm_device *drm, void *data, struct drm_file *file);
int dojo_remote_import_ioctl(struct drm_device *drm, void *data,
			     struct drm_file *file);

#endif /* __DOJO_GEM_H__ */
