// SPDX-License-Identifier: GPL-2.0-only
/*
 * Bring-up of the DIP through its registers: identity, reset, interrupts,
 * the HBM debug window. The same code drives the card and the emulated card.
 */
#include <linux/bitfield.h>
#include <linux/interrupt.h>
#include <linux/iopoll.h>
#include <linux/pci.h>
#include <linux/string.h>

#include "dojo_accel.h"
#include "dojo_hw.h"
#include "dojo_reset.h"
#include "dojo_ttp.h"
#include "dojo_zplane.h"

/*
 * The emulated card runs on a host CPU, in a VM that may itself be emulated
 * in software: give it more time, never different logic.
 */
#define DOJO_EMULATED_TIMEOUT_SCALE	20

#define DOJO_READY_TIMEOUT_MS		100
#define DOJO_IRQ_TEST_TIMEOUT_MS	50

unsigned int dojo_timeout_ms(struct dojo_device *ddev, unsigned int silicon_ms)
{
	if (ddev->id.platform == DOJO_PLATFORM_EMULATED)
		return silicon_ms * DOJO_EMULATED_TIMEOUT_SCALE;
	return silicon_ms;
}

/* Whether the card's register interface has the block added in 1.@minor. */
bool dojo_hw_has_regs(struct dojo_device *ddev, u32 minor)
{
	return (ddev->id.regs_version & 0xffff) >= minor;
}

/* MAGIC and PLATFORM are hardwired: valid before the card is ready. */
bool dojo_hw_is_dip(struct dojo_device *ddev, u32 *magic)
{
	*magic = dojo_rd32(ddev, DOJO_REG_MAGIC);
	if (*magic != DOJO_MAGIC)
		return false;
	ddev->id.platform = dojo_rd32(ddev, DOJO_REG_PLATFORM);
	return true;
}

static int dojo_hw_wait_ready(struct dojo_device *ddev)
{
	unsigned int timeout_us = dojo_timeout_ms(ddev, DOJO_READY_TIMEOUT_MS) * 1000;
	u32 status;
	int ret;

	ret = read_poll_timeout(dojo_rd32, status, status & DOJO_STATUS_READY,
				100, timeout_us, false, ddev, DOJO_REG_STATUS);
	if (ret) {
		drm_err(&ddev->drm, "card not ready (status 0x%08x)\n", status);
		return ret;
	}
	if (status & DOJO_STATUS_FATAL) {
		drm_err(&ddev->drm, "card reports a fatal error (status 0x%08x)\n",
			status);
		return -EIO;
	}
	return 0;
}

int dojo_hw_reset(struct dojo_device *ddev)
{
	dojo_wr32(ddev, DOJO_REG_CTRL, DOJO_CTRL_RESET);
	return dojo_hw_wait_ready(ddev);
}

static void dojo_hw_read_serial(struct dojo_device *ddev)
{
	char *s = ddev->id.serial;
	unsigned int i;

	for (i = 0; i < DOJO_SERIAL_LEN / 4; i++) {
		u32 word = dojo_rd32(ddev, DOJO_REG_SERIAL(i));

		s[i * 4 + 0] = word & 0xff;
		s[i * 4 + 1] = (word >> 8) & 0xff;
		s[i * 4 + 2] = (word >> 16) & 0xff;
		s[i * 4 + 3] = (word >> 24) & 0xff;
	}
	s[DOJO_SERIAL_LEN] = '\0';
	/* The serial reaches sysfs and userspace: keep it printable. */
	for (i = 0; s[i]; i++)
		if (s[i] < 0x21 || s[i] > 0x7e)
			s[i] = '?';
}

