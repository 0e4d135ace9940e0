// SPDX-License-Identifier: GPL-2.0-only
/*
 * Lifetimes and bounds: what a process can make the driver hold, and for
 * how long.
 *
 *  - a job outlives its card and its file, waiting on another card;
 *  - a user pointer that never finishes faulting in (userfaultfd) must not
 *    hold up the removal of any DRM device;
 *  - freeing an HBM buffer never waits for the card;
 *  - what one client holds in flight is bounded, with a documented errno.
 *
 * Expects dojo.ko with a short job_timeout_ms and two emulated cards
 * (lifetime_test.sh); card 0 and card 1 are deleted and re-created here.
 */
#include <linux/userfaultfd.h>
#include <poll.h>
#include <pthread.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "dojo_test.h"
#include "kselftest_harness.h"

#define WAIT_MS		30000
/* dojo_hw.c scales every timeout by this much for an emulated card. */
#define EMU_TIMEOUT_SCALE	20
/* How long removal may take while a user pointer is stuck: generous. */
#define UNPLUG_MS	10000

FIXTURE(life) {
	int64_t timeout_ms;	/* the job timeout as the driver applies it */
};

FIXTURE_SETUP(life)
{
	long long ms;

	ASSERT_EQ(0, dt_card_create(0));
	ASSERT_EQ(0, dt_card_create(1));
	ms = dt_read_num("/sys/module/dojo/parameters/job_timeout_ms");
	ASSERT_LT(0, ms);
	self->timeout_ms = ms * EMU_TIMEOUT_SCALE;
}

FIXTURE_TEARDOWN(life)
{
	dt_card_create(0);
	dt_card_create(1);
}

/* HBM in use on card @emu, from sysfs, as monitoring reads it. */
static long long hbm_used(int emu)
{
	return dt_card_attr(emu, "hbm_used_bytes");
}

static int wait_hbm_used(int emu, long long want, int ms)
{
	int64_t end = dt_deadline_ms(ms);

	while (hbm_used(emu) != want) {
		if (dt_now_ns() > end)
			return -ETIME;
		dt_sleep_ms(20);
	}
	return 0;
}

/*
 * A job of card 0 waits on a syncobj that a hung job of card 1 will
 * signal; card 0 is deleted, then its last file is closed (the process
 * exits), so the scheduler kills the job but frees it only once card 1's
 * job ends, at its timeout. Freeing it then must not touch the deleted
 * card's memory (the slab debugger and KFENCE report it), and the modules
 * must still unload afterwards (lifetime_test.sh).
 */
