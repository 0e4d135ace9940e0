// SPDX-License-Identifier: GPL-2.0-only
/*
 * tile_test: the TTP tile port. Three emulated DIPs: dojo_emu0 and
 * dojo_emu1 on tile 1 (edge 0 slot 0, edge 2 slot 4), dojo_emu2 on tile 2
 * (edge 1 slot 3). Topology in sysfs and DRM_DOJO_QUERY_TTP; tile buffers
 * shared between the two DIPs of tile 1 and copied through, CRC-checked;
 * isolation (no handle, bad index, another tile, no CPU mapping, zeroed
 * on allocation); HBM ECC marks that do not reach tile SRAM; a tile
 * deleted under a running job; SRAM accounting back to zero.
 */
#include <sys/wait.h>

#include "dojo_test.h"
#include "kselftest_harness.h"

#define WAIT_MS		60000
#define TILE_A		1
#define TILE_B		2
#define SRAM_SIZE	11000000000ULL

FIXTURE(tile) {
	int fd[3];
};

static long long tile_debugfs(int tile, const char *name)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), DT_EMU_DEBUGFS "/tile%d/%s", tile, name);
	return dt_read_num(path);
}

/* Wait until tile @tile's SRAM is all free and unbacked again. */
static int wait_tile_empty(int tile)
{
	int64_t end = dt_deadline_ms(10000);

	do {
		if (!tile_debugfs(tile, "sram_used_bytes") &&
		    !tile_debugfs(tile, "sram_backing_pages"))
			return 0;
		dt_sleep_ms(10);
	} while (dt_now_ns() < end);
	return -ETIME;
}

static int ttp_info(int fd, struct drm_dojo_ttp_info *info)
{
	struct drm_dojo_query q = {
		.query = DRM_DOJO_QUERY_TTP,
		.size = sizeof(*info),
		.data = (uintptr_t)info,
	};

	memset(info, 0xff, sizeof(*info));
	return dt_ioctl(fd, DRM_IOCTL_DOJO_QUERY, &q);
}

FIXTURE_SETUP(tile)
{
	int i;

	/* Leftovers of a failed test are removed; errors do not matter. */
	for (i = 0; i < 3; i++)
		dt_emu_bus("unlink_tile", "%d", i);
	dt_emu_bus("del_tile", "%d", TILE_A);
	dt_emu_bus("del_tile", "%d", TILE_B);

	ASSERT_EQ(0, dt_emu_bus("new_tile", "%d", TILE_A));
	ASSERT_EQ(0, dt_emu_bus("new_tile", "%d", TILE_B));
	ASSERT_EQ(0, dt_emu_bus("link_tile", "0 %d 0 0", TILE_A));
	ASSERT_EQ(0, dt_emu_bus("link_tile", "1 %d 2 4", TILE_A));
	ASSERT_EQ(0, dt_emu_bus("link_tile", "2 %d 1 3", TILE_B));
	for (i = 0; i < 3; i++) {
		ASSERT_EQ(0, dt_wait_card_attr(i, "ttp_link_state", "up"));
		self->fd[i] = dt_open_card(i);
		ASSERT_LE(0, self->fd[i]);
	}
}

FIXTURE_TEARDOWN(tile)
{
	int i;

	for (i = 0; i < 3; i++)
		close(self->fd[i]);
	for (i = 0; i < 3; i++) {
		dt_emu_write(i, "ecc_inject_ue", "clear");
		dt_emu_bus("unlink_tile", "%d", i);
	}
	dt_emu_bus("del_tile", "%d", TILE_A);
	dt_emu_bus("del_tile", "%d", TILE_B);
}

static int run(int fd, unsigned int q, const struct drm_dojo_cmd *cmds,
	       uint32_t n, const uint32_t *bos, uint32_t nbos)
{
	uint64_t id;
	int ret = dt_submit(fd, q, cmds, n, bos, nbos, &id);

	return ret ? ret : dt_status(fd, id, WAIT_MS);
}

