// SPDX-License-Identifier: GPL-2.0-only
/*
 * Interrupt vectors of the emulated DIP. Each card has a small irq_domain of
 * its own, so that the driver gets real Linux IRQ numbers and requests and
 * handles them exactly as it does MSI-X vectors of the PCI card. The model
 * raises a vector by marking it pending and queueing an irq_work, which
 * delivers it in hard interrupt context once the raiser has returned and
 * dropped its locks: asynchronously to the engine, as a message-signalled
 * interrupt reaches a CPU after the card wrote it, so that the driver's
 * handler races the card exactly as it would race silicon (and lockdep
 * sees the handler in the context silicon gives it).
 *
 * The irq_delay_ms switch delays delivery instead, with a hard-interrupt
 * hrtimer: a slow or stuck interrupt path, which a driver must survive
 * (its timeout then finds work the card has already finished).
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

static void dojo_emu_irq_deliver_pending(struct dojo_emu_irqs *irqs)
{
	unsigned long pending = xchg(&irqs->pending, 0);
	unsigned int v;

	for_each_set_bit(v, &pending, DOJO_EMU_NR_IRQS) {
		generic_handle_irq_safe(irqs->virq[v]);
		atomic_long_inc(&irqs->count[v]);
	}
}

static void dojo_emu_irq_deliver(struct irq_work *work)
{
	dojo_emu_irq_deliver_pending(container_of(work, struct dojo_emu_irqs,
						  work));
}

static enum hrtimer_restart dojo_emu_irq_timer(struct hrtimer *timer)
{
	struct dojo_emu_irqs *irqs = container_of(timer, struct dojo_emu_irqs,
						  timer);

	atomic_set(&irqs->timer_armed, 0);
	dojo_emu_irq_deliver_pending(irqs);
	return HRTIMER_NORESTART;
}

/**
 * dojo_emu_irq_raise - send an interrupt on one vector
 * @card: the card
 * @vector: 0 for device events, 1..DOJO_EMU_DMA_QUEUES for queues
 *
 * Any context, also with the register lock held: delivery happens later,
 * in hard interrupt context. Raises that arrive before delivery coalesce,
 * as repeated MSI-X messages of a masked vector do.
 */
void dojo_emu_irq_raise(struct dojo_emu_card *card, unsigned int vector)
{
	struct dojo_emu_irqs *irqs = &card->irqs;
	u32 delay_ms = READ_ONCE(irqs->delay_ms);

	if (WARN_ON_ONCE(vector >= DOJO_EMU_NR_IRQS))
		return;
	set_bit(vector, &irqs->pending);
	if (!delay_ms) {
		irq_work_queue(&irqs->work);
		return;
	}
	if (!atomic_xchg(&irqs->timer_armed, 1))
		hrtimer_start(&irqs->timer, ms_to_ktime(delay_ms),
			      HRTIMER_MODE_REL_HARD);
}

int dojo_emu_irq_init(struct dojo_emu_card *card)
{
	struct dojo_emu_irqs *irqs = &card->irqs;
	unsigned int v;

	init_irq_work(&irqs->work, dojo_emu_irq_deliver);
	hrtimer_init(&irqs->timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL_HARD);
	irqs->timer.function = dojo_emu_irq_timer;
	atomic_set(&irqs->timer_armed, 0);

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

	hrtimer_cancel(&irqs->timer);
	irq_work_sync(&irqs->work);
	for (v = 0; v < DOJO_EMU_NR_IRQS; v++) {
		if (irqs->virq[v])
			irq_dispose_mapping(irqs->virq[v]);
		irqs->virq[v] = 0;
	}
	irq_domain_remove(irqs->domain);
	irq_domain_free_fwnode(irqs->fwnode);
}
