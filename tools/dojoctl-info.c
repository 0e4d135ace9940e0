// SPDX-License-Identifier: MIT
/*
 * dojoctl info: every fact about the named DIPs (default: all).
 *
 * The facts come from sysfs and need no privilege. When the caller may open
 * the device node, the driver's DRM_IOCTL_DOJO_QUERY answer is compared with
 * sysfs as well; a caller who may not is told so in query_status's reason.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libsmartcols.h>

#include "dojoctl.h"

struct cmp {
	json_object *mismatches;
	const struct dojo_dev_info *d;
};

static void cmp_str(struct cmp *c, enum dojo_info_field f, const char *key,
		    const char *sysfs, const char *ioctl)
{
	if (!dojo_info_has(c->d, f))
		return;
	if (!ioctl || strcmp(sysfs, ioctl))
		json_object_array_add(c->mismatches,
				      json_object_new_string(key));
}

static void cmp_u64(struct cmp *c, enum dojo_info_field f, const char *key,
		    uint64_t sysfs, uint64_t ioctl)
{
	if (dojo_info_has(c->d, f) && sysfs != ioctl)
		json_object_array_add(c->mismatches,
				      json_object_new_string(key));
}

static void compare(struct cmp *c, const struct drm_dojo_device_info *q)
{
	const struct dojo_dev_info *d = c->d;
	char fw[32], regs[32];

	snprintf(fw, sizeof(fw), "%u.%u.%u", q->fw_version >> 16,
		 (q->fw_version >> 8) & 0xff, q->fw_version & 0xff);
	snprintf(regs, sizeof(regs), "%u.%u", q->regs_version >> 16,
		 q->regs_version & 0xffff);

	cmp_str(c, DOJO_FIELD_SERIAL, "serial", d->serial, q->serial);
	cmp_str(c, DOJO_FIELD_BUS_TYPE, "bus_type", d->bus_type,
		dojo_bus_type_name(q->bus_type));
	cmp_str(c, DOJO_FIELD_BUS_ADDR, "bus_addr", d->bus_addr, q->bus_addr);
	cmp_str(c, DOJO_FIELD_PLATFORM, "platform", d->platform,
		dojo_platform_name(q->platform));
	cmp_str(c, DOJO_FIELD_FW_VERSION, "fw_version", d->fw_version, fw);
	cmp_u64(c, DOJO_FIELD_HBM_SIZE, "hbm_size_bytes", d->hbm_size_bytes,
		q->hbm_size);
	cmp_str(c, DOJO_FIELD_REGS_VERSION, "regs_version", d->regs_version,
		regs);
	cmp_u64(c, DOJO_FIELD_VENDOR_ID, "vendor_id", d->vendor_id,
		q->vendor_id);
	cmp_u64(c, DOJO_FIELD_DEVICE_ID, "device_id", d->device_id,
		q->device_id);
	cmp_u64(c, DOJO_FIELD_REVISION, "revision", d->revision, q->revision);
	cmp_u64(c, DOJO_FIELD_NUM_DMA_QUEUES, "num_dma_queues",
		d->num_dma_queues, q->num_dma_queues);
	cmp_u64(c, DOJO_FIELD_NUM_TTP_PORTS, "num_ttp_ports",
		d->num_ttp_ports, q->num_ttp_ports);
	cmp_u64(c, DOJO_FIELD_NUM_TTPOE_PORTS, "num_ttpoe_ports",
		d->num_ttpoe_ports, q->num_ttpoe_ports);
	cmp_u64(c, DOJO_FIELD_PCIE_MAX_GEN, "pcie_max_gen", d->pcie_max_gen,
		q->pcie_max_gen);
	cmp_u64(c, DOJO_FIELD_PCIE_MAX_WIDTH, "pcie_max_width_lanes",
		d->pcie_max_width, q->pcie_max_width);
}

/*
 * Ask the driver through the device node and compare with sysfs.
 * Not being allowed to open the node is not an error: info needs no
 * privilege. A failing ioctl or a disagreement is (driver error).
 */
