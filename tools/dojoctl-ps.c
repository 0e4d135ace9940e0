// SPDX-License-Identifier: MIT
/*
 * dojoctl ps: the processes that have a DIP open, with the memory their
 * files hold and the time the card spent on their jobs, from DRM fdinfo
 * (/proc/PID/fdinfo/FD: drm-client-id, drm-total-<region>,
 * drm-engine-<engine>), as nvtop and gputop read it.
 *
 * Without root only the caller's own processes can be inspected; the
 * others are counted as hidden and said to be so.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <libsmartcols.h>

#include "dojoctl.h"

#define ACCEL_MAJOR	261

static int read_small(const char *path, char *buf, size_t size)
{
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	return 0;
}

/* "123", "12 KiB", "3 MiB" -> bytes; -1 if malformed. */
static int64_t parse_size(const char *v)
{
	char unit[8] = "";
	long long n;

	if (sscanf(v, "%lld %7s", &n, unit) < 1)
		return -1;
	if (!unit[0])
		return n;
	if (!strcmp(unit, "KiB"))
		return n << 10;
	if (!strcmp(unit, "MiB"))
		return n << 20;
	if (!strcmp(unit, "GiB"))
		return n << 30;
	return -1;
}

static void add_known(int64_t *sum, int64_t v)
{
	if (v < 0)
		return;
	*sum = *sum < 0 ? v : *sum + v;
}

/* Parse one fdinfo; returns 0 when it is a dojo DRM file. */
static int parse_fdinfo(const char *path, struct dojoctl_client *c)
{
	char buf[8192], *line, *save = NULL;
	bool dojo = false;

	if (read_small(path, buf, sizeof(buf)))
		return -ENOENT;
	c->hbm_bytes = c->host_bytes = c->engine_ns = -1;
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *val = strchr(line, ':');

		if (!val)
			continue;
		*val++ = '\0';
		val += strspn(val, " \t");
		if (!strcmp(line, "drm-driver"))
			dojo = !strcmp(val, "dojo");
		else if (!strcmp(line, "drm-client-id"))
			c->client_id = strtoull(val, NULL, 10);
		else if (!strcmp(line, "drm-total-hbm"))
			c->hbm_bytes = parse_size(val);
		else if (!strcmp(line, "drm-total-host"))
			c->host_bytes = parse_size(val);
		else if (!strncmp(line, "drm-engine-", 11)) {
			long long ns;
			char unit[8] = "";

			if (sscanf(val, "%lld %7s", &ns, unit) == 2 &&
			    !strcmp(unit, "ns"))
				add_known(&c->engine_ns, ns);
		}
	}
	return dojo ? 0 : -ENOENT;
}

static void proc_comm(int pid, char *comm, size_t size, char *user,
		      size_t usize)
{
	char path[64];
	struct passwd *pw;
	struct stat st;
	size_t n;

	snprintf(path, sizeof(path), "/proc/%d/comm", pid);
	if (read_small(path, comm, size))
		snprintf(comm, size, "?");
	n = strlen(comm);
	if (n && comm[n - 1] == '\n')
		comm[n - 1] = '\0';
	snprintf(path, sizeof(path), "/proc/%d", pid);
	if (stat(path, &st)) {
		snprintf(user, usize, "?");
		return;
	}
	pw = getpwuid(st.st_uid);
	if (pw)
		snprintf(user, usize, "%s", pw->pw_name);
	else
		snprintf(user, usize, "%u", (unsigned int)st.st_uid);
}

static int add_client(struct dojoctl_client **arr, int *n, int *cap,
		      const struct dojoctl_client *c)
{
	int i;

	/* one entry per process and DRM file (dup()ed fds count once) */
	for (i = 0; i < *n; i++) {
		struct dojoctl_client *o = &(*arr)[i];

		if (o->pid == c->pid && o->minor == c->minor &&
		    o->client_id == c->client_id) {
			o->fds++;
			return 0;
		}
	}
	if (*n == *cap) {
		struct dojoctl_client *a;

		*cap = *cap ? *cap * 2 : 16;
		a = realloc(*arr, *cap * sizeof(*a));
		if (!a)
			return -ENOMEM;
		*arr = a;
	}
	(*arr)[(*n)++] = *c;
	return 0;
}

