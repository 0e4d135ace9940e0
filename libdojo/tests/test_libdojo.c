// SPDX-License-Identifier: MIT
/*
 * libdojo API tests.
 *
 *   test_libdojo fake SYSROOT
 *                       SYSROOT/sys is a fake tree with the DIPs
 *                       accel2 (serial DJ2, dojo_emu2) and accel10 (DJ10,
 *                       0000:0a:00.0, PCI, link Gen3 x8) and a foreign
 *                       accel0 (see
 *                       tests/dojoctl/fakesys.inc); no device node needed
 *   test_libdojo real N N DIPs of the driver are present (as root)
 *
 * TAP output; exit 0 when every check passed, 1 otherwise.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dojo.h"

static int n_tests, n_failed;
static const char *sysroot;	/* NULL: the running system */

#define CHECK(cond, ...)						\
	do {								\
		n_tests++;						\
		if (cond) {						\
			printf("ok %d - ", n_tests);			\
		} else {						\
			n_failed++;					\
			printf("not ok %d - ", n_tests);		\
		}							\
		printf(__VA_ARGS__);					\
		if (!(cond))						\
			printf(" (%s:%d: %s)", __FILE__, __LINE__, #cond); \
		putchar('\n');						\
	} while (0)

#define HBM_32G 34359738368ull
#define ALL_FIELDS ((1u << DOJO_FIELD_COUNT) - 1)
#define LINK_FIELDS ((1u << DOJO_FIELD_PCIE_LINK_GEN) | \
		     (1u << DOJO_FIELD_PCIE_LINK_WIDTH))
#define THREADS 8

/*
 * Enumerations per thread: many against the fake tree, fewer against a
 * real sysfs, whose reads a debug kernel makes slow.
 */
static int enumerations = 200;

static void *enumerate_thread(void *arg)
{
	int want = *(int *)arg, i, bad = 0;

	for (i = 0; i < enumerations; i++) {
		struct dojo_dev_info **list;
		int count;

		if (dojo_enumerate(sysroot, &list, &count) || count != want)
			bad++;
		dojo_free_enumeration(list);
	}
	return (void *)(long)bad;
}

static void test_threads(int want)
{
	pthread_t t[THREADS];
	long bad = 0;
	void *ret;
	int i;

	for (i = 0; i < THREADS; i++)
		pthread_create(&t[i], NULL, enumerate_thread, &want);
	for (i = 0; i < THREADS; i++) {
		pthread_join(t[i], &ret);
		bad += (long)ret;
	}
	CHECK(bad == 0, "%d threads enumerate concurrently", THREADS);
}

static void test_common(void)
{
	struct dojo_device *dev = (struct dojo_device *)1;
	uint32_t size = 4;

	CHECK(!strcmp(dojo_lib_version(), DOJO_VERSION), "version %s",
	      dojo_lib_version());
	CHECK(!strcmp(dojo_strerror(-ENODEV), "no such DIP"),
	      "strerror(-ENODEV)");
	CHECK(dojo_strerror(ENODEV) == dojo_strerror(-ENODEV),
	      "strerror takes errno or -errno");
	CHECK(dojo_strerror(-123456) != NULL, "strerror of an unknown error");
	CHECK(!strcmp(dojo_field_name(DOJO_FIELD_HBM_SIZE), "hbm_size_bytes"),
	      "field name of hbm");
	CHECK(dojo_field_name(DOJO_FIELD_COUNT) == NULL, "no field past the end");
	CHECK(!strcmp(dojo_platform_name(DRM_DOJO_PLATFORM_EMULATED),
		      "emulated"), "platform name");
	CHECK(dojo_bus_type_name(0) == NULL, "bus type 0 has no name");
	CHECK(dojo_open_path("/dev/null", &dev) == -ENODEV && !dev,
	      "/dev/null is not a DIP");
	CHECK(dojo_open_path("/nonexistent/accel0", &dev) == -ENOENT,
	      "a missing node is -ENOENT");
	CHECK(dojo_open_path("/etc/hostname", &dev) == -ENODEV,
	      "a regular file is not a DIP");
	CHECK(dojo_open(NULL, &dev) == -EINVAL, "dojo_open(NULL)");
	CHECK(dojo_open("", &dev) == -EINVAL, "dojo_open(\"\")");
	CHECK(dojo_open_index(-1, &dev) == -ENODEV, "negative index");
	CHECK(dojo_open_serial("no-such-serial", &dev) == -ENODEV,
	      "unknown serial");
	CHECK(dojo_open_bus_addr("0000:ff:1f.7", &dev) == -ENODEV,
	      "unknown bus address");
	CHECK(dojo_query(NULL, 1, NULL, &size) == -EINVAL, "query NULL dev");
	CHECK(dojo_enumerate(NULL, NULL, NULL) == -EINVAL, "enumerate NULL");
	CHECK(dojo_open_fd(-1, &dev) == -EBADF, "open_fd(-1) is -EBADF");
	{
		int fd = open("/dev/null", O_RDWR);

		CHECK(dojo_open_fd(fd, &dev) == -ENODEV && !dev,
		      "open_fd of /dev/null is -ENODEV");
		CHECK(fcntl(fd, F_GETFD) >= 0, "  and leaves the caller's fd open");
		close(fd);
	}
	CHECK(!dojo_info_has(NULL, DOJO_FIELD_SERIAL), "info_has(NULL)");
	dojo_close(NULL);
	dojo_free_enumeration(NULL);
}

