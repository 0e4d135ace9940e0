// SPDX-License-Identifier: GPL-2.0-only
/*
 * Nothing leaks when a client dies or the card goes away:
 *  - a process SIGKILLed while its job hangs on the card, or while many
 *    big copies are queued: HBM and host accounting return to where they
 *    were, the queues drain and keep working (and the wrapper checks that
 *    the modules unload cleanly afterwards);
 *  - an emulated card deleted while jobs are queued and hung: the process
 *    waiting for a job gets ABORTED or ENODEV promptly instead of hanging,
 *    every later ioctl gets ENODEV, its mmaps of host buffers raise SIGBUS,
 *    and closing the file works; a card created again works;
 *  - a card removed after a reset drops its devcoredump, which otherwise
 *    holds the device (and dojo_emu's unload) for five minutes.
 *
 * Expects two emulated cards and a short job timeout (cleanup_test.sh).
 */
#include <setjmp.h>
#include <signal.h>
#include <sys/wait.h>

#include "dojo_test.h"
#include "kselftest_harness.h"

#define WAIT_MS		30000
#define EMU		0
#define EMU_DEL		1	/* the card these tests delete and re-create */

FIXTURE(cleanup) {
	int fd;			/* the test's own file on card EMU */
	struct drm_dojo_memory_info base;
};

FIXTURE_SETUP(cleanup)
{
	ASSERT_EQ(0, dt_card_create(EMU_DEL));
	self->fd = dt_open_card(EMU);
	ASSERT_LE(0, self->fd);
	ASSERT_EQ(0, dt_memory(self->fd, &self->base));
}

FIXTURE_TEARDOWN(cleanup)
{
	EXPECT_EQ(0, close(self->fd));
	dt_card_create(EMU_DEL);
}

/* Wait until HBM and host accounting are back at @base; 0 or -ETIME. */
static int wait_accounting(int fd, const struct drm_dojo_memory_info *base,
			   int ms, struct drm_dojo_memory_info *now)
{
	int64_t end = dt_deadline_ms(ms);

	do {
		if (dt_memory(fd, now))
			return -EIO;
		if (now->hbm_used == base->hbm_used &&
		    now->host_used == base->host_used)
			return 0;
		dt_sleep_ms(50);
	} while (dt_now_ns() < end);
	return -ETIME;
}

/* Wait until no emulated queue of card @emu holds a job. */
static int wait_queues_idle(int emu, int ms)
{
	int64_t end = dt_deadline_ms(ms);
	unsigned int q;

	do {
		for (q = 0; q < 4; q++) {
			long st = dt_emu_queue_status(emu, q);

			if (st < 0 || (st & 1))
				break;
		}
		if (q == 4)
			return 0;
		dt_sleep_ms(50);
	} while (dt_now_ns() < end);
	return -ETIME;
}

/* Number of emulated queues of card @emu holding a job, minus one. */
static int busy_queues(int emu)
{
	unsigned int q;
	int n = -1;

	for (q = 0; q < 4; q++)
		if (dt_emu_queue_status(emu, q) > 0 &&
		    (dt_emu_queue_status(emu, q) & 1))
			n++;
	return n;
}

/*
 * The victim: buffers, then jobs (the first on queue 1 hangs if @hang), then
 * a byte on @ready_fd; then it waits to be killed.
 */
static void victim(int ready_fd, int jobs_per_queue)
{
	const uint64_t sz = 4 * DT_MIB;
	uint32_t s, h, d;
	uint8_t *ps, *pd;
	int fd, q, i;

	fd = dt_open_card(EMU);
	if (fd < 0)
		_exit(1);
	ps = dt_host_bo(fd, sz, &s);
	pd = dt_host_bo(fd, sz, &d);
	if (!ps || !pd || dt_bo_create(fd, sz, DRM_DOJO_PLACEMENT_HBM, &h))
		_exit(2);
	dt_random(ps, sz, 5);
	memset(pd, 0, sz);
	for (i = 0; i < jobs_per_queue; i++) {
		for (q = 0; q < 4; q++) {
			uint32_t bos[] = { s, h, d };
			struct drm_dojo_cmd cmds[] = {
				dt_copy(0, 0, 1, 0, sz),
				dt_barrier(),
				dt_copy(1, 0, 2, 0, sz),
			};

			if (dt_submit(fd, q, cmds, 3, bos, 3, NULL))
				_exit(3);
		}
	}
	if (write(ready_fd, "r", 1) != 1)
		_exit(4);
	for (;;)
		pause();
}

