// SPDX-License-Identifier: MIT
/*
 * allreduce: a ring all-reduce of float32 vectors across N DIPs over the
 * Z-plane, with libdojo, in one process that opens every DIP.
 *
 *	allreduce [-n DIPS] [-c COUNT] [-v]
 *
 * Each DIP holds a vector of COUNT floats in its HBM. The vectors are cut
 * into N chunks. In N - 1 reduce-scatter steps every DIP sends one chunk
 * to the next DIP of the ring, which adds it to its own copy of that
 * chunk; afterwards DIP i holds the full sum of chunk (i + 1) mod N. In
 * N - 1 all-gather steps the summed chunks travel once more around the
 * ring, each DIP storing what it receives, until every DIP holds the whole
 * sum. The result is checked element by element against the sum computed
 * on the CPU.
 *
 * A chunk moves by remote DMA: each DIP grants its receive buffer (in its
 * HBM) to the Z-plane, writable; its predecessor in the ring imports the
 * grant as a remote buffer and COPYs from its own HBM into it.
 *
 * The additions are done on the host: the DIP's DMA engine moves and
 * checks bytes (COPY, FILL, CRC32) but has no arithmetic. The receiving
 * DIP copies both chunks from HBM into a host buffer, the CPU adds them,
 * and the DIP copies the sum back into its HBM.
 *
 * The vectors hold small whole numbers, so that every partial sum is
 * exact in float32 whatever the order of the additions, and the ring's
 * result must equal the CPU's bit for bit.
 *
 * Exit status: 0 verified, 1 a failure (said on stderr), 2 usage.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <dojo.h>

#define SEC		1000000000LL
#define JOB_TIMEOUT	(60 * SEC)
#define QUEUE		0

/**
 * struct dip - one DIP of the ring and its buffers
 * @dev: the open DIP
 * @data: the vector, in HBM
 * @recv: where the previous DIP sends a chunk, in HBM; granted writable
 * @grant: the grant of @recv, which the previous DIP imports
 * @next_recv: the next DIP's @recv, imported as a remote buffer
 * @host: host copy of the vector, for the start, the adds and the check
 * @host_recv: host copy of a received chunk
 * @v, @v_recv: the CPU's view of @host and @host_recv
 * @job: the job this DIP runs in the current stage, 0 for none
 */
struct dip {
	struct dojo_device *dev;
	struct dojo_bo *data, *recv, *next_recv, *host, *host_recv;
	struct dojo_grant grant;
	float *v, *v_recv;
	uint64_t job;
};

static int verbose;

