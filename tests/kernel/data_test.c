// SPDX-License-Identifier: GPL-2.0-only
/*
 * Data integrity of the DMA queues, seen through the raw ioctls: COPY in
 * every direction (host->HBM, HBM->HBM, HBM->host, host->host) for sizes
 * from 1 byte to 64 MiB at unaligned offsets, checked by reading the host
 * buffers back through mmap and by the card's own CRC32 command against a
 * userspace CRC-32; the bytes around every destination range must stay as
 * they were. FILL semantics, JOB_WAIT, out-fences (binary and timeline
 * syncobjs) and in-fence ordering across queues.
 *
 * Expects dojo.ko and dojo_emu.ko with card dojo_emu0 and enough HBM
 * backing for two 64 MiB HBM buffers (data_test.sh loads them).
 */
#include "dojo_test.h"
#include "kselftest_harness.h"

#define EMU		0
#define WAIT_MS		60000
#define GUARD		64	/* bytes checked on either side of a range */

/* Unaligned offsets of each range in its buffer. */
#define SRC_OFF		5	/* host source */
#define HBM_OFF		4093	/* first HBM buffer: crosses a page at once */
#define HBM2_OFF	7	/* second HBM buffer */
#define HOST_OFF	13	/* host destination of HBM->host */
#define H2H_OFF		4099	/* host destination of host->host */

#define P_SRC_GUARD	0xa5u
#define P_HOST_GUARD	0xeeu
#define P_H2H_GUARD	0xddu
#define P_HBM		0x5a6b7c8du
#define P_HBM2		0x01f2e3d4u

static const char *dir_name[] = {
	"host->HBM", "HBM->HBM", "HBM->host", "host->host",
};

FIXTURE(data) {
	int fd;
	unsigned int nq;
};

FIXTURE_VARIANT(data) {
	uint64_t len;
};

FIXTURE_VARIANT_ADD(data, b1) { .len = 1 };
FIXTURE_VARIANT_ADD(data, b3) { .len = 3 };
FIXTURE_VARIANT_ADD(data, b4095) { .len = 4095 };
FIXTURE_VARIANT_ADD(data, b4096) { .len = 4096 };
FIXTURE_VARIANT_ADD(data, b4097) { .len = 4097 };
FIXTURE_VARIANT_ADD(data, b65537) { .len = 65537 };
FIXTURE_VARIANT_ADD(data, mib1_13) { .len = DT_MIB + 13 };
FIXTURE_VARIANT_ADD(data, mib64) { .len = 64 * DT_MIB };

FIXTURE_SETUP(data)
{
	int nq;

	self->fd = dt_open_card(EMU);
	ASSERT_LE(0, self->fd) TH_LOG("open dojo_emu%d: %s", EMU,
				      strerror(-self->fd));
	nq = dt_num_queues(self->fd);
	ASSERT_LT(0, nq);
	self->nq = nq;
}

FIXTURE_TEARDOWN(data)
{
	EXPECT_EQ(0, close(self->fd));
}

/* Run one job and expect it DONE. */
#define RUN_DONE(fd, q, cmds, bos, what) do {					\
	uint64_t _id;								\
	struct drm_dojo_job_wait _w;						\
	ASSERT_EQ(0, dt_submit(fd, q, cmds, sizeof(cmds) / sizeof(cmds[0]),	\
			       bos, sizeof(bos) / sizeof(bos[0]), &_id))	\
		TH_LOG("submit %s", what);					\
	ASSERT_EQ(0, dt_wait(fd, _id, WAIT_MS, &_w)) TH_LOG("wait %s", what);	\
	ASSERT_EQ(DRM_DOJO_JOB_DONE, _w.status)					\
		TH_LOG("%s: status %s error %u at cmd %u", what,		\
		       dt_status_name(_w.status), _w.error, _w.error_cmd);	\
	EXPECT_EQ(0, _w.error);							\
} while (0)

