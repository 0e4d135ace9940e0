// SPDX-License-Identifier: GPL-2.0-only
/*
 * Buffer sharing with PRIME (dma-buf):
 *  - a host buffer exported and imported by another process on the same
 *    card: same contents through its own mmap, jobs of that process read
 *    and write it, and the exporter sees the writes;
 *  - the same buffer imported by another card: its jobs reach it, and the
 *    exporting card's own jobs use it afterwards (both cards map the same
 *    pages; under DMA-API debugging the order of the two mappings shows);
 *  - an HBM buffer exported and imported by another file of the same card
 *    (the same object again), while another card refuses it (EOPNOTSUPP);
 *  - a dma-buf outlives the exporter's handle;
 *  - a udmabuf (memfd pages) imports as a host buffer, and a copy into it
 *    is visible in the memfd mapping: zero-copy.
 *
 * Expects two emulated cards (prime_test.sh).
 */
#include <linux/udmabuf.h>
#include <sys/wait.h>

#include "dojo_test.h"
#include "kselftest_harness.h"

#define WAIT_MS		30000
#define SZ		(256 * 1024)

FIXTURE(prime) {
	int fd;		/* card 0 */
	int fd1;	/* card 1 */
};

FIXTURE_SETUP(prime)
{
	self->fd = dt_open_card(0);
	ASSERT_LE(0, self->fd);
	self->fd1 = dt_open_card(1);
	ASSERT_LE(0, self->fd1) TH_LOG("prime_test needs two cards");
}

FIXTURE_TEARDOWN(prime)
{
	close(self->fd1);
	EXPECT_EQ(0, close(self->fd));
}

static int run(int fd, unsigned int q, const struct drm_dojo_cmd *cmds,
	       uint32_t n, const uint32_t *bos, uint32_t nbos)
{
	uint64_t id;
	int ret = dt_submit(fd, q, cmds, n, bos, nbos, &id);

	return ret ? ret : dt_status(fd, id, WAIT_MS);
}

/* Child side of host_to_other_process: 0 if all went well. */
static int importer(int pfd, uint32_t want_crc)
{
	struct drm_dojo_bo_info info;
	uint32_t h, d, r;
	uint8_t *pm, *pd, *pr;
	int fd = dt_open_card(0);

	if (fd < 0 || drmPrimeFDToHandle(fd, pfd, &h))
		return 1;
	if (dt_bo_info(fd, h, &info) || info.size != SZ ||
	    info.placement != DRM_DOJO_PLACEMENT_HOST || !info.mmap_offset)
		return 2;
	pm = dt_bo_mmap(fd, h, SZ);
	if (!pm || dt_crc32(pm, SZ) != want_crc)
		return 3;
	pd = dt_host_bo(fd, SZ, &d);
	pr = dt_host_bo(fd, 4096, &r);
	if (!pd || !pr)
		return 4;
	{
		uint32_t bos[] = { h, d, r };
		struct drm_dojo_cmd cmds[] = {
			dt_copy(0, 0, 1, 0, SZ),
			dt_crc(0, 0, SZ, 2, 0),
			dt_barrier(),
			dt_fill(0, 100, 1000, 0xabcdef01),
		};

		if (run(fd, 1, cmds, 4, bos, 3) != DRM_DOJO_JOB_DONE)
			return 5;
	}
	if (dt_diff(pd, pm, 100) != -1 || dt_le32(pr) != want_crc)
		return 6;
	/* Our own mapping sees our job's write. */
	if (dt_find_not_fill(pm + 100, 1000, 0xabcdef01) != -1)
		return 7;
	return 0;
}

