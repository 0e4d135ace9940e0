/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Internal interfaces of the emulated DIP (dojo_emu.ko). Nothing here is
 * visible to dojo.ko: the driver sees only dojo_emu_if.h and dojo_regs.h.
 */
#ifndef __DOJO_EMU_H__
#define __DOJO_EMU_H__

#include <linux/atomic.h>
#include <linux/device.h>
#include <linux/hrtimer.h>
#include <linux/irq_work.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>

#include "dojo_emu_if.h"
#include "dojo_regs.h"

struct dojo_emu_dma;
struct dojo_emu_tile;
struct dojo_emu_zp;
struct gen_pool;

#define DOJO_EMU_MAX_CARDS	64
#define DOJO_EMU_MAX_ID		1023
#define DOJO_EMU_MAX_READY_DELAY_MS	10000U

/* What the modelled card reports in its identity block. */
#define DOJO_EMU_PCI_VENDOR	0x1de5
#define DOJO_EMU_PCI_DEVICE	0xd1d0
#define DOJO_EMU_REVISION	1
#define DOJO_EMU_FW_VERSION	((1 << 16) | (0 << 8) | 0)	/* 1.0.0 */
#define DOJO_EMU_DMA_QUEUES	4
#define DOJO_EMU_TTP_PORTS	1
#define DOJO_EMU_TTPOE_PORTS	1
#define DOJO_EMU_NR_IRQS	(1 + DOJO_EMU_DMA_QUEUES)
#define DOJO_EMU_PCIE_GEN	4
#define DOJO_EMU_PCIE_WIDTH	16
#define DOJO_EMU_HBM_SIZE	(32ULL << 30)
#define DOJO_EMU_MAX_TILES	16
#define DOJO_EMU_TILE_SRAM_SIZE	11000000000ULL	/* 11 GB, decimal */
#define DOJO_EMU_TILE_PORTS	(DOJO_TTP_EDGES * DOJO_TTP_SLOTS)

/**
 * struct dojo_emu_hbm - the card's HBM, backed by host pages on demand
 * @pages: backing pages, indexed by HBM page number
 * @size: HBM size in bytes, as the card reports it
 * @max_pages: most host pages this card may use for backing
 * @nr_pages: host pages in use
 */
struct dojo_emu_hbm {
	struct xarray pages;
	u64 size;
	unsigned long max_pages;
	atomic_long_t nr_pages;
};

/**
 * struct dojo_emu_irqs - the card's interrupt vectors
 * @fwnode: names @domain
 * @domain: the card's own irq_domain, one hwirq per vector
 * @virq: Linux IRQ number of each vector
 * @pending: vectors raised and not yet delivered
 * @work: delivers @pending outside the register lock
 * @count: interrupts delivered per vector
 */
struct dojo_emu_irqs {
	struct fwnode_handle *fwnode;
	struct irq_domain *domain;
	int virq[DOJO_EMU_NR_IRQS];
	unsigned long pending;
	struct irq_work work;
	struct hrtimer timer;
	atomic_t timer_armed;
	u32 delay_ms;
	atomic_long_t count[DOJO_EMU_NR_IRQS];
};

#define DOJO_EMU_MAX_POISON	16

struct dojo_emu_card;

/* A force_<sensor> switch in debugfs. */
struct dojo_emu_sensor_sw {
	struct dojo_emu_card *card;
	unsigned int index;
};

/**
 * struct dojo_emu_sensors - the board controller: sensors and HBM ECC
 * @last_ns: when the thermal model was last advanced
 * @active: queues running a job since then
 * @heat_fast: load seen by power and voltages, Q16 (65536 = every queue)
 * @heat_slow: load seen by the temperatures, Q16
 * @alarm: SENSOR_ALARM as last evaluated
 * @forced: fault switch: sensor i reads @force[i]
 * @force: forced values, in the sensor's milli-units
 * @ce_count: ECC_CE_COUNT
 * @ue_count: ECC_UE_COUNT
 * @ue_addr: ECC_UE_ADDR
 * @nr_poison: entries of @poison; read without the lock as a hint
 * @poison: HBM ranges [start, end) holding an uncorrected error
 * @sw: debugfs handles of the force switches
 *
 * Under the card's lock.
 */