TEST_F_TIMEOUT(data, all_directions, 240)
{
	const uint64_t len = variant->len;
	const uint64_t a_size = SRC_OFF + len + GUARD;
	const uint64_t h_size = HBM_OFF + len + GUARD;
	const uint64_t h2_size = HBM2_OFF + len + GUARD;
	const uint64_t b_size = HOST_OFF + len + GUARD;
	const uint64_t c_size = H2H_OFF + len + GUARD;
	/* Readback of an HBM buffer's head and tail: guard plus some data. */
	const uint64_t edge = GUARD + (len < GUARD ? len : GUARD);
	uint32_t a, h, h2, b, c, r, e;
	uint8_t *pa, *pb, *pc, *pr, *pe;
	uint32_t want;
	long at;
	int i;

	pa = dt_host_bo(self->fd, a_size, &a);
	ASSERT_NE(NULL, pa);
	pb = dt_host_bo(self->fd, b_size, &b);
	ASSERT_NE(NULL, pb);
	pc = dt_host_bo(self->fd, c_size, &c);
	ASSERT_NE(NULL, pc);
	pr = dt_host_bo(self->fd, DT_PAGE, &r);
	ASSERT_NE(NULL, pr);
	pe = dt_host_bo(self->fd, 4 * DT_PAGE, &e);
	ASSERT_NE(NULL, pe);
	ASSERT_EQ(0, dt_bo_create(self->fd, h_size, DRM_DOJO_PLACEMENT_HBM, &h));
	ASSERT_EQ(0, dt_bo_create(self->fd, h2_size, DRM_DOJO_PLACEMENT_HBM, &h2));

	memset(pa, P_SRC_GUARD, a_size);
	dt_random(pa + SRC_OFF, len, len);
	memset(pb, P_HOST_GUARD, b_size);
	memset(pc, P_H2H_GUARD, c_size);
	memset(pr, 0, DT_PAGE);
	want = dt_crc32(pa + SRC_OFF, len);

	{
		/* Both HBM buffers get a known background first (FILL). */
		uint32_t bos[] = { h, h2 };
		struct drm_dojo_cmd cmds[] = {
			dt_fill(0, 0, h_size, P_HBM),
			dt_fill(1, 0, h2_size, P_HBM2),
		};

		RUN_DONE(self->fd, 0, cmds, bos, "fill HBM");
	}
	{
		uint32_t bos[] = { a, h, r };
		struct drm_dojo_cmd cmds[] = {
			dt_copy(0, SRC_OFF, 1, HBM_OFF, len),
			dt_barrier(),
			dt_crc(1, HBM_OFF, len, 2, 0),
			dt_crc(0, SRC_OFF, len, 2, 4),
		};

		RUN_DONE(self->fd, 1 % self->nq, cmds, bos, dir_name[0]);
	}
	{
		uint32_t bos[] = { h, h2, r };
		struct drm_dojo_cmd cmds[] = {
			dt_copy(0, HBM_OFF, 1, HBM2_OFF, len),
			dt_barrier(),
			dt_crc(1, HBM2_OFF, len, 2, 8),
		};

		RUN_DONE(self->fd, 2 % self->nq, cmds, bos, dir_name[1]);
	}
	{
		uint32_t bos[] = { h2, b, r };
		struct drm_dojo_cmd cmds[] = {
			dt_copy(0, HBM2_OFF, 1, HOST_OFF, len),
			dt_barrier(),
			dt_crc(1, HOST_OFF, len, 2, 12),
		};

		RUN_DONE(self->fd, 3 % self->nq, cmds, bos, dir_name[2]);
	}
	{
		uint32_t bos[] = { a, c, r };
		struct drm_dojo_cmd cmds[] = {
			dt_copy(0, SRC_OFF, 1, H2H_OFF, len),
			dt_barrier(),
			dt_crc(1, H2H_OFF, len, 2, 16),
		};

		RUN_DONE(self->fd, 0, cmds, bos, dir_name[3]);
	}
	{
		/* The edges of both HBM buffers, for their guards. */
		uint32_t bos[] = { h, h2, e };
		struct drm_dojo_cmd cmds[] = {
			dt_copy(0, 0, 2, 0, HBM_OFF + edge - GUARD),
			dt_copy(0, h_size - edge, 2, DT_PAGE + 512, edge),
			dt_copy(1, 0, 2, 2 * DT_PAGE, HBM2_OFF + edge - GUARD),
			dt_copy(1, h2_size - edge, 2, 3 * DT_PAGE, edge),
		};

		RUN_DONE(self->fd, 1 % self->nq, cmds, bos, "HBM edges");
	}

	/* The card's CRCs of every copy, and of the source, match ours. */
	EXPECT_EQ(want, dt_le32(pr + 4)) TH_LOG("card CRC of the source");
	for (i = 0; i < 4; i++) {
		static const int slot[] = { 0, 8, 12, 16 };

		EXPECT_EQ(want, dt_le32(pr + slot[i]))
			TH_LOG("%s: card CRC 0x%08x, expected 0x%08x",
			       dir_name[i], dt_le32(pr + slot[i]), want);
	}
	EXPECT_EQ(-1, dt_find_not(pr + 20, DT_PAGE - 20, 0))
		TH_LOG("CRC32 wrote more than 4 bytes");

	/* The source is untouched. */
	EXPECT_EQ(-1, dt_find_not(pa, SRC_OFF, P_SRC_GUARD));
	EXPECT_EQ(want, dt_crc32(pa + SRC_OFF, len));

	/* HBM->host: the data, and nothing around it. */
	at = dt_diff(pb + HOST_OFF, pa + SRC_OFF, len);
	EXPECT_EQ(-1, at) TH_LOG("HBM->host: byte %ld differs", at);
	EXPECT_EQ(-1, dt_find_not(pb, HOST_OFF, P_HOST_GUARD))
		TH_LOG("HBM->host wrote before its range");
	EXPECT_EQ(-1, dt_find_not(pb + HOST_OFF + len, GUARD, P_HOST_GUARD))
		TH_LOG("HBM->host wrote past its range");

	/* host->host likewise. */
	at = dt_diff(pc + H2H_OFF, pa + SRC_OFF, len);
	EXPECT_EQ(-1, at) TH_LOG("host->host: byte %ld differs", at);
	EXPECT_EQ(-1, dt_find_not(pc, H2H_OFF, P_H2H_GUARD))
		TH_LOG("host->host wrote before its range");
	EXPECT_EQ(-1, dt_find_not(pc + H2H_OFF + len, GUARD, P_H2H_GUARD))
		TH_LOG("host->host wrote past its range");

	/* HBM guards: the FILL background survives around each range. */
	at = dt_find_not_fill(pe, HBM_OFF, P_HBM);
	EXPECT_EQ(-1, at) TH_LOG("host->HBM wrote before its range (byte %ld)", at);
	EXPECT_EQ(-1, dt_diff(pe + HBM_OFF, pa + SRC_OFF, edge - GUARD));
	{
		const uint8_t *tail = pe + DT_PAGE + 512;
		uint64_t i0 = h_size - GUARD;	/* buffer offset of tail guard */
		uint64_t k;

		EXPECT_EQ(-1, dt_diff(tail, pa + SRC_OFF + len - (edge - GUARD),
				      edge - GUARD));
		for (k = 0; k < GUARD; k++)
			if (tail[edge - GUARD + k] != dt_fill_byte(P_HBM, i0 + k))
				break;
		EXPECT_EQ(GUARD, k) TH_LOG("host->HBM wrote past its range");
	}
	at = dt_find_not_fill(pe + 2 * DT_PAGE, HBM2_OFF, P_HBM2);
	EXPECT_EQ(-1, at) TH_LOG("HBM->HBM wrote before its range");
	EXPECT_EQ(-1, dt_diff(pe + 2 * DT_PAGE + HBM2_OFF, pa + SRC_OFF,
			      edge - GUARD));
	{
		const uint8_t *tail = pe + 3 * DT_PAGE;
		uint64_t i0 = h2_size - GUARD;
		uint64_t k;

		for (k = 0; k < GUARD; k++)
			if (tail[edge - GUARD + k] != dt_fill_byte(P_HBM2, i0 + k))
				break;
		EXPECT_EQ(GUARD, k) TH_LOG("HBM->HBM wrote past its range");
	}

	munmap(pa, a_size);
	munmap(pb, b_size);
	munmap(pc, c_size);
	munmap(pr, DT_PAGE);
	munmap(pe, 4 * DT_PAGE);
}