static void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void fail(const char *fmt, ...)
{
	va_list ap;

	fputs("allreduce: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static void check(int err, const char *what, int i)
{
	if (err)
		fail("DIP %d: %s: %s", i, what, dojo_strerror(err));
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Chunk @c of @n over @count floats: first element and length. */
static void chunk(uint64_t count, int n, int c, uint64_t *first,
		  uint64_t *len)
{
	uint64_t base = count / n, rest = count % n;

	*first = c * base + ((uint64_t)c < rest ? (uint64_t)c : rest);
	*len = base + ((uint64_t)c < rest);
}

static int ring(int i, int n)
{
	return ((i % n) + n) % n;
}

/* ---- jobs ---------------------------------------------------------------- */

/* Queue the commands of @cb on @d (nothing when it has none). */
static void submit(struct dip *d, int i, struct dojo_cmdbuf *cb)
{
	d->job = 0;
	if (!dojo_cmdbuf_num_cmds(cb))
		return;
	check(dojo_submit(d->dev, QUEUE, cb, NULL, 0, NULL, &d->job),
	      "submit", i);
	dojo_cmdbuf_reset(cb);
}

/* Wait for every DIP's job of the stage; any status but DONE fails. */
static void wait_all(struct dip *dips, int n, const char *stage)
{
	struct dojo_job_status st;
	int i;

	for (i = 0; i < n; i++) {
		if (!dips[i].job)
			continue;
		check(dojo_job_wait(dips[i].dev, dips[i].job, JOB_TIMEOUT, &st),
		      stage, i);
		if (st.status != DRM_DOJO_JOB_DONE)
			fail("DIP %d: %s: job %s%s%s", i, stage,
			     dojo_job_status_str(st.status),
			     st.status == DRM_DOJO_JOB_ERROR ? ": " : "",
			     st.status == DRM_DOJO_JOB_ERROR ?
			     dojo_job_error_str(st.error) : "");
		dips[i].job = 0;
	}
}

/* ---- set-up -------------------------------------------------------------- */

static void open_dips(struct dip *dips, int n, uint64_t count)
{
	uint64_t bytes = count * sizeof(float), first, max_len;
	struct drm_dojo_zplane_info z;
	int i;

	chunk(count, n, 0, &first, &max_len);
	for (i = 0; i < n; i++) {
		struct dip *d = &dips[i];
		void *p;

		check(dojo_open_index(i, &d->dev), "open", i);
		check(dojo_zplane_info(d->dev, &z), "Z-plane query", i);
		if (z.link_state != DRM_DOJO_ZPLANE_LINK_UP)
			fail("DIP %d (%s): the Z-plane link is %s", i,
			     dojo_device_path(d->dev),
			     dojo_zplane_link_state_name(z.link_state) ?: "?");
		check(dojo_bo_create(d->dev, bytes, DRM_DOJO_PLACEMENT_HBM,
				     &d->data), "HBM vector", i);
		check(dojo_bo_create(d->dev, max_len * sizeof(float),
				     DRM_DOJO_PLACEMENT_HBM, &d->recv),
		      "HBM receive buffer", i);
		check(dojo_bo_create(d->dev, bytes, DRM_DOJO_PLACEMENT_HOST,
				     &d->host), "host vector", i);
		check(dojo_bo_create(d->dev, max_len * sizeof(float),
				     DRM_DOJO_PLACEMENT_HOST, &d->host_recv),
		      "host receive buffer", i);
		check(dojo_bo_map(d->host, &p), "map", i);
		d->v = p;
		check(dojo_bo_map(d->host_recv, &p), "map", i);
		d->v_recv = p;
		check(dojo_grant_create(d->recv, 0, max_len * sizeof(float),
					DRM_DOJO_GRANT_WRITE, &d->grant),
		      "grant the receive buffer", i);
		if (verbose)
			printf("DIP %d: %s, node 0x%06x, grant %u\n", i,
			       dojo_device_path(d->dev), d->grant.node_id,
			       d->grant.grant_id);
	}
	/* each DIP imports its successor's grant */
	for (i = 0; i < n; i++) {
		const struct dojo_grant *g = &dips[ring(i + 1, n)].grant;

		check(dojo_remote_import(dips[i].dev, g->node_id, g->grant_id,
					 g->key, g->size, &dips[i].next_recv),
		      "import the next DIP's grant", i);
	}
}

static void close_dips(struct dip *dips, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		dojo_bo_free(dips[i].next_recv);
		dojo_grant_revoke(dips[i].dev, &dips[i].grant);
	}
	for (i = 0; i < n; i++) {
		dojo_bo_free(dips[i].host_recv);
		dojo_bo_free(dips[i].host);
		dojo_bo_free(dips[i].recv);
		dojo_bo_free(dips[i].data);
		dojo_close(dips[i].dev);
	}
}

/* Element @k of DIP @i's vector: a small whole number, exact in float32. */
static float value(int i, uint64_t k)
{
	return (float)((int)((k * 31 + (uint64_t)i * 17) % 201) - 100);
}

/* Fill each DIP's vector through its host buffer. */
static void load(struct dip *dips, int n, uint64_t count,
		 struct dojo_cmdbuf *cb)
{
	uint64_t k;
	int i;

	for (i = 0; i < n; i++) {
		for (k = 0; k < count; k++)
			dips[i].v[k] = value(i, k);
		check(dojo_cmdbuf_copy(cb, dips[i].data, 0, dips[i].host, 0,
				       count * sizeof(float)), "command", i);
		submit(&dips[i], i, cb);
	}
	wait_all(dips, n, "load the vector into HBM");
}

/* ---- the ring ------------------------------------------------------------ */

/*
 * Every DIP i sends chunk @send(i) to DIP i + 1's receive buffer, all at
 * once, and waits for the transfers.
 */
static void send_chunks(struct dip *dips, int n, uint64_t count, int step,
			bool gather, struct dojo_cmdbuf *cb)
{
	uint64_t first, len;
	int i;

	for (i = 0; i < n; i++) {
		int c = ring(gather ? i + 1 - step : i - step, n);

		chunk(count, n, c, &first, &len);
		if (len)
			check(dojo_cmdbuf_copy(cb, dips[i].next_recv, 0,
					       dips[i].data,
					       first * sizeof(float),
					       len * sizeof(float)),
			      "command", i);
		submit(&dips[i], i, cb);
	}
	wait_all(dips, n, "send a chunk over the Z-plane");
}

/*
 * Reduce-scatter: DIP i received chunk c = i - 1 - step; it copies the
 * chunk and its own chunk c to the host, the CPU adds them, and the sum
 * goes back into its HBM.
 */
static void add_received(struct dip *dips, int n, uint64_t count, int step,
			 struct dojo_cmdbuf *cb)
{
	uint64_t first, len, k;
	int i;

	for (i = 0; i < n; i++) {
		chunk(count, n, ring(i - 1 - step, n), &first, &len);
		if (!len)
			continue;
		check(dojo_cmdbuf_copy(cb, dips[i].host, first * sizeof(float),
				       dips[i].data, first * sizeof(float),
				       len * sizeof(float)) ?:
		      dojo_cmdbuf_copy(cb, dips[i].host_recv, 0, dips[i].recv,
				       0, len * sizeof(float)), "command", i);
		submit(&dips[i], i, cb);
	}
	wait_all(dips, n, "copy the chunks to the host");
	for (i = 0; i < n; i++) {
		chunk(count, n, ring(i - 1 - step, n), &first, &len);
		if (!len)
			continue;
		for (k = 0; k < len; k++)
			dips[i].v[first + k] += dips[i].v_recv[k];
		check(dojo_cmdbuf_copy(cb, dips[i].data, first * sizeof(float),
				       dips[i].host, first * sizeof(float),
				       len * sizeof(float)), "command", i);
		submit(&dips[i], i, cb);
	}
	wait_all(dips, n, "copy the sum back to HBM");
}

/* All-gather: DIP i received the summed chunk c = i - step; it stores it. */
static void store_received(struct dip *dips, int n, uint64_t count, int step,
			   struct dojo_cmdbuf *cb)
{
	uint64_t first, len;
	int i;

	for (i = 0; i < n; i++) {
		chunk(count, n, ring(i - step, n), &first, &len);
		if (len)
			check(dojo_cmdbuf_copy(cb, dips[i].data,
					       first * sizeof(float),
					       dips[i].recv, 0,
					       len * sizeof(float)),
			      "command", i);
		submit(&dips[i], i, cb);
	}
	wait_all(dips, n, "store the received chunk");
}

/* Every element of every DIP's vector against the CPU's sum. */
static void verify(struct dip *dips, int n, uint64_t count,
		   struct dojo_cmdbuf *cb)
{
	uint64_t k;
	int i, j;

	for (i = 0; i < n; i++) {
		memset(dips[i].v, 0xff, count * sizeof(float));
		check(dojo_cmdbuf_copy(cb, dips[i].host, 0, dips[i].data, 0,
				       count * sizeof(float)), "command", i);
		submit(&dips[i], i, cb);
	}
	wait_all(dips, n, "read the result");
	for (k = 0; k < count; k++) {
		float sum = 0;

		for (j = 0; j < n; j++)
			sum += value(j, k);
		for (i = 0; i < n; i++)
			if (dips[i].v[k] != sum)
				fail("mismatch: DIP %d element %" PRIu64
				     " is %g, the CPU's sum is %g", i, k,
				     dips[i].v[k], sum);
	}
}

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: allreduce [-n DIPS] [-c COUNT] [-v]\n"
		"Ring all-reduce of COUNT float32 per DIP across DIPS DIPs\n"
		"(default 4 and 1048576) over the Z-plane, checked on the CPU.\n");
}

