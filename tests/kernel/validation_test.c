// SPDX-License-Identifier: GPL-2.0-only
/*
 * Argument checking of SUBMIT, BO_CREATE, BO_INFO, JOB_WAIT, GRANT_CREATE,
 * GRANT_REVOKE and REMOTE_IMPORT: one row
 * per rejection, each with the exact errno uapi.md documents. Every row
 * starts from a valid call (a row with no change proves it is valid),
 * changes one thing, and afterwards checks that the rejection left nothing
 * behind: the next valid submit gets the next job id, no memory was
 * accounted, and the file still works. Then the limits themselves are
 * accepted (4096 commands, 64 buffers, 32 in-fences), a full HBM gives
 * ENOMEM, and job statuses older than the last 1024 are dropped. The DRM
 * core's ioctls for a primary node's master are refused on the accel node
 * (6.12's core would dereference the master an accel file never has).
 * A remote buffer is neither CPU-mappable nor exportable, and only COPY
 * may name it, on one side.
 *
 * The runner fails the test if any of this logs a warning.
 */
#include "dojo_test.h"
#include "kselftest_harness.h"

#define EMU		0
#define BO_SIZE		8192
#define WAIT_MS		30000

enum target {
	T_SUBMIT,
	T_BO_CREATE,
	T_BO_INFO,
	T_JOB_WAIT,
	T_JOB_WAIT_FD2,		/* JOB_WAIT on the other file */
	T_GRANT_CREATE,
	T_GRANT_REVOKE,
	T_REMOTE_IMPORT,
};

/* What the rows' remote buffer names: a grant of node 2, of this size. */
#define REMOTE_NODE	2
#define REMOTE_GRANT	7
#define REMOTE_KEY	0x0123456789abcdefULL
#define REMOTE_SIZE	100

/* Everything a row may change, reset to a valid call before each row. */
struct vctx {
	int fd, fd2;
	unsigned int nq;
	uint32_t src, dst, hbm;		/* fd's buffers, BO_SIZE each */
	uint32_t foreign;		/* a buffer handle only fd2 holds */
	uint32_t foreign_sync;		/* a syncobj handle only fd2 holds */
	uint32_t remote;		/* fd's remote buffer, REMOTE_SIZE */
	bool zp;			/* the card models its Z-plane port */
	uint32_t in_sync, out_sync;	/* fd's syncobjs, in_sync signalled */
	uint64_t last_id;		/* the job fd ran in setup */
	void *page2;			/* two pages, the second unmapped */
	struct drm_dojo_cmd cmds[2];
	uint32_t bos[4];
	struct drm_dojo_sync in[2];
	struct drm_dojo_submit submit;
	struct drm_dojo_bo_create create;
	struct drm_dojo_bo_info info;
	struct drm_dojo_job_wait wait;
	struct drm_dojo_grant_create grant;
	struct drm_dojo_grant_revoke revoke;
	struct drm_dojo_remote_import import;
};

static void vctx_reset(struct vctx *c)
{
	memset(c->cmds, 0, sizeof(c->cmds));
	c->cmds[0] = dt_copy(0, 0, 1, 0, 100);
	c->bos[0] = c->src;
	c->bos[1] = c->dst;
	c->bos[2] = c->hbm;
	c->bos[3] = c->remote;
	memset(c->in, 0, sizeof(c->in));
	c->in[0].handle = c->in_sync;
	memset(&c->submit, 0, sizeof(c->submit));
	c->submit.queue = 0;
	c->submit.cmds = (uintptr_t)c->cmds;
	c->submit.num_cmds = 1;
	c->submit.bo_handles = (uintptr_t)c->bos;
	c->submit.num_bos = 3;
	c->submit.in_syncs = (uintptr_t)c->in;
	c->submit.num_in_syncs = 1;
	c->submit.out_sync.handle = c->out_sync;
	memset(&c->create, 0, sizeof(c->create));
	c->create.size = 4096;
	c->create.placement = DRM_DOJO_PLACEMENT_HOST;
	memset(&c->info, 0, sizeof(c->info));
	c->info.handle = c->src;
	memset(&c->wait, 0, sizeof(c->wait));
	c->wait.job_id = c->last_id;
	c->wait.timeout_ns = dt_deadline_ms(WAIT_MS);
	memset(&c->grant, 0, sizeof(c->grant));
	c->grant.handle = c->hbm;
	c->grant.flags = DRM_DOJO_GRANT_WRITE;
	c->grant.size = BO_SIZE;
	memset(&c->revoke, 0, sizeof(c->revoke));
	c->revoke.grant_id = 12345;
	memset(&c->import, 0, sizeof(c->import));
	c->import.node_id = REMOTE_NODE;
	c->import.grant_id = REMOTE_GRANT;
	c->import.key = REMOTE_KEY;
	c->import.size = REMOTE_SIZE;
}

static int vctx_call(struct vctx *c, enum target t)
{
	switch (t) {
	case T_SUBMIT:
		return dt_ioctl(c->fd, DRM_IOCTL_DOJO_SUBMIT, &c->submit);
	case T_BO_CREATE:
		return dt_ioctl(c->fd, DRM_IOCTL_DOJO_BO_CREATE, &c->create);
	case T_BO_INFO:
		return dt_ioctl(c->fd, DRM_IOCTL_DOJO_BO_INFO, &c->info);
	case T_JOB_WAIT:
		return dt_ioctl(c->fd, DRM_IOCTL_DOJO_JOB_WAIT, &c->wait);
	case T_JOB_WAIT_FD2:
		return dt_ioctl(c->fd2, DRM_IOCTL_DOJO_JOB_WAIT, &c->wait);
	case T_GRANT_CREATE:
		return dt_ioctl(c->fd, DRM_IOCTL_DOJO_GRANT_CREATE, &c->grant);
	case T_GRANT_REVOKE:
		return dt_ioctl(c->fd, DRM_IOCTL_DOJO_GRANT_REVOKE, &c->revoke);
	case T_REMOTE_IMPORT:
		return dt_ioctl(c->fd, DRM_IOCTL_DOJO_REMOTE_IMPORT, &c->import);
	}
	return -ENOSYS;
}