/*
 * FILL repeats the little-endian pattern from the start of the range, not
 * from an aligned address: byte i of the range is byte i % 4 of the
 * pattern. Host and HBM, at odd offsets and lengths; a zero pattern (how
 * HBM is cleared) over HBM that holds data, too.
 */
TEST(fill_semantics)
{
	static const struct { uint64_t off, len; } ranges[] = {
		{ 0, 1 }, { 1, 2 }, { 3, 5 }, { 4095, 4098 }, { 6, 65537 },
	};
	static const uint32_t patterns[] = { 0x44332211, 0 };
	const uint64_t size = 80 * 1024;
	uint32_t host, hbm, back;
	uint8_t *ph, *pb;
	unsigned int i;
	int fd;

	fd = dt_open_card(EMU);
	ASSERT_LE(0, fd);
	ph = dt_host_bo(fd, size, &host);
	ASSERT_NE(NULL, ph);
	pb = dt_host_bo(fd, size, &back);
	ASSERT_NE(NULL, pb);
	ASSERT_EQ(0, dt_bo_create(fd, size, DRM_DOJO_PLACEMENT_HBM, &hbm));

	for (i = 0; i < 2 * sizeof(ranges) / sizeof(ranges[0]); i++) {
		uint64_t off = ranges[i / 2].off, len = ranges[i / 2].len;
		uint32_t pattern = patterns[i % 2];
		uint32_t bos[] = { host, hbm, back };
		struct drm_dojo_cmd cmds[] = {
			dt_fill(0, off, len, pattern),
			dt_fill(1, 0, size, 0xcccccccc),
			dt_barrier(),
			dt_fill(1, off, len, pattern),
			dt_barrier(),
			dt_copy(1, 0, 2, 0, size),
		};
		long at;

		memset(ph, 0xcc, size);
		memset(pb, 0, size);
		RUN_DONE(fd, i % 4, cmds, bos, "fill");

		at = dt_find_not_fill(ph + off, len, pattern);
		EXPECT_EQ(-1, at) TH_LOG("host FILL %#x at %llu+%llu: byte %ld",
					 pattern, (unsigned long long)off,
					 (unsigned long long)len, at);
		EXPECT_EQ(-1, dt_find_not(ph, off, 0xcc));
		EXPECT_EQ(-1, dt_find_not(ph + off + len, size - off - len, 0xcc));

		at = dt_find_not_fill(pb + off, len, pattern);
		EXPECT_EQ(-1, at) TH_LOG("HBM FILL %#x at %llu+%llu: byte %ld",
					 pattern, (unsigned long long)off,
					 (unsigned long long)len, at);
		EXPECT_EQ(-1, dt_find_not(pb, off, 0xcc));
		EXPECT_EQ(-1, dt_find_not(pb + off + len, size - off - len, 0xcc));
	}
	close(fd);
}