TEST_F(prime, host_to_other_process)
{
	struct drm_dojo_memory_info m0, m1;
	uint32_t h;
	uint8_t *p, *copy;
	uint32_t crc;
	int pfd, status;
	pid_t pid;

	p = dt_host_bo(self->fd, SZ, &h);
	ASSERT_NE(NULL, p);
	dt_random(p, SZ, 11);
	crc = dt_crc32(p, SZ);
	copy = malloc(SZ);
	ASSERT_NE(NULL, copy);
	memcpy(copy, p, SZ);
	ASSERT_EQ(0, drmPrimeHandleToFD(self->fd, h, DRM_CLOEXEC | DRM_RDWR, &pfd));
	ASSERT_EQ(0, dt_memory(self->fd, &m0));

	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid)
		_exit(importer(pfd, crc));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status)) TH_LOG("importer step %d failed",
						  WEXITSTATUS(status));

	/* The exporter sees the importer's write, and only that. */
	EXPECT_EQ(-1, dt_find_not_fill(p + 100, 1000, 0xabcdef01));
	EXPECT_EQ(-1, dt_diff(p, copy, 100));
	EXPECT_EQ(-1, dt_diff(p + 1100, copy + 1100, SZ - 1100));
	/* An import is not counted as a new host buffer. */
	EXPECT_EQ(0, dt_wait_host_used(self->fd, m0.host_used, 5000));
	ASSERT_EQ(0, dt_memory(self->fd, &m1));
	EXPECT_EQ(m0.host_used, m1.host_used);
	close(pfd);
	free(copy);
}

TEST_F(prime, host_to_other_card)
{
	uint32_t h, imp, d;
	uint8_t *p, *pd;
	int pfd;

	p = dt_host_bo(self->fd, SZ, &h);
	ASSERT_NE(NULL, p);
	dt_random(p, SZ, 12);
	ASSERT_EQ(0, drmPrimeHandleToFD(self->fd, h, DRM_CLOEXEC | DRM_RDWR, &pfd));
	ASSERT_EQ(0, drmPrimeFDToHandle(self->fd1, pfd, &imp));
	close(pfd);
	pd = dt_host_bo(self->fd1, SZ, &d);
	ASSERT_NE(NULL, pd);
	{
		uint32_t bos[] = { imp, d };
		struct drm_dojo_cmd cmds[] = {
			dt_copy(0, 0, 1, 0, SZ),
			dt_barrier(),
			dt_fill(0, SZ - 8, 8, 0x01020304),
		};

		ASSERT_EQ(DRM_DOJO_JOB_DONE, run(self->fd1, 2, cmds, 3, bos, 2));
	}
	EXPECT_EQ(-1, dt_diff(pd, p, SZ - 8));
	EXPECT_EQ(-1, dt_find_not_fill(p + SZ - 8, 8, 0x01020304))
		TH_LOG("card 1's write did not reach card 0's buffer");

	/* The exporter's first job with the buffer, after the importer's. */
	{
		uint32_t bos[] = { h };
		struct drm_dojo_cmd cmds[] = {
			dt_fill(0, 0, 8, 0x05060708),
		};

		ASSERT_EQ(DRM_DOJO_JOB_DONE, run(self->fd, 1, cmds, 1, bos, 1));
	}
	EXPECT_EQ(-1, dt_find_not_fill(p, 8, 0x05060708));
}

