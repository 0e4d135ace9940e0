// SPDX-License-Identifier: MIT
/*
 * dojo-bench: how fast a DIP moves data and runs jobs, measured beside
 * what the host does without it, in the same run.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: dojo-bench [OPTIONS]\n"
		"       dojo-bench --verify[=SIZE] [-d DEVICE]\n"
		"\n"
		"Benchmarks a DIP against host baselines measured in the same run:\n"
		"  copy       COPY jobs host->HBM, HBM->host, HBM->HBM for sizes in\n"
		"             powers of 4, beside memcpy() of the same size\n"
		"  roundtrip  one NOP job submitted and waited for, beside an eventfd\n"
		"             ping-pong between two threads\n"
		"  jobs       NOP jobs per second with N jobs kept in flight\n"
		"  ttp        COPY jobs host->tile, tile->host, HBM->tile, tile->HBM\n"
		"             over the TTP port, beside memcpy() (run by default when\n"
		"             the DIP's tile link is up)\n"
		"  link       raw frames over an Ethernet segment, the Z-plane's\n"
		"             baseline: 1116-byte frames one way, 64-byte ping-pong\n"
		"             (needs --link; no DIP is used)\n"
		"  zplane     remote DMA to and from a second DIP (--zplane) over the\n"
		"             Z-plane, 64K to 16M, and a 64-byte write's round trip,\n"
		"             beside the link rows of the same run\n"
		"Each row reports time, ratio to its baseline and CPU time (this\n"
		"process's user+sys, and all CPUs' busy time).\n"
		"\n"
		"Options:\n"
		"  -d, --device DEV      DIP to use: index, accelN, node, serial or bus\n"
		"                        address (default: the first DIP)\n"
		"  -b, --bench LIST      benchmarks to run, comma-separated:\n"
		"                        copy,roundtrip,jobs,ttp,link,zplane (default:\n"
		"                        copy,roundtrip,jobs, ttp when the DIP's tile\n"
		"                        link is up, link when --link is given, zplane\n"
		"                        when --zplane is given)\n"
		"  -s, --sizes MIN:MAX   copy sizes, with K/M/G suffixes (4K:256M)\n"
		"  -t, --time SECONDS    minimum time per measurement (0.5)\n"
		"  -i, --iters N         minimum iterations per measurement (5)\n"
		"  -P, --passes N        the cases of a benchmark take turns N times, each\n"
		"                        with 1/N of the time and iterations, so that all\n"
		"                        see the same host load (5)\n"
		"  -n, --inflight LIST   jobs in flight, comma-separated (1,4,16,64,256)\n"
		"  -q, --queues N        jobs: round-robin over N DMA queues, 0 for all (1)\n"
		"  -L, --link A,B        link: two interfaces of one segment (a veth pair);\n"
		"                        frames go from A to B (root needed)\n"
		"  -Z, --zplane DEV      zplane: the second DIP, cabled to the same segment\n"
		"                        as the first (root not needed)\n"
		"      --verify[=SIZE]   copy SIZE (16M) host->HBM->host and check it by\n"
		"                        read-back and by the card's CRC32; no benchmark\n"
		"  -j, --json            JSON output (schema dojo-bench/1)\n"
		"  -p, --pretty          indent JSON output\n"
		"  -o, --json-file FILE  also write the JSON to FILE, beside the table\n"
		"  -h, --help            this help\n"
		"  -V, --version         versions of dojo-bench and libdojo\n"
		"\n"
		"Exit status: 0 success, 1 usage error, 2 no such DIP, 3 permission\n"
		"denied, 4 a measurement or the verification failed.\n"
		"See docs/performance.md.\n");
}

static int parse_size(const char *s, uint64_t *out)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || end == s)
		return -EINVAL;
	switch (*end) {
	case 'k': case 'K':
		v <<= 10; end++; break;
	case 'm': case 'M':
		v <<= 20; end++; break;
	case 'g': case 'G':
		v <<= 30; end++; break;
	}
	if (*end == 'i' && end[1] == 'B')
		end += 2;
	else if (*end == 'B')
		end++;
	if (*end || !v)
		return -EINVAL;
	*out = v;
	return 0;
}

static int parse_sizes(const char *s, struct bench_opts *o)
{
	char buf[64], *colon;

	if (strlen(s) >= sizeof(buf))
		return -EINVAL;
	strcpy(buf, s);
	colon = strchr(buf, ':');
	if (!colon)
		return parse_size(buf, &o->max_size);
	*colon = '\0';
	if (parse_size(buf, &o->min_size) ||
	    parse_size(colon + 1, &o->max_size) || o->min_size > o->max_size)
		return -EINVAL;
	return 0;
}

static int parse_list(const char *s, struct bench_opts *o)
{
	char *end;
	unsigned long v;

	o->num_inflight = 0;
	for (;;) {
		errno = 0;
		v = strtoul(s, &end, 10);
		if (errno || end == s || !v || v > BENCH_MAX_INFLIGHT ||
		    o->num_inflight >= sizeof(o->inflight) / sizeof(o->inflight[0]))
			return -EINVAL;
		o->inflight[o->num_inflight++] = (unsigned int)v;
		if (!*end)
			return 0;
		if (*end != ',')
			return -EINVAL;
		s = end + 1;
	}
}

static int parse_benches(const char *s, struct bench_opts *o)
{
	char buf[64], *tok, *save;

	if (strlen(s) >= sizeof(buf))
		return -EINVAL;
	strcpy(buf, s);
	o->copy = o->roundtrip = o->jobs = o->ttp = o->link = false;
	o->zplane = false;
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		if (!strcmp(tok, "copy"))
			o->copy = true;
		else if (!strcmp(tok, "roundtrip") || !strcmp(tok, "rt"))
			o->roundtrip = true;
		else if (!strcmp(tok, "jobs"))
			o->jobs = true;
		else if (!strcmp(tok, "ttp"))
			o->ttp = true;
		else if (!strcmp(tok, "link"))
			o->link = true;
		else if (!strcmp(tok, "zplane"))
			o->zplane = true;
		else
			return -EINVAL;
	}
	return o->copy || o->roundtrip || o->jobs || o->ttp || o->link ||
	       o->zplane ? 0 : -EINVAL;
}

/* "A,B": the two interfaces of the link benchmark. */
static int parse_link(char *s, struct bench_opts *o)
{
	char *comma = strchr(s, ',');

	if (!comma || comma == s || !comma[1] || strchr(comma + 1, ','))
		return -EINVAL;
	*comma = '\0';
	o->link_a = s;
	o->link_b = comma + 1;
	return 0;
}

