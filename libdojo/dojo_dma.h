/* SPDX-License-Identifier: MIT */
/*
 * libdojo: buffers, command buffers and jobs on a DIP's DMA queues
 * Included by dojo.h; see there for the
 * library-wide conventions (0 or -errno returns, opaque handles, EINTR and
 * EAGAIN retried).
 *
 * Typical use:
 *
 *	dojo_bo_create(dev, size, DRM_DOJO_PLACEMENT_HOST, &host);
 *	dojo_bo_create(dev, size, DRM_DOJO_PLACEMENT_HBM, &hbm);
 *	dojo_bo_map(host, &p);  ...fill p...
 *	dojo_cmdbuf_new(&cb);
 *	dojo_cmdbuf_copy(cb, hbm, 0, host, 0, size);
 *	dojo_submit(dev, 0, cb, NULL, 0, NULL, &job);
 *	dojo_job_wait(dev, job, 5000000000, &st);   (5 s)
 *
 * Thread safety
 *   - Buffers: dojo_bo_create() and dojo_bo_import() may run concurrently
 *     on any devices. Each device keeps a table of its buffers by GEM
 *     handle, under a lock of its own, because the kernel gives a file one
 *     handle per buffer: importing a buffer the device already holds
 *     returns the same struct dojo_bo with one more reference, and the GEM
 *     handle is closed only when the last reference is freed. Every other
 *     dojo_bo_*() call on one buffer may run in several threads at once,
 *     dojo_bo_map() included (the mapping is made once and kept); only
 *     dojo_bo_free() of the last reference must not race with other use.
 *   - Each buffer holds a reference to its device: dojo_close() before the
 *     last dojo_bo_free() is safe; the device's file is closed when both
 *     the handle and every buffer are gone (see dojo_close()).
 *   - Command buffers are plain memory with no lock: one thread builds one
 *     at a time. dojo_submit() only reads it, so several threads may submit
 *     the same, unchanging, command buffer at once. The buffers it names must
 *     stay alive until dojo_submit() returns; from then on the job holds
 *     its own references and they may be freed while it runs.
 *   - dojo_submit(), dojo_job_wait(), dojo_memory_info() and the syncobj
 *     functions are single ioctls (or a fixed short sequence of them on
 *     private objects) and may run concurrently on one device. Job ids
 *     belong to the device handle (its DRM file): any thread may wait for
 *     any job submitted through the same struct dojo_device. The driver keeps
 *     the status of the last 1024 jobs of a file.
 *
 * Timeouts are relative, in nanoseconds: < 0 waits forever, 0 polls. The
 * library turns them into the absolute CLOCK_MONOTONIC deadlines the kernel
 * takes, so an interrupted and restarted wait keeps its deadline.
 */
#ifndef LIBDOJO_DOJO_DMA_H
#define LIBDOJO_DOJO_DMA_H

#include <stddef.h>
#include <stdint.h>

#include "dojo.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- buffers ---------------------------------------------------------- */

/*
 * A buffer of one DIP: host RAM the card reaches by DMA, card HBM, SRAM
 * of the training tile the DIP is linked to, or another DIP's grant
 * reached over the Z-plane (dojo_remote_import()).
 */
struct dojo_bo;

/**
 * dojo_bo_create() - create a buffer
 * @dev: an open DIP
 * @size: bytes, rounded up to the page size by the kernel
 * @placement: DRM_DOJO_PLACEMENT_HOST, DRM_DOJO_PLACEMENT_HBM or
 *	       DRM_DOJO_PLACEMENT_TILE
 * @bo: out: the buffer; release it with dojo_bo_free()
 *
 * Return: 0; -EINVAL (size 0 or larger than the HBM or the tile's SRAM,
 * unknown placement, TILE on a DIP without a TTP port); -ENOMEM (no host
 * memory, or no free HBM or tile SRAM range of that size); -ENOLINK (TILE
 * while the TTP link is down).
 */
int dojo_bo_create(struct dojo_device *dev, uint64_t size, uint32_t placement,
		   struct dojo_bo **bo);

/**
 * dojo_bo_import() - make a dma-buf usable as a buffer of @dev
 * @dev: an open DIP
 * @fd: a dma-buf file descriptor: dojo_bo_export() of this or another
 *	process, of this DIP or another one (host buffers only), or of any
 *	exporter with page-aligned memory, such as a udmabuf. @fd stays the
 *	caller's to close.
 * @bo: out: the buffer (an existing one, with one more reference, when
 *	@dev already holds this dma-buf's buffer)
 *
 * An imported buffer counts as a host buffer: dojo_bo_map() maps it through
 * the exporter.
 *
 * A tile buffer of another DIP imports as a tile buffer, if both DIPs are
 * linked to the same tile.
 *
 * Return: 0; -EBADF (@fd is not a dma-buf); -EOPNOTSUPP (the exporter
 * cannot share it with this DIP, like another DIP's HBM buffer); -EXDEV
 * (a tile buffer of a DIP on another tile); -ENOLINK (a tile buffer while
 * either TTP link is down); -EINVAL (memory the card cannot address page
 * by page); -ENOMEM.
 */
