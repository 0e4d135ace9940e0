// SPDX-License-Identifier: MIT
/*
 * dojoctl: every value the query, monitor, health and prometheus commands
 * report, by name, with its unit and where it comes from. One table, so that
 * --help-query, the CSV columns, the JSON keys and docs/dojoctl.md agree.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dojoctl.h"

#define MIB (1024 * 1024)

static void set_err(struct dojoctl_value *v, int err, const char *reason)
{
	v->err = err ? err : -EINVAL;
	v->reason = reason;
}

static void set_int(struct dojoctl_value *v, int64_t i)
{
	v->err = 0;
	v->i = i;
}

static void set_float(struct dojoctl_value *v, double f)
{
	v->err = 0;
	v->is_float = true;
	v->f = f;
}

/* sysfs string attribute arg, relative to the card's device dir */
static void get_str(const struct dojoctl_dev *d, struct dojoctl_value *v)
{
	char arg[sizeof(v->str)];
	int err;

	snprintf(arg, sizeof(arg), "%s", v->str);
	v->is_str = true;
	err = dojoctl_read_str(d, arg, v->str, sizeof(v->str));
	if (err)
		set_err(v, err, NULL);
}

static void get_u64(const struct dojoctl_dev *d, struct dojoctl_value *v)
{
	uint64_t x;
	int err = dojoctl_read_u64(d, v->str, &x);

	v->str[0] = '\0';
	if (err)
		set_err(v, err, NULL);
	else
		set_int(v, (int64_t)x);
}

static void get_mib(const struct dojoctl_dev *d, struct dojoctl_value *v)
{
	get_u64(d, v);
	if (!v->err)
		v->i /= MIB;
}

static void get_hbm_free(const struct dojoctl_dev *d, struct dojoctl_value *v)
{
	uint64_t size, used;
	int err;

	err = dojoctl_read_u64(d, "dojo/hbm_size_bytes", &size);
	if (!err)
		err = dojoctl_read_u64(d, "dojo/hbm_used_bytes", &used);
	if (err)
		set_err(v, err, NULL);
	else
		set_int(v, (int64_t)((size - (used < size ? used : size)) / MIB));
}

static void get_index(const struct dojoctl_dev *d, struct dojoctl_value *v)
{
	set_int(v, d->index);
}

static void get_name(const struct dojoctl_dev *d, struct dojoctl_value *v)
{
	v->is_str = true;
	snprintf(v->str, sizeof(v->str), "%s", d->name);
}

/* hwmon: arg is "file/scale"; value = raw / scale */
static void get_hwmon(const struct dojoctl_dev *d, struct dojoctl_value *v)
{
	char file[sizeof(v->str)], *slash;
	double scale = 1;
	int64_t raw;
	int err;

	snprintf(file, sizeof(file), "%s", v->str);
	v->str[0] = '\0';
	slash = strchr(file, '/');
	if (slash) {
		*slash = '\0';
		scale = atof(slash + 1);
	}
	if (!d->hwmon[0]) {
		set_err(v, -ENOENT, "no hwmon sensors (driver without hwmon)");
		return;
	}
	err = dojoctl_hwmon_s64(d, file, &raw);
	if (err == -ENOENT)
		set_err(v, err, "sensor not provided by the driver");
	else if (err)
		set_err(v, err, NULL);
	else
		set_float(v, (double)raw / scale);
}

/* power limit: power1_cap, else power1_max */
static void get_power_limit(const struct dojoctl_dev *d,
			    struct dojoctl_value *v)
{
	snprintf(v->str, sizeof(v->str), "power1_cap/1000000");
	get_hwmon(d, v);
	if (v->err == -ENOENT && d->hwmon[0]) {
		memset(v, 0, sizeof(*v));
		snprintf(v->str, sizeof(v->str), "power1_max/1000000");
		get_hwmon(d, v);
	}
}

/*
 * The PCIe link: config space through libpci when readable (root), else
 * the PCI function's sysfs attributes. arg: "cap" or "cur", "gen" or
 * "width".
 */
static void get_link(const struct dojoctl_dev *d, struct dojoctl_value *v)
{
	bool cap = !strncmp(v->str, "cap", 3);
	bool width = strstr(v->str, "width");
	struct dojoctl_pci p;

	v->str[0] = '\0';
	dojoctl_pci_read(d->name, &p);
	dojoctl_pci_link(d->name, &p, cap, width, v);
	if (v->err && !v->reason && p.err == -ENODEV)
		v->reason = "not a PCI device";
}

