// SPDX-License-Identifier: MIT
/*
 * dojoctl monitor: one line per DIP every -d SECONDS (default 1), -c COUNT
 * times (default: until interrupted), in the manner of nvidia-smi dmon.
 * With -j each sample is one JSON document on its own line.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <time.h>

#include "dojoctl.h"

static const struct {
	const char *field;
	const char *head;
	int width;
} cols[] = {
	{ "index", "idx", 3 },
	{ "name", "name", 8 },
	{ "state", "state", 7 },
	{ "power.draw", "pwr", 6 },
	{ "temperature.board", "btemp", 6 },
	{ "temperature.hbm", "htemp", 6 },
	{ "hbm.used", "hbm", 7 },
	{ "ecc.corrected", "ecc_c", 6 },
	{ "ecc.uncorrected", "ecc_u", 6 },
	{ "resets", "resets", 6 },
	{ "job_timeouts", "tmout", 6 },
};

#define NCOLS (sizeof(cols) / sizeof(cols[0]))

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void header(void)
{
	unsigned int c;

	putchar('#');
	for (c = 0; c < NCOLS; c++)
		printf(" %*s", cols[c].width, cols[c].head);
	printf("\n#");
	for (c = 0; c < NCOLS; c++) {
		const char *u = dojoctl_unit_name(
			dojoctl_field_find(cols[c].field)->unit);

		printf(" %*s", cols[c].width, u ? u : "");
	}
	putchar('\n');
}

static int sample(const struct dojoctl *ctl, struct dojoctl_devs *devs)
{
	json_object *devices = ctl->json ? json_object_new_array() : NULL;
	int i, ret = 0;
	unsigned int c;

	for (i = 0; i < devs->n; i++) {
		struct dojoctl_dev *d = &devs->dev[i];
		json_object *o = NULL, *unav = NULL;

		if (dojoctl_dev_refresh(d)) {
			dojoctl_err("%s: the DIP is gone", d->name);
			ret = DOJOCTL_EXIT_LOST;
			continue;
		}
		if (devices) {
			o = json_object_new_object();
			unav = json_object_new_object();
		} else {
			putchar(' ');
		}
		for (c = 0; c < NCOLS; c++) {
			const struct dojoctl_field *f =
				dojoctl_field_find(cols[c].field);
			struct dojoctl_value v;
			char buf[64];

			dojoctl_field_get(f, d, &v);
			if (o) {
				dojoctl_json_add_value(o, unav, f->key, &v);
				continue;
			}
			dojoctl_value_text(f, &v, false, buf, sizeof(buf));
			printf(" %*s", cols[c].width, v.err ? "-" : buf);
		}
		if (o) {
			json_object_object_add(o, "unavailable", unav);
			json_object_array_add(devices, o);
		} else {
			putchar('\n');
		}
	}
	if (devices) {
		json_object *top = dojoctl_new_doc("dojoctl.monitor/1");
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		json_object_object_add(top, "timestamp", json_object_new_double(
			ts.tv_sec + ts.tv_nsec / 1e9));
		json_object_object_add(top, "devices", devices);
		if (dojoctl_print_doc(ctl, top))
			ret = DOJOCTL_EXIT_DEVICE;
		json_object_put(top);
	}
	if (fflush(stdout))
		ret = DOJOCTL_EXIT_DEVICE;
	return ret;
}

int dojoctl_monitor(const struct dojoctl *ctl, int argc, char **argv)
{
	struct dojoctl_devs devs;
	struct sigaction sa;
	struct timespec next;
	long n;
	int ret;

	ret = dojoctl_select(ctl, argc, argv, true, true, &devs);
	if (!devs.n) {
		dojoctl_devs_free(&devs);
		return ret;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	if (!ctl->json && !ctl->noheadings)
		header();
	clock_gettime(CLOCK_MONOTONIC, &next);
	for (n = 0; !stop && !ret && (!ctl->count || n < ctl->count); n++) {
		if (n) {
			long long ns = next.tv_nsec + (long long)(ctl->interval * 1e9);

			next.tv_sec += ns / 1000000000;
			next.tv_nsec = ns % 1000000000;
			while (!stop && clock_nanosleep(CLOCK_MONOTONIC,
					TIMER_ABSTIME, &next, NULL) == EINTR)
				;
			if (stop)
				break;
		}
		dojoctl_first_failure(&ret, sample(ctl, &devs));
	}
	dojoctl_devs_free(&devs);
	return ret;
}
