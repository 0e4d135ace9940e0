// SPDX-License-Identifier: GPL-2.0-only
/*
 * The fuzzer's operations: one function per entry of fz_ops[], each an
 * ioctl or system call described by the resources it takes and the fields
 * it sets, in the style of syzkaller's descriptions. Valid calls take
 * their handles from the worker's model (fuzz.h); the *_bad operations and
 * a share of the others mutate one field. Where a mutation makes failure
 * certain (a flag, padding, a range past a buffer), success is an
 * invariant broken; other outcomes are only counted.
 */
#include <linux/dma-buf.h>
#include <linux/sync_file.h>
#include <linux/udmabuf.h>
#include <linux/userfaultfd.h>
#include <poll.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "fuzz.h"

/* The kernel's structs where libdrm's headers are older. */
struct fz_syncobj_wait {
	__u64 handles;
	__s64 timeout_nsec;
	__u32 count_handles;
	__u32 flags;
	__u32 first_signaled;
	__u32 pad;
	__u64 deadline_nsec;
};

struct fz_syncobj_timeline_wait {
	__u64 handles;
	__u64 points;
	__s64 timeout_nsec;
	__u32 count_handles;
	__u32 flags;
	__u32 first_signaled;
	__u32 pad;
	__u64 deadline_nsec;
};

struct fz_syncobj_eventfd {
	__u32 handle;
	__u32 flags;
	__u64 point;
	__s32 fd;
	__u32 pad;
};

#define FZ_IOCTL_SYNCOBJ_WAIT		DRM_IOWR(0xC3, struct fz_syncobj_wait)
#define FZ_IOCTL_SYNCOBJ_TIMELINE_WAIT	DRM_IOWR(0xCA, struct fz_syncobj_timeline_wait)
#define FZ_IOCTL_SYNCOBJ_EVENTFD	DRM_IOWR(0xCF, struct fz_syncobj_eventfd)
#ifndef DRM_SYNCOBJ_WAIT_FLAGS_WAIT_DEADLINE
#define DRM_SYNCOBJ_WAIT_FLAGS_WAIT_DEADLINE	(1 << 3)
#endif

#ifndef SYNC_IOC_SET_DEADLINE
struct sync_set_deadline {
	__u64 deadline_ns;
	__u64 pad;
};
#define SYNC_IOC_SET_DEADLINE	_IOW(SYNC_IOC_MAGIC, 5, struct sync_set_deadline)
#endif

#define FZ_HBM_SIZE	(32ULL << 30)
#define FZ_FD_HBM_CAP	(8ULL << 20)	/* HBM a file holds, at most */

static int fz_idx(struct fz *f, struct fz_fd *d)
{
	if (d >= f->fds && d < f->fds + FZ_FDS)
		return (int)(d - f->fds);
	return 100 + (int)(d - f->ofd);
}

static int fz_ioctl(int fd, unsigned long req, void *arg)
{
	return dt_ioctl(fd, req, arg);
}

static int fz_wait_pid(pid_t pid, int ms)
{
	int64_t end = dt_deadline_ms(ms);
	int status;

	do {
		pid_t r = waitpid(pid, &status, WNOHANG);

		if (r == pid || (r < 0 && errno == ECHILD))
			return 0;
		dt_sleep_ms(5);
	} while (dt_now_ns() < end);
	return -ETIME;
}

static void fz_print_task_stack(int pid)
{
	char path[64], buf[4096];

	snprintf(path, sizeof(path), "/proc/%d/stack", pid);
	if (dt_read_file(path, buf, sizeof(buf)) > 0)
		printf("fuzz:   kernel stack of pid %d:\n%s", pid, buf);
}

/* ---- files ------------------------------------------------------------------ */

static int op_open(struct fz *f)
{
	int emu = fz_pick_card(f);
	struct fz_fd *d;

	if (emu < 0)
		return FZ_SKIP;
	fz_note(f, "open dojo_emu%d", emu);
	d = fz_new_fd(f, emu);
	if (d)
		return FZ_OK;
	d = fz_pick_fd(f, false);
	if (d) {
		unsigned int i, n = 0;

		for (i = 0; i < FZ_FDS; i++)
			n += f->fds[i].fd >= 0;
		if (n == FZ_FDS) {
			fz_note(f, "open dojo_emu%d: table full, close fd%d (dojo_emu%d)",
				emu, fz_idx(f, d), d->emu);
			fz_close_fd(f, d, fz_chance(f, 300));
			return FZ_OK;
		}
	}
	return FZ_ERR;
}

static int op_close(struct fz *f)
{
	struct fz_fd *d = NULL;
	unsigned int i;

	if (fz_chance(f, 500))
		for (i = 0; i < FZ_FDS && !d; i++)
			if (f->fds[i].fd >= 0 && (f->fds[i].dead ||
			    !fz_card_same(f, f->fds[i].emu, f->fds[i].gen)))
				d = &f->fds[i];
	if (!d)
		d = fz_pick_fd(f, false);
	if (!d)
		return FZ_SKIP;
	fz_note(f, "close fd%d (dojo_emu%d%s, %u bos, %u jobs)", fz_idx(f, d),
		d->emu, d->dead ? ", gone" : "", d->nbo, d->njob);
	fz_close_fd(f, d, fz_chance(f, 300));
	return FZ_OK;
}

/* ---- buffers ------------------------------------------------------------------- */

static uint64_t fz_host_size(struct fz *f)
{
	static const uint64_t sizes[] = { 4096, 8192, 12288, 16384, 65536, 262144 };

	if (fz_chance(f, 200))
		return 1 + fz_rnd(f, 300000);
	return sizes[fz_rnd(f, sizeof(sizes) / sizeof(sizes[0]))];
}

static int fz_create_bo(struct fz *f, struct fz_fd *d, uint32_t placement,
			uint64_t size, struct fz_bo **out)
{
	struct drm_dojo_bo_create c = { .size = size, .placement = placement };
	uint32_t epoch = fz_disrupt(f, d->emu);
	struct fz_bo *b;
	int ret;

	ret = fz_ioctl(d->fd, DRM_IOCTL_DOJO_BO_CREATE, &c);
	if (ret)
		return fz_err(f, d, ret);
	b = fz_add_bo(d, c.handle, placement, (size + DT_PAGE - 1) & ~(DT_PAGE - 1));
	if (!b) {
		dt_gem_close(d->fd, c.handle);
		return -ENOSPC;
	}
	b->epoch = epoch;
	if (placement == DRM_DOJO_PLACEMENT_HBM)
		d->hbm_bytes += b->size;
	if (out)
		*out = b;
	return 0;
}

static int op_bo_create(struct fz *f)
{
	struct fz_fd *d = fz_pick_fd(f, true);
	uint32_t placement;
	uint64_t size;
	int ret;

	if (!d)
		return FZ_SKIP;
	if (d->nbo >= FZ_BOS) {
		unsigned int i = fz_rnd(f, d->nbo);

		dt_gem_close(d->fd, d->bo[i].handle);
		fz_drop_bo(f, d, i, false);
	}
	placement = fz_chance(f, 650) ? DRM_DOJO_PLACEMENT_HOST :
					DRM_DOJO_PLACEMENT_HBM;
	if (placement == DRM_DOJO_PLACEMENT_HBM) {
		size = fz_chance(f, 100) ? 1 + fz_rnd(f, 1 << 20) :
					   DT_PAGE << fz_rnd(f, 9);
		if (d->hbm_bytes + size > FZ_FD_HBM_CAP)
			placement = DRM_DOJO_PLACEMENT_HOST;
	}
	if (placement == DRM_DOJO_PLACEMENT_HOST)
		size = fz_host_size(f);
	fz_note(f, "bo_create fd%d %s %llu", fz_idx(f, d),
		placement == DRM_DOJO_PLACEMENT_HBM ? "hbm" : "host",
		(unsigned long long)size);
	ret = fz_create_bo(f, d, placement, size, NULL);
	return ret ? FZ_ERR : FZ_OK;
}

static int op_bo_create_bad(struct fz *f)
{
	struct fz_fd *d = fz_pick_fd(f, true);
	struct drm_dojo_bo_create c = {
		.size = 4096, .placement = DRM_DOJO_PLACEMENT_HOST,
	};
	const char *what;
	int ret;

	if (!d)
		return FZ_SKIP;
	switch (fz_rnd(f, 8)) {
	case 0:
		c.flags = 1u << fz_rnd(f, 32);
		what = "flags";
		break;
	case 1:
		c.pad = 1 + fz_rnd(f, 0xfffffffe);
		what = "pad";
		break;
	case 2:
		c.handle = 1 + fz_rnd(f, 100);
		what = "handle in";
		break;
	case 3:
		c.size = 0;
		what = "size 0";
		break;
	case 4:
		c.size = FZ_HBM_SIZE + 1 + fz_rnd(f, 1 << 20);
		c.placement = fz_chance(f, 500) ? DRM_DOJO_PLACEMENT_HBM :
						  DRM_DOJO_PLACEMENT_HOST;
		what = "size past HBM";
		break;
	case 5:
		c.size = ~0ULL - fz_rnd(f, 4096);
		what = "size ~0";
		break;
	case 6:
		c.placement = fz_chance(f, 500) ? 0 : 4 + fz_rnd(f, 0xfffffff0);
		what = "placement";
		break;
	default:
		c.placement = DRM_DOJO_PLACEMENT_HBM;
		c.flags = fz_chance(f, 500) ? 1 : 0x80000000;
		what = "hbm flags";
		break;
	}
	fz_note(f, "bo_create_bad fd%d %s (size %llu placement %u flags 0x%x pad 0x%x handle %u)",
		fz_idx(f, d), what, (unsigned long long)c.size, c.placement,
		c.flags, c.pad, c.handle);
	ret = fz_ioctl(d->fd, DRM_IOCTL_DOJO_BO_CREATE, &c);
	if (!ret) {
		fz_invariant(f, "BO_CREATE accepted a bad %s", what);
		dt_gem_close(d->fd, c.handle);
		return FZ_OK;
	}
	fz_err(f, d, ret);
	if (ret != -EINVAL && ret != -ENODEV)
		fz_anomaly(f, "BO_CREATE with a bad %s: %s, not EINVAL", what,
			   strerror(-ret));
	return FZ_ERR;
}

static struct fz_bo *fz_pick_bo(struct fz *f, struct fz_fd *d)
{
	return d->nbo ? &d->bo[fz_rnd(f, d->nbo)] : NULL;
}

static int op_bo_info(struct fz *f)
{
	struct fz_fd *d = fz_pick_fd(f, false);
	struct drm_dojo_bo_info info = { 0 };
	struct fz_bo *b;
	int ret, m;

	if (!d)
		return FZ_SKIP;
	b = fz_pick_bo(f, d);
	m = fz_chance(f, 150) || !b ? (int)fz_rnd(f, 3) : -1;
	info.handle = b ? b->handle : 0;
	if (m == 0)
		info.flags = 1u << fz_rnd(f, 32);
	else if (m == 1)
		info.pad = 1 + fz_rnd(f, 1000);
	else if (m == 2)
		info.handle = fz_closed_handle(f, d);
	fz_note(f, "bo_info fd%d handle %u%s", fz_idx(f, d), info.handle,
		m == 0 ? " flags" : m == 1 ? " pad" : m == 2 ? " (closed?)" : "");
	ret = fz_ioctl(d->fd, DRM_IOCTL_DOJO_BO_INFO, &info);
	if (ret) {
		fz_err(f, d, ret);
		if (m < 0 && ret != -ENODEV && !d->dead)
			fz_anomaly(f, "BO_INFO of a live buffer: %s", strerror(-ret));
		return FZ_ERR;
	}
	if (m == 0 || m == 1)
		fz_invariant(f, "BO_INFO accepted non-zero %s", m ? "pad" : "flags");
	if (m < 0 && (info.size != b->size || info.placement != b->placement))
		fz_invariant(f, "BO_INFO of handle %u says %llu bytes, placement %u; it was made with %llu, placement %u",
			     b->handle, (unsigned long long)info.size,
			     info.placement, (unsigned long long)b->size,
			     b->placement);
	if (m < 0 && info.placement == DRM_DOJO_PLACEMENT_HOST && !info.mmap_offset)
		fz_invariant(f, "BO_INFO of host buffer %u has no mmap offset",
			     b->handle);
	return FZ_OK;
}

static int op_gem_close(struct fz *f)
{
	struct fz_fd *d = fz_pick_fd(f, false);
	struct drm_gem_close c = { 0 };
	unsigned int i;
	bool bad;
	int ret;

	if (!d)
		return FZ_SKIP;
	bad = fz_chance(f, 100) || !d->nbo;
	i = d->nbo ? fz_rnd(f, d->nbo) : 0;
	c.handle = bad ? fz_closed_handle(f, d) : d->bo[i].handle;
	if (bad && fz_find_bo(d, c.handle))
		return FZ_SKIP;		/* a live handle after all */
	fz_note(f, "gem_close fd%d handle %u%s", fz_idx(f, d), c.handle,
		bad ? " (not ours)" : "");
	ret = fz_ioctl(d->fd, DRM_IOCTL_GEM_CLOSE, &c);
	if (!bad)
		fz_drop_bo(f, d, i, !ret && fz_chance(f, 200));
	if (ret)
		fz_err(f, d, ret);
	return ret ? FZ_ERR : FZ_OK;
}

static int fz_map_bo(struct fz *f, struct fz_fd *d, struct fz_bo *b)
{
	struct drm_dojo_bo_info info;
	size_t len;
	void *p;
	int ret;

	ret = dt_bo_info(d->fd, b->handle, &info);
	if (ret)
		return fz_err(f, d, ret);
	len = fz_chance(f, 800) ? b->size :
	      DT_PAGE * (1 + fz_rnd(f, b->size / DT_PAGE));
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, d->fd,
		 info.mmap_offset);
	if (p == MAP_FAILED)
		return -errno;
	b->map = p;
	b->maplen = len;
	b->revoked = false;
	return 0;
}

static int op_mmap(struct fz *f)
{
	struct fz_fd *d = fz_pick_fd(f, true);
	struct fz_bo *b;
	int ret;

	if (!d)
		return FZ_SKIP;
	b = NULL;
	for (int k = 0, n = d->nbo, start = fz_rnd(f, n ? n : 1); k < n; k++) {
		struct fz_bo *c = &d->bo[(start + k) % n];

		if (!c->map && c->placement == DRM_DOJO_PLACEMENT_HOST) {
			b = c;
			break;
		}
	}
	if (!b)
		return FZ_SKIP;
	fz_note(f, "mmap fd%d handle %u (%llu bytes%s)", fz_idx(f, d), b->handle,
		(unsigned long long)b->size, b->imported ? ", imported" : "");
	ret = fz_map_bo(f, d, b);
	if (ret && !fz_map_may_fault(f, b->origin, b->origin_gen) && !d->dead &&
	    ret != -ENODEV && ret != -ENOMEM)
		fz_anomaly(f, "mmap of a live host buffer: %s", strerror(-ret));
	return ret ? FZ_ERR : FZ_OK;
}

static int op_mmap_bad(struct fz *f)
{
	struct fz_fd *d = fz_pick_fd(f, true);
	struct drm_dojo_bo_info info;
	int prot = PROT_READ | PROT_WRITE, flags = MAP_SHARED;
	uint64_t off = 0;
	size_t len = DT_PAGE;
	struct fz_bo *b;
	const char *what;
	void *p;

	if (!d)
		return FZ_SKIP;
	b = fz_pick_bo(f, d);
	if (!b || dt_bo_info(d->fd, b->handle, &info))
		return FZ_SKIP;
	off = info.mmap_offset;
	switch (fz_rnd(f, 5)) {
	case 0:
		len = b->size + DT_PAGE * (1 + fz_rnd(f, 4));
		what = "past the end";
		break;
	case 1:
		off += DT_PAGE * (1 + fz_rnd(f, 16));
		what = "offset inside";
		break;
	case 2:
		flags = MAP_PRIVATE;
		what = "private";
		break;
	case 3:
		off = fz_rnd(f, 1ULL << 40) & ~(DT_PAGE - 1);
		what = "random offset";
		break;
	default:
		prot |= PROT_EXEC;
		what = "exec";
		break;
	}
	fz_note(f, "mmap_bad fd%d handle %u %s (%s, off 0x%llx len %zu)",
		fz_idx(f, d), b->handle, what,
		b->placement == DRM_DOJO_PLACEMENT_HBM ? "hbm" : "host",
		(unsigned long long)off, len);
	p = mmap(NULL, len, prot, flags, d->fd, off);
	if (p == MAP_FAILED)
		return FZ_ERR;
	fz_touch(f, p, 1, false, 0);
	munmap(p, len);
	return FZ_OK;
}

