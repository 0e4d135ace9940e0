// SPDX-License-Identifier: GPL-2.0-only
/*
 * zplane_test: the Z-plane, remote DMA between emulated DIPs over TTPoE on
 * real Linux network interfaces. zplane_test.sh cables six DIPs: dojo_emu0
 * and dojo_emu1 on the two ends of a veth pair, dojo_emu2..5 on a Linux
 * bridge (the switch), each through a veth pair of its own. Data integrity
 * from 1 byte to 64 MiB, unaligned, both directions, checked by the
 * receiving card's CRC32 and by read-back; with dropped and corrupted
 * frames; every DIP on the bridge to every other; the link pulled, the
 * remote card deleted and the grant revoked mid-transfer; isolation
 * (outside a grant, wrong key, read-only, revoked); link uevents.
 */
#include <sys/wait.h>

#include "dojo_test.h"
#include "kselftest_harness.h"

#define CARDS		6
#define WAIT_MS		120000
#define BIG		(64 * DT_MIB)

static const char *const zp_ifname[CARDS] = {
	"zpa", "zpb", "zp2", "zp3", "zp4", "zp5",
};

FIXTURE(zp) {
	int fd[CARDS];
	uint32_t node[CARDS];
};

static int zp_info(int fd, struct drm_dojo_zplane_info *info)
{
	struct drm_dojo_query q = {
		.query = DRM_DOJO_QUERY_ZPLANE,
		.size = sizeof(*info),
		.data = (uintptr_t)info,
	};

	memset(info, 0xff, sizeof(*info));
	return dt_ioctl(fd, DRM_IOCTL_DOJO_QUERY, &q);
}

static int zp_conns(int fd, struct drm_dojo_zplane_conns *c)
{
	struct drm_dojo_query q = {
		.query = DRM_DOJO_QUERY_ZPLANE_CONNS,
		.size = sizeof(*c),
		.data = (uintptr_t)c,
	};

	return dt_ioctl(fd, DRM_IOCTL_DOJO_QUERY, &q);
}

struct grant {
	uint32_t id;
	uint32_t node;
	uint64_t key;
};

static int grant(int fd, uint32_t handle, uint64_t off, uint64_t size,
		 uint32_t flags, struct grant *g)
{
	struct drm_dojo_grant_create c = {
		.handle = handle,
		.flags = flags,
		.offset = off,
		.size = size,
	};
	int ret = dt_ioctl(fd, DRM_IOCTL_DOJO_GRANT_CREATE, &c);

	if (!ret) {
		g->id = c.grant_id;
		g->node = c.node_id;
		g->key = c.key;
	}
	return ret;
}

static int grant_revoke(int fd, uint32_t id)
{
	struct drm_dojo_grant_revoke r = { .grant_id = id };

	return dt_ioctl(fd, DRM_IOCTL_DOJO_GRANT_REVOKE, &r);
}

static int grant_import(int fd, const struct grant *g, uint64_t size,
		  uint32_t *handle)
{
	struct drm_dojo_remote_import r = {
		.node_id = g->node,
		.grant_id = g->id,
		.key = g->key,
		.size = size,
	};
	int ret = dt_ioctl(fd, DRM_IOCTL_DOJO_REMOTE_IMPORT, &r);

	if (!ret)
		*handle = r.handle;
	return ret;
}

static int run(int fd, const struct drm_dojo_cmd *cmds, uint32_t n,
	       const uint32_t *bos, uint32_t nbos)
{
	uint64_t id;
	int ret = dt_submit(fd, 0, cmds, n, bos, nbos, &id);

	return ret ? ret : dt_status(fd, id, WAIT_MS);
}

/* The card's CRC32 of [off, +len) of buffer @bo, computed on card @fd. */
static int card_crc(int fd, uint32_t bo, uint64_t off, uint64_t len,
		    uint32_t *crc)
{
	uint32_t host, bos[2];
	struct drm_dojo_cmd c;
	uint8_t *p;
	int ret;

	p = dt_host_bo(fd, DT_PAGE, &host);
	if (!p)
		return -ENOMEM;
	bos[0] = bo;
	bos[1] = host;
	c = dt_crc(0, off, len, 1, 0);
	ret = run(fd, &c, 1, bos, 2);
	if (ret == DRM_DOJO_JOB_DONE)
		*crc = dt_le32(p);
	munmap(p, DT_PAGE);
	dt_gem_close(fd, host);
	return ret;
}

/* Host buffer of @size on @fd filled with seeded random bytes. */
static uint8_t *random_host(int fd, uint64_t size, uint64_t seed,
			    uint32_t *handle)
{
	uint8_t *p = dt_host_bo(fd, size, handle);

	if (p)
		dt_random(p, size, seed);
	return p;
}

static long long counter(int emu, const char *name)
{
	return dt_card_attr(emu, name);
}

