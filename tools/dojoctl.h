/* SPDX-License-Identifier: MIT */
/* dojoctl: shared declarations of the subcommands and output functions. */
#ifndef DOJOCTL_H
#define DOJOCTL_H

#include <stdbool.h>
#include <stdint.h>

#include <json-c/json.h>

#include <dojo.h>

/* the project's version, from the top-level VERSION file */
#define DOJOCTL_VERSION		DOJO_VERSION

/* Exit codes: part of the interface, documented in docs/dojoctl.md. */
enum dojoctl_exit {
	DOJOCTL_EXIT_OK = 0,		/* success */
	DOJOCTL_EXIT_USAGE = 1,		/* bad command line */
	DOJOCTL_EXIT_NODEV = 2,		/* a named DIP does not exist */
	DOJOCTL_EXIT_PERM = 3,		/* permission denied */
	DOJOCTL_EXIT_DEVICE = 4,	/* driver or device error */
};

struct dojoctl {
	const char *sysroot;	/* --sysroot, NULL for the running system */
	bool json;
	bool pretty;
	bool noheadings;
};

/* One subcommand: argv[0] is its name, options are already parsed. */
int dojoctl_list(const struct dojoctl *ctl, int argc, char **argv);
int dojoctl_info(const struct dojoctl *ctl, int argc, char **argv);

/* dojoctl-output.c */
void dojoctl_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int dojoctl_exit_code(int err);
const char *dojoctl_reason(int err);
int dojoctl_enumerate(const struct dojoctl *ctl, struct dojo_dev_info ***list,
		      int *count);

/* Which fields a device object carries. */
enum dojoctl_detail { DOJOCTL_LIST, DOJOCTL_INFO };

json_object *dojoctl_device_json(const struct dojo_dev_info *d,
				 enum dojoctl_detail detail);
void dojoctl_set_unavailable(json_object *dev, const char *key,
			     const char *reason);
int dojoctl_print_json(const struct dojoctl *ctl, const char *schema,
		       json_object *devices);
bool dojoctl_is_bytes_key(const char *key);
void dojoctl_format_bytes(uint64_t bytes, char *buf, size_t size);
/* Human form of a device object's field, as the tables show it. */
void dojoctl_format_value(json_object *dev, const char *key, char *buf,
			  size_t size);

#endif /* DOJOCTL_H */
