// SPDX-License-Identifier: GPL-2.0-only
/*
 * DRM_IOCTL_DOJO_QUERY as userspace sees it on /dev/accel/accel0 of an
 * emulated DIP: the answers (device, memory, the Z-plane port and its
 * connections), their agreement with sysfs, the size protocol
 * (ask with size 0, accept larger buffers and zero their tail) and one
 * rejection per malformed argument, as botching-up-ioctls.rst asks.
 *
 * Expects dojo.ko and dojo_emu.ko loaded with at least one emulated DIP
 * (query.sh does that).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <xf86drm.h>

#include "dojo_accel.h"
#include "kselftest_harness.h"

#define NODE		"/dev/accel/accel0"
#define SYSFS_DIR	"/sys/class/accel/accel0/device/dojo/"
#define INFO_SIZE	((__u32)sizeof(struct drm_dojo_device_info))
#define MEM_SIZE	((__u32)sizeof(struct drm_dojo_memory_info))
#define GIB		(1ULL << 30)

/* Read one sysfs identity attribute, trailing newline removed. */
static int read_attr(const char *name, char *buf, size_t len)
{
	char path[256];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), SYSFS_DIR "%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	if (n && buf[n - 1] == '\n')
		buf[n - 1] = '\0';
	return 0;
}

/* A numeric sysfs attribute ("0x1de5" or "34359738368"). */
static unsigned long long attr_num(struct __test_metadata *_metadata,
				   const char *name)
{
	char buf[64], *end;
	unsigned long long v;

	ASSERT_EQ(0, read_attr(name, buf, sizeof(buf))) TH_LOG("%s", name);
	errno = 0;
	v = strtoull(buf, &end, 0);
	EXPECT_TRUE(!errno && end != buf && !*end)
		TH_LOG("%s = '%s' is not a number", name, buf);
	return v;
}

static int query(int fd, __u32 id, __u32 *size, void *data)
{
	struct drm_dojo_query q = {
		.query = id,
		.size = *size,
		.data = (__u64)(uintptr_t)data,
	};
	int ret;

	ret = ioctl(fd, DRM_IOCTL_DOJO_QUERY, &q);
	*size = q.size;
	return ret ? -errno : 0;
}

/* True if all @len bytes at @p equal @c. */
static int all_bytes(const void *p, size_t len, unsigned char c)
{
	const unsigned char *b = p;

	while (len--)
		if (*b++ != c)
			return 0;
	return 1;
}

FIXTURE(query) {
	int fd;
};

FIXTURE_SETUP(query)
{
	self->fd = open(NODE, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->fd) TH_LOG("open %s: %s", NODE, strerror(errno));
}

FIXTURE_TEARDOWN(query)
{
	/* close() on an accel fd must never fail */
	EXPECT_EQ(0, close(self->fd));
}

/* The answer for an emulated DIP: what the product documents. */
TEST_F(query, device_info)
{
	struct drm_dojo_device_info info;
	__u32 size = sizeof(info);

	memset(&info, 0xa5, sizeof(info));
	ASSERT_EQ(0, query(self->fd, DRM_DOJO_QUERY_DEVICE_INFO, &size, &info));
	EXPECT_EQ(INFO_SIZE, size);

	EXPECT_EQ(32 * GIB, info.hbm_size);
	EXPECT_EQ((__u32)DRM_DOJO_PLATFORM_EMULATED, info.platform);
	EXPECT_EQ((__u32)DRM_DOJO_BUS_EMULATED, info.bus_type);
	EXPECT_EQ(1u, info.num_ttp_ports);
	EXPECT_EQ(1u, info.num_ttpoe_ports);
	EXPECT_EQ(4u, info.pcie_max_gen);
	EXPECT_EQ(16u, info.pcie_max_width);
	EXPECT_LT(0u, info.num_dma_queues);
	EXPECT_EQ(1u, info.regs_version >> 16);

	/* strings: non-empty and NUL-terminated inside their arrays */
	EXPECT_NE('\0', info.serial[0]);
	EXPECT_NE(NULL, memchr(info.serial, '\0', sizeof(info.serial)));
	EXPECT_NE('\0', info.bus_addr[0]);
	EXPECT_NE(NULL, memchr(info.bus_addr, '\0', sizeof(info.bus_addr)));
}

