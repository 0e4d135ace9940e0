/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * dojo: DRM-accel driver for the Dojo Interface Processor (DIP).
 * The device object every backend (PCI, emulated) fills in.
 */
#ifndef __DOJO_DRV_H__
#define __DOJO_DRV_H__

#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/mutex.h>
#include <linux/workqueue.h>
#include <linux/types.h>
#include <drm/drm_device.h>
#include <drm/drm_print.h>

#include "dojo_emu_if.h"
#include "dojo_regs.h"

#define DRIVER_NAME	"dojo"
#define DRIVER_DESC	"Dojo Interface Processor"
#define DRIVER_MAJOR	1
#define DRIVER_MINOR	0

#define DOJO_MAX_IRQS	DOJO_EMU_MAX_IRQS

/* What the driver may still do with a card; see docs/hardware.md. */
enum dojo_state {
	DOJO_STATE_ONLINE,	/* working */
	DOJO_STATE_WEDGED,	/* a reset failed: no new work until one works */
	DOJO_STATE_LOST,	/* reads all-ones: the card left the bus */
};

/* Why a device reset happened: "admin: <text>", "fatal error interrupt"... */
#define DOJO_REASON_LEN	96

/* How the card fares, as sysfs health and the DOJO_HEALTH uevent say. */
enum dojo_health {
	DOJO_HEALTH_OK,
	DOJO_HEALTH_WARNING,
	DOJO_HEALTH_CRITICAL,
};

/* Register snapshot for a devcoredump, taken where nothing may allocate. */
struct dojo_dump {
	char reason[DOJO_REASON_LEN];
	u32 status;
	u32 irq_status;
	u32 heartbeat;
	u32 reset_count;
	u32 q_ctrl[DOJO_MAX_IRQS];
	u32 q_status[DOJO_MAX_IRQS];
	u32 q_head[DOJO_MAX_IRQS];
	u64 q_done_seqno[DOJO_MAX_IRQS];
};

struct dojo_hbm;
struct dojo_queue;
struct dojo_file_priv;

/* The TTP link as the driver last read it. */
struct dojo_ttp_state {
	bool up;
	u32 tile_id;
	u32 edge;
	u32 slot;
	u64 sram_size;
};

/* What the card says about itself, read once at probe. */
struct dojo_identity {
	u16 vendor_id;
	u16 device_id;
	u32 revision;
	u32 regs_version;
	u32 fw_version;
	u32 platform;		/* DOJO_PLATFORM_* */
	u32 num_dma_queues;
	u32 num_ttp_ports;
	u32 num_ttpoe_ports;
	u32 num_irqs;
	u32 pcie_max_gen;
	u32 pcie_max_width;
	u64 hbm_size;
	char serial[DOJO_SERIAL_LEN + 1];
};

/**
 * struct dojo_device - one DIP
 * @drm: the DRM device; the accel node is its minor
 * @mmio: BAR0 of a PCI card, or NULL for an emulated card
 * @emu_bar: register accessors of an emulated card
 * @emu_card: the emulated card, passed to @emu_bar
 * @bus_type: DRM_DOJO_BUS_*
 * @bus_addr: PCI address or the emulated card's name
 * @irqs: Linux IRQ numbers of the card's vectors
 * @nr_irqs: valid entries in @irqs
 * @id: identity read from the card
 * @irq_test_done: completed by the device-event interrupt on DOJO_IRQ_TEST
 * @hbm_errors: HBM error interrupts seen
 * @hbm_win_lock: serialises users of the HBM debug window
 * @hbm: HBM allocator and accounting (dojo_gem.c)
 * @queues: the card's DMA queues (dojo_queue.c)
 * @nr_queues: valid entries in @queues
 * @submit_wq: runs the queues' schedulers (dojo_queue.c)
 * @reset_wq: ordered queue for queue timeouts and device resets
 * @reset_work: a device reset asked for by an interrupt or debugfs
 * @reset_reason: why @reset_work was queued (under @events_lock)
 * @last_reset_reason: why the last device reset ran, "" before any
 *		       (under @events_lock)
 * @device_resets: device resets since probe
 * @state: DOJO_STATE_*, read locklessly, changed on the reset queue
 * @events_work: tells userspace about resets (uevents, devcoredump), out
 *		 of the fence-signalling path that must not allocate
 * @events_lock: protects @events and @dump
 * @events: DOJO_EVENT_* not yet sent, in order
 * @dump: registers as the last reset found them
 * @kernel_client: the driver's own client, for jobs no file submits
 * @sensors_present: SENSOR_PRESENT: sensors and ECC counters the card has
 * @ecc_lock: protects the ECC counts
 * @ecc_seen: the card's ECC_CE_COUNT and ECC_UE_COUNT when last read
 * @ecc_total: corrected and uncorrected errors since probe
 * @ecc_at_reset: @ecc_total after the last device reset
 * @health_work: re-evaluates health and tells userspace of a change
 * @health: DOJO_HEALTH_* last reported
 * @ttp: the TTP link as last read (dojo_ttp.c)
 * @ttp_lock: protects @ttp
 * @ttp_ready: the link interrupt may queue @ttp_link_work
 * @ttp_link_work: re-reads the link and tells userspace
 * @ttp_mbox_lock: serialises the tile controller's mailbox
 * @ttp_used: bytes of tile buffers made or imported on this device
 * @zp_link: the Z-plane link as last read, DRM_DOJO_ZPLANE_* (dojo_zplane.c)
 * @zp_link_changes: ZP_LINK_CHANGES when @zp_link was read
 * @zp_ready: the Z-plane interrupt may queue @zp_link_work
 * @zp_link_work: re-reads the Z-plane link and tells userspace
 * @zp_lock: serialises the grant mailbox, ZP_CTRL and the connection table
 * @zp_grants: grants exported on this device, all clients together
 * @zp_stuck: grants whose revoke the card never confirmed, under @zp_lock;
 *	      their buffers are kept until the card is removed
 */
