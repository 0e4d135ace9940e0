/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * BAR0 register map of the DIP, as this project models the card.
 * docs/hardware.md is the prose form of this file; keep them in step.
 * Both the driver and the emulated card include it, as a driver and an RTL
 * model share one register specification.
 */
#ifndef __DOJO_REGS_H__
#define __DOJO_REGS_H__

#include <linux/bits.h>
#include <linux/types.h>

#define DOJO_BAR0_SIZE			0x10000

/* Identity block: read-only, valid whenever STATUS.READY is set. */
#define DOJO_REG_MAGIC			0x0000	/* reads DOJO_MAGIC */
#define DOJO_MAGIC			0x444f4a4f	/* "DOJO" */
#define DOJO_REG_REGS_VERSION		0x0004	/* major << 16 | minor */
#define DOJO_REGS_VERSION_MAJOR		1
/* 1.1 added the telemetry block, 1.2 the TTP tile port, 1.3 the TTPoE port. */
#define DOJO_REGS_VERSION_MINOR		3
#define DOJO_REG_PCI_ID			0x0008	/* device << 16 | vendor */
#define DOJO_REG_REVISION		0x000c
#define DOJO_REG_FW_VERSION		0x0010	/* major << 16 | minor << 8 | patch */
#define DOJO_REG_PLATFORM		0x0014
#define   DOJO_PLATFORM_SILICON		1
#define   DOJO_PLATFORM_EMULATED	2
#define DOJO_REG_CAPS			0x0018
#define   DOJO_CAPS_DMA_QUEUES		GENMASK(7, 0)
#define   DOJO_CAPS_TTP_PORTS		GENMASK(11, 8)
#define   DOJO_CAPS_TTPOE_PORTS		GENMASK(15, 12)
#define   DOJO_CAPS_IRQ_VECTORS		GENMASK(23, 16)
#define DOJO_REG_PCIE_CAPS		0x001c
#define   DOJO_PCIE_CAPS_GEN		GENMASK(3, 0)
#define   DOJO_PCIE_CAPS_WIDTH		GENMASK(9, 4)
#define DOJO_REG_HBM_SIZE_LO		0x0020	/* bytes */
#define DOJO_REG_HBM_SIZE_HI		0x0024
#define DOJO_REG_SERIAL(i)		(0x0030 + (i) * 4)	/* 16 ASCII bytes */
#define DOJO_SERIAL_LEN			16

/* Control and status. */
#define DOJO_REG_CTRL			0x0100
#define   DOJO_CTRL_RESET		BIT(0)	/* self-clearing */
#define DOJO_REG_STATUS			0x0104
#define   DOJO_STATUS_READY		BIT(0)
#define   DOJO_STATUS_FATAL		BIT(1)
#define DOJO_REG_SCRATCH		0x0108	/* read/write, cleared by reset */
#define DOJO_REG_HEARTBEAT		0x010c	/* firmware tick, free-running */
#define DOJO_REG_RESET_COUNT		0x0110	/* resets since power-on */

/*
 * Interrupts. Vector 0 carries device events (the bits below); vectors
 * 1..N carry DMA queue completions. STATUS bits are write-one-to-clear;
 * a bit raises its vector only while the same bit is set in MASK.
 */
#define DOJO_REG_IRQ_STATUS		0x0200
#define DOJO_REG_IRQ_MASK		0x0204
#define DOJO_REG_IRQ_TEST		0x0208	/* write 1: raise DOJO_IRQ_TEST */
#define   DOJO_IRQ_TEST			BIT(0)
#define   DOJO_IRQ_HBM_ERROR		BIT(1)
#define   DOJO_IRQ_ECC			BIT(2)	/* an ECC counter moved */
#define   DOJO_IRQ_SENSOR		BIT(3)	/* SENSOR_ALARM changed */
#define   DOJO_IRQ_TTP_LINK		BIT(4)	/* TTP_STATUS.LINK_UP changed */
#define   DOJO_IRQ_ZPLANE		BIT(5)	/* TTPoE link or a connection changed */
#define   DOJO_IRQ_FATAL		BIT(31)

/*
 * HBM debug window: indirect access to HBM, one 32-bit word at a time, for
 * bring-up and debugfs. Writing DATA stores the word at ADDR; reading DATA
 * loads it; either advances ADDR by 4. WIN_STATUS keeps the first error
 * since it was last cleared (sticky), so a burst needs one check at its end.
 */
