/* SPDX-License-Identifier: MIT */
/* libdojo internals: not installed. */
#ifndef LIBDOJO_INTERNAL_H
#define LIBDOJO_INTERNAL_H

#include "dojo.h"

#define DOJO_EXPORT __attribute__((visibility("default")))

struct dojo_device {
	int fd;
	int minor;
	char path[DOJO_PATH_LEN];
};

/* enumerate.c */
const char *dojo_sysfs_root(void);
int dojo_read_accel(const char *root, int minor, struct dojo_dev_info *out);

/* query.c: answer a query into a struct of this header's size. */
int dojo_query_struct(struct dojo_device *dev, uint32_t id, void *out,
		      size_t len);

/* Copy @src into @dst of @size bytes; -ENAMETOOLONG when it does not fit. */
int dojo_strlcpy(char *dst, const char *src, size_t size);

#endif /* LIBDOJO_INTERNAL_H */
