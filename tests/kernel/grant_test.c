// SPDX-License-Identifier: GPL-2.0-only
/*
 * Remote DMA over the Z-plane between two emulated DIPs whose TTPoE ports
 * are cabled to the two ends of a veth pair (grant_test.sh does that):
 * DIP 0 grants ranges of its HBM, DIP 1 imports them as remote buffers and
 * COPYs to and from them. Reads and writes land where the grant says;
 * a read-only grant, a wrong key, a range outside the grant and a revoked
 * grant end the job REMOTE_REFUSED; an unplugged cable ends it
 * ZPLANE_DOWN and tells userspace with a DOJO_ZPLANE uevent. None of it
 * resets anything.
 *
 * Skipped on a model without the port's engine.
 */
#include "dojo_test.h"
#include "kselftest_harness.h"

#define SIZE		(64 * 1024)
#define WAIT_MS		60000
#define LINK_MS		20000

FIXTURE(remote) {
	int fd[2];
	struct drm_dojo_zplane_info zp[2];
	uint32_t hbm;		/* DIP 0's buffer, SIZE */
	uint32_t host;		/* DIP 1's host buffer, SIZE */
	uint8_t *map;		/* its mapping */
};

static int wait_link_up(int fd, struct drm_dojo_zplane_info *zp)
{
	int64_t end = dt_deadline_ms(LINK_MS);

	do {
		if (dt_zplane(fd, zp))
			return -1;
		if (zp->link_state == DRM_DOJO_ZPLANE_LINK_UP)
			return 0;
		dt_sleep_ms(50);
	} while (dt_now_ns() < end);
	return -1;
}

FIXTURE_SETUP(remote)
{
	struct drm_dojo_cmd fill = dt_fill(0, 0, SIZE, 0xa5a5a5a5);
	uint64_t id;
	int i;

	for (i = 0; i < 2; i++) {
		self->fd[i] = dt_open_card(i);
		ASSERT_LE(0, self->fd[i]);
	}
	if (!dt_zplane_modelled(self->fd[0]))
		SKIP(return, "the emulated card does not model its Z-plane port");
	for (i = 0; i < 2; i++)
		ASSERT_EQ(0, wait_link_up(self->fd[i], &self->zp[i]))
			TH_LOG("DIP %d's Z-plane link is not up", i);
	ASSERT_NE(self->zp[0].node_id, self->zp[1].node_id);

	ASSERT_EQ(0, dt_bo_create(self->fd[0], SIZE, DRM_DOJO_PLACEMENT_HBM,
				  &self->hbm));
	ASSERT_EQ(0, dt_submit(self->fd[0], 0, &fill, 1, &self->hbm, 1, &id));
	ASSERT_EQ(DRM_DOJO_JOB_DONE, dt_status(self->fd[0], id, WAIT_MS));
	self->map = dt_host_bo(self->fd[1], SIZE, &self->host);
	ASSERT_NE(NULL, self->map);
}

FIXTURE_TEARDOWN(remote)
{
	if (self->map)
		munmap(self->map, SIZE);
	close(self->fd[1]);
	close(self->fd[0]);
}

/* DIP 0 grants [off, off + size) of its buffer. */
static int grant(struct __test_metadata *_metadata, FIXTURE_DATA(remote) *self,
		 uint64_t off, uint64_t size, uint32_t flags,
		 struct drm_dojo_grant_create *g)
{
	memset(g, 0, sizeof(*g));
	g->handle = self->hbm;
	g->flags = flags;
	g->offset = off;
	g->size = size;
	EXPECT_EQ(0, dt_ioctl(self->fd[0], DRM_IOCTL_DOJO_GRANT_CREATE, g));
	EXPECT_EQ(self->zp[0].node_id, g->node_id);
	return g->grant_id;
}

/* DIP 1 runs one COPY between its host buffer (0) and @remote (1). */
static int copy(FIXTURE_DATA(remote) *self, uint32_t remote, bool to_remote,
		uint64_t roff, uint64_t hoff, uint64_t len,
		struct drm_dojo_job_wait *w)
{
	struct drm_dojo_cmd cmds[2] = {
		dt_barrier(),
		to_remote ? dt_copy(0, hoff, 1, roff, len) :
			    dt_copy(1, roff, 0, hoff, len),
	};
	uint32_t bos[2] = { self->host, remote };
	uint64_t id;
	int ret;

	ret = dt_submit(self->fd[1], 0, cmds, 2, bos, 2, &id);
	if (ret)
		return ret;
	ret = dt_wait(self->fd[1], id, WAIT_MS, w);
	return ret ? ret : (int)w->status;
}

static uint32_t import(FIXTURE_DATA(remote) *self,
		       const struct drm_dojo_grant_create *g, uint64_t key,
		       uint64_t size)
{
	uint32_t h = 0;

	if (dt_remote_import(self->fd[1], g->node_id, g->grant_id, key, size,
			     &h))
		return 0;
	return h;
}

TEST_F(remote, read)
{
	struct drm_dojo_grant_create g;
	struct drm_dojo_job_wait w;
	uint32_t r;

	grant(_metadata, self, 4096, 40000, 0, &g);
	r = import(self, &g, g.key, g.size);
	ASSERT_NE(0, r);
	memset(self->map, 0, SIZE);
	ASSERT_EQ(DRM_DOJO_JOB_DONE, copy(self, r, false, 3, 100, 39997, &w))
		TH_LOG("%s", dt_status_name(w.status));
	EXPECT_EQ(-1, dt_find_not(self->map, 100, 0));
	EXPECT_EQ(-1, dt_find_not(self->map + 100, 39997, 0xa5));
	EXPECT_EQ(-1, dt_find_not(self->map + 100 + 39997,
				  SIZE - 100 - 39997, 0));
}