int dojo_bo_import(struct dojo_device *dev, int fd, struct dojo_bo **bo);

/**
 * dojo_bo_export() - share a buffer as a dma-buf
 * @bo: the buffer
 * @fd: out: a new dma-buf file descriptor (close-on-exec, mappable
 *	read-write), for dojo_bo_import() elsewhere; the caller closes it
 *
 * HBM buffers can be imported only into the same DIP (by another process),
 * as DIPs do not reach each other's HBM over PCIe.
 *
 * Return: 0, or -errno (-EMFILE, -ENOMEM).
 */
int dojo_bo_export(struct dojo_bo *bo, int *fd);

/*
 * Drop a reference to @bo; the last one unmaps it and closes its GEM
 * handle. Jobs already submitted keep the memory alive. NULL is accepted.
 */
void dojo_bo_free(struct dojo_bo *bo);

/**
 * dojo_bo_map() - the CPU address of a host buffer
 * @bo: a host buffer, made or imported
 * @ptr: out: start of a read-write, cached, shared mapping of the whole
 *	 buffer. The mapping is made on the first call and kept until the last
 *	 dojo_bo_free(); every call returns the same address.
 *
 * The CPU and the card see the same memory: read results only after the
 * job that wrote them has ended, and write what a job reads before
 * submitting it.
 *
 * Return: 0; -EOPNOTSUPP for an HBM buffer (the CPU cannot reach HBM);
 * -EACCES if the device was opened read-only; -ENODEV if the card is gone.
 */
int dojo_bo_map(struct dojo_bo *bo, void **ptr);

/**
 * dojo_bo_info() - ask the driver what a buffer is (DRM_IOCTL_DOJO_BO_INFO)
 * @bo: the buffer
 * @out: size, placement, mmap offset (0 for HBM) and handle
 *
 * Return: 0, or -errno.
 */
int dojo_bo_info(struct dojo_bo *bo, struct drm_dojo_bo_info *out);

/* Cached at creation or import; never fail for a valid @bo. */
uint64_t dojo_bo_size(const struct dojo_bo *bo);
uint32_t dojo_bo_placement(const struct dojo_bo *bo);
uint32_t dojo_bo_handle(const struct dojo_bo *bo);
struct dojo_device *dojo_bo_device(const struct dojo_bo *bo);

/**
 * dojo_memory_info() - DRM_DOJO_QUERY_MEMORY: HBM and host buffer use
 * @dev: an open DIP
 * @out: the answer; fields a kernel older than this header does not know
 *	 are zero
 *
 * Return: 0, or -errno.
 */
int dojo_memory_info(struct dojo_device *dev,
		     struct drm_dojo_memory_info *out);

/* ---- command buffers -------------------------------------------------- */

/*
 * The commands of one job and the buffers they name. It grows as commands
 * are added, up to DRM_DOJO_MAX_CMDS commands and DRM_DOJO_MAX_BOS buffers,
 * and may be submitted any number of times. All its buffers belong to one
 * device.
 */
struct dojo_cmdbuf;

/* 0 and *@cb set, or -ENOMEM. */
int dojo_cmdbuf_new(struct dojo_cmdbuf **cb);

/* Release @cb (not the buffers it names). NULL is accepted. */
void dojo_cmdbuf_free(struct dojo_cmdbuf *cb);

/* Forget every command and buffer; the memory is kept for reuse. */
void dojo_cmdbuf_reset(struct dojo_cmdbuf *cb);

/**
 * dojo_cmdbuf_add_bo() - add a buffer to the job's buffer table
 * @cb: the command buffer
 * @bo: the buffer; adding one twice returns the first index
 *
 * The command functions below add their buffers themselves; this is for
 * jobs that should hold a buffer without naming it in a command.
 *
 * Return: the buffer's index (0 to DRM_DOJO_MAX_BOS - 1); -ENOSPC when the
 * table is full; -EXDEV when @bo belongs to another device than the
 * buffers already added.
 */
int dojo_cmdbuf_add_bo(struct dojo_cmdbuf *cb, struct dojo_bo *bo);

