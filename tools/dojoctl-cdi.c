// SPDX-License-Identifier: MIT
/*
 * dojoctl cdi generate [-o FILE]: a Container Device Interface spec
 * (cdiVersion 0.6.0, kind tesla.com/dip) naming each DIP by index and by
 * serial number, plus "all", so that container engines hand DIPs over:
 *
 *   dojoctl cdi generate -o /etc/cdi/tesla.com-dip.json
 *   podman run --device tesla.com/dip=0 ...
 *
 * Each device adds its /dev/accel/accelN node and sets DOJO_VISIBLE_DEVICES
 * to the indexes inside the container.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "dojoctl.h"

#define CDI_VERSION	"0.6.0"
#define CDI_KIND	"tesla.com/dip"

static json_object *node_json(const struct dojoctl_dev *d)
{
	json_object *n = json_object_new_object();
	struct stat st;

	json_object_object_add(n, "path", json_object_new_string(d->devnode));
	if (!stat(d->devnode, &st) && S_ISCHR(st.st_mode)) {
		json_object_object_add(n, "type", json_object_new_string("c"));
		json_object_object_add(n, "major",
				       json_object_new_int64(major(st.st_rdev)));
		json_object_object_add(n, "minor",
				       json_object_new_int64(minor(st.st_rdev)));
	}
	json_object_object_add(n, "permissions", json_object_new_string("rw"));
	return n;
}

static json_object *device_json(const char *name,
				const struct dojoctl_devs *devs, int only)
{
	json_object *dev = json_object_new_object();
	json_object *edits = json_object_new_object();
	json_object *nodes = json_object_new_array();
	json_object *env = json_object_new_array();
	char visible[256] = "DOJO_VISIBLE_DEVICES=";
	int i;

	for (i = 0; i < devs->n; i++) {
		size_t len = strlen(visible);

		if (only >= 0 && i != only)
			continue;
		json_object_array_add(nodes, node_json(&devs->dev[i]));
		snprintf(visible + len, sizeof(visible) - len, "%s%d",
			 visible[len - 1] == '=' ? "" : ",", devs->dev[i].index);
	}
	json_object_array_add(env, json_object_new_string(visible));
	json_object_object_add(edits, "env", env);
	json_object_object_add(edits, "deviceNodes", nodes);
	json_object_object_add(dev, "name", json_object_new_string(name));
	json_object_object_add(dev, "containerEdits", edits);
	return dev;
}

/* CDI device names: letters, digits, '_', '.', ':', '-', a letter or digit first */
static bool cdi_name_ok(const char *s)
{
	if (!*s || !((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		     (*s >= '0' && *s <= '9')))
		return false;
	return strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			 "0123456789_.:-") == strlen(s);
}

int dojoctl_cdi(const struct dojoctl *ctl, int argc, char **argv)
{
	json_object *spec, *devices;
	struct dojoctl_devs devs;
	char name[64], *tmp = NULL;
	int i, ret, flags;
	FILE *f = stdout;

	if (argc < 2 || strcmp(argv[1], "generate") || argc > 2) {
		dojoctl_err("usage: dojoctl cdi generate [-o FILE]");
		return DOJOCTL_EXIT_USAGE;
	}
	ret = dojoctl_select(ctl, 1, argv, false, true, &devs);
	if (!devs.n) {
		dojoctl_devs_free(&devs);
		return ret;
	}
	spec = json_object_new_object();
	devices = json_object_new_array();
	json_object_object_add(spec, "cdiVersion",
			       json_object_new_string(CDI_VERSION));
	json_object_object_add(spec, "kind", json_object_new_string(CDI_KIND));
	json_object_object_add(spec, "devices", devices);
	for (i = 0; i < devs.n; i++) {
		char serial[64];

		snprintf(name, sizeof(name), "%d", devs.dev[i].index);
		json_object_array_add(devices, device_json(name, &devs, i));
		if (!dojoctl_read_str(&devs.dev[i], "dojo/serial_number", serial,
				      sizeof(serial)) && cdi_name_ok(serial) &&
		    strspn(serial, "0123456789") != strlen(serial))
			json_object_array_add(devices,
					      device_json(serial, &devs, i));
	}
	json_object_array_add(devices, device_json("all", &devs, -1));

	if (ctl->output) {
		if (asprintf(&tmp, "%s.%d.tmp", ctl->output, (int)getpid()) < 0) {
			tmp = NULL;
			ret = DOJOCTL_EXIT_DEVICE;
			goto out;
		}
		f = fopen(tmp, "w");
		if (!f) {
			dojoctl_err("cannot write %s: %s", tmp, strerror(errno));
			ret = dojoctl_exit_code(errno);
			goto out;
		}
	}
	flags = JSON_C_TO_STRING_NOSLASHESCAPE | JSON_C_TO_STRING_PRETTY |
		JSON_C_TO_STRING_SPACED;
	fprintf(f, "%s\n", json_object_to_json_string_ext(spec, flags));
	if (f != stdout) {
		bool bad = ferror(f);

		if (fclose(f) || bad || rename(tmp, ctl->output)) {
			dojoctl_err("cannot write %s: %s", ctl->output,
				    strerror(errno));
			unlink(tmp);
			ret = DOJOCTL_EXIT_DEVICE;
		}
	}
out:
	free(tmp);
	json_object_put(spec);
	dojoctl_devs_free(&devs);
	return ret;
}