#define DOJO_REG_HBM_WIN_ADDR_LO	0x0300	/* byte address, 4-aligned */
#define DOJO_REG_HBM_WIN_ADDR_HI	0x0304
#define DOJO_REG_HBM_WIN_DATA		0x0308
#define DOJO_REG_HBM_WIN_STATUS		0x030c	/* write 0 to clear */
#define   DOJO_HBM_WIN_OK		0
#define   DOJO_HBM_WIN_ERR_RANGE	1	/* address beyond HBM */
#define   DOJO_HBM_WIN_ERR_ALIGN	2	/* address not 4-aligned */
#define   DOJO_HBM_WIN_ERR_BACKING	3	/* card could not store the word */

/*
 * Telemetry (register interface 1.1): the card's board controller measures
 * temperatures, power and voltages, compares them with its limits and keeps
 * the HBM's ECC counters. Sensors are in milli-units (millidegree Celsius,
 * milliwatt, millivolt); temperatures are signed. SENSOR_PRESENT says which
 * exist: a card of interface 1.0 reads 0 there and has none.
 * SENSOR_ALARM is live: a bit is set while its condition holds, and every
 * change of it raises DOJO_IRQ_SENSOR. The ECC counters count since
 * power-on (a reset keeps them) and wrap at 2^32; every change of one
 * raises DOJO_IRQ_ECC.
 */
#define DOJO_REG_SENSOR_PRESENT		0x0400
#define   DOJO_SENSOR_TEMP_BOARD	0	/* sensor indices */
#define   DOJO_SENSOR_TEMP_HBM		1
#define   DOJO_SENSOR_POWER		2
#define   DOJO_SENSOR_VDD_CORE		3
#define   DOJO_SENSOR_VDD_HBM		4
#define   DOJO_NR_SENSORS		5
#define   DOJO_PRESENT_ECC		BIT(8)	/* the ECC counters exist */
#define DOJO_REG_SENSOR_ALARM		0x0404
#define   DOJO_ALARM_TEMP_BOARD_MAX	BIT(0)
#define   DOJO_ALARM_TEMP_BOARD_CRIT	BIT(1)
#define   DOJO_ALARM_TEMP_HBM_MAX	BIT(2)
#define   DOJO_ALARM_TEMP_HBM_CRIT	BIT(3)
#define   DOJO_ALARM_POWER_MAX		BIT(4)
#define   DOJO_ALARM_POWER_CRIT		BIT(5)
#define   DOJO_ALARM_VDD_CORE		BIT(6)	/* outside [MIN, MAX] */
#define   DOJO_ALARM_VDD_HBM		BIT(7)
#define   DOJO_ALARM_CRIT		(DOJO_ALARM_TEMP_BOARD_CRIT | \
					 DOJO_ALARM_TEMP_HBM_CRIT | \
					 DOJO_ALARM_POWER_CRIT)
#define DOJO_REG_SENSOR(i)		(0x0410 + (i) * 4)	/* value */
/*
 * Limits of sensor i: LIMIT_HI is the upper warning limit (max), LIMIT_CRIT
 * the critical one (temperatures and power), LIMIT_LO the lower limit
 * (voltages). A limit a sensor does not have reads 0.
 */
#define DOJO_REG_SENSOR_LIMIT_LO(i)	(0x0440 + (i) * 16)
#define DOJO_REG_SENSOR_LIMIT_HI(i)	(0x0444 + (i) * 16)
#define DOJO_REG_SENSOR_LIMIT_CRIT(i)	(0x0448 + (i) * 16)
#define DOJO_REG_ECC_CE_COUNT		0x04a0	/* corrected, since power-on */
#define DOJO_REG_ECC_UE_COUNT		0x04a4	/* uncorrected, since power-on */
#define DOJO_REG_ECC_UE_ADDR_LO		0x04a8	/* HBM address of the last UE */
#define DOJO_REG_ECC_UE_ADDR_HI		0x04ac

/*
 * The TTP tile port (register interface 1.2), present when CAPS.TTP_PORTS
 * is non-zero. The port links the card to one edge of a training tile; the
 * tile's controller owns the tile SRAM and its allocator. Software reaches
 * tile SRAM only through tile buffers: the controller hands out a buffer
 * id for a range, remembers which ports hold it, and the card's DMA engine
 * resolves a DOJO_BUF_TILE entry of a job's buffer table by id, never by
 * SRAM address. TTP_STATUS and the identity of the far end are live; every
 * change of LINK_UP raises DOJO_IRQ_TTP_LINK.
 */
