// SPDX-License-Identifier: GPL-2.0-only
/*
 * Faults and recovery, driven by the emulated card's fault switches
 * (/sys/kernel/debug/dojo_emu/dojo_emu0/): a failed host transfer, a
 * garbled command, a garbled descriptor, a hung queue, a device reset
 * requested through the driver's debugfs and a fatal error interrupt.
 * Each must end the affected job with the documented status, leave other
 * queues and clients alone, and leave the queue working.
 *
 * Expects dojo.ko loaded with a short job_timeout_ms (fault_test.sh).
 */
#include <linux/netlink.h>
#include <poll.h>
#include <sys/socket.h>

#include "dojo_test.h"
#include "kselftest_harness.h"

#define EMU		0
#define WAIT_MS		30000
/* dojo_hw.c scales every timeout by this much for an emulated card. */
#define EMU_TIMEOUT_SCALE	20

FIXTURE(faults) {
	int fd, fd2, minor, nq;
	char dbg[256];		/* the driver's debugfs directory of the card */
	int64_t timeout_ms;	/* the job timeout as the driver applies it */
};

/* Drop every devcoredump of our card, so that nothing holds it. */
static void clear_coredumps(void)
{
	char path[PATH_MAX], link[PATH_MAX];
	struct dirent *de;
	DIR *d = opendir("/sys/class/devcoredump");
	ssize_t n;

	if (!d)
		return;
	while ((de = readdir(d))) {
		if (strncmp(de->d_name, "devcd", 5))
			continue;
		snprintf(path, sizeof(path), "/sys/class/devcoredump/%s/failing_device",
			 de->d_name);
		n = readlink(path, link, sizeof(link) - 1);
		if (n < 0)
			continue;
		link[n] = '\0';
		if (!strstr(link, "dojo_emu"))
			continue;
		snprintf(path, sizeof(path), "/sys/class/devcoredump/%s/data",
			 de->d_name);
		dt_write_file(path, "1");
	}
	closedir(d);
}

FIXTURE_SETUP(faults)
{
	long long ms;

	if (access(DT_EMU_DEBUGFS, F_OK))
		ASSERT_TRUE(0) TH_LOG("no emulator debugfs (%s)", DT_EMU_DEBUGFS);
	self->minor = dt_card_minor(EMU);
	ASSERT_LE(0, self->minor);
	ASSERT_EQ(0, dt_card_debugfs(EMU, self->dbg, sizeof(self->dbg)))
		TH_LOG("no debugfs directory of the card under " DT_ACCEL_DEBUGFS);
	self->fd = dt_open_card(EMU);
	ASSERT_LE(0, self->fd);
	self->fd2 = dt_open_card(EMU);
	ASSERT_LE(0, self->fd2);
	self->nq = dt_num_queues(self->fd);
	ASSERT_LE(4, self->nq);
	ms = dt_read_num("/sys/module/dojo/parameters/job_timeout_ms");
	ASSERT_LT(0, ms);
	self->timeout_ms = ms * EMU_TIMEOUT_SCALE;
}

FIXTURE_TEARDOWN(faults)
{
	if (self->fd <= 0)
		return;
	dt_emu_write(EMU, "fail_dma", "0");
	dt_emu_write(EMU, "dma_latency_us", "0");
	dt_emu_write(EMU, "irq_delay_ms", "0");
	dt_emu_write(EMU, "hang_at_cmd", "0");
	dt_emu_write(EMU, "reset_hang", "0");
	clear_coredumps();
	close(self->fd2);
	EXPECT_EQ(0, close(self->fd));
}

/* A host source with random bytes and a host destination set to @fill. */
struct pair {
	uint32_t src, dst;
	uint8_t *ps, *pd;
	uint64_t len;
};

static int make_pair(int fd, uint64_t len, uint64_t seed, uint8_t fill,
		     struct pair *p)
{
	p->len = len;
	p->ps = dt_host_bo(fd, len, &p->src);
	p->pd = dt_host_bo(fd, len, &p->dst);
	if (!p->ps || !p->pd)
		return -errno;
	dt_random(p->ps, len, seed);
	memset(p->pd, fill, len);
	return 0;
}

static int submit_copy(int fd, unsigned int q, struct pair *p, uint64_t *id)
{
	uint32_t bos[] = { p->src, p->dst };
	struct drm_dojo_cmd c = dt_copy(0, 0, 1, 0, p->len);

	return dt_submit(fd, q, &c, 1, bos, 2, id);
}

#define EXPECT_JOB(fd, id, st, err) do {					\
	struct drm_dojo_job_wait _w;						\
	ASSERT_EQ(0, dt_wait(fd, id, WAIT_MS, &_w));				\
	EXPECT_EQ(st, _w.status) TH_LOG("job %llu: %s error %u",		\
		(unsigned long long)(id), dt_status_name(_w.status), _w.error);	\
	EXPECT_EQ(err, _w.error);						\
} while (0)

/*
 * fail_dma: the next host transfer fails. The job ends ERROR/DMA at the
 * failing command; a concurrent HBM-only job of another client on another
 * queue completes; the queue runs the next job normally.
 */
