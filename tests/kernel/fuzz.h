/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The dojo uAPI fuzzer (fuzz_test.c, fuzz_ops.c): shared declarations.
 *
 * Worker processes run operations picked from a weighted table
 * (fuzz_ops.c), each an ioctl or system call with arguments drawn from a
 * model of the resources the worker holds: open files on each card,
 * buffers, mappings, dma-bufs, syncobjs, sync files and jobs. Most calls
 * are valid; some have one field mutated. The monitor process (the
 * parent) watches the kernel log and the workers' progress.
 */
#ifndef DOJO_FUZZ_H
#define DOJO_FUZZ_H

#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>

#include "dojo_test.h"

#define FZ_MAX_EMU	8	/* emulated card ids the fuzzer uses: 0..7 */
#define FZ_MAX_CARDS	3	/* cards alive at once, at most */
#define FZ_MAX_PROCS	8
#define FZ_RECENT	16	/* recent operations kept per worker */
#define FZ_DESC		112

#define FZ_FDS		6	/* open files per worker (oracle files apart) */
#define FZ_BOS		24	/* buffers per file */
#define FZ_SYNCS	16	/* syncobjs per file */
#define FZ_JOBS		96	/* jobs tracked per file */
#define FZ_DMABUFS	12
#define FZ_SYNCFILES	8
#define FZ_SOFDS	6	/* exported syncobj fds */
#define FZ_MAPS		8	/* mappings that outlived their buffer's entry */
#define FZ_JOB_BOS	8	/* buffers a tracked job remembers */
#define FZ_JOB_DEPS	4
#define FZ_ORACLE_SETS	2

/* Operation results, for the statistics. */
enum { FZ_OK, FZ_ERR, FZ_SKIP };

/* ---- state shared by all processes (MAP_SHARED) ---------------------- */

struct fz_recent {
	uint64_t op;
	char what[FZ_DESC];
};

struct fz_opstat {
	uint64_t calls, ok, err, skip;
};

struct fz_worker {
	int pid;
	uint64_t done;			/* operations completed */
	uint64_t cur;			/* index of the operation running */
	int64_t cur_start;		/* when it started, CLOCK_MONOTONIC ns */
	int busy;			/* an operation is running */
	char what[FZ_DESC];		/* what it does */
	unsigned int recent_pos;
	struct fz_recent recent[FZ_RECENT];
	uint64_t invariants, anomalies;
	int finished;
};

/*
 * One emulated card id. @gen changes before the card is deleted; @disrupt
 * is odd while a fault switch is armed on it and changes at both ends of
 * the fault. A job is held to its oracle only if both are unchanged
 * between its submission and its end.
 */
struct fz_card {
	uint32_t gen;
	uint32_t disrupt;
	int32_t live;
	int32_t fault_busy;
	int64_t del_ms;			/* duration of the last removal */
};

#define FZ_MAX_OPS	64

struct fz_shared {
	uint64_t seed;
	int32_t chaos_busy;		/* a card is being created or deleted */
	uint32_t cards_changed;		/* bumps at every creation and deletion */
	int32_t stop;			/* the monitor asks workers to stop */
	int32_t stop_on_invariant;
	int64_t start_ns;
	struct fz_card card[FZ_MAX_EMU];
	struct fz_worker w[FZ_MAX_PROCS];
	struct fz_opstat stats[FZ_MAX_PROCS][FZ_MAX_OPS];
	uint64_t card_deletions, card_creations, faults, kills, stalls;
	/* how often each oracle had something to check */
	uint64_t checked_done, checked_data, checked_deps, checked_names;
};

/* ---- a worker's private model of what it holds ------------------------- */

struct fz_bo {
	uint32_t handle;
	uint32_t placement;
	uint64_t size;
	uint8_t *map;			/* our mapping of it, or NULL */
	size_t maplen;
	bool revoked;			/* the mapping raised SIGBUS */
	int8_t origin;			/* card whose memory it is; -1: none */
	uint32_t origin_gen;
	uint32_t epoch;			/* card's disrupt when created */
	bool imported;
};

