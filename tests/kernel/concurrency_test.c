// SPDX-License-Identifier: GPL-2.0-only
/*
 * Many clients at once: 8 processes, released together, each submitting
 * on every DMA queue at the same time (host->HBM->host copies plus a CRC32,
 * with data of their own), several rounds; every job must end DONE with
 * its data intact. Once with a file per process, once with all processes
 * sharing one file (inherited across fork), which shares its job ids and
 * status slots.
 */
#include <signal.h>
#include <sys/wait.h>

#include "dojo_test.h"
#include "kselftest_harness.h"

#define EMU		0
#define NPROC		8
#define ROUNDS		3
#define WAIT_MS		60000

/* One client; returns the number of failed checks (0 = all good). */
static int client(int shared_fd, int idx, int start_fd)
{
	uint32_t s[8], h[8], d[8], r;
	uint8_t *ps[8], *pd[8], *pr;
	uint64_t len[8], id[8];
	int fd, nq, q, round, fails = 0;
	char c;

	fd = shared_fd >= 0 ? shared_fd : dt_open_card(EMU);
	if (fd < 0) {
		fprintf(stderr, "client %d: open: %s\n", idx, strerror(-fd));
		return 1;
	}
	nq = dt_num_queues(fd);
	if (nq <= 0 || nq > 8)
		return 1;
	pr = dt_host_bo(fd, DT_PAGE, &r);
	if (!pr)
		return 1;
	for (q = 0; q < nq; q++) {
		len[q] = 64 * 1024 + idx * 4099 + q * 1001;
		ps[q] = dt_host_bo(fd, len[q], &s[q]);
		pd[q] = dt_host_bo(fd, len[q] + 3, &d[q]);
		if (!ps[q] || !pd[q] ||
		    dt_bo_create(fd, len[q] + 5, DRM_DOJO_PLACEMENT_HBM, &h[q])) {
			fprintf(stderr, "client %d: buffers: %s\n", idx,
				strerror(errno));
			return 1;
		}
	}

	/* Wait for the start signal: the parent closes the pipe. */
	if (read(start_fd, &c, 1) < 0)
		return 1;

	for (round = 0; round < ROUNDS; round++) {
		for (q = 0; q < nq; q++) {
			uint32_t bos[] = { s[q], h[q], d[q], r };
			struct drm_dojo_cmd cmds[] = {
				dt_copy(0, 0, 1, 5, len[q]),
				dt_barrier(),
				dt_copy(1, 5, 2, 3, len[q]),
				dt_barrier(),
				dt_crc(2, 3, len[q], 3, 4 * q),
			};
			int ret;

			dt_random(ps[q], len[q], idx * 1000 + round * 10 + q);
			memset(pd[q], 0, len[q] + 3);
			ret = dt_submit(fd, q, cmds, 5, bos, 4, &id[q]);
			if (ret) {
				fprintf(stderr, "client %d: submit on %d: %s\n",
					idx, q, strerror(-ret));
				return fails + 1;
			}
		}
		for (q = 0; q < nq; q++) {
			int st = dt_status(fd, id[q], WAIT_MS);

			if (st != DRM_DOJO_JOB_DONE) {
				fprintf(stderr, "client %d round %d queue %d: job %llu %s\n",
					idx, round, q, (unsigned long long)id[q],
					dt_status_name(st));
				fails++;
				continue;
			}
			if (dt_diff(pd[q] + 3, ps[q], len[q]) != -1) {
				fprintf(stderr, "client %d round %d queue %d: data differs at %ld\n",
					idx, round, q, dt_diff(pd[q] + 3, ps[q], len[q]));
				fails++;
			}
			if (dt_le32(pr + 4 * q) != dt_crc32(ps[q], len[q])) {
				fprintf(stderr, "client %d round %d queue %d: card CRC wrong\n",
					idx, round, q);
				fails++;
			}
		}
	}
	return fails;
}

static void run_clients(struct __test_metadata *_metadata, bool shared)
{
	pid_t pids[NPROC];
	int pipefd[2], fd = -1, i, failed = 0;
	int64_t t0;

	if (shared) {
		fd = dt_open_card(EMU);
		ASSERT_LE(0, fd);
	}
	ASSERT_EQ(0, pipe(pipefd));
	for (i = 0; i < NPROC; i++) {
		pids[i] = fork();
		ASSERT_LE(0, pids[i]);
		if (!pids[i]) {
			close(pipefd[1]);
			_exit(client(fd, i, pipefd[0]) ? 1 : 0);
		}
	}
	close(pipefd[0]);
	/* Let them all set up, then release them together. */
	dt_sleep_ms(300);
	t0 = dt_now_ns();
	close(pipefd[1]);
	for (i = 0; i < NPROC; i++) {
		int status;

		ASSERT_EQ(pids[i], waitpid(pids[i], &status, 0));
		if (!WIFEXITED(status) || WEXITSTATUS(status)) {
			TH_LOG("client %d failed (status 0x%x)", i, status);
			failed++;
		}
	}
	TH_LOG("%d clients x %d rounds x all queues in %lld ms", NPROC, ROUNDS,
	       (long long)((dt_now_ns() - t0) / 1000000));
	EXPECT_EQ(0, failed);
	if (fd >= 0)
		close(fd);
}

FIXTURE(clients) {
	int unused;
};

FIXTURE_SETUP(clients)
{
	self->unused = 0;
}

FIXTURE_TEARDOWN(clients)
{
}

TEST_F_TIMEOUT(clients, file_per_process, 180)
{
	run_clients(_metadata, false);
}

TEST_F_TIMEOUT(clients, shared_file, 180)
{
	run_clients(_metadata, true);
}

TEST_HARNESS_MAIN