/* The Z-plane's names and the checks made before any ioctl. */
static void test_zplane(void)
{
	struct dojo_device *dev = (struct dojo_device *)1;
	struct dojo_grant g = { .grant_id = 1 };
	struct dojo_bo *bo = (struct dojo_bo *)1;
	unsigned int s;
	int ok = 1;

	CHECK(!strcmp(dojo_zplane_link_state_name(DRM_DOJO_ZPLANE_LINK_UP), "up") &&
	      !strcmp(dojo_zplane_link_state_name(DRM_DOJO_ZPLANE_LINK_DOWN), "down") &&
	      !strcmp(dojo_zplane_link_state_name(DRM_DOJO_ZPLANE_UNCABLED),
		      "uncabled") &&
	      !dojo_zplane_link_state_name(0) && !dojo_zplane_link_state_name(4),
	      "Z-plane link state names");
	for (s = DRM_DOJO_CONN_CLOSED; s <= DRM_DOJO_CONN_CLOSE_RECD; s++)
		ok &= dojo_zplane_conn_state_name(s) != NULL;
	CHECK(ok && !strcmp(dojo_zplane_conn_state_name(DRM_DOJO_CONN_OPEN),
			    "OPEN") &&
	      !strcmp(dojo_zplane_conn_state_name(DRM_DOJO_CONN_OPEN_SENT),
		      "OPEN_SENT") &&
	      !dojo_zplane_conn_state_name(6), "connection state names");
	ok = 1;
	for (s = DRM_DOJO_JOB_PENDING; s <= DRM_DOJO_JOB_REMOTE_TIMEOUT; s++)
		ok &= strcmp(dojo_job_status_str(s), "unknown") != 0;
	CHECK(ok && !strcmp(dojo_job_status_str(DRM_DOJO_JOB_REMOTE_TIMEOUT + 1),
			    "unknown"), "job statuses 0..10 have names");
	CHECK(!strncmp(dojo_job_status_str(DRM_DOJO_JOB_REMOTE_REFUSED),
		       "remote refused", 14), "REMOTE_REFUSED's name");
	CHECK(strcmp(dojo_strerror(-ENOLINK), "unknown error") &&
	      strstr(dojo_strerror(-ENOLINK), "Z-plane"), "strerror(-ENOLINK)");
	CHECK(dojo_zplane_info(NULL, NULL) == -EINVAL &&
	      dojo_zplane_info(dev, NULL) == -EINVAL &&
	      dojo_zplane_conns(NULL, NULL) == -EINVAL, "queries check arguments");
	memset(&g, 0xff, sizeof(g));
	CHECK(dojo_grant_create(NULL, 0, 1, 0, &g) == -EINVAL && !g.grant_id &&
	      !g.key, "grant of no buffer: -EINVAL, grant zeroed");
	CHECK(dojo_grant_create(bo, 0, 1, 0, NULL) == -EINVAL,
	      "grant without a result");
	g.grant_id = 0;
	CHECK(dojo_grant_revoke(dev, &g) == -EINVAL &&
	      dojo_grant_revoke(NULL, &g) == -EINVAL &&
	      dojo_grant_revoke(dev, NULL) == -EINVAL, "revoke checks arguments");
	bo = (struct dojo_bo *)1;
	CHECK(dojo_remote_import(dev, 1, 1, 0, 0, &bo) == -EINVAL && !bo,
	      "import of 0 bytes");
	CHECK(dojo_remote_import(dev, 1, 0, 0, 4096, &bo) == -EINVAL,
	      "import of grant 0");
	CHECK(dojo_remote_import(dev, 1 << 24, 1, 0, 4096, &bo) == -EINVAL,
	      "import from a node id beyond 24 bits");
	CHECK(dojo_remote_import(NULL, 1, 1, 0, 4096, &bo) == -EINVAL &&
	      dojo_remote_import(dev, 1, 1, 0, 4096, NULL) == -EINVAL,
	      "import checks arguments");
}

