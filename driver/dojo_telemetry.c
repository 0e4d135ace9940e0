// SPDX-License-Identifier: GPL-2.0-only
/*
 * Telemetry: what the card's board controller measures, in the kernel's
 * own interfaces.
 *
 * - hwmon (name "dojo", a child of the card's device): board and HBM
 *   temperature, board power, core and HBM voltages, each with the card's
 *   limits and alarms, in hwmon's units, so that lm-sensors lists them.
 * - HBM ECC: the card counts corrected and uncorrected errors since it
 *   powered on, in 32-bit registers; the driver folds them into 64-bit
 *   totals since probe whenever it reads them (on every ECC interrupt, so
 *   a wrap between two reads would take 2^32 errors without one).
 * - health: ok, warning or critical, from the card's state, its alarms
 *   and its ECC errors since the last reset; a change is told to
 *   userspace with a change uevent carrying DOJO_HEALTH=<health>.
 *
 * Nothing here is specific to a backend: the emulated card implements the
 * same registers (docs/hardware.md).
 */
#include <linux/bits.h>
#include <linux/device.h>
#include <linux/hwmon.h>
#include <linux/kobject.h>
#include <linux/workqueue.h>

#include <drm/drm_accel.h>
#include <drm/drm_drv.h>
#include <drm/drm_file.h>

#include "dojo_hw.h"
#include "dojo_telemetry.h"

#define DOJO_SENSORS_MASK	GENMASK(DOJO_NR_SENSORS - 1, 0)

static const char * const dojo_health_names[] = {
	[DOJO_HEALTH_OK] = "ok",
	[DOJO_HEALTH_WARNING] = "warning",
	[DOJO_HEALTH_CRITICAL] = "critical",
};

const char *dojo_health_name(int health)
{
	return dojo_health_names[health];
}

/* The card reads all-ones: it left the bus, and nothing it says counts. */
static bool dojo_telemetry_gone(struct dojo_device *ddev, u32 val)
{
	return val == U32_MAX && dojo_rd32(ddev, DOJO_REG_MAGIC) == U32_MAX;
}

/* Fold the card's ECC counters into the totals. Called in a device section. */
static void dojo_ecc_update_locked(struct dojo_device *ddev)
{
	static const u32 regs[] = {
		[DOJO_ECC_CE] = DOJO_REG_ECC_CE_COUNT,
		[DOJO_ECC_UE] = DOJO_REG_ECC_UE_COUNT,
	};
	u32 now[ARRAY_SIZE(regs)];
	unsigned int i;

	if (!(ddev->sensors_present & DOJO_PRESENT_ECC) ||
	    dojo_state(ddev) == DOJO_STATE_LOST)
		return;
	for (i = 0; i < ARRAY_SIZE(regs); i++)
		now[i] = dojo_rd32(ddev, regs[i]);
	if (now[DOJO_ECC_CE] == U32_MAX && dojo_telemetry_gone(ddev, now[DOJO_ECC_UE]))
		return;
	for (i = 0; i < ARRAY_SIZE(regs); i++) {
		ddev->ecc_total[i] += (u32)(now[i] - ddev->ecc_seen[i]);
		ddev->ecc_seen[i] = now[i];
	}
}

/**
 * dojo_telemetry_ecc - HBM ECC errors since probe
 * @ddev: the device
 * @ce: corrected errors
 * @ue: uncorrected errors
 *
 * Reads the card's counters unless it is gone. Any context.
 */
void dojo_telemetry_ecc(struct dojo_device *ddev, u64 *ce, u64 *ue)
{
	unsigned long flags;
	int idx;

	spin_lock_irqsave(&ddev->ecc_lock, flags);
	if (drm_dev_enter(&ddev->drm, &idx)) {
		dojo_ecc_update_locked(ddev);
		drm_dev_exit(idx);
	}
	*ce = ddev->ecc_total[DOJO_ECC_CE];
	*ue = ddev->ecc_total[DOJO_ECC_UE];
	spin_unlock_irqrestore(&ddev->ecc_lock, flags);
}

/*
 * A device reset finished: ECC errors from now on count against the
 * card's health. Called on the reset queue, where nothing may allocate.
 */
void dojo_telemetry_reset_done(struct dojo_device *ddev)
{
	unsigned long flags;

	spin_lock_irqsave(&ddev->ecc_lock, flags);
	dojo_ecc_update_locked(ddev);
	ddev->ecc_at_reset[DOJO_ECC_CE] = ddev->ecc_total[DOJO_ECC_CE];
	ddev->ecc_at_reset[DOJO_ECC_UE] = ddev->ecc_total[DOJO_ECC_UE];
	spin_unlock_irqrestore(&ddev->ecc_lock, flags);
}

