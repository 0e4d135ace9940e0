// SPDX-License-Identifier: MIT
/*
 * dojoctl: what libpci says about a PCI DIP.
 *
 * Names come from pci.ids (pci_lookup_name()), the vendor, device and
 * subsystem IDs from the first 64 bytes of config space, which sysfs lets
 * anyone read. The PCI Express capability (Link Capabilities, Control and
 * Status) lies beyond them: sysfs returns those bytes to root only, so a
 * caller without privilege gets the sysfs link attributes instead and is
 * told "needs root" for what only config space holds.
 *
 * libpci reads <sysroot>/sys/bus/pci, so --sysroot covers it too. Its
 * errors would exit the program: they are caught and become the reason of
 * null values instead.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <pci/pci.h>

#include "dojoctl.h"

static struct pci_access *pacc;
static sigjmp_buf pci_jmp;
static char pci_errmsg[160];
static char pci_path[PATH_MAX];

static void __attribute__((noreturn)) pci_error_cb(char *msg, ...)
{
	va_list ap;

	va_start(ap, msg);
	vsnprintf(pci_errmsg, sizeof(pci_errmsg), msg, ap);
	va_end(ap);
	siglongjmp(pci_jmp, 1);
}

static void pci_quiet_cb(char *msg, ...)
{
	(void)msg;
}

static void pci_done(void)
{
	if (pacc)
		pci_cleanup(pacc);
	pacc = NULL;
}

/* Call with pci_jmp set: pci_init() may fail through pci_error_cb(). */
static struct pci_access *pci_get(void)
{
	if (pacc)
		return pacc;
	pacc = pci_alloc();
	pacc->error = pci_error_cb;
	pacc->warning = pci_quiet_cb;
	pacc->debug = pci_quiet_cb;
	pacc->method = PCI_ACCESS_SYS_BUS_PCI;
	snprintf(pci_path, sizeof(pci_path), "%s/bus/pci",
		 dojoctl_sysfs_root());
	pci_set_param(pacc, "sysfs.path", pci_path);
	pci_init(pacc);
	atexit(pci_done);
	return pacc;
}

static int read_sysfs(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "re");
	size_t n;

	if (!f)
		return -errno;
	n = fread(buf, 1, size - 1, f);
	fclose(f);
	buf[n] = '\0';
	while (n && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		buf[--n] = '\0';
	return n ? 0 : -ENODATA;
}

/* The PCI function's slot name ("0000:0a:00.0") when the DIP is on PCI. */
static int pci_slot(const char *name, char *slot, size_t size,
		    const char **reason)
{
	char path[PATH_MAX], real[PATH_MAX], buf[16];
	const char *base;

	snprintf(path, sizeof(path), "%s/class/accel/%s/device/dojo/bus_type",
		 dojoctl_sysfs_root(), name);
	if (read_sysfs(path, buf, sizeof(buf)) || strcmp(buf, "pci")) {
		*reason = "not a PCI device";
		return -ENODEV;
	}
	snprintf(path, sizeof(path), "%s/class/accel/%s/device",
		 dojoctl_sysfs_root(), name);
	if (!realpath(path, real)) {
		*reason = NULL;
		return -errno;
	}
	base = strrchr(real, '/');
	base = base ? base + 1 : real;
	if (snprintf(path, sizeof(path), "%s/bus/pci/devices/%s",
		     dojoctl_sysfs_root(), base) >= (int)sizeof(path) ||
	    access(path, F_OK)) {
		*reason = "not in sysfs bus/pci";
		return -ENOENT;
	}
	if (snprintf(slot, size, "%s", base) >= (int)size) {
		*reason = "unparsable PCI address";
		return -EINVAL;
	}
	return 0;
}

static void lookup_names(struct pci_access *a, struct dojoctl_pci *p,
			 bool subsys)
{
	pci_lookup_name(a, p->vendor_name, sizeof(p->vendor_name),
			PCI_LOOKUP_VENDOR, p->vendor_id);
	pci_lookup_name(a, p->device_name, sizeof(p->device_name),
			PCI_LOOKUP_DEVICE, p->vendor_id, p->device_id);
	if (subsys)
		pci_lookup_name(a, p->subsys_name, sizeof(p->subsys_name),
				PCI_LOOKUP_SUBSYSTEM | PCI_LOOKUP_VENDOR |
				PCI_LOOKUP_DEVICE, p->vendor_id, p->device_id,
				p->subsys_vendor_id, p->subsys_id);
}

static void read_cap(struct pci_dev *dev, const uint8_t *hdr,
		     struct dojoctl_pci *p)
{
	struct pci_cap *cap;
	uint8_t probe[4];
	uint32_t lnkcap;