/* Users read identity from sysfs without root: it must say the same. */
TEST_F(query, matches_sysfs)
{
	struct drm_dojo_device_info info;
	__u32 size = sizeof(info);
	unsigned int maj, min, pat;
	char buf[64];

	ASSERT_EQ(0, query(self->fd, DRM_DOJO_QUERY_DEVICE_INFO, &size, &info));

	ASSERT_EQ(0, read_attr("serial_number", buf, sizeof(buf)));
	EXPECT_STREQ(buf, info.serial);
	ASSERT_EQ(0, read_attr("bus_addr", buf, sizeof(buf)));
	EXPECT_STREQ(buf, info.bus_addr);
	ASSERT_EQ(0, read_attr("platform", buf, sizeof(buf)));
	EXPECT_STREQ("emulated", buf);
	ASSERT_EQ(0, read_attr("bus_type", buf, sizeof(buf)));
	EXPECT_STREQ("emulated", buf);

	ASSERT_EQ(0, read_attr("fw_version", buf, sizeof(buf)));
	ASSERT_EQ(3, sscanf(buf, "%u.%u.%u", &maj, &min, &pat)) TH_LOG("%s", buf);
	EXPECT_EQ(info.fw_version, maj << 16 | min << 8 | pat);
	ASSERT_EQ(0, read_attr("regs_version", buf, sizeof(buf)));
	ASSERT_EQ(2, sscanf(buf, "%u.%u", &maj, &min)) TH_LOG("%s", buf);
	EXPECT_EQ(info.regs_version, maj << 16 | min);

	EXPECT_EQ(info.vendor_id, attr_num(_metadata, "vendor_id"));
	EXPECT_EQ(info.device_id, attr_num(_metadata, "device_id"));
	EXPECT_EQ(info.revision, attr_num(_metadata, "revision"));
	EXPECT_EQ(info.hbm_size, attr_num(_metadata, "hbm_size_bytes"));
	EXPECT_EQ(info.num_dma_queues, attr_num(_metadata, "num_dma_queues"));
	EXPECT_EQ(info.num_ttp_ports, attr_num(_metadata, "num_ttp_ports"));
	EXPECT_EQ(info.num_ttpoe_ports, attr_num(_metadata, "num_ttpoe_ports"));
	EXPECT_EQ(info.pcie_max_gen, attr_num(_metadata, "pcie_max_gen"));
	EXPECT_EQ(info.pcie_max_width, attr_num(_metadata, "pcie_max_width"));
}

/* size 0 asks for the size needed and must not touch the buffer. */
TEST_F(query, size_probe)
{
	unsigned char buf[256];
	__u32 size = 0;

	memset(buf, 0xa5, sizeof(buf));
	ASSERT_EQ(0, query(self->fd, DRM_DOJO_QUERY_DEVICE_INFO, &size, buf));
	EXPECT_EQ(INFO_SIZE, size);
	EXPECT_TRUE(all_bytes(buf, sizeof(buf), 0xa5));

	/* probing needs no buffer at all */
	size = 0;
	ASSERT_EQ(0, query(self->fd, DRM_DOJO_QUERY_DEVICE_INFO, &size, NULL));
	EXPECT_EQ(INFO_SIZE, size);
}

/*
 * Newer userspace passes a bigger struct: accepted, the answer is the same,
 * the bytes this kernel does not know are zeroed, size says what was written.
 */
TEST_F(query, larger_buffer)
{
	struct drm_dojo_device_info exact;
	unsigned char big[INFO_SIZE + 200];
	__u32 size = sizeof(exact);

	ASSERT_EQ(0, query(self->fd, DRM_DOJO_QUERY_DEVICE_INFO, &size, &exact));

	memset(big, 0xff, sizeof(big));
	size = sizeof(big);
	ASSERT_EQ(0, query(self->fd, DRM_DOJO_QUERY_DEVICE_INFO, &size, big));
	EXPECT_EQ(INFO_SIZE, size);
	EXPECT_EQ(0, memcmp(big, &exact, INFO_SIZE));
	EXPECT_TRUE(all_bytes(big + INFO_SIZE, sizeof(big) - INFO_SIZE, 0));
}

