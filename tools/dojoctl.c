// SPDX-License-Identifier: MIT
/*
 * dojoctl: inspect Dojo Interface Processors (DIPs).
 *
 * Subcommands live in dojoctl-<name>.c; this file parses the global options
 * and dispatches.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "dojoctl.h"

static const struct command {
	const char *name;
	int (*run)(const struct dojoctl *ctl, int argc, char **argv);
	const char *args;
	const char *help;
} commands[] = {
	{ "list", dojoctl_list, "", "list the DIPs, one line each" },
	{ "info", dojoctl_info, "[DEVICE...]",
	  "show every fact about DEVICEs (default: all DIPs)" },
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static void usage(FILE *out)
{
	size_t i;

	fprintf(out,
		"Usage: dojoctl [OPTIONS] COMMAND [ARGS]\n"
		"\n"
		"Inspect Dojo Interface Processors (DIPs). Needs no privilege.\n"
		"\n"
		"Commands:\n");
	for (i = 0; i < NCOMMANDS; i++)
		fprintf(out, "  %-4s %-12s %s\n", commands[i].name,
			commands[i].args, commands[i].help);
	fprintf(out,
		"\n"
		"DEVICE is an index (0), an accel name (accel0), a device node\n"
		"(/dev/accel/accel0), a serial number or a bus address\n"
		"(0000:03:00.0, 03:00.0, or an emulated device's name).\n"
		"\n"
		"Options:\n"
		"  -j, --json        JSON output (schema dojoctl.<command>/1)\n"
		"  -p, --pretty      indent JSON output\n"
		"  -n, --noheadings  no table headings\n"
		"  -h, --help        this help\n"
		"  -V, --version     versions of dojoctl and libdojo\n"
		"      --sysroot=DIR read sysfs in DIR/sys and device nodes below DIR\n"
		"\n"
		"Exit status:\n"
		"  0  success (also when no DIP is present)\n"
		"  1  usage error\n"
		"  2  no DIP matches a DEVICE\n"
		"  3  permission denied\n"
		"  4  driver or device error\n"
		"\n"
		"See docs/dojoctl.md for every field and the JSON schema.\n");
}

static const struct command *find_command(const char *name)
{
	const struct command *found = NULL;
	size_t i, len = strlen(name);

	/* a unique prefix is enough, as in iproute2: "dojoctl l" */
	for (i = 0; i < NCOMMANDS; i++) {
		if (!strcmp(commands[i].name, name))
			return &commands[i];
		if (len && !strncmp(commands[i].name, name, len)) {
			if (found)
				return NULL;
			found = &commands[i];
		}
	}
	return found;
}

enum { OPT_SYSROOT = 256 };

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "pretty", no_argument, NULL, 'p' },
		{ "noheadings", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ "sysroot", required_argument, NULL, OPT_SYSROOT },
		{ NULL, 0, NULL, 0 },
	};
	struct dojoctl ctl = { 0 };
	const struct command *cmd;
	int c;

	/* options may come before or after the command, as in "list -j" */
	opterr = 0;
	while ((c = getopt_long(argc, argv, "jpnhV", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			ctl.json = true;
			break;
		case 'p':
			ctl.pretty = true;
			break;
		case 'n':
			ctl.noheadings = true;
			break;
		case 'h':
			usage(stdout);
			return DOJOCTL_EXIT_OK;
		case OPT_SYSROOT:
			ctl.sysroot = optarg;
			break;
		case 'V':
			printf("dojoctl %s (libdojo %s)\n", DOJOCTL_VERSION,
			       dojo_lib_version());
			return DOJOCTL_EXIT_OK;
		default:
			if (optopt == OPT_SYSROOT)
				dojoctl_err("option '--sysroot' needs a directory");
			else if (optopt)
				dojoctl_err("unknown option '-%c' (see dojoctl --help)",
					    optopt);
			else
				dojoctl_err("unknown option '%s' (see dojoctl --help)",
					    argv[optind - 1]);
			return DOJOCTL_EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return DOJOCTL_EXIT_USAGE;
	}
	if (!strcmp(argv[optind], "help")) {
		usage(stdout);
		return DOJOCTL_EXIT_OK;
	}
	if (!strcmp(argv[optind], "version")) {
		printf("dojoctl %s (libdojo %s)\n", DOJOCTL_VERSION,
		       dojo_lib_version());
		return DOJOCTL_EXIT_OK;
	}
	cmd = find_command(argv[optind]);
	if (!cmd) {
		dojoctl_err("unknown command '%s' (see dojoctl --help)",
			    argv[optind]);
		return DOJOCTL_EXIT_USAGE;
	}
	if (fflush(stdout))
		return DOJOCTL_EXIT_DEVICE;
	c = cmd->run(&ctl, argc - optind, argv + optind);
	if (fflush(stdout) && !c) {
		dojoctl_err("write error");
		c = DOJOCTL_EXIT_DEVICE;
	}
	return c;
}