TEST_F(prime, hbm_same_card_other_file)
{
	struct drm_dojo_bo_info info;
	struct drm_dojo_memory_info m0, m1;
	uint32_t h, imp, rb;
	uint8_t *prb;
	int fd2, pfd;

	fd2 = dt_open_card(0);
	ASSERT_LE(0, fd2);
	ASSERT_EQ(0, dt_bo_create(self->fd, SZ, DRM_DOJO_PLACEMENT_HBM, &h));
	{
		struct drm_dojo_cmd c = dt_fill(0, 0, SZ, 0x600dcafe);

		ASSERT_EQ(DRM_DOJO_JOB_DONE, run(self->fd, 0, &c, 1, &h, 1));
	}
	ASSERT_EQ(0, dt_memory(self->fd, &m0));
	ASSERT_EQ(0, drmPrimeHandleToFD(self->fd, h, DRM_CLOEXEC | DRM_RDWR, &pfd));
	ASSERT_EQ(0, drmPrimeFDToHandle(fd2, pfd, &imp));
	ASSERT_EQ(0, dt_bo_info(fd2, imp, &info));
	EXPECT_EQ(SZ, info.size);
	EXPECT_EQ(DRM_DOJO_PLACEMENT_HBM, info.placement);
	EXPECT_EQ(0, info.mmap_offset);
	/* The same HBM, not a copy: no new HBM is used. */
	ASSERT_EQ(0, dt_memory(self->fd, &m1));
	EXPECT_EQ(m0.hbm_used, m1.hbm_used);

	prb = dt_host_bo(fd2, SZ, &rb);
	ASSERT_NE(NULL, prb);
	{
		uint32_t bos[] = { imp, rb };
		struct drm_dojo_cmd cmds[] = {
			dt_copy(0, 0, 1, 0, SZ),
			dt_barrier(),
			dt_fill(0, 0, 4, 0x12345678),
		};

		ASSERT_EQ(DRM_DOJO_JOB_DONE, run(fd2, 3, cmds, 3, bos, 2));
	}
	EXPECT_EQ(-1, dt_find_not_fill(prb, SZ, 0x600dcafe));
	/* fd2's write, read back through fd's handle. */
	{
		uint32_t rb1;
		uint8_t *p1 = dt_host_bo(self->fd, 4096, &rb1);
		uint32_t bos[2];
		struct drm_dojo_cmd c = dt_copy(0, 0, 1, 0, 8);

		ASSERT_NE(NULL, p1);
		bos[0] = h;
		bos[1] = rb1;
		ASSERT_EQ(DRM_DOJO_JOB_DONE, run(self->fd, 1, &c, 1, bos, 2));
		EXPECT_EQ(0x12345678u, dt_le32(p1));
		EXPECT_EQ(0x600dcafeu, dt_le32(p1 + 4));
	}

	/* Another card cannot reach this HBM over PCIe. */
	{
		uint32_t other = 0;

		EXPECT_EQ(-1, drmPrimeFDToHandle(self->fd1, pfd, &other));
		EXPECT_EQ(EOPNOTSUPP, errno);
	}
	/* Nor can the CPU map it through the dma-buf. */
	EXPECT_EQ(MAP_FAILED, mmap(NULL, SZ, PROT_READ, MAP_SHARED, pfd, 0));
	close(pfd);
	close(fd2);
}

TEST_F(prime, dmabuf_outlives_handle)
{
	struct drm_dojo_memory_info m;
	uint32_t h, imp;
	uint8_t *p;
	uint32_t crc;
	int fd2, pfd;

	/* Earlier clients' buffers may still be on their way out. */
	ASSERT_EQ(0, dt_wait_host_used(self->fd, 0, 5000));
	p = dt_host_bo(self->fd, SZ, &h);
	ASSERT_NE(NULL, p);
	dt_random(p, SZ, 13);
	crc = dt_crc32(p, SZ);
	munmap(p, SZ);
	ASSERT_EQ(0, drmPrimeHandleToFD(self->fd, h, DRM_CLOEXEC | DRM_RDWR, &pfd));
	ASSERT_EQ(0, dt_gem_close(self->fd, h));

	fd2 = dt_open_card(0);
	ASSERT_LE(0, fd2);
	ASSERT_EQ(0, drmPrimeFDToHandle(fd2, pfd, &imp));
	close(pfd);
	p = dt_bo_mmap(fd2, imp, SZ);
	ASSERT_NE(NULL, p);
	EXPECT_EQ(crc, dt_crc32(p, SZ));
	munmap(p, SZ);
	ASSERT_EQ(0, dt_gem_close(fd2, imp));
	close(fd2);
	/* Now it is gone for good. */
	EXPECT_EQ(0, dt_wait_host_used(self->fd, 0, 5000));
	ASSERT_EQ(0, dt_memory(self->fd, &m));
	EXPECT_EQ(0, m.host_used);
}

