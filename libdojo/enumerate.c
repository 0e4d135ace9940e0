// SPDX-License-Identifier: MIT
/*
 * Discovery of DIPs through /sys/class/accel.
 *
 * libdrm cannot enumerate accel nodes, so this reads sysfs directly. Nothing
 * here opens a device node: every attribute read is world-readable, so
 * discovery works without privilege. No global state: reentrant.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "internal.h"

#define DOJO_DRIVER_NAME	"dojo"
#define DOJO_ATTR_DIR		"device/" DOJO_DRIVER_NAME

/* ATTR_GEN: a PCI link speed ("16.0 GT/s PCIe") as a PCIe generation */
enum attr_type { ATTR_STR, ATTR_U32, ATTR_U64, ATTR_GEN };

static const struct dojo_attr {
	const char *name;
	enum dojo_info_field field;
	enum attr_type type;
	size_t offset;
	size_t size;
} dojo_attrs[] = {
#define STR(n, f, m) { n, f, ATTR_STR, offsetof(struct dojo_dev_info, m), \
		       sizeof(((struct dojo_dev_info *)0)->m) }
#define U32(n, f, m) { n, f, ATTR_U32, offsetof(struct dojo_dev_info, m), 4 }
#define U64(n, f, m) { n, f, ATTR_U64, offsetof(struct dojo_dev_info, m), 8 }
#define GEN(n, f, m) { n, f, ATTR_GEN, offsetof(struct dojo_dev_info, m), 4 }
	STR("serial_number", DOJO_FIELD_SERIAL, serial),
	STR("fw_version", DOJO_FIELD_FW_VERSION, fw_version),
	STR("platform", DOJO_FIELD_PLATFORM, platform),
	U64("hbm_size_bytes", DOJO_FIELD_HBM_SIZE, hbm_size_bytes),
	U32("num_dma_queues", DOJO_FIELD_NUM_DMA_QUEUES, num_dma_queues),
	U32("num_ttp_ports", DOJO_FIELD_NUM_TTP_PORTS, num_ttp_ports),
	U32("num_ttpoe_ports", DOJO_FIELD_NUM_TTPOE_PORTS, num_ttpoe_ports),
	STR("bus_type", DOJO_FIELD_BUS_TYPE, bus_type),
	STR("bus_addr", DOJO_FIELD_BUS_ADDR, bus_addr),
	U32("vendor_id", DOJO_FIELD_VENDOR_ID, vendor_id),
	U32("device_id", DOJO_FIELD_DEVICE_ID, device_id),
	U32("revision", DOJO_FIELD_REVISION, revision),
	U32("pcie_max_gen", DOJO_FIELD_PCIE_MAX_GEN, pcie_max_gen),
	U32("pcie_max_width", DOJO_FIELD_PCIE_MAX_WIDTH, pcie_max_width),
	STR("regs_version", DOJO_FIELD_REGS_VERSION, regs_version),
	/* PCI core attributes of the card, beside (not in) the dojo group */
	GEN("../current_link_speed", DOJO_FIELD_PCIE_LINK_GEN, pcie_link_gen),
	U32("../current_link_width", DOJO_FIELD_PCIE_LINK_WIDTH,
	    pcie_link_width),
	/* the driver's live counters */
	U64("hbm_used_bytes", DOJO_FIELD_HBM_USED, hbm_used_bytes),
	U32("device_resets", DOJO_FIELD_DEVICE_RESETS, device_resets),
	U32("job_timeouts", DOJO_FIELD_JOB_TIMEOUTS, job_timeouts),
#undef GEN
#undef STR
#undef U32
#undef U64
};

_Static_assert(DOJO_FIELD_COUNT <=
	       sizeof(((struct dojo_dev_info *)0)->field_err) / sizeof(int32_t),
	       "field_err[] too small");
_Static_assert(DOJO_FIELD_COUNT <= 32, "present is 32 bits");
_Static_assert(sizeof(dojo_attrs) / sizeof(dojo_attrs[0]) == DOJO_FIELD_COUNT,
	       "one attribute per field");

