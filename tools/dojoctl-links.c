// SPDX-License-Identifier: MIT
/*
 * dojoctl: the links of a DIP, for link show and topo. The TTP tile link
 * and the Z-plane port come from world-readable sysfs attributes; the
 * Z-plane's connection table only from DRM_DOJO_QUERY_ZPLANE_CONNS, which
 * needs the device node (root or the dojo group). When the node can be
 * opened, the query answers also fill in attributes the driver lacks.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "dojoctl.h"

const char *const dojoctl_zp_counter_keys[DOJOCTL_ZP_NCOUNTERS] = {
	"link_changes", "tx_bytes", "rx_bytes", "tx_frames", "rx_frames",
	"replays", "nacks", "drops", "errors",
};

static void set_int(struct dojoctl_value *v, int64_t i)
{
	memset(v, 0, sizeof(*v));
	v->i = i;
}

static void set_str(struct dojoctl_value *v, const char *s)
{
	memset(v, 0, sizeof(*v));
	v->is_str = true;
	snprintf(v->str, sizeof(v->str), "%s", s);
}

static void set_err(struct dojoctl_value *v, int err, const char *reason)
{
	bool is_str = v->is_str;

	memset(v, 0, sizeof(*v));
	v->is_str = is_str;
	v->err = err ? err : -EINVAL;
	v->reason = reason;
}

/* Decimal, or hexadecimal with 0x: never octal, whatever the zeros. */
static int parse_s64(const char *s, int64_t *out)
{
	bool hex = !strncmp(s, "0x", 2) || !strncmp(s, "0X", 2);
	char *end;

	errno = 0;
	*out = strtoll(hex ? s + 2 : s, &end, hex ? 16 : 10);
	if (errno || end == s || *end || (hex && end == s + 2))
		return -EINVAL;
	return 0;
}

static void read_str(const struct dojoctl_dev *d, const char *attr,
		     struct dojoctl_value *v)
{
	char rel[64];
	int err;

	memset(v, 0, sizeof(*v));
	v->is_str = true;
	snprintf(rel, sizeof(rel), "dojo/%s", attr);
	err = dojoctl_read_str(d, rel, v->str, sizeof(v->str));
	if (err)
		set_err(v, err, NULL);
}

static void read_int(const struct dojoctl_dev *d, const char *attr,
		     struct dojoctl_value *v)
{
	int64_t x;

	read_str(d, attr, v);
	if (v->err)
		return;
	if (parse_s64(v->str, &x))
		set_err(v, -EINVAL, NULL);
	else
		set_int(v, x);
	v->is_str = false;
	v->str[0] = '\0';
}

/* A port the card does not have: every value of it null, and why. */
static void no_port(struct dojoctl_value *v, int n, const char *why)
{
	int i;

	for (i = 0; i < n; i++)
		set_err(&v[i], -ENODEV, why);
}

static void read_ttp(const struct dojoctl_dev *d, struct dojoctl_links *l)
{
	struct dojoctl_value *loc[] = { &l->tile_id, &l->tile_edge,
					&l->tile_slot };
	static const char *const attrs[] = { "tile_id", "tile_edge",
					     "tile_slot" };
	unsigned int i;

	if (dojo_info_has(d->info, DOJO_FIELD_NUM_TTP_PORTS) &&
	    !d->info->num_ttp_ports) {
		no_port(&l->ttp_state, 1, "no TTP port");
		for (i = 0; i < ARRAY_SIZE(loc); i++)
			no_port(loc[i], 1, "no TTP port");
		return;
	}
	read_str(d, "ttp_link_state", &l->ttp_state);
	for (i = 0; i < ARRAY_SIZE(loc); i++) {
		read_int(d, attrs[i], loc[i]);
		/* -1 while the link is down */
		if (!loc[i]->err && loc[i]->i < 0)
			set_err(loc[i], -ENOLINK, "TTP link down");
	}
}

static void read_zplane(const struct dojoctl_dev *d, struct dojoctl_links *l)
{
	char attr[32];
	int i;

	if (dojo_info_has(d->info, DOJO_FIELD_NUM_TTPOE_PORTS) &&
	    !d->info->num_ttpoe_ports) {
		l->no_zplane = true;
		no_port(&l->zp_state, 1, "no TTPoE port");
		no_port(&l->node_id, 1, "no TTPoE port");
		no_port(&l->mac, 1, "no TTPoE port");
		no_port(l->zp_counters, DOJOCTL_ZP_NCOUNTERS, "no TTPoE port");
		return;
	}
	read_str(d, "zplane_link_state", &l->zp_state);
	read_int(d, "zplane_node_id", &l->node_id);
	read_str(d, "zplane_mac", &l->mac);
	if (!l->mac.err) {
		char *p;

		for (p = l->mac.str; *p; p++)
			if (*p >= 'A' && *p <= 'F')
				*p += 'a' - 'A';
	}
	for (i = 0; i < DOJOCTL_ZP_NCOUNTERS; i++) {
		snprintf(attr, sizeof(attr), "zplane_%s",
			 dojoctl_zp_counter_keys[i]);
		read_int(d, attr, &l->zp_counters[i]);
	}
}

static void fill_int(struct dojoctl_value *v, uint64_t x)
{
	if (v->err == -ENOENT)
		set_int(v, (int64_t)x);
}