TEST_F(faults, fail_dma)
{
	struct pair p;
	uint32_t h1, h2, rb;
	uint8_t *prb;
	uint64_t id1, id2, id3;
	struct drm_dojo_job_wait w;
	char buf[32];

	ASSERT_EQ(0, make_pair(self->fd, 64 * 1024, 1, 0x11, &p));
	ASSERT_EQ(0, dt_bo_create(self->fd2, 64 * 1024, DRM_DOJO_PLACEMENT_HBM, &h1));
	ASSERT_EQ(0, dt_bo_create(self->fd2, 64 * 1024, DRM_DOJO_PLACEMENT_HBM, &h2));
	prb = dt_host_bo(self->fd2, 64 * 1024, &rb);
	ASSERT_NE(NULL, prb);

	ASSERT_EQ(0, dt_emu_write(EMU, "fail_dma", "1"));
	{
		uint32_t bos[] = { p.src, p.dst };
		struct drm_dojo_cmd cmds[] = {
			{ .op = DRM_DOJO_CMD_NOP },
			dt_copy(0, 0, 1, 0, p.len),
		};

		ASSERT_EQ(0, dt_submit(self->fd, 0, cmds, 2, bos, 2, &id1));
	}
	{
		/* HBM only: it moves no host data, so it cannot take the fault. */
		uint32_t bos[] = { h1, h2 };
		struct drm_dojo_cmd cmds[] = {
			dt_fill(0, 0, 64 * 1024, 0x76543210),
			dt_barrier(),
			dt_copy(0, 0, 1, 0, 64 * 1024),
		};

		ASSERT_EQ(0, dt_submit(self->fd2, 1, cmds, 3, bos, 2, &id2));
	}
	ASSERT_EQ(0, dt_wait(self->fd, id1, WAIT_MS, &w));
	EXPECT_EQ(DRM_DOJO_JOB_ERROR, w.status) TH_LOG("got %s", dt_status_name(w.status));
	EXPECT_EQ(DRM_DOJO_ERR_DMA, w.error);
	EXPECT_EQ(1, w.error_cmd);
	EXPECT_JOB(self->fd2, id2, DRM_DOJO_JOB_DONE, 0);
	ASSERT_LT(0, dt_emu_read(EMU, "fail_dma", buf, sizeof(buf)));
	EXPECT_EQ(0, atoi(buf)) TH_LOG("the fault was not taken");

	/* The same queue goes on. */
	memset(p.pd, 0x11, p.len);
	ASSERT_EQ(0, submit_copy(self->fd, 0, &p, &id3));
	EXPECT_JOB(self->fd, id3, DRM_DOJO_JOB_DONE, 0);
	EXPECT_EQ(-1, dt_diff(p.pd, p.ps, p.len));

	/* And the other client's HBM job really did its work. */
	{
		uint32_t bos[] = { h2, rb };
		struct drm_dojo_cmd c = dt_copy(0, 0, 1, 0, 64 * 1024);

		ASSERT_EQ(0, dt_submit(self->fd2, 1, &c, 1, bos, 2, &id2));
		EXPECT_JOB(self->fd2, id2, DRM_DOJO_JOB_DONE, 0);
		EXPECT_EQ(-1, dt_find_not_fill(prb, 64 * 1024, 0x76543210));
	}
}

/* fail_dma on a later command: error_cmd names it; nothing after it ran. */
TEST_F(faults, fail_dma_later_command)
{
	struct pair p;
	uint64_t id;
	struct drm_dojo_job_wait w;
	uint32_t h;

	ASSERT_EQ(0, make_pair(self->fd, 8192, 2, 0x22, &p));
	ASSERT_EQ(0, dt_bo_create(self->fd, 8192, DRM_DOJO_PLACEMENT_HBM, &h));
	{
		uint32_t bos[] = { p.src, p.dst, h };
		struct drm_dojo_cmd cmds[] = {
			dt_fill(2, 0, 8192, 1),		/* HBM: no host transfer */
			dt_copy(0, 0, 1, 0, 4096),	/* host: fails */
			dt_copy(0, 4096, 1, 4096, 4096),
		};

		ASSERT_EQ(0, dt_emu_write(EMU, "fail_dma", "1"));
		ASSERT_EQ(0, dt_submit(self->fd, 3, cmds, 3, bos, 3, &id));
	}
	ASSERT_EQ(0, dt_wait(self->fd, id, WAIT_MS, &w));
	EXPECT_EQ(DRM_DOJO_JOB_ERROR, w.status);
	EXPECT_EQ(DRM_DOJO_ERR_DMA, w.error);
	EXPECT_EQ(1, w.error_cmd);
	/* The job stopped at the failing command. */
	EXPECT_EQ(-1, dt_find_not(p.pd + 4096, 4096, 0x22))
		TH_LOG("a command after the failing one ran");
}

/* corrupt_cmd: the card sees a garbled opcode: ERROR/INVALID, no data. */
TEST_F(faults, corrupt_cmd)
{
	struct pair p;
	uint64_t id1, id2;
	struct drm_dojo_job_wait w;
	char buf[32];

	if (!dt_emu_has(EMU, "corrupt_cmd"))
		ASSERT_TRUE(0) TH_LOG("emulator has no corrupt_cmd");
	ASSERT_EQ(0, make_pair(self->fd, 3 * 4096 + 7, 3, 0x55, &p));
	ASSERT_EQ(0, dt_emu_write(EMU, "corrupt_cmd", "2"));
	ASSERT_EQ(0, submit_copy(self->fd, 2, &p, &id1));
	ASSERT_EQ(0, dt_wait(self->fd, id1, WAIT_MS, &w));
	EXPECT_EQ(DRM_DOJO_JOB_ERROR, w.status) TH_LOG("got %s", dt_status_name(w.status));
	EXPECT_EQ(DRM_DOJO_ERR_INVALID, w.error);
	EXPECT_EQ(0, w.error_cmd);
	EXPECT_EQ(-1, dt_find_not(p.pd, p.len, 0x55)) TH_LOG("a garbled command wrote");
	/* One job only, and the queue goes on. */
	ASSERT_LE(0, dt_emu_read(EMU, "corrupt_cmd", buf, sizeof(buf)));
	EXPECT_EQ(NULL, strchr(buf, '2')) TH_LOG("switch still set: %s", buf);
	ASSERT_EQ(0, submit_copy(self->fd, 2, &p, &id2));
	EXPECT_JOB(self->fd, id2, DRM_DOJO_JOB_DONE, 0);
	EXPECT_EQ(-1, dt_diff(p.pd, p.ps, p.len));
}