	p->cap_err = -ENOENT;
	p->cap_reason = "no PCI Express capability";
	if (!(hdr[PCI_STATUS] & PCI_STATUS_CAP_LIST) ||
	    hdr[PCI_CAPABILITY_LIST] < 0x40)
		return;
	/* sysfs gives the bytes after the header to root only */
	if (!pci_read_block(dev, hdr[PCI_CAPABILITY_LIST] & ~3, probe,
			    sizeof(probe))) {
		p->cap_err = -EACCES;
		p->cap_reason = geteuid() ? "needs root" :
			"config space unreadable past the header";
		return;
	}
	cap = pci_find_cap(dev, PCI_CAP_ID_EXP, PCI_CAP_NORMAL);
	if (!cap)
		return;
	lnkcap = pci_read_long(dev, cap->addr + PCI_EXP_LNKCAP);
	p->lnkctl = pci_read_word(dev, cap->addr + PCI_EXP_LNKCTL);
	p->lnksta = pci_read_word(dev, cap->addr + PCI_EXP_LNKSTA);
	if (lnkcap == 0xffffffff || p->lnksta == 0xffff) {
		p->cap_err = -EIO;
		p->cap_reason = "PCI Express capability unreadable";
		return;
	}
	p->lnkcap = lnkcap;
	p->cap_err = 0;
	p->cap_reason = NULL;
}

void dojoctl_pci_read(const char *name, struct dojoctl_pci *p)
{
	unsigned int dom, bus, slot, func;
	struct pci_dev *volatile dev = NULL;
	struct pci_access *a;
	uint8_t hdr[64];
	char sname[64];

	memset(p, 0, sizeof(*p));
	p->cap_err = -ENODEV;
	p->err = pci_slot(name, sname, sizeof(sname), &p->reason);
	if (p->err) {
		p->cap_reason = p->reason;
		return;
	}
	if (sscanf(sname, "%x:%x:%x.%x", &dom, &bus, &slot, &func) != 4) {
		p->err = p->cap_err = -EINVAL;
		p->reason = p->cap_reason = "unparsable PCI address";
		return;
	}

	if (sigsetjmp(pci_jmp, 0)) {
		/* libpci gave up: its state is not to be trusted again */
		pacc = NULL;
		p->err = p->cap_err = -EIO;
		p->reason = p->cap_reason = pci_errmsg;
		return;
	}
	a = pci_get();
	dev = pci_get_dev(a, dom, bus, slot, func);
	if (!pci_read_block(dev, 0, hdr, sizeof(hdr))) {
		p->err = p->cap_err = -EIO;
		p->reason = p->cap_reason = "config space unreadable";
		pci_free_dev(dev);
		return;
	}
	p->vendor_id = hdr[PCI_VENDOR_ID] | hdr[PCI_VENDOR_ID + 1] << 8;
	p->device_id = hdr[PCI_DEVICE_ID] | hdr[PCI_DEVICE_ID + 1] << 8;
	if (p->vendor_id == 0xffff) {
		p->err = p->cap_err = -EIO;
		p->reason = p->cap_reason = "device not responding";
		pci_free_dev(dev);
		return;
	}
	if ((hdr[PCI_HEADER_TYPE] & 0x7f) == PCI_HEADER_TYPE_NORMAL) {
		p->subsys_vendor_id = hdr[PCI_SUBSYSTEM_VENDOR_ID] |
			hdr[PCI_SUBSYSTEM_VENDOR_ID + 1] << 8;
		p->subsys_id = hdr[PCI_SUBSYSTEM_ID] |
			hdr[PCI_SUBSYSTEM_ID + 1] << 8;
	}
	lookup_names(a, p, (hdr[PCI_HEADER_TYPE] & 0x7f) ==
		     PCI_HEADER_TYPE_NORMAL);
	read_cap(dev, hdr, p);
	pci_free_dev(dev);
}

unsigned int dojoctl_pci_gen(const struct dojoctl_pci *p, bool cap)
{
	return cap ? p->lnkcap & PCI_EXP_LNKCAP_SPEED :
		     p->lnksta & PCI_EXP_LNKSTA_SPEED;
}

unsigned int dojoctl_pci_width(const struct dojoctl_pci *p, bool cap)
{
	return cap ? (p->lnkcap & PCI_EXP_LNKCAP_WIDTH) >> 4 :
		     (p->lnksta & PCI_EXP_LNKSTA_WIDTH) >> 4;
}

const char *dojoctl_pci_aspm(const struct dojoctl_pci *p, bool enabled)
{
	static const char *const names[] = { "disabled", "L0s", "L1",
					     "L0s L1" };

	return names[enabled ? p->lnkctl & PCI_EXP_LNKCTL_ASPM :
			       (p->lnkcap & PCI_EXP_LNKCAP_ASPM) >> 10];
}

/* "16.0 GT/s PCIe" -> 4; 0 when unknown */
unsigned int dojoctl_pci_speed_gen(const char *s)
{
	static const char *const speeds[] = { "2.5 GT/s", "5.0 GT/s",
		"8.0 GT/s", "16.0 GT/s", "32.0 GT/s", "64.0 GT/s" };
	unsigned int i;

	for (i = 0; i < sizeof(speeds) / sizeof(speeds[0]); i++)
		if (!strncmp(s, speeds[i], strlen(speeds[i])))
			return i + 1;
	return 0;
}

