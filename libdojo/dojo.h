/* SPDX-License-Identifier: MIT */
/*
 * libdojo: userspace access to Dojo Interface Processors (DIPs).
 *
 * Conventions
 *   - Every function that can fail returns 0 (or a non-negative count) on
 *     success and a negative errno on failure; dojo_strerror() describes it.
 *     Nothing here sets or relies on errno.
 *   - Handles are opaque. Memory the library hands out is released with the
 *     matching dojo_free_*() or dojo_close().
 *   - Interrupted or transiently failing ioctls (EINTR, EAGAIN) are retried.
 *
 * Thread safety
 *   - Enumeration (dojo_enumerate(), dojo_enumeration_find()) is reentrant:
 *     it keeps no global state and may run concurrently in any number of
 *     threads.
 *   - A struct dojo_device may be used from several threads at once by every
 *     function that takes a const handle or performs an ioctl
 *     (dojo_query(), dojo_device_info(), dojo_device_fd(), ...). The handle is
 *     immutable after dojo_open*() returns. dojo_close() must not run
 *     concurrently with any other use of the same handle.
 *
 * Discovery needs no privilege: it reads world-readable sysfs attributes
 * under /sys/class/accel and never opens a device node. Opening a device
 * needs access to its /dev/accel/accelN node.
 *
 * Link with `pkg-config --cflags --libs dojo`.
 */
#ifndef LIBDOJO_DOJO_H
#define LIBDOJO_DOJO_H

#include <stddef.h>
#include <stdint.h>

#include "dojo_accel.h"

