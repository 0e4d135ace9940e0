// SPDX-License-Identifier: MIT
/* Error strings and names. */
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>

#include "internal.h"

#define STR_(x) #x
#define STR(x) STR_(x)

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
		return "no such file or directory";
	case ENODATA:
		return "no value";
	case EOVERFLOW:
		return "value too long";
	case EINVAL:
		return "invalid argument";
	case ENOMEM:
		return "out of memory";
	case EIO:
		return "device I/O error";
	case EBUSY:
		return "device busy";
	case ETIMEDOUT:
		return "device timed out";
	case ENOTTY:
		return "not a dojo device (unknown ioctl)";
	}
	/* thread-safe and static, unlike strerror() */
	s = strerrordesc_np(err);
	return s ? s : "unknown error";
}

DOJO_EXPORT const char *dojo_lib_version(void)
{
	return STR(DOJO_LIB_VERSION_MAJOR) "." STR(DOJO_LIB_VERSION_MINOR)
	       "." STR(DOJO_LIB_VERSION_PATCH);
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