/* config space only: "supported" or "enabled" ASPM states */
static void get_aspm(const struct dojoctl_dev *d, struct dojoctl_value *v)
{
	bool enabled = !strcmp(v->str, "enabled");
	struct dojoctl_pci p;

	v->is_str = true;
	v->str[0] = '\0';
	dojoctl_pci_read(d->name, &p);
	if (p.cap_err) {
		set_err(v, p.cap_err, p.cap_reason);
		return;
	}
	snprintf(v->str, sizeof(v->str), "%s", dojoctl_pci_aspm(&p, enabled));
}

/* pci.ids: "vendor" or "device" name, by libpci */
static void get_pci_name(const struct dojoctl_dev *d, struct dojoctl_value *v)
{
	bool vendor = !strcmp(v->str, "vendor");
	struct dojoctl_pci p;

	v->is_str = true;
	v->str[0] = '\0';
	dojoctl_pci_read(d->name, &p);
	if (p.err) {
		set_err(v, p.err, p.reason);
		return;
	}
	snprintf(v->str, sizeof(v->str), "%s",
		 vendor ? p.vendor_name : p.device_name);
}

/*
 * A number of the TTP or Z-plane port, decimal or 0x-hex (a node id may
 * be printed either way; leading zeros are not octal); the tile fields
 * are -1 while the TTP link is down.
 */
static void get_port_int(const struct dojoctl_dev *d, struct dojoctl_value *v)
{
	char buf[64], *p, *end;
	bool hex;
	int err;

	err = dojoctl_read_str(d, v->str, buf, sizeof(buf));
	v->str[0] = '\0';
	if (err) {
		set_err(v, err, NULL);
		return;
	}
	p = buf;
	hex = !strncmp(p, "0x", 2) || !strncmp(p, "0X", 2);
	errno = 0;
	set_int(v, strtoll(hex ? p + 2 : p, &end, hex ? 16 : 10));
	if (errno || end == p || *end || (hex && end == p + 2))
		set_err(v, -EINVAL, NULL);
	else if (v->i < 0)
		set_err(v, -ENOLINK, "TTP link down");
}

#define STR(n, k, path, h)  { n, k, U_NONE, h, get_str, path }
#define PORT(n, k, path, h) { n, k, U_NONE, h, get_port_int, path }
#define NUM(n, k, u, path, h) { n, k, u, h, get_u64, path }
#define HW(n, k, u, arg, h) { n, k, u, h, get_hwmon, arg }

