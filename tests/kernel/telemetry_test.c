// SPDX-License-Identifier: GPL-2.0-only
/*
 * Telemetry of the emulated card, end to end through the driver's
 * interfaces: hwmon sensors that move with DMA load, HBM ECC errors
 * (counted, and an uncorrected one failing the job that reads it with
 * DRM_DOJO_JOB_ECC_ERROR), health and its DOJO_HEALTH uevents under
 * forced sensors, and the root-only sysfs reset with its reason and
 * uevents. The emulator's debugfs switches make the card misbehave;
 * everything is observed through sysfs, hwmon, uevents and the ioctls.
 *
 * Expects dojo.ko and dojo_emu.ko loaded with one card (telemetry_test.sh).
 */
#include <glob.h>
#include <linux/netlink.h>
#include <poll.h>
#include <sys/socket.h>

#include "dojo_test.h"
#include "kselftest_harness.h"

#define EMU		0
#define WAIT_MS		30000
#define HBM_BO		(1 * DT_MIB)
#define LOAD_BO		(256 * DT_MIB)

FIXTURE(telemetry) {
	int fd, minor, nq, uevents;
	char dojo[256];		/* .../device/dojo */
	char hwmon[256];	/* .../device/hwmon/hwmonN */
};

static long long attr_num(const char *dir, const char *name)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return dt_read_num(path);
}

static void attr_str(const char *dir, const char *name, char *buf, size_t len)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (dt_read_file(path, buf, len) <= 0)
		buf[0] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
}

static int attr_write(const char *dir, const char *name, const char *val)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return dt_write_file(path, val);
}

FIXTURE_SETUP(telemetry)
{
	char pattern[PATH_MAX];
	glob_t g;

	ASSERT_EQ(0, access(DT_EMU_DEBUGFS, F_OK))
		TH_LOG("no emulator debugfs (%s)", DT_EMU_DEBUGFS);
	self->minor = dt_card_minor(EMU);
	ASSERT_LE(0, self->minor);
	snprintf(self->dojo, sizeof(self->dojo),
		 "/sys/class/accel/accel%d/device/dojo", self->minor);
	snprintf(pattern, sizeof(pattern),
		 "/sys/class/accel/accel%d/device/hwmon/hwmon*", self->minor);
	ASSERT_EQ(0, glob(pattern, 0, NULL, &g)) TH_LOG("no hwmon under the card");
	ASSERT_EQ(1, g.gl_pathc);
	snprintf(self->hwmon, sizeof(self->hwmon), "%s", g.gl_pathv[0]);
	globfree(&g);
	self->fd = dt_open_card(EMU);
	ASSERT_LE(0, self->fd);
	self->nq = dt_num_queues(self->fd);
	ASSERT_LE(4, self->nq);
	self->uevents = dt_uevent_open();
	ASSERT_LE(0, self->uevents) TH_LOG("no uevent socket");
}

FIXTURE_TEARDOWN(telemetry)
{
	static const char * const sensors[] = {
		"temp_board", "temp_hbm", "power", "vdd_core", "vdd_hbm",
	};
	char name[64];
	unsigned int i;

	for (i = 0; i < sizeof(sensors) / sizeof(sensors[0]); i++) {
		snprintf(name, sizeof(name), "force_%s", sensors[i]);
		dt_emu_write(EMU, name, "auto");
	}
	dt_emu_write(EMU, "ecc_inject_ue", "clear");
	/* Whatever a case left: a reset brings health back to ok. */
	attr_str(self->dojo, "health", name, sizeof(name));
	if (strcmp(name, "ok"))
		attr_write(self->dojo, "reset", "telemetry_test teardown");
	close(self->uevents);
	close(self->fd);
}

