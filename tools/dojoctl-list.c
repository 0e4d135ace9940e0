// SPDX-License-Identifier: MIT
/* dojoctl list: one line per DIP, from sysfs, without opening any device. */
#include <stdio.h>

#include <libsmartcols.h>

#include "dojoctl.h"

static const struct {
	const char *header;
	const char *key;
	int flags;
} list_columns[] = {
	{ "INDEX", "index", SCOLS_FL_RIGHT },
	{ "NAME", "name", 0 },
	{ "SERIAL", "serial", 0 },
	{ "BUS", "bus_type", 0 },
	{ "BUS_ADDR", "bus_addr", 0 },
	{ "PLATFORM", "platform", 0 },
	{ "FW", "fw_version", 0 },
	{ "HBM", "hbm_size_bytes", SCOLS_FL_RIGHT },
};

#define NCOLS (sizeof(list_columns) / sizeof(list_columns[0]))

static int print_table(const struct dojoctl *ctl, json_object *devices)
{
	struct libscols_table *tb;
	size_t i, c, n = json_object_array_length(devices);
	char buf[256];
	int ret = DOJOCTL_EXIT_DEVICE;

	tb = scols_new_table();
	if (!tb)
		goto oom;
	scols_table_enable_noheadings(tb, ctl->noheadings);
	for (c = 0; c < NCOLS; c++)
		if (!scols_table_new_column(tb, list_columns[c].header, 0,
					    list_columns[c].flags))
			goto oom;
	for (i = 0; i < n; i++) {
		json_object *dev = json_object_array_get_idx(devices, i);
		struct libscols_line *ln = scols_table_new_line(tb, NULL);

		if (!ln)
			goto oom;
		for (c = 0; c < NCOLS; c++) {
			dojoctl_format_value(dev, list_columns[c].key, buf,
					     sizeof(buf));
			if (scols_line_set_data(ln, c, buf))
				goto oom;
		}
	}
	if (!n) {
		/* libsmartcols prints nothing for an empty table: keep a header */
		for (c = 0; !ctl->noheadings && c < NCOLS; c++)
			printf("%s%s", list_columns[c].header,
			       c + 1 < NCOLS ? " " : "\n");
		ret = DOJOCTL_EXIT_OK;
	} else {
		ret = scols_print_table(tb) ? DOJOCTL_EXIT_DEVICE :
					      DOJOCTL_EXIT_OK;
	}
	scols_unref_table(tb);
	return ret;
oom:
	dojoctl_err("out of memory");
	scols_unref_table(tb);
	return ret;
}

int dojoctl_list(const struct dojoctl *ctl, int argc, char **argv)
{
	struct dojoctl_devs devs;
	json_object *devices;
	int i, ret, err;

	if (argc > 1) {
		dojoctl_err("list: unexpected argument '%s' (see dojoctl --help)",
			    argv[1]);
		return DOJOCTL_EXIT_USAGE;
	}
	err = dojoctl_select(ctl, argc, argv, false, false, &devs);
	if (!devs.dev)
		return err;

	devices = json_object_new_array();
	for (i = 0; i < devs.n; i++)
		json_object_array_add(devices,
			dojoctl_device_json(devs.dev[i].info, DOJOCTL_LIST));
	dojoctl_devs_free(&devs);

	if (ctl->json)
		ret = dojoctl_print_json(ctl, "dojoctl.list/1", devices) ?
			DOJOCTL_EXIT_DEVICE : DOJOCTL_EXIT_OK;
	else
		ret = print_table(ctl, devices);
	json_object_put(devices);
	return err ? err : ret;
}
