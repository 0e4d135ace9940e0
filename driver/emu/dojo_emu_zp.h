/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The TTPoE port of the emulated DIP (the Z-plane), private to the files
 * that model it: the port and its netdev (dojo_emu_zp_port.c), the TTP
 * transport (dojo_emu_zp_conn.c) and grants and remote DMA
 * (dojo_emu_zp_rdma.c). See docs/hardware.md and docs/ttpoe.md.
 *
 * Locking: rtnl (binding to a netdev), then the port's @lock (connections,
 * transfers, sending), then @grant_lock (the grant table and every access
 * through a grant), then the card's register lock. The register file reads
 * connection rows without the port lock, as a snapshot.
 */
#ifndef __DOJO_EMU_ZP_H__
#define __DOJO_EMU_ZP_H__

#include <linux/netdevice.h>
#include <linux/skbuff.h>

#include "dojo_emu.h"

#define DOJO_EMU_ZP_ETH_P	0x9ac6
#define DOJO_EMU_ZP_CONNS	64
#define DOJO_EMU_ZP_WINDOW	32	/* PAYLOADs in flight per connection */
#define DOJO_EMU_ZP_MAX_DATA	1024	/* data bytes per PAYLOAD */
#define DOJO_EMU_ZP_HDR		60	/* Ethernet, TTH, shim, transport */
#define DOJO_EMU_ZP_MIN_FRAME	64
#define DOJO_EMU_ZP_FCS_EXT	0xf0	/* transport extension: CRC follows */
#define DOJO_EMU_ZP_RDMA_HDR	32
#define DOJO_EMU_ZP_MAX_NOC	(DOJO_EMU_ZP_RDMA_HDR + DOJO_EMU_ZP_MAX_DATA)
#define DOJO_EMU_ZP_RX_QUEUE	512	/* frames waiting for the rx work */
#define DOJO_EMU_ZP_TXQ_MAX	1024	/* PAYLOADs waiting for the window */
#define DOJO_EMU_ZP_RDMA_VC	2

/* Timers of docs/hardware.md, "Timers and how transfers fail". */
#define DOJO_EMU_ZP_OPEN_MS	100
#define DOJO_EMU_ZP_OPEN_TRIES	10
#define DOJO_EMU_ZP_REPLAY_MS	20
#define DOJO_EMU_ZP_REPLAYS	50
#define DOJO_EMU_ZP_CLOSE_MS	100
#define DOJO_EMU_ZP_CLOSE_TRIES	3
#define DOJO_EMU_ZP_LINK_WAIT_MS	500
#define DOJO_EMU_ZP_PROGRESS_MS	2000
#define DOJO_EMU_ZP_TICK_MS	5

/* Transport opcodes (docs/ttpoe.md, section 3). */
enum {
	DOJO_EMU_TTP_OPEN,
	DOJO_EMU_TTP_OPEN_ACK,
	DOJO_EMU_TTP_OPEN_NACK,
	DOJO_EMU_TTP_CLOSE,
	DOJO_EMU_TTP_CLOSE_ACK,
	DOJO_EMU_TTP_CLOSE_NACK,
	DOJO_EMU_TTP_PAYLOAD,
	DOJO_EMU_TTP_ACK,
	DOJO_EMU_TTP_NACK,
	DOJO_EMU_TTP_NACK_FULL,
	DOJO_EMU_TTP_NACK_NOLINK,
};

/* Counters at 0x0c40 + 8 * i. */
enum {
	DOJO_EMU_ZPC_TX_BYTES,
	DOJO_EMU_ZPC_RX_BYTES,
	DOJO_EMU_ZPC_TX_FRAMES,
	DOJO_EMU_ZPC_RX_FRAMES,
	DOJO_EMU_ZPC_REPLAYS,
	DOJO_EMU_ZPC_NACKS,
	DOJO_EMU_ZPC_DROPS,
	DOJO_EMU_ZPC_ERRORS,
};

/* A PAYLOAD's NOC region, waiting for the window or for its ACK. */
struct dojo_emu_zp_tx {
	struct list_head node;
	u32 txid;
	u16 len;
	u8 noc[];
};