static int op_munmap(struct fz *f)
{
	struct fz_fd *d;
	struct fz_bo *b;

	if (f->nmaps && fz_chance(f, 400)) {
		unsigned int i = fz_rnd(f, f->nmaps);

		fz_note(f, "munmap orphan mapping %p", (void *)f->maps[i].p);
		munmap(f->maps[i].p, f->maps[i].len);
		f->maps[i] = f->maps[--f->nmaps];
		return FZ_OK;
	}
	d = fz_pick_fd(f, false);
	b = d ? fz_pick_bo(f, d) : NULL;
	if (!b || !b->map)
		return FZ_SKIP;
	fz_note(f, "munmap fd%d handle %u", fz_idx(f, d), b->handle);
	munmap(b->map, b->maplen);
	b->map = NULL;
	return FZ_OK;
}

static int fz_touch_checked(struct fz *f, uint8_t *p, size_t maplen,
			    int8_t origin, uint32_t origin_gen, bool *revoked)
{
	size_t off = fz_rnd(f, maplen), len = 1 + fz_rnd(f, 512);
	bool write = fz_chance(f, 500);

	if (off + len > maplen)
		len = maplen - off;
	if (!fz_touch(f, p + off, len, write, fz_rand(f)))
		return FZ_OK;
	if (!fz_map_may_fault(f, origin, origin_gen) && !*revoked)
		fz_invariant(f, "SIGBUS %s a mapping of memory of dojo_emu%d, which was not removed",
			     write ? "writing" : "reading", origin);
	*revoked = true;
	return FZ_ERR;
}

static int op_touch(struct fz *f)
{
	struct fz_fd *d;
	struct fz_bo *b;

	if (f->nmaps && fz_chance(f, 250)) {
		struct fz_map *m = &f->maps[fz_rnd(f, f->nmaps)];

		fz_note(f, "touch orphan mapping %p (dojo_emu%d)", (void *)m->p,
			m->origin);
		return fz_touch_checked(f, m->p, m->len, m->origin, m->origin_gen,
					&m->revoked);
	}
	d = fz_pick_fd(f, false);
	b = d ? fz_pick_bo(f, d) : NULL;
	if (!b || !b->map)
		return FZ_SKIP;
	fz_note(f, "touch fd%d handle %u", fz_idx(f, d), b->handle);
	return fz_touch_checked(f, b->map, b->maplen, b->origin, b->origin_gen,
				&b->revoked);
}

/* ---- PRIME ---------------------------------------------------------------------- */

static void fz_drop_dmabuf(struct fz *f, unsigned int i)
{
	close(f->db[i].fd);
	f->db[i] = f->db[--f->ndb];
}

static int op_prime_export(struct fz *f)
{
	struct fz_fd *d = fz_pick_fd(f, true);
	uint32_t flags = DRM_CLOEXEC;
	struct fz_dmabuf *e;
	struct fz_bo *b;
	bool bad;
	int ret, pfd;

	if (!d)
		return FZ_SKIP;
	b = fz_pick_bo(f, d);
	if (!b)
		return FZ_SKIP;
	if (f->ndb >= FZ_DMABUFS)
		fz_drop_dmabuf(f, fz_rnd(f, f->ndb));
	bad = fz_chance(f, 50);
	if (fz_chance(f, 500))
		flags |= DRM_RDWR;
	if (bad)
		flags |= 1u << (3 + fz_rnd(f, 29));
	fz_note(f, "prime_export fd%d handle %u flags 0x%x%s", fz_idx(f, d),
		b->handle, flags, bad ? " (bad)" : "");
	ret = drmPrimeHandleToFD(d->fd, b->handle, flags, &pfd);
	if (ret) {
		fz_err(f, d, -errno);
		return FZ_ERR;
	}
	e = &f->db[f->ndb++];
	e->fd = pfd;
	e->emu = (int8_t)d->emu;
	e->gen = d->gen;
	e->placement = b->placement;
	e->size = b->size;
	e->origin = b->origin;
	e->origin_gen = b->origin_gen;
	e->epoch = b->epoch;
	return FZ_OK;
}

static int op_prime_import(struct fz *f)
{
	struct fz_fd *d = fz_pick_fd(f, true);
	struct drm_dojo_bo_info info;
	struct fz_dmabuf *e = NULL;
	struct fz_bo *b;
	uint32_t handle;
	int ret, pfd, kind = -1;
	bool same_card;

	if (!d)
		return FZ_SKIP;
	if (f->ndb && !fz_chance(f, 50)) {
		e = &f->db[fz_rnd(f, f->ndb)];
		pfd = e->fd;
	} else {
		/* not a dma-buf: a sync file, the accel fd, stdin, a closed fd */
		kind = fz_rnd(f, 4);
		pfd = kind == 0 && f->nsf ? f->sf[0] : kind == 1 ? d->fd :
		      kind == 2 ? 0 : 1000 + (int)fz_rnd(f, 1000);
	}
	fz_note(f, "prime_import fd%d (dojo_emu%d) dmabuf %d%s", fz_idx(f, d),
		d->emu, pfd, e ? (e->placement == DRM_DOJO_PLACEMENT_HBM ?
				  " hbm" : " host") : " (not a dma-buf)");
	ret = drmPrimeFDToHandle(d->fd, pfd, &handle) ? -errno : 0;
	if (!e) {
		if (!ret) {
			fz_invariant(f, "PRIME import of fd %d, which is no dma-buf, gave handle %u",
				     pfd, handle);
			dt_gem_close(d->fd, handle);
		}
		return FZ_ERR;
	}
	same_card = e->emu == d->emu && e->gen == d->gen;
	if (ret) {
		fz_err(f, d, ret);
		if (e->placement == DRM_DOJO_PLACEMENT_HOST && !d->dead &&
		    ret != -ENODEV && ret != -ENOMEM &&
		    !fz_map_may_fault(f, e->origin, e->origin_gen) &&
		    fz_card_same(f, d->emu, d->gen))
			fz_anomaly(f, "PRIME import of a host buffer into dojo_emu%d: %s",
				   d->emu, strerror(-ret));
		return FZ_ERR;
	}
	if (e->placement == DRM_DOJO_PLACEMENT_HBM && !same_card &&
	    e->emu != d->emu)
		fz_invariant(f, "an HBM buffer of dojo_emu%d imported into dojo_emu%d (handle %u): HBM dma-bufs import only into their own card",
			     e->emu, d->emu, handle);
	if (fz_find_bo(d, handle))
		return FZ_OK;		/* the file holds it already */
	if (dt_bo_info(d->fd, handle, &info)) {
		dt_gem_close(d->fd, handle);
		return FZ_ERR;
	}
	b = fz_add_bo(d, handle, info.placement, info.size);
	if (!b) {
		dt_gem_close(d->fd, handle);
		return FZ_OK;
	}
	b->imported = true;
	b->origin = e->origin;
	b->origin_gen = e->origin_gen;
	b->epoch = e->epoch;
	if (info.size != e->size)
		fz_invariant(f, "imported dma-buf is %llu bytes, exported %llu",
			     (unsigned long long)info.size,
			     (unsigned long long)e->size);
	return FZ_OK;
}

static int op_dmabuf_close(struct fz *f)
{
	unsigned int i;

	if (!f->ndb)
		return FZ_SKIP;
	i = fz_rnd(f, f->ndb);
	fz_note(f, "close dmabuf %d (dojo_emu%d)", f->db[i].fd, f->db[i].emu);
	fz_drop_dmabuf(f, i);
	return FZ_OK;
}

static int op_dmabuf_mmap(struct fz *f)
{
	struct fz_dmabuf *e;
	size_t len;
	bool revoked = false;
	void *p;

	if (!f->ndb)
		return FZ_SKIP;
	e = &f->db[fz_rnd(f, f->ndb)];
	len = e->size;
	fz_note(f, "mmap dmabuf %d (%s, %zu bytes)", e->fd,
		e->placement == DRM_DOJO_PLACEMENT_HBM ? "hbm" : "host", len);
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, e->fd, 0);
	if (p == MAP_FAILED)
		return FZ_ERR;
	if (e->placement == DRM_DOJO_PLACEMENT_HBM)
		fz_invariant(f, "mmap of an HBM buffer's dma-buf succeeded: the CPU cannot map HBM");
	fz_touch_checked(f, p, len, e->origin, e->origin_gen, &revoked);
	if (f->nmaps < FZ_MAPS && fz_chance(f, 500)) {
		struct fz_map *m = &f->maps[f->nmaps++];

		m->p = p;
		m->len = len;
		m->origin = e->origin;
		m->origin_gen = e->origin_gen;
		m->revoked = revoked;
	} else {
		munmap(p, len);
	}
	return FZ_OK;
}

static void fz_add_syncfile(struct fz *f, int fd)
{
	if (f->nsf >= FZ_SYNCFILES) {
		unsigned int i = fz_rnd(f, f->nsf);

		close(f->sf[i]);
		f->sf[i] = fd;
		return;
	}
	f->sf[f->nsf++] = fd;
}

static int op_dmabuf_sync(struct fz *f)
{
	struct fz_dmabuf *e;
	unsigned int op;
	int ret;

	if (!f->ndb)
		return FZ_SKIP;
	e = &f->db[fz_rnd(f, f->ndb)];
	op = fz_rnd(f, 4);
	/*
	 * CPU access to a udmabuf (also when a card re-exports its import:
	 * the dma-buf is the same) runs udmabuf's own code, not the driver's:
	 * in 6.12 it maps for the first direction asked and syncs later ones
	 * against that mapping, which DMA-API debugging reports as udmabuf's.
	 */
	if (op == 0 && e->origin < 0)
		op = 1;
	switch (op) {
	case 0: {
		struct dma_buf_sync s = {
			.flags = (fz_chance(f, 500) ? DMA_BUF_SYNC_START :
				  DMA_BUF_SYNC_END) | (1 + fz_rnd(f, 3)),
		};

		if (fz_chance(f, 100))
			s.flags |= 1ULL << (3 + fz_rnd(f, 60));
		fz_note(f, "dmabuf %d sync flags 0x%llx", e->fd,
			(unsigned long long)s.flags);
		ret = fz_ioctl(e->fd, DMA_BUF_IOCTL_SYNC, &s);
		break;
	}
	case 1: {
		struct dma_buf_export_sync_file x = {
			.flags = 1 + fz_rnd(f, 3), .fd = -1,
		};

		fz_note(f, "dmabuf %d export sync file flags %u", e->fd, x.flags);
		ret = fz_ioctl(e->fd, DMA_BUF_IOCTL_EXPORT_SYNC_FILE, &x);
		if (!ret)
			fz_add_syncfile(f, x.fd);
		break;
	}
	case 2: {
		struct dma_buf_import_sync_file x = {
			.flags = 1 + fz_rnd(f, 3),
			.fd = f->nsf ? f->sf[fz_rnd(f, f->nsf)] : -1,
		};

		fz_note(f, "dmabuf %d import sync file %d flags %u", e->fd, x.fd,
			x.flags);
		ret = fz_ioctl(e->fd, DMA_BUF_IOCTL_IMPORT_SYNC_FILE, &x);
		break;
	}
	default: {
		char name[32];

		snprintf(name, sizeof(name), "fz-%llx",
			 (unsigned long long)fz_rnd(f, 1 << 20));
		fz_note(f, "dmabuf %d set name %s", e->fd, name);
		ret = ioctl(e->fd, DMA_BUF_SET_NAME_B, name) ? -errno : 0;
		break;
	}
	}
	return ret ? FZ_ERR : FZ_OK;
}