FIXTURE_SETUP(zp)
{
	struct drm_dojo_zplane_info info;
	int i;

	for (i = 0; i < CARDS; i++) {
		dt_emu_bus("unlink_eth", "%d", i);
		ASSERT_EQ(0, dt_card_create(i));
		ASSERT_EQ(0, dt_emu_bus("link_eth", "%d %s", i, zp_ifname[i]));
	}
	for (i = 0; i < CARDS; i++) {
		ASSERT_EQ(0, dt_wait_card_attr(i, "zplane_link_state", "up")) TH_LOG("card %d", i);
		self->fd[i] = dt_open_card(i);
		ASSERT_LE(0, self->fd[i]);
		ASSERT_EQ(0, zp_info(self->fd[i], &info));
		self->node[i] = info.node_id;
	}
}

FIXTURE_TEARDOWN(zp)
{
	int i;

	for (i = 0; i < CARDS; i++) {
		close(self->fd[i]);
		dt_emu_write(i, "zp_drop_pct", "0");
		dt_emu_write(i, "zp_corrupt_pct", "0");
		dt_emu_write(i, "zp_link_down", "0");
		dt_emu_write(i, "zp_flap_ms", "0");
		dt_emu_write(i, "zp_mbox_stall", "0");
		dt_emu_bus("unlink_eth", "%d", i);
	}
	dt_emu_bus("unlink_tile", "1");
	dt_emu_bus("del_tile", "7");
}

TEST_F(zp, identity_and_links)
{
	struct drm_dojo_zplane_info info;
	char path[PATH_MAX], mac[32], want[32];
	int i, j;

	for (i = 0; i < CARDS; i++) {
		ASSERT_EQ(0, zp_info(self->fd[i], &info));
		EXPECT_EQ(DRM_DOJO_ZPLANE_LINK_UP, info.link_state);
		EXPECT_GE(0xffffffu, info.node_id);
		EXPECT_EQ(0x98, info.mac[0]);
		EXPECT_EQ(0xed, info.mac[1]);
		EXPECT_EQ(0x5c, info.mac[2]);
		EXPECT_EQ(info.node_id, (uint32_t)(info.mac[3] << 16 |
						   info.mac[4] << 8 |
						   info.mac[5]));
		EXPECT_EQ(0, info.mac[6] | info.mac[7] | info.pad);
		EXPECT_EQ(info.node_id, counter(i, "zplane_node_id"));
		snprintf(path, sizeof(path),
			 "/sys/class/accel/accel%d/device/dojo/zplane_mac",
			 dt_card_minor(i));
		ASSERT_LT(0, dt_read_file(path, mac, sizeof(mac)));
		snprintf(want, sizeof(want), "98:ed:5c:%02x:%02x:%02x",
			 info.mac[3], info.mac[4], info.mac[5]);
		EXPECT_EQ(0, strncmp(mac, want, strlen(want)));
		for (j = 0; j < i; j++)
			EXPECT_NE(self->node[j], info.node_id);
	}
}

/*
 * Card 0 writes seeded data of each size, from an unaligned offset of a
 * host buffer, to an unaligned offset of card 1's granted HBM; card 1's
 * CRC32 of what arrived must match, and reading it back over the Z-plane
 * into another host buffer must give the same bytes.
 */
static void roundtrip(struct __test_metadata *_metadata,
		      FIXTURE_DATA(zp) *self, int a, int b,
		      const uint64_t *sizes, int n, uint64_t seed)
{
	uint64_t span = sizes[n - 1] + 2 * DT_PAGE;
	uint32_t dst, src, back, remote, bos[3], crc;
	struct drm_dojo_cmd c;
	uint8_t *ps, *pb;
	struct grant g;
	int i;

	ASSERT_EQ(0, dt_bo_create(self->fd[b], span, DRM_DOJO_PLACEMENT_HBM,
				  &dst));
	ASSERT_EQ(0, grant(self->fd[b], dst, 0, span, DRM_DOJO_GRANT_WRITE,
			   &g));
	EXPECT_EQ(self->node[b], g.node);
	EXPECT_NE(0, g.id);
	ASSERT_EQ(0, grant_import(self->fd[a], &g, span, &remote));
	ps = random_host(self->fd[a], span, seed, &src);
	ASSERT_NE(NULL, ps);
	pb = dt_host_bo(self->fd[a], span, &back);
	ASSERT_NE(NULL, pb);
	bos[0] = src;
	bos[1] = remote;
	bos[2] = back;

	for (i = 0; i < n; i++) {
		uint64_t len = sizes[i], soff = 1 + i, doff = 4093 - i;

		c = dt_copy(0, soff, 1, doff, len);
		ASSERT_EQ(DRM_DOJO_JOB_DONE, run(self->fd[a], &c, 1, bos, 2))
			TH_LOG("write of %llu bytes", (unsigned long long)len);
		ASSERT_EQ(DRM_DOJO_JOB_DONE,
			  card_crc(self->fd[b], dst, doff, len, &crc));
		EXPECT_EQ(dt_crc32(ps + soff, len), crc)
			TH_LOG("%llu bytes", (unsigned long long)len);

		memset(pb, 0, len + 8);
		c = dt_copy(1, doff, 2, 3, len);
		ASSERT_EQ(DRM_DOJO_JOB_DONE, run(self->fd[a], &c, 1, bos, 3))
			TH_LOG("read of %llu bytes", (unsigned long long)len);
		EXPECT_EQ(-1, dt_diff(ps + soff, pb + 3, len))
			TH_LOG("%llu bytes", (unsigned long long)len);
	}
	munmap(ps, span);
	munmap(pb, span);
	dt_gem_close(self->fd[a], src);
	dt_gem_close(self->fd[a], back);
	dt_gem_close(self->fd[a], remote);
	EXPECT_EQ(0, grant_revoke(self->fd[b], g.id));
	dt_gem_close(self->fd[b], dst);
}