static void kill_mid_job(struct __test_metadata *_metadata,
			 FIXTURE_DATA(cleanup) *self, bool hang, int jobs)
{
	struct drm_dojo_memory_info now;
	int pipefd[2], status, ret;
	uint64_t id;
	int64_t t0;
	pid_t pid;
	char c;

	ASSERT_EQ(0, self->base.hbm_used) TH_LOG("HBM in use before the test");
	/*
	 * Hold the victim's jobs on the card: the one on queue 1 hangs (not
	 * queue 0, which the driver uses to clear new HBM buffers), or
	 * each waits dma_latency_us before it starts (the card is far too
	 * fast for big copies alone to be in flight at the kill).
	 */
	if (hang) {
		ASSERT_EQ(0, dt_emu_write(EMU, "hang_queue", "1"));
	} else {
		ASSERT_EQ(0, dt_emu_write(EMU, "dma_latency_us", "300000"));
	}
	ASSERT_EQ(0, pipe(pipefd));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		close(pipefd[0]);
		victim(pipefd[1], jobs);
	}
	close(pipefd[1]);
	ASSERT_EQ(1, read(pipefd[0], &c, 1)) TH_LOG("the victim failed to set up");
	close(pipefd[0]);
	if (hang) {
		EXPECT_EQ(0, dt_emu_wait_busy(EMU, 1, 5000));
	} else {
		/*
		 * Every queue holds a job of the victim at some point; watch
		 * them together, since a queue whose jobs waited for a buffer
		 * clearing on another queue starts later and may end sooner.
		 */
		int64_t end = dt_deadline_ms(5000);
		unsigned int q, seen = 0;

		do {
			for (q = 0; q < 4; q++) {
				long st = dt_emu_queue_status(EMU, q);

				if (st > 0 && (st & 1))
					seen |= 1u << q;
			}
			if (seen == 0xf)
				break;
			dt_sleep_ms(2);
		} while (dt_now_ns() < end);
		EXPECT_EQ(0xfu, seen) TH_LOG("queues seen busy: %#x", seen);
	}

	/* Its buffers are accounted while it lives. */
	ASSERT_EQ(0, dt_memory(self->fd, &now));
	EXPECT_EQ(self->base.hbm_used + 4 * DT_MIB, now.hbm_used);
	EXPECT_EQ(self->base.host_used + 8 * DT_MIB, now.host_used);

	{
		char tbl[2048];

		if (dt_emu_read(EMU, "dma_queues", tbl, sizeof(tbl)) > 0)
			TH_LOG("at the kill:\n%s", tbl);
	}
	EXPECT_LE(0, busy_queues(EMU)) TH_LOG("no job of the victim was on the card");
	ASSERT_EQ(0, kill(pid, SIGKILL));
	t0 = dt_now_ns();
	dt_emu_write(EMU, "dma_latency_us", "0");
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	TH_LOG("the killed process was reaped after %lld ms",
	       (long long)((dt_now_ns() - t0) / 1000000));

	ret = wait_accounting(self->fd, &self->base, 20000, &now);
	EXPECT_EQ(0, ret) TH_LOG("after the kill: hbm_used %llu host_used %llu, expected %llu %llu",
				 (unsigned long long)now.hbm_used,
				 (unsigned long long)now.host_used,
				 (unsigned long long)self->base.hbm_used,
				 (unsigned long long)self->base.host_used);
	TH_LOG("accounting back after %lld ms",
	       (long long)((dt_now_ns() - t0) / 1000000));
	EXPECT_EQ(0, wait_queues_idle(EMU, 20000)) TH_LOG("a queue stays busy");

	/* Every queue still works. */
	{
		uint32_t a, b;
		uint8_t *pa = dt_host_bo(self->fd, 8192, &a);
		uint8_t *pb = dt_host_bo(self->fd, 8192, &b);
		unsigned int q;

		ASSERT_NE(NULL, pa);
		ASSERT_NE(NULL, pb);
		for (q = 0; q < 4; q++) {
			uint32_t bos[] = { a, b };
			struct drm_dojo_cmd cmd = dt_copy(0, 0, 1, 0, 8192);

			dt_random(pa, 8192, q);
			ASSERT_EQ(0, dt_submit(self->fd, q, &cmd, 1, bos, 2, &id));
			EXPECT_EQ(DRM_DOJO_JOB_DONE, dt_status(self->fd, id, WAIT_MS));
			EXPECT_EQ(-1, dt_diff(pa, pb, 8192));
		}
		munmap(pa, 8192);
		munmap(pb, 8192);
		dt_gem_close(self->fd, a);
		dt_gem_close(self->fd, b);
	}
}