/* A job that copies @len bytes host -> HBM, or back; its status. */
static int run_copy(int fd, uint32_t host, uint32_t hbm, bool to_hbm,
		    uint64_t len, struct drm_dojo_job_wait *w)
{
	struct drm_dojo_cmd cmds[2] = {
		{ .op = DRM_DOJO_CMD_NOP },
		to_hbm ? dt_copy(0, 0, 1, 0, len) : dt_copy(1, 0, 0, 0, len),
	};
	uint32_t bos[2] = { host, hbm };
	uint64_t id;
	int ret;

	ret = dt_submit(fd, 0, cmds, 2, bos, 2, &id);
	if (ret)
		return ret;
	ret = dt_wait(fd, id, WAIT_MS, w);
	return ret ? ret : (int)w->status;
}

/* Uncorrected ECC: counted, fails the job that reads it, makes health critical. */
TEST_F(telemetry, ecc_uncorrected_fails_the_job_reading_it)
{
	struct drm_dojo_job_wait w;
	uint32_t host, hbm, crcbo, bos[2];
	struct drm_dojo_cmd crc;
	char buf[128];
	long long ue0, ce0;
	uint8_t *p;
	uint64_t id;

	p = dt_host_bo(self->fd, HBM_BO, &host);
	ASSERT_NE(NULL, p);
	memset(p, 0x5a, HBM_BO);
	ASSERT_EQ(0, dt_bo_create(self->fd, HBM_BO, DRM_DOJO_PLACEMENT_HBM, &hbm));
	ASSERT_EQ(DRM_DOJO_JOB_DONE, run_copy(self->fd, host, hbm, true, HBM_BO, &w));

	ue0 = attr_num(self->dojo, "ecc_uncorrected");
	ce0 = attr_num(self->dojo, "ecc_corrected");
	ASSERT_LE(0, ue0);
	ASSERT_LE(0, ce0);
	attr_str(self->dojo, "health", buf, sizeof(buf));
	ASSERT_STREQ("ok", buf);
	dt_uevent_drain(self->uevents);

	/* The whole HBM holds an error: any read of it fails. */
	snprintf(buf, sizeof(buf), "0 %lld", dt_card_attr(EMU, "hbm_size_bytes"));
	ASSERT_EQ(0, dt_emu_write(EMU, "ecc_inject_ue", buf));
	memset(p, 0, HBM_BO);
	EXPECT_EQ(DRM_DOJO_JOB_ECC_ERROR,
		  run_copy(self->fd, host, hbm, false, HBM_BO, &w))
		TH_LOG("status %s", dt_status_name(w.status));
	EXPECT_EQ(1u, w.error_cmd);
	EXPECT_EQ(0u, w.error);
	EXPECT_EQ(-1, dt_find_not(p, HBM_BO, 0)) TH_LOG("data moved despite the error");
	EXPECT_EQ(ue0 + 1, attr_num(self->dojo, "ecc_uncorrected"));
	EXPECT_EQ(ce0, attr_num(self->dojo, "ecc_corrected"));
	EXPECT_EQ(1, dt_uevent_seen(self->uevents, self->minor, "change",
				 "DOJO_HEALTH=critical", 5000));
	attr_str(self->dojo, "health", buf, sizeof(buf));
	EXPECT_STREQ("critical", buf);

	/* CRC32 reads too. */
	ASSERT_NE(NULL, dt_host_bo(self->fd, DT_PAGE, &crcbo));
	crc = dt_crc(0, 0, DT_PAGE, 1, 0);
	bos[0] = hbm;
	bos[1] = crcbo;
	ASSERT_EQ(0, dt_submit(self->fd, 1, &crc, 1, bos, 2, &id));
	EXPECT_EQ(DRM_DOJO_JOB_ECC_ERROR, dt_status(self->fd, id, WAIT_MS));
	EXPECT_EQ(ue0 + 2, attr_num(self->dojo, "ecc_uncorrected"));

	/* Writing the range rewrites its check bits: it reads back again. */
	memset(p, 0xa5, HBM_BO);
	EXPECT_EQ(DRM_DOJO_JOB_DONE, run_copy(self->fd, host, hbm, true, HBM_BO, &w));
	memset(p, 0, HBM_BO);
	EXPECT_EQ(DRM_DOJO_JOB_DONE, run_copy(self->fd, host, hbm, false, HBM_BO, &w));
	EXPECT_EQ(-1, dt_find_not(p, HBM_BO, 0xa5));

	/* Health stays critical until a reset, which brings it back. */
	attr_str(self->dojo, "health", buf, sizeof(buf));
	EXPECT_STREQ("critical", buf);
	dt_uevent_drain(self->uevents);
	EXPECT_EQ(0, attr_write(self->dojo, "reset", "replaced HBM test"));
	EXPECT_EQ(1, dt_uevent_seen(self->uevents, self->minor, "change",
				 "DOJO_HEALTH=ok", 5000));
	attr_str(self->dojo, "health", buf, sizeof(buf));
	EXPECT_STREQ("ok", buf);
	EXPECT_EQ(ue0 + 2, attr_num(self->dojo, "ecc_uncorrected"));
	dt_gem_close(self->fd, crcbo);
	dt_gem_close(self->fd, hbm);
	dt_gem_close(self->fd, host);
}

