// SPDX-License-Identifier: MIT
/*
 * Closing a device before its buffers, and devices opened from an existing
 * file descriptor. Built with AddressSanitizer: a use of freed device or
 * buffer memory fails the run.
 *
 *   test_close DEVNODE     a DIP's device node (as root, in the test VM)
 *
 * TAP output; exit 0 when every check passed, 1 otherwise.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dojo.h"

static int n_tests, n_failed;

#define CHECK(cond, ...)						\
	do {								\
		n_tests++;						\
		if (cond) {						\
			printf("ok %d - ", n_tests);			\
		} else {						\
			n_failed++;					\
			printf("not ok %d - ", n_tests);		\
		}							\
		printf(__VA_ARGS__);					\
		putchar('\n');						\
	} while (0)

#define SZ	(64 * 1024)

static int fd_open(int fd)
{
	return fcntl(fd, F_GETFD) >= 0;
}

/* Buffers outlive dojo_close() and close the device's file at the end. */
static void test_close_first(const char *node)
{
	struct dojo_bo *host, *hbm, *again;
	struct drm_dojo_bo_info info;
	struct dojo_device *dev;
	int fd, dmabuf = -1, err;
	void *p = NULL;

	err = dojo_open_path(node, &dev);
	CHECK(!err, "open %s: %s", node, dojo_strerror(err));
	if (err)
		return;
	fd = dojo_device_fd(dev);
	err = dojo_bo_create(dev, SZ, DRM_DOJO_PLACEMENT_HOST, &host) ?:
	      dojo_bo_create(dev, SZ, DRM_DOJO_PLACEMENT_HBM, &hbm) ?:
	      dojo_bo_map(host, &p) ?:
	      dojo_bo_export(host, &dmabuf) ?:
	      dojo_bo_import(dev, dmabuf, &again);
	CHECK(!err && again == host, "host and HBM buffers, one imported twice: %s",
	      dojo_strerror(err));
	if (err)
		return;

	dojo_close(dev);
	CHECK(fd_open(fd), "dojo_close() with live buffers keeps the file open");
	memset(p, 0x5a, SZ);
	CHECK(((unsigned char *)p)[SZ - 1] == 0x5a, "the mapping stays usable");
	CHECK(!dojo_bo_info(host, &info) && info.size == SZ,
	      "BO_INFO through a closed device's buffer");
	CHECK(dojo_bo_size(hbm) == SZ, "cached facts stay readable");
	dojo_bo_free(host);
	CHECK(fd_open(fd) && !dojo_bo_info(host, &info),
	      "one reference of two dropped: buffer still there");
	dojo_bo_free(host);
	CHECK(fd_open(fd), "the HBM buffer still holds the file");
	dojo_bo_free(hbm);
	CHECK(!fd_open(fd), "the last buffer closed the file");
	close(dmabuf);
}

/* Two handles of one node: their buffer tables are their own. */
static void test_two_handles(const char *node)
{
	struct dojo_device *a, *b;
	struct dojo_bo *ba, *bb;
	struct drm_dojo_bo_info info;
	int err;

	err = dojo_open_path(node, &a) ?: dojo_open_path(node, &b);
	CHECK(!err, "two handles of %s", node);
	if (err)
		return;
	err = dojo_bo_create(a, SZ, DRM_DOJO_PLACEMENT_HOST, &ba) ?:
	      dojo_bo_create(b, SZ, DRM_DOJO_PLACEMENT_HOST, &bb);
	CHECK(!err && dojo_bo_device(ba) == a && dojo_bo_device(bb) == b,
	      "a buffer on each (handles %u and %u)", dojo_bo_handle(ba),
	      dojo_bo_handle(bb));
	if (err)
		return;
	dojo_close(a);
	dojo_bo_free(ba);
	CHECK(!dojo_bo_info(bb, &info), "freeing one device's buffer leaves the other's");
	dojo_bo_free(bb);
	dojo_close(b);
}

/* dojo_open_fd() works on a duplicate: both sides close their own. */
static void test_open_fd(const char *node)
{
	struct drm_dojo_device_info di;
	struct dojo_device *dev;
	struct dojo_bo *bo;
	int fd, err, dfd;

	fd = open(node, O_RDWR | O_CLOEXEC);
	CHECK(fd >= 0, "open(%s)", node);
	if (fd < 0)
		return;
	err = dojo_open_fd(fd, &dev);
	CHECK(!err, "dojo_open_fd: %s", dojo_strerror(err));
	if (err)
		return;
	dfd = dojo_device_fd(dev);
	CHECK(dfd != fd && (fcntl(dfd, F_GETFD) & FD_CLOEXEC),
	      "the library's fd is a close-on-exec duplicate");
	CHECK(!strcmp(dojo_device_path(dev), node), "path %s",
	      dojo_device_path(dev));
	CHECK(!dojo_device_info(dev, &di), "query through it");
	err = dojo_bo_create(dev, SZ, DRM_DOJO_PLACEMENT_HOST, &bo);
	CHECK(!err, "a buffer through it: %s", dojo_strerror(err));
	close(fd);
	CHECK(!dojo_device_info(dev, &di), "the caller closing its fd changes nothing");
	dojo_close(dev);
	if (!err)
		dojo_bo_free(bo);
	CHECK(!fd_open(dfd), "the duplicate is closed with the last buffer");
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s DEVNODE\n", argv[0]);
		return 2;
	}
	printf("TAP version 13\n");
	test_close_first(argv[1]);
	test_two_handles(argv[1]);
	test_open_fd(argv[1]);
	printf("1..%d\n", n_tests);
	return n_failed ? 1 : 0;
}