/*
 * A job whose in-fence failed: uapi.md says it ends ABORTED without
 * running ("a device reset, a failed dependency, or the card's removal
 * ended it"). A fails on the card (corrupt_cmd), B waits on A's syncobj.
 */
TEST_F(faults, failed_dependency)
{
	struct pair a, b;
	uint32_t sa;
	uint64_t ida, idb;
	struct drm_dojo_job_wait w;

	if (!dt_emu_has(EMU, "corrupt_cmd") || !dt_emu_has(EMU, "dma_latency_us"))
		ASSERT_TRUE(0) TH_LOG("emulator has no corrupt_cmd or dma_latency_us");
	ASSERT_EQ(0, make_pair(self->fd, 8192, 5, 0x44, &a));
	ASSERT_EQ(0, make_pair(self->fd, 8192, 6, 0x45, &b));
	ASSERT_EQ(0, drmSyncobjCreate(self->fd, 0, &sa));
	{
		uint32_t bos[] = { a.src, a.dst };
		struct drm_dojo_cmd c = dt_copy(0, 0, 1, 0, a.len);
		struct drm_dojo_submit s = {
			.queue = 2, .cmds = (uintptr_t)&c, .num_cmds = 1,
			.bo_handles = (uintptr_t)bos, .num_bos = 2,
			.out_sync = { .handle = sa },
		};
		int ret;

		/* A is held on the card a while, so that B really waits. */
		ASSERT_EQ(0, dt_emu_write(EMU, "corrupt_cmd", "2"));
		ASSERT_EQ(0, dt_emu_write(EMU, "dma_latency_us", "200000"));
		ret = dt_ioctl(self->fd, DRM_IOCTL_DOJO_SUBMIT, &s);
		if (!ret)
			ret = dt_emu_wait_busy(EMU, 2, 5000);
		dt_emu_write(EMU, "dma_latency_us", "0");
		ASSERT_EQ(0, ret);
		ida = s.job_id;
	}
	{
		uint32_t bos[] = { b.src, b.dst };
		struct drm_dojo_cmd c = dt_copy(0, 0, 1, 0, b.len);
		struct drm_dojo_sync in = { .handle = sa };
		struct drm_dojo_submit s = {
			.queue = 1, .cmds = (uintptr_t)&c, .num_cmds = 1,
			.bo_handles = (uintptr_t)bos, .num_bos = 2,
			.in_syncs = (uintptr_t)&in, .num_in_syncs = 1,
		};

		ASSERT_EQ(0, dt_ioctl(self->fd, DRM_IOCTL_DOJO_SUBMIT, &s));
		idb = s.job_id;
	}
	EXPECT_JOB(self->fd, ida, DRM_DOJO_JOB_ERROR, DRM_DOJO_ERR_INVALID);
	ASSERT_EQ(0, dt_wait(self->fd, idb, WAIT_MS, &w));
	EXPECT_EQ(DRM_DOJO_JOB_ABORTED, w.status)
		TH_LOG("a job whose dependency failed ended %s", dt_status_name(w.status));
	EXPECT_EQ(-1, dt_find_not(b.pd, b.len, 0x45))
		TH_LOG("a job whose dependency failed ran");
	drmSyncobjDestroy(self->fd, sa);
}

/*
 * corrupt_desc: the card cannot parse a descriptor and halts the queue.
 * The job ends (ERROR/INVALID, or TIMEOUT as uapi.md allows for a queue
 * reset) promptly, not after the job timeout; the jobs queued behind it
 * run; so do later ones.
 */
TEST_F(faults, corrupt_desc)
{
	struct pair p[3];
	uint64_t id[3], id4;
	struct drm_dojo_job_wait w;
	int64_t t0, ms;
	int i;

	if (!dt_emu_has(EMU, "corrupt_desc"))
		ASSERT_TRUE(0) TH_LOG("emulator has no corrupt_desc");
	for (i = 0; i < 3; i++)
		ASSERT_EQ(0, make_pair(self->fd, 20000 + i, 10 + i, 0x66, &p[i]));
	ASSERT_EQ(0, dt_emu_write(EMU, "corrupt_desc", "3"));
	t0 = dt_now_ns();
	for (i = 0; i < 3; i++)
		ASSERT_EQ(0, submit_copy(self->fd, 3, &p[i], &id[i]));
	ASSERT_EQ(0, dt_wait(self->fd, id[0], WAIT_MS, &w));
	ms = (dt_now_ns() - t0) / 1000000;
	TH_LOG("bad descriptor: %s error %u after %lld ms (job timeout %lld ms)",
	       dt_status_name(w.status), w.error, (long long)ms,
	       (long long)self->timeout_ms);
	EXPECT_TRUE((w.status == DRM_DOJO_JOB_ERROR && w.error == DRM_DOJO_ERR_INVALID) ||
		    (w.status == DRM_DOJO_JOB_TIMEOUT && w.error == 0));
	EXPECT_EQ(-1, dt_find_not(p[0].pd, p[0].len, 0x66));
	/* The halt interrupt starts recovery: no waiting for the timeout. */
	EXPECT_GT(self->timeout_ms, ms) TH_LOG("recovery waited for the job timeout");
	for (i = 1; i < 3; i++) {
		EXPECT_JOB(self->fd, id[i], DRM_DOJO_JOB_DONE, 0);
		EXPECT_EQ(-1, dt_diff(p[i].pd, p[i].ps, p[i].len))
			TH_LOG("job %d behind the bad descriptor", i);
	}
	memset(p[0].pd, 0, p[0].len);
	ASSERT_EQ(0, submit_copy(self->fd, 3, &p[0], &id4));
	EXPECT_JOB(self->fd, id4, DRM_DOJO_JOB_DONE, 0);
	EXPECT_EQ(-1, dt_diff(p[0].pd, p[0].ps, p[0].len));
}

