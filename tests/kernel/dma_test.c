// SPDX-License-Identifier: GPL-2.0-only
/*
 * The DMA queues of an emulated DIP, end to end: buffers, command buffers,
 * submission, completion, and the emulated card's fault switches.
 *
 * Expects dojo.ko loaded with job_timeout_ms=200 and dojo_emu.ko with at
 * least one card and hbm_backing_mb=64 (dma_test.sh does that), and
 * debugfs mounted for the fault cases.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <xf86drm.h>
#include <zlib.h>

#include "dojo_accel.h"
#include "kselftest_harness.h"

#define NODE		"/dev/accel/accel0"
#define SYSFS_BUS_ADDR	"/sys/class/accel/accel0/device/dojo/bus_addr"
#define EMU_DEBUGFS	"/sys/kernel/debug/dojo_emu/"
#define MIB		(1ULL << 20)
#define SEC		1000000000LL

struct bo {
	__u32 handle;
	__u64 size;
	unsigned char *map;	/* host buffers only */
};

static __s64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * SEC + ts.tv_nsec;
}

static int bo_new(int fd, __u64 size, __u32 placement, struct bo *bo)
{
	struct drm_dojo_bo_create c = { .size = size, .placement = placement };
	struct drm_dojo_bo_info i = { 0 };
	void *p;

	memset(bo, 0, sizeof(*bo));
	if (ioctl(fd, DRM_IOCTL_DOJO_BO_CREATE, &c))
		return -errno;
	bo->handle = c.handle;
	bo->size = size;
	if (placement != DRM_DOJO_PLACEMENT_HOST)
		return 0;
	i.handle = c.handle;
	if (ioctl(fd, DRM_IOCTL_DOJO_BO_INFO, &i))
		return -errno;
	p = mmap(NULL, i.size, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		 i.mmap_offset);
	if (p == MAP_FAILED)
		return -errno;
	bo->map = p;
	bo->size = i.size;
	return 0;
}

static void bo_free(int fd, struct bo *bo)
{
	struct drm_gem_close c = { .handle = bo->handle };

	if (bo->map)
		munmap(bo->map, bo->size);
	if (bo->handle)
		ioctl(fd, DRM_IOCTL_GEM_CLOSE, &c);
	memset(bo, 0, sizeof(*bo));
}

static int submit(int fd, __u32 queue, const struct drm_dojo_cmd *cmds,
		  __u32 ncmds, const __u32 *handles, __u32 nbos, __u64 *id)
{
	struct drm_dojo_submit s = {
		.queue = queue,
		.cmds = (__u64)(uintptr_t)cmds,
		.bo_handles = (__u64)(uintptr_t)handles,
		.num_cmds = ncmds,
		.num_bos = nbos,
	};

	if (ioctl(fd, DRM_IOCTL_DOJO_SUBMIT, &s))
		return -errno;
	*id = s.job_id;
	return 0;
}

static int wait_job(int fd, __u64 id, __s64 timeout_ns,
		    struct drm_dojo_job_wait *w)
{
	memset(w, 0, sizeof(*w));
	w->job_id = id;
	w->timeout_ns = now_ns() + timeout_ns;
	return ioctl(fd, DRM_IOCTL_DOJO_JOB_WAIT, w) ? -errno : 0;
}

/* Submit, wait up to 30 s, return the status (or a negative errno). */
static int run(int fd, __u32 queue, const struct drm_dojo_cmd *cmds,
	       __u32 ncmds, const __u32 *handles, __u32 nbos,
	       struct drm_dojo_job_wait *w)
{
	__u64 id = 0;
	int ret;

	ret = submit(fd, queue, cmds, ncmds, handles, nbos, &id);
	if (ret)
		return ret;
	ret = wait_job(fd, id, 30 * SEC, w);
	return ret ? ret : (int)w->status;
}


static void fill_random(unsigned char *p, size_t len, unsigned int seed)
{
	size_t i;

	for (i = 0; i < len; i++) {
		seed = seed * 1103515245u + 12345u;
		p[i] = seed >> 16;
	}
}

