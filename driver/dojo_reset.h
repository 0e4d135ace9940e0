/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Device recovery: OFFLINE/ONLINE uevents, devcoredump, card reset.
 */
#ifndef __DOJO_RESET_H__
#define __DOJO_RESET_H__

struct dojo_device;
struct dojo_queue;

int dojo_reset_init(struct dojo_device *ddev);
void dojo_reset_flush(struct dojo_device *ddev);
void dojo_reset_schedule(struct dojo_device *ddev, const char *reason);
void dojo_reset_lost(struct dojo_device *ddev);
int dojo_reset_request(struct dojo_device *ddev, const char *reason);

#endif /* __DOJO_RESET_H__ */