struct dojo_emu_sensors {
	u64 last_ns;
	u32 active;
	u32 heat_fast;
	u32 heat_slow;
	u32 alarm;
	bool forced[DOJO_NR_SENSORS];
	s32 force[DOJO_NR_SENSORS];
	u32 ce_count;
	u32 ue_count;
	u64 ue_addr;
	unsigned int nr_poison;
	struct {
		u64 start;
		u64 end;
	} poison[DOJO_EMU_MAX_POISON];
	struct dojo_emu_sensor_sw sw[DOJO_NR_SENSORS];
};

/**
 * struct dojo_emu_ttp - the card's TTP tile port
 * @tile: the tile at the far end of the link, NULL while the link is down;
 *	  holds a reference on it. Under the card's lock.
 * @port: edge * DOJO_TTP_SLOTS + slot of the card on @tile
 * @gen: bumps at every change of the link; an engine that resolved a tile
 *	 buffer under one generation stops when it changes
 * @link_changes: TTP_LINK_CHANGES
 * @tx_bytes: TTP_TX_BYTES, bytes written to tile SRAM
 * @rx_bytes: TTP_RX_BYTES, bytes read from tile SRAM
 * @arg0: MBOX_ARG0
 * @arg1: MBOX_ARG1
 * @res0: MBOX_RES0
 * @res1: MBOX_RES1
 * @cmd: the mailbox command in flight
 * @mbox_status: MBOX_STATUS
 * @mbox_work: carries a mailbox command to the tile controller
 */
struct dojo_emu_ttp {
	struct dojo_emu_tile *tile;
	unsigned int port;
	u32 gen;
	u32 link_changes;
	atomic64_t tx_bytes;
	atomic64_t rx_bytes;
	u64 arg0;
	u64 arg1;
	u64 res0;
	u64 res1;
	u32 cmd;
	u32 mbox_status;
	struct work_struct mbox_work;
};

/**
 * struct dojo_emu_card - one emulated DIP
 * @dev: the card on the dojo_emu bus; its release frees the card
 * @node: entry in the list of cards
 * @id: the number the card was created with
 * @dip: what the driver binds; NULL once the card is deleted
 * @lock: protects the register state below; taken with interrupts off
 * @gone: the card has been deleted or surprise-removed; registers read
 *	  all-ones, the engines stop, no interrupt fires
 * @status: STATUS register
 * @scratch: SCRATCH register
 * @reset_count: RESET_COUNT register
 * @irq_status: IRQ_STATUS register
 * @irq_mask: IRQ_MASK register
 * @win_addr: HBM window address
 * @win_status: first HBM window error since software cleared it
 * @fw_start_ns: when the firmware last came up; HEARTBEAT counts from it
 * @hb_frozen: HEARTBEAT value while @hb_stall is set
 * @hb_stall: fault switch: the firmware tick stops
 * @reset_hang: fault switch: a reset does not complete
 * @ready_delay_ms: time from power-on or reset to STATUS.READY
 * @serial: serial number, 16 ASCII bytes, unused bytes NUL
 * @ready_work: completes power-on and reset
 * @irqs: interrupt vectors
 * @hbm: HBM storage
 * @sensors: telemetry (dojo_emu_sensors.c)
 * @dma: DMA queues (dojo_emu_dma.c)
 * @ttp: the TTP tile port (dojo_emu_tile.c)
 * @zp: the TTPoE port (dojo_emu_zp_port.c)
 * @debugfs: the card's debugfs directory
 */
struct dojo_emu_card {
	struct device dev;
	struct list_head node;
	unsigned int id;
	struct dojo_emu_dip *dip;

	spinlock_t lock;		/* register state below; irqsave */
	bool gone;
	u32 status;
	u32 scratch;
	u32 reset_count;
	u32 irq_status;
	u32 irq_mask;
	u64 win_addr;
	u32 win_status;
	u64 fw_start_ns;
	u32 hb_frozen;
	bool hb_stall;
	bool reset_hang;
	u32 ready_delay_ms;
	char serial[DOJO_SERIAL_LEN];
	struct delayed_work ready_work;

