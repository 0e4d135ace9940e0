/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The TTP tile port: link state, the tile controller's mailbox.
 */
#ifndef __DOJO_TTP_H__
#define __DOJO_TTP_H__

#include <linux/types.h>

struct dojo_device;
struct drm_dojo_ttp_info;

int dojo_ttp_init(struct dojo_device *ddev);
void dojo_ttp_fini(struct dojo_device *ddev);
void dojo_ttp_link_changed(struct dojo_device *ddev);
bool dojo_ttp_present(struct dojo_device *ddev);
void dojo_ttp_state(struct dojo_device *ddev, bool *up, u32 *tile_id,
		    u32 *edge, u32 *slot, u64 *sram_size);
int dojo_ttp_info(struct dojo_device *ddev, struct drm_dojo_ttp_info *info);
int dojo_ttp_alloc(struct dojo_device *ddev, u64 size, u64 *id, u64 *bytes,
		   u32 *epoch);
void dojo_ttp_free(struct dojo_device *ddev, u64 id, u32 epoch);
int dojo_ttp_share(struct dojo_device *from, struct dojo_device *to, u64 id,
		   u64 *bytes, u32 *epoch);
bool dojo_ttp_epoch_valid(struct dojo_device *ddev, u32 epoch);

#endif /* __DOJO_TTP_H__ */
