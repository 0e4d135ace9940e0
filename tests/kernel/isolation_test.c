// SPDX-License-Identifier: GPL-2.0-only
/*
 * Isolation: a job reaches only the buffers it names, and only inside
 * them. Guard buffers before and after a victim (adjacent ranges of HBM,
 * host buffers made around it) must keep their contents when:
 *  - a job writes the victim edge to edge;
 *  - the card receives a garbled command (corrupt_cmd);
 *  - the card receives a command whose range lies outside its buffer
 *    (an emulator switch that moves a checked command's range past the
 *    buffer's end after the driver validated it: corrupt_range), which
 *    must end the job ERROR/FAULT;
 * and a new HBM buffer must not show what an earlier client left in the
 * same HBM (host buffers come zeroed from shmem; HBM must not leak more).
 */
#include <sys/wait.h>

#include "dojo_test.h"
#include "kselftest_harness.h"

#define EMU		0
#define WAIT_MS		30000
#define SZ		(16 * 1024)

#define P_G1		0x11111111u
#define P_V		0x22222222u
#define P_G2		0x33333333u

FIXTURE(iso) {
	int fd;
	/* HBM: guard, victim, guard, made in this order (adjacent ranges). */
	uint32_t hg1, hv, hg2;
	/* host: the same, plus a source and a readback buffer */
	uint32_t g1, v, g2, src, rb;
	uint8_t *pg1, *pv, *pg2, *psrc, *prb;
};

FIXTURE_SETUP(iso)
{
	self->fd = dt_open_card(EMU);
	ASSERT_LE(0, self->fd);
	ASSERT_EQ(0, dt_bo_create(self->fd, SZ, DRM_DOJO_PLACEMENT_HBM, &self->hg1));
	ASSERT_EQ(0, dt_bo_create(self->fd, SZ, DRM_DOJO_PLACEMENT_HBM, &self->hv));
	ASSERT_EQ(0, dt_bo_create(self->fd, SZ, DRM_DOJO_PLACEMENT_HBM, &self->hg2));
	self->pg1 = dt_host_bo(self->fd, SZ, &self->g1);
	self->pv = dt_host_bo(self->fd, SZ, &self->v);
	self->pg2 = dt_host_bo(self->fd, SZ, &self->g2);
	self->psrc = dt_host_bo(self->fd, SZ, &self->src);
	self->prb = dt_host_bo(self->fd, 3 * SZ, &self->rb);
	ASSERT_NE(NULL, self->pg1);
	ASSERT_NE(NULL, self->pv);
	ASSERT_NE(NULL, self->pg2);
	ASSERT_NE(NULL, self->psrc);
	ASSERT_NE(NULL, self->prb);

	memset(self->pg1, 0xa1, SZ);
	memset(self->pv, 0xb2, SZ);
	memset(self->pg2, 0xc3, SZ);
	dt_random(self->psrc, SZ, 7);
	{
		uint32_t bos[] = { self->hg1, self->hv, self->hg2 };
		struct drm_dojo_cmd cmds[] = {
			dt_fill(0, 0, SZ, P_G1),
			dt_fill(1, 0, SZ, P_V),
			dt_fill(2, 0, SZ, P_G2),
		};
		uint64_t id;

		ASSERT_EQ(0, dt_submit(self->fd, 0, cmds, 3, bos, 3, &id));
		ASSERT_EQ(DRM_DOJO_JOB_DONE, dt_status(self->fd, id, WAIT_MS));
	}
}

FIXTURE_TEARDOWN(iso)
{
	EXPECT_EQ(0, close(self->fd));
}

/* Guards unchanged (host by mmap, HBM read back by the card). */
static void check_guards(struct __test_metadata *_metadata,
			 FIXTURE_DATA(iso) *self, bool victim_too)
{
	uint32_t bos[] = { self->hg1, self->hv, self->hg2, self->rb };
	struct drm_dojo_cmd cmds[] = {
		dt_copy(0, 0, 3, 0, SZ),
		dt_copy(1, 0, 3, SZ, SZ),
		dt_copy(2, 0, 3, 2 * SZ, SZ),
	};
	uint64_t id;

	EXPECT_EQ(-1, dt_find_not(self->pg1, SZ, 0xa1)) TH_LOG("host guard before");
	EXPECT_EQ(-1, dt_find_not(self->pg2, SZ, 0xc3)) TH_LOG("host guard after");
	memset(self->prb, 0, 3 * SZ);
	ASSERT_EQ(0, dt_submit(self->fd, 1, cmds, 3, bos, 4, &id));
	ASSERT_EQ(DRM_DOJO_JOB_DONE, dt_status(self->fd, id, WAIT_MS));
	EXPECT_EQ(-1, dt_find_not_fill(self->prb, SZ, P_G1)) TH_LOG("HBM guard before");
	EXPECT_EQ(-1, dt_find_not_fill(self->prb + 2 * SZ, SZ, P_G2))
		TH_LOG("HBM guard after");
	if (victim_too) {
		EXPECT_EQ(-1, dt_find_not(self->pv, SZ, 0xb2)) TH_LOG("host victim");
		EXPECT_EQ(-1, dt_find_not_fill(self->prb + SZ, SZ, P_V))
			TH_LOG("HBM victim");
	}
}