int dojo_hw_read_identity(struct dojo_device *ddev)
{
	struct dojo_identity *id = &ddev->id;
	u32 pci_id, caps, pcie;

	id->regs_version = dojo_rd32(ddev, DOJO_REG_REGS_VERSION);
	if (id->regs_version >> 16 != DOJO_REGS_VERSION_MAJOR) {
		drm_err(&ddev->drm, "unsupported register interface %u.%u\n",
			id->regs_version >> 16, id->regs_version & 0xffff);
		return -ENODEV;
	}

	pci_id = dojo_rd32(ddev, DOJO_REG_PCI_ID);
	id->vendor_id = pci_id & 0xffff;
	id->device_id = pci_id >> 16;
	id->revision = dojo_rd32(ddev, DOJO_REG_REVISION);
	id->fw_version = dojo_rd32(ddev, DOJO_REG_FW_VERSION);

	caps = dojo_rd32(ddev, DOJO_REG_CAPS);
	id->num_dma_queues = FIELD_GET(DOJO_CAPS_DMA_QUEUES, caps);
	id->num_ttp_ports = FIELD_GET(DOJO_CAPS_TTP_PORTS, caps);
	id->num_ttpoe_ports = FIELD_GET(DOJO_CAPS_TTPOE_PORTS, caps);
	id->num_irqs = FIELD_GET(DOJO_CAPS_IRQ_VECTORS, caps);
	/* A port whose registers the interface does not have is no port. */
	if (!dojo_hw_has_regs(ddev, DOJO_REGS_MINOR_TTP))
		id->num_ttp_ports = 0;
	if (!dojo_hw_has_regs(ddev, DOJO_REGS_MINOR_ZPLANE))
		id->num_ttpoe_ports = 0;

	pcie = dojo_rd32(ddev, DOJO_REG_PCIE_CAPS);
	id->pcie_max_gen = FIELD_GET(DOJO_PCIE_CAPS_GEN, pcie);
	id->pcie_max_width = FIELD_GET(DOJO_PCIE_CAPS_WIDTH, pcie);

	id->hbm_size = dojo_rd64(ddev, DOJO_REG_HBM_SIZE_LO, DOJO_REG_HBM_SIZE_HI);
	dojo_hw_read_serial(ddev);

	if (!id->num_irqs || id->num_irqs > DOJO_MAX_IRQS) {
		drm_err(&ddev->drm, "card reports %u interrupt vectors\n",
			id->num_irqs);
		return -ENODEV;
	}
	return 0;
}

static irqreturn_t dojo_hw_event_irq(int irq, void *arg)
{
	struct dojo_device *ddev = arg;
	u32 status;

	status = dojo_rd32(ddev, DOJO_REG_IRQ_STATUS);
	if (!status || status == U32_MAX)
		return IRQ_NONE;
	dojo_wr32(ddev, DOJO_REG_IRQ_STATUS, status);

	if (status & DOJO_IRQ_TEST)
		complete(&ddev->irq_test_done);
	if (status & DOJO_IRQ_HBM_ERROR)
		atomic_inc(&ddev->hbm_errors);
	if (status & DOJO_IRQ_TTP_LINK)
		dojo_ttp_link_changed(ddev);
	if (status & DOJO_IRQ_ZPLANE)
		dojo_zplane_link_changed(ddev);
	if (status & DOJO_IRQ_FATAL)
		dojo_reset_schedule(ddev, "fatal error interrupt");
	/* A sensor alarm or an ECC counter changed: health may have. */
	if (status & (DOJO_IRQ_ECC | DOJO_IRQ_SENSOR))
		queue_work(dojo_wq, &ddev->health_work);
	return IRQ_HANDLED;
}

int dojo_hw_irq_init(struct dojo_device *ddev)
{
	struct device *dev = ddev->drm.dev;
	int ret;

	if (ddev->nr_irqs < 1)
		return -EINVAL;

	dojo_wr32(ddev, DOJO_REG_IRQ_MASK, 0);
	dojo_wr32(ddev, DOJO_REG_IRQ_STATUS, U32_MAX);

	ret = devm_request_irq(dev, ddev->irqs[0], dojo_hw_event_irq, 0,
			       dev_name(dev), ddev);
	if (ret) {
		drm_err(&ddev->drm, "cannot request interrupt %d: %d\n",
			ddev->irqs[0], ret);
		return ret;
	}

	dojo_hw_irq_enable(ddev);
	return 0;
}