FIXTURE(reject) {
	struct vctx c;
	struct drm_dojo_memory_info mem;
};

FIXTURE_VARIANT(reject) {
	enum target target;
	void (*mutate)(struct vctx *c);
	int err;		/* expected errno, 0 for a valid call */
};

FIXTURE_SETUP(reject)
{
	struct vctx *c = &self->c;
	uint32_t bos[2];
	struct drm_dojo_cmd cmd = dt_copy(0, 0, 1, 0, 1);
	int i, nq;

	memset(c, 0, sizeof(*c));
	c->fd = dt_open_card(EMU);
	ASSERT_LE(0, c->fd);
	c->fd2 = dt_open_card(EMU);
	ASSERT_LE(0, c->fd2);
	nq = dt_num_queues(c->fd);
	ASSERT_LT(0, nq);
	c->nq = nq;

	ASSERT_EQ(0, dt_bo_create(c->fd, BO_SIZE, DRM_DOJO_PLACEMENT_HOST, &c->src));
	ASSERT_EQ(0, dt_bo_create(c->fd, BO_SIZE, DRM_DOJO_PLACEMENT_HOST, &c->dst));
	ASSERT_EQ(0, dt_bo_create(c->fd, BO_SIZE, DRM_DOJO_PLACEMENT_HBM, &c->hbm));
	/* fd2 holds more handles than fd, so its last one is unknown to fd. */
	for (i = 0; i < 8; i++)
		ASSERT_EQ(0, dt_bo_create(c->fd2, 4096, DRM_DOJO_PLACEMENT_HOST,
					  &c->foreign));
	for (i = 0; i < 8; i++)
		ASSERT_EQ(0, drmSyncobjCreate(c->fd2, 0, &c->foreign_sync));

	ASSERT_EQ(0, drmSyncobjCreate(c->fd, DRM_SYNCOBJ_CREATE_SIGNALED,
				      &c->in_sync));
	ASSERT_EQ(0, drmSyncobjCreate(c->fd, 0, &c->out_sync));
	ASSERT_GT(c->foreign_sync, c->out_sync);

	/* One job, so that JOB_WAIT rows have an id to start from. */
	bos[0] = c->src;
	bos[1] = c->dst;
	ASSERT_EQ(0, dt_submit(c->fd, 0, &cmd, 1, bos, 2, &c->last_id));
	ASSERT_EQ(DRM_DOJO_JOB_DONE, dt_status(c->fd, c->last_id, WAIT_MS));

	c->page2 = mmap(NULL, 2 * DT_PAGE, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, c->page2);
	ASSERT_EQ(0, munmap((char *)c->page2 + DT_PAGE, DT_PAGE));

	ASSERT_EQ(0, dt_remote_import(c->fd, REMOTE_NODE, REMOTE_GRANT,
				      REMOTE_KEY, REMOTE_SIZE, &c->remote));
	c->zp = dt_zplane_modelled(c->fd);

	ASSERT_EQ(0, dt_memory(c->fd, &self->mem));
	vctx_reset(c);
}

FIXTURE_TEARDOWN(reject)
{
	munmap(self->c.page2, DT_PAGE);
	close(self->c.fd2);
	EXPECT_EQ(0, close(self->c.fd));
}

TEST_F(reject, call)
{
	struct vctx *c = &self->c;
	struct drm_dojo_memory_info mem;
	uint64_t want_id = c->last_id + 1;
	int ret;

	/* A grant needs the card's mailbox, which a bare model lacks. */
	if (variant->target == T_GRANT_CREATE && !variant->err && !c->zp)
		SKIP(return, "the emulated card does not model its Z-plane port");
	if (variant->mutate)
		variant->mutate(c);
	ret = vctx_call(c, variant->target);
	if (variant->err) {
		ASSERT_EQ(-variant->err, ret)
			TH_LOG("expected %s, got %s", strerror(variant->err),
			       ret ? strerror(-ret) : "success");
	} else {
		ASSERT_EQ(0, ret) TH_LOG("the valid call failed: %s",
					 strerror(-ret));
		if (variant->target == T_SUBMIT) {
			EXPECT_EQ(want_id, c->submit.job_id);
			EXPECT_EQ(DRM_DOJO_JOB_DONE,
				  dt_status(c->fd, c->submit.job_id, WAIT_MS));
			want_id++;
		}
		if (variant->target == T_JOB_WAIT)
			EXPECT_EQ(DRM_DOJO_JOB_DONE, c->wait.status);
		if (variant->target == T_BO_INFO) {
			EXPECT_EQ(BO_SIZE, c->info.size);
			EXPECT_EQ(DRM_DOJO_PLACEMENT_HOST, c->info.placement);
			EXPECT_NE(0, c->info.mmap_offset);
		}
		if (variant->target == T_GRANT_CREATE) {
			struct drm_dojo_grant_revoke r = {
				.grant_id = c->grant.grant_id,
			};

			EXPECT_NE(0, c->grant.grant_id);
			EXPECT_EQ(0, dt_ioctl(c->fd, DRM_IOCTL_DOJO_GRANT_REVOKE, &r));
			EXPECT_EQ(-ENOENT,
				  dt_ioctl(c->fd, DRM_IOCTL_DOJO_GRANT_REVOKE, &r));
		}
		if (variant->target == T_REMOTE_IMPORT) {
			struct drm_dojo_bo_info info = {
				.handle = c->import.handle,
			};

			EXPECT_NE(0, c->import.handle);
			EXPECT_EQ(0, dt_ioctl(c->fd, DRM_IOCTL_DOJO_BO_INFO, &info));
			EXPECT_EQ(DRM_DOJO_PLACEMENT_REMOTE, info.placement);
			EXPECT_EQ(c->import.size, info.size);
			EXPECT_EQ(0, info.mmap_offset);
			EXPECT_EQ(0, dt_gem_close(c->fd, c->import.handle));
		}
	}

	/* Nothing was accounted for a rejected buffer. */
	ASSERT_EQ(0, dt_memory(c->fd, &mem));
	if (variant->err || variant->target != T_BO_CREATE) {
		EXPECT_EQ(self->mem.hbm_used, mem.hbm_used);
		EXPECT_EQ(self->mem.host_used, mem.host_used);
	}

	/* The file still works, and a rejected submit used up no job id. */
	vctx_reset(c);
	ASSERT_EQ(0, vctx_call(c, T_SUBMIT));
	EXPECT_EQ(want_id, c->submit.job_id);
	EXPECT_EQ(DRM_DOJO_JOB_DONE, dt_status(c->fd, c->submit.job_id, WAIT_MS));
}

