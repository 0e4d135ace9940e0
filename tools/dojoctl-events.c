// SPDX-License-Identifier: MIT
/*
 * dojoctl events: follow the kernel's uevents for DIPs, as `ip monitor`
 * follows the network's: resets (OFFLINE then ONLINE with
 * DOJO_RESET_REASON), a wedged card (CHANGE with WEDGED=rebind), health
 * changes (CHANGE with DOJO_HEALTH), devcoredumps, DIPs added and removed.
 *
 * Reads the kernel's uevent netlink group directly (no udev needed, no
 * privilege). -c N stops after N events, --timeout S after S seconds.
 * "following uevents" on stderr says the socket is listening.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/netlink.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "dojoctl.h"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static bool wanted(const struct dojoctl_devs *devs, bool all,
		   const char *subsys, const char *devname)
{
	int i;

	if (strcmp(subsys, "accel") && strcmp(subsys, "devcoredump"))
		return false;
	if (all || !strcmp(subsys, "devcoredump"))
		return true;
	for (i = 0; i < devs->n; i++)
		if (!strcmp(devname, devs->dev[i].name))
			return true;
	return false;
}

static bool standard_key(const char *k)
{
	static const char *const keys[] = {
		"ACTION", "DEVPATH", "SUBSYSTEM", "SEQNUM", "MAJOR", "MINOR",
		"DEVNAME", "DEVTYPE", "DEVMODE", "DEVUID", "DEVGID",
	};
	unsigned int i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (!strcmp(k, keys[i]))
			return true;
	return false;
}

/* Print one uevent; returns true when it was one of ours. */
static bool handle(const struct dojoctl *ctl, const struct dojoctl_devs *devs,
		   bool all, char *buf, size_t len)
{
	const char *action = "", *subsys = "", *devpath = "";
	char name[64] = "", stamp[32];
	json_object *env = NULL;
	struct timespec ts;
	struct tm tm;
	size_t off;
	char *p;

	/* "ACTION@DEVPATH\0KEY=VALUE\0..." from the kernel */
	if (!memchr(buf, '@', strnlen(buf, len)))
		return false;
	for (off = strlen(buf) + 1; off < len; off += strlen(buf + off) + 1) {
		p = buf + off;
		if (!strncmp(p, "ACTION=", 7))
			action = p + 7;
		else if (!strncmp(p, "SUBSYSTEM=", 10))
			subsys = p + 10;
		else if (!strncmp(p, "DEVPATH=", 8))
			devpath = p + 8;
	}
	p = strrchr(devpath, '/');
	snprintf(name, sizeof(name), "%s", p ? p + 1 : devpath);
	if (!wanted(devs, all, subsys, name))
		return false;

	clock_gettime(CLOCK_REALTIME, &ts);
	localtime_r(&ts.tv_sec, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S", &tm);
	if (ctl->json)
		env = json_object_new_object();
	else
		printf("[%s.%03ld] %s %s", stamp, ts.tv_nsec / 1000000, name,
		       action);
	for (off = strlen(buf) + 1; off < len; off += strlen(buf + off) + 1) {
		char key[64], *eq;

		p = buf + off;
		eq = strchr(p, '=');
		if (!eq || (size_t)(eq - p) >= sizeof(key))
			continue;
		snprintf(key, sizeof(key), "%.*s", (int)(eq - p), p);
		if (standard_key(key))
			continue;
		if (env)
			json_object_object_add(env, key,
					       json_object_new_string(eq + 1));
		else
			printf(" %s", p);
	}
	if (env) {
		json_object *top = dojoctl_new_doc("dojoctl.events/1");

		json_object_object_add(top, "timestamp", json_object_new_double(
			ts.tv_sec + ts.tv_nsec / 1e9));
		json_object_object_add(top, "device", json_object_new_string(name));
		json_object_object_add(top, "subsystem",
				       json_object_new_string(subsys));
		json_object_object_add(top, "action",
				       json_object_new_string(action));
		json_object_object_add(top, "devpath",
				       json_object_new_string(devpath));
		json_object_object_add(top, "env", env);
		dojoctl_print_doc(ctl, top);
		json_object_put(top);
	} else {
		putchar('\n');
	}
	fflush(stdout);
	return true;
}

int dojoctl_events(const struct dojoctl *ctl, int argc, char **argv)
{
	struct sockaddr_nl addr = {
		.nl_family = AF_NETLINK,
		.nl_groups = 1,	/* the kernel's own uevents */
	};
	struct dojoctl_devs devs;
	struct sigaction sa;
	struct timespec start, now;
	char buf[8192];
	long seen = 0;
	int fd, ret, rcvbuf = 1 << 20;
	bool all;

	ret = dojoctl_select(ctl, argc, argv, true, false, &devs);
	if (!devs.dev)
		return ret;
	if (ret) {
		dojoctl_devs_free(&devs);
		return ret;
	}
	all = !ctl->nids && argc < 2;
	fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC,
		    NETLINK_KOBJECT_UEVENT);
	if (fd < 0 || bind(fd, (struct sockaddr *)&addr, sizeof(addr))) {
		dojoctl_err("cannot listen to uevents: %s", strerror(errno));
		if (fd >= 0)
			close(fd);
		dojoctl_devs_free(&devs);
		return dojoctl_exit_code(errno);
	}
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	fprintf(stderr, "dojoctl: following uevents\n");

	clock_gettime(CLOCK_MONOTONIC, &start);
	while (!stop && (!ctl->count || seen < ctl->count)) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		int wait_ms = -1;
		ssize_t n;

		if (ctl->timeout >= 0) {
			double left;

			clock_gettime(CLOCK_MONOTONIC, &now);
			left = ctl->timeout - (now.tv_sec - start.tv_sec) -
			       (now.tv_nsec - start.tv_nsec) / 1e9;
			if (left <= 0)
				break;
			wait_ms = (int)(left * 1000) + 1;
		}
		n = poll(&pfd, 1, wait_ms);
		if (n <= 0)
			continue;
		n = recv(fd, buf, sizeof(buf) - 1, 0);
		if (n <= 0)
			continue;
		buf[n] = '\0';
		if (handle(ctl, &devs, all, buf, n))
			seen++;
	}
	close(fd);
	dojoctl_devs_free(&devs);
	if (ctl->count && seen < ctl->count && ctl->timeout >= 0 && !stop) {
		dojoctl_err("%ld of %ld events before the timeout", seen,
			    ctl->count);
		return DOJOCTL_EXIT_DEVICE;
	}
	return 0;
}