TEST_F_TIMEOUT(life, job_outlives_card_and_file, 90)
{
	int sv[2], status;
	uint64_t id1;
	pid_t pid;
	char c;

	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		int fd0 = dt_open_card(0), fd1 = dt_open_card(1), sfd;
		uint32_t s1, s0, h, hb;
		uint64_t id;

		if (fd0 < 0 || fd1 < 0 || drmSyncobjCreate(fd1, 0, &s1))
			_exit(10);
		if (dt_emu_write(1, "hang_queue", "0"))
			_exit(11);
		{
			struct drm_dojo_cmd nop = { .op = DRM_DOJO_CMD_NOP };
			struct drm_dojo_submit s = {
				.queue = 0, .cmds = (uintptr_t)&nop, .num_cmds = 1,
				.out_sync = { .handle = s1 },
			};

			if (dt_ioctl(fd1, DRM_IOCTL_DOJO_SUBMIT, &s))
				_exit(12);
			id1 = s.job_id;
		}
		if (drmSyncobjHandleToFD(fd1, s1, &sfd) ||
		    drmSyncobjFDToHandle(fd0, sfd, &s0))
			_exit(13);
		if (dt_bo_create(fd0, 1 << 20, DRM_DOJO_PLACEMENT_HBM, &h) ||
		    !dt_host_bo(fd0, 1 << 20, &hb))
			_exit(14);
		{
			uint32_t bos[] = { h, hb };
			struct drm_dojo_cmd cmd = dt_copy(1, 0, 0, 0, 1 << 20);
			struct drm_dojo_sync in = { .handle = s0 };
			struct drm_dojo_submit s = {
				.queue = 1, .cmds = (uintptr_t)&cmd, .num_cmds = 1,
				.bo_handles = (uintptr_t)bos, .num_bos = 2,
				.in_syncs = (uintptr_t)&in, .num_in_syncs = 1,
			};

			if (dt_ioctl(fd0, DRM_IOCTL_DOJO_SUBMIT, &s))
				_exit(15);
			id = s.job_id;
		}
		/* Card 1's job is still running: card 0's job still waits. */
		if (dt_wait(fd0, id, 0, NULL) != -ETIME)
			_exit(16);
		if (write(sv[1], "r", 1) != 1 || read(sv[1], &c, 1) != 1)
			_exit(17);
		/* Exit with both files open: the kernel closes them. */
		_exit(0);
	}
	close(sv[1]);
	ASSERT_EQ(1, read(sv[0], &c, 1));
	ASSERT_EQ(0, dt_card_delete(0));
	ASSERT_EQ(1, write(sv[0], "x", 1));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(0, WEXITSTATUS(status)) TH_LOG("child step %d failed", WEXITSTATUS(status));
	close(sv[0]);

	/* Card 1's job times out; the killed job of card 0 is freed then. */
	dt_sleep_ms(self->timeout_ms * 2 + 2000);
	(void)id1;

	/* Both cards work afterwards. */
	ASSERT_EQ(0, dt_card_create(0));
	{
		int fd = dt_open_card(0);
		struct drm_dojo_cmd nop = { .op = DRM_DOJO_CMD_NOP };
		uint64_t id;

		ASSERT_LE(0, fd);
		ASSERT_EQ(0, dt_submit(fd, 1, &nop, 1, NULL, 0, &id));
		EXPECT_EQ(DRM_DOJO_JOB_DONE, dt_status(fd, id, WAIT_MS));
		close(fd);
		fd = dt_open_card(1);
		ASSERT_LE(0, fd);
		ASSERT_EQ(0, dt_submit(fd, 0, &nop, 1, NULL, 0, &id));
		EXPECT_EQ(DRM_DOJO_JOB_DONE, dt_status(fd, id, WAIT_MS));
		close(fd);
	}
}

/* ---- user pointers that never fault in ----------------------------------- */

/* A page whose first touch waits until the test resolves it. */
struct stuck_page {
	int uffd;
	void *page;
};

