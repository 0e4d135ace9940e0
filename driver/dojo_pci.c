// SPDX-License-Identifier: GPL-2.0-only
/*
 * PCI backend: the DIP card in a PCIe Gen4 x16 slot.
 *
 * The card's real PCI IDs are not public. The ID table holds this
 * project's placeholder (docs/hardware.md); a card with other IDs is bound
 * through the standard new_id path:
 *   echo "VVVV DDDD" > /sys/bus/pci/drivers/dojo/new_id
 * Whatever the IDs, probe only accepts a device whose BAR0 identifies as a
 * DIP, and unwinds completely otherwise.
 */
#include <linux/bitfield.h>
#include <linux/dma-mapping.h>
#include <linux/module.h>
#include <linux/pci.h>

#include "dojo_accel.h"
#include "dojo_drv.h"
#include "dojo_hw.h"

#define DOJO_PCI_VENDOR_PLACEHOLDER	0x1de5
#define DOJO_PCI_DEVICE_PLACEHOLDER	0xd1d0

static int dojo_pci_irqs(struct pci_dev *pdev, struct dojo_device *ddev)
{
	int nvec, i;

	nvec = pci_alloc_irq_vectors(pdev, ddev->id.num_irqs, ddev->id.num_irqs,
				     PCI_IRQ_MSIX);
	if (nvec < 0) {
		dev_err(&pdev->dev, "cannot enable %u MSI-X vectors: %d\n",
			ddev->id.num_irqs, nvec);
		return nvec;
	}
	for (i = 0; i < nvec; i++)
		ddev->irqs[i] = pci_irq_vector(pdev, i);
	ddev->nr_irqs = nvec;
	return 0;
}

static int dojo_pci_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct dojo_device *ddev;
	u32 magic, caps;
	int ret;

	ret = pcim_enable_device(pdev);
	if (ret)
		return ret;

	if (!(pci_resource_flags(pdev, 0) & IORESOURCE_MEM) ||
	    pci_resource_len(pdev, 0) < DOJO_BAR0_SIZE) {
		dev_info(&pdev->dev, "not a DIP: BAR0 missing or smaller than %#x\n",
			 DOJO_BAR0_SIZE);
		return -ENODEV;
	}

	ret = pcim_iomap_regions(pdev, BIT(0), DRIVER_NAME);
	if (ret)
		return ret;

	ddev = dojo_device_alloc(&pdev->dev);
	if (IS_ERR(ddev))
		return PTR_ERR(ddev);

	ddev->mmio = pcim_iomap_table(pdev)[0];
	ddev->bus_type = DRM_DOJO_BUS_PCI;
	strscpy(ddev->bus_addr, pci_name(pdev), sizeof(ddev->bus_addr));
	pci_set_drvdata(pdev, ddev);

	/* The identity check: IDs can be forced with new_id, BAR0 cannot. */
	if (!dojo_hw_is_dip(ddev, &magic)) {
		dev_info(&pdev->dev, "not a DIP: BAR0 magic 0x%08x, expected 0x%08x\n",
			 magic, DOJO_MAGIC);
		return -ENODEV;
	}

	ret = dma_set_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(64));
	if (ret)
		return ret;
	pci_set_master(pdev);

	/* Vector count comes from CAPS, which is valid before reset. */
	caps = dojo_rd32(ddev, DOJO_REG_CAPS);
	ddev->id.num_irqs = FIELD_GET(DOJO_CAPS_IRQ_VECTORS, caps);
	if (!ddev->id.num_irqs || ddev->id.num_irqs > DOJO_MAX_IRQS) {
		dev_err(&pdev->dev, "card reports %u interrupt vectors\n",
			ddev->id.num_irqs);
		return -ENODEV;
	}
	ret = dojo_pci_irqs(pdev, ddev);
	if (ret)
		return ret;

	return dojo_device_probe(ddev);
}

static void dojo_pci_remove(struct pci_dev *pdev)
{
	dojo_device_remove(pci_get_drvdata(pdev));
}

static const struct pci_device_id dojo_pci_ids[] = {
	{ PCI_DEVICE(DOJO_PCI_VENDOR_PLACEHOLDER, DOJO_PCI_DEVICE_PLACEHOLDER) },
	{ }
};
MODULE_DEVICE_TABLE(pci, dojo_pci_ids);

static struct pci_driver dojo_pci_driver = {
	.name = DRIVER_NAME,
	.id_table = dojo_pci_ids,
	.probe = dojo_pci_probe,
	.remove = dojo_pci_remove,
};

int dojo_pci_register(void)
{
	return pci_register_driver(&dojo_pci_driver);
}

void dojo_pci_unregister(void)
{
	pci_unregister_driver(&dojo_pci_driver);
}