DOJO_EXPORT const char *dojo_field_name(enum dojo_info_field field)
{
	unsigned int i;

	for (i = 0; i < DOJO_FIELD_COUNT; i++)
		if (dojo_attrs[i].field == field)
			return strncmp(dojo_attrs[i].name, "../", 3) ?
				dojo_attrs[i].name : dojo_attrs[i].name + 3;
	return NULL;
}

int dojo_strlcpy(char *dst, const char *src, size_t size)
{
	size_t len = strlen(src);

	if (len >= size) {
		if (size) {
			memcpy(dst, src, size - 1);
			dst[size - 1] = '\0';
		}
		return -ENAMETOOLONG;
	}
	memcpy(dst, src, len + 1);
	return 0;
}

DOJO_EXPORT int dojo_info_has(const struct dojo_dev_info *info,
			      enum dojo_info_field field)
{
	if (!info || (unsigned int)field >= DOJO_FIELD_COUNT)
		return 0;
	return (info->present >> field) & 1;
}

/*
 * A zeroed info that remembers @sysroot; the library alone allocates them,
 * so their size may grow and they may carry what the header does not show.
 */
struct dojo_dev_info *dojo_info_alloc(const char *sysroot)
{
	struct dojo_info_priv *p = calloc(1, sizeof(*p));

	if (!p)
		return NULL;
	if (sysroot && *sysroot) {
		p->sysroot = strdup(sysroot);
		if (!p->sysroot) {
			free(p);
			return NULL;
		}
	}
	return &p->info;
}

const char *dojo_info_sysroot(const struct dojo_dev_info *info)
{
	const struct dojo_info_priv *p = (const void *)info;

	return p->sysroot ? p->sysroot : "";
}

DOJO_EXPORT void dojo_free_info(struct dojo_dev_info *info)
{
	struct dojo_info_priv *p = (void *)info;

	if (!p)
		return;
	free(p->sysroot);
	free(p);
}

static const char *sysroot_or_empty(const char *sysroot)
{
	return sysroot ? sysroot : "";
}

/* Read a sysfs attribute relative to @dirfd, without its trailing newline. */
static int read_attr(int dirfd, const char *path, char *buf, size_t size)
{
	ssize_t n;
	size_t len = 0;
	int fd, err = 0;

	fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	while (len < size - 1) {
		n = read(fd, buf + len, size - 1 - len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			err = -errno;
			break;
		}
		if (n == 0)
			break;
		len += n;
	}
	close(fd);
	if (err)
		return err;
	buf[len] = '\0';
	while (len && (buf[len - 1] == '\n' || buf[len - 1] == ' ' ||
		       buf[len - 1] == '\t'))
		buf[--len] = '\0';
	return 0;
}

/*
 * Parse a whole unsigned number: decimal (leading zeros are still decimal),
 * or hexadecimal with a 0x prefix when @hex_ok.
 */
static int parse_num(const char *s, int hex_ok, uint64_t max, uint64_t *out)
{
	unsigned long long v;
	int base = 10;
	char *end;

	if (hex_ok && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	if (!((*s >= '0' && *s <= '9') ||
	      (base == 16 && ((*s >= 'a' && *s <= 'f') ||
			      (*s >= 'A' && *s <= 'F')))))
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, base);
	if (errno || end == s || *end || v > max)
		return -EINVAL;
	*out = v;
	return 0;
}

static int parse_u64(const char *s, uint64_t max, uint64_t *out)
{
	return parse_num(s, 1, max, out);
}

/* "16.0 GT/s PCIe" -> 4 */
static int parse_link_gen(const char *s, uint32_t *gen)
{
	static const struct { const char *rate; uint32_t gen; } gens[] = {
		{ "2.5 GT/s", 1 }, { "5.0 GT/s", 2 }, { "8.0 GT/s", 3 },
		{ "16.0 GT/s", 4 }, { "32.0 GT/s", 5 }, { "64.0 GT/s", 6 },
	};
	unsigned int i;

	for (i = 0; i < sizeof(gens) / sizeof(gens[0]); i++) {
		size_t len = strlen(gens[i].rate);

		if (!strncmp(s, gens[i].rate, len) &&
		    (s[len] == '\0' || s[len] == ' ')) {
			*gen = gens[i].gen;
			return 0;
		}
	}
	return -EINVAL;
}

