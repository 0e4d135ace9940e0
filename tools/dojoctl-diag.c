// SPDX-License-Identifier: MIT
/*
 * dojoctl diag [-r LEVEL] [DEVICE...]: self-tests of each DIP, each level
 * adding to the one before (as dcgmi diag -r):
 *
 *   1  queues: a no-op job and a fill job on every DMA queue end DONE, and
 *      the fill reached host memory;
 *   2  DMA bandwidth: host -> HBM -> host copies of 16 MiB, checked, timed;
 *   3  HBM patterns: 64 MiB of HBM filled with four patterns, each read
 *      back and checked; TTP link loopback once the driver has links
 *      (reported as skipped until then).
 *
 * Needs access to the device node. Exit 10 when a test failed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dojoctl.h"

#define WAIT_NS		(30LL * 1000000000LL)
#define BW_SIZE		(16ULL << 20)
#define PATTERN_SIZE	(64ULL << 20)

struct diag {
	const struct dojoctl *ctl;
	struct dojo_device *dev;
	json_object *tests;
	int failed;
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void result(struct diag *g, const char *name, const char *res,
		   const char *detail, double value, const char *unit)
{
	json_object *t = json_object_new_object();

	if (!strcmp(res, "fail"))
		g->failed++;
	json_object_object_add(t, "test", json_object_new_string(name));
	json_object_object_add(t, "result", json_object_new_string(res));
	json_object_object_add(t, "detail", json_object_new_string(detail));
	json_object_object_add(t, "value", unit ?
			       json_object_new_double(value) : NULL);
	json_object_object_add(t, "unit", unit ?
			       json_object_new_string(unit) : NULL);
	json_object_array_add(g->tests, t);
	if (!g->ctl->json)
		printf("  %-22s %-5s %s\n", name, res, detail);
}

/* Submit @cb on @queue and wait; 0 when the job ended DONE. */
static int run_job(struct diag *g, uint32_t queue, struct dojo_cmdbuf *cb,
		   char *why, size_t size)
{
	struct dojo_job_status st;
	uint64_t id;
	int err;

	err = dojo_submit(g->dev, queue, cb, NULL, 0, NULL, &id);
	if (!err)
		err = dojo_job_wait(g->dev, id, WAIT_NS, &st);
	if (err) {
		snprintf(why, size, "%s", dojo_strerror(err));
		return err;
	}
	if (st.status != DRM_DOJO_JOB_DONE) {
		snprintf(why, size, "job ended %s%s%s",
			 dojo_job_status_str(st.status),
			 st.error ? ": " : "",
			 st.error ? dojo_job_error_str(st.error) : "");
		return -EIO;
	}
	return 0;
}

static void test_queues(struct diag *g, uint32_t nq)
{
	struct dojo_cmdbuf *cb = NULL;
	struct dojo_bo *host = NULL;
	uint32_t q, *p;
	char why[160], name[32];
	void *map;
	int err;

	err = dojo_bo_create(g->dev, 4096, DRM_DOJO_PLACEMENT_HOST, &host);
	if (!err)
		err = dojo_bo_map(host, &map);
	if (!err)
		err = dojo_cmdbuf_new(&cb);
	if (err) {
		snprintf(why, sizeof(why), "setup: %s", dojo_strerror(err));
		result(g, "queues", "fail", why, 0, NULL);
		goto out;
	}
	p = map;
	for (q = 0; q < nq; q++) {
		uint32_t pattern = 0xd0d00000 | q;

		snprintf(name, sizeof(name), "queue%u", q);
		memset(map, 0, 4096);
		dojo_cmdbuf_reset(cb);
		err = dojo_cmdbuf_nop(cb);
		if (!err)
			err = dojo_cmdbuf_fill(cb, host, 0, 4096, pattern);
		if (err) {
			snprintf(why, sizeof(why), "%s", dojo_strerror(err));
			result(g, name, "fail", why, 0, NULL);
			continue;
		}
		if (run_job(g, q, cb, why, sizeof(why))) {
			result(g, name, "fail", why, 0, NULL);
			continue;
		}
		if (p[0] != pattern || p[1023] != pattern) {
			snprintf(why, sizeof(why),
				 "fill wrote 0x%08x, expected 0x%08x", p[0],
				 pattern);
			result(g, name, "fail", why, 0, NULL);
			continue;
		}
		result(g, name, "pass", "no-op and fill jobs done", 0, NULL);
	}
out:
	dojo_cmdbuf_free(cb);
	dojo_bo_free(host);
}

