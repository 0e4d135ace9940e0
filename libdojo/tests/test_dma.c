// SPDX-License-Identifier: MIT
/*
 * libdojo buffer, command buffer and job tests, against two DIPs of the
 * driver (as root, in the test VM): test_dma DEV0 DEV1
 *
 *   - buffers: creation, memory accounting, mapping, argument checks
 *   - command buffers: local checks, growth to DRM_DOJO_MAX_CMDS, buffer
 *     table limits and de-duplication, one device per command buffer
 *   - jobs: FILL, COPY host->HBM->host and CRC32 checked against the CPU;
 *     job status and wait errors
 *   - syncobjs: binary and timeline out-syncs, in-syncs ordering two
 *     queues, sync_file export and import
 *   - sharing: export and import in one process (same object back), from
 *     another process over a unix socket (host and HBM buffers), another
 *     DIP's host buffer, a udmabuf
 *   - the Z-plane (when both DIPs' links are up): a grant of DIP 1's HBM
 *     written and read by DIP 0, read-only, wrong-key and revoked grants
 *     refused
 *
 * TAP output; exit 0 when every check passed, 1 otherwise.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/udmabuf.h>
#include <zlib.h>

#include "dojo.h"

static int n_tests, n_failed;

/* @cond is evaluated once: it may call the function under test. */
#define CHECK(cond, ...)						\
	do {								\
		int ok_ = !!(cond);					\
									\
		n_tests++;						\
		if (!ok_)						\
			n_failed++;					\
		printf("%sok %d - ", ok_ ? "" : "not ", n_tests);	\
		printf(__VA_ARGS__);					\
		if (!ok_)						\
			printf(" (%s:%d: %s)", __FILE__, __LINE__, #cond); \
		putchar('\n');						\
	} while (0)

#define SKIP(...)							\
	do {								\
		n_tests++;						\
		printf("ok %d - # SKIP ", n_tests);			\
		printf(__VA_ARGS__);					\
		putchar('\n');						\
	} while (0)

#define SEC	1000000000LL
#define MIB	(1024 * 1024)

static struct dojo_device *dev0, *dev1;


static void fill_pattern(void *p, size_t len, uint32_t seed)
{
	uint32_t *w = p, x = seed | 1;
	size_t i;

	for (i = 0; i < len / 4; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		w[i] = x;
	}
}

/* Run @cb on @dev's @queue, wait; the job status, or -errno. */
static int run(struct dojo_device *dev, uint32_t queue,
	       struct dojo_cmdbuf *cb, struct dojo_job_status *st)
{
	uint64_t id;
	int err;

	err = dojo_submit(dev, queue, cb, NULL, 0, NULL, &id);
	if (err)
		return err;
	return dojo_job_wait(dev, id, 30 * SEC, st);
}

static int run_ok(struct dojo_device *dev, struct dojo_cmdbuf *cb)
{
	struct dojo_job_status st;
	int err = run(dev, 0, cb, &st);

	return err ? err : st.status == DRM_DOJO_JOB_DONE ? 0 : -EIO;
}

/* ---- buffers -------------------------------------------------------------- */

static void test_bo(void)
{
	struct drm_dojo_memory_info m0, m1;
	struct drm_dojo_bo_info info;
	struct dojo_bo *host, *hbm, *bo;
	void *p, *p2;
	int err;

	CHECK(!dojo_memory_info(dev0, &m0), "memory info");
	CHECK(m0.hbm_size == 32ull << 30, "HBM size 32 GiB (%llu)",
	      (unsigned long long)m0.hbm_size);

	err = dojo_bo_create(dev0, 1 * MIB, DRM_DOJO_PLACEMENT_HBM, &hbm);
	CHECK(!err, "create 1 MiB HBM buffer: %s", dojo_strerror(err));
	err = dojo_bo_create(dev0, 5000, DRM_DOJO_PLACEMENT_HOST, &host);
	CHECK(!err, "create 5000-byte host buffer: %s", dojo_strerror(err));
	if (!hbm || !host)
		return;
	CHECK(dojo_bo_size(host) == 8192, "host buffer rounded to 8192 (%llu)",
	      (unsigned long long)dojo_bo_size(host));
	CHECK(dojo_bo_placement(hbm) == DRM_DOJO_PLACEMENT_HBM &&
	      dojo_bo_placement(host) == DRM_DOJO_PLACEMENT_HOST,
	      "placements");
	CHECK(dojo_bo_device(host) == dev0 && dojo_bo_handle(host) &&
	      dojo_bo_handle(host) != dojo_bo_handle(hbm), "device, handles");

	CHECK(!dojo_memory_info(dev0, &m1) &&
	      m1.hbm_used == m0.hbm_used + MIB &&
	      m1.host_used == m0.host_used + 8192,
	      "memory info counts the new buffers (hbm %llu host %llu)",
	      (unsigned long long)(m1.hbm_used - m0.hbm_used),
	      (unsigned long long)(m1.host_used - m0.host_used));

	CHECK(!dojo_bo_info(hbm, &info) && info.size == MIB &&
	      info.placement == DRM_DOJO_PLACEMENT_HBM && !info.mmap_offset,
	      "info of an HBM buffer");
	CHECK(!dojo_bo_info(host, &info) && info.mmap_offset,
	      "info of a host buffer has an mmap offset");

	err = dojo_bo_map(hbm, &p);
	CHECK(err == -EOPNOTSUPP && !p, "mapping HBM: %s", dojo_strerror(err));
	err = dojo_bo_map(host, &p);
	CHECK(!err && p, "mapping a host buffer: %s", dojo_strerror(err));
	CHECK(!dojo_bo_map(host, &p2) && p2 == p, "mapping is kept");
	if (p)
		memset(p, 0xa5, 8192);

	CHECK(dojo_bo_create(dev0, 0, DRM_DOJO_PLACEMENT_HOST, &bo) == -EINVAL &&
	      !bo, "size 0: -EINVAL");
	CHECK(dojo_bo_create(dev0, 4096, 0, &bo) == -EINVAL,
	      "placement 0: -EINVAL");
	CHECK(dojo_bo_create(dev0, 4096, 4, &bo) == -EINVAL,
	      "placement 4: -EINVAL");
	err = dojo_bo_create(dev0, m0.hbm_size + 1, DRM_DOJO_PLACEMENT_HBM, &bo);
	CHECK(err == -EINVAL, "larger than HBM: %s", dojo_strerror(err));
	CHECK(dojo_bo_import(dev0, -1, &bo) == -EBADF, "import of fd -1");
	err = dojo_bo_import(dev0, 0, &bo);
	CHECK(err < 0 && !bo, "import of stdin: %s", dojo_strerror(err));

	dojo_bo_free(host);
	dojo_bo_free(hbm);
	dojo_bo_free(NULL);
	CHECK(!dojo_memory_info(dev0, &m1) && m1.hbm_used == m0.hbm_used &&
	      m1.host_used == m0.host_used, "freed buffers leave the accounts");
}

/* ---- command buffers ------------------------------------------------------ */

static void test_cmdbuf(void)
{
	struct dojo_bo *a, *b, *other, *many[DRM_DOJO_MAX_BOS + 1];
	struct dojo_cmdbuf *cb;
	int err, i, n;

	if (dojo_bo_create(dev0, 8192, DRM_DOJO_PLACEMENT_HOST, &a) ||
	    dojo_bo_create(dev0, 8192, DRM_DOJO_PLACEMENT_HBM, &b) ||
	    dojo_bo_create(dev1, 4096, DRM_DOJO_PLACEMENT_HOST, &other) ||
	    dojo_cmdbuf_new(&cb)) {
		CHECK(0, "command buffer set-up");
		return;
	}

	CHECK(dojo_cmdbuf_copy(cb, b, 0, a, 0, 0) == -EINVAL, "copy of 0 bytes");
	CHECK(dojo_cmdbuf_copy(cb, b, 1, a, 0, 8192) == -EINVAL,
	      "copy past the destination");
	CHECK(dojo_cmdbuf_copy(cb, b, 0, a, 8191, 2) == -EINVAL,
	      "copy past the source");
	CHECK(dojo_cmdbuf_copy(cb, b, UINT64_MAX, a, 0, 2) == -EINVAL,
	      "copy with an overflowing offset");
	CHECK(dojo_cmdbuf_fill(cb, b, 8192, 1, 0) == -EINVAL,
	      "fill past the end");
	CHECK(dojo_cmdbuf_crc32(cb, a, 8190, b, 0, 8192) == -EINVAL,
	      "crc32 result past the end");
	CHECK(dojo_cmdbuf_copy(cb, NULL, 0, a, 0, 1) == -EINVAL,
	      "copy to no buffer");
	CHECK(!dojo_cmdbuf_num_cmds(cb) && !dojo_cmdbuf_num_bos(cb),
	      "refused commands leave nothing behind");

	CHECK(!dojo_cmdbuf_copy(cb, b, 0, a, 0, 8192) &&
	      !dojo_cmdbuf_crc32(cb, a, 0, b, 0, 8192) &&
	      dojo_cmdbuf_num_cmds(cb) == 2 && dojo_cmdbuf_num_bos(cb) == 2,
	      "two commands on two buffers: table de-duplicated");
	CHECK(dojo_cmdbuf_add_bo(cb, a) == 0 && dojo_cmdbuf_add_bo(cb, b) == 1,
	      "add_bo returns the existing indices");
	err = dojo_cmdbuf_copy(cb, other, 0, a, 0, 16);
	CHECK(err == -EXDEV && dojo_cmdbuf_num_cmds(cb) == 2 &&
	      dojo_cmdbuf_num_bos(cb) == 2,
	      "buffer of another DIP: %s, nothing added", dojo_strerror(err));
	CHECK(dojo_submit(dev1, 0, cb, NULL, 0, NULL, NULL) == -EXDEV,
	      "submitting to another DIP: -EXDEV");

	dojo_cmdbuf_reset(cb);
	CHECK(!dojo_cmdbuf_num_cmds(cb) && !dojo_cmdbuf_num_bos(cb), "reset");
	CHECK(dojo_submit(dev0, 0, cb, NULL, 0, NULL, NULL) == -EINVAL,
	      "submitting an empty command buffer: -EINVAL");

	for (i = 0, err = 0; i < DRM_DOJO_MAX_CMDS && !err; i++)
		err = i % 2 ? dojo_cmdbuf_nop(cb) : dojo_cmdbuf_barrier(cb);
	CHECK(!err && dojo_cmdbuf_num_cmds(cb) == DRM_DOJO_MAX_CMDS,
	      "grows to %d commands", DRM_DOJO_MAX_CMDS);
	CHECK(dojo_cmdbuf_nop(cb) == -ENOSPC, "command %d: -ENOSPC",
	      DRM_DOJO_MAX_CMDS + 1);
	CHECK(run_ok(dev0, cb) == 0, "a job of %d commands runs",
	      DRM_DOJO_MAX_CMDS);

	dojo_cmdbuf_reset(cb);
	memset(many, 0, sizeof(many));
	for (i = 0, n = 0; i <= DRM_DOJO_MAX_BOS; i++)
		if (!dojo_bo_create(dev0, 4096, DRM_DOJO_PLACEMENT_HBM, &many[i]))
			n++;
	for (i = 0, err = 0; i < DRM_DOJO_MAX_BOS && !err; i++)
		err = dojo_cmdbuf_fill(cb, many[i], 0, 4096, (uint32_t)i);
	CHECK(n == DRM_DOJO_MAX_BOS + 1 && !err &&
	      dojo_cmdbuf_num_bos(cb) == DRM_DOJO_MAX_BOS,
	      "%d buffers in one job", DRM_DOJO_MAX_BOS);
	CHECK(dojo_cmdbuf_fill(cb, many[DRM_DOJO_MAX_BOS], 0, 4, 0) == -ENOSPC &&
	      dojo_cmdbuf_num_cmds(cb) == DRM_DOJO_MAX_BOS,
	      "buffer %d: -ENOSPC, nothing added", DRM_DOJO_MAX_BOS + 1);
	CHECK(run_ok(dev0, cb) == 0, "a job on %d buffers runs",
	      DRM_DOJO_MAX_BOS);
	for (i = 0; i <= DRM_DOJO_MAX_BOS; i++)
		dojo_bo_free(many[i]);

	dojo_cmdbuf_free(cb);
	dojo_cmdbuf_free(NULL);
	dojo_bo_free(a);
	dojo_bo_free(b);
	dojo_bo_free(other);
}

/* ---- jobs ----------------------------------------------------------------- */

static void test_jobs(void)
{
	struct dojo_bo *src, *hbm, *dst, *res;
	void *psrc, *pdst, *pres;
	struct dojo_job_status st;
	struct dojo_cmdbuf *cb;
	const size_t len = 3 * MIB + 123;
	uint32_t crc, got;
	uint64_t id;
	int err, ok, i;

	if (dojo_bo_create(dev0, 4 * MIB, DRM_DOJO_PLACEMENT_HOST, &src) ||
	    dojo_bo_create(dev0, 4 * MIB, DRM_DOJO_PLACEMENT_HBM, &hbm) ||
	    dojo_bo_create(dev0, 4 * MIB, DRM_DOJO_PLACEMENT_HOST, &dst) ||
	    dojo_bo_create(dev0, 4096, DRM_DOJO_PLACEMENT_HOST, &res) ||
	    dojo_bo_map(src, &psrc) || dojo_bo_map(dst, &pdst) ||
	    dojo_bo_map(res, &pres) || dojo_cmdbuf_new(&cb)) {
		CHECK(0, "job set-up");
		return;
	}
	fill_pattern(psrc, 4 * MIB, 7);
	memset(pdst, 0, 4 * MIB);

	/* FILL of a host buffer at an odd offset */
	err = dojo_cmdbuf_fill(cb, dst, 1, 4096, 0x11223344);
	err = err ?: run(dev0, 0, cb, &st);
	CHECK(!err && st.status == DRM_DOJO_JOB_DONE &&
	      ((uint8_t *)pdst)[0] == 0 && ((uint8_t *)pdst)[1] == 0x44 &&
	      ((uint8_t *)pdst)[2] == 0x33 && ((uint8_t *)pdst)[4096] == 0x11 &&
	      ((uint8_t *)pdst)[4097] == 0,
	      "fill: pattern laid from the offset, little-endian");

	/* host -> HBM -> host with a CRC of the HBM copy, one job */
	dojo_cmdbuf_reset(cb);
	memset(pdst, 0, 4 * MIB);
	err = dojo_cmdbuf_copy(cb, hbm, 5, src, 3, len) ?:
	      dojo_cmdbuf_barrier(cb) ?:
	      dojo_cmdbuf_crc32(cb, res, 8, hbm, 5, len) ?:
	      dojo_cmdbuf_copy(cb, dst, 1, hbm, 5, len);
	err = err ?: run(dev0, 1, cb, &st);
	CHECK(!err && st.status == DRM_DOJO_JOB_DONE,
	      "copy host->HBM->host on queue 1: %s, %s", dojo_strerror(err),
	      dojo_job_status_str(st.status));
	CHECK(!memcmp((uint8_t *)psrc + 3, (uint8_t *)pdst + 1, len) &&
	      ((uint8_t *)pdst)[0] == 0 && ((uint8_t *)pdst)[len + 1] == 0,
	      "read-back identical, nothing around it touched");
	crc = (uint32_t)crc32_z(0, (uint8_t *)psrc + 3, len);
	memcpy(&got, (uint8_t *)pres + 8, 4);
	CHECK(got == crc, "card crc32 0x%08x, CPU 0x%08x", got, crc);

	CHECK(dojo_job_wait(dev0, 999999, 0, &st) == -ENOENT &&
	      st.status == DRM_DOJO_JOB_PENDING, "wait for an unknown id: -ENOENT");
	CHECK(dojo_submit(dev0, 1000, cb, NULL, 0, NULL, &id) == -EINVAL &&
	      !id, "queue 1000: -EINVAL");

	/* polling a long job */
	dojo_cmdbuf_reset(cb);
	for (i = 0, err = 0; i < 16 && !err; i++)
		err = dojo_cmdbuf_copy(cb, hbm, 0, src, 0, 4 * MIB);
	err = err ?: dojo_submit(dev0, 2, cb, NULL, 0, NULL, &id);
	ok = dojo_job_wait(dev0, id, 0, &st);
	CHECK(!err && (ok == -ETIME ? st.status == DRM_DOJO_JOB_PENDING :
		       ok == 0 && st.status == DRM_DOJO_JOB_DONE),
	      "polling a 64 MiB job: %s", dojo_strerror(ok));
	ok = dojo_job_wait(dev0, id, -1, &st);
	CHECK(!ok && st.status == DRM_DOJO_JOB_DONE, "then waiting forever: %s",
	      dojo_job_status_str(st.status));

	dojo_cmdbuf_free(cb);
	dojo_bo_free(src);
	dojo_bo_free(hbm);
	dojo_bo_free(dst);
	dojo_bo_free(res);
}

/* ---- syncobjs ------------------------------------------------------------- */

static void test_syncobj(void)
{
	struct drm_dojo_sync bin = { 0 }, tl = { 0 }, imp = { 0 };
	struct dojo_bo *host, *hbm;
	struct dojo_cmdbuf *up, *down;
	struct dojo_job_status st;
	uint64_t id1, id2;
	uint32_t first;
	void *p;
	int err, fd;
	struct pollfd pfd;

	if (dojo_bo_create(dev0, 2 * MIB, DRM_DOJO_PLACEMENT_HOST, &host) ||
	    dojo_bo_create(dev0, 2 * MIB, DRM_DOJO_PLACEMENT_HBM, &hbm) ||
	    dojo_bo_map(host, &p) || dojo_cmdbuf_new(&up) ||
	    dojo_cmdbuf_new(&down)) {
		CHECK(0, "syncobj set-up");
		return;
	}
	CHECK(!dojo_syncobj_create(dev0, 0, &bin.handle) && bin.handle,
	      "create a syncobj");
	CHECK(!dojo_syncobj_create(dev0, 0, &tl.handle), "create a timeline");
	CHECK(!dojo_syncobj_create(dev0, 0, &imp.handle), "create another");

	err = dojo_syncobj_wait(dev0, &bin, 1, 0, 0, NULL);
	CHECK(err == -EINVAL, "waiting for a syncobj without a fence: %s",
	      dojo_strerror(err));
	err = dojo_syncobj_wait(dev0, &bin, 1, 0,
				DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT, NULL);
	CHECK(err == -ETIME, "polling it for a submit: %s", dojo_strerror(err));

	/* job 1 on queue 0 -> binary syncobj -> job 2 on queue 3 */
	memset(p, 0x5a, MIB);
	dojo_cmdbuf_fill(down, host, 0, MIB, 0);	/* overwrite 0x5a */
	dojo_cmdbuf_copy(down, host, 0, hbm, 0, MIB);	/* with HBM's 0x3c */
	dojo_cmdbuf_fill(up, hbm, 0, MIB, 0x3c3c3c3c);
	tl.point = 7;
	err = dojo_submit(dev0, 0, up, NULL, 0, &bin, &id1);
	CHECK(!err, "job 1 with a binary out-sync: %s", dojo_strerror(err));
	err = dojo_submit(dev0, 3, down, &bin, 1, &tl, &id2);
	CHECK(!err, "job 2 waits for it, signals timeline point 7: %s",
	      dojo_strerror(err));

	err = dojo_job_export_sync_file(dev0, &tl, &fd);
	CHECK(!err && fd >= 0, "sync_file of point 7: %s", dojo_strerror(err));
	if (!err) {
		pfd.fd = fd;
		pfd.events = POLLIN;
		CHECK(poll(&pfd, 1, 30000) == 1 && (pfd.revents & POLLIN),
		      "the sync_file polls readable once the job ends");
		err = dojo_syncobj_import_sync_file(dev0, &imp, fd);
		CHECK(!err, "sync_file imported into a syncobj: %s",
		      dojo_strerror(err));
		close(fd);
		CHECK(!dojo_syncobj_wait(dev0, &imp, 1, 0, 0, NULL),
		      "which is signalled");
	}
	first = 99;
	err = dojo_syncobj_wait(dev0, &tl, 1, 10 * SEC, 0, &first);
	CHECK(!err && first == 0, "timeline point 7 signalled: %s",
	      dojo_strerror(err));
	CHECK(!dojo_job_wait(dev0, id2, 0, &st) &&
	      st.status == DRM_DOJO_JOB_DONE, "job 2 done");
	CHECK(((uint8_t *)p)[0] == 0x3c && ((uint8_t *)p)[MIB - 1] == 0x3c,
	      "job 2 ran after job 1 (read 0x%02x)", ((uint8_t *)p)[0]);

	tl.point = 9;
	imp.point = 3;
	err = dojo_job_export_sync_file(dev0, &tl, &fd);
	CHECK(err == -EINVAL, "sync_file of a point not submitted: %s",
	      dojo_strerror(err));
	tl.point = 7;
	err = dojo_job_export_sync_file(dev0, &tl, &fd);
	if (!err) {
		err = dojo_syncobj_import_sync_file(dev0, &imp, fd);
		close(fd);
	}
	CHECK(!err && !dojo_syncobj_wait(dev0, &imp, 1, SEC, 0, NULL),
	      "a sync_file imported as timeline point 3");

	CHECK(!dojo_syncobj_destroy(dev0, bin.handle) &&
	      !dojo_syncobj_destroy(dev0, tl.handle) &&
	      !dojo_syncobj_destroy(dev0, imp.handle), "destroy");
	CHECK(dojo_syncobj_destroy(dev0, bin.handle) == -EINVAL,
	      "destroy twice: -EINVAL");
	CHECK(dojo_submit(dev0, 0, up, NULL, 0, &bin, NULL) == -ENOENT,
	      "out-sync that does not exist: -ENOENT");
	dojo_cmdbuf_free(up);
	dojo_cmdbuf_free(down);
	dojo_bo_free(host);
	dojo_bo_free(hbm);
}

/* ---- sharing -------------------------------------------------------------- */

static int send_fd(int sock, int fd)
{
	char c = 'f', buf[CMSG_SPACE(sizeof(int))] = { 0 };
	struct iovec iov = { .iov_base = &c, .iov_len = 1 };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = buf, .msg_controllen = sizeof(buf),
	};
	struct cmsghdr *cm = CMSG_FIRSTHDR(&msg);

	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &fd, sizeof(int));
	return sendmsg(sock, &msg, 0) == 1 ? 0 : -errno;
}