/* One row: a mutation of the valid call, and the errno it must give. */
#define ROW(name, tgt, errno_, ...)					\
static void mut_##name(struct vctx *c)					\
{									\
	(void)c;							\
	__VA_ARGS__;							\
}									\
FIXTURE_VARIANT_ADD(reject, name) {					\
	.target = tgt, .mutate = mut_##name, .err = errno_,		\
}

#define CMD	(c->cmds[0])
#define SUB	(c->submit)
#define U64MAX	UINT64_MAX

/* SUBMIT */
ROW(submit_valid, T_SUBMIT, 0, );
ROW(submit_valid_no_syncs, T_SUBMIT, 0,
    SUB.num_in_syncs = 0; SUB.in_syncs = 0; SUB.out_sync.handle = 0);
ROW(submit_valid_nop_only, T_SUBMIT, 0,
    CMD = dt_barrier(); CMD.op = DRM_DOJO_CMD_NOP; SUB.num_bos = 0;
    SUB.bo_handles = 0);
ROW(submit_flags, T_SUBMIT, EINVAL, SUB.flags = 1);
ROW(submit_flags_high, T_SUBMIT, EINVAL, SUB.flags = 0x80000000u);
ROW(submit_pad, T_SUBMIT, EINVAL, SUB.pad = 1);
ROW(submit_job_id_set, T_SUBMIT, EINVAL, SUB.job_id = 7);
ROW(queue_past_end, T_SUBMIT, EINVAL, SUB.queue = c->nq);
ROW(queue_huge, T_SUBMIT, EINVAL, SUB.queue = 0xffffffffu);
ROW(num_cmds_0, T_SUBMIT, EINVAL, SUB.num_cmds = 0);
ROW(num_cmds_over_max, T_SUBMIT, EINVAL, SUB.num_cmds = DRM_DOJO_MAX_CMDS + 1);
ROW(num_cmds_huge, T_SUBMIT, EINVAL, SUB.num_cmds = 0xffffffffu);
ROW(num_bos_over_max, T_SUBMIT, EINVAL, SUB.num_bos = DRM_DOJO_MAX_BOS + 1);
ROW(num_in_syncs_over_max, T_SUBMIT, EINVAL,
    SUB.num_in_syncs = DRM_DOJO_MAX_SYNCS + 1);
ROW(op_unknown, T_SUBMIT, EINVAL, CMD.op = DRM_DOJO_CMD_BARRIER + 1);
ROW(op_ffff, T_SUBMIT, EINVAL, CMD.op = 0xffff);
ROW(unknown_op_second_cmd, T_SUBMIT, EINVAL,
    c->cmds[1] = dt_copy(0, 0, 1, 0, 1); c->cmds[1].op = 77;
    SUB.num_cmds = 2);
ROW(copy_src_bo_oob, T_SUBMIT, EINVAL, CMD.src_bo = 3);
ROW(copy_dst_bo_oob, T_SUBMIT, EINVAL, CMD.dst_bo = 3);
ROW(copy_dst_bo_255, T_SUBMIT, EINVAL, CMD.dst_bo = 255);
ROW(copy_no_bos, T_SUBMIT, EINVAL, SUB.num_bos = 0);
ROW(fill_dst_bo_oob, T_SUBMIT, EINVAL, CMD = dt_fill(3, 0, 4, 1));
ROW(crc_src_bo_oob, T_SUBMIT, EINVAL, CMD = dt_crc(3, 0, 4, 1, 0));
ROW(crc_dst_bo_oob, T_SUBMIT, EINVAL, CMD = dt_crc(0, 0, 4, 3, 0));
ROW(copy_src_past_end, T_SUBMIT, EINVAL, CMD.src_offset = BO_SIZE - 99);
ROW(copy_dst_past_end, T_SUBMIT, EINVAL, CMD.dst_offset = BO_SIZE - 99);
ROW(copy_len_past_end, T_SUBMIT, EINVAL, CMD.len = BO_SIZE + 1);
ROW(copy_src_at_end, T_SUBMIT, EINVAL, CMD.src_offset = BO_SIZE; CMD.len = 1);
ROW(copy_hbm_past_end, T_SUBMIT, EINVAL,
    CMD = dt_copy(0, 0, 2, BO_SIZE - 50, 100));