/*
 * Repeated queries give identical answers: identity does not drift and no
 * uninitialised kernel bytes leak into the struct (they would differ).
 */
TEST_F(query, stable_answer)
{
	struct drm_dojo_device_info a, b;
	__u32 size;
	int i;

	memset(&a, 0x00, sizeof(a));
	size = sizeof(a);
	ASSERT_EQ(0, query(self->fd, DRM_DOJO_QUERY_DEVICE_INFO, &size, &a));
	for (i = 0; i < 100; i++) {
		memset(&b, 0xff, sizeof(b));
		size = sizeof(b);
		ASSERT_EQ(0, query(self->fd, DRM_DOJO_QUERY_DEVICE_INFO, &size, &b));
		ASSERT_EQ(0, memcmp(&a, &b, sizeof(a)));
	}
	/* bytes after the strings' NUL are zero, not stack contents */
	EXPECT_TRUE(all_bytes(a.serial + strlen(a.serial),
			      sizeof(a.serial) - strlen(a.serial), 0));
	EXPECT_TRUE(all_bytes(a.bus_addr + strlen(a.bus_addr),
			      sizeof(a.bus_addr) - strlen(a.bus_addr), 0));
}

/*
 * Userspace built against an older, shorter drm_dojo_query: the DRM core
 * copies in what the ioctl number encodes and zero-extends the rest, so
 * the missing flags, pad and data read as 0. Asking for the size works;
 * asking for data then has a NULL pointer and must fail cleanly.
 */
struct short_query {
	__u32 query;
	__u32 size;
};

#define DRM_IOCTL_DOJO_QUERY_SHORT \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_DOJO_QUERY, struct short_query)

TEST_F(query, short_struct)
{
	struct short_query q = { .query = DRM_DOJO_QUERY_DEVICE_INFO };

	ASSERT_EQ(0, ioctl(self->fd, DRM_IOCTL_DOJO_QUERY_SHORT, &q));
	EXPECT_EQ(INFO_SIZE, q.size);

	q.size = INFO_SIZE;
	EXPECT_EQ(-1, ioctl(self->fd, DRM_IOCTL_DOJO_QUERY_SHORT, &q));
	EXPECT_EQ(EFAULT, errno);
}

/*
 * Userspace built against a longer drm_dojo_query (a future field, zero):
 * the core hands the driver the fields it knows; the query still works.
 */
struct long_query {
	struct drm_dojo_query q;
	__u64 future;
};

#define DRM_IOCTL_DOJO_QUERY_LONG \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_DOJO_QUERY, struct long_query)

TEST_F(query, long_struct)
{
	struct drm_dojo_device_info info;
	struct long_query lq = {
		.q.query = DRM_DOJO_QUERY_DEVICE_INFO,
		.q.size = sizeof(info),
		.q.data = (__u64)(uintptr_t)&info,
	};

	ASSERT_EQ(0, ioctl(self->fd, DRM_IOCTL_DOJO_QUERY_LONG, &lq));
	EXPECT_EQ(INFO_SIZE, lq.q.size);
	EXPECT_EQ(32 * GIB, info.hbm_size);
	EXPECT_EQ(0ull, lq.future);
}

/*
 * Driver ioctl numbers the driver does not have (the middle and the last
 * of the driver range): the DRM core answers EINVAL.
 */
TEST_F(query, unknown_driver_ioctl)
{
	struct drm_dojo_query q = { .query = DRM_DOJO_QUERY_DEVICE_INFO };

	EXPECT_EQ(-1, ioctl(self->fd,
			    DRM_IOWR(DRM_COMMAND_BASE + 0x3f, struct drm_dojo_query),
			    &q));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, ioctl(self->fd,
			    DRM_IOWR(DRM_COMMAND_END - 1, struct drm_dojo_query),
			    &q));
	EXPECT_EQ(EINVAL, errno);
}

/* An ioctl of another subsystem ('T' type) is not a DRM ioctl: ENOTTY. */
TEST_F(query, foreign_ioctl)
{
	int n;

	EXPECT_EQ(-1, ioctl(self->fd, FIONREAD, &n));
	EXPECT_EQ(ENOTTY, errno);
}

