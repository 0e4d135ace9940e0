// SPDX-License-Identifier: MIT
/* DRM_IOCTL_DOJO_QUERY. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <xf86drm.h>

#include "internal.h"

DOJO_EXPORT int dojo_query(struct dojo_device *dev, uint32_t query_id,
			   void *buf, uint32_t *size)
{
	struct drm_dojo_query q;

	if (!dev || !size || (*size && !buf))
		return -EINVAL;

	memset(&q, 0, sizeof(q));
	q.query = query_id;
	q.size = *size;
	q.data = (uint64_t)(uintptr_t)buf;
	/* drmIoctl() restarts on EINTR and EAGAIN */
	if (drmIoctl(dev->fd, DRM_IOCTL_DOJO_QUERY, &q))
		return -errno;
	*size = q.size;
	return 0;
}

/*
 * Answer query @id into @out of @len bytes. Ask for the size first: a newer
 * kernel's answer can be larger than this header's struct, and the kernel
 * rejects a short buffer; bytes past an older kernel's answer are zeroed.
 */
int dojo_query_struct(struct dojo_device *dev, uint32_t id, void *out,
		      size_t len)
{
	uint32_t size = 0, got;
	void *buf;
	int err;

	err = dojo_query(dev, id, NULL, &size);
	if (err)
		return err;
	if (size < len)
		size = len;
	buf = calloc(1, size);
	if (!buf)
		return -ENOMEM;
	got = size;
	err = dojo_query(dev, id, buf, &got);
	if (!err)
		memcpy(out, buf, len);
	free(buf);
	return err;
}

DOJO_EXPORT int dojo_device_info(struct dojo_device *dev,
				 struct drm_dojo_device_info *out)
{
	int err;

	if (!dev || !out)
		return -EINVAL;

	err = dojo_query_struct(dev, DRM_DOJO_QUERY_DEVICE_INFO, out, sizeof(*out));
	if (!err) {
		out->serial[sizeof(out->serial) - 1] = '\0';
		out->bus_addr[sizeof(out->bus_addr) - 1] = '\0';
	}
	return err;
}
