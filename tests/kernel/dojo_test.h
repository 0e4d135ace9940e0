/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Helpers shared by the kselftest-harness tests of the dojo ioctl interface
 * (tests/kernel/<name>_test.c). Raw ioctls only, so that the tests exercise the
 * kernel interface and nothing above it; libdrm only for its syncobj and
 * PRIME wrappers, which are thin ioctl wrappers themselves.
 *
 * Every helper returns 0 or a negative errno and never asserts, so that
 * it can be used from forked children as well as from TEST() bodies.
 */
#ifndef DOJO_TEST_H
#define DOJO_TEST_H

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <linux/netlink.h>
#include <xf86drm.h>
#include <zlib.h>

#include "dojo_accel.h"

#define DT_EMU_DEBUGFS		"/sys/kernel/debug/dojo_emu"
#define DT_EMU_BUS		"/sys/bus/dojo_emu"
#define DT_ACCEL_DEBUGFS	"/sys/kernel/debug/accel"
#define DT_MIB			(1024ULL * 1024)
#define DT_PAGE			4096ULL

/* ---- time ---------------------------------------------------------------- */

static inline int64_t dt_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static inline int64_t dt_deadline_ms(int64_t ms)
{
	return dt_now_ns() + ms * 1000000LL;
}

static inline void dt_sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* ---- files ----------------------------------------------------------------- */

/* Write a string to a sysfs/debugfs file; 0 or -errno. */
static inline int dt_write_file(const char *path, const char *val)
{
	ssize_t n;
	int fd;

	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, val, strlen(val));
	if (n < 0) {
		n = -errno;
		close(fd);
		return n;
	}
	close(fd);
	return n == (ssize_t)strlen(val) ? 0 : -EIO;
}

/* Read a small file into buf (NUL-terminated); bytes read or -errno. */
static inline ssize_t dt_read_file(const char *path, char *buf, size_t len)
{
	ssize_t n, total = 0;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	while (total < (ssize_t)len - 1) {
		n = read(fd, buf + total, len - 1 - total);
		if (n < 0) {
			n = -errno;
			close(fd);
			return n;
		}
		if (!n)
			break;
		total += n;
	}
	close(fd);
	buf[total] = '\0';
	return total;
}

static inline long long dt_read_num(const char *path)
{
	char buf[64];

	if (dt_read_file(path, buf, sizeof(buf)) <= 0)
		return -1;
	return strtoll(buf, NULL, 0);
}

/* ---- cards ----------------------------------------------------------------- */

/* The accel minor of emulated card dojo_emu<id>, or -errno. */
static inline int dt_card_minor(int emu_id)
{
	char want[32], path[PATH_MAX], buf[64];
	struct dirent *de;
	int minor = -ENOENT;
	DIR *d;

	snprintf(want, sizeof(want), "dojo_emu%d", emu_id);
	d = opendir("/sys/class/accel");
	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		if (strncmp(de->d_name, "accel", 5))
			continue;
		snprintf(path, sizeof(path),
			 "/sys/class/accel/%s/device/dojo/bus_addr", de->d_name);
		if (dt_read_file(path, buf, sizeof(buf)) <= 0)
			continue;
		buf[strcspn(buf, "\n")] = '\0';
		if (!strcmp(buf, want)) {
			minor = atoi(de->d_name + 5);
			break;
		}
	}
	closedir(d);
	return minor;
}

/* A number of dojo_emu<id>'s sysfs directory (.../device/dojo/), or -1. */
static inline long long dt_card_attr(int emu_id, const char *name)
{
	char path[PATH_MAX];
	int minor = dt_card_minor(emu_id);

	if (minor < 0)
		return -1;
	snprintf(path, sizeof(path), "/sys/class/accel/accel%d/device/dojo/%s",
		 minor, name);
	return dt_read_num(path);
}

/*
 * Wait up to 10 s until the text attribute @name of dojo_emu<id>'s sysfs
 * directory starts with @state ("up", "down", "uncabled"); 0 or -ETIME.
 */
static inline int dt_wait_card_attr(int emu_id, const char *name,
				    const char *state)
{
	char path[PATH_MAX], buf[32];
	int64_t end = dt_deadline_ms(10000);
	int minor = dt_card_minor(emu_id);

	if (minor < 0)
		return minor;
	snprintf(path, sizeof(path), "/sys/class/accel/accel%d/device/dojo/%s",
		 minor, name);
	do {
		if (dt_read_file(path, buf, sizeof(buf)) > 0 &&
		    !strncmp(buf, state, strlen(state)))
			return 0;
		dt_sleep_ms(10);
	} while (dt_now_ns() < end);
	return -ETIME;
}

