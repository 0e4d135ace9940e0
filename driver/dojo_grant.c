// SPDX-License-Identifier: GPL-2.0-only
/*
 * Grants (docs/hardware.md): a file lets peers on the Z-plane reach a
 * range of one of this DIP's HBM or tile buffers, and the card checks
 * every remote access against its grant table. A grant keeps its buffer
 * (a GEM reference), so that the memory a peer may reach is never given
 * to anyone else; it ends on GRANT_REVOKE, when the file closes the
 * buffer's handle, or when the file closes. Only then is the reference
 * dropped, after the card said that no engine touches the memory any more.
 *
 * Each file keeps its grants in an xarray by the card's grant id, which
 * the card never reuses since power-on. A card that is gone is not asked
 * anything: its grants are simply forgotten (removal revoked them all).
 */
#include <linux/dma-fence.h>
#include <linux/slab.h>
#include <linux/xarray.h>

#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>

#include "dojo_accel.h"
#include "dojo_drv.h"
#include "dojo_gem.h"
#include "dojo_grant.h"
#include "dojo_job.h"
#include "dojo_ttp.h"
#include "dojo_zplane.h"

/**
 * struct dojo_grant - a grant a file exported
 * @id: the card's grant id
 * @obj: the buffer, referenced while the grant lasts
 * @stuck: on the device's zp_stuck list once its revoke went unconfirmed
 */
struct dojo_grant {
	u32 id;
	struct drm_gem_object *obj;
	struct list_head stuck;
};

void dojo_grants_init(struct dojo_file_priv *fpriv)
{
	mutex_init(&fpriv->grant_lock);
	xa_init(&fpriv->grants);
	fpriv->num_grants = 0;
}

/* End @grant, already out of the file's xarray. Under grant_lock. */
static void dojo_grant_end(struct dojo_file_priv *fpriv,
			   struct dojo_grant *grant)
{
	struct dojo_device *ddev = fpriv->ddev;
	int idx, ret = 0;

	lockdep_assert_held(&fpriv->grant_lock);
	if (drm_dev_enter(&ddev->drm, &idx)) {
		ret = dojo_zplane_revoke(ddev, grant->id);
		drm_dev_exit(idx);
	}
	fpriv->num_grants--;
	atomic_dec(&ddev->zp_grants);
	/*
	 * A revoke the card did not confirm may still let peers in: the
	 * buffer's memory stays out of use until the card is removed.
	 */
	if (ret && ret != -ENODEV) {
		mutex_lock(&ddev->zp_lock);
		list_add_tail(&grant->stuck, &ddev->zp_stuck);
		mutex_unlock(&ddev->zp_lock);
		return;
	}
	drm_gem_object_put(grant->obj);
	kfree(grant);
}

/* The card is gone: the memory of grants it never let go is free now. */
void dojo_grants_release_stuck(struct dojo_device *ddev)
{
	struct dojo_grant *grant, *tmp;
	LIST_HEAD(stuck);

	mutex_lock(&ddev->zp_lock);
	list_splice_init(&ddev->zp_stuck, &stuck);
	mutex_unlock(&ddev->zp_lock);
	list_for_each_entry_safe(grant, tmp, &stuck, stuck) {
		drm_gem_object_put(grant->obj);
		kfree(grant);
	}
}

/* At file close, after every handle was closed: nothing should be left. */
void dojo_grants_fini(struct dojo_file_priv *fpriv)
{
	struct dojo_grant *grant;
	unsigned long id;

	mutex_lock(&fpriv->grant_lock);
	xa_for_each(&fpriv->grants, id, grant) {
		xa_erase(&fpriv->grants, id);
		dojo_grant_end(fpriv, grant);
	}
	mutex_unlock(&fpriv->grant_lock);
	xa_destroy(&fpriv->grants);
	mutex_destroy(&fpriv->grant_lock);
}

/*
 * drm_gem_object_funcs.close of HBM and tile buffers: @file closed a
 * handle of @obj, which ends the grants @file exported on it.
 */
void dojo_grants_gem_close(struct drm_gem_object *obj, struct drm_file *file)
{
	struct dojo_file_priv *fpriv = file->driver_priv;
	struct dojo_grant *grant;
	unsigned long id;

	mutex_lock(&fpriv->grant_lock);
	xa_for_each(&fpriv->grants, id, grant) {
		if (grant->obj != obj)
			continue;
		xa_erase(&fpriv->grants, id);
		dojo_grant_end(fpriv, grant);
	}
	mutex_unlock(&fpriv->grant_lock);
}

/*
 * What the card is told for a grant of [offset, offset + size) of @bo:
 * an HBM buffer by its HBM range, a tile buffer by its id at the tile
 * (whose hold must still be the port's). Inside drm_dev_enter().
 */
static int dojo_grant_args(struct dojo_device *ddev, struct dojo_bo *bo,
			   const struct drm_dojo_grant_create *args, u32 *cmd,
			   u64 arg[3])
{
	u64 write = args->flags & DRM_DOJO_GRANT_WRITE ? DOJO_ZP_GRANT_WRITE : 0;

	if (bo->placement == DRM_DOJO_PLACEMENT_HBM) {
		*cmd = DOJO_ZP_MBOX_GRANT_HBM;
		arg[0] = bo->hbm_node.start + args->offset;
		arg[1] = args->size;
		arg[2] = write;
		return 0;
	}
	if (!dojo_ttp_epoch_valid(ddev, bo->tile_epoch))
		return -ENOLINK;
	*cmd = DOJO_ZP_MBOX_GRANT_TILE;
	arg[0] = bo->tile_id;
	arg[1] = args->offset;
	arg[2] = args->size | write << 63;
	return 0;
}