/*
 * hang_queue: the job never completes. It ends TIMEOUT within the job
 * timeout; the jobs behind it on that queue then run (DONE); another
 * client's job on another queue is not held up meanwhile.
 */
TEST_F_TIMEOUT(faults, hang_queue, 60)
{
	struct pair p[3], o;
	uint64_t id[3], ido, id4;
	struct drm_dojo_job_wait w;
	int64_t t0, ms;
	long long timeouts0;
	char buf[32];
	int i;

	if (!dt_emu_has(EMU, "hang_queue"))
		ASSERT_TRUE(0) TH_LOG("emulator has no hang_queue");
	timeouts0 = dt_card_attr(EMU, "job_timeouts");
	ASSERT_LE(0, timeouts0) TH_LOG("no job_timeouts in sysfs");
	for (i = 0; i < 3; i++)
		ASSERT_EQ(0, make_pair(self->fd, 12345 + i, 20 + i, 0x77, &p[i]));
	ASSERT_EQ(0, make_pair(self->fd2, 30000, 30, 0x00, &o));

	ASSERT_EQ(0, dt_emu_write(EMU, "hang_queue", "1"));
	t0 = dt_now_ns();
	for (i = 0; i < 3; i++)
		ASSERT_EQ(0, submit_copy(self->fd, 1, &p[i], &id[i]));
	ASSERT_EQ(0, dt_emu_wait_busy(EMU, 1, 5000));

	/* Another client, another queue: not held up. */
	ASSERT_EQ(0, submit_copy(self->fd2, 0, &o, &ido));
	EXPECT_JOB(self->fd2, ido, DRM_DOJO_JOB_DONE, 0);
	EXPECT_EQ(-1, dt_diff(o.pd, o.ps, o.len));
	EXPECT_EQ(-ETIME, dt_wait(self->fd, id[0], 0, NULL))
		TH_LOG("the hung job ended before an unrelated one ran");

	ASSERT_EQ(0, dt_wait(self->fd, id[0], WAIT_MS, &w));
	ms = (dt_now_ns() - t0) / 1000000;
	TH_LOG("hung job: %s after %lld ms (job timeout %lld ms)",
	       dt_status_name(w.status), (long long)ms, (long long)self->timeout_ms);
	EXPECT_EQ(DRM_DOJO_JOB_TIMEOUT, w.status);
	EXPECT_EQ(0, w.error);
	EXPECT_LE(self->timeout_ms / 2, ms) TH_LOG("ended before the timeout");
	EXPECT_GE(2 * self->timeout_ms + 3000, ms) TH_LOG("ended long after the timeout");
	for (i = 1; i < 3; i++) {
		EXPECT_JOB(self->fd, id[i], DRM_DOJO_JOB_DONE, 0);
		EXPECT_EQ(-1, dt_diff(p[i].pd, p[i].ps, p[i].len))
			TH_LOG("job %d behind the hung one", i);
	}
	/* The queue reset cleared the switch; the queue works. */
	ASSERT_LE(0, dt_emu_read(EMU, "hang_queue", buf, sizeof(buf)));
	EXPECT_EQ(NULL, strchr(buf, '1')) TH_LOG("hang_queue still set: %s", buf);
	memset(p[0].pd, 0, p[0].len);
	ASSERT_EQ(0, submit_copy(self->fd, 1, &p[0], &id4));
	EXPECT_JOB(self->fd, id4, DRM_DOJO_JOB_DONE, 0);
	EXPECT_EQ(-1, dt_diff(p[0].pd, p[0].ps, p[0].len));
	{
		char st[2048];
		char path[PATH_MAX];

		snprintf(path, sizeof(path), "%s/status", self->dbg);
		ASSERT_LT(0, dt_read_file(path, st, sizeof(st)));
		EXPECT_NE(NULL, strstr(st, "queue1: timeouts 1"))
			TH_LOG("status: %s", st);
	}
	/* What monitoring reads without root. */
	EXPECT_EQ(timeouts0 + 1, dt_card_attr(EMU, "job_timeouts"));
}

/* ---- device reset ---------------------------------------------------------- */

/*
 * Collect uevents for accel<minor> until both OFFLINE and ONLINE arrived
 * or @ms passed. Sets bit 0 for offline, bit 1 for online, bit 2 if online
 * came after offline, bit 3 if they carried DOJO_RESET_REASON=@reason.
 */
