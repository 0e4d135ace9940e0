/* SPDX-License-Identifier: MIT */
/* dojoctl: shared declarations of the subcommands and output functions. */
#ifndef DOJOCTL_H
#define DOJOCTL_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <json-c/json.h>

#include <dojo.h>

/* the project's version, from the top-level VERSION file */
#define DOJOCTL_VERSION		DOJO_VERSION

/* Exit codes: part of the interface, documented in docs/dojoctl.md. */
enum dojoctl_exit {
	DOJOCTL_EXIT_OK = 0,		/* success, health OK */
	DOJOCTL_EXIT_USAGE = 1,		/* bad command line */
	DOJOCTL_EXIT_NODEV = 2,		/* a named DIP does not exist */
	DOJOCTL_EXIT_PERM = 3,		/* permission denied, needs root */
	DOJOCTL_EXIT_DEVICE = 4,	/* driver or device error */
	DOJOCTL_EXIT_NODRIVER = 5,	/* the dojo driver is not loaded */
	DOJOCTL_EXIT_LOST = 6,		/* the DIP left the bus */
	DOJOCTL_EXIT_BUSY = 7,		/* processes hold the DIP (reset) */
	DOJOCTL_EXIT_WARN = 8,		/* health: worst component WARN */
	DOJOCTL_EXIT_CRIT = 9,		/* health: worst component CRIT */
	DOJOCTL_EXIT_TESTFAIL = 10,	/* diag: a test failed */
	DOJOCTL_EXIT_UNSUPPORTED = 11,	/* the driver lacks the interface */
};

struct dojoctl {
	const char *sysroot;	/* --sysroot, NULL for the running system */
	bool json;
	bool pretty;
	bool noheadings;
	/* -i DEVICE (repeatable, or comma-separated) */
	char **ids;
	int nids;
	/* --query=FIELDS and --format=csv[,noheader][,nounits] */
	const char *query;
	bool csv_noheader;
	bool csv_nounits;
	/* command options */
	double interval;		/* monitor -d */
	long count;			/* monitor -c, events -c; 0 = forever */
	double timeout;			/* reset, events --timeout; < 0 unset */
	int level;			/* diag -r */
	bool force;			/* reset -f */
	const char *reason;		/* reset --reason */
	const char *output;		/* dump, prometheus, cdi -o */
	bool tree;			/* topo --tree */
};

/* One subcommand: argv[0] is its name, options are already parsed. */
int dojoctl_list(const struct dojoctl *ctl, int argc, char **argv);
int dojoctl_info(const struct dojoctl *ctl, int argc, char **argv);
int dojoctl_fw(const struct dojoctl *ctl, int argc, char **argv);
int dojoctl_monitor(const struct dojoctl *ctl, int argc, char **argv);
int dojoctl_health(const struct dojoctl *ctl, int argc, char **argv);
int dojoctl_diag(const struct dojoctl *ctl, int argc, char **argv);
int dojoctl_ps(const struct dojoctl *ctl, int argc, char **argv);
int dojoctl_reset(const struct dojoctl *ctl, int argc, char **argv);
int dojoctl_events(const struct dojoctl *ctl, int argc, char **argv);
int dojoctl_dump(const struct dojoctl *ctl, int argc, char **argv);
int dojoctl_prometheus(const struct dojoctl *ctl, int argc, char **argv);
int dojoctl_cdi(const struct dojoctl *ctl, int argc, char **argv);
int dojoctl_link(const struct dojoctl *ctl, int argc, char **argv);
int dojoctl_topo(const struct dojoctl *ctl, int argc, char **argv);
int dojoctl_query(const struct dojoctl *ctl, int argc, char **argv);
void dojoctl_help_query(FILE *out);

/* dojoctl-output.c */
void dojoctl_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void dojoctl_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int dojoctl_exit_code(int err);
const char *dojoctl_reason(int err);
int dojoctl_enumerate(const struct dojoctl *ctl, struct dojo_dev_info ***list,
		      int *count);