/* Unmask device events; a card reset masks them again. */
void dojo_hw_irq_enable(struct dojo_device *ddev)
{
	dojo_wr32(ddev, DOJO_REG_IRQ_MASK,
		  DOJO_IRQ_TEST | DOJO_IRQ_HBM_ERROR | DOJO_IRQ_ECC |
		  DOJO_IRQ_SENSOR | DOJO_IRQ_TTP_LINK | DOJO_IRQ_ZPLANE |
		  DOJO_IRQ_FATAL);
	/* A link change while the card was in reset raised nothing. */
	dojo_ttp_link_changed(ddev);
	dojo_zplane_link_changed(ddev);
}

/*
 * Prove the interrupt path end to end before the device is offered to
 * userspace: a card whose interrupts do not arrive would hang every job.
 */
int dojo_hw_irq_selftest(struct dojo_device *ddev)
{
	unsigned long timeout;

	timeout = msecs_to_jiffies(dojo_timeout_ms(ddev, DOJO_IRQ_TEST_TIMEOUT_MS));
	reinit_completion(&ddev->irq_test_done);
	dojo_wr32(ddev, DOJO_REG_IRQ_TEST, 1);
	if (!wait_for_completion_timeout(&ddev->irq_test_done, timeout)) {
		drm_err(&ddev->drm, "interrupt self-test timed out\n");
		return -EIO;
	}
	return 0;
}

/* Stop the card from raising interrupts; called before they are freed. */
void dojo_hw_quiesce(struct dojo_device *ddev)
{
	dojo_wr32(ddev, DOJO_REG_IRQ_MASK, 0);
	dojo_wr32(ddev, DOJO_REG_IRQ_STATUS, U32_MAX);
}

/*
 * Whether the card may master the bus. A card that did not come back from
 * a reset may still be moving data for jobs the driver is about to end:
 * a PCI card loses bus mastering first. (The emulated card's engines stop
 * at the reset itself, whether or not the card comes back.)
 */
void dojo_hw_bus_master(struct dojo_device *ddev, bool on)
{
	struct pci_dev *pdev;

	if (ddev->bus_type != DRM_DOJO_BUS_PCI)
		return;
	pdev = to_pci_dev(ddev->drm.dev);
	if (on)
		pci_set_master(pdev);
	else
		pci_clear_master(pdev);
}

static int dojo_hw_hbm_win_errno(u32 status)
{
	switch (status) {
	case DOJO_HBM_WIN_OK:
		return 0;
	case DOJO_HBM_WIN_ERR_RANGE:
		return -ENXIO;
	case DOJO_HBM_WIN_ERR_ALIGN:
		return -EINVAL;
	case DOJO_HBM_WIN_ERR_BACKING:
		return -ENOSPC;
	default:
		return -EIO;
	}
}

/*
 * Move @count 32-bit words between @words and HBM at @addr through the
 * debug window. Slow by design: this is for bring-up and debugfs, not data.
 */
int dojo_hw_hbm_rw(struct dojo_device *ddev, u64 addr, u32 *words,
		   size_t count, bool write)
{
	size_t i;
	u32 status;

	if (!IS_ALIGNED(addr, 4))
		return -EINVAL;
	if (addr >= ddev->id.hbm_size || count > (ddev->id.hbm_size - addr) / 4)
		return -ENXIO;

	mutex_lock(&ddev->hbm_win_lock);
	dojo_wr32(ddev, DOJO_REG_HBM_WIN_STATUS, 0);
	dojo_wr32(ddev, DOJO_REG_HBM_WIN_ADDR_LO, lower_32_bits(addr));
	dojo_wr32(ddev, DOJO_REG_HBM_WIN_ADDR_HI, upper_32_bits(addr));
	for (i = 0; i < count; i++) {
		if (write)
			dojo_wr32(ddev, DOJO_REG_HBM_WIN_DATA, words[i]);
		else
			words[i] = dojo_rd32(ddev, DOJO_REG_HBM_WIN_DATA);
	}
	status = dojo_rd32(ddev, DOJO_REG_HBM_WIN_STATUS);
	mutex_unlock(&ddev->hbm_win_lock);

	return dojo_hw_hbm_win_errno(status);
}