/*
 * Only this DIP's own memory can be granted: an HBM buffer, or a tile
 * buffer its port holds. Host buffers are the host's, remote buffers a
 * peer's.
 */
static int dojo_grant_check(struct drm_device *drm, struct drm_gem_object *obj,
			    const struct drm_dojo_grant_create *args)
{
	struct dojo_bo *bo = to_dojo_bo(obj);
	u64 end;

	if (obj->dev != drm)
		return -EINVAL;
	if (bo->placement != DRM_DOJO_PLACEMENT_HBM &&
	    bo->placement != DRM_DOJO_PLACEMENT_TILE)
		return -EINVAL;
	if (!args->size || check_add_overflow(args->offset, args->size, &end) ||
	    end > obj->size)
		return -EINVAL;
	return 0;
}

/*
 * A new HBM buffer is zeroed by a job of the driver's: no peer may read
 * it before that job ended, nor at all if it failed.
 */
static int dojo_grant_wait_scrub(struct dojo_bo *bo)
{
	struct dma_fence *scrub = dojo_bo_scrub_fence(bo);
	long ret;

	if (!scrub)
		return 0;
	ret = dma_fence_wait(scrub, true);
	if (!ret && scrub->error)
		ret = -EIO;
	dma_fence_put(scrub);
	return ret;
}

/* Export the grant and file it, unless the handle went meanwhile. */
static int dojo_grant_add(struct drm_device *drm, struct drm_file *file,
			  struct drm_gem_object *obj,
			  struct drm_dojo_grant_create *args)
{
	struct dojo_file_priv *fpriv = file->driver_priv;
	struct dojo_device *ddev = to_dojo_device(drm);
	struct drm_gem_object *still;
	struct dojo_grant *grant;
	u32 id, node, cmd;
	u64 arg[3], key;
	int ret, idx;

	grant = kzalloc(sizeof(*grant), GFP_KERNEL_ACCOUNT);
	if (!grant)
		return -ENOMEM;

	mutex_lock(&fpriv->grant_lock);
	ret = -ENOSPC;
	if (fpriv->num_grants >= DOJO_GRANTS_PER_FILE)
		goto err_unlock;
	ret = -ENODEV;
	if (!drm_dev_enter(drm, &idx))
		goto err_unlock;
	ret = dojo_grant_args(ddev, to_dojo_bo(obj), args, &cmd, arg);
	if (!ret)
		ret = dojo_zplane_grant(ddev, cmd, arg[0], arg[1], arg[2], &id,
					&key, &node);
	drm_dev_exit(idx);
	if (ret)
		goto err_unlock;

	grant->id = id;
	grant->obj = obj;
	fpriv->num_grants++;
	atomic_inc(&ddev->zp_grants);
	ret = xa_insert(&fpriv->grants, id, grant, GFP_KERNEL_ACCOUNT);
	if (ret) {
		drm_gem_object_get(obj);
		dojo_grant_end(fpriv, grant);
		goto out_unlock;
	}
	/*
	 * A handle closed since the lookup ran its close callback before
	 * the grant was filed: end the grant here instead.
	 */
	still = drm_gem_object_lookup(file, args->handle);
	if (still != obj) {
		xa_erase(&fpriv->grants, id);
		drm_gem_object_get(obj);
		dojo_grant_end(fpriv, grant);
		ret = -ENOENT;
	}
	if (still)
		drm_gem_object_put(still);
	if (!ret) {
		args->grant_id = id;
		args->node_id = node;
		args->key = key;
	}
	memzero_explicit(&key, sizeof(key));
	goto out_unlock;

err_unlock:
	kfree(grant);
out_unlock:
	mutex_unlock(&fpriv->grant_lock);
	return ret;
}

int dojo_grant_create_ioctl(struct drm_device *drm, void *data,
			    struct drm_file *file)
{
	struct drm_dojo_grant_create *args = data;
	struct drm_gem_object *obj;
	int ret;

	if (args->flags & ~DRM_DOJO_GRANT_WRITE)
		return -EINVAL;
	if (args->grant_id || args->node_id || args->key)
		return -EINVAL;
	if (!dojo_zplane_present(to_dojo_device(drm)))
		return -EOPNOTSUPP;

	obj = drm_gem_object_lookup(file, args->handle);
	if (!obj)
		return -ENOENT;
	ret = dojo_grant_check(drm, obj, args);
	if (!ret && to_dojo_bo(obj)->placement == DRM_DOJO_PLACEMENT_HBM)
		ret = dojo_grant_wait_scrub(to_dojo_bo(obj));
	/* On success the grant holds the lookup's reference. */
	if (!ret)
		ret = dojo_grant_add(drm, file, obj, args);
	if (ret)
		drm_gem_object_put(obj);
	return ret;
}

int dojo_grant_revoke_ioctl(struct drm_device *drm, void *data,
			    struct drm_file *file)
{
	struct dojo_file_priv *fpriv = file->driver_priv;
	struct drm_dojo_grant_revoke *args = data;
	struct dojo_grant *grant;

	if (args->flags)
		return -EINVAL;

	mutex_lock(&fpriv->grant_lock);
	grant = args->grant_id ? xa_erase(&fpriv->grants, args->grant_id) : NULL;
	if (grant)
		dojo_grant_end(fpriv, grant);
	mutex_unlock(&fpriv->grant_lock);
	return grant ? 0 : -ENOENT;
}