/* Attributes the driver does not provide, from its query answers. */
static void fill_from_query(struct dojoctl_links *l,
			    const struct drm_dojo_zplane_info *z)
{
	const uint64_t counters[DOJOCTL_ZP_NCOUNTERS] = {
		z->link_changes, z->tx_bytes, z->rx_bytes, z->tx_frames,
		z->rx_frames, z->replays, z->nacks, z->drops, z->errors,
	};
	const char *state = dojo_zplane_link_state_name(z->link_state);
	char mac[32];
	int i;

	if (l->zp_state.err == -ENOENT && state)
		set_str(&l->zp_state, state);
	fill_int(&l->node_id, z->node_id);
	if (l->mac.err == -ENOENT) {
		snprintf(mac, sizeof(mac), "%02x:%02x:%02x:%02x:%02x:%02x",
			 z->mac[0], z->mac[1], z->mac[2], z->mac[3], z->mac[4],
			 z->mac[5]);
		set_str(&l->mac, mac);
	}
	for (i = 0; i < DOJOCTL_ZP_NCOUNTERS; i++)
		fill_int(&l->zp_counters[i], counters[i]);
}

/* The connection table, and the port's values the driver's sysfs lacks. */
static int read_conns(const struct dojoctl_dev *d, struct dojoctl_links *l)
{
	struct drm_dojo_zplane_info z;
	struct dojo_device *dev;
	int err;

	if (l->no_zplane) {
		l->conns_err = -ENODEV;
		snprintf(l->conns_reason, sizeof(l->conns_reason),
			 "no TTPoE port");
		return 0;
	}
	err = dojo_open_info(d->info, &dev);
	if (err) {
		l->conns_err = err;
		snprintf(l->conns_reason, sizeof(l->conns_reason),
			 "cannot open %s: %s", d->devnode, dojo_strerror(err));
		return 0;
	}
	err = dojo_zplane_info(dev, &z);
	if (!err)
		fill_from_query(l, &z);
	err = err ?: dojo_zplane_conns(dev, &l->conns);
	dojo_close(dev);
	if (err == -EINVAL || err == -EOPNOTSUPP || err == -ENOTTY) {
		/* a driver without the Z-plane queries */
		l->conns_err = err;
		snprintf(l->conns_reason, sizeof(l->conns_reason),
			 "the driver has no Z-plane query");
		return 0;
	}
	if (err) {
		l->conns_err = err;
		snprintf(l->conns_reason, sizeof(l->conns_reason),
			 "DRM_IOCTL_DOJO_QUERY failed: %s", dojo_strerror(err));
		dojoctl_err("%s: %s", d->name, l->conns_reason);
		return dojoctl_exit_code(err) == DOJOCTL_EXIT_PERM ?
			DOJOCTL_EXIT_PERM : DOJOCTL_EXIT_DEVICE;
	}
	return 0;
}

int dojoctl_links_read(const struct dojoctl_dev *d, struct dojoctl_links *l)
{
	memset(l, 0, sizeof(*l));
	l->d = d;
	read_ttp(d, l);
	read_zplane(d, l);
	return read_conns(d, l);
}

int dojoctl_links_by_node(const struct dojoctl_links *all, int n,
			  int64_t node_id)
{
	int i;

	for (i = 0; i < n; i++)
		if (!all[i].node_id.err && all[i].node_id.i == node_id)
			return i;
	return -1;
}

bool dojoctl_links_open_to(const struct dojoctl_links *l, int64_t node_id)
{
	uint32_t i;

	if (l->conns_err)
		return false;
	for (i = 0; i < l->conns.count; i++)
		if (l->conns.conns[i].peer_node_id == node_id &&
		    l->conns.conns[i].state == DRM_DOJO_CONN_OPEN)
			return true;
	return false;
}

bool dojoctl_links_same_tile(const struct dojoctl_links *a,
			     const struct dojoctl_links *b)
{
	return !a->ttp_state.err && !strcmp(a->ttp_state.str, "up") &&
	       !b->ttp_state.err && !strcmp(b->ttp_state.str, "up") &&
	       !a->tile_id.err && !b->tile_id.err &&
	       a->tile_id.i == b->tile_id.i;
}

void dojoctl_format_node(int64_t node_id, char *buf, size_t size)
{
	snprintf(buf, size, "0x%06" PRIx64, (uint64_t)node_id);
}

int dojoctl_links_read_all(const struct dojoctl_devs *devs,
			   struct dojoctl_dev **all,
			   struct dojoctl_links **links)
{
	int i, ret = 0;

	*all = calloc(devs->count + 1, sizeof(**all));
	*links = calloc(devs->count + 1, sizeof(**links));
	if (!*all || !*links) {
		free(*all);
		free(*links);
		*all = NULL;
		*links = NULL;
		dojoctl_err("out of memory");
		return DOJOCTL_EXIT_DEVICE;
	}
	for (i = 0; i < devs->count; i++) {
		struct dojoctl_dev *d = &(*all)[i];

		dojoctl_dev_init(d, devs->list[i]);
		dojoctl_first_failure(&ret, dojoctl_links_read(d, &(*links)[i]));
	}
	return ret;
}
