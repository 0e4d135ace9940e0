// SPDX-License-Identifier: MIT
/*
 * dojo-bench --verify: move data through the card and prove it arrived.
 *
 * Job 1 (queue 0) copies a host buffer of random data into HBM and signals
 * a syncobj. Job 2 (queue 1, or 0 on a one-queue card) waits for that
 * syncobj, has the card compute the CRC-32 of the HBM copy, and copies HBM
 * back into a second, zeroed, host buffer. The CPU then checks the
 * read-back byte for byte and compares the card's CRC with its own.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <zlib.h>

#include "bench.h"

struct verify {
	struct dojo_bo *src, *hbm, *dst, *res;
	struct dojo_cmdbuf *up, *down;
	uint32_t syncobj;
	void *psrc, *pdst, *pres;
};

static void fill_seeded(void *p, uint64_t len, uint64_t seed)
{
	uint8_t *c = p;
	uint64_t x = seed | 1, i;

	for (i = 0; i < len; i++) {
		if (!(i % 8)) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
		}
		c[i] = (uint8_t)(x >> (8 * (i % 8)));
	}
}

static const char *step;

static int verify_setup(struct bench *b, struct verify *v, uint64_t size)
{
	int err;

	step = "create buffers";
	err = dojo_bo_create(b->dev, size, DRM_DOJO_PLACEMENT_HOST, &v->src);
	if (!err)
		err = dojo_bo_create(b->dev, size, DRM_DOJO_PLACEMENT_HBM,
				     &v->hbm);
	if (!err)
		err = dojo_bo_create(b->dev, size, DRM_DOJO_PLACEMENT_HOST,
				     &v->dst);
	if (!err)
		err = dojo_bo_create(b->dev, 4096, DRM_DOJO_PLACEMENT_HOST,
				     &v->res);
	if (err)
		return err;
	step = "map buffers";
	err = dojo_bo_map(v->src, &v->psrc);
	if (!err)
		err = dojo_bo_map(v->dst, &v->pdst);
	if (!err)
		err = dojo_bo_map(v->res, &v->pres);
	if (err)
		return err;
	fill_seeded(v->psrc, size, (uint64_t)time(NULL) * 2654435761u);
	memset(v->pdst, 0, size);
	memset(v->pres, 0, 4096);

	step = "build command buffers";
	err = dojo_cmdbuf_new(&v->up);
	if (!err)
		err = dojo_cmdbuf_new(&v->down);
	if (!err)
		err = dojo_cmdbuf_copy(v->up, v->hbm, 0, v->src, 0, size);
	if (!err)
		err = dojo_cmdbuf_crc32(v->down, v->res, 0, v->hbm, 0, size);
	if (!err)
		err = dojo_cmdbuf_copy(v->down, v->dst, 0, v->hbm, 0, size);
	if (err)
		return err;
	step = "create syncobj";
	return dojo_syncobj_create(b->dev, 0, &v->syncobj);
}

static void verify_teardown(struct bench *b, struct verify *v)
{
	if (v->syncobj)
		dojo_syncobj_destroy(b->dev, v->syncobj);
	dojo_cmdbuf_free(v->up);
	dojo_cmdbuf_free(v->down);
	dojo_bo_free(v->src);
	dojo_bo_free(v->hbm);
	dojo_bo_free(v->dst);
	dojo_bo_free(v->res);
}

static int check_status(const char *what, const struct dojo_job_status *st)
{
	if (st->status == DRM_DOJO_JOB_DONE)
		return 0;
	if (st->status == DRM_DOJO_JOB_ERROR)
		fprintf(stderr, "dojo-bench: %s: job error: %s (command %u)\n",
			what, dojo_job_error_str(st->error), st->error_cmd);
	else
		fprintf(stderr, "dojo-bench: %s: job %s\n", what,
			dojo_job_status_str(st->status));
	return -EIO;
}

int bench_verify(struct bench *b)
{
	uint64_t size = b->opts->verify_size, job1, job2, i;
	struct dojo_job_status st1, st2;
	struct verify v = { 0 };
	struct drm_dojo_sync sync = { 0 };
	uint32_t queue2, card_crc, cpu_crc;
	const uint8_t *r;
	char human[32];
	double t0, t1;
	int err;

	bench_format_size(size, human, sizeof(human));
	err = verify_setup(b, &v, size);
	if (err)
		goto fail;
	sync.handle = v.syncobj;
	queue2 = b->info.num_dma_queues > 1 ? 1 : 0;

	t0 = bench_seconds();
	step = "submit host->HBM";
	err = dojo_submit(b->dev, 0, v.up, NULL, 0, &sync, &job1);
	if (err)
		goto fail;
	step = "submit HBM->host";
	err = dojo_submit(b->dev, queue2, v.down, &sync, 1, NULL, &job2);
	if (err)
		goto fail;
	step = "wait for HBM->host";
	err = dojo_job_wait(b->dev, job2, BENCH_JOB_TIMEOUT_NS, &st2);
	if (err)
		goto fail;
	step = "wait for host->HBM";
	err = dojo_job_wait(b->dev, job1, 0, &st1);
	if (err)
		goto fail;
	t1 = bench_seconds();
	err = check_status("host->HBM", &st1) ?: check_status("HBM->host", &st2);
	if (err)
		goto out;

	r = v.pres;
	card_crc = (uint32_t)r[0] | (uint32_t)r[1] << 8 | (uint32_t)r[2] << 16 |
		   (uint32_t)r[3] << 24;
	cpu_crc = (uint32_t)crc32_z(0, v.psrc, size);
	if (memcmp(v.psrc, v.pdst, size)) {
		for (i = 0; i < size; i++)
			if (((uint8_t *)v.psrc)[i] != ((uint8_t *)v.pdst)[i])
				break;
		fprintf(stderr,
			"dojo-bench: transfer FAILED: %s host->HBM->host, read-back differs at byte %llu\n",
			human, (unsigned long long)i);
		err = -EIO;
		goto out;
	}
	if (card_crc != cpu_crc) {
		fprintf(stderr,
			"dojo-bench: transfer FAILED: %s host->HBM->host, card crc32 0x%08x, CPU crc32 0x%08x\n",
			human, card_crc, cpu_crc);
		err = -EIO;
		goto out;
	}
	printf("transfer verified: %s host->HBM->host, crc32 0x%08x matches (card and CPU), read-back identical (2 jobs on queues 0 and %u ordered by a syncobj, %.1f ms)\n",
	       human, card_crc, queue2, (t1 - t0) * 1e3);
	goto out;

fail:
	fprintf(stderr, "dojo-bench: verify: %s: %s\n", step, dojo_strerror(err));
out:
	verify_teardown(b, &v);
	return err;
}