const struct dojoctl_field dojoctl_fields[] = {
	{ "index", "index", U_NONE, "position in dojoctl list, from 0",
	  get_index, NULL },
	{ "name", "name", U_NONE, "accel device name, accelN", get_name, NULL },
	STR("serial", "serial", "dojo/serial_number", "serial number"),
	STR("bus_type", "bus_type", "dojo/bus_type", "pci or emulated"),
	STR("bus_addr", "bus_addr", "dojo/bus_addr",
	    "PCI address or emulated DIP's name"),
	STR("platform", "platform", "dojo/platform", "silicon or emulated"),
	STR("fw_version", "fw_version", "dojo/fw_version",
	    "firmware version, major.minor.patch"),
	STR("regs_version", "regs_version", "dojo/regs_version",
	    "register interface version"),
	STR("state", "state", "dojo/state",
	    "online, wedged (reset failed) or lost (left the bus)"),
	STR("health", "health", "dojo/health",
	    "the driver's own verdict: ok, warning or critical"),
	{ "hbm.total", "hbm_total_mib", U_MIB, "HBM size", get_mib,
	  "dojo/hbm_size_bytes" },
	{ "hbm.used", "hbm_used_mib", U_MIB, "HBM held by buffers, all clients",
	  get_mib, "dojo/hbm_used_bytes" },
	{ "hbm.free", "hbm_free_mib", U_MIB, "HBM not held by buffers",
	  get_hbm_free, NULL },
	HW("temperature.board", "temperature_board_celsius", U_CELSIUS,
	   "temp1_input/1000", "board temperature"),
	HW("temperature.board.max", "temperature_board_max_celsius", U_CELSIUS,
	   "temp1_max/1000", "board temperature warning threshold"),
	HW("temperature.board.crit", "temperature_board_crit_celsius",
	   U_CELSIUS, "temp1_crit/1000", "board temperature critical threshold"),
	HW("temperature.hbm", "temperature_hbm_celsius", U_CELSIUS,
	   "temp2_input/1000", "HBM temperature"),
	HW("temperature.hbm.max", "temperature_hbm_max_celsius", U_CELSIUS,
	   "temp2_max/1000", "HBM temperature warning threshold"),
	HW("temperature.hbm.crit", "temperature_hbm_crit_celsius", U_CELSIUS,
	   "temp2_crit/1000", "HBM temperature critical threshold"),
	HW("power.draw", "power_draw_watts", U_WATTS, "power1_input/1000000",
	   "board power draw"),
	{ "power.limit", "power_limit_watts", U_WATTS, "board power limit",
	  get_power_limit, NULL },
	HW("voltage.core", "voltage_core_volts", U_VOLTS, "in0_input/1000",
	   "core supply voltage (vdd_core)"),
	HW("voltage.hbm", "voltage_hbm_volts", U_VOLTS, "in1_input/1000",
	   "HBM supply voltage (vdd_hbm)"),
	NUM("ecc.corrected", "ecc_corrected", U_COUNT, "dojo/ecc_corrected",
	    "corrected HBM ECC errors since probe"),
	NUM("ecc.uncorrected", "ecc_uncorrected", U_COUNT,
	    "dojo/ecc_uncorrected", "uncorrected HBM ECC errors since probe"),
	NUM("resets", "device_resets", U_COUNT, "dojo/device_resets",
	    "device resets since the driver bound the DIP"),
	NUM("reset.count", "reset_count", U_COUNT, "dojo/reset_count",
	    "resets the card counted"),
	STR("reset.last_reason", "last_reset_reason", "dojo/last_reset_reason",
	    "why the last reset happened, none before any"),
	NUM("job_timeouts", "job_timeouts", U_COUNT, "dojo/job_timeouts",
	    "jobs that ran past the job timeout"),
	NUM("pcie.link.gen.max", "pcie_max_gen", U_NONE, "dojo/pcie_max_gen",
	    "PCIe generation the card supports"),
	NUM("pcie.link.width.max", "pcie_max_width_lanes", U_NONE,
	    "dojo/pcie_max_width", "PCIe lanes the card supports"),
	{ "pcie.link.gen.current", "pcie_link_gen", U_NONE,
	  "PCIe generation the link trained to (config space as root)",
	  get_link, "cur.gen" },
	{ "pcie.link.width.current", "pcie_link_width_lanes", U_NONE,
	  "PCIe lanes the link trained to (config space as root)", get_link,
	  "cur.width" },
	{ "pcie.link.gen.cap", "pcie_link_cap_gen", U_NONE,
	  "PCIe generation of Link Capabilities (config space as root)",
	  get_link, "cap.gen" },
	{ "pcie.link.width.cap", "pcie_link_cap_width_lanes", U_NONE,
	  "PCIe lanes of Link Capabilities (config space as root)", get_link,
	  "cap.width" },
	{ "pcie.aspm.supported", "pcie_aspm_supported", U_NONE,
	  "ASPM states the link supports (needs root)", get_aspm,
	  "supported" },
	{ "pcie.aspm.enabled", "pcie_aspm_enabled", U_NONE,
	  "ASPM states enabled on the link (needs root)", get_aspm, "enabled" },
	{ "pci.vendor.name", "pci_vendor_name", U_NONE,
	  "vendor name from pci.ids (libpci)", get_pci_name, "vendor" },
	{ "pci.device.name", "pci_device_name", U_NONE,
	  "device name from pci.ids (libpci)", get_pci_name, "device" },
	STR("ttp.link", "ttp_link_state", "dojo/ttp_link_state",
	    "TTP tile link: up or down"),
	PORT("ttp.tile", "tile_id", "dojo/tile_id",
	     "id of the tile the TTP link reaches"),
	PORT("ttp.edge", "tile_edge", "dojo/tile_edge",
	     "tile edge the DIP is cabled to, 0..3"),
	PORT("ttp.slot", "tile_slot", "dojo/tile_slot",
	     "slot on that edge, 0..4"),
	STR("zplane.link", "zplane_link_state", "dojo/zplane_link_state",
	    "Z-plane port: up, down or uncabled"),
	PORT("zplane.node_id", "zplane_node_id", "dojo/zplane_node_id",
	     "the DIP's 24-bit node id on the Z-plane"),
	STR("zplane.mac", "zplane_mac", "dojo/zplane_mac",
	    "MAC of the Z-plane port, 98:ed:5c and the node id"),
	NUM("zplane.link_changes", "zplane_link_changes", U_COUNT,
	    "dojo/zplane_link_changes", "Z-plane link changes since power-on"),
	NUM("zplane.tx_bytes", "zplane_tx_bytes", U_BYTES,
	    "dojo/zplane_tx_bytes", "payload bytes sent over the Z-plane"),
	NUM("zplane.rx_bytes", "zplane_rx_bytes", U_BYTES,
	    "dojo/zplane_rx_bytes", "payload bytes received in order"),
	NUM("zplane.tx_frames", "zplane_tx_frames", U_COUNT,
	    "dojo/zplane_tx_frames", "TTPoE frames sent, replays included"),
	NUM("zplane.rx_frames", "zplane_rx_frames", U_COUNT,
	    "dojo/zplane_rx_frames", "TTPoE frames received"),
	NUM("zplane.replays", "zplane_replays", U_COUNT, "dojo/zplane_replays",
	    "payloads sent again after a loss, NACK or timeout"),
	NUM("zplane.nacks", "zplane_nacks", U_COUNT, "dojo/zplane_nacks",
	    "NACKs received"),
	NUM("zplane.drops", "zplane_drops", U_COUNT, "dojo/zplane_drops",
	    "frames dropped: out of order, duplicate, no connection"),
	NUM("zplane.errors", "zplane_errors", U_COUNT, "dojo/zplane_errors",
	    "malformed frames and refused remote accesses"),
};