TEST_F(tile, topology)
{
	static const int want[3][3] = {
		{ TILE_A, 0, 0 }, { TILE_A, 2, 4 }, { TILE_B, 1, 3 },
	};
	struct drm_dojo_ttp_info info;
	char buf[256];
	int i;

	for (i = 0; i < 3; i++) {
		EXPECT_EQ(want[i][0], dt_card_attr(i, "tile_id"));
		EXPECT_EQ(want[i][1], dt_card_attr(i, "tile_edge"));
		EXPECT_EQ(want[i][2], dt_card_attr(i, "tile_slot"));
		EXPECT_EQ(SRAM_SIZE, dt_card_attr(i, "tile_sram_size_bytes"));
		ASSERT_EQ(0, ttp_info(self->fd[i], &info));
		EXPECT_EQ(DRM_DOJO_TTP_LINK_UP, info.link_state);
		EXPECT_EQ(want[i][0], info.tile_id);
		EXPECT_EQ(want[i][1], info.tile_edge);
		EXPECT_EQ(want[i][2], info.tile_slot);
		EXPECT_EQ(SRAM_SIZE, info.sram_size);
		EXPECT_EQ(0, info.tile_used);
	}

	/* The tile lists its cabled slots. */
	snprintf(buf, sizeof(buf), DT_EMU_DEBUGFS "/tile%d/ports", TILE_A);
	ASSERT_LT(0, dt_read_file(buf, buf, sizeof(buf)));
	EXPECT_STREQ("0 0 dojo_emu0\n2 4 dojo_emu1\n", buf);

	/* A slot holds one card; a card one cable; edges 0..3, slots 0..4. */
	EXPECT_EQ(-EBUSY, dt_emu_bus("link_tile", "2 %d 0 0", TILE_A));
	EXPECT_EQ(-EBUSY, dt_emu_bus("link_tile", "0 %d 3 0", TILE_B));
	EXPECT_EQ(-EINVAL, dt_emu_bus("link_tile", "2 %d 4 0", TILE_A));
	EXPECT_EQ(-EINVAL, dt_emu_bus("link_tile", "2 %d 0 5", TILE_A));
	EXPECT_EQ(-ENOENT, dt_emu_bus("link_tile", "2 99 0 0"));
	EXPECT_EQ(-EEXIST, dt_emu_bus("new_tile", "%d", TILE_A));

	/* Unplugging is seen in sysfs and in the query, and counted. */
	ASSERT_EQ(0, ttp_info(self->fd[2], &info));
	EXPECT_EQ(0, dt_emu_bus("unlink_tile", "2"));
	ASSERT_EQ(0, dt_wait_card_attr(2, "ttp_link_state", "down"));
	EXPECT_EQ(-1, dt_card_attr(2, "tile_id"));
	EXPECT_EQ(-1, dt_card_attr(2, "tile_edge"));
	EXPECT_EQ(-1, dt_card_attr(2, "tile_slot"));
	EXPECT_EQ(0, dt_card_attr(2, "tile_sram_size_bytes"));
	{
		struct drm_dojo_ttp_info down;

		ASSERT_EQ(0, ttp_info(self->fd[2], &down));
		EXPECT_EQ(DRM_DOJO_TTP_LINK_DOWN, down.link_state);
		EXPECT_EQ(0, down.tile_id);
		EXPECT_EQ(0, down.sram_size);
		EXPECT_EQ(info.link_changes + 1, down.link_changes);
	}
	EXPECT_EQ(-ENOENT, dt_emu_bus("unlink_tile", "2"));

	/* Re-cabled elsewhere. */
	EXPECT_EQ(0, dt_emu_bus("link_tile", "2 %d 3 1", TILE_A));
	ASSERT_EQ(0, dt_wait_card_attr(2, "ttp_link_state", "up"));
	EXPECT_EQ(TILE_A, dt_card_attr(2, "tile_id"));
	EXPECT_EQ(3, dt_card_attr(2, "tile_edge"));
	EXPECT_EQ(1, dt_card_attr(2, "tile_slot"));
}