ROW(fill_past_end, T_SUBMIT, EINVAL, CMD = dt_fill(2, 1, BO_SIZE, 1));
ROW(crc_src_past_end, T_SUBMIT, EINVAL, CMD = dt_crc(2, 8, BO_SIZE, 1, 0));
ROW(copy_src_wrap, T_SUBMIT, EINVAL, CMD.src_offset = U64MAX - 49);
ROW(copy_dst_wrap, T_SUBMIT, EINVAL, CMD.dst_offset = U64MAX - 49);
ROW(copy_len_wrap, T_SUBMIT, EINVAL, CMD.src_offset = 1; CMD.len = U64MAX);
ROW(copy_len_max, T_SUBMIT, EINVAL, CMD.len = U64MAX);
ROW(fill_wrap, T_SUBMIT, EINVAL, CMD = dt_fill(1, U64MAX - 3, 8, 1));
ROW(crc_src_wrap, T_SUBMIT, EINVAL, CMD = dt_crc(0, U64MAX - 3, 8, 1, 0));
ROW(crc_dst_wrap, T_SUBMIT, EINVAL, CMD = dt_crc(0, 0, 8, 1, U64MAX - 1));
ROW(copy_len_0, T_SUBMIT, EINVAL, CMD.len = 0);
ROW(fill_len_0, T_SUBMIT, EINVAL, CMD = dt_fill(1, 0, 0, 1));
ROW(crc_len_0, T_SUBMIT, EINVAL, CMD = dt_crc(0, 0, 0, 1, 0));
ROW(nop_len, T_SUBMIT, EINVAL, CMD = dt_barrier(); CMD.op = 0; CMD.len = 1);
ROW(nop_src_bo, T_SUBMIT, EINVAL, CMD = dt_barrier(); CMD.op = 0; CMD.src_bo = 1);
ROW(nop_dst_bo, T_SUBMIT, EINVAL, CMD = dt_barrier(); CMD.op = 0; CMD.dst_bo = 1);
ROW(nop_pattern, T_SUBMIT, EINVAL, CMD = dt_barrier(); CMD.op = 0; CMD.pattern = 1);
ROW(nop_src_offset, T_SUBMIT, EINVAL,
    CMD = dt_barrier(); CMD.op = 0; CMD.src_offset = 1);
ROW(nop_dst_offset, T_SUBMIT, EINVAL,
    CMD = dt_barrier(); CMD.op = 0; CMD.dst_offset = 1);
ROW(barrier_len, T_SUBMIT, EINVAL, CMD = dt_barrier(); CMD.len = 4);
ROW(barrier_pattern, T_SUBMIT, EINVAL, CMD = dt_barrier(); CMD.pattern = 4);
ROW(copy_pattern, T_SUBMIT, EINVAL, CMD.pattern = 1);
ROW(fill_src_bo, T_SUBMIT, EINVAL, CMD = dt_fill(1, 0, 4, 1); CMD.src_bo = 2);
ROW(fill_src_offset, T_SUBMIT, EINVAL,
    CMD = dt_fill(1, 0, 4, 1); CMD.src_offset = 4);
ROW(crc_pattern, T_SUBMIT, EINVAL, CMD = dt_crc(0, 0, 8, 1, 0); CMD.pattern = 1);
ROW(crc_dst_3_bytes, T_SUBMIT, EINVAL, CMD = dt_crc(0, 0, 8, 1, BO_SIZE - 3));
ROW(crc_dst_at_end, T_SUBMIT, EINVAL, CMD = dt_crc(0, 0, 8, 1, BO_SIZE));
ROW(bad_handle, T_SUBMIT, ENOENT, c->bos[1] = 0xdead);
ROW(handle_0, T_SUBMIT, ENOENT, c->bos[0] = 0);
ROW(unused_bad_handle, T_SUBMIT, ENOENT, c->bos[2] = 0xdead);
ROW(other_files_handle, T_SUBMIT, ENOENT, c->bos[1] = c->foreign);
ROW(bad_in_sync, T_SUBMIT, ENOENT, c->in[0].handle = 0xbeef);
ROW(other_files_in_sync, T_SUBMIT, ENOENT, c->in[0].handle = c->foreign_sync);
ROW(in_sync_handle_0, T_SUBMIT, EINVAL, c->in[0].handle = 0);
ROW(in_sync_flags, T_SUBMIT, EINVAL, c->in[0].flags = 1);
ROW(second_in_sync_flags, T_SUBMIT, EINVAL,
    c->in[1] = c->in[0]; c->in[1].flags = 0x80000000u; SUB.num_in_syncs = 2);
ROW(bad_out_sync, T_SUBMIT, ENOENT, SUB.out_sync.handle = 0xbeef);
ROW(other_files_out_sync, T_SUBMIT, ENOENT,
    SUB.out_sync.handle = c->foreign_sync);
ROW(out_sync_flags, T_SUBMIT, EINVAL, SUB.out_sync.flags = 1);
ROW(out_point_without_handle, T_SUBMIT, EINVAL,
    SUB.out_sync.handle = 0; SUB.out_sync.point = 5);
ROW(cmds_null, T_SUBMIT, EFAULT, SUB.cmds = 0);
ROW(cmds_unmapped, T_SUBMIT, EFAULT,
    SUB.cmds = (uintptr_t)c->page2 + DT_PAGE);
ROW(cmds_end_unmapped, T_SUBMIT, EFAULT,
    memcpy((char *)c->page2 + DT_PAGE - sizeof(CMD), &CMD, sizeof(CMD));
    SUB.cmds = (uintptr_t)c->page2 + DT_PAGE - sizeof(CMD); SUB.num_cmds = 2);
ROW(cmds_kernel_address, T_SUBMIT, EFAULT, SUB.cmds = 0xffff888000000000ULL);
ROW(bo_handles_null, T_SUBMIT, EFAULT, SUB.bo_handles = 0);
ROW(bo_handles_unmapped, T_SUBMIT, EFAULT,
    SUB.bo_handles = (uintptr_t)c->page2 + DT_PAGE - 4);
ROW(in_syncs_null, T_SUBMIT, EFAULT, SUB.in_syncs = 0);
ROW(in_syncs_unmapped, T_SUBMIT, EFAULT,
    SUB.in_syncs = (uintptr_t)c->page2 + DT_PAGE);