static int recv_fd(int sock)
{
	char c, buf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { .iov_base = &c, .iov_len = 1 };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = buf, .msg_controllen = sizeof(buf),
	};
	struct cmsghdr *cm;
	int fd;

	if (recvmsg(sock, &msg, 0) != 1)
		return -1;
	cm = CMSG_FIRSTHDR(&msg);
	if (!cm || cm->cmsg_type != SCM_RIGHTS)
		return -1;
	memcpy(&fd, CMSG_DATA(cm), sizeof(int));
	return fd;
}

/*
 * The child opens the DIP itself, makes a host buffer with a pattern and
 * an HBM buffer filled by the card, and sends both dma-bufs; it waits for
 * the parent's byte before it exits.
 */
static void child(const char *path, int sock)
{
	struct dojo_device *dev;
	struct dojo_bo *host, *hbm;
	struct dojo_cmdbuf *cb;
	void *p;
	int fd1, fd2;
	char c;

	if (dojo_open_path(path, &dev) ||
	    dojo_bo_create(dev, MIB, DRM_DOJO_PLACEMENT_HOST, &host) ||
	    dojo_bo_create(dev, MIB, DRM_DOJO_PLACEMENT_HBM, &hbm) ||
	    dojo_bo_map(host, &p) || dojo_cmdbuf_new(&cb))
		_exit(1);
	fill_pattern(p, MIB, 42);
	if (dojo_cmdbuf_fill(cb, hbm, 0, MIB, 0xc0ffee00) || run_ok(dev, cb))
		_exit(2);
	if (dojo_bo_export(host, &fd1) || dojo_bo_export(hbm, &fd2) ||
	    send_fd(sock, fd1) || send_fd(sock, fd2))
		_exit(3);
	close(fd1);
	close(fd2);
	if (read(sock, &c, 1) != 1)
		_exit(4);
	dojo_cmdbuf_free(cb);
	dojo_bo_free(host);
	dojo_bo_free(hbm);
	dojo_close(dev);
	_exit(0);
}

