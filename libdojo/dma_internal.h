/* SPDX-License-Identifier: MIT */
/* libdojo internals of buffers, command buffers and jobs: not installed. */
#ifndef LIBDOJO_DMA_INTERNAL_H
#define LIBDOJO_DMA_INTERNAL_H

#include <errno.h>
#include <stdint.h>
#include <time.h>

#include "internal.h"
#include "dojo_dma.h"

/**
 * struct dojo_bo - a buffer as the library tracks it
 * @dev: device whose GEM handle this is
 * @handle: GEM handle in @dev's file
 * @placement: DRM_DOJO_PLACEMENT_*
 * @size: bytes, as the kernel rounded them
 * @mmap_offset: offset to mmap() @dev's fd at (host buffers), else 0
 * @refs: references (creation, imports); under @dev's bo_lock
 * @map: CPU mapping once made, else NULL; set once, atomically
 * @next: next buffer of @dev in the same hash bucket
 */
struct dojo_bo {
	struct dojo_device *dev;
	uint32_t handle;
	uint32_t placement;
	uint64_t size;
	uint64_t mmap_offset;
	unsigned int refs;
	void *map;
	struct dojo_bo *next;
};

/**
 * struct dojo_cmdbuf - commands and buffer table of a job being built
 * @dev: device of the buffers, NULL while there are none
 * @cmds: @cap commands allocated, @num used
 * @bos: the buffer table; @handles is the same table as GEM handles
 */
struct dojo_cmdbuf {
	struct dojo_device *dev;
	struct drm_dojo_cmd *cmds;
	uint32_t num;
	uint32_t cap;
	uint32_t num_bos;
	struct dojo_bo *bos[DRM_DOJO_MAX_BOS];
	uint32_t handles[DRM_DOJO_MAX_BOS];
};

/*
 * bo.c: a buffer of @dev for a GEM handle the kernel just made, whose
 * placement and size the caller knows (a remote buffer has nothing more
 * to ask the driver); the existing buffer, with one more reference, if
 * @dev already holds the handle; on failure the handle is closed.
 */
int dojo_bo_adopt(struct dojo_device *dev, uint32_t handle,
		  uint32_t placement, uint64_t size, struct dojo_bo **out);

/*
 * libdrm's wrappers differ between versions in what they return on
 * failure (-1, -errno or errno); errno always holds the ioctl's error.
 */
static inline int dojo_drm_ret(int ret)
{
	if (!ret)
		return 0;
	return errno > 0 ? -errno : -EIO;
}

/* A relative timeout (< 0 forever, 0 poll) as an absolute CLOCK_MONOTONIC one. */
static inline int64_t dojo_deadline_ns(int64_t timeout_ns)
{
	struct timespec ts;
	int64_t now;

	if (timeout_ns <= 0)
		return timeout_ns < 0 ? INT64_MAX : 0;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	now = (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
	return timeout_ns > INT64_MAX - now ? INT64_MAX : now + timeout_ns;
}

#endif /* LIBDOJO_DMA_INTERNAL_H */