static int uevent_reset_seen(int s, int minor, const char *reason, int ms)
{
	char want[64], buf[8192];
	int64_t end = dt_deadline_ms(ms);
	int seen = 0;

	snprintf(want, sizeof(want), "/accel/accel%d", minor);
	while ((seen & 3) != 3) {
		struct pollfd pfd = { .fd = s, .events = POLLIN };
		int left = (int)((end - dt_now_ns()) / 1000000);
		bool ours = false, offline = false, online = false, why = false;
		ssize_t n, off;

		if (left <= 0 || poll(&pfd, 1, left) <= 0)
			break;
		n = recv(s, buf, sizeof(buf) - 1, 0);
		if (n <= 0)
			break;
		buf[n] = '\0';
		for (off = 0; off < n; off += strlen(buf + off) + 1) {
			const char *kv = buf + off;

			if (!strncmp(kv, "ACTION=", 7)) {
				offline = !strcmp(kv + 7, "offline");
				online = !strcmp(kv + 7, "online");
			} else if (!strncmp(kv, "DEVPATH=", 8)) {
				const char *e = kv + strlen(kv) - strlen(want);

				ours = e >= kv && !strcmp(e, want);
			} else if (!strncmp(kv, "DOJO_RESET_REASON=", 18)) {
				why = !strcmp(kv + 18, reason);
			}
		}
		if (!ours)
			continue;
		if (offline)
			seen |= 1;
		if (online && (seen & 1))
			seen |= 4;
		if (online)
			seen |= 2;
		if ((offline || online) && why)
			seen |= 8;
	}
	return seen;
}

/*
 * The devcoredump the reset left for our card: read it, check it, clear
 * it, see it go. Returns the number of dumps found for the card.
 */
static int check_coredump(struct __test_metadata *_metadata, const char *reason)
{
	char path[PATH_MAX], link[PATH_MAX], dump[8192];
	struct dirent *de;
	int found = 0;
	DIR *d;

	d = opendir("/sys/class/devcoredump");
	if (!d)
		return 0;
	while ((de = readdir(d))) {
		char dir[512];
		ssize_t n;
		int i;

		if (strncmp(de->d_name, "devcd", 5))
			continue;
		snprintf(dir, sizeof(dir), "/sys/class/devcoredump/%s", de->d_name);
		snprintf(path, sizeof(path), "%s/failing_device", dir);
		n = readlink(path, link, sizeof(link) - 1);
		if (n < 0)
			continue;
		link[n] = '\0';
		if (!strstr(link, "dojo_emu.dip.0"))
			continue;
		found++;
		snprintf(path, sizeof(path), "%s/data", dir);
		n = dt_read_file(path, dump, sizeof(dump));
		EXPECT_LT(0, n);
		EXPECT_NE(NULL, strstr(dump, "dojo device coredump")) TH_LOG("%s", dump);
		EXPECT_NE(NULL, strstr(dump, reason)) TH_LOG("%s", dump);
		EXPECT_NE(NULL, strstr(dump, "serial: DIPEMU0000000000"));
		EXPECT_NE(NULL, strstr(dump, "queue 3:"));
		/* Writing anything to data frees the dump. */
		EXPECT_EQ(0, dt_write_file(path, "1"));
		for (i = 0; i < 100 && !access(dir, F_OK); i++)
			dt_sleep_ms(20);
		EXPECT_NE(0, access(dir, F_OK)) TH_LOG("%s not cleared", dir);
	}
	closedir(d);
	return found;
}

