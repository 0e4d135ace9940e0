// SPDX-License-Identifier: GPL-2.0-only
/*
 * dojo uAPI fuzzer, in the style of syzkaller's descriptions.
 *
 *   fuzz_test [--ops N] [--procs P] [--seed S] [--max-seconds T]
 *             [--summary FILE] [--stop-on-report] [--stop-on-invariant]
 *             [--no-core-huge]
 *             [--skip OP,...] [--weight OP=N,...]
 *             [--faults KIND,...] [--verbose]
 *   fuzz_test --check-idle MS
 *
 * P worker processes (default 2) run N operations together (default
 * 100000), each from a weighted table (fuzz_ops.c): ioctls of the dojo
 * accel nodes and of the DRM core (buffers, PRIME, syncobjs, sync files,
 * jobs), mmap and touches of buffers, fdinfo and sysfs reads, children
 * killed mid-job, emulator fault switches and cards deleted and created
 * at random moments. Arguments come from each worker's model of the
 * resources it holds, so most calls are valid; a fraction mutate one
 * field (flags, padding, ranges, counts, pointers, handles of the wrong
 * kind or closed ones).
 *
 * Each worker's sequence of operations follows from the seed (worker W
 * uses seed + W); timing between the processes does not. A report names
 * the seed, the worker and the operation index; '--procs 1 --seed S
 * --ops N' replays one worker's sequence.
 *
 * Oracles, kept to what cannot give false alarms:
 *  - a valid job (no mutation, dependencies known) on a card with no fault
 *    armed and not deleted between its submission and its end ends DONE
 *    (or ERROR for the emulator's HBM backing limit);
 *  - a job waiting for a binary syncobj whose job failed does not end DONE;
 *  - a data job on private buffers that ends DONE wrote exactly what its
 *    commands say (oracle jobs, host and HBM);
 *  - a mapping raises SIGBUS only once the card owning its memory is gone;
 *  - fences show known driver and timeline names (sync file info);
 *  - a removal does not wait for a page fault inside an ioctl
 *    (userfaultfd stalls of SUBMIT's in_syncs and QUERY's answer);
 *  - a SIGKILLed child exits promptly; no operation runs for minutes.
 * The monitor (this process) reads /dev/kmsg and prints, for each kernel
 * report, what every worker was doing. The wrapper (fuzz_test.sh) checks
 * leaks afterwards.
 *
 * --check-idle MS: wait up to MS for every card's HBM and host accounting
 * to return to zero; exit 1 if it does not.
 *
 * Exit: 0 if no invariant broke, no worker crashed or hung and the kernel
 * log showed no report (other than the DRM core's drm_syncobj_array_find
 * allocation warning, which is counted apart); 1 otherwise; 2 usage.
 */
#include <getopt.h>
#include <regex.h>
#include <signal.h>
#include <sys/wait.h>

#include "fuzz.h"

#define FZ_WATCHDOG_S	120	/* an operation running longer is stuck */
#define FZ_KILL_S	300

static struct fz_shared *sh;

/* ---- messages ------------------------------------------------------------ */

void fz_note(struct fz *f, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(f->desc, sizeof(f->desc), fmt, ap);
	va_end(ap);
	memcpy(f->sh->w[f->id].what, f->desc, sizeof(f->desc));
	if (f->verbose)
		printf("w%d #%llu %s\n", f->id, (unsigned long long)f->op, f->desc);
}

static void fz_print_recent(struct fz_worker *w, int id, unsigned int n)
{
	unsigned int i, pos = w->recent_pos;

	if (n > FZ_RECENT)
		n = FZ_RECENT;
	for (i = n; i > 0; i--) {
		struct fz_recent *r = &w->recent[(pos - i) % FZ_RECENT];

		if (!r->what[0])
			continue;
		printf("fuzz:     w%d #%llu %s\n", id,
		       (unsigned long long)r->op, r->what);
	}
}

void fz_invariant(struct fz *f, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	__atomic_add_fetch(&f->sh->w[f->id].invariants, 1, __ATOMIC_RELAXED);
	if (f->sh->stop_on_invariant)
		__atomic_store_n(&f->sh->stop, 1, __ATOMIC_RELEASE);
	printf("fuzz: INVARIANT BROKEN (worker %d, op #%llu, seed 0x%llx): %s\n",
	       f->id, (unsigned long long)f->op,
	       (unsigned long long)f->sh->seed, msg);
	printf("fuzz:   during: %s\n", f->desc);
	printf("fuzz:   after:\n");
	fz_print_recent(&f->sh->w[f->id], f->id, 8);
	fflush(stdout);
}

void fz_anomaly(struct fz *f, const char *fmt, ...)
{
	uint64_t n = __atomic_add_fetch(&f->sh->w[f->id].anomalies, 1,
					__ATOMIC_RELAXED);
	char msg[512];
	va_list ap;

	if (n > 20)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	printf("fuzz: anomaly (worker %d, op #%llu): %s [%s]\n", f->id,
	       (unsigned long long)f->op, msg, f->desc);
	fflush(stdout);
}

/* ---- files --------------------------------------------------------------- */

int fz_write_str(const char *path, const char *s)
{
	return dt_write_file(path, s);
}

/* ---- cards ---------------------------------------------------------------- */

static void fz_scan_minors(int *minor)
{
	char path[PATH_MAX], buf[64];
	struct dirent *de;
	DIR *dir;
	int i;

	for (i = 0; i < FZ_MAX_EMU; i++)
		minor[i] = -1;
	dir = opendir("/sys/class/accel");
	if (!dir)
		return;
	while ((de = readdir(dir))) {
		int emu;

		if (strncmp(de->d_name, "accel", 5))
			continue;
		snprintf(path, sizeof(path),
			 "/sys/class/accel/%s/device/dojo/bus_addr", de->d_name);
		if (dt_read_file(path, buf, sizeof(buf)) <= 0)
			continue;
		if (sscanf(buf, "dojo_emu%d", &emu) != 1 || emu < 0 ||
		    emu >= FZ_MAX_EMU)
			continue;
		minor[emu] = atoi(de->d_name + 5);
	}
	closedir(dir);
}