static struct drm_dojo_cmd cmd_copy(__u8 src, __u64 soff, __u8 dst,
				    __u64 doff, __u64 len)
{
	struct drm_dojo_cmd c = {
		.op = DRM_DOJO_CMD_COPY, .src_bo = src, .dst_bo = dst,
		.src_offset = soff, .dst_offset = doff, .len = len,
	};
	return c;
}

static struct drm_dojo_cmd cmd_fill(__u8 dst, __u64 doff, __u64 len,
				    __u32 pattern)
{
	struct drm_dojo_cmd c = {
		.op = DRM_DOJO_CMD_FILL, .dst_bo = dst, .dst_offset = doff,
		.len = len, .pattern = pattern,
	};
	return c;
}

static struct drm_dojo_cmd cmd_crc(__u8 src, __u64 soff, __u64 len,
				   __u8 dst, __u64 doff)
{
	struct drm_dojo_cmd c = {
		.op = DRM_DOJO_CMD_CRC32, .src_bo = src, .dst_bo = dst,
		.src_offset = soff, .dst_offset = doff, .len = len,
	};
	return c;
}

static __u32 le32_at(const unsigned char *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (__u32)p[3] << 24;
}

/* The card's debugfs directory: its bus address names it. */
static int emu_path(char *buf, size_t len, const char *file)
{
	char addr[64];
	ssize_t n;
	int fd;

	fd = open(SYSFS_BUS_ADDR, O_RDONLY);
	if (fd < 0)
		return -errno;
	n = read(fd, addr, sizeof(addr) - 1);
	close(fd);
	if (n <= 0)
		return -EIO;
	addr[n] = '\0';
	addr[strcspn(addr, "\n")] = '\0';
	snprintf(buf, len, EMU_DEBUGFS "%s/%s", addr, file);
	return 0;
}

static int emu_write(const char *file, const char *val)
{
	char path[256];
	int fd, ret;

	ret = emu_path(path, sizeof(path), file);
	if (ret)
		return ret;
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -errno;
	ret = write(fd, val, strlen(val)) < 0 ? -errno : 0;
	close(fd);
	return ret;
}

