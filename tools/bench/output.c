// SPDX-License-Identifier: MIT
/*
 * dojo-bench output: a table per benchmark and the targets, or one JSON
 * document (schema "dojo-bench/1") whose keys are always present: a value
 * that does not apply is null, never a string in a numeric field.
 */
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "bench.h"

#define LARGE_COPY	(16ull << 20)	/* "large" copies start here */
#define COPY_TARGET	0.8		/* of memcpy's bandwidth */
#define RT_TARGET	3.0		/* eventfd ping-pongs per NOP round trip */

struct target {
	char name[64];
	const char *rule;
	bool at_least;			/* value >= threshold, else <= */
	double threshold;
	double value;			/* NAN: not measured */
	int met;			/* -1: not measured */
	char detail[96];
};

static const struct bench_result *find(const struct bench *b,
				       const char *bench, const char *name)
{
	unsigned int i;

	for (i = 0; i < b->num_results; i++)
		if (!strcmp(b->results[i].bench, bench) &&
		    !strcmp(b->results[i].name, name))
			return &b->results[i];
	return NULL;
}

/* The largest copy size measured without error, at least LARGE_COPY if any. */
static uint64_t large_from(const struct bench *b)
{
	uint64_t max = 0;
	unsigned int i;

	for (i = 0; i < b->num_results; i++)
		if (!strcmp(b->results[i].bench, "copy") &&
		    b->results[i].size > max)
			max = b->results[i].size;
	return max >= LARGE_COPY ? LARGE_COPY : max;
}

static unsigned int compute_targets(const struct bench *b, struct target *t)
{
	static const char *const dirs[] = { "host->HBM", "HBM->host",
					    "HBM->HBM" };
	uint64_t from = large_from(b);
	unsigned int n = 0, i, d;
	char sz[32], worst[32];

	bench_format_size(from, sz, sizeof(sz));
	for (d = 0; d < 3 && from; d++) {
		struct target *x = &t[n];
		uint64_t worst_size = 0;
		int seen = 0, failed = 0;

		memset(x, 0, sizeof(*x));
		snprintf(x->name, sizeof(x->name), "copy %s >= %s", dirs[d],
			 sz);
		x->rule = "median bandwidth / median memcpy bandwidth >= threshold";
		x->threshold = COPY_TARGET;
		x->at_least = true;
		x->value = NAN;
		for (i = 0; i < b->num_results; i++) {
			const struct bench_result *r = &b->results[i];

			if (strcmp(r->bench, "copy") || strcmp(r->name, dirs[d]) ||
			    r->size < from)
				continue;
			if (r->err || r->ratio <= 0) {
				failed = 1;
				continue;
			}
			if (!seen || r->ratio < x->value) {
				x->value = r->ratio;
				worst_size = r->size;
			}
			seen = 1;
		}
		if (!seen && !failed)
			continue;
		x->met = seen && !failed && x->value >= COPY_TARGET;
		if (failed) {
			snprintf(x->detail, sizeof(x->detail),
				 "a size failed to run");
		} else {
			bench_format_size(worst_size, worst, sizeof(worst));
			snprintf(x->detail, sizeof(x->detail), "worst at %s",
				 worst);
		}
		n++;
	}
	for (i = 0; i < b->num_results; i++) {
		const struct bench_result *r = &b->results[i], *one;
		struct target *x;

		if (strcmp(r->name, "nop-job"))
			continue;
		x = &t[n++];
		memset(x, 0, sizeof(*x));
		snprintf(x->name, sizeof(x->name), "NOP job round trip");
		x->rule = "median NOP round trip / median eventfd ping-pong <= threshold";
		x->threshold = RT_TARGET;
		x->value = r->ratio > 0 ? r->ratio : NAN;
		x->met = r->ratio > 0 ? r->ratio <= RT_TARGET : -1;
		snprintf(x->detail, sizeof(x->detail),
			 "threads where the scheduler puts them");

		one = find(b, "roundtrip", "eventfd-pingpong-1cpu");
		if (!one || one->err || r->err || one->p50_op <= 0)
			continue;
		x = &t[n++];
		memset(x, 0, sizeof(*x));
		snprintf(x->name, sizeof(x->name), "NOP job round trip");
		x->rule = "median NOP round trip / median eventfd ping-pong on one CPU <= threshold";
		x->threshold = RT_TARGET;
		x->value = r->p50_op / one->p50_op;
		x->met = x->value <= RT_TARGET;
		snprintf(x->detail, sizeof(x->detail),
			 "ping-pong threads on one CPU");
	}
	return n;
}

