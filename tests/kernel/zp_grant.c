// SPDX-License-Identifier: GPL-2.0-only
/*
 * Both ends of a remote-DMA check between two DIPs, for the Z-plane
 * tests that run one card per machine (zplane_two_vms.sh).
 *
 *   zp_grant export CARD SIZE SEED
 *	Fill an HBM buffer of card dojo_emu<CARD> with the pattern of SEED
 *	(dt_random), grant it to peers with write permission and print
 *	"grant NODE GRANT KEY SIZE". Then wait: SIGUSR1 checks that the
 *	buffer now holds the pattern of SEED + 1 (what fetch writes) and
 *	exits 0 if so; SIGTERM exits 0 at once; 300 s without a signal
 *	exits 1.
 *
 *   zp_grant fetch CARD NODE GRANT KEY SIZE SEED
 *	Through card dojo_emu<CARD>: read the peer's grant into a host
 *	buffer and check it holds the pattern of SEED; write the pattern of
 *	SEED + 1 over it; and check that a wrong key is refused
 *	(REMOTE_REFUSED). Prints a line per step; exit 0 if all held.
 *
 *   zp_grant pattern SIZE SEED
 *	Write the first SIZE bytes of the pattern of SEED to stdout.
 */
#include <signal.h>

#include "dojo_test.h"

#define JOB_MS		60000

static int die(const char *what, int err)
{
	fprintf(stderr, "zp_grant: %s: %s\n", what, strerror(-err));
	return 1;
}

static unsigned long long num(const char *s)
{
	return strtoull(s, NULL, 0);
}

/* One COPY job; its status (DRM_DOJO_JOB_*) or -errno. */
static int copy_job(int fd, uint32_t src, uint32_t dst, uint64_t len)
{
	struct drm_dojo_cmd cmd = dt_copy(0, 0, 1, 0, len);
	uint32_t bos[2] = { src, dst };
	uint64_t id;
	int ret = dt_submit(fd, 0, &cmd, 1, bos, 2, &id);

	return ret ? ret : dt_status(fd, id, JOB_MS);
}

static int check_pattern(const void *buf, uint64_t size, uint64_t seed,
			 const char *what)
{
	uint8_t *want = malloc(size);
	long at;

	if (!want)
		return die("malloc", -ENOMEM);
	dt_random(want, size, seed);
	at = dt_diff(buf, want, size);
	free(want);
	if (at >= 0) {
		printf("%s: byte %ld differs from the pattern of seed %llu\n",
		       what, at, (unsigned long long)seed);
		return 1;
	}
	printf("%s ok, crc32 0x%08x\n", what, dt_crc32(buf, size));
	return 0;
}

static int do_export(int card, uint64_t size, uint64_t seed)
{
	struct drm_dojo_grant_create g = { .flags = DRM_DOJO_GRANT_WRITE };
	struct timespec wait = { .tv_sec = 300 };
	uint32_t host, hbm;
	sigset_t set;
	void *buf;
	int fd, ret, sig;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGTERM);
	sigprocmask(SIG_BLOCK, &set, NULL);

	fd = dt_open_card(card);
	if (fd < 0)
		return die("open card", fd);
	buf = dt_host_bo(fd, size, &host);
	if (!buf)
		return die("host buffer", -errno);
	ret = dt_bo_create(fd, size, DRM_DOJO_PLACEMENT_HBM, &hbm);
	if (ret)
		return die("HBM buffer", ret);
	dt_random(buf, size, seed);
	ret = copy_job(fd, host, hbm, size);
	if (ret != DRM_DOJO_JOB_DONE)
		return die("fill HBM", ret < 0 ? ret : -EIO);
	g.handle = hbm;
	g.size = size;
	ret = dt_ioctl(fd, DRM_IOCTL_DOJO_GRANT_CREATE, &g);
	if (ret)
		return die("GRANT_CREATE", ret);
	printf("grant %u %u 0x%016llx %llu\n", g.node_id, g.grant_id,
	       (unsigned long long)g.key, (unsigned long long)size);
	fflush(stdout);

	sig = sigtimedwait(&set, NULL, &wait);
	if (sig == SIGTERM)
		return 0;
	if (sig != SIGUSR1) {
		fprintf(stderr, "zp_grant: no signal in %ld s\n", wait.tv_sec);
		return 1;
	}
	ret = copy_job(fd, hbm, host, size);
	if (ret != DRM_DOJO_JOB_DONE)
		return die("read HBM back", ret < 0 ? ret : -EIO);
	return check_pattern(buf, size, seed + 1, "written by the peer");
}

static int remote(int fd, uint32_t node, uint32_t grant, uint64_t key,
		  uint64_t size, uint32_t *handle)
{
	struct drm_dojo_remote_import r = {
		.node_id = node, .grant_id = grant, .key = key, .size = size,
	};
	int ret = dt_ioctl(fd, DRM_IOCTL_DOJO_REMOTE_IMPORT, &r);

	*handle = r.handle;
	return ret;
}

static int expect_status(int got, int want, const char *what)
{
	if (got == want) {
		printf("%s: status %d as expected\n", what, got);
		return 0;
	}
	if (got < 0)
		printf("%s: %s\n", what, strerror(-got));
	else
		printf("%s: status %d, expected %d\n", what, got, want);
	return 1;
}

static int do_fetch(int card, uint32_t node, uint32_t grant, uint64_t key,
		    uint64_t size, uint64_t seed)
{
	uint32_t host, peer, wrong;
	int fd, ret, bad = 0;
	void *buf;

	fd = dt_open_card(card);
	if (fd < 0)
		return die("open card", fd);
	buf = dt_host_bo(fd, size, &host);
	if (!buf)
		return die("host buffer", -errno);
	ret = remote(fd, node, grant, key, size, &peer) ?:
	      remote(fd, node, grant, key ^ 1, size, &wrong);
	if (ret)
		return die("REMOTE_IMPORT", ret);

	ret = copy_job(fd, peer, host, size);
	if (expect_status(ret, DRM_DOJO_JOB_DONE, "read the peer's grant"))
		return 1;
	bad |= check_pattern(buf, size, seed, "read");

	dt_random(buf, size, seed + 1);
	ret = copy_job(fd, host, peer, size);
	bad |= expect_status(ret, DRM_DOJO_JOB_DONE, "write the peer's grant");

	ret = copy_job(fd, wrong, host, size);
	bad |= expect_status(ret, DRM_DOJO_JOB_REMOTE_REFUSED,
			     "read with a wrong key");
	return bad;
}

static int do_pattern(uint64_t size, uint64_t seed)
{
	uint8_t *buf = malloc(size + 1);

	if (!buf)
		return die("malloc", -ENOMEM);
	dt_random(buf, size, seed);
	return fwrite(buf, 1, size, stdout) == size && !fflush(stdout) ? 0 : 1;
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "pattern"))
		return do_pattern(num(argv[2]), num(argv[3]));
	if (argc == 5 && !strcmp(argv[1], "export"))
		return do_export((int)num(argv[2]), num(argv[3]), num(argv[4]));
	if (argc == 8 && !strcmp(argv[1], "fetch"))
		return do_fetch((int)num(argv[2]), (uint32_t)num(argv[3]),
				(uint32_t)num(argv[4]), num(argv[5]),
				num(argv[6]), num(argv[7]));
	fprintf(stderr, "usage: zp_grant export CARD SIZE SEED\n"
			"       zp_grant fetch CARD NODE GRANT KEY SIZE SEED\n"
			"       zp_grant pattern SIZE SEED\n");
	return 2;
}
