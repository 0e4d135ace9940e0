// SPDX-License-Identifier: GPL-2.0-only
/*
 * Emulated backend: binds the DIPs that dojo_emu.ko publishes as auxiliary
 * devices. The emulated card offers what a PCI card offers (registers,
 * interrupt lines, a DMA-capable device) and nothing more; see
 * dojo_emu_if.h. No symbol of the emulator is used, so production hosts
 * never load it.
 */
#include <linux/auxiliary_bus.h>
#include <linux/module.h>
#include <linux/string.h>

#include "dojo_accel.h"
#include "dojo_drv.h"
#include "dojo_hw.h"

static int dojo_aux_probe(struct auxiliary_device *adev,
			  const struct auxiliary_device_id *id)
{
	struct dojo_emu_dip *dip = to_dojo_emu_dip(adev);
	struct dojo_device *ddev;
	unsigned int i;
	u32 magic;

	if (!dip->bar || !dip->bar->read32 || !dip->bar->write32 ||
	    dip->nr_irqs < 1 || dip->nr_irqs > DOJO_MAX_IRQS)
		return -EINVAL;

	ddev = dojo_device_alloc(&adev->dev);
	if (IS_ERR(ddev))
		return PTR_ERR(ddev);

	ddev->emu_bar = dip->bar;
	ddev->emu_card = dip->card;
	ddev->bus_type = DRM_DOJO_BUS_EMULATED;
	strscpy(ddev->bus_addr, dip->bus_addr, sizeof(ddev->bus_addr));
	for (i = 0; i < dip->nr_irqs; i++)
		ddev->irqs[i] = dip->irqs[i];
	ddev->nr_irqs = dip->nr_irqs;
	auxiliary_set_drvdata(adev, ddev);

	if (!dojo_hw_is_dip(ddev, &magic)) {
		dev_err(&adev->dev, "not a DIP: register 0 reads 0x%08x\n", magic);
		return -ENODEV;
	}
	return dojo_device_probe(ddev);
}

static void dojo_aux_remove(struct auxiliary_device *adev)
{
	dojo_device_remove(auxiliary_get_drvdata(adev));
}

static const struct auxiliary_device_id dojo_aux_ids[] = {
	{ .name = DOJO_EMU_AUX_MODNAME "." DOJO_EMU_AUX_DEVNAME },
	{ }
};
MODULE_DEVICE_TABLE(auxiliary, dojo_aux_ids);

static struct auxiliary_driver dojo_aux_driver = {
	.name = "emu",
	.probe = dojo_aux_probe,
	.remove = dojo_aux_remove,
	.id_table = dojo_aux_ids,
};

int dojo_aux_register(void)
{
	return auxiliary_driver_register(&dojo_aux_driver);
}

void dojo_aux_unregister(void)
{
	auxiliary_driver_unregister(&dojo_aux_driver);
}