const unsigned int dojoctl_nfields =
	sizeof(dojoctl_fields) / sizeof(dojoctl_fields[0]);

const struct dojoctl_field *dojoctl_field_find(const char *name)
{
	unsigned int i;

	for (i = 0; i < dojoctl_nfields; i++)
		if (!strcmp(dojoctl_fields[i].name, name) ||
		    !strcmp(dojoctl_fields[i].key, name))
			return &dojoctl_fields[i];
	return NULL;
}

void dojoctl_field_get(const struct dojoctl_field *f,
		       const struct dojoctl_dev *d, struct dojoctl_value *v)
{
	memset(v, 0, sizeof(*v));
	if (f->arg)
		snprintf(v->str, sizeof(v->str), "%s", f->arg);
	f->get(d, v);
}

const char *dojoctl_unit_name(enum dojoctl_unit u)
{
	switch (u) {
	case U_BYTES:
		return "B";
	case U_MIB:
		return "MiB";
	case U_CELSIUS:
		return "C";
	case U_WATTS:
		return "W";
	case U_VOLTS:
		return "V";
	case U_NONE:
	case U_COUNT:
		break;
	}
	return NULL;
}

const char *dojoctl_value_reason(const struct dojoctl_value *v)
{
	return v->reason ? v->reason : dojoctl_reason(v->err);
}

json_object *dojoctl_value_json(const struct dojoctl_value *v)
{
	if (v->err)
		return NULL;
	if (v->is_str)
		return json_object_new_string(v->str);
	if (v->is_float)
		/* three decimals: millidegrees, milliwatts, millivolts */
		return json_object_new_double(round(v->f * 1000) / 1000);
	return json_object_new_int64(v->i);
}

void dojoctl_value_text(const struct dojoctl_field *f,
			const struct dojoctl_value *v, bool units, char *buf,
			size_t size)
{
	const char *unit = f ? dojoctl_unit_name(f->unit) : NULL;
	char num[64];

	if (v->err) {
		buf[0] = '\0';
		return;
	}
	if (v->is_str) {
		snprintf(buf, size, "%s", v->str);
		return;
	}
	if (v->is_float)
		snprintf(num, sizeof(num), "%.*f",
			 f && f->unit == U_VOLTS ? 3 : 1, v->f);
	else
		snprintf(num, sizeof(num), "%" PRId64, v->i);
	if (units && unit)
		snprintf(buf, size, "%s %s", num, unit);
	else
		snprintf(buf, size, "%s", num);
}

void dojoctl_json_add_value(json_object *o, json_object *unav,
			    const char *key, const struct dojoctl_value *v)
{
	json_object_object_add(o, key, dojoctl_value_json(v));
	if (v->err && unav)
		json_object_object_add(unav, key, json_object_new_string(
					       dojoctl_value_reason(v)));
}
