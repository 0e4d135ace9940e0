// SPDX-License-Identifier: MIT
/* dojoctl fw: the firmware and register interface versions of each DIP. */
#include <libsmartcols.h>

#include "dojoctl.h"

static const char *const fw_fields[] = {
	"serial", "fw_version", "regs_version",
};

#define NFW (sizeof(fw_fields) / sizeof(fw_fields[0]))

static const struct dojoctl_column fw_columns[] = {
	{ "NAME", 0 },
	{ "SERIAL", 0 },
	{ "FW", 0 },
	{ "REGS", 0 },
};

int dojoctl_fw(const struct dojoctl *ctl, int argc, char **argv)
{
	struct libscols_table *tb = NULL;
	struct dojoctl_devs devs;
	json_object *devices = NULL;
	unsigned int k;
	int i, ret;

	ret = dojoctl_select(ctl, argc, argv, true, true, &devs);
	if (!devs.n) {
		dojoctl_devs_free(&devs);
		return ret;
	}
	if (ctl->json) {
		devices = json_object_new_array();
	} else {
		tb = dojoctl_new_table(ctl, fw_columns, ARRAY_SIZE(fw_columns));
		if (!tb)
			goto oom;
	}
	for (i = 0; i < devs.n; i++) {
		const struct dojoctl_dev *d = &devs.dev[i];
		struct libscols_line *ln = NULL;
		json_object *o = NULL, *unav = NULL;

		if (devices) {
			o = json_object_new_object();
			unav = json_object_new_object();
			json_object_object_add(o, "index",
					       json_object_new_int(d->index));
			json_object_object_add(o, "name",
					       json_object_new_string(d->name));
		} else {
			ln = scols_table_new_line(tb, NULL);
			if (!ln)
				goto oom;
			scols_line_set_data(ln, 0, d->name);
		}
		for (k = 0; k < NFW; k++) {
			const struct dojoctl_field *f =
				dojoctl_field_find(fw_fields[k]);
			struct dojoctl_value v;
			char buf[64];

			dojoctl_field_get(f, d, &v);
			if (o) {
				dojoctl_json_add_value(o, unav, f->key, &v);
				continue;
			}
			dojoctl_value_text(f, &v, true, buf, sizeof(buf));
			scols_line_set_data(ln, k + 1, v.err ? "-" : buf);
		}
		if (o) {
			json_object_object_add(o, "unavailable", unav);
			json_object_array_add(devices, o);
		}
	}
	if (devices) {
		if (dojoctl_print_json(ctl, "dojoctl.fw/1", devices))
			dojoctl_first_failure(&ret, DOJOCTL_EXIT_DEVICE);
		json_object_put(devices);
	} else {
		if (scols_print_table(tb))
			dojoctl_first_failure(&ret, DOJOCTL_EXIT_DEVICE);
		scols_unref_table(tb);
	}
	dojoctl_devs_free(&devs);
	return ret;
oom:
	dojoctl_err("out of memory");
	scols_unref_table(tb);
	json_object_put(devices);
	dojoctl_devs_free(&devs);
	return DOJOCTL_EXIT_DEVICE;
}
