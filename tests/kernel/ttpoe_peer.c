// SPDX-License-Identifier: GPL-2.0-only
/*
 * ttpoe_peer: a TTPoE endpoint on an AF_PACKET socket, written from
 * docs/ttpoe.md and the remote-DMA header of docs/hardware.md alone. It
 * shares no code with the card model, so that a transfer between the two
 * checks that both read the documents the same way.
 *
 *   ttpoe_peer -i IF -n NODE [OPTIONS] serve --grant ID --key KEY --size N
 *		[--read-only] [--fill SEED] [--dump FILE] [--transfers N]
 *	Answer OPENs (from any node, on any VC), accept remote-DMA WRITEs
 *	into an in-memory grant, answer READs from it. Exits after N
 *	transfers (a WRITE ended by LAST, a READ answered, or a transfer
 *	refused), or, without --transfers, when a peer closes (a card keeps
 *	its connections open: give --transfers when serving one).
 *
 *   ttpoe_peer -i IF -n NODE [OPTIONS] write --peer NODE --grant ID
 *		--key KEY [--offset O] (--file F | --seed S --len L)
 *   ttpoe_peer -i IF -n NODE [OPTIONS] read --peer NODE --grant ID
 *		--key KEY [--offset O] --len L [--seed S] [--out FILE]
 *	Open a connection, move the data in pieces of up to 1024 bytes (one
 *	PAYLOAD outstanding, replayed on timeout), wait for the STATUS or the
 *	last READ_DATA, print it and close.
 *
 * Common options: --vc V (2), --timeout S (20), --replay-ms MS (200),
 * --tag T, --fcs (send the model's CRC trailer), --expect-refused (the
 * transfer must be refused), --drop-pct P (drop P% of the PAYLOAD, ACK
 * and NACK frames received, at random, to drive replays), --allow-bad
 * (malformed frames and bad CRC trailers received are counted, and do not
 * fail the run), -v (log every frame).
 *
 * Data "of seed S" is the pseudo-random pattern of tests/kernel/dojo_test.h
 * (dt_random) laid over the whole grant from its byte 0: serve --fill S
 * holds it, and write/read --seed S at offset O send or expect its bytes
 * [O, O + L). Output: "status OK|REFUSED tag T bytes N crc32 0x..." for a
 * transfer, then "counters ..." on exit. Exit 0 on success, 1 on failure
 * (a message on stderr; a malformed frame received is one, see
 * --allow-bad), 2 on a usage error.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <poll.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

/* ---- the wire (docs/ttpoe.md, section 1) --------------------------------- */

#define ETH_P_TTPOE	0x9ac6
#define FRAME_MIN	64	/* the reference drops anything shorter */
#define HDR_LEN		60	/* Ethernet 14 + TTH 20 + shim 8 + transport 18 */
#define OFF_TTH		14
#define OFF_SHIM	34
#define OFF_OP		42
#define OFF_VC		43
#define OFF_EXT		51
#define OFF_TXID	52
#define OFF_RXID	56
#define EXT_FCS		0xf0	/* the model's CRC trailer after the NOC region */

enum ttp_op {
	OP_OPEN, OP_OPEN_ACK, OP_OPEN_NACK, OP_CLOSE, OP_CLOSE_ACK,
	OP_CLOSE_NACK, OP_PAYLOAD, OP_ACK, OP_NACK, OP_NACK_FULL,
	OP_NACK_NOLINK, OP_MAX = OP_NACK_NOLINK,
};

static const char *const op_names[] = {
	"OPEN", "OPEN_ACK", "OPEN_NACK", "CLOSE", "CLOSE_ACK", "CLOSE_NACK",
	"PAYLOAD", "ACK", "NACK", "NACK_FULL", "NACK_NOLINK",
};

/* ---- the remote-DMA header in the NOC region (docs/hardware.md) ---------- */

#define RD_HDR		32
#define RD_MAX_DATA	1024
#define RD_MAX_READ	(16u << 20)
#define RD_LAST		0x01

enum rd_op { RD_WRITE = 1, RD_READ, RD_READ_DATA, RD_STATUS };
enum rd_status { RD_OK, RD_REFUSED };

struct rd_hdr {
	uint8_t op, flags;
	uint16_t len;
	uint32_t grant;
	uint64_t addr, key;
	uint32_t tag, count;
};

/* ---- one endpoint --------------------------------------------------------- */

#define NODE_MASK	0xffffffu
#define MAX_CONNS	16
#define OPEN_RETRY_MS	250
#define CLOSE_RETRY_MS	500
#define CLOSE_TRIES	6
#define MAX_REPLAYS	50

enum conn_state { CLOSED, OPEN_SENT, OPEN, CLOSE_SENT };

struct piece {
	struct piece *next;
	uint32_t txid;
	uint16_t len;
	uint8_t data[];
};

struct conn {
	bool used;
	uint32_t peer;
	uint8_t vc;
	enum conn_state state;
	uint32_t rx_last;	/* last in-order TxID received */
	uint32_t tx_next;	/* TxID of the next new payload */
	uint32_t retired;	/* last TxID the peer acknowledged */
	struct piece *head, *tail;	/* head is outstanding (window 1) */
	bool head_sent;
	int64_t timer;		/* ns; 0 off */
	unsigned int tries;
};

struct counters {
	uint64_t tx_frames, rx_frames, tx_bytes, rx_bytes;
	uint64_t replays, nacks_rx, nacks_tx, dups, malformed, fcs_bad;
	uint64_t dropped;	/* by --drop-pct */
};