static void fmt_time(double s, char *buf, size_t len)
{
	if (s <= 0)
		snprintf(buf, len, "-");
	else if (s < 1e-3)
		snprintf(buf, len, "%.1f us", s * 1e6);
	else if (s < 1)
		snprintf(buf, len, "%.2f ms", s * 1e3);
	else
		snprintf(buf, len, "%.2f s", s);
}

static void fmt_cpu(const struct bench_result *r, double cpu, char *buf,
		    size_t len)
{
	if (r->elapsed > 0)
		snprintf(buf, len, "%.2fs %3.0f%%", cpu,
			 100.0 * cpu / r->elapsed);
	else
		snprintf(buf, len, "-");
}

static void fmt_ratio(const struct bench_result *r, char *buf, size_t len)
{
	if (r->ratio > 0)
		snprintf(buf, len, "%.3f", r->ratio);
	else
		snprintf(buf, len, "-");
}

static int any(const struct bench *b, const char *bench)
{
	unsigned int i;

	for (i = 0; i < b->num_results; i++)
		if (!strcmp(b->results[i].bench, bench))
			return 1;
	return 0;
}

static void print_error(const struct bench_result *r)
{
	printf("  %-10s %s\n", "", r->note[0] ? r->note :
	       dojo_strerror(r->err));
}

static void print_copy(const struct bench *b, const char *bench,
		       const char *title, const char *base)
{
	char sz[32], mean[32], p50[32], ratio[16], cp[32], ca[32];
	unsigned int i;

	printf("%s: one COPY job per transfer, submit to end; GB/s and ratio to %s from the median\n",
	       title, base);
	printf("%9s  %-10s %6s %10s %10s %8s %7s %12s %12s\n", "size", "what",
	       "iters", "mean", "median", "GB/s", "ratio", "cpu proc",
	       "cpu all");
	for (i = 0; i < b->num_results; i++) {
		const struct bench_result *r = &b->results[i];

		if (strcmp(r->bench, bench))
			continue;
		bench_format_size(r->size, sz, sizeof(sz));
		if (r->err) {
			printf("%9s  %-10s FAILED\n", sz, r->name);
			print_error(r);
			continue;
		}
		fmt_time(r->time_op, mean, sizeof(mean));
		fmt_time(r->p50_op, p50, sizeof(p50));
		fmt_ratio(r, ratio, sizeof(ratio));
		fmt_cpu(r, r->cpu_proc, cp, sizeof(cp));
		fmt_cpu(r, r->cpu_all, ca, sizeof(ca));
		printf("%9s  %-10s %6llu %10s %10s %8.3f %7s %12s %12s\n", sz,
		       r->name, (unsigned long long)r->iters, mean, p50,
		       r->rate_p50 / 1e9, ratio, cp, ca);
	}
	printf("\n");
}

static void print_roundtrip(const struct bench *b, const char *bench,
			    const char *title)
{
	char mean[32], mn[32], p50[32], p99[32], ratio[16], cp[32], ca[32];
	unsigned int i;

	printf("%s\n", title);
	printf("%-21s %7s %10s %10s %10s %10s %7s %12s %12s\n", "what",
	       "iters", "mean", "min", "p50", "p99", "ratio", "cpu proc",
	       "cpu all");
	for (i = 0; i < b->num_results; i++) {
		const struct bench_result *r = &b->results[i];

		if (strcmp(r->bench, bench))
			continue;
		if (r->err) {
			printf("%-21s  FAILED\n", r->name);
			print_error(r);
			continue;
		}
		fmt_time(r->time_op, mean, sizeof(mean));
		fmt_time(r->min_op, mn, sizeof(mn));
		fmt_time(r->p50_op, p50, sizeof(p50));
		fmt_time(r->p99_op, p99, sizeof(p99));
		fmt_ratio(r, ratio, sizeof(ratio));
		fmt_cpu(r, r->cpu_proc, cp, sizeof(cp));
		fmt_cpu(r, r->cpu_all, ca, sizeof(ca));
		printf("%-21s %7llu %10s %10s %10s %10s %7s %12s %12s\n",
		       r->name, (unsigned long long)r->iters, mean, mn, p50, p99,
		       ratio, cp, ca);
	}
	printf("\n");
}