/* 64 MiB each way takes a while on an emulated card. */
TEST_F_TIMEOUT(zp, veth_1_byte_to_64_mib, 600)
{
	static const uint64_t sizes[] = {
		1, 3, 1023, 1024, 1025, 4095, 65537, DT_MIB + 7, BIG,
	};
	long long tx0 = counter(0, "zplane_tx_bytes");
	long long tx1 = counter(1, "zplane_tx_bytes");

	roundtrip(_metadata, self, 0, 1, sizes, ARRAY_SIZE(sizes), 1);
	/* Card 0 sent the writes' data, card 1 the reads'. */
	EXPECT_LE(tx0 + (long long)BIG, counter(0, "zplane_tx_bytes"));
	EXPECT_LE(tx1 + (long long)BIG, counter(1, "zplane_tx_bytes"));
}

TEST_F(zp, hbm_source_and_reverse_direction)
{
	static const uint64_t sizes[] = { 5, 300000 };

	roundtrip(_metadata, self, 1, 0, sizes, ARRAY_SIZE(sizes), 2);
}

TEST_F_TIMEOUT(zp, bridge_every_pair, 600)
{
	static const uint64_t sizes[] = { 65536 + 13 };
	int a, b;

	for (a = 2; a < CARDS; a++)
		for (b = 2; b < CARDS; b++)
			if (a != b)
				roundtrip(_metadata, self, a, b, sizes, 1,
					  a * 16 + b);
}

TEST_F(zp, connections_in_the_table)
{
	static const uint64_t sizes[] = { 4096 };
	struct drm_dojo_zplane_conns c;
	bool found = false;
	uint32_t i;

	roundtrip(_metadata, self, 2, 4, sizes, 1, 3);
	ASSERT_EQ(0, zp_conns(self->fd[2], &c));
	ASSERT_GE(DRM_DOJO_ZPLANE_MAX_CONNS, c.count);
	for (i = 0; i < c.count; i++) {
		if (c.conns[i].peer_node_id != self->node[4])
			continue;
		found = true;
		EXPECT_EQ(2, c.conns[i].vc);
		EXPECT_EQ(DRM_DOJO_CONN_OPEN, c.conns[i].state);
		EXPECT_LT(1, c.conns[i].tx_seq);
	}
	EXPECT_TRUE(found);
}

TEST_F_TIMEOUT(zp, drops_5_percent, 600)
{
	static const uint64_t sizes[] = { 1, 4097, 4 * DT_MIB + 5 };
	long long r0 = counter(0, "zplane_replays");
	long long r1 = counter(1, "zplane_replays");

	ASSERT_EQ(0, dt_emu_write(0, "zp_drop_pct", "5"));
	ASSERT_EQ(0, dt_emu_write(1, "zp_drop_pct", "5"));
	roundtrip(_metadata, self, 0, 1, sizes, ARRAY_SIZE(sizes), 4);
	/* Frames were lost both ways and replayed. */
	EXPECT_LT(r0, counter(0, "zplane_replays"));
	EXPECT_LT(r1, counter(1, "zplane_replays"));
}

TEST_F_TIMEOUT(zp, corrupted_frames, 600)
{
	static const uint64_t sizes[] = { 2 * DT_MIB + 3 };
	long long errors = counter(1, "zplane_errors");

	ASSERT_EQ(0, dt_emu_write(0, "zp_corrupt_pct", "5"));
	roundtrip(_metadata, self, 0, 1, sizes, 1, 5);
	/* Card 1 caught the corrupted frames by their FCS and dropped them. */
	EXPECT_LT(errors, counter(1, "zplane_errors"));
}

/*
 * Start a BIG write from card 0 to card 1 and return its job id once data
 * has begun to arrive at card 1, so the fault below hits it mid-transfer.
 */
