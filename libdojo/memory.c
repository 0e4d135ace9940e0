// SPDX-License-Identifier: MIT
/* DRM_DOJO_QUERY_MEMORY: how much HBM and host memory buffers hold. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "dma_internal.h"

DOJO_EXPORT int dojo_memory_info(struct dojo_device *dev,
				 struct drm_dojo_memory_info *out)
{
	uint32_t size = 0, got;
	void *buf;
	int err;

	if (!dev || !out)
		return -EINVAL;

	/* A newer kernel's answer may be larger than this header's struct. */
	err = dojo_query(dev, DRM_DOJO_QUERY_MEMORY, NULL, &size);
	if (err)
		return err;
	if (size < sizeof(*out))
		size = sizeof(*out);
	buf = calloc(1, size);
	if (!buf)
		return -ENOMEM;
	got = size;
	err = dojo_query(dev, DRM_DOJO_QUERY_MEMORY, buf, &got);
	if (!err)
		memcpy(out, buf, sizeof(*out));
	free(buf);
	return err;
}