TEST_F(tile, query_and_create_validation)
{
	struct drm_dojo_ttp_info info;
	struct drm_dojo_query q = {
		.query = DRM_DOJO_QUERY_TTP,
		.data = (uintptr_t)&info,
	};
	uint32_t h;

	/* Size 0 asks for the size; short is refused; flags and pad must be 0. */
	ASSERT_EQ(0, dt_ioctl(self->fd[0], DRM_IOCTL_DOJO_QUERY, &q));
	EXPECT_EQ(sizeof(info), q.size);
	q.size = sizeof(info) - 8;
	EXPECT_EQ(-EINVAL, dt_ioctl(self->fd[0], DRM_IOCTL_DOJO_QUERY, &q));
	q.size = sizeof(info);
	q.flags = 1;
	EXPECT_EQ(-EINVAL, dt_ioctl(self->fd[0], DRM_IOCTL_DOJO_QUERY, &q));
	q.flags = 0;
	q.pad = 1;
	EXPECT_EQ(-EINVAL, dt_ioctl(self->fd[0], DRM_IOCTL_DOJO_QUERY, &q));

	/* Larger than the tile, or no tile on the port. */
	EXPECT_EQ(-EINVAL, dt_bo_create(self->fd[0], SRAM_SIZE + 4096,
					DRM_DOJO_PLACEMENT_TILE, &h));
	ASSERT_EQ(0, dt_emu_bus("unlink_tile", "2"));
	ASSERT_EQ(0, dt_wait_card_attr(2, "ttp_link_state", "down"));
	EXPECT_EQ(-ENOLINK, dt_bo_create(self->fd[2], 4096,
					 DRM_DOJO_PLACEMENT_TILE, &h));
}

/*
 * Host -> tile on card A, tile -> host on card B through the shared
 * buffer, at unaligned offsets, with the card's CRC over the tile data.
 */
static void shared_copy(struct __test_metadata *_metadata, int fa, int fb,
			uint64_t len, uint64_t seed)
{
	const uint64_t soff = 3, toff = 4093, doff = 5;
	uint64_t tsize = toff + len + 1, hsize = len + 8;
	struct drm_dojo_bo_info bi;
	uint32_t ha, ta, tb, hb, rb;
	uint8_t *pa, *pb, *pr;
	int pfd;

	pa = dt_host_bo(fa, hsize, &ha);
	ASSERT_NE(NULL, pa);
	pb = dt_host_bo(fb, hsize, &hb);
	ASSERT_NE(NULL, pb);
	pr = dt_host_bo(fb, 4096, &rb);
	ASSERT_NE(NULL, pr);
	dt_random(pa, hsize, seed);
	ASSERT_EQ(0, dt_bo_create(fa, tsize, DRM_DOJO_PLACEMENT_TILE, &ta));
	ASSERT_EQ(0, dt_bo_info(fa, ta, &bi));
	EXPECT_EQ(DRM_DOJO_PLACEMENT_TILE, bi.placement);
	EXPECT_EQ(0, bi.mmap_offset);
	EXPECT_EQ((tsize + 4095) & ~4095ULL, bi.size);
	{
		uint32_t bos[] = { ha, ta };
		struct drm_dojo_cmd c = dt_copy(0, soff, 1, toff, len);

		ASSERT_EQ(DRM_DOJO_JOB_DONE, run(fa, 0, &c, 1, bos, 2));
	}

	ASSERT_EQ(0, drmPrimeHandleToFD(fa, ta, DRM_CLOEXEC | DRM_RDWR, &pfd));
	ASSERT_EQ(0, drmPrimeFDToHandle(fb, pfd, &tb));
	close(pfd);
	ASSERT_EQ(0, dt_bo_info(fb, tb, &bi));
	EXPECT_EQ(DRM_DOJO_PLACEMENT_TILE, bi.placement);
	EXPECT_EQ(0, bi.mmap_offset);
	{
		uint32_t bos[] = { tb, hb, rb };
		struct drm_dojo_cmd c[] = {
			dt_copy(0, toff, 1, doff, len),
			dt_crc(0, toff, len, 2, 0),
		};

		ASSERT_EQ(DRM_DOJO_JOB_DONE, run(fb, 1, c, 2, bos, 3));
	}
	EXPECT_EQ(-1, dt_diff(pa + soff, pb + doff, len))
		TH_LOG("%llu bytes differ", (unsigned long long)len);
	EXPECT_EQ(dt_crc32(pa + soff, len), dt_le32(pr));

	/* B holds it alone now: A's handle goes, the data stays. */
	EXPECT_EQ(0, dt_gem_close(fa, ta));
	memset(pb, 0, hsize);
	{
		uint32_t bos[] = { tb, hb };
		struct drm_dojo_cmd c = dt_copy(0, toff, 1, doff, len);

		ASSERT_EQ(DRM_DOJO_JOB_DONE, run(fb, 2, &c, 1, bos, 2));
	}
	EXPECT_EQ(-1, dt_diff(pa + soff, pb + doff, len));
	EXPECT_EQ(0, dt_gem_close(fb, tb));

	munmap(pa, hsize);
	munmap(pb, hsize);
	munmap(pr, 4096);
	dt_gem_close(fa, ha);
	dt_gem_close(fb, hb);
	dt_gem_close(fb, rb);
}