TEST_F_TIMEOUT(cleanup, sigkill_while_job_hangs, 60)
{
	if (!dt_emu_has(EMU, "hang_queue"))
		ASSERT_TRUE(0) TH_LOG("emulator has no hang_queue");
	kill_mid_job(_metadata, self, true, 2);
}

TEST_F_TIMEOUT(cleanup, sigkill_with_big_copies_queued, 90)
{
	if (!dt_emu_has(EMU, "dma_latency_us"))
		ASSERT_TRUE(0) TH_LOG("emulator has no dma_latency_us");
	kill_mid_job(_metadata, self, false, 6);
}

/* ---- the card goes away ---------------------------------------------------- */

static sigjmp_buf bus_env;

static void on_sigbus(int sig)
{
	(void)sig;
	siglongjmp(bus_env, 1);
}

/* Reading @p raises SIGBUS: 1, reads fine: 0. */
static int touch_faults(volatile uint8_t *p)
{
	struct sigaction sa = { .sa_handler = on_sigbus }, old;
	int faulted = 0;

	sigemptyset(&sa.sa_mask);
	sigaction(SIGBUS, &sa, &old);
	if (sigsetjmp(bus_env, 1) == 0)
		(void)*p;
	else
		faulted = 1;
	sigaction(SIGBUS, &old, NULL);
	return faulted;
}