static int exit_code_open(int err)
{
	if (err == -EACCES || err == -EPERM)
		return 3;
	if (err == -ENODEV || err == -ENOENT)
		return 2;
	return 4;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "device", required_argument, NULL, 'd' },
		{ "bench", required_argument, NULL, 'b' },
		{ "sizes", required_argument, NULL, 's' },
		{ "time", required_argument, NULL, 't' },
		{ "iters", required_argument, NULL, 'i' },
		{ "passes", required_argument, NULL, 'P' },
		{ "inflight", required_argument, NULL, 'n' },
		{ "queues", required_argument, NULL, 'q' },
		{ "link", required_argument, NULL, 'L' },
		{ "zplane", required_argument, NULL, 'Z' },
		{ "verify", optional_argument, NULL, 'v' },
		{ "json", no_argument, NULL, 'j' },
		{ "pretty", no_argument, NULL, 'p' },
		{ "json-file", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct bench_opts o = {
		.copy = true, .roundtrip = true, .jobs = true, .ttp_auto = true,
		.min_size = 4 << 10, .max_size = 256 << 20,
		.min_time = 0.5, .min_iters = 5, .max_iters = 1000000,
		.passes = 5,
		.inflight = { 1, 4, 16, 64, 256 }, .num_inflight = 5,
		.queues = 1,
	};
	const char *spec = NULL;
	bool benches_given = false, need_dev;
	struct bench *b;
	unsigned int i;
	char *end;
	int c, err, rc = 0;

	while ((c = getopt_long(argc, argv, "d:b:s:t:i:P:n:q:L:Z:jpo:hV", longopts,
				NULL)) != -1) {
		switch (c) {
		case 'd':
			spec = optarg;
			break;
		case 'b':
			o.ttp_auto = false;
			if (parse_benches(optarg, &o))
				goto bad;
			benches_given = true;
			break;
		case 's':
			if (parse_sizes(optarg, &o))
				goto bad;
			break;
		case 't':
			o.min_time = strtod(optarg, &end);
			if (*end || !(o.min_time >= 0 && o.min_time <= 3600))
				goto bad;
			break;
		case 'i':
			o.min_iters = (unsigned int)strtoul(optarg, &end, 10);
			if (*end || !o.min_iters)
				goto bad;
			break;
		case 'P':
			o.passes = (unsigned int)strtoul(optarg, &end, 10);
			if (*end || !o.passes || o.passes > BENCH_MAX_PASSES)
				goto bad;
			break;
		case 'n':
			if (parse_list(optarg, &o))
				goto bad;
			break;
		case 'q':
			o.queues = (unsigned int)strtoul(optarg, &end, 10);
			if (*end)
				goto bad;
			break;
		case 'L':
			if (parse_link(optarg, &o))
				goto bad;
			break;
		case 'Z':
			o.zp_peer = optarg;
			break;
		case 'v':
			o.verify_size = 16 << 20;
			if (optarg && parse_size(optarg, &o.verify_size))
				goto bad;
			break;
		case 'j':
			o.json = true;
			break;
		case 'p':
			o.pretty = true;
			break;
		case 'o':
			o.json_file = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("dojo-bench %s (libdojo %s)\n", BENCH_VERSION,
			       dojo_lib_version());
			return 0;
		default:
			usage(stderr);
			return 1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "dojo-bench: unexpected argument '%s'\n",
			argv[optind]);
		return 1;
	}

	if (o.link_a && !benches_given)
		o.link = true;
	if (o.zp_peer && !benches_given)
		o.zplane = true;
	if (o.zplane && !o.zp_peer) {
		fprintf(stderr, "dojo-bench: the zplane benchmark needs --zplane DEV\n");
		return 1;
	}
	if (o.link && !o.link_a) {
		fprintf(stderr, "dojo-bench: the link benchmark needs --link A,B\n");
		return 1;
	}
	need_dev = o.copy || o.roundtrip || o.jobs || o.ttp || o.zplane ||
		   o.verify_size;
	if (!need_dev)
		o.ttp_auto = false;

	b = calloc(1, sizeof(*b));
	if (!b) {
		fprintf(stderr, "dojo-bench: out of memory\n");
		return 4;
	}
	b->opts = &o;
	if (need_dev) {
		err = spec ? dojo_open(spec, &b->dev) :
			     dojo_open_index(0, &b->dev);
		if (err) {
			fprintf(stderr, "dojo-bench: %s: %s\n",
				spec ? spec : "first DIP", dojo_strerror(err));
			free(b);
			return exit_code_open(err);
		}
		err = dojo_device_info(b->dev, &b->info);
		if (err) {
			fprintf(stderr, "dojo-bench: device query: %s\n",
				dojo_strerror(err));
			rc = 4;
			goto out;
		}
		if (!o.queues || o.queues > b->info.num_dma_queues)
			o.queues = b->info.num_dma_queues;
	}

	if (o.verify_size) {
		rc = bench_verify(b) ? 4 : 0;
		goto out;
	}

	if (o.copy && bench_copy(b))
		rc = 4;
	if (o.ttp_auto && b->dev) {
		struct drm_dojo_ttp_info ttp;

		o.ttp = !dojo_ttp_info(b->dev, &ttp) &&
			ttp.link_state == DRM_DOJO_TTP_LINK_UP;
	}
	if (o.ttp && bench_ttp(b))
		rc = 4;
	if (o.roundtrip && bench_roundtrip(b))
		rc = 4;
	if (o.jobs && bench_jobs(b))
		rc = 4;
	if (o.link && bench_link(b))
		rc = 4;
	/* After link: its rows are the Z-plane's baselines. */
	if (o.zplane && bench_zplane(b))
		rc = 4;
	for (i = 0; i < b->num_results; i++)
		if (b->results[i].err)
			rc = 4;

	if (o.json)
		bench_print_json(b, stdout);
	else
		bench_print_table(b);
	if (o.json_file) {
		FILE *f = fopen(o.json_file, "we");

		if (!f || bench_print_json(b, f)) {
			fprintf(stderr, "dojo-bench: %s: %s\n", o.json_file,
				strerror(errno));
			rc = 4;
		}
		if (f)
			fclose(f);
	}
out:
	bench_free_results(b);
	if (b->dev)
		dojo_close(b->dev);
	free(b);
	return rc;

bad:
	fprintf(stderr, "dojo-bench: invalid value for -%c: '%s'\n", c, optarg);
	usage(stderr);
	return 1;
}