#define FZ_PROD_NONE	0		/* no fence */
#define FZ_PROD_SIGNAL	(~0ULL)		/* signalled from userspace */
#define FZ_PROD_UNKNOWN	(~0ULL - 1)	/* someone else's fence */

struct fz_sync {
	uint32_t handle;
	bool timeline;
	uint64_t point;			/* last point added (timeline) */
	bool fence;			/* has a fence (binary) or a point */
	uint64_t producer;		/* job id whose fence it holds, or FZ_PROD_* */
	bool shared;			/* exported or imported: others may change it */
};

struct fz_job {
	uint64_t id;
	uint32_t gen, epoch;
	bool check;			/* valid, with known dependencies */
	uint8_t queue;
	uint8_t nbos, ndeps;
	/*
	 * The buffers it uses, as they were at submission: a handle can be
	 * closed and reused for another buffer before the job ends.
	 */
	struct fz_job_bo {
		uint32_t handle;
		uint32_t epoch;
		bool hbm, imported;
		int8_t origin;
		uint32_t origin_gen;
	} bos[FZ_JOB_BOS];
	uint64_t deps[FZ_JOB_DEPS];	/* producer job ids (same file) */
	int oracle;			/* oracle set + 1, or 0 */
	int64_t submitted;
};

/* A finished job's status, remembered for the jobs that depend on it. */
struct fz_ended {
	uint64_t id;
	uint32_t status;
};

#define FZ_ENDED	64

struct fz_oracle_set {
	uint32_t x, y, r, h;		/* handles: host X, Y, R; HBM H */
	uint8_t *px, *py, *pr;
	uint64_t size;			/* of X and Y */
	bool busy;
	/* what the outstanding job must produce */
	uint64_t xo, yo, n, dseed;
	uint32_t pattern;
	uint64_t job;
};

struct fz_fd {
	int fd;				/* -1: free slot */
	int emu;
	uint32_t gen;
	unsigned int nq;
	bool dead;			/* ENODEV seen */
	bool oracle;
	struct fz_bo bo[FZ_BOS];
	unsigned int nbo;
	struct fz_sync so[FZ_SYNCS];
	unsigned int nso;
	struct fz_job job[FZ_JOBS];
	unsigned int njob;
	struct fz_ended ended[FZ_ENDED];
	unsigned int ended_pos;
	uint32_t closed[8];		/* handles closed lately, for mutations */
	unsigned int nclosed;
	uint64_t hbm_bytes;
	struct fz_oracle_set os[FZ_ORACLE_SETS];
	unsigned int nos;
};

struct fz_dmabuf {
	int fd;
	int8_t emu;			/* exporting file's card */
	uint32_t gen;
	uint32_t placement;
	uint64_t size;
	int8_t origin;			/* card whose memory it is; -1 none */
	uint32_t origin_gen;
	uint32_t epoch;
};

struct fz_map {
	uint8_t *p;
	size_t len;
	int8_t origin;
	uint32_t origin_gen;
	bool revoked;
};

struct fz {
	int id;
	uint64_t rng;
	uint64_t op;			/* index of the operation running */
	uint64_t nops;			/* operations this worker runs */
	struct fz_shared *sh;
	bool verbose;
	bool core_huge;			/* huge syncobj array counts (DRM core) */

	uint32_t cards_seen;		/* sh->cards_changed when minors cached */
	int minor[FZ_MAX_EMU];		/* accel minor per card id, -1 if none */

	struct fz_fd fds[FZ_FDS];
	struct fz_fd ofd[FZ_MAX_EMU];	/* one oracle file per card */
	struct fz_dmabuf db[FZ_DMABUFS];
	unsigned int ndb;
	int sf[FZ_SYNCFILES];		/* sync files */
	unsigned int nsf;
	int sofd[FZ_SOFDS];		/* syncobj fds */
	unsigned int nsofd;
	struct fz_map maps[FZ_MAPS];
	unsigned int nmaps;

	uint8_t *ro_page;		/* PROT_READ */
	uint8_t *none_page;		/* PROT_NONE */
	uint8_t *guard;			/* a RW page followed by a PROT_NONE one */
	uint64_t stalls_due[2];		/* op indexes of the userfaultfd stalls */