struct opts {
	const char *ifname;
	uint32_t node, peer;
	uint8_t vc;
	int timeout_s;
	int replay_ms;
	int drop_pct;
	bool fcs, verbose, expect_refused, read_only, allow_bad;
	uint32_t grant, tag;
	uint64_t key, size, offset, len, seed;
	bool have_seed, have_len, have_grant, have_key, have_peer;
	const char *file, *dump, *out;
	long transfers;
};

static struct opts o = {
	.vc = 2, .timeout_s = 20, .replay_ms = 200, .transfers = -1,
};
static struct counters cnt;
static struct conn conns[MAX_CONNS];
static int sock = -1, ifindex;
static uint8_t own_mac[6];

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "ttpoe_peer: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static void vlog(const char *fmt, ...)
{
	va_list ap;

	if (!o.verbose)
		return;
	fprintf(stderr, "# ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v;
}

static void put24(uint8_t *p, uint32_t v)
{
	p[0] = v >> 16;
	p[1] = v >> 8;
	p[2] = v;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, v >> 16);
	put16(p + 2, v);
}

static void put64(uint8_t *p, uint64_t v)
{
	put32(p, v >> 32);
	put32(p + 4, v);
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t get24(const uint8_t *p)
{
	return (uint32_t)p[0] << 16 | p[1] << 8 | p[2];
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)get16(p) << 16 | get16(p + 2);
}

static uint64_t get64(const uint8_t *p)
{
	return (uint64_t)get32(p) << 32 | get32(p + 4);
}

static void node_mac(uint8_t *mac, uint32_t node)
{
	mac[0] = 0x98;
	mac[1] = 0xed;
	mac[2] = 0x5c;
	put24(mac + 3, node);
}

/* The pattern of a seed, as dt_random() in dojo_test.h lays it out. */
static void pattern(uint8_t *buf, size_t len, uint64_t seed)
{
	uint64_t x = seed * 0x9e3779b97f4a7c15ULL + 0x2545f4914f6cdd1dULL;
	size_t i;

	for (i = 0; i + 8 <= len; i += 8) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		memcpy(buf + i, &x, 8);
	}
	for (; i < len; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		buf[i] = (uint8_t)x;
	}
}

/* Bytes [off, off + len) of the pattern of @seed. */
static uint8_t *pattern_slice(uint64_t seed, uint64_t off, uint64_t len)
{
	uint8_t *all = malloc(off + len + 1), *part = malloc(len + 1);

	if (!all || !part)
		die("out of memory");
	pattern(all, off + len, seed);
	memcpy(part, all + off, len);
	free(all);
	return part;
}

static uint32_t crc32_of(const void *p, size_t len)
{
	return (uint32_t)crc32(0, p, (uInt)len);
}

/* ---- sending frames -------------------------------------------------------- */

static void send_frame(uint32_t peer, uint8_t vc, enum ttp_op op,
		       uint32_t txid, uint32_t rxid, const void *noc,
		       size_t n)
{
	uint8_t f[HDR_LEN + RD_HDR + RD_MAX_DATA + 4];
	size_t len = HDR_LEN + n;
	struct sockaddr_ll to = {
		.sll_family = AF_PACKET,
		.sll_protocol = htons(ETH_P_TTPOE),
		.sll_ifindex = ifindex,
		.sll_halen = 6,
	};

	memset(f, 0, sizeof(f));
	node_mac(f, peer);
	memcpy(f + 6, own_mac, 6);
	put16(f + 12, ETH_P_TTPOE);
	f[OFF_TTH] = 0x05;		/* subtype 0, version 0, 5 words */
	put16(f + OFF_TTH + 2, 46 + n);
	put24(f + OFF_SHIM, o.node);
	put24(f + OFF_SHIM + 3, peer);
	put16(f + OFF_SHIM + 6, 26 + n);
	f[OFF_OP] = op;
	f[OFF_VC] = vc;
	put32(f + OFF_TXID, txid);
	put32(f + OFF_RXID, rxid);
	if (n)
		memcpy(f + HDR_LEN, noc, n);
	if (o.fcs) {
		uint32_t crc;

		f[OFF_EXT] = EXT_FCS;
		crc = crc32_of(f + OFF_TTH, len - OFF_TTH);
		f[len] = crc;
		f[len + 1] = crc >> 8;
		f[len + 2] = crc >> 16;
		f[len + 3] = crc >> 24;
		len += 4;
	}
	if (len < FRAME_MIN)
		len = FRAME_MIN;
	vlog("tx %s vc %u -> %u tx %u rx %u noc %zu", op_names[op], vc, peer,
	     txid, rxid, n);
	memcpy(to.sll_addr, f, 6);
	if (sendto(sock, f, len, 0, (struct sockaddr *)&to, sizeof(to)) !=
	    (ssize_t)len) {
		/* a full queue loses the frame, as a fabric would: replay */
		if (errno != ENOBUFS && errno != EAGAIN)
			die("send on %s: %s", o.ifname, strerror(errno));
		vlog("tx %s lost: %s", op_names[op], strerror(errno));
	}
	cnt.tx_frames++;
	if (op == OP_PAYLOAD)
		cnt.tx_bytes += n;
	if (op == OP_NACK)
		cnt.nacks_tx++;
}

/* ---- connections ------------------------------------------------------------- */

static struct conn *conn_find(uint32_t peer, uint8_t vc)
{
	int i;

