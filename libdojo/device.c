// SPDX-License-Identifier: MIT
/* Opening and closing DIPs. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
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

/* A device for @fd, which it owns from now on (closed on failure too). */
static int device_new(int fd, const char *path, const char *sysroot,
		      struct dojo_device **out)
{
	struct dojo_device *dev;
	struct stat st;
	int err;

	if (fstat(fd, &st) || !S_ISCHR(st.st_mode)) {
		err = -ENODEV;
		goto fail;
	}
	err = check_driver(fd);
	if (err)
		goto fail;
	dev = calloc(1, sizeof(*dev));
	if (!dev) {
		err = -ENOMEM;
		goto fail;
	}
	if (sysroot && *sysroot) {
		dev->sysroot = strdup(sysroot);
		if (!dev->sysroot) {
			free(dev);
			err = -ENOMEM;
			goto fail;
		}
	}
	dojo_strlcpy(dev->path, path, sizeof(dev->path));
	dev->fd = fd;
	dev->minor = (int)minor(st.st_rdev);
	dev->refs = 1;
	pthread_mutex_init(&dev->bo_lock, NULL);
	*out = dev;
	return 0;

fail:
	close(fd);
	return err;
}

void dojo_device_get(struct dojo_device *dev)
{
	__atomic_add_fetch(&dev->refs, 1, __ATOMIC_RELAXED);
}

void dojo_device_put(struct dojo_device *dev)
{
	if (__atomic_sub_fetch(&dev->refs, 1, __ATOMIC_ACQ_REL))
		return;
	close(dev->fd);
	pthread_mutex_destroy(&dev->bo_lock);
	free(dev->sysroot);
	free(dev);
}

/* Open @path (a path of the running system, below @sysroot if any). */
static int open_node(const char *sysroot, const char *path,
		     struct dojo_device **out)
{
	char full[PATH_MAX], canon[PATH_MAX];
	const char *name = path;
	int fd;

	if (!path || !*path || !out)
		return -EINVAL;
	*out = NULL;
	if (sysroot && *sysroot) {
		if (snprintf(full, sizeof(full), "%s%s", sysroot, path) >=
		    (int)sizeof(full))
			return -ENAMETOOLONG;
		path = full;
	}
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0 && (errno == EACCES || errno == EPERM || errno == EROFS))
		fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENXIO ? -ENODEV : -errno;
	/* the node's own name, whichever symlink or ".." led to it */
	if (realpath(path, canon))
		name = canon;
	if (strlen(name) >= DOJO_PATH_LEN) {
		close(fd);
		return -ENAMETOOLONG;
	}
	return device_new(fd, name, sysroot, out);
}

DOJO_EXPORT int dojo_open_path(const char *path, struct dojo_device **out)
{
	return open_node(NULL, path, out);
}

DOJO_EXPORT int dojo_open_info(const struct dojo_dev_info *info,
			       struct dojo_device **out)
{
	if (!info || !out)
		return -EINVAL;
	return open_node(dojo_info_sysroot(info), info->devnode, out);
}

DOJO_EXPORT int dojo_open_fd(int fd, struct dojo_device **out)
{
	char link[64], path[PATH_MAX];
	ssize_t n;
	int dup_fd;

	if (!out)
		return -EINVAL;
	*out = NULL;
	if (fd < 0)
		return -EBADF;
	dup_fd = fcntl(fd, F_DUPFD_CLOEXEC, 3);
	if (dup_fd < 0)
		return -errno;
	snprintf(link, sizeof(link), "/proc/self/fd/%d", dup_fd);
	n = readlink(link, path, sizeof(path) - 1);
	if (n < 0 || n >= DOJO_PATH_LEN)
		n = 0;
	path[n] = '\0';
	return device_new(dup_fd, path, NULL, out);
}

/* Enumerate, pick the DIP @spec names (by dojo_enumeration_find()), open it. */
static int open_matching(const char *spec,
			 int (*match)(struct dojo_dev_info *const *, int,
				      const char *),
			 struct dojo_device **out)
{
	struct dojo_dev_info **list;
	int count, i, err;

	if (!out)
		return -EINVAL;
	*out = NULL;
	err = dojo_enumerate(NULL, &list, &count);
	if (err)
		return err;
	i = match(list, count, spec);
	if (i >= 0)
		err = dojo_open_info(list[i], out);
	else
		err = i;
	dojo_free_enumeration(list);
	return err;
}

static int match_serial(struct dojo_dev_info *const *list, int count,
			const char *serial)
{
	int i;

	for (i = 0; i < count; i++)
		if (dojo_info_has(list[i], DOJO_FIELD_SERIAL) &&
		    !strcmp(list[i]->serial, serial))
			return i;
	return -ENODEV;
}

static int match_bus_addr(struct dojo_dev_info *const *list, int count,
			  const char *addr)
{
	int i;

	for (i = 0; i < count; i++) {
		if (!dojo_info_has(list[i], DOJO_FIELD_BUS_ADDR))
			continue;
		if (!strcmp(list[i]->bus_addr, addr) ||
		    (!strncmp(list[i]->bus_addr, "0000:", 5) &&
		     !strcmp(list[i]->bus_addr + 5, addr)))
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
	struct dojo_dev_info **list;
	int count, err;

	if (!out)
		return -EINVAL;
	*out = NULL;
	if (index < 0)
		return -ENODEV;
	err = dojo_enumerate(NULL, &list, &count);
	if (err)
		return err;
	err = index < count ? dojo_open_info(list[index], out) : -ENODEV;
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

/* The handle's reference; live buffers hold the device until they go. */
DOJO_EXPORT void dojo_close(struct dojo_device *dev)
{
	if (dev)
		dojo_device_put(dev);
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
				       struct dojo_dev_info **out)
{
	struct dojo_dev_info *info;
	int ret;

	if (!out)
		return -EINVAL;
	*out = NULL;
	if (!dev)
		return -EINVAL;
	info = dojo_info_alloc(dev->sysroot);
	if (!info)
		return -ENOMEM;
	ret = dojo_read_accel(dev->sysroot, dev->minor, info);
	if (ret <= 0) {
		dojo_free_info(info);
		return ret == 0 || ret == -ENOENT ? -ENODEV : ret;
	}
	*out = info;
	return 0;
}