/* Corrected errors only count; many of them since the last reset warn. */
TEST_F(telemetry, ecc_corrected_counts)
{
	char buf[64];
	long long ce0 = attr_num(self->dojo, "ecc_corrected");
	long long ue0 = attr_num(self->dojo, "ecc_uncorrected");

	ASSERT_LE(0, ce0);
	dt_uevent_drain(self->uevents);
	ASSERT_EQ(0, dt_emu_write(EMU, "ecc_inject_ce", "3"));
	EXPECT_EQ(ce0 + 3, attr_num(self->dojo, "ecc_corrected"));
	EXPECT_EQ(ue0, attr_num(self->dojo, "ecc_uncorrected"));
	attr_str(self->dojo, "health", buf, sizeof(buf));
	EXPECT_STREQ("ok", buf);
	/* Ten since the last reset: warning. */
	ASSERT_EQ(0, dt_emu_write(EMU, "ecc_inject_ce", "7"));
	EXPECT_EQ(ce0 + 10, attr_num(self->dojo, "ecc_corrected"));
	EXPECT_EQ(1, dt_uevent_seen(self->uevents, self->minor, "change",
				 "DOJO_HEALTH=warning", 5000));
	attr_str(self->dojo, "health", buf, sizeof(buf));
	EXPECT_STREQ("warning", buf);
	/* Nonsense is refused. */
	EXPECT_EQ(-EINVAL, dt_emu_write(EMU, "ecc_inject_ce", "0"));
	EXPECT_EQ(-EINVAL, dt_emu_write(EMU, "ecc_inject_ue", "0x900000000000 4"));
	EXPECT_EQ(-EINVAL, dt_emu_write(EMU, "ecc_inject_ue", "0 0"));
}