/*
 * Commands, in the order the card runs them. Each returns 0, or a negative
 * errno and leaves @cb as it was:
 *   -EINVAL  a length of 0, or a range [offset, offset + len) outside its
 *            buffer (CRC32: 4 bytes at @dst_offset)
 *   -ENOSPC  DRM_DOJO_MAX_CMDS commands or DRM_DOJO_MAX_BOS buffers already
 *   -EXDEV   a buffer of another device
 *   -ENOMEM
 */

/* Copy @len bytes of @src at @src_offset to @dst at @dst_offset (memcpy order). */
int dojo_cmdbuf_copy(struct dojo_cmdbuf *cb, struct dojo_bo *dst,
		     uint64_t dst_offset, struct dojo_bo *src,
		     uint64_t src_offset, uint64_t len);

/* Repeat the 32-bit little-endian @pattern over @len bytes of @dst. */
int dojo_cmdbuf_fill(struct dojo_cmdbuf *cb, struct dojo_bo *dst,
		     uint64_t dst_offset, uint64_t len, uint32_t pattern);

/*
 * Store the CRC-32 (IEEE 802.3, as zlib's crc32()) of @len bytes of @src at
 * @src_offset as 4 little-endian bytes at @dst_offset of @dst.
 */
int dojo_cmdbuf_crc32(struct dojo_cmdbuf *cb, struct dojo_bo *dst,
		      uint64_t dst_offset, struct dojo_bo *src,
		      uint64_t src_offset, uint64_t len);

/* Later commands start after earlier commands' writes are visible. */
int dojo_cmdbuf_barrier(struct dojo_cmdbuf *cb);

/* A command that does nothing (a job needs at least one command). */
int dojo_cmdbuf_nop(struct dojo_cmdbuf *cb);

/* Commands and buffers in @cb. */
uint32_t dojo_cmdbuf_num_cmds(const struct dojo_cmdbuf *cb);
uint32_t dojo_cmdbuf_num_bos(const struct dojo_cmdbuf *cb);

/* ---- jobs ------------------------------------------------------------- */

/**
 * dojo_submit() - queue a command buffer as one job (DRM_IOCTL_DOJO_SUBMIT)
 * @dev: the DIP the command buffer's buffers belong to
 * @queue: DMA queue, below &drm_dojo_device_info.num_dma_queues; jobs of
 *	   one queue run in submission order, queues run in parallel
 * @cb: at least one command
 * @in_syncs: @num_in_syncs syncobjs (and timeline points) the job waits
 *	      for before it starts; NULL when @num_in_syncs is 0
 * @num_in_syncs: 0 to DRM_DOJO_MAX_SYNCS
 * @out_sync: a syncobj (and point, 0 for a binary syncobj) signalled when
 *	      the job ends, however it ends; NULL for none
 * @job_id: out: the job's id for dojo_job_wait(); may be NULL
 *
 * Return: 0; -EINVAL (empty @cb, bad queue, too many syncs, a command the
 * driver refuses); -EXDEV (@cb's buffers belong to another device);
 * -ENOENT (a buffer or syncobj that no longer exists); -ENOMEM; -ENODEV
 * (the card is gone).
 */
int dojo_submit(struct dojo_device *dev, uint32_t queue,
		const struct dojo_cmdbuf *cb,
		const struct drm_dojo_sync *in_syncs, uint32_t num_in_syncs,
		const struct drm_dojo_sync *out_sync, uint64_t *job_id);

/**
 * struct dojo_job_status - how a job ended
 * @status: DRM_DOJO_JOB_* (PENDING when the wait timed out)
 * @error: DRM_DOJO_ERR_* for DRM_DOJO_JOB_ERROR, otherwise 0
 * @error_cmd: index of the command the card stopped at
 * @reserved: zero
 */
struct dojo_job_status {
	uint32_t status;
	uint32_t error;
	uint32_t error_cmd;
	uint32_t reserved;
};

/**
 * dojo_job_wait() - wait for a job to end (DRM_IOCTL_DOJO_JOB_WAIT)
 * @dev: the device the job was submitted through
 * @job_id: from dojo_submit()
 * @timeout_ns: relative; < 0 forever, 0 polls
 * @st: out: how it ended; may be NULL
 *
 * Return: 0 once the job has ended, whatever its status (look at
 * @st->status: a job the card stopped ended too); -ETIME if the timeout
 * passed first; -ENOENT for an id this device handle never returned or
 * whose status was dropped (only the last 1024 are kept).
 */
int dojo_job_wait(struct dojo_device *dev, uint64_t job_id,
		  int64_t timeout_ns, struct dojo_job_status *st);

