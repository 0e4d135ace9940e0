// SPDX-License-Identifier: GPL-2.0-only
/*
 * Telemetry of the emulated DIP: the board controller's sensors, limits
 * and alarms, and the HBM's ECC counters, as the telemetry block of
 * dojo_regs.h specifies them.
 *
 * The thermal model is driven by the DMA engines: the load is the share of
 * the card's queues that hold a running job. Power and voltages follow it
 * with a half-life of 50 ms, the temperatures with a half-life of 1 s, in
 * both directions, so power and temperature rise while DMA runs and decay
 * once the card is idle. The model keeps no timer: it advances to the
 * present whenever a sensor is read and whenever an engine starts or ends
 * a job, and re-evaluates its alarms then (raising DOJO_IRQ_SENSOR when
 * they change), as a board controller polling its sensors would, only
 * lazily. debugfs can pin any sensor to a value, in or out of range.
 *
 * HBM ECC: debugfs counts corrected errors (they change no data) and marks
 * HBM ranges as holding an uncorrected error. A DMA read of such a range
 * fails the job with DOJO_ERR_ECC, counts the error and records its
 * address; a DMA write that overlaps the range rewrites the data and its
 * check bits, which clears it (the model tracks ranges, not ECC words).
 */
#include <linux/debugfs.h>
#include <linux/kstrtox.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/seq_file.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "dojo_emu.h"
#include "dojo_emu_job.h"

#define DOJO_EMU_Q16			65536
#define DOJO_EMU_FAST_HALF_NS		(50 * NSEC_PER_MSEC)
#define DOJO_EMU_SLOW_HALF_NS		(1000 * NSEC_PER_MSEC)

/* How each sensor behaves: idle value, added at full load, limits. */
struct dojo_emu_sensor_model {
	const char *name;
	s32 idle;
	s32 load;
	bool slow;
	s32 lo, hi, crit;
	u32 alarm_hi, alarm_crit;	/* DOJO_ALARM_* */
};

static const struct dojo_emu_sensor_model dojo_emu_models[DOJO_NR_SENSORS] = {
	[DOJO_SENSOR_TEMP_BOARD] = {
		"temp_board", 35000, 40000, true, 0, 85000, 95000,
		DOJO_ALARM_TEMP_BOARD_MAX, DOJO_ALARM_TEMP_BOARD_CRIT },
	[DOJO_SENSOR_TEMP_HBM] = {
		"temp_hbm", 40000, 40000, true, 0, 85000, 95000,
		DOJO_ALARM_TEMP_HBM_MAX, DOJO_ALARM_TEMP_HBM_CRIT },
	[DOJO_SENSOR_POWER] = {
		"power", 75000, 300000, false, 0, 400000, 450000,
		DOJO_ALARM_POWER_MAX, DOJO_ALARM_POWER_CRIT },
	[DOJO_SENSOR_VDD_CORE] = {
		"vdd_core", 850, -25, false, 800, 900, 0,
		DOJO_ALARM_VDD_CORE, 0 },
	[DOJO_SENSOR_VDD_HBM] = {
		"vdd_hbm", 1200, -10, false, 1140, 1260, 0,
		DOJO_ALARM_VDD_HBM, 0 },
};

/*
 * @x moved towards @target for @dt ns with half-life @half: the distance
 * halves every @half, linearly interpolated within a half-life. Q16.
 */
static u32 dojo_emu_decay(u32 x, u32 target, u64 dt, u64 half)
{
	u64 n = div64_u64(dt, half);
	s64 diff = (s64)x - target;
	u64 f;

	if (n >= 16)
		return target;
	f = DOJO_EMU_Q16 >> n;
	f -= div64_u64(f * (dt - n * half), 2 * half);
	return target + (s32)div_s64(diff * (s64)f, DOJO_EMU_Q16);
}

static s32 dojo_emu_sensor_value(struct dojo_emu_sensors *s, unsigned int i)
{
	const struct dojo_emu_sensor_model *m = &dojo_emu_models[i];
	u32 heat = m->slow ? s->heat_slow : s->heat_fast;

	if (s->forced[i])
		return s->force[i];
	return m->idle + (s32)div_s64((s64)m->load * heat, DOJO_EMU_Q16);
}

static u32 dojo_emu_alarms(struct dojo_emu_sensors *s)
{
	u32 alarm = 0;
	unsigned int i;

	for (i = 0; i < DOJO_NR_SENSORS; i++) {
		const struct dojo_emu_sensor_model *m = &dojo_emu_models[i];
		s32 v = dojo_emu_sensor_value(s, i);

		if (m->crit) {
			if (v >= m->hi)
				alarm |= m->alarm_hi;
			if (v >= m->crit)
				alarm |= m->alarm_crit;
		} else if (v < m->lo || v > m->hi) {
			alarm |= m->alarm_hi;
		}
	}
	return alarm;
}