/* libdrm's fd-level calls work on the accel node and name the driver. */
TEST_F(query, drm_version)
{
	drmVersionPtr v = drmGetVersion(self->fd);

	ASSERT_NE(NULL, v) TH_LOG("drmGetVersion: %s", strerror(errno));
	EXPECT_STREQ("dojo", v->name);
	EXPECT_LT(0, v->desc_len);
	drmFreeVersion(v);
}

/* HBM accounting: the same HBM as DEVICE_INFO, and numbers that add up. */
TEST_F(query, memory)
{
	struct drm_dojo_device_info info;
	struct drm_dojo_memory_info mem;
	__u32 size = 0;

	ASSERT_EQ(0, query(self->fd, DRM_DOJO_QUERY_MEMORY, &size, NULL));
	EXPECT_EQ(MEM_SIZE, size);

	size = sizeof(info);
	ASSERT_EQ(0, query(self->fd, DRM_DOJO_QUERY_DEVICE_INFO, &size, &info));
	memset(&mem, 0xff, sizeof(mem));
	size = sizeof(mem);
	ASSERT_EQ(0, query(self->fd, DRM_DOJO_QUERY_MEMORY, &size, &mem));
	EXPECT_EQ(MEM_SIZE, size);
	EXPECT_EQ(info.hbm_size, mem.hbm_size);
	EXPECT_LE(mem.hbm_used, mem.hbm_size);
	EXPECT_LT(0ull, mem.hbm_largest_free);
	EXPECT_LE(mem.hbm_largest_free, mem.hbm_size - mem.hbm_used);
}

#define ZP_SIZE		((__u32)sizeof(struct drm_dojo_zplane_info))
#define CONNS_SIZE	((__u32)sizeof(struct drm_dojo_zplane_conns))

static __u32 ttpoe_ports(struct __test_metadata *_metadata, int fd)
{
	struct drm_dojo_device_info info;
	__u32 size = sizeof(info);

	EXPECT_EQ(0, query(fd, DRM_DOJO_QUERY_DEVICE_INFO, &size, &info));
	return info.num_ttpoe_ports;
}

/*
 * The Z-plane port, read live: its state agrees with sysfs, its MAC is
 * Tesla's OUI and the node id (or all zeroes on a model without the
 * port's engine), and a card without the port says EOPNOTSUPP.
 */
TEST_F(query, zplane)
{
	static const char *const states[] = {
		[DRM_DOJO_ZPLANE_LINK_DOWN] = "down",
		[DRM_DOJO_ZPLANE_LINK_UP] = "up",
		[DRM_DOJO_ZPLANE_UNCABLED] = "uncabled",
	};
	static const char *const counters[] = {
		"zplane_tx_bytes", "zplane_rx_bytes", "zplane_tx_frames",
		"zplane_rx_frames", "zplane_replays", "zplane_nacks",
		"zplane_drops", "zplane_errors",
	};
	struct drm_dojo_zplane_info zp;
	__u32 size = 0;
	char buf[64], mac[32];
	unsigned int i;

	if (!ttpoe_ports(_metadata, self->fd)) {
		EXPECT_EQ(-EOPNOTSUPP,
			  query(self->fd, DRM_DOJO_QUERY_ZPLANE, &size, NULL));
		size = sizeof(zp);
		EXPECT_EQ(-EOPNOTSUPP,
			  query(self->fd, DRM_DOJO_QUERY_ZPLANE, &size, &zp));
		EXPECT_NE(0, read_attr("zplane_link_state", buf, sizeof(buf)));
		return;
	}
	ASSERT_EQ(0, query(self->fd, DRM_DOJO_QUERY_ZPLANE, &size, NULL));
	EXPECT_EQ(ZP_SIZE, size);
	memset(&zp, 0xa5, sizeof(zp));
	size = sizeof(zp);
	ASSERT_EQ(0, query(self->fd, DRM_DOJO_QUERY_ZPLANE, &size, &zp));
	EXPECT_EQ(ZP_SIZE, size);

	ASSERT_LE(DRM_DOJO_ZPLANE_LINK_DOWN, zp.link_state);
	ASSERT_GE(DRM_DOJO_ZPLANE_UNCABLED, zp.link_state);
	ASSERT_EQ(0, read_attr("zplane_link_state", buf, sizeof(buf)));
	EXPECT_STREQ(states[zp.link_state], buf);
	EXPECT_GE(0xffffffu, zp.node_id);
	EXPECT_EQ(zp.node_id, attr_num(_metadata, "zplane_node_id"));
	EXPECT_EQ(0, zp.pad);
	EXPECT_EQ(0, zp.mac[6]);
	EXPECT_EQ(0, zp.mac[7]);
	if (zp.mac[0] || zp.mac[1] || zp.mac[2]) {
		EXPECT_EQ(0x98, zp.mac[0]);
		EXPECT_EQ(0xed, zp.mac[1]);
		EXPECT_EQ(0x5c, zp.mac[2]);
		EXPECT_EQ(zp.node_id, (__u32)zp.mac[3] << 16 |
				      zp.mac[4] << 8 | zp.mac[5]);
	}
	snprintf(mac, sizeof(mac), "%02x:%02x:%02x:%02x:%02x:%02x", zp.mac[0],
		 zp.mac[1], zp.mac[2], zp.mac[3], zp.mac[4], zp.mac[5]);
	ASSERT_EQ(0, read_attr("zplane_mac", buf, sizeof(buf)));
	EXPECT_STREQ(mac, buf);
	if (zp.link_state != DRM_DOJO_ZPLANE_LINK_UP)
		EXPECT_EQ(0, zp.num_conns);
	EXPECT_GE(DRM_DOJO_ZPLANE_MAX_CONNS, zp.num_conns);
	/* This test exports nothing; nothing else runs beside it. */
	EXPECT_EQ(0, zp.grants);
	/* The counters only grow; nothing sends while the link is idle. */
	EXPECT_LE(zp.link_changes, attr_num(_metadata, "zplane_link_changes"));
	for (i = 0; i < sizeof(counters) / sizeof(counters[0]); i++)
		EXPECT_LE((&zp.tx_bytes)[i], attr_num(_metadata, counters[i]))
			TH_LOG("%s", counters[i]);
}