int dojoctl_clients(int want, struct dojoctl_client **out, int *hidden)
{
	struct dojoctl_client *arr = NULL;
	int n = 0, cap = 0, self = getpid();
	struct dirent *pe;
	DIR *proc;

	*hidden = 0;
	proc = opendir("/proc");
	if (!proc)
		return -errno;
	while ((pe = readdir(proc))) {
		char dir[64];
		struct dirent *fe;
		DIR *fds;
		int pid;

		if (!isdigit((unsigned char)pe->d_name[0]))
			continue;
		pid = atoi(pe->d_name);
		if (pid == self)
			continue;
		snprintf(dir, sizeof(dir), "/proc/%d/fd", pid);
		fds = opendir(dir);
		if (!fds) {
			if (errno == EACCES || errno == EPERM)
				(*hidden)++;
			continue;
		}
		while ((fe = readdir(fds))) {
			struct dojoctl_client c = { .pid = pid, .fds = 1 };
			char path[384];
			struct stat st;

			if (fe->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "%s/%s", dir, fe->d_name);
			if (stat(path, &st) || !S_ISCHR(st.st_mode) ||
			    major(st.st_rdev) != ACCEL_MAJOR)
				continue;
			c.minor = (int)minor(st.st_rdev);
			if (want >= 0 && c.minor != want)
				continue;
			snprintf(path, sizeof(path), "/proc/%d/fdinfo/%s", pid,
				 fe->d_name);
			if (parse_fdinfo(path, &c))
				continue;
			proc_comm(pid, c.comm, sizeof(c.comm), c.user,
				  sizeof(c.user));
			if (add_client(&arr, &n, &cap, &c)) {
				closedir(fds);
				closedir(proc);
				free(arr);
				return -ENOMEM;
			}
		}
		closedir(fds);
	}
	closedir(proc);
	*out = arr;
	return n;
}

static json_object *num_or_null(int64_t v)
{
	return v < 0 ? NULL : json_object_new_int64(v);
}

static void add_num(json_object *o, json_object *unav, const char *key,
		    int64_t v)
{
	json_object_object_add(o, key, num_or_null(v));
	if (v < 0)
		json_object_object_add(unav, key, json_object_new_string(
					       "not in the file's fdinfo"));
}

static const struct dojoctl_column ps_columns[] = {
	{ "NAME", 0 },
	{ "PID", SCOLS_FL_RIGHT },
	{ "USER", 0 },
	{ "COMMAND", 0 },
	{ "CLIENT", SCOLS_FL_RIGHT },
	{ "HBM", SCOLS_FL_RIGHT },
	{ "HOST", SCOLS_FL_RIGHT },
	{ "ENGINE_MS", SCOLS_FL_RIGHT },
};

