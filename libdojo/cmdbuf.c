// SPDX-License-Identifier: MIT
/*
 * Command buffers: the commands of one job and its buffer table, checked
 * here as far as the library can (lengths, ranges, counts, one device), so
 * that most mistakes surface where the command is added rather than as an
 * -EINVAL of the whole submission.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "dma_internal.h"

#define CMDBUF_MIN_CAP	16

DOJO_EXPORT int dojo_cmdbuf_new(struct dojo_cmdbuf **out)
{
	struct dojo_cmdbuf *cb;

	if (!out)
		return -EINVAL;
	cb = calloc(1, sizeof(*cb));
	*out = cb;
	return cb ? 0 : -ENOMEM;
}

DOJO_EXPORT void dojo_cmdbuf_free(struct dojo_cmdbuf *cb)
{
	if (!cb)
		return;
	free(cb->cmds);
	free(cb);
}

DOJO_EXPORT void dojo_cmdbuf_reset(struct dojo_cmdbuf *cb)
{
	if (!cb)
		return;
	cb->dev = NULL;
	cb->num = 0;
	cb->num_bos = 0;
}

DOJO_EXPORT uint32_t dojo_cmdbuf_num_cmds(const struct dojo_cmdbuf *cb)
{
	return cb ? cb->num : 0;
}

DOJO_EXPORT uint32_t dojo_cmdbuf_num_bos(const struct dojo_cmdbuf *cb)
{
	return cb ? cb->num_bos : 0;
}

DOJO_EXPORT int dojo_cmdbuf_add_bo(struct dojo_cmdbuf *cb, struct dojo_bo *bo)
{
	uint32_t i;

	if (!cb || !bo)
		return -EINVAL;
	if (cb->num_bos && cb->dev != bo->dev)
		return -EXDEV;
	for (i = 0; i < cb->num_bos; i++)
		if (cb->bos[i] == bo)
			return (int)i;
	if (cb->num_bos >= DRM_DOJO_MAX_BOS)
		return -ENOSPC;
	cb->dev = bo->dev;
	cb->bos[cb->num_bos] = bo;
	cb->handles[cb->num_bos] = bo->handle;
	return (int)cb->num_bos++;
}

/* Room for one more command. */
static int cmdbuf_reserve(struct dojo_cmdbuf *cb)
{
	struct drm_dojo_cmd *cmds;
	uint32_t cap;

	if (cb->num < cb->cap)
		return 0;
	if (cb->num >= DRM_DOJO_MAX_CMDS)
		return -ENOSPC;
	cap = cb->cap ? cb->cap * 2 : CMDBUF_MIN_CAP;
	if (cap > DRM_DOJO_MAX_CMDS)
		cap = DRM_DOJO_MAX_CMDS;
	cmds = realloc(cb->cmds, cap * sizeof(*cmds));
	if (!cmds)
		return -ENOMEM;
	cb->cmds = cmds;
	cb->cap = cap;
	return 0;
}

/* [off, off + len) inside @bo, len >= 1. */
static int range_ok(const struct dojo_bo *bo, uint64_t off, uint64_t len)
{
	return bo && len && off <= bo->size && len <= bo->size - off;
}

/* Only COPY may name a remote buffer, and only on one side. */
static int is_remote(const struct dojo_bo *bo)
{
	return bo->placement == DRM_DOJO_PLACEMENT_REMOTE;
}

/*
 * Append @cmd after adding @src and @dst (either may be NULL) to the table;
 * on any failure @cb is left as it was.
 */
static int cmdbuf_push(struct dojo_cmdbuf *cb, struct drm_dojo_cmd *cmd,
		       struct dojo_bo *src, struct dojo_bo *dst)
{
	uint32_t old_bos = cb->num_bos;
	struct dojo_device *old_dev = cb->dev;
	int err, idx;

	err = cmdbuf_reserve(cb);
	if (err)
		return err;
	if (src) {
		idx = dojo_cmdbuf_add_bo(cb, src);
		if (idx < 0) {
			err = idx;
			goto undo;
		}
		cmd->src_bo = (uint8_t)idx;
	}
	if (dst) {
		idx = dojo_cmdbuf_add_bo(cb, dst);
		if (idx < 0) {
			err = idx;
			goto undo;
		}
		cmd->dst_bo = (uint8_t)idx;
	}
	cb->cmds[cb->num++] = *cmd;
	return 0;

undo:
	cb->num_bos = old_bos;
	cb->dev = old_dev;
	return err;
}

DOJO_EXPORT int dojo_cmdbuf_copy(struct dojo_cmdbuf *cb, struct dojo_bo *dst,
				 uint64_t dst_offset, struct dojo_bo *src,
				 uint64_t src_offset, uint64_t len)
{
	struct drm_dojo_cmd cmd = {
		.op = DRM_DOJO_CMD_COPY,
		.src_offset = src_offset,
		.dst_offset = dst_offset,
		.len = len,
	};

	if (!cb || !range_ok(src, src_offset, len) ||
	    !range_ok(dst, dst_offset, len) ||
	    (is_remote(src) && is_remote(dst)))
		return -EINVAL;
	return cmdbuf_push(cb, &cmd, src, dst);
}

DOJO_EXPORT int dojo_cmdbuf_fill(struct dojo_cmdbuf *cb, struct dojo_bo *dst,
				 uint64_t dst_offset, uint64_t len,
				 uint32_t pattern)
{
	struct drm_dojo_cmd cmd = {
		.op = DRM_DOJO_CMD_FILL,
		.pattern = pattern,
		.dst_offset = dst_offset,
		.len = len,
	};

	if (!cb || !range_ok(dst, dst_offset, len) || is_remote(dst))
		return -EINVAL;
	return cmdbuf_push(cb, &cmd, NULL, dst);
}

DOJO_EXPORT int dojo_cmdbuf_crc32(struct dojo_cmdbuf *cb, struct dojo_bo *dst,
				  uint64_t dst_offset, struct dojo_bo *src,
				  uint64_t src_offset, uint64_t len)
{
	struct drm_dojo_cmd cmd = {
		.op = DRM_DOJO_CMD_CRC32,
		.src_offset = src_offset,
		.dst_offset = dst_offset,
		.len = len,
	};

	if (!cb || !range_ok(src, src_offset, len) ||
	    !range_ok(dst, dst_offset, 4) || is_remote(src) || is_remote(dst))
		return -EINVAL;
	return cmdbuf_push(cb, &cmd, src, dst);
}

DOJO_EXPORT int dojo_cmdbuf_barrier(struct dojo_cmdbuf *cb)
{
	struct drm_dojo_cmd cmd = { .op = DRM_DOJO_CMD_BARRIER };

	if (!cb)
		return -EINVAL;
	return cmdbuf_push(cb, &cmd, NULL, NULL);
}

DOJO_EXPORT int dojo_cmdbuf_nop(struct dojo_cmdbuf *cb)
{
	struct drm_dojo_cmd cmd = { .op = DRM_DOJO_CMD_NOP };

	if (!cb)
		return -EINVAL;
	return cmdbuf_push(cb, &cmd, NULL, NULL);
}