int main(int argc, char **argv)
{
	struct dojo_cmdbuf *cb;
	struct dip *dips;
	uint64_t count = 1048576;
	int n = 4, c, step;
	double t0;
	char *end;

	while ((c = getopt(argc, argv, "n:c:vh")) != -1) {
		switch (c) {
		case 'n':
			n = (int)strtol(optarg, &end, 10);
			if (*end || n < 2 || n > 64) {
				fprintf(stderr, "allreduce: -n takes 2 to 64 DIPs\n");
				return 2;
			}
			break;
		case 'c':
			count = strtoull(optarg, &end, 10);
			if (*end || !count || count > (1ULL << 28)) {
				fprintf(stderr, "allreduce: -c takes 1 to 268435456 floats\n");
				return 2;
			}
			break;
		case 'v':
			verbose = 1;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc) {
		usage(stderr);
		return 2;
	}

	dips = calloc(n, sizeof(*dips));
	if (!dips || dojo_cmdbuf_new(&cb))
		fail("out of memory");
	open_dips(dips, n, count);
	load(dips, n, count, cb);

	t0 = now();
	for (step = 0; step < n - 1; step++) {
		send_chunks(dips, n, count, step, false, cb);
		add_received(dips, n, count, step, cb);
		if (verbose)
			printf("reduce-scatter step %d done (%.3f s)\n", step + 1,
			       now() - t0);
	}
	for (step = 0; step < n - 1; step++) {
		send_chunks(dips, n, count, step, true, cb);
		store_received(dips, n, count, step, cb);
		if (verbose)
			printf("all-gather step %d done (%.3f s)\n", step + 1,
			       now() - t0);
	}
	verify(dips, n, count, cb);
	printf("allreduce: %d DIPs, %" PRIu64 " floats, verified\n", n, count);

	dojo_cmdbuf_free(cb);
	close_dips(dips, n);
	free(dips);
	return 0;
}