/* Write a formatted request to the emulator's bus file @attr. */
static inline int dt_emu_bus(const char *attr, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static inline int dt_emu_bus(const char *attr, const char *fmt, ...)
{
	char path[128], buf[64];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	snprintf(path, sizeof(path), DT_EMU_BUS "/%s", attr);
	return dt_write_file(path, buf);
}

/* Open the accel node of emulated card dojo_emu<id>; fd or -errno. */
static inline int dt_open_card(int emu_id)
{
	char node[64];
	int minor = dt_card_minor(emu_id);
	int fd;

	if (minor < 0)
		return minor;
	snprintf(node, sizeof(node), "/dev/accel/accel%d", minor);
	fd = open(node, O_RDWR | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

/* Plug emulated card dojo_emu<id> in (if absent) and wait for its node. */
static inline int dt_card_create(int emu_id)
{
	char buf[16];
	int i, ret;

	if (dt_card_minor(emu_id) >= 0)
		return 0;
	snprintf(buf, sizeof(buf), "%d", emu_id);
	ret = dt_write_file(DT_EMU_BUS "/new_device", buf);
	if (ret)
		return ret;
	for (i = 0; i < 100 && dt_card_minor(emu_id) < 0; i++)
		dt_sleep_ms(50);
	return dt_card_minor(emu_id) < 0 ? -ENODEV : 0;
}

/* Unplug emulated card dojo_emu<id>; returns once the driver let it go. */
static inline int dt_card_delete(int emu_id)
{
	char buf[16];

	snprintf(buf, sizeof(buf), "%d", emu_id);
	return dt_write_file(DT_EMU_BUS "/del_device", buf);
}

/*
 * The driver's debugfs directory of emulated card dojo_emu<id>. DRM names
 * it after the parent device (dojo_emu.dip.<id>) in 6.12; older kernels,
 * and docs/uapi.md, use the minor. 0 or -ENOENT.
 */
static inline int dt_card_debugfs(int emu_id, char *buf, size_t len)
{
	int minor = dt_card_minor(emu_id);

	snprintf(buf, len, DT_ACCEL_DEBUGFS "/dojo_emu.dip.%d", emu_id);
	if (!access(buf, F_OK))
		return 0;
	if (minor >= 0) {
		snprintf(buf, len, DT_ACCEL_DEBUGFS "/%d", minor);
		if (!access(buf, F_OK))
			return 0;
	}
	return -ENOENT;
}

/* Emulator fault switches: /sys/kernel/debug/dojo_emu/dojo_emu<id>/<name>. */
static inline void dt_emu_path(char *buf, size_t len, int emu_id,
			       const char *name)
{
	snprintf(buf, len, DT_EMU_DEBUGFS "/dojo_emu%d/%s", emu_id, name);
}

static inline int dt_emu_write(int emu_id, const char *name, const char *val)
{
	char path[PATH_MAX];

	dt_emu_path(path, sizeof(path), emu_id, name);
	return dt_write_file(path, val);
}

static inline ssize_t dt_emu_read(int emu_id, const char *name, char *buf,
				  size_t len)
{
	char path[PATH_MAX];

	dt_emu_path(path, sizeof(path), emu_id, name);
	return dt_read_file(path, buf, len);
}

static inline bool dt_emu_has(int emu_id, const char *name)
{
	char path[PATH_MAX];

	dt_emu_path(path, sizeof(path), emu_id, name);
	return access(path, F_OK) == 0;
}

/*
 * STATUS of emulated queue @q from the emulator's dma_queues table
 * ("queue ring size head tail ctrl status ..."), or -errno.
 */
static inline long dt_emu_queue_status(int emu_id, unsigned int q)
{
	char buf[4096], *line;
	unsigned int idx, size, head, tail, ctrl, status;
	unsigned long long ring;

	if (dt_emu_read(emu_id, "dma_queues", buf, sizeof(buf)) <= 0)
		return -ENOENT;
	for (line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
		if (sscanf(line, "%u %llx %u %u %u %x %x", &idx, &ring, &size,
			   &head, &tail, &ctrl, &status) == 7 && idx == q)
			return status;
	}
	return -ENOENT;
}

/* Wait until emulated queue @q holds a job (STATUS.BUSY); 0 or -ETIME. */
static inline int dt_emu_wait_busy(int emu_id, unsigned int q, int ms)
{
	int64_t end = dt_deadline_ms(ms);

	do {
		long st = dt_emu_queue_status(emu_id, q);

		if (st < 0)
			return (int)st;
		if (st & 1)
			return 0;
		dt_sleep_ms(2);
	} while (dt_now_ns() < end);
	return -ETIME;
}

/* ---- ioctls ---------------------------------------------------------------- */

static inline int dt_ioctl(int fd, unsigned long req, void *arg)
{
	int ret;

	do {
		ret = ioctl(fd, req, arg);
	} while (ret && (errno == EINTR || errno == EAGAIN));
	return ret ? -errno : 0;
}

static inline int dt_device_info(int fd, struct drm_dojo_device_info *info)
{
	struct drm_dojo_query q = {
		.query = DRM_DOJO_QUERY_DEVICE_INFO,
		.size = sizeof(*info),
		.data = (uintptr_t)info,
	};

	return dt_ioctl(fd, DRM_IOCTL_DOJO_QUERY, &q);
}

static inline int dt_num_queues(int fd)
{
	struct drm_dojo_device_info info;
	int ret = dt_device_info(fd, &info);

	return ret ? ret : (int)info.num_dma_queues;
}

static inline int dt_memory(int fd, struct drm_dojo_memory_info *mem)
{
	struct drm_dojo_query q = {
		.query = DRM_DOJO_QUERY_MEMORY,
		.size = sizeof(*mem),
		.data = (uintptr_t)mem,
	};

	return dt_ioctl(fd, DRM_IOCTL_DOJO_QUERY, &q);
}

static inline int dt_zplane(int fd, struct drm_dojo_zplane_info *zp)
{
	struct drm_dojo_query q = {
		.query = DRM_DOJO_QUERY_ZPLANE,
		.size = sizeof(*zp),
		.data = (uintptr_t)zp,
	};

	return dt_ioctl(fd, DRM_IOCTL_DOJO_QUERY, &q);
}

/*
 * Whether the card models its Z-plane port: a port's MAC starts with
 * Tesla's OUI, and a model without the port's engine reads zeroes.
 */
static inline bool dt_zplane_modelled(int fd)
{
	struct drm_dojo_zplane_info zp;

	return !dt_zplane(fd, &zp) && zp.mac[0] == 0x98 && zp.mac[1] == 0xed &&
	       zp.mac[2] == 0x5c;
}

static inline int dt_remote_import(int fd, uint32_t node, uint32_t grant,
				   uint64_t key, uint64_t size,
				   uint32_t *handle)
{
	struct drm_dojo_remote_import r = {
		.node_id = node, .grant_id = grant, .key = key, .size = size,
	};
	int ret = dt_ioctl(fd, DRM_IOCTL_DOJO_REMOTE_IMPORT, &r);

	*handle = r.handle;
	return ret;
}

/*
 * Wait up to @ms until the card's host_used is @want. Buffers of jobs that
 * ended are let go by the scheduler a little later, so accounting after
 * a client exits settles asynchronously. 0 or -ETIME.
 */
static inline int dt_wait_host_used(int fd, uint64_t want, int ms)
{
	struct drm_dojo_memory_info m;
	int64_t end = dt_deadline_ms(ms);

	do {
		if (dt_memory(fd, &m))
			return -EIO;
		if (m.host_used == want)
			return 0;
		dt_sleep_ms(20);
	} while (dt_now_ns() < end);
	return -ETIME;
}

static inline int dt_bo_create(int fd, uint64_t size, uint32_t placement,
			       uint32_t *handle)
{
	struct drm_dojo_bo_create c = { .size = size, .placement = placement };
	int ret = dt_ioctl(fd, DRM_IOCTL_DOJO_BO_CREATE, &c);

	if (!ret)
		*handle = c.handle;
	return ret;
}

static inline int dt_bo_info(int fd, uint32_t handle,
			     struct drm_dojo_bo_info *info)
{
	memset(info, 0, sizeof(*info));
	info->handle = handle;
	return dt_ioctl(fd, DRM_IOCTL_DOJO_BO_INFO, info);
}

static inline int dt_gem_close(int fd, uint32_t handle)
{
	struct drm_gem_close c = { .handle = handle };

	return dt_ioctl(fd, DRM_IOCTL_GEM_CLOSE, &c);
}

/* mmap a host buffer; NULL on failure (errno set). */
static inline void *dt_bo_mmap(int fd, uint32_t handle, size_t size)
{
	struct drm_dojo_bo_info info;
	void *p;
	int ret;

	ret = dt_bo_info(fd, handle, &info);
	if (ret) {
		errno = -ret;
		return NULL;
	}
	if (!info.mmap_offset) {
		errno = EINVAL;
		return NULL;
	}
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		 info.mmap_offset);
	return p == MAP_FAILED ? NULL : p;
}

/* A host buffer, mapped: handle in *handle, mapping returned (NULL: errno). */
static inline void *dt_host_bo(int fd, uint64_t size, uint32_t *handle)
{
	int ret = dt_bo_create(fd, size, DRM_DOJO_PLACEMENT_HOST, handle);

	if (ret) {
		errno = -ret;
		return NULL;
	}
	return dt_bo_mmap(fd, *handle, size);
}

static inline struct drm_dojo_cmd dt_copy(uint8_t src, uint64_t soff,
					  uint8_t dst, uint64_t doff,
					  uint64_t len)
{
	struct drm_dojo_cmd c = {
		.op = DRM_DOJO_CMD_COPY, .src_bo = src, .dst_bo = dst,
		.src_offset = soff, .dst_offset = doff, .len = len,
	};
	return c;
}

static inline struct drm_dojo_cmd dt_fill(uint8_t dst, uint64_t doff,
					  uint64_t len, uint32_t pattern)
{
	struct drm_dojo_cmd c = {
		.op = DRM_DOJO_CMD_FILL, .dst_bo = dst, .pattern = pattern,
		.dst_offset = doff, .len = len,
	};
	return c;
}

static inline struct drm_dojo_cmd dt_crc(uint8_t src, uint64_t soff,
					 uint64_t len, uint8_t dst,
					 uint64_t doff)
{
	struct drm_dojo_cmd c = {
		.op = DRM_DOJO_CMD_CRC32, .src_bo = src, .dst_bo = dst,
		.src_offset = soff, .dst_offset = doff, .len = len,
	};
	return c;
}

static inline struct drm_dojo_cmd dt_barrier(void)
{
	struct drm_dojo_cmd c = { .op = DRM_DOJO_CMD_BARRIER };

	return c;
}

/* Submit @n commands on @queue naming @nbos buffers; job id in *id. */
static inline int dt_submit(int fd, uint32_t queue,
			    const struct drm_dojo_cmd *cmds, uint32_t n,
			    const uint32_t *bos, uint32_t nbos, uint64_t *id)
{
	struct drm_dojo_submit s = {
		.queue = queue,
		.cmds = (uintptr_t)cmds,
		.num_cmds = n,
		.bo_handles = (uintptr_t)bos,
		.num_bos = nbos,
	};
	int ret = dt_ioctl(fd, DRM_IOCTL_DOJO_SUBMIT, &s);

	if (!ret && id)
		*id = s.job_id;
	return ret;
}

/*
 * Wait up to @ms for job @id; 0 and *w filled once it ended, else -errno
 * (-ETIME if it had not ended by then).
 */
static inline int dt_wait(int fd, uint64_t id, int64_t ms,
			  struct drm_dojo_job_wait *w)
{
	struct drm_dojo_job_wait tmp;
	int ret;

	if (!w)
		w = &tmp;
	memset(w, 0, sizeof(*w));
	w->job_id = id;
	w->timeout_ns = ms ? dt_deadline_ms(ms) : 0;
	ret = ioctl(fd, DRM_IOCTL_DOJO_JOB_WAIT, w);
	return ret ? -errno : 0;
}

/* The job's status after waiting up to @ms: DRM_DOJO_JOB_* or -errno. */
static inline int dt_status(int fd, uint64_t id, int64_t ms)
{
	struct drm_dojo_job_wait w;
	int ret = dt_wait(fd, id, ms, &w);

	return ret ? ret : (int)w.status;
}

static inline const char *dt_status_name(int status)
{
	static const char *const names[] = {
		"PENDING", "DONE", "ERROR", "TIMEOUT", "ABORTED", "ECC_ERROR",
		"LINK_DOWN", "ZPLANE_DOWN", "REMOTE_REFUSED", "REMOTE_GONE",
		"REMOTE_TIMEOUT",
	};

	if (status < 0)
		return strerror(-status);
	return status < (int)(sizeof(names) / sizeof(names[0])) ?
	       names[status] : "?";
}

/* ---- data ------------------------------------------------------------------ */

/* CRC-32 (IEEE 802.3), what the card's CRC32 command computes: zlib's. */
static inline uint32_t dt_crc32(const void *buf, size_t len)
{
	return (uint32_t)crc32_z(0, buf, len);
}

/* Pseudo-random bytes, reproducible from @seed. */
static inline void dt_random(void *buf, size_t len, uint64_t seed)
{
	uint64_t x = seed * 0x9e3779b97f4a7c15ULL + 0x2545f4914f6cdd1dULL;
	uint8_t *p = buf;
	size_t i;

	for (i = 0; i + 8 <= len; i += 8) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		memcpy(p + i, &x, 8);
	}
	for (; i < len; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		p[i] = (uint8_t)x;
	}
}

/* Index of the first byte of @p[0, len) that is not @c, or -1. */
static inline long dt_find_not(const void *p, size_t len, uint8_t c)
{
	const uint8_t *b = p;
	size_t i;

	for (i = 0; i < len; i++)
		if (b[i] != c)
			return (long)i;
	return -1;
}

/* Index of the first differing byte, or -1. */
static inline long dt_diff(const void *a, const void *b, size_t len)
{
	const uint8_t *x = a, *y = b;
	size_t i;

	if (!memcmp(a, b, len))
		return -1;
	for (i = 0; i < len; i++)
		if (x[i] != y[i])
			return (long)i;
	return -1;
}

/* Byte @i of a FILL of @pattern: the pattern's LE bytes from the start. */
static inline uint8_t dt_fill_byte(uint32_t pattern, uint64_t i)
{
	return (uint8_t)(pattern >> (8 * (i % 4)));
}

/* Index of the first byte of p[0, len) that is not FILL(pattern), or -1. */
static inline long dt_find_not_fill(const void *p, size_t len,
				    uint32_t pattern)
{
	const uint8_t *b = p;
	size_t i;

	for (i = 0; i < len; i++)
		if (b[i] != dt_fill_byte(pattern, i))
			return (long)i;
	return -1;
}

static inline uint32_t dt_le32(const void *p)
{
	const uint8_t *b = p;

	return b[0] | b[1] << 8 | b[2] << 16 | (uint32_t)b[3] << 24;
}

/* A socket for the kernel's uevents (nonblocking: poll, then recv). */
static inline int dt_uevent_open(void)
{
	struct sockaddr_nl sa = {
		.nl_family = AF_NETLINK,
		.nl_groups = 1,		/* the kernel's uevents */
	};
	int sz = 1 << 20;
	int s;

	s = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK,
		   NETLINK_KOBJECT_UEVENT);
	if (s < 0)
		return -errno;
	setsockopt(s, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
	if (bind(s, (struct sockaddr *)&sa, sizeof(sa))) {
		close(s);
		return -errno;
	}
	return s;
}

/* Drop the uevents received so far. */
static inline void dt_uevent_drain(int s)
{
	char buf[8192];

	while (recv(s, buf, sizeof(buf), MSG_DONTWAIT) > 0)
		;
}

/*
 * Wait up to @ms for a uevent of accel<minor> with ACTION=@action that
 * carries @env (a "KEY=value" string); 1 if one came.
 */
static inline int dt_uevent_seen(int s, int minor, const char *action,
				 const char *env, int ms)
{
	char want[64], act[32], buf[8192];
	int64_t end = dt_deadline_ms(ms);

	snprintf(want, sizeof(want), "/accel/accel%d", minor);
	snprintf(act, sizeof(act), "ACTION=%s", action);
	for (;;) {
		struct pollfd pfd = { .fd = s, .events = POLLIN };
		int left = (int)((end - dt_now_ns()) / 1000000);
		bool ours = false, is_act = false, has = false;
		ssize_t n, off;

		if (left <= 0 || poll(&pfd, 1, left) <= 0)
			return 0;
		n = recv(s, buf, sizeof(buf) - 1, 0);
		if (n <= 0)
			continue;
		buf[n] = '\0';
		for (off = 0; off < n; off += strlen(buf + off) + 1) {
			const char *kv = buf + off;

			if (!strcmp(kv, act))
				is_act = true;
			else if (!strncmp(kv, "DEVPATH=", 8))
				ours = strlen(kv) >= strlen(want) &&
				       !strcmp(kv + strlen(kv) - strlen(want), want);
			else if (!strcmp(kv, env))
				has = true;
		}
		if (ours && is_act && has)
			return 1;
	}
}

#endif /* DOJO_TEST_H */
