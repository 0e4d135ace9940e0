// SPDX-License-Identifier: MIT
/*
 * dojoctl: inspect and administer Dojo Interface Processors (DIPs).
 *
 * Subcommands live in dojoctl-<name>.c; this file parses the options and
 * dispatches. Global options (-j, -p, -n, -i, --query, --format) are
 * accepted before and after the command; a command's own options after it.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dojoctl.h"

enum {
	OPT_QUERY = 0x100,
	OPT_FORMAT,
	OPT_HELP_QUERY,
	OPT_REASON,
	OPT_TIMEOUT,
	OPT_SYSROOT,
	OPT_TREE,
};

static const struct command {
	const char *name;
	int (*run)(const struct dojoctl *ctl, int argc, char **argv);
	const char *args;
	const char *help;
	const char *opts;	/* its own options' short letters */
	bool admin;		/* needs root */
} commands[] = {
	{ "list", dojoctl_list, "", "list the DIPs, one line each", "", false },
	{ "info", dojoctl_info, "[DEVICE...]",
	  "every fact about DEVICEs (default: all DIPs)", "", false },
	{ "fw", dojoctl_fw, "[DEVICE...]", "firmware and register versions", "", false },
	{ "health", dojoctl_health, "[DEVICE...]",
	  "OK, WARN or CRIT per component; exit code by the worst", "", false },
	{ "monitor", dojoctl_monitor, "[-d SECS] [-c N]",
	  "one line per DIP every SECS seconds (default 1)", "dc", false },
	{ "ps", dojoctl_ps, "[DEVICE...]",
	  "processes using DIPs: memory and engine time", "", false },
	{ "diag", dojoctl_diag, "[-r 1|2|3] [DEVICE...]",
	  "self-tests: queues; DMA bandwidth; HBM patterns", "r", false },
	{ "reset", dojoctl_reset, "[-f] [--reason R] DEVICE...",
	  "reset DIPs (root); refuses while processes hold them", "f",
	  true },
	{ "events", dojoctl_events, "[-c N] [--timeout SECS]",
	  "follow the DIPs' uevents (resets, health)", "c", false },
	{ "dump", dojoctl_dump, "[-o FILE] DEVICE",
	  "save the DIP's devcoredump (root)", "o", true },
	{ "prometheus", dojoctl_prometheus, "[-o FILE]",
	  "metrics for node_exporter's textfile collector", "o", false },
	{ "cdi", dojoctl_cdi, "generate [-o FILE]",
	  "Container Device Interface spec for podman", "o", false },
	{ "link", dojoctl_link, "[show]",
	  "TTP tile links, Z-plane ports and connections", "", false },
	{ "topo", dojoctl_topo, "[--tree]",
	  "how the DIPs reach each other: TTP, Z-plane, PCI", "", false },
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static void usage(FILE *out)
{
	size_t i;

	fprintf(out,
		"Usage: dojoctl [OPTIONS] COMMAND [ARGS]\n"
		"       dojoctl [-i DEVICE] --query=FIELD,... [--format=csv[,noheader][,nounits]]\n"
		"\n"
		"Inspect and administer Dojo Interface Processors (DIPs).\n"
		"Read-only commands need no privilege; reset and dump need root.\n"
		"\n"
		"Commands:\n");
	for (i = 0; i < NCOMMANDS; i++)
		fprintf(out, "  %-10s %-28s %s\n", commands[i].name,
			commands[i].args, commands[i].help);
	fprintf(out,
		"\n"
		"DEVICE is an index (0), an accel name (accel0), a device node\n"
		"(/dev/accel/accel0), a serial number or a bus address\n"
		"(0000:03:00.0, 03:00.0, or an emulated device's name).\n"
		"\n"
		"Options:\n"
		"  -i, --id DEVICE      work on DEVICE only (repeatable, or DEV,DEV)\n"
		"  -j, --json           JSON output (schema dojoctl.<command>/1)\n"
		"  -p, --pretty         indent JSON output\n"
		"  -n, --noheadings     no table headings\n"
		"      --query=F,...    print FIELDs of each DIP (see --help-query)\n"
		"      --format=csv[,noheader][,nounits]\n"
		"      --help-query     the fields --query knows\n"
		"  -d, --interval SECS  monitor: seconds between samples\n"
		"  -c, --count N        monitor, events: stop after N samples/events\n"
		"  -r, --run LEVEL      diag: 1 queues, 2 + DMA bandwidth, 3 + HBM patterns\n"
		"  -f, --force          reset: even while processes hold the DIP\n"
		"      --reason TEXT    reset: the reason the driver records\n"
		"      --timeout SECS   reset: wait for the DIP; events: stop after\n"
		"  -o, --output FILE    dump, prometheus, cdi: write FILE\n"
		"      --tree           topo: tiles and Z-plane segments as a tree\n"
		"      --sysroot=DIR    read sysfs in DIR/sys and device nodes below DIR\n"
		"  -h, --help           this help\n"
		"  -V, --version        versions of dojoctl and libdojo\n"
		"\n"
		"Exit status:\n"
		"  0  success; health: every component OK\n"
		"  1  usage error\n"
		"  2  no DIP matches a DEVICE\n"
		"  3  permission denied, or the command needs root\n"
		"  4  driver or device error\n"
		"  5  the dojo driver is not loaded\n"
		"  6  device lost (left the bus)\n"
		"  7  device busy: processes hold it (reset without --force)\n"
		"  8  health: the worst component is WARN\n"
		"  9  health: the worst component is CRIT\n"
		" 10  diag: a test failed\n"
		" 11  the driver lacks the interface the command needs\n"
		"\n"
		"See dojoctl(8) and docs/dojoctl.md.\n");
}

static const struct command *find_command(const char *name)
{
	const struct command *found = NULL;
	size_t i, len = strlen(name);

	/*
	 * A prefix is enough; of the commands it starts, the first of the
	 * table is taken, as in iproute2: "dojoctl l" is list, not link.
	 */
	for (i = 0; i < NCOMMANDS; i++) {
		if (!strcmp(commands[i].name, name))
			return &commands[i];
		if (len && !found && !strncmp(commands[i].name, name, len))
			found = &commands[i];
	}
	return found;
}

static int add_ids(struct dojoctl *ctl, const char *arg)
{
	char *copy = strdup(arg), *tok, *save = NULL;

	if (!copy)
		return -ENOMEM;
	for (tok = strtok_r(copy, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		char **ids = realloc(ctl->ids, (ctl->nids + 1) * sizeof(*ids));

		if (!ids)
			return -ENOMEM;
		ctl->ids = ids;
		ctl->ids[ctl->nids++] = tok;
	}
	return 0;
}

static int parse_format(struct dojoctl *ctl, const char *arg)
{
	char *copy = strdup(arg), *tok, *save = NULL;
	bool csv = false;

	if (!copy)
		return -ENOMEM;
	for (tok = strtok_r(copy, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		tok += strspn(tok, " ");
		if (!strcmp(tok, "csv"))
			csv = true;
		else if (!strcmp(tok, "noheader"))
			ctl->csv_noheader = true;
		else if (!strcmp(tok, "nounits"))
			ctl->csv_nounits = true;
		else {
			dojoctl_err("unknown format '%s' (csv, noheader, nounits)",
				    tok);
			free(copy);
			return -EINVAL;
		}
	}
	free(copy);
	if (!csv) {
		dojoctl_err("--format must name csv");
		return -EINVAL;
	}
	return 0;
}

static bool parse_number(const char *s, double *v)
{
	char *end;

	*v = strtod(s, &end);
	return end != s && !*end && *v >= 0;
}

static void version(void)
{
	printf("dojoctl %s (libdojo %s)\n", DOJOCTL_VERSION, dojo_lib_version());
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "pretty", no_argument, NULL, 'p' },
		{ "noheadings", no_argument, NULL, 'n' },
		{ "id", required_argument, NULL, 'i' },
		{ "query", required_argument, NULL, OPT_QUERY },
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "help-query", no_argument, NULL, OPT_HELP_QUERY },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ "interval", required_argument, NULL, 'd' },
		{ "count", required_argument, NULL, 'c' },
		{ "run", required_argument, NULL, 'r' },
		{ "force", no_argument, NULL, 'f' },
		{ "reason", required_argument, NULL, OPT_REASON },
		{ "timeout", required_argument, NULL, OPT_TIMEOUT },
		{ "output", required_argument, NULL, 'o' },
		{ "sysroot", required_argument, NULL, OPT_SYSROOT },
		{ "tree", no_argument, NULL, OPT_TREE },
		{ NULL, 0, NULL, 0 },
	};
	struct dojoctl ctl = { .interval = 1, .timeout = -1, .level = 1 };
	const struct command *cmd = NULL;
	const char *cmdopt_name = NULL;
	bool format_given = false;
	double num;
	int c, ret;

	/*
	 * Options may come before or after the command, as in "list -j".
	 * getopt permutes the arguments, so the command is the first operand
	 * once all options are parsed; which command-specific options were
	 * given is checked against it below.
	 */
	opterr = 0;
	while ((c = getopt_long(argc, argv, "jpni:hVd:c:r:fo:", opts,
				NULL)) != -1) {
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
		case 'i':
			if (add_ids(&ctl, optarg))
				return DOJOCTL_EXIT_DEVICE;
			break;
		case OPT_QUERY:
			ctl.query = optarg;
			break;
		case OPT_FORMAT:
			if (parse_format(&ctl, optarg))
				return DOJOCTL_EXIT_USAGE;
			format_given = true;
			break;
		case OPT_HELP_QUERY:
			dojoctl_help_query(stdout);
			return DOJOCTL_EXIT_OK;
		case 'h':
			usage(stdout);
			return DOJOCTL_EXIT_OK;
		case 'V':
			version();
			return DOJOCTL_EXIT_OK;
		case 'd':
			if (!parse_number(optarg, &ctl.interval) ||
			    ctl.interval < 0.01) {
				dojoctl_err("bad interval '%s' (seconds, at least 0.01)",
					    optarg);
				return DOJOCTL_EXIT_USAGE;
			}
			cmdopt_name = cmdopt_name ? cmdopt_name : "d";
			break;
		case 'c':
			if (!parse_number(optarg, &num) || num != (long)num) {
				dojoctl_err("bad count '%s'", optarg);
				return DOJOCTL_EXIT_USAGE;
			}
			ctl.count = (long)num;
			break;
		case 'r':
			if (strlen(optarg) != 1 || optarg[0] < '1' ||
			    optarg[0] > '3') {
				dojoctl_err("bad diag level '%s' (1, 2 or 3)",
					    optarg);
				return DOJOCTL_EXIT_USAGE;
			}
			ctl.level = optarg[0] - '0';
			cmdopt_name = cmdopt_name ? cmdopt_name : "r";
			break;
		case 'f':
			ctl.force = true;
			cmdopt_name = cmdopt_name ? cmdopt_name : "f";
			break;
		case OPT_REASON:
			ctl.reason = optarg;
			break;
		case OPT_TIMEOUT:
			if (!parse_number(optarg, &ctl.timeout)) {
				dojoctl_err("bad timeout '%s' (seconds)", optarg);
				return DOJOCTL_EXIT_USAGE;
			}
			break;
		case OPT_SYSROOT:
			ctl.sysroot = optarg;
			break;
		case OPT_TREE:
			ctl.tree = true;
			break;
		case 'o':
			ctl.output = optarg;
			cmdopt_name = cmdopt_name ? cmdopt_name : "o";
			break;
		default:
			if (optopt == OPT_SYSROOT)
				dojoctl_err("option '--sysroot' needs a directory");
			else if (optopt && optopt < 0x100 && strchr("icdro", optopt))
				dojoctl_err("option '-%c' needs an argument",
					    optopt);
			else if (optopt && optopt < 0x100)
				dojoctl_err("unknown option '-%c' (see dojoctl --help)",
					    optopt);
			else
				dojoctl_err("unknown option '%s' (see dojoctl --help)",
					    argv[optind - 1]);
			return DOJOCTL_EXIT_USAGE;
		}
	}
	dojoctl_set_sysroot(ctl.sysroot);
	if (format_given && !ctl.query) {
		dojoctl_err("--format goes with --query");
		return DOJOCTL_EXIT_USAGE;
	}
	if (ctl.query) {
		if (optind < argc) {
			dojoctl_err("--query takes no command ('%s')",
				    argv[optind]);
			return DOJOCTL_EXIT_USAGE;
		}
		ret = dojoctl_query(&ctl, 1, argv + optind - 1);
		goto out;
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
		version();
		return DOJOCTL_EXIT_OK;
	}
	cmd = find_command(argv[optind]);
	if (!cmd) {
		dojoctl_err("unknown command '%s' (see dojoctl --help)",
			    argv[optind]);
		return DOJOCTL_EXIT_USAGE;
	}
	if (cmdopt_name && !strchr(cmd->opts, cmdopt_name[0])) {
		dojoctl_err("%s: option '-%s' does not apply (see dojoctl --help)",
			    cmd->name, cmdopt_name);
		return DOJOCTL_EXIT_USAGE;
	}
	if (ctl.tree && cmd->run != dojoctl_topo) {
		dojoctl_err("%s: option '--tree' does not apply (see dojoctl --help)",
			    cmd->name);
		return DOJOCTL_EXIT_USAGE;
	}
	if (cmd->admin) {
		ret = dojoctl_need_root(cmd->name);
		if (ret)
			return ret;
	}
	if (fflush(stdout))
		return DOJOCTL_EXIT_DEVICE;
	ret = cmd->run(&ctl, argc - optind, argv + optind);
out:
	if (fflush(stdout) && !ret) {
		dojoctl_err("write error");
		ret = DOJOCTL_EXIT_DEVICE;
	}
	return ret;
}