/**
 * dojo_health - how the card fares now
 * @ddev: the device
 *
 * critical: the card is wedged, lost or gone, a sensor is at its critical
 * limit, or HBM had an uncorrected ECC error since the last reset;
 * warning: a sensor is past its warning limit (or outside its range), or
 * HBM corrected DOJO_ECC_CE_WARN errors or more since the last reset;
 * ok otherwise.
 *
 * Return: DOJO_HEALTH_*
 */
int dojo_health(struct dojo_device *ddev)
{
	u64 ce, ue, ce0, ue0;
	unsigned long flags;
	u32 alarm = 0;
	int idx;

	if (dojo_state(ddev) != DOJO_STATE_ONLINE)
		return DOJO_HEALTH_CRITICAL;
	if (!drm_dev_enter(&ddev->drm, &idx))
		return DOJO_HEALTH_CRITICAL;
	if (ddev->sensors_present & DOJO_SENSORS_MASK) {
		alarm = dojo_rd32(ddev, DOJO_REG_SENSOR_ALARM);
		if (dojo_telemetry_gone(ddev, alarm)) {
			drm_dev_exit(idx);
			return DOJO_HEALTH_CRITICAL;
		}
	}
	drm_dev_exit(idx);

	dojo_telemetry_ecc(ddev, &ce, &ue);
	spin_lock_irqsave(&ddev->ecc_lock, flags);
	ce0 = ddev->ecc_at_reset[DOJO_ECC_CE];
	ue0 = ddev->ecc_at_reset[DOJO_ECC_UE];
	spin_unlock_irqrestore(&ddev->ecc_lock, flags);

	if ((alarm & DOJO_ALARM_CRIT) || ue > ue0)
		return DOJO_HEALTH_CRITICAL;
	if (alarm || ce - ce0 >= DOJO_ECC_CE_WARN)
		return DOJO_HEALTH_WARNING;
	return DOJO_HEALTH_OK;
}

/*
 * Queued by the ECC and sensor interrupts and after every device reset:
 * a change of health is a change uevent of the accel node.
 */
static void dojo_health_work(struct work_struct *work)
{
	struct dojo_device *ddev = container_of(work, struct dojo_device,
						health_work);
	char env[32];
	char *envp[2] = { env, NULL };
	int health, idx;

	if (!drm_dev_enter(&ddev->drm, &idx))
		return;
	health = dojo_health(ddev);
	if (health != READ_ONCE(ddev->health)) {
		WRITE_ONCE(ddev->health, health);
		drm_info(&ddev->drm, "health: %s\n", dojo_health_name(health));
		snprintf(env, sizeof(env), "DOJO_HEALTH=%s",
			 dojo_health_name(health));
		if (ddev->drm.registered && ddev->drm.accel)
			kobject_uevent_env(&ddev->drm.accel->kdev->kobj,
					   KOBJ_CHANGE, envp);
	}
	drm_dev_exit(idx);
}

/* Called once the card's interrupts are gone, and at removal. */
void dojo_telemetry_flush(struct dojo_device *ddev)
{
	cancel_work_sync(&ddev->health_work);
}

static void dojo_telemetry_fini(void *arg)
{
	dojo_telemetry_flush(arg);
}

/*
 * Learn which sensors the card has and start counting ECC errors. Before
 * the interrupts are requested: the action that cancels the health work
 * then runs after they are freed.
 */
int dojo_telemetry_init(struct dojo_device *ddev)
{
	spin_lock_init(&ddev->ecc_lock);
	INIT_WORK(&ddev->health_work, dojo_health_work);
	ddev->sensors_present = 0;
	if (dojo_hw_has_regs(ddev, DOJO_REGS_MINOR_TELEMETRY))
		ddev->sensors_present = dojo_rd32(ddev, DOJO_REG_SENSOR_PRESENT);
	if (ddev->sensors_present & DOJO_PRESENT_ECC) {
		ddev->ecc_seen[DOJO_ECC_CE] = dojo_rd32(ddev, DOJO_REG_ECC_CE_COUNT);
		ddev->ecc_seen[DOJO_ECC_UE] = dojo_rd32(ddev, DOJO_REG_ECC_UE_COUNT);
	}
	ddev->health = DOJO_HEALTH_OK;
	return devm_add_action_or_reset(ddev->drm.dev, dojo_telemetry_fini, ddev);
}