void dojoctl_pci_sysfs_link(const char *name, bool cap, bool width,
			    struct dojoctl_value *v)
{
	char path[PATH_MAX], buf[64], *end;
	unsigned long n;
	int err;

	snprintf(path, sizeof(path), "%s/class/accel/%s/device/%s_link_%s",
		 dojoctl_sysfs_root(), name, cap ? "max" : "current",
		 width ? "width" : "speed");
	err = read_sysfs(path, buf, sizeof(buf));
	if (err) {
		v->err = err;
		v->reason = NULL;
		return;
	}
	if (width) {
		errno = 0;
		n = strtoul(buf, &end, 10);
		if (errno || end == buf || *end) {
			v->err = -EINVAL;
			return;
		}
	} else {
		n = dojoctl_pci_speed_gen(buf);
		if (!n) {
			v->err = -EINVAL;
			return;
		}
	}
	v->err = 0;
	v->i = (int64_t)n;
}

void dojoctl_pci_link(const char *name, const struct dojoctl_pci *p, bool cap,
		      bool width, struct dojoctl_value *v)
{
	unsigned int n;

	if (p->err == -ENODEV) {
		v->err = p->err;
		v->reason = p->reason;
		return;
	}
	if (!p->cap_err) {
		n = width ? dojoctl_pci_width(p, cap) : dojoctl_pci_gen(p, cap);
		v->err = n ? 0 : -EINVAL;
		v->i = n;
		return;
	}
	dojoctl_pci_sysfs_link(name, cap, width, v);
	/* not in sysfs either: config space would have told */
	if (v->err == -ENOENT && p->cap_err == -EACCES)
		v->reason = p->cap_reason;
}

static void add_str(json_object *o, json_object *unav, const char *key,
		    int err, const char *reason, const char *s)
{
	json_object_object_add(o, key, err ? NULL : json_object_new_string(s));
	if (err)
		json_object_object_add(unav, key, json_object_new_string(
			reason ? reason : dojoctl_reason(err)));
}

static void add_value(json_object *o, json_object *unav, const char *key,
		      const struct dojoctl_value *v)
{
	json_object_object_del(unav, key);
	dojoctl_json_add_value(o, unav, key, v);
}

void dojoctl_pci_json(const struct dojo_dev_info *d, json_object *o,
		      json_object *unav)
{
	struct dojoctl_pci p;
	struct dojoctl_value v;
	bool subsys;

	dojoctl_pci_read(d->name, &p);

	/* as root, the link as config space has it; else sysfs (libdojo) */
	if (!p.cap_err) {
		memset(&v, 0, sizeof(v));
		dojoctl_pci_link(d->name, &p, false, false, &v);
		add_value(o, unav, "pcie_link_gen", &v);
		dojoctl_pci_link(d->name, &p, false, true, &v);
		add_value(o, unav, "pcie_link_width_lanes", &v);
	}
	memset(&v, 0, sizeof(v));
	dojoctl_pci_link(d->name, &p, true, false, &v);
	add_value(o, unav, "pcie_link_cap_gen", &v);
	memset(&v, 0, sizeof(v));
	dojoctl_pci_link(d->name, &p, true, true, &v);
	add_value(o, unav, "pcie_link_cap_width_lanes", &v);
	add_str(o, unav, "pcie_link_source", p.err == -ENODEV ? p.err : 0,
		p.reason, p.cap_err ? "sysfs" : "config space");
	add_str(o, unav, "pcie_aspm_supported", p.cap_err, p.cap_reason,
		dojoctl_pci_aspm(&p, false));
	add_str(o, unav, "pcie_aspm_enabled", p.cap_err, p.cap_reason,
		dojoctl_pci_aspm(&p, true));

	add_str(o, unav, "pci_vendor_name", p.err, p.reason, p.vendor_name);
	add_str(o, unav, "pci_device_name", p.err, p.reason, p.device_name);
	subsys = !p.err && p.subsys_name[0];
	if (subsys) {
		json_object_object_add(o, "pci_subsystem_vendor_id",
				       json_object_new_int(p.subsys_vendor_id));
		json_object_object_add(o, "pci_subsystem_id",
				       json_object_new_int(p.subsys_id));
	} else {
		const char *why = p.err ? p.reason : "no subsystem IDs";
		int err = p.err ? p.err : -ENOENT;

		add_str(o, unav, "pci_subsystem_vendor_id", err, why, NULL);
		add_str(o, unav, "pci_subsystem_id", err, why, NULL);
	}
	add_str(o, unav, "pci_subsystem_name", subsys ? 0 : -ENOENT,
		p.err ? p.reason : "no subsystem IDs", p.subsys_name);
}