/* SUBMIT with a remote buffer (bos[3]): COPY alone may name it, one side. */
#define REMOTE_BOS	SUB.num_bos = 4
ROW(remote_fill, T_SUBMIT, EINVAL, REMOTE_BOS; CMD = dt_fill(3, 0, 4, 1));
ROW(remote_crc_src, T_SUBMIT, EINVAL, REMOTE_BOS; CMD = dt_crc(3, 0, 4, 1, 0));
ROW(remote_crc_dst, T_SUBMIT, EINVAL, REMOTE_BOS; CMD = dt_crc(0, 0, 4, 3, 0));
ROW(remote_both_sides, T_SUBMIT, EINVAL,
    REMOTE_BOS; c->bos[2] = c->remote; CMD = dt_copy(2, 0, 3, 0, 4));
ROW(remote_same_both_sides, T_SUBMIT, EINVAL,
    REMOTE_BOS; CMD = dt_copy(3, 0, 3, 50, 4));
/* Its bytes are the grant's, exactly, not whole pages. */
ROW(remote_src_past_end, T_SUBMIT, EINVAL,
    REMOTE_BOS; CMD = dt_copy(3, 0, 0, 0, REMOTE_SIZE + 1));
ROW(remote_dst_past_end, T_SUBMIT, EINVAL,
    REMOTE_BOS; CMD = dt_copy(0, 0, 3, 1, REMOTE_SIZE));
ROW(remote_dst_wrap, T_SUBMIT, EINVAL,
    REMOTE_BOS; CMD = dt_copy(0, 0, 3, U64MAX - 1, 4));
ROW(remote_second_cmd_fill, T_SUBMIT, EINVAL,
    REMOTE_BOS; c->cmds[1] = dt_fill(3, 0, 4, 1); SUB.num_cmds = 2);

/* BO_CREATE */
ROW(create_valid, T_BO_CREATE, 0, );
ROW(create_valid_hbm, T_BO_CREATE, 0,
    c->create.placement = DRM_DOJO_PLACEMENT_HBM; c->create.size = 1);
ROW(create_size_0, T_BO_CREATE, EINVAL, c->create.size = 0);
ROW(create_size_over_hbm, T_BO_CREATE, EINVAL,
    c->create.size = 32ULL * 1024 * DT_MIB + 1);
ROW(create_hbm_over_hbm, T_BO_CREATE, EINVAL,
    c->create.size = 32ULL * 1024 * DT_MIB + 1;
    c->create.placement = DRM_DOJO_PLACEMENT_HBM);
ROW(create_size_wraps_on_rounding, T_BO_CREATE, EINVAL,
    c->create.size = U64MAX - 10);
ROW(create_placement_0, T_BO_CREATE, EINVAL, c->create.placement = 0);
ROW(create_placement_remote, T_BO_CREATE, EINVAL,
    c->create.placement = DRM_DOJO_PLACEMENT_REMOTE);
ROW(create_placement_5, T_BO_CREATE, EINVAL, c->create.placement = 5);
/* The card has a TTP port, but no tile on it. */
ROW(create_tile_unlinked, T_BO_CREATE, ENOLINK,
    c->create.placement = DRM_DOJO_PLACEMENT_TILE);
ROW(create_placement_huge, T_BO_CREATE, EINVAL,
    c->create.placement = 0xffffffffu);
ROW(create_flags, T_BO_CREATE, EINVAL, c->create.flags = 1);
ROW(create_pad, T_BO_CREATE, EINVAL, c->create.pad = 1);
ROW(create_handle_set, T_BO_CREATE, EINVAL, c->create.handle = 1);

/* BO_INFO */
ROW(info_valid, T_BO_INFO, 0, );
ROW(info_bad_handle, T_BO_INFO, ENOENT, c->info.handle = 0xdead);
ROW(info_handle_0, T_BO_INFO, ENOENT, c->info.handle = 0);
ROW(info_other_files_handle, T_BO_INFO, ENOENT, c->info.handle = c->foreign);
ROW(info_flags, T_BO_INFO, EINVAL, c->info.flags = 1);
ROW(info_pad, T_BO_INFO, EINVAL, c->info.pad = 1);

/* JOB_WAIT */
ROW(wait_valid, T_JOB_WAIT, 0, );
ROW(wait_valid_poll, T_JOB_WAIT, 0, c->wait.timeout_ns = 0);
ROW(wait_unknown_id, T_JOB_WAIT, ENOENT, c->wait.job_id = 12345);
ROW(wait_id_0, T_JOB_WAIT, ENOENT, c->wait.job_id = 0);
ROW(wait_next_id, T_JOB_WAIT, ENOENT, c->wait.job_id = c->last_id + 1);
ROW(wait_id_max, T_JOB_WAIT, ENOENT, c->wait.job_id = U64MAX);
ROW(wait_other_files_job, T_JOB_WAIT_FD2, ENOENT, );
ROW(wait_flags, T_JOB_WAIT, EINVAL, c->wait.flags = 1);
ROW(wait_status_set, T_JOB_WAIT, EINVAL, c->wait.status = DRM_DOJO_JOB_DONE);
ROW(wait_error_set, T_JOB_WAIT, EINVAL, c->wait.error = 1);
ROW(wait_error_cmd_set, T_JOB_WAIT, EINVAL, c->wait.error_cmd = 1);

/* GRANT_CREATE: a range of fd's HBM buffer */
ROW(grant_valid, T_GRANT_CREATE, 0, );
ROW(grant_valid_read_only, T_GRANT_CREATE, 0, c->grant.flags = 0);
ROW(grant_valid_last_byte, T_GRANT_CREATE, 0,
    c->grant.offset = BO_SIZE - 1; c->grant.size = 1);
