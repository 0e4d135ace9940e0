// SPDX-License-Identifier: MIT
/* DRM_DOJO_QUERY_MEMORY: how much HBM and host memory buffers hold. */
#include <errno.h>

#include "dma_internal.h"

DOJO_EXPORT int dojo_memory_info(struct dojo_device *dev,
				 struct drm_dojo_memory_info *out)
{
	if (!dev || !out)
		return -EINVAL;
	return dojo_query_struct(dev, DRM_DOJO_QUERY_MEMORY, out, sizeof(*out));
}