/* The connection table: valid rows only, each a sane row. */
TEST_F(query, zplane_conns)
{
	struct drm_dojo_zplane_conns *conns;
	__u32 size = 0, i;

	if (!ttpoe_ports(_metadata, self->fd)) {
		EXPECT_EQ(-EOPNOTSUPP,
			  query(self->fd, DRM_DOJO_QUERY_ZPLANE_CONNS, &size,
				NULL));
		return;
	}
	ASSERT_EQ(0, query(self->fd, DRM_DOJO_QUERY_ZPLANE_CONNS, &size, NULL));
	EXPECT_EQ(CONNS_SIZE, size);
	conns = malloc(CONNS_SIZE + 64);
	ASSERT_NE(NULL, conns);
	memset(conns, 0xa5, CONNS_SIZE + 64);
	size = CONNS_SIZE + 64;
	ASSERT_EQ(0, query(self->fd, DRM_DOJO_QUERY_ZPLANE_CONNS, &size, conns));
	EXPECT_EQ(CONNS_SIZE, size);
	EXPECT_TRUE(all_bytes((char *)conns + CONNS_SIZE, 64, 0));
	EXPECT_EQ(0, conns->pad);
	ASSERT_GE(DRM_DOJO_ZPLANE_MAX_CONNS, conns->count);
	for (i = 0; i < conns->count; i++) {
		struct drm_dojo_zplane_conn *c = &conns->conns[i];

		EXPECT_GE(0xffffffu, c->peer_node_id);
		EXPECT_GE(2u, c->vc);
		EXPECT_GE((__u32)DRM_DOJO_CONN_CLOSE_RECD, c->state);
		EXPECT_EQ(0, c->pad);
	}
	/* Rows past count are zero, not stale. */
	for (i = conns->count; i < DRM_DOJO_ZPLANE_MAX_CONNS; i++)
		EXPECT_TRUE(all_bytes(&conns->conns[i], sizeof(conns->conns[i]),
				      0));
	size = CONNS_SIZE - 1;
	EXPECT_EQ(-EINVAL,
		  query(self->fd, DRM_DOJO_QUERY_ZPLANE_CONNS, &size, conns));
	free(conns);
}

/*
 * One row per rejected argument. A rejection must name the right error and
 * must leave the caller's buffer alone.
 */