static int read_field(int dirfd, const struct dojo_attr *a,
		      struct dojo_dev_info *info)
{
	char path[64], buf[128];
	char *dst = (char *)info + a->offset;
	uint64_t v;
	int err;

	snprintf(path, sizeof(path), "%s/%s", DOJO_ATTR_DIR, a->name);
	err = read_attr(dirfd, path, buf, sizeof(buf));
	if (err)
		return err;

	switch (a->type) {
	case ATTR_STR:
		if (!buf[0])
			return -ENODATA;
		return dojo_strlcpy(dst, buf, a->size) ? -EOVERFLOW : 0;
	case ATTR_U32:
		err = parse_u64(buf, UINT32_MAX, &v);
		if (!err)
			*(uint32_t *)dst = (uint32_t)v;
		return err;
	case ATTR_U64:
		err = parse_u64(buf, UINT64_MAX, &v);
		if (!err)
			*(uint64_t *)dst = v;
		return err;
	case ATTR_GEN:
		return parse_link_gen(buf, (uint32_t *)dst);
	}
	return -EINVAL;
}

/* Basename of the driver bound to the accel device's parent, or "". */
static void read_driver(int dirfd, char *buf, size_t size)
{
	char link[PATH_MAX];
	const char *base;
	ssize_t n;

	buf[0] = '\0';
	n = readlinkat(dirfd, "device/driver", link, sizeof(link) - 1);
	if (n <= 0)
		return;
	link[n] = '\0';
	base = strrchr(link, '/');
	dojo_strlcpy(buf, base ? base + 1 : link, size);
}

static int is_dojo_driver(const char *driver)
{
	size_t len = strlen(DOJO_DRIVER_NAME);

	/* "dojo", or an auxiliary driver of the dojo module: "dojo.<name>" */
	return !strncmp(driver, DOJO_DRIVER_NAME, len) &&
	       (driver[len] == '\0' || driver[len] == '.');
}

/*
 * The device node from the uevent's DEVNAME (else /dev/accel/accelN) and
 * its major number from MAJOR (else 0).
 */
static void read_devnode(int dirfd, struct dojo_dev_info *out)
{
	char uevent[512], *line, *save = NULL;
	int have_name = 0;
	uint64_t v;

	if (!read_attr(dirfd, "uevent", uevent, sizeof(uevent))) {
		for (line = strtok_r(uevent, "\n", &save); line;
		     line = strtok_r(NULL, "\n", &save)) {
			if (!strncmp(line, "DEVNAME=", 8) && line[8] &&
			    !have_name)
				have_name = snprintf(out->devnode,
						     sizeof(out->devnode),
						     "/dev/%s", line + 8) <
					    (int)sizeof(out->devnode);
			else if (!strncmp(line, "MAJOR=", 6) &&
				 !parse_num(line + 6, 0, UINT32_MAX, &v))
				out->major = (uint32_t)v;
		}
	}
	if (!have_name)
		snprintf(out->devnode, sizeof(out->devnode),
			 "/dev/accel/accel%d", out->minor);
}

/*
 * Fill @out from @sysroot/sys/class/accel/accel@minor.
 * Return: 1 when it is a DIP, 0 when it is another accel device, -errno.
 */