void dojoctl_first_failure(int *ret, int code);

/* Which fields a device object carries. */
enum dojoctl_detail { DOJOCTL_LIST, DOJOCTL_INFO };

json_object *dojoctl_device_json(const struct dojo_dev_info *d,
				 enum dojoctl_detail detail);
void dojoctl_set_unavailable(json_object *dev, const char *key,
			     const char *reason);
int dojoctl_print_json(const struct dojoctl *ctl, const char *schema,
		       json_object *devices);
/* Print @top (adding "schema" first is the caller's job); takes no ref. */
int dojoctl_print_doc(const struct dojoctl *ctl, json_object *top);
/* A new top-level document {"schema": SCHEMA} */
json_object *dojoctl_new_doc(const char *schema);
/* A table column: heading and libsmartcols flags (SCOLS_FL_RIGHT, ...). */
struct dojoctl_column {
	const char *header;
	int flags;
};
struct libscols_table;
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
/* A table with @cols, headings as -n asks; NULL if out of memory. */
struct libscols_table *dojoctl_new_table(const struct dojoctl *ctl,
					 const struct dojoctl_column *cols,
					 size_t n);
bool dojoctl_is_bytes_key(const char *key);
void dojoctl_format_bytes(uint64_t bytes, char *buf, size_t size);
/* Human form of a device object's field, as the tables show it. */
void dojoctl_format_value(json_object *dev, const char *key, char *buf,
			  size_t size);

/* dojoctl-dev.c: the DIPs a command works on */
struct dojoctl_dev {
	const struct dojo_dev_info *info;
	int index;
	int minor;
	const char *name;		/* accelN */
	const char *devnode;		/* /dev/accel/accelN */
	char sysdir[PATH_MAX];		/* .../class/accel/accelN/device */
	char hwmon[PATH_MAX + 64];	/* its hwmon "dojo" dir, or "" */
};

struct dojoctl_devs {
	struct dojo_dev_info **list;	/* the enumeration */
	int count;			/* DIPs in the system */
	struct dojoctl_dev *dev;	/* the chosen ones, in order */
	int n;
};

/*
 * The DIPs named by -i and by the positional DEVICE arguments argv[1..]
 * (when @positional), each once in the order named; all DIPs when none is
 * named. Unknown names are reported and make the return value
 * DOJOCTL_EXIT_NODEV, but the others are still chosen. With @need_one,
 * choosing no DIP at all is an error: DOJOCTL_EXIT_NODRIVER when the dojo
 * driver is not loaded, else DOJOCTL_EXIT_NODEV.
 */
int dojoctl_select(const struct dojoctl *ctl, int argc, char **argv,
		   bool positional, bool need_one, struct dojoctl_devs *devs);
/* Fill @d for the enumerated DIP @info. */
void dojoctl_dev_init(struct dojoctl_dev *d, const struct dojo_dev_info *info);
void dojoctl_devs_free(struct dojoctl_devs *devs);
/* sysfs of the --sysroot (or "/sys"); set by dojoctl_set_sysroot() */
const char *dojoctl_sysfs_root(void);
void dojoctl_set_sysroot(const char *sysroot);
bool dojoctl_driver_loaded(void);

/* Read DIR/REL of a DIP (REL relative to the card's device dir). 0/-errno */
int dojoctl_read_str(const struct dojoctl_dev *d, const char *rel, char *buf,
		     size_t size);
int dojoctl_read_u64(const struct dojoctl_dev *d, const char *rel,
		     uint64_t *v);
/* A file of the DIP's hwmon "dojo" device: -ENOENT without hwmon. */
int dojoctl_hwmon_str(const struct dojoctl_dev *d, const char *file,
		      char *buf, size_t size);
int dojoctl_hwmon_s64(const struct dojoctl_dev *d, const char *file,
		      int64_t *v);