TEST_F(tile, shared_copy_sizes)
{
	static const uint64_t sizes[] = {
		1, 3, 4095, 4097, 65537, DT_MIB + 7, 64 * DT_MIB,
	};
	struct drm_dojo_ttp_info a0, a1, b1;
	unsigned int i;

	ASSERT_EQ(0, ttp_info(self->fd[0], &a0));
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		shared_copy(_metadata, self->fd[0], self->fd[1], sizes[i], i + 1);
	ASSERT_EQ(0, ttp_info(self->fd[0], &a1));
	ASSERT_EQ(0, ttp_info(self->fd[1], &b1));
	EXPECT_LE(a0.tx_bytes + 64 * DT_MIB, a1.tx_bytes);
	EXPECT_LE(128 * DT_MIB, b1.rx_bytes);
	EXPECT_EQ(0, a1.tile_used);
	EXPECT_EQ(0, b1.tile_used);
	/* Every buffer is gone from the tile, and so is its backing. */
	EXPECT_EQ(0, wait_tile_empty(TILE_A));
}

/*
 * HBM ECC marks concern HBM: a job moving tile SRAM neither fails on an
 * HBM address that matches a tile buffer's offset nor clears the mark.
 */
TEST_F(tile, hbm_ecc_does_not_reach_tile_sram)
{
	const uint64_t len = 64 * 1024;
	uint32_t h, t, r;
	uint8_t *p, *pr;
	long long ue0;
	char buf[128];

	p = dt_host_bo(self->fd[0], len, &h);
	ASSERT_NE(NULL, p);
	pr = dt_host_bo(self->fd[0], 4096, &r);
	ASSERT_NE(NULL, pr);
	ASSERT_EQ(0, dt_bo_create(self->fd[0], len, DRM_DOJO_PLACEMENT_TILE,
				  &t));
	ue0 = dt_card_attr(0, "ecc_uncorrected");
	ASSERT_LE(0, ue0);

	/* Every HBM address holds an uncorrected error. */
	snprintf(buf, sizeof(buf), "0 %lld", dt_card_attr(0, "hbm_size_bytes"));
	ASSERT_EQ(0, dt_emu_write(0, "ecc_inject_ue", buf));

	/* The new tile buffer reads as zeroes, through COPY and CRC32. */
	memset(p, 0xa5, len);
	{
		uint32_t bos[] = { t, h, r };
		struct drm_dojo_cmd c[] = {
			dt_copy(0, 0, 1, 0, len),
			dt_crc(0, 0, len, 2, 0),
		};

		EXPECT_EQ(DRM_DOJO_JOB_DONE, run(self->fd[0], 0, c, 2, bos, 3));
	}
	EXPECT_EQ(-1, dt_find_not(p, len, 0));
	EXPECT_EQ(dt_crc32(p, len), dt_le32(pr));

	/* Writing the tile buffer and reading it back. */
	dt_random(p, len, 11);
	{
		uint32_t bos[] = { h, t, r };
		struct drm_dojo_cmd c[] = {
			dt_copy(0, 0, 1, 0, len),
			dt_fill(1, len / 2, len / 2, 0x5a5a5a5a),
			dt_crc(1, 0, len, 2, 0),
		};

		EXPECT_EQ(DRM_DOJO_JOB_DONE, run(self->fd[0], 1, c, 3, bos, 3));
	}
	memset(p + len / 2, 0x5a, len / 2);
	EXPECT_EQ(dt_crc32(p, len), dt_le32(pr));

	/* No error was counted, and HBM still holds its marked range. */
	EXPECT_EQ(ue0, dt_card_attr(0, "ecc_uncorrected"));
	ASSERT_LT(0, dt_emu_read(0, "ecc_inject_ue", buf, sizeof(buf)));
	EXPECT_EQ(0, strncmp(buf, "0x0 0x", 6)) TH_LOG("marks: %s", buf);
	EXPECT_EQ(0, dt_emu_write(0, "ecc_inject_ue", "clear"));

	munmap(p, len);
	munmap(pr, 4096);
	dt_gem_close(self->fd[0], t);
	dt_gem_close(self->fd[0], h);
	dt_gem_close(self->fd[0], r);
}