static u32 dojo_emu_busy_queues(struct dojo_emu_card *card)
{
	unsigned int i, n = 0;

	if (!card->dma)
		return 0;
	for (i = 0; i < DOJO_EMU_DMA_QUEUES; i++)
		n += card->dma->q[i].busy && !card->dma->q[i].parked;
	return n;
}

/**
 * dojo_emu_sensors_update_locked - advance the thermal model to now
 * @card: the card, its lock held
 *
 * The load of the interval since the last update is the one counted then;
 * the load from now on is counted again. Call after every change of a
 * queue's BUSY. Raises DOJO_IRQ_SENSOR if the alarms changed.
 */
void dojo_emu_sensors_update_locked(struct dojo_emu_card *card)
{
	struct dojo_emu_sensors *s = &card->sensors;
	u64 now = ktime_get_ns();
	u64 dt = now - s->last_ns;
	u32 target, alarm;

	target = s->active * DOJO_EMU_Q16 / DOJO_EMU_DMA_QUEUES;
	s->heat_fast = dojo_emu_decay(s->heat_fast, target, dt,
				      DOJO_EMU_FAST_HALF_NS);
	s->heat_slow = dojo_emu_decay(s->heat_slow, target, dt,
				      DOJO_EMU_SLOW_HALF_NS);
	s->last_ns = now;
	s->active = dojo_emu_busy_queues(card);

	alarm = dojo_emu_alarms(s);
	if (alarm != s->alarm) {
		s->alarm = alarm;
		if (card->status & DOJO_STATUS_READY)
			dojo_emu_event_locked(card, DOJO_IRQ_SENSOR);
	}
}

bool dojo_emu_sensors_reg(u32 off)
{
	return off >= DOJO_REG_SENSOR_PRESENT && off <= DOJO_REG_ECC_UE_ADDR_HI;
}

u32 dojo_emu_sensors_read_locked(struct dojo_emu_card *card, u32 off)
{
	struct dojo_emu_sensors *s = &card->sensors;
	unsigned int i;

	switch (off) {
	case DOJO_REG_SENSOR_PRESENT:
		return GENMASK(DOJO_NR_SENSORS - 1, 0) | DOJO_PRESENT_ECC;
	case DOJO_REG_SENSOR_ALARM:
		dojo_emu_sensors_update_locked(card);
		return s->alarm;
	case DOJO_REG_ECC_CE_COUNT:
		return s->ce_count;
	case DOJO_REG_ECC_UE_COUNT:
		return s->ue_count;
	case DOJO_REG_ECC_UE_ADDR_LO:
		return lower_32_bits(s->ue_addr);
	case DOJO_REG_ECC_UE_ADDR_HI:
		return upper_32_bits(s->ue_addr);
	}
	for (i = 0; i < DOJO_NR_SENSORS; i++) {
		const struct dojo_emu_sensor_model *m = &dojo_emu_models[i];

		if (off == DOJO_REG_SENSOR(i)) {
			dojo_emu_sensors_update_locked(card);
			return (u32)dojo_emu_sensor_value(s, i);
		}
		if (off == DOJO_REG_SENSOR_LIMIT_LO(i))
			return (u32)m->lo;
		if (off == DOJO_REG_SENSOR_LIMIT_HI(i))
			return (u32)m->hi;
		if (off == DOJO_REG_SENSOR_LIMIT_CRIT(i))
			return (u32)m->crit;
	}
	return 0;
}

void dojo_emu_sensors_init(struct dojo_emu_card *card)
{
	card->sensors.last_ns = ktime_get_ns();
}

/* ---- HBM ECC ------------------------------------------------------------- */

static void dojo_emu_ecc_event_locked(struct dojo_emu_card *card)
{
	if (card->status & DOJO_STATUS_READY)
		dojo_emu_event_locked(card, DOJO_IRQ_ECC);
}

/**
 * dojo_emu_ecc_read - check an HBM range a DMA engine is about to read
 * @card: the card
 * @addr: HBM address
 * @len: bytes
 *
 * Any context but the card's lock. If the range overlaps one marked as
 * holding an uncorrected error, the error is counted and its address
 * recorded, and DOJO_IRQ_ECC is raised.
 *
 * Return: DOJO_ERR_ECC if it does, else 0.
 */
