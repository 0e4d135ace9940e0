// SPDX-License-Identifier: MIT
/* Opening and closing DIPs. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <xf86drm.h>

#include "internal.h"

#define DOJO_DRM_NAME	"dojo"

/* Is @fd a DRM file of the dojo driver? 0, or -ENODEV. */
static int check_driver(int fd)
{
	drmVersionPtr ver;
	int ok;

	ver = drmGetVersion(fd);
	if (!ver)
		return -ENODEV;
	ok = ver->name && ver->name_len == (int)strlen(DOJO_DRM_NAME) &&
	     !memcmp(ver->name, DOJO_DRM_NAME, ver->name_len);
	drmFreeVersion(ver);
	return ok ? 0 : -ENODEV;
}

DOJO_EXPORT int dojo_open_path(const char *path, struct dojo_device **out)
{
	struct dojo_device *dev;
	struct stat st;
	int fd, err;

	if (!path || !*path || !out)
		return -EINVAL;
	*out = NULL;

	dev = calloc(1, sizeof(*dev));
	if (!dev)
		return -ENOMEM;
	if (dojo_strlcpy(dev->path, path, sizeof(dev->path))) {
		free(dev);
		return -ENAMETOOLONG;
	}

	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0 && (errno == EACCES || errno == EPERM || errno == EROFS))
		fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		err = errno == ENXIO ? -ENODEV : -errno;
		free(dev);
		return err;
	}
	if (fstat(fd, &st) || !S_ISCHR(st.st_mode)) {
		err = -ENODEV;
		goto fail;
	}
	err = check_driver(fd);
	if (err)
		goto fail;

	dev->fd = fd;
	dev->minor = (int)minor(st.st_rdev);
	*out = dev;
	return 0;

fail:
	close(fd);
	free(dev);
	return err;
}

/* Enumerate, pick the DIP @spec names (by dojo_enumeration_find()), open it. */
static int open_matching(const char *spec,
			 int (*match)(const struct dojo_dev_info *, int,
				      const char *),
			 struct dojo_device **out)
{
	struct dojo_dev_info *list;
	int count, i, err;

	if (!out)
		return -EINVAL;
	*out = NULL;
	err = dojo_enumerate(&list, &count);
	if (err)
		return err;
	i = match(list, count, spec);
	if (i >= 0)
		err = dojo_open_path(list[i].devnode, out);
	else
		err = i;
	dojo_free_enumeration(list);
	return err;
}

static int match_serial(const struct dojo_dev_info *list, int count,
			const char *serial)
{
	int i;

	for (i = 0; i < count; i++)
		if (dojo_info_has(&list[i], DOJO_FIELD_SERIAL) &&
		    !strcmp(list[i].serial, serial))
			return i;
	return -ENODEV;
}

static int match_bus_addr(const struct dojo_dev_info *list, int count,
			  const char *addr)
{
	int i;

	for (i = 0; i < count; i++) {
		if (!dojo_info_has(&list[i], DOJO_FIELD_BUS_ADDR))
			continue;
		if (!strcmp(list[i].bus_addr, addr) ||
		    (!strncmp(list[i].bus_addr, "0000:", 5) &&
		     !strcmp(list[i].bus_addr + 5, addr)))
			return i;
	}
	return -ENODEV;
}

DOJO_EXPORT int dojo_open(const char *spec, struct dojo_device **out)
{
	if (!spec || !*spec)
		return -EINVAL;
	return open_matching(spec, dojo_enumeration_find, out);
}

DOJO_EXPORT int dojo_open_index(int index, struct dojo_device **out)
{
	struct dojo_dev_info *list;
	int count, err;

	if (!out)
		return -EINVAL;
	*out = NULL;
	if (index < 0)
		return -ENODEV;
	err = dojo_enumerate(&list, &count);
	if (err)
		return err;
	err = index < count ? dojo_open_path(list[index].devnode, out) :
			      -ENODEV;
	dojo_free_enumeration(list);
	return err;
}

DOJO_EXPORT int dojo_open_serial(const char *serial, struct dojo_device **out)
{
	if (!serial || !*serial)
		return -EINVAL;
	return open_matching(serial, match_serial, out);
}

DOJO_EXPORT int dojo_open_bus_addr(const char *bus_addr,
				   struct dojo_device **out)
{
	if (!bus_addr || !*bus_addr)
		return -EINVAL;
	return open_matching(bus_addr, match_bus_addr, out);
}

DOJO_EXPORT void dojo_close(struct dojo_device *dev)
{
	if (!dev)
		return;
	close(dev->fd);
	free(dev);
}

DOJO_EXPORT int dojo_device_fd(const struct dojo_device *dev)
{
	return dev ? dev->fd : -EINVAL;
}

DOJO_EXPORT int dojo_device_minor(const struct dojo_device *dev)
{
	return dev ? dev->minor : -EINVAL;
}

DOJO_EXPORT const char *dojo_device_path(const struct dojo_device *dev)
{
	return dev ? dev->path : NULL;
}

DOJO_EXPORT int dojo_device_sysfs_info(const struct dojo_device *dev,
				       struct dojo_dev_info *out)
{
	int ret;

	if (!dev || !out)
		return -EINVAL;
	ret = dojo_read_accel(dojo_sysfs_root(), dev->minor, out);
	if (ret < 0)
		return ret == -ENOENT ? -ENODEV : ret;
	return ret ? 0 : -ENODEV;
}
