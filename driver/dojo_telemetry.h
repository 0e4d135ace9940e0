/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Telemetry of the DIP: HBM ECC counts, health and its uevents, hwmon.
 */
#ifndef __DOJO_TELEMETRY_H__
#define __DOJO_TELEMETRY_H__

#include <linux/types.h>

struct dojo_device;

/* Indices of dojo_device.ecc_* */
#define DOJO_ECC_CE	0
#define DOJO_ECC_UE	1

/* Corrected errors since the last reset from which health is "warning". */
#define DOJO_ECC_CE_WARN	10

void dojo_telemetry_ecc(struct dojo_device *ddev, u64 *ce, u64 *ue);
void dojo_telemetry_reset_done(struct dojo_device *ddev);
void dojo_telemetry_flush(struct dojo_device *ddev);
int dojo_health(struct dojo_device *ddev);
const char *dojo_health_name(int health);

#endif /* __DOJO_TELEMETRY_H__ */