#define DOJO_REG_TTP_STATUS		0x0800
#define   DOJO_TTP_LINK_UP		BIT(0)
#define   DOJO_TTP_EDGE			GENMASK(7, 4)	/* 0..3, while up */
#define   DOJO_TTP_SLOT			GENMASK(11, 8)	/* 0..4, while up */
#define DOJO_REG_TTP_TILE_ID		0x0804	/* while up */
#define DOJO_REG_TTP_SRAM_SIZE_LO	0x0808	/* bytes, while up */
#define DOJO_REG_TTP_SRAM_SIZE_HI	0x080c
#define DOJO_REG_TTP_LINK_CHANGES	0x0810	/* LINK_UP changes since power-on */
#define DOJO_REG_TTP_TX_BYTES_LO	0x0818	/* bytes written to tile SRAM */
#define DOJO_REG_TTP_TX_BYTES_HI	0x081c
#define DOJO_REG_TTP_RX_BYTES_LO	0x0820	/* bytes read from tile SRAM */
#define DOJO_REG_TTP_RX_BYTES_HI	0x0824

#define DOJO_TTP_EDGES			4
#define DOJO_TTP_SLOTS			5	/* DIPs per edge */

/*
 * The tile controller's mailbox. Software writes the arguments, then CMD;
 * the port sets MBOX_STATUS.BUSY until the controller answered, then holds
 * the result in MBOX_STATUS.RESULT and RES0/RES1. A CMD written while BUSY
 * is ignored. Commands:
 *
 * ALLOC	ARG0 = bytes. Allocates a zeroed range of tile SRAM, held by
 *		this port: RES0 = buffer id, RES1 = bytes (4 KiB multiple).
 * FREE		ARG0 = buffer id. This port gives up one hold of it; the
 *		controller frees the range once no port holds it.
 * GRANT	ARG0 = buffer id held by this port. RES1 = the buffer's
 *		share key, with which another port of the tile may ATTACH.
 * ATTACH	ARG0 = buffer id, ARG1 = its share key. This port holds the
 *		buffer too: RES1 = bytes.
 * RELEASE_ALL	drops every hold of this port (a driver that starts afresh).
 *
 * Buffer ids are 64-bit and never reused by a tile; holds are counted per
 * port and dropped when the link goes down.
 */
#define DOJO_REG_TTP_MBOX_ARG0_LO	0x0840
#define DOJO_REG_TTP_MBOX_ARG0_HI	0x0844
#define DOJO_REG_TTP_MBOX_ARG1_LO	0x0848
#define DOJO_REG_TTP_MBOX_ARG1_HI	0x084c
#define DOJO_REG_TTP_MBOX_CMD		0x0850
#define   DOJO_TTP_MBOX_ALLOC		1
#define   DOJO_TTP_MBOX_FREE		2
#define   DOJO_TTP_MBOX_GRANT		3
#define   DOJO_TTP_MBOX_ATTACH		4
#define   DOJO_TTP_MBOX_RELEASE_ALL	5
#define DOJO_REG_TTP_MBOX_STATUS	0x0854
#define   DOJO_TTP_MBOX_BUSY		BIT(0)
#define   DOJO_TTP_MBOX_RESULT		GENMASK(15, 8)
#define   DOJO_TTP_MBOX_OK		0
#define   DOJO_TTP_MBOX_LINK_DOWN	1	/* no tile on the port */
#define   DOJO_TTP_MBOX_NO_SPACE	2	/* no free range that large */
#define   DOJO_TTP_MBOX_NO_BUFFER	3	/* unknown id, or not held here */
#define   DOJO_TTP_MBOX_DENIED		4	/* wrong share key */
#define   DOJO_TTP_MBOX_INVALID		5	/* bad command or argument */
#define DOJO_REG_TTP_MBOX_RES0_LO	0x0858
#define DOJO_REG_TTP_MBOX_RES0_HI	0x085c
#define DOJO_REG_TTP_MBOX_RES1_LO	0x0860
#define DOJO_REG_TTP_MBOX_RES1_HI	0x0864

