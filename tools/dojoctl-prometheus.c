// SPDX-License-Identifier: MIT
/*
 * dojoctl prometheus: the DIPs' metrics in the Prometheus text exposition
 * format, for node_exporter's textfile collector:
 *
 *   dojoctl prometheus -o /var/lib/prometheus/node-exporter/dojo.prom
 *
 * -o writes a temporary file beside FILE and renames it, so the collector
 * never reads half a file. A value that is unknown has no sample (the
 * exposition format has no null); every DIP has dojo_info and dojo_up.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dojoctl.h"

static void label_value(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '\\' || *s == '"')
			fputc('\\', f);
		if (*s == '\n') {
			fputs("\\n", f);
			continue;
		}
		fputc(*s, f);
	}
}

static void family(FILE *f, const char *name, const char *type,
		   const char *help)
{
	fprintf(f, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* NAME{device="accelN"[,EXTRA]} */
static void sample_start(FILE *f, const char *name,
			 const struct dojoctl_dev *d, const char *k1,
			 const char *v1)
{
	fprintf(f, "%s{device=\"%s\"", name, d->name);
	if (k1) {
		fprintf(f, ",%s=\"", k1);
		label_value(f, v1);
		fputc('"', f);
	}
	fputs("} ", f);
}

static void field_sample(FILE *f, const char *name,
			 const struct dojoctl_dev *d, const char *field,
			 double scale, const char *k1, const char *v1)
{
	struct dojoctl_value v;

	dojoctl_field_get(dojoctl_field_find(field), d, &v);
	if (v.err)
		return;
	sample_start(f, name, d, k1, v1);
	if (v.is_float)
		fprintf(f, "%.6g\n", v.f * scale);
	else
		fprintf(f, "%" PRId64 "\n", v.i);
}

static void u64_sample(FILE *f, const char *name, const struct dojoctl_dev *d,
		       const char *attr)
{
	uint64_t v;

	if (dojoctl_read_u64(d, attr, &v))
		return;
	sample_start(f, name, d, NULL, NULL);
	fprintf(f, "%" PRIu64 "\n", v);
}

