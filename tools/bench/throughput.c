// SPDX-License-Identifier: MIT
/*
 * dojo-bench jobs: NOP jobs per second with N jobs outstanding. N jobs are
 * submitted, then each time the oldest ends another is submitted, so N
 * stay in flight; with --queues Q the jobs go round-robin over Q queues.
 * The ratio compares with one job in flight (or the first N measured).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "bench.h"

static int wait_done(struct bench *b, uint64_t id, struct bench_result *r)
{
	struct dojo_job_status st;
	int err;

	err = dojo_job_wait(b->dev, id, BENCH_JOB_TIMEOUT_NS, &st);
	if (err) {
		snprintf(r->note, sizeof(r->note), "wait: %s",
			 dojo_strerror(err));
		return err;
	}
	if (st.status != DRM_DOJO_JOB_DONE) {
		snprintf(r->note, sizeof(r->note), "job %s",
			 dojo_job_status_str(st.status));
		return -EIO;
	}
	return 0;
}

/* One pass with @n jobs kept in flight. */
static void measure_inflight(struct bench *b, struct dojo_cmdbuf *cmd,
			     unsigned int n, struct bench_result *r)
{
	unsigned int queues = b->opts->queues, head = 0, pending = 0, i;
	uint64_t *ids, next = 0, done = 0;
	struct bench_clock t0, t1;
	int err = 0;

	ids = calloc(n, sizeof(*ids));
	if (!ids) {
		r->err = -ENOMEM;
		return;
	}

	bench_now(&t0);
	for (i = 0; i < n && !err; i++, pending++)
		err = dojo_submit(b->dev, (uint32_t)(next++ % queues), cmd,
				  NULL, 0, NULL, &ids[i]);
	while (!err) {
		err = wait_done(b, ids[head], r);
		if (err)
			break;
		pending--;
		done++;
		if (!bench_more(b->opts, done, t0.wall))
			break;
		err = dojo_submit(b->dev, (uint32_t)(next++ % queues), cmd,
				  NULL, 0, NULL, &ids[head]);
		if (err)
			break;
		pending++;
		head = (head + 1) % n;
	}
	/* Drain: the jobs still in flight count too. */
	while (!err && pending) {
		head = (head + 1) % n;
		err = wait_done(b, ids[head], r);
		pending--;
		done++;
	}
	bench_now(&t1);
	if (err) {
		r->err = err;
		if (!r->note[0])
			snprintf(r->note, sizeof(r->note), "submit: %s",
				 dojo_strerror(err));
	}
	r->iters += done;
	bench_account(r, &t0, &t1);
	free(ids);
}

int bench_jobs(struct bench *b)
{
	const struct bench_opts *o = b->opts;
	struct bench_result *r[16], *base = NULL;
	struct dojo_cmdbuf *cmd;
	unsigned int i, n = 0, pass;
	char name[32];
	int err;

	err = dojo_cmdbuf_new(&cmd);
	if (!err)
		err = dojo_cmdbuf_nop(cmd);
	if (err) {
		dojo_cmdbuf_free(cmd);
		return err;
	}
	for (i = 0; i < o->num_inflight; i++, n++) {
		snprintf(name, sizeof(name), "nop-inflight-%u", o->inflight[i]);
		r[i] = bench_add(b, "jobs", name);
		if (!r[i])
			break;
		r[i]->inflight = o->inflight[i];
	}
	for (pass = 0; pass < o->passes; pass++)
		for (i = 0; i < n; i++)
			if (!r[i]->err)
				measure_inflight(b, cmd, r[i]->inflight, r[i]);
	for (i = 0; i < n; i++) {
		bench_finish(r[i]);
		if (r[i]->err)
			continue;
		if (!base) {
			base = r[i];
			continue;
		}
		snprintf(r[i]->baseline, sizeof(r[i]->baseline), "%s",
			 base->name);
		if (base->rate > 0)
			r[i]->ratio = r[i]->rate / base->rate;
	}
	dojo_cmdbuf_free(cmd);
	return 0;
}