/*
 * Names of DRM_DOJO_JOB_* ("done", "error", ...) and of DRM_DOJO_ERR_*
 * ("access outside a buffer", ...). Static strings; "unknown" otherwise.
 */
const char *dojo_job_status_str(uint32_t status);
const char *dojo_job_error_str(uint32_t error);

/* ---- syncobjs (the generic DRM syncobj ioctls, through libdrm) -------- */

/*
 * Create a syncobj of @dev; @flags 0 or DRM_SYNCOBJ_CREATE_SIGNALED. The
 * same syncobj serves as binary syncobj (point 0) and as timeline.
 */
int dojo_syncobj_create(struct dojo_device *dev, uint32_t flags,
			uint32_t *handle);
int dojo_syncobj_destroy(struct dojo_device *dev, uint32_t handle);

/**
 * dojo_syncobj_wait() - wait for syncobjs (or timeline points)
 * @dev: the device that made them
 * @syncs: @count handles and points (flags 0); all points 0 waits for the
 *	   binary fences, otherwise for the timeline points
 * @count: 1 or more
 * @timeout_ns: relative; < 0 forever, 0 polls
 * @flags: DRM_SYNCOBJ_WAIT_FLAGS_WAIT_ALL (all, not just one),
 *	   DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT (wait for a fence to be
 *	   attached instead of failing with -EINVAL)
 * @first: out: index of a signalled one (when not waiting for all); may be
 *	   NULL
 *
 * Return: 0; -ETIME when the timeout passed; -EINVAL (a syncobj without a
 * fence, unless WAIT_FOR_SUBMIT); -ENOENT (no such syncobj).
 */
int dojo_syncobj_wait(struct dojo_device *dev,
		      const struct drm_dojo_sync *syncs, uint32_t count,
		      int64_t timeout_ns, uint32_t flags, uint32_t *first);

/**
 * dojo_job_export_sync_file() - a sync_file of a job's out-sync, for
 * poll() and other drivers (in-fences of display, video, other accels)
 * @dev: the device
 * @sync: the syncobj (and timeline point) given to dojo_submit() as out-sync
 * @fd: out: a sync_file descriptor; the caller closes it
 *
 * Return: 0; -EINVAL when no fence is attached (yet) at that point; -ENOENT.
 */
int dojo_job_export_sync_file(struct dojo_device *dev,
			      const struct drm_dojo_sync *sync, int *fd);

/*
 * The reverse: attach the fence of sync_file @fd to @sync (point 0: replace
 * the binary fence; otherwise add it as that timeline point), so that a job
 * can wait for another driver's work through its in-syncs.
 */
int dojo_syncobj_import_sync_file(struct dojo_device *dev,
				  const struct drm_dojo_sync *sync, int fd);

/* ---- the TTP tile port (LIBDOJO_1.1) ---------------------------------- */

/**
 * dojo_ttp_info() - DRM_DOJO_QUERY_TTP: the DIP's link to a training tile
 * @dev: an open DIP
 * @out: the answer: link state, tile id, edge, slot, SRAM size, counters
 *
 * Return: 0; -EOPNOTSUPP (the DIP has no TTP port); -errno.
 */
int dojo_ttp_info(struct dojo_device *dev, struct drm_dojo_ttp_info *out);

/* "up" or "down" for a DRM_DOJO_TTP_LINK_* value; NULL for another. */
const char *dojo_ttp_link_state_name(uint32_t state);

/**
 * dojo_bo_share() - make a buffer usable by another DIP
 * @bo: the buffer
 * @to: the other DIP (or the same one, which gives @bo back)
 * @out: out: the buffer as @to sees it; release it with dojo_bo_free()
 *
 * Exports @bo and imports it into @to: the way a tile buffer reaches the
 * other DIPs of its tile (dojo_bo_create() with DRM_DOJO_PLACEMENT_TILE).
 *
 * Return: 0, or what dojo_bo_export() and dojo_bo_import() return.
 */
int dojo_bo_share(struct dojo_bo *bo, struct dojo_device *to,
		  struct dojo_bo **out);

/* ---- the Z-plane: link, grants, remote buffers (LIBDOJO_1.2) ---------- */

/**
 * dojo_zplane_info() - DRM_DOJO_QUERY_ZPLANE: the DIP's TTPoE port
 * @dev: an open DIP
 * @out: the answer: link state, node id, MAC, rows of the connection
 *	 table in use, grants exported, the port's counters
 *
 * Return: 0; -EOPNOTSUPP (the DIP has no TTPoE port); -EINVAL (a driver
 * without the Z-plane); -errno.
 */
