// SPDX-License-Identifier: MIT
/*
 * dojo-bench zplane: remote DMA over the Z-plane between the DIP under test
 * and a second DIP (--zplane DEV) whose TTPoE ports share an Ethernet
 * segment, beside the segment's own raw-frame figures from the link
 * benchmark of the same run (--link A,B, the same segment):
 *
 *   HBM->remote   COPY jobs from local HBM into the peer's granted HBM,
 *                 one at a time; ratio = median bandwidth / the raw
 *                 AF_PACKET stream's bandwidth (af_packet-1116B)
 *   remote->HBM   the same, read from the peer
 *   remote-64B    one 64-byte write to the peer, submit to end, one at a
 *                 time; ratio = median time / the raw 64-byte ping-pong's
 *                 median (af_packet-pingpong-64B)
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "bench.h"

#define ZP_MAX_SIZE	(16ull << 20)
#define ZP_SMALL	64

struct zp_bufs {
	struct dojo_device *peer;
	struct dojo_bo *local;		/* HBM of the DIP under test */
	struct dojo_bo *host;		/* seeds local with non-zero data */
	struct dojo_bo *target;		/* the peer's HBM, granted */
	struct dojo_bo *remote;		/* the grant, as seen from here */
	struct dojo_grant grant;
	bool granted;
};

static int zp_setup(struct bench *b, struct zp_bufs *z, uint64_t size)
{
	struct dojo_cmdbuf *cmd = NULL;
	char why[96];
	uint64_t i;
	void *p;
	int err;

	err = dojo_open(b->opts->zp_peer, &z->peer);
	if (err) {
		fprintf(stderr, "dojo-bench: zplane: %s: %s\n",
			b->opts->zp_peer, dojo_strerror(err));
		return err;
	}
	err = dojo_bo_create(z->peer, size, DRM_DOJO_PLACEMENT_HBM, &z->target);
	if (!err)
		err = dojo_grant_create(z->target, 0, size, DRM_DOJO_GRANT_WRITE,
					&z->grant);
	if (err)
		return err;
	z->granted = true;
	err = dojo_remote_import(b->dev, z->grant.node_id, z->grant.grant_id,
				 z->grant.key, size, &z->remote);
	if (!err)
		err = dojo_bo_create(b->dev, size, DRM_DOJO_PLACEMENT_HBM,
				     &z->local);
	if (!err)
		err = dojo_bo_create(b->dev, size, DRM_DOJO_PLACEMENT_HOST,
				     &z->host);
	if (!err)
		err = dojo_bo_map(z->host, &p);
	if (!err)
		err = dojo_cmdbuf_new(&cmd);
	if (err)
		goto out;
	for (i = 0; i < size; i++)
		((unsigned char *)p)[i] = (unsigned char)(i * 131 + 7);
	err = dojo_cmdbuf_copy(cmd, z->local, 0, z->host, 0, size);
	if (!err)
		err = bench_run_job(b, 0, cmd, why, sizeof(why));
	if (err)
		fprintf(stderr, "dojo-bench: zplane: seeding HBM: %s\n", why);
out:
	dojo_cmdbuf_free(cmd);
	return err;
}

static void zp_teardown(struct zp_bufs *z)
{
	dojo_bo_free(z->remote);
	dojo_bo_free(z->local);
	dojo_bo_free(z->host);
	if (z->granted)
		dojo_grant_revoke(z->peer, &z->grant);
	dojo_bo_free(z->target);
	if (z->peer)
		dojo_close(z->peer);
}

static const struct bench_result *find(const struct bench *b,
				       const char *bench, const char *name)
{
	unsigned int i;

	for (i = 0; i < b->num_results; i++)
		if (!strcmp(b->results[i].bench, bench) &&
		    !strcmp(b->results[i].name, name) && !b->results[i].err)
			return &b->results[i];
	return NULL;
}

/* One measurement of @cmd: rows of bench @bench, name @name, @size bytes. */
static struct bench_result *zp_measure(struct bench *b, const char *bench,
				       const char *name, uint64_t size,
				       struct dojo_cmdbuf *cmd)
{
	struct bench_result *r = bench_add(b, bench, name);
	unsigned int pass;

	if (!r)
		return NULL;
	r->size = size;
	for (pass = 0; pass < b->opts->passes && !r->err; pass++)
		bench_measure_job(b, cmd, r, pass);
	bench_finish(r);
	return r;
}

int bench_zplane(struct bench *b)
{
	const struct bench_result *stream = find(b, "link", "af_packet-1116B");
	const struct bench_result *pp = find(b, "link",
					     "af_packet-pingpong-64B");
	uint64_t max = b->opts->max_size < ZP_MAX_SIZE ? b->opts->max_size :
							 ZP_MAX_SIZE;
	struct zp_bufs z = { 0 };
	struct dojo_cmdbuf *cmd = NULL;
	struct bench_result *r;
	uint64_t size;
	int err;

	err = zp_setup(b, &z, max);
	if (!err)
		err = dojo_cmdbuf_new(&cmd);
	if (err) {
		fprintf(stderr, "dojo-bench: zplane: buffers of %llu bytes: %s\n",
			(unsigned long long)max, dojo_strerror(err));
		goto out;
	}
	for (size = b->opts->min_size < 64 << 10 ? 64 << 10 : b->opts->min_size;
	     size <= max; size *= 16) {
		dojo_cmdbuf_reset(cmd);
		err = dojo_cmdbuf_copy(cmd, z.remote, 0, z.local, 0, size);
		r = err ? NULL : zp_measure(b, "zplane", "HBM->remote", size, cmd);
		if (r && stream && stream->rate > 0) {
			snprintf(r->baseline, sizeof(r->baseline), "%s",
				 stream->name);
			r->ratio = r->rate_p50 / stream->rate;
		}
		dojo_cmdbuf_reset(cmd);
		err = dojo_cmdbuf_copy(cmd, z.local, 0, z.remote, 0, size);
		r = err ? NULL : zp_measure(b, "zplane", "remote->HBM", size, cmd);
		if (r && stream && stream->rate > 0) {
			snprintf(r->baseline, sizeof(r->baseline), "%s",
				 stream->name);
			r->ratio = r->rate_p50 / stream->rate;
		}
		if (err)
			goto out;
	}
	dojo_cmdbuf_reset(cmd);
	err = dojo_cmdbuf_copy(cmd, z.remote, 0, z.local, 0, ZP_SMALL);
	r = err ? NULL : zp_measure(b, "zplane-rt", "remote-64B", 0, cmd);
	if (r && pp && pp->p50_op > 0) {
		snprintf(r->baseline, sizeof(r->baseline), "%s", pp->name);
		r->ratio = r->p50_op / pp->p50_op;
	}
out:
	dojo_cmdbuf_free(cmd);
	zp_teardown(&z);
	return err;
}