/*
 * Clearing HBM (FILL with 0) over a range that holds data, longer than the
 * card's steps and starting at an odd offset: exactly the range reads zero.
 */
TEST(fill_zero_spans_hbm)
{
	const uint64_t size = 7 * DT_MIB, off = 2 * DT_MIB - 5;
	const uint64_t len = 4 * DT_MIB + 10;
	uint32_t hbm, back;
	uint8_t *pb;
	int fd;

	fd = dt_open_card(EMU);
	ASSERT_LE(0, fd);
	pb = dt_host_bo(fd, size, &back);
	ASSERT_NE(NULL, pb);
	ASSERT_EQ(0, dt_bo_create(fd, size, DRM_DOJO_PLACEMENT_HBM, &hbm));
	{
		uint32_t bos[] = { hbm, back };
		struct drm_dojo_cmd cmds[] = {
			dt_fill(0, 0, size, 0x5a5a5a5a),
			dt_barrier(),
			dt_fill(0, off, len, 0),
			dt_barrier(),
			dt_copy(0, 0, 1, 0, size),
		};

		RUN_DONE(fd, 2, cmds, bos, "clear HBM");
	}
	EXPECT_EQ(-1, dt_find_not(pb, off, 0x5a));
	EXPECT_EQ(-1, dt_find_not(pb + off, len, 0));
	EXPECT_EQ(-1, dt_find_not(pb + off + len, size - off - len, 0x5a));
	close(fd);
}