int dojo_zplane_info(struct dojo_device *dev,
		     struct drm_dojo_zplane_info *out);

/**
 * dojo_zplane_conns() - DRM_DOJO_QUERY_ZPLANE_CONNS: the connection table
 * @dev: an open DIP
 * @out: the answer: @out->count rows of (peer node id, virtual channel,
 *	 DRM_DOJO_CONN_* state, last TxID sent, last TxID received in order)
 *
 * Return: as dojo_zplane_info().
 */
int dojo_zplane_conns(struct dojo_device *dev,
		      struct drm_dojo_zplane_conns *out);

/*
 * "up", "down" or "uncabled" for a DRM_DOJO_ZPLANE_* link state, and
 * "CLOSED", "OPEN_SENT", "OPEN_RECD", "OPEN", "CLOSE_SENT", "CLOSE_RECD"
 * for a DRM_DOJO_CONN_* connection state (the protocol's names); NULL
 * for another value.
 */
const char *dojo_zplane_link_state_name(uint32_t state);
const char *dojo_zplane_conn_state_name(uint32_t state);

/**
 * struct dojo_grant - what a peer needs to reach a granted range
 * @node_id: the owner DIP's node id on the Z-plane
 * @grant_id: the grant's id on the owner, never 0
 * @key: the grant's key
 * @size: bytes the grant covers
 * @flags: DRM_DOJO_GRANT_WRITE, or 0 for read only
 * @reserved: zero
 *
 * Plain numbers: hand them to the importing process any way (a pipe, a
 * file, the network); dojo_remote_import() takes @node_id, @grant_id,
 * @key and @size.
 */
struct dojo_grant {
	uint32_t node_id;
	uint32_t grant_id;
	uint64_t key;
	uint64_t size;
	uint32_t flags;
	uint32_t reserved;
};

/**
 * dojo_grant_create() - let other DIPs reach part of a buffer over the Z-plane
 * @bo: an HBM or tile buffer
 * @offset: first byte of the range in @bo
 * @size: bytes, 1 or more; [offset, offset + size) must lie inside @bo
 * @flags: DRM_DOJO_GRANT_WRITE (peers may write), or 0 (read only)
 * @grant: out: node id, grant id and key
 *
 * The grant keeps @bo's memory and lasts until dojo_grant_revoke(), or
 * until the last dojo_bo_free() of @bo, or until its device's file closes.
 *
 * Return: 0; -EINVAL (size 0, range outside @bo, unknown flag);
 * -EOPNOTSUPP (a host or remote buffer, or a DIP without a TTPoE port);
 * -ENOSPC (the card's grant table is full); -errno.
 */
int dojo_grant_create(struct dojo_bo *bo, uint64_t offset, uint64_t size,
		      uint32_t flags, struct dojo_grant *grant);

/**
 * dojo_grant_revoke() - end a grant
 * @dev: the device of the buffer the grant was made on
 * @grant: from dojo_grant_create() on @dev
 *
 * Returns once no transfer touches the granted memory any more; from then
 * on the card refuses every access through the grant, and peers' jobs
 * that try fail DRM_DOJO_JOB_REMOTE_REFUSED.
 *
 * Return: 0; -ENOENT (@dev holds no such grant); -errno.
 */
int dojo_grant_revoke(struct dojo_device *dev, const struct dojo_grant *grant);

/**
 * dojo_remote_import() - name another DIP's grant as a buffer of @dev
 * @dev: an open DIP
 * @node_id: the owner's node id (24 bits)
 * @grant_id: the grant's id
 * @key: the grant's key
 * @size: bytes the grant covers, as its owner said
 * @bo: out: a buffer of placement DRM_DOJO_PLACEMENT_REMOTE and @size
 *	bytes; release it with dojo_bo_free()
 *
 * A remote buffer may be named by COPY commands only, on one side of each
 * (the other a buffer of @dev): the command buffer functions refuse FILL,
 * CRC32, and COPY between two remote buffers (-EINVAL). It cannot be
 * mapped. Nothing is checked with the owner here: it checks every access,
 * and a job whose access it refuses ends DRM_DOJO_JOB_REMOTE_REFUSED.
 *
 * Return: 0; -EINVAL (size 0, grant id 0, node id beyond 24 bits);
 * -EOPNOTSUPP (a DIP without a TTPoE port); -ENOMEM; -errno.
 */
int dojo_remote_import(struct dojo_device *dev, uint32_t node_id,
		       uint32_t grant_id, uint64_t key, uint64_t size,
		       struct dojo_bo **bo);

#ifdef __cplusplus
}
#endif

#endif /* LIBDOJO_DOJO_DMA_H */