TEST_F(prime, udmabuf_zero_copy)
{
	const size_t sz = 1024 * 1024;
	struct udmabuf_create uc = { .flags = UDMABUF_FLAGS_CLOEXEC, .size = sz };
	struct drm_dojo_memory_info m0, m1;
	struct drm_dojo_bo_info info;
	uint32_t src, dst, ubo;
	uint8_t *ps, *pd, *pm;
	int memfd, dev, dbuf;

	dev = open("/dev/udmabuf", O_RDWR | O_CLOEXEC);
	if (dev < 0)
		SKIP(return, "/dev/udmabuf: %s", strerror(errno));
	memfd = memfd_create("dojo-udmabuf", MFD_ALLOW_SEALING | MFD_CLOEXEC);
	ASSERT_LE(0, memfd);
	ASSERT_EQ(0, ftruncate(memfd, sz));
	ASSERT_EQ(0, fcntl(memfd, F_ADD_SEALS, F_SEAL_SHRINK));
	pm = mmap(NULL, sz, PROT_READ | PROT_WRITE, MAP_SHARED, memfd, 0);
	ASSERT_NE(MAP_FAILED, pm);
	memset(pm, 0x5a, sz);
	uc.memfd = memfd;
	dbuf = ioctl(dev, UDMABUF_CREATE, &uc);
	ASSERT_LE(0, dbuf) TH_LOG("UDMABUF_CREATE: %s", strerror(errno));

	ASSERT_EQ(0, dt_memory(self->fd, &m0));
	ASSERT_EQ(0, drmPrimeFDToHandle(self->fd, dbuf, &ubo))
		TH_LOG("import: %s", strerror(errno));
	ASSERT_EQ(0, dt_bo_info(self->fd, ubo, &info));
	EXPECT_EQ(sz, info.size);
	EXPECT_EQ(DRM_DOJO_PLACEMENT_HOST, info.placement);
	ASSERT_EQ(0, dt_memory(self->fd, &m1));
	EXPECT_EQ(m0.host_used, m1.host_used);

	ps = dt_host_bo(self->fd, sz, &src);
	ASSERT_NE(NULL, ps);
	pd = dt_host_bo(self->fd, sz, &dst);
	ASSERT_NE(NULL, pd);
	dt_random(ps, sz, 14);
	memset(pd, 0, sz);

	/* Into the memfd's pages, seen through its own mapping. */
	{
		uint32_t bos[] = { src, ubo };
		struct drm_dojo_cmd c = dt_copy(0, 7, 1, 123, 500000);

		ASSERT_EQ(DRM_DOJO_JOB_DONE, run(self->fd, 0, &c, 1, bos, 2));
	}
	EXPECT_EQ(-1, dt_diff(pm + 123, ps + 7, 500000))
		TH_LOG("the copy is not in the memfd");
	EXPECT_EQ(-1, dt_find_not(pm, 123, 0x5a));
	EXPECT_EQ(-1, dt_find_not(pm + 123 + 500000, sz - 123 - 500000, 0x5a));

	/* Out of them: what the CPU wrote there reaches the card. */
	memset(pm + 600000, 0xc4, 4096);
	{
		uint32_t bos[] = { ubo, dst };
		struct drm_dojo_cmd c = dt_copy(0, 0, 1, 0, sz);

		ASSERT_EQ(DRM_DOJO_JOB_DONE, run(self->fd, 1, &c, 1, bos, 2));
	}
	EXPECT_EQ(-1, dt_diff(pd, pm, sz));
	EXPECT_EQ(-1, dt_find_not(pd + 600000, 4096, 0xc4));

	ASSERT_EQ(0, dt_gem_close(self->fd, ubo));
	close(dbuf);
	munmap(pm, sz);
	close(memfd);
	close(dev);
}

TEST_HARNESS_MAIN