static int crosscheck(const struct dojo_dev_info *d, json_object *o)
{
	struct drm_dojo_device_info q;
	struct dojo_device *dev;
	struct cmp c = { .d = d };
	char reason[160];
	int err;

	err = dojo_open_info(d, &dev);
	if (err) {
		snprintf(reason, sizeof(reason), "cannot open %s: %s",
			 d->devnode, dojo_strerror(err));
		dojoctl_set_unavailable(o, "query_status", reason);
		return 0;
	}
	err = dojo_device_info(dev, &q);
	dojo_close(dev);
	if (err) {
		snprintf(reason, sizeof(reason),
			 "DRM_IOCTL_DOJO_QUERY failed: %s", dojo_strerror(err));
		dojoctl_set_unavailable(o, "query_status", reason);
		dojoctl_err("%s: %s", d->name, reason);
		return dojoctl_exit_code(err) == DOJOCTL_EXIT_PERM ?
			DOJOCTL_EXIT_PERM : DOJOCTL_EXIT_DEVICE;
	}

	json_object_object_get_ex(o, "query_mismatches", &c.mismatches);
	compare(&c, &q);
	if (json_object_array_length(c.mismatches)) {
		char list[256];

		dojoctl_format_value(o, "query_mismatches", list,
				     sizeof(list));
		json_object_object_add(o, "query_status",
				       json_object_new_string("mismatch"));
		dojoctl_err("%s: sysfs and DRM_IOCTL_DOJO_QUERY disagree on %s",
			    d->name, list);
		return DOJOCTL_EXIT_DEVICE;
	}
	json_object_object_add(o, "query_status",
			       json_object_new_string("match"));
	return 0;
}

static int print_device(const struct dojoctl *ctl, json_object *dev)
{
	struct libscols_table *tb;
	json_object *unav, *reason;
	char buf[256], val[320];
	int ret = DOJOCTL_EXIT_DEVICE;

	json_object_object_get_ex(dev, "unavailable", &unav);
	printf("%s:\n", json_object_get_string(
				json_object_object_get(dev, "name")));
	tb = scols_new_table();
	if (!tb)
		goto oom;
	scols_table_enable_noheadings(tb, 1);
	(void)ctl;
	if (!scols_table_new_column(tb, "FIELD", 0, 0) ||
	    !scols_table_new_column(tb, "VALUE", 0, 0))
		goto oom;

	json_object_object_foreach(dev, key, v) {
		struct libscols_line *ln;
		char name[64];

		if (!strcmp(key, "unavailable") || !strcmp(key, "name"))
			continue;
		if (!strcmp(key, "query_mismatches") &&
		    !json_object_array_length(v))
			continue;
		ln = scols_table_new_line(tb, NULL);
		if (!ln)
			goto oom;
		snprintf(name, sizeof(name), "  %s", key);
		if (!v && json_object_object_get_ex(unav, key, &reason)) {
			snprintf(val, sizeof(val), "unknown (%s)",
				 json_object_get_string(reason));
		} else {
			dojoctl_format_value(dev, key, buf, sizeof(buf));
			if (dojoctl_is_bytes_key(key) && v)
				snprintf(val, sizeof(val), "%" PRIu64 " (%s)",
					 json_object_get_uint64(v), buf);
			else
				snprintf(val, sizeof(val), "%s", buf);
		}
		if (scols_line_set_data(ln, 0, name) ||
		    scols_line_set_data(ln, 1, val))
			goto oom;
	}
	ret = scols_print_table(tb) ? DOJOCTL_EXIT_DEVICE : DOJOCTL_EXIT_OK;
	scols_unref_table(tb);
	return ret;
oom:
	dojoctl_err("out of memory");
	scols_unref_table(tb);
	return ret;
}

int dojoctl_info(const struct dojoctl *ctl, int argc, char **argv)
{
	struct dojoctl_devs devs;
	json_object *devices;
	int i, ret;
	size_t k;

	ret = dojoctl_select(ctl, argc, argv, true, false, &devs);
	if (!devs.dev)
		return ret;

	devices = json_object_new_array();
	for (i = 0; i < devs.n; i++) {
		json_object *o = dojoctl_device_json(devs.dev[i].info,
						     DOJOCTL_INFO);

		dojoctl_first_failure(&ret, crosscheck(devs.dev[i].info, o));
		json_object_array_add(devices, o);
	}

	if (ctl->json) {
		if (dojoctl_print_json(ctl, "dojoctl.info/1", devices))
			dojoctl_first_failure(&ret, DOJOCTL_EXIT_DEVICE);
	} else {
		for (k = 0; k < json_object_array_length(devices); k++) {
			if (k)
				putchar('\n');
			dojoctl_first_failure(&ret, print_device(ctl,
				json_object_array_get_idx(devices, k)));
		}
	}
	json_object_put(devices);
	dojoctl_devs_free(&devs);
	return ret;
}