/* Forced sensors: alarms in hwmon, health and its uevents follow. */
TEST_F(telemetry, forced_sensors_change_health)
{
	char buf[64];

	attr_str(self->dojo, "health", buf, sizeof(buf));
	ASSERT_STREQ("ok", buf);
	EXPECT_EQ(0, attr_num(self->hwmon, "temp1_max_alarm"));
	dt_uevent_drain(self->uevents);

	/* Past the warning limit (85 C), below the critical one (95 C). */
	ASSERT_EQ(0, dt_emu_write(EMU, "force_temp_board", "90000"));
	EXPECT_EQ(90000, attr_num(self->hwmon, "temp1_input"));
	EXPECT_EQ(1, attr_num(self->hwmon, "temp1_max_alarm"));
	EXPECT_EQ(0, attr_num(self->hwmon, "temp1_crit_alarm"));
	EXPECT_EQ(1, dt_uevent_seen(self->uevents, self->minor, "change",
				 "DOJO_HEALTH=warning", 5000));
	attr_str(self->dojo, "health", buf, sizeof(buf));
	EXPECT_STREQ("warning", buf);

	/* At the critical limit. */
	ASSERT_EQ(0, dt_emu_write(EMU, "force_temp_board", "99000"));
	EXPECT_EQ(1, attr_num(self->hwmon, "temp1_crit_alarm"));
	EXPECT_EQ(1, dt_uevent_seen(self->uevents, self->minor, "change",
				 "DOJO_HEALTH=critical", 5000));
	attr_str(self->dojo, "health", buf, sizeof(buf));
	EXPECT_STREQ("critical", buf);

	/* Back to the model. */
	ASSERT_EQ(0, dt_emu_write(EMU, "force_temp_board", "auto"));
	EXPECT_EQ(1, dt_uevent_seen(self->uevents, self->minor, "change",
				 "DOJO_HEALTH=ok", 5000));
	EXPECT_EQ(0, attr_num(self->hwmon, "temp1_max_alarm"));

	/* A voltage below its minimum, power past its cap: warning, alarms. */
	ASSERT_EQ(0, dt_emu_write(EMU, "force_vdd_core", "700"));
	EXPECT_EQ(700, attr_num(self->hwmon, "in0_input"));
	EXPECT_EQ(1, attr_num(self->hwmon, "in0_alarm"));
	EXPECT_EQ(1, dt_uevent_seen(self->uevents, self->minor, "change",
				 "DOJO_HEALTH=warning", 5000));
	ASSERT_EQ(0, dt_emu_write(EMU, "force_power", "420000"));
	EXPECT_EQ(420000000, attr_num(self->hwmon, "power1_input"));
	EXPECT_EQ(1, attr_num(self->hwmon, "power1_max_alarm"));
	EXPECT_EQ(0, attr_num(self->hwmon, "power1_crit_alarm"));
	ASSERT_EQ(0, dt_emu_write(EMU, "force_vdd_core", "auto"));
	ASSERT_EQ(0, dt_emu_write(EMU, "force_power", "auto"));
	EXPECT_EQ(1, dt_uevent_seen(self->uevents, self->minor, "change",
				 "DOJO_HEALTH=ok", 5000));
	EXPECT_EQ(-EINVAL, dt_emu_write(EMU, "force_power", "hot"));
}

/* Power and temperature rise while DMA runs, and decay once it stopped. */
TEST_F_TIMEOUT(telemetry, load_heats_the_card, 120)
{
	long long t_idle, p_idle, t_hot = 0, p_max = 0, t_end, t_cool;
	uint32_t hbm, res, bos[2];
	uint64_t ids[4];
	int q, i, n = 0;

	/* The model decays towards idle: let earlier cases' load go. */
	dt_sleep_ms(3000);
	t_idle = attr_num(self->hwmon, "temp1_input");
	p_idle = attr_num(self->hwmon, "power1_input");
	ASSERT_LT(0, t_idle);
	ASSERT_LT(0, p_idle);

	/* CRC32 of HBM never written costs no backing memory. */
	ASSERT_EQ(0, dt_bo_create(self->fd, LOAD_BO, DRM_DOJO_PLACEMENT_HBM, &hbm));
	ASSERT_NE(NULL, dt_host_bo(self->fd, DT_PAGE, &res));
	bos[0] = hbm;
	bos[1] = res;
	for (q = 0; q < 4; q++) {
		struct drm_dojo_cmd c = dt_crc(0, 0, LOAD_BO, 1, q * 4);

		ASSERT_EQ(0, dt_submit(self->fd, q, &c, 1, bos, 2, &ids[n]));
		n++;
	}
	/* Sample while the jobs run. */
	while (dt_status(self->fd, ids[n - 1], 0) == -ETIME) {
		long long p = attr_num(self->hwmon, "power1_input");
		long long t = attr_num(self->hwmon, "temp1_input");

		if (p > p_max)
			p_max = p;
		if (t > t_hot)
			t_hot = t;
		dt_sleep_ms(100);
	}
	for (i = 0; i < n; i++)
		EXPECT_EQ(DRM_DOJO_JOB_DONE, dt_status(self->fd, ids[i], WAIT_MS));
	t_end = attr_num(self->hwmon, "temp1_input");
	TH_LOG("idle %lld mC %lld uW; under load up to %lld mC %lld uW; at the end %lld mC",
	       t_idle, p_idle, t_hot, p_max, t_end);
	EXPECT_LT(p_idle + 10000000, p_max) TH_LOG("power did not rise by 10 W");
	EXPECT_LT(t_idle + 2000, t_hot) TH_LOG("temperature did not rise by 2 C");
	EXPECT_LT(t_idle + 2000, t_end);

	/* Idle again: power at once, temperature within seconds. */
	dt_sleep_ms(4000);
	t_cool = attr_num(self->hwmon, "temp1_input");
	TH_LOG("after 4 s idle: %lld mC, %lld uW", t_cool,
	       attr_num(self->hwmon, "power1_input"));
	EXPECT_GT(t_end - 1000, t_cool) TH_LOG("temperature did not fall");
	EXPECT_GT(p_idle + 1000000, attr_num(self->hwmon, "power1_input"));
	dt_gem_close(self->fd, res);
	dt_gem_close(self->fd, hbm);
}