TEST_F(remote, write)
{
	struct drm_dojo_cmd crc = dt_crc(0, 8192, 30000, 1, 0);
	struct drm_dojo_grant_create g;
	struct drm_dojo_job_wait w;
	uint32_t r, bos[2], out;
	uint8_t *o;
	uint64_t id;

	grant(_metadata, self, 8192, 30000, DRM_DOJO_GRANT_WRITE, &g);
	r = import(self, &g, g.key, g.size);
	ASSERT_NE(0, r);
	dt_random(self->map, SIZE, 42);
	ASSERT_EQ(DRM_DOJO_JOB_DONE, copy(self, r, true, 0, 5, 30000, &w))
		TH_LOG("%s", dt_status_name(w.status));

	/* DIP 0 reads back what landed, by the card's CRC. */
	o = dt_host_bo(self->fd[0], 4096, &out);
	ASSERT_NE(NULL, o);
	bos[0] = self->hbm;
	bos[1] = out;
	ASSERT_EQ(0, dt_submit(self->fd[0], 0, &crc, 1, bos, 2, &id));
	ASSERT_EQ(DRM_DOJO_JOB_DONE, dt_status(self->fd[0], id, WAIT_MS));
	EXPECT_EQ(dt_crc32(self->map + 5, 30000), dt_le32(o));
	munmap(o, 4096);
}

/* Every refusal fails the job alone: the next one works. */
TEST_F(remote, refused)
{
	struct drm_dojo_grant_create ro, rw;
	struct drm_dojo_grant_revoke rv = { 0 };
	struct drm_dojo_job_wait w;
	uint32_t r;

	grant(_metadata, self, 0, 4096, 0, &ro);
	grant(_metadata, self, 4096, 4096, DRM_DOJO_GRANT_WRITE, &rw);

	r = import(self, &ro, ro.key, ro.size);
	EXPECT_EQ(DRM_DOJO_JOB_REMOTE_REFUSED, copy(self, r, true, 0, 0, 16, &w));
	EXPECT_EQ(1, w.error_cmd);
	EXPECT_EQ(0, w.error);
	EXPECT_EQ(DRM_DOJO_JOB_DONE, copy(self, r, false, 0, 0, 16, &w));

	r = import(self, &rw, rw.key ^ 1, rw.size);
	EXPECT_EQ(DRM_DOJO_JOB_REMOTE_REFUSED, copy(self, r, false, 0, 0, 16, &w));

	/* The importer believes the grant is larger than it is. */
	r = import(self, &rw, rw.key, 8192);
	EXPECT_EQ(DRM_DOJO_JOB_REMOTE_REFUSED,
		  copy(self, r, false, 4000, 0, 200, &w));
	EXPECT_EQ(DRM_DOJO_JOB_DONE, copy(self, r, false, 4000, 0, 96, &w));

	rv.grant_id = rw.grant_id;
	ASSERT_EQ(0, dt_ioctl(self->fd[0], DRM_IOCTL_DOJO_GRANT_REVOKE, &rv));
	EXPECT_EQ(DRM_DOJO_JOB_REMOTE_REFUSED, copy(self, r, true, 0, 0, 16, &w));

	EXPECT_EQ(0, dt_card_attr(0, "reset_count"));
	EXPECT_EQ(0, dt_card_attr(1, "reset_count"));
	EXPECT_EQ(0, dt_card_attr(1, "job_timeouts"));
}

/* Unplugged, the link goes down, userspace hears of it, jobs fail. */
TEST_F_TIMEOUT(remote, unplugged, 120)
{
	struct drm_dojo_grant_create g;
	struct drm_dojo_job_wait w;
	int s, minor = dt_card_minor(1);
	uint32_t r;

	ASSERT_LE(0, minor);
	grant(_metadata, self, 0, 4096, 0, &g);
	r = import(self, &g, g.key, g.size);
	ASSERT_EQ(DRM_DOJO_JOB_DONE, copy(self, r, false, 0, 0, 4096, &w));

	s = dt_uevent_open();
	ASSERT_LE(0, s);
	ASSERT_EQ(0, dt_write_file(DT_EMU_BUS "/unlink_eth", "1"));
	EXPECT_EQ(1, dt_uevent_seen(s, minor, "change", "DOJO_ZPLANE=uncabled",
				    LINK_MS));
	close(s);
	EXPECT_EQ(DRM_DOJO_JOB_ZPLANE_DOWN, copy(self, r, false, 0, 0, 4096, &w));
	EXPECT_EQ(1, w.error_cmd);
	EXPECT_EQ(0, dt_card_attr(1, "reset_count"));

	ASSERT_EQ(0, dt_write_file(DT_EMU_BUS "/link_eth", "1 zpb"));
	ASSERT_EQ(0, wait_link_up(self->fd[1], &self->zp[1]));
	EXPECT_EQ(DRM_DOJO_JOB_DONE, copy(self, r, false, 0, 0, 4096, &w))
		TH_LOG("%s", dt_status_name(w.status));
}

TEST_HARNESS_MAIN