static int op_udmabuf(struct fz *f)
{
	struct udmabuf_create c = { .flags = UDMABUF_FLAGS_CLOEXEC };
	uint64_t size = DT_PAGE * (1 + fz_rnd(f, 16));
	struct fz_dmabuf *e;
	int dev, mfd, ret;

	if (f->ndb >= FZ_DMABUFS)
		return FZ_SKIP;
	fz_note(f, "udmabuf %llu bytes", (unsigned long long)size);
	mfd = memfd_create("fz-udmabuf", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (mfd < 0)
		return FZ_ERR;
	if (ftruncate(mfd, size) || fcntl(mfd, F_ADD_SEALS, F_SEAL_SHRINK)) {
		close(mfd);
		return FZ_ERR;
	}
	dev = open("/dev/udmabuf", O_RDWR | O_CLOEXEC);
	if (dev < 0) {
		close(mfd);
		return FZ_SKIP;
	}
	c.memfd = mfd;
	c.size = size;
	ret = ioctl(dev, UDMABUF_CREATE, &c);
	close(dev);
	close(mfd);
	if (ret < 0)
		return FZ_ERR;
	e = &f->db[f->ndb++];
	memset(e, 0, sizeof(*e));
	e->fd = ret;
	e->emu = -1;
	e->placement = DRM_DOJO_PLACEMENT_HOST;
	e->size = size;
	e->origin = -1;
	return FZ_OK;
}

/* ---- syncobjs ------------------------------------------------------------------ */

static struct fz_sync *fz_pick_sync(struct fz *f, struct fz_fd *d)
{
	return d->nso ? &d->so[fz_rnd(f, d->nso)] : NULL;
}

static int op_so_create(struct fz *f)
{
	struct fz_fd *d = fz_pick_fd(f, true);
	struct drm_syncobj_create c = { 0 };
	struct fz_sync *s;
	int ret;

	if (!d)
		return FZ_SKIP;
	if (d->nso >= FZ_SYNCS) {
		unsigned int i = fz_rnd(f, d->nso);

		drmSyncobjDestroy(d->fd, d->so[i].handle);
		fz_drop_sync(d, i);
	}
	if (fz_chance(f, 300))
		c.flags = DRM_SYNCOBJ_CREATE_SIGNALED;
	fz_note(f, "syncobj_create fd%d flags %u", fz_idx(f, d), c.flags);
	ret = fz_ioctl(d->fd, DRM_IOCTL_SYNCOBJ_CREATE, &c);
	if (ret)
		return fz_err(f, d, ret), FZ_ERR;
	s = &d->so[d->nso++];
	memset(s, 0, sizeof(*s));
	s->handle = c.handle;
	s->timeline = !c.flags && fz_chance(f, 300);
	s->fence = c.flags;
	s->producer = c.flags ? FZ_PROD_SIGNAL : FZ_PROD_NONE;
	return FZ_OK;
}

static int op_so_destroy(struct fz *f)
{
	struct fz_fd *d = fz_pick_fd(f, false);
	struct drm_syncobj_destroy x = { 0 };
	unsigned int i;
	int ret;

	if (!d || !d->nso)
		return FZ_SKIP;
	i = fz_rnd(f, d->nso);
	x.handle = d->so[i].handle;
	fz_note(f, "syncobj_destroy fd%d handle %u", fz_idx(f, d), x.handle);
	ret = fz_ioctl(d->fd, DRM_IOCTL_SYNCOBJ_DESTROY, &x);
	fz_drop_sync(d, i);
	if (ret)
		fz_err(f, d, ret);
	return ret ? FZ_ERR : FZ_OK;
}

static int op_so_signal(struct fz *f)
{
	struct fz_fd *d = fz_pick_fd(f, true);
	struct fz_sync *s;
	uint32_t h;
	int ret;

	if (!d)
		return FZ_SKIP;
	s = fz_pick_sync(f, d);
	if (!s)
		return FZ_SKIP;
	h = s->handle;
	if (s->timeline) {
		struct drm_syncobj_timeline_array a = {
			.handles = (uintptr_t)&h, .count_handles = 1,
		};
		uint64_t p = s->point + 1 + fz_rnd(f, 3);

		a.points = (uintptr_t)&p;
		fz_note(f, "syncobj_timeline_signal fd%d handle %u point %llu",
			fz_idx(f, d), h, (unsigned long long)p);
		ret = fz_ioctl(d->fd, DRM_IOCTL_SYNCOBJ_TIMELINE_SIGNAL, &a);
		if (!ret) {
			s->point = p;
			s->fence = true;
		}
	} else if (fz_chance(f, 700)) {
		struct drm_syncobj_array a = {
			.handles = (uintptr_t)&h, .count_handles = 1,
		};

		fz_note(f, "syncobj_signal fd%d handle %u", fz_idx(f, d), h);
		ret = fz_ioctl(d->fd, DRM_IOCTL_SYNCOBJ_SIGNAL, &a);
		if (!ret) {
			s->fence = true;
			s->producer = s->shared ? FZ_PROD_UNKNOWN : FZ_PROD_SIGNAL;
		}
	} else {
		struct drm_syncobj_array a = {
			.handles = (uintptr_t)&h, .count_handles = 1,
		};

		fz_note(f, "syncobj_reset fd%d handle %u", fz_idx(f, d), h);
		ret = fz_ioctl(d->fd, DRM_IOCTL_SYNCOBJ_RESET, &a);
		if (!ret) {
			s->fence = false;
			s->producer = FZ_PROD_NONE;
		}
	}
	return ret ? (fz_err(f, d, ret), FZ_ERR) : FZ_OK;
}

static int op_so_wait(struct fz *f)
{
	struct fz_fd *d = fz_pick_fd(f, true);
	uint32_t h[3];
	uint64_t pt[3];
	unsigned int n = 0, i;
	bool timeline = fz_chance(f, 400);
	uint32_t flags = 0;
	int ret;

	if (!d || !d->nso)
		return FZ_SKIP;
	for (i = 0; i < 3 && n < 3; i++) {
		struct fz_sync *s = fz_pick_sync(f, d);

		if (!s->fence && !fz_chance(f, 100))
			continue;
		h[n] = s->handle;
		pt[n] = s->timeline && s->point ? 1 + fz_rnd(f, s->point) : 0;
		n++;
	}
	if (!n)
		return FZ_SKIP;
	if (fz_chance(f, 500))
		flags |= DRM_SYNCOBJ_WAIT_FLAGS_WAIT_ALL;
	if (fz_chance(f, 200))
		flags |= DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT;
	if (fz_chance(f, 200))
		flags |= DRM_SYNCOBJ_WAIT_FLAGS_WAIT_DEADLINE;
	if (timeline) {
		struct fz_syncobj_timeline_wait w = {
			.handles = (uintptr_t)h, .points = (uintptr_t)pt,
			.count_handles = n, .flags = flags,
			.timeout_nsec = dt_now_ns() + fz_rnd(f, 2000000),
			.deadline_nsec = dt_now_ns() + fz_rnd(f, 1000000),
		};

		if (fz_chance(f, 200))
			w.flags |= DRM_SYNCOBJ_WAIT_FLAGS_WAIT_AVAILABLE;
		fz_note(f, "syncobj_timeline_wait fd%d %u handles flags 0x%x",
			fz_idx(f, d), n, w.flags);
		ret = fz_ioctl(d->fd, FZ_IOCTL_SYNCOBJ_TIMELINE_WAIT, &w);
	} else {
		struct fz_syncobj_wait w = {
			.handles = (uintptr_t)h, .count_handles = n,
			.flags = flags,
			.timeout_nsec = dt_now_ns() + fz_rnd(f, 2000000),
			.deadline_nsec = dt_now_ns() + fz_rnd(f, 1000000),
		};

		fz_note(f, "syncobj_wait fd%d %u handles flags 0x%x",
			fz_idx(f, d), n, w.flags);
		ret = fz_ioctl(d->fd, FZ_IOCTL_SYNCOBJ_WAIT, &w);
	}
	return ret ? (fz_err(f, d, ret), FZ_ERR) : FZ_OK;
}

static int op_so_query(struct fz *f)
{
	struct fz_fd *d = fz_pick_fd(f, true);
	struct drm_syncobj_timeline_array a = { .count_handles = 1 };
	struct fz_sync *s;
	uint64_t p = 0;
	uint32_t h;
	int ret;

	if (!d)
		return FZ_SKIP;
	s = fz_pick_sync(f, d);
	if (!s)
		return FZ_SKIP;
	h = s->handle;
	a.handles = (uintptr_t)&h;
	a.points = (uintptr_t)&p;
	if (fz_chance(f, 300))
		a.flags = DRM_SYNCOBJ_QUERY_FLAGS_LAST_SUBMITTED;
	fz_note(f, "syncobj_query fd%d handle %u flags %u", fz_idx(f, d), h,
		a.flags);
	ret = fz_ioctl(d->fd, DRM_IOCTL_SYNCOBJ_QUERY, &a);
	return ret ? (fz_err(f, d, ret), FZ_ERR) : FZ_OK;
}

static int op_so_transfer(struct fz *f)
{
	struct fz_fd *d = fz_pick_fd(f, true);
	struct drm_syncobj_transfer t = { 0 };
	struct fz_sync *src, *dst;
	int ret;

	if (!d || d->nso < 2)
		return FZ_SKIP;
	src = fz_pick_sync(f, d);
	dst = fz_pick_sync(f, d);
	if (src == dst || !src->fence)
		return FZ_SKIP;
	t.src_handle = src->handle;
	t.dst_handle = dst->handle;
	t.src_point = src->timeline ? 1 + fz_rnd(f, src->point) : 0;
	t.dst_point = dst->timeline ? dst->point + 1 : 0;
	if (fz_chance(f, 100))
		t.flags = DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT;
	fz_note(f, "syncobj_transfer fd%d %u:%llu -> %u:%llu", fz_idx(f, d),
		t.src_handle, (unsigned long long)t.src_point, t.dst_handle,
		(unsigned long long)t.dst_point);
	ret = fz_ioctl(d->fd, DRM_IOCTL_SYNCOBJ_TRANSFER, &t);
	if (ret)
		return fz_err(f, d, ret), FZ_ERR;
	dst->fence = true;
	if (dst->timeline)
		dst->point = t.dst_point;
	else if (!src->timeline && !src->shared && !dst->shared)
		dst->producer = src->producer;
	else
		dst->producer = FZ_PROD_UNKNOWN;
	return FZ_OK;
}

static int op_so_export(struct fz *f)
{
	struct fz_fd *d = fz_pick_fd(f, true);
	struct fz_sync *s;
	int ret, fd;

	if (!d)
		return FZ_SKIP;
	s = fz_pick_sync(f, d);
	if (!s)
		return FZ_SKIP;
	if (fz_chance(f, 500)) {
		fz_note(f, "syncobj_export fd%d handle %u as sync file",
			fz_idx(f, d), s->handle);
		ret = drmSyncobjExportSyncFile(d->fd, s->handle, &fd) ? -errno : 0;
		if (!ret)
			fz_add_syncfile(f, fd);
	} else {
		fz_note(f, "syncobj_export fd%d handle %u as fd", fz_idx(f, d),
			s->handle);
		ret = drmSyncobjHandleToFD(d->fd, s->handle, &fd) ? -errno : 0;
		if (!ret) {
			s->shared = true;
			s->producer = FZ_PROD_UNKNOWN;
			if (f->nsofd >= FZ_SOFDS) {
				unsigned int i = fz_rnd(f, f->nsofd);

				close(f->sofd[i]);
				f->sofd[i] = fd;
			} else {
				f->sofd[f->nsofd++] = fd;
			}
		}
	}
	return ret ? (fz_err(f, d, ret), FZ_ERR) : FZ_OK;
}

static int op_so_import(struct fz *f)
{
	struct fz_fd *d = fz_pick_fd(f, true);
	struct fz_sync *s;
	uint32_t h;
	int ret;

	if (!d)
		return FZ_SKIP;
	if (f->nsf && (fz_chance(f, 500) || !f->nsofd)) {
		int sf = f->sf[fz_rnd(f, f->nsf)];

		s = fz_pick_sync(f, d);
		if (!s || s->timeline)
			return FZ_SKIP;
		fz_note(f, "syncobj_import fd%d handle %u sync file %d",
			fz_idx(f, d), s->handle, sf);
		ret = drmSyncobjImportSyncFile(d->fd, s->handle, sf) ? -errno : 0;
		if (!ret) {
			s->fence = true;
			s->producer = FZ_PROD_UNKNOWN;
		}
		return ret ? (fz_err(f, d, ret), FZ_ERR) : FZ_OK;
	}
	if (!f->nsofd || d->nso >= FZ_SYNCS)
		return FZ_SKIP;
	fz_note(f, "syncobj_import fd%d syncobj fd", fz_idx(f, d));
	ret = drmSyncobjFDToHandle(d->fd, f->sofd[fz_rnd(f, f->nsofd)], &h) ?
	      -errno : 0;
	if (ret)
		return fz_err(f, d, ret), FZ_ERR;
	if (fz_find_sync(d, h))
		return FZ_OK;
	s = &d->so[d->nso++];
	memset(s, 0, sizeof(*s));
	s->handle = h;
	s->shared = true;
	s->fence = false;	/* unknown: waits use WAIT_FOR_SUBMIT or fail */
	s->producer = FZ_PROD_UNKNOWN;
	return FZ_OK;
}

/* Fence names come from the fence's ops: they must be names we know. */
static bool fz_known_name(const char *s, bool timeline)
{
	static const char *const drivers[] = {
		"drm_sched", "dojo", "dma_fence_chain", "dma_fence_array", "stub",
	};
	static const char *const timelines[] = {
		"dma0", "dma1", "dma2", "dma3", "unbound", "stub",
	};
	const char *const *names = timeline ? timelines : drivers;
	unsigned int i, n = timeline ? 6 : 5;

	for (i = 0; i < n; i++)
		if (!strcmp(s, names[i]))
			return true;
	return false;
}

static void fz_hexname(const char *s, size_t len, char *out, size_t outlen)
{
	size_t i, o = 0;

	for (i = 0; i < len && o + 4 < outlen; i++)
		o += snprintf(out + o, outlen - o, "%02x ", (unsigned char)s[i]);
	out[o] = '\0';
}

static int fz_syncfile_info(struct fz *f, int sf)
{
	struct sync_fence_info fi[16];
	struct sync_file_info info = { 0 };
	unsigned int i, n;
	char hex[128];

	if (fz_ioctl(sf, SYNC_IOC_FILE_INFO, &info))
		return FZ_ERR;
	n = info.num_fences;
	if (!n || n > 16)
		return FZ_OK;
	memset(&info, 0, sizeof(info));
	memset(fi, 0, sizeof(fi));
	info.num_fences = n;
	info.sync_fence_info = (uintptr_t)fi;
	if (fz_ioctl(sf, SYNC_IOC_FILE_INFO, &info))
		return FZ_ERR;
	fz_count(&f->sh->checked_names);
	for (i = 0; i < n; i++) {
		fi[i].driver_name[sizeof(fi[i].driver_name) - 1] = '\0';
		fi[i].obj_name[sizeof(fi[i].obj_name) - 1] = '\0';
		if (!fz_known_name(fi[i].driver_name, false)) {
			fz_hexname(fi[i].driver_name, 16, hex, sizeof(hex));
			fz_invariant(f, "a fence of a sync file has driver name '%.32s' (%s): freed memory?",
				     fi[i].driver_name, hex);
		} else if (!fz_known_name(fi[i].obj_name, true)) {
			fz_hexname(fi[i].obj_name, 16, hex, sizeof(hex));
			fz_invariant(f, "a %s fence of a sync file has timeline name '%.32s' (%s): its scheduler's memory was freed?",
				     fi[i].driver_name, fi[i].obj_name, hex);
		}
	}
	return FZ_OK;
}

static int op_syncfile(struct fz *f)
{
	unsigned int i;
	int sf, ret = 0;

	if (!f->nsf)
		return FZ_SKIP;
	i = fz_rnd(f, f->nsf);
	sf = f->sf[i];
	switch (fz_rnd(f, 6)) {
	case 0:
	case 1:
		fz_note(f, "sync file %d info", sf);
		return fz_syncfile_info(f, sf);
	case 2: {
		struct pollfd p = { .fd = sf, .events = POLLIN };

		fz_note(f, "sync file %d poll", sf);
		ret = poll(&p, 1, fz_rnd(f, 2)) < 0 ? -errno : 0;
		break;
	}
	case 3: {
		struct sync_merge_data m = { .fd2 = f->sf[fz_rnd(f, f->nsf)] };

		snprintf(m.name, sizeof(m.name), "fz-merge");
		fz_note(f, "sync file %d merge %d", sf, m.fd2);
		ret = fz_ioctl(sf, SYNC_IOC_MERGE, &m);
		if (!ret)
			fz_add_syncfile(f, m.fence);
		break;
	}
	case 4: {
		struct sync_set_deadline dl = {
			.deadline_ns = dt_now_ns() + fz_rnd(f, 1000000),
		};

		fz_note(f, "sync file %d set deadline", sf);
		ret = fz_ioctl(sf, SYNC_IOC_SET_DEADLINE, &dl);
		break;
	}
	default:
		fz_note(f, "close sync file %d", sf);
		close(sf);
		f->sf[i] = f->sf[--f->nsf];
		break;
	}
	return ret ? FZ_ERR : FZ_OK;
}

static int op_so_eventfd(struct fz *f)
{
	struct fz_fd *d = fz_pick_fd(f, true);
	struct fz_syncobj_eventfd e = { 0 };
	struct fz_sync *s;
	int ret;

	if (!d)
		return FZ_SKIP;
	s = fz_pick_sync(f, d);
	if (!s)
		return FZ_SKIP;
	e.handle = s->handle;
	e.point = s->timeline ? s->point + fz_rnd(f, 3) : 0;
	if (fz_chance(f, 300))
		e.flags = DRM_SYNCOBJ_WAIT_FLAGS_WAIT_AVAILABLE;
	e.fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (e.fd < 0)
		return FZ_ERR;
	fz_note(f, "syncobj_eventfd fd%d handle %u point %llu flags %u",
		fz_idx(f, d), e.handle, (unsigned long long)e.point, e.flags);
	ret = fz_ioctl(d->fd, FZ_IOCTL_SYNCOBJ_EVENTFD, &e);
	close(e.fd);
	return ret ? (fz_err(f, d, ret), FZ_ERR) : FZ_OK;
}

/* Syncobj ioctls with one field mutated. */
static int op_so_bad(struct fz *f)
{
	struct fz_fd *d = fz_pick_fd(f, true);
	uint32_t h[64];
	const char *what;
	bool certain = true;
	unsigned int i, n = 1 + fz_rnd(f, 64);
	int ret;

	if (!d)
		return FZ_SKIP;
	for (i = 0; i < 64; i++)
		h[i] = d->nso && fz_chance(f, 700) ? d->so[fz_rnd(f, d->nso)].handle :
						     fz_closed_handle(f, d);
	switch (fz_rnd(f, 9)) {
	case 0: {
		struct drm_syncobj_create c = { .flags = 2u << fz_rnd(f, 31) };

		what = "create flags";
		ret = fz_ioctl(d->fd, DRM_IOCTL_SYNCOBJ_CREATE, &c);
		if (!ret)
			drmSyncobjDestroy(d->fd, c.handle);
		break;
	}
	case 1: {
		struct drm_syncobj_destroy x = { .handle = h[0], .pad = 1 };

		what = "destroy pad";
		ret = fz_ioctl(d->fd, DRM_IOCTL_SYNCOBJ_DESTROY, &x);
		break;
	}
	case 2: {
		struct fz_syncobj_wait w = {
			.handles = (uintptr_t)h, .count_handles = n,
			.flags = 16u << fz_rnd(f, 28),
		};

		what = "wait flags";
		ret = fz_ioctl(d->fd, FZ_IOCTL_SYNCOBJ_WAIT, &w);
		break;
	}
	case 3: {
		struct fz_syncobj_wait w = { .handles = (uintptr_t)h };

		what = "wait count 0";
		certain = false;	/* 6.12 returns 0 */
		ret = fz_ioctl(d->fd, FZ_IOCTL_SYNCOBJ_WAIT, &w);
		break;
	}
	case 4: {
		struct drm_syncobj_array a = {
			.handles = (uintptr_t)h, .count_handles = n,
			.pad = 1 + fz_rnd(f, 1000),
		};

		what = "signal pad";
		ret = fz_ioctl(d->fd, fz_chance(f, 500) ? DRM_IOCTL_SYNCOBJ_SIGNAL :
			       DRM_IOCTL_SYNCOBJ_RESET, &a);
		break;
	}
	case 5: {
		struct drm_syncobj_array a = { .count_handles = n };

		what = "array pointer";
		certain = false;
		a.handles = fz_chance(f, 300) ?
			    (uintptr_t)(f->guard + DT_PAGE - 4 * (n / 2)) :
			    fz_bad_ptr(f, false);
		ret = fz_ioctl(d->fd, DRM_IOCTL_SYNCOBJ_SIGNAL, &a);
		break;
	}
	case 6: {
		struct fz_syncobj_wait w = {
			.handles = (uintptr_t)h,
			.count_handles = 1 + fz_rnd(f, 4096),
			.timeout_nsec = 0,
		};

		what = "wait count";
		certain = false;
		/*
		 * A count the driver would never take, past what a kmalloc
		 * can give: the DRM core warns once (drm_syncobj_array_find()
		 * allocates without __GFP_NOWARN in 6.12).
		 */
		if (f->core_huge && fz_chance(f, 100)) {
			w.count_handles = 0x40000000u + fz_rnd(f, 0xbfffffff);
			what = "wait huge count";
		}
		ret = fz_ioctl(d->fd, FZ_IOCTL_SYNCOBJ_WAIT, &w);
		break;
	}
	case 7: {
		struct drm_syncobj_timeline_array a = {
			.handles = (uintptr_t)h, .count_handles = n,
			.flags = 2u << fz_rnd(f, 30),
		};
		uint64_t pts[64] = { 0 };

		a.points = (uintptr_t)pts;
		what = "query flags";
		ret = fz_ioctl(d->fd, DRM_IOCTL_SYNCOBJ_QUERY, &a);
		break;
	}
	default: {
		struct drm_syncobj_handle x = {
			.handle = h[0], .flags = 2u << fz_rnd(f, 30),
		};

		what = "handle_to_fd flags";
		ret = fz_ioctl(d->fd, DRM_IOCTL_SYNCOBJ_HANDLE_TO_FD, &x);
		if (!ret)
			close(x.fd);
		break;
	}
	}
	fz_note(f, "syncobj_bad fd%d %s (count %u)", fz_idx(f, d), what, n);
	if (!ret && certain)
		fz_anomaly(f, "DRM core syncobj ioctl accepted a bad %s", what);
	return ret ? (fz_err(f, d, ret), FZ_ERR) : FZ_OK;
}

/* ---- submission -------------------------------------------------------------- */

struct fz_sub {
	struct drm_dojo_submit a;
	struct drm_dojo_cmd cmds[64];
	struct drm_dojo_cmd *big;	/* f's 4096-command buffer, or NULL */
	uint32_t bos[FZ_JOB_BOS + 2];
	struct fz_bo *bo[FZ_JOB_BOS + 2];
	unsigned int nb;
	struct drm_dojo_sync in[FZ_JOB_DEPS + 2];
	unsigned int nin;
	struct fz_sync *out;
	uint64_t deps[FZ_JOB_DEPS];
	unsigned int ndeps;
	bool deps_unknown;
};

static struct drm_dojo_cmd fz_big_cmds[DRM_DOJO_MAX_CMDS + 8];

/* A random valid command on the job's buffers. */
static struct drm_dojo_cmd fz_gen_cmd(struct fz *f, struct fz_sub *s)
{
	struct drm_dojo_cmd c = { 0 };
	unsigned int r = fz_rnd(f, 100), si, di;
	uint64_t cap, max;

	if (!s->nb || r < 12) {
		c.op = fz_chance(f, 500) ? DRM_DOJO_CMD_NOP : DRM_DOJO_CMD_BARRIER;
		return c;
	}
	cap = fz_chance(f, 700) ? 256 : fz_chance(f, 850) ? 16384 : ~0ULL;
	si = fz_rnd(f, s->nb);
	di = fz_rnd(f, s->nb);
	if (r < 50) {
		c.op = DRM_DOJO_CMD_COPY;
		max = s->bo[si]->size < s->bo[di]->size ? s->bo[si]->size :
							  s->bo[di]->size;
		if (max > cap)
			max = cap;
		c.len = 1 + fz_rnd(f, max);
		c.src_bo = si;
		c.dst_bo = di;
		c.src_offset = fz_rnd(f, s->bo[si]->size - c.len + 1);
		c.dst_offset = fz_rnd(f, s->bo[di]->size - c.len + 1);
	} else if (r < 80) {
		c.op = DRM_DOJO_CMD_FILL;
		max = s->bo[di]->size < cap ? s->bo[di]->size : cap;
		c.len = 1 + fz_rnd(f, max);
		c.dst_bo = di;
		c.dst_offset = fz_rnd(f, s->bo[di]->size - c.len + 1);
		c.pattern = (uint32_t)fz_rand(f);
	} else {
		c.op = DRM_DOJO_CMD_CRC32;
		max = s->bo[si]->size < cap ? s->bo[si]->size : cap;
		c.len = 1 + fz_rnd(f, max);
		c.src_bo = si;
		c.dst_bo = di;
		c.src_offset = fz_rnd(f, s->bo[si]->size - c.len + 1);
		c.dst_offset = fz_rnd(f, s->bo[di]->size - 3);
	}
	return c;
}

/* A valid submission on @d, from the buffers and syncobjs it holds. */
static void fz_gen_submit(struct fz *f, struct fz_fd *d, struct fz_sub *s)
{
	unsigned int i, n, want;

	memset(s, 0, sizeof(*s));
	want = d->nbo ? fz_rnd(f, (d->nbo < FZ_JOB_BOS ? d->nbo : FZ_JOB_BOS) + 1) : 0;
	for (i = 0; i < want; i++) {
		struct fz_bo *b = &d->bo[fz_rnd(f, d->nbo)];

		/* the same buffer twice is allowed, and sometimes wanted */
		s->bo[s->nb] = b;
		s->bos[s->nb++] = b->handle;
	}
	s->a.queue = fz_rnd(f, d->nq);

	n = fz_rnd(f, 100);
	n = n < 70 ? 1 + fz_rnd(f, 4) : n < 90 ? 5 + fz_rnd(f, 12) :
	    n < 98 ? 17 + fz_rnd(f, 48) : 0;
	if (!n) {
		/* a long command buffer of NOPs and BARRIERs */
		n = 65 + fz_rnd(f, DRM_DOJO_MAX_CMDS - 64);
		s->big = fz_big_cmds;
		for (i = 0; i < n; i++) {
			memset(&s->big[i], 0, sizeof(s->big[i]));
			s->big[i].op = fz_chance(f, 900) ? DRM_DOJO_CMD_NOP :
							   DRM_DOJO_CMD_BARRIER;
		}
		if (s->nb)
			s->big[n - 1] = fz_gen_cmd(f, s);
	} else {
		for (i = 0; i < n; i++)
			s->cmds[i] = fz_gen_cmd(f, s);
	}
	s->a.num_cmds = n;
	s->a.cmds = (uintptr_t)(s->big ? s->big : s->cmds);
	s->a.bo_handles = (uintptr_t)s->bos;
	s->a.num_bos = s->nb;

	if (d->nso && fz_chance(f, 400)) {
		unsigned int k = 1 + fz_rnd(f, 3);

		for (i = 0; i < k && s->nin < FZ_JOB_DEPS; i++) {
			struct fz_sync *so = fz_pick_sync(f, d);
			struct drm_dojo_sync *in = &s->in[s->nin];

			if (!so->fence)
				continue;
			in->handle = so->handle;
			if (so->timeline) {
				in->point = 1 + fz_rnd(f, so->point);
				s->deps_unknown = true;
			} else if (so->shared || so->producer == FZ_PROD_UNKNOWN) {
				s->deps_unknown = true;
			} else if (so->producer != FZ_PROD_SIGNAL &&
				   so->producer != FZ_PROD_NONE &&
				   s->ndeps < FZ_JOB_DEPS) {
				s->deps[s->ndeps++] = so->producer;
			}
			s->nin++;
		}
		s->a.in_syncs = (uintptr_t)s->in;
		s->a.num_in_syncs = s->nin;
	}
	if (d->nso && fz_chance(f, 500)) {
		s->out = fz_pick_sync(f, d);
		s->a.out_sync.handle = s->out->handle;
		if (s->out->timeline)
			s->a.out_sync.point = s->out->point + 1 + fz_rnd(f, 2);
	}
}

static const char *fz_sub_desc(struct fz_sub *s, char *buf, size_t len)
{
	snprintf(buf, len, "q%u %u cmds %u bos %u in%s out %u:%llu",
		 s->a.queue, s->a.num_cmds, s->a.num_bos, s->a.num_in_syncs,
		 s->deps_unknown ? "?" : "", s->a.out_sync.handle,
		 (unsigned long long)s->a.out_sync.point);
	return buf;
}

/* Track a job that SUBMIT accepted. */
static void fz_track(struct fz *f, struct fz_fd *d, struct fz_sub *s,
		     uint32_t epoch, bool check)
{
	struct fz_job *j = fz_add_job(f, d, s->a.job_id);
	unsigned int i;

	j->epoch = epoch;
	j->queue = s->a.queue;
	j->check = check && !s->deps_unknown;
	for (i = 0; i < s->nb; i++)
		fz_job_add_bo(j, s->bo[i]);
	for (i = 0; i < s->ndeps; i++)
		j->deps[j->ndeps++] = s->deps[i];
	if (s->out) {
		s->out->fence = true;
		if (s->out->timeline)
			s->out->point = s->a.out_sync.point;
		else
			s->out->producer = s->out->shared ? FZ_PROD_UNKNOWN :
							    s->a.job_id;
	}
}

static int op_submit(struct fz *f)
{
	struct fz_fd *d = fz_pick_fd(f, true);
	struct fz_sub s;
	uint32_t epoch;
	char buf[96];
	int ret;

	if (!d)
		return FZ_SKIP;
	fz_gen_submit(f, d, &s);
	fz_note(f, "submit fd%d (dojo_emu%d) %s", fz_idx(f, d), d->emu,
		fz_sub_desc(&s, buf, sizeof(buf)));
	epoch = fz_disrupt(f, d->emu);
	ret = fz_ioctl(d->fd, DRM_IOCTL_DOJO_SUBMIT, &s.a);
	if (ret) {
		fz_err(f, d, ret);
		if (ret != -ENODEV && ret != -ENOMEM && !d->dead &&
		    !s.deps_unknown && fz_healthy(f, d->emu, d->gen, epoch)) {
			unsigned int i;
			bool gone = false;

			for (i = 0; i < s.nb; i++)
				gone |= fz_map_may_fault(f, s.bo[i]->origin,
							 s.bo[i]->origin_gen);
			if (!gone)
				fz_anomaly(f, "valid SUBMIT failed: %s",
					   strerror(-ret));
		}
		return FZ_ERR;
	}
	fz_track(f, d, &s, epoch, true);
	return FZ_OK;
}

/*
 * One mutation of a valid submission. Returns its name; *certain says
 * whether the driver must refuse it (EINVAL).
 */
static const char *fz_mutate_submit(struct fz *f, struct fz_fd *d,
				    struct fz_sub *s, bool *certain)
{
	struct drm_dojo_cmd *cmds = s->big ? s->big : s->cmds;
	struct drm_dojo_cmd *c = &cmds[fz_rnd(f, s->a.num_cmds)];
	unsigned int r = fz_rnd(f, 30);

	*certain = true;
	/* command mutations need a buffer-using command */
	if (r >= 14 && r < 24 && (!s->nb || c->op == DRM_DOJO_CMD_NOP ||
				  c->op == DRM_DOJO_CMD_BARRIER))
		r = fz_rnd(f, 14);

	switch (r) {
	case 0:
		s->a.flags = 1u << fz_rnd(f, 32);
		return "flags";
	case 1:
		s->a.pad = 1 + fz_rnd(f, 0xfffffffe);
		return "pad";
	case 2:
		s->a.job_id = 1 + fz_rnd(f, 1000);
		return "job_id in";
	case 3:
		s->a.out_sync.flags = 1u << fz_rnd(f, 32);
		if (!s->a.out_sync.handle)
			s->a.out_sync.handle = d->nso ? d->so[0].handle : 1;
		return "out_sync flags";
	case 4:
		s->a.out_sync.handle = 0;
		s->a.out_sync.point = 1 + fz_rnd(f, 100);
		return "out_sync point without handle";
	case 5:
		s->a.queue = fz_chance(f, 500) ? d->nq + (uint32_t)fz_rnd(f, 3) :
			     0x80000000u + (uint32_t)fz_rnd(f, 0x80000000u);
		return "queue";
	case 6:
		s->a.num_cmds = 0;
		return "num_cmds 0";
	case 7:
		s->a.num_cmds = DRM_DOJO_MAX_CMDS + 1 + fz_rnd(f, 0xfffff000u);
		return "num_cmds too many";
	case 8:
		s->a.num_bos = DRM_DOJO_MAX_BOS + 1 + fz_rnd(f, 1000);
		return "num_bos too many";
	case 9:
		s->a.num_in_syncs = DRM_DOJO_MAX_SYNCS + 1 + fz_rnd(f, 1000);
		return "num_in_syncs too many";
	case 10:
		c->op = 5 + fz_rnd(f, 0xfffa);
		return "command op";
	case 11:
		memset(c, 0, sizeof(*c));
		c->op = fz_chance(f, 500) ? DRM_DOJO_CMD_NOP : DRM_DOJO_CMD_BARRIER;
		switch (fz_rnd(f, 5)) {
		case 0:
			c->len = 1 + fz_rnd(f, 100);
			break;
		case 1:
			c->pattern = 1 + fz_rnd(f, 100);
			break;
		case 2:
			c->src_offset = 1 + fz_rnd(f, 100);
			break;
		case 3:
			c->dst_bo = 1 + fz_rnd(f, 200);
			break;
		default:
			c->src_bo = 1 + fz_rnd(f, 200);
			break;
		}
		return "NOP/BARRIER with a field set";
	case 12:
		if (!s->nin) {
			s->in[0].handle = d->nso ? d->so[0].handle : 1;
			s->nin = 1;
			s->a.in_syncs = (uintptr_t)s->in;
			s->a.num_in_syncs = 1;
		}
		s->in[fz_rnd(f, s->nin)].flags = 1u << fz_rnd(f, 32);
		return "in_sync flags";
	case 13:
		if (!s->nin) {
			s->nin = 1;
			s->a.in_syncs = (uintptr_t)s->in;
			s->a.num_in_syncs = 1;
		}
		s->in[fz_rnd(f, s->nin)].handle = 0;
		return "in_sync handle 0";
	case 14:
		c->len = 0;
		return "len 0";
	case 15: {
		uint64_t sz = s->bo[c->dst_bo]->size;

		c->len = 1 + fz_rnd(f, sz);
		c->dst_offset = sz - c->len + 1 + fz_rnd(f, 1 << 20);
		if (c->op == DRM_DOJO_CMD_CRC32) {
			c->len = 1;
			c->dst_offset = sz - 3 + fz_rnd(f, 3);
		}
		return "dst range past the end";
	}
	case 16:
		c->dst_offset = ~0ULL - fz_rnd(f, 8);
		return "dst offset wraps";
	case 17:
		if (c->op == DRM_DOJO_CMD_FILL) {
			c->len = s->bo[c->dst_bo]->size + 1 + fz_rnd(f, 4096);
			c->dst_offset = 0;
		} else {
			c->len = s->bo[c->src_bo]->size + 1 + fz_rnd(f, 4096);
			c->src_offset = 0;
		}
		return "len past the buffer";
	case 18:
		if (c->op == DRM_DOJO_CMD_FILL) {
			c->src_bo = 1 + fz_rnd(f, 255);
			return "FILL with src_bo";
		}
		c->src_bo = s->nb + fz_rnd(f, 256 - s->nb);
		return "src_bo out of range";
	case 19:
		c->dst_bo = s->nb + fz_rnd(f, 256 - s->nb);
		return "dst_bo out of range";
	case 20:
		if (c->op == DRM_DOJO_CMD_FILL) {
			c->src_offset = 1 + fz_rnd(f, 100);
			return "FILL with src_offset";
		}
		c->pattern = 1 + fz_rnd(f, 0xfffffffe);
		return "pattern on COPY/CRC32";
	case 21:
		if (c->op == DRM_DOJO_CMD_FILL) {
			c->len = ~0ULL - fz_rnd(f, 16);
			return "FILL len ~0";
		}
		c->src_offset = s->bo[c->src_bo]->size - fz_rnd(f, 3);
		c->len = 4 + fz_rnd(f, 100);
		return "src range past the end";
	case 22:
		c->len = ~0ULL - fz_rnd(f, 16);
		return "len ~0";
	case 23:
		c->src_offset = ~0ULL - fz_rnd(f, 8);
		if (c->op == DRM_DOJO_CMD_FILL)
			return "FILL with src_offset ~0";
		return "src offset wraps";
	}

	/* Mutations whose outcome is not certain: pointers and handles. */
	*certain = false;
	switch (r) {
	case 24:
		s->a.cmds = fz_chance(f, 300) ?
			    (uintptr_t)(f->guard + DT_PAGE -
					sizeof(struct drm_dojo_cmd) *
					(s->a.num_cmds > 1 ? s->a.num_cmds - 1 : 1) - 8) :
			    fz_bad_ptr(f, false);
		return "cmds pointer";
	case 25:
		s->a.bo_handles = fz_bad_ptr(f, false);
		if (!s->a.num_bos)
			s->a.num_bos = 1;
		return "bo_handles pointer";
	case 26:
		s->a.in_syncs = fz_bad_ptr(f, false);
		if (!s->a.num_in_syncs)
			s->a.num_in_syncs = 1 + fz_rnd(f, DRM_DOJO_MAX_SYNCS);
		return "in_syncs pointer";
	case 27:
		if (!s->nb)
			return "nothing";
		s->bos[fz_rnd(f, s->nb)] = fz_closed_handle(f, d);
		return "closed bo handle";
	case 28:
		s->a.out_sync.handle = fz_closed_handle(f, d);
		s->out = NULL;
		return "closed out_sync handle";
	default:
		if (!s->nin) {
			s->nin = 1;
			s->a.in_syncs = (uintptr_t)s->in;
			s->a.num_in_syncs = 1;
		}
		s->in[fz_rnd(f, s->nin)].handle = fz_closed_handle(f, d);
		return "closed in_sync handle";
	}
}

static int op_submit_bad(struct fz *f)
{
	struct fz_fd *d = fz_pick_fd(f, true);
	const char *what;
	struct fz_sub s;
	bool certain;
	uint32_t epoch;
	char buf[96];
	int ret;

	if (!d)
		return FZ_SKIP;
	fz_gen_submit(f, d, &s);
	what = fz_mutate_submit(f, d, &s, &certain);
	fz_note(f, "submit_bad fd%d (dojo_emu%d) %s: %s", fz_idx(f, d), d->emu,
		what, fz_sub_desc(&s, buf, sizeof(buf)));
	epoch = fz_disrupt(f, d->emu);
	ret = fz_ioctl(d->fd, DRM_IOCTL_DOJO_SUBMIT, &s.a);
	if (!ret) {
		if (certain)
			fz_invariant(f, "SUBMIT accepted a bad %s (job %llu)", what,
				     (unsigned long long)s.a.job_id);
		if (!s.a.out_sync.handle || !fz_find_sync(d, s.a.out_sync.handle))
			s.out = NULL;
		fz_track(f, d, &s, epoch, false);
		return FZ_OK;
	}
	fz_err(f, d, ret);
	if (certain && ret != -EINVAL && ret != -ENODEV && ret != -ENOENT &&
	    ret != -ENOMEM)
		fz_anomaly(f, "SUBMIT with a bad %s: %s, not EINVAL", what,
			   strerror(-ret));
	return FZ_ERR;
}

/* ---- job status ---------------------------------------------------------------- */

static int op_job_wait(struct fz *f)
{
	struct fz_fd *d = fz_pick_fd(f, true);
	unsigned int i;
	int64_t ms;
	int ret;

	if (!d || !d->njob)
		return FZ_SKIP;
	i = fz_chance(f, 500) ? 0 : fz_rnd(f, d->njob);
	ms = fz_chance(f, 700) ? 0 : 1 + fz_rnd(f, 4);
	fz_note(f, "job_wait fd%d job %llu %lld ms", fz_idx(f, d),
		(unsigned long long)d->job[i].id, (long long)ms);
	ret = fz_wait_job(f, d, i, ms);
	return ret ? FZ_ERR : FZ_OK;
}

static int op_job_wait_bad(struct fz *f)
{
	struct fz_fd *d = fz_pick_fd(f, true);
	struct drm_dojo_job_wait w = { 0 };
	const char *what;
	bool certain = true;
	int ret;

	if (!d)
		return FZ_SKIP;
	w.job_id = d->njob ? d->job[fz_rnd(f, d->njob)].id : 1;
	switch (fz_rnd(f, 7)) {
	case 0:
		w.flags = 1u << fz_rnd(f, 32);
		what = "flags";
		break;
	case 1:
		w.status = 1 + fz_rnd(f, 10);
		what = "status in";
		break;
	case 2:
		w.error = 1 + fz_rnd(f, 10);
		what = "error in";
		break;
	case 3:
		w.error_cmd = 1 + fz_rnd(f, 10);
		what = "error_cmd in";
		break;
	case 4:
		w.job_id = 0;
		what = "job 0";
		break;
	case 5:
		w.job_id += 100000 + fz_rnd(f, 1ULL << 40);
		what = "future job";
		break;
	default:
		w.timeout_ns = fz_chance(f, 500) ? -1 - (int64_t)fz_rnd(f, 1 << 30) :
						   INT64_MIN;
		what = "negative deadline";
		certain = false;
		break;
	}
	fz_note(f, "job_wait_bad fd%d %s (job %llu)", fz_idx(f, d), what,
		(unsigned long long)w.job_id);
	ret = ioctl(d->fd, DRM_IOCTL_DOJO_JOB_WAIT, &w) ? -errno : 0;
	if (!ret && certain)
		fz_invariant(f, "JOB_WAIT accepted a bad %s", what);
	return ret ? (fz_err(f, d, ret), FZ_ERR) : FZ_OK;
}

/* ---- oracle jobs: private buffers whose contents are checked ----------------- */

static uint8_t fz_expect[1 << 16];

static int fz_oracle_set_up(struct fz *f, struct fz_fd *d,
			    struct fz_oracle_set *s)
{
	struct fz_bo *x, *y, *r, *h;
	uint64_t size = DT_PAGE << fz_rnd(f, 5);

	memset(s, 0, sizeof(*s));
	if (fz_create_bo(f, d, DRM_DOJO_PLACEMENT_HOST, size, &x))
		return -1;
	s->x = x->handle;
	if (fz_create_bo(f, d, DRM_DOJO_PLACEMENT_HOST, size, &y))
		return -1;
	s->y = y->handle;
	if (fz_create_bo(f, d, DRM_DOJO_PLACEMENT_HOST, DT_PAGE, &r))
		return -1;
	s->r = r->handle;
	if (fz_create_bo(f, d, DRM_DOJO_PLACEMENT_HBM, size, &h))
		return -1;
	s->h = h->handle;
	s->size = size;
	s->px = dt_bo_mmap(d->fd, s->x, size);
	s->py = dt_bo_mmap(d->fd, s->y, size);
	s->pr = dt_bo_mmap(d->fd, s->r, DT_PAGE);
	if (!s->px || !s->py || !s->pr) {
		if (s->px)
			munmap(s->px, size);
		if (s->py)
			munmap(s->py, size);
		if (s->pr)
			munmap(s->pr, DT_PAGE);
		return -1;
	}
	return 0;
}

/* A new HBM buffer for the set, so that the job waits for its clearing. */
static void fz_oracle_new_hbm(struct fz *f, struct fz_fd *d,
			      struct fz_oracle_set *s)
{
	struct fz_bo *b = fz_find_bo(d, s->h), *h;

	if (!b || fz_create_bo(f, d, DRM_DOJO_PLACEMENT_HBM, s->size, &h))
		return;
	dt_gem_close(d->fd, s->h);
	fz_drop_bo(f, d, (unsigned int)(b - d->bo), false);
	s->h = h->handle;
}

static int op_oracle(struct fz *f)
{
	int emu = fz_pick_card(f);
	struct drm_dojo_cmd cmds[5];
	struct drm_dojo_submit a = { 0 };
	struct fz_oracle_set *s = NULL;
	uint64_t ho, hsize;
	struct fz_job *j;
	uint32_t bos[4], epoch;
	struct fz_fd *d;
	unsigned int i;
	int ret;

	if (emu < 0)
		return FZ_SKIP;
	d = fz_oracle_fd(f, emu);
	if (!d)
		return FZ_SKIP;
	for (i = d->njob; i-- > 0;)
		if (d->job[i].oracle)
			fz_wait_job(f, d, i, 0);
	for (i = 0; i < d->nos; i++)
		if (!d->os[i].busy)
			s = &d->os[i];
	if (!s && d->nos < FZ_ORACLE_SETS) {
		s = &d->os[d->nos];
		fz_note(f, "oracle fd%d (dojo_emu%d): new buffer set", fz_idx(f, d),
			emu);
		if (fz_oracle_set_up(f, d, s))
			return FZ_ERR;
		d->nos++;
	}
	if (!s)
		return FZ_SKIP;	/* both sets' jobs still run */
	if (fz_chance(f, 300))
		fz_oracle_new_hbm(f, d, s);
	hsize = s->size;
	s->n = 1 + fz_rnd(f, s->size);
	s->xo = fz_rnd(f, s->size - s->n + 1);
	s->yo = fz_rnd(f, s->size - s->n + 1);
	ho = fz_rnd(f, hsize - s->n + 1);
	s->pattern = (uint32_t)fz_rand(f);
	s->dseed = fz_rand(f);

	fz_note(f, "oracle fd%d (dojo_emu%d) set %ld: %llu bytes x+%llu -> hbm+%llu -> y+%llu",
		fz_idx(f, d), emu, (long)(s - d->os), (unsigned long long)s->n,
		(unsigned long long)s->xo, (unsigned long long)ho,
		(unsigned long long)s->yo);
	dt_random(fz_expect, s->size, s->dseed);
	{
		volatile bool faulted = false;

		if (sigsetjmp(fz_bus_jmp, 1)) {
			faulted = true;
		} else {
			fz_in_touch = 1;
			memcpy(s->px, fz_expect, s->size);
			memset(s->py, 0x5a, s->size);
			memset(s->pr, 0xff, DT_PAGE);
			fz_in_touch = 0;
		}
		if (faulted) {
			if (!fz_map_may_fault(f, (int8_t)emu, d->gen))
				fz_invariant(f, "SIGBUS writing an oracle buffer of dojo_emu%d, which was not removed",
					     emu);
			d->dead = true;
			return FZ_ERR;
		}
	}
	bos[0] = s->x;
	bos[1] = s->y;
	bos[2] = s->r;
	bos[3] = s->h;
	cmds[0] = dt_copy(0, s->xo, 3, ho, s->n);
	cmds[1] = dt_barrier();
	cmds[2] = dt_copy(3, ho, 1, s->yo, s->n);
	cmds[3] = dt_fill(0, s->xo, s->n, s->pattern);
	cmds[4] = dt_crc(1, s->yo, s->n, 2, 0);
	a.queue = fz_rnd(f, d->nq);
	a.cmds = (uintptr_t)cmds;
	a.num_cmds = 5;
	a.bo_handles = (uintptr_t)bos;
	a.num_bos = 4;
	epoch = fz_disrupt(f, emu);
	ret = fz_ioctl(d->fd, DRM_IOCTL_DOJO_SUBMIT, &a);
	if (ret) {
		fz_err(f, d, ret);
		if (ret != -ENODEV && ret != -ENOMEM && fz_healthy(f, emu, d->gen, epoch))
			fz_anomaly(f, "oracle SUBMIT failed: %s", strerror(-ret));
		return FZ_ERR;
	}
	j = fz_add_job(f, d, a.job_id);
	j->epoch = epoch;
	j->queue = a.queue;
	j->check = true;
	j->oracle = (int)(s - d->os) + 1;
	for (i = 0; i < 4; i++) {
		struct fz_bo *b = fz_find_bo(d, bos[i]);

		if (b)
			fz_job_add_bo(j, b);
	}
	s->busy = true;
	s->job = a.job_id;
	return FZ_OK;
}

static long fz_first_diff_fill(const uint8_t *p, size_t len, uint32_t pattern)
{
	return dt_find_not_fill(p, len, pattern);
}

void fz_oracle_check(struct fz *f, struct fz_fd *d, unsigned int set,
		     const struct drm_dojo_job_wait *w, bool healthy)
{
	struct fz_oracle_set *s = &d->os[set];
	volatile bool faulted = false;
	volatile long bad_y = -1, bad_x = -1, bad_yo = -1, bad_r = -1;
	volatile uint32_t got = 0;
	uint32_t crc;

	(void)healthy;
	s->busy = false;
	if (w->status != DRM_DOJO_JOB_DONE || !fz_card_same(f, d->emu, d->gen))
		return;
	dt_random(fz_expect, s->size, s->dseed);
	crc = dt_crc32(fz_expect + s->xo, s->n);
	if (sigsetjmp(fz_bus_jmp, 1)) {
		faulted = true;
	} else {
		fz_in_touch = 1;
		bad_y = dt_diff(s->py + s->yo, fz_expect + s->xo, s->n);
		bad_x = fz_first_diff_fill(s->px + s->xo, s->n, s->pattern);
		if (bad_x < 0 && s->xo)
			bad_x = dt_diff(s->px, fz_expect, s->xo) >= 0 ? -2 : -1;
		bad_yo = dt_find_not(s->py, s->yo, 0x5a);
		if (bad_yo < 0)
			bad_yo = dt_find_not(s->py + s->yo + s->n,
					     s->size - s->yo - s->n, 0x5a);
		got = dt_le32(s->pr);
		bad_r = dt_find_not(s->pr + 4, DT_PAGE - 4, 0xff);
		fz_in_touch = 0;
	}
	if (!faulted)
		fz_count(&f->sh->checked_data);
	if (faulted) {
		if (!fz_map_may_fault(f, (int8_t)d->emu, d->gen))
			fz_invariant(f, "SIGBUS reading an oracle buffer of dojo_emu%d, which was not removed",
				     d->emu);
		return;
	}
	if (bad_y >= 0)
		fz_invariant(f, "oracle job %llu (dojo_emu%d, DONE): Y[%llu + %ld] is 0x%02x, expected 0x%02x (copy of X through HBM, %llu bytes)",
			     (unsigned long long)s->job, d->emu,
			     (unsigned long long)s->yo, bad_y,
			     s->py[s->yo + bad_y], fz_expect[s->xo + bad_y],
			     (unsigned long long)s->n);
	else if (bad_x != -1)
		fz_invariant(f, "oracle job %llu (dojo_emu%d, DONE): X is not FILL 0x%08x over [%llu, +%llu) (first bad byte %ld)",
			     (unsigned long long)s->job, d->emu, s->pattern,
			     (unsigned long long)s->xo, (unsigned long long)s->n,
			     bad_x);
	else if (bad_yo >= 0)
		fz_invariant(f, "oracle job %llu (dojo_emu%d, DONE): Y was written outside [%llu, +%llu)",
			     (unsigned long long)s->job, d->emu,
			     (unsigned long long)s->yo, (unsigned long long)s->n);
	else if (got != crc || bad_r >= 0)
		fz_invariant(f, "oracle job %llu (dojo_emu%d, DONE): CRC32 0x%08x, expected 0x%08x%s",
			     (unsigned long long)s->job, d->emu, got, crc,
			     bad_r >= 0 ? ", and R written past 4 bytes" : "");
}

/* ---- queries, fdinfo, sysfs, debugfs ----------------------------------------- */

static int op_query(struct fz *f)
{
	struct fz_fd *d = fz_pick_fd(f, true);
	uint8_t buf[256];
	struct drm_dojo_query q = { 0 };
	uint32_t len, asked;
	int m = -1, ret;
	const char *what = "";

	if (!d)
		return FZ_SKIP;
	q.query = fz_chance(f, 500) ? DRM_DOJO_QUERY_DEVICE_INFO :
				      DRM_DOJO_QUERY_MEMORY;
	len = q.query == DRM_DOJO_QUERY_DEVICE_INFO ?
	      sizeof(struct drm_dojo_device_info) :
	      sizeof(struct drm_dojo_memory_info);
	q.size = fz_chance(f, 150) ? 0 : len + (fz_chance(f, 200) ? 8 * fz_rnd(f, 16) : 0);
	q.data = (uintptr_t)buf;
	memset(buf, 0xa5, sizeof(buf));
	if (fz_chance(f, 250)) {
		m = fz_rnd(f, 6);
		switch (m) {
		case 0:
			q.query = fz_chance(f, 300) ? 0 : 3 + fz_rnd(f, 0xfffffff0);
			what = "query id";
			break;
		case 1:
			q.flags = 1u << fz_rnd(f, 32);
			what = "flags";
			break;
		case 2:
			q.pad = 1 + fz_rnd(f, 1000);
			what = "pad";
			break;
		case 3:
			q.size = 1 + fz_rnd(f, len - 1);
			what = "size too small";
			break;
		case 4:
			q.size = len;
			q.data = fz_bad_ptr(f, true);
			what = "data pointer";
			break;
		default:
			q.size = len;
			q.data = (uintptr_t)(f->guard + DT_PAGE - len / 2);
			what = "data crossing into an unmapped page";
			break;
		}
	}
	asked = m < 0 ? q.size : 0;
	fz_note(f, "query fd%d id %u size %u%s%s", fz_idx(f, d), q.query, q.size,
		m >= 0 ? " bad " : "", what);
	ret = fz_ioctl(d->fd, DRM_IOCTL_DOJO_QUERY, &q);
	if (m >= 0) {
		if (!ret)
			fz_invariant(f, "QUERY accepted a bad %s", what);
		return ret ? (fz_err(f, d, ret), FZ_ERR) : FZ_OK;
	}
	if (ret)
		return fz_err(f, d, ret), FZ_ERR;
	if (q.size != len)
		fz_invariant(f, "QUERY %u answered size %u, expected %u", q.query,
			     q.size, len);
	if (asked > len && dt_find_not(buf + len, asked - len, 0) >= 0)
		fz_invariant(f, "QUERY %u with %u bytes left bytes past the %u-byte answer unzeroed",
			     q.query, asked, len);
	if (asked) {
		if (q.query == DRM_DOJO_QUERY_DEVICE_INFO) {
			struct drm_dojo_device_info info;
			char want[32];

			memcpy(&info, buf, sizeof(info));
			snprintf(want, sizeof(want), "dojo_emu%d", d->emu);
			if ((strncmp(info.bus_addr, want, 32) ||
			    info.hbm_size != FZ_HBM_SIZE))
				fz_invariant(f, "DEVICE_INFO of dojo_emu%d says bus_addr '%.32s', hbm_size %llu",
					     d->emu, info.bus_addr,
					     (unsigned long long)info.hbm_size);
		}
	}
	return FZ_OK;
}

static int op_fdinfo(struct fz *f)
{
	struct fz_fd *d = fz_pick_fd(f, false);
	char path[64], buf[2048];
	ssize_t n;

	if (!d)
		return FZ_SKIP;
	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", d->fd);
	fz_note(f, "fdinfo fd%d", fz_idx(f, d));
	n = dt_read_file(path, buf, sizeof(buf));
	if (n <= 0)
		return FZ_ERR;
	if (!strstr(buf, "drm-driver:\tdojo") && !d->dead &&
	    fz_card_same(f, d->emu, d->gen))
		fz_anomaly(f, "fdinfo of an accel fd without drm-driver: dojo");
	return FZ_OK;
}

static int op_sysfs(struct fz *f)
{
	static const char *const attrs[] = {
		"serial_number", "bus_addr", "bus_type", "platform", "vendor_id",
		"device_id", "revision", "hbm_size_bytes", "num_dma_queues",
		"num_ttp_ports", "num_ttpoe_ports", "pcie_max_gen",
		"pcie_max_width", "fw_version", "regs_version", "hbm_used_bytes",
		"device_resets", "job_timeouts", "ttp_link_state", "tile_id",
		"tile_edge", "tile_slot", "tile_sram_size_bytes",
	};
	char path[PATH_MAX], buf[128];
	const char *a = attrs[fz_rnd(f, sizeof(attrs) / sizeof(attrs[0]))];
	int emu = fz_pick_card(f);

	if (emu < 0)
		return FZ_SKIP;
	fz_note(f, "sysfs dojo_emu%d %s", emu, a);
	snprintf(path, sizeof(path), "/sys/class/accel/accel%d/device/dojo/%s",
		 f->minor[emu], a);
	return dt_read_file(path, buf, sizeof(buf)) > 0 ? FZ_OK : FZ_ERR;
}

static int op_debugfs(struct fz *f)
{
	static const char *const emu_files[] = {
		"dma_queues", "irq_count", "hbm_backing_pages", "hang_queue",
		"fail_dma", "heartbeat_stall",
	};
	char path[PATH_MAX], buf[4096];
	int emu = fz_pick_card(f), fd;
	ssize_t n;

	if (emu < 0)
		return FZ_SKIP;
	switch (fz_rnd(f, 5)) {
	case 0:
		snprintf(path, sizeof(path), DT_ACCEL_DEBUGFS "/dojo_emu.dip.%d/status",
			 emu);
		break;
	case 4:
		/* every dma-buf with its reservation's fences, by name */
		snprintf(path, sizeof(path), "/sys/kernel/debug/dma_buf/bufinfo");
		break;
	case 1:
		snprintf(path, sizeof(path), DT_ACCEL_DEBUGFS "/dojo_emu.dip.%d/clients",
			 emu);
		break;
	case 2: {
		uint64_t off = fz_chance(f, 800) ? fz_rnd(f, 1 << 24) & ~3ULL :
						   fz_rnd(f, 1 << 24);
		size_t len = fz_chance(f, 800) ? 4 * (1 + fz_rnd(f, 16)) :
						 1 + fz_rnd(f, 64);

		snprintf(path, sizeof(path), DT_ACCEL_DEBUGFS "/dojo_emu.dip.%d/hbm",
			 emu);
		fz_note(f, "debugfs pread %s %zu@%llu", path, len,
			(unsigned long long)off);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return FZ_ERR;
		n = pread(fd, buf, len, off);
		close(fd);
		return n < 0 ? FZ_ERR : FZ_OK;
	}
	default:
		dt_emu_path(path, sizeof(path), emu,
			    emu_files[fz_rnd(f, sizeof(emu_files) / sizeof(emu_files[0]))]);
		break;
	}
	fz_note(f, "debugfs read %s", path);
	return dt_read_file(path, buf, sizeof(buf)) >= 0 ? FZ_OK : FZ_ERR;
}

static int op_drm_misc(struct fz *f)
{
	struct fz_fd *d = fz_pick_fd(f, true);
	int ret;

	if (!d)
		return FZ_SKIP;
	switch (fz_rnd(f, 6)) {
	case 0: {
		char name[16], date[16], desc[64];
		struct drm_version v = {
			.name_len = fz_rnd(f, sizeof(name) + 1),
			.name = name,
			.date_len = fz_rnd(f, sizeof(date) + 1),
			.date = date,
			.desc_len = fz_rnd(f, sizeof(desc) + 1),
			.desc = desc,
		};

		if (fz_chance(f, 100))
			v.name = (char *)(uintptr_t)fz_bad_ptr(f, true);
		fz_note(f, "drm version fd%d", fz_idx(f, d));
		ret = fz_ioctl(d->fd, DRM_IOCTL_VERSION, &v);
		break;
	}
	case 1: {
		struct drm_get_cap c = { .capability = fz_rnd(f, 0x20) };

		fz_note(f, "drm get_cap fd%d %llu", fz_idx(f, d),
			(unsigned long long)c.capability);
		ret = fz_ioctl(d->fd, DRM_IOCTL_GET_CAP, &c);
		break;
	}
	case 2: {
		struct drm_set_client_cap c = {
			.capability = fz_rnd(f, 8), .value = fz_rnd(f, 3),
		};

		fz_note(f, "drm set_client_cap fd%d %llu=%llu", fz_idx(f, d),
			(unsigned long long)c.capability,
			(unsigned long long)c.value);
		ret = fz_ioctl(d->fd, DRM_IOCTL_SET_CLIENT_CAP, &c);
		break;
	}
	case 3: {
		struct drm_gem_flink fl = { 0 };
		struct fz_bo *b = fz_pick_bo(f, d);
		struct fz_fd *o = fz_pick_fd(f, true);

		if (!b || !o)
			return FZ_SKIP;
		fl.handle = b->handle;
		fz_note(f, "gem flink fd%d handle %u, open in fd%d", fz_idx(f, d),
			b->handle, fz_idx(f, o));
		ret = fz_ioctl(d->fd, DRM_IOCTL_GEM_FLINK, &fl);
		if (!ret) {
			struct drm_gem_open op = { .name = fl.name };

			if (!fz_ioctl(o->fd, DRM_IOCTL_GEM_OPEN, &op) &&
			    !fz_find_bo(o, op.handle))
				dt_gem_close(o->fd, op.handle);
		}
		break;
	}
	case 4: {
		uint8_t arg[64] = { 0 };
		unsigned int nr = DRM_COMMAND_BASE + 5 + fz_rnd(f, 0x1b);

		fz_note(f, "unknown driver ioctl 0x%x fd%d", nr, fz_idx(f, d));
		ret = ioctl(d->fd, DRM_IOWR(nr, struct drm_dojo_query), arg) ? -errno : 0;
		if (!ret)
			fz_invariant(f, "driver ioctl nr 0x%x, which does not exist, succeeded",
				     nr);
		break;
	}
	default: {
		uint8_t arg[64] = { 0 };

		fz_note(f, "non-DRM ioctl fd%d", fz_idx(f, d));
		ret = ioctl(d->fd, _IOWR('T', 1 + fz_rnd(f, 0x60), uint64_t), arg) ?
		      -errno : 0;
		break;
	}
	}
	return ret ? (fz_err(f, d, ret), FZ_ERR) : FZ_OK;
}

/*
 * The DRM core's ioctls for primary nodes' masters. An accel file has no
 * master; 6.12's drm_getunique() and drm_getmagic() would dereference it
 * anyway, so the driver refuses those two.
 */
static int op_drm_master(struct fz *f)
{
	struct fz_fd *d = fz_pick_fd(f, true);
	int ret;

	if (!d)
		return FZ_SKIP;
	switch (fz_rnd(f, 4)) {
	case 0: {
		char u[64];
		struct drm_unique q = { .unique_len = sizeof(u), .unique = u };

		fz_note(f, "drm get_unique fd%d", fz_idx(f, d));
		ret = fz_ioctl(d->fd, DRM_IOCTL_GET_UNIQUE, &q);
		break;
	}
	case 1: {
		struct drm_auth a = { 0 };

		fz_note(f, "drm get_magic fd%d", fz_idx(f, d));
		ret = fz_ioctl(d->fd, DRM_IOCTL_GET_MAGIC, &a);
		break;
	}
	case 2:
		fz_note(f, "drm set_master fd%d", fz_idx(f, d));
		ret = ioctl(d->fd, DRM_IOCTL_SET_MASTER, 0) ? -errno : 0;
		break;
	default:
		fz_note(f, "drm drop_master fd%d", fz_idx(f, d));
		ret = ioctl(d->fd, DRM_IOCTL_DROP_MASTER, 0) ? -errno : 0;
		break;
	}
	return ret ? (fz_err(f, d, ret), FZ_ERR) : FZ_OK;
}

/* Let go of what belongs to cards that are gone, so that they are released. */
static int op_dead_cleanup(struct fz *f)
{
	unsigned int i, k;

	for (i = 0; i < FZ_FDS; i++) {
		struct fz_fd *d = &f->fds[(i + f->op) % FZ_FDS];

		if (d->fd < 0)
			continue;
		if (d->dead || !fz_card_same(f, d->emu, d->gen)) {
			fz_note(f, "cleanup: close fd%d of removed dojo_emu%d",
				fz_idx(f, d), d->emu);
			fz_close_fd(f, d, fz_chance(f, 300));
			return FZ_OK;
		}
		for (k = 0; k < d->nbo; k++) {
			struct fz_bo *b = &d->bo[k];

			if (b->origin >= 0 && !fz_card_same(f, b->origin, b->origin_gen)) {
				fz_note(f, "cleanup: close fd%d handle %u of removed dojo_emu%d",
					fz_idx(f, d), b->handle, b->origin);
				dt_gem_close(d->fd, b->handle);
				fz_drop_bo(f, d, k, fz_chance(f, 200));
				return FZ_OK;
			}
		}
	}
	for (i = 0; i < f->ndb; i++) {
		struct fz_dmabuf *e = &f->db[i];

		if ((e->emu >= 0 && !fz_card_same(f, e->emu, e->gen)) ||
		    (e->origin >= 0 && !fz_card_same(f, e->origin, e->origin_gen))) {
			fz_note(f, "cleanup: close dmabuf %d of removed dojo_emu%d",
				e->fd, e->emu);
			fz_drop_dmabuf(f, i);
			return FZ_OK;
		}
	}
	for (i = 0; i < f->nmaps; i++) {
		if (fz_map_may_fault(f, f->maps[i].origin, f->maps[i].origin_gen)) {
			fz_note(f, "cleanup: munmap mapping of removed dojo_emu%d",
				f->maps[i].origin);
			munmap(f->maps[i].p, f->maps[i].len);
			f->maps[i] = f->maps[--f->nmaps];
			return FZ_OK;
		}
	}
	for (i = 0; i < FZ_MAX_EMU; i++) {
		struct fz_fd *d = &f->ofd[i];

		if (d->fd >= 0 && (d->dead || !fz_card_same(f, i, d->gen))) {
			fz_note(f, "cleanup: close oracle file of removed dojo_emu%d", i);
			fz_close_fd(f, d, false);
			return FZ_OK;
		}
	}
	return FZ_SKIP;
}

/* ---- children killed mid-job --------------------------------------------------- */

static void fz_child(struct fz *f, int emu, int ready, int mode, int dbfd,
		     int sofd, struct fz_fd *pd)
{
	struct drm_dojo_cmd cmds[16];
	uint32_t bos[3], gen, so = 0;
	uint64_t sz = DT_PAGE << (6 + fz_rnd(f, 4)), id = 0;
	unsigned int nj = 2 + fz_rnd(f, 3), nb = 2, i, k;
	int fd;

	signal(SIGBUS, SIG_DFL);
	fd = fz_open_card(f, emu, &gen);
	if (fd < 0)
		_exit(0);
	if (dt_bo_create(fd, sz, DRM_DOJO_PLACEMENT_HOST, &bos[0]) ||
	    dt_bo_create(fd, sz, DRM_DOJO_PLACEMENT_HBM, &bos[1]))
		_exit(0);
	if (dbfd >= 0 && !drmPrimeFDToHandle(fd, dbfd, &bos[2]))
		nb = 3;
	if (sofd >= 0 && drmSyncobjFDToHandle(fd, sofd, &so))
		so = 0;
	for (k = 0; k < nj; k++) {
		struct drm_dojo_submit a = {
			.queue = fz_rnd(f, 4), .cmds = (uintptr_t)cmds,
			.bo_handles = (uintptr_t)bos, .num_bos = nb,
		};
		unsigned int n = 4 + fz_rnd(f, 9);

		for (i = 0; i < n; i++)
			cmds[i] = i & 1 ? dt_copy(1, 0, 0, 0, sz) : dt_copy(0, 0, 1, 0, sz);
		a.num_cmds = n;
		if (so && fz_chance(f, 500))
			a.out_sync.handle = so;
		if (dt_ioctl(fd, DRM_IOCTL_DOJO_SUBMIT, &a))
			break;
		id = a.job_id;
	}
	/* jobs on the parent's file too, which the child shares */
	if (pd && pd->fd >= 0 && pd->nbo && mode == 1) {
		struct drm_dojo_cmd c = dt_fill(0, 0, pd->bo[0].size, 0x11);
		struct drm_dojo_submit a = {
			.cmds = (uintptr_t)&c, .num_cmds = 1,
			.bo_handles = (uintptr_t)&pd->bo[0].handle, .num_bos = 1,
		};

		dt_ioctl(pd->fd, DRM_IOCTL_DOJO_SUBMIT, &a);
	}
	if (write(ready, "r", 1) != 1)
		_exit(1);
	switch (mode) {
	case 1:
		for (i = 0; i < 2000; i++) {
			struct drm_dojo_cmd c = { .op = DRM_DOJO_CMD_NOP };
			struct drm_dojo_submit a = {
				.queue = i % 4, .cmds = (uintptr_t)&c, .num_cmds = 1,
			};

			if (dt_ioctl(fd, DRM_IOCTL_DOJO_SUBMIT, &a))
				break;
		}
		break;
	case 2:
		if (id)
			dt_wait(fd, id, 10000, NULL);
		_exit(0);
	case 3:
		_exit(0);
	case 4:
		close(fd);
		break;
	default:
		break;
	}
	for (;;)
		pause();
}

static int op_fork_kill(struct fz *f)
{
	int emu = fz_pick_card(f), p[2], mode, dbfd = -1, sofd = -1;
	struct fz_fd *pd = fz_pick_fd(f, true);
	struct pollfd pf;
	char c;
	pid_t pid;

	if (emu < 0)
		return FZ_SKIP;
	mode = fz_rnd(f, 5);
	if (f->ndb && fz_chance(f, 500))
		dbfd = f->db[fz_rnd(f, f->ndb)].fd;
	if (f->nsofd && fz_chance(f, 500))
		sofd = f->sofd[fz_rnd(f, f->nsofd)];
	fz_note(f, "fork_kill dojo_emu%d mode %d%s%s", emu, mode,
		dbfd >= 0 ? " +dmabuf" : "", sofd >= 0 ? " +syncobj" : "");
	if (pipe2(p, O_CLOEXEC))
		return FZ_ERR;
	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		close(p[0]);
		close(p[1]);
		return FZ_ERR;
	}
	if (!pid) {
		close(p[0]);
		fz_child(f, emu, p[1], mode, dbfd, sofd, pd);
		_exit(0);
	}
	close(p[1]);
	pf.fd = p[0];
	pf.events = POLLIN;
	if (poll(&pf, 1, 10000) == 1 && read(p[0], &c, 1) == 1)
		dt_sleep_ms(fz_rnd(f, 16));
	close(p[0]);
	kill(pid, SIGKILL);
	__atomic_add_fetch(&f->sh->kills, 1, __ATOMIC_RELAXED);
	if (fz_wait_pid(pid, 10000)) {
		fz_invariant(f, "a child of dojo_emu%d (mode %d) did not exit within 10 s of SIGKILL",
			     emu, mode);
		fz_print_task_stack(pid);
		waitpid(pid, NULL, 0);
	}
	return FZ_OK;
}