/* A READ this card answers, piece by piece as the window allows. */
struct dojo_emu_zp_read {
	struct list_head node;
	u32 grant;
	u64 key;
	u64 addr;
	u32 left;
	u32 tag;
};

/**
 * struct dojo_emu_zp_conn - one row of the connection table
 * @valid: the row is in use (VALID)
 * @peer: peer node id
 * @vc: virtual channel
 * @state: DOJO_ZP_CONN_*
 * @tx_seq: last TxID sent
 * @acked: last TxID the peer acknowledged
 * @rx_seq: last TxID received in order
 * @tries: OPEN or CLOSE sent, or replays of the oldest PAYLOAD
 * @deadline: when the running timer fires, in jiffies
 * @reopen: an OPEN after NACK_NOLINK: failing it loses the peer
 * @replaying: the timer replayed the oldest PAYLOAD; its ACK sends the
 *	       rest of the window again
 * @goback_r: RxID of the last NACK that sent the window again
 * @goback_at: when
 * @inflight: entries of @unacked
 * @queued: entries of @txq
 * @txq: PAYLOADs waiting for the window
 * @unacked: PAYLOADs sent and not acknowledged, oldest first
 * @reads: READs being answered
 */
struct dojo_emu_zp_conn {
	bool valid;
	u32 peer;
	u8 vc;
	u8 state;
	u32 tx_seq;
	u32 acked;
	u32 rx_seq;
	unsigned int tries;
	unsigned long deadline;
	bool reopen;
	bool replaying;
	u32 goback_r;
	unsigned long goback_at;
	unsigned int inflight;
	unsigned int queued;
	struct list_head txq;
	struct list_head unacked;
	struct list_head reads;
};

/**
 * struct dojo_emu_zp - the card's TTPoE port
 * @card: the card
 * @lock: connections, transfers and sending
 * @dev: the netdev the port is cabled to, or NULL; set under rtnl and @lock
 * @tracker: the reference on @dev
 * @pt: receives TTPoE frames on @dev
 * @bound: entry in the list of cabled ports, under rtnl
 * @uc_mac: the address added to @dev's unicast filter
 * @rxq: frames for the rx work
 * @rx_work: runs the transport on received frames
 * @tick: timers of the connections
 * @flap_work: the zp_flap_ms switch
 * @mbox_work: runs a grant mailbox command
 * @reset_work: ZP_CTRL.RESET
 * @addr_work: moves @dev's unicast filter to a new node id
 * @wq: wakes engines waiting for a transfer
 * @events: changes engines wait for (ACKs, answers, link); under @lock
 * @conns: the connection table
 * @xfers: transfers this card initiated, in flight
 * @next_tag: tag of the next transfer
 * @grant_lock: the grant table and every access through a grant
 * @grants: grants by id
 * @nr_grants: entries of @grants
 * @next_grant: id of the next grant; never reused
 * @node_id: ZP_NODE_ID          (the registers below: card's lock)
 * @ctrl: ZP_CTRL.ENABLE
 * @link_up: ZP_STATUS.LINK_UP as last evaluated
 * @cabled: ZP_STATUS.CABLED as last evaluated (its changes raise the event)
 * @carrier: the netdev is running and has carrier
 * @speed: Gb/s of @dev, 0 unknown
 * @link_changes: ZP_LINK_CHANGES
 * @link_down_at: jiffies when the link last went down
 * @conn_sel: ZP_CONN_SEL
 * @arg, @res, @cmd, @mbox_status: the grant mailbox
 * @mbox_stall: fault switch: mailbox commands wait, BUSY, until cleared
 * @counters: the counters
 * @drop_pct, @corrupt_pct, @force_down, @flap_ms, @flap_down: fault switches
 */
struct dojo_emu_zp {
	struct dojo_emu_card *card;
	struct mutex lock;	/* connections, transfers, sending */
	struct net_device *dev;
	netdevice_tracker tracker;
	struct packet_type pt;
	struct list_head bound;
	u8 uc_mac[ETH_ALEN];
	struct sk_buff_head rxq;
	struct work_struct rx_work;
	struct delayed_work tick;
	struct delayed_work flap_work;
	struct work_struct mbox_work;
	struct work_struct reset_work;
	struct work_struct addr_work;
	struct wait_queue_head wq;
	u32 events;
	struct dojo_emu_zp_conn conns[DOJO_EMU_ZP_CONNS];
	struct list_head xfers;
	u32 next_tag;