static void print_jobs(const struct bench *b)
{
	char t[32], ratio[16], cp[32], ca[32], cpj[32];
	unsigned int i;

	printf("Jobs per second: NOP jobs, N kept in flight on %u queue%s; ratio to the first N\n",
	       b->opts->queues, b->opts->queues > 1 ? "s (round-robin)" : "");
	printf("%9s %8s %10s %10s %7s %12s %12s %12s\n", "in flight", "jobs",
	       "jobs/s", "time/job", "ratio", "cpu proc", "cpu all",
	       "cpu/job");
	for (i = 0; i < b->num_results; i++) {
		const struct bench_result *r = &b->results[i];

		if (strcmp(r->bench, "jobs"))
			continue;
		if (r->err) {
			printf("%9u  FAILED\n", r->inflight);
			print_error(r);
			continue;
		}
		fmt_time(r->time_op, t, sizeof(t));
		fmt_ratio(r, ratio, sizeof(ratio));
		fmt_cpu(r, r->cpu_proc, cp, sizeof(cp));
		fmt_cpu(r, r->cpu_all, ca, sizeof(ca));
		fmt_time(r->iters ? r->cpu_all / (double)r->iters : 0, cpj,
			 sizeof(cpj));
		printf("%9u %8llu %10.0f %10s %7s %12s %12s %12s\n",
		       r->inflight, (unsigned long long)r->iters, r->rate, t,
		       ratio, cp, ca, cpj);
	}
	printf("\n");
}

static void print_link(const struct bench *b)
{
	char mean[32], mn[32], p50[32], p99[32], cp[32], ca[32];
	unsigned int i;

	printf("Link baseline: raw AF_PACKET frames from %s to %s, no DIP involved\n",
	       b->opts->link_a, b->opts->link_b);
	printf("%-23s %8s %10s %8s %8s %7s %12s %12s\n", "stream, one way",
	       "frames", "frames/s", "MB/s", "Gb/s", "lost", "cpu proc",
	       "cpu all");
	for (i = 0; i < b->num_results; i++) {
		const struct bench_result *r = &b->results[i];

		if (strcmp(r->bench, "link") || !r->size)
			continue;
		if (r->err) {
			printf("%-23s  FAILED\n", r->name);
			print_error(r);
			continue;
		}
		fmt_cpu(r, r->cpu_proc, cp, sizeof(cp));
		fmt_cpu(r, r->cpu_all, ca, sizeof(ca));
		printf("%-23s %8llu %10.0f %8.1f %8.3f %6.1f%% %12s %12s\n",
		       r->name, (unsigned long long)r->iters,
		       r->rate / (double)r->size, r->rate / 1e6,
		       r->rate * 8 / 1e9, r->sent > r->iters ?
		       100.0 * (double)(r->sent - r->iters) / (double)r->sent : 0,
		       cp, ca);
	}
	printf("%-23s %8s %10s %10s %10s %10s %12s %12s\n", "round trip",
	       "iters", "mean", "min", "p50", "p99", "cpu proc", "cpu all");
	for (i = 0; i < b->num_results; i++) {
		const struct bench_result *r = &b->results[i];

		if (strcmp(r->bench, "link") || r->size)
			continue;
		if (r->err) {
			printf("%-23s  FAILED\n", r->name);
			print_error(r);
			continue;
		}
		fmt_time(r->time_op, mean, sizeof(mean));
		fmt_time(r->min_op, mn, sizeof(mn));
		fmt_time(r->p50_op, p50, sizeof(p50));
		fmt_time(r->p99_op, p99, sizeof(p99));
		fmt_cpu(r, r->cpu_proc, cp, sizeof(cp));
		fmt_cpu(r, r->cpu_all, ca, sizeof(ca));
		printf("%-23s %8llu %10s %10s %10s %10s %12s %12s\n", r->name,
		       (unsigned long long)r->iters, mean, mn, p50, p99, cp,
		       ca);
	}
	printf("\n");
}

