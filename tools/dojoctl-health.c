// SPDX-License-Identifier: MIT
/*
 * dojoctl health: OK, WARN or CRIT per component of each DIP, against the
 * thresholds documented in docs/dojoctl.md; the exit code is that of the
 * worst component of all (0, 8 WARN, 9 CRIT). A component whose values are
 * unknown (a driver without the attribute, no hwmon) is UNKNOWN and does
 * not change the exit code.
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include <libsmartcols.h>

#include "dojoctl.h"

enum status { ST_UNKNOWN, ST_OK, ST_WARN, ST_CRIT };

static const char *const status_name[] = {
	[ST_UNKNOWN] = "UNKNOWN", [ST_OK] = "OK", [ST_WARN] = "WARN",
	[ST_CRIT] = "CRIT",
};

/* Defaults when the card does not say (hwmon _max/_crit), in degrees C. */
#define TEMP_BOARD_MAX	85.0
#define TEMP_BOARD_CRIT	95.0
#define TEMP_HBM_MAX	85.0
#define TEMP_HBM_CRIT	95.0
/* Corrected ECC errors since probe from which HBM is suspect. */
#define ECC_CORRECTED_WARN	100

struct comp {
	const char *name;
	enum status st;
	struct dojoctl_value value;
	const char *unit;
	bool has_warn, has_crit;
	double warn, crit;
	char detail[160];
};

static void value_of(const struct dojoctl_dev *d, const char *field,
		     struct dojoctl_value *v)
{
	dojoctl_field_get(dojoctl_field_find(field), d, v);
}

static void check_state(const struct dojoctl_dev *d, struct comp *c)
{
	c->name = "state";
	value_of(d, "state", &c->value);
	if (c->value.err) {
		snprintf(c->detail, sizeof(c->detail), "%s",
			 dojoctl_value_reason(&c->value));
		return;
	}
	if (!strcmp(c->value.str, "online")) {
		c->st = ST_OK;
	} else if (!strcmp(c->value.str, "wedged")) {
		c->st = ST_CRIT;
		snprintf(c->detail, sizeof(c->detail),
			 "a reset failed: reset it again or rebind the driver");
	} else if (!strcmp(c->value.str, "lost")) {
		c->st = ST_CRIT;
		snprintf(c->detail, sizeof(c->detail),
			 "the card left the bus");
	} else {
		c->st = ST_WARN;
		snprintf(c->detail, sizeof(c->detail), "unknown state");
	}
}

static void check_driver(const struct dojoctl_dev *d, struct comp *c)
{
	c->name = "driver";
	value_of(d, "health", &c->value);
	if (c->value.err) {
		snprintf(c->detail, sizeof(c->detail), "%s",
			 dojoctl_value_reason(&c->value));
		return;
	}
	if (!strcmp(c->value.str, "ok"))
		c->st = ST_OK;
	else if (!strcmp(c->value.str, "warning"))
		c->st = ST_WARN;
	else
		c->st = ST_CRIT;
	snprintf(c->detail, sizeof(c->detail), "the driver's verdict");
}

static void check_temp(const struct dojoctl_dev *d, struct comp *c,
		       const char *name, int nr, double max, double crit)
{
	struct dojoctl_value t;
	char file[32], field[64];
	int64_t alarm;

	c->name = name;
	c->unit = "C";
	value_of(d, name, &c->value);
	snprintf(field, sizeof(field), "%s.max", name);
	value_of(d, field, &t);
	c->warn = t.err ? max : t.f;
	snprintf(field, sizeof(field), "%s.crit", name);
	value_of(d, field, &t);
	c->crit = t.err ? crit : t.f;
	c->has_warn = c->has_crit = true;
	if (c->value.err) {
		snprintf(c->detail, sizeof(c->detail), "%s",
			 dojoctl_value_reason(&c->value));
		return;
	}
	c->st = ST_OK;
	snprintf(file, sizeof(file), "temp%d_crit_alarm", nr);
	if (c->value.f >= c->crit ||
	    (!dojoctl_hwmon_s64(d, file, &alarm) && alarm)) {
		c->st = ST_CRIT;
		snprintf(c->detail, sizeof(c->detail),
			 "at or above the critical threshold");
		return;
	}
	snprintf(file, sizeof(file), "temp%d_max_alarm", nr);
	if (c->value.f >= c->warn ||
	    (!dojoctl_hwmon_s64(d, file, &alarm) && alarm)) {
		c->st = ST_WARN;
		snprintf(c->detail, sizeof(c->detail),
			 "at or above the warning threshold");
	}
}