/* ---- cards created and deleted ---------------------------------------------------- */

static bool fz_chaos_lock(struct fz *f, int ms)
{
	int64_t end = dt_deadline_ms(ms);

	do {
		int32_t zero = 0;

		if (__atomic_compare_exchange_n(&f->sh->chaos_busy, &zero, f->id + 1,
						false, __ATOMIC_ACQ_REL,
						__ATOMIC_ACQUIRE))
			return true;
		if (ms)
			dt_sleep_ms(5);
	} while (ms && dt_now_ns() < end);
	return false;
}

static void fz_chaos_unlock(struct fz *f)
{
	__atomic_store_n(&f->sh->chaos_busy, 0, __ATOMIC_RELEASE);
}

static int fz_live_cards(struct fz *f)
{
	int i, n = 0;

	for (i = 0; i < FZ_MAX_EMU; i++)
		n += !!__atomic_load_n(&f->sh->card[i].live, __ATOMIC_ACQUIRE);
	return n;
}

/* Delete card @emu (chaos lock held); its removal time in ms, or -errno. */
static int64_t fz_delete_card(struct fz *f, int emu)
{
	char buf[16];
	int64_t t0;
	int ret;

	__atomic_add_fetch(&f->sh->card[emu].gen, 1, __ATOMIC_ACQ_REL);
	__atomic_store_n(&f->sh->card[emu].live, 0, __ATOMIC_RELEASE);
	snprintf(buf, sizeof(buf), "%d", emu);
	t0 = dt_now_ns();
	ret = fz_write_str(DT_EMU_BUS "/del_device", buf);
	t0 = (dt_now_ns() - t0) / 1000000;
	__atomic_add_fetch(&f->sh->cards_changed, 1, __ATOMIC_ACQ_REL);
	__atomic_add_fetch(&f->sh->card_deletions, 1, __ATOMIC_RELAXED);
	return ret ? ret : t0;
}

