// SPDX-License-Identifier: MIT
/*
 * dojoctl dump DEVICE [-o FILE]: save the devcoredump a DIP's reset left
 * (/sys/class/devcoredump/devcdN/data whose failing_device is the card)
 * to FILE (default dojo-SERIAL-TIME.devcoredump; "-" is stdout), then
 * release the kernel's copy, as devcoredump expects once it was read.
 * Needs root: the kernel makes the data readable by root only.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "dojoctl.h"

/* The devcdN directory whose failing_device is @d's card, or -ENOENT. */
static int find_dump(const struct dojoctl_dev *d, char *out, size_t size)
{
	char dir[PATH_MAX], card[PATH_MAX], link[PATH_MAX * 2], real[PATH_MAX];
	struct dirent *e;
	DIR *dp;
	int ret = -ENOENT;

	if (!realpath(d->sysdir, card))
		return -errno;
	snprintf(dir, sizeof(dir), "%s/class/devcoredump", dojoctl_sysfs_root());
	dp = opendir(dir);
	if (!dp)
		return -ENOENT;
	while ((e = readdir(dp))) {
		if (strncmp(e->d_name, "devcd", 5))
			continue;
		snprintf(link, sizeof(link), "%s/%s/failing_device", dir,
			 e->d_name);
		if (!realpath(link, real) || strcmp(real, card))
			continue;
		if (snprintf(out, size, "%s/%s", dir, e->d_name) >= (int)size)
			continue;
		ret = 0;
		break;
	}
	closedir(dp);
	return ret;
}

static int copy_fd(int in, int out)
{
	char buf[65536];
	ssize_t n, w, off;

	while ((n = read(in, buf, sizeof(buf))) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		for (off = 0; off < n; off += w) {
			w = write(out, buf + off, n - off);
			if (w < 0) {
				if (errno == EINTR) {
					w = 0;
					continue;
				}
				return -errno;
			}
		}
	}
	return 0;
}

int dojoctl_dump(const struct dojoctl *ctl, int argc, char **argv)
{
	char devcd[PATH_MAX], data[PATH_MAX + 8], name[PATH_MAX];
	char serial[64], stamp[32];
	struct dojoctl_devs devs;
	const struct dojoctl_dev *d;
	int in, out, err, ret;
	time_t t = time(NULL);
	struct tm tm;

	if (!ctl->nids && argc != 2) {
		dojoctl_err("dump: name one DIP (dojoctl dump DEVICE [-o FILE])");
		return DOJOCTL_EXIT_USAGE;
	}
	ret = dojoctl_select(ctl, argc, argv, true, true, &devs);
	if (!devs.n || ret) {
		dojoctl_devs_free(&devs);
		return ret;
	}
	if (devs.n != 1) {
		dojoctl_err("dump: name one DIP");
		dojoctl_devs_free(&devs);
		return DOJOCTL_EXIT_USAGE;
	}
	d = &devs.dev[0];
	err = find_dump(d, devcd, sizeof(devcd));
	if (err) {
		dojoctl_err("%s: no devcoredump pending (the kernel keeps one "
			    "for 5 minutes after a reset)", d->name);
		dojoctl_devs_free(&devs);
		return DOJOCTL_EXIT_DEVICE;
	}
	snprintf(data, sizeof(data), "%s/data", devcd);
	in = open(data, O_RDONLY | O_CLOEXEC);
	if (in < 0) {
		err = errno;
		dojoctl_err("cannot read %s: %s", data, strerror(err));
		dojoctl_devs_free(&devs);
		return dojoctl_exit_code(err);
	}
	if (ctl->output && !strcmp(ctl->output, "-")) {
		out = STDOUT_FILENO;
		snprintf(name, sizeof(name), "-");
	} else {
		if (ctl->output) {
			snprintf(name, sizeof(name), "%s", ctl->output);
		} else {
			if (dojoctl_read_str(d, "dojo/serial_number", serial,
					     sizeof(serial)))
				snprintf(serial, sizeof(serial), "%s", d->name);
			localtime_r(&t, &tm);
			strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%S", &tm);
			snprintf(name, sizeof(name), "dojo-%s-%s.devcoredump",
				 serial, stamp);
		}
		out = open(name, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
		if (out < 0) {
			err = errno;
			dojoctl_err("cannot write %s: %s", name, strerror(err));
			close(in);
			dojoctl_devs_free(&devs);
			return dojoctl_exit_code(err);
		}
	}
	fflush(stdout);
	err = copy_fd(in, out);
	close(in);
	if (out != STDOUT_FILENO && close(out) && !err)
		err = -errno;
	if (err) {
		dojoctl_err("saving %s to %s: %s", data, name, strerror(-err));
		dojoctl_devs_free(&devs);
		return DOJOCTL_EXIT_DEVICE;
	}
	/* any write releases the kernel's copy */
	in = open(data, O_WRONLY | O_CLOEXEC);
	if (in >= 0) {
		if (write(in, "1", 1) < 0)
			dojoctl_warn("could not release %s: %s", devcd,
				     strerror(errno));
		close(in);
	}
	if (ctl->json) {
		json_object *top = dojoctl_new_doc("dojoctl.dump/1");

		json_object_object_add(top, "device",
				       json_object_new_string(d->name));
		json_object_object_add(top, "file", json_object_new_string(name));
		dojoctl_print_doc(ctl, top);
		json_object_put(top);
	} else if (out != STDOUT_FILENO) {
		printf("%s: devcoredump saved to %s\n", d->name, name);
	}
	dojoctl_devs_free(&devs);
	return 0;
}
