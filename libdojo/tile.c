// SPDX-License-Identifier: MIT
/* The TTP tile port: the link's query, sharing tile buffers between DIPs. */
#include <errno.h>
#include <unistd.h>

#include "dma_internal.h"

DOJO_EXPORT int dojo_ttp_info(struct dojo_device *dev,
			      struct drm_dojo_ttp_info *out)
{
	if (!dev || !out)
		return -EINVAL;
	return dojo_query_struct(dev, DRM_DOJO_QUERY_TTP, out, sizeof(*out));
}

DOJO_EXPORT const char *dojo_ttp_link_state_name(uint32_t state)
{
	switch (state) {
	case DRM_DOJO_TTP_LINK_UP:
		return "up";
	case DRM_DOJO_TTP_LINK_DOWN:
		return "down";
	default:
		return NULL;
	}
}

DOJO_EXPORT int dojo_bo_share(struct dojo_bo *bo, struct dojo_device *to,
			      struct dojo_bo **out)
{
	int fd, err;

	if (!bo || !to || !out)
		return -EINVAL;
	*out = NULL;
	err = dojo_bo_export(bo, &fd);
	if (err)
		return err;
	err = dojo_bo_import(to, fd, out);
	close(fd);
	return err;
}