/* Re-read live values (hbm_used_bytes & co) for a new sample. */
int dojoctl_dev_refresh(struct dojoctl_dev *d);
/* "must be run as root" check for admin commands */
int dojoctl_need_root(const char *cmd);

/* dojoctl-fields.c: every value dojoctl reports, by name */
enum dojoctl_unit {
	U_NONE, U_BYTES, U_MIB, U_CELSIUS, U_WATTS, U_VOLTS, U_COUNT,
};

struct dojoctl_value {
	int err;		/* 0, or -errno: unknown (see reason) */
	const char *reason;	/* when err, overrides dojoctl_reason(err) */
	bool is_str;
	bool is_float;
	char str[128];
	int64_t i;
	double f;
};

struct dojoctl_field {
	const char *name;	/* --query name, "temperature.board" */
	const char *key;	/* JSON key, "temperature_board_celsius" */
	enum dojoctl_unit unit;
	const char *help;
	void (*get)(const struct dojoctl_dev *d, struct dojoctl_value *v);
	const char *arg;	/* passed through v->str before get() */
};

extern const struct dojoctl_field dojoctl_fields[];
extern const unsigned int dojoctl_nfields;
const struct dojoctl_field *dojoctl_field_find(const char *name);
void dojoctl_field_get(const struct dojoctl_field *f,
		       const struct dojoctl_dev *d, struct dojoctl_value *v);
const char *dojoctl_unit_name(enum dojoctl_unit u);
const char *dojoctl_value_reason(const struct dojoctl_value *v);
/* JSON value (NULL when unknown) */
json_object *dojoctl_value_json(const struct dojoctl_value *v);
/* Text form; "" when unknown, with " UNIT" unless !units */
void dojoctl_value_text(const struct dojoctl_field *f,
			const struct dojoctl_value *v, bool units, char *buf,
			size_t size);
/* Add KEY: value (or null + unavailable[KEY] = reason) to @o. */
void dojoctl_json_add_value(json_object *o, json_object *unav,
			    const char *key, const struct dojoctl_value *v);

/*
 * dojoctl-pci.c: what libpci says about a PCI DIP. The names come from
 * pci.ids and the IDs from the first 64 bytes of config space, which anyone
 * may read; the PCIe capability lies beyond them, where sysfs lets only root
 * read. libpci reads the sysfs of the --sysroot (sys/bus/pci).
 */
struct dojoctl_pci {
	int err;		/* 0, or -ENODEV (not PCI), -errno: nothing */
	const char *reason;	/* when err: why (overrides dojoctl_reason) */
	uint16_t vendor_id, device_id;
	uint16_t subsys_vendor_id, subsys_id;
	char vendor_name[128];
	char device_name[128];
	char subsys_name[256];
	/* the PCI Express capability: -EACCES (needs root), -ENOENT (none) */
	int cap_err;
	const char *cap_reason;
	uint32_t lnkcap;	/* Link Capabilities */
	uint16_t lnkctl;	/* Link Control */
	uint16_t lnksta;	/* Link Status */
};

/* Fill @p for the DIP named @name (accelN); never fails, see p->err. */
void dojoctl_pci_read(const char *name, struct dojoctl_pci *p);
/* Generation and lanes from LnkCap (@cap) or LnkSta; 0 when unknown */
unsigned int dojoctl_pci_gen(const struct dojoctl_pci *p, bool cap);
unsigned int dojoctl_pci_width(const struct dojoctl_pci *p, bool cap);
/* "L0s L1", "L1", "L0s" or "disabled": ASPM supported (LnkCap), enabled */
const char *dojoctl_pci_aspm(const struct dojoctl_pci *p, bool enabled);
/* "16.0 GT/s PCIe" -> 4, 0 when unknown */
unsigned int dojoctl_pci_speed_gen(const char *s);
/*
 * A link value (generation, or lanes with @width) of Link Capabilities
 * (@cap) or Link Status: from config space when @p has it, else from the
 * PCI function's sysfs max_link_* or current_link_* attribute.
 */
