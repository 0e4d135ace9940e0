// SPDX-License-Identifier: MIT
/*
 * Grants and remote buffers: a DIP exports part of one of its buffers to
 * the Z-plane as a grant (node id, grant id, key); another DIP imports
 * those three numbers as a buffer of its own that COPY commands may name.
 */
#include <errno.h>
#include <string.h>

#include <xf86drm.h>

#include "dma_internal.h"

DOJO_EXPORT int dojo_grant_create(struct dojo_bo *bo, uint64_t offset,
				  uint64_t size, uint32_t flags,
				  struct dojo_grant *grant)
{
	struct drm_dojo_grant_create req;

	if (grant)
		memset(grant, 0, sizeof(*grant));
	if (!bo || !grant || !size || (flags & ~DRM_DOJO_GRANT_WRITE) ||
	    offset > bo->size || size > bo->size - offset)
		return -EINVAL;
	/* only the card's own memory can be reached by its peers */
	if (bo->placement != DRM_DOJO_PLACEMENT_HBM &&
	    bo->placement != DRM_DOJO_PLACEMENT_TILE)
		return -EOPNOTSUPP;

	memset(&req, 0, sizeof(req));
	req.handle = bo->handle;
	req.flags = flags;
	req.offset = offset;
	req.size = size;
	if (drmIoctl(bo->dev->fd, DRM_IOCTL_DOJO_GRANT_CREATE, &req))
		return -errno;
	grant->node_id = req.node_id;
	grant->grant_id = req.grant_id;
	grant->key = req.key;
	grant->size = size;
	grant->flags = flags;
	return 0;
}

DOJO_EXPORT int dojo_grant_revoke(struct dojo_device *dev,
				  const struct dojo_grant *grant)
{
	struct drm_dojo_grant_revoke req;

	if (!dev || !grant || !grant->grant_id)
		return -EINVAL;
	memset(&req, 0, sizeof(req));
	req.grant_id = grant->grant_id;
	if (drmIoctl(dev->fd, DRM_IOCTL_DOJO_GRANT_REVOKE, &req))
		return -errno;
	return 0;
}

DOJO_EXPORT int dojo_remote_import(struct dojo_device *dev, uint32_t node_id,
				   uint32_t grant_id, uint64_t key,
				   uint64_t size, struct dojo_bo **bo)
{
	struct drm_dojo_remote_import req;

	if (bo)
		*bo = NULL;
	if (!dev || !bo || !size || !grant_id || node_id > 0xffffff)
		return -EINVAL;

	memset(&req, 0, sizeof(req));
	req.node_id = node_id;
	req.grant_id = grant_id;
	req.key = key;
	req.size = size;
	if (drmIoctl(dev->fd, DRM_IOCTL_DOJO_REMOTE_IMPORT, &req))
		return -errno;
	return dojo_bo_adopt(dev, req.handle, DRM_DOJO_PLACEMENT_REMOTE, size,
			     bo);
}