static void write_metrics(FILE *f, const struct dojoctl_devs *devs)
{
	static const char *const info_attrs[][2] = {
		{ "serial", "dojo/serial_number" },
		{ "bus_type", "dojo/bus_type" },
		{ "bus_addr", "dojo/bus_addr" },
		{ "platform", "dojo/platform" },
		{ "fw_version", "dojo/fw_version" },
	};
	static const char *const states[] = { "online", "wedged", "lost" };
	static const char *const healths[] = { "ok", "warning", "critical" };
	int i;
	unsigned int k;

	family(f, "dojo_driver_loaded", "gauge",
	       "Whether the dojo kernel driver is loaded.");
	fprintf(f, "dojo_driver_loaded %d\n", dojoctl_driver_loaded());
	family(f, "dojo_devices", "gauge", "Number of DIPs the system has.");
	fprintf(f, "dojo_devices %d\n", devs->count);
	if (!devs->n)
		return;

	family(f, "dojo_info", "gauge",
	       "Identity of a DIP; the value is always 1.");
	for (i = 0; i < devs->n; i++) {
		fprintf(f, "dojo_info{device=\"%s\"", devs->dev[i].name);
		for (k = 0; k < sizeof(info_attrs) / sizeof(info_attrs[0]); k++) {
			char buf[64];

			if (dojoctl_read_str(&devs->dev[i], info_attrs[k][1], buf,
					     sizeof(buf)))
				continue;
			fprintf(f, ",%s=\"", info_attrs[k][0]);
			label_value(f, buf);
			fputc('"', f);
		}
		fputs("} 1\n", f);
	}

	family(f, "dojo_up", "gauge",
	       "Whether the DIP is online (1) rather than wedged or lost (0).");
	for (i = 0; i < devs->n; i++) {
		char st[16];

		if (dojoctl_read_str(&devs->dev[i], "dojo/state", st,
				     sizeof(st)))
			continue;
		sample_start(f, "dojo_up", &devs->dev[i], NULL, NULL);
		fprintf(f, "%d\n", !strcmp(st, "online"));
	}
	family(f, "dojo_state", "gauge",
	       "The driver's state of the DIP: 1 for the current one.");
	for (i = 0; i < devs->n; i++) {
		char st[16];

		if (dojoctl_read_str(&devs->dev[i], "dojo/state", st,
				     sizeof(st)))
			continue;
		for (k = 0; k < 3; k++) {
			sample_start(f, "dojo_state", &devs->dev[i], "state",
				     states[k]);
			fprintf(f, "%d\n", !strcmp(st, states[k]));
		}
	}
	family(f, "dojo_health", "gauge",
	       "The driver's health verdict: 1 for the current one.");
	for (i = 0; i < devs->n; i++) {
		char h[16];

		if (dojoctl_read_str(&devs->dev[i], "dojo/health", h, sizeof(h)))
			continue;
		for (k = 0; k < 3; k++) {
			sample_start(f, "dojo_health", &devs->dev[i], "health",
				     healths[k]);
			fprintf(f, "%d\n", !strcmp(h, healths[k]));
		}
	}

	family(f, "dojo_hbm_size_bytes", "gauge", "HBM size in bytes.");
	for (i = 0; i < devs->n; i++)
		u64_sample(f, "dojo_hbm_size_bytes", &devs->dev[i],
			   "dojo/hbm_size_bytes");
	family(f, "dojo_hbm_used_bytes", "gauge",
	       "HBM held by buffers, all clients together, in bytes.");
	for (i = 0; i < devs->n; i++)
		u64_sample(f, "dojo_hbm_used_bytes", &devs->dev[i],
			   "dojo/hbm_used_bytes");
	family(f, "dojo_device_resets_total", "counter",
	       "Device resets since the driver bound the DIP.");
	for (i = 0; i < devs->n; i++)
		u64_sample(f, "dojo_device_resets_total", &devs->dev[i],
			   "dojo/device_resets");
	family(f, "dojo_job_timeouts_total", "counter",
	       "Jobs that ran past the job timeout since the driver bound the DIP.");
	for (i = 0; i < devs->n; i++)
		u64_sample(f, "dojo_job_timeouts_total", &devs->dev[i],
			   "dojo/job_timeouts");
	family(f, "dojo_ecc_errors_total", "counter",
	       "HBM ECC errors since the driver bound the DIP.");
	for (i = 0; i < devs->n; i++) {
		field_sample(f, "dojo_ecc_errors_total", &devs->dev[i],
			     "ecc.corrected", 1, "type", "corrected");
		field_sample(f, "dojo_ecc_errors_total", &devs->dev[i],
			     "ecc.uncorrected", 1, "type", "uncorrected");
	}
	family(f, "dojo_temperature_celsius", "gauge",
	       "Temperature of a sensor in degrees Celsius.");
	for (i = 0; i < devs->n; i++) {
		field_sample(f, "dojo_temperature_celsius", &devs->dev[i],
			     "temperature.board", 1, "sensor", "board");
		field_sample(f, "dojo_temperature_celsius", &devs->dev[i],
			     "temperature.hbm", 1, "sensor", "hbm");
	}
	family(f, "dojo_temperature_max_celsius", "gauge",
	       "Warning threshold of a temperature sensor in degrees Celsius.");
	for (i = 0; i < devs->n; i++) {
		field_sample(f, "dojo_temperature_max_celsius", &devs->dev[i],
			     "temperature.board.max", 1, "sensor", "board");
		field_sample(f, "dojo_temperature_max_celsius", &devs->dev[i],
			     "temperature.hbm.max", 1, "sensor", "hbm");
	}
	family(f, "dojo_temperature_crit_celsius", "gauge",
	       "Critical threshold of a temperature sensor in degrees Celsius.");
	for (i = 0; i < devs->n; i++) {
		field_sample(f, "dojo_temperature_crit_celsius", &devs->dev[i],
			     "temperature.board.crit", 1, "sensor", "board");
		field_sample(f, "dojo_temperature_crit_celsius", &devs->dev[i],
			     "temperature.hbm.crit", 1, "sensor", "hbm");
	}
	family(f, "dojo_power_watts", "gauge", "Board power draw in watts.");
	for (i = 0; i < devs->n; i++)
		field_sample(f, "dojo_power_watts", &devs->dev[i], "power.draw",
			     1, NULL, NULL);
	family(f, "dojo_power_limit_watts", "gauge",
	       "Board power limit in watts.");
	for (i = 0; i < devs->n; i++)
		field_sample(f, "dojo_power_limit_watts", &devs->dev[i],
			     "power.limit", 1, NULL, NULL);
	family(f, "dojo_voltage_volts", "gauge", "Supply voltage in volts.");
	for (i = 0; i < devs->n; i++) {
		field_sample(f, "dojo_voltage_volts", &devs->dev[i],
			     "voltage.core", 1, "rail", "vdd_core");
		field_sample(f, "dojo_voltage_volts", &devs->dev[i],
			     "voltage.hbm", 1, "rail", "vdd_hbm");
	}
}

int dojoctl_prometheus(const struct dojoctl *ctl, int argc, char **argv)
{
	struct dojoctl_devs devs;
	char *tmp = NULL;
	FILE *f = stdout;
	int ret;

	if (argc > 1) {
		dojoctl_err("prometheus: unexpected argument '%s'", argv[1]);
		return DOJOCTL_EXIT_USAGE;
	}
	if (ctl->json) {
		dojoctl_err("prometheus: the output is the exposition format; "
			    "use --query -j for JSON");
		return DOJOCTL_EXIT_USAGE;
	}
	ret = dojoctl_select(ctl, argc, argv, false, false, &devs);
	if (!devs.dev)
		return ret;
	if (ctl->output) {
		if (asprintf(&tmp, "%s.%d.tmp", ctl->output, (int)getpid()) < 0) {
			tmp = NULL;
			dojoctl_err("out of memory");
			ret = DOJOCTL_EXIT_DEVICE;
			goto out;
		}
		f = fopen(tmp, "w");
		if (!f) {
			dojoctl_err("cannot write %s: %s", tmp, strerror(errno));
			ret = dojoctl_exit_code(errno);
			goto out;
		}
	}
	write_metrics(f, &devs);
	if (f != stdout) {
		bool bad = ferror(f);

		if (fclose(f) || bad || rename(tmp, ctl->output)) {
			dojoctl_err("cannot write %s: %s", ctl->output,
				    strerror(errno));
			unlink(tmp);
			dojoctl_first_failure(&ret, DOJOCTL_EXIT_DEVICE);
		}
	}
out:
	free(tmp);
	dojoctl_devs_free(&devs);
	return ret;
}