int dojo_read_accel(const char *sysroot, int minor, struct dojo_dev_info *out)
{
	char path[PATH_MAX];
	struct stat st;
	unsigned int i;
	int dirfd, err;

	if (snprintf(path, sizeof(path), "%s/sys/class/accel/accel%d",
		     sysroot_or_empty(sysroot), minor) >= (int)sizeof(path))
		return -ENAMETOOLONG;
	dirfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0)
		return -errno;

	memset(out, 0, sizeof(*out));
	out->index = -1;
	out->minor = minor;
	snprintf(out->name, sizeof(out->name), "accel%d", minor);
	read_driver(dirfd, out->driver, sizeof(out->driver));

	if (!is_dojo_driver(out->driver) &&
	    (fstatat(dirfd, DOJO_ATTR_DIR, &st, 0) || !S_ISDIR(st.st_mode))) {
		close(dirfd);
		return 0;
	}

	read_devnode(dirfd, out);
	for (i = 0; i < DOJO_FIELD_COUNT; i++) {
		const struct dojo_attr *a = &dojo_attrs[i];

		if (a->field == DOJO_FIELD_PCIE_LINK_GEN ||
		    a->field == DOJO_FIELD_PCIE_LINK_WIDTH) {
			/* only a PCI function has a link */
			if (!dojo_info_has(out, DOJO_FIELD_BUS_TYPE) ||
			    strcmp(out->bus_type, "pci")) {
				out->field_err[a->field] = -ENODEV;
				continue;
			}
		}
		err = read_field(dirfd, a, out);
		if (err)
			out->field_err[a->field] = err;
		else
			out->present |= 1u << a->field;
	}
	close(dirfd);
	return 1;
}

/* "accelN" with N a canonical decimal number. */
static int parse_accel_name(const char *name, int *minor)
{
	uint64_t v;

	if (strncmp(name, "accel", 5) || !name[5] ||
	    (name[5] == '0' && name[6]) || name[5] < '0' || name[5] > '9')
		return -EINVAL;
	if (parse_num(name + 5, 0, INT_MAX, &v))
		return -EINVAL;
	*minor = (int)v;
	return 0;
}

static int cmp_minor(const void *a, const void *b)
{
	const struct dojo_dev_info *x = *(struct dojo_dev_info *const *)a;
	const struct dojo_dev_info *y = *(struct dojo_dev_info *const *)b;

	return (x->minor > y->minor) - (x->minor < y->minor);
}

DOJO_EXPORT void dojo_free_enumeration(struct dojo_dev_info **list)
{
	struct dojo_dev_info **p;

	if (!list)
		return;
	for (p = list; *p; p++)
		dojo_free_info(*p);
	free(list);
}

DOJO_EXPORT int dojo_enumerate(const char *sysroot,
			       struct dojo_dev_info ***list, int *count)
{
	struct dojo_dev_info **devs = NULL, **tmp, *info = NULL;
	char path[PATH_MAX];
	struct dirent *de;
	int n = 0, cap = 0, minor, ret, i;
	DIR *dir;

	if (!list || !count)
		return -EINVAL;
	*list = NULL;
	*count = 0;

	if (snprintf(path, sizeof(path), "%s/sys/class/accel",
		     sysroot_or_empty(sysroot)) >= (int)sizeof(path))
		return -ENAMETOOLONG;
	dir = opendir(path);
	if (!dir)
		return errno == ENOENT ? 0 : -errno;

	for (;;) {
		errno = 0;
		de = readdir(dir);
		if (!de) {
			ret = errno ? -errno : 0;
			break;
		}
		if (parse_accel_name(de->d_name, &minor))
			continue;
		/* room for this one and the NULL that ends the array */
		if (n + 1 >= cap) {
			cap = cap ? cap * 2 : 4;
			tmp = realloc(devs, cap * sizeof(*devs));
			if (!tmp) {
				ret = -ENOMEM;
				break;
			}
			devs = tmp;
		}
		if (!info)
			info = dojo_info_alloc(sysroot);
		if (!info) {
			ret = -ENOMEM;
			break;
		}
		ret = dojo_read_accel(sysroot, minor, info);
		/* gone while we looked, or not ours: skip it */
		if (ret == 1) {
			devs[n++] = info;
			devs[n] = NULL;
			info = NULL;
		}
	}
	closedir(dir);
	dojo_free_info(info);
	if (ret < 0 || !n) {
		if (devs)
			devs[n] = NULL;
		dojo_free_enumeration(devs);
		return ret < 0 ? ret : 0;
	}

