// SPDX-License-Identifier: MIT
/*
 * dojo-bench link: what the host's own packet path does on an Ethernet
 * segment, the baseline of the Z-plane figures. Two interfaces of one
 * segment (a veth pair, or two NICs cabled together) are given with
 * --link A,B; nothing of the DIP is used.
 *
 *   af_packet-1116B   raw AF_PACKET frames of TTPoE's largest size (1116
 *                     bytes: headers, the 32-byte remote-DMA header and
 *                     1024 data bytes), one thread sending on A as fast
 *                     as it can, one receiving on B; frames and bytes per
 *                     second received, and how many were sent
 *   af_packet-pingpong-64B
 *                     one 64-byte frame from A to B, echoed back by a
 *                     thread on B; one round trip at a time
 *
 * The frames use the IEEE local experimental EtherTypes, so that a TTPoE
 * endpoint on the same segment ignores them.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <linux/if_packet.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <arpa/inet.h>
#include <unistd.h>

#include "bench.h"

#define ETH_P_STREAM	0x88b5
#define ETH_P_PING	0x88b6
#define STREAM_FRAME	1116	/* TTPoE: 60 header + 32 + 1024 bytes */
#define PING_FRAME	64	/* TTPoE's smallest frame */
#define RECV_TIMEOUT_MS	1000

struct link_end {
	int fd;
	int ifindex;
	unsigned char mac[ETH_ALEN];
};

struct link_sender {
	struct link_end *from;
	const unsigned char *to;
	uint16_t proto;
	atomic_bool stop;
	atomic_ullong sent;
	int err;
};

static void link_close(struct link_end *e)
{
	if (e->fd >= 0)
		close(e->fd);
	e->fd = -1;
}

/* A raw socket on @ifname for @proto, with the interface's MAC. */
static int link_open(const char *ifname, uint16_t proto, struct link_end *e)
{
	struct sockaddr_ll sa = { .sll_family = AF_PACKET };
	struct timeval tv = {
		.tv_sec = RECV_TIMEOUT_MS / 1000,
		.tv_usec = RECV_TIMEOUT_MS % 1000 * 1000,
	};
	struct ifreq ifr = { 0 };
	int buf = 4 << 20;

	e->fd = -1;
	if (strlen(ifname) >= IFNAMSIZ)
		return -EINVAL;
	e->ifindex = (int)if_nametoindex(ifname);
	if (!e->ifindex)
		return -ENODEV;
	e->fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(proto));
	if (e->fd < 0)
		return -errno;
	strcpy(ifr.ifr_name, ifname);
	sa.sll_protocol = htons(proto);
	sa.sll_ifindex = e->ifindex;
	if (ioctl(e->fd, SIOCGIFHWADDR, &ifr) ||
	    bind(e->fd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    setsockopt(e->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) ||
	    setsockopt(e->fd, SOL_SOCKET, SO_RCVBUF, &buf, sizeof(buf))) {
		int err = -errno;

		link_close(e);
		return err;
	}
	memcpy(e->mac, ifr.ifr_hwaddr.sa_data, ETH_ALEN);
	return 0;
}

static void frame_header(unsigned char *f, const unsigned char *dst,
			 const unsigned char *src, uint16_t proto)
{
	memcpy(f, dst, ETH_ALEN);
	memcpy(f + ETH_ALEN, src, ETH_ALEN);
	f[12] = proto >> 8;
	f[13] = proto & 0xff;
}

static int link_send(const struct link_end *e, const void *f, size_t len)
{
	ssize_t n = send(e->fd, f, len, 0);

	if (n == (ssize_t)len)
		return 0;
	return n < 0 ? -errno : -EIO;
}

/* A frame for us on @e, of any length; -EAGAIN after the receive timeout. */
static ssize_t link_recv(const struct link_end *e, void *f, size_t len)
{
	struct sockaddr_ll from;
	socklen_t fl;
	ssize_t n;

	for (;;) {
		fl = sizeof(from);
		n = recvfrom(e->fd, f, len, 0, (struct sockaddr *)&from, &fl);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return errno == EWOULDBLOCK ? -EAGAIN : -errno;
		if (from.sll_pkttype != PACKET_OUTGOING)
			return n;
	}
}

/* The stream's sender: full-size frames until told to stop. */
static void *stream_sender(void *arg)
{
	struct link_sender *s = arg;
	unsigned char f[STREAM_FRAME] = { 0 };
	int err;

	frame_header(f, s->to, s->from->mac, s->proto);
	while (!atomic_load(&s->stop)) {
		err = link_send(s->from, f, sizeof(f));
		if (err == -ENOBUFS || err == -EAGAIN)
			continue;	/* the queue is full: that is the limit */
		if (err) {
			s->err = err;
			break;
		}
		atomic_fetch_add(&s->sent, 1);
	}
	return NULL;
}

/* One pass of receiving the stream. */
static int measure_stream(struct bench *b, struct link_end *rx,
			  struct bench_result *r)
{
	unsigned char f[2048];
	struct bench_clock t0, t1;
	uint64_t n = 0;
	ssize_t len;