static void test_other_process(void)
{
	struct dojo_bo *host = NULL, *hbm = NULL, *res;
	struct dojo_cmdbuf *cb;
	int sv[2], fd1, fd2, status, err;
	uint32_t crc, want, x;
	void *p = NULL, *pres;
	uint8_t *ref;
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv)) {
		CHECK(0, "socketpair");
		return;
	}
	pid = fork();
	if (!pid) {
		close(sv[0]);
		child(dojo_device_path(dev0), sv[1]);
	}
	close(sv[1]);
	fd1 = recv_fd(sv[0]);
	fd2 = recv_fd(sv[0]);
	CHECK(fd1 >= 0 && fd2 >= 0, "dma-bufs received from another process");

	err = dojo_bo_import(dev0, fd1, &host);
	CHECK(!err && dojo_bo_placement(host) == DRM_DOJO_PLACEMENT_HOST &&
	      dojo_bo_size(host) == MIB,
	      "import another process's host buffer: %s", dojo_strerror(err));
	err = dojo_bo_import(dev0, fd2, &hbm);
	CHECK(!err && dojo_bo_placement(hbm) == DRM_DOJO_PLACEMENT_HBM,
	      "import another process's HBM buffer on the same DIP: %s",
	      dojo_strerror(err));

	ref = malloc(MIB);
	if (ref)
		fill_pattern(ref, MIB, 42);
	if (host && !dojo_bo_map(host, &p))
		CHECK(ref && !memcmp(p, ref, MIB),
		      "its contents, through the exporter's mapping");
	else
		CHECK(0, "mapping the imported host buffer");

	if (host && hbm && !dojo_bo_create(dev0, 4096, DRM_DOJO_PLACEMENT_HOST,
					   &res) &&
	    !dojo_bo_map(res, &pres) && !dojo_cmdbuf_new(&cb)) {
		err = dojo_cmdbuf_crc32(cb, res, 0, host, 0, MIB) ?:
		      dojo_cmdbuf_crc32(cb, res, 4, hbm, 0, MIB);
		err = err ?: run_ok(dev0, cb);
		memcpy(&crc, pres, 4);
		want = (uint32_t)crc32_z(0, ref, MIB);
		CHECK(!err && crc == want,
		      "card crc32 of the imported host buffer 0x%08x (CPU 0x%08x)",
		      crc, want);
		memset(ref, 0, MIB);
		for (x = 0; x < MIB / 4; x++)
			((uint32_t *)ref)[x] = 0xc0ffee00;
		memcpy(&crc, (uint8_t *)pres + 4, 4);
		want = (uint32_t)crc32_z(0, ref, MIB);
		CHECK(!err && crc == want,
		      "card crc32 of the imported HBM buffer 0x%08x (CPU 0x%08x)",
		      crc, want);
		dojo_cmdbuf_free(cb);
		dojo_bo_free(res);
	} else {
		CHECK(0, "crc jobs on imported buffers");
	}

	if (write(sv[0], "x", 1) != 1)
		CHECK(0, "release the child");
	waitpid(pid, &status, 0);
	CHECK(WIFEXITED(status) && !WEXITSTATUS(status), "child exit %d",
	      WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	dojo_bo_free(host);
	dojo_bo_free(hbm);
	if (fd1 >= 0)
		close(fd1);
	if (fd2 >= 0)
		close(fd2);
	close(sv[0]);
	free(ref);
}