static int fz_create_card(struct fz *f)
{
	char buf[48];
	int i, ids[FZ_MAX_EMU], n = 0, emu, ret;

	for (i = 0; i < FZ_MAX_EMU; i++)
		if (!__atomic_load_n(&f->sh->card[i].live, __ATOMIC_ACQUIRE))
			ids[n++] = i;
	if (!n)
		return -ENOSPC;
	emu = ids[fz_rnd(f, n)];
	if (fz_chance(f, 300))
		snprintf(buf, sizeof(buf), "%d FZ-%llx", emu,
			 (unsigned long long)fz_rnd(f, 1 << 30));
	else
		snprintf(buf, sizeof(buf), "%d", emu);
	ret = fz_write_str(DT_EMU_BUS "/new_device", buf);
	if (!ret) {
		__atomic_store_n(&f->sh->card[emu].live, 1, __ATOMIC_RELEASE);
		__atomic_add_fetch(&f->sh->card_creations, 1, __ATOMIC_RELAXED);
	} else {
		fz_anomaly(f, "new_device '%s': %s", buf, strerror(-ret));
	}
	__atomic_add_fetch(&f->sh->cards_changed, 1, __ATOMIC_ACQ_REL);
	return ret;
}

static int op_card_chaos(struct fz *f)
{
	int live, ret = 0;

	if (!fz_chaos_lock(f, 0))
		return FZ_SKIP;
	live = fz_live_cards(f);
	if (fz_chance(f, 100)) {
		/* malformed or impossible requests change nothing */
		static const char *const bad[] = {
			"abc", "99999", "-1", "\n", "5x", "3 bad_serial!",
			"2 two words", "4 SERIAL-LONGER-THAN-16",
		};
		const char *b = bad[fz_rnd(f, sizeof(bad) / sizeof(bad[0]))];
		bool add = fz_chance(f, 500);

		fz_note(f, "card chaos: bad bus write '%s' to %s", b,
			add ? "new_device" : "del_device");
		if (!fz_write_str(add ? DT_EMU_BUS "/new_device" :
				  DT_EMU_BUS "/del_device", b))
			fz_anomaly(f, "%s accepted '%s'",
				   add ? "new_device" : "del_device", b);
	} else if (live >= 2 && (live >= FZ_MAX_CARDS || fz_chance(f, 500))) {
		int ids[FZ_MAX_EMU], n = 0, i, emu;
		int64_t ms;

		for (i = 0; i < FZ_MAX_EMU; i++)
			if (__atomic_load_n(&f->sh->card[i].live, __ATOMIC_ACQUIRE))
				ids[n++] = i;
		emu = ids[fz_rnd(f, n)];
		fz_note(f, "card chaos: delete dojo_emu%d", emu);
		ms = fz_delete_card(f, emu);
		if (ms < 0) {
			fz_anomaly(f, "del_device %d: %s", emu, strerror((int)-ms));
			ret = (int)ms;
		} else if (ms > 20000) {
			fz_invariant(f, "removing dojo_emu%d took %lld ms", emu,
				     (long long)ms);
		}
	} else if (live < FZ_MAX_CARDS) {
		fz_note(f, "card chaos: create a card");
		ret = fz_create_card(f);
	}
	fz_chaos_unlock(f);
	return ret ? FZ_ERR : FZ_OK;
}