	qsort(devs, n, sizeof(*devs), cmp_minor);
	for (i = 0; i < n; i++)
		devs[i]->index = i;
	*list = devs;
	*count = n;
	return 0;
}

/* "03:00.0" names the PCI device "0000:03:00.0". */
static int bus_addr_matches(const char *addr, const char *spec)
{
	if (!*addr)
		return 0;
	if (!strcmp(addr, spec))
		return 1;
	return !strncmp(addr, "0000:", 5) && !strcmp(addr + 5, spec);
}

/*
 * @path without ".", ".." and repeated slashes, lexically (no symlink is
 * followed: for paths that do not exist). -ENAMETOOLONG if it does not fit.
 */
static int normalize_path(const char *path, char *out, size_t size)
{
	size_t len = 0;
	const char *p = path, *end;

	if (size < 2 || *path != '/')
		return -EINVAL;
	out[0] = '\0';
	while (*p) {
		size_t seg;

		while (*p == '/')
			p++;
		end = strchrnul(p, '/');
		seg = end - p;
		if (seg == 0 || (seg == 1 && p[0] == '.')) {
			/* nothing */
		} else if (seg == 2 && p[0] == '.' && p[1] == '.') {
			while (len && out[len - 1] != '/')
				len--;
			if (len)
				len--;
			out[len] = '\0';
		} else {
			if (len + 1 + seg + 1 > size)
				return -ENAMETOOLONG;
			out[len++] = '/';
			memcpy(out + len, p, seg);
			len += seg;
			out[len] = '\0';
		}
		p = end;
	}
	if (!len) {
		out[0] = '/';
		out[1] = '\0';
	}
	return 0;
}

/*
 * The DIP whose device node @spec is: an existing character device (under
 * @sysroot) by its device number, whatever path led to it; otherwise by the
 * normalized path.
 */
static int find_by_path(struct dojo_dev_info *const *list, int count,
			const char *sysroot, const char *spec)
{
	char path[PATH_MAX], norm[PATH_MAX];
	struct stat st;
	int i;

	if (snprintf(path, sizeof(path), "%s%s", sysroot_or_empty(sysroot),
		     spec) < (int)sizeof(path) &&
	    !stat(path, &st) && S_ISCHR(st.st_mode)) {
		for (i = 0; i < count; i++)
			if (list[i]->major &&
			    list[i]->major == major(st.st_rdev) &&
			    (unsigned int)list[i]->minor == minor(st.st_rdev))
				return i;
		return -ENODEV;
	}
	if (normalize_path(spec, norm, sizeof(norm)))
		return -ENODEV;
	for (i = 0; i < count; i++)
		if (!strcmp(list[i]->devnode, norm))
			return i;
	return -ENODEV;
}

DOJO_EXPORT int dojo_enumeration_find(struct dojo_dev_info *const *list,
				      int count, const char *spec)
{
	uint64_t v;
	int i, minor;

	if (!spec || !*spec || (count && !list))
		return -EINVAL;

	if (!parse_num(spec, 0, INT_MAX, &v)) {
		for (i = 0; i < count; i++)
			if (list[i]->index == (int)v)
				return i;
		return -ENODEV;
	}
	if (!parse_accel_name(spec, &minor)) {
		for (i = 0; i < count; i++)
			if (list[i]->minor == minor)
				return i;
		return -ENODEV;
	}
	if (spec[0] == '/')
		return count ? find_by_path(list, count,
					    dojo_info_sysroot(list[0]), spec) :
			       -ENODEV;
	for (i = 0; i < count; i++)
		if (dojo_info_has(list[i], DOJO_FIELD_SERIAL) &&
		    !strcmp(list[i]->serial, spec))
			return i;
	for (i = 0; i < count; i++)
		if (dojo_info_has(list[i], DOJO_FIELD_BUS_ADDR) &&
		    bus_addr_matches(list[i]->bus_addr, spec))
			return i;
	return -ENODEV;
}
