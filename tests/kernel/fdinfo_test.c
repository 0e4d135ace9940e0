// SPDX-License-Identifier: GPL-2.0-only
/*
 * /proc/<pid>/fdinfo/<fd> of an accel node, as gputop and nvtop read it:
 * drm-driver and drm-client-id, memory per region ("host", "hbm") in the
 * keys drm_print_memory_stats() prints (total, shared, resident), exact
 * for the buffers a file holds, and drm-engine-dma<q> growing with the
 * time the card spends on the file's jobs on queue q only.
 */
#include "dojo_test.h"
#include "kselftest_harness.h"

#define EMU		0
#define WAIT_MS		30000
#define NQ		4

struct fdinfo {
	char driver[32];
	long long client_id;
	long long total[2], shared[2], resident[2];	/* [0] host, [1] hbm */
	long long engine[NQ];
};

/* "123", "12 KiB", "3 MiB" -> bytes; -1 if malformed. */
static long long parse_size(const char *v)
{
	char unit[8] = "";
	long long n;

	if (sscanf(v, "%lld %7s", &n, unit) < 1)
		return -1;
	if (!unit[0])
		return n;
	if (!strcmp(unit, "KiB"))
		return n * 1024;
	if (!strcmp(unit, "MiB"))
		return n * 1024 * 1024;
	if (!strcmp(unit, "GiB"))
		return n * 1024 * 1024 * 1024;
	return -1;
}

/* Parse our own fdinfo for @fd; keys not found read -1. */
static int read_fdinfo(int fd, struct fdinfo *fi)
{
	static const char *const region[] = { "host", "hbm" };
	char path[64], buf[8192], *line, *save;
	int r, q;

	memset(fi, 0, sizeof(*fi));
	fi->client_id = -1;
	for (r = 0; r < 2; r++)
		fi->total[r] = fi->shared[r] = fi->resident[r] = -1;
	for (q = 0; q < NQ; q++)
		fi->engine[q] = -1;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	if (dt_read_file(path, buf, sizeof(buf)) <= 0)
		return -EIO;
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *val = strchr(line, ':');
		char key[64];

		if (!val)
			continue;
		*val++ = '\0';
		while (*val == ' ' || *val == '\t')
			val++;
		if (!strcmp(line, "drm-driver")) {
			snprintf(fi->driver, sizeof(fi->driver), "%s", val);
			continue;
		}
		if (!strcmp(line, "drm-client-id")) {
			fi->client_id = atoll(val);
			continue;
		}
		for (r = 0; r < 2; r++) {
			snprintf(key, sizeof(key), "drm-total-%s", region[r]);
			if (!strcmp(line, key))
				fi->total[r] = parse_size(val);
			snprintf(key, sizeof(key), "drm-shared-%s", region[r]);
			if (!strcmp(line, key))
				fi->shared[r] = parse_size(val);
			snprintf(key, sizeof(key), "drm-resident-%s", region[r]);
			if (!strcmp(line, key))
				fi->resident[r] = parse_size(val);
		}
		for (q = 0; q < NQ; q++) {
			char unit[8] = "";

			snprintf(key, sizeof(key), "drm-engine-dma%d", q);
			if (!strcmp(line, key) &&
			    sscanf(val, "%lld %7s", &fi->engine[q], unit) == 2 &&
			    strcmp(unit, "ns"))
				fi->engine[q] = -2;	/* wrong unit */
		}
	}
	return 0;
}

FIXTURE(fdinfo) {
	int fd, fd2;
};

FIXTURE_SETUP(fdinfo)
{
	self->fd = dt_open_card(EMU);
	ASSERT_LE(0, self->fd);
	self->fd2 = dt_open_card(EMU);
	ASSERT_LE(0, self->fd2);
}

FIXTURE_TEARDOWN(fdinfo)
{
	close(self->fd2);
	EXPECT_EQ(0, close(self->fd));
}

TEST_F(fdinfo, keys)
{
	struct fdinfo a, b;
	int q;

	ASSERT_EQ(0, read_fdinfo(self->fd, &a));
	ASSERT_EQ(0, read_fdinfo(self->fd2, &b));
	EXPECT_STREQ("dojo", a.driver);
	EXPECT_LE(0, a.client_id);
	EXPECT_LE(0, b.client_id);
	EXPECT_NE(a.client_id, b.client_id);
	EXPECT_EQ(0, a.total[0]);
	EXPECT_EQ(0, a.total[1]);
	EXPECT_EQ(0, a.shared[0]);
	EXPECT_EQ(0, a.shared[1]);
	EXPECT_EQ(0, a.resident[0]);
	EXPECT_EQ(0, a.resident[1]);
	for (q = 0; q < NQ; q++)
		EXPECT_EQ(0, a.engine[q]) TH_LOG("drm-engine-dma%d", q);
}