static void start_big_write(struct __test_metadata *_metadata,
			    FIXTURE_DATA(zp) *self, uint32_t *dst,
			    struct grant *g, uint32_t *src, uint32_t *remote,
			    uint64_t *job)
{
	long long rx = counter(1, "zplane_rx_bytes");
	struct drm_dojo_cmd c = dt_copy(0, 0, 1, 0, BIG);
	int64_t end;
	uint32_t bos[2];

	ASSERT_EQ(0, dt_bo_create(self->fd[1], BIG, DRM_DOJO_PLACEMENT_HBM,
				  dst));
	ASSERT_EQ(0, grant(self->fd[1], *dst, 0, BIG, DRM_DOJO_GRANT_WRITE, g));
	ASSERT_EQ(0, dt_bo_create(self->fd[0], BIG, DRM_DOJO_PLACEMENT_HBM,
				  src));
	ASSERT_EQ(0, grant_import(self->fd[0], g, BIG, remote));
	bos[0] = *src;
	bos[1] = *remote;
	ASSERT_EQ(0, dt_submit(self->fd[0], 0, &c, 1, bos, 2, job));
	end = dt_deadline_ms(20000);
	while (counter(1, "zplane_rx_bytes") < rx + (long long)DT_MIB &&
	       dt_now_ns() < end)
		dt_sleep_ms(1);
	ASSERT_GT(BIG, counter(1, "zplane_rx_bytes") - rx)
		TH_LOG("the transfer ended before the fault");
}

/* After a fault, the link works again for a small transfer. */
static void still_works(struct __test_metadata *_metadata,
			FIXTURE_DATA(zp) *self, int a, int b)
{
	static const uint64_t sizes[] = { 4099 };

	roundtrip(_metadata, self, a, b, sizes, 1, 9);
}

TEST_F_TIMEOUT(zp, link_down_mid_transfer, 600)
{
	uint32_t dst, src, remote;
	int64_t start, took;
	struct grant g;
	uint64_t job;
	int status;

	start_big_write(_metadata, self, &dst, &g, &src, &remote, &job);
	start = dt_now_ns();
	ASSERT_EQ(0, dt_emu_write(0, "zp_link_down", "1"));
	status = dt_status(self->fd[0], job, WAIT_MS);
	took = (dt_now_ns() - start) / 1000000;
	EXPECT_EQ(DRM_DOJO_JOB_ZPLANE_DOWN, status)
		TH_LOG("%s", dt_status_name(status));
	/* The model documents 500 ms; leave room for a slow guest. */
	EXPECT_GT(20000, took);
	ASSERT_EQ(0, dt_wait_card_attr(0, "zplane_link_state", "down"));
	ASSERT_EQ(0, dt_emu_write(0, "zp_link_down", "0"));
	ASSERT_EQ(0, dt_wait_card_attr(0, "zplane_link_state", "up"));
	still_works(_metadata, self, 0, 1);
}

TEST_F_TIMEOUT(zp, port_unbound_mid_transfer, 600)
{
	uint32_t dst, src, remote;
	struct grant g;
	uint64_t job;
	int status;

	start_big_write(_metadata, self, &dst, &g, &src, &remote, &job);
	ASSERT_EQ(0, dt_emu_bus("unlink_eth", "0"));
	status = dt_status(self->fd[0], job, WAIT_MS);
	EXPECT_EQ(DRM_DOJO_JOB_ZPLANE_DOWN, status)
		TH_LOG("%s", dt_status_name(status));
	ASSERT_EQ(0, dt_wait_card_attr(0, "zplane_link_state", "uncabled"));
	ASSERT_EQ(0, dt_emu_bus("link_eth", "0 %s", zp_ifname[0]));
	ASSERT_EQ(0, dt_wait_card_attr(0, "zplane_link_state", "up"));
	still_works(_metadata, self, 0, 1);
}

TEST_F_TIMEOUT(zp, grant_revoked_mid_transfer, 600)
{
	uint32_t dst, src, remote;
	struct grant g;
	uint64_t job;
	int status;

	start_big_write(_metadata, self, &dst, &g, &src, &remote, &job);
	ASSERT_EQ(0, grant_revoke(self->fd[1], g.id));
	status = dt_status(self->fd[0], job, WAIT_MS);
	EXPECT_EQ(DRM_DOJO_JOB_REMOTE_REFUSED, status)
		TH_LOG("%s", dt_status_name(status));
	EXPECT_EQ(-ENOENT, grant_revoke(self->fd[1], g.id));
	still_works(_metadata, self, 0, 1);
}

TEST_F_TIMEOUT(zp, grant_gone_with_its_handle, 600)
{
	uint32_t dst, src, remote;
	struct grant g;
	uint64_t job;
	int status;

	/* Closing the granted buffer's handle revokes the grant. */
	start_big_write(_metadata, self, &dst, &g, &src, &remote, &job);
	ASSERT_EQ(0, dt_gem_close(self->fd[1], dst));
	status = dt_status(self->fd[0], job, WAIT_MS);
	EXPECT_EQ(DRM_DOJO_JOB_REMOTE_REFUSED, status)
		TH_LOG("%s", dt_status_name(status));
	EXPECT_EQ(-ENOENT, grant_revoke(self->fd[1], g.id));
}