TEST_F(tile, isolation)
{
	struct drm_dojo_bo_info bi;
	uint32_t ta, t2, hb, rb, hc;
	uint8_t *pr;
	int pfd;

	ASSERT_EQ(0, dt_bo_create(self->fd[0], 64 * 1024,
				  DRM_DOJO_PLACEMENT_TILE, &ta));
	pr = dt_host_bo(self->fd[1], 4096, &rb);
	ASSERT_NE(NULL, pr);
	ASSERT_EQ(0, dt_bo_create(self->fd[1], 4096, DRM_DOJO_PLACEMENT_HOST,
				  &hb));

	/* B never imported A's buffer: A's handle means nothing on B. */
	{
		uint32_t bos[] = { ta + 100, rb };
		struct drm_dojo_cmd c = dt_crc(0, 0, 4096, 1, 0);
		uint64_t id;

		EXPECT_EQ(-ENOENT, dt_submit(self->fd[1], 0, &c, 1, bos, 2, &id));
	}
	/* An index past the job's buffers. */
	{
		uint32_t bos[] = { rb };
		struct drm_dojo_cmd c = dt_crc(1, 0, 4096, 0, 0);
		uint64_t id;

		EXPECT_EQ(-EINVAL, dt_submit(self->fd[1], 0, &c, 1, bos, 1, &id));
	}
	/* A range past the tile buffer's end. */
	{
		uint32_t bos[] = { ta };
		struct drm_dojo_cmd c = dt_fill(0, 64 * 1024 - 3, 4, 1);
		uint64_t id;

		EXPECT_EQ(-EINVAL, dt_submit(self->fd[0], 0, &c, 1, bos, 1, &id));
	}

	/* No CPU access. */
	ASSERT_EQ(0, dt_bo_info(self->fd[0], ta, &bi));
	EXPECT_EQ(0, bi.mmap_offset);

	/* A DIP on another tile cannot import it; a host buffer it can. */
	ASSERT_EQ(0, drmPrimeHandleToFD(self->fd[0], ta, DRM_CLOEXEC | DRM_RDWR,
					&pfd));
	EXPECT_EQ(-EXDEV, drmPrimeFDToHandle(self->fd[2], pfd, &hc) ? -errno : 0);
	/* It is not mappable through the dma-buf either. */
	EXPECT_EQ(MAP_FAILED, mmap(NULL, 4096, PROT_READ, MAP_SHARED, pfd, 0));
	/* Its importer on the same tile gets the same bytes. */
	ASSERT_EQ(0, drmPrimeFDToHandle(self->fd[1], pfd, &t2));
	close(pfd);
	EXPECT_EQ(64 * 1024, tile_debugfs(TILE_A, "sram_used_bytes"));

	/*
	 * Whatever a client leaves in tile SRAM, the next buffer on that
	 * range reads zeroes: fill, free on both cards, allocate again.
	 */
	{
		uint32_t bos[] = { ta };
		struct drm_dojo_cmd c = dt_fill(0, 0, 64 * 1024, 0xdeadbeef);

		ASSERT_EQ(DRM_DOJO_JOB_DONE, run(self->fd[0], 0, &c, 1, bos, 1));
	}
	{
		uint32_t bos[] = { t2, rb };
		struct drm_dojo_cmd c = dt_crc(0, 0, 64 * 1024, 1, 0);
		uint8_t fill[64 * 1024];
		unsigned int i;

		for (i = 0; i < sizeof(fill); i++)
			fill[i] = dt_fill_byte(0xdeadbeef, i);
		ASSERT_EQ(DRM_DOJO_JOB_DONE, run(self->fd[1], 0, &c, 1, bos, 2));
		EXPECT_EQ(dt_crc32(fill, sizeof(fill)), dt_le32(pr));
	}
	EXPECT_EQ(0, dt_gem_close(self->fd[0], ta));
	EXPECT_EQ(64 * 1024, tile_debugfs(TILE_A, "sram_used_bytes"));
	EXPECT_EQ(0, dt_gem_close(self->fd[1], t2));
	EXPECT_EQ(0, wait_tile_empty(TILE_A));
	ASSERT_EQ(0, dt_bo_create(self->fd[0], 64 * 1024,
				  DRM_DOJO_PLACEMENT_TILE, &ta));
	ASSERT_EQ(0, drmPrimeHandleToFD(self->fd[0], ta, DRM_CLOEXEC | DRM_RDWR,
					&pfd));
	ASSERT_EQ(0, drmPrimeFDToHandle(self->fd[1], pfd, &t2));
	close(pfd);
	{
		uint32_t bos[] = { t2, rb };
		struct drm_dojo_cmd c = dt_crc(0, 0, 64 * 1024, 1, 0);
		static const uint8_t zero[64 * 1024];

		ASSERT_EQ(DRM_DOJO_JOB_DONE, run(self->fd[1], 0, &c, 1, bos, 2));
		EXPECT_EQ(dt_crc32(zero, sizeof(zero)), dt_le32(pr));
	}
	munmap(pr, 4096);
}

