// SPDX-License-Identifier: MIT
/*
 * dojo-bench roundtrip: one NOP job, submitted and waited for, one at a
 * time, beside the cheapest round trip between two threads the kernel
 * offers: an eventfd ping-pong (thread A writes, B reads and answers, A
 * reads the answer). Both cross the kernel twice and wake a sleeping task;
 * the job also goes through the scheduler, the card and its interrupt.
 *
 * The ping-pong runs twice: with the threads where the scheduler puts them
 * (usually two CPUs, so each wake-up is an inter-processor interrupt), and
 * with both threads on one CPU (two context switches, no IPI), the
 * stricter baseline.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "bench.h"

#define PP_STOP		2	/* a ping of this value ends the ponger */

struct pingpong {
	int ping;
	int pong;
	int cpu;		/* pin both threads here, or -1 */
	bool thread;
	pthread_t thr;
	cpu_set_t saved;	/* the main thread's affinity while pinned */
};

static int efd_write(int fd, uint64_t v)
{
	while (write(fd, &v, sizeof(v)) != sizeof(v))
		if (errno != EINTR)
			return -errno;
	return 0;
}

static int efd_read(int fd)
{
	uint64_t v;

	while (read(fd, &v, sizeof(v)) != sizeof(v))
		if (errno != EINTR)
			return -errno;
	return 0;
}

static int pin_self(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof(set), &set) ? -errno : 0;
}

/* Thread B: answer every ping until the stop value. */
static void *ponger(void *arg)
{
	struct pingpong *pp = arg;
	uint64_t v;

	if (pp->cpu >= 0)
		pin_self(pp->cpu);
	for (;;) {
		if (read(pp->ping, &v, sizeof(v)) != sizeof(v)) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (v >= PP_STOP || efd_write(pp->pong, 1))
			break;
	}
	return NULL;
}

static int pp_start(struct pingpong *pp, int cpu)
{
	int err, i;

	pp->cpu = cpu;
	pp->ping = eventfd(0, EFD_CLOEXEC);
	pp->pong = eventfd(0, EFD_CLOEXEC);
	if (pp->ping < 0 || pp->pong < 0)
		return -errno;
	err = -pthread_create(&pp->thr, NULL, ponger, pp);
	if (err)
		return err;
	pp->thread = true;
	for (i = 0; i < 100 && !err; i++)	/* warm-up */
		err = efd_write(pp->ping, 1) ?: efd_read(pp->pong);
	return err;
}

static void pp_stop(struct pingpong *pp)
{
	if (pp->thread) {
		if (efd_write(pp->ping, PP_STOP))
			pthread_cancel(pp->thr);
		pthread_join(pp->thr, NULL);
	}
	if (pp->ping >= 0)
		close(pp->ping);
	if (pp->pong >= 0)
		close(pp->pong);
}

/* One pass of ping-pongs; the main thread joins the ponger's CPU if pinned. */
static int measure_pingpong(struct bench *b, struct pingpong *pp,
			    struct bench_result *r)
{
	struct bench_clock t0, t1;
	uint64_t n = 0;
	double s;
	int err = 0;

	if (pp->cpu >= 0) {
		if (sched_getaffinity(0, sizeof(pp->saved), &pp->saved))
			return -errno;
		err = pin_self(pp->cpu);
		if (err)
			return err;
	}
	bench_now(&t0);
	do {
		s = bench_seconds();
		err = efd_write(pp->ping, 1) ?: efd_read(pp->pong);
		if (err)
			break;
		bench_sample(r, bench_seconds() - s);
		n++;
	} while (bench_more(b->opts, n, t0.wall));
	bench_now(&t1);
	r->iters += n;
	bench_account(r, &t0, &t1);
	if (pp->cpu >= 0)
		sched_setaffinity(0, sizeof(pp->saved), &pp->saved);
	return err;
}

/* One pass of NOP jobs, each submitted once the previous one ended. */
static int measure_nop(struct bench *b, struct dojo_cmdbuf *cmd,
		       struct bench_result *r)
{
	struct bench_clock t0, t1;
	uint64_t n = 0;
	double s;
	int err;

	bench_now(&t0);
	do {
		s = bench_seconds();
		err = bench_run_job(b, 0, cmd, r->note, sizeof(r->note));
		if (err)
			break;
		bench_sample(r, bench_seconds() - s);
		n++;
	} while (bench_more(b->opts, n, t0.wall));
	bench_now(&t1);
	r->iters += n;
	bench_account(r, &t0, &t1);
	return err;
}

int bench_roundtrip(struct bench *b)
{
	struct pingpong free_pp = { .ping = -1, .pong = -1 };
	struct pingpong one_pp = { .ping = -1, .pong = -1 };
	struct bench_result *rfree, *rone, *rnop;
	struct dojo_cmdbuf *cmd = NULL;
	unsigned int pass;
	int err, i, cpu;

	rfree = bench_add(b, "roundtrip", "eventfd-pingpong");
	rone = bench_add(b, "roundtrip", "eventfd-pingpong-1cpu");
	rnop = bench_add(b, "roundtrip", "nop-job");
	if (!rfree || !rone || !rnop)
		return -ENOSPC;
	snprintf(rnop->baseline, sizeof(rnop->baseline), "%s", rfree->name);

	cpu = sched_getcpu();
	rfree->err = pp_start(&free_pp, -1);
	rone->err = cpu < 0 ? -errno : pp_start(&one_pp, cpu);

	err = dojo_cmdbuf_new(&cmd);
	if (!err)
		err = dojo_cmdbuf_nop(cmd);
	for (i = 0; i < 20 && !err; i++)	/* warm-up */
		err = bench_run_job(b, 0, cmd, rnop->note, sizeof(rnop->note));
	rnop->err = err;

	/* The three take turns, so that all see the same host. */
	for (pass = 0; pass < b->opts->passes; pass++) {
		if (!rfree->err)
			rfree->err = measure_pingpong(b, &free_pp, rfree);
		if (!rone->err)
			rone->err = measure_pingpong(b, &one_pp, rone);
		if (!rnop->err)
			rnop->err = measure_nop(b, cmd, rnop);
	}
	bench_finish(rfree);
	bench_finish(rone);
	bench_finish(rnop);
	if (!rnop->err && !rfree->err && rfree->p50_op > 0)
		rnop->ratio = rnop->p50_op / rfree->p50_op;

	pp_stop(&free_pp);
	pp_stop(&one_pp);
	dojo_cmdbuf_free(cmd);
	return 0;
}