static void test_bandwidth(struct diag *g)
{
	struct dojo_bo *src = NULL, *dst = NULL, *hbm = NULL;
	struct dojo_cmdbuf *cb = NULL;
	void *s, *d;
	uint64_t i;
	double t0, up, down;
	char why[160];
	int err;

	err = dojo_bo_create(g->dev, BW_SIZE, DRM_DOJO_PLACEMENT_HOST, &src);
	if (!err)
		err = dojo_bo_create(g->dev, BW_SIZE, DRM_DOJO_PLACEMENT_HOST,
				     &dst);
	if (!err)
		err = dojo_bo_create(g->dev, BW_SIZE, DRM_DOJO_PLACEMENT_HBM,
				     &hbm);
	if (!err)
		err = dojo_bo_map(src, &s);
	if (!err)
		err = dojo_bo_map(dst, &d);
	if (!err)
		err = dojo_cmdbuf_new(&cb);
	if (err) {
		snprintf(why, sizeof(why), "setup: %s", dojo_strerror(err));
		result(g, "dma_bandwidth", "fail", why, 0, NULL);
		goto out;
	}
	for (i = 0; i < BW_SIZE / 8; i++)
		((uint64_t *)s)[i] = i * 0x9e3779b97f4a7c15ULL;
	memset(d, 0, BW_SIZE);

	err = dojo_cmdbuf_copy(cb, hbm, 0, src, 0, BW_SIZE);
	t0 = now_s();
	if (!err)
		err = run_job(g, 0, cb, why, sizeof(why));
	up = now_s() - t0;
	if (!err) {
		dojo_cmdbuf_reset(cb);
		err = dojo_cmdbuf_copy(cb, dst, 0, hbm, 0, BW_SIZE);
		t0 = now_s();
		if (!err)
			err = run_job(g, 0, cb, why, sizeof(why));
		down = now_s() - t0;
	}
	if (err) {
		if (err != -EIO)
			snprintf(why, sizeof(why), "%s", dojo_strerror(err));
		result(g, "dma_bandwidth", "fail", why, 0, NULL);
		goto out;
	}
	if (memcmp(s, d, BW_SIZE)) {
		result(g, "dma_bandwidth", "fail",
		       "data read back from HBM differs", 0, NULL);
		goto out;
	}
	snprintf(why, sizeof(why), "16 MiB host->HBM %.0f MB/s, HBM->host %.0f MB/s",
		 BW_SIZE / up / 1e6, BW_SIZE / down / 1e6);
	result(g, "dma_bandwidth", "pass", why,
	       2 * BW_SIZE / (up + down) / 1e6, "MB/s");
out:
	dojo_cmdbuf_free(cb);
	dojo_bo_free(hbm);
	dojo_bo_free(dst);
	dojo_bo_free(src);
}

static void test_hbm_patterns(struct diag *g)
{
	static const uint32_t patterns[] = {
		0x00000000, 0xffffffff, 0x55555555, 0xaaaaaaaa,
	};
	struct dojo_bo *hbm = NULL, *host = NULL;
	struct dojo_cmdbuf *cb = NULL;
	unsigned int k;
	uint64_t i, bad = 0;
	char why[160];
	uint32_t *p;
	void *map;
	int err;

	err = dojo_bo_create(g->dev, PATTERN_SIZE, DRM_DOJO_PLACEMENT_HBM, &hbm);
	if (!err)
		err = dojo_bo_create(g->dev, PATTERN_SIZE,
				     DRM_DOJO_PLACEMENT_HOST, &host);
	if (!err)
		err = dojo_bo_map(host, &map);
	if (!err)
		err = dojo_cmdbuf_new(&cb);
	if (err) {
		snprintf(why, sizeof(why), "setup: %s", dojo_strerror(err));
		result(g, "hbm_patterns", "fail", why, 0, NULL);
		goto out;
	}
	p = map;
	for (k = 0; k < sizeof(patterns) / sizeof(patterns[0]); k++) {
		memset(map, patterns[k] ? 0 : 0x5a, PATTERN_SIZE);
		dojo_cmdbuf_reset(cb);
		err = dojo_cmdbuf_fill(cb, hbm, 0, PATTERN_SIZE, patterns[k]);
		if (!err)
			err = dojo_cmdbuf_barrier(cb);
		if (!err)
			err = dojo_cmdbuf_copy(cb, host, 0, hbm, 0, PATTERN_SIZE);
		if (err)
			snprintf(why, sizeof(why), "%s", dojo_strerror(err));
		if (err || run_job(g, 0, cb, why, sizeof(why))) {
			result(g, "hbm_patterns", "fail", why, 0, NULL);
			goto out;
		}
		for (i = 0; i < PATTERN_SIZE / 4; i++)
			bad += p[i] != patterns[k];
		if (bad) {
			snprintf(why, sizeof(why),
				 "pattern 0x%08x: %" PRIu64 " words differ",
				 patterns[k], bad);
			result(g, "hbm_patterns", "fail", why, 0, NULL);
			goto out;
		}
	}
	result(g, "hbm_patterns", "pass",
	       "64 MiB of HBM, 4 patterns written and read back", 0, NULL);
out:
	dojo_cmdbuf_free(cb);
	dojo_bo_free(host);
	dojo_bo_free(hbm);
}