int dojo_emu_ecc_read(struct dojo_emu_card *card, u64 addr, u64 len)
{
	struct dojo_emu_sensors *s = &card->sensors;
	unsigned long flags;
	unsigned int i;
	int err = 0;

	if (likely(!READ_ONCE(s->nr_poison)) || !len)
		return 0;
	spin_lock_irqsave(&card->lock, flags);
	for (i = 0; i < s->nr_poison; i++) {
		u64 start = max(addr, s->poison[i].start);

		if (start < s->poison[i].end && start - addr < len) {
			s->ue_count++;
			s->ue_addr = start;
			dojo_emu_ecc_event_locked(card);
			err = DOJO_ERR_ECC;
			break;
		}
	}
	spin_unlock_irqrestore(&card->lock, flags);
	return err;
}

/* A DMA write rewrites data and check bits: overlapped ranges are clean. */
void dojo_emu_ecc_write(struct dojo_emu_card *card, u64 addr, u64 len)
{
	struct dojo_emu_sensors *s = &card->sensors;
	unsigned long flags;
	unsigned int i;

	if (likely(!READ_ONCE(s->nr_poison)) || !len)
		return;
	spin_lock_irqsave(&card->lock, flags);
	for (i = 0; i < s->nr_poison; ) {
		u64 start = max(addr, s->poison[i].start);

		if (start < s->poison[i].end && start - addr < len) {
			s->poison[i] = s->poison[--s->nr_poison];
			continue;
		}
		i++;
	}
	spin_unlock_irqrestore(&card->lock, flags);
}

/* ---- debugfs ------------------------------------------------------------- */

/* force_<sensor>: a value in milli-units pins the sensor, "auto" frees it. */
static int dojo_emu_force_show(struct seq_file *m, void *unused)
{
	struct dojo_emu_sensor_sw *sw = m->private;
	struct dojo_emu_card *card = sw->card;
	unsigned long flags;
	bool forced;
	s32 val;

	spin_lock_irqsave(&card->lock, flags);
	forced = card->sensors.forced[sw->index];
	val = card->sensors.force[sw->index];
	spin_unlock_irqrestore(&card->lock, flags);
	if (forced)
		seq_printf(m, "%d\n", val);
	else
		seq_puts(m, "auto\n");
	return 0;
}

static int dojo_emu_force_open(struct inode *inode, struct file *file)
{
	return single_open(file, dojo_emu_force_show, inode->i_private);
}