/* ---- emulator fault switches ------------------------------------------------------- */

static int fz_emu_write(int emu, const char *file, const char *val)
{
	return dt_emu_write(emu, file, val);
}

/* Submit a NOP (or a small host FILL) on @q; job id or 0. */
static uint64_t fz_probe_job(int fd, unsigned int q, uint32_t bo, uint32_t in,
			     uint32_t out)
{
	struct drm_dojo_cmd c = bo ? dt_fill(0, 0, 4096, 0x12345678) :
			       (struct drm_dojo_cmd){ .op = DRM_DOJO_CMD_NOP };
	struct drm_dojo_sync s = { .handle = in };
	struct drm_dojo_submit a = {
		.queue = q, .cmds = (uintptr_t)&c, .num_cmds = 1,
		.bo_handles = (uintptr_t)&bo, .num_bos = bo ? 1 : 0,
		.in_syncs = (uintptr_t)&s, .num_in_syncs = in ? 1 : 0,
		.out_sync.handle = out,
	};

	return dt_ioctl(fd, DRM_IOCTL_DOJO_SUBMIT, &a) ? 0 : a.job_id;
}

/*
 * A job J that the armed fault should break, then B on the same queue and
 * C on another, both waiting for J's out-sync: if J fails, B and C must
 * not end DONE (a failed dependency aborts them).
 */