/*
 * The TTPoE port (register interface 1.3), present when CAPS.TTPOE_PORTS is
 * non-zero: the Z-plane, TTP over Ethernet to other DIPs. The protocol
 * (connections, sequence numbers, ACK/NACK, replay) and remote DMA run in
 * the card; software sets the node id, enables the port, reads link and
 * connection state and counters, and exports grants: ranges of its HBM or
 * tile buffers that remote cards may reach. A remote card names a grant by
 * (node id, grant id, key), never by address, and this card checks every
 * access against its grant table. Every change of ZP_STATUS.LINK_UP or
 * CABLED, and every connection that leaves OPEN other than by a close this card asked
 * for, raises DOJO_IRQ_ZPLANE. A card reset (CTRL.RESET) keeps the port,
 * its node id, connections, grants and counters.
 */
#define DOJO_REG_ZP_STATUS		0x0c00
#define   DOJO_ZP_LINK_UP		BIT(0)	/* enabled, cabled, carrier */
#define   DOJO_ZP_CABLED		BIT(1)	/* an Ethernet segment is attached */
#define   DOJO_ZP_SPEED			GENMASK(31, 16)	/* Gb/s, 0 unknown */
#define DOJO_REG_ZP_NODE_ID		0x0c04	/* [23:0]; write while !ENABLE */
#define DOJO_REG_ZP_MAC_LO		0x0c08	/* MAC bytes 0..3, byte 0 low */
#define DOJO_REG_ZP_MAC_HI		0x0c0c	/* MAC bytes 4..5 */
#define DOJO_REG_ZP_CTRL		0x0c10
#define   DOJO_ZP_CTRL_ENABLE		BIT(0)
#define   DOJO_ZP_CTRL_RESET		BIT(1)	/* close every connection */
#define DOJO_REG_ZP_LINK_CHANGES	0x0c14	/* LINK_UP changes since power-on */
#define DOJO_REG_ZP_CONN_ROWS		0x0c18	/* rows of the connection table */
#define DOJO_REG_ZP_CONN_SEL		0x0c20	/* RW: row index */
#define DOJO_REG_ZP_CONN_PEER		0x0c24	/* the selected row: */
#define   DOJO_ZP_CONN_NODE		GENMASK(23, 0)
#define   DOJO_ZP_CONN_VC		GENMASK(25, 24)
#define   DOJO_ZP_CONN_VALID		BIT(31)
#define DOJO_REG_ZP_CONN_STATE		0x0c28	/* DOJO_ZP_CONN_* */
#define   DOJO_ZP_CONN_CLOSED		0
#define   DOJO_ZP_CONN_OPEN_SENT	1
#define   DOJO_ZP_CONN_OPEN_RECD	2
#define   DOJO_ZP_CONN_OPEN		3
#define   DOJO_ZP_CONN_CLOSE_SENT	4
#define   DOJO_ZP_CONN_CLOSE_RECD	5
#define DOJO_REG_ZP_CONN_TX_SEQ		0x0c2c	/* last TxID sent */
#define DOJO_REG_ZP_CONN_RX_SEQ		0x0c30	/* last in-order TxID received */

/* Counters since power-on, 64 bits as LO/HI pairs; they survive resets. */
#define DOJO_REG_ZP_TX_BYTES_LO		0x0c40	/* NOC bytes sent in PAYLOADs */
#define DOJO_REG_ZP_RX_BYTES_LO		0x0c48	/* NOC bytes accepted */
#define DOJO_REG_ZP_TX_FRAMES_LO	0x0c50	/* frames sent, replays included */
#define DOJO_REG_ZP_RX_FRAMES_LO	0x0c58	/* frames received for this card */
#define DOJO_REG_ZP_REPLAYS_LO		0x0c60	/* PAYLOADs sent again */
#define DOJO_REG_ZP_NACKS_LO		0x0c68	/* NACK, NACK_FULL, NACK_NOLINK received */
#define DOJO_REG_ZP_DROPS_LO		0x0c70	/* frames discarded: no connection, out of order */
#define DOJO_REG_ZP_ERRORS_LO		0x0c78	/* malformed frames, refused remote accesses */
#define DOJO_ZP_COUNTERS		8	/* at 0x0c40 + 8 * i */