	for (i = 0; i < MAX_CONNS; i++)
		if (conns[i].used && conns[i].peer == peer &&
		    conns[i].vc == vc)
			return &conns[i];
	return NULL;
}

static void conn_drop_queue(struct conn *c)
{
	struct piece *p;

	while ((p = c->head)) {
		c->head = p->next;
		free(p);
	}
	c->tail = NULL;
	c->head_sent = false;
}

static void conn_free(struct conn *c)
{
	conn_drop_queue(c);
	memset(c, 0, sizeof(*c));
}

/* A fresh connection: TxID and RxID start at 1, first payload 2 (section 4). */
static struct conn *conn_new(uint32_t peer, uint8_t vc)
{
	int i;

	for (i = 0; i < MAX_CONNS; i++) {
		struct conn *c = &conns[i];

		if (c->used)
			continue;
		memset(c, 0, sizeof(*c));
		c->used = true;
		c->peer = peer;
		c->vc = vc;
		c->rx_last = 1;
		c->tx_next = 2;
		c->retired = 1;
		return c;
	}
	die("connection table full");
	return NULL;
}

static void arm(struct conn *c, int ms)
{
	c->timer = now_ns() + (int64_t)ms * 1000000;
}

static void send_open(struct conn *c)
{
	send_frame(c->peer, c->vc, OP_OPEN, c->retired, c->rx_last, NULL, 0);
	c->state = OPEN_SENT;
	arm(c, OPEN_RETRY_MS);
}

static void send_head(struct conn *c)
{
	struct piece *p = c->head;

	if (!p || c->state != OPEN)
		return;
	send_frame(c->peer, c->vc, OP_PAYLOAD, p->txid, 0, p->data, p->len);
	c->head_sent = true;
	arm(c, o.replay_ms);
}

static void replay_head(struct conn *c)
{
	if (!c->head || c->state != OPEN)
		return;
	if (++c->tries > MAX_REPLAYS)
		die("peer %u vc %u: no ACK for payload %u after %d replays",
		    c->peer, c->vc, c->head->txid, MAX_REPLAYS);
	cnt.replays++;
	send_head(c);
}

/* Queue one payload; it goes out once those before it were acknowledged. */
static void conn_queue(struct conn *c, const void *noc, size_t n)
{
	struct piece *p = malloc(sizeof(*p) + n);

	if (!p)
		die("out of memory");
	p->next = NULL;
	p->txid = c->tx_next++;
	p->len = (uint16_t)n;
	memcpy(p->data, noc, n);
	if (c->tail)
		c->tail->next = p;
	else
		c->head = p;
	c->tail = p;
	if (c->head == p)
		send_head(c);
}

static void send_close(struct conn *c)
{
	/* spec values: last DATA id sent + 1, last DATA id received */
	send_frame(c->peer, c->vc, OP_CLOSE, c->tx_next, c->rx_last, NULL, 0);
	c->state = CLOSE_SENT;
	arm(c, CLOSE_RETRY_MS);
}

static bool conn_idle(const struct conn *c)
{
	return !c->head;
}

/* ---- the grant and the transfers (the application on the transport) ---------- */

static uint8_t *mem;		/* serve: the grant's memory */
static long transfers_done;
static bool peer_closed;

/* client: the one transfer this run makes */
static struct {
	uint8_t *data;		/* write: what to send; read: what came */
	uint64_t len;
	bool done;
	int status;		/* RD_OK or RD_REFUSED */
	uint64_t got;		/* read: bytes received */
	bool closed;
} xfer;

static void rd_put(uint8_t *b, const struct rd_hdr *h)
{
	b[0] = h->op;
	b[1] = h->flags;
	put16(b + 2, h->len);
	put32(b + 4, h->grant);
	put64(b + 8, h->addr);
	put64(b + 16, h->key);
	put32(b + 24, h->tag);
	put32(b + 28, h->count);
}

static void rd_get(const uint8_t *b, struct rd_hdr *h)
{
	h->op = b[0];
	h->flags = b[1];
	h->len = get16(b + 2);
	h->grant = get32(b + 4);
	h->addr = get64(b + 8);
	h->key = get64(b + 16);
	h->tag = get32(b + 24);
	h->count = get32(b + 28);
}

static void rd_send(struct conn *c, const struct rd_hdr *h, const void *data)
{
	uint8_t b[RD_HDR + RD_MAX_DATA];

	rd_put(b, h);
	if (h->len)
		memcpy(b + RD_HDR, data, h->len);
	conn_queue(c, b, RD_HDR + h->len);
}

static void rd_status(struct conn *c, uint32_t tag, uint32_t status)
{
	struct rd_hdr h = { .op = RD_STATUS, .tag = tag, .count = status };

	vlog("answer tag %u: STATUS %s", tag, status ? "REFUSED" : "OK");
	rd_send(c, &h, NULL);
}

static bool grant_ok(const struct rd_hdr *h, uint64_t bytes)
{
	return h->grant == o.grant && h->key == o.key && bytes <= o.size &&
	       h->addr <= o.size - bytes;
}

static uint32_t refused_tag;
static bool refused_any;

static void transfer_done(void)
{
	transfers_done++;
	vlog("transfer %ld done", transfers_done);
}

static void serve_refuse(struct conn *c, uint32_t tag)
{
	rd_status(c, tag, RD_REFUSED);
	/* a WRITE refused piece by piece still counts once */
	if (!refused_any || refused_tag != tag)
		transfer_done();
	refused_any = true;
	refused_tag = tag;
}