static void fz_fault_chain(struct fz *f, int fd, int emu, unsigned int q,
			   uint32_t bo, int wait_ms)
{
	uint32_t so = 0;
	uint64_t j, b, c;
	int sj, sb, sc;

	if (drmSyncobjCreate(fd, 0, &so))
		return;
	j = fz_probe_job(fd, q, bo, 0, so);
	b = j ? fz_probe_job(fd, q, bo, so, 0) : 0;
	c = j ? fz_probe_job(fd, (q + 1) % 4, bo, so, 0) : 0;
	sj = j ? dt_status(fd, j, wait_ms) : -1;
	sb = b ? dt_status(fd, b, wait_ms) : -1;
	sc = c ? dt_status(fd, c, wait_ms) : -1;
	char was[FZ_DESC];

	memcpy(was, f->desc, sizeof(was));
	fz_note(f, "%s: J %s, B (same queue) %s, C (queue %u) %s", was,
		dt_status_name(sj), dt_status_name(sb), (q + 1) % 4,
		dt_status_name(sc));
	printf("fuzz: w%d #%llu %s\n", f->id, (unsigned long long)f->op, f->desc);
	if (sj > DRM_DOJO_JOB_DONE && sb >= 0)
		fz_count(&f->sh->checked_deps);
	if (sj > DRM_DOJO_JOB_DONE) {
		if (sb == DRM_DOJO_JOB_DONE)
			fz_invariant(f, "dojo_emu%d: job %llu ended DONE on queue %u though job %llu it waited for (binary syncobj, same queue) ended %s",
				     emu, (unsigned long long)b, q,
				     (unsigned long long)j, dt_status_name(sj));
		if (sc == DRM_DOJO_JOB_DONE)
			fz_invariant(f, "dojo_emu%d: job %llu ended DONE on queue %u though job %llu it waited for (binary syncobj, queue %u) ended %s",
				     emu, (unsigned long long)c, (q + 1) % 4,
				     (unsigned long long)j, q, dt_status_name(sj));
	}
	drmSyncobjDestroy(fd, so);
}

/* Wait until debugfs switch @file of @emu reads empty (or 0). */
static bool fz_switch_clear(int emu, const char *file, int ms)
{
	int64_t end = dt_deadline_ms(ms);
	char buf[64];

	do {
		if (dt_emu_read(emu, file, buf, sizeof(buf)) < 0)
			return true;	/* the card is gone */
		if (buf[0] == '\n' || buf[0] == '\0' || !strcmp(buf, "0\n"))
			return true;
		dt_sleep_ms(10);
	} while (dt_now_ns() < end);
	return false;
}

static const char *const fz_fault_kinds[] = {
	"fail_dma", "corrupt_cmd", "corrupt_range", "corrupt_desc",
	"hang_queue", "inject_fatal", "reset", "heartbeat_stall",
	"dma_latency_us", "reset_hang",
};
static unsigned int fz_fault_weights[] = { 30, 40, 20, 20, 20, 10, 20, 10, 10, 3 };

/* Arm only the fault kinds named in the comma-separated @list. */
int fz_fault_select(const char *list)
{
	unsigned int want[10] = { 0 }, i;
	char *copy = strdup(list), *name, *save = NULL;
	int ret = 0;

	for (name = strtok_r(copy, ",", &save); name;
	     name = strtok_r(NULL, ",", &save)) {
		for (i = 0; i < 10; i++)
			if (!strcmp(name, fz_fault_kinds[i]))
				break;
		if (i == 10)
			ret = -EINVAL;
		else
			want[i] = 1;
	}
	free(copy);
	if (!ret)
		for (i = 0; i < 10; i++)
			fz_fault_weights[i] *= want[i];
	return ret;
}