/* The tile goes away while card A writes it: the job ends LINK_DOWN. */
TEST_F(tile, tile_deleted_mid_transfer)
{
	const uint64_t len = 64 * DT_MIB;
	struct drm_dojo_ttp_info info, start;
	struct drm_dojo_job_wait w;
	uint32_t ha, ta, tb, hb;
	uint64_t id;
	uint8_t *pa;
	int64_t end;
	int pfd;

	pa = dt_host_bo(self->fd[0], len, &ha);
	ASSERT_NE(NULL, pa);
	dt_random(pa, len, 7);
	ASSERT_EQ(0, dt_bo_create(self->fd[0], len, DRM_DOJO_PLACEMENT_TILE,
				  &ta));
	ASSERT_EQ(0, drmPrimeHandleToFD(self->fd[0], ta, DRM_CLOEXEC | DRM_RDWR,
					&pfd));
	ASSERT_EQ(0, drmPrimeFDToHandle(self->fd[1], pfd, &tb));
	close(pfd);
	ASSERT_EQ(0, dt_bo_create(self->fd[1], 4096, DRM_DOJO_PLACEMENT_HOST,
				  &hb));
	ASSERT_EQ(0, ttp_info(self->fd[0], &start));

	{
		uint32_t bos[] = { ha, ta };
		struct drm_dojo_cmd c[32];
		unsigned int i;

		for (i = 0; i < 32; i++)
			c[i] = dt_copy(0, 0, 1, 0, len);
		ASSERT_EQ(0, dt_submit(self->fd[0], 0, c, 32, bos, 2, &id));
	}
	/* Once data is crossing the link, pull the tile. */
	end = dt_deadline_ms(WAIT_MS);
	do {
		ASSERT_EQ(0, ttp_info(self->fd[0], &info));
	} while (info.tx_bytes == start.tx_bytes && dt_now_ns() < end);
	ASSERT_NE(start.tx_bytes, info.tx_bytes);
	ASSERT_EQ(0, dt_emu_bus("del_tile", "%d", TILE_A));

	ASSERT_EQ(0, dt_wait(self->fd[0], id, WAIT_MS, &w));
	EXPECT_EQ(DRM_DOJO_JOB_LINK_DOWN, w.status)
		TH_LOG("status %s", dt_status_name(w.status));
	EXPECT_EQ(0, w.error);
	EXPECT_GT(32u, w.error_cmd);

	ASSERT_EQ(0, dt_wait_card_attr(0, "ttp_link_state", "down"));
	ASSERT_EQ(0, dt_wait_card_attr(1, "ttp_link_state", "down"));
	EXPECT_EQ(-1, dt_card_attr(0, "tile_id"));
	/* B's job on its imported handle fails the same way, at once. */
	{
		uint32_t bos[] = { tb, hb };
		struct drm_dojo_cmd c = dt_copy(0, 0, 1, 0, 4096);

		EXPECT_EQ(DRM_DOJO_JOB_LINK_DOWN, run(self->fd[1], 0, &c, 1, bos, 2));
	}
	/* A new tile on the same id knows nothing of the old buffers. */
	ASSERT_EQ(0, dt_emu_bus("new_tile", "%d", TILE_A));
	ASSERT_EQ(0, dt_emu_bus("link_tile", "1 %d 0 0", TILE_A));
	ASSERT_EQ(0, dt_wait_card_attr(1, "ttp_link_state", "up"));
	{
		uint32_t bos[] = { tb, hb };
		struct drm_dojo_cmd c = dt_copy(0, 0, 1, 0, 4096);

		EXPECT_EQ(DRM_DOJO_JOB_LINK_DOWN, run(self->fd[1], 0, &c, 1, bos, 2));
	}
	EXPECT_EQ(0, dt_gem_close(self->fd[0], ta));
	EXPECT_EQ(0, dt_gem_close(self->fd[1], tb));
	EXPECT_EQ(0, tile_debugfs(TILE_A, "sram_used_bytes"));
	/* The deleted tile went with its last user: tile 2 and the new one remain. */
	EXPECT_EQ(2, dt_read_num(DT_EMU_DEBUGFS "/tiles_live"));
	munmap(pa, len);
}