static void check_power(const struct dojoctl_dev *d, struct comp *c)
{
	struct dojoctl_value lim;

	c->name = "power.draw";
	c->unit = "W";
	value_of(d, "power.draw", &c->value);
	value_of(d, "power.limit", &lim);
	if (!lim.err) {
		c->has_warn = true;
		c->warn = lim.f;
	}
	if (c->value.err) {
		snprintf(c->detail, sizeof(c->detail), "%s",
			 dojoctl_value_reason(&c->value));
		return;
	}
	c->st = ST_OK;
	if (c->has_warn && c->value.f > c->warn) {
		c->st = ST_WARN;
		snprintf(c->detail, sizeof(c->detail), "above the power limit");
	}
}

static void check_volt(const struct dojoctl_dev *d, struct comp *c,
		       const char *name, int nr)
{
	char file[32];
	int64_t alarm, min, max;

	c->name = name;
	c->unit = "V";
	value_of(d, name, &c->value);
	if (c->value.err) {
		snprintf(c->detail, sizeof(c->detail), "%s",
			 dojoctl_value_reason(&c->value));
		return;
	}
	c->st = ST_OK;
	snprintf(file, sizeof(file), "in%d_min", nr);
	if (dojoctl_hwmon_s64(d, file, &min))
		min = INT64_MIN;
	snprintf(file, sizeof(file), "in%d_max", nr);
	if (dojoctl_hwmon_s64(d, file, &max))
		max = INT64_MAX;
	snprintf(file, sizeof(file), "in%d_alarm", nr);
	if ((!dojoctl_hwmon_s64(d, file, &alarm) && alarm) ||
	    c->value.f * 1000 < (double)min || c->value.f * 1000 > (double)max) {
		c->st = ST_CRIT;
		snprintf(c->detail, sizeof(c->detail),
			 "outside its range (%.3f to %.3f V)",
			 min == INT64_MIN ? 0 : min / 1000.0,
			 max == INT64_MAX ? 0 : max / 1000.0);
	}
}

static void check_ecc(const struct dojoctl_dev *d, struct comp *c, bool unc)
{
	c->name = unc ? "ecc.uncorrected" : "ecc.corrected";
	value_of(d, c->name, &c->value);
	c->has_warn = true;
	c->warn = unc ? 1 : ECC_CORRECTED_WARN;
	if (unc) {
		c->has_crit = true;
		c->crit = 1;
	}
	if (c->value.err) {
		snprintf(c->detail, sizeof(c->detail), "%s",
			 dojoctl_value_reason(&c->value));
		return;
	}
	c->st = ST_OK;
	if (unc && c->value.i > 0) {
		c->st = ST_CRIT;
		snprintf(c->detail, sizeof(c->detail),
			 "uncorrected HBM errors: data was lost");
	} else if (!unc && c->value.i >= ECC_CORRECTED_WARN) {
		c->st = ST_WARN;
		snprintf(c->detail, sizeof(c->detail),
			 "many corrected HBM errors");
	}
}

#define NCOMP 9

static int check_dev(const struct dojoctl_dev *d, struct comp *c)
{
	int n = 0;

	memset(c, 0, sizeof(*c) * NCOMP);
	check_state(d, &c[n++]);
	check_driver(d, &c[n++]);
	check_temp(d, &c[n++], "temperature.board", 1, TEMP_BOARD_MAX,
		   TEMP_BOARD_CRIT);
	check_temp(d, &c[n++], "temperature.hbm", 2, TEMP_HBM_MAX,
		   TEMP_HBM_CRIT);
	check_power(d, &c[n++]);
	check_volt(d, &c[n++], "voltage.core", 0);
	check_volt(d, &c[n++], "voltage.hbm", 1);
	check_ecc(d, &c[n++], false);
	check_ecc(d, &c[n++], true);
	return n;
}

static enum status worst_of(const struct comp *c, int n)
{
	enum status w = ST_UNKNOWN;
	int i;

	for (i = 0; i < n; i++)
		if (c[i].st > w)
			w = c[i].st;
	return w;
}

static json_object *comp_json(const struct comp *c)
{
	json_object *o = json_object_new_object();
	json_object *unav = json_object_new_object();

	json_object_object_add(o, "component", json_object_new_string(c->name));
	json_object_object_add(o, "status",
			       json_object_new_string(status_name[c->st]));
	dojoctl_json_add_value(o, unav, "value", &c->value);
	json_object_object_add(o, "unit",
			       c->unit ? json_object_new_string(c->unit) : NULL);
	json_object_object_add(o, "warn_threshold", c->has_warn ?
			       json_object_new_double(c->warn) : NULL);
	json_object_object_add(o, "crit_threshold", c->has_crit ?
			       json_object_new_double(c->crit) : NULL);
	json_object_object_add(o, "detail", json_object_new_string(c->detail));
	json_object_object_add(o, "unavailable", unav);
	return o;
}