/* Export and import in one process, and between the two DIPs. */
static void test_share(void)
{
	struct dojo_bo *host, *hbm, *again, *on1, *hbm1;
	struct dojo_cmdbuf *cb;
	void *p, *p1;
	int fd, fdh, err;

	if (dojo_bo_create(dev0, MIB, DRM_DOJO_PLACEMENT_HOST, &host) ||
	    dojo_bo_create(dev0, MIB, DRM_DOJO_PLACEMENT_HBM, &hbm) ||
	    dojo_bo_map(host, &p)) {
		CHECK(0, "sharing set-up");
		return;
	}
	memset(p, 0, MIB);
	err = dojo_bo_export(host, &fd);
	CHECK(!err && fd >= 0 && (fcntl(fd, F_GETFD) & FD_CLOEXEC),
	      "export a host buffer (close-on-exec): %s", dojo_strerror(err));
	err = dojo_bo_import(dev0, fd, &again);
	CHECK(!err && again == host,
	      "importing it into the same DIP returns the same buffer");
	dojo_bo_free(again);
	CHECK(dojo_bo_size(host) == MIB && !dojo_bo_map(host, &p1) && p1 == p,
	      "which survives freeing the extra reference");

	/* dev1 writes into dev0's host buffer */
	err = dojo_bo_import(dev1, fd, &on1);
	CHECK(!err, "import a host buffer of DIP 0 into DIP 1: %s",
	      dojo_strerror(err));
	if (!err && !dojo_bo_create(dev1, MIB, DRM_DOJO_PLACEMENT_HBM, &hbm1)) {
		if (!dojo_cmdbuf_new(&cb)) {
			err = dojo_cmdbuf_fill(cb, hbm1, 0, MIB, 0x01020304) ?:
			      dojo_cmdbuf_copy(cb, on1, 0, hbm1, 0, MIB) ?:
			      run_ok(dev1, cb);
			CHECK(!err && ((uint8_t *)p)[0] == 4 &&
			      ((uint8_t *)p)[MIB - 1] == 1,
			      "DIP 1 copies into it, DIP 0's mapping sees it");
			dojo_cmdbuf_free(cb);
		}
		dojo_bo_free(hbm1);
	}
	dojo_bo_free(on1);
	close(fd);

	err = dojo_bo_export(hbm, &fdh);
	CHECK(!err, "export an HBM buffer: %s", dojo_strerror(err));
	if (!err) {
		err = dojo_bo_import(dev1, fdh, &on1);
		CHECK(err < 0 && !on1,
		      "another DIP cannot import it: %s", dojo_strerror(err));
		if (!err)
			dojo_bo_free(on1);
		err = dojo_bo_import(dev0, fdh, &again);
		CHECK(!err && again == hbm, "the same DIP can");
		dojo_bo_free(again);
		close(fdh);
	}
	dojo_bo_free(host);
	dojo_bo_free(hbm);
}

