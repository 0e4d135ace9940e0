// SPDX-License-Identifier: MIT
/* Error strings and names. */
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>

#include "internal.h"

DOJO_EXPORT const char *dojo_strerror(int err)
{
	const char *s;

	if (err < 0)
		err = -err;
	switch (err) {
	case 0:
		return "success";
	case ENODEV:
		return "no such DIP";
	case EACCES:
	case EPERM:
		return "permission denied";
	case ENOENT:
		return "no such file, buffer, syncobj or job";
	case ENODATA:
		return "no value";
	case EOVERFLOW:
		return "value too long";
	case EINVAL:
		return "invalid argument";
	case ENOMEM:
		return "out of memory (host RAM or free HBM)";
	case EIO:
		return "device I/O error (a wedged card: a reset failed)";
	case EBUSY:
		return "device busy (or too many jobs in flight on this file)";
	case ETIMEDOUT:
		return "device timed out";
	case ENOTTY:
		return "not a dojo device (unknown ioctl)";
	case EFAULT:
		return "bad address passed to the driver";
	case EBADF:
		return "not an open file descriptor of the right kind";
	case EXDEV:
		return "buffer belongs to another DIP";
	case ENOSPC:
		return "no room left (command buffer or buffer table full)";
	case ETIME:
		return "timed out waiting";
	case EOPNOTSUPP:
		return "not supported for this buffer or device";
	case EMFILE:
	case ENFILE:
		return "too many open files";
	case ECANCELED:
		return "canceled by a reset";
	case ENOLINK:
		return "link down (TTP tile link or Z-plane)";
	case EINTR:
		return "interrupted";
	case EAGAIN:
		return "temporarily unavailable, try again";
	}
	/* thread-safe and static, unlike strerror() */
	s = strerrordesc_np(err);
	return s ? s : "unknown error";
}

DOJO_EXPORT const char *dojo_lib_version(void)
{
	return DOJO_VERSION;
}

DOJO_EXPORT const char *dojo_platform_name(uint32_t platform)
{
	switch (platform) {
	case DRM_DOJO_PLATFORM_SILICON:
		return "silicon";
	case DRM_DOJO_PLATFORM_EMULATED:
		return "emulated";
	}
	return NULL;
}

DOJO_EXPORT const char *dojo_bus_type_name(uint32_t bus_type)
{
	switch (bus_type) {
	case DRM_DOJO_BUS_PCI:
		return "pci";
	case DRM_DOJO_BUS_EMULATED:
		return "emulated";
	}
	return NULL;
}