TEST_F_TIMEOUT(faults, device_reset, 60)
{
	const uint64_t hsz = 256 * 1024;
	struct pair p[8], keep;
	uint32_t hbm;
	uint64_t id[8], idk, idr;
	int i, q, aborted = 0, done = 0, s, seen, resets0;
	char path[PATH_MAX], st[2048], *rc;

	if (!dt_emu_has(EMU, "dma_latency_us"))
		ASSERT_TRUE(0) TH_LOG("emulator has no dma_latency_us");
	snprintf(path, sizeof(path), "%s/status", self->dbg);
	ASSERT_LT(0, dt_read_file(path, st, sizeof(st)));
	rc = strstr(st, "device_resets:");
	ASSERT_NE(NULL, rc);
	resets0 = atoi(rc + strlen("device_resets:"));

	/* HBM contents that must survive. */
	ASSERT_EQ(0, make_pair(self->fd2, hsz, 99, 0, &keep));
	ASSERT_EQ(0, dt_bo_create(self->fd2, hsz, DRM_DOJO_PLACEMENT_HBM, &hbm));
	{
		uint32_t bos[] = { keep.src, hbm };
		struct drm_dojo_cmd c = dt_copy(0, 0, 1, 0, hsz);

		ASSERT_EQ(0, dt_submit(self->fd2, 0, &c, 1, bos, 2, &idk));
		EXPECT_JOB(self->fd2, idk, DRM_DOJO_JOB_DONE, 0);
	}

	s = dt_uevent_open();
	if (s < 0)
		TH_LOG("no uevent socket (%s): not checking uevents", strerror(-s));

	/* Two jobs per queue, the first of each held on the card. */
	for (i = 0; i < 8; i++)
		ASSERT_EQ(0, make_pair(self->fd, 8192 + i, 40 + i, 0x88, &p[i]));
	ASSERT_EQ(0, dt_emu_write(EMU, "dma_latency_us", "400000"));
	for (i = 0; i < 8; i++)
		ASSERT_EQ(0, submit_copy(self->fd, i % 4, &p[i], &id[i]));
	for (q = 0; q < 4; q++)
		ASSERT_EQ(0, dt_emu_wait_busy(EMU, q, 5000));

	snprintf(path, sizeof(path), "%s/reset", self->dbg);
	ASSERT_EQ(0, dt_write_file(path, "1"));
	ASSERT_EQ(0, dt_emu_write(EMU, "dma_latency_us", "0"));

	for (i = 0; i < 8; i++) {
		struct drm_dojo_job_wait w;

		ASSERT_EQ(0, dt_wait(self->fd, id[i], WAIT_MS, &w));
		if (w.status == DRM_DOJO_JOB_ABORTED) {
			aborted++;
		} else {
			EXPECT_EQ(DRM_DOJO_JOB_DONE, w.status)
				TH_LOG("job %d: %s", i, dt_status_name(w.status));
			EXPECT_EQ(-1, dt_diff(p[i].pd, p[i].ps, p[i].len));
			done++;
		}
		EXPECT_EQ(0, w.error);
	}
	TH_LOG("after the reset: %d aborted, %d done", aborted, done);
	EXPECT_LE(4, aborted) TH_LOG("jobs held on the card were not aborted");

	/* The card works, and HBM kept its contents. */
	for (i = 0; i < 4; i++) {
		memset(p[i].pd, 0, p[i].len);
		ASSERT_EQ(0, submit_copy(self->fd, i, &p[i], &id[i]));
	}
	for (i = 0; i < 4; i++) {
		EXPECT_JOB(self->fd, id[i], DRM_DOJO_JOB_DONE, 0);
		EXPECT_EQ(-1, dt_diff(p[i].pd, p[i].ps, p[i].len));
	}
	{
		uint32_t bos[] = { hbm, keep.dst };
		struct drm_dojo_cmd c = dt_copy(0, 0, 1, 0, hsz);

		ASSERT_EQ(0, dt_submit(self->fd2, 2, &c, 1, bos, 2, &idr));
		EXPECT_JOB(self->fd2, idr, DRM_DOJO_JOB_DONE, 0);
		EXPECT_EQ(-1, dt_diff(keep.pd, keep.ps, hsz)) TH_LOG("HBM lost data");
	}

	snprintf(path, sizeof(path), "%s/status", self->dbg);
	ASSERT_LT(0, dt_read_file(path, st, sizeof(st)));
	rc = strstr(st, "device_resets:");
	ASSERT_NE(NULL, rc);
	EXPECT_EQ(resets0 + 1, atoi(rc + strlen("device_resets:")));
	EXPECT_EQ(resets0 + 1, dt_card_attr(EMU, "device_resets"));

	if (s >= 0) {
		seen = uevent_reset_seen(s, self->minor, "requested through debugfs",
					 3000);
		EXPECT_TRUE(seen & 1) TH_LOG("no OFFLINE uevent");
		EXPECT_TRUE(seen & 2) TH_LOG("no ONLINE uevent");
		EXPECT_TRUE(seen & 4) TH_LOG("ONLINE came before OFFLINE");
		EXPECT_TRUE(seen & 8) TH_LOG("no DOJO_RESET_REASON");
		close(s);
	}

	if (dt_read_num("/sys/class/devcoredump/disabled") == 1) {
		TH_LOG("devcoredump disabled: not checking the dump");
		return;
	}
	EXPECT_EQ(1, check_coredump(_metadata, "reason: requested through debugfs"));
}

/* A fatal error interrupt resets the card; it works again afterwards. */
TEST_F_TIMEOUT(faults, fatal_error_resets, 60)
{
	struct pair p;
	uint64_t id;
	int s, seen;

	if (!dt_emu_has(EMU, "inject_fatal"))
		ASSERT_TRUE(0) TH_LOG("emulator has no inject_fatal");
	ASSERT_EQ(0, make_pair(self->fd, 10000, 77, 0, &p));
	s = dt_uevent_open();
	ASSERT_LE(0, s);
	ASSERT_EQ(0, dt_emu_write(EMU, "inject_fatal", "1"));
	seen = uevent_reset_seen(s, self->minor, "fatal error interrupt", 10000);
	close(s);
	EXPECT_EQ(15, seen) TH_LOG("uevents seen: 0x%x", seen);
	ASSERT_EQ(0, submit_copy(self->fd, 0, &p, &id));
	EXPECT_JOB(self->fd, id, DRM_DOJO_JOB_DONE, 0);
	EXPECT_EQ(-1, dt_diff(p.pd, p.ps, p.len));
	if (dt_read_num("/sys/class/devcoredump/disabled") != 1)
		EXPECT_EQ(1, check_coredump(_metadata, "reason: fatal error interrupt"));
}

/* ---- dependencies on the same queue ------------------------------------------ */

/*
 * A job that waits on a failed job of its own queue never reaches the
 * card and ends ABORTED: from the same client (same scheduler entity) and
 * from another client (same scheduler, another entity).
 */