TEST_F_TIMEOUT(zp, remote_card_deleted_mid_transfer, 600)
{
	uint32_t dst, src, remote;
	struct grant g;
	uint64_t job;
	int status;

	start_big_write(_metadata, self, &dst, &g, &src, &remote, &job);
	ASSERT_EQ(0, dt_card_delete(1));
	status = dt_status(self->fd[0], job, WAIT_MS);
	/*
	 * However the peer went (its driver revoking its grants on the way
	 * out, its port closing, or silence), the job ends and says so.
	 */
	EXPECT_TRUE(status == DRM_DOJO_JOB_REMOTE_GONE ||
		    status == DRM_DOJO_JOB_REMOTE_TIMEOUT ||
		    status == DRM_DOJO_JOB_REMOTE_REFUSED)
		TH_LOG("%s", dt_status_name(status));
	close(self->fd[1]);
	ASSERT_EQ(0, dt_card_create(1));
	ASSERT_EQ(0, dt_emu_bus("link_eth", "1 %s", zp_ifname[1]));
	ASSERT_EQ(0, dt_wait_card_attr(1, "zplane_link_state", "up"));
	self->fd[1] = dt_open_card(1);
	ASSERT_LE(0, self->fd[1]);
	still_works(_metadata, self, 0, 1);
}

/*
 * Accesses the target must refuse, each failing the initiator's job with
 * REMOTE_REFUSED and leaving the target's memory as it was: past the end
 * of a grant (the importer claims more than it covers), a wrong key, a
 * write through a read-only grant, a revoked grant, and a grant id that
 * never existed.
 */
TEST_F(zp, isolation)
{
	uint32_t dst, src, remote, bos[2], crc_before, crc_after;
	struct grant g, ro, bad;
	struct drm_dojo_cmd c;
	long long errors;
	int status;

	ASSERT_EQ(0, dt_bo_create(self->fd[1], 4 * DT_PAGE,
				  DRM_DOJO_PLACEMENT_HBM, &dst));
	ASSERT_EQ(0, grant(self->fd[1], dst, DT_PAGE, DT_PAGE,
			   DRM_DOJO_GRANT_WRITE, &g));
	ASSERT_EQ(0, grant(self->fd[1], dst, 0, 4 * DT_PAGE, 0, &ro));
	ASSERT_EQ(DRM_DOJO_JOB_DONE,
		  card_crc(self->fd[1], dst, 0, 4 * DT_PAGE, &crc_before));
	ASSERT_NE(NULL, random_host(self->fd[0], 4 * DT_PAGE, 7, &src));
	bos[0] = src;
	errors = counter(1, "zplane_errors");

	/* Past the grant's end: offset 4095 + 2 bytes of a 4096-byte grant. */
	ASSERT_EQ(0, grant_import(self->fd[0], &g, 4 * DT_PAGE, &remote));
	bos[1] = remote;
	c = dt_copy(0, 0, 1, DT_PAGE - 1, 2);
	status = run(self->fd[0], &c, 1, bos, 2);
	EXPECT_EQ(DRM_DOJO_JOB_REMOTE_REFUSED, status)
		TH_LOG("%s", dt_status_name(status));
	/* Reading past it too. */
	c = dt_copy(1, DT_PAGE, 0, 0, 1);
	status = run(self->fd[0], &c, 1, bos, 2);
	EXPECT_EQ(DRM_DOJO_JOB_REMOTE_REFUSED, status)
		TH_LOG("%s", dt_status_name(status));
	dt_gem_close(self->fd[0], remote);

	/* A wrong key. */
	bad = g;
	bad.key ^= 1;
	ASSERT_EQ(0, grant_import(self->fd[0], &bad, DT_PAGE, &remote));
	bos[1] = remote;
	c = dt_copy(0, 0, 1, 0, 16);
	status = run(self->fd[0], &c, 1, bos, 2);
	EXPECT_EQ(DRM_DOJO_JOB_REMOTE_REFUSED, status)
		TH_LOG("%s", dt_status_name(status));
	c = dt_copy(1, 0, 0, 0, 16);
	status = run(self->fd[0], &c, 1, bos, 2);
	EXPECT_EQ(DRM_DOJO_JOB_REMOTE_REFUSED, status)
		TH_LOG("%s", dt_status_name(status));
	dt_gem_close(self->fd[0], remote);

	/* Writing through a read-only grant; reading through it works. */
	ASSERT_EQ(0, grant_import(self->fd[0], &ro, 4 * DT_PAGE, &remote));
	bos[1] = remote;
	c = dt_copy(0, 0, 1, 0, 4 * DT_PAGE);
	status = run(self->fd[0], &c, 1, bos, 2);
	EXPECT_EQ(DRM_DOJO_JOB_REMOTE_REFUSED, status)
		TH_LOG("%s", dt_status_name(status));
	c = dt_copy(1, 0, 0, 0, 4 * DT_PAGE);
	EXPECT_EQ(DRM_DOJO_JOB_DONE, run(self->fd[0], &c, 1, bos, 2));
	dt_gem_close(self->fd[0], remote);

	/* A revoked grant, and an id never handed out. */
	ASSERT_EQ(0, grant_import(self->fd[0], &g, DT_PAGE, &remote));
	ASSERT_EQ(0, grant_revoke(self->fd[1], g.id));
	bos[1] = remote;
	c = dt_copy(0, 0, 1, 0, 8);
	status = run(self->fd[0], &c, 1, bos, 2);
	EXPECT_EQ(DRM_DOJO_JOB_REMOTE_REFUSED, status)
		TH_LOG("%s", dt_status_name(status));
	dt_gem_close(self->fd[0], remote);
	bad = g;
	bad.id = 0x7fffffff;
	ASSERT_EQ(0, grant_import(self->fd[0], &bad, DT_PAGE, &remote));
	bos[1] = remote;
	status = run(self->fd[0], &c, 1, bos, 2);
	EXPECT_EQ(DRM_DOJO_JOB_REMOTE_REFUSED, status)
		TH_LOG("%s", dt_status_name(status));
	dt_gem_close(self->fd[0], remote);

	/* Nothing of it reached card 1's memory, and card 1 counted them. */
	ASSERT_EQ(DRM_DOJO_JOB_DONE,
		  card_crc(self->fd[1], dst, 0, 4 * DT_PAGE, &crc_after));
	EXPECT_EQ(crc_before, crc_after);
	EXPECT_LT(errors, counter(1, "zplane_errors"));
}

