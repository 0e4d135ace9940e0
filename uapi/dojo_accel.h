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

#define DRM_IOCTL_DOJO_QUERY \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_DOJO_QUERY, struct drm_dojo_query)

/**
 * enum drm_dojo_query_id - what &drm_dojo_query.query asks for
 * @DRM_DOJO_QUERY_DEVICE_INFO: &struct drm_dojo_device_info
 *
 * Zero is never a valid query, so that a zeroed struct is rejected.
 */
enum drm_dojo_query_id {
	DRM_DOJO_QUERY_DEVICE_INFO = 1,
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

#if defined(__cplusplus)
}
#endif

#endif /* _UAPI_DOJO_ACCEL_H_ */