/* Both DIPs on one tile (libdojo-dma.sh cables them): a shared tile buffer. */
static void test_tile(void)
{
	struct drm_dojo_ttp_info i0, i1;
	struct dojo_bo *h0, *h1, *t0, *t1;
	struct dojo_cmdbuf *cb;
	void *p0, *p1;
	int err;

	CHECK(dojo_ttp_link_state_name(DRM_DOJO_TTP_LINK_UP) &&
	      !strcmp(dojo_ttp_link_state_name(DRM_DOJO_TTP_LINK_DOWN), "down") &&
	      !dojo_ttp_link_state_name(0), "TTP link state names");
	err = dojo_ttp_info(dev0, &i0) ?: dojo_ttp_info(dev1, &i1);
	CHECK(!err, "TTP query: %s", dojo_strerror(err));
	if (err || i0.link_state != DRM_DOJO_TTP_LINK_UP ||
	    i1.link_state != DRM_DOJO_TTP_LINK_UP) {
		SKIP("the two DIPs are not linked to a tile");
		return;
	}
	CHECK(i0.tile_id == i1.tile_id && i0.sram_size && i0.tile_used == 0 &&
	      (i0.tile_edge != i1.tile_edge || i0.tile_slot != i1.tile_slot),
	      "both on tile %u, different slots", i0.tile_id);

	if (dojo_bo_create(dev0, MIB, DRM_DOJO_PLACEMENT_HOST, &h0) ||
	    dojo_bo_create(dev1, MIB, DRM_DOJO_PLACEMENT_HOST, &h1) ||
	    dojo_bo_map(h0, &p0) || dojo_bo_map(h1, &p1)) {
		CHECK(0, "tile set-up");
		return;
	}
	err = dojo_bo_create(dev0, MIB, DRM_DOJO_PLACEMENT_TILE, &t0);
	CHECK(!err && dojo_bo_placement(t0) == DRM_DOJO_PLACEMENT_TILE,
	      "create a tile buffer: %s", dojo_strerror(err));
	if (err)
		goto out_host;
	CHECK(dojo_bo_map(t0, &p1) < 0, "a tile buffer cannot be mapped");
	dojo_bo_map(h1, &p1);
	err = dojo_bo_share(t0, dev1, &t1);
	CHECK(!err && dojo_bo_placement(t1) == DRM_DOJO_PLACEMENT_TILE,
	      "share it with the other DIP of the tile: %s", dojo_strerror(err));
	if (err)
		goto out_tile;
	fill_pattern(p0, MIB, 99);
	memset(p1, 0, MIB);
	if (!dojo_cmdbuf_new(&cb)) {
		err = dojo_cmdbuf_copy(cb, t0, 0, h0, 0, MIB) ?: run_ok(dev0, cb);
		dojo_cmdbuf_reset(cb);
		err = err ?: dojo_cmdbuf_copy(cb, h1, 0, t1, 0, MIB) ?:
		      run_ok(dev1, cb);
		CHECK(!err && !memcmp(p0, p1, MIB),
		      "DIP 0 writes the tile, DIP 1 reads the same bytes");
		dojo_cmdbuf_free(cb);
	}
	err = dojo_ttp_info(dev1, &i1);
	CHECK(!err && i1.tile_used == MIB && i1.rx_bytes >= MIB,
	      "the query counts the buffer and the bytes read");
	dojo_bo_free(t1);
out_tile:
	dojo_bo_free(t0);
out_host:
	dojo_bo_free(h0);
	dojo_bo_free(h1);
}