	char desc[FZ_DESC];
};

/* ---- helpers (fuzz_test.c) --------------------------------------------- */

static inline uint64_t fz_rand(struct fz *f)
{
	uint64_t x = f->rng;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	f->rng = x;
	return x * 0x2545f4914f6cdd1dULL;
}

/* 0 .. n-1 */
static inline uint64_t fz_rnd(struct fz *f, uint64_t n)
{
	return n ? fz_rand(f) % n : 0;
}

/* true with probability permille/1000 */
static inline bool fz_chance(struct fz *f, unsigned int permille)
{
	return fz_rnd(f, 1000) < permille;
}

void fz_note(struct fz *f, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void fz_invariant(struct fz *f, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void fz_anomaly(struct fz *f, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

bool fz_count(uint64_t *counter);

/* Cards and files */
void fz_refresh_minors(struct fz *f);
int fz_pick_card(struct fz *f);
int fz_open_card(struct fz *f, int emu, uint32_t *gen);
bool fz_card_same(struct fz *f, int emu, uint32_t gen);
bool fz_healthy(struct fz *f, int emu, uint32_t gen, uint32_t epoch);
uint32_t fz_disrupt(struct fz *f, int emu);
void fz_disrupt_begin(struct fz *f, int emu);
void fz_disrupt_end(struct fz *f, int emu);

struct fz_fd *fz_pick_fd(struct fz *f, bool live_only);
struct fz_fd *fz_new_fd(struct fz *f, int emu);
void fz_close_fd(struct fz *f, struct fz_fd *d, bool keep_maps);
struct fz_fd *fz_oracle_fd(struct fz *f, int emu);
int fz_err(struct fz *f, struct fz_fd *d, int ret);

/* Buffers, syncobjs, jobs */
struct fz_bo *fz_add_bo(struct fz_fd *d, uint32_t handle, uint32_t placement,
			uint64_t size);
void fz_drop_bo(struct fz *f, struct fz_fd *d, unsigned int i, bool keep_map);
struct fz_bo *fz_find_bo(struct fz_fd *d, uint32_t handle);
void fz_drop_sync(struct fz_fd *d, unsigned int i);
struct fz_sync *fz_find_sync(struct fz_fd *d, uint32_t handle);
uint32_t fz_closed_handle(struct fz *f, struct fz_fd *d);
void fz_remember_closed(struct fz_fd *d, uint32_t handle);
struct fz_job *fz_add_job(struct fz *f, struct fz_fd *d, uint64_t id);
void fz_job_add_bo(struct fz_job *j, const struct fz_bo *b);
void fz_job_ended(struct fz *f, struct fz_fd *d, unsigned int i,
		  const struct drm_dojo_job_wait *w);
int fz_wait_job(struct fz *f, struct fz_fd *d, unsigned int i, int64_t ms);
int fz_ended_status(struct fz_fd *d, uint64_t id);

/*
 * Touching memory that may raise SIGBUS: code between sigsetjmp(fz_bus_jmp)
 * and the end of the section runs with fz_in_touch set.
 */
extern sigjmp_buf fz_bus_jmp;
extern volatile sig_atomic_t fz_in_touch;
int fz_touch(struct fz *f, uint8_t *p, size_t len, bool write, uint64_t seed);
bool fz_map_may_fault(struct fz *f, int8_t origin, uint32_t origin_gen);

/* User pointers for mutations */
uint64_t fz_bad_ptr(struct fz *f, bool for_write);

/* Files and sysfs */
int fz_write_str(const char *path, const char *s);

/* fuzz_ops.c */
struct fz_op {
	const char *name;
	unsigned int weight;
	int (*fn)(struct fz *f);
};

extern struct fz_op fz_ops[];
extern const unsigned int fz_nops;
int fz_op_uffd_stall(struct fz *f, int kind);
int fz_fault_select(const char *list);
void fz_oracle_check(struct fz *f, struct fz_fd *d, unsigned int set,
		     const struct drm_dojo_job_wait *w, bool healthy);

#endif /* DOJO_FUZZ_H */