static int emu_read(const char *file, char *buf, size_t len)
{
	char path[256];
	ssize_t n;
	int fd, ret;

	ret = emu_path(path, sizeof(path), file);
	if (ret)
		return ret;
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

FIXTURE(dma) {
	int fd;
	struct bo a, b, c, h;	/* host, HBM, host, HBM */
};

#define BUF_SIZE	(1 * MIB + 8192)

FIXTURE_SETUP(dma)
{
	self->fd = open(NODE, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->fd) TH_LOG("open %s: %s", NODE, strerror(errno));
	ASSERT_EQ(0, bo_new(self->fd, BUF_SIZE, DRM_DOJO_PLACEMENT_HOST, &self->a));
	ASSERT_EQ(0, bo_new(self->fd, BUF_SIZE, DRM_DOJO_PLACEMENT_HBM, &self->b));
	ASSERT_EQ(0, bo_new(self->fd, BUF_SIZE, DRM_DOJO_PLACEMENT_HOST, &self->c));
	ASSERT_EQ(0, bo_new(self->fd, BUF_SIZE, DRM_DOJO_PLACEMENT_HBM, &self->h));
	fill_random(self->a.map, BUF_SIZE, 1);
	memset(self->c.map, 0x5a, BUF_SIZE);
	/*
	 * A job that names the HBM buffers waits for the card to clear them,
	 * so after it no clearing job is left to take a fault switch a test
	 * arms for its own job.
	 */
	{
		const __u32 bos[] = { self->b.handle, self->h.handle };
		struct drm_dojo_cmd nop = { .op = DRM_DOJO_CMD_NOP };
		struct drm_dojo_job_wait w;

		ASSERT_EQ(DRM_DOJO_JOB_DONE, run(self->fd, 0, &nop, 1, bos, 2, &w));
	}
}

FIXTURE_TEARDOWN(dma)
{
	bo_free(self->fd, &self->a);
	bo_free(self->fd, &self->b);
	bo_free(self->fd, &self->c);
	bo_free(self->fd, &self->h);
	close(self->fd);
}

/* Host -> HBM, FILL in HBM at an odd offset, HBM -> host, CRC32. */
TEST_F(dma, copy_fill_crc)
{
	const __u32 bos[] = { self->a.handle, self->b.handle, self->c.handle };
	const __u32 pattern = 0x11223344;
	const __u64 foff = 4099, flen = 10001, coff = 12345;
	struct drm_dojo_cmd cmds[] = {
		cmd_copy(0, 0, 1, 0, BUF_SIZE),
		cmd_fill(1, foff, flen, pattern),
		cmd_copy(1, 0, 2, 0, BUF_SIZE - 16),
		cmd_crc(0, 7, BUF_SIZE - 7, 2, coff),
	};
	static unsigned char want[BUF_SIZE];
	struct drm_dojo_job_wait w;
	__u64 i;

	ASSERT_EQ(DRM_DOJO_JOB_DONE, run(self->fd, 0, cmds, 4, bos, 3, &w))
		TH_LOG("error %u at cmd %u", w.error, w.error_cmd);

	memcpy(want, self->a.map, BUF_SIZE);
	for (i = 0; i < flen; i++)
		want[foff + i] = (pattern >> (8 * (i % 4))) & 0xff;
	memset(want + BUF_SIZE - 16, 0x5a, 16);
	EXPECT_EQ((__u32)crc32_z(0, self->a.map + 7, BUF_SIZE - 7),
		  le32_at(self->c.map + coff));
	/* the CRC overwrote 4 bytes of the copy */
	memcpy(want + coff, self->c.map + coff, 4);
	EXPECT_EQ(0, memcmp(want, self->c.map, BUF_SIZE));
}

/* Host -> host and HBM -> HBM, unaligned, across pages. */
TEST_F(dma, host_host_hbm_hbm)
{
	const __u32 bos[] = { self->a.handle, self->b.handle, self->c.handle,
			      self->h.handle };
	struct drm_dojo_cmd cmds[] = {
		cmd_copy(0, 1, 2, 4095, 300000),	/* host -> host */
		cmd_copy(0, 0, 1, 0, BUF_SIZE),		/* host -> HBM */
		cmd_copy(1, 3, 3, 8191, 500001),	/* HBM -> HBM */
		cmd_copy(3, 8191, 2, 400000, 500001),	/* HBM -> host */
	};
	struct drm_dojo_job_wait w;

	ASSERT_EQ(DRM_DOJO_JOB_DONE, run(self->fd, 1, cmds, 4, bos, 4, &w))
		TH_LOG("error %u at cmd %u", w.error, w.error_cmd);
	EXPECT_EQ(0, memcmp(self->c.map + 4095, self->a.map + 1, 300000));
	EXPECT_EQ(0, memcmp(self->c.map + 400000, self->a.map + 3, 500001));
	EXPECT_EQ(0x5a, self->c.map[4094]);
	EXPECT_EQ(0x5a, self->c.map[400000 + 500001]);
}

/*
 * FILL in host memory and CRC32 of HBM. (A new HBM buffer may hold what an
 * earlier one left there: zero it first.)
 */
TEST_F(dma, fill_host_crc_hbm)
{
	const __u32 bos[] = { self->c.handle, self->h.handle };
	struct drm_dojo_cmd cmds[] = {
		cmd_fill(0, 1, 9000, 0xa1b2c3d4),
		cmd_fill(1, 0, 65536, 0),
		cmd_crc(1, 0, 65536, 0, 20000),		/* zeroes */
		cmd_copy(0, 0, 1, 100, 9001),
		cmd_crc(1, 101, 9000, 0, 20004),
	};
	static unsigned char zero[65536], want[9000];
	struct drm_dojo_job_wait w;
	int i;

	ASSERT_EQ(DRM_DOJO_JOB_DONE, run(self->fd, 2, cmds, 5, bos, 2, &w))
		TH_LOG("error %u at cmd %u", w.error, w.error_cmd);
	for (i = 0; i < 9000; i++)
		want[i] = (0xa1b2c3d4u >> (8 * (i % 4))) & 0xff;
	EXPECT_EQ(0x5a, self->c.map[0]);
	EXPECT_EQ(0, memcmp(self->c.map + 1, want, 9000));
	EXPECT_EQ(0x5a, self->c.map[9001]);
	EXPECT_EQ((__u32)crc32_z(0, zero, sizeof(zero)),
		  le32_at(self->c.map + 20000));
	EXPECT_EQ((__u32)crc32_z(0, want, 9000), le32_at(self->c.map + 20004));
}

/* Many small jobs on every queue, in flight together, each in order. */
TEST_F(dma, many_jobs)
{
	const __u32 bos[] = { self->a.handle, self->c.handle };
	struct drm_dojo_job_wait w;
	__u64 ids[64];
	unsigned int i;

	for (i = 0; i < 64; i++) {
		struct drm_dojo_cmd c[2] = {
			cmd_fill(1, i * 4096, 4096, i),
			cmd_copy(0, i * 100, 1, i * 4096 + 8, 100),
		};

		ASSERT_EQ(0, submit(self->fd, i % 4, c, 2, bos, 2, &ids[i]));
	}
	for (i = 0; i < 64; i++) {
		ASSERT_EQ(0, wait_job(self->fd, ids[i], 30 * SEC, &w));
		EXPECT_EQ(DRM_DOJO_JOB_DONE, w.status);
	}
	for (i = 0; i < 64; i++) {
		unsigned char *p = self->c.map + i * 4096;

		EXPECT_EQ(i, le32_at(p));
		EXPECT_EQ(0, memcmp(p + 8, self->a.map + i * 100, 100));
		EXPECT_EQ(i, le32_at(p + 108));
	}
}

/* STATUS of each queue of the card, from dma_queues; -1 if unreadable. */
static int queue_status(unsigned int st[4])
{
	char path[256], line[256];
	unsigned int n = 0;
	FILE *f;

	if (emu_path(path, sizeof(path), "dma_queues"))
		return -1;
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		unsigned long long ring;
		unsigned int idx, size, head, tail, ctrl, status;

		if (sscanf(line, "%u %llx %u %u %u %x %x", &idx, &ring, &size,
			   &head, &tail, &ctrl, &status) == 7 && idx < 4) {
			st[idx] = status;
			n++;
		}
	}
	fclose(f);
	return n == 4 ? 0 : -1;
}

