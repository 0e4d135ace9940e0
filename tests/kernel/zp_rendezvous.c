// SPDX-License-Identifier: GPL-2.0-only
/*
 * zp_rendezvous IF PHASE MESSAGE [SECONDS]
 *
 * Two machines on one Ethernet segment that share no files meet here:
 * each broadcasts "PHASE MESSAGE" on IF every 200 ms until it hears the
 * other's message of the same PHASE, prints that message, goes on
 * broadcasting for one more second (so that the other side hears it too)
 * and exits 0; after SECONDS (default 120) without hearing it, exits 1.
 *
 * The frames carry an IEEE local experimental EtherType and are read
 * through a tap of every frame, so whatever else is bound to IF (a DIP's
 * TTPoE port) does not keep them from this program.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define ETH_P_MEET	0x88b7
#define RESEND_MS	200
#define LINGER_MS	1000

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int fail(const char *what)
{
	fprintf(stderr, "zp_rendezvous: %s: %s\n", what, strerror(errno));
	return 1;
}

int main(int argc, char **argv)
{
	struct sockaddr_ll sa = { .sll_family = AF_PACKET };
	unsigned char frame[1514], in[2048];
	struct ifreq ifr = { 0 };
	double deadline, linger_end = 0, next = 0;
	size_t plen, len;
	char *heard = NULL;
	int fd;

	if (argc < 4 || argc > 5 || strlen(argv[1]) >= IFNAMSIZ) {
		fprintf(stderr, "usage: zp_rendezvous IF PHASE MESSAGE [SECONDS]\n");
		return 2;
	}
	deadline = now() + (argc == 5 ? atof(argv[4]) : 120);

	fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(ETH_P_ALL));
	if (fd < 0)
		return fail("AF_PACKET socket");
	strcpy(ifr.ifr_name, argv[1]);
	if (ioctl(fd, SIOCGIFHWADDR, &ifr))
		return fail(argv[1]);
	sa.sll_protocol = htons(ETH_P_ALL);
	sa.sll_ifindex = (int)if_nametoindex(argv[1]);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)))
		return fail("bind");

	memset(frame, 0xff, ETH_ALEN);
	memcpy(frame + ETH_ALEN, ifr.ifr_hwaddr.sa_data, ETH_ALEN);
	frame[12] = ETH_P_MEET >> 8;
	frame[13] = ETH_P_MEET & 0xff;
	plen = strlen(argv[2]) + 1;	/* "PHASE " */
	len = ETH_HLEN + (size_t)snprintf((char *)frame + ETH_HLEN,
					  sizeof(frame) - ETH_HLEN, "%s %s",
					  argv[2], argv[3]);
	if (len < 60)
		len = 60;

	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		double t = now();
		ssize_t n;

		if (heard && t >= linger_end)
			break;
		if (!heard && t >= deadline) {
			fprintf(stderr, "zp_rendezvous: nobody answered phase '%s' on %s\n",
				argv[2], argv[1]);
			return 1;
		}
		if (t >= next) {
			if (send(fd, frame, len, 0) < 0 && errno != ENOBUFS)
				return fail("send");
			next = t + RESEND_MS / 1000.0;
		}
		if (poll(&p, 1, 20) <= 0)
			continue;
		n = recv(fd, in, sizeof(in) - 1, MSG_DONTWAIT);
		if (heard || n <= ETH_HLEN || in[12] != frame[12] || in[13] != frame[13] ||
		    !memcmp(in + ETH_ALEN, frame + ETH_ALEN, ETH_ALEN))
			continue;
		in[n] = '\0';
		if (strncmp((char *)in + ETH_HLEN, (char *)frame + ETH_HLEN, plen))
			continue;
		heard = strdup((char *)in + ETH_HLEN + plen);
		linger_end = t + LINGER_MS / 1000.0;
	}
	printf("%s\n", heard);
	return 0;
}
