// SPDX-License-Identifier: MIT
/* dojo-bench: clocks, CPU accounting, statistics and small utilities. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"

double bench_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Busy time of all CPUs: everything in /proc/stat's "cpu" line but idle. */
static double cpu_all_seconds(void)
{
	unsigned long long v[8] = { 0 };
	static long hz;
	double busy;
	FILE *f;
	int n;

	if (!hz)
		hz = sysconf(_SC_CLK_TCK);
	f = fopen("/proc/stat", "re");
	if (!f)
		return 0;
	n = fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0],
		   &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7]);
	fclose(f);
	if (n < 4 || hz <= 0)
		return 0;
	/* user nice system idle iowait irq softirq steal */
	busy = (double)(v[0] + v[1] + v[2] + v[5] + v[6] + v[7]);
	return busy / (double)hz;
}

void bench_now(struct bench_clock *c)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	c->cpu_proc = (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec * 1e-6 +
		      (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec * 1e-6;
	c->cpu_all = cpu_all_seconds();
	c->wall = bench_seconds();
}

void bench_account(struct bench_result *r, const struct bench_clock *a,
		   const struct bench_clock *b)
{
	r->elapsed += b->wall - a->wall;
	r->cpu_proc += b->cpu_proc - a->cpu_proc;
	r->cpu_all += b->cpu_all - a->cpu_all;
}

/* Each pass gets its share of the minimum time and iterations. */
bool bench_more(const struct bench_opts *o, uint64_t iters, double start)
{
	uint64_t min = (o->min_iters + o->passes - 1) / o->passes;

	if (iters < min)
		return true;
	if (iters >= o->max_iters / o->passes)
		return false;
	return bench_seconds() - start < o->min_time / o->passes;
}

#define SAMPLES_MAX	(1u << 19)	/* per result, 4 MiB */

void bench_sample(struct bench_result *r, double seconds)
{
	double *p;

	if (r->nsamples >= r->cap) {
		if (r->cap >= SAMPLES_MAX)
			return;
		p = realloc(r->samples, (r->cap ? r->cap * 2 : 256) *
			    sizeof(*p));
		if (!p)
			return;
		r->samples = p;
		r->cap = r->cap ? r->cap * 2 : 256;
	}
	r->samples[r->nsamples++] = seconds;
}

struct bench_result *bench_add(struct bench *b, const char *bench,
			       const char *name)
{
	struct bench_result *r;

	if (b->num_results >= BENCH_MAX_RESULTS)
		return NULL;
	r = &b->results[b->num_results++];
	memset(r, 0, sizeof(*r));
	r->bench = bench;
	snprintf(r->name, sizeof(r->name), "%s", name);
	return r;
}

void bench_free_results(struct bench *b)
{
	unsigned int i;

	for (i = 0; i < b->num_results; i++) {
		free(b->results[i].samples);
		b->results[i].samples = NULL;
	}
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

void bench_finish(struct bench_result *r)
{
	uint64_t n = r->nsamples;
	double scale = r->size ? (double)r->size : 1.0;

	if (r->iters && r->elapsed > 0) {
		r->time_op = r->elapsed / (double)r->iters;
		r->rate = scale / r->time_op;
	}
	if (n) {
		qsort(r->samples, n, sizeof(*r->samples), cmp_double);
		r->min_op = r->samples[0];
		r->p50_op = n % 2 ? r->samples[n / 2] :
			    (r->samples[n / 2 - 1] + r->samples[n / 2]) / 2;
		r->p99_op = r->samples[(n * 99) / 100];
		if (r->p50_op > 0)
			r->rate_p50 = scale / r->p50_op;
	}
	free(r->samples);
	r->samples = NULL;
	r->nsamples = r->cap = 0;
}


void bench_format_size(uint64_t bytes, char *buf, unsigned int len)
{
	static const char *const unit[] = { "B", "KiB", "MiB", "GiB" };
	unsigned int u = 0;

	while (u < 3 && bytes >= 1024 && !(bytes % 1024)) {
		bytes /= 1024;
		u++;
	}
	snprintf(buf, len, "%llu %s", (unsigned long long)bytes, unit[u]);
}

int bench_run_job(struct bench *b, uint32_t queue, struct dojo_cmdbuf *cb,
		  char *why, unsigned int why_len)
{
	struct dojo_job_status st;
	uint64_t id;
	int err;

	err = dojo_submit(b->dev, queue, cb, NULL, 0, NULL, &id);
	if (err) {
		snprintf(why, why_len, "submit: %s", dojo_strerror(err));
		return err;
	}
	err = dojo_job_wait(b->dev, id, BENCH_JOB_TIMEOUT_NS, &st);
	if (err) {
		snprintf(why, why_len, "wait: %s", dojo_strerror(err));
		return err;
	}
	if (st.status != DRM_DOJO_JOB_DONE) {
		if (st.status == DRM_DOJO_JOB_ERROR)
			snprintf(why, why_len, "job error: %s (command %u)",
				 dojo_job_error_str(st.error), st.error_cmd);
		else
			snprintf(why, why_len, "job %s",
				 dojo_job_status_str(st.status));
		return -EIO;
	}
	return 0;
}