ROW(grant_flags, T_GRANT_CREATE, EINVAL, c->grant.flags = 2);
ROW(grant_flags_high, T_GRANT_CREATE, EINVAL, c->grant.flags = 0x80000000u);
ROW(grant_id_set, T_GRANT_CREATE, EINVAL, c->grant.grant_id = 1);
ROW(grant_node_id_set, T_GRANT_CREATE, EINVAL, c->grant.node_id = 1);
ROW(grant_key_set, T_GRANT_CREATE, EINVAL, c->grant.key = 1);
ROW(grant_bad_handle, T_GRANT_CREATE, ENOENT, c->grant.handle = 0xdead);
ROW(grant_handle_0, T_GRANT_CREATE, ENOENT, c->grant.handle = 0);
ROW(grant_other_files_handle, T_GRANT_CREATE, ENOENT,
    c->grant.handle = c->foreign);
ROW(grant_host_buffer, T_GRANT_CREATE, EINVAL, c->grant.handle = c->src);
ROW(grant_remote_buffer, T_GRANT_CREATE, EINVAL,
    c->grant.handle = c->remote; c->grant.size = 1);
ROW(grant_size_0, T_GRANT_CREATE, EINVAL, c->grant.size = 0);
ROW(grant_past_end, T_GRANT_CREATE, EINVAL, c->grant.size = BO_SIZE + 1);
ROW(grant_offset_past_end, T_GRANT_CREATE, EINVAL,
    c->grant.offset = BO_SIZE - 1; c->grant.size = 2);
ROW(grant_offset_at_end, T_GRANT_CREATE, EINVAL,
    c->grant.offset = BO_SIZE; c->grant.size = 1);
ROW(grant_offset_wrap, T_GRANT_CREATE, EINVAL,
    c->grant.offset = U64MAX; c->grant.size = 2);
ROW(grant_size_wrap, T_GRANT_CREATE, EINVAL,
    c->grant.offset = 1; c->grant.size = U64MAX);
ROW(grant_size_max, T_GRANT_CREATE, EINVAL, c->grant.size = U64MAX);

/* GRANT_REVOKE: fd holds no grant */
ROW(revoke_unknown, T_GRANT_REVOKE, ENOENT, );
ROW(revoke_id_0, T_GRANT_REVOKE, ENOENT, c->revoke.grant_id = 0);
ROW(revoke_id_max, T_GRANT_REVOKE, ENOENT, c->revoke.grant_id = 0xffffffffu);
ROW(revoke_flags, T_GRANT_REVOKE, EINVAL, c->revoke.flags = 1);

/* REMOTE_IMPORT */
ROW(import_valid, T_REMOTE_IMPORT, 0, );
ROW(import_valid_node_max, T_REMOTE_IMPORT, 0, c->import.node_id = 0xffffff);
ROW(import_valid_node_0, T_REMOTE_IMPORT, 0, c->import.node_id = 0);
ROW(import_valid_key_0, T_REMOTE_IMPORT, 0, c->import.key = 0);
ROW(import_valid_size_1, T_REMOTE_IMPORT, 0, c->import.size = 1);
ROW(import_node_25_bits, T_REMOTE_IMPORT, EINVAL,
    c->import.node_id = 0x1000000);
ROW(import_node_max, T_REMOTE_IMPORT, EINVAL, c->import.node_id = 0xffffffffu);
ROW(import_grant_0, T_REMOTE_IMPORT, EINVAL, c->import.grant_id = 0);
ROW(import_size_0, T_REMOTE_IMPORT, EINVAL, c->import.size = 0);
ROW(import_size_max, T_REMOTE_IMPORT, EINVAL, c->import.size = U64MAX);
ROW(import_size_wraps_on_rounding, T_REMOTE_IMPORT, EINVAL,
    c->import.size = U64MAX - 10);
ROW(import_flags, T_REMOTE_IMPORT, EINVAL, c->import.flags = 1);
ROW(import_handle_set, T_REMOTE_IMPORT, EINVAL, c->import.handle = 1);

/* The limits themselves are accepted. */
TEST(limits_accepted)
{
	static struct drm_dojo_cmd cmds[DRM_DOJO_MAX_CMDS];
	struct drm_dojo_sync in[DRM_DOJO_MAX_SYNCS];
	uint32_t bos[DRM_DOJO_MAX_BOS];
	uint32_t s;
	struct drm_dojo_submit sub = {
		.cmds = (uintptr_t)cmds,
		.num_cmds = DRM_DOJO_MAX_CMDS,
		.bo_handles = (uintptr_t)bos,
		.num_bos = DRM_DOJO_MAX_BOS,
		.in_syncs = (uintptr_t)in,
		.num_in_syncs = DRM_DOJO_MAX_SYNCS,
	};
	int fd, i;

	fd = dt_open_card(EMU);
	ASSERT_LE(0, fd);
	for (i = 0; i < DRM_DOJO_MAX_BOS; i++)
		ASSERT_EQ(0, dt_bo_create(fd, 4096, i & 1 ? DRM_DOJO_PLACEMENT_HBM :
					  DRM_DOJO_PLACEMENT_HOST, &bos[i]));
	ASSERT_EQ(0, drmSyncobjCreate(fd, DRM_SYNCOBJ_CREATE_SIGNALED, &s));
	for (i = 0; i < DRM_DOJO_MAX_SYNCS; i++)
		in[i] = (struct drm_dojo_sync){ .handle = s };
	for (i = 0; i < DRM_DOJO_MAX_CMDS; i++)
		cmds[i] = (struct drm_dojo_cmd){ .op = DRM_DOJO_CMD_NOP };
	/* The last command reaches the last buffer. */
	cmds[DRM_DOJO_MAX_CMDS - 1] = dt_fill(DRM_DOJO_MAX_BOS - 1, 4092, 4, 1);
	ASSERT_EQ(0, dt_ioctl(fd, DRM_IOCTL_DOJO_SUBMIT, &sub));
	EXPECT_EQ(DRM_DOJO_JOB_DONE, dt_status(fd, sub.job_id, WAIT_MS));
	close(fd);
}