/* A CRC32 of HBM never written is the CRC of zeroes, as hardware.md says. */
TEST(crc_of_known_data)
{
	static const char text[] = "123456789";
	uint32_t host, hbm, res;
	uint8_t *ph, *pr;
	int fd;

	fd = dt_open_card(EMU);
	ASSERT_LE(0, fd);
	ph = dt_host_bo(fd, DT_PAGE, &host);
	ASSERT_NE(NULL, ph);
	pr = dt_host_bo(fd, DT_PAGE, &res);
	ASSERT_NE(NULL, pr);
	ASSERT_EQ(0, dt_bo_create(fd, 2 * DT_PAGE, DRM_DOJO_PLACEMENT_HBM, &hbm));
	memcpy(ph + 1, text, 9);
	/* The self-check of our own table against the standard check value. */
	ASSERT_EQ(0xcbf43926u, dt_crc32(text, 9));
	{
		uint32_t bos[] = { host, hbm, res };
		struct drm_dojo_cmd cmds[] = {
			dt_crc(0, 1, 9, 2, 1),		/* unaligned result */
			dt_fill(1, 0, 2 * DT_PAGE, 0),
			dt_barrier(),
			dt_crc(1, 3, 5000, 2, 8),
		};

		RUN_DONE(fd, 0, cmds, bos, "crc");
	}
	{
		static uint8_t zero[5000];

		EXPECT_EQ(0xcbf43926u, dt_le32(pr + 1));
		EXPECT_EQ(dt_crc32(zero, sizeof(zero)), dt_le32(pr + 8));
	}
	close(fd);
}

/*
 * Out-fence: a binary syncobj signals when the job ends; JOB_WAIT then
 * says DONE without waiting. Timeline points likewise.
 */
TEST(out_fence_syncobj)
{
	uint32_t src, dst, bin, tl;
	uint8_t *ps, *pd;
	uint64_t id1, id2, point = 0;
	struct drm_dojo_job_wait w;
	int fd;

	fd = dt_open_card(EMU);
	ASSERT_LE(0, fd);
	ps = dt_host_bo(fd, DT_MIB, &src);
	ASSERT_NE(NULL, ps);
	pd = dt_host_bo(fd, DT_MIB, &dst);
	ASSERT_NE(NULL, pd);
	dt_random(ps, DT_MIB, 42);
	memset(pd, 0, DT_MIB);
	ASSERT_EQ(0, drmSyncobjCreate(fd, 0, &bin));
	ASSERT_EQ(0, drmSyncobjCreate(fd, 0, &tl));

	{
		uint32_t bos[] = { src, dst };
		struct drm_dojo_cmd cmd = dt_copy(0, 0, 1, 0, DT_MIB / 2);
		struct drm_dojo_submit s = {
			.queue = 1, .cmds = (uintptr_t)&cmd, .num_cmds = 1,
			.bo_handles = (uintptr_t)bos, .num_bos = 2,
			.out_sync = { .handle = bin },
		};

		ASSERT_EQ(0, dt_ioctl(fd, DRM_IOCTL_DOJO_SUBMIT, &s));
		id1 = s.job_id;
		ASSERT_EQ(0, drmSyncobjWait(fd, &bin, 1, dt_deadline_ms(WAIT_MS),
					    0, NULL));
		/* Ended: a poll (timeout 0) answers at once. */
		ASSERT_EQ(0, dt_wait(fd, id1, 0, &w));
		EXPECT_EQ(DRM_DOJO_JOB_DONE, w.status);
		EXPECT_EQ(-1, dt_diff(pd, ps, DT_MIB / 2));
	}
	{
		uint32_t bos[] = { src, dst };
		struct drm_dojo_cmd c1 = dt_copy(0, DT_MIB / 2, 1, DT_MIB / 2, 1000);
		struct drm_dojo_cmd c2 = dt_copy(0, DT_MIB / 2 + 1000, 1,
						 DT_MIB / 2 + 1000,
						 DT_MIB / 2 - 1000);
		struct drm_dojo_submit s = {
			.queue = 2, .cmds = (uintptr_t)&c1, .num_cmds = 1,
			.bo_handles = (uintptr_t)bos, .num_bos = 2,
			.out_sync = { .handle = tl, .point = 1 },
		};

		ASSERT_EQ(0, dt_ioctl(fd, DRM_IOCTL_DOJO_SUBMIT, &s));
		s.cmds = (uintptr_t)&c2;
		s.queue = 3;
		s.job_id = 0;
		s.out_sync.point = 2;
		ASSERT_EQ(0, dt_ioctl(fd, DRM_IOCTL_DOJO_SUBMIT, &s));
		id2 = s.job_id;
		point = 2;
		ASSERT_EQ(0, drmSyncobjTimelineWait(fd, &tl, &point, 1,
						    dt_deadline_ms(WAIT_MS),
						    DRM_SYNCOBJ_WAIT_FLAGS_WAIT_ALL,
						    NULL));
		point = 0;
		ASSERT_EQ(0, drmSyncobjQuery(fd, &tl, &point, 1));
		EXPECT_EQ(2, point);
		ASSERT_EQ(0, dt_wait(fd, id2, 0, &w));
		EXPECT_EQ(DRM_DOJO_JOB_DONE, w.status);
		ASSERT_EQ(0, dt_wait(fd, id2 - 1, 0, &w));
		EXPECT_EQ(DRM_DOJO_JOB_DONE, w.status);
		EXPECT_EQ(-1, dt_diff(pd, ps, DT_MIB));
	}
	drmSyncobjDestroy(fd, bin);
	drmSyncobjDestroy(fd, tl);
	close(fd);
}