void dojoctl_pci_sysfs_link(const char *name, bool cap, bool width,
			    struct dojoctl_value *v);
void dojoctl_pci_link(const char *name, const struct dojoctl_pci *p, bool cap,
		      bool width, struct dojoctl_value *v);
/* Add the info view's PCI keys (after pcie_link_width_lanes) to @o. */
void dojoctl_pci_json(const struct dojo_dev_info *d, json_object *o,
		      json_object *unav);

/* dojoctl-ps.c: the processes that have a DIP open */
struct dojoctl_client {
	int pid;
	char comm[64];
	int minor;			/* accel minor they hold */
	uint64_t client_id;		/* drm-client-id */
	int fds;			/* open files of this client */
	int64_t hbm_bytes;		/* drm-total-hbm, -1 unknown */
	int64_t host_bytes;		/* drm-total-host, -1 unknown */
	int64_t engine_ns;		/* sum of drm-engine-*, -1 unknown */
	char user[32];
};

/*
 * Scan /proc for open accel files of the given minor (-1: every minor).
 * Processes the caller may not inspect are counted in *@hidden.
 * Returns the number of clients (*@out to free()), or -errno.
 */
int dojoctl_clients(int minor, struct dojoctl_client **out, int *hidden);

/* dojoctl-links.c: the TTP tile link and the Z-plane port of a DIP */
enum {
	DOJOCTL_ZP_LINK_CHANGES, DOJOCTL_ZP_TX_BYTES, DOJOCTL_ZP_RX_BYTES,
	DOJOCTL_ZP_TX_FRAMES, DOJOCTL_ZP_RX_FRAMES, DOJOCTL_ZP_REPLAYS,
	DOJOCTL_ZP_NACKS, DOJOCTL_ZP_DROPS, DOJOCTL_ZP_ERRORS,
	DOJOCTL_ZP_NCOUNTERS
};
/* JSON keys of the counters, in that order ("link_changes", ...) */
extern const char *const dojoctl_zp_counter_keys[DOJOCTL_ZP_NCOUNTERS];

struct dojoctl_links {
	const struct dojoctl_dev *d;
	/* the TTP tile link (sysfs ttp_link_state, tile_*) */
	struct dojoctl_value ttp_state, tile_id, tile_edge, tile_slot;
	/* the Z-plane port (sysfs zplane_*, else the query) */
	bool no_zplane;
	struct dojoctl_value zp_state, node_id, mac;
	struct dojoctl_value zp_counters[DOJOCTL_ZP_NCOUNTERS];
	/* the connection table: conns_err 0, or -errno and conns_reason */
	int conns_err;
	char conns_reason[160];
	struct drm_dojo_zplane_conns conns;
};

/* Read @d's links; 0, or an exit code when a query ioctl failed. */
int dojoctl_links_read(const struct dojoctl_dev *d, struct dojoctl_links *l);
/*
 * Every DIP of the enumeration (*@all) and its links (*@links), so that
 * a peer's node id can be told as a local DIP; both to free().
 */
int dojoctl_links_read_all(const struct dojoctl_devs *devs,
			   struct dojoctl_dev **all,
			   struct dojoctl_links **links);
/* Position in @all of the DIP whose node id is @node_id, or -1. */
int dojoctl_links_by_node(const struct dojoctl_links *all, int n,
			  int64_t node_id);
/* Has @l an OPEN connection (any virtual channel) to @node_id? */
bool dojoctl_links_open_to(const struct dojoctl_links *l, int64_t node_id);
/* Are both TTP links up, to the same tile? */
bool dojoctl_links_same_tile(const struct dojoctl_links *a,
			     const struct dojoctl_links *b);
/* "0x000001": node ids as the MAC shows them */
void dojoctl_format_node(int64_t node_id, char *buf, size_t size);

#endif /* DOJOCTL_H */