static int op_fault(struct fz *f)
{
	const char *const *kinds = fz_fault_kinds;
	const unsigned int *weights = fz_fault_weights;
	int emu = fz_pick_card(f), fd, kind = 0;
	unsigned int total = 0, r, i, q = fz_rnd(f, 4);
	char path[PATH_MAX], val[32];
	int32_t zero = 0;
	uint32_t gen, bo = 0;

	for (i = 0; i < 10; i++)
		total += weights[i];
	if (emu < 0 || !total)
		return FZ_SKIP;
	r = fz_rnd(f, total);
	for (i = 0; i < 10; i++) {
		if (r < weights[i]) {
			kind = i;
			break;
		}
		r -= weights[i];
	}
	if (!__atomic_compare_exchange_n(&f->sh->card[emu].fault_busy, &zero, 1,
					 false, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
		return FZ_SKIP;
	fd = fz_open_card(f, emu, &gen);
	if (fd < 0) {
		__atomic_store_n(&f->sh->card[emu].fault_busy, 0, __ATOMIC_RELEASE);
		return FZ_SKIP;
	}
	fz_note(f, "fault dojo_emu%d %s queue %u", emu, kinds[kind], q);
	__atomic_add_fetch(&f->sh->faults, 1, __ATOMIC_RELAXED);
	dt_bo_create(fd, 4096, DRM_DOJO_PLACEMENT_HOST, &bo);
	fz_disrupt_begin(f, emu);

	switch (kind) {
	case 0:
		snprintf(val, sizeof(val), "%u", 1 + (unsigned int)fz_rnd(f, 16));
		fz_emu_write(emu, "fail_dma", val);
		fz_fault_chain(f, fd, emu, q, bo, 10000);
		fz_emu_write(emu, "fail_dma", "0");
		break;
	case 1:
	case 2:
	case 3:
		snprintf(val, sizeof(val), "%u", q);
		fz_emu_write(emu, kinds[kind], val);
		fz_fault_chain(f, fd, emu, q, kind == 3 ? 0 : bo, 15000);
		if (!fz_switch_clear(emu, kinds[kind], 15000))
			fz_anomaly(f, "%s of dojo_emu%d still armed", kinds[kind], emu);
		break;
	case 4:
		snprintf(val, sizeof(val), "%u", q);
		fz_emu_write(emu, "hang_queue", val);
		fz_fault_chain(f, fd, emu, q, 0, 30000);
		if (!fz_switch_clear(emu, "hang_queue", 30000))
			fz_invariant(f, "hang_queue %u of dojo_emu%d is still set 60 s later: the hung queue was never reset",
				     q, emu);
		break;
	case 5: {
		long long before = dt_card_attr(emu, "device_resets");
		int64_t end = dt_deadline_ms(15000);

		fz_emu_write(emu, "inject_fatal", "1");
		while (dt_card_attr(emu, "device_resets") == before &&
		       dt_now_ns() < end)
			dt_sleep_ms(10);
		break;
	}
	case 6:
		snprintf(path, sizeof(path), DT_ACCEL_DEBUGFS "/dojo_emu.dip.%d/reset",
			 emu);
		fz_write_str(path, "1");
		break;
	case 7:
		fz_emu_write(emu, "heartbeat_stall", "1");
		dt_sleep_ms(10);
		fz_emu_write(emu, "heartbeat_stall", "0");
		break;
	case 8:
		snprintf(val, sizeof(val), "%u", 100 + (unsigned int)fz_rnd(f, 2000));
		fz_emu_write(emu, "dma_latency_us", val);
		fz_fault_chain(f, fd, emu, q, bo, 10000);
		fz_emu_write(emu, "dma_latency_us", "0");
		break;
	default:
		/* the card does not come back from a reset, then a later one */
		snprintf(path, sizeof(path), DT_ACCEL_DEBUGFS "/dojo_emu.dip.%d/reset",
			 emu);
		fz_emu_write(emu, "reset_hang", "Y");
		fz_write_str(path, "1");
		fz_fault_chain(f, fd, emu, q, bo, 5000);
		fz_emu_write(emu, "reset_hang", "N");
		fz_write_str(path, "1");
		break;
	}
	/* the card is usable again: a job runs to DONE (unless it was removed) */
	{
		uint64_t id = fz_probe_job(fd, q, bo, 0, 0);
		int st = id ? dt_status(fd, id, 30000) : -1;

		if (id && st != DRM_DOJO_JOB_DONE && fz_card_same(f, emu, gen) &&
		    kind != 0 && kind != 8)
			fz_anomaly(f, "after %s, a job on dojo_emu%d queue %u ended %s",
				   kinds[kind], emu, q, dt_status_name(st));
	}
	fz_disrupt_end(f, emu);
	close(fd);
	__atomic_store_n(&f->sh->card[emu].fault_busy, 0, __ATOMIC_RELEASE);
	return FZ_OK;
}

/* ---- a removal while an ioctl waits for user memory ----------------------------- */

/*
 * The ioctl reads (kind 0: SUBMIT's in_syncs) or writes (kind 1: QUERY's
 * answer) a page that userfaultfd holds back for 1.5 s, and the card is
 * deleted 0.3 s into that. A removal must not wait for userspace: it waits
 * for drm_dev_enter() sections, so user memory must be accessed outside
 * them.
 */
int fz_op_uffd_stall(struct fz *f, int kind)
{
	static const char *const what[] = { "SUBMIT's in_syncs", "QUERY's answer" };
	struct uffdio_api api = { .api = UFFD_API };
	struct uffdio_register reg = { 0 };
	int emu, fd, uffd, ret;
	int64_t t0, took, del_ms;
	pid_t resolver, deleter;
	uint32_t gen;
	uint8_t *page;

	fz_note(f, "uffd stall %s", what[kind]);
	if (!fz_chaos_lock(f, 10000))
		return FZ_SKIP;
	if (fz_live_cards(f) < 2)
		fz_create_card(f);
	emu = fz_pick_card(f);
	if (emu < 0 || fz_live_cards(f) < 2) {
		fz_chaos_unlock(f);
		return FZ_SKIP;
	}
	uffd = syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK);
	if (uffd < 0) {
		printf("fuzz: userfaultfd: %s; the removal-under-stall check is skipped\n",
		       strerror(errno));
		fz_chaos_unlock(f);
		return FZ_SKIP;
	}
	page = mmap(NULL, DT_PAGE, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	reg.range.start = (uintptr_t)page;
	reg.range.len = DT_PAGE;
	reg.mode = UFFDIO_REGISTER_MODE_MISSING;
	fd = fz_open_card(f, emu, &gen);
	if (page == MAP_FAILED || ioctl(uffd, UFFDIO_API, &api) ||
	    ioctl(uffd, UFFDIO_REGISTER, &reg) || fd < 0) {
		if (fd >= 0)
			close(fd);
		if (page != MAP_FAILED)
			munmap(page, DT_PAGE);
		close(uffd);
		fz_chaos_unlock(f);
		return FZ_SKIP;
	}
	fz_note(f, "uffd stall %s on dojo_emu%d, removal 0.3 s in", what[kind], emu);
	f->sh->card[emu].del_ms = -1;
	fflush(stdout);

	resolver = fork();
	if (!resolver) {
		struct uffdio_zeropage z = {
			.range = { .start = (uintptr_t)page, .len = DT_PAGE },
		};

		dt_sleep_ms(1500);
		ioctl(uffd, UFFDIO_ZEROPAGE, &z);
		_exit(0);
	}
	deleter = fork();
	if (!deleter) {
		dt_sleep_ms(300);
		f->sh->card[emu].del_ms = fz_delete_card(f, emu);
		_exit(0);
	}

	t0 = dt_now_ns();
	if (kind == 0) {
		struct drm_dojo_cmd c = { .op = DRM_DOJO_CMD_NOP };
		struct drm_dojo_submit a = {
			.cmds = (uintptr_t)&c, .num_cmds = 1,
			.in_syncs = (uintptr_t)page, .num_in_syncs = 1,
		};

		ret = ioctl(fd, DRM_IOCTL_DOJO_SUBMIT, &a) ? -errno : 0;
	} else {
		struct drm_dojo_query q = {
			.query = DRM_DOJO_QUERY_DEVICE_INFO,
			.size = sizeof(struct drm_dojo_device_info),
			.data = (uintptr_t)page,
		};

		ret = ioctl(fd, DRM_IOCTL_DOJO_QUERY, &q) ? -errno : 0;
	}
	took = (dt_now_ns() - t0) / 1000000;
	fz_wait_pid(resolver, 20000);
	if (fz_wait_pid(deleter, 30000)) {
		fz_invariant(f, "removing dojo_emu%d has not finished 30 s after a stalled %s",
			     emu, what[kind]);
		fz_print_task_stack(deleter);
		waitpid(deleter, NULL, 0);
	}
	fz_chaos_unlock(f);
	del_ms = f->sh->card[emu].del_ms;
	fz_note(f, "uffd stall %s on dojo_emu%d: ioctl %s after %lld ms, removal took %lld ms",
		what[kind], emu, ret ? strerror(-ret) : "ok", (long long)took,
		(long long)del_ms);
	printf("fuzz: %s\n", f->desc);
	__atomic_add_fetch(&f->sh->stalls, 1, __ATOMIC_RELAXED);
	if (del_ms >= 1000)
		fz_invariant(f, "removing dojo_emu%d took %lld ms: it waited for %s, whose user page was stalled in a page fault (user memory accessed inside drm_dev_enter())",
			     emu, (long long)del_ms, what[kind]);
	close(fd);
	munmap(page, DT_PAGE);
	close(uffd);
	return FZ_OK;
}

/* ---- the Z-plane: grants and remote buffers --------------------------------------- */

/*
 * GRANT_CREATE on one of the file's buffers, valid or with one field
 * broken; a grant made is revoked at once, or left for the handle's or
 * the file's close to revoke.
 */
static int op_grant(struct fz *f)
{
	static const char *const what[] = {
		"flags", "size 0", "past the end", "offset overflow",
		"out fields", "closed handle", "revoke unknown",
	};
	struct fz_fd *d = fz_pick_fd(f, false);
	struct drm_dojo_grant_create g = { 0 };
	struct drm_dojo_grant_revoke r = { 0 };
	bool grantable;
	struct fz_bo *b;
	int ret, m;

	if (!d)
		return FZ_SKIP;
	b = fz_pick_bo(f, d);
	m = fz_chance(f, 300) || !b ? (int)fz_rnd(f, 7) : -1;
	if (m == 6) {
		r.grant_id = (uint32_t)fz_rand(f) | 1u << 31;
		fz_note(f, "grant_revoke fd%d id %u (unknown)", fz_idx(f, d),
			r.grant_id);
		ret = fz_ioctl(d->fd, DRM_IOCTL_DOJO_GRANT_REVOKE, &r);
		if (!ret)
			fz_invariant(f, "GRANT_REVOKE of an unknown id succeeded");
		fz_err(f, d, ret);
		return FZ_ERR;
	}
	g.handle = b ? b->handle : 0;
	g.flags = fz_chance(f, 500) ? DRM_DOJO_GRANT_WRITE : 0;
	if (b && b->size) {
		g.offset = fz_rnd(f, b->size);
		g.size = 1 + fz_rnd(f, b->size - g.offset);
	}
	switch (m) {
	case 0:
		g.flags |= 2u << fz_rnd(f, 31);
		break;
	case 1:
		g.size = 0;
		break;
	case 2:
		g.size = (b ? b->size : 0) + 1 + fz_rnd(f, 1 << 20);
		g.offset = 0;
		break;
	case 3:
		g.offset = ~0ull - fz_rnd(f, 4096);
		g.size = 1 + fz_rnd(f, 1 << 20);
		break;
	case 4:
		g.grant_id = 1 + fz_rnd(f, 1000);
		break;
	case 5:
		g.handle = fz_closed_handle(f, d);
		if (fz_find_bo(d, g.handle))
			return FZ_SKIP;		/* a live handle after all */
		break;
	}
	/*
	 * Only HBM of this card (its own buffers, or its own imported back)
	 * and tile buffers its port holds can be granted: never host memory,
	 * and never another card's HBM, whose offsets mean nothing here.
	 */
	grantable = b && (b->placement == DRM_DOJO_PLACEMENT_TILE ||
			  (b->placement == DRM_DOJO_PLACEMENT_HBM &&
			   b->origin == d->emu && b->origin_gen == d->gen));
	fz_note(f, "grant fd%d handle %u [%llu, +%llu) flags %u%s%s",
		fz_idx(f, d), g.handle, (unsigned long long)g.offset,
		(unsigned long long)g.size, g.flags, m >= 0 ? " bad: " : "",
		m >= 0 ? what[m] : "");
	ret = fz_ioctl(d->fd, DRM_IOCTL_DOJO_GRANT_CREATE, &g);
	if (!ret && (m >= 0 || !grantable))
		fz_invariant(f, "GRANT_CREATE accepted %s",
			     m >= 0 ? what[m] : "a buffer it cannot grant");
	if (ret) {
		fz_err(f, d, ret);
		return FZ_ERR;
	}
	if (!g.grant_id)
		fz_invariant(f, "GRANT_CREATE returned grant id 0");
	if (fz_chance(f, 500)) {
		r.grant_id = g.grant_id;
		ret = fz_ioctl(d->fd, DRM_IOCTL_DOJO_GRANT_REVOKE, &r);
		if (ret)
			fz_err(f, d, ret);
		if (ret && ret != -ENODEV)
			fz_anomaly(f, "GRANT_REVOKE of grant %u just made: %s",
				   g.grant_id, strerror(-ret));
	}
	return FZ_OK;
}

/*
 * REMOTE_IMPORT of a grant that may or may not exist, then what a client
 * might do with the handle: ask about it, map it, copy to it from one of
 * its host buffers (the cards are not cabled: the job must end, with a
 * Z-plane status), or name it where only COPY may; then close it.
 */
static int op_remote(struct fz *f)
{
	static const char *const what[] = {
		"flags", "size 0", "node > 24 bits", "grant 0", "pad handle",
	};
	struct fz_fd *d = fz_pick_fd(f, true);
	struct drm_dojo_remote_import ri = { 0 };
	struct drm_dojo_bo_info info = { 0 };
	struct drm_dojo_job_wait w = { 0 };
	struct drm_dojo_submit sub = { 0 };
	struct drm_gem_close c = { 0 };
	struct drm_dojo_cmd cmd = { 0 };
	uint32_t bos[2];
	struct fz_bo *b;
	int ret, m;

	if (!d)
		return FZ_SKIP;
	m = fz_chance(f, 300) ? (int)fz_rnd(f, 5) : -1;
	ri.node_id = (uint32_t)fz_rnd(f, 1u << 24);
	ri.grant_id = 1 + (uint32_t)fz_rnd(f, 64);
	ri.key = fz_rand(f);
	ri.size = 1 + fz_rnd(f, 1 << 24);
	switch (m) {
	case 0:
		ri.flags = 1u << fz_rnd(f, 32);
		break;
	case 1:
		ri.size = 0;
		break;
	case 2:
		ri.node_id |= 1u << (24 + fz_rnd(f, 8));
		break;
	case 3:
		ri.grant_id = 0;
		break;
	case 4:
		ri.handle = 1 + fz_rnd(f, 100);
		break;
	}
	fz_note(f, "remote_import fd%d node %u grant %u size %llu%s%s",
		fz_idx(f, d), ri.node_id, ri.grant_id,
		(unsigned long long)ri.size, m >= 0 ? " bad: " : "",
		m >= 0 ? what[m] : "");
	ret = fz_ioctl(d->fd, DRM_IOCTL_DOJO_REMOTE_IMPORT, &ri);
	if (!ret && m >= 0)
		fz_invariant(f, "REMOTE_IMPORT accepted %s", what[m]);
	if (ret) {
		fz_err(f, d, ret);
		return FZ_ERR;
	}

	info.handle = ri.handle;
	ret = fz_ioctl(d->fd, DRM_IOCTL_DOJO_BO_INFO, &info);
	if (!ret && (info.placement != DRM_DOJO_PLACEMENT_REMOTE ||
		     info.size != ri.size || info.mmap_offset))
		fz_invariant(f, "BO_INFO of remote buffer %u: placement %u, %llu bytes, mmap offset %llu",
			     ri.handle, info.placement,
			     (unsigned long long)info.size,
			     (unsigned long long)info.mmap_offset);

	/*
	 * A job on an uncabled card waits out the link's grace time (500 ms
	 * on the card's clock) before it fails: few of them, or the run
	 * would be spent waiting.
	 */
	b = fz_chance(f, 30) ? fz_pick_bo(f, d) : NULL;
	if (b && b->placement == DRM_DOJO_PLACEMENT_HOST && b->size) {
		bos[0] = b->handle;
		bos[1] = ri.handle;
		cmd.op = DRM_DOJO_CMD_COPY;
		cmd.src_bo = 0;
		cmd.dst_bo = 1;
		cmd.len = 1 + fz_rnd(f, b->size < ri.size ? b->size : ri.size);
		if (fz_chance(f, 300)) {
			/* only COPY may name a remote buffer */
			cmd.op = DRM_DOJO_CMD_FILL;
			cmd.src_bo = 0;
		}
		sub.cmds = (uintptr_t)&cmd;
		sub.num_cmds = 1;
		sub.bo_handles = (uintptr_t)bos;
		sub.num_bos = 2;
		ret = fz_ioctl(d->fd, DRM_IOCTL_DOJO_SUBMIT, &sub);
		if (!ret && cmd.op == DRM_DOJO_CMD_FILL)
			fz_invariant(f, "SUBMIT accepted a FILL of a remote buffer");
		if (!ret) {
			/* Nothing is cabled: the job ends, whatever else. */
			w.job_id = sub.job_id;
			w.timeout_ns = dt_deadline_ms(60000);
			ret = fz_ioctl(d->fd, DRM_IOCTL_DOJO_JOB_WAIT, &w);
			if (ret == -ETIME)
				fz_anomaly(f, "a copy to a remote buffer on an uncabled card did not end in 60 s");
			else if (!ret && w.status == DRM_DOJO_JOB_DONE)
				fz_invariant(f, "a copy to a remote buffer on an uncabled card ended DONE");
		}
		if (ret)
			fz_err(f, d, ret);
	}
	c.handle = ri.handle;
	ret = fz_ioctl(d->fd, DRM_IOCTL_GEM_CLOSE, &c);
	if (ret)
		fz_err(f, d, ret);
	return FZ_OK;
}

/* ---- the table ---------------------------------------------------------------------- */

struct fz_op fz_ops[] = {
	{ "open", 150, op_open },
	{ "close", 50, op_close },
	{ "bo_create", 550, op_bo_create },
	{ "bo_create_bad", 60, op_bo_create_bad },
	{ "bo_info", 200, op_bo_info },
	{ "gem_close", 230, op_gem_close },
	{ "mmap", 200, op_mmap },
	{ "mmap_bad", 40, op_mmap_bad },
	{ "munmap", 100, op_munmap },
	{ "touch", 300, op_touch },
	{ "prime_export", 180, op_prime_export },
	{ "prime_import", 200, op_prime_import },
	{ "dmabuf_close", 120, op_dmabuf_close },
	{ "dmabuf_mmap", 40, op_dmabuf_mmap },
	{ "dmabuf_sync", 50, op_dmabuf_sync },
	{ "udmabuf", 20, op_udmabuf },
	{ "syncobj_create", 200, op_so_create },
	{ "syncobj_destroy", 110, op_so_destroy },
	{ "syncobj_signal", 100, op_so_signal },
	{ "syncobj_wait", 150, op_so_wait },
	{ "syncobj_query", 50, op_so_query },
	{ "syncobj_transfer", 50, op_so_transfer },
	{ "syncobj_export", 100, op_so_export },
	{ "syncobj_import", 100, op_so_import },
	{ "sync_file", 120, op_syncfile },
	{ "syncobj_eventfd", 30, op_so_eventfd },
	{ "syncobj_bad", 60, op_so_bad },
	{ "submit", 1800, op_submit },
	{ "submit_bad", 500, op_submit_bad },
	{ "job_wait", 900, op_job_wait },
	{ "job_wait_bad", 40, op_job_wait_bad },
	{ "oracle_job", 250, op_oracle },
	{ "query", 150, op_query },
	{ "grant", 120, op_grant },
	{ "remote", 40, op_remote },
	{ "fdinfo", 40, op_fdinfo },
	{ "sysfs", 50, op_sysfs },
	{ "debugfs", 20, op_debugfs },
	{ "drm_misc", 80, op_drm_misc },
	{ "drm_master", 20, op_drm_master },
	{ "dead_cleanup", 150, op_dead_cleanup },
	{ "fork_kill", 3, op_fork_kill },
	{ "card_chaos", 2, op_card_chaos },
	{ "fault", 1, op_fault },
};

const unsigned int fz_nops = sizeof(fz_ops) / sizeof(fz_ops[0]);
