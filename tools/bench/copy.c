// SPDX-License-Identifier: MIT
/*
 * dojo-bench copy: bandwidth of one COPY job per transfer (submit to end,
 * everything the caller waits for), host->HBM, HBM->host and HBM->HBM, for
 * sizes from --min-size to --max-size in powers of 4, beside memcpy() of
 * the same size between the same two host buffers in the same run.
 *
 * dojo-bench ttp: the same over the TTP port, between host or HBM and a
 * tile buffer in the SRAM of the tile the DIP is cabled to.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "bench.h"

struct copy_bufs {
	struct dojo_bo *host_src;
	struct dojo_bo *host_dst;
	struct dojo_bo *hbm_a;
	struct dojo_bo *hbm_b;
	struct dojo_bo *tile;
	void *src;
	void *dst;
};

enum copy_dir {
	COPY_MEMCPY, COPY_H2D, COPY_D2H, COPY_D2D,
	COPY_H2T, COPY_T2H, COPY_D2T, COPY_T2D, COPY_NDIRS
};

static const char *const dir_name[COPY_NDIRS] = {
	[COPY_MEMCPY] = "memcpy",
	[COPY_H2D] = "host->HBM",
	[COPY_D2H] = "HBM->host",
	[COPY_D2D] = "HBM->HBM",
	[COPY_H2T] = "host->tile",
	[COPY_T2H] = "tile->host",
	[COPY_D2T] = "HBM->tile",
	[COPY_T2D] = "tile->HBM",
};

/* The cases of each benchmark; memcpy, their baseline, first. */
static const enum copy_dir copy_dirs[] = {
	COPY_MEMCPY, COPY_H2D, COPY_D2H, COPY_D2D,
};
static const enum copy_dir ttp_dirs[] = {
	COPY_MEMCPY, COPY_H2T, COPY_T2H, COPY_D2T, COPY_T2D,
};

#define MAX_CASES	5

/* Data that is neither zero nor compressible: HBM backs non-zero pages only. */
static void fill_random(void *p, uint64_t len)
{
	uint64_t *w = p, x = 0x9e3779b97f4a7c15ull, i;

	for (i = 0; i < len / 8; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		w[i] = x | 1;
	}
}

static int copy_setup(struct bench *b, struct copy_bufs *cb, uint64_t size,
		      bool tile)
{
	int err;

	err = dojo_bo_create(b->dev, size, DRM_DOJO_PLACEMENT_HOST,
			     &cb->host_src);
	if (!err)
		err = dojo_bo_create(b->dev, size, DRM_DOJO_PLACEMENT_HOST,
				     &cb->host_dst);
	if (!err)
		err = dojo_bo_create(b->dev, size, DRM_DOJO_PLACEMENT_HBM,
				     &cb->hbm_a);
	if (!err)
		err = dojo_bo_create(b->dev, size, DRM_DOJO_PLACEMENT_HBM,
				     &cb->hbm_b);
	if (!err && tile)
		err = dojo_bo_create(b->dev, size, DRM_DOJO_PLACEMENT_TILE,
				     &cb->tile);
	if (!err)
		err = dojo_bo_map(cb->host_src, &cb->src);
	if (!err)
		err = dojo_bo_map(cb->host_dst, &cb->dst);
	if (err)
		return err;
	fill_random(cb->src, size);
	memset(cb->dst, 0, size);
	return 0;
}

static void copy_teardown(struct copy_bufs *cb)
{
	dojo_bo_free(cb->host_src);
	dojo_bo_free(cb->host_dst);
	dojo_bo_free(cb->hbm_a);
	dojo_bo_free(cb->hbm_b);
	dojo_bo_free(cb->tile);
}

/* One pass of memcpy(); the first pass starts with an unmeasured copy. */
static void measure_memcpy(struct bench *b, struct copy_bufs *cb,
			   struct bench_result *r, unsigned int pass)
{
	struct bench_clock t0, t1;
	uint64_t n = 0;
	double s;

	if (!pass)
		memcpy(cb->dst, cb->src, r->size);
	bench_now(&t0);
	do {
		s = bench_seconds();
		memcpy(cb->dst, cb->src, r->size);
		/* keep the copy from being optimised away */
		__asm__ volatile("" : : "r"(cb->dst) : "memory");
		bench_sample(r, bench_seconds() - s);
		n++;
	} while (bench_more(b->opts, n, t0.wall));
	bench_now(&t1);
	r->iters += n;
	bench_account(r, &t0, &t1);
}

/*
 * One pass of COPY jobs; the first pass starts with an unmeasured job,
 * which pins the host pages and backs the HBM pages.
 */
void bench_measure_job(struct bench *b, struct dojo_cmdbuf *cmd,
		       struct bench_result *r, unsigned int pass)
{
	struct bench_clock t0, t1;
	uint64_t n = 0;
	double s;
	int err;