void fz_refresh_minors(struct fz *f)
{
	uint32_t now = __atomic_load_n(&f->sh->cards_changed, __ATOMIC_ACQUIRE);

	if (now == f->cards_seen && f->cards_seen)
		return;
	fz_scan_minors(f->minor);
	f->cards_seen = now ? now : 1;
}

/* A card id that is alive, or -1. */
int fz_pick_card(struct fz *f)
{
	int ids[FZ_MAX_EMU], n = 0, i;

	fz_refresh_minors(f);
	for (i = 0; i < FZ_MAX_EMU; i++)
		if (__atomic_load_n(&f->sh->card[i].live, __ATOMIC_ACQUIRE) &&
		    f->minor[i] >= 0)
			ids[n++] = i;
	return n ? ids[fz_rnd(f, n)] : -1;
}

bool fz_card_same(struct fz *f, int emu, uint32_t gen)
{
	return __atomic_load_n(&f->sh->card[emu].gen, __ATOMIC_ACQUIRE) == gen;
}

uint32_t fz_disrupt(struct fz *f, int emu)
{
	return __atomic_load_n(&f->sh->card[emu].disrupt, __ATOMIC_ACQUIRE);
}

bool fz_healthy(struct fz *f, int emu, uint32_t gen, uint32_t epoch)
{
	return fz_card_same(f, emu, gen) && !(epoch & 1) &&
	       fz_disrupt(f, emu) == epoch;
}

void fz_disrupt_begin(struct fz *f, int emu)
{
	__atomic_add_fetch(&f->sh->card[emu].disrupt, 1, __ATOMIC_ACQ_REL);
}

void fz_disrupt_end(struct fz *f, int emu)
{
	__atomic_add_fetch(&f->sh->card[emu].disrupt, 1, __ATOMIC_ACQ_REL);
}

/*
 * Open card @emu; its generation in *gen. The file is checked to be that
 * card (a minor can be reused by a card created meanwhile). fd or -errno.
 */
int fz_open_card(struct fz *f, int emu, uint32_t *gen)
{
	struct drm_dojo_device_info info;
	char node[64], want[32];
	uint32_t g;
	int fd;

	fz_refresh_minors(f);
	g = __atomic_load_n(&f->sh->card[emu].gen, __ATOMIC_ACQUIRE);
	if (!__atomic_load_n(&f->sh->card[emu].live, __ATOMIC_ACQUIRE) ||
	    f->minor[emu] < 0)
		return -ENODEV;
	snprintf(node, sizeof(node), "/dev/accel/accel%d", f->minor[emu]);
	fd = open(node, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		f->cards_seen = 0;	/* rescan next time */
		return -errno;
	}
	snprintf(want, sizeof(want), "dojo_emu%d", emu);
	if (dt_device_info(fd, &info) || strcmp(info.bus_addr, want) ||
	    !fz_card_same(f, emu, g)) {
		close(fd);
		f->cards_seen = 0;
		return -ESTALE;
	}
	*gen = g;
	return fd;
}

bool fz_count(uint64_t *counter)
{
	__atomic_add_fetch(counter, 1, __ATOMIC_RELAXED);
	return true;
}

/* ---- files of the worker --------------------------------------------------- */

struct fz_fd *fz_pick_fd(struct fz *f, bool live_only)
{
	unsigned int i, start = fz_rnd(f, FZ_FDS);

	for (i = 0; i < FZ_FDS; i++) {
		struct fz_fd *d = &f->fds[(start + i) % FZ_FDS];

		if (d->fd < 0)
			continue;
		if (live_only && (d->dead || !fz_card_same(f, d->emu, d->gen)))
			continue;
		return d;
	}
	return NULL;
}

static void fz_init_fd(struct fz_fd *d, int fd, int emu, uint32_t gen)
{
	memset(d, 0, sizeof(*d));
	d->fd = fd;
	d->emu = emu;
	d->gen = gen;
	d->nq = 4;
}

struct fz_fd *fz_new_fd(struct fz *f, int emu)
{
	unsigned int i;
	uint32_t gen;
	int fd, nq;

	for (i = 0; i < FZ_FDS; i++)
		if (f->fds[i].fd < 0)
			break;
	if (i == FZ_FDS)
		return NULL;
	fd = fz_open_card(f, emu, &gen);
	if (fd < 0)
		return NULL;
	fz_init_fd(&f->fds[i], fd, emu, gen);
	nq = dt_num_queues(fd);
	if (nq > 0)
		f->fds[i].nq = nq;
	return &f->fds[i];
}

struct fz_fd *fz_oracle_fd(struct fz *f, int emu)
{
	struct fz_fd *d = &f->ofd[emu];
	uint32_t gen;
	int fd;

	if (d->fd >= 0 && (d->dead || !fz_card_same(f, emu, d->gen)))
		fz_close_fd(f, d, false);
	if (d->fd >= 0)
		return d;
	fd = fz_open_card(f, emu, &gen);
	if (fd < 0)
		return NULL;
	fz_init_fd(d, fd, emu, gen);
	d->oracle = true;
	return d;
}

int fz_err(struct fz *f, struct fz_fd *d, int ret)
{
	if (ret == -ENODEV && d) {
		if (!d->dead && fz_card_same(f, d->emu, d->gen) &&
		    __atomic_load_n(&f->sh->card[d->emu].live, __ATOMIC_ACQUIRE))
			fz_anomaly(f, "ENODEV from dojo_emu%d, which was not deleted",
				   d->emu);
		d->dead = true;
	}
	return ret;
}

void fz_close_fd(struct fz *f, struct fz_fd *d, bool keep_maps)
{
	unsigned int i;

	if (d->fd < 0)
		return;
	/* Jobs that ended are checked; the rest are dropped with the file. */
	if (!d->dead && fz_card_same(f, d->emu, d->gen))
		for (i = d->njob; i-- > 0;)
			fz_wait_job(f, d, i, 0);
	for (i = 0; i < d->nbo; i++) {
		struct fz_bo *b = &d->bo[i];

		if (!b->map)
			continue;
		if (keep_maps && f->nmaps < FZ_MAPS) {
			struct fz_map *m = &f->maps[f->nmaps++];

			m->p = b->map;
			m->len = b->maplen;
			m->origin = b->origin;
			m->origin_gen = b->origin_gen;
			m->revoked = b->revoked;
		} else {
			munmap(b->map, b->maplen);
		}
		b->map = NULL;
	}
	for (i = 0; i < d->nos; i++) {
		struct fz_oracle_set *s = &d->os[i];

		munmap(s->px, s->size);
		munmap(s->py, s->size);
		munmap(s->pr, DT_PAGE);
	}
	d->nos = 0;
	close(d->fd);
	d->fd = -1;
}