/* The row of @c's table for (@peer, @vc), or NULL. */
static const struct drm_dojo_zplane_conn *
find_conn(const struct drm_dojo_zplane_conns *c, uint32_t peer, uint32_t vc)
{
	uint32_t i;

	for (i = 0; i < c->count; i++)
		if (c->conns[i].peer_node_id == peer && c->conns[i].vc == vc)
			return &c->conns[i];
	return NULL;
}

/*
 * Both DIPs on one Ethernet segment (libdojo-dma.sh cables them when the
 * emulator can): DIP 0 writes DIP 1's HBM through a grant and reads it
 * back, a read-only and a revoked grant are refused.
 */
static void test_zplane(void)
{
	static struct drm_dojo_zplane_conns conns;
	struct drm_dojo_zplane_info z0, z1;
	struct dojo_bo *h0, *hbm1, *rem, *rem_ro, *h1;
	struct dojo_grant g, g_ro;
	struct dojo_job_status st;
	struct dojo_cmdbuf *cb;
	void *p0, *p1;
	int err;

	err = dojo_zplane_info(dev0, &z0) ?: dojo_zplane_info(dev1, &z1);
	if (err == -EOPNOTSUPP || err == -EINVAL) {
		SKIP("Z-plane: no TTPoE port or a driver without it (%s)",
		     dojo_strerror(err));
		return;
	}
	CHECK(!err, "Z-plane query: %s", dojo_strerror(err));
	if (err)
		return;
	CHECK(z0.node_id != z1.node_id && z0.node_id <= 0xffffff &&
	      z0.mac[0] == 0x98 && z0.mac[1] == 0xed && z0.mac[2] == 0x5c &&
	      z0.mac[3] == (z0.node_id >> 16 & 0xff) &&
	      z0.mac[5] == (z0.node_id & 0xff),
	      "node ids %u and %u, MAC 98:ed:5c + node id", z0.node_id,
	      z1.node_id);
	err = dojo_zplane_conns(dev0, &conns);
	CHECK(!err && conns.count <= DRM_DOJO_ZPLANE_MAX_CONNS,
	      "connection table query: %s", dojo_strerror(err));
	if (z0.link_state != DRM_DOJO_ZPLANE_LINK_UP ||
	    z1.link_state != DRM_DOJO_ZPLANE_LINK_UP) {
		SKIP("Z-plane transfers: the links are %s and %s",
		     dojo_zplane_link_state_name(z0.link_state) ?: "?",
		     dojo_zplane_link_state_name(z1.link_state) ?: "?");
		return;
	}

	if (dojo_bo_create(dev0, MIB, DRM_DOJO_PLACEMENT_HOST, &h0) ||
	    dojo_bo_create(dev1, MIB, DRM_DOJO_PLACEMENT_HOST, &h1) ||
	    dojo_bo_create(dev1, MIB, DRM_DOJO_PLACEMENT_HBM, &hbm1) ||
	    dojo_bo_map(h0, &p0) || dojo_bo_map(h1, &p1) ||
	    dojo_cmdbuf_new(&cb)) {
		CHECK(0, "Z-plane set-up");
		return;
	}
	CHECK(dojo_grant_create(h1, 0, MIB, 0, &g) == -EOPNOTSUPP,
	      "a host buffer cannot be granted");
	err = dojo_grant_create(hbm1, 0, MIB, DRM_DOJO_GRANT_WRITE, &g);
	CHECK(!err && g.grant_id && g.node_id == z1.node_id && g.size == MIB,
	      "grant DIP 1's HBM, writable: %s", dojo_strerror(err));
	err = err ?: dojo_grant_create(hbm1, 0, 4096, 0, &g_ro);
	CHECK(!err && g_ro.grant_id != g.grant_id, "and 4 KiB of it read only");
	if (err)
		goto out;
	err = dojo_remote_import(dev0, g.node_id, g.grant_id, g.key, g.size,
				 &rem);
	CHECK(!err && dojo_bo_placement(rem) == DRM_DOJO_PLACEMENT_REMOTE &&
	      dojo_bo_size(rem) == MIB, "DIP 0 imports the grant: %s",
	      dojo_strerror(err));
	if (err)
		goto out;
	CHECK(dojo_bo_map(rem, &p1) == -EOPNOTSUPP, "a remote buffer cannot be mapped");
	dojo_bo_map(h1, &p1);
	CHECK(dojo_cmdbuf_fill(cb, rem, 0, 4096, 0) == -EINVAL &&
	      dojo_cmdbuf_crc32(cb, h0, 0, rem, 0, 4096) == -EINVAL &&
	      dojo_cmdbuf_copy(cb, rem, 0, rem, 4096, 4096) == -EINVAL &&
	      dojo_cmdbuf_num_cmds(cb) == 0,
	      "only COPY names a remote buffer, on one side");

	fill_pattern(p0, MIB, 1234);
	memset(p1, 0, MIB);
	err = dojo_cmdbuf_copy(cb, rem, 0, h0, 0, MIB) ?: run(dev0, 0, cb, &st);
	CHECK(!err && st.status == DRM_DOJO_JOB_DONE,
	      "DIP 0 writes 1 MiB into DIP 1's HBM: %s", err ?
	      dojo_strerror(err) : dojo_job_status_str(st.status));
	dojo_cmdbuf_reset(cb);
	err = dojo_cmdbuf_copy(cb, h1, 0, hbm1, 0, MIB) ?: run_ok(dev1, cb);
	CHECK(!err && !memcmp(p0, p1, MIB), "DIP 1 finds the bytes in its HBM");
	dojo_cmdbuf_reset(cb);
	memset(p0, 0, MIB);
	err = dojo_cmdbuf_copy(cb, h0, 0, rem, 0, MIB) ?: run_ok(dev0, cb);
	CHECK(!err && !memcmp(p0, p1, MIB), "DIP 0 reads them back");
	dojo_cmdbuf_reset(cb);

	err = dojo_zplane_conns(dev0, &conns);
	CHECK(!err && find_conn(&conns, z1.node_id, 2) &&
	      find_conn(&conns, z1.node_id, 2)->state == DRM_DOJO_CONN_OPEN &&
	      find_conn(&conns, z1.node_id, 2)->tx_seq > 1,
	      "DIP 0 has an OPEN connection to DIP 1 on VC 2");
	err = dojo_zplane_info(dev0, &z0) ?: dojo_zplane_info(dev1, &z1);
	CHECK(!err && z0.tx_bytes >= MIB && z0.rx_bytes >= MIB &&
	      z1.grants >= 2, "the counters count the transfers and grants");

	err = dojo_remote_import(dev0, g_ro.node_id, g_ro.grant_id, g_ro.key,
				 g_ro.size, &rem_ro);
	if (!err) {
		err = dojo_cmdbuf_copy(cb, rem_ro, 0, h0, 0, 4096) ?:
		      run(dev0, 0, cb, &st);
		CHECK(!err && st.status == DRM_DOJO_JOB_REMOTE_REFUSED,
		      "writing a read-only grant is refused: %s",
		      err ? dojo_strerror(err) : dojo_job_status_str(st.status));
		dojo_cmdbuf_reset(cb);
		dojo_bo_free(rem_ro);
	}
	err = dojo_remote_import(dev0, g.node_id, g.grant_id, g.key ^ 1,
				 g.size, &rem_ro);
	if (!err) {
		err = dojo_cmdbuf_copy(cb, h0, 0, rem_ro, 0, 4096) ?:
		      run(dev0, 0, cb, &st);
		CHECK(!err && st.status == DRM_DOJO_JOB_REMOTE_REFUSED,
		      "a wrong key is refused");
		dojo_cmdbuf_reset(cb);
		dojo_bo_free(rem_ro);
	}
	err = dojo_grant_revoke(dev1, &g);
	CHECK(!err, "revoke the grant: %s", dojo_strerror(err));
	CHECK(dojo_grant_revoke(dev1, &g) == -ENOENT, "  a second time: -ENOENT");
	err = dojo_cmdbuf_copy(cb, h0, 0, rem, 0, 4096) ?: run(dev0, 0, cb, &st);
	CHECK(!err && st.status == DRM_DOJO_JOB_REMOTE_REFUSED,
	      "a revoked grant is refused: %s",
	      err ? dojo_strerror(err) : dojo_job_status_str(st.status));
	dojo_bo_free(rem);
	dojo_grant_revoke(dev1, &g_ro);
out:
	dojo_cmdbuf_free(cb);
	dojo_bo_free(hbm1);
	dojo_bo_free(h1);
	dojo_bo_free(h0);
}