/*
 * A link that bounces: the tile forgets card A's holds, so A's handle is
 * dead; A holds the buffer again only through a new import (another file),
 * and closing the dead handle does not take the new one's hold away.
 */
TEST_F(tile, link_bounce)
{
	uint32_t ta, tb, ta2, hr;
	uint8_t *pr;
	int pfd, fd2;

	ASSERT_EQ(0, dt_bo_create(self->fd[1], 64 * 1024,
				  DRM_DOJO_PLACEMENT_TILE, &tb));
	{
		uint32_t bos[] = { tb };
		struct drm_dojo_cmd c = dt_fill(0, 0, 64 * 1024, 0x12345678);

		ASSERT_EQ(DRM_DOJO_JOB_DONE, run(self->fd[1], 0, &c, 1, bos, 1));
	}
	ASSERT_EQ(0, drmPrimeHandleToFD(self->fd[1], tb, DRM_CLOEXEC | DRM_RDWR,
					&pfd));
	ASSERT_EQ(0, drmPrimeFDToHandle(self->fd[0], pfd, &ta));
	pr = dt_host_bo(self->fd[0], 4096, &hr);
	ASSERT_NE(NULL, pr);

	ASSERT_EQ(0, dt_emu_bus("unlink_tile", "0"));
	ASSERT_EQ(0, dt_wait_card_attr(0, "ttp_link_state", "down"));
	ASSERT_EQ(0, dt_emu_bus("link_tile", "0 %d 0 0", TILE_A));
	ASSERT_EQ(0, dt_wait_card_attr(0, "ttp_link_state", "up"));
	/* B still holds it. */
	EXPECT_EQ(64 * 1024, tile_debugfs(TILE_A, "sram_used_bytes"));
	{
		uint32_t bos[] = { ta, hr };
		struct drm_dojo_cmd c = dt_copy(0, 0, 1, 0, 4096);

		EXPECT_EQ(DRM_DOJO_JOB_LINK_DOWN, run(self->fd[0], 0, &c, 1, bos, 2));
	}

	/* Another file of card A imports it anew. */
	fd2 = dt_open_card(0);
	ASSERT_LE(0, fd2);
	ASSERT_EQ(0, drmPrimeFDToHandle(fd2, pfd, &ta2));
	close(pfd);
	/* The dead handle goes; the new hold must stay. */
	EXPECT_EQ(0, dt_gem_close(self->fd[0], ta));
	EXPECT_EQ(0, dt_gem_close(self->fd[1], tb));
	{
		uint32_t bos[] = { ta2, hr };
		struct drm_dojo_cmd c = dt_copy(0, 0, 1, 0, 4096);
		uint32_t h2;
		int pfd2;

		/* the host buffer is card A's: hand it to the second file */
		ASSERT_EQ(0, drmPrimeHandleToFD(self->fd[0], hr, DRM_CLOEXEC | DRM_RDWR,
						&pfd2));
		ASSERT_EQ(0, drmPrimeFDToHandle(fd2, pfd2, &h2));
		close(pfd2);
		bos[1] = h2;
		EXPECT_EQ(DRM_DOJO_JOB_DONE, run(fd2, 0, &c, 1, bos, 2));
		EXPECT_EQ(-1, dt_find_not_fill(pr, 4096, 0x12345678));
	}
	EXPECT_EQ(64 * 1024, tile_debugfs(TILE_A, "sram_used_bytes"));
	close(fd2);
	EXPECT_EQ(0, wait_tile_empty(TILE_A));
	munmap(pr, 4096);
}

