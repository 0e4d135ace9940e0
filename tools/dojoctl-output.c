// SPDX-License-Identifier: MIT
/* dojoctl: errors, exit codes and the device object shared by all output. */
#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libsmartcols.h>

#include "dojoctl.h"

void dojoctl_err(const char *fmt, ...)
{
	va_list ap;

	fputs("dojoctl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void dojoctl_first_failure(int *ret, int code)
{
	if (!*ret)
		*ret = code;
}

void dojoctl_warn(const char *fmt, ...)
{
	va_list ap;

	fputs("dojoctl: warning: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int dojoctl_exit_code(int err)
{
	if (err < 0)
		err = -err;
	switch (err) {
	case 0:
		return DOJOCTL_EXIT_OK;
	case ENODEV:
		return DOJOCTL_EXIT_NODEV;
	case EACCES:
	case EPERM:
		return DOJOCTL_EXIT_PERM;
	}
	return DOJOCTL_EXIT_DEVICE;
}

/* Why a field has no value: the text of "unavailable" entries. */
const char *dojoctl_reason(int err)
{
	if (err < 0)
		err = -err;
	switch (err) {
	case ENOENT:
		return "not provided by the driver";
	case EACCES:
	case EPERM:
		return "permission denied";
	case EINVAL:
		return "unparsable value";
	case ENODATA:
		return "empty value";
	case ENODEV:
		return "not a PCI device";
	case EOVERFLOW:
		return "value too long";
	}
	return dojo_strerror(err);
}

int dojoctl_enumerate(const struct dojoctl *ctl, struct dojo_dev_info ***list,
		      int *count)
{
	int err = dojo_enumerate(ctl->sysroot, list, count);

	if (err)
		dojoctl_err("cannot enumerate DIPs in %s/sys/class/accel: %s",
			    ctl->sysroot ? ctl->sysroot : "",
			    dojo_strerror(err));
	return err;
}

enum jtype { J_STR, J_U32, J_U64 };

/*
 * The sysfs-backed fields of a device object, in output order.
 * key is the JSON key (and the field name the info view shows).
 */
static const struct jfield {
	const char *key;
	enum dojo_info_field field;
	enum jtype type;
	size_t off;
	enum dojoctl_detail detail;	/* first view that shows it */
} jfields[] = {
#define F(k, f, t, m, d) { k, f, t, offsetof(struct dojo_dev_info, m), d }
	F("serial", DOJO_FIELD_SERIAL, J_STR, serial, DOJOCTL_LIST),
	F("bus_type", DOJO_FIELD_BUS_TYPE, J_STR, bus_type, DOJOCTL_LIST),
	F("bus_addr", DOJO_FIELD_BUS_ADDR, J_STR, bus_addr, DOJOCTL_LIST),
	F("platform", DOJO_FIELD_PLATFORM, J_STR, platform, DOJOCTL_LIST),
	F("fw_version", DOJO_FIELD_FW_VERSION, J_STR, fw_version,
	  DOJOCTL_LIST),
	F("hbm_size_bytes", DOJO_FIELD_HBM_SIZE, J_U64, hbm_size_bytes,
	  DOJOCTL_LIST),
	F("regs_version", DOJO_FIELD_REGS_VERSION, J_STR, regs_version,
	  DOJOCTL_INFO),
	F("vendor_id", DOJO_FIELD_VENDOR_ID, J_U32, vendor_id, DOJOCTL_INFO),
	F("device_id", DOJO_FIELD_DEVICE_ID, J_U32, device_id, DOJOCTL_INFO),
	F("revision", DOJO_FIELD_REVISION, J_U32, revision, DOJOCTL_INFO),
	F("num_dma_queues", DOJO_FIELD_NUM_DMA_QUEUES, J_U32, num_dma_queues,
	  DOJOCTL_INFO),
	F("num_ttp_ports", DOJO_FIELD_NUM_TTP_PORTS, J_U32, num_ttp_ports,
	  DOJOCTL_INFO),
	F("num_ttpoe_ports", DOJO_FIELD_NUM_TTPOE_PORTS, J_U32,
	  num_ttpoe_ports, DOJOCTL_INFO),
	F("pcie_max_gen", DOJO_FIELD_PCIE_MAX_GEN, J_U32, pcie_max_gen,
	  DOJOCTL_INFO),
	F("pcie_max_width_lanes", DOJO_FIELD_PCIE_MAX_WIDTH, J_U32,
	  pcie_max_width, DOJOCTL_INFO),
	F("pcie_link_gen", DOJO_FIELD_PCIE_LINK_GEN, J_U32, pcie_link_gen,
	  DOJOCTL_INFO),
	F("pcie_link_width_lanes", DOJO_FIELD_PCIE_LINK_WIDTH, J_U32,
	  pcie_link_width, DOJOCTL_INFO),
	F("hbm_used_bytes", DOJO_FIELD_HBM_USED, J_U64, hbm_used_bytes,
	  DOJOCTL_INFO),
	F("device_resets", DOJO_FIELD_DEVICE_RESETS, J_U32, device_resets,
	  DOJOCTL_INFO),
	F("job_timeouts", DOJO_FIELD_JOB_TIMEOUTS, J_U32, job_timeouts,
	  DOJOCTL_INFO),
#undef F
};

void dojoctl_set_unavailable(json_object *dev, const char *key,
			     const char *reason)
{
	json_object *unav;

	json_object_object_add(dev, key, NULL);
	if (!json_object_object_get_ex(dev, "unavailable", &unav)) {
		unav = json_object_new_object();
		json_object_object_add(dev, "unavailable", unav);
	}
	json_object_object_add(unav, key, json_object_new_string(reason));
}

json_object *dojoctl_device_json(const struct dojo_dev_info *d,
				 enum dojoctl_detail detail)
{
	json_object *o = json_object_new_object();
	json_object *unav = json_object_new_object();
	unsigned int i;

	json_object_object_add(o, "index", json_object_new_int(d->index));
	json_object_object_add(o, "name", json_object_new_string(d->name));
	json_object_object_add(o, "minor", json_object_new_int(d->minor));
	json_object_object_add(o, "devnode",
			       json_object_new_string(d->devnode));
	if (detail >= DOJOCTL_INFO) {
		if (d->driver[0])
			json_object_object_add(o, "driver",
				json_object_new_string(d->driver));
		else {
			json_object_object_add(o, "driver", NULL);
			json_object_object_add(unav, "driver",
				json_object_new_string("no driver bound"));
		}
	}

	for (i = 0; i < sizeof(jfields) / sizeof(jfields[0]); i++) {
		const struct jfield *f = &jfields[i];
		const char *p = (const char *)d + f->off;
		json_object *v = NULL;

		if (f->detail > detail)
			continue;
		if (!dojo_info_has(d, f->field)) {
			json_object_object_add(o, f->key, NULL);
			json_object_object_add(unav, f->key,
				json_object_new_string(
					dojoctl_reason(d->field_err[f->field])));
		} else {
			switch (f->type) {
			case J_STR:
				v = json_object_new_string(p);
				break;
			case J_U32:
				v = json_object_new_int64(*(const uint32_t *)p);
				break;
			case J_U64:
				v = json_object_new_uint64(
					*(const uint64_t *)p);
				break;
			}
			json_object_object_add(o, f->key, v);
		}
		/* libpci's facts follow the sysfs link (config space as root) */
		if (detail >= DOJOCTL_INFO &&
		    f->field == DOJO_FIELD_PCIE_LINK_WIDTH)
			dojoctl_pci_json(d, o, unav);
	}
	if (detail >= DOJOCTL_INFO) {
		/* filled by the info command; placed here to keep key order */
		json_object_object_add(o, "query_status", NULL);
		json_object_object_add(o, "query_mismatches",
				       json_object_new_array());
	}
	json_object_object_add(o, "unavailable", unav);
	return o;
}

struct libscols_table *dojoctl_new_table(const struct dojoctl *ctl,
					 const struct dojoctl_column *cols,
					 size_t n)
{
	struct libscols_table *tb = scols_new_table();
	size_t i;

	if (!tb)
		return NULL;
	scols_table_enable_noheadings(tb, ctl->noheadings);
	for (i = 0; i < n; i++)
		if (!scols_table_new_column(tb, cols[i].header, 0, cols[i].flags)) {
			scols_unref_table(tb);
			return NULL;
		}
	return tb;
}

json_object *dojoctl_new_doc(const char *schema)
{
	json_object *top = json_object_new_object();

	json_object_object_add(top, "schema", json_object_new_string(schema));
	return top;
}

int dojoctl_print_doc(const struct dojoctl *ctl, json_object *top)
{
	int flags = JSON_C_TO_STRING_NOSLASHESCAPE;

	flags |= ctl->pretty ? JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED
			     : JSON_C_TO_STRING_PLAIN;
	if (puts(json_object_to_json_string_ext(top, flags)) == EOF)
		return -EIO;
	return 0;
}

int dojoctl_print_json(const struct dojoctl *ctl, const char *schema,
		       json_object *devices)
{
	json_object *top = dojoctl_new_doc(schema);
	int ret;

	json_object_object_add(top, "devices", json_object_get(devices));
	ret = dojoctl_print_doc(ctl, top);
	json_object_put(top);
	return ret;
}

void dojoctl_format_bytes(uint64_t bytes, char *buf, size_t size)
{
	static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB",
					     "PiB", "EiB" };
	unsigned int u = 0;
	double v = (double)bytes;

	while (u + 1 < sizeof(units) / sizeof(units[0]) && v >= 1024.0) {
		v /= 1024.0;
		u++;
	}
	if (v == (double)(uint64_t)v)
		snprintf(buf, size, "%" PRIu64 " %s", (uint64_t)v, units[u]);
	else
		snprintf(buf, size, "%.1f %s", v, units[u]);
}

bool dojoctl_is_bytes_key(const char *key)
{
	return !strcmp(key, "hbm_size_bytes") || !strcmp(key, "hbm_used_bytes");
}

static bool is_hex_key(const char *key)
{
	return !strcmp(key, "vendor_id") || !strcmp(key, "device_id") ||
	       !strcmp(key, "revision") ||
	       !strcmp(key, "pci_subsystem_vendor_id") ||
	       !strcmp(key, "pci_subsystem_id");
}

void dojoctl_format_value(json_object *dev, const char *key, char *buf,
			  size_t size)
{
	json_object *v;
	char tmp[32];

	if (!json_object_object_get_ex(dev, key, &v) || !v) {
		snprintf(buf, size, "-");
		return;
	}
	switch (json_object_get_type(v)) {
	case json_type_int:
		if (dojoctl_is_bytes_key(key)) {
			dojoctl_format_bytes(json_object_get_uint64(v), tmp,
					     sizeof(tmp));
			snprintf(buf, size, "%s", tmp);
		} else if (is_hex_key(key)) {
			/* PCI style: 16-bit ids, 8-bit revision */
			snprintf(buf, size, strcmp(key, "revision") ?
				 "0x%04" PRIx64 : "0x%02" PRIx64,
				 json_object_get_uint64(v));
		} else {
			snprintf(buf, size, "%" PRId64,
				 json_object_get_int64(v));
		}
		break;
	case json_type_boolean:
		snprintf(buf, size, "%s",
			 json_object_get_boolean(v) ? "yes" : "no");
		break;
	case json_type_array: {
		size_t i, n = json_object_array_length(v), len = 0;

		buf[0] = '\0';
		for (i = 0; i < n && len < size; i++)
			len += snprintf(buf + len, size - len, "%s%s",
					i ? "," : "",
					json_object_get_string(
						json_object_array_get_idx(v, i)));
		if (!n)
			snprintf(buf, size, "-");
		break;
	}
	default:
		snprintf(buf, size, "%s", json_object_get_string(v));
		break;
	}
}