/* An access past the importer's own size is refused at submission. */
TEST_F(zp, outside_the_imported_size)
{
	uint32_t dst, src, remote, bos[2];
	struct drm_dojo_cmd c;
	struct grant g;
	uint64_t job;

	ASSERT_EQ(0, dt_bo_create(self->fd[1], DT_PAGE,
				  DRM_DOJO_PLACEMENT_HBM, &dst));
	ASSERT_EQ(0, grant(self->fd[1], dst, 0, DT_PAGE,
			   DRM_DOJO_GRANT_WRITE, &g));
	ASSERT_NE(NULL, random_host(self->fd[0], DT_PAGE, 8, &src));
	ASSERT_EQ(0, grant_import(self->fd[0], &g, 100, &remote));
	bos[0] = src;
	bos[1] = remote;
	c = dt_copy(0, 0, 1, 50, 51);
	EXPECT_EQ(-EINVAL, dt_submit(self->fd[0], 0, &c, 1, bos, 2, &job));
	c = dt_copy(1, 99, 0, 0, 2);
	EXPECT_EQ(-EINVAL, dt_submit(self->fd[0], 0, &c, 1, bos, 2, &job));
	/* Only COPY may name a remote buffer, and on one side only. */
	c = dt_fill(1, 0, 4, 0);
	EXPECT_EQ(-EINVAL, dt_submit(self->fd[0], 0, &c, 1, bos, 2, &job));
	c = dt_crc(1, 0, 4, 0, 0);
	EXPECT_EQ(-EINVAL, dt_submit(self->fd[0], 0, &c, 1, bos, 2, &job));
	c = dt_copy(1, 0, 1, 50, 4);
	EXPECT_EQ(-EINVAL, dt_submit(self->fd[0], 0, &c, 1, bos, 2, &job));
	c = dt_copy(0, 0, 1, 50, 50);
	EXPECT_EQ(DRM_DOJO_JOB_DONE, run(self->fd[0], &c, 1, bos, 2));

	/* A remote buffer in slot 0 does not stop commands that name none. */
	bos[0] = remote;
	bos[1] = src;
	c = dt_fill(1, 0, 16, 0x01020304);
	EXPECT_EQ(DRM_DOJO_JOB_DONE, run(self->fd[0], &c, 1, bos, 2));
	c = (struct drm_dojo_cmd){ .op = DRM_DOJO_CMD_NOP };
	EXPECT_EQ(DRM_DOJO_JOB_DONE, run(self->fd[0], &c, 1, bos, 2));
	c = dt_barrier();
	EXPECT_EQ(DRM_DOJO_JOB_DONE, run(self->fd[0], &c, 1, bos, 2));
}

/*
 * Remote DMA into a training tile's SRAM: card 1 is cabled to a tile and
 * grants part of a tile buffer; card 0 writes into it over the Z-plane
 * and reads it back, and card 1's CRC32 of the tile buffer agrees.
 */