/* Closing a file gives its tile buffers back; deleting tiles frees them. */
/*
 * A tile buffer created while the card resets is a new buffer: the card
 * ignores mailbox writes while it resets, so a command sent then must not
 * come back with the previous command's answer, another client's buffer.
 */
TEST_F(tile, create_during_device_reset)
{
	uint32_t ta, tb = 0, host, bos[2];
	char path[PATH_MAX];
	struct drm_dojo_cmd c;
	int fd, status, ret;
	uint8_t *p;
	pid_t pid;

	ASSERT_EQ(0, dt_bo_create(self->fd[0], 64 * 1024,
				  DRM_DOJO_PLACEMENT_TILE, &ta));
	bos[0] = ta;
	c = dt_fill(0, 0, 64 * 1024, 0xa5a5a5a5);
	ASSERT_EQ(DRM_DOJO_JOB_DONE, run(self->fd[0], 0, &c, 1, bos, 1));

	ASSERT_EQ(0, dt_emu_write(0, "ready_delay_ms", "800"));
	snprintf(path, sizeof(path),
		 "/sys/class/accel/accel%d/device/dojo/reset",
		 dt_card_minor(0));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid)
		_exit(dt_write_file(path, "tile_test create_during_device_reset") ?
		      1 : 0);
	dt_sleep_ms(200);
	fd = dt_open_card(0);
	ASSERT_LE(0, fd);
	ret = dt_bo_create(fd, 64 * 1024, DRM_DOJO_PLACEMENT_TILE, &tb);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, WEXITSTATUS(status));
	dt_emu_write(0, "ready_delay_ms", "10");
	if (ret) {
		/* Refusing during the reset is fine; handing out A's is not. */
		EXPECT_TRUE(ret == -EIO || ret == -EBUSY || ret == -EAGAIN)
			TH_LOG("%s", strerror(-ret));
		close(fd);
		return;
	}
	p = dt_host_bo(fd, 4096, &host);
	ASSERT_NE(NULL, p);
	bos[0] = tb;
	bos[1] = host;
	c = dt_crc(0, 0, 64 * 1024, 1, 0);
	ASSERT_EQ(DRM_DOJO_JOB_DONE, run(fd, 0, &c, 1, bos, 2));
	{
		static uint8_t zero[64 * 1024];

		EXPECT_EQ(dt_crc32(zero, sizeof(zero)), dt_le32(p))
			TH_LOG("the new buffer holds another client's data");
	}
	munmap(p, 4096);
	close(fd);
}

TEST_F(tile, no_leaks)
{
	uint32_t h[8];
	int i, fd;

	fd = dt_open_card(0);
	ASSERT_LE(0, fd);
	for (i = 0; i < 8; i++)
		ASSERT_EQ(0, dt_bo_create(fd, DT_MIB * (i + 1),
					  DRM_DOJO_PLACEMENT_TILE, &h[i]));
	{
		uint32_t bos[] = { h[7] };
		struct drm_dojo_cmd c = dt_fill(0, 0, 8 * DT_MIB, 0x5a5a5a5a);

		ASSERT_EQ(DRM_DOJO_JOB_DONE, run(fd, 0, &c, 1, bos, 1));
	}
	EXPECT_EQ(36 * DT_MIB, tile_debugfs(TILE_A, "sram_used_bytes"));
	EXPECT_EQ(2048, tile_debugfs(TILE_A, "sram_backing_pages"));
	close(fd);
	EXPECT_EQ(0, wait_tile_empty(TILE_A));

	/* A card deleted while it holds a buffer gives it back too. */
	ASSERT_EQ(0, dt_bo_create(self->fd[2], DT_MIB, DRM_DOJO_PLACEMENT_TILE,
				  &h[0]));
	EXPECT_EQ((long long)DT_MIB, tile_debugfs(TILE_B, "sram_used_bytes"));
	ASSERT_EQ(0, dt_card_delete(2));
	EXPECT_EQ(0, wait_tile_empty(TILE_B));
	close(self->fd[2]);
	self->fd[2] = -1;
	ASSERT_EQ(0, dt_card_create(2));

	EXPECT_EQ(0, dt_emu_bus("del_tile", "%d", TILE_A));
	EXPECT_EQ(0, dt_emu_bus("del_tile", "%d", TILE_B));
	EXPECT_EQ(0, dt_read_num(DT_EMU_DEBUGFS "/tiles_live"));
}

TEST_HARNESS_MAIN