void bench_print_table(const struct bench *b)
{
	struct target t[12];
	unsigned int n, i;

	if (b->dev)
		printf("dojo-bench %s: %s (%s, %s), libdojo %s\n",
		       BENCH_VERSION, dojo_device_path(b->dev),
		       b->info.bus_addr,
		       dojo_platform_name(b->info.platform) ?:
		       "unknown platform", dojo_lib_version());
	else
		printf("dojo-bench %s: no DIP, libdojo %s\n", BENCH_VERSION,
		       dojo_lib_version());
	printf("cpu proc: user+sys of this process (getrusage); cpu all: busy time of all CPUs (/proc/stat), the card model's work included; %% of wall time\n\n");
	if (any(b, "copy"))
		print_copy(b, "copy", "Copy bandwidth", "memcpy");
	if (any(b, "ttp"))
		print_copy(b, "ttp", "TTP bandwidth (tile SRAM)", "memcpy");
	if (any(b, "roundtrip"))
		print_roundtrip(b, "roundtrip",
				"Round trip: one at a time; ratio = median NOP job / median eventfd ping-pong between two threads");
	if (any(b, "jobs"))
		print_jobs(b);
	if (any(b, "link"))
		print_link(b);

	if (any(b, "zplane"))
		print_copy(b, "zplane", "Z-plane bandwidth (remote DMA)",
			   "the raw AF_PACKET stream (af_packet-1116B)");
	if (any(b, "zplane-rt"))
		print_roundtrip(b, "zplane-rt",
				"Z-plane round trip: one 64-byte remote write at a time; ratio = median / median raw 64-byte ping-pong");

	n = compute_targets(b, t);
	if (!n)
		return;
	printf("Targets\n");
	for (i = 0; i < n; i++) {
		char v[32];

		if (isnan(t[i].value))
			snprintf(v, sizeof(v), "-");
		else
			snprintf(v, sizeof(v), "%.3f", t[i].value);
		printf("  %-28s %s %-4g measured %-6s %s%s%s%s\n", t[i].name,
		       t[i].at_least ? ">=" : "<=", t[i].threshold, v,
		       t[i].met < 0 ? "not measured" :
		       t[i].met ? "met" : "NOT met",
		       t[i].detail[0] ? " (" : "", t[i].detail,
		       t[i].detail[0] ? ")" : "");
	}
}

/* ---- JSON --------------------------------------------------------------- */

static json_object *num_or_null(double v, int present)
{
	return present && !isnan(v) ? json_object_new_double(v) : NULL;
}

static json_object *result_json(const struct bench_result *r)
{
	json_object *o = json_object_new_object();
	int ok = !r->err;
	int sized = r->size > 0;	/* copy, link stream: bytes/s */
	int jobs = !strcmp(r->bench, "jobs");
	int stream = sized && !strcmp(r->bench, "link");

	json_object_object_add(o, "bench", json_object_new_string(r->bench));
	json_object_object_add(o, "name", json_object_new_string(r->name));
	json_object_object_add(o, "size_bytes", sized ?
			       json_object_new_int64((int64_t)r->size) : NULL);
	json_object_object_add(o, "inflight", r->inflight ?
			       json_object_new_int((int)r->inflight) : NULL);
	json_object_object_add(o, "iterations",
			       json_object_new_int64((int64_t)r->iters));
	json_object_object_add(o, "elapsed_s", num_or_null(r->elapsed, 1));
	json_object_object_add(o, "time_per_op_s",
			       num_or_null(r->time_op, ok));
	/* the stream counts frames over a span: no per-frame samples */
	json_object_object_add(o, "min_s", num_or_null(r->min_op,
						       ok && !jobs && !stream));
	json_object_object_add(o, "median_s", num_or_null(r->p50_op,
							  ok && !jobs && !stream));
	json_object_object_add(o, "p99_s", num_or_null(r->p99_op,
						       ok && !jobs && !stream));
	json_object_object_add(o, "rate", num_or_null(r->rate, ok));
	json_object_object_add(o, "rate_median", num_or_null(r->rate_p50,
							     ok && !jobs && !stream));
	json_object_object_add(o, "rate_unit", json_object_new_string(
				       sized ? "bytes/s" : "ops/s"));
	json_object_object_add(o, "frames_sent", stream ?
			       json_object_new_int64((int64_t)r->sent) : NULL);
	json_object_object_add(o, "baseline", r->baseline[0] ?
			       json_object_new_string(r->baseline) : NULL);
	json_object_object_add(o, "ratio", num_or_null(r->ratio,
						       ok && r->ratio > 0));
	json_object_object_add(o, "cpu_process_s",
			       num_or_null(r->cpu_proc, 1));
	json_object_object_add(o, "cpu_all_s", num_or_null(r->cpu_all, 1));
	json_object_object_add(o, "error", r->err ?
			       json_object_new_string(r->note[0] ? r->note :
						      dojo_strerror(r->err)) :
			       NULL);
	return o;
}