TEST_F_TIMEOUT(zp, remote_tile_sram, 300)
{
	const uint64_t len = DT_MIB + 3, off = 4096 + 5;
	uint32_t tb, src, back, remote, bos[3], crc;
	struct drm_dojo_cmd c;
	uint8_t *ps, *pb;
	struct grant g;

	dt_emu_bus("unlink_tile", "1");
	dt_emu_bus("del_tile", "7");
	ASSERT_EQ(0, dt_emu_bus("new_tile", "7"));
	ASSERT_EQ(0, dt_emu_bus("link_tile", "1 7 0 0"));
	ASSERT_EQ(0, dt_bo_create(self->fd[1], 4 * DT_MIB,
				  DRM_DOJO_PLACEMENT_TILE, &tb));
	/* A grant of part of it: [4 KiB, 3 MiB). */
	ASSERT_EQ(0, grant(self->fd[1], tb, 4096, 3 * DT_MIB - 4096,
			   DRM_DOJO_GRANT_WRITE, &g));
	ASSERT_EQ(0, grant_import(self->fd[0], &g, 3 * DT_MIB - 4096, &remote));
	ps = random_host(self->fd[0], 2 * DT_MIB, 21, &src);
	ASSERT_NE(NULL, ps);
	pb = dt_host_bo(self->fd[0], 2 * DT_MIB, &back);
	ASSERT_NE(NULL, pb);
	bos[0] = src;
	bos[1] = remote;
	bos[2] = back;
	c = dt_copy(0, 1, 1, off, len);
	ASSERT_EQ(DRM_DOJO_JOB_DONE, run(self->fd[0], &c, 1, bos, 2));
	ASSERT_EQ(DRM_DOJO_JOB_DONE,
		  card_crc(self->fd[1], tb, 4096 + off, len, &crc));
	EXPECT_EQ(dt_crc32(ps + 1, len), crc);
	c = dt_copy(1, off, 2, 0, len);
	ASSERT_EQ(DRM_DOJO_JOB_DONE, run(self->fd[0], &c, 1, bos, 3));
	EXPECT_EQ(-1, dt_diff(ps + 1, pb, len));
	/* Past the grant, though inside the tile buffer: refused. */
	c = dt_copy(0, 0, 1, 3 * DT_MIB - 4096 - 1, 2);
	EXPECT_EQ(-EINVAL, dt_submit(self->fd[0], 0, &c, 1, bos, 2, NULL));

	/* The tile link goes down: the grant reaches nothing any more. */
	ASSERT_EQ(0, dt_emu_bus("unlink_tile", "1"));
	c = dt_copy(0, 0, 1, 0, 4096);
	EXPECT_EQ(DRM_DOJO_JOB_REMOTE_REFUSED, run(self->fd[0], &c, 1, bos, 2));
	munmap(ps, 2 * DT_MIB);
	munmap(pb, 2 * DT_MIB);
	dt_gem_close(self->fd[0], remote);
	EXPECT_EQ(0, grant_revoke(self->fd[1], g.id));
	dt_gem_close(self->fd[1], tb);
	dt_emu_bus("del_tile", "7");
}

/*
 * A grant made while the card resets is a new grant: the card ignores
 * mailbox writes while it resets but still reads back the last answer,
 * which must not be handed out as this client's grant (it is another
 * client's id and key).
 */
TEST_F(zp, grant_during_device_reset)
{
	uint32_t a, b, id_a;
	char path[PATH_MAX];
	struct grant ga, gb;
	int fd, status, ret;
	pid_t pid;

	fd = dt_open_card(5);
	ASSERT_LE(0, fd);
	/* Its buffer scrubbed beforehand, so that the grant waits for nothing. */
	ASSERT_EQ(0, dt_bo_create(fd, DT_MIB, DRM_DOJO_PLACEMENT_HBM, &b));
	ASSERT_EQ(0, grant(fd, b, 0, 4096, 0, &gb));
	ASSERT_EQ(0, grant_revoke(fd, gb.id));
	/* The card's last answer before the reset: another client's grant. */
	ASSERT_EQ(0, dt_bo_create(self->fd[5], DT_MIB, DRM_DOJO_PLACEMENT_HBM,
				  &a));
	ASSERT_EQ(0, grant(self->fd[5], a, 0, DT_MIB, DRM_DOJO_GRANT_WRITE,
			   &ga));
	id_a = ga.id;

	ASSERT_EQ(0, dt_emu_write(5, "ready_delay_ms", "800"));
	snprintf(path, sizeof(path),
		 "/sys/class/accel/accel%d/device/dojo/reset",
		 dt_card_minor(5));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid)
		_exit(dt_write_file(path, "zplane_test grant_during_device_reset") ?
		      1 : 0);
	dt_sleep_ms(200);
	ret = grant(fd, b, 0, DT_MIB, 0, &gb);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, WEXITSTATUS(status));
	dt_emu_write(5, "ready_delay_ms", "10");
	if (!ret) {
		EXPECT_NE(id_a, gb.id);
		EXPECT_NE(ga.key, gb.key)
			TH_LOG("the new grant is another client's");
	} else {
		EXPECT_TRUE(ret == -EIO || ret == -EBUSY || ret == -EAGAIN)
			TH_LOG("%s", strerror(-ret));
	}
	close(fd);
}

/*
 * A revoke the card never confirms: closing the granted buffer must not
 * hand its memory to the next buffer while peers may still reach it
 * through the grant. Card 5's grant mailbox stalls; its buffer A is
 * granted and closed; a new buffer C is filled; card 4 writes through
 * the old grant; C must be intact.
 */