static void test_fake(void)
{
	struct dojo_dev_info **list;
	struct dojo_device *dev;
	int count = -1, err;

	err = dojo_enumerate(sysroot, &list, &count);
	CHECK(!err && count == 2, "fake tree has 2 DIPs (err %d, count %d)",
	      err, count);
	if (err || count != 2)
		return;
	CHECK(list[0]->index == 0 && list[0]->minor == 2 &&
	      !strcmp(list[0]->name, "accel2"), "first is accel2");
	CHECK(list[1]->index == 1 && list[1]->minor == 10, "then accel10");
	CHECK(!strcmp(list[0]->devnode, "/dev/accel/accel2"), "devnode");
	CHECK(!strcmp(list[0]->serial, "DJ2") &&
	      !strcmp(list[0]->bus_addr, "dojo_emu2"), "serial and bus_addr");
	CHECK(list[0]->hbm_size_bytes == HBM_32G, "hbm 32 GiB");
	CHECK(list[0]->vendor_id == 0x1de5 && list[0]->device_id == 0xd1d0,
	      "hex ids parsed");
	CHECK(list[0]->pcie_max_gen == 4 && list[0]->pcie_max_width == 16,
	      "pcie gen4 x16");
	CHECK(!strcmp(list[0]->fw_version, "1.2.3") &&
	      !strcmp(list[0]->regs_version, "1.0"), "versions");
	CHECK(list[0]->hbm_used_bytes == 1ull << 30 &&
	      list[0]->device_resets == 2 && list[0]->job_timeouts == 0,
	      "the driver's counters");
	CHECK(list[0]->present == (ALL_FIELDS & ~LINK_FIELDS),
	      "every field but the PCIe link present");
	CHECK(list[0]->field_err[DOJO_FIELD_PCIE_LINK_GEN] == -ENODEV &&
	      list[0]->field_err[DOJO_FIELD_PCIE_LINK_WIDTH] == -ENODEV,
	      "an emulated DIP has no PCIe link");
	CHECK(list[1]->present == ALL_FIELDS, "a PCI DIP has every field");
	CHECK(list[1]->pcie_link_gen == 3 && list[1]->pcie_link_width == 8,
	      "link trained to Gen3 x8");
	CHECK(!strcmp(dojo_field_name(DOJO_FIELD_PCIE_LINK_GEN),
		      "current_link_speed"), "link speed attribute name");
	CHECK(!strcmp(list[0]->driver, "dojo.emu"), "auxiliary driver name");

	CHECK(dojo_enumeration_find(list, count, "1") == 1, "find index 1");
	CHECK(dojo_enumeration_find(list, count, "2") == -ENODEV,
	      "index 2 does not exist");
	CHECK(dojo_enumeration_find(list, count, "accel10") == 1,
	      "find accel10");
	CHECK(dojo_enumeration_find(list, count, "accel010") == -ENODEV,
	      "accel010 is not canonical");
	CHECK(dojo_enumeration_find(list, count, "/dev/accel/accel2") == 0,
	      "find by devnode");
	CHECK(dojo_enumeration_find(list, count, "/dev/accel/../accel/accel2") == 0,
	      "find by a path with ..");
	CHECK(dojo_enumeration_find(list, count, "//dev/./accel//accel10") == 1,
	      "find by a path with . and //");
	CHECK(dojo_enumeration_find(list, count, "/dev/accel/accel3") == -ENODEV,
	      "a node of no DIP");
	CHECK(list[0]->major == 261, "major from the uevent");
	CHECK(dojo_enumeration_find(list, count, "DJ10") == 1, "find serial");
	CHECK(dojo_enumeration_find(list, count, "0000:0a:00.0") == 1,
	      "find bus address");
	CHECK(dojo_enumeration_find(list, count, "0a:00.0") == 1,
	      "find bus address without domain");
	CHECK(dojo_enumeration_find(list, count, "0a:00") == -ENODEV,
	      "no partial bus address");
	CHECK(dojo_enumeration_find(list, count, "") == -EINVAL, "empty spec");
	CHECK(dojo_enumeration_find(NULL, 0, "0") == -ENODEV,
	      "empty list finds nothing");

	/* no device nodes exist for the fake tree */
	err = dojo_open_info(list[0], &dev);
	CHECK(err == -ENOENT && !dev, "opening a DIP without a node: %d", err);
	dojo_free_enumeration(list);
	/* the running system has none of the fake tree's DIPs */
	err = dojo_open("DJ2", &dev);
	CHECK(err == -ENODEV && !dev, "the sysroot is not the system: %d", err);
	test_threads(2);
}