/*
 * In-fence: job B on another queue waits for job A's syncobj (binary, then
 * a timeline point) and so copies what A wrote. The emulator's
 * dma_latency_us holds A on the card long enough that a B ignoring its
 * dependency would copy stale data; a job C without the dependency proves
 * that window exists.
 */
FIXTURE(sync) {
	int fd;
};

FIXTURE_SETUP(sync)
{
	self->fd = dt_open_card(EMU);
	ASSERT_LE(0, self->fd);
}

FIXTURE_TEARDOWN(sync)
{
	EXPECT_EQ(0, close(self->fd));
}

TEST_F_TIMEOUT(sync, in_fence_orders_jobs, 60)
{
	const uint64_t sz = 256 * 1024;
	uint32_t s, x, y, z, sa, tl;
	uint8_t *ps, *px, *py;
	uint64_t ida, idb, idc, idb2, point;
	int round, st;

	if (!dt_emu_has(EMU, "dma_latency_us"))
		ASSERT_TRUE(0) TH_LOG("emulator has no dma_latency_us");

	ps = dt_host_bo(self->fd, sz, &s);
	ASSERT_NE(NULL, ps);
	px = dt_host_bo(self->fd, sz, &x);
	ASSERT_NE(NULL, px);
	py = dt_host_bo(self->fd, sz, &y);
	ASSERT_NE(NULL, py);
	ASSERT_NE(NULL, dt_host_bo(self->fd, sz, &z));
	ASSERT_EQ(0, drmSyncobjCreate(self->fd, 0, &sa));
	ASSERT_EQ(0, drmSyncobjCreate(self->fd, 0, &tl));

	for (round = 0; round < 2; round++) {
		uint32_t bos[] = { s, x, y, z };
		struct drm_dojo_cmd ca = dt_copy(0, 0, 1, 0, sz);
		struct drm_dojo_cmd cb = dt_copy(1, 0, 2, 0, sz);
		struct drm_dojo_cmd cc = dt_copy(1, 0, 3, 0, sz);
		struct drm_dojo_sync in = { .handle = round ? tl : sa,
					    .point = round ? 1 : 0 };
		struct drm_dojo_submit a = {
			.queue = 0, .cmds = (uintptr_t)&ca, .num_cmds = 1,
			.bo_handles = (uintptr_t)bos, .num_bos = 4,
			.out_sync = in,
		};
		struct drm_dojo_submit b = {
			.queue = 1, .cmds = (uintptr_t)&cb, .num_cmds = 1,
			.bo_handles = (uintptr_t)bos, .num_bos = 4,
			.in_syncs = (uintptr_t)&in, .num_in_syncs = 1,
			.out_sync = { .handle = round ? tl : 0,
				      .point = round ? 2 : 0 },
		};

		dt_random(ps, sz, 100 + round);
		memset(px, 0, sz);
		memset(py, 0, sz);

		ASSERT_EQ(0, dt_emu_write(EMU, "dma_latency_us", "800000"));
		ASSERT_EQ(0, dt_ioctl(self->fd, DRM_IOCTL_DOJO_SUBMIT, &a));
		ida = a.job_id;
		/* A is on the card, sleeping; later jobs start at once. */
		st = dt_emu_wait_busy(EMU, 0, 5000);
		dt_emu_write(EMU, "dma_latency_us", "0");
		ASSERT_EQ(0, st) TH_LOG("job A never reached queue 0");

		ASSERT_EQ(0, dt_ioctl(self->fd, DRM_IOCTL_DOJO_SUBMIT, &b));
		idb = b.job_id;
		ASSERT_EQ(0, dt_submit(self->fd, 2, &cc, 1, bos, 4, &idc));
		ASSERT_EQ(DRM_DOJO_JOB_DONE, dt_status(self->fd, idc, WAIT_MS));
		/* C ran while A still held the card: the window is real. */
		EXPECT_EQ(-ETIME, dt_wait(self->fd, ida, 0, NULL))
			TH_LOG("A ended before an independent job; no window");
		EXPECT_EQ(-ETIME, dt_wait(self->fd, idb, 0, NULL))
			TH_LOG("B ended before the job it depends on");

		ASSERT_EQ(DRM_DOJO_JOB_DONE, dt_status(self->fd, idb, WAIT_MS));
		EXPECT_EQ(DRM_DOJO_JOB_DONE, dt_status(self->fd, ida, 0));
		EXPECT_EQ(-1, dt_diff(py, ps, sz))
			TH_LOG("B did not see what A wrote (round %d)", round);
		if (round) {
			point = 2;
			EXPECT_EQ(0, drmSyncobjTimelineWait(self->fd, &tl, &point, 1,
							    dt_deadline_ms(WAIT_MS),
							    0, NULL));
		}
	}

	/* A dependency on an unsignalled timeline point holds a job back. */
	{
		uint32_t bos[] = { s, y };
		struct drm_dojo_cmd cb = dt_copy(0, 0, 1, 0, sz);
		struct drm_dojo_sync in = { .handle = tl, .point = 5 };
		struct drm_dojo_submit b = {
			.queue = 3, .cmds = (uintptr_t)&cb, .num_cmds = 1,
			.bo_handles = (uintptr_t)bos, .num_bos = 2,
			.in_syncs = (uintptr_t)&in, .num_in_syncs = 1,
		};
		uint32_t tl_handle = tl;

		/* Point 5 has no fence yet: submit must fail or wait for it. */
		st = dt_ioctl(self->fd, DRM_IOCTL_DOJO_SUBMIT, &b);
		if (!st) {
			idb2 = b.job_id;
			EXPECT_EQ(-ETIME, dt_wait(self->fd, idb2, 200, NULL));
			point = 5;
			ASSERT_EQ(0, drmSyncobjTimelineSignal(self->fd, &tl_handle,
							      &point, 1));
			EXPECT_EQ(DRM_DOJO_JOB_DONE,
				  dt_status(self->fd, idb2, WAIT_MS));
		} else {
			TH_LOG("submit waiting on an unsubmitted point: %s",
			       strerror(-st));
		}
	}
	drmSyncobjDestroy(self->fd, sa);
	drmSyncobjDestroy(self->fd, tl);
}