static void serve_noc(struct conn *c, const struct rd_hdr *h,
		      const uint8_t *data)
{
	uint64_t off, n;

	switch (h->op) {
	case RD_WRITE:
		if (o.read_only || !grant_ok(h, h->len)) {
			serve_refuse(c, h->tag);
			return;
		}
		memcpy(mem + h->addr, data, h->len);
		if (h->flags & RD_LAST) {
			rd_status(c, h->tag, RD_OK);
			transfer_done();
		}
		return;
	case RD_READ:
		if (h->count > RD_MAX_READ || !grant_ok(h, h->count)) {
			serve_refuse(c, h->tag);
			return;
		}
		for (off = 0; off < h->count || !h->count; off += n) {
			struct rd_hdr d = {
				.op = RD_READ_DATA, .grant = h->grant,
				.addr = h->addr + off, .tag = h->tag,
			};

			n = h->count - off;
			if (n > RD_MAX_DATA)
				n = RD_MAX_DATA;
			d.len = (uint16_t)n;
			if (off + n >= h->count)
				d.flags = RD_LAST;
			rd_send(c, &d, mem + h->addr + off);
			if (!h->count)
				break;
		}
		transfer_done();
		return;
	default:
		fprintf(stderr, "ttpoe_peer: unexpected remote-DMA op %u from %u\n",
			h->op, c->peer);
		cnt.malformed++;
	}
}

static void client_noc(struct conn *c, const struct rd_hdr *h,
		       const uint8_t *data)
{
	/* a WRITE's pieces sent before the first refusal are refused too */
	if (xfer.done && h->op == RD_STATUS && h->tag == o.tag && h->count)
		return;
	if (c->peer != o.peer || h->tag != o.tag || xfer.done) {
		fprintf(stderr, "ttpoe_peer: stray remote-DMA op %u tag %u from %u\n",
			h->op, h->tag, c->peer);
		cnt.malformed++;
		return;
	}
	if (h->op == RD_STATUS) {
		xfer.status = h->count ? RD_REFUSED : RD_OK;
		xfer.done = true;
		/* a refused WRITE: the rest of it is pointless */
		if (xfer.status == RD_REFUSED && c->head) {
			struct piece *rest = c->head->next;

			c->head->next = NULL;
			c->tail = c->head;
			while (rest) {
				struct piece *p = rest;

				rest = rest->next;
				free(p);
			}
		}
		return;
	}
	if (h->op == RD_READ_DATA) {
		if (h->addr < o.offset || h->addr - o.offset > xfer.len ||
		    h->len > xfer.len - (h->addr - o.offset)) {
			fprintf(stderr, "ttpoe_peer: READ_DATA outside the read: addr %llu len %u\n",
				(unsigned long long)h->addr, h->len);
			cnt.malformed++;
			return;
		}
		memcpy(xfer.data + (h->addr - o.offset), data, h->len);
		xfer.got += h->len;
		if (h->flags & RD_LAST) {
			xfer.status = RD_OK;
			xfer.done = true;
		}
		return;
	}
	fprintf(stderr, "ttpoe_peer: unexpected remote-DMA op %u\n", h->op);
	cnt.malformed++;
}

static bool serving;

/* A payload delivered in order: its NOC region is a remote-DMA message. */
static void deliver(struct conn *c, const uint8_t *noc, size_t n)
{
	struct rd_hdr h;

	cnt.rx_bytes += n;
	if (n < RD_HDR) {
		fprintf(stderr, "ttpoe_peer: payload of %zu bytes: no remote-DMA header\n", n);
		cnt.malformed++;
		return;
	}
	rd_get(noc, &h);
	vlog("rx rdma op %u flags %u len %u grant %u addr %llu tag %u count %u",
	     h.op, h.flags, h.len, h.grant, (unsigned long long)h.addr, h.tag,
	     h.count);
	if (h.len > RD_MAX_DATA || n != RD_HDR + (size_t)h.len ||
	    ((h.op == RD_READ || h.op == RD_STATUS) && h.len)) {
		fprintf(stderr, "ttpoe_peer: remote-DMA op %u: len %u in a NOC region of %zu\n",
			h.op, h.len, n);
		cnt.malformed++;
		return;
	}
	if (serving)
		serve_noc(c, &h, noc + RD_HDR);
	else
		client_noc(c, &h, noc + RD_HDR);
}

/* ---- receiving frames (sections 5.1, 5.2) ------------------------------------ */

static void rx_payload(struct conn *c, uint32_t peer, uint8_t vc, uint32_t txid,
		       uint32_t rxid, const uint8_t *noc, size_t n)
{
	/* payloads still flow while our CLOSE is unanswered (section 5.1) */
	if (!c || (c->state != OPEN && c->state != CLOSE_SENT)) {
		/* RxID: ours, or the frame's own when there is no connection */
		send_frame(peer, vc, OP_NACK_NOLINK, 0, c ? c->rx_last : rxid,
			   NULL, 0);
		return;
	}
	if (!txid || !n) {
		send_frame(peer, vc, OP_NACK, 0, c->rx_last, NULL, 0);
		return;
	}
	if (txid <= c->rx_last) {
		cnt.dups++;
		send_frame(peer, vc, OP_ACK, 0, c->rx_last, NULL, 0);
		return;
	}
	if (txid != c->rx_last + 1) {
		send_frame(peer, vc, OP_NACK, 0, c->rx_last, NULL, 0);
		return;
	}
	c->rx_last = txid;
	send_frame(peer, vc, OP_ACK, 0, txid, NULL, 0);
	deliver(c, noc, n);
}