/* Writing a buffer edge to edge stays inside it. */
TEST_F(iso, edge_to_edge)
{
	uint32_t bos[] = { self->src, self->v, self->hv };
	struct drm_dojo_cmd cmds[] = {
		dt_copy(0, 0, 1, 0, SZ),
		dt_copy(0, 0, 2, 0, SZ),
		dt_fill(1, SZ - 1, 1, 0xfe),
		dt_fill(2, SZ - 3, 3, 0xfefefe),
		dt_fill(1, 0, 1, 0xfe),
		dt_fill(2, 0, 2, 0xfefe),
	};
	uint64_t id;

	ASSERT_EQ(0, dt_submit(self->fd, 2, cmds, 6, bos, 3, &id));
	ASSERT_EQ(DRM_DOJO_JOB_DONE, dt_status(self->fd, id, WAIT_MS));
	check_guards(_metadata, self, false);
	EXPECT_EQ(0xfe, self->pv[0]);
	EXPECT_EQ(0xfe, self->pv[SZ - 1]);
	EXPECT_EQ(-1, dt_diff(self->pv + 1, self->psrc + 1, SZ - 2));
}

/* A command the card cannot decode writes nothing anywhere. */
TEST_F(iso, garbled_command)
{
	uint32_t bos[] = { self->src, self->v, self->hv };
	struct drm_dojo_cmd cmds[] = {
		dt_copy(0, 0, 2, 0, SZ),	/* garbled by the switch */
		dt_copy(0, 0, 1, 0, SZ),
	};
	struct drm_dojo_job_wait w;
	uint64_t id;

	if (!dt_emu_has(EMU, "corrupt_cmd"))
		ASSERT_TRUE(0) TH_LOG("emulator has no corrupt_cmd");
	ASSERT_EQ(0, dt_emu_write(EMU, "corrupt_cmd", "2"));
	ASSERT_EQ(0, dt_submit(self->fd, 2, cmds, 2, bos, 3, &id));
	ASSERT_EQ(0, dt_wait(self->fd, id, WAIT_MS, &w));
	EXPECT_EQ(DRM_DOJO_JOB_ERROR, w.status);
	EXPECT_EQ(DRM_DOJO_ERR_INVALID, w.error);
	EXPECT_EQ(0, w.error_cmd);
	check_guards(_metadata, self, true);
}

/*
 * The card's own range check: a command whose range the emulator moves
 * out of its (validated) buffer must fault on the card and reach nothing,
 * neither the guards nor the victim.
 */
TEST_F(iso, out_of_range_on_card)
{
	static const char *const names[] = {
		"corrupt_range", "corrupt_offset", "corrupt_dst",
	};
	const char *sw = NULL;
	unsigned int i;
	int victim;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (dt_emu_has(EMU, names[i]))
			sw = names[i];
	if (!sw)
		ASSERT_TRUE(0) TH_LOG("emulator has no switch that moves a command's range out of its buffer (corrupt_range)");

	for (victim = 0; victim < 2; victim++) {
		uint32_t bos[] = { self->src, victim ? self->hv : self->v };
		struct drm_dojo_cmd cmd = dt_copy(0, 0, 1, SZ / 2, SZ / 2);
		struct drm_dojo_job_wait w;
		uint64_t id;

		ASSERT_EQ(0, dt_emu_write(EMU, sw, "3"));
		ASSERT_EQ(0, dt_submit(self->fd, 3, &cmd, 1, bos, 2, &id));
		ASSERT_EQ(0, dt_wait(self->fd, id, WAIT_MS, &w));
		EXPECT_EQ(DRM_DOJO_JOB_ERROR, w.status);
		EXPECT_EQ(DRM_DOJO_ERR_FAULT, w.error);
		check_guards(_metadata, self, true);
	}
}

/*
 * HBM is not scrubbed by the card (hardware.md); a new HBM buffer must not
 * show another client's data all the same.
 */
TEST(hbm_not_leaked_between_clients)
{
	const uint64_t sz = 256 * 1024;
	uint32_t hbm, rb;
	uint8_t *prb;
	struct drm_dojo_memory_info mem;
	pid_t pid;
	int fd, status;
	long at;

	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		/* Another client: write a secret to HBM and leave. */
		uint32_t h;
		struct drm_dojo_cmd c = dt_fill(0, 0, sz, 0x5ec2e7);
		uint64_t id;
		int cfd = dt_open_card(EMU);

		if (cfd < 0 || dt_bo_create(cfd, sz, DRM_DOJO_PLACEMENT_HBM, &h) ||
		    dt_submit(cfd, 0, &c, 1, &h, 1, &id) ||
		    dt_status(cfd, id, WAIT_MS) != DRM_DOJO_JOB_DONE)
			_exit(1);
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status));

	fd = dt_open_card(EMU);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, dt_memory(fd, &mem));
	ASSERT_EQ(0, mem.hbm_used) TH_LOG("the other client's buffer leaked");
	ASSERT_EQ(0, dt_bo_create(fd, sz, DRM_DOJO_PLACEMENT_HBM, &hbm));
	prb = dt_host_bo(fd, sz, &rb);
	ASSERT_NE(NULL, prb);
	memset(prb, 0xff, sz);
	{
		uint32_t bos[] = { hbm, rb };
		struct drm_dojo_cmd c = dt_copy(0, 0, 1, 0, sz);
		uint64_t id;

		ASSERT_EQ(0, dt_submit(fd, 1, &c, 1, bos, 2, &id));
		ASSERT_EQ(DRM_DOJO_JOB_DONE, dt_status(fd, id, WAIT_MS));
	}
	at = dt_find_not(prb, sz, 0);
	EXPECT_EQ(-1, at)
		TH_LOG("a new HBM buffer reads 0x%02x at %ld: %s", at >= 0 ? prb[at] : 0,
		       at, at >= 0 && prb[at] == 0xe7 ?
		       "the previous client's data" : "not zero");
	close(fd);
}

TEST_HARNESS_MAIN