static int stuck_page_make(struct stuck_page *sp)
{
	struct uffdio_api api = { .api = UFFD_API };
	struct uffdio_register reg = { .mode = UFFDIO_REGISTER_MODE_MISSING };

	sp->uffd = syscall(__NR_userfaultfd, O_CLOEXEC | O_NONBLOCK);
	if (sp->uffd < 0)
		return -errno;
	if (ioctl(sp->uffd, UFFDIO_API, &api))
		return -errno;
	sp->page = mmap(NULL, DT_PAGE, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (sp->page == MAP_FAILED)
		return -errno;
	reg.range.start = (uintptr_t)sp->page;
	reg.range.len = DT_PAGE;
	return ioctl(sp->uffd, UFFDIO_REGISTER, &reg) ? -errno : 0;
}

/* Wait until something (the kernel, here) faults on the page. */
static int stuck_page_wait_fault(struct stuck_page *sp, int ms)
{
	struct pollfd pfd = { .fd = sp->uffd, .events = POLLIN };
	struct uffd_msg msg;

	if (poll(&pfd, 1, ms) != 1)
		return -ETIME;
	if (read(sp->uffd, &msg, sizeof(msg)) != sizeof(msg))
		return -errno;
	return msg.event == UFFD_EVENT_PAGEFAULT ? 0 : -EINVAL;
}

static int stuck_page_release(struct stuck_page *sp)
{
	struct uffdio_zeropage zp = {
		.range = { .start = (uintptr_t)sp->page, .len = DT_PAGE },
	};

	return ioctl(sp->uffd, UFFDIO_ZEROPAGE, &zp) ? -errno : 0;
}

enum stuck_call { STUCK_SUBMIT, STUCK_QUERY, STUCK_DEBUGFS_HBM };

struct stuck_thread {
	enum stuck_call call;
	int fd;
	void *ptr;
	int ret;
};

static void *stuck_call_run(void *arg)
{
	struct stuck_thread *t = arg;

	switch (t->call) {
	case STUCK_SUBMIT: {
		struct drm_dojo_cmd nop = { .op = DRM_DOJO_CMD_NOP };
		struct drm_dojo_submit s = {
			.queue = 0, .cmds = (uintptr_t)&nop, .num_cmds = 1,
			.in_syncs = (uintptr_t)t->ptr, .num_in_syncs = 1,
		};

		t->ret = dt_ioctl(t->fd, DRM_IOCTL_DOJO_SUBMIT, &s);
		break;
	}
	case STUCK_QUERY: {
		struct drm_dojo_query q = {
			.query = DRM_DOJO_QUERY_DEVICE_INFO,
			.size = sizeof(struct drm_dojo_device_info),
			.data = (uintptr_t)t->ptr,
		};

		t->ret = dt_ioctl(t->fd, DRM_IOCTL_DOJO_QUERY, &q);
		break;
	}
	case STUCK_DEBUGFS_HBM:
		t->ret = pread(t->fd, t->ptr, DT_PAGE, 0) < 0 ? -errno : 0;
		break;
	}
	return NULL;
}

struct unplug_thread {
	int emu;
	int ret;
	volatile int done;
};

static void *unplug_run(void *arg)
{
	struct unplug_thread *u = arg;

	u->ret = dt_card_delete(u->emu);
	u->done = 1;
	return NULL;
}

/*
 * A call on card 1 sits on a user page that does not fault in. Deleting
 * card 0, which that call never touches, must complete regardless: DRM's
 * unplug waits for every device's drm_dev_enter() sections.
 */
static void unplug_while_stuck(struct __test_metadata *_metadata,
			       enum stuck_call call)
{
	struct stuck_thread st = { .call = call };
	struct unplug_thread ut = { .emu = 0 };
	struct stuck_page sp = { .uffd = -1 };
	pthread_t tst, tun;
	int64_t end;
	int ret;

	ret = stuck_page_make(&sp);
	if (ret == -ENOSYS || ret == -EPERM)
		SKIP(return, "no userfaultfd (%s)", strerror(-ret));
	ASSERT_EQ(0, ret);
	if (call == STUCK_DEBUGFS_HBM) {
		char dir[256], path[PATH_MAX];

		ASSERT_EQ(0, dt_card_debugfs(1, dir, sizeof(dir)));
		snprintf(path, sizeof(path), "%s/hbm", dir);
		st.fd = open(path, O_RDONLY | O_CLOEXEC);
	} else {
		st.fd = dt_open_card(1);
	}
	ASSERT_LE(0, st.fd);
	st.ptr = sp.page;

	ASSERT_EQ(0, pthread_create(&tst, NULL, stuck_call_run, &st));
	ASSERT_EQ(0, stuck_page_wait_fault(&sp, 10000)) TH_LOG("the call never touched the page");

	ASSERT_EQ(0, pthread_create(&tun, NULL, unplug_run, &ut));
	end = dt_deadline_ms(UNPLUG_MS);
	while (!ut.done && dt_now_ns() < end)
		dt_sleep_ms(20);
	EXPECT_TRUE(ut.done) TH_LOG("deleting card 0 waited for a user page of a call on card 1");

	/* Let the stuck call finish, then everything else. */
	ASSERT_EQ(0, stuck_page_release(&sp));
	pthread_join(tst, NULL);
	pthread_join(tun, NULL);
	EXPECT_EQ(0, ut.ret);
	TH_LOG("stuck call returned %d", st.ret);
	close(st.fd);
	close(sp.uffd);
	munmap(sp.page, DT_PAGE);
}

TEST_F_TIMEOUT(life, unplug_not_held_by_submit_in_syncs, 60)
{
	unplug_while_stuck(_metadata, STUCK_SUBMIT);
}

TEST_F_TIMEOUT(life, unplug_not_held_by_query_data, 60)
{
	unplug_while_stuck(_metadata, STUCK_QUERY);
}

TEST_F_TIMEOUT(life, unplug_not_held_by_debugfs_hbm_read, 60)
{
	unplug_while_stuck(_metadata, STUCK_DEBUGFS_HBM);
}

/* ---- freeing HBM ----------------------------------------------------------- */

/*
 * A new HBM buffer is cleared by the card before any job may use it. If
 * that clearing is held up (here: the queue it runs on hangs until the job
 * timeout), closing the buffer still returns at once; the range goes back
 * to the allocator when the card is done with it.
 */
TEST_F_TIMEOUT(life, hbm_free_does_not_wait_for_card, 60)
{
	int fd = dt_open_card(1);
	long long base;
	uint32_t h;
	char buf[32];
	int q;

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, wait_hbm_used(1, 0, 5000));
	base = hbm_used(1);
	/* Whichever queue clears the buffer hangs. */
	for (q = 0; q < 4; q++) {
		snprintf(buf, sizeof(buf), "%d", q);
		ASSERT_EQ(0, dt_emu_write(1, "hang_queue", buf));
	}
	ASSERT_EQ(0, dt_bo_create(fd, 1 << 20, DRM_DOJO_PLACEMENT_HBM, &h));
	ASSERT_EQ(0, dt_gem_close(fd, h));
	EXPECT_EQ(base + (1 << 20), hbm_used(1))
		TH_LOG("closing the buffer waited for the card to clear it");
	close(fd);
	/* The clearing times out; the range is free again. */
	EXPECT_EQ(0, wait_hbm_used(1, base, self->timeout_ms * 2 + 5000));
	/* Card 1 is deleted, hang switches and all, by the next test's setup. */
	ASSERT_EQ(0, dt_card_delete(1));
}