static void rx_ack(struct conn *c, enum ttp_op op, uint32_t rxid)
{
	if (!c || (c->state != OPEN && c->state != CLOSE_SENT))
		return;
	if (op != OP_ACK)
		cnt.nacks_rx++;
	/* closing with nothing queued: only the CLOSE timer matters */
	if (c->state == CLOSE_SENT)
		return;
	switch (op) {
	case OP_ACK:
		if (c->head && c->head_sent && rxid >= c->head->txid) {
			struct piece *p = c->head;

			c->retired = p->txid;
			c->head = p->next;
			if (!c->head)
				c->tail = NULL;
			free(p);
			c->head_sent = false;
			c->tries = 0;
			c->timer = 0;
			send_head(c);
		}
		return;
	case OP_NACK:
		replay_head(c);
		return;
	case OP_NACK_FULL:
		return;		/* the replay timer tries again */
	default:		/* NACK_NOLINK: the peer lost us; re-open */
		send_open(c);
		return;
	}
}

static void rx_frame(const uint8_t *f, size_t len)
{
	uint32_t peer, txid, rxid, shim_src;
	uint16_t tth_len, shim_len;
	enum ttp_op op;
	struct conn *c;
	uint8_t vc;
	size_t n;

	if (memcmp(f, own_mac, 6))
		return;		/* not ours (or multicast: no gateway here) */
	if (len < FRAME_MIN) {
		fprintf(stderr, "ttpoe_peer: frame of %zu bytes (< 64)\n", len);
		cnt.malformed++;
		return;
	}
	cnt.rx_frames++;
	op = f[OFF_OP] & 0x3f;
	vc = f[OFF_VC];
	peer = get24(f + 9);
	shim_src = get24(f + OFF_SHIM);
	tth_len = get16(f + OFF_TTH + 2);
	shim_len = get16(f + OFF_SHIM + 6);
	txid = get32(f + OFF_TXID);
	rxid = get32(f + OFF_RXID);
	if (op > OP_MAX || vc > 2) {
		cnt.malformed++;
		return;
	}
	/* the test hook spares OPEN and CLOSE: their retries are not the point */
	if (op >= OP_PAYLOAD && o.drop_pct && rand() % 100 < o.drop_pct) {
		cnt.dropped++;
		return;
	}
	/* Lengths must be exact: the reference trusts the shim length. */
	n = shim_len >= 26 ? shim_len - 26u : 0;
	if (shim_len < 26 || tth_len != 46 + n || HDR_LEN + n > len ||
	    (op != OP_PAYLOAD && n) || f[OFF_TTH] != 0x05 ||
	    (f[OFF_TTH + 1] & 0x80) || shim_src != peer ||
	    get24(f + OFF_SHIM + 3) != o.node || memcmp(f + 6, "\x98\xed\x5c", 3)) {
		fprintf(stderr, "ttpoe_peer: malformed %s from %u: tth 0x%02x len %u, shim %u->%u len %u, frame %zu\n",
			op_names[op], peer, f[OFF_TTH], tth_len, shim_src,
			get24(f + OFF_SHIM + 3), shim_len, len);
		cnt.malformed++;
		return;
	}
	if (f[OFF_EXT] == EXT_FCS) {
		const uint8_t *t = f + HDR_LEN + n;

		if (HDR_LEN + n + 4 > len ||
		    crc32_of(f + OFF_TTH, HDR_LEN + n - OFF_TTH) !=
		    ((uint32_t)t[0] | t[1] << 8 | t[2] << 16 | (uint32_t)t[3] << 24)) {
			fprintf(stderr, "ttpoe_peer: %s from %u: bad CRC trailer\n",
				op_names[op], peer);
			cnt.fcs_bad++;
			return;
		}
	}
	vlog("rx %s vc %u <- %u tx %u rx %u noc %zu", op_names[op], vc, peer,
	     txid, rxid, n);

	c = conn_find(peer, vc);
	switch (op) {
	case OP_OPEN:
		/* a new connection, or a resynchronisation of an open one */
		if (!c)
			c = conn_new(peer, vc);
		c->rx_last = txid;
		send_frame(peer, vc, OP_OPEN_ACK, 0, txid, NULL, 0);
		/* (a closing connection stays closing) */
		if (c->state == CLOSED || c->state == OPEN_SENT) {
			c->state = OPEN;
			c->timer = 0;
			send_head(c);
		}
		return;
	case OP_OPEN_ACK:
		/* TxID 0 (reference) or 2 (spec): the peer's first is 2 */
		if (c && c->state == OPEN_SENT) {
			c->state = OPEN;
			c->timer = 0;
			c->tries = 0;
			send_head(c);
		}
		return;
	case OP_OPEN_NACK:
		if (c && c->state == OPEN_SENT)
			die("peer %u refused the connection (OPEN_NACK)", peer);
		return;
	case OP_CLOSE:
		send_frame(peer, vc, OP_CLOSE_ACK, 0, txid, NULL, 0);
		if (c) {
			conn_free(c);
			peer_closed = true;
		}
		return;
	case OP_CLOSE_ACK:
		if (c && c->state == CLOSE_SENT) {
			conn_free(c);
			xfer.closed = true;
		}
		return;
	case OP_CLOSE_NACK:
		return;
	case OP_PAYLOAD:
		rx_payload(c, peer, vc, txid, rxid, f + HDR_LEN, n);
		return;
	default:
		rx_ack(c, op, rxid);
	}
}