static void test_udmabuf(void)
{
	struct udmabuf_create req = { 0 };
	struct dojo_bo *bo, *hbm, *res;
	struct dojo_cmdbuf *cb;
	int memfd, dev, fd, err;
	uint32_t crc, want;
	uint8_t *p;
	void *pres;

	dev = open("/dev/udmabuf", O_RDWR | O_CLOEXEC);
	if (dev < 0) {
		SKIP("udmabuf import: /dev/udmabuf: %s", strerror(errno));
		return;
	}
	memfd = memfd_create("dojo-test", MFD_ALLOW_SEALING | MFD_CLOEXEC);
	if (memfd < 0 || ftruncate(memfd, 2 * MIB) ||
	    fcntl(memfd, F_ADD_SEALS, F_SEAL_SHRINK) < 0) {
		CHECK(0, "memfd for udmabuf");
		close(dev);
		return;
	}
	p = mmap(NULL, 2 * MIB, PROT_READ | PROT_WRITE, MAP_SHARED, memfd, 0);
	req.memfd = (uint32_t)memfd;
	req.size = 2 * MIB;
	req.flags = UDMABUF_FLAGS_CLOEXEC;
	fd = ioctl(dev, UDMABUF_CREATE, &req);
	CHECK(fd >= 0 && p != MAP_FAILED, "udmabuf created");
	if (fd < 0 || p == MAP_FAILED)
		goto out;
	fill_pattern(p, 2 * MIB, 99);

	err = dojo_bo_import(dev0, fd, &bo);
	CHECK(!err && dojo_bo_size(bo) == 2 * MIB &&
	      dojo_bo_placement(bo) == DRM_DOJO_PLACEMENT_HOST,
	      "import a udmabuf: %s", dojo_strerror(err));
	if (err)
		goto out_fd;
	if (!dojo_bo_create(dev0, 2 * MIB, DRM_DOJO_PLACEMENT_HBM, &hbm) &&
	    !dojo_bo_create(dev0, 4096, DRM_DOJO_PLACEMENT_HOST, &res) &&
	    !dojo_bo_map(res, &pres) && !dojo_cmdbuf_new(&cb)) {
		want = (uint32_t)crc32_z(0, p, 2 * MIB);
		err = dojo_cmdbuf_copy(cb, hbm, 0, bo, 0, 2 * MIB) ?:
		      dojo_cmdbuf_crc32(cb, res, 0, hbm, 0, 2 * MIB) ?:
		      dojo_cmdbuf_fill(cb, bo, 0, MIB, 0) ?:
		      run_ok(dev0, cb);
		memcpy(&crc, pres, 4);
		CHECK(!err && crc == want,
		      "udmabuf -> HBM, card crc32 0x%08x (CPU 0x%08x)", crc,
		      want);
		CHECK(!err && p[0] == 0 && p[MIB - 1] == 0 &&
		      (p[MIB] != 0 || p[MIB + 1] != 0),
		      "the card writes into the memfd's pages");
		dojo_cmdbuf_free(cb);
		dojo_bo_free(res);
		dojo_bo_free(hbm);
	} else {
		CHECK(0, "udmabuf job set-up");
	}
	dojo_bo_free(bo);
out_fd:
	close(fd);
out:
	if (p != MAP_FAILED)
		munmap(p, 2 * MIB);
	close(memfd);
	close(dev);
}