/*
 * The grant mailbox, used like the tile's: arguments, then CMD, then poll
 * STATUS.BUSY. Commands:
 *
 * GRANT_HBM	ARG0 = HBM offset, ARG1 = bytes, ARG2 = DOJO_ZP_GRANT_WRITE or 0.
 *		RES0 = grant id (never 0, not reused since power-on),
 *		RES1 = key (64 random bits).
 * GRANT_TILE	ARG0 = tile buffer id this port holds, ARG1 = offset in it,
 *		ARG2 = bytes | DOJO_ZP_GRANT_WRITE << 63. RES0, RES1 as above.
 * REVOKE	ARG0 = grant id. On OK no engine touches the grant's memory
 *		any more; accesses through it are refused from then on.
 * REVOKE_ALL	revokes every grant (a driver starting afresh).
 */
#define DOJO_REG_ZP_MBOX_ARG0_LO	0x0c80
#define DOJO_REG_ZP_MBOX_ARG1_LO	0x0c88
#define DOJO_REG_ZP_MBOX_ARG2_LO	0x0c90
#define DOJO_REG_ZP_MBOX_CMD		0x0c98
#define   DOJO_ZP_MBOX_GRANT_HBM	1
#define   DOJO_ZP_MBOX_GRANT_TILE	2
#define   DOJO_ZP_MBOX_REVOKE		3
#define   DOJO_ZP_MBOX_REVOKE_ALL	4
#define DOJO_REG_ZP_MBOX_STATUS		0x0c9c
#define   DOJO_ZP_MBOX_BUSY		BIT(0)
#define   DOJO_ZP_MBOX_RESULT		GENMASK(15, 8)
#define   DOJO_ZP_MBOX_OK		0
#define   DOJO_ZP_MBOX_NO_SPACE		1	/* grant table full */
#define   DOJO_ZP_MBOX_NO_GRANT		2	/* no such grant */
#define   DOJO_ZP_MBOX_NO_BUFFER	3	/* tile buffer not held here */
#define   DOJO_ZP_MBOX_INVALID		4	/* bad command, range or size 0 */
#define DOJO_REG_ZP_MBOX_RES0_LO	0x0ca0
#define DOJO_REG_ZP_MBOX_RES1_LO	0x0ca8
#define DOJO_ZP_GRANT_WRITE		BIT_ULL(0)
#define DOJO_ZP_MAX_GRANTS		1024

/*
 * DMA queues. Queue q (below CAPS.DMA_QUEUES) has a register block at
 * DOJO_REG_Q(q) and interrupt vector 1 + q. The driver owns a ring of
 * descriptors in host memory; writing TAIL is the doorbell. The card
 * fetches descriptors from HEAD up to TAIL, runs each job's commands in
 * order, writes the job's completion record, advances DONE_SEQNO and, when
 * the descriptor asks for it, raises the queue's vector. A job that fails
 * gets an error in its completion record and the queue goes on with the
 * next one; a queue stops (STATUS.HALTED) only on a descriptor it cannot
 * parse or fetch, until Q_CTRL.RESET.
 */
#define DOJO_REG_Q(q)			(0x1000 + (q) * 0x100)
#define DOJO_Q_RING_LO			0x00	/* ring DMA address, 4 KiB aligned */
#define DOJO_Q_RING_HI			0x04
#define DOJO_Q_RING_SIZE		0x08	/* entries, power of 2, 16..4096 */
#define DOJO_Q_HEAD			0x0c	/* R: next entry the card fetches */
#define DOJO_Q_TAIL			0x10	/* W: doorbell, one past the last */
#define DOJO_Q_CTRL			0x14
#define   DOJO_Q_CTRL_ENABLE		BIT(0)
#define   DOJO_Q_CTRL_RESET		BIT(1)	/* self-clearing, see below */
#define DOJO_Q_STATUS			0x18
#define   DOJO_Q_STATUS_BUSY		BIT(0)	/* a job is running */
#define   DOJO_Q_STATUS_HALTED		BIT(1)	/* stopped on a bad descriptor */
#define   DOJO_Q_STATUS_ERROR		GENMASK(15, 8)	/* DOJO_ERR_* of the halt */
#define DOJO_Q_DONE_SEQNO_LO		0x1c	/* seqno of the last ended job */
#define DOJO_Q_DONE_SEQNO_HI		0x20

/*
 * Q_CTRL.RESET stops the queue: the running job ends with DOJO_ERR_ABORTED
 * in its completion record (DONE_SEQNO does not advance for it), HEAD =
 * TAIL = 0, HALTED and ENABLE clear. Ring address and size are kept, and
 * so is DONE_SEQNO, so the driver can tell which jobs ended before the
 * reset. The bit reads 1 until the engine has stopped; once it reads 0 the
 * queue touches no memory until it is enabled again.
 */

