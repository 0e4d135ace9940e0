// SPDX-License-Identifier: MIT
/*
 * Buffers: creation, import and export as dma-bufs, CPU mapping.
 *
 * A DRM file has one GEM handle per buffer, whoever made it: importing a
 * dma-buf this file already holds (its own export, or the same dma-buf
 * twice) returns the handle it has. Each device therefore keeps its buffers
 * in a table by handle with a reference count, and the handle is closed
 * when the last reference goes. Each buffer holds a reference to its
 * device, so that the device's file outlives dojo_close() while buffers
 * of it are alive.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <xf86drm.h>

#include "dma_internal.h"

static unsigned int bo_hash(uint32_t handle)
{
	return (handle * 2654435761u) >> 26;	/* DOJO_BO_BUCKETS = 64 */
}

_Static_assert(DOJO_BO_BUCKETS == 64, "bo_hash() gives 6 bits");

/* Under dev->bo_lock. */
static struct dojo_bo *bo_lookup(const struct dojo_device *dev,
				 uint32_t handle)
{
	struct dojo_bo *bo;

	for (bo = dev->bos[bo_hash(handle)]; bo; bo = bo->next)
		if (bo->handle == handle)
			return bo;
	return NULL;
}

/* Under dev->bo_lock. */
static void bo_insert(struct dojo_bo *bo)
{
	struct dojo_bo **head = &bo->dev->bos[bo_hash(bo->handle)];

	bo->next = *head;
	*head = bo;
}

/* Under dev->bo_lock. */
static void bo_remove(struct dojo_bo *bo)
{
	struct dojo_bo **p = &bo->dev->bos[bo_hash(bo->handle)];

	while (*p && *p != bo)
		p = &(*p)->next;
	if (*p)
		*p = bo->next;
}

static void gem_close(struct dojo_device *dev, uint32_t handle)
{
	struct drm_gem_close req = { .handle = handle };

	drmIoctl(dev->fd, DRM_IOCTL_GEM_CLOSE, &req);
}

static int bo_query(struct dojo_device *dev, uint32_t handle,
		    struct drm_dojo_bo_info *info)
{
	memset(info, 0, sizeof(*info));
	info->handle = handle;
	/* drmIoctl() restarts on EINTR and EAGAIN */
	if (drmIoctl(dev->fd, DRM_IOCTL_DOJO_BO_INFO, info))
		return -errno;
	return 0;
}

/* A new buffer object for @handle, which the caller closes on failure. */
static int bo_new(struct dojo_device *dev, uint32_t handle,
		  struct dojo_bo **out)
{
	struct drm_dojo_bo_info info;
	struct dojo_bo *bo;
	int err;

	err = bo_query(dev, handle, &info);
	if (err)
		return err;
	bo = calloc(1, sizeof(*bo));
	if (!bo)
		return -ENOMEM;
	bo->dev = dev;
	bo->handle = handle;
	bo->placement = info.placement;
	bo->size = info.size;
	bo->mmap_offset = info.mmap_offset;
	bo->refs = 1;
	dojo_device_get(dev);
	*out = bo;
	return 0;
}

DOJO_EXPORT int dojo_bo_create(struct dojo_device *dev, uint64_t size,
			       uint32_t placement, struct dojo_bo **out)
{
	struct drm_dojo_bo_create req;
	struct dojo_bo *bo;
	int err;

	if (!dev || !out)
		return -EINVAL;
	*out = NULL;
	if (!size || (placement != DRM_DOJO_PLACEMENT_HOST &&
		      placement != DRM_DOJO_PLACEMENT_HBM &&
		      placement != DRM_DOJO_PLACEMENT_TILE))
		return -EINVAL;

	memset(&req, 0, sizeof(req));
	req.size = size;
	req.placement = placement;
	if (drmIoctl(dev->fd, DRM_IOCTL_DOJO_BO_CREATE, &req))
		return -errno;

	err = bo_new(dev, req.handle, &bo);
	if (err) {
		gem_close(dev, req.handle);
		return err;
	}
	pthread_mutex_lock(&dev->bo_lock);
	bo_insert(bo);
	pthread_mutex_unlock(&dev->bo_lock);
	*out = bo;
	return 0;
}