/*
 * The four queues are independent engines: with a backlog on each, filled
 * queue after queue (so that doorbells reach queues that are running a
 * job), all four hold a job at once.
 */
TEST_F(dma, queues_in_parallel)
{
	const __u32 bos[] = { self->a.handle, self->c.handle };
	struct drm_dojo_job_wait w;
	unsigned int st[4], i, busy = 0;
	__u64 ids[12];
	__s64 end;

	ASSERT_EQ(0, emu_write("dma_latency_us", "400000"));
	for (i = 0; i < 12; i++) {
		struct drm_dojo_cmd c = cmd_copy(0, 0, 1, i * 4096, 4096);

		ASSERT_EQ(0, submit(self->fd, i / 3, &c, 1, bos, 2, &ids[i]));
	}
	end = now_ns() + 5 * SEC;
	while (busy != 4 && now_ns() < end) {
		ASSERT_EQ(0, queue_status(st));
		for (busy = 0, i = 0; i < 4; i++)
			busy += st[i] & 1;
		usleep(2000);
	}
	EXPECT_EQ(4u, busy) TH_LOG("never all four queues busy at once");
	ASSERT_EQ(0, emu_write("dma_latency_us", "0"));
	for (i = 0; i < 12; i++) {
		ASSERT_EQ(0, wait_job(self->fd, ids[i], 30 * SEC, &w));
		EXPECT_EQ(DRM_DOJO_JOB_DONE, w.status) TH_LOG("job %u", i);
	}
}