	bench_now(&t0);
	do {
		len = link_recv(rx, f, sizeof(f));
		if (len < 0) {
			snprintf(r->note, sizeof(r->note),
				 "no frame on the receiving side for %d ms",
				 RECV_TIMEOUT_MS);
			return (int)len;
		}
		if (len == STREAM_FRAME)
			n++;
	} while (bench_more(b->opts, n, t0.wall));
	bench_now(&t1);
	r->iters += n;
	bench_account(r, &t0, &t1);
	return 0;
}

static int bench_stream(struct bench *b, struct bench_result *r)
{
	struct link_end tx, rx;
	struct link_sender s = { .proto = ETH_P_STREAM };
	unsigned char f[2048];
	unsigned int pass;
	pthread_t thr;
	int err;

	r->size = STREAM_FRAME;
	err = link_open(b->opts->link_a, ETH_P_STREAM, &tx);
	if (err)
		return err;
	err = link_open(b->opts->link_b, ETH_P_STREAM, &rx);
	if (err) {
		link_close(&tx);
		return err;
	}
	s.from = &tx;
	s.to = rx.mac;
	err = -pthread_create(&thr, NULL, stream_sender, &s);
	if (err)
		goto out;
	/* warm-up: the stream flows before the clock starts */
	for (int i = 0; i < 100 && !err; i++)
		err = link_recv(&rx, f, sizeof(f)) < 0 ? -EAGAIN : 0;
	for (pass = 0; pass < b->opts->passes && !err; pass++)
		err = measure_stream(b, &rx, r);
	atomic_store(&s.stop, true);
	pthread_join(thr, NULL);
	r->sent = atomic_load(&s.sent);
	if (!err && s.err) {
		err = s.err;
		snprintf(r->note, sizeof(r->note), "send: %s", strerror(-err));
	}
	bench_finish(r);
out:
	link_close(&tx);
	link_close(&rx);
	return err;
}

struct echo {
	struct link_end *b;
	const unsigned char *to;
	atomic_bool stop;
};

/* B's side of the ping-pong: every ping goes back to A. */
static void *echo_thread(void *arg)
{
	struct echo *e = arg;
	unsigned char f[2048];
	ssize_t n;

	while (!atomic_load(&e->stop)) {
		n = link_recv(e->b, f, sizeof(f));
		if (n < PING_FRAME)
			continue;
		frame_header(f, e->to, e->b->mac, ETH_P_PING);
		link_send(e->b, f, PING_FRAME);
	}
	return NULL;
}

/* One round trip: a ping with sequence number @seq and its echo. */
static int ping(struct link_end *a, const unsigned char *to, uint32_t seq)
{
	unsigned char f[2048] = { 0 };
	uint32_t got;
	ssize_t n;
	int err;

	frame_header(f, to, a->mac, ETH_P_PING);
	memcpy(f + ETH_HLEN, &seq, sizeof(seq));
	err = link_send(a, f, PING_FRAME);
	if (err)
		return err;
	do {
		n = link_recv(a, f, sizeof(f));
		if (n < 0)
			return (int)n;
		memcpy(&got, f + ETH_HLEN, sizeof(got));
	} while (n < PING_FRAME || got != seq);	/* a late echo */
	return 0;
}

static int bench_ping(struct bench *b, struct bench_result *r)
{
	struct link_end a, bb;
	struct echo e = { 0 };
	struct bench_clock t0, t1;
	unsigned int pass;
	uint32_t seq = 0;
	pthread_t thr;
	uint64_t n;
	double s;
	int err;

	err = link_open(b->opts->link_a, ETH_P_PING, &a);
	if (err)
		return err;
	err = link_open(b->opts->link_b, ETH_P_PING, &bb);
	if (err) {
		link_close(&a);
		return err;
	}
	e.b = &bb;
	e.to = a.mac;
	err = -pthread_create(&thr, NULL, echo_thread, &e);
	if (err)
		goto out;
	for (int i = 0; i < 20 && !err; i++)	/* warm-up */
		err = ping(&a, bb.mac, ++seq);
	for (pass = 0; pass < b->opts->passes && !err; pass++) {
		n = 0;
		bench_now(&t0);
		do {
			s = bench_seconds();
			err = ping(&a, bb.mac, ++seq);
			if (err)
				break;
			bench_sample(r, bench_seconds() - s);
			n++;
		} while (bench_more(b->opts, n, t0.wall));
		bench_now(&t1);
		r->iters += n;
		bench_account(r, &t0, &t1);
	}
	if (err == -EAGAIN)
		snprintf(r->note, sizeof(r->note), "no echo within %d ms",
			 RECV_TIMEOUT_MS);
	atomic_store(&e.stop, true);
	pthread_join(thr, NULL);	/* ends within the receive timeout */
	bench_finish(r);
out:
	link_close(&a);
	link_close(&bb);
	return err;
}

int bench_link(struct bench *b)
{
	struct bench_result *stream, *pp;

	stream = bench_add(b, "link", "af_packet-1116B");
	pp = bench_add(b, "link", "af_packet-pingpong-64B");
	if (!stream || !pp)
		return -ENOSPC;
	stream->err = bench_stream(b, stream);
	pp->err = bench_ping(b, pp);
	return 0;
}