enum buf_kind {
	BUF_OK,		/* a writable buffer of 4 KiB */
	BUF_NULL,	/* data = 0 */
	BUF_PROT_NONE,	/* a mapped page nobody may touch */
	BUF_READ_ONLY,	/* a page the process can read but not write */
	BUF_KERNEL,	/* a kernel address */
	BUF_TAIL_FAULT,	/* the answer fits, the zeroed tail runs into a hole */
};

/* sizes relative to the answer of the row's query */
#define SIZE_NEEDED	(-1LL)
#define SIZE_NEEDED_M1	(-2LL)
#define SIZE_OVER_PAGE	(-3LL)	/* answer plus 64 bytes, see BUF_TAIL_FAULT */

FIXTURE(reject) {
	int fd;
	unsigned char *map;	/* two pages: RW, then per buf kind */
	long page;
};

FIXTURE_VARIANT(reject) {
	__u32 query;
	long long size;
	__u32 flags;
	__u32 pad;
	enum buf_kind buf;
	int err;
};

FIXTURE_VARIANT_ADD(reject, query_zero) {
	.query = 0, .size = SIZE_NEEDED, .err = EINVAL,
};
FIXTURE_VARIANT_ADD(reject, query_unknown) {
	.query = 999, .size = SIZE_NEEDED, .err = EINVAL,
};
FIXTURE_VARIANT_ADD(reject, query_all_ones) {
	.query = 0xffffffff, .size = SIZE_NEEDED, .err = EINVAL,
};
FIXTURE_VARIANT_ADD(reject, query_unknown_size_probe) {
	/* even a size probe must not succeed for a query that does not exist */
	.query = 999, .size = 0, .err = EINVAL,
};
FIXTURE_VARIANT_ADD(reject, size_one) {
	.query = DRM_DOJO_QUERY_DEVICE_INFO, .size = 1, .err = EINVAL,
};
FIXTURE_VARIANT_ADD(reject, size_needed_minus_one) {
	.query = DRM_DOJO_QUERY_DEVICE_INFO, .size = SIZE_NEEDED_M1,
	.err = EINVAL,
};
FIXTURE_VARIANT_ADD(reject, flags_bit0) {
	.query = DRM_DOJO_QUERY_DEVICE_INFO, .size = SIZE_NEEDED,
	.flags = 1u << 0, .err = EINVAL,
};
FIXTURE_VARIANT_ADD(reject, flags_bit31) {
	.query = DRM_DOJO_QUERY_DEVICE_INFO, .size = SIZE_NEEDED,
	.flags = 1u << 31, .err = EINVAL,
};
FIXTURE_VARIANT_ADD(reject, flags_on_size_probe) {
	.query = DRM_DOJO_QUERY_DEVICE_INFO, .size = 0,
	.flags = 1u << 0, .err = EINVAL,
};
FIXTURE_VARIANT_ADD(reject, pad_nonzero) {
	.query = DRM_DOJO_QUERY_DEVICE_INFO, .size = SIZE_NEEDED,
	.pad = 1, .err = EINVAL,
};
FIXTURE_VARIANT_ADD(reject, pad_high_bit) {
	.query = DRM_DOJO_QUERY_DEVICE_INFO, .size = SIZE_NEEDED,
	.pad = 1u << 31, .err = EINVAL,
};
FIXTURE_VARIANT_ADD(reject, data_null) {
	.query = DRM_DOJO_QUERY_DEVICE_INFO, .size = SIZE_NEEDED,
	.buf = BUF_NULL, .err = EFAULT,
};
FIXTURE_VARIANT_ADD(reject, data_prot_none) {
	.query = DRM_DOJO_QUERY_DEVICE_INFO, .size = SIZE_NEEDED,
	.buf = BUF_PROT_NONE, .err = EFAULT,
};
FIXTURE_VARIANT_ADD(reject, data_read_only) {
	.query = DRM_DOJO_QUERY_DEVICE_INFO, .size = SIZE_NEEDED,
	.buf = BUF_READ_ONLY, .err = EFAULT,
};
FIXTURE_VARIANT_ADD(reject, data_kernel_address) {
	.query = DRM_DOJO_QUERY_DEVICE_INFO, .size = SIZE_NEEDED,
	.buf = BUF_KERNEL, .err = EFAULT,
};
FIXTURE_VARIANT_ADD(reject, memory_size_needed_minus_one) {
	.query = DRM_DOJO_QUERY_MEMORY, .size = SIZE_NEEDED_M1, .err = EINVAL,
};
FIXTURE_VARIANT_ADD(reject, memory_flags) {
	.query = DRM_DOJO_QUERY_MEMORY, .size = SIZE_NEEDED,
	.flags = 1u << 0, .err = EINVAL,
};
FIXTURE_VARIANT_ADD(reject, memory_pad) {
	.query = DRM_DOJO_QUERY_MEMORY, .size = SIZE_NEEDED,
	.pad = 1, .err = EINVAL,
};
FIXTURE_VARIANT_ADD(reject, memory_data_prot_none) {
	.query = DRM_DOJO_QUERY_MEMORY, .size = SIZE_NEEDED,
	.buf = BUF_PROT_NONE, .err = EFAULT,
};
FIXTURE_VARIANT_ADD(reject, tail_into_hole) {
	.query = DRM_DOJO_QUERY_DEVICE_INFO, .size = SIZE_OVER_PAGE,
	.buf = BUF_TAIL_FAULT, .err = EFAULT,
};