/* A job of 4096 commands, the most a descriptor may carry. */
TEST_F(dma, max_cmds)
{
	static struct drm_dojo_cmd cmds[DRM_DOJO_MAX_CMDS];
	const __u32 bos[] = { self->c.handle };
	struct drm_dojo_job_wait w;
	unsigned int i;

	for (i = 0; i < DRM_DOJO_MAX_CMDS; i++)
		cmds[i] = cmd_fill(0, i * 4, 4, i);
	ASSERT_EQ(DRM_DOJO_JOB_DONE,
		  run(self->fd, 3, cmds, DRM_DOJO_MAX_CMDS, bos, 1, &w));
	for (i = 0; i < DRM_DOJO_MAX_CMDS; i++)
		ASSERT_EQ(i, le32_at(self->c.map + i * 4));
}

/* fail_dma: the next host transfer fails; the queue goes on. */
TEST_F(dma, fail_dma)
{
	const __u32 bos[] = { self->a.handle, self->b.handle };
	struct drm_dojo_cmd cmds[] = {
		cmd_fill(1, 0, 4096, 1),	/* HBM only: not a host transfer */
		cmd_copy(0, 0, 1, 0, 65536),
	};
	struct drm_dojo_job_wait w;
	char buf[32];

	ASSERT_EQ(0, emu_write("fail_dma", "1"));
	ASSERT_EQ(0, emu_read("fail_dma", buf, sizeof(buf)));
	EXPECT_STREQ("1", buf);
	ASSERT_EQ(DRM_DOJO_JOB_ERROR, run(self->fd, 0, cmds, 2, bos, 2, &w));
	EXPECT_EQ((__u32)DRM_DOJO_ERR_DMA, w.error);
	EXPECT_EQ(1u, w.error_cmd);
	ASSERT_EQ(0, emu_read("fail_dma", buf, sizeof(buf)));
	EXPECT_STREQ("0", buf);
	EXPECT_EQ(DRM_DOJO_JOB_DONE, run(self->fd, 0, cmds, 2, bos, 2, &w));
}

/* corrupt_cmd: the job fails INVALID at command 0; the queue goes on. */
TEST_F(dma, corrupt_cmd)
{
	const __u32 bos[] = { self->c.handle };
	struct drm_dojo_cmd cmds[] = { cmd_fill(0, 0, 64, 7) };
	struct drm_dojo_job_wait w;
	char buf[32];

	ASSERT_EQ(0, emu_write("corrupt_cmd", "1"));
	ASSERT_EQ(0, emu_read("corrupt_cmd", buf, sizeof(buf)));
	EXPECT_STREQ("1", buf);
	ASSERT_EQ(DRM_DOJO_JOB_ERROR, run(self->fd, 1, cmds, 1, bos, 1, &w));
	EXPECT_EQ((__u32)DRM_DOJO_ERR_INVALID, w.error);
	EXPECT_EQ(0u, w.error_cmd);
	EXPECT_EQ(0x5a, self->c.map[0]);
	ASSERT_EQ(0, emu_read("corrupt_cmd", buf, sizeof(buf)));
	EXPECT_STREQ("", buf);
	EXPECT_EQ(DRM_DOJO_JOB_DONE, run(self->fd, 1, cmds, 1, bos, 1, &w));
	EXPECT_EQ(7u, le32_at(self->c.map));
}

/*
 * corrupt_desc: the card halts the queue on the descriptor; the driver
 * resets the queue. The job does not complete normally, and the queue
 * runs the next job.
 */
