/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef __DOJO_QUERY_H__
#define __DOJO_QUERY_H__

struct drm_device;
struct drm_file;

int dojo_query_ioctl(struct drm_device *drm, void *data, struct drm_file *file);

#endif /* __DOJO_QUERY_H__ */