static void timers(void)
{
	int64_t t = now_ns();
	int i;

	for (i = 0; i < MAX_CONNS; i++) {
		struct conn *c = &conns[i];

		if (!c->used || !c->timer || t < c->timer)
			continue;
		c->timer = 0;
		switch (c->state) {
		case OPEN_SENT:
			send_open(c);
			break;
		case OPEN:
			replay_head(c);
			break;
		case CLOSE_SENT:
			if (++c->tries >= CLOSE_TRIES)
				die("peer %u vc %u: no CLOSE_ACK", c->peer,
				    c->vc);
			send_close(c);
			break;
		default:
			break;
		}
	}
}

/* Receive and run timers for up to @ms, or until @until() holds. */
static void run(int64_t deadline, bool (*until)(void))
{
	uint8_t f[2048];

	while (!until || !until()) {
		struct sockaddr_ll from;
		socklen_t fl = sizeof(from);
		struct pollfd p = { .fd = sock, .events = POLLIN };
		ssize_t len;

		if (now_ns() >= deadline)
			return;
		timers();
		if (poll(&p, 1, 5) <= 0)
			continue;
		len = recvfrom(sock, f, sizeof(f), MSG_DONTWAIT,
			       (struct sockaddr *)&from, &fl);
		if (len < 0) {
			if (errno == EAGAIN || errno == EINTR)
				continue;
			die("receive on %s: %s", o.ifname, strerror(errno));
		}
		if (from.sll_pkttype == PACKET_OUTGOING)
			continue;
		rx_frame(f, (size_t)len);
	}
}

/* ---- set-up --------------------------------------------------------------- */

static void open_socket(void)
{
	struct sockaddr_ll sa = { .sll_family = AF_PACKET };
	struct packet_mreq mr = { .mr_type = PACKET_MR_PROMISC };

	ifindex = (int)if_nametoindex(o.ifname);
	if (!ifindex)
		die("no interface %s", o.ifname);
	sock = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(ETH_P_TTPOE));
	if (sock < 0)
		die("AF_PACKET socket: %s (root needed)", strerror(errno));
	sa.sll_protocol = htons(ETH_P_TTPOE);
	sa.sll_ifindex = ifindex;
	if (bind(sock, (struct sockaddr *)&sa, sizeof(sa)))
		die("bind to %s: %s", o.ifname, strerror(errno));
	/* frames go to 98:ed:5c:<node>, not the interface's own address */
	mr.mr_ifindex = ifindex;
	if (setsockopt(sock, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mr, sizeof(mr)))
		die("promiscuous mode on %s: %s", o.ifname, strerror(errno));
	node_mac(own_mac, o.node);
}

static void print_counters(void)
{
	printf("counters tx_frames %llu rx_frames %llu tx_bytes %llu rx_bytes %llu replays %llu nacks_rx %llu nacks_tx %llu dups %llu malformed %llu fcs_bad %llu dropped %llu\n",
	       (unsigned long long)cnt.tx_frames,
	       (unsigned long long)cnt.rx_frames,
	       (unsigned long long)cnt.tx_bytes,
	       (unsigned long long)cnt.rx_bytes,
	       (unsigned long long)cnt.replays,
	       (unsigned long long)cnt.nacks_rx,
	       (unsigned long long)cnt.nacks_tx,
	       (unsigned long long)cnt.dups,
	       (unsigned long long)cnt.malformed,
	       (unsigned long long)cnt.fcs_bad,
	       (unsigned long long)cnt.dropped);
	fflush(stdout);
}

static void *read_file(const char *path, uint64_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf;
	long n = -1;

	if (f && !fseek(f, 0, SEEK_END))
		n = ftell(f);
	if (n < 0 || fseek(f, 0, SEEK_SET))
		die("%s: %s", path, strerror(errno));
	buf = malloc((size_t)n + 1);
	if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n)
		die("%s: cannot read", path);
	fclose(f);
	*len = (uint64_t)n;
	return buf;
}

static void write_file(const char *path, const void *buf, uint64_t len)
{
	FILE *f = fopen(path, "wb");

	if (!f || fwrite(buf, 1, len, f) != len || fclose(f))
		die("%s: %s", path, strerror(errno));
}

/* ---- the modes ---------------------------------------------------------------- */

static bool serve_finished(void)
{
	int i;

	if (o.transfers < 0)
		return peer_closed;
	if (transfers_done < o.transfers)
		return false;
	for (i = 0; i < MAX_CONNS; i++)
		if (conns[i].used && !conn_idle(&conns[i]))
			return false;
	return true;
}

static bool all_closed(void)
{
	int i;

	for (i = 0; i < MAX_CONNS; i++)
		if (conns[i].used)
			return false;
	return true;
}

static int do_serve(void)
{
	int64_t deadline = now_ns() + (int64_t)o.timeout_s * 1000000000LL;

	if (!o.have_grant || !o.have_key || !o.size)
		die("serve needs --grant, --key and --size");
	mem = o.have_seed ? pattern_slice(o.seed, 0, o.size) : calloc(1, o.size);
	if (!mem)
		die("out of memory");
	serving = true;
	printf("serving node %u grant %u size %llu on %s\n", o.node, o.grant,
	       (unsigned long long)o.size, o.ifname);
	fflush(stdout);
	run(deadline, serve_finished);
	if (serve_finished()) {
		/*
		 * Answer late duplicates and the peers' CLOSEs: until every
		 * connection closed, for 3 s at most (a card keeps its own).
		 */
		run(now_ns() + 3000000000LL, all_closed);
	}
	if (o.dump)
		write_file(o.dump, mem, o.size);
	printf("served %ld transfers, grant crc32 0x%08x\n", transfers_done,
	       crc32_of(mem, o.size));
	print_counters();
	if (!serve_finished()) {
		fprintf(stderr, "ttpoe_peer: serve: timed out after %d s with %ld transfers\n",
			o.timeout_s, transfers_done);
		return 1;
	}
	return 0;
}