FIXTURE(limits) {
	int unused;
};

FIXTURE_SETUP(limits)
{
	self->unused = 0;
}

FIXTURE_TEARDOWN(limits)
{
}

/*
 * HBM full: the whole 32 GiB as one buffer, then no more (ENOMEM). The
 * create must not take long either (the driver may clear the range
 * first; a card does that at HBM speed).
 */
TEST_F_TIMEOUT(limits, hbm_exhausted, 60)
{
	struct drm_dojo_memory_info mem;
	uint32_t all, more;
	int64_t t0, ms;
	int fd, i;

	fd = dt_open_card(EMU);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, dt_memory(fd, &mem));
	ASSERT_EQ(0, mem.hbm_used) TH_LOG("another client holds HBM");
	ASSERT_EQ(mem.hbm_size, mem.hbm_largest_free);
	t0 = dt_now_ns();
	ASSERT_EQ(0, dt_bo_create(fd, mem.hbm_size, DRM_DOJO_PLACEMENT_HBM, &all));
	ms = (dt_now_ns() - t0) / 1000000;
	TH_LOG("creating a %llu GiB HBM buffer took %lld ms",
	       (unsigned long long)(mem.hbm_size >> 30), (long long)ms);
	EXPECT_GT(30000, ms) TH_LOG("BO_CREATE blocks too long");
	EXPECT_EQ(-ENOMEM, dt_bo_create(fd, 4096, DRM_DOJO_PLACEMENT_HBM, &more));
	ASSERT_EQ(0, dt_memory(fd, &mem));
	EXPECT_EQ(mem.hbm_size, mem.hbm_used);
	EXPECT_EQ(0, mem.hbm_largest_free);
	EXPECT_EQ((long long)mem.hbm_used, dt_card_attr(EMU, "hbm_used_bytes"));
	ASSERT_EQ(0, dt_gem_close(fd, all));
	EXPECT_EQ(-EINVAL, dt_gem_close(fd, all));
	/* The range returns once the card has finished clearing it. */
	for (i = 0; i < 500; i++) {
		ASSERT_EQ(0, dt_memory(fd, &mem));
		if (!mem.hbm_used)
			break;
		dt_sleep_ms(20);
	}
	EXPECT_EQ(0, mem.hbm_used);
	EXPECT_EQ(0, dt_card_attr(EMU, "hbm_used_bytes"));
	EXPECT_EQ(0, dt_bo_create(fd, 4096, DRM_DOJO_PLACEMENT_HBM, &more));
	close(fd);
}

/* Each file keeps the last 1024 job statuses; older ids give ENOENT. */
TEST(status_slots)
{
	struct drm_dojo_cmd nop = { .op = DRM_DOJO_CMD_NOP };
	uint64_t id = 0, first = 0;
	int fd, i;

	fd = dt_open_card(EMU);
	ASSERT_LE(0, fd);
	for (i = 0; i < 1024 + 6; i++) {
		ASSERT_EQ(0, dt_submit(fd, i % 4, &nop, 1, NULL, 0, &id));
		if (!i)
			first = id;
		/* Keep the scheduler's queues short. */
		if (i % 64 == 63)
			ASSERT_EQ(DRM_DOJO_JOB_DONE, dt_status(fd, id, WAIT_MS));
	}
	ASSERT_EQ(first + 1024 + 5, id);
	ASSERT_EQ(DRM_DOJO_JOB_DONE, dt_status(fd, id, WAIT_MS));
	for (i = 0; i < 6; i++)
		EXPECT_EQ(-ENOENT, dt_wait(fd, first + i, 0, NULL))
			TH_LOG("job %llu should have been dropped",
			       (unsigned long long)(first + i));
	EXPECT_EQ(DRM_DOJO_JOB_DONE, dt_status(fd, first + 6, 0));
	close(fd);
}

/*
 * DRM_IOCTL_GET_UNIQUE and DRM_IOCTL_GET_MAGIC read the file's DRM master,
 * which an accel file has not: refused, also when encoded with another
 * size (the core dispatches on the number alone), and the file still works.
 */
TEST(master_ioctls_refused)
{
	char u[64];
	struct drm_unique q = { .unique_len = sizeof(u), .unique = u };
	struct drm_auth a = { 0 };
	uint8_t big[64] = { 0 };
	int fd;

	fd = dt_open_card(EMU);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-1, ioctl(fd, DRM_IOCTL_GET_UNIQUE, &q));
	EXPECT_EQ(EOPNOTSUPP, errno);
	EXPECT_EQ(-1, ioctl(fd, DRM_IOCTL_GET_MAGIC, &a));
	EXPECT_EQ(EOPNOTSUPP, errno);
	EXPECT_EQ(-1, ioctl(fd, DRM_IOWR(DRM_IOCTL_NR(DRM_IOCTL_GET_UNIQUE),
					  uint8_t[64]), big));
	EXPECT_EQ(EOPNOTSUPP, errno);
	EXPECT_EQ(-1, ioctl(fd, DRM_IO(DRM_IOCTL_NR(DRM_IOCTL_GET_MAGIC))));
	EXPECT_EQ(EOPNOTSUPP, errno);
	/* The master ioctls that check for a master still say no themselves. */
	EXPECT_EQ(-1, ioctl(fd, DRM_IOCTL_SET_MASTER, 0));
	EXPECT_EQ(-1, ioctl(fd, DRM_IOCTL_DROP_MASTER, 0));
	EXPECT_EQ(0, dt_bo_create(fd, 4096, DRM_DOJO_PLACEMENT_HOST, &(uint32_t){0}));
	close(fd);
}