#define DOJO_DESC_SIZE			64
#define DOJO_DESC_OP_JOB		1
#define DOJO_DESC_FLAG_IRQ		BIT(0)	/* raise the vector on completion */

/* A ring entry: one job. Little-endian, 64 bytes. */
struct dojo_hw_desc {
	__le16 op;		/* DOJO_DESC_OP_JOB */
	__le16 flags;		/* DOJO_DESC_FLAG_* */
	__le32 num_cmds;	/* 1..DOJO_MAX_CMDS */
	__le64 seqno;		/* written to DONE_SEQNO when the job ends */
	__le64 cmds;		/* DMA address of num_cmds struct dojo_hw_cmd */
	__le64 btab;		/* DMA address of num_bufs struct dojo_hw_buf */
	__le32 num_bufs;	/* 0..DOJO_MAX_BUFS */
	__le32 rsvd0;
	__le64 compl;		/* DMA address of its struct dojo_hw_compl */
	__le64 rsvd1[2];
};

#define DOJO_MAX_CMDS			4096
#define DOJO_MAX_BUFS			64

/*
 * A job's buffer table is the card's address translation: a command can
 * name only the buffers in its job's table, and only bytes inside them.
 * Host buffers are lists of 4 KiB pages (a page list holds the DMA address
 * of each page); HBM buffers are a base and a size. The card checks every
 * range before it moves a byte, and fails the job with DOJO_ERR_FAULT
 * otherwise.
 */
#define DOJO_BUF_HOST			1
#define DOJO_BUF_HBM			2
#define DOJO_BUF_TILE			3	/* addr: tile buffer id */
#define DOJO_BUF_REMOTE			4	/* a grant of a card on the Z-plane */
#define DOJO_BUF_FLAG_WRITE		BIT(0)	/* the job may write it */
#define DOJO_PAGE_SIZE			4096

struct dojo_hw_buf {
	__le32 type;		/* DOJO_BUF_* */
	__le32 flags;		/* DOJO_BUF_FLAG_* */
	__le64 size;		/* bytes */
	/*
	 * HOST: page list DMA address; HBM: offset; TILE: tile buffer id;
	 * REMOTE: the grant's key
	 */
	__le64 addr;
	/* REMOTE: peer node id << 32 | grant id; otherwise 0 */
	__le64 ext;
};

/* A command: the uAPI's struct drm_dojo_cmd, buffer indices into btab. */
#define DOJO_CMD_NOP			0
#define DOJO_CMD_COPY			1
#define DOJO_CMD_FILL			2
#define DOJO_CMD_CRC32			3
#define DOJO_CMD_BARRIER		4

struct dojo_hw_cmd {
	__le16 op;
	u8 src_buf;
	u8 dst_buf;
	__le32 pattern;
	__le64 src_off;
	__le64 dst_off;
	__le64 len;
};

/* Written by the card when a job ends. */
#define DOJO_ERR_NONE			0
#define DOJO_ERR_FAULT			1	/* range outside a buffer */
#define DOJO_ERR_INVALID		2	/* bad opcode, index or descriptor */
#define DOJO_ERR_DMA			3	/* a host memory transfer failed */
#define DOJO_ERR_HBM			4	/* HBM could not store the data */
#define DOJO_ERR_ABORTED		5	/* ended by Q_CTRL.RESET */
#define DOJO_ERR_ECC			6	/* read HBM with an uncorrected error */
#define DOJO_ERR_LINK_DOWN		7	/* TTP link down, or tile buffer not held */
#define DOJO_ERR_ZP_LINK_DOWN		8	/* Z-plane down, or no connection */
#define DOJO_ERR_REMOTE_REFUSED		9	/* the peer refused the access */
#define DOJO_ERR_REMOTE_GONE		10	/* the peer closed mid-transfer */
#define DOJO_ERR_REMOTE_TIMEOUT		11	/* no answer after the replay budget */

#define DOJO_COMPL_DONE			BIT(0)

struct dojo_hw_compl {
	__le32 flags;		/* DOJO_COMPL_DONE once written */
	__le32 error;		/* DOJO_ERR_* */
	__le32 error_cmd;	/* index of the failing command */
	__le32 rsvd;
	__le64 seqno;
};

#endif /* __DOJO_REGS_H__ */