TEST_F_TIMEOUT(zp, revoke_never_confirmed, 300)
{
	uint32_t a, c_bo, src, remote, bos[2], crc;
	static uint8_t fill[DT_MIB];
	struct drm_dojo_cmd c;
	struct grant g;

	ASSERT_EQ(0, dt_bo_create(self->fd[5], DT_MIB, DRM_DOJO_PLACEMENT_HBM,
				  &a));
	ASSERT_EQ(0, grant(self->fd[5], a, 0, DT_MIB, DRM_DOJO_GRANT_WRITE,
			   &g));
	ASSERT_EQ(0, grant_import(self->fd[4], &g, DT_MIB, &remote));
	ASSERT_NE(NULL, random_host(self->fd[4], DT_MIB, 31, &src));

	ASSERT_EQ(0, dt_emu_write(5, "zp_mbox_stall", "1"));
	/* The revoke times out; the close itself succeeds. */
	EXPECT_EQ(0, dt_gem_close(self->fd[5], a));
	ASSERT_EQ(0, dt_bo_create(self->fd[5], DT_MIB, DRM_DOJO_PLACEMENT_HBM,
				  &c_bo));
	bos[0] = c_bo;
	c = dt_fill(0, 0, DT_MIB, 0x5a5a5a5a);
	ASSERT_EQ(DRM_DOJO_JOB_DONE, run(self->fd[5], &c, 1, bos, 1));

	bos[0] = src;
	bos[1] = remote;
	c = dt_copy(0, 0, 1, 0, DT_MIB);
	run(self->fd[4], &c, 1, bos, 2);
	ASSERT_EQ(DRM_DOJO_JOB_DONE, card_crc(self->fd[5], c_bo, 0, DT_MIB,
					      &crc));
	memset(fill, 0x5a, sizeof(fill));
	EXPECT_EQ(dt_crc32(fill, sizeof(fill)), crc)
		TH_LOG("a peer wrote into a new buffer through a grant of a freed one");
	ASSERT_EQ(0, dt_emu_write(5, "zp_mbox_stall", "0"));
}

TEST_F(zp, link_uevents)
{
	int s = dt_uevent_open();
	int minor = dt_card_minor(2);
	long long changes = counter(2, "zplane_link_changes");

	ASSERT_LE(0, s);
	dt_uevent_drain(s);
	ASSERT_EQ(0, dt_emu_write(2, "zp_link_down", "1"));
	EXPECT_EQ(1, dt_uevent_seen(s, minor, "change", "DOJO_ZPLANE=down",
				    10000));
	ASSERT_EQ(0, dt_emu_write(2, "zp_link_down", "0"));
	EXPECT_EQ(1, dt_uevent_seen(s, minor, "change", "DOJO_ZPLANE=up",
				    10000));
	EXPECT_EQ(changes + 2, counter(2, "zplane_link_changes"));
	close(s);
}

TEST_F_TIMEOUT(zp, flapping_link_delivers_or_fails_cleanly, 600)
{
	static const uint64_t sizes[] = { 4097 };
	uint32_t dst, src, remote, bos[2], crc;
	struct drm_dojo_cmd c;
	struct grant g;
	uint8_t *p;
	int i, status;

	/* Every job on a flapping link ends, done with intact data or down. */
	ASSERT_EQ(0, dt_bo_create(self->fd[3], DT_MIB, DRM_DOJO_PLACEMENT_HBM,
				  &dst));
	ASSERT_EQ(0, grant(self->fd[3], dst, 0, DT_MIB, DRM_DOJO_GRANT_WRITE,
			   &g));
	ASSERT_EQ(0, grant_import(self->fd[2], &g, DT_MIB, &remote));
	p = random_host(self->fd[2], DT_MIB, 11, &src);
	ASSERT_NE(NULL, p);
	bos[0] = src;
	bos[1] = remote;
	ASSERT_EQ(0, dt_emu_write(2, "zp_flap_ms", "200"));
	for (i = 0; i < 5; i++) {
		c = dt_copy(0, 0, 1, 0, DT_MIB);
		status = run(self->fd[2], &c, 1, bos, 2);
		EXPECT_TRUE(status == DRM_DOJO_JOB_DONE ||
			    status == DRM_DOJO_JOB_ZPLANE_DOWN)
			TH_LOG("%s", dt_status_name(status));
		if (status != DRM_DOJO_JOB_DONE)
			continue;
		ASSERT_EQ(DRM_DOJO_JOB_DONE,
			  card_crc(self->fd[3], dst, 0, DT_MIB, &crc));
		EXPECT_EQ(dt_crc32(p, DT_MIB), crc);
	}
	ASSERT_EQ(0, dt_emu_write(2, "zp_flap_ms", "0"));
	ASSERT_EQ(0, dt_wait_card_attr(2, "zplane_link_state", "up"));
	roundtrip(_metadata, self, 2, 3, sizes, 1, 12);
}

TEST_HARNESS_MAIN
