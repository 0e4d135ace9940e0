// SPDX-License-Identifier: MIT
/*
 * Jobs: submission, waiting, and the syncobjs that order jobs against
 * each other and against other drivers.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xf86drm.h>

#include "dma_internal.h"

DOJO_EXPORT int dojo_submit(struct dojo_device *dev, uint32_t queue,
			    const struct dojo_cmdbuf *cb,
			    const struct drm_dojo_sync *in_syncs,
			    uint32_t num_in_syncs,
			    const struct drm_dojo_sync *out_sync,
			    uint64_t *job_id)
{
	struct drm_dojo_submit req;

	if (job_id)
		*job_id = 0;
	if (!dev || !cb || !cb->num || num_in_syncs > DRM_DOJO_MAX_SYNCS ||
	    (num_in_syncs && !in_syncs))
		return -EINVAL;
	if (cb->num_bos && cb->dev != dev)
		return -EXDEV;

	memset(&req, 0, sizeof(req));
	req.queue = queue;
	req.cmds = (uint64_t)(uintptr_t)cb->cmds;
	req.num_cmds = cb->num;
	req.bo_handles = (uint64_t)(uintptr_t)cb->handles;
	req.num_bos = cb->num_bos;
	req.in_syncs = (uint64_t)(uintptr_t)in_syncs;
	req.num_in_syncs = num_in_syncs;
	if (out_sync)
		req.out_sync = *out_sync;
	/* drmIoctl() restarts on EINTR and EAGAIN: nothing was queued then. */
	if (drmIoctl(dev->fd, DRM_IOCTL_DOJO_SUBMIT, &req))
		return -errno;
	if (job_id)
		*job_id = req.job_id;
	return 0;
}

DOJO_EXPORT int dojo_job_wait(struct dojo_device *dev, uint64_t job_id,
			      int64_t timeout_ns, struct dojo_job_status *st)
{
	struct drm_dojo_job_wait req;
	int err = 0;

	if (st)
		memset(st, 0, sizeof(*st));
	if (!dev)
		return -EINVAL;

	memset(&req, 0, sizeof(req));
	req.job_id = job_id;
	/* Absolute, so that a restarted wait keeps its deadline. */
	req.timeout_ns = dojo_deadline_ns(timeout_ns);
	if (drmIoctl(dev->fd, DRM_IOCTL_DOJO_JOB_WAIT, &req))
		err = -errno;
	if (st && !err) {
		st->status = req.status;
		st->error = req.error;
		st->error_cmd = req.error_cmd;
	}
	return err;
}

DOJO_EXPORT const char *dojo_job_status_str(uint32_t status)
{
	switch (status) {
	case DRM_DOJO_JOB_PENDING:
		return "pending";
	case DRM_DOJO_JOB_DONE:
		return "done";
	case DRM_DOJO_JOB_ERROR:
		return "error";
	case DRM_DOJO_JOB_TIMEOUT:
		return "timed out (hung; its queue was reset)";
	case DRM_DOJO_JOB_ABORTED:
		return "aborted (by a reset caused by other work)";
	case DRM_DOJO_JOB_ECC_ERROR:
		return "ECC error (it read HBM with an uncorrected error)";
	case DRM_DOJO_JOB_LINK_DOWN:
		return "link down (a tile buffer it used is out of reach)";
	case DRM_DOJO_JOB_ZPLANE_DOWN:
		return "Z-plane down (a remote buffer is out of reach: no link or no connection)";
	case DRM_DOJO_JOB_REMOTE_REFUSED:
		return "remote refused (no such grant, wrong key, outside it or read only)";
	case DRM_DOJO_JOB_REMOTE_GONE:
		return "remote gone (the peer closed the connection or left the Z-plane)";
	case DRM_DOJO_JOB_REMOTE_TIMEOUT:
		return "remote timeout (the peer stopped answering)";
	}
	return "unknown";
}