	struct mutex grant_lock;	/* the grant table and its accesses */
	struct xarray grants;
	unsigned int nr_grants;
	u32 next_grant;

	u32 node_id;
	u32 ctrl;
	bool link_up;
	bool cabled;
	bool carrier;
	u32 speed;
	u32 link_changes;
	unsigned long link_down_at;
	u32 conn_sel;
	u64 arg[3];
	u64 res[2];
	u32 cmd;
	u32 mbox_status;
	bool mbox_stall;
	atomic64_t counters[DOJO_ZP_COUNTERS];

	u32 drop_pct;
	u32 corrupt_pct;
	bool force_down;
	u32 flap_ms;
	bool flap_down;
};

static inline void dojo_emu_zp_count(struct dojo_emu_zp *zp, int i, u64 n)
{
	atomic64_add(n, &zp->counters[i]);
}

/* Something an engine may wait for happened. Context: port lock. */
static inline void dojo_emu_zp_wake(struct dojo_emu_zp *zp)
{
	WRITE_ONCE(zp->events, zp->events + 1);
	wake_up_all(&zp->wq);
}

/* dojo_emu_zp_port.c */
bool dojo_emu_zp_link_usable(struct dojo_emu_zp *zp);
void dojo_emu_zp_xmit(struct dojo_emu_zp *zp, u32 peer, u8 vc, u8 op,
		      u32 txid, u32 rxid, const u8 *noc, u16 len);
void dojo_emu_zp_link_eval(struct dojo_emu_zp *zp);
void dojo_emu_zp_event(struct dojo_emu_zp *zp);

/* dojo_emu_zp_conn.c */
void dojo_emu_zp_conn_init(struct dojo_emu_zp *zp);
void dojo_emu_zp_rx_frame(struct dojo_emu_zp *zp, struct sk_buff *skb);
void dojo_emu_zp_tick_work(struct work_struct *work);
struct dojo_emu_zp_conn *dojo_emu_zp_conn_open(struct dojo_emu_zp *zp,
					       u32 peer, u8 vc);
bool dojo_emu_zp_conn_room(struct dojo_emu_zp_conn *conn);
int dojo_emu_zp_send(struct dojo_emu_zp *zp, struct dojo_emu_zp_conn *conn,
		     const u8 *hdr, const u8 *data, u16 len);
void dojo_emu_zp_pump(struct dojo_emu_zp *zp, struct dojo_emu_zp_conn *conn);
struct dojo_emu_zp_tx *dojo_emu_zp_tx_alloc(u16 len);
void dojo_emu_zp_tx_queue(struct dojo_emu_zp_conn *conn,
			  struct dojo_emu_zp_tx *tx);
void dojo_emu_zp_close_all(struct dojo_emu_zp *zp);
void dojo_emu_zp_conn_fini(struct dojo_emu_zp *zp);
void dojo_emu_zp_arm(struct dojo_emu_zp *zp);
extern atomic_t dojo_emu_zp_live_objs;

/* dojo_emu_zp_rdma.c */
void dojo_emu_zp_rdma_init(struct dojo_emu_zp *zp);
void dojo_emu_zp_rdma_fini(struct dojo_emu_zp *zp);
void dojo_emu_zp_mbox_work(struct work_struct *work);
void dojo_emu_zp_rdma_rx(struct dojo_emu_zp *zp, struct dojo_emu_zp_conn *conn,
			 const u8 *noc, u16 len);
bool dojo_emu_zp_read_piece(struct dojo_emu_zp *zp,
			    struct dojo_emu_zp_conn *conn);
void dojo_emu_zp_rdma_conn_failed(struct dojo_emu_zp *zp,
				  struct dojo_emu_zp_conn *conn, int err);
void dojo_emu_zp_rdma_check_leaks(void);

#endif /* __DOJO_EMU_ZP_H__ */