/* JOB_WAIT with a deadline that passes first: -ETIME, status PENDING. */
TEST_F(sync, wait_deadline)
{
	uint32_t s, d;
	struct drm_dojo_job_wait w;
	struct drm_dojo_cmd c = dt_copy(0, 0, 1, 0, DT_PAGE);
	uint32_t bos[2];
	uint64_t id;
	int64_t t0;
	int ret;

	if (!dt_emu_has(EMU, "dma_latency_us"))
		ASSERT_TRUE(0) TH_LOG("emulator has no dma_latency_us");
	ASSERT_NE(NULL, dt_host_bo(self->fd, DT_PAGE, &s));
	ASSERT_NE(NULL, dt_host_bo(self->fd, DT_PAGE, &d));
	bos[0] = s;
	bos[1] = d;
	ASSERT_EQ(0, dt_emu_write(EMU, "dma_latency_us", "1000000"));
	ret = dt_submit(self->fd, 2, &c, 1, bos, 2, &id);
	if (!ret)
		ret = dt_emu_wait_busy(EMU, 2, 5000);
	dt_emu_write(EMU, "dma_latency_us", "0");
	ASSERT_EQ(0, ret);

	t0 = dt_now_ns();
	memset(&w, 0xff, sizeof(w));
	ret = dt_wait(self->fd, id, 50, &w);
	EXPECT_EQ(-ETIME, ret);
	EXPECT_EQ(DRM_DOJO_JOB_PENDING, w.status);
	EXPECT_LE(40000000LL, dt_now_ns() - t0) TH_LOG("returned too early");
	EXPECT_EQ(-ETIME, dt_wait(self->fd, id, 0, NULL));
	EXPECT_EQ(DRM_DOJO_JOB_DONE, dt_status(self->fd, id, WAIT_MS));
}

TEST_HARNESS_MAIN
