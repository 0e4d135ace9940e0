/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * dojo: the ioctl interface of the Dojo Interface Processor (DIP) driver.
 *
 * Rules every struct here follows (Documentation/process/botching-up-ioctls.rst):
 * fixed-size types only, explicit padding that the kernel checks is zero,
 * __u64 for user pointers, every flags field rejects unknown bits, sizes are
 * multiples of 8 so 32-bit and 64-bit userspace see one layout.
 */
#ifndef _UAPI_DOJO_ACCEL_H_
#define _UAPI_DOJO_ACCEL_H_

#include "drm.h"

#if defined(__cplusplus)
extern "C" {
#endif

#define DRM_DOJO_QUERY			0x00
#define DRM_DOJO_BO_CREATE		0x01
#define DRM_DOJO_BO_INFO		0x02
#define DRM_DOJO_SUBMIT			0x03
#define DRM_DOJO_JOB_WAIT		0x04
#define DRM_DOJO_GRANT_CREATE		0x05
#define DRM_DOJO_GRANT_REVOKE		0x06
#define DRM_DOJO_REMOTE_IMPORT		0x07

#define DRM_IOCTL_DOJO_QUERY \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_DOJO_QUERY, struct drm_dojo_query)
#define DRM_IOCTL_DOJO_BO_CREATE \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_DOJO_BO_CREATE, struct drm_dojo_bo_create)
#define DRM_IOCTL_DOJO_BO_INFO \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_DOJO_BO_INFO, struct drm_dojo_bo_info)
#define DRM_IOCTL_DOJO_SUBMIT \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_DOJO_SUBMIT, struct drm_dojo_submit)
#define DRM_IOCTL_DOJO_JOB_WAIT \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_DOJO_JOB_WAIT, struct drm_dojo_job_wait)
#define DRM_IOCTL_DOJO_GRANT_CREATE \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_DOJO_GRANT_CREATE, struct drm_dojo_grant_create)
#define DRM_IOCTL_DOJO_GRANT_REVOKE \
	DRM_IOW(DRM_COMMAND_BASE + DRM_DOJO_GRANT_REVOKE, struct drm_dojo_grant_revoke)
#define DRM_IOCTL_DOJO_REMOTE_IMPORT \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_DOJO_REMOTE_IMPORT, struct drm_dojo_remote_import)

/**
 * enum drm_dojo_query_id - what &drm_dojo_query.query asks for
 * @DRM_DOJO_QUERY_DEVICE_INFO: &struct drm_dojo_device_info
 * @DRM_DOJO_QUERY_MEMORY: &struct drm_dojo_memory_info
 * @DRM_DOJO_QUERY_TTP: &struct drm_dojo_ttp_info (-EOPNOTSUPP on a card
 *			without a TTP port)
 * @DRM_DOJO_QUERY_ZPLANE: &struct drm_dojo_zplane_info (-EOPNOTSUPP on a
 *			   card without a TTPoE port)
 * @DRM_DOJO_QUERY_ZPLANE_CONNS: &struct drm_dojo_zplane_conns (likewise)
 *
 * Zero is never a valid query, so that a zeroed struct is rejected.
 */
enum drm_dojo_query_id {
	DRM_DOJO_QUERY_DEVICE_INFO = 1,
	DRM_DOJO_QUERY_MEMORY = 2,
	DRM_DOJO_QUERY_TTP = 3,
	DRM_DOJO_QUERY_ZPLANE = 4,
	DRM_DOJO_QUERY_ZPLANE_CONNS = 5,
};

/**
 * struct drm_dojo_query - an extensible device query
 * @query: one of &enum drm_dojo_query_id
 * @size: in: bytes available at @data, or 0 to ask for the size needed;
 *	  out: bytes the kernel's answer takes. A non-zero @size smaller than
 *	  the answer is rejected with -EINVAL; a larger one is accepted and the
 *	  bytes past the answer are zeroed, so newer userspace on an older
 *	  kernel reads new fields as zero.
 * @flags: must be 0
 * @pad: must be 0
 * @data: user pointer to the answer buffer
 */
struct drm_dojo_query {
	__u32 query;
	__u32 size;
	__u32 flags;
	__u32 pad;
	__u64 data;
};

/* &drm_dojo_device_info.platform: what the driver is talking to. */
#define DRM_DOJO_PLATFORM_SILICON	1
#define DRM_DOJO_PLATFORM_EMULATED	2

/* &drm_dojo_device_info.bus_type: how the DIP is attached to the host. */
#define DRM_DOJO_BUS_PCI		1
#define DRM_DOJO_BUS_EMULATED		2

/**
 * struct drm_dojo_device_info - identity and shape of one DIP
 * @vendor_id: PCI vendor id the card reports
 * @device_id: PCI device id the card reports
 * @revision: silicon revision
 * @platform: DRM_DOJO_PLATFORM_*
 * @bus_type: DRM_DOJO_BUS_*
 * @fw_version: firmware version, major << 16 | minor << 8 | patch
 * @regs_version: register interface version, major << 16 | minor
 * @num_dma_queues: hardware DMA queues
 * @num_ttp_ports: TTP ports to a training tile
 * @num_ttpoe_ports: TTP-over-Ethernet ports
 * @pcie_max_gen: PCIe generation the card supports (4 for Gen4)
 * @pcie_max_width: PCIe lanes the card supports (16)
 * @hbm_size: bytes of HBM
 * @serial: serial number, NUL-terminated ASCII
 * @bus_addr: bus address, NUL-terminated ("0000:03:00.0", or the emulated
 *	      device's name)
 */
struct drm_dojo_device_info {
	__u32 vendor_id;
	__u32 device_id;
	__u32 revision;
	__u32 platform;
	__u32 bus_type;
	__u32 fw_version;
	__u32 regs_version;
	__u32 num_dma_queues;
	__u32 num_ttp_ports;
	__u32 num_ttpoe_ports;
	__u32 pcie_max_gen;
	__u32 pcie_max_width;
	__u64 hbm_size;
	char serial[32];
	char bus_addr[32];
};

/**
 * struct drm_dojo_memory_info - HBM accounting of one DIP
 * @hbm_size: bytes of HBM
 * @hbm_used: bytes of HBM held by buffers, all clients together
 * @host_used: bytes of host buffers created on this DIP, all clients
 * @hbm_largest_free: the largest HBM buffer that can be created now
 */
struct drm_dojo_memory_info {
	__u64 hbm_size;
	__u64 hbm_used;
	__u64 host_used;
	__u64 hbm_largest_free;
};

/* &drm_dojo_ttp_info.link_state */
#define DRM_DOJO_TTP_LINK_DOWN		1
#define DRM_DOJO_TTP_LINK_UP		2

/**
 * struct drm_dojo_ttp_info - the TTP port to a training tile, read live
 * @link_state: DRM_DOJO_TTP_LINK_*
 * @tile_id: the tile's id, while the link is up (else 0)
 * @tile_edge: the tile edge the DIP is cabled to, 0..3, while up
 * @tile_slot: its slot on that edge, 0..4, while up
 * @sram_size: bytes of the tile's SRAM, while up (else 0)
 * @link_changes: link state changes since the card powered on
 * @tx_bytes: bytes this DIP wrote to tile SRAM since it powered on
 * @rx_bytes: bytes this DIP read from tile SRAM since it powered on
 * @tile_used: bytes of tile buffers created on or imported into this DIP,
 *	       all clients together
 */
struct drm_dojo_ttp_info {
	__u32 link_state;
	__u32 tile_id;
	__u32 tile_edge;
	__u32 tile_slot;
	__u64 sram_size;
	__u64 link_changes;
	__u64 tx_bytes;
	__u64 rx_bytes;
	__u64 tile_used;
};

/* &drm_dojo_zplane_info.link_state */
#define DRM_DOJO_ZPLANE_LINK_DOWN	1	/* enabled, no carrier */
#define DRM_DOJO_ZPLANE_LINK_UP		2
#define DRM_DOJO_ZPLANE_UNCABLED	3	/* no Ethernet segment attached */

/**
 * struct drm_dojo_zplane_info - the TTPoE port to the Z-plane, read live
 * @link_state: DRM_DOJO_ZPLANE_*
 * @node_id: this DIP's 24-bit node id
 * @mac: the port's MAC address, 98:ed:5c and the node id; bytes 6..7 zero
 * @speed_mbps: link speed, 0 if the link does not say
 * @num_conns: rows of the connection table in use
 * @grants: grants this DIP has exported, all clients together
 * @pad: zero
 * @link_changes: link state changes since the card powered on
 * @tx_bytes: payload bytes sent, since power-on (as every counter here)
 * @rx_bytes: payload bytes received in order
 * @tx_frames: frames sent, replays included
 * @rx_frames: frames received for this DIP
 * @replays: payloads sent again after a loss, NACK or timeout
 * @nacks: NACK, NACK_FULL and NACK_NOLINK frames received
 * @drops: frames discarded: out of order, duplicate, or for no connection
 * @errors: malformed frames and remote accesses this DIP refused
 */
struct drm_dojo_zplane_info {
	__u32 link_state;
	__u32 node_id;
	__u8 mac[8];
	__u32 speed_mbps;
	__u32 num_conns;
	__u32 grants;
	__u32 pad;
	__u64 link_changes;
	__u64 tx_bytes;
	__u64 rx_bytes;
	__u64 tx_frames;
	__u64 rx_frames;
	__u64 replays;
	__u64 nacks;
	__u64 drops;
	__u64 errors;
};

/* &drm_dojo_zplane_conn.state: the TTP connection states */
#define DRM_DOJO_CONN_CLOSED		0
#define DRM_DOJO_CONN_OPEN_SENT		1
#define DRM_DOJO_CONN_OPEN_RECD		2
#define DRM_DOJO_CONN_OPEN		3
#define DRM_DOJO_CONN_CLOSE_SENT	4
#define DRM_DOJO_CONN_CLOSE_RECD	5

#define DRM_DOJO_ZPLANE_MAX_CONNS	64

/**
 * struct drm_dojo_zplane_conn - one connection: a peer and a virtual channel
 * @peer_node_id: the peer's node id
 * @vc: virtual channel, 0..2
 * @state: DRM_DOJO_CONN_*
 * @tx_seq: last sequence number (TxID) sent
 * @rx_seq: last sequence number received in order
 * @pad: zero
 */
struct drm_dojo_zplane_conn {
	__u32 peer_node_id;
	__u32 vc;
	__u32 state;
	__u32 tx_seq;
	__u32 rx_seq;
	__u32 pad;
};

/**
 * struct drm_dojo_zplane_conns - the connection table, read live
 * @count: rows filled in @conns
 * @pad: zero
 * @conns: the connections
 */
struct drm_dojo_zplane_conns {
	__u32 count;
	__u32 pad;
	struct drm_dojo_zplane_conn conns[DRM_DOJO_ZPLANE_MAX_CONNS];
};

/* &drm_dojo_bo_create.placement: where a buffer's memory lives. */
#define DRM_DOJO_PLACEMENT_HOST		1	/* host RAM, CPU-mappable */
#define DRM_DOJO_PLACEMENT_HBM		2	/* card HBM, not CPU-mappable */
#define DRM_DOJO_PLACEMENT_TILE		3	/* SRAM of the linked tile */
/* a grant of another DIP, reached over the Z-plane: REMOTE_IMPORT only */
#define DRM_DOJO_PLACEMENT_REMOTE	4

/*
 * Largest host buffer: the card reads a host buffer's page list as one
 * table, which the kernel allocates in one piece (docs/hardware.md).
 */
#define DRM_DOJO_MAX_HOST_BO_SIZE	(2ULL << 30)

/**
 * struct drm_dojo_bo_create - create a buffer
 * @size: bytes, rounded up to the page size; at most the HBM size, for a
 *	  host buffer at most DRM_DOJO_MAX_HOST_BO_SIZE, for a tile buffer
 *	  at most the tile's SRAM size
 * @placement: DRM_DOJO_PLACEMENT_*
 * @flags: must be 0
 * @handle: out: GEM handle, closed with DRM_IOCTL_GEM_CLOSE
 * @pad: must be 0
 */
struct drm_dojo_bo_create {
	__u64 size;
	__u32 placement;
	__u32 flags;
	__u32 handle;
	__u32 pad;
};

/**
 * struct drm_dojo_bo_info - what a buffer is
 * @handle: GEM handle, made or imported
 * @flags: must be 0
 * @size: out: bytes
 * @mmap_offset: out: offset to mmap() the accel node at for a host
 *		 buffer; 0 for HBM buffers, which the CPU cannot map
 * @placement: out: DRM_DOJO_PLACEMENT_*
 * @pad: must be 0
 */
struct drm_dojo_bo_info {
	__u32 handle;
	__u32 flags;
	__u64 size;
	__u64 mmap_offset;
	__u32 placement;
	__u32 pad;
};

/* &drm_dojo_grant_create.flags */
#define DRM_DOJO_GRANT_WRITE		0x1	/* peers may write */

/**
 * struct drm_dojo_grant_create - let other DIPs reach part of a buffer
 * @handle: an HBM or tile buffer of this DIP
 * @flags: DRM_DOJO_GRANT_WRITE or 0 (read only)
 * @offset: first byte of the range in the buffer
 * @size: bytes, 1 or more; the range must lie inside the buffer
 * @grant_id: out: the grant's id on this DIP, never 0
 * @node_id: out: this DIP's node id on the Z-plane
 * @key: out: the grant's key; a peer needs (node_id, grant_id, key)
 *
 * The grant lasts until DRM_IOCTL_DOJO_GRANT_REVOKE, until this file
 * closes @handle or closes, whichever comes first; it keeps the buffer.
 * Once revoked, the card refuses every access through it, and jobs
 * that used it fail DRM_DOJO_JOB_REMOTE_REFUSED.
 */
struct drm_dojo_grant_create {
	__u32 handle;
	__u32 flags;
	__u64 offset;
	__u64 size;
	__u32 grant_id;
	__u32 node_id;
	__u64 key;
};

/**
 * struct drm_dojo_grant_revoke - end a grant this file created
 * @grant_id: from &drm_dojo_grant_create.grant_id
 * @flags: must be 0
 *
 * Returns once no transfer touches the granted memory any more; -ENOENT
 * for a grant this file does not hold.
 */
struct drm_dojo_grant_revoke {
	__u32 grant_id;
	__u32 flags;
};

/**
 * struct drm_dojo_remote_import - name another DIP's grant as a buffer
 * @node_id: the peer's node id
 * @grant_id: its grant id
 * @key: its grant's key
 * @size: bytes the grant covers (as its owner said); 1 or more
 * @flags: must be 0
 * @handle: out: a GEM handle of placement DRM_DOJO_PLACEMENT_REMOTE that
 *	    COPY commands may name on either side
 *
 * Nothing is checked with the peer here: the peer checks every access,
 * and a job whose access it refuses fails DRM_DOJO_JOB_REMOTE_REFUSED.
 */
struct drm_dojo_remote_import {
	__u32 node_id;
	__u32 grant_id;
	__u64 key;
	__u64 size;
	__u32 flags;
	__u32 handle;
};

/*
 * Commands of a command buffer. The card executes a job's commands in
 * order; offsets and lengths are bytes, without alignment rules.
 *
 * NOP      nothing; every other field 0
 * COPY     bos[src_bo][src_offset, +len) -> bos[dst_bo][dst_offset, +len);
 *          at most one side a remote buffer, which only COPY may name
 * FILL     the 32-bit little-endian @pattern repeated over
 *          bos[dst_bo][dst_offset, +len); src_bo and src_offset 0
 * CRC32    CRC-32 (IEEE 802.3, as crc32_le(~0, ...) ^ ~0) of
 *          bos[src_bo][src_offset, +len), stored as 4 little-endian
 *          bytes at bos[dst_bo][dst_offset]
 * BARRIER  later commands start after earlier ones' writes are visible;
 *          every other field 0
 */
#define DRM_DOJO_CMD_NOP		0
#define DRM_DOJO_CMD_COPY		1
#define DRM_DOJO_CMD_FILL		2
#define DRM_DOJO_CMD_CRC32		3
#define DRM_DOJO_CMD_BARRIER		4

/**
 * struct drm_dojo_cmd - one command, 32 bytes
 * @op: DRM_DOJO_CMD_*
 * @src_bo: index into &drm_dojo_submit.bo_handles
 * @dst_bo: index into &drm_dojo_submit.bo_handles
 * @pattern: FILL only, otherwise 0
 * @src_offset: byte offset in the source buffer
 * @dst_offset: byte offset in the destination buffer
 * @len: bytes; 1 or more for COPY, FILL and CRC32
 */
struct drm_dojo_cmd {
	__u16 op;
	__u8 src_bo;
	__u8 dst_bo;
	__u32 pattern;
	__u64 src_offset;
	__u64 dst_offset;
	__u64 len;
};

#define DRM_DOJO_MAX_CMDS		4096
#define DRM_DOJO_MAX_BOS		64
#define DRM_DOJO_MAX_SYNCS		32

/*
 * Jobs one client (open file) may have submitted and not yet ended; a
 * SUBMIT beyond it fails with EBUSY until some of them end (not EAGAIN,
 * which libdrm's drmIoctl() retries in a loop).
 */
#define DRM_DOJO_MAX_JOBS_IN_FLIGHT	1024

/**
 * struct drm_dojo_sync - a syncobj and, for a timeline syncobj, a point
 * @handle: syncobj handle
 * @flags: must be 0
 * @point: timeline point, or 0 for a binary syncobj
 */
struct drm_dojo_sync {
	__u32 handle;
	__u32 flags;
	__u64 point;
};

/**
 * struct drm_dojo_submit - queue a command buffer on a DMA queue
 * @queue: hardware DMA queue, below num_dma_queues
 * @flags: must be 0
 * @cmds: user pointer to @num_cmds &struct drm_dojo_cmd
 * @bo_handles: user pointer to @num_bos __u32 GEM handles; commands name
 *		buffers by their index in this array
 * @in_syncs: user pointer to @num_in_syncs &struct drm_dojo_sync the job
 *	      waits for before it starts
 * @num_cmds: 1 to DRM_DOJO_MAX_CMDS
 * @num_bos: 0 to DRM_DOJO_MAX_BOS
 * @num_in_syncs: 0 to DRM_DOJO_MAX_SYNCS
 * @pad: must be 0
 * @out_sync: signalled when the job ends, however it ends; handle 0 for none
 * @job_id: out: the job's id for DRM_IOCTL_DOJO_JOB_WAIT
 */
struct drm_dojo_submit {
	__u32 queue;
	__u32 flags;
	__u64 cmds;
	__u64 bo_handles;
	__u64 in_syncs;
	__u32 num_cmds;
	__u32 num_bos;
	__u32 num_in_syncs;
	__u32 pad;
	struct drm_dojo_sync out_sync;
	__u64 job_id;
};

/* &drm_dojo_job_wait.status: how a job ended. */
#define DRM_DOJO_JOB_PENDING		0	/* not ended (wait timed out) */
#define DRM_DOJO_JOB_DONE		1	/* every command completed */
#define DRM_DOJO_JOB_ERROR		2	/* the card stopped it: see error */
#define DRM_DOJO_JOB_TIMEOUT		3	/* it hung; its queue was reset */
#define DRM_DOJO_JOB_ABORTED		4	/* a reset caused by other work ended it */
#define DRM_DOJO_JOB_ECC_ERROR		5	/* it read HBM with an uncorrected error */
/* a tile buffer it used is out of reach: the TTP link went down */
#define DRM_DOJO_JOB_LINK_DOWN		6
/* a remote buffer is out of reach: the Z-plane link is down, or no connection opened */
#define DRM_DOJO_JOB_ZPLANE_DOWN	7
/* the peer refused: no such grant, wrong key, outside it, or read only */
#define DRM_DOJO_JOB_REMOTE_REFUSED	8
/* the peer closed the connection or left the Z-plane mid-transfer */
#define DRM_DOJO_JOB_REMOTE_GONE	9
/* the peer stopped answering: no acknowledgment after every replay */
#define DRM_DOJO_JOB_REMOTE_TIMEOUT	10

/* &drm_dojo_job_wait.error for DRM_DOJO_JOB_ERROR, as the card reports it. */
#define DRM_DOJO_ERR_NONE		0
#define DRM_DOJO_ERR_FAULT		1	/* an access outside a buffer */
#define DRM_DOJO_ERR_INVALID		2	/* a malformed command or descriptor */
#define DRM_DOJO_ERR_DMA		3	/* a DMA transfer failed */
#define DRM_DOJO_ERR_HBM		4	/* HBM could not store the data */

/**
 * struct drm_dojo_job_wait - wait for a job and read how it ended
 * @job_id: from &drm_dojo_submit.job_id, on the same file
 * @timeout_ns: absolute CLOCK_MONOTONIC deadline; 0 polls
 * @flags: must be 0
 * @status: out: DRM_DOJO_JOB_*
 * @error: out: DRM_DOJO_ERR_* for DRM_DOJO_JOB_ERROR, otherwise 0
 * @error_cmd: out: index of the command the card stopped at (ERROR,
 *	       ECC_ERROR, LINK_DOWN and the Z-plane statuses)
 *
 * Returns 0 once the job has ended, whatever its status; -ETIME if the
 * deadline passed first (status PENDING); -ENOENT for an id this file
 * never got or whose status has been dropped (each file keeps the last
 * 1024 job statuses).
 */
struct drm_dojo_job_wait {
	__u64 job_id;
	__s64 timeout_ns;
	__u32 flags;
	__u32 status;
	__u32 error;
	__u32 error_cmd;
};

#if defined(__cplusplus)
}
#endif

#endif /* _UAPI_DOJO_ACCEL_H_ */