static bool xfer_done(void)
{
	return xfer.done;
}

static struct conn *client_conn;

static bool client_idle(void)
{
	return conn_idle(client_conn);
}

static bool client_closed(void)
{
	return xfer.closed;
}

static int do_client(bool write)
{
	int64_t deadline = now_ns() + (int64_t)o.timeout_s * 1000000000LL;
	struct conn *c;
	uint64_t off;
	int rc = 0;

	if (!o.have_peer || !o.have_grant || !o.have_key)
		die("%s needs --peer, --grant and --key", write ? "write" : "read");
	if (write && o.file) {
		xfer.data = read_file(o.file, &xfer.len);
	} else if (write && o.have_seed && o.have_len) {
		xfer.len = o.len;
		xfer.data = pattern_slice(o.seed, o.offset, o.len);
	} else if (!write && o.have_len) {
		xfer.len = o.len;
		xfer.data = calloc(1, o.len + 1);
	} else {
		die(write ? "write needs --file, or --seed and --len" :
		    "read needs --len");
	}
	if (!xfer.data)
		die("out of memory");
	if (!write && xfer.len > RD_MAX_READ)
		die("read: at most %u bytes", RD_MAX_READ);
	if (!o.tag)
		o.tag = (uint32_t)getpid();

	c = client_conn = conn_new(o.peer, o.vc);
	send_open(c);
	if (write) {
		for (off = 0; off < xfer.len || !xfer.len; off += RD_MAX_DATA) {
			struct rd_hdr h = {
				.op = RD_WRITE, .grant = o.grant,
				.addr = o.offset + off, .key = o.key,
				.tag = o.tag,
			};
			uint64_t n = xfer.len - off;

			if (n > RD_MAX_DATA)
				n = RD_MAX_DATA;
			h.len = (uint16_t)n;
			if (off + n >= xfer.len)
				h.flags = RD_LAST;
			rd_send(c, &h, xfer.data + off);
			if (!xfer.len)
				break;
		}
	} else {
		struct rd_hdr h = {
			.op = RD_READ, .grant = o.grant, .addr = o.offset,
			.key = o.key, .tag = o.tag, .count = (uint32_t)xfer.len,
		};

		rd_send(c, &h, NULL);
	}
	run(deadline, xfer_done);
	if (!xfer.done) {
		print_counters();
		die("%s: no %s after %d s (connection %s)", write ? "write" : "read",
		    write ? "STATUS" : "READ_DATA", o.timeout_s,
		    c->state == OPEN ? "open" : "not open");
	}
	if (!write && xfer.status == RD_OK && xfer.got != xfer.len) {
		fprintf(stderr, "ttpoe_peer: read: LAST after %llu of %llu bytes\n",
			(unsigned long long)xfer.got,
			(unsigned long long)xfer.len);
		rc = 1;
	}
	printf("status %s tag %u bytes %llu crc32 0x%08x\n",
	       xfer.status == RD_OK ? "OK" : "REFUSED", o.tag,
	       (unsigned long long)xfer.len, crc32_of(xfer.data, xfer.len));
	if (!write && xfer.status == RD_OK && o.have_seed) {
		uint8_t *want = pattern_slice(o.seed, o.offset, xfer.len);
		uint64_t i;

		for (i = 0; i < xfer.len && want[i] == xfer.data[i]; i++)
			;
		if (i < xfer.len) {
			fprintf(stderr, "ttpoe_peer: read: byte %llu is 0x%02x, the pattern of seed %llu has 0x%02x\n",
				(unsigned long long)i, xfer.data[i],
				(unsigned long long)o.seed, want[i]);
			rc = 1;
		}
		free(want);
	}
	if (!write && xfer.status == RD_OK && o.out)
		write_file(o.out, xfer.data, xfer.len);

	/* the last ACK may still be owed to us: finish sending, then close */
	run(deadline, client_idle);
	send_close(c);
	run(deadline, client_closed);
	print_counters();
	if (!xfer.closed) {
		fprintf(stderr, "ttpoe_peer: no CLOSE_ACK\n");
		rc = 1;
	}
	if ((xfer.status == RD_REFUSED) != o.expect_refused) {
		fprintf(stderr, "ttpoe_peer: %s: transfer %s, expected %s\n",
			write ? "write" : "read",
			xfer.status == RD_OK ? "accepted" : "refused",
			o.expect_refused ? "refused" : "accepted");
		rc = 1;
	}
	return rc;
}

static void usage(FILE *out)
{
	fprintf(out,
		"usage: ttpoe_peer -i IF -n NODE [common options] MODE [mode options]\n"
		"  serve --grant ID --key KEY --size N [--read-only] [--fill SEED]\n"
		"        [--dump FILE] [--transfers N]\n"
		"  write --peer NODE --grant ID --key KEY [--offset O]\n"
		"        (--file F | --seed S --len L)\n"
		"  read  --peer NODE --grant ID --key KEY [--offset O] --len L\n"
		"        [--seed S] [--out FILE]\n"
		"common: --vc V (2) --timeout S (20) --replay-ms MS (200) --tag T\n"
		"        --fcs --expect-refused --drop-pct P --allow-bad -v\n");
}

