// SPDX-License-Identifier: MIT
/*
 * dojoctl reset DEVICE...: reset DIPs through the driver's sysfs node
 * (/sys/class/accel/accelN/device/dojo/reset, root only), which returns
 * once the reset is done; then wait until the DIP is online again.
 *
 * A DIP that processes hold is not reset unless --force is given: their
 * jobs would be aborted. The refusal names them (pid and command) and
 * exits 7. Any failure exits non-zero: 6 when the DIP is lost, 4 when it
 * did not come back (wedged) or did not in time, 11 when the driver has
 * no reset node.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "dojoctl.h"

#define RESET_TIMEOUT_S	30.0

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static json_object *clients_json(const struct dojoctl_client *cl, int n)
{
	json_object *a = json_object_new_array();
	int i;

	for (i = 0; i < n; i++) {
		json_object *p = json_object_new_object();

		json_object_object_add(p, "pid", json_object_new_int(cl[i].pid));
		json_object_object_add(p, "command",
				       json_object_new_string(cl[i].comm));
		json_object_array_add(a, p);
	}
	return a;
}

static int write_reset(const struct dojoctl_dev *d, const char *reason)
{
	char path[PATH_MAX + 16];
	size_t len = strlen(reason);
	ssize_t n;
	int fd, err = 0;

	snprintf(path, sizeof(path), "%s/dojo/reset", d->sysdir);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	do {
		n = write(fd, reason, len);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		err = -errno;
	else if ((size_t)n != len)
		err = -EIO;
	close(fd);
	return err;
}

static int reset_one(const struct dojoctl *ctl, struct dojoctl_dev *d,
		     json_object *o)
{
	struct dojoctl_client *cl = NULL;
	double timeout = ctl->timeout >= 0 ? ctl->timeout : RESET_TIMEOUT_S;
	const char *reason = ctl->reason ? ctl->reason : "requested by dojoctl";
	uint64_t before = 0, after = 0;
	char state[16], path[PATH_MAX + 16];
	double deadline;
	int n, hidden, err, i;
	bool counted;

	if (!dojoctl_read_str(d, "dojo/state", state, sizeof(state)) &&
	    !strcmp(state, "lost")) {
		dojoctl_err("%s: the DIP is lost (left the bus): it cannot be reset",
			    d->name);
		json_object_object_add(o, "result", json_object_new_string("lost"));
		return DOJOCTL_EXIT_LOST;
	}

	n = dojoctl_clients(d->minor, &cl, &hidden);
	if (n < 0) {
		dojoctl_err("cannot read /proc: %s", strerror(-n));
		return DOJOCTL_EXIT_DEVICE;
	}
	json_object_object_add(o, "clients", clients_json(cl, n));
	if (n && !ctl->force) {
		fprintf(stderr, "dojoctl: %s is in use by %d process%s; not "
			"resetting it (--force resets anyway, aborting their jobs):\n",
			d->name, n, n == 1 ? "" : "es");
		for (i = 0; i < n; i++)
			fprintf(stderr, "  pid %d (%s)\n", cl[i].pid, cl[i].comm);
		free(cl);
		json_object_object_add(o, "result",
				       json_object_new_string("refused"));
		return DOJOCTL_EXIT_BUSY;
	}
	if (n)
		dojoctl_warn("%s: resetting while %d process%s hold it", d->name,
			     n, n == 1 ? "" : "es");
	free(cl);

	snprintf(path, sizeof(path), "%s/dojo/reset", d->sysdir);
	if (access(path, F_OK)) {
		dojoctl_err("%s: this driver has no reset interface "
			    "(dojo/reset in sysfs); update the dojo driver",
			    d->name);
		json_object_object_add(o, "result",
				       json_object_new_string("unsupported"));
		return DOJOCTL_EXIT_UNSUPPORTED;
	}

	counted = !dojoctl_read_u64(d, "dojo/device_resets", &before);
	err = write_reset(d, reason);
	if (err) {
		dojoctl_err("%s: reset failed: %s", d->name, strerror(-err));
		json_object_object_add(o, "result",
				       json_object_new_string("failed"));
		return err == -ENODEV ? DOJOCTL_EXIT_LOST :
		       err == -EACCES || err == -EPERM ? DOJOCTL_EXIT_PERM :
		       DOJOCTL_EXIT_DEVICE;
	}

	/* The write returns when the reset is done; wait for "online". */
	deadline = now_s() + timeout;
	for (;;) {
		err = dojoctl_read_str(d, "dojo/state", state, sizeof(state));
		if (err == -ENOENT && access(d->sysdir, F_OK)) {
			dojoctl_err("%s: the DIP went away during the reset",
				    d->name);
			json_object_object_add(o, "result",
					       json_object_new_string("lost"));
			return DOJOCTL_EXIT_LOST;
		}
		if (!err && !strcmp(state, "lost")) {
			dojoctl_err("%s: the DIP was lost during the reset", d->name);
			json_object_object_add(o, "result",
					       json_object_new_string("lost"));
			return DOJOCTL_EXIT_LOST;
		}
		if (!err && !strcmp(state, "online") &&
		    (!counted || (!dojoctl_read_u64(d, "dojo/device_resets",
						    &after) && after > before)))
			break;
		if (now_s() > deadline) {
			dojoctl_err("%s: not back online %g s after the reset (state %s)",
				    d->name, timeout, err ? "unknown" : state);
			json_object_object_add(o, "result",
					       json_object_new_string("failed"));
			json_object_object_add(o, "state", err ? NULL :
					       json_object_new_string(state));
			return DOJOCTL_EXIT_DEVICE;
		}
		usleep(50000);
	}
	json_object_object_add(o, "result", json_object_new_string("reset"));
	json_object_object_add(o, "state", json_object_new_string(state));
	json_object_object_add(o, "device_resets", counted ?
			       json_object_new_uint64(after) : NULL);
	if (!ctl->json)
		printf("%s: reset, online again (%s)\n", d->name, reason);
	return 0;
}

int dojoctl_reset(const struct dojoctl *ctl, int argc, char **argv)
{
	struct dojoctl_devs devs;
	json_object *devices;
	int i, ret;

	if (!ctl->nids && argc < 2) {
		dojoctl_err("reset: name the DIPs to reset (dojoctl reset DEVICE...)");
		return DOJOCTL_EXIT_USAGE;
	}
	ret = dojoctl_select(ctl, argc, argv, true, true, &devs);
	if (!devs.n) {
		dojoctl_devs_free(&devs);
		return ret;
	}
	devices = json_object_new_array();
	for (i = 0; i < devs.n; i++) {
		json_object *o = json_object_new_object();

		json_object_object_add(o, "index",
				       json_object_new_int(devs.dev[i].index));
		json_object_object_add(o, "name",
				       json_object_new_string(devs.dev[i].name));
		dojoctl_first_failure(&ret, reset_one(ctl, &devs.dev[i], o));
		json_object_array_add(devices, o);
	}
	if (ctl->json && dojoctl_print_json(ctl, "dojoctl.reset/1", devices))
		dojoctl_first_failure(&ret, DOJOCTL_EXIT_DEVICE);
	json_object_put(devices);
	dojoctl_devs_free(&devs);
	return ret;
}
