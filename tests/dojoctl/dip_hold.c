// SPDX-License-Identifier: MIT
/*
 * Test tool for the dojoctl tests: hold a DIP the way an application does.
 *
 *   dip_hold DEVICE HBM_MIB
 *	Open DEVICE through libdojo, create an HBM buffer of HBM_MIB MiB and
 *	a 1 MiB host buffer, run one job that copies the host buffer into HBM
 *	(so the card has spent time on this client), print "ready" and wait
 *	until stdin closes or SIGTERM. Exit 0 if all of it worked.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <dojo.h>

int main(int argc, char **argv)
{
	struct dojo_bo *hbm = NULL, *host = NULL;
	struct dojo_job_status st;
	struct dojo_cmdbuf *cb = NULL;
	struct dojo_device *dev;
	uint64_t id;
	char c;
	int err;

	if (argc != 3) {
		fprintf(stderr, "usage: dip_hold DEVICE HBM_MIB\n");
		return 2;
	}
	err = dojo_open(argv[1], &dev);
	if (err) {
		fprintf(stderr, "dip_hold: open %s: %s\n", argv[1],
			dojo_strerror(err));
		return 1;
	}
	err = dojo_bo_create(dev, strtoull(argv[2], NULL, 0) << 20,
			     DRM_DOJO_PLACEMENT_HBM, &hbm);
	if (!err)
		err = dojo_bo_create(dev, 1 << 20, DRM_DOJO_PLACEMENT_HOST, &host);
	if (!err)
		err = dojo_cmdbuf_new(&cb);
	if (!err)
		err = dojo_cmdbuf_copy(cb, hbm, 0, host, 0, 1 << 20);
	if (!err)
		err = dojo_submit(dev, 0, cb, NULL, 0, NULL, &id);
	if (!err)
		err = dojo_job_wait(dev, id, 30000000000LL, &st);
	if (!err && st.status != DRM_DOJO_JOB_DONE)
		err = -1;
	if (err) {
		fprintf(stderr, "dip_hold: %s\n", err < 0 && err != -1 ?
			dojo_strerror(err) : "the job failed");
		return 1;
	}
	printf("ready\n");
	fflush(stdout);
	signal(SIGTERM, SIG_DFL);
	while (read(0, &c, 1) > 0)
		;
	dojo_cmdbuf_free(cb);
	dojo_bo_free(host);
	dojo_bo_free(hbm);
	dojo_close(dev);
	return 0;
}