	struct dojo_emu_irqs irqs;
	struct dojo_emu_hbm hbm;
	struct dojo_emu_sensors sensors;
	struct dojo_emu_dma *dma;
	struct dojo_emu_ttp ttp;
	struct dojo_emu_zp *zp;
	struct dentry *debugfs;
};

static inline struct dojo_emu_card *to_dojo_emu_card(struct device *dev)
{
	return container_of(dev, struct dojo_emu_card, dev);
}

/**
 * struct dojo_emu_tile - one emulated training tile
 * @ref: held by the emulator's list, each linked card and each buffer
 * @node: entry in the list of tiles
 * @id: the number the tile was created with
 * @nonce: upper 32 bits of the tile's buffer ids, random per tile
 * @next_buf: lower 32 bits of the next buffer id
 * @lock: the tile controller: @ports, @bufs and the holds
 * @pool: the SRAM allocator, 4 KiB granules
 * @bufs: buffers by the lower 32 bits of their id
 * @ports: the card on each edge slot, or NULL
 * @sram: the tile's SRAM, backed by host pages on demand
 * @used: bytes of SRAM allocated to buffers
 * @debugfs: the tile's debugfs directory
 */
struct dojo_emu_tile {
	struct kref ref;
	struct list_head node;
	unsigned int id;
	u32 nonce;
	u32 next_buf;
	struct mutex lock; /* the controller's state */
	struct gen_pool *pool;
	struct xarray bufs;
	struct dojo_emu_card *ports[DOJO_EMU_TILE_PORTS];
	struct dojo_emu_hbm sram;
	atomic64_t used;
	struct dentry *debugfs;
};

/**
 * struct dojo_emu_tbuf - a buffer of tile SRAM
 * @ref: held by the tile's table while any port holds it, and by each
 *	 engine moving data to or from it; the range is freed with the last
 * @tile: its tile, referenced
 * @id: tile-wide buffer id
 * @key: share key, given by GRANT and checked by ATTACH
 * @off: SRAM offset
 * @size: bytes
 * @holds: holds per port
 * @total: holds of all ports
 */
struct dojo_emu_tbuf {
	struct kref ref;
	struct dojo_emu_tile *tile;
	u64 id;
	u64 key;
	u64 off;
	u64 size;
	u16 holds[DOJO_EMU_TILE_PORTS];
	unsigned int total;
};

/* dojo_emu_main.c */
extern const struct bus_type dojo_emu_bus;
extern unsigned int dojo_emu_hbm_backing_mb;
extern unsigned int dojo_emu_ready_delay_ms;
extern unsigned int dojo_emu_tile_backing_mb;
extern u64 dojo_emu_seqno_base;
extern atomic_t dojo_emu_live_cards;
extern struct wait_queue_head dojo_emu_live_cards_wq;
extern atomic_t dojo_emu_live_models;

/* dojo_emu_card.c */
struct dojo_emu_card *dojo_emu_card_create(unsigned int id, const char *serial);
void dojo_emu_card_delete(struct dojo_emu_card *card);

/* dojo_emu_regs.c */
extern const struct dojo_emu_bar_ops dojo_emu_bar_ops;
void dojo_emu_regs_init(struct dojo_emu_card *card);
void dojo_emu_regs_stop(struct dojo_emu_card *card);
void dojo_emu_event_locked(struct dojo_emu_card *card, u32 bits);
void dojo_emu_raise_event(struct dojo_emu_card *card, u32 bits);
void dojo_emu_inject_fatal(struct dojo_emu_card *card);
void dojo_emu_stall_heartbeat(struct dojo_emu_card *card, bool stall);
void dojo_emu_surprise_remove(struct dojo_emu_card *card);

/* dojo_emu_irq.c */
int dojo_emu_irq_init(struct dojo_emu_card *card);
void dojo_emu_irq_fini(struct dojo_emu_card *card);
void dojo_emu_irq_raise(struct dojo_emu_card *card, unsigned int vector);