/* ---- hwmon --------------------------------------------------------------- */

/* What a hwmon attribute reads of its sensor. */
enum dojo_hwmon_kind {
	DOJO_HWMON_NONE,
	DOJO_HWMON_INPUT,
	DOJO_HWMON_LO,
	DOJO_HWMON_HI,
	DOJO_HWMON_CRIT,
	DOJO_HWMON_ALARM_HI,
	DOJO_HWMON_ALARM_CRIT,
};

static const u32 dojo_alarm_hi[DOJO_NR_SENSORS] = {
	[DOJO_SENSOR_TEMP_BOARD] = DOJO_ALARM_TEMP_BOARD_MAX,
	[DOJO_SENSOR_TEMP_HBM] = DOJO_ALARM_TEMP_HBM_MAX,
	[DOJO_SENSOR_POWER] = DOJO_ALARM_POWER_MAX,
	[DOJO_SENSOR_VDD_CORE] = DOJO_ALARM_VDD_CORE,
	[DOJO_SENSOR_VDD_HBM] = DOJO_ALARM_VDD_HBM,
};

static const u32 dojo_alarm_crit[DOJO_NR_SENSORS] = {
	[DOJO_SENSOR_TEMP_BOARD] = DOJO_ALARM_TEMP_BOARD_CRIT,
	[DOJO_SENSOR_TEMP_HBM] = DOJO_ALARM_TEMP_HBM_CRIT,
	[DOJO_SENSOR_POWER] = DOJO_ALARM_POWER_CRIT,
};

static const char * const dojo_sensor_labels[DOJO_NR_SENSORS] = {
	[DOJO_SENSOR_TEMP_BOARD] = "board",
	[DOJO_SENSOR_TEMP_HBM] = "hbm",
	[DOJO_SENSOR_POWER] = "board",
	[DOJO_SENSOR_VDD_CORE] = "vdd_core",
	[DOJO_SENSOR_VDD_HBM] = "vdd_hbm",
};

/* The card's sensor behind a hwmon channel, or -1. */
static int dojo_hwmon_sensor(enum hwmon_sensor_types type, int channel)
{
	switch (type) {
	case hwmon_temp:
		return channel ? DOJO_SENSOR_TEMP_HBM : DOJO_SENSOR_TEMP_BOARD;
	case hwmon_power:
		return DOJO_SENSOR_POWER;
	case hwmon_in:
		return channel ? DOJO_SENSOR_VDD_HBM : DOJO_SENSOR_VDD_CORE;
	default:
		return -1;
	}
}

static enum dojo_hwmon_kind dojo_hwmon_kind(enum hwmon_sensor_types type,
					    u32 attr)
{
	switch (type) {
	case hwmon_temp:
		switch (attr) {
		case hwmon_temp_input: return DOJO_HWMON_INPUT;
		case hwmon_temp_max: return DOJO_HWMON_HI;
		case hwmon_temp_crit: return DOJO_HWMON_CRIT;
		case hwmon_temp_max_alarm: return DOJO_HWMON_ALARM_HI;
		case hwmon_temp_crit_alarm: return DOJO_HWMON_ALARM_CRIT;
		}
		break;
	case hwmon_power:
		switch (attr) {
		case hwmon_power_input: return DOJO_HWMON_INPUT;
		case hwmon_power_max: return DOJO_HWMON_HI;
		case hwmon_power_crit: return DOJO_HWMON_CRIT;
		case hwmon_power_max_alarm: return DOJO_HWMON_ALARM_HI;
		case hwmon_power_crit_alarm: return DOJO_HWMON_ALARM_CRIT;
		}
		break;
	case hwmon_in:
		switch (attr) {
		case hwmon_in_input: return DOJO_HWMON_INPUT;
		case hwmon_in_min: return DOJO_HWMON_LO;
		case hwmon_in_max: return DOJO_HWMON_HI;
		case hwmon_in_alarm: return DOJO_HWMON_ALARM_HI;
		}
		break;
	default:
		break;
	}
	return DOJO_HWMON_NONE;
}

static umode_t dojo_hwmon_is_visible(const void *data,
				     enum hwmon_sensor_types type, u32 attr,
				     int channel)
{
	const struct dojo_device *ddev = data;
	int s = dojo_hwmon_sensor(type, channel);

	if (s < 0 || !(ddev->sensors_present & BIT(s)))
		return 0;
	return 0444;
}