/* ---- buffers, syncobjs, jobs ---------------------------------------------- */

struct fz_bo *fz_add_bo(struct fz_fd *d, uint32_t handle, uint32_t placement,
			uint64_t size)
{
	struct fz_bo *b;

	if (d->nbo >= FZ_BOS)
		return NULL;
	b = &d->bo[d->nbo++];
	memset(b, 0, sizeof(*b));
	b->handle = handle;
	b->placement = placement;
	b->size = size;
	b->origin = (int8_t)d->emu;
	b->origin_gen = d->gen;
	return b;
}

struct fz_bo *fz_find_bo(struct fz_fd *d, uint32_t handle)
{
	unsigned int i;

	for (i = 0; i < d->nbo; i++)
		if (d->bo[i].handle == handle)
			return &d->bo[i];
	return NULL;
}

void fz_remember_closed(struct fz_fd *d, uint32_t handle)
{
	d->closed[d->nclosed++ % 8] = handle;
}

/* Forget buffer @i; its mapping is unmapped or kept as an orphan. */
void fz_drop_bo(struct fz *f, struct fz_fd *d, unsigned int i, bool keep_map)
{
	struct fz_bo *b = &d->bo[i];

	if (b->map) {
		if (keep_map && f->nmaps < FZ_MAPS) {
			struct fz_map *m = &f->maps[f->nmaps++];

			m->p = b->map;
			m->len = b->maplen;
			m->origin = b->origin;
			m->origin_gen = b->origin_gen;
			m->revoked = b->revoked;
		} else {
			munmap(b->map, b->maplen);
		}
	}
	if (b->placement == DRM_DOJO_PLACEMENT_HBM && !b->imported)
		d->hbm_bytes -= b->size;
	fz_remember_closed(d, b->handle);
	d->bo[i] = d->bo[--d->nbo];
}

struct fz_sync *fz_find_sync(struct fz_fd *d, uint32_t handle)
{
	unsigned int i;

	for (i = 0; i < d->nso; i++)
		if (d->so[i].handle == handle)
			return &d->so[i];
	return NULL;
}

void fz_drop_sync(struct fz_fd *d, unsigned int i)
{
	fz_remember_closed(d, d->so[i].handle);
	d->so[i] = d->so[--d->nso];
}

/* A handle that is probably not valid (closed, zero, huge, random). */
uint32_t fz_closed_handle(struct fz *f, struct fz_fd *d)
{
	switch (fz_rnd(f, 5)) {
	case 0:
		return 0;
	case 1:
		return 0xffffffffu;
	case 2:
		return 1000 + fz_rnd(f, 100000);
	default:
		if (d && d->nclosed)
			return d->closed[fz_rnd(f, d->nclosed < 8 ? d->nclosed : 8)];
		return 500 + fz_rnd(f, 500);
	}
}

int fz_ended_status(struct fz_fd *d, uint64_t id)
{
	unsigned int i;

	for (i = 0; i < FZ_ENDED; i++)
		if (d->ended[i].id == id)
			return d->ended[i].status;
	return -1;
}

/*
 * Track job @id of file @d. When the table is full, the oldest job is
 * polled once, then forgotten.
 */
struct fz_job *fz_add_job(struct fz *f, struct fz_fd *d, uint64_t id)
{
	struct fz_job *j;

	if (d->njob >= FZ_JOBS) {
		if (fz_wait_job(f, d, 0, 0) && d->njob >= FZ_JOBS) {
			memmove(&d->job[0], &d->job[1],
				(d->njob - 1) * sizeof(d->job[0]));
			d->njob--;
		}
	}
	j = &d->job[d->njob++];
	memset(j, 0, sizeof(*j));
	j->id = id;
	j->gen = d->gen;
	j->submitted = dt_now_ns();
	return j;
}

void fz_job_add_bo(struct fz_job *j, const struct fz_bo *b)
{
	struct fz_job_bo *jb;

	if (j->nbos >= FZ_JOB_BOS)
		return;
	jb = &j->bos[j->nbos++];
	jb->handle = b->handle;
	jb->epoch = b->epoch;
	jb->hbm = b->placement == DRM_DOJO_PLACEMENT_HBM;
	jb->imported = b->imported;
	jb->origin = b->origin;
	jb->origin_gen = b->origin_gen;
}

static const char *fz_status_name(uint32_t s)
{
	return dt_status_name((int)s);
}

/* A job's status from JOB_WAIT without waiting; -1 if unknown. */
static int fz_poll_status(struct fz_fd *d, uint64_t id)
{
	struct drm_dojo_job_wait w;
	int s = fz_ended_status(d, id);

	if (s >= 0)
		return s;
	if (dt_wait(d->fd, id, 0, &w))
		return -1;
	return (int)w.status;
}

