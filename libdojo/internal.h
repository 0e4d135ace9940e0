/* SPDX-License-Identifier: MIT */
/* libdojo internals: not installed. */
#ifndef LIBDOJO_INTERNAL_H
#define LIBDOJO_INTERNAL_H

#include <pthread.h>

#include "dojo.h"

#define DOJO_EXPORT __attribute__((visibility("default")))

#define DOJO_BO_BUCKETS	64

struct dojo_bo;

/**
 * struct dojo_device - an open DIP
 * @fd: the DRM file, closed with the last reference
 * @minor: accel minor
 * @path: canonical path of the device node
 * @sysroot: the sysroot it was enumerated in, "" for the running system
 * @refs: the handle's reference (until dojo_close()) plus one per buffer;
 *	  atomic
 * @bo_lock: protects @bos and the buffers' reference counts
 * @bos: the device's buffers by GEM handle
 */
struct dojo_device {
	int fd;
	int minor;
	char path[DOJO_PATH_LEN];
	char *sysroot;
	unsigned int refs;
	pthread_mutex_t bo_lock;
	struct dojo_bo *bos[DOJO_BO_BUCKETS];
};

/* device.c: references held by buffers */
void dojo_device_get(struct dojo_device *dev);
void dojo_device_put(struct dojo_device *dev);

/* enumerate.c: what the library allocates behind a struct dojo_dev_info */
struct dojo_info_priv {
	struct dojo_dev_info info;
	char *sysroot;		/* NULL for the running system */
};

int dojo_read_accel(const char *sysroot, int minor, struct dojo_dev_info *out);
struct dojo_dev_info *dojo_info_alloc(const char *sysroot);
const char *dojo_info_sysroot(const struct dojo_dev_info *info);

/* query.c: answer a query into a struct of this header's size. */
int dojo_query_struct(struct dojo_device *dev, uint32_t id, void *out,
		      size_t len);

/* Copy @src into @dst of @size bytes; -ENAMETOOLONG when it does not fit. */
int dojo_strlcpy(char *dst, const char *src, size_t size);

#endif /* LIBDOJO_INTERNAL_H */