static const struct dojoctl_column health_columns[] = {
	{ "NAME", 0 },
	{ "COMPONENT", 0 },
	{ "STATUS", 0 },
	{ "VALUE", SCOLS_FL_RIGHT },
	{ "WARN", SCOLS_FL_RIGHT },
	{ "CRIT", SCOLS_FL_RIGHT },
	{ "DETAIL", 0 },
};

int dojoctl_health(const struct dojoctl *ctl, int argc, char **argv)
{
	struct libscols_table *tb = NULL;
	struct dojoctl_devs devs;
	struct comp comps[NCOMP];
	json_object *devices = NULL;
	enum status all = ST_UNKNOWN;
	int i, k, n, ret;

	ret = dojoctl_select(ctl, argc, argv, true, true, &devs);
	if (!devs.n) {
		dojoctl_devs_free(&devs);
		return ret;
	}

	if (ctl->json) {
		devices = json_object_new_array();
	} else {
		tb = dojoctl_new_table(ctl, health_columns, ARRAY_SIZE(health_columns));
		if (!tb)
			goto oom;
	}

	for (i = 0; i < devs.n; i++) {
		const struct dojoctl_dev *d = &devs.dev[i];
		enum status w;
		json_object *o, *arr;
		char serial[64];

		n = check_dev(d, comps);
		w = worst_of(comps, n);
		if (w > all)
			all = w;
		if (dojoctl_read_str(d, "dojo/serial_number", serial,
				     sizeof(serial)))
			serial[0] = '\0';
		if (devices) {
			o = json_object_new_object();
			arr = json_object_new_array();
			json_object_object_add(o, "index",
					       json_object_new_int(d->index));
			json_object_object_add(o, "name",
					       json_object_new_string(d->name));
			json_object_object_add(o, "serial", serial[0] ?
				json_object_new_string(serial) : NULL);
			json_object_object_add(o, "status",
				json_object_new_string(status_name[w]));
			for (k = 0; k < n; k++)
				json_object_array_add(arr, comp_json(&comps[k]));
			json_object_object_add(o, "components", arr);
			json_object_array_add(devices, o);
			continue;
		}
		for (k = -1; k < n; k++) {
			struct libscols_line *ln = scols_table_new_line(tb, NULL);
			const struct comp *c = k < 0 ? NULL : &comps[k];
			char val[64], warn[32] = "", crit[32] = "";
			const char *unit;

			if (!ln)
				goto oom;
			if (!c) {
				scols_line_set_data(ln, 0, d->name);
				scols_line_set_data(ln, 1, "overall");
				scols_line_set_data(ln, 2, status_name[w]);
				if (serial[0]) {
					char s[80];

					snprintf(s, sizeof(s), "serial %s", serial);
					scols_line_set_data(ln, 6, s);
				}
				continue;
			}
			unit = c->unit ? c->unit : "";
			dojoctl_value_text(NULL, &c->value, false, val,
					   sizeof(val));
			if (!c->value.err && c->unit)
				snprintf(val, sizeof(val), "%.*f %s",
					 !strcmp(unit, "V") ? 3 : 1,
					 c->value.f, unit);
			if (c->value.err)
				snprintf(val, sizeof(val), "-");
			if (c->has_warn)
				snprintf(warn, sizeof(warn), "%g%s%s", c->warn,
					 *unit ? " " : "", unit);
			if (c->has_crit)
				snprintf(crit, sizeof(crit), "%g%s%s", c->crit,
					 *unit ? " " : "", unit);
			scols_line_set_data(ln, 0, d->name);
			scols_line_set_data(ln, 1, c->name);
			scols_line_set_data(ln, 2, status_name[c->st]);
			scols_line_set_data(ln, 3, val);
			scols_line_set_data(ln, 4, warn);
			scols_line_set_data(ln, 5, crit);
			scols_line_set_data(ln, 6, c->detail);
		}
	}

	if (devices) {
		json_object *top = dojoctl_new_doc("dojoctl.health/1");

		json_object_object_add(top, "status",
				       json_object_new_string(status_name[all]));
		json_object_object_add(top, "devices", devices);
		if (dojoctl_print_doc(ctl, top))
			dojoctl_first_failure(&ret, DOJOCTL_EXIT_DEVICE);
		json_object_put(top);
	} else {
		if (scols_print_table(tb))
			dojoctl_first_failure(&ret, DOJOCTL_EXIT_DEVICE);
		scols_unref_table(tb);
	}
	dojoctl_devs_free(&devs);
	if (ret)
		return ret;
	return all == ST_CRIT ? DOJOCTL_EXIT_CRIT :
	       all == ST_WARN ? DOJOCTL_EXIT_WARN : DOJOCTL_EXIT_OK;
oom:
	dojoctl_err("out of memory");
	scols_unref_table(tb);
	json_object_put(devices);
	dojoctl_devs_free(&devs);
	return DOJOCTL_EXIT_DEVICE;
}