/* Job @i of @d ended with @w: apply the oracles, forget it. */
void fz_job_ended(struct fz *f, struct fz_fd *d, unsigned int i,
		  const struct drm_dojo_job_wait *w)
{
	struct fz_job *j = &d->job[i];
	bool healthy = fz_healthy(f, d->emu, j->gen, j->epoch);
	bool dep_failed = false, dep_unknown = false;
	uint64_t failed_dep = 0;
	int failed_status = 0;
	unsigned int k;

	d->ended[d->ended_pos++ % FZ_ENDED] =
		(struct fz_ended){ .id = j->id, .status = w->status };

	for (k = 0; k < j->nbos; k++) {
		const struct fz_job_bo *b = &j->bos[k];

		if (b->origin >= 0 && !fz_card_same(f, b->origin, b->origin_gen))
			healthy = false;
		/*
		 * A new HBM buffer's clearing may have failed in a fault: then
		 * every job using it ends ABORTED, and a job that ended DONE
		 * proves nothing (a failed dependency on the same queue is not
		 * always seen). Only buffers made since the last fault count.
		 */
		if (b->hbm && b->epoch != j->epoch)
			healthy = false;
	}
	for (k = 0; k < j->ndeps; k++) {
		int s = fz_poll_status(d, j->deps[k]);

		if (s < 0) {
			dep_unknown = true;
		} else if (s != DRM_DOJO_JOB_DONE && s != DRM_DOJO_JOB_PENDING) {
			dep_failed = true;
			failed_dep = j->deps[k];
			failed_status = s;
		} else if (s == DRM_DOJO_JOB_PENDING) {
			dep_unknown = true;
		}
	}

	if (j->check && healthy && !dep_failed && !dep_unknown)
		fz_count(&f->sh->checked_done);
	if (j->ndeps && !dep_unknown)
		fz_count(&f->sh->checked_deps);
	if (w->status == DRM_DOJO_JOB_DONE) {
		if (dep_failed)
			fz_invariant(f, "job %llu on dojo_emu%d queue %u ended DONE, but job %llu, whose binary syncobj it waited for, ended %s: the failure was not propagated",
				     (unsigned long long)j->id, d->emu, j->queue,
				     (unsigned long long)failed_dep,
				     fz_status_name(failed_status));
	} else if (j->check && healthy && !dep_failed && !dep_unknown &&
		   !(w->status == DRM_DOJO_JOB_ERROR &&
		     w->error == DRM_DOJO_ERR_HBM)) {
		char bos[160] = "", deps[96] = "";
		size_t o = 0;

		for (k = 0; k < j->nbos && o < sizeof(bos) - 24; k++)
			o += snprintf(bos + o, sizeof(bos) - o, " %u:%s%s/e%u",
				      j->bos[k].handle, j->bos[k].hbm ? "hbm" : "host",
				      j->bos[k].imported ? "(imp)" : "",
				      j->bos[k].epoch);
		for (k = 0, o = 0; k < j->ndeps && o < sizeof(deps) - 24; k++)
			o += snprintf(deps + o, sizeof(deps) - o, " %llu:%s",
				      (unsigned long long)j->deps[k],
				      fz_status_name(fz_poll_status(d, j->deps[k])));
		fz_invariant(f, "valid job %llu on dojo_emu%d queue %u ended %s (error %u at command %u) on a card without faults or removal (submitted %.3f s ago at epoch %u, buffers%s, dependencies%s)",
			     (unsigned long long)j->id, d->emu, j->queue,
			     fz_status_name(w->status), w->error, w->error_cmd,
			     (dt_now_ns() - j->submitted) / 1e9, j->epoch,
			     bos[0] ? bos : " none", deps[0] ? deps : " none");
	}
	if (j->oracle)
		fz_oracle_check(f, d, j->oracle - 1, w, healthy);
	d->job[i] = d->job[--d->njob];
}

/* Wait up to @ms for job @i of @d; 0 once it ended (and was checked). */
int fz_wait_job(struct fz *f, struct fz_fd *d, unsigned int i, int64_t ms)
{
	struct drm_dojo_job_wait w;
	int ret;

	ret = dt_wait(d->fd, d->job[i].id, ms, &w);
	if (ret == -EINTR || ret == -ERESTART)
		return ret;
	if (!ret) {
		fz_job_ended(f, d, i, &w);
		return 0;
	}
	if (ret == -ENOENT) {
		/* dropped from the file's last 1024 statuses */
		if (d->job[i].oracle)
			d->os[d->job[i].oracle - 1].busy = false;
		d->job[i] = d->job[--d->njob];
		return 0;
	}
	return fz_err(f, d, ret);
}

/* ---- memory that may fault ------------------------------------------------ */

sigjmp_buf fz_bus_jmp;
volatile sig_atomic_t fz_in_touch;