/* ---- bounds ------------------------------------------------------------------ */

/*
 * One client can have at most DRM_DOJO_MAX_JOBS_IN_FLIGHT jobs submitted
 * and not yet ended; the next submission fails with EBUSY (not EAGAIN, which
 * drmIoctl() would retry in a loop) and succeeds
 * again once jobs end. Another client is not limited by it. Each job is
 * held on the card a while (dma_latency_us), so that jobs pile up faster
 * than they end.
 */
TEST_F_TIMEOUT(life, jobs_in_flight_bounded, 180)
{
	struct drm_dojo_cmd nop = { .op = DRM_DOJO_CMD_NOP };
	int fd = dt_open_card(1), fd2 = dt_open_card(1);
	uint64_t id, last = 0;
	int i, ret = 0;

	ASSERT_LE(0, fd);
	ASSERT_LE(0, fd2);
	ASSERT_EQ(0, dt_emu_write(1, "dma_latency_us", "20000"));
	for (i = 0; i < 2 * DRM_DOJO_MAX_JOBS_IN_FLIGHT; i++) {
		ret = dt_submit(fd, 2, &nop, 1, NULL, 0, &id);
		if (ret)
			break;
		last = id;
	}
	TH_LOG("%d jobs submitted before %s", i, strerror(-ret));
	EXPECT_EQ(-EBUSY, ret)
		TH_LOG("a client held %d jobs in flight (limit %d)", i,
		       DRM_DOJO_MAX_JOBS_IN_FLIGHT);
	EXPECT_LE(DRM_DOJO_MAX_JOBS_IN_FLIGHT, i);
	/* Another client is not held back by this one's jobs. */
	ASSERT_EQ(0, dt_submit(fd2, 3, &nop, 1, NULL, 0, &id));
	ASSERT_EQ(0, dt_emu_write(1, "dma_latency_us", "0"));
	EXPECT_EQ(DRM_DOJO_JOB_DONE, dt_status(fd2, id, WAIT_MS));

	/* The jobs end; the client may submit again. */
	EXPECT_EQ(DRM_DOJO_JOB_DONE, dt_status(fd, last, WAIT_MS));
	/* Ended jobs leave the count as they are freed, just after. */
	for (i = 0; i < 500; i++) {
		ret = dt_submit(fd, 3, &nop, 1, NULL, 0, &id);
		if (ret != -EBUSY)
			break;
		dt_sleep_ms(10);
	}
	ASSERT_EQ(0, ret);
	EXPECT_EQ(DRM_DOJO_JOB_DONE, dt_status(fd, id, WAIT_MS));
	close(fd2);
	close(fd);
}

