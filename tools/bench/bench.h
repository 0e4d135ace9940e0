/* SPDX-License-Identifier: MIT */
/* dojo-bench: shared declarations of the benchmarks and their output. */
#ifndef DOJO_BENCH_H
#define DOJO_BENCH_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <dojo.h>

/* the project's version, from the top-level VERSION file */
#define BENCH_VERSION		DOJO_VERSION
#define BENCH_MAX_RESULTS	256
#define BENCH_MAX_PASSES	16
#define BENCH_MAX_INFLIGHT	1024	/* the driver keeps 1024 job statuses */
#define BENCH_JOB_TIMEOUT_NS	(60 * 1000000000LL)

/* What to run and how long: the command line. */
struct bench_opts {
	bool json;
	bool pretty;
	bool copy;
	bool roundtrip;
	bool jobs;
	bool ttp;
	bool ttp_auto;			/* ttp if the DIP's tile link is up */
	bool link;
	const char *link_a;		/* link: send on this interface */
	const char *link_b;		/* link: receive (and echo) on this one */
	bool zplane;
	const char *zp_peer;		/* zplane: the second DIP */
	uint64_t min_size;
	uint64_t max_size;
	double min_time;		/* seconds per measurement */
	unsigned int min_iters;
	uint64_t max_iters;
	unsigned int passes;		/* cases alternate this many times */
	unsigned int inflight[16];
	unsigned int num_inflight;
	unsigned int queues;		/* jobs: round-robin over this many */
	uint64_t verify_size;		/* --verify: bytes, 0 to benchmark */
	const char *json_file;		/* JSON here too, beside the table */
};

/* Process and system-wide CPU time, and wall time, at one moment. */
struct bench_clock {
	double wall;			/* CLOCK_MONOTONIC seconds */
	double cpu_proc;		/* this process: user + sys, all threads */
	double cpu_all;			/* all CPUs busy (/proc/stat) */
};

/**
 * struct bench_result - one measurement, one row of the output
 * @bench: "copy", "roundtrip", "jobs" or "link"
 * @name: what was measured ("memcpy", "host->HBM", "nop-job", ...)
 * @size: bytes per operation (copy, link stream), else 0
 * @inflight: jobs kept outstanding (jobs), else 0
 * @iters: operations measured, over all passes
 * @elapsed: wall seconds of the measurement, over all passes
 * @time_op: seconds per operation, mean
 * @min_op, @p50_op, @p99_op: seconds per operation, from the samples
 *	(copy and roundtrip; 0 for jobs)
 * @rate: bytes/s (copy) or operations/s, from the mean
 * @rate_p50: the same from the median operation (copy, roundtrip)
 * @baseline: name of the row @ratio compares with, "" for a baseline row
 * @ratio: copy: bandwidth / memcpy bandwidth; roundtrip: time / ping-pong
 *	   time (both from medians); jobs: rate / first rate; 0 if none
 * @cpu_proc: this process's user + sys seconds during the measurement
 * @cpu_all: busy seconds of all CPUs (the card model's work included)
 * @sent: frames the link stream's sender sent (@iters were received)
 * @err: 0, or the negative errno the measurement failed with
 * @note: why it failed
 * @samples: per-operation seconds while measuring, freed by bench_finish()
 */
struct bench_result {
	const char *bench;
	char name[32];
	uint64_t size;
	unsigned int inflight;
	uint64_t iters;
	double elapsed;
	double time_op;
	double min_op;
	double p50_op;
	double p99_op;
	double rate;
	double rate_p50;
	char baseline[32];
	double ratio;
	double cpu_proc;
	double cpu_all;
	uint64_t sent;
	int err;
	char note[96];
	double *samples;
	uint64_t nsamples;
	uint64_t cap;
};

struct bench {
	const struct bench_opts *opts;
	struct dojo_device *dev;	/* NULL when only the link is measured */
	struct drm_dojo_device_info info;
	struct bench_result results[BENCH_MAX_RESULTS];
	unsigned int num_results;
};

/* measure.c */
void bench_now(struct bench_clock *c);
/* Add the time and CPU between two readings to @r. */
void bench_account(struct bench_result *r, const struct bench_clock *a,
		   const struct bench_clock *b);
/* Another operation wanted in this pass, after @iters since @start? */
bool bench_more(const struct bench_opts *o, uint64_t iters, double start);
/* Record one operation's duration (kept up to a bound per pass). */
void bench_sample(struct bench_result *r, double seconds);
/* Means, medians and rates once every pass is done; frees the samples. */
void bench_finish(struct bench_result *r);
struct bench_result *bench_add(struct bench *b, const char *bench,
			       const char *name);
void bench_free_results(struct bench *b);
double bench_seconds(void);
void bench_format_size(uint64_t bytes, char *buf, unsigned int len);
/* Run @cb on @queue and wait: 0, -errno, or -EIO with @why set. */
int bench_run_job(struct bench *b, uint32_t queue, struct dojo_cmdbuf *cb,
		  char *why, unsigned int why_len);

/* The benchmarks; each adds its rows. 0, or -errno on a setup failure. */
int bench_copy(struct bench *b);
/* One pass of @cmd run as jobs one at a time, into @r (copy.c). */
void bench_measure_job(struct bench *b, struct dojo_cmdbuf *cmd,
		       struct bench_result *r, unsigned int pass);
int bench_zplane(struct bench *b);
int bench_ttp(struct bench *b);
int bench_roundtrip(struct bench *b);
int bench_jobs(struct bench *b);
int bench_verify(struct bench *b);
int bench_link(struct bench *b);

/* output.c */
void bench_print_table(const struct bench *b);
int bench_print_json(const struct bench *b, FILE *out);

#endif /* DOJO_BENCH_H */