static void same_queue_dependency(struct __test_metadata *_metadata,
				  FIXTURE_DATA(faults) *self, int fd_b)
{
	struct pair a, b;
	uint32_t sa, sb;
	uint64_t ida, idb;
	struct drm_dojo_job_wait w;
	int fdx;

	ASSERT_EQ(0, make_pair(self->fd, 8192, 5, 0x44, &a));
	ASSERT_EQ(0, make_pair(fd_b, 8192, 6, 0x45, &b));
	ASSERT_EQ(0, drmSyncobjCreate(self->fd, 0, &sa));
	{
		uint32_t bos[] = { a.src, a.dst };
		struct drm_dojo_cmd c = dt_copy(0, 0, 1, 0, a.len);
		struct drm_dojo_submit s = {
			.queue = 2, .cmds = (uintptr_t)&c, .num_cmds = 1,
			.bo_handles = (uintptr_t)bos, .num_bos = 2,
			.out_sync = { .handle = sa },
		};
		int ret;

		ASSERT_EQ(0, dt_emu_write(EMU, "corrupt_cmd", "2"));
		ASSERT_EQ(0, dt_emu_write(EMU, "dma_latency_us", "200000"));
		ret = dt_ioctl(self->fd, DRM_IOCTL_DOJO_SUBMIT, &s);
		if (!ret)
			ret = dt_emu_wait_busy(EMU, 2, 5000);
		dt_emu_write(EMU, "dma_latency_us", "0");
		ASSERT_EQ(0, ret);
		ida = s.job_id;
	}
	/* The other client learns of A through a shared syncobj. */
	sb = sa;
	if (fd_b != self->fd) {
		ASSERT_EQ(0, drmSyncobjHandleToFD(self->fd, sa, &fdx));
		ASSERT_EQ(0, drmSyncobjFDToHandle(fd_b, fdx, &sb));
		close(fdx);
	}
	{
		uint32_t bos[] = { b.src, b.dst };
		struct drm_dojo_cmd c = dt_copy(0, 0, 1, 0, b.len);
		struct drm_dojo_sync in = { .handle = sb };
		struct drm_dojo_submit s = {
			.queue = 2, .cmds = (uintptr_t)&c, .num_cmds = 1,
			.bo_handles = (uintptr_t)bos, .num_bos = 2,
			.in_syncs = (uintptr_t)&in, .num_in_syncs = 1,
		};

		ASSERT_EQ(0, dt_ioctl(fd_b, DRM_IOCTL_DOJO_SUBMIT, &s));
		idb = s.job_id;
	}
	EXPECT_JOB(self->fd, ida, DRM_DOJO_JOB_ERROR, DRM_DOJO_ERR_INVALID);
	ASSERT_EQ(0, dt_wait(fd_b, idb, WAIT_MS, &w));
	EXPECT_EQ(DRM_DOJO_JOB_ABORTED, w.status)
		TH_LOG("a job whose dependency on its own queue failed ended %s",
		       dt_status_name(w.status));
	EXPECT_EQ(-1, dt_find_not(b.pd, b.len, 0x45))
		TH_LOG("a job whose dependency failed ran");
	drmSyncobjDestroy(self->fd, sa);
	if (fd_b != self->fd)
		drmSyncobjDestroy(fd_b, sb);
}

TEST_F(faults, failed_dependency_same_queue_same_client)
{
	same_queue_dependency(_metadata, self, self->fd);
}

TEST_F(faults, failed_dependency_same_queue_other_client)
{
	same_queue_dependency(_metadata, self, self->fd2);
}

/* HBM in use on our card, from sysfs. */
static int wait_hbm_idle(int ms)
{
	int64_t end = dt_deadline_ms(ms);

	while (dt_card_attr(EMU, "hbm_used_bytes") != 0) {
		if (dt_now_ns() > end)
			return -ETIME;
		dt_sleep_ms(20);
	}
	return 0;
}

/*
 * A client's data in HBM, freed; the range goes to another client, whose
 * buffer the card must clear first. Here the clearing hangs and times
 * out: the new owner's jobs on every queue, including the queue of the
 * clearing itself, end ABORTED and read nothing of the old data.
 */
TEST_F_TIMEOUT(faults, failed_scrub_hides_old_hbm, 60)
{
	const uint64_t len = 1 << 20;
	struct pair out[4];
	uint32_t old, fresh;
	uint64_t id, ids[4];
	int q;

	ASSERT_EQ(0, wait_hbm_idle(10000)) TH_LOG("HBM still in use");
	/* The first range drm_mm hands out in an empty HBM starts at 0. */
	ASSERT_EQ(0, dt_bo_create(self->fd, len, DRM_DOJO_PLACEMENT_HBM, &old));
	{
		uint32_t bos[] = { old };
		struct drm_dojo_cmd c = dt_fill(0, 0, len, 0x5ec2e75a);

		ASSERT_EQ(0, dt_submit(self->fd, 1, &c, 1, bos, 1, &id));
		EXPECT_JOB(self->fd, id, DRM_DOJO_JOB_DONE, 0);
	}
	ASSERT_EQ(0, dt_gem_close(self->fd, old));
	ASSERT_EQ(0, wait_hbm_idle(10000));

	/* HBM at 0 is cleared on queue 0, see dojo_job_scrub_hbm(). */
	ASSERT_EQ(0, dt_emu_write(EMU, "hang_queue", "0"));
	ASSERT_EQ(0, dt_bo_create(self->fd2, len, DRM_DOJO_PLACEMENT_HBM, &fresh));
	ASSERT_EQ(0, dt_emu_wait_busy(EMU, 0, 5000))
		TH_LOG("the clearing of the new buffer did not start on queue 0");
	for (q = 0; q < 4; q++) {
		uint32_t bos[2];
		struct drm_dojo_cmd c = dt_copy(0, 0, 1, 0, len);

		ASSERT_EQ(0, make_pair(self->fd2, len, 70 + q, 0x00, &out[q]));
		bos[0] = fresh;
		bos[1] = out[q].dst;
		ASSERT_EQ(0, dt_submit(self->fd2, q, &c, 1, bos, 2, &ids[q]));
	}
	for (q = 0; q < 4; q++) {
		struct drm_dojo_job_wait w;

		ASSERT_EQ(0, dt_wait(self->fd2, ids[q], WAIT_MS, &w));
		EXPECT_EQ(DRM_DOJO_JOB_ABORTED, w.status)
			TH_LOG("queue %d: a job using an uncleared buffer ended %s",
			       q, dt_status_name(w.status));
		EXPECT_EQ(-1, dt_find_not(out[q].pd, len, 0x00))
			TH_LOG("queue %d: the previous owner's data leaked", q);
	}
}

/* ---- resets must not hit healthy work ----------------------------------------- */