int dojo_bo_adopt(struct dojo_device *dev, uint32_t handle,
		  uint32_t placement, uint64_t size, struct dojo_bo **out)
{
	struct dojo_bo *bo;
	int err = 0;

	*out = NULL;
	pthread_mutex_lock(&dev->bo_lock);
	/* a kernel that hands out a handle the file already has: share it */
	bo = bo_lookup(dev, handle);
	if (bo) {
		bo->refs++;
		goto out;
	}
	bo = calloc(1, sizeof(*bo));
	if (!bo) {
		gem_close(dev, handle);
		err = -ENOMEM;
		goto out;
	}
	bo->dev = dev;
	bo->handle = handle;
	bo->placement = placement;
	bo->size = size;
	bo->refs = 1;
	dojo_device_get(dev);
	bo_insert(bo);
out:
	pthread_mutex_unlock(&dev->bo_lock);
	*out = bo;
	return err;
}

DOJO_EXPORT int dojo_bo_import(struct dojo_device *dev, int fd,
			       struct dojo_bo **out)
{
	struct dojo_bo *bo;
	uint32_t handle;
	int err;

	if (!dev || !out)
		return -EINVAL;
	*out = NULL;
	if (fd < 0)
		return -EBADF;

	/*
	 * Under the lock from handle lookup to insertion: a concurrent
	 * dojo_bo_free() of the same buffer must not close the handle the
	 * kernel just handed out again.
	 */
	pthread_mutex_lock(&dev->bo_lock);
	err = dojo_drm_ret(drmPrimeFDToHandle(dev->fd, fd, &handle));
	if (err)
		goto out;
	bo = bo_lookup(dev, handle);
	if (bo) {
		bo->refs++;
	} else {
		err = bo_new(dev, handle, &bo);
		if (err) {
			gem_close(dev, handle);
			goto out;
		}
		bo_insert(bo);
	}
	*out = bo;
out:
	pthread_mutex_unlock(&dev->bo_lock);
	return err;
}

DOJO_EXPORT int dojo_bo_export(struct dojo_bo *bo, int *fd)
{
	if (!bo || !fd)
		return -EINVAL;
	*fd = -1;
	return dojo_drm_ret(drmPrimeHandleToFD(bo->dev->fd, bo->handle,
					       DRM_CLOEXEC | DRM_RDWR, fd));
}

DOJO_EXPORT void dojo_bo_free(struct dojo_bo *bo)
{
	struct dojo_device *dev;
	void *map;

	if (!bo)
		return;
	dev = bo->dev;
	pthread_mutex_lock(&dev->bo_lock);
	if (--bo->refs) {
		pthread_mutex_unlock(&dev->bo_lock);
		return;
	}
	bo_remove(bo);
	map = __atomic_load_n(&bo->map, __ATOMIC_ACQUIRE);
	if (map)
		munmap(map, bo->size);
	gem_close(dev, bo->handle);
	pthread_mutex_unlock(&dev->bo_lock);
	free(bo);
	/* the last buffer of a closed device closes its file */
	dojo_device_put(dev);
}

DOJO_EXPORT int dojo_bo_map(struct dojo_bo *bo, void **ptr)
{
	void *map, *expected = NULL;

	if (!bo || !ptr)
		return -EINVAL;
	*ptr = NULL;
	map = __atomic_load_n(&bo->map, __ATOMIC_ACQUIRE);
	if (map) {
		*ptr = map;
		return 0;
	}
	if (bo->placement != DRM_DOJO_PLACEMENT_HOST || !bo->mmap_offset)
		return -EOPNOTSUPP;

	map = mmap(NULL, bo->size, PROT_READ | PROT_WRITE, MAP_SHARED,
		   bo->dev->fd, (off_t)bo->mmap_offset);
	if (map == MAP_FAILED)
		return -errno;
	/* Two threads mapped it at once: keep the first mapping. */
	if (!__atomic_compare_exchange_n(&bo->map, &expected, map, 0,
					 __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
		munmap(map, bo->size);
		map = expected;
	}
	*ptr = map;
	return 0;
}

DOJO_EXPORT int dojo_bo_info(struct dojo_bo *bo, struct drm_dojo_bo_info *out)
{
	if (!bo || !out)
		return -EINVAL;
	return bo_query(bo->dev, bo->handle, out);
}

DOJO_EXPORT uint64_t dojo_bo_size(const struct dojo_bo *bo)
{
	return bo ? bo->size : 0;
}

DOJO_EXPORT uint32_t dojo_bo_placement(const struct dojo_bo *bo)
{
	return bo ? bo->placement : 0;
}

DOJO_EXPORT uint32_t dojo_bo_handle(const struct dojo_bo *bo)
{
	return bo ? bo->handle : 0;
}

DOJO_EXPORT struct dojo_device *dojo_bo_device(const struct dojo_bo *bo)
{
	return bo ? bo->dev : NULL;
}