static void fz_sigbus(int sig)
{
	if (fz_in_touch) {
		fz_in_touch = 0;
		siglongjmp(fz_bus_jmp, 1);
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

/*
 * Read or write @len bytes at @p; -EFAULT if that raised SIGBUS (a revoked
 * mapping), else 0.
 */
int fz_touch(struct fz *f, uint8_t *p, size_t len, bool write, uint64_t seed)
{
	volatile uint8_t *vp = p;
	volatile uint8_t sum = 0;
	size_t i;

	(void)f;
	if (sigsetjmp(fz_bus_jmp, 1))
		return -EFAULT;
	fz_in_touch = 1;
	if (write) {
		for (i = 0; i < len; i++)
			vp[i] = (uint8_t)(seed + i * 131);
	} else {
		for (i = 0; i < len; i++)
			sum += vp[i];
	}
	fz_in_touch = 0;
	(void)sum;
	return 0;
}

/* May a mapping of memory owned by card @origin raise SIGBUS now? */
bool fz_map_may_fault(struct fz *f, int8_t origin, uint32_t origin_gen)
{
	if (origin < 0)
		return false;
	return !fz_card_same(f, origin, origin_gen) ||
	       !__atomic_load_n(&f->sh->card[(int)origin].live, __ATOMIC_ACQUIRE);
}

/* ---- user pointers -------------------------------------------------------- */

uint64_t fz_bad_ptr(struct fz *f, bool for_write)
{
	switch (fz_rnd(f, for_write ? 7 : 6)) {
	case 0:
		return 0;
	case 1:
		return (uintptr_t)f->none_page;
	case 2:
		return (uintptr_t)f->none_page + fz_rnd(f, DT_PAGE);
	case 3:
		return 0xffff888000000000ULL + fz_rnd(f, 1 << 20) * 8;
	case 4:
		return 0x8000000000000000ULL;
	case 5:
		return ~0ULL - fz_rnd(f, 64);
	default:
		return (uintptr_t)f->ro_page;
	}
}

/* ---- the worker ------------------------------------------------------------ */

static unsigned int fz_total_weight;

static int fz_pick_op(struct fz *f)
{
	uint64_t r = fz_rnd(f, fz_total_weight);
	unsigned int i;

	for (i = 0; i < fz_nops; i++) {
		if (r < fz_ops[i].weight)
			return i;
		r -= fz_ops[i].weight;
	}
	return 0;
}

static void fz_drain(struct fz *f)
{
	int64_t end = dt_deadline_ms(60000);
	unsigned int i, k;

	fz_note(f, "drain: wait for every job, close everything");
	for (i = 0; i < FZ_FDS + FZ_MAX_EMU; i++) {
		struct fz_fd *d = i < FZ_FDS ? &f->fds[i] : &f->ofd[i - FZ_FDS];

		if (d->fd < 0)
			continue;
		while (d->njob && !d->dead && fz_card_same(f, d->emu, d->gen)) {
			int64_t left = (end - dt_now_ns()) / 1000000;
			int ret;

			if (left < 1000)
				left = 1000;
			ret = fz_wait_job(f, d, d->njob - 1, left > 30000 ? 30000 : left);
			if (ret == -ETIME) {
				fz_invariant(f, "job %llu on dojo_emu%d (no fault armed at the end) did not end within 30 s",
					     (unsigned long long)d->job[d->njob - 1].id,
					     d->emu);
				d->njob--;
			} else if (ret && ret != -EINTR) {
				break;
			}
		}
		fz_close_fd(f, d, false);
	}
	for (k = 0; k < f->ndb; k++)
		close(f->db[k].fd);
	f->ndb = 0;
	for (k = 0; k < f->nsf; k++)
		close(f->sf[k]);
	f->nsf = 0;
	for (k = 0; k < f->nsofd; k++)
		close(f->sofd[k]);
	f->nsofd = 0;
	for (k = 0; k < f->nmaps; k++)
		munmap(f->maps[k].p, f->maps[k].len);
	f->nmaps = 0;
}

static int fz_worker(struct fz *f)
{
	struct fz_worker *w = &f->sh->w[f->id];
	struct sigaction sa = { .sa_handler = fz_sigbus };
	unsigned int i;

	sigemptyset(&sa.sa_mask);
	sigaction(SIGBUS, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	f->ro_page = mmap(NULL, DT_PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS,
			  -1, 0);
	f->none_page = mmap(NULL, DT_PAGE, PROT_NONE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	f->guard = mmap(NULL, 2 * DT_PAGE, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (f->ro_page == MAP_FAILED || f->none_page == MAP_FAILED ||
	    f->guard == MAP_FAILED || mprotect(f->guard + DT_PAGE, DT_PAGE, PROT_NONE)) {
		perror("fuzz: mmap");
		return 1;
	}
	for (i = 0; i < FZ_FDS; i++)
		f->fds[i].fd = -1;
	for (i = 0; i < FZ_MAX_EMU; i++)
		f->ofd[i].fd = -1;

	for (f->op = 0; f->op < f->nops; f->op++) {
		struct fz_recent *r;
		int op, ret;

		if (__atomic_load_n(&f->sh->stop, __ATOMIC_ACQUIRE))
			break;
		w->cur = f->op;
		w->cur_start = dt_now_ns();
		__atomic_store_n(&w->busy, 1, __ATOMIC_RELEASE);
		f->desc[0] = '\0';
		if (f->op == f->stalls_due[0] || f->op == f->stalls_due[1]) {
			op = fz_nops;	/* not in the table */
			ret = fz_op_uffd_stall(f, f->op == f->stalls_due[0] ? 0 : 1);
		} else {
			op = fz_pick_op(f);
			ret = fz_ops[op].fn(f);
		}
		if (op < (int)fz_nops) {
			struct fz_opstat *s = &f->sh->stats[f->id][op];

			s->calls++;
			if (ret == FZ_OK)
				s->ok++;
			else if (ret == FZ_SKIP)
				s->skip++;
			else
				s->err++;
		}
		r = &w->recent[w->recent_pos % FZ_RECENT];
		r->op = f->op;
		memcpy(r->what, f->desc, sizeof(r->what));
		w->recent_pos++;
		__atomic_store_n(&w->busy, 0, __ATOMIC_RELEASE);
		__atomic_store_n(&w->done, w->done + 1, __ATOMIC_RELEASE);
	}
	w->cur = f->op;
	w->cur_start = dt_now_ns();
	__atomic_store_n(&w->busy, 1, __ATOMIC_RELEASE);
	fz_drain(f);
	__atomic_store_n(&w->busy, 0, __ATOMIC_RELEASE);
	w->finished = 1;
	return 0;
}

/* ---- the monitor ----------------------------------------------------------- */

struct fz_opts {
	uint64_t ops;
	int procs;
	uint64_t seed;
	bool seed_set;
	int max_seconds;
	const char *summary;
	bool stop_on_report;
	bool stop_on_invariant;
	bool core_huge;
	bool no_stall;
	const char *skip;
	const char *weights;
	const char *faults;
	bool verbose;
	int check_idle_ms;
};

/* Same patterns as the runner's BAD_KLOG (tests/run-tests.sh). */
#define FZ_BAD_KLOG "WARNING:|BUG|Oops|KFENCE|general protection|hung_task|" \
	"blocked for more than|Call Trace|UBSAN|refcount_t:|[Ss]lab|[Ll][Ee][Aa][Kk]"

struct fz_kmsg {
	int fd;
	regex_t bad;
	unsigned int reports;		/* reports attributed to the driver */
	unsigned int apart;		/* the DRM core's syncobj array WARN */
	/* the WARNING block being read */
	bool in_warn;
	bool warn_syncobj, warn_dojo;
	unsigned int warn_lines;
	int64_t last_bad;
	unsigned int printed;
};

static void fz_dump_workers(int procs)
{
	int64_t now = dt_now_ns();
	int i;

	for (i = 0; i < procs; i++) {
		struct fz_worker *w = &sh->w[i];

		if (w->finished) {
			printf("fuzz:   w%d finished\n", i);
			continue;
		}
		printf("fuzz:   w%d (pid %d) op #%llu%s, %.1f s: %s\n", i, w->pid,
		       (unsigned long long)w->cur,
		       __atomic_load_n(&w->busy, __ATOMIC_ACQUIRE) ? " running" : "",
		       (now - w->cur_start) / 1e9, w->what);
		fz_print_recent(w, i, 4);
	}
}

static void fz_kmsg_line(struct fz_kmsg *k, const char *msg, int procs)
{
	bool bad = !regexec(&k->bad, msg, 0, NULL, 0);
	bool start = !strncmp(msg, "WARNING: CPU:", 13);
	int64_t now = dt_now_ns();

	if (k->in_warn) {
		k->warn_lines++;
		const char *frame = msg + strspn(msg, " ");

		/* '? ' frames are stale stack entries, not the call chain */
		if (!strncmp(frame, "drm_syncobj_array_find+", 23))
			k->warn_syncobj = true;
		/* the CPU line names the task and the kernel's release */
		if (strstr(msg, "dojo") && strncmp(msg, "Modules linked in:", 18) &&
		    strncmp(msg, "CPU: ", 5) && strncmp(frame, "? ", 2))
			k->warn_dojo = true;
		if (k->printed < 400) {
			printf("fuzz: kmsg| %s\n", msg);
			k->printed++;
		}
		if (strstr(msg, "---[ end trace") || k->warn_lines > 150) {
			k->in_warn = false;
			if (k->warn_syncobj && !k->warn_dojo) {
				k->apart++;
				printf("fuzz: (that was the DRM core's allocation warning in drm_syncobj_array_find(), without the driver in its trace: reported apart)\n");
			} else {
				k->reports++;
			}
		}
		k->last_bad = now;
		return;
	}
	if (!bad) {
		/* lines right after a report belong to it */
		if (k->last_bad && now - k->last_bad < 2000000000LL &&
		    k->printed < 400) {
			printf("fuzz: kmsg| %s\n", msg);
			k->printed++;
		}
		return;
	}
	if (start) {
		k->in_warn = true;
		k->warn_syncobj = false;
		k->warn_dojo = false;
		k->warn_lines = 0;
		if (strstr(msg, "dojo"))
			k->warn_dojo = true;
	} else if (!k->last_bad || now - k->last_bad > 2000000000LL) {
		k->reports++;
	}
	if (!k->last_bad || now - k->last_bad > 2000000000LL) {
		printf("fuzz: kernel log report at +%.1f s; the workers were at:\n",
		       (now - sh->start_ns) / 1e9);
		fz_dump_workers(procs);
	}
	k->last_bad = now;
	if (k->printed < 400) {
		printf("fuzz: kmsg| %s\n", msg);
		k->printed++;
	}
	fflush(stdout);
}

static void fz_kmsg_read(struct fz_kmsg *k, int procs)
{
	char buf[8192];

	if (k->fd < 0)
		return;
	for (;;) {
		ssize_t n = read(k->fd, buf, sizeof(buf) - 1);
		char *msg, *nl;

		if (n < 0 && errno == EPIPE)
			continue;	/* records were overwritten */
		if (n <= 0)
			break;
		buf[n] = '\0';
		msg = strchr(buf, ';');
		if (!msg)
			continue;
		msg++;
		nl = strchr(msg, '\n');
		if (nl)
			*nl = '\0';
		if (strstr(msg, "dojo-test-mark:"))
			continue;
		fz_kmsg_line(k, msg, procs);
	}
	fflush(stdout);
}

static void fz_print_stack(int pid, const char *who)
{
	char path[64], buf[4096];

	snprintf(path, sizeof(path), "/proc/%d/stack", pid);
	if (dt_read_file(path, buf, sizeof(buf)) > 0) {
		char *line, *save = NULL;

		printf("fuzz:   kernel stack of %s (pid %d):\n", who, pid);
		for (line = strtok_r(buf, "\n", &save); line;
		     line = strtok_r(NULL, "\n", &save))
			printf("fuzz:     %s\n", line);
	}
}

/* Stacks of @pid and of its children. */
static void fz_print_stacks(int pid)
{
	char path[64], buf[512];
	struct dirent *de;
	DIR *dir;

	fz_print_stack(pid, "worker");
	dir = opendir("/proc");
	if (!dir)
		return;
	while ((de = readdir(dir))) {
		int cpid = atoi(de->d_name), ppid;
		char *p;

		if (cpid <= 0)
			continue;
		snprintf(path, sizeof(path), "/proc/%d/stat", cpid);
		if (dt_read_file(path, buf, sizeof(buf)) <= 0)
			continue;
		p = strrchr(buf, ')');
		if (p && sscanf(p + 2, "%*c %d", &ppid) == 1 && ppid == pid)
			fz_print_stack(cpid, "its child");
	}
	closedir(dir);
}

static void fz_print_stats(int procs)
{
	unsigned int i;
	int w;

	printf("fuzz: %-20s %9s %9s %9s %9s\n", "operation", "calls", "ok",
	       "error", "skipped");
	for (i = 0; i < fz_nops; i++) {
		struct fz_opstat t = { 0 };

		for (w = 0; w < procs; w++) {
			t.calls += sh->stats[w][i].calls;
			t.ok += sh->stats[w][i].ok;
			t.err += sh->stats[w][i].err;
			t.skip += sh->stats[w][i].skip;
		}
		printf("fuzz: %-20s %9llu %9llu %9llu %9llu\n", fz_ops[i].name,
		       (unsigned long long)t.calls, (unsigned long long)t.ok,
		       (unsigned long long)t.err, (unsigned long long)t.skip);
	}
}

static int fz_check_idle(int ms)
{
	int minor[FZ_MAX_EMU], i, bad = 0;

	fz_scan_minors(minor);
	for (i = 0; i < FZ_MAX_EMU; i++) {
		struct drm_dojo_memory_info m = { 0 };
		int64_t end = dt_deadline_ms(ms);
		char node[64];
		int fd;

		if (minor[i] < 0)
			continue;
		snprintf(node, sizeof(node), "/dev/accel/accel%d", minor[i]);
		fd = open(node, O_RDWR | O_CLOEXEC);
		if (fd < 0) {
			printf("fuzz: dojo_emu%d: open %s: %s\n", i, node,
			       strerror(errno));
			bad = 1;
			continue;
		}
		do {
			if (dt_memory(fd, &m))
				break;
			if (!m.hbm_used && !m.host_used)
				break;
			dt_sleep_ms(50);
		} while (dt_now_ns() < end);
		printf("fuzz: dojo_emu%d: hbm_used %llu, host_used %llu\n", i,
		       (unsigned long long)m.hbm_used,
		       (unsigned long long)m.host_used);
		if (m.hbm_used || m.host_used)
			bad = 1;
		close(fd);
	}
	return bad;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: fuzz_test [--ops N] [--procs P] [--seed S] [--max-seconds T]\n"
		"                 [--summary FILE] [--stop-on-report] [--stop-on-invariant]\n"
		"                 [--no-core-huge]\n"
		"                 [--skip OP,...] [--weight OP=N,...]\n"
		"                 [--faults KIND,...] [--verbose]\n"
		"       fuzz_test --check-idle MS\n");
	exit(2);
}

static void fz_parse(int argc, char **argv, struct fz_opts *o)
{
	static const struct option lo[] = {
		{ "ops", required_argument, NULL, 'n' },
		{ "procs", required_argument, NULL, 'p' },
		{ "seed", required_argument, NULL, 's' },
		{ "max-seconds", required_argument, NULL, 't' },
		{ "summary", required_argument, NULL, 'o' },
		{ "stop-on-report", no_argument, NULL, 'x' },
		{ "stop-on-invariant", no_argument, NULL, 'X' },
		{ "no-core-huge", no_argument, NULL, 'H' },
		{ "skip", required_argument, NULL, 'S' },
		{ "weight", required_argument, NULL, 'W' },
		{ "faults", required_argument, NULL, 'F' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "check-idle", required_argument, NULL, 'i' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	memset(o, 0, sizeof(*o));
	o->ops = 100000;
	o->procs = 2;
	o->core_huge = true;
	while ((c = getopt_long(argc, argv, "n:p:s:t:o:xXHS:W:F:vi:", lo, NULL)) != -1) {
		switch (c) {
		case 'n':
			o->ops = strtoull(optarg, NULL, 0);
			break;
		case 'p':
			o->procs = atoi(optarg);
			break;
		case 's':
			o->seed = strtoull(optarg, NULL, 0);
			o->seed_set = true;
			break;
		case 't':
			o->max_seconds = atoi(optarg);
			break;
		case 'o':
			o->summary = optarg;
			break;
		case 'x':
			o->stop_on_report = true;
			break;
		case 'X':
			o->stop_on_invariant = true;
			break;
		case 'H':
			o->core_huge = false;
			break;
		case 'S':
			o->skip = optarg;
			break;
		case 'W':
			o->weights = optarg;
			break;
		case 'F':
			o->faults = optarg;
			break;
		case 'v':
			o->verbose = true;
			break;
		case 'i':
			o->check_idle_ms = atoi(optarg);
			break;
		default:
			usage();
		}
	}
	if (optind != argc || o->procs < 1 || o->procs > FZ_MAX_PROCS)
		usage();
}

static uint64_t fz_random_seed(void)
{
	uint64_t s = 0;
	int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);

	if (fd >= 0) {
		if (read(fd, &s, sizeof(s)) != sizeof(s))
			s = 0;
		close(fd);
	}
	return s ^ (uint64_t)dt_now_ns() ^ ((uint64_t)getpid() << 32);
}

int main(int argc, char **argv)
{
	struct fz_kmsg k = { .fd = -1 };
	uint64_t invariants = 0, anomalies = 0, done = 0;
	int minor[FZ_MAX_EMU], i, failed = 0, alive;
	bool stopped = false, hung = false;
	struct fz_opts o;
	double secs;
	FILE *out;

	setvbuf(stdout, NULL, _IOLBF, 0);
	fz_parse(argc, argv, &o);
	if (o.check_idle_ms)
		return fz_check_idle(o.check_idle_ms);
	if (!o.seed_set)
		o.seed = fz_random_seed();

	if (o.skip) {
		char *list = strdup(o.skip), *name, *save = NULL;

		for (name = strtok_r(list, ",", &save); name;
		     name = strtok_r(NULL, ",", &save)) {
			bool found = !strcmp(name, "stall");

			if (found)
				o.no_stall = true;
			for (i = 0; i < (int)fz_nops; i++) {
				if (strcmp(fz_ops[i].name, name))
					continue;
				fz_ops[i].weight = 0;
				found = true;
			}
			if (!found) {
				fprintf(stderr, "fuzz: --skip: no operation '%s'\n", name);
				return 2;
			}
		}
		free(list);
	}
	if (o.weights) {
		char *list = strdup(o.weights), *item, *save = NULL;

		for (item = strtok_r(list, ",", &save); item;
		     item = strtok_r(NULL, ",", &save)) {
			char *eq = strchr(item, '=');
			bool found = false;

			if (eq) {
				*eq = '\0';
				for (i = 0; i < (int)fz_nops; i++) {
					if (strcmp(fz_ops[i].name, item))
						continue;
					fz_ops[i].weight = atoi(eq + 1);
					found = true;
				}
			}
			if (!found) {
				fprintf(stderr, "fuzz: --weight: '%s' is not OP=N with a known OP\n",
					item);
				return 2;
			}
		}
		free(list);
	}
	for (i = 0; i < (int)fz_nops; i++)
		fz_total_weight += fz_ops[i].weight;
	if (o.faults && fz_fault_select(o.faults)) {
		fprintf(stderr, "fuzz: --faults: unknown fault kind in '%s'\n", o.faults);
		return 2;
	}

	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED) {
		perror("fuzz: mmap");
		return 1;
	}
	memset(sh, 0, sizeof(*sh));
	sh->seed = o.seed;
	sh->stop_on_invariant = o.stop_on_invariant;
	sh->cards_changed = 1;
	fz_scan_minors(minor);
	for (i = 0; i < FZ_MAX_EMU; i++)
		sh->card[i].live = minor[i] >= 0;

	if (regcomp(&k.bad, FZ_BAD_KLOG, REG_EXTENDED | REG_NOSUB)) {
		fprintf(stderr, "fuzz: regcomp failed\n");
		return 1;
	}
	k.fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (k.fd >= 0)
		lseek(k.fd, 0, SEEK_END);
	else
		printf("fuzz: /dev/kmsg: %s; the kernel log is not watched\n",
		       strerror(errno));

	printf("fuzz: seed 0x%llx, %llu operations, %d processes%s%s%s%s\n",
	       (unsigned long long)o.seed, (unsigned long long)o.ops, o.procs,
	       o.skip ? ", skipping " : "", o.skip ? o.skip : "",
	       o.weights ? ", weights " : "", o.weights ? o.weights : "");
	sh->start_ns = dt_now_ns();
	for (i = 0; i < o.procs; i++) {
		uint64_t share = o.ops / o.procs + (i < (int)(o.ops % o.procs));
		pid_t pid = fork();

		if (pid < 0) {
			perror("fuzz: fork");
			return 1;
		}
		if (!pid) {
			struct fz *f = calloc(1, sizeof(*f));

			if (!f)
				_exit(1);
			if (k.fd >= 0)
				close(k.fd);
			f->id = i;
			f->sh = sh;
			f->nops = share;
			f->verbose = o.verbose;
			f->core_huge = o.core_huge;
			f->rng = (o.seed + (uint64_t)i) * 0x9e3779b97f4a7c15ULL + 1;
			if (!f->rng)
				f->rng = 1;
			/* the userfaultfd stalls: kind 0 in worker 0, kind 1 in the last */
			f->stalls_due[0] = f->stalls_due[1] = ~0ULL;
			if (share > 1000 && !o.no_stall) {
				if (i == 0)
					f->stalls_due[0] = share / 3;
				if (i == o.procs - 1)
					f->stalls_due[1] = share * 2 / 3;
			}
			_exit(fz_worker(f));
		}
		sh->w[i].pid = pid;
	}

	alive = o.procs;
	while (alive > 0) {
		static int64_t give_up;
		int64_t now = dt_now_ns();
		int status;
		pid_t pid;

		fz_kmsg_read(&k, o.procs);
		if (o.stop_on_report && (k.reports || k.apart) && !stopped) {
			printf("fuzz: stopping at the first kernel report\n");
			__atomic_store_n(&sh->stop, 1, __ATOMIC_RELEASE);
			stopped = true;
		}
		if (o.max_seconds && !stopped &&
		    now - sh->start_ns > (int64_t)o.max_seconds * 1000000000LL) {
			printf("fuzz: time limit of %d s reached, stopping\n",
			       o.max_seconds);
			__atomic_store_n(&sh->stop, 1, __ATOMIC_RELEASE);
			stopped = true;
		}
		while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
			for (i = 0; i < o.procs; i++) {
				if (sh->w[i].pid != pid && sh->w[i].pid != -pid)
					continue;
				alive--;
				if (WIFSIGNALED(status)) {
					printf("fuzz: worker %d was killed by signal %d (%s) at op #%llu: %s\n",
					       i, WTERMSIG(status),
					       strsignal(WTERMSIG(status)),
					       (unsigned long long)sh->w[i].cur,
					       sh->w[i].what);
					fz_print_recent(&sh->w[i], i, 8);
					failed = 1;
				} else if (WEXITSTATUS(status)) {
					printf("fuzz: worker %d exited with %d\n", i,
					       WEXITSTATUS(status));
					failed = 1;
				}
				sh->w[i].finished = 1;
			}
		}
		for (i = 0; i < o.procs; i++) {
			struct fz_worker *w = &sh->w[i];
			int64_t ran = now - w->cur_start;

			if (w->finished || !__atomic_load_n(&w->busy, __ATOMIC_ACQUIRE))
				continue;
			if (ran > FZ_WATCHDOG_S * 1000000000LL && w->pid > 0 &&
			    !w->invariants) {
				printf("fuzz: HANG: worker %d has been in op #%llu for %lld s: %s\n",
				       i, (unsigned long long)w->cur,
				       (long long)(ran / 1000000000LL), w->what);
				fz_print_recent(w, i, 8);
				fz_print_stacks(w->pid);
				w->invariants++;
				hung = true;
			}
			if (ran > FZ_KILL_S * 1000000000LL && w->pid > 0) {
				printf("fuzz: killing worker %d\n", i);
				kill(w->pid, SIGKILL);
				w->pid = -w->pid;
				if (!give_up)
					give_up = now + 30000000000LL;
			}
		}
		if (give_up && now > give_up) {
			printf("fuzz: %d workers do not exit (blocked in the kernel); giving up on them\n",
			       alive);
			failed = 1;
			break;
		}
		if (alive > 0)
			dt_sleep_ms(100);
	}
	dt_sleep_ms(300);
	fz_kmsg_read(&k, o.procs);
	secs = (dt_now_ns() - sh->start_ns) / 1e9;

	for (i = 0; i < o.procs; i++) {
		done += sh->w[i].done;
		invariants += sh->w[i].invariants;
		anomalies += sh->w[i].anomalies;
	}
	fz_print_stats(o.procs);
	printf("fuzz: cards deleted %llu, created %llu; faults armed %llu; children killed %llu; removals under a stalled ioctl %llu\n",
	       (unsigned long long)sh->card_deletions,
	       (unsigned long long)sh->card_creations,
	       (unsigned long long)sh->faults, (unsigned long long)sh->kills,
	       (unsigned long long)sh->stalls);
	printf("fuzz: oracles: %llu valid jobs held to DONE, %llu data checks, %llu jobs with known dependencies, %llu fence name checks\n",
	       (unsigned long long)sh->checked_done,
	       (unsigned long long)sh->checked_data,
	       (unsigned long long)sh->checked_deps,
	       (unsigned long long)sh->checked_names);
	printf("fuzz: %llu operations in %.1f s (%.0f/s), %llu invariants broken, %llu anomalies, %u kernel reports (%u reported apart), seed 0x%llx%s\n",
	       (unsigned long long)done, secs, done / (secs > 0 ? secs : 1),
	       (unsigned long long)invariants, (unsigned long long)anomalies,
	       k.reports, k.apart, (unsigned long long)o.seed,
	       stopped ? " (stopped early)" : "");
	if (o.summary) {
		out = fopen(o.summary, "w");
		if (out) {
			fprintf(out, "ops=%llu\ninvariants=%llu\nanomalies=%llu\nkreports=%u\napart=%u\nseconds=%.1f\nseed=0x%llx\nstopped=%d\nhung=%d\n",
				(unsigned long long)done,
				(unsigned long long)invariants,
				(unsigned long long)anomalies, k.reports, k.apart,
				secs, (unsigned long long)o.seed, stopped, hung);
			fclose(out);
		}
	}
	return failed || invariants || k.reports ? 1 : 0;
}