/*
 * The card finishes job X but its interrupt is late (irq_delay_ms), past
 * the job timeout, while job Y behind X has run two of its commands and
 * then hangs. The timeout finds X done on the card: it must not reset the
 * queue under Y, and Y, once it times out itself, must not be run again
 * from its first command (which would copy B after the second command
 * zeroed it). Y ends TIMEOUT and C holds what B held.
 */
TEST_F_TIMEOUT(faults, late_interrupt_keeps_started_job, 90)
{
	const uint64_t len = 65536;
	uint32_t hb, hc;
	uint8_t *pb, *pc, *orig;
	uint64_t idx, idy;
	struct drm_dojo_job_wait w;

	if (!dt_emu_has(EMU, "irq_delay_ms") || !dt_emu_has(EMU, "hang_at_cmd"))
		ASSERT_TRUE(0) TH_LOG("emulator has no irq_delay_ms or hang_at_cmd");
	pb = dt_host_bo(self->fd, len, &hb);
	pc = dt_host_bo(self->fd, len, &hc);
	ASSERT_NE(NULL, pb);
	ASSERT_NE(NULL, pc);
	orig = malloc(len);
	ASSERT_NE(NULL, orig);
	dt_random(pb, len, 123);
	memcpy(orig, pb, len);
	memset(pc, 0xcc, len);

	{
		char ms[32];

		snprintf(ms, sizeof(ms), "%lld", (long long)self->timeout_ms * 3);
		ASSERT_EQ(0, dt_emu_write(EMU, "irq_delay_ms", ms));
	}
	ASSERT_EQ(0, dt_emu_write(EMU, "hang_at_cmd", "2"));
	{
		struct drm_dojo_cmd nop = { .op = DRM_DOJO_CMD_NOP };

		ASSERT_EQ(0, dt_submit(self->fd, 1, &nop, 1, NULL, 0, &idx));
	}
	{
		uint32_t bos[] = { hb, hc };
		struct drm_dojo_cmd c[] = {
			dt_copy(0, 0, 1, 0, len),
			dt_fill(0, 0, len, 0),
			{ .op = DRM_DOJO_CMD_NOP },
		};

		ASSERT_EQ(0, dt_submit(self->fd, 1, c, 3, bos, 2, &idy));
	}
	ASSERT_EQ(0, dt_wait(self->fd, idy, WAIT_MS, &w));
	dt_emu_write(EMU, "irq_delay_ms", "0");
	dt_emu_write(EMU, "hang_at_cmd", "0");
	EXPECT_JOB(self->fd, idx, DRM_DOJO_JOB_DONE, 0);
	EXPECT_EQ(DRM_DOJO_JOB_TIMEOUT, w.status)
		TH_LOG("the job that hung ended %s", dt_status_name(w.status));
	EXPECT_EQ(-1, dt_diff(pc, orig, len))
		TH_LOG("a started job was run again from its first command");
	EXPECT_EQ(-1, dt_find_not(pb, len, 0)) TH_LOG("its second command did not run");
	free(orig);
}

/* ---- a card that does not come back ------------------------------------------ */

/*
 * A device reset that fails leaves the card wedged: sysfs says so, a
 * WEDGED uevent tells userspace, submissions fail with EIO instead of
 * queueing on a dead card. A later reset that succeeds brings it back.
 */
TEST_F_TIMEOUT(faults, failed_reset_wedges, 90)
{
	struct drm_dojo_cmd nop = { .op = DRM_DOJO_CMD_NOP };
	char path[PATH_MAX], state[64];
	uint64_t id;
	int s;

	if (!dt_emu_has(EMU, "reset_hang"))
		ASSERT_TRUE(0) TH_LOG("emulator has no reset_hang");
	snprintf(path, sizeof(path), "/sys/class/accel/accel%d/device/dojo/state",
		 self->minor);
	ASSERT_LT(0, dt_read_file(path, state, sizeof(state))) TH_LOG("no %s", path);
	EXPECT_STREQ("online\n", state);

	s = dt_uevent_open();
	ASSERT_LE(0, s);
	ASSERT_EQ(0, dt_emu_write(EMU, "reset_hang", "1"));
	snprintf(path, sizeof(path), "%s/reset", self->dbg);
	ASSERT_EQ(0, dt_write_file(path, "1"));
	EXPECT_EQ(1, dt_uevent_seen(s, self->minor, "change", "WEDGED=rebind", 10000))
		TH_LOG("no WEDGED uevent");
	close(s);
	snprintf(path, sizeof(path), "/sys/class/accel/accel%d/device/dojo/state",
		 self->minor);
	ASSERT_LT(0, dt_read_file(path, state, sizeof(state)));
	EXPECT_STREQ("wedged\n", state);
	EXPECT_EQ(-EIO, dt_submit(self->fd, 0, &nop, 1, NULL, 0, &id));

	/* The way out: a reset that works. */
	ASSERT_EQ(0, dt_emu_write(EMU, "reset_hang", "0"));
	snprintf(path, sizeof(path), "%s/reset", self->dbg);
	ASSERT_EQ(0, dt_write_file(path, "1"));
	snprintf(path, sizeof(path), "/sys/class/accel/accel%d/device/dojo/state",
		 self->minor);
	ASSERT_LT(0, dt_read_file(path, state, sizeof(state)));
	EXPECT_STREQ("online\n", state);
	ASSERT_EQ(0, dt_submit(self->fd, 0, &nop, 1, NULL, 0, &id));
	EXPECT_EQ(DRM_DOJO_JOB_DONE, dt_status(self->fd, id, WAIT_MS));
}

TEST_HARNESS_MAIN