/* dojo_emu_hbm.c */
void dojo_emu_hbm_limit_init(void);
void dojo_emu_hbm_init(struct dojo_emu_hbm *hbm, u64 size,
		       unsigned long max_pages);
void dojo_emu_hbm_fini(struct dojo_emu_hbm *hbm);
int dojo_emu_hbm_read(struct dojo_emu_hbm *hbm, u64 addr, void *buf,
		      size_t len);
int dojo_emu_hbm_write(struct dojo_emu_hbm *hbm, u64 addr, const void *buf,
		       size_t len, gfp_t gfp);
int dojo_emu_hbm_zero(struct dojo_emu_hbm *hbm, u64 addr, u64 len);
const u8 *dojo_emu_hbm_map(struct dojo_emu_hbm *hbm, u64 addr);
long dojo_emu_hbm_total_pages(void);
int dojo_emu_hbm_discard(struct dojo_emu_hbm *hbm, u64 addr, u64 len);

/* dojo_emu_sensors.c */
void dojo_emu_sensors_init(struct dojo_emu_card *card);
void dojo_emu_sensors_update_locked(struct dojo_emu_card *card);
bool dojo_emu_sensors_reg(u32 off);
u32 dojo_emu_sensors_read_locked(struct dojo_emu_card *card, u32 off);
int dojo_emu_ecc_read(struct dojo_emu_card *card, u64 addr, u64 len);
void dojo_emu_ecc_write(struct dojo_emu_card *card, u64 addr, u64 len);
void dojo_emu_sensors_debugfs_init(struct dojo_emu_card *card,
				   struct dentry *dir);

/* dojo_emu_tile.c */
struct dojo_emu_tile *dojo_emu_tile_create(unsigned int id);
void dojo_emu_tile_delete(struct dojo_emu_tile *tile);
int dojo_emu_ttp_link(struct dojo_emu_card *card, struct dojo_emu_tile *tile,
		      unsigned int edge, unsigned int slot);
int dojo_emu_ttp_unlink(struct dojo_emu_card *card);
void dojo_emu_ttp_init(struct dojo_emu_card *card);
void dojo_emu_ttp_fini(struct dojo_emu_card *card);
bool dojo_emu_ttp_reg(u32 off);
u32 dojo_emu_ttp_read_locked(struct dojo_emu_card *card, u32 off);
void dojo_emu_ttp_write_locked(struct dojo_emu_card *card, u32 off, u32 val);
int dojo_emu_ttp_resolve(struct dojo_emu_card *card, u64 id, u64 size,
			 struct dojo_emu_tbuf **tbuf, u32 *gen);
void dojo_emu_tbuf_put(struct dojo_emu_tbuf *tbuf);
extern atomic_t dojo_emu_live_tiles;

/* dojo_emu_zp_port.c */
extern unsigned int dojo_emu_node_base;
int dojo_emu_zp_module_init(void);
void dojo_emu_zp_module_exit(void);
int dojo_emu_zp_init(struct dojo_emu_card *card);
void dojo_emu_zp_fini(struct dojo_emu_card *card);
int dojo_emu_zp_link(struct dojo_emu_card *card, const char *ifname);
int dojo_emu_zp_unlink(struct dojo_emu_card *card);
bool dojo_emu_zp_reg(u32 off);
u32 dojo_emu_zp_read_locked(struct dojo_emu_card *card, u32 off);
void dojo_emu_zp_write_locked(struct dojo_emu_card *card, u32 off, u32 val);
void dojo_emu_zp_debugfs_init(struct dojo_emu_card *card, struct dentry *dir);

/* dojo_emu_debugfs.c */
void dojo_emu_debugfs_init(void);
void dojo_emu_debugfs_fini(void);
void dojo_emu_debugfs_card_init(struct dojo_emu_card *card);
void dojo_emu_debugfs_card_fini(struct dojo_emu_card *card);
void dojo_emu_debugfs_tile_init(struct dojo_emu_tile *tile);
void dojo_emu_debugfs_tile_fini(struct dojo_emu_tile *tile);

#endif /* __DOJO_EMU_H__ */