DOJO_EXPORT const char *dojo_job_error_str(uint32_t error)
{
	switch (error) {
	case DRM_DOJO_ERR_NONE:
		return "none";
	case DRM_DOJO_ERR_FAULT:
		return "access outside a buffer";
	case DRM_DOJO_ERR_INVALID:
		return "malformed command";
	case DRM_DOJO_ERR_DMA:
		return "DMA transfer failed";
	case DRM_DOJO_ERR_HBM:
		return "HBM could not store the data";
	}
	return "unknown";
}

/* ---- syncobjs ------------------------------------------------------------ */

DOJO_EXPORT int dojo_syncobj_create(struct dojo_device *dev, uint32_t flags,
				    uint32_t *handle)
{
	if (!dev || !handle)
		return -EINVAL;
	*handle = 0;
	return dojo_drm_ret(drmSyncobjCreate(dev->fd, flags, handle));
}

DOJO_EXPORT int dojo_syncobj_destroy(struct dojo_device *dev, uint32_t handle)
{
	if (!dev)
		return -EINVAL;
	return dojo_drm_ret(drmSyncobjDestroy(dev->fd, handle));
}

DOJO_EXPORT int dojo_syncobj_wait(struct dojo_device *dev,
				  const struct drm_dojo_sync *syncs,
				  uint32_t count, int64_t timeout_ns,
				  uint32_t flags, uint32_t *first)
{
	uint32_t *handles, i, sig = 0;
	uint64_t *points;
	int64_t deadline;
	int timeline = 0, err;

	if (!dev || !syncs || !count)
		return -EINVAL;
	handles = calloc(count, sizeof(*handles));
	points = calloc(count, sizeof(*points));
	if (!handles || !points) {
		err = -ENOMEM;
		goto out;
	}
	for (i = 0; i < count; i++) {
		if (syncs[i].flags) {
			err = -EINVAL;
			goto out;
		}
		handles[i] = syncs[i].handle;
		points[i] = syncs[i].point;
		timeline |= points[i] != 0;
	}

	deadline = dojo_deadline_ns(timeout_ns);
	if (timeline)
		err = drmSyncobjTimelineWait(dev->fd, handles, points, count,
					     deadline, flags, &sig);
	else
		err = drmSyncobjWait(dev->fd, handles, count, deadline, flags,
				     &sig);
	err = dojo_drm_ret(err);
	if (!err && first)
		*first = sig;
out:
	free(handles);
	free(points);
	return err;
}

DOJO_EXPORT int dojo_job_export_sync_file(struct dojo_device *dev,
					  const struct drm_dojo_sync *sync,
					  int *fd)
{
	uint32_t tmp;
	int err;

	if (!dev || !sync || !fd || sync->flags)
		return -EINVAL;
	*fd = -1;
	if (!sync->point)
		return dojo_drm_ret(drmSyncobjExportSyncFile(dev->fd,
							      sync->handle, fd));

	/* A timeline point goes through a binary syncobj of its own. */
	err = dojo_drm_ret(drmSyncobjCreate(dev->fd, 0, &tmp));
	if (err)
		return err;
	err = dojo_drm_ret(drmSyncobjTransfer(dev->fd, tmp, 0, sync->handle,
					      sync->point, 0));
	if (!err)
		err = dojo_drm_ret(drmSyncobjExportSyncFile(dev->fd, tmp, fd));
	drmSyncobjDestroy(dev->fd, tmp);
	return err;
}

DOJO_EXPORT int dojo_syncobj_import_sync_file(struct dojo_device *dev,
					      const struct drm_dojo_sync *sync,
					      int fd)
{
	uint32_t tmp;
	int err;

	if (!dev || !sync || sync->flags)
		return -EINVAL;
	if (fd < 0)
		return -EBADF;
	if (!sync->point)
		return dojo_drm_ret(drmSyncobjImportSyncFile(dev->fd,
							      sync->handle, fd));

	err = dojo_drm_ret(drmSyncobjCreate(dev->fd, 0, &tmp));
	if (err)
		return err;
	err = dojo_drm_ret(drmSyncobjImportSyncFile(dev->fd, tmp, fd));
	if (!err)
		err = dojo_drm_ret(drmSyncobjTransfer(dev->fd, sync->handle,
						      sync->point, tmp, 0, 0));
	drmSyncobjDestroy(dev->fd, tmp);
	return err;
}