/* The operator's reset: a reason, uevents, counters; bad reasons refused. */
TEST_F(telemetry, admin_reset_with_reason)
{
	static const char * const bad[] = {
		"\n", " leading space", "trailing space ", "tab\there",
		"bell\a", "\xc3\xa9t\xc3\xa9",
		"a reason of more than sixty-four characters is refused outright...",
	};
	long long n0 = attr_num(self->dojo, "reset_count");
	char buf[128];
	unsigned int i;

	ASSERT_LE(0, n0);
	EXPECT_EQ(n0, attr_num(self->dojo, "device_resets"));
	dt_uevent_drain(self->uevents);
	EXPECT_EQ(0, attr_write(self->dojo, "reset", "firmware update\n"));
	/* The write returned after the reset: counters already moved. */
	EXPECT_EQ(n0 + 1, attr_num(self->dojo, "reset_count"));
	EXPECT_EQ(n0 + 1, attr_num(self->dojo, "device_resets"));
	attr_str(self->dojo, "last_reset_reason", buf, sizeof(buf));
	EXPECT_STREQ("admin: firmware update", buf);
	EXPECT_EQ(1, dt_uevent_seen(self->uevents, self->minor, "offline",
				 "DOJO_RESET_REASON=admin: firmware update", 5000));
	EXPECT_EQ(1, dt_uevent_seen(self->uevents, self->minor, "online",
				 "DOJO_RESET_REASON=admin: firmware update", 5000));
	attr_str(self->dojo, "state", buf, sizeof(buf));
	EXPECT_STREQ("online", buf);

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char path[PATH_MAX];
		int fd;

		snprintf(path, sizeof(path), "%s/reset", self->dojo);
		fd = open(path, O_WRONLY);
		ASSERT_LE(0, fd);
		errno = 0;
		EXPECT_EQ(-1, write(fd, bad[i], strlen(bad[i])))
			TH_LOG("reason %u accepted", i);
		EXPECT_EQ(EINVAL, errno) TH_LOG("reason %u: %s", i, strerror(errno));
		close(fd);
	}
	EXPECT_EQ(n0 + 1, attr_num(self->dojo, "reset_count"));

	/* The card still runs jobs. */
	{
		struct drm_dojo_job_wait w;
		uint32_t host, hbm;

		ASSERT_NE(NULL, dt_host_bo(self->fd, DT_PAGE, &host));
		ASSERT_EQ(0, dt_bo_create(self->fd, DT_PAGE, DRM_DOJO_PLACEMENT_HBM, &hbm));
		EXPECT_EQ(DRM_DOJO_JOB_DONE, run_copy(self->fd, host, hbm, true, DT_PAGE, &w));
		dt_gem_close(self->fd, hbm);
		dt_gem_close(self->fd, host);
	}
}

TEST_HARNESS_MAIN
