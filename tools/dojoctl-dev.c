// SPDX-License-Identifier: MIT
/*
 * dojoctl: choosing the DIPs a command works on (-i and DEVICE arguments)
 * and reading their sysfs and hwmon files.
 *
 * Everything here reads world-readable files: no privilege is needed. A
 * file that does not exist is an unknown value (-ENOENT), never an error.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dojoctl.h"

static char sysfs_root[PATH_MAX / 2] = "/sys";

void dojoctl_set_sysroot(const char *sysroot)
{
	if (sysroot && *sysroot)
		snprintf(sysfs_root, sizeof(sysfs_root), "%s/sys", sysroot);
}

const char *dojoctl_sysfs_root(void)
{
	return sysfs_root;
}

bool dojoctl_driver_loaded(void)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/module/dojo", dojoctl_sysfs_root());
	return access(path, F_OK) == 0;
}

int dojoctl_need_root(const char *cmd)
{
	if (geteuid() == 0)
		return 0;
	dojoctl_err("%s needs root (CAP_SYS_ADMIN): run it with sudo", cmd);
	return DOJOCTL_EXIT_PERM;
}

static int read_file(const char *path, char *buf, size_t size)
{
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, size - 1);
	if (n < 0) {
		n = -errno;
		close(fd);
		return n;
	}
	close(fd);
	buf[n] = '\0';
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		buf[--n] = '\0';
	return n ? 0 : -ENODATA;
}

int dojoctl_read_str(const struct dojoctl_dev *d, const char *rel, char *buf,
		     size_t size)
{
	char path[PATH_MAX * 2];

	buf[0] = '\0';
	snprintf(path, sizeof(path), "%s/%s", d->sysdir, rel);
	return read_file(path, buf, size);
}

static int parse_u64(const char *s, uint64_t *v)
{
	char *end;

	errno = 0;
	if (*s == '-')
		return -EINVAL;
	*v = strtoull(s, &end, 0);
	if (errno || end == s || *end)
		return -EINVAL;
	return 0;
}

int dojoctl_read_u64(const struct dojoctl_dev *d, const char *rel,
		     uint64_t *v)
{
	char buf[64];
	int err = dojoctl_read_str(d, rel, buf, sizeof(buf));

	return err ? err : parse_u64(buf, v);
}

int dojoctl_hwmon_str(const struct dojoctl_dev *d, const char *file,
		      char *buf, size_t size)
{
	char path[PATH_MAX * 2];

	buf[0] = '\0';
	if (!d->hwmon[0])
		return -ENOENT;
	snprintf(path, sizeof(path), "%s/%s", d->hwmon, file);
	return read_file(path, buf, size);
}

int dojoctl_hwmon_s64(const struct dojoctl_dev *d, const char *file,
		      int64_t *v)
{
	char buf[64], *end;
	int err = dojoctl_hwmon_str(d, file, buf, sizeof(buf));

	if (err)
		return err;
	errno = 0;
	*v = strtoll(buf, &end, 10);
	if (errno || end == buf || *end)
		return -EINVAL;
	return 0;
}

/* The hwmon device the driver registered under the card, named "dojo". */
static void find_hwmon(struct dojoctl_dev *d)
{
	char dir[PATH_MAX + 8], name[32];
	int n;
	struct dirent *e;
	DIR *dp;

	d->hwmon[0] = '\0';
	snprintf(dir, sizeof(dir), "%s/hwmon", d->sysdir);
	dp = opendir(dir);
	if (!dp)
		return;
	while ((e = readdir(dp))) {
		char path[PATH_MAX * 2];

		if (strncmp(e->d_name, "hwmon", 5))
			continue;
		snprintf(path, sizeof(path), "%s/%s/name", dir, e->d_name);
		if (read_file(path, name, sizeof(name)) || strcmp(name, "dojo"))
			continue;
		n = snprintf(d->hwmon, sizeof(d->hwmon), "%s/%s", dir, e->d_name);
		if (n >= (int)sizeof(d->hwmon))
			d->hwmon[0] = '\0';	/* a truncated path names nothing */
		break;
	}
	closedir(dp);
}

void dojoctl_dev_init(struct dojoctl_dev *d,
		      const struct dojo_dev_info *info)
{
	d->info = info;
	d->index = info->index;
	d->minor = info->minor;
	d->name = info->name;
	d->devnode = info->devnode;
	snprintf(d->sysdir, sizeof(d->sysdir), "%s/class/accel/%s/device",
		 dojoctl_sysfs_root(), info->name);
	find_hwmon(d);
}

int dojoctl_dev_refresh(struct dojoctl_dev *d)
{
	/* values are read from sysfs at each use; hwmon may come late */
	if (!d->hwmon[0])
		find_hwmon(d);
	return access(d->sysdir, F_OK) ? -ENODEV : 0;
}

static int add_spec(struct dojoctl_devs *devs, bool *chosen, const char *spec)
{
	int idx = dojo_enumeration_find(devs->list, devs->count, spec);

	if (idx < 0) {
		dojoctl_err("no DIP matches '%s' (see dojoctl list)", spec);
		return DOJOCTL_EXIT_NODEV;
	}
	if (!chosen[idx]) {
		chosen[idx] = true;
		dojoctl_dev_init(&devs->dev[devs->n++], devs->list[idx]);
	}
	return 0;
}

int dojoctl_select(const struct dojoctl *ctl, int argc, char **argv,
		   bool positional, bool need_one, struct dojoctl_devs *devs)
{
	bool *chosen;
	int i, err, ret = 0, named = 0;

	memset(devs, 0, sizeof(*devs));
	err = dojoctl_enumerate(ctl, &devs->list, &devs->count);
	if (err)
		return dojoctl_exit_code(err);
	chosen = calloc(devs->count + 1, sizeof(*chosen));
	devs->dev = calloc(devs->count + 1, sizeof(*devs->dev));
	if (!chosen || !devs->dev) {
		free(chosen);
		dojoctl_err("out of memory");
		return DOJOCTL_EXIT_DEVICE;
	}
	for (i = 0; i < ctl->nids; i++, named++)
		dojoctl_first_failure(&ret, add_spec(devs, chosen, ctl->ids[i]));
	for (i = 1; positional && i < argc; i++, named++)
		dojoctl_first_failure(&ret, add_spec(devs, chosen, argv[i]));
	if (!named)
		for (i = 0; i < devs->count; i++)
			dojoctl_dev_init(&devs->dev[devs->n++], devs->list[i]);
	free(chosen);

	if (need_one && !devs->n && !ret) {
		if (!dojoctl_driver_loaded()) {
			dojoctl_err("the dojo driver is not loaded (modprobe dojo)");
			dojoctl_devs_free(devs);
			return DOJOCTL_EXIT_NODRIVER;
		}
		dojoctl_err("no DIP found");
		dojoctl_devs_free(devs);
		return DOJOCTL_EXIT_NODEV;
	}
	return ret;
}

void dojoctl_devs_free(struct dojoctl_devs *devs)
{
	free(devs->dev);
	dojo_free_enumeration(devs->list);
	memset(devs, 0, sizeof(*devs));
}