TEST_F_TIMEOUT(cleanup, card_deleted_with_jobs, 60)
{
	uint32_t m, h, s;
	uint8_t *pm;
	uint64_t id1, id2, id3;
	struct drm_dojo_job_wait w;
	int fd, i, status, ret;
	int64_t t0, ms;
	pid_t pid;

	if (!dt_emu_has(EMU_DEL, "hang_queue"))
		ASSERT_TRUE(0) TH_LOG("emulator has no hang_queue");
	fd = dt_open_card(EMU_DEL);
	ASSERT_LE(0, fd);
	pm = dt_host_bo(fd, 65536, &m);
	ASSERT_NE(NULL, pm);
	memset(pm, 0x3c, 65536);
	ASSERT_NE(NULL, dt_host_bo(fd, 65536, &s));
	ASSERT_EQ(0, dt_bo_create(fd, 65536, DRM_DOJO_PLACEMENT_HBM, &h));
	{
		uint32_t bos[] = { m, h, s };
		struct drm_dojo_cmd c = dt_copy(0, 0, 1, 0, 65536);
		struct drm_dojo_cmd c2 = dt_copy(1, 0, 2, 0, 65536);

		ASSERT_EQ(0, dt_submit(fd, 1, &c, 1, bos, 3, &id3));
		ASSERT_EQ(DRM_DOJO_JOB_DONE, dt_status(fd, id3, WAIT_MS));
		ASSERT_EQ(0, dt_emu_write(EMU_DEL, "hang_queue", "0"));
		ASSERT_EQ(0, dt_submit(fd, 0, &c, 1, bos, 3, &id1));
		ASSERT_EQ(0, dt_submit(fd, 0, &c2, 1, bos, 3, &id2));
		ASSERT_EQ(0, dt_emu_wait_busy(EMU_DEL, 0, 5000));
	}

	/* A waiter on the queued job, in another process sharing the file. */
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		struct drm_dojo_job_wait cw;
		int r = dt_wait(fd, id2, 20000, &cw);

		if (r == -ENODEV)
			_exit(10);
		if (r)
			_exit(20 + (-r & 0x3f));
		_exit(cw.status);
	}
	dt_sleep_ms(200);

	t0 = dt_now_ns();
	ASSERT_EQ(0, dt_card_delete(EMU_DEL));
	ms = (dt_now_ns() - t0) / 1000000;
	TH_LOG("del_device took %lld ms", (long long)ms);
	EXPECT_GT(10000, ms);

	for (i = 0; i < 200; i++) {
		ret = waitpid(pid, &status, WNOHANG);
		if (ret)
			break;
		dt_sleep_ms(50);
	}
	if (!ret) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		ASSERT_TRUE(false) TH_LOG("the waiter still hangs 10 s after the card left");
	}
	ASSERT_TRUE(WIFEXITED(status));
	TH_LOG("the waiter saw %s", WEXITSTATUS(status) == 10 ? "ENODEV" :
	       dt_status_name(WEXITSTATUS(status) < 20 ? WEXITSTATUS(status) :
			      -(WEXITSTATUS(status) - 20)));
	EXPECT_TRUE(WEXITSTATUS(status) == DRM_DOJO_JOB_ABORTED ||
		    WEXITSTATUS(status) == 10);

	/* The hung job ended too, one way or another. */
	ret = dt_wait(fd, id1, 5000, &w);
	EXPECT_TRUE(ret == -ENODEV ||
		    (!ret && (w.status == DRM_DOJO_JOB_ABORTED ||
			      w.status == DRM_DOJO_JOB_TIMEOUT)))
		TH_LOG("hung job: %s", ret ? strerror(-ret) : dt_status_name(w.status));
	/* A finished job's status is still what it was (or ENODEV). */
	ret = dt_wait(fd, id3, 0, &w);
	EXPECT_TRUE(ret == -ENODEV || (!ret && w.status == DRM_DOJO_JOB_DONE));

	/* Everything else is ENODEV. */
	{
		uint32_t bos[] = { m, s };
		struct drm_dojo_cmd c = dt_copy(0, 0, 1, 0, 16);
		uint32_t nh;

		EXPECT_EQ(-ENODEV, dt_submit(fd, 1, &c, 1, bos, 2, NULL));
		EXPECT_EQ(-ENODEV, dt_bo_create(fd, 4096, DRM_DOJO_PLACEMENT_HOST, &nh));
	}
	/* The mapping is revoked. */
	EXPECT_EQ(1, touch_faults(pm)) TH_LOG("a mapping outlived its card");
	EXPECT_EQ(1, touch_faults(pm + 65535));

	EXPECT_EQ(0, close(fd));
	munmap(pm, 65536);

	/* The same id makes a working card again. */
	ASSERT_EQ(0, dt_card_create(EMU_DEL));
	fd = dt_open_card(EMU_DEL);
	ASSERT_LE(0, fd);
	{
		uint32_t a, b;
		uint8_t *pa = dt_host_bo(fd, 4096, &a), *pb = dt_host_bo(fd, 4096, &b);
		struct drm_dojo_cmd c = dt_copy(0, 0, 1, 0, 4096);
		uint32_t bos[2];
		uint64_t id;

		ASSERT_NE(NULL, pa);
		ASSERT_NE(NULL, pb);
		bos[0] = a;
		bos[1] = b;
		dt_random(pa, 4096, 1);
		ASSERT_EQ(0, dt_submit(fd, 0, &c, 1, bos, 2, &id));
		EXPECT_EQ(DRM_DOJO_JOB_DONE, dt_status(fd, id, WAIT_MS));
		EXPECT_EQ(-1, dt_diff(pa, pb, 4096));
	}
	close(fd);
}

/* Paths of the devcoredumps whose failing device is dojo_emu.dip.<id>. */
static int find_coredumps(int id, char (*dirs)[512], int max)
{
	char want[32], path[512], link[PATH_MAX];
	struct dirent *de;
	int n = 0;
	DIR *d;

	snprintf(want, sizeof(want), "dojo_emu.dip.%d", id);
	d = opendir("/sys/class/devcoredump");
	if (!d)
		return 0;
	while ((de = readdir(d)) && n < max) {
		ssize_t len;
		const char *base;

		if (strncmp(de->d_name, "devcd", 5))
			continue;
		snprintf(path, sizeof(path), "/sys/class/devcoredump/%s/failing_device",
			 de->d_name);
		len = readlink(path, link, sizeof(link) - 1);
		if (len < 0)
			continue;
		link[len] = '\0';
		base = strrchr(link, '/');
		if (base && !strcmp(base + 1, want))
			snprintf(dirs[n++], 512, "/sys/class/devcoredump/%s", de->d_name);
	}
	closedir(d);
	return n;
}

