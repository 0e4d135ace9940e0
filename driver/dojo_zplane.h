/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The TTPoE port to the Z-plane: link state, counters, connections and
 * the grant mailbox.
 */
#ifndef __DOJO_ZPLANE_H__
#define __DOJO_ZPLANE_H__

#include <linux/types.h>

struct dojo_device;
struct drm_dojo_zplane_info;
struct drm_dojo_zplane_conns;

int dojo_zplane_init(struct dojo_device *ddev);
void dojo_zplane_fini(struct dojo_device *ddev);
bool dojo_zplane_present(struct dojo_device *ddev);
void dojo_zplane_link_changed(struct dojo_device *ddev);
u32 dojo_zplane_link(struct dojo_device *ddev);
const char *dojo_zplane_link_name(u32 link);
int dojo_zplane_node_id(struct dojo_device *ddev, u32 *node_id);
int dojo_zplane_set_node_id(struct dojo_device *ddev, u32 node_id);
int dojo_zplane_mac(struct dojo_device *ddev, u8 mac[6]);
int dojo_zplane_link_changes(struct dojo_device *ddev, u64 *changes);
int dojo_zplane_counter(struct dojo_device *ddev, unsigned int i, u64 *val);
int dojo_zplane_info(struct dojo_device *ddev, struct drm_dojo_zplane_info *info);
int dojo_zplane_conns(struct dojo_device *ddev,
		      struct drm_dojo_zplane_conns *conns);
int dojo_zplane_grant(struct dojo_device *ddev, u32 cmd, u64 arg0, u64 arg1,
		      u64 arg2, u32 *grant_id, u64 *key, u32 *node_id);
int dojo_zplane_revoke(struct dojo_device *ddev, u32 grant_id);

/* Counter indices, as the registers order them (docs/hardware.md). */
enum dojo_zplane_counter {
	DOJO_ZP_TX_BYTES,
	DOJO_ZP_RX_BYTES,
	DOJO_ZP_TX_FRAMES,
	DOJO_ZP_RX_FRAMES,
	DOJO_ZP_REPLAYS,
	DOJO_ZP_NACKS,
	DOJO_ZP_DROPS,
	DOJO_ZP_ERRORS,
};

#endif /* __DOJO_ZPLANE_H__ */
