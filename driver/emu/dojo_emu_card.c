// SPDX-License-Identifier: GPL-2.0-only
/*
 * Life of one emulated DIP: the card is a device on the dojo_emu bus, and
 * it publishes an auxiliary device "dojo_emu.dip.<id>" for dojo.ko to bind,
 * as a PCI card is a pci_dev for the driver to bind.
 *
 * Deletion first deletes the auxiliary device, which runs the driver's
 * remove callback, and only then stops and frees the model. The auxiliary
 * device holds a reference on the card, so a register access that still
 * arrives afterwards finds a dead card (reading all-ones), not freed memory.
 */
#include <linux/auxiliary_bus.h>
#include <linux/dma-mapping.h>
#include <linux/sizes.h>
#include <linux/slab.h>

#include "dojo_emu.h"
#include "dojo_emu_dma.h"

/* What the emulator allocates for the driver to bind. */
struct dojo_emu_aux {
	struct dojo_emu_dip dip;
	struct device_dma_parameters dma_parms;
	u64 dma_mask;
};

static void dojo_emu_aux_release(struct device *dev)
{
	struct dojo_emu_aux *aux = container_of(to_auxiliary_dev(dev),
						struct dojo_emu_aux, dip.adev);
	struct dojo_emu_card *card = aux->dip.card;

	kfree(aux);
	put_device(&card->dev);
}

static void dojo_emu_card_release(struct device *dev)
{
	kfree(to_dojo_emu_card(dev));
	if (atomic_dec_and_test(&dojo_emu_live_cards))
		wake_up(&dojo_emu_live_cards_wq);
}

static int dojo_emu_card_publish(struct dojo_emu_card *card)
{
	struct auxiliary_device *adev;
	struct dojo_emu_aux *aux;
	struct dojo_emu_dip *dip;
	unsigned int v;
	int ret;

	aux = kzalloc(sizeof(*aux), GFP_KERNEL);
	if (!aux)
		return -ENOMEM;

	dip = &aux->dip;
	dip->bar = &dojo_emu_bar_ops;
	dip->card = card;
	dip->nr_irqs = DOJO_EMU_NR_IRQS;
	for (v = 0; v < DOJO_EMU_NR_IRQS; v++)
		dip->irqs[v] = card->irqs.virq[v];
	strscpy(dip->bus_addr, dev_name(&card->dev), sizeof(dip->bus_addr));

	adev = &dip->adev;
	adev->name = DOJO_EMU_AUX_DEVNAME;
	adev->id = card->id;
	adev->dev.parent = &card->dev;
	adev->dev.release = dojo_emu_aux_release;

	/* The card masters 64-bit DMA; limits as for a PCI function. */
	aux->dma_mask = DMA_BIT_MASK(64);
	adev->dev.dma_mask = &aux->dma_mask;
	adev->dev.coherent_dma_mask = DMA_BIT_MASK(64);
	aux->dma_parms.max_segment_size = SZ_64K;
	aux->dma_parms.segment_boundary_mask = U32_MAX;
	adev->dev.dma_parms = &aux->dma_parms;

	ret = auxiliary_device_init(adev);
	if (ret) {
		kfree(aux);
		return ret;
	}
	get_device(&card->dev);

	ret = __auxiliary_device_add(adev, DOJO_EMU_AUX_MODNAME);
	if (ret) {
		auxiliary_device_uninit(adev);
		return ret;
	}
	card->dip = dip;
	return 0;
}

/**
 * dojo_emu_card_create - power on a new emulated DIP
 * @id: card number, unique among live cards
 * @serial: serial number (at most 16 characters), or NULL for the default
 *
 * Context: process; the caller serialises creation and deletion.
 * Return: the card, or an ERR_PTR.
 */
struct dojo_emu_card *dojo_emu_card_create(unsigned int id, const char *serial)
{
	char buf[DOJO_SERIAL_LEN + 1];
	struct dojo_emu_card *card;
	unsigned long backing;
	int ret;

	card = kzalloc(sizeof(*card), GFP_KERNEL);
	if (!card)
		return ERR_PTR(-ENOMEM);

	card->id = id;
	card->ready_delay_ms = READ_ONCE(dojo_emu_ready_delay_ms);
	if (!serial) {
		snprintf(buf, sizeof(buf), "DIPEMU%010u", id);
		serial = buf;
	}
	memcpy(card->serial, serial, strnlen(serial, DOJO_SERIAL_LEN));

	card->dev.bus = &dojo_emu_bus;
	card->dev.id = id;
	card->dev.release = dojo_emu_card_release;
	device_initialize(&card->dev);
	atomic_inc(&dojo_emu_live_cards);

	backing = (unsigned long)READ_ONCE(dojo_emu_hbm_backing_mb) <<
		  (20 - PAGE_SHIFT);
	dojo_emu_hbm_init(&card->hbm, DOJO_EMU_HBM_SIZE, backing);

	ret = dojo_emu_irq_init(card);
	if (ret)
		goto err_put;

	ret = dojo_emu_dma_init(card);
	if (ret)
		goto err_irq;

	ret = dojo_emu_zp_init(card);
	if (ret)
		goto err_dma;

	dojo_emu_ttp_init(card);
	dojo_emu_regs_init(card);

	ret = device_add(&card->dev);
	if (ret)
		goto err_stop;

	dojo_emu_debugfs_card_init(card);

	ret = dojo_emu_card_publish(card);
	if (ret)
		goto err_del;

	atomic_inc(&dojo_emu_live_models);
	return card;

err_del:
	dojo_emu_debugfs_card_fini(card);
	device_del(&card->dev);
err_stop:
	dojo_emu_regs_stop(card);
	dojo_emu_dma_fini(card);
	dojo_emu_zp_fini(card);
	dojo_emu_ttp_fini(card);
	goto err_irq;
err_dma:
	dojo_emu_dma_fini(card);
err_irq:
	dojo_emu_irq_fini(card);
err_put:
	dojo_emu_hbm_fini(&card->hbm);
	put_device(&card->dev);
	return ERR_PTR(ret);
}

/**
 * dojo_emu_card_delete - unplug and power off an emulated DIP
 * @card: the card
 *
 * Context: process; the caller serialises creation and deletion. The
 * driver may still hold the card open: it is unbound first.
 */
void dojo_emu_card_delete(struct dojo_emu_card *card)
{
	struct dojo_emu_dip *dip = card->dip;

	card->dip = NULL;
	auxiliary_device_delete(&dip->adev);

	dojo_emu_debugfs_card_fini(card);
	dojo_emu_regs_stop(card);
	dojo_emu_dma_fini(card);
	dojo_emu_zp_fini(card);
	dojo_emu_ttp_fini(card);
	dojo_emu_irq_fini(card);
	dojo_emu_hbm_fini(&card->hbm);
	atomic_dec(&dojo_emu_live_models);

	auxiliary_device_uninit(&dip->adev);
	device_del(&card->dev);
	put_device(&card->dev);
}