static int dojo_hwmon_read(struct device *dev, enum hwmon_sensor_types type,
			   u32 attr, int channel, long *val)
{
	struct dojo_device *ddev = dev_get_drvdata(dev);
	int s = dojo_hwmon_sensor(type, channel);
	enum dojo_hwmon_kind kind = dojo_hwmon_kind(type, attr);
	u32 reg, raw;
	bool gone;
	int idx;

	if (s < 0)
		return -EOPNOTSUPP;
	switch (kind) {
	case DOJO_HWMON_INPUT:
		reg = DOJO_REG_SENSOR(s);
		break;
	case DOJO_HWMON_LO:
		reg = DOJO_REG_SENSOR_LIMIT_LO(s);
		break;
	case DOJO_HWMON_HI:
		reg = DOJO_REG_SENSOR_LIMIT_HI(s);
		break;
	case DOJO_HWMON_CRIT:
		reg = DOJO_REG_SENSOR_LIMIT_CRIT(s);
		break;
	case DOJO_HWMON_ALARM_HI:
	case DOJO_HWMON_ALARM_CRIT:
		reg = DOJO_REG_SENSOR_ALARM;
		break;
	default:
		return -EOPNOTSUPP;
	}

	if (dojo_state(ddev) == DOJO_STATE_LOST ||
	    !drm_dev_enter(&ddev->drm, &idx))
		return -ENODEV;
	raw = dojo_rd32(ddev, reg);
	gone = dojo_telemetry_gone(ddev, raw);
	drm_dev_exit(idx);
	if (gone)
		return -ENODEV;

	if (kind == DOJO_HWMON_ALARM_HI)
		*val = !!(raw & dojo_alarm_hi[s]);
	else if (kind == DOJO_HWMON_ALARM_CRIT)
		*val = !!(raw & dojo_alarm_crit[s]);
	else if (type == hwmon_power)
		*val = (long)(s32)raw * 1000;	/* milliwatt to microwatt */
	else
		*val = (s32)raw;		/* millidegree, millivolt */
	return 0;
}

static int dojo_hwmon_read_string(struct device *dev,
				  enum hwmon_sensor_types type, u32 attr,
				  int channel, const char **str)
{
	int s = dojo_hwmon_sensor(type, channel);

	if (s < 0)
		return -EOPNOTSUPP;
	*str = dojo_sensor_labels[s];
	return 0;
}

static const struct hwmon_ops dojo_hwmon_ops = {
	.is_visible = dojo_hwmon_is_visible,
	.read = dojo_hwmon_read,
	.read_string = dojo_hwmon_read_string,
};

#define DOJO_HWMON_TEMP	(HWMON_T_INPUT | HWMON_T_MAX | HWMON_T_CRIT | \
			 HWMON_T_MAX_ALARM | HWMON_T_CRIT_ALARM | HWMON_T_LABEL)
#define DOJO_HWMON_POWER (HWMON_P_INPUT | HWMON_P_MAX | HWMON_P_CRIT | \
			  HWMON_P_MAX_ALARM | HWMON_P_CRIT_ALARM | HWMON_P_LABEL)
#define DOJO_HWMON_IN	(HWMON_I_INPUT | HWMON_I_MIN | HWMON_I_MAX | \
			 HWMON_I_ALARM | HWMON_I_LABEL)

static const struct hwmon_channel_info * const dojo_hwmon_info[] = {
	HWMON_CHANNEL_INFO(temp, DOJO_HWMON_TEMP, DOJO_HWMON_TEMP),
	HWMON_CHANNEL_INFO(power, DOJO_HWMON_POWER),
	HWMON_CHANNEL_INFO(in, DOJO_HWMON_IN, DOJO_HWMON_IN),
	NULL
};

static const struct hwmon_chip_info dojo_hwmon_chip = {
	.ops = &dojo_hwmon_ops,
	.info = dojo_hwmon_info,
};

/*
 * A hwmon device named "dojo" under the card's device (the PCI function,
 * or the emulated card's auxiliary device): the accel node's parent.
 * A card without sensors has none.
 */
int dojo_hwmon_init(struct dojo_device *ddev)
{
	struct device *hwmon;

	if (!(ddev->sensors_present & DOJO_SENSORS_MASK))
		return 0;
	hwmon = devm_hwmon_device_register_with_info(ddev->drm.dev, "dojo",
						     ddev, &dojo_hwmon_chip,
						     NULL);
	return PTR_ERR_OR_ZERO(hwmon);
}