/* ---- threads and strings ---------------------------------------------------- */

struct map_race {
	struct dojo_bo *bo;
	void *ptr;
};

static void *map_thread(void *arg)
{
	struct map_race *m = arg;

	if (dojo_bo_map(m->bo, &m->ptr))
		m->ptr = NULL;
	return NULL;
}

static void test_threads(void)
{
	struct map_race m[8];
	pthread_t t[8];
	struct dojo_bo *bo;
	int i, same = 1;

	if (dojo_bo_create(dev0, 64 * 4096, DRM_DOJO_PLACEMENT_HOST, &bo)) {
		CHECK(0, "thread set-up");
		return;
	}
	for (i = 0; i < 8; i++) {
		m[i].bo = bo;
		pthread_create(&t[i], NULL, map_thread, &m[i]);
	}
	for (i = 0; i < 8; i++) {
		pthread_join(t[i], NULL);
		same &= m[i].ptr && m[i].ptr == m[0].ptr;
	}
	CHECK(same, "8 threads map one buffer: one mapping");
	dojo_bo_free(bo);
}

static void test_strings(void)
{
	static const int errs[] = { EXDEV, ETIME, ENOSPC, EOPNOTSUPP, EBADF,
				    EFAULT, ENOENT, EINVAL, ENOMEM, ENODEV };
	unsigned int i;
	int ok = 1;

	for (i = 0; i < sizeof(errs) / sizeof(errs[0]); i++)
		ok &= strcmp(dojo_strerror(-errs[i]), "unknown error") != 0;
	CHECK(ok, "dojo_strerror knows the errors of the job interface");
	CHECK(!strcmp(dojo_job_status_str(DRM_DOJO_JOB_DONE), "done") &&
	      !strcmp(dojo_job_status_str(77), "unknown") &&
	      !strcmp(dojo_job_error_str(DRM_DOJO_ERR_FAULT),
		      "access outside a buffer"),
	      "job status and error names");
	ok = 1;
	for (i = DRM_DOJO_JOB_PENDING; i <= DRM_DOJO_JOB_REMOTE_TIMEOUT; i++)
		ok &= strcmp(dojo_job_status_str(i), "unknown") != 0;
	CHECK(ok, "every job status of the uapi has a name");
}

int main(int argc, char **argv)
{
	int err;

	printf("TAP version 13\n");
	if (argc < 3) {
		fprintf(stderr, "usage: %s DEVICE0 DEVICE1\n", argv[0]);
		return 2;
	}
	err = dojo_open(argv[1], &dev0) ?: dojo_open(argv[2], &dev1);
	if (err) {
		printf("Bail out! open %s, %s: %s\n", argv[1], argv[2],
		       dojo_strerror(err));
		return 1;
	}
	test_strings();
	test_bo();
	test_cmdbuf();
	test_jobs();
	test_syncobj();
	test_share();
	test_tile();
	test_zplane();
	test_other_process();
	test_udmabuf();
	test_threads();
	dojo_close(dev0);
	dojo_close(dev1);
	printf("1..%d\n", n_tests);
	return n_failed ? 1 : 0;
}