struct dojo_device {
	struct drm_device drm;
	void __iomem *mmio;
	const struct dojo_emu_bar_ops *emu_bar;
	void *emu_card;
	u32 bus_type;
	char bus_addr[32];
	int irqs[DOJO_MAX_IRQS];
	unsigned int nr_irqs;
	struct dojo_identity id;
	struct completion irq_test_done;
	atomic_t hbm_errors;
	struct mutex hbm_win_lock; /* serialises the HBM debug window */
	struct dojo_hbm *hbm;
	struct dojo_queue *queues;
	unsigned int nr_queues;
	struct workqueue_struct *submit_wq;
	struct workqueue_struct *reset_wq;
	struct work_struct reset_work;
	char reset_reason[DOJO_REASON_LEN];
	char last_reset_reason[DOJO_REASON_LEN];
	atomic_t device_resets;
	int state;
	struct work_struct events_work;
	spinlock_t events_lock; /* protects events, dump */
	unsigned long events;
	struct dojo_dump dump;
	struct dojo_file_priv *kernel_client;
	u32 sensors_present;
	spinlock_t ecc_lock; /* protects ecc_seen, ecc_total, ecc_at_reset */
	u32 ecc_seen[2];
	u64 ecc_total[2];
	u64 ecc_at_reset[2];
	struct work_struct health_work;
	int health;
	struct dojo_ttp_state ttp;
	spinlock_t ttp_lock; /* protects ttp */
	bool ttp_ready;
	struct work_struct ttp_link_work;
	struct mutex ttp_mbox_lock; /* one mailbox command at a time */
	atomic64_t ttp_used;
	u32 zp_link;
	u32 zp_link_changes;
	bool zp_ready;
	struct work_struct zp_link_work;
	struct mutex zp_lock; /* grant mailbox, ZP_CTRL, ZP_CONN_SEL */
	struct list_head zp_stuck;
	atomic_t zp_grants;
};

static inline struct dojo_device *to_dojo_device(struct drm_device *drm)
{
	return container_of(drm, struct dojo_device, drm);
}

static inline enum dojo_state dojo_state(struct dojo_device *ddev)
{
	return READ_ONCE(ddev->state);
}

/* Runs what must outlive a device's last reference (dojo_drv.c). */
extern struct workqueue_struct *dojo_wq;

struct dojo_device *dojo_device_alloc(struct device *parent);
int dojo_device_probe(struct dojo_device *ddev);
void dojo_device_remove(struct dojo_device *ddev);

int dojo_pci_register(void);
void dojo_pci_unregister(void);
int dojo_aux_register(void);
void dojo_aux_unregister(void);

int dojo_sysfs_init(struct dojo_device *ddev);
int dojo_telemetry_init(struct dojo_device *ddev);
int dojo_hwmon_init(struct dojo_device *ddev);
void dojo_debugfs_init(struct dojo_device *ddev);

#endif /* __DOJO_DRV_H__ */
