/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Grants: ranges of this DIP's buffers that peers on the Z-plane may
 * reach, each held by the file that exported it.
 */
#ifndef __DOJO_GRANT_H__
#define __DOJO_GRANT_H__

struct drm_device;
struct drm_file;
struct drm_gem_object;
struct dojo_device;
struct dojo_file_priv;

/* Grants one file may hold at once. */
#define DOJO_GRANTS_PER_FILE	256

void dojo_grants_init(struct dojo_file_priv *fpriv);
void dojo_grants_fini(struct dojo_file_priv *fpriv);
void dojo_grants_gem_close(struct drm_gem_object *obj, struct drm_file *file);
void dojo_grants_release_stuck(struct dojo_device *ddev);

int dojo_grant_create_ioctl(struct drm_device *drm, void *data,
			    struct drm_file *file);
int dojo_grant_revoke_ioctl(struct drm_device *drm, void *data,
			    struct drm_file *file);

#endif /* __DOJO_GRANT_H__ */