struct info_thread {
	struct dojo_device *dev;
	struct drm_dojo_device_info want;
};

static void *info_thread(void *arg)
{
	struct info_thread *t = arg;
	struct drm_dojo_device_info got;
	long bad = 0;
	int i;

	for (i = 0; i < 200; i++)
		if (dojo_device_info(t->dev, &got) ||
		    memcmp(&got, &t->want, sizeof(got)))
			bad++;
	return (void *)bad;
}

static void test_real(int n)
{
	struct dojo_dev_info **list, *si;
	struct drm_dojo_device_info info;
	struct dojo_device *dev, *dev2;
	uint32_t size;
	char spec[64];
	int count = -1, err, i;

	enumerations = 25;
	err = dojo_enumerate(NULL, &list, &count);
	CHECK(!err && count == n, "%d DIPs (err %d, count %d)", n, err, count);
	if (err || count != n)
		return;
	for (i = 0; i < count; i++) {
		const struct dojo_dev_info *d = list[i];

		CHECK(d->present == (!strcmp(d->bus_type, "pci") ? ALL_FIELDS :
				     (ALL_FIELDS & ~LINK_FIELDS)),
		      "%s: every sysfs field present", d->name);
		CHECK(d->hbm_size_bytes == HBM_32G, "%s: 32 GiB", d->name);

		err = dojo_open_index(i, &dev);
		CHECK(!err, "%s: open by index %d: %s", d->name, i,
		      dojo_strerror(err));
		if (err)
			continue;
		CHECK(dojo_device_minor(dev) == d->minor, "%s: minor",
		      d->name);
		CHECK(!strcmp(dojo_device_path(dev), d->devnode),
		      "%s: path", d->name);
		CHECK(dojo_device_fd(dev) >= 0, "%s: fd", d->name);

		size = 0;
		err = dojo_query(dev, DRM_DOJO_QUERY_DEVICE_INFO, NULL, &size);
		CHECK(!err && size >= sizeof(info),
		      "%s: query size %u", d->name, size);
		size = 0;
		err = dojo_query(dev, 0, NULL, &size);
		CHECK(err == -EINVAL, "%s: query 0 is -EINVAL (%d)", d->name,
		      err);
		size = 8;
		err = dojo_query(dev, DRM_DOJO_QUERY_DEVICE_INFO, &info, &size);
		CHECK(err == -EINVAL, "%s: short buffer is -EINVAL (%d)",
		      d->name, err);

		err = dojo_device_info(dev, &info);
		CHECK(!err, "%s: device info: %s", d->name,
		      dojo_strerror(err));
		CHECK(!strcmp(info.serial, d->serial), "%s: serial agrees",
		      d->name);
		CHECK(!strcmp(info.bus_addr, d->bus_addr),
		      "%s: bus_addr agrees", d->name);
		CHECK(info.hbm_size == d->hbm_size_bytes &&
		      info.vendor_id == d->vendor_id &&
		      info.device_id == d->device_id &&
		      info.num_dma_queues == d->num_dma_queues,
		      "%s: numbers agree", d->name);
		err = dojo_device_sysfs_info(dev, &si);
		CHECK(!err && !strcmp(si->serial, d->serial) && si->index == -1,
		      "%s: sysfs info of an open device", d->name);
		dojo_free_info(si);

		if (!err) {
			struct info_thread t = { .dev = dev, .want = info };
			pthread_t th[THREADS];
			long bad = 0;
			void *ret;
			int k;

			for (k = 0; k < THREADS; k++)
				pthread_create(&th[k], NULL, info_thread, &t);
			for (k = 0; k < THREADS; k++) {
				pthread_join(th[k], &ret);
				bad += (long)ret;
			}
			CHECK(!bad, "%s: %d threads query one handle",
			      d->name, THREADS);
		}

		err = dojo_open_serial(d->serial, &dev2);
		CHECK(!err && dojo_device_minor(dev2) == d->minor,
		      "%s: open by serial", d->name);
		dojo_close(dev2);
		err = dojo_open_bus_addr(d->bus_addr, &dev2);
		CHECK(!err && dojo_device_minor(dev2) == d->minor,
		      "%s: open by bus address", d->name);
		dojo_close(dev2);
		snprintf(spec, sizeof(spec), "/dev/accel/../accel/%s", d->name);
		err = dojo_open(spec, &dev2);
		CHECK(!err && dojo_device_minor(dev2) == d->minor &&
		      !strcmp(dojo_device_path(dev2), d->devnode),
		      "%s: dojo_open(\"%s\")", d->name, spec);
		dojo_close(dev2);
		snprintf(spec, sizeof(spec), "/tmp/dojo-link-%d", (int)getpid());
		unlink(spec);
		if (!symlink(d->devnode, spec)) {
			CHECK(dojo_enumeration_find(list, count, spec) == i,
			      "%s: found by a symlink to its node", d->name);
			err = dojo_open_path(spec, &dev2);
			CHECK(!err && !strcmp(dojo_device_path(dev2), d->devnode),
			      "%s: opened by a symlink, path %s", d->name,
			      err ? "-" : dojo_device_path(dev2));
			dojo_close(dev2);
			unlink(spec);
		}
		{
			int fd = open(d->devnode, O_RDWR | O_CLOEXEC);

			err = dojo_open_fd(fd, &dev2);
			CHECK(!err && dojo_device_minor(dev2) == d->minor &&
			      dojo_device_fd(dev2) != fd,
			      "%s: open_fd works on a duplicate", d->name);
			if (!err) {
				CHECK(!dojo_device_info(dev2, &info),
				      "%s: query through open_fd", d->name);
				dojo_close(dev2);
			}
			CHECK(fcntl(fd, F_GETFD) >= 0,
			      "%s: the caller's fd stays open", d->name);
			close(fd);
		}
		err = dojo_open(d->name, &dev2);
		CHECK(!err && dojo_device_minor(dev2) == d->minor,
		      "%s: dojo_open(\"%s\")", d->name, d->name);
		dojo_close(dev2);
		snprintf(spec, sizeof(spec), "%d", i);
		err = dojo_open(spec, &dev2);
		CHECK(!err && dojo_device_minor(dev2) == d->minor,
		      "%s: dojo_open(\"%s\")", d->name, spec);
		dojo_close(dev2);
		dojo_close(dev);
	}
	err = dojo_open_index(count, &dev);
	CHECK(err == -ENODEV, "index %d does not exist", count);
	dojo_free_enumeration(list);
	test_threads(n);
}

int main(int argc, char **argv)
{
	printf("TAP version 13\n");
	if (argc >= 3 && !strcmp(argv[1], "fake")) {
		sysroot = argv[2];
		test_common();
		test_zplane();
		test_fake();
	} else if (argc >= 3 && !strcmp(argv[1], "real")) {
		test_common();
		test_zplane();
		test_real(atoi(argv[2]));
	} else {
		fprintf(stderr, "usage: %s fake SYSROOT | real N\n", argv[0]);
		return 2;
	}
	printf("1..%d\n", n_tests);
	return n_failed ? 1 : 0;
}