static int diag_one(const struct dojoctl *ctl, const struct dojoctl_dev *d,
		    json_object *o)
{
	struct diag g = { .ctl = ctl, .tests = json_object_new_array() };
	struct drm_dojo_device_info info;
	char state[16], why[200];
	int err;

	json_object_object_add(o, "tests", g.tests);
	if (!ctl->json)
		printf("%s (level %d):\n", d->name, ctl->level);
	if (!dojoctl_read_str(d, "dojo/state", state, sizeof(state)) &&
	    strcmp(state, "online")) {
		snprintf(why, sizeof(why), "the DIP is %s", state);
		result(&g, "state", "fail", why, 0, NULL);
		json_object_object_add(o, "result", json_object_new_string("fail"));
		return !strcmp(state, "lost") ? DOJOCTL_EXIT_LOST :
						 DOJOCTL_EXIT_TESTFAIL;
	}
	err = dojo_open_info(d->info, &g.dev);
	if (err) {
		dojoctl_err("cannot open %s: %s%s", d->devnode, dojo_strerror(err),
			    err == -EACCES ? " (diag needs access to the device"
			    " node: root or the dojo group)" : "");
		json_object_object_add(o, "result",
				       json_object_new_string("error"));
		return dojoctl_exit_code(err);
	}
	err = dojo_device_info(g.dev, &info);
	if (err) {
		dojoctl_err("%s: query failed: %s", d->name, dojo_strerror(err));
		dojo_close(g.dev);
		return err == -ENODEV ? DOJOCTL_EXIT_LOST : DOJOCTL_EXIT_DEVICE;
	}
	test_queues(&g, info.num_dma_queues);
	if (ctl->level >= 2)
		test_bandwidth(&g);
	if (ctl->level >= 3) {
		test_hbm_patterns(&g);
		result(&g, "link_loopback", "skip",
		       info.num_ttp_ports ? "the driver has no TTP link support yet"
					  : "the DIP has no TTP port", 0, NULL);
	}
	dojo_close(g.dev);
	json_object_object_add(o, "result",
			       json_object_new_string(g.failed ? "fail" : "pass"));
	return g.failed ? DOJOCTL_EXIT_TESTFAIL : 0;
}

int dojoctl_diag(const struct dojoctl *ctl, int argc, char **argv)
{
	struct dojoctl_devs devs;
	json_object *devices;
	int i, ret;

	ret = dojoctl_select(ctl, argc, argv, true, true, &devs);
	if (!devs.n) {
		dojoctl_devs_free(&devs);
		return ret;
	}
	devices = json_object_new_array();
	for (i = 0; i < devs.n; i++) {
		json_object *o = json_object_new_object();

		json_object_object_add(o, "index",
				       json_object_new_int(devs.dev[i].index));
		json_object_object_add(o, "name",
				       json_object_new_string(devs.dev[i].name));
		json_object_object_add(o, "level",
				       json_object_new_int(ctl->level));
		dojoctl_first_failure(&ret, diag_one(ctl, &devs.dev[i], o));
		json_object_array_add(devices, o);
	}
	if (ctl->json && dojoctl_print_json(ctl, "dojoctl.diag/1", devices))
		dojoctl_first_failure(&ret, DOJOCTL_EXIT_DEVICE);
	json_object_put(devices);
	dojoctl_devs_free(&devs);
	return ret;
}
