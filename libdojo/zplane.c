// SPDX-License-Identifier: MIT
/* The TTPoE port: the Z-plane link, its connection table and their names. */
#include <errno.h>

#include "dma_internal.h"

DOJO_EXPORT int dojo_zplane_info(struct dojo_device *dev,
				 struct drm_dojo_zplane_info *out)
{
	if (!dev || !out)
		return -EINVAL;
	return dojo_query_struct(dev, DRM_DOJO_QUERY_ZPLANE, out, sizeof(*out));
}

DOJO_EXPORT int dojo_zplane_conns(struct dojo_device *dev,
				  struct drm_dojo_zplane_conns *out)
{
	int err;

	if (!dev || !out)
		return -EINVAL;
	err = dojo_query_struct(dev, DRM_DOJO_QUERY_ZPLANE_CONNS, out,
				sizeof(*out));
	/* a newer kernel with a larger table: keep the rows this header has */
	if (!err && out->count > DRM_DOJO_ZPLANE_MAX_CONNS)
		out->count = DRM_DOJO_ZPLANE_MAX_CONNS;
	return err;
}

DOJO_EXPORT const char *dojo_zplane_link_state_name(uint32_t state)
{
	switch (state) {
	case DRM_DOJO_ZPLANE_LINK_UP:
		return "up";
	case DRM_DOJO_ZPLANE_LINK_DOWN:
		return "down";
	case DRM_DOJO_ZPLANE_UNCABLED:
		return "uncabled";
	default:
		return NULL;
	}
}

DOJO_EXPORT const char *dojo_zplane_conn_state_name(uint32_t state)
{
	switch (state) {
	case DRM_DOJO_CONN_CLOSED:
		return "CLOSED";
	case DRM_DOJO_CONN_OPEN_SENT:
		return "OPEN_SENT";
	case DRM_DOJO_CONN_OPEN_RECD:
		return "OPEN_RECD";
	case DRM_DOJO_CONN_OPEN:
		return "OPEN";
	case DRM_DOJO_CONN_CLOSE_SENT:
		return "CLOSE_SENT";
	case DRM_DOJO_CONN_CLOSE_RECD:
		return "CLOSE_RECD";
	default:
		return NULL;
	}
}
