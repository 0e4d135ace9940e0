// SPDX-License-Identifier: GPL-2.0-only
/*
 * Test tool for the shell tests of the dojo accel nodes.
 *
 *   hold_open -q NODE
 *	Query DEVICE_INFO once and print it as "attr value" lines named like
 *	the sysfs identity attributes (numbers in decimal).
 *
 *   hold_open NODE EXPECT
 *	Open NODE, query once (must work), print "ready" and wait for SIGUSR1.
 *	Then query again and expect EXPECT ("ok", an errno name such as
 *	"ENODEV", or "any"), and close, which must succeed. Exit 0 if both
 *	held. The result is printed as "query RESULT".
 *	The shell removes the device (or tries to) between "ready" and the
 *	signal, so this checks what a process holding the node sees.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "dojo_accel.h"

static int query(int fd, struct drm_dojo_device_info *info)
{
	struct drm_dojo_query q = {
		.query = DRM_DOJO_QUERY_DEVICE_INFO,
		.size = sizeof(*info),
		.data = (__u64)(uintptr_t)info,
	};

	memset(info, 0, sizeof(*info));
	if (ioctl(fd, DRM_IOCTL_DOJO_QUERY, &q))
		return -errno;
	return q.size == sizeof(*info) ? 0 : -EPROTO;
}

static const char *result_name(int err)
{
	switch (err) {
	case 0: return "ok";
	case -ENODEV: return "ENODEV";
	case -EIO: return "EIO";
	case -EINVAL: return "EINVAL";
	case -EFAULT: return "EFAULT";
	case -ENOENT: return "ENOENT";
	default: return "other";
	}
}

static int print_info(const char *node)
{
	struct drm_dojo_device_info i;
	int fd, ret;

	fd = open(node, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "open %s: %s\n", node, strerror(errno));
		return 1;
	}
	ret = query(fd, &i);
	close(fd);
	if (ret) {
		fprintf(stderr, "query %s: %s\n", node, strerror(-ret));
		return 1;
	}
	printf("vendor_id %u\ndevice_id %u\nrevision %u\n",
	       i.vendor_id, i.device_id, i.revision);
	printf("platform %s\n", i.platform == DRM_DOJO_PLATFORM_EMULATED ?
	       "emulated" : i.platform == DRM_DOJO_PLATFORM_SILICON ?
	       "silicon" : "unknown");
	printf("bus_type %s\n", i.bus_type == DRM_DOJO_BUS_EMULATED ?
	       "emulated" : i.bus_type == DRM_DOJO_BUS_PCI ? "pci" : "unknown");
	printf("fw_version %u.%u.%u\n", i.fw_version >> 16,
	       (i.fw_version >> 8) & 0xff, i.fw_version & 0xff);
	printf("regs_version %u.%u\n", i.regs_version >> 16,
	       i.regs_version & 0xffff);
	printf("num_dma_queues %u\nnum_ttp_ports %u\nnum_ttpoe_ports %u\n",
	       i.num_dma_queues, i.num_ttp_ports, i.num_ttpoe_ports);
	printf("pcie_max_gen %u\npcie_max_width %u\n",
	       i.pcie_max_gen, i.pcie_max_width);
	printf("hbm_size_bytes %llu\n", (unsigned long long)i.hbm_size);
	printf("serial_number %.*s\n", (int)sizeof(i.serial), i.serial);
	printf("bus_addr %.*s\n", (int)sizeof(i.bus_addr), i.bus_addr);
	return 0;
}

static int hold(const char *node, const char *expect)
{
	struct drm_dojo_device_info info;
	sigset_t set;
	int fd, ret, sig;

	/* block first, so a signal sent right after "ready" is not lost */
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);

	fd = open(node, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "open %s: %s\n", node, strerror(errno));
		return 1;
	}
	ret = query(fd, &info);
	if (ret) {
		fprintf(stderr, "first query: %s\n", strerror(-ret));
		return 1;
	}
	printf("ready %s\n", info.bus_addr);
	fflush(stdout);

	if (sigwait(&set, &sig))
		return 1;

	ret = query(fd, &info);
	printf("query %s\n", result_name(ret));
	if (strcmp(expect, "any") && strcmp(result_name(ret), expect)) {
		fprintf(stderr, "query after removal: got %s, expected %s\n",
			result_name(ret), expect);
		close(fd);
		return 1;
	}
	if (close(fd)) {
		fprintf(stderr, "close: %s\n", strerror(errno));
		return 1;
	}
	printf("closed\n");
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "-q"))
		return print_info(argv[2]);
	if (argc == 3)
		return hold(argv[1], argv[2]);
	fprintf(stderr, "usage: %s -q NODE | %s NODE ok|ENODEV|any\n",
		argv[0], argv[0]);
	return 2;
}