/*
 * A host buffer's page list is one contiguous table on the card's side:
 * larger than DRM_DOJO_MAX_HOST_BO_SIZE, a host buffer is refused at
 * creation (EINVAL), never left to fail (or warn) when a job first uses it.
 */
TEST_F(life, host_buffer_size_bounded)
{
	int fd = dt_open_card(1);
	uint32_t h;

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, dt_bo_create(fd, DRM_DOJO_MAX_HOST_BO_SIZE,
				  DRM_DOJO_PLACEMENT_HOST, &h));
	EXPECT_EQ(0, dt_gem_close(fd, h));
	EXPECT_EQ(-EINVAL, dt_bo_create(fd, DRM_DOJO_MAX_HOST_BO_SIZE + 4096,
					DRM_DOJO_PLACEMENT_HOST, &h));
	EXPECT_EQ(-EINVAL, dt_bo_create(fd, 8ULL << 30, DRM_DOJO_PLACEMENT_HOST, &h));
	close(fd);
}

/* Queue @q's CTRL register on card @emu, from the emulator, or -1. */
static long emu_queue_ctrl(int emu, unsigned int q)
{
	char buf[4096], *line;
	unsigned int idx, size, head, tail, ctrl;
	unsigned long long ring;

	if (dt_emu_read(emu, "dma_queues", buf, sizeof(buf)) <= 0)
		return -1;
	for (line = strtok(buf, "\n"); line; line = strtok(NULL, "\n"))
		if (sscanf(line, "%u %llx %u %u %u %x", &idx, &ring, &size,
			   &head, &tail, &ctrl) == 6 && idx == q)
			return ctrl;
	return -1;
}

/*
 * A job hangs and the reset of its queue fails, so the timeout handler
 * leaves the queue's scheduler stopped for a device reset; the card is
 * deleted while the handler still waits for the queue, so that reset
 * never runs. The jobs the removal ends must still be freed: the hung job
 * holds a buffer card 1 exported, and card 1's host memory must come back
 * once card 0's file is closed.
 */
TEST_F_TIMEOUT(life, removal_during_failed_queue_reset, 90)
{
	struct drm_dojo_memory_info m0;
	uint32_t h1, imp, d;
	int fd0, fd1, pfd;
	int64_t end;
	long ctrl = -1;
	uint64_t id;

	if (!dt_emu_has(0, "queue_reset_hang"))
		ASSERT_TRUE(0) TH_LOG("emulator has no queue_reset_hang");
	fd0 = dt_open_card(0);
	fd1 = dt_open_card(1);
	ASSERT_LE(0, fd0);
	ASSERT_LE(0, fd1);
	ASSERT_EQ(0, dt_memory(fd1, &m0));

	ASSERT_EQ(0, dt_bo_create(fd1, 1 << 20, DRM_DOJO_PLACEMENT_HOST, &h1));
	ASSERT_EQ(0, drmPrimeHandleToFD(fd1, h1, DRM_CLOEXEC | DRM_RDWR, &pfd));
	ASSERT_EQ(0, drmPrimeFDToHandle(fd0, pfd, &imp));
	close(pfd);
	ASSERT_EQ(0, dt_gem_close(fd1, h1));
	ASSERT_EQ(0, dt_bo_create(fd0, 1 << 20, DRM_DOJO_PLACEMENT_HOST, &d));

	ASSERT_EQ(0, dt_emu_write(0, "queue_reset_hang", "1"));
	ASSERT_EQ(0, dt_emu_write(0, "hang_queue", "1"));
	{
		uint32_t bos[] = { imp, d };
		struct drm_dojo_cmd c = dt_copy(0, 0, 1, 0, 1 << 20);

		ASSERT_EQ(0, dt_submit(fd0, 1, &c, 1, bos, 2, &id));
		ASSERT_EQ(0, dt_submit(fd0, 1, &c, 1, bos, 2, &id));
	}
	ASSERT_EQ(0, dt_emu_wait_busy(0, 1, 5000));

	/* The timeout handler is resetting the queue: delete the card now. */
	end = dt_deadline_ms(self->timeout_ms + 10000);
	while (dt_now_ns() < end) {
		ctrl = emu_queue_ctrl(0, 1);
		if (ctrl > 0 && (ctrl & 2))
			break;
		dt_sleep_ms(5);
	}
	ASSERT_TRUE(ctrl > 0 && (ctrl & 2)) TH_LOG("queue 1 was never reset");
	ASSERT_EQ(0, dt_card_delete(0));
	close(fd0);

	/* Card 1's buffer goes once card 0's jobs are freed. */
	EXPECT_EQ(0, dt_wait_host_used(fd1, m0.host_used, 20000))
		TH_LOG("the deleted card's jobs still hold card 1's buffer");
	close(fd1);
}