TEST_F(fdinfo, memory_per_region)
{
	const long long host_sz = DT_MIB + 12 * 1024, hbm_sz = 3 * DT_MIB;
	struct fdinfo a, b;
	uint32_t host, hbm, host2, imported;
	uint8_t *p;
	int pfd;

	ASSERT_EQ(0, dt_bo_create(self->fd, host_sz, DRM_DOJO_PLACEMENT_HOST, &host));
	ASSERT_EQ(0, dt_bo_create(self->fd, hbm_sz + 1, DRM_DOJO_PLACEMENT_HBM, &hbm));
	ASSERT_EQ(0, read_fdinfo(self->fd, &a));
	EXPECT_EQ(host_sz, a.total[0]);
	EXPECT_EQ(hbm_sz + 4096, a.total[1]) TH_LOG("size rounded to a page");
	EXPECT_EQ(0, a.shared[0]);
	EXPECT_EQ(0, a.shared[1]);
	EXPECT_EQ(hbm_sz + 4096, a.resident[1]) TH_LOG("HBM is always resident");
	/* Per file: the other file holds nothing. */
	ASSERT_EQ(0, read_fdinfo(self->fd2, &b));
	EXPECT_EQ(0, b.total[0]);
	EXPECT_EQ(0, b.total[1]);

	/* Host pages exist once mapped and touched. */
	p = dt_bo_mmap(self->fd, host, host_sz);
	ASSERT_NE(NULL, p);
	memset(p, 1, host_sz);
	ASSERT_EQ(0, read_fdinfo(self->fd, &a));
	EXPECT_EQ(host_sz, a.resident[0]);
	munmap(p, host_sz);

	/* Shared with the other file through PRIME: shared in both. */
	ASSERT_EQ(0, dt_bo_create(self->fd, 64 * 1024, DRM_DOJO_PLACEMENT_HOST, &host2));
	ASSERT_EQ(0, drmPrimeHandleToFD(self->fd, host2, DRM_CLOEXEC | DRM_RDWR, &pfd));
	ASSERT_EQ(0, drmPrimeFDToHandle(self->fd2, pfd, &imported));
	close(pfd);
	ASSERT_EQ(0, read_fdinfo(self->fd, &a));
	ASSERT_EQ(0, read_fdinfo(self->fd2, &b));
	EXPECT_EQ(host_sz + 64 * 1024, a.total[0]);
	EXPECT_EQ(64 * 1024, a.shared[0]);
	EXPECT_EQ(64 * 1024, b.total[0]);
	EXPECT_EQ(64 * 1024, b.shared[0]);

	/* Closing handles gives the memory back in the stats. */
	ASSERT_EQ(0, dt_gem_close(self->fd, host));
	ASSERT_EQ(0, dt_gem_close(self->fd, hbm));
	ASSERT_EQ(0, read_fdinfo(self->fd, &a));
	EXPECT_EQ(64 * 1024, a.total[0]);
	EXPECT_EQ(0, a.total[1]);
	ASSERT_EQ(0, dt_gem_close(self->fd2, imported));
	ASSERT_EQ(0, read_fdinfo(self->fd, &a));
	EXPECT_EQ(0, a.shared[0]);
}

TEST_F(fdinfo, engine_time)
{
	const uint64_t sz = 2 * DT_MIB;
	struct fdinfo before, after, other0, other1;
	uint32_t s, d;
	uint64_t id;
	int q, used[] = { 0, 2 }, i;

	ASSERT_NE(NULL, dt_host_bo(self->fd, sz, &s));
	ASSERT_NE(NULL, dt_host_bo(self->fd, sz, &d));
	ASSERT_EQ(0, read_fdinfo(self->fd2, &other0));

	for (i = 0; i < 2; i++) {
		uint32_t bos[] = { s, d };
		struct drm_dojo_cmd c = dt_copy(0, 0, 1, 0, sz);

		ASSERT_EQ(0, read_fdinfo(self->fd, &before));
		ASSERT_EQ(0, dt_submit(self->fd, used[i], &c, 1, bos, 2, &id));
		ASSERT_EQ(DRM_DOJO_JOB_DONE, dt_status(self->fd, id, WAIT_MS));
		ASSERT_EQ(0, read_fdinfo(self->fd, &after));
		for (q = 0; q < NQ; q++) {
			ASSERT_LE(0, after.engine[q]) TH_LOG("drm-engine-dma%d", q);
			if (q == used[i]) {
				EXPECT_LT(before.engine[q], after.engine[q])
					TH_LOG("dma%d did not grow after a job on it", q);
			} else {
				EXPECT_EQ(before.engine[q], after.engine[q])
					TH_LOG("dma%d grew after a job on queue %d", q, used[i]);
			}
		}
	}
	/* The other client was not charged. */
	ASSERT_EQ(0, read_fdinfo(self->fd2, &other1));
	for (q = 0; q < NQ; q++)
		EXPECT_EQ(other0.engine[q], other1.engine[q]);
}

TEST_HARNESS_MAIN