TEST_F_TIMEOUT(cleanup, coredump_dropped_with_card, 60)
{
	char dirs[4][512], path[1024];
	int n, i;

	if (dt_read_num("/sys/class/devcoredump/disabled") == 1)
		SKIP(return, "devcoredump disabled");
	ASSERT_EQ(0, dt_card_debugfs(EMU_DEL, path, sizeof(path) - 8));
	strcat(path, "/reset");
	ASSERT_EQ(0, dt_write_file(path, "1"));
	n = find_coredumps(EMU_DEL, dirs, 4);
	ASSERT_EQ(1, n) TH_LOG("the reset left %d dumps", n);

	ASSERT_EQ(0, dt_card_delete(EMU_DEL));
	for (i = 0; i < 40 && find_coredumps(EMU_DEL, dirs, 4); i++)
		dt_sleep_ms(50);
	n = find_coredumps(EMU_DEL, dirs, 4);
	EXPECT_EQ(0, n) TH_LOG("a removed card's devcoredump stays (it holds the device for 5 minutes, and rmmod dojo_emu waits for it)");
	/* Let go of it ourselves, or unloading the emulator would wait. */
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%.500s/data", dirs[i]);
		dt_write_file(path, "1");
	}
}

/*
 * A host buffer mapped through its dma-buf fd, in this process or another:
 * once the card is gone, that mapping is revoked too, as one made through
 * the accel node is.
 */
TEST_F_TIMEOUT(cleanup, dmabuf_mapping_revoked_with_card, 60)
{
	uint8_t *pn, *pd;
	uint32_t h;
	int fd, dfd;

	fd = dt_open_card(EMU_DEL);
	ASSERT_LE(0, fd);
	pn = dt_host_bo(fd, 65536, &h);
	ASSERT_NE(NULL, pn);
	ASSERT_EQ(0, drmPrimeHandleToFD(fd, h, DRM_CLOEXEC | DRM_RDWR, &dfd));
	pd = mmap(NULL, 65536, PROT_READ | PROT_WRITE, MAP_SHARED, dfd, 0);
	ASSERT_NE(MAP_FAILED, pd);
	memset(pd, 0x6d, 65536);
	EXPECT_EQ(0x6d, pn[4096]);

	/* Another mapping whose buffer keeps no handle, only its dma-buf. */
	{
		uint8_t *p2;
		uint32_t h2;
		int dfd2;

		p2 = dt_host_bo(fd, 65536, &h2);
		ASSERT_NE(NULL, p2);
		ASSERT_EQ(0, drmPrimeHandleToFD(fd, h2, DRM_CLOEXEC | DRM_RDWR, &dfd2));
		munmap(p2, 65536);
		ASSERT_EQ(0, dt_gem_close(fd, h2));
		p2 = mmap(NULL, 65536, PROT_READ | PROT_WRITE, MAP_SHARED, dfd2, 0);
		ASSERT_NE(MAP_FAILED, p2);
		memset(p2, 0x2d, 65536);
		close(fd);
		fd = -1;

		ASSERT_EQ(0, dt_card_delete(EMU_DEL));
		EXPECT_EQ(1, touch_faults(p2)) TH_LOG("a handle-less dma-buf mapping outlived its card");
		munmap(p2, 65536);
		close(dfd2);
	}
	EXPECT_EQ(1, touch_faults(pn)) TH_LOG("the accel node mapping outlived its card");
	EXPECT_EQ(1, touch_faults(pd)) TH_LOG("the dma-buf mapping outlived its card");
	EXPECT_EQ(1, touch_faults(pd + 65535));
	munmap(pd, 65536);
	munmap(pn, 65536);
	close(dfd);
	ASSERT_EQ(0, dt_card_create(EMU_DEL));
}

TEST_HARNESS_MAIN