static void device_json(const struct bench *b, json_object *dev)
{
	const char *s = dojo_platform_name(b->info.platform);

	json_object_object_add(dev, "node", json_object_new_string(
				       dojo_device_path(b->dev)));
	json_object_object_add(dev, "bus_addr",
			       json_object_new_string(b->info.bus_addr));
	json_object_object_add(dev, "serial",
			       json_object_new_string(b->info.serial));
	json_object_object_add(dev, "platform",
			       s ? json_object_new_string(s) : NULL);
	json_object_object_add(dev, "num_dma_queues",
			       json_object_new_int((int)b->info.num_dma_queues));
}

int bench_print_json(const struct bench *b, FILE *out)
{
	json_object *root, *dev, *cfg, *res, *tgt;
	struct target t[12];
	unsigned int n, i;

	root = json_object_new_object();
	json_object_object_add(root, "schema",
			       json_object_new_string("dojo-bench/1"));
	json_object_object_add(root, "version",
			       json_object_new_string(BENCH_VERSION));
	json_object_object_add(root, "libdojo",
			       json_object_new_string(dojo_lib_version()));

	dev = b->dev ? json_object_new_object() : NULL;
	if (dev)
		device_json(b, dev);
	json_object_object_add(root, "device", dev);

	cfg = json_object_new_object();
	json_object_object_add(cfg, "min_time_s",
			       json_object_new_double(b->opts->min_time));
	json_object_object_add(cfg, "min_iterations",
			       json_object_new_int((int)b->opts->min_iters));
	json_object_object_add(cfg, "min_size_bytes",
			       json_object_new_int64((int64_t)b->opts->min_size));
	json_object_object_add(cfg, "max_size_bytes",
			       json_object_new_int64((int64_t)b->opts->max_size));
	json_object_object_add(cfg, "passes",
			       json_object_new_int((int)b->opts->passes));
	json_object_object_add(cfg, "queues",
			       json_object_new_int((int)b->opts->queues));
	json_object_object_add(cfg, "link_send_if", b->opts->link_a ?
			       json_object_new_string(b->opts->link_a) : NULL);
	json_object_object_add(cfg, "link_receive_if", b->opts->link_b ?
			       json_object_new_string(b->opts->link_b) : NULL);
	json_object_object_add(root, "config", cfg);

	res = json_object_new_array();
	for (i = 0; i < b->num_results; i++)
		json_object_array_add(res, result_json(&b->results[i]));
	json_object_object_add(root, "results", res);

	tgt = json_object_new_array();
	n = compute_targets(b, t);
	for (i = 0; i < n; i++) {
		json_object *o = json_object_new_object();

		json_object_object_add(o, "name",
				       json_object_new_string(t[i].name));
		json_object_object_add(o, "rule",
				       json_object_new_string(t[i].rule));
		json_object_object_add(o, "comparison", json_object_new_string(
					       t[i].at_least ? ">=" : "<="));
		json_object_object_add(o, "threshold",
				       json_object_new_double(t[i].threshold));
		json_object_object_add(o, "value", num_or_null(t[i].value, 1));
		json_object_object_add(o, "met", t[i].met < 0 ? NULL :
				       json_object_new_boolean(t[i].met));
		json_object_array_add(tgt, o);
	}
	json_object_object_add(root, "targets", tgt);

	fprintf(out, "%s\n", json_object_to_json_string_ext(root,
			b->opts->pretty ?
			JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED :
			JSON_C_TO_STRING_PLAIN));
	json_object_put(root);
	return fflush(out) || ferror(out) ? -EIO : 0;
}