#ifdef __cplusplus
extern "C" {
#endif

/* An open DIP. */
struct dojo_device;

/*
 * Fields of struct dojo_dev_info that come from the driver's sysfs
 * attributes, numbered for dojo_dev_info.present and .field_err.
 */
enum dojo_info_field {
	DOJO_FIELD_SERIAL = 0,		/* serial_number */
	DOJO_FIELD_FW_VERSION,		/* fw_version */
	DOJO_FIELD_PLATFORM,		/* platform */
	DOJO_FIELD_HBM_SIZE,		/* hbm_size_bytes */
	DOJO_FIELD_NUM_DMA_QUEUES,	/* num_dma_queues */
	DOJO_FIELD_NUM_TTP_PORTS,	/* num_ttp_ports */
	DOJO_FIELD_NUM_TTPOE_PORTS,	/* num_ttpoe_ports */
	DOJO_FIELD_BUS_TYPE,		/* bus_type */
	DOJO_FIELD_BUS_ADDR,		/* bus_addr */
	DOJO_FIELD_VENDOR_ID,		/* vendor_id */
	DOJO_FIELD_DEVICE_ID,		/* device_id */
	DOJO_FIELD_REVISION,		/* revision */
	DOJO_FIELD_PCIE_MAX_GEN,	/* pcie_max_gen */
	DOJO_FIELD_PCIE_MAX_WIDTH,	/* pcie_max_width */
	DOJO_FIELD_REGS_VERSION,	/* regs_version */
	DOJO_FIELD_PCIE_LINK_GEN,	/* PCI current_link_speed */
	DOJO_FIELD_PCIE_LINK_WIDTH,	/* PCI current_link_width */
	DOJO_FIELD_HBM_USED,		/* hbm_used_bytes (since 0.3) */
	DOJO_FIELD_DEVICE_RESETS,	/* device_resets (since 0.3) */
	DOJO_FIELD_JOB_TIMEOUTS,	/* job_timeouts (since 0.3) */
	DOJO_FIELD_COUNT
};

#define DOJO_NAME_LEN		16
#define DOJO_PATH_LEN		64
#define DOJO_STR_LEN		32

/**
 * struct dojo_dev_info - what sysfs says about one DIP
 * @index: position in the enumeration (DIPs sorted by accel minor), 0-based;
 *	   -1 for dojo_device_sysfs_info()
 * @minor: N of accelN, the minor number of its device node
 * @major: major number of its device node (0 if sysfs does not say)
 * @name: "accelN"
 * @devnode: device node, "/dev/accel/accelN" (below the sysroot, when the
 *	     enumeration was given one)
 * @driver: name of the kernel driver bound to the device, "" if unknown
 * @serial: serial number
 * @bus_addr: bus address ("0000:03:00.0", or an emulated device's name)
 * @bus_type: "pci" or "emulated"
 * @platform: "silicon" or "emulated"
 * @fw_version: firmware version, "major.minor.patch"
 * @regs_version: register interface version, "major.minor"
 * @hbm_size_bytes: bytes of HBM
 * @vendor_id: PCI vendor id
 * @device_id: PCI device id
 * @revision: silicon revision
 * @num_dma_queues: hardware DMA queues
 * @num_ttp_ports: TTP ports
 * @num_ttpoe_ports: TTP-over-Ethernet ports
 * @pcie_max_gen: PCIe generation the card supports
 * @pcie_max_width: PCIe lanes the card supports
 * @pcie_link_gen: PCIe generation the link trained to (PCI DIPs only: from
 *		   the PCI device's current_link_speed)
 * @pcie_link_width: PCIe lanes the link trained to (current_link_width)
 * @hbm_used_bytes: bytes of HBM held by buffers, all clients together,
 *		    when the DIP was enumerated
 * @device_resets: device resets since the driver bound the DIP
 * @job_timeouts: job timeouts (a job ran past the driver's job timeout
 *		  and its queue was reset) since then
 * @present: bit (1 << enum dojo_info_field) set when the field was read
 * @field_err: for each enum dojo_info_field that is not present, the negative
 *	       errno of reading it (-ENOENT: the driver does not provide the
 *	       attribute; -EACCES: not readable; -EINVAL: unparsable value;
 *	       -ENODEV for the PCIe link fields of a DIP that is not on PCI)
 *
 * Only the library allocates these, and only it knows their size: new
 * fields are added at the end, in a later minor version of the library, so
 * a program must never allocate, copy or take the size of one, nor step
 * through an array of them. The enumeration is an array of pointers.
 *
 * String fields are NUL-terminated and empty when not present. Numeric
 * fields are 0 when not present: test with dojo_info_has(), not the value.
 */
struct dojo_dev_info {
	int index;
	int minor;
	char name[DOJO_NAME_LEN];
	char devnode[DOJO_PATH_LEN];
	char driver[DOJO_STR_LEN];
	char serial[DOJO_STR_LEN];
	char bus_addr[DOJO_STR_LEN];
	char bus_type[DOJO_NAME_LEN];
	char platform[DOJO_NAME_LEN];
	char fw_version[DOJO_STR_LEN];
	char regs_version[DOJO_NAME_LEN];
	uint64_t hbm_size_bytes;
	uint32_t vendor_id;
	uint32_t device_id;
	uint32_t revision;
	uint32_t num_dma_queues;
	uint32_t num_ttp_ports;
	uint32_t num_ttpoe_ports;
	uint32_t pcie_max_gen;
	uint32_t pcie_max_width;
	uint32_t pcie_link_gen;
	uint32_t pcie_link_width;
	uint32_t present;
	int32_t field_err[32];
	uint64_t hbm_used_bytes;
	uint32_t device_resets;
	uint32_t job_timeouts;
	uint32_t major;
	/* new fields go here */
};

/* Is @field of @info known? 0 or 1. */
int dojo_info_has(const struct dojo_dev_info *info, enum dojo_info_field field);

/**
 * dojo_enumerate() - list the DIPs the system has, without opening them
 * @sysroot: the directory that stands for "/": sysfs is read in
 *	     @sysroot/sys and device nodes are opened below @sysroot (as
 *	     util-linux's --sysroot does). NULL or "" for the running system.
 *	     It lets tests describe DIPs in a directory tree; the library
 *	     reads no environment variable.
 * @list: out: array of @count pointers (NULL when @count is 0), in the
 *	  order of the DIPs' accel minors; release it, and the entries, with
 *	  dojo_free_enumeration()
 * @count: out: number of DIPs
 *
 * An accel device is a DIP when the driver bound to it is "dojo" or when it
 * carries the driver's "dojo" sysfs attribute group. A system without any
 * accel device (or without the accel subsystem) has zero DIPs: that is a
 * success. Attributes that cannot be read leave their field absent (see
 * dojo_info_has()) rather than failing the enumeration.
 *
 * Return: 0, or -errno (-ENOMEM, or the error of reading /sys/class/accel).
 */
int dojo_enumerate(const char *sysroot, struct dojo_dev_info ***list,
		   int *count);

/* Release what dojo_enumerate() returned. NULL is accepted. */
void dojo_free_enumeration(struct dojo_dev_info **list);

/**
 * dojo_enumeration_find() - find the DIP a user named
 * @list: from dojo_enumerate()
 * @count: entries in @list
 * @spec: how the user named it, tried in this order:
 *	  a decimal index ("0"), an accel name ("accel0"), a path of its
 *	  device node (any path: "/dev/accel/accel0",
 *	  "/dev/accel/../accel/accel0", a symlink; an existing node is
 *	  matched by its device number, otherwise the path is compared after
 *	  removing ".", ".." and repeated slashes), a serial number, a bus
 *	  address ("0000:03:00.0", or "03:00.0" for PCI domain 0)
 *
 * Return: the position in @list, -ENODEV when nothing matches, -EINVAL when
 * @spec is empty or NULL.
 */
int dojo_enumeration_find(struct dojo_dev_info *const *list, int count,
			  const char *spec);

/*
 * Opening. Each returns 0 and sets *@dev, or -errno:
 *   -ENODEV  no DIP matches, or the node is not driven by "dojo"
 *   -ENOENT  the DIP's device node does not exist
 *   -EACCES  the caller may not open the node
 *   -ENOMEM
 * The device node is opened read-write, or read-only when read-write access
 * is denied. dojo_open() takes any name dojo_enumeration_find() takes, and
 * dojo_open_path() any path of the node (symlinks, "..").
 * dojo_open_info() opens a DIP of an enumeration, below its sysroot.
 */
int dojo_open(const char *spec, struct dojo_device **dev);
int dojo_open_index(int index, struct dojo_device **dev);
int dojo_open_serial(const char *serial, struct dojo_device **dev);
int dojo_open_bus_addr(const char *bus_addr, struct dojo_device **dev);
int dojo_open_path(const char *path, struct dojo_device **dev);
int dojo_open_info(const struct dojo_dev_info *info, struct dojo_device **dev);

/**
 * dojo_open_fd() - use a DRM file the caller already has open
 * @fd: an open file of a DIP's device node (from a launcher, a container
 *	runtime, SCM_RIGHTS, ...)
 * @dev: out: the device
 *
 * The library works on a duplicate of @fd (F_DUPFD_CLOEXEC) and closes
 * only that one: @fd stays the caller's, to close when it likes. The
 * duplicate shares @fd's open file, so the two share GEM handles, jobs
 * and syncobjs.
 *
 * Return: 0; -EBADF (@fd is not open); -ENODEV (not a DRM file of the
 * "dojo" driver); -EMFILE; -ENOMEM.
 */
int dojo_open_fd(int fd, struct dojo_device **dev);

/*
 * Release @dev. NULL is accepted. Buffers of @dev that are still alive keep
 * the device's file open and stay usable (dojo_bo_map(), dojo_bo_export(),
 * dojo_bo_free(), ...) until the last is freed, which closes the file:
 * closing a device before its buffers is safe. @dev itself must not be
 * used after dojo_close(), nor through dojo_bo_device().
 */
void dojo_close(struct dojo_device *dev);

/* The DRM file descriptor of @dev, for libdrm calls. Owned by @dev. */
int dojo_device_fd(const struct dojo_device *dev);

/* The accel minor (N of /dev/accel/accelN) of @dev. */
int dojo_device_minor(const struct dojo_device *dev);

/*
 * The device node @dev was opened from, as a canonical path (symlinks and
 * ".." resolved); for dojo_open_fd(), the node the descriptor refers to.
 * Owned by @dev.
 */
const char *dojo_device_path(const struct dojo_device *dev);

/**
 * dojo_device_sysfs_info() - the sysfs view of an open device
 * @dev: an open DIP
 * @out: out: filled as dojo_enumerate() would fill it, with index -1 (from
 *	 the sysroot of the enumeration dojo_open_info() took it from, if
 *	 any); release it with dojo_free_info()
 *
 * Return: 0, or -errno (-ENODEV when sysfs has no such accel device).
 */
int dojo_device_sysfs_info(const struct dojo_device *dev,
			   struct dojo_dev_info **out);

/* Release what dojo_device_sysfs_info() returned. NULL is accepted. */
void dojo_free_info(struct dojo_dev_info *info);

/**
 * dojo_query() - run DRM_IOCTL_DOJO_QUERY
 * @dev: an open DIP
 * @query_id: one of enum drm_dojo_query_id
 * @buf: answer buffer, may be NULL when *@size is 0
 * @size: in: bytes at @buf, or 0 to ask for the size needed;
 *	  out: bytes of the kernel's answer
 *
 * Return: 0, or -errno from the driver (-EINVAL for an unknown query or a
 * buffer smaller than the answer).
 */
int dojo_query(struct dojo_device *dev, uint32_t query_id, void *buf,
	       uint32_t *size);

/**
 * dojo_device_info() - DRM_DOJO_QUERY_DEVICE_INFO
 * @dev: an open DIP
 * @out: the answer. Fields a kernel older than this header does not know
 *	 are zero; fields a newer kernel adds are dropped.
 *
 * Return: 0, or -errno.
 */
int dojo_device_info(struct dojo_device *dev,
		     struct drm_dojo_device_info *out);

/*
 * Describe an error returned by this library. Accepts -errno or errno.
 * The string is static and valid forever.
 */
const char *dojo_strerror(int err);

/*
 * The project's version, "major.minor.patch", of the libdojo that is
 * running (the soname is the ABI version; see docs/libdojo.md).
 */
const char *dojo_lib_version(void);

/*
 * Names: the sysfs attribute of a field, and the string forms of the
 * DRM_DOJO_PLATFORM_* / DRM_DOJO_BUS_* values ("silicon", "emulated", "pci").
 * NULL for an unknown value.
 */
const char *dojo_field_name(enum dojo_info_field field);
const char *dojo_platform_name(uint32_t platform);
const char *dojo_bus_type_name(uint32_t bus_type);

#ifdef __cplusplus
}
#endif

/* Buffers, command buffers and jobs. */
#include "dojo_dma.h"

#endif /* LIBDOJO_DOJO_H */