	if (!pass) {
		err = bench_run_job(b, 0, cmd, r->note, sizeof(r->note));
		if (err) {
			r->err = err;
			return;
		}
	}
	bench_now(&t0);
	do {
		s = bench_seconds();
		err = bench_run_job(b, 0, cmd, r->note, sizeof(r->note));
		if (err) {
			r->err = err;
			break;
		}
		bench_sample(r, bench_seconds() - s);
		n++;
	} while (bench_more(b->opts, n, t0.wall));
	bench_now(&t1);
	r->iters += n;
	bench_account(r, &t0, &t1);
}

static int copy_cmd(struct dojo_cmdbuf *cmd, struct copy_bufs *bufs, int d,
		    uint64_t size)
{
	dojo_cmdbuf_reset(cmd);
	switch (d) {
	case COPY_H2D:
		return dojo_cmdbuf_copy(cmd, bufs->hbm_a, 0, bufs->host_src, 0,
					size);
	case COPY_D2H:
		return dojo_cmdbuf_copy(cmd, bufs->host_dst, 0, bufs->hbm_a, 0,
					size);
	case COPY_D2D:
		return dojo_cmdbuf_copy(cmd, bufs->hbm_b, 0, bufs->hbm_a, 0,
					size);
	case COPY_H2T:
		return dojo_cmdbuf_copy(cmd, bufs->tile, 0, bufs->host_src, 0,
					size);
	case COPY_T2H:
		return dojo_cmdbuf_copy(cmd, bufs->host_dst, 0, bufs->tile, 0,
					size);
	case COPY_D2T:
		return dojo_cmdbuf_copy(cmd, bufs->tile, 0, bufs->hbm_a, 0,
					size);
	case COPY_T2D:
		return dojo_cmdbuf_copy(cmd, bufs->hbm_a, 0, bufs->tile, 0,
					size);
	}
	return -EINVAL;
}

/*
 * One size: the cases take turns, pass after pass, so that all of them
 * see the same (possibly busy) host; ratios come from the medians.
 */
static void copy_size(struct bench *b, const char *bench,
		      const enum copy_dir *dirs, unsigned int ndirs,
		      struct copy_bufs *bufs, struct dojo_cmdbuf *cmd,
		      uint64_t size)
{
	struct bench_result *r[MAX_CASES];
	unsigned int pass, i;
	int err;

	for (i = 0; i < ndirs; i++) {
		r[i] = bench_add(b, bench, dir_name[dirs[i]]);
		if (!r[i])
			return;
		r[i]->size = size;
		if (dirs[i] != COPY_MEMCPY)
			snprintf(r[i]->baseline, sizeof(r[i]->baseline),
				 "memcpy");
	}
	for (pass = 0; pass < b->opts->passes; pass++) {
		for (i = 0; i < ndirs; i++) {
			if (r[i]->err)
				continue;
			if (dirs[i] == COPY_MEMCPY) {
				measure_memcpy(b, bufs, r[i], pass);
				continue;
			}
			err = copy_cmd(cmd, bufs, dirs[i], size);
			if (err) {
				r[i]->err = err;
				snprintf(r[i]->note, sizeof(r[i]->note),
					 "cmdbuf: %s", dojo_strerror(err));
				continue;
			}
			bench_measure_job(b, cmd, r[i], pass);
		}
	}
	for (i = 0; i < ndirs; i++)
		bench_finish(r[i]);
	for (i = 1; i < ndirs; i++)
		if (!r[i]->err && !r[0]->err && r[0]->rate_p50 > 0)
			r[i]->ratio = r[i]->rate_p50 / r[0]->rate_p50;
}

static int copy_run(struct bench *b, const char *bench,
		    const enum copy_dir *dirs, unsigned int ndirs, bool tile)
{
	const struct bench_opts *o = b->opts;
	struct copy_bufs bufs = { 0 };
	struct dojo_cmdbuf *cmd = NULL;
	uint64_t size;
	int err;

	err = copy_setup(b, &bufs, o->max_size, tile);
	if (!err)
		err = dojo_cmdbuf_new(&cmd);
	if (err) {
		fprintf(stderr, "dojo-bench: %s: buffers of %llu bytes: %s\n",
			bench, (unsigned long long)o->max_size,
			dojo_strerror(err));
		goto out;
	}
	for (size = o->min_size; size <= o->max_size; size *= 4) {
		copy_size(b, bench, dirs, ndirs, &bufs, cmd, size);
		if (size > o->max_size / 4)
			break;
	}
out:
	dojo_cmdbuf_free(cmd);
	copy_teardown(&bufs);
	return err;
}

int bench_copy(struct bench *b)
{
	return copy_run(b, "copy", copy_dirs, sizeof(copy_dirs) / sizeof(copy_dirs[0]),
			false);
}

/* Needs the DIP's TTP link up: the tile buffer lives in the tile's SRAM. */
int bench_ttp(struct bench *b)
{
	return copy_run(b, "ttp", ttp_dirs, sizeof(ttp_dirs) / sizeof(ttp_dirs[0]),
			true);
}