/* ---- a card that drops off the bus ------------------------------------------- */

/*
 * The card falls off the bus (surprise removal: every register reads
 * all-ones) while a job runs on it. The job ends ABORTED, never DONE or
 * with an error the card did not report; the card says "lost"; new work
 * is refused with ENODEV; deleting the card afterwards completes.
 */
TEST_F_TIMEOUT(life, surprise_removal_aborts_jobs, 90)
{
	struct drm_dojo_cmd nop = { .op = DRM_DOJO_CMD_NOP };
	int fd = dt_open_card(1), minor = dt_card_minor(1);
	char path[PATH_MAX], state[64];
	struct drm_dojo_job_wait w;
	uint64_t id, id2;
	uint32_t s = 0, d = 0;
	uint8_t *ps, *pd;

	ASSERT_LE(0, fd);
	ASSERT_LE(0, minor);
	if (!dt_emu_has(1, "surprise_remove"))
		ASSERT_TRUE(0) TH_LOG("emulator has no surprise_remove");
	ps = dt_host_bo(fd, 65536, &s);
	pd = dt_host_bo(fd, 65536, &d);
	ASSERT_NE(NULL, ps);
	ASSERT_NE(NULL, pd);
	memset(ps, 0x5a, 65536);
	memset(pd, 0xa5, 65536);
	ASSERT_EQ(0, dt_emu_write(1, "hang_queue", "0"));
	{
		uint32_t bos[] = { s, d };
		struct drm_dojo_cmd c = dt_copy(0, 0, 1, 0, 65536);

		ASSERT_EQ(0, dt_submit(fd, 0, &c, 1, bos, 2, &id));
		ASSERT_EQ(0, dt_submit(fd, 0, &c, 1, bos, 2, &id2));
	}
	ASSERT_EQ(0, dt_emu_wait_busy(1, 0, 5000));
	ASSERT_EQ(0, dt_emu_write(1, "surprise_remove", "1"));

	ASSERT_EQ(0, dt_wait(fd, id, WAIT_MS, &w));
	EXPECT_EQ(DRM_DOJO_JOB_ABORTED, w.status)
		TH_LOG("a job on a card that fell off the bus ended %s error %u",
		       dt_status_name(w.status), w.error);
	ASSERT_EQ(0, dt_wait(fd, id2, WAIT_MS, &w));
	EXPECT_EQ(DRM_DOJO_JOB_ABORTED, w.status)
		TH_LOG("the job behind it ended %s", dt_status_name(w.status));
	EXPECT_EQ(-1, dt_find_not(pd, 65536, 0xa5));

	snprintf(path, sizeof(path), "/sys/class/accel/accel%d/device/dojo/state",
		 minor);
	ASSERT_LT(0, dt_read_file(path, state, sizeof(state))) TH_LOG("no %s", path);
	EXPECT_STREQ("lost\n", state);
	EXPECT_EQ(-ENODEV, dt_submit(fd, 1, &nop, 1, NULL, 0, &id));
	close(fd);
	ASSERT_EQ(0, dt_card_delete(1));
}

TEST_HARNESS_MAIN