static ssize_t dojo_emu_force_write(struct file *file, const char __user *ubuf,
				    size_t count, loff_t *ppos)
{
	struct dojo_emu_sensor_sw *sw =
		((struct seq_file *)file->private_data)->private;
	struct dojo_emu_card *card = sw->card;
	char buf[16];
	unsigned long flags;
	bool forced = true;
	s32 val = 0;
	int ret;

	if (!count || count >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	buf[count] = '\0';
	if (sysfs_streq(buf, "auto")) {
		forced = false;
	} else {
		ret = kstrtos32(strim(buf), 0, &val);
		if (ret)
			return ret;
	}

	spin_lock_irqsave(&card->lock, flags);
	card->sensors.forced[sw->index] = forced;
	card->sensors.force[sw->index] = val;
	dojo_emu_sensors_update_locked(card);
	spin_unlock_irqrestore(&card->lock, flags);
	return count;
}

static const struct file_operations dojo_emu_force_fops = {
	.owner = THIS_MODULE,
	.open = dojo_emu_force_open,
	.read = seq_read,
	.write = dojo_emu_force_write,
	.llseek = seq_lseek,
	.release = single_release,
};

static int dojo_emu_ecc_ce_set(void *data, u64 val)
{
	struct dojo_emu_card *card = data;
	unsigned long flags;

	if (!val || val > U32_MAX)
		return -EINVAL;
	spin_lock_irqsave(&card->lock, flags);
	card->sensors.ce_count += (u32)val;
	dojo_emu_ecc_event_locked(card);
	spin_unlock_irqrestore(&card->lock, flags);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(dojo_emu_ecc_ce_fops, NULL, dojo_emu_ecc_ce_set,
			 "%llu\n");

/* ecc_inject_ue: reads "START END" per marked range (END exclusive). */
static int dojo_emu_ecc_ue_show(struct seq_file *m, void *unused)
{
	struct dojo_emu_card *card = m->private;
	struct dojo_emu_sensors *s = &card->sensors;
	u64 start[DOJO_EMU_MAX_POISON], end[DOJO_EMU_MAX_POISON];
	unsigned long flags;
	unsigned int i, n;

	spin_lock_irqsave(&card->lock, flags);
	n = s->nr_poison;
	for (i = 0; i < n; i++) {
		start[i] = s->poison[i].start;
		end[i] = s->poison[i].end;
	}
	spin_unlock_irqrestore(&card->lock, flags);
	for (i = 0; i < n; i++)
		seq_printf(m, "0x%llx 0x%llx\n", start[i], end[i]);
	return 0;
}

static int dojo_emu_ecc_ue_open(struct inode *inode, struct file *file)
{
	return single_open(file, dojo_emu_ecc_ue_show, inode->i_private);
}

/* Writes "ADDR [LEN]" (LEN default 4) to mark a range, "clear" to unmark all. */
static ssize_t dojo_emu_ecc_ue_write(struct file *file, const char __user *ubuf,
				     size_t count, loff_t *ppos)
{
	struct dojo_emu_card *card =
		((struct seq_file *)file->private_data)->private;
	struct dojo_emu_sensors *s = &card->sensors;
	char buf[64], *p, *tok;
	unsigned long flags;
	u64 addr, len = 4;
	int ret;

	if (!count || count >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	buf[count] = '\0';
	p = strim(buf);
	if (!strcmp(p, "clear")) {
		spin_lock_irqsave(&card->lock, flags);
		WRITE_ONCE(s->nr_poison, 0);
		spin_unlock_irqrestore(&card->lock, flags);
		return count;
	}
	tok = strsep(&p, " \t");
	ret = kstrtou64(tok, 0, &addr);
	if (ret)
		return ret;
	if (p) {
		ret = kstrtou64(skip_spaces(p), 0, &len);
		if (ret)
			return ret;
	}
	if (!len || addr >= card->hbm.size || len > card->hbm.size - addr)
		return -EINVAL;

	spin_lock_irqsave(&card->lock, flags);
	if (s->nr_poison == DOJO_EMU_MAX_POISON) {
		spin_unlock_irqrestore(&card->lock, flags);
		return -ENOSPC;
	}
	s->poison[s->nr_poison].start = addr;
	s->poison[s->nr_poison].end = addr + len;
	WRITE_ONCE(s->nr_poison, s->nr_poison + 1);
	spin_unlock_irqrestore(&card->lock, flags);
	return count;
}

static const struct file_operations dojo_emu_ecc_ue_fops = {
	.owner = THIS_MODULE,
	.open = dojo_emu_ecc_ue_open,
	.read = seq_read,
	.write = dojo_emu_ecc_ue_write,
	.llseek = seq_lseek,
	.release = single_release,
};

/* sensors: one line per sensor: name, value, forced or auto. */
static int dojo_emu_sensors_show(struct seq_file *m, void *unused)
{
	struct dojo_emu_card *card = m->private;
	s32 val[DOJO_NR_SENSORS];
	bool forced[DOJO_NR_SENSORS];
	unsigned long flags;
	unsigned int i;
	u32 alarm, load;

	spin_lock_irqsave(&card->lock, flags);
	dojo_emu_sensors_update_locked(card);
	for (i = 0; i < DOJO_NR_SENSORS; i++) {
		val[i] = dojo_emu_sensor_value(&card->sensors, i);
		forced[i] = card->sensors.forced[i];
	}
	alarm = card->sensors.alarm;
	load = card->sensors.active;
	spin_unlock_irqrestore(&card->lock, flags);

	for (i = 0; i < DOJO_NR_SENSORS; i++)
		seq_printf(m, "%s %d %s\n", dojo_emu_models[i].name, val[i],
			   forced[i] ? "forced" : "auto");
	seq_printf(m, "alarm 0x%x\nbusy_queues %u\n", alarm, load);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(dojo_emu_sensors);

void dojo_emu_sensors_debugfs_init(struct dojo_emu_card *card,
				   struct dentry *dir)
{
	char name[32];
	unsigned int i;

	for (i = 0; i < DOJO_NR_SENSORS; i++) {
		struct dojo_emu_sensor_sw *sw = &card->sensors.sw[i];

		sw->card = card;
		sw->index = i;
		snprintf(name, sizeof(name), "force_%s", dojo_emu_models[i].name);
		debugfs_create_file(name, 0600, dir, sw, &dojo_emu_force_fops);
	}
	debugfs_create_file("sensors", 0400, dir, card, &dojo_emu_sensors_fops);
	debugfs_create_file_unsafe("ecc_inject_ce", 0200, dir, card,
				   &dojo_emu_ecc_ce_fops);
	debugfs_create_file("ecc_inject_ue", 0600, dir, card,
			    &dojo_emu_ecc_ue_fops);
}