static uint64_t num(const char *s, const char *what)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || end == s || *end) {
		fprintf(stderr, "ttpoe_peer: bad %s '%s'\n", what, s);
		usage(stderr);
		exit(2);
	}
	return v;
}

/* long options without a short form */
enum {
	O_GRANT = 256, O_KEY, O_SIZE, O_RO, O_FILL, O_DUMP, O_XFERS, O_PEER,
	O_OFF, O_FILE, O_SEED, O_LEN, O_OUT, O_VC, O_TMO, O_REPLAY, O_TAG,
	O_FCS, O_REFUSED, O_DROP, O_ALLOW_BAD,
};

/* One option into o; -1 for an unknown one. */
static int set_option(int c, const char *arg)
{
	switch (c) {
	case 'i':
		o.ifname = arg;
		break;
	case 'n':
		o.node = (uint32_t)num(arg, "node") & NODE_MASK;
		break;
	case 'v':
		o.verbose = true;
		break;
	case O_GRANT:
		o.grant = (uint32_t)num(arg, "grant");
		o.have_grant = true;
		break;
	case O_KEY:
		o.key = num(arg, "key");
		o.have_key = true;
		break;
	case O_SIZE:
		o.size = num(arg, "size");
		break;
	case O_RO:
		o.read_only = true;
		break;
	case O_FILL:
	case O_SEED:
		o.seed = num(arg, "seed");
		o.have_seed = true;
		break;
	case O_DUMP:
		o.dump = arg;
		break;
	case O_XFERS:
		o.transfers = (long)num(arg, "transfers");
		break;
	case O_PEER:
		o.peer = (uint32_t)num(arg, "peer") & NODE_MASK;
		o.have_peer = true;
		break;
	case O_OFF:
		o.offset = num(arg, "offset");
		break;
	case O_FILE:
		o.file = arg;
		break;
	case O_LEN:
		o.len = num(arg, "len");
		o.have_len = true;
		break;
	case O_OUT:
		o.out = arg;
		break;
	case O_VC:
		o.vc = (uint8_t)num(arg, "vc");
		break;
	case O_TMO:
		o.timeout_s = (int)num(arg, "timeout");
		break;
	case O_REPLAY:
		o.replay_ms = (int)num(arg, "replay-ms");
		break;
	case O_TAG:
		o.tag = (uint32_t)num(arg, "tag");
		break;
	case O_FCS:
		o.fcs = true;
		break;
	case O_REFUSED:
		o.expect_refused = true;
		break;
	case O_DROP:
		o.drop_pct = (int)num(arg, "drop-pct");
		break;
	case O_ALLOW_BAD:
		o.allow_bad = true;
		break;
	default:
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "if", required_argument, NULL, 'i' },
		{ "node", required_argument, NULL, 'n' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "grant", required_argument, NULL, O_GRANT },
		{ "key", required_argument, NULL, O_KEY },
		{ "size", required_argument, NULL, O_SIZE },
		{ "read-only", no_argument, NULL, O_RO },
		{ "fill", required_argument, NULL, O_FILL },
		{ "dump", required_argument, NULL, O_DUMP },
		{ "transfers", required_argument, NULL, O_XFERS },
		{ "peer", required_argument, NULL, O_PEER },
		{ "offset", required_argument, NULL, O_OFF },
		{ "file", required_argument, NULL, O_FILE },
		{ "seed", required_argument, NULL, O_SEED },
		{ "len", required_argument, NULL, O_LEN },
		{ "out", required_argument, NULL, O_OUT },
		{ "vc", required_argument, NULL, O_VC },
		{ "timeout", required_argument, NULL, O_TMO },
		{ "replay-ms", required_argument, NULL, O_REPLAY },
		{ "tag", required_argument, NULL, O_TAG },
		{ "fcs", no_argument, NULL, O_FCS },
		{ "expect-refused", no_argument, NULL, O_REFUSED },
		{ "drop-pct", required_argument, NULL, O_DROP },
		{ "allow-bad", no_argument, NULL, O_ALLOW_BAD },
		{ NULL, 0, NULL, 0 },
	};
	const char *mode;
	int c, rc;

	while ((c = getopt_long(argc, argv, "i:n:vh", lo, NULL)) != -1) {
		if (c == 'h') {
			usage(stdout);
			return 0;
		}
		if (set_option(c, optarg)) {
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc - 1 || !o.ifname || !o.node || o.vc > 2 ||
	    o.replay_ms <= 0 || o.timeout_s <= 0 || o.drop_pct > 100) {
		usage(stderr);
		return 2;
	}
	mode = argv[optind];
	setvbuf(stdout, NULL, _IOLBF, 0);
	srand((unsigned int)(getpid() ^ now_ns()));
	if (strcmp(mode, "serve") && strcmp(mode, "write") &&
	    strcmp(mode, "read")) {
		usage(stderr);
		return 2;
	}
	open_socket();
	if (!strcmp(mode, "serve"))
		rc = do_serve();
	else
		rc = do_client(!strcmp(mode, "write"));
	if (!rc && (cnt.malformed || cnt.fcs_bad) && !o.allow_bad) {
		fprintf(stderr, "ttpoe_peer: %llu malformed frames, %llu with a bad CRC trailer\n",
			(unsigned long long)cnt.malformed,
			(unsigned long long)cnt.fcs_bad);
		rc = 1;
	}
	return rc;
}