int dojoctl_ps(const struct dojoctl *ctl, int argc, char **argv)
{
	struct dojoctl_client *cl = NULL;
	struct libscols_table *tb = NULL;
	struct dojoctl_devs devs;
	json_object *devices = NULL;
	int i, k, n, hidden, ret;

	ret = dojoctl_select(ctl, argc, argv, true, true, &devs);
	if (!devs.n) {
		dojoctl_devs_free(&devs);
		return ret;
	}
	n = dojoctl_clients(-1, &cl, &hidden);
	if (n < 0) {
		dojoctl_err("cannot read /proc: %s", strerror(-n));
		dojoctl_devs_free(&devs);
		return dojoctl_exit_code(n);
	}

	if (ctl->json) {
		devices = json_object_new_array();
	} else {
		tb = dojoctl_new_table(ctl, ps_columns, ARRAY_SIZE(ps_columns));
		if (!tb)
			goto oom;
	}
	for (i = 0; i < devs.n; i++) {
		const struct dojoctl_dev *d = &devs.dev[i];
		json_object *o = NULL, *procs = NULL;

		if (devices) {
			o = json_object_new_object();
			procs = json_object_new_array();
			json_object_object_add(o, "index",
					       json_object_new_int(d->index));
			json_object_object_add(o, "name",
					       json_object_new_string(d->name));
		}
		for (k = 0; k < n; k++) {
			const struct dojoctl_client *c = &cl[k];
			char buf[4][48];

			if (c->minor != d->minor)
				continue;
			if (procs) {
				json_object *p = json_object_new_object();
				json_object *unav = json_object_new_object();

				json_object_object_add(p, "pid",
					json_object_new_int(c->pid));
				json_object_object_add(p, "command",
					json_object_new_string(c->comm));
				json_object_object_add(p, "user",
					json_object_new_string(c->user));
				json_object_object_add(p, "client_id",
					json_object_new_uint64(c->client_id));
				json_object_object_add(p, "files",
					json_object_new_int(c->fds));
				add_num(p, unav, "hbm_bytes", c->hbm_bytes);
				add_num(p, unav, "host_bytes", c->host_bytes);
				add_num(p, unav, "engine_ns", c->engine_ns);
				json_object_object_add(p, "unavailable", unav);
				json_object_array_add(procs, p);
				continue;
			}
			{
				struct libscols_line *ln =
					scols_table_new_line(tb, NULL);

				if (!ln)
					goto oom;
				snprintf(buf[0], sizeof(buf[0]), "%d", c->pid);
				scols_line_set_data(ln, 0, d->name);
				scols_line_set_data(ln, 1, buf[0]);
				scols_line_set_data(ln, 2, c->user);
				scols_line_set_data(ln, 3, c->comm);
				snprintf(buf[1], sizeof(buf[1]), "%" PRIu64,
					 c->client_id);
				scols_line_set_data(ln, 4, buf[1]);
				if (c->hbm_bytes >= 0)
					dojoctl_format_bytes(c->hbm_bytes, buf[2],
							     sizeof(buf[2]));
				else
					snprintf(buf[2], sizeof(buf[2]), "-");
				scols_line_set_data(ln, 5, buf[2]);
				if (c->host_bytes >= 0)
					dojoctl_format_bytes(c->host_bytes, buf[3],
							     sizeof(buf[3]));
				else
					snprintf(buf[3], sizeof(buf[3]), "-");
				scols_line_set_data(ln, 6, buf[3]);
				if (c->engine_ns >= 0)
					snprintf(buf[0], sizeof(buf[0]), "%.1f",
						 c->engine_ns / 1e6);
				else
					snprintf(buf[0], sizeof(buf[0]), "-");
				scols_line_set_data(ln, 7, buf[0]);
			}
		}
		if (o) {
			json_object_object_add(o, "processes", procs);
			json_object_array_add(devices, o);
		}
	}
	if (devices) {
		json_object *top = dojoctl_new_doc("dojoctl.ps/1");

		json_object_object_add(top, "hidden_processes",
				       json_object_new_int(hidden));
		json_object_object_add(top, "devices", devices);
		if (dojoctl_print_doc(ctl, top))
			dojoctl_first_failure(&ret, DOJOCTL_EXIT_DEVICE);
		json_object_put(top);
	} else {
		if (scols_table_get_nlines(tb) && scols_print_table(tb))
			dojoctl_first_failure(&ret, DOJOCTL_EXIT_DEVICE);
		scols_unref_table(tb);
	}
	if (hidden && !ctl->json)
		fprintf(stderr, "dojoctl: %d processes of other users not "
			"inspected (run as root to see them)\n", hidden);
	free(cl);
	dojoctl_devs_free(&devs);
	return ret;
oom:
	dojoctl_err("out of memory");
	scols_unref_table(tb);
	json_object_put(devices);
	free(cl);
	dojoctl_devs_free(&devs);
	return DOJOCTL_EXIT_DEVICE;
}