/*
 * A remote buffer has no memory here: BO_INFO gives no mmap offset, the
 * offset of another buffer does not map it, and it cannot become a
 * dma-buf (its key would travel with it).
 */
TEST(remote_bo_unmappable_unexportable)
{
	struct drm_dojo_bo_info info;
	uint32_t handle;
	int fd, dmabuf = -1;
	void *p;

	fd = dt_open_card(EMU);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, dt_remote_import(fd, REMOTE_NODE, REMOTE_GRANT, REMOTE_KEY,
				      REMOTE_SIZE, &handle));
	ASSERT_EQ(0, dt_bo_info(fd, handle, &info));
	EXPECT_EQ(DRM_DOJO_PLACEMENT_REMOTE, info.placement);
	EXPECT_EQ(REMOTE_SIZE, info.size);
	EXPECT_EQ(0, info.mmap_offset);
	p = mmap(NULL, DT_PAGE, PROT_READ, MAP_SHARED, fd, 0);
	EXPECT_EQ(MAP_FAILED, p);
	if (p != MAP_FAILED)
		munmap(p, DT_PAGE);
	EXPECT_NE(0, drmPrimeHandleToFD(fd, handle, DRM_CLOEXEC, &dmabuf));
	if (dmabuf >= 0)
		close(dmabuf);
	EXPECT_EQ(0, dt_gem_close(fd, handle));
	EXPECT_EQ(-ENOENT, dt_bo_info(fd, handle, &info));
	close(fd);
}

/* The node id is 24 bits: sysfs refuses more before touching the port. */
TEST(node_id_25_bits)
{
	char path[PATH_MAX];
	int minor = dt_card_minor(EMU);

	ASSERT_LE(0, minor);
	snprintf(path, sizeof(path),
		 "/sys/class/accel/accel%d/device/dojo/zplane_node_id", minor);
	EXPECT_EQ(-EINVAL, dt_write_file(path, "16777216"));
	EXPECT_EQ(-EINVAL, dt_write_file(path, "0x1000000"));
	EXPECT_EQ(-EINVAL, dt_write_file(path, "-1"));
	EXPECT_EQ(-EINVAL, dt_write_file(path, "one"));
}

static int grants_exported(int fd)
{
	struct drm_dojo_zplane_info zp;
	int ret = dt_zplane(fd, &zp);

	return ret ? ret : (int)zp.grants;
}

static int grant_create(int fd, uint32_t handle, uint64_t off, uint64_t size,
		 uint32_t *id)
{
	struct drm_dojo_grant_create g = {
		.handle = handle, .offset = off, .size = size,
	};
	int ret = dt_ioctl(fd, DRM_IOCTL_DOJO_GRANT_CREATE, &g);

	*id = g.grant_id;
	return ret;
}

static int grant_revoke(int fd, uint32_t id)
{
	struct drm_dojo_grant_revoke r = { .grant_id = id };

	return dt_ioctl(fd, DRM_IOCTL_DOJO_GRANT_REVOKE, &r);
}

/*
 * A grant ends on REVOKE, when its file closes the buffer's handle, or
 * when the file closes; a file holds at most 256; only its own file can
 * revoke it.
 */
TEST(grant_lifetime)
{
	uint32_t hbm, hbm2, id, id2, first = 0;
	int fd, fd2, i, ret;

	fd = dt_open_card(EMU);
	ASSERT_LE(0, fd);
	fd2 = dt_open_card(EMU);
	ASSERT_LE(0, fd2);
	if (!dt_zplane_modelled(fd))
		SKIP(goto out, "the emulated card does not model its Z-plane port");
	ASSERT_EQ(0, grants_exported(fd));
	ASSERT_EQ(0, dt_bo_create(fd, BO_SIZE, DRM_DOJO_PLACEMENT_HBM, &hbm));
	ASSERT_EQ(0, dt_bo_create(fd, BO_SIZE, DRM_DOJO_PLACEMENT_HBM, &hbm2));

	ASSERT_EQ(0, grant_create(fd, hbm, 0, BO_SIZE, &id));
	EXPECT_EQ(1, grants_exported(fd2));
	EXPECT_EQ(-ENOENT, grant_revoke(fd2, id));
	EXPECT_EQ(0, grant_revoke(fd, id));
	EXPECT_EQ(-ENOENT, grant_revoke(fd, id));
	EXPECT_EQ(0, grants_exported(fd));

	/* Closing the handle ends its grants, not the others'. */
	ASSERT_EQ(0, grant_create(fd, hbm, 0, 1, &id));
	ASSERT_EQ(0, grant_create(fd, hbm, 1, 1, &id2));
	EXPECT_NE(id, id2);
	ASSERT_EQ(0, grant_create(fd, hbm2, 0, 1, &id2));
	EXPECT_EQ(3, grants_exported(fd));
	EXPECT_EQ(0, dt_gem_close(fd, hbm));
	EXPECT_EQ(1, grants_exported(fd));
	EXPECT_EQ(-ENOENT, grant_revoke(fd, id));

	/* At most 256 per file. */
	for (i = 1; i < 256; i++) {
		ret = grant_create(fd, hbm2, i, 1, &id);
		ASSERT_EQ(0, ret) TH_LOG("grant %d: %s", i, strerror(-ret));
		if (!first)
			first = id;
	}
	EXPECT_EQ(-ENOSPC, grant_create(fd, hbm2, 0, 1, &id));
	EXPECT_EQ(0, grant_revoke(fd, first));
	EXPECT_EQ(0, grant_create(fd, hbm2, 0, 1, &id));
	EXPECT_EQ(256, grants_exported(fd2));

	/* Closing the file ends them all. */
	close(fd);
	fd = -1;
	EXPECT_EQ(0, grants_exported(fd2));
out:
	if (fd >= 0)
		close(fd);
	close(fd2);
}

TEST_HARNESS_MAIN