TEST_F(dma, corrupt_desc)
{
	const __u32 bos[] = { self->c.handle };
	struct drm_dojo_cmd cmds[] = { cmd_fill(0, 0, 64, 9) };
	struct drm_dojo_job_wait w;
	char buf[32];
	int st;

	ASSERT_EQ(0, emu_write("corrupt_desc", "2"));
	ASSERT_EQ(0, emu_read("corrupt_desc", buf, sizeof(buf)));
	EXPECT_STREQ("2", buf);
	st = run(self->fd, 2, cmds, 1, bos, 1, &w);
	TH_LOG("halted job: status %d error %u cmd %u", st, w.error, w.error_cmd);
	EXPECT_TRUE(st == DRM_DOJO_JOB_ERROR || st == DRM_DOJO_JOB_TIMEOUT);
	if (st == DRM_DOJO_JOB_ERROR)
		EXPECT_EQ((__u32)DRM_DOJO_ERR_INVALID, w.error);
	EXPECT_EQ(0x5a, self->c.map[0]);
	EXPECT_EQ(DRM_DOJO_JOB_DONE, run(self->fd, 2, cmds, 1, bos, 1, &w));
	EXPECT_EQ(9u, le32_at(self->c.map));
}

/* hang_queue: the job never ends; the driver's timeout resets the queue. */
TEST_F(dma, hang_queue)
{
	const __u32 bos[] = { self->c.handle };
	struct drm_dojo_cmd cmds[] = { cmd_fill(0, 0, 64, 11) };
	struct drm_dojo_job_wait w;
	__s64 t0, dt;
	char buf[32];

	ASSERT_EQ(0, emu_write("hang_queue", "3"));
	ASSERT_EQ(0, emu_read("hang_queue", buf, sizeof(buf)));
	EXPECT_STREQ("3", buf);
	t0 = now_ns();
	ASSERT_EQ(DRM_DOJO_JOB_TIMEOUT, run(self->fd, 3, cmds, 1, bos, 1, &w));
	dt = now_ns() - t0;
	TH_LOG("hung job timed out after %lld ms", (long long)(dt / 1000000));
	EXPECT_EQ(0x5a, self->c.map[0]);
	/* the queue reset cleared the switch */
	ASSERT_EQ(0, emu_read("hang_queue", buf, sizeof(buf)));
	EXPECT_STREQ("", buf);
	EXPECT_EQ(DRM_DOJO_JOB_DONE, run(self->fd, 3, cmds, 1, bos, 1, &w));
	EXPECT_EQ(11u, le32_at(self->c.map));
}

/* HBM backing is bounded (64 MiB per card here): past it, ERROR HBM. */
TEST_F(dma, hbm_backing_exhausted)
{
	struct drm_dojo_job_wait w;
	struct drm_dojo_cmd cmds[] = {
		cmd_fill(0, 0, 80 * MIB, 0xffffffff),
		cmd_fill(0, 0, 80 * MIB, 0),
	};
	struct bo big;
	__u32 h;

	ASSERT_EQ(0, bo_new(self->fd, 80 * MIB, DRM_DOJO_PLACEMENT_HBM, &big));
	h = big.handle;
	ASSERT_EQ(DRM_DOJO_JOB_ERROR, run(self->fd, 0, cmds, 1, &h, 1, &w));
	EXPECT_EQ((__u32)DRM_DOJO_ERR_HBM, w.error);
	EXPECT_EQ(0u, w.error_cmd);
	/* zeroes need no backing */
	EXPECT_EQ(DRM_DOJO_JOB_DONE, run(self->fd, 0, cmds + 1, 1, &h, 1, &w));
	bo_free(self->fd, &big);
}

TEST_F(dma, debugfs_queues)
{
	char buf[256];

	ASSERT_EQ(0, emu_read("dma_queues", buf, sizeof(buf)));
	EXPECT_EQ(0, strncmp(buf, "queue ring size", 15));
	ASSERT_EQ(0, emu_read("dma_latency_us", buf, sizeof(buf)));
	EXPECT_STREQ("0", buf);
	EXPECT_EQ(-EINVAL, emu_write("hang_queue", "4"));
	EXPECT_EQ(-EINVAL, emu_write("corrupt_desc", "x"));
}

TEST_HARNESS_MAIN