FIXTURE_SETUP(reject)
{
	int prot2 = PROT_READ | PROT_WRITE;

	self->page = sysconf(_SC_PAGESIZE);
	self->fd = open(NODE, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->fd) TH_LOG("open %s: %s", NODE, strerror(errno));

	self->map = mmap(NULL, 2 * self->page, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, self->map);
	memset(self->map, 0xa5, 2 * self->page);

	if (variant->buf == BUF_PROT_NONE || variant->buf == BUF_TAIL_FAULT)
		prot2 = PROT_NONE;
	else if (variant->buf == BUF_READ_ONLY)
		prot2 = PROT_READ;
	ASSERT_EQ(0, mprotect(self->map + self->page, self->page, prot2));
}

FIXTURE_TEARDOWN(reject)
{
	munmap(self->map, 2 * self->page);
	EXPECT_EQ(0, close(self->fd));
}

TEST_F(reject, einval_or_efault)
{
	struct drm_dojo_query q = {
		.query = variant->query,
		.flags = variant->flags,
		.pad = variant->pad,
	};
	unsigned char *second = self->map + self->page;
	__u32 needed = variant->query == DRM_DOJO_QUERY_MEMORY ? MEM_SIZE :
		       INFO_SIZE;

	switch (variant->size) {
	case SIZE_NEEDED:
		q.size = needed;
		break;
	case SIZE_NEEDED_M1:
		q.size = needed - 1;
		break;
	case SIZE_OVER_PAGE:
		q.size = needed + 64;
		break;
	default:
		q.size = variant->size;
	}

	switch (variant->buf) {
	case BUF_OK:
		q.data = (__u64)(uintptr_t)self->map;
		break;
	case BUF_NULL:
		q.data = 0;
		break;
	case BUF_PROT_NONE:
	case BUF_READ_ONLY:
		q.data = (__u64)(uintptr_t)second;
		break;
	case BUF_KERNEL:
		q.data = 0xffff888000000000ULL;
		break;
	case BUF_TAIL_FAULT:
		/* the answer ends exactly where the hole begins */
		q.data = (__u64)(uintptr_t)(second - needed);
		break;
	}

	EXPECT_EQ(-1, ioctl(self->fd, DRM_IOCTL_DOJO_QUERY, &q));
	EXPECT_EQ(variant->err, errno) TH_LOG("got %s", strerror(errno));

	/* nothing written for a rejected argument */
	if (variant->err == EINVAL)
		EXPECT_TRUE(all_bytes(self->map, self->page, 0xa5));
	if (variant->buf == BUF_READ_ONLY)
		EXPECT_TRUE(all_bytes(second, self->page, 0xa5));

	/* and the fd is still good afterwards */
	q = (struct drm_dojo_query){ .query = DRM_DOJO_QUERY_DEVICE_INFO };
	EXPECT_EQ(0, ioctl(self->fd, DRM_IOCTL_DOJO_QUERY, &q));
	EXPECT_EQ(INFO_SIZE, q.size);
}

TEST_HARNESS_MAIN
