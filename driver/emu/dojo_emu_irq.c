// SPDX-License-Identifier: GPL-2.0-only
/*
 * Interrupt vectors of the emulated DIP. Each card has a small irq_domain of
 * its own, so that the driver gets real Linux IRQ numbers and requests and
 * handles them exactly as it does MSI-X vectors of the PCI card. The model
 * raises a vector by marking it pending and queueing an irq_work, which
 * delivers it in hard interrupt context once the register lock is dropped:
 * the driver's handler reads IRQ_STATUS, which takes that lock.
 *
 * The DMA engine's workers raise their vectors directly instead: they run
 * in process context without that lock, and a self-IPI would only add an
 * interrupt to what a message-signalled interrupt costs on silicon.
 *
 * The vectors are edge-triggered, as MSI-X vectors are: a raise that comes
 * while the handler runs on another CPU, or while the driver has the line
 * disabled, is kept pending and replayed instead of being lost.
 */
#include <linux/bitops.h>
#include <linux/irq.h>
#include <linux/irqdomain.h>

#include "dojo_emu.h"

static int dojo_emu_irq_map(struct irq_domain *d, unsigned int virq,
			    irq_hw_number_t hwirq)
{
	irq_set_chip_and_handler_name(virq, &dummy_irq_chip, handle_edge_irq,
				      "edge");
	irq_set_chip_data(virq, d->host_data);
	return 0;
}

static void dojo_emu_irq_unmap(struct irq_domain *d, unsigned int virq)
{
	irq_set_chip_and_handler(virq, NULL, NULL);
	irq_set_chip_data(virq, NULL);
}

static const struct irq_domain_ops dojo_emu_irq_domain_ops = {
	.map = dojo_emu_irq_map,
	.unmap = dojo_emu_irq_unmap,
	.xlate = irq_domain_xlate_onecell,
};

static void dojo_emu_irq_deliver(struct irq_work *work)
{
	struct dojo_emu_irqs *irqs = container_of(work, struct dojo_emu_irqs,
						  work);
	unsigned long pending = xchg(&irqs->pending, 0);
	unsigned int v;

	for_each_set_bit(v, &pending, DOJO_EMU_NR_IRQS) {
		generic_handle_irq_safe(irqs->virq[v]);
		atomic_long_inc(&irqs->count[v]);
	}
}

/**
 * dojo_emu_irq_raise - send an interrupt on one vector
 * @card: the card
 * @vector: 0 for device events, 1..DOJO_EMU_DMA_QUEUES for queues
 *
 * Any context, also with the register lock held: delivery happens later,
 * from an irq_work. Raises that arrive before delivery coalesce, as
 * repeated MSI-X messages of a masked vector do.
 */
void dojo_emu_irq_raise(struct dojo_emu_card *card, unsigned int vector)
{
	if (WARN_ON_ONCE(vector >= DOJO_EMU_NR_IRQS))
		return;
	set_bit(vector, &card->irqs.pending);
	irq_work_queue(&card->irqs.work);
}

/**
 * dojo_emu_irq_raise_now - send an interrupt and run its handler at once
 * @card: the card
 * @vector: 0 for device events, 1..DOJO_EMU_DMA_QUEUES for queues
 *
 * Process context, without the register lock: the handler runs on this
 * CPU, with interrupts off, before this returns.
 */
void dojo_emu_irq_raise_now(struct dojo_emu_card *card, unsigned int vector)
{
	struct dojo_emu_irqs *irqs = &card->irqs;

	if (WARN_ON_ONCE(vector >= DOJO_EMU_NR_IRQS))
		return;
	lockdep_assert_not_held(&card->lock);
	generic_handle_irq_safe(irqs->virq[vector]);
	atomic_long_inc(&irqs->count[vector]);
}

int dojo_emu_irq_init(struct dojo_emu_card *card)
{
	struct dojo_emu_irqs *irqs = &card->irqs;
	unsigned int v;

	init_irq_work(&irqs->work, dojo_emu_irq_deliver);

	irqs->fwnode = irq_domain_alloc_named_id_fwnode(DOJO_EMU_AUX_MODNAME,
							card->id);
	if (!irqs->fwnode)
		return -ENOMEM;

	irqs->domain = irq_domain_create_linear(irqs->fwnode, DOJO_EMU_NR_IRQS,
						&dojo_emu_irq_domain_ops, card);
	if (!irqs->domain) {
		irq_domain_free_fwnode(irqs->fwnode);
		return -ENOMEM;
	}

	for (v = 0; v < DOJO_EMU_NR_IRQS; v++) {
		irqs->virq[v] = irq_create_mapping(irqs->domain, v);
		if (!irqs->virq[v]) {
			dojo_emu_irq_fini(card);
			return -ENOSPC;
		}
	}
	return 0;
}

/* Called once the card can no longer raise interrupts. */
void dojo_emu_irq_fini(struct dojo_emu_card *card)
{
	struct dojo_emu_irqs *irqs = &card->irqs;
	unsigned int v;

	irq_work_sync(&irqs->work);
	for (v = 0; v < DOJO_EMU_NR_IRQS; v++) {
		if (irqs->virq[v])
			irq_dispose_mapping(irqs->virq[v]);
		irqs->virq[v] = 0;
	}
	irq_domain_remove(irqs->domain);
	irq_domain_free_fwnode(irqs->fwnode);
}
