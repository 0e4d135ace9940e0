// SPDX-License-Identifier: MIT
/*
 * dojoctl link show: per DIP its TTP tile link, its Z-plane port with
 * the port's counters, and the Z-plane connection table, naming the local
 * DIP behind a peer's node id. Three tables (ports, counters,
 * connections), or one dojoctl.link/1 document.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <libsmartcols.h>

#include "dojoctl.h"

static const struct dojoctl_column port_columns[] = {
	{ "NAME", 0 },
	{ "TTP", 0 },
	{ "TILE", SCOLS_FL_RIGHT },
	{ "EDGE", SCOLS_FL_RIGHT },
	{ "SLOT", SCOLS_FL_RIGHT },
	{ "ZPLANE", 0 },
	{ "NODE", 0 },
	{ "MAC", 0 },
	{ "CONNS", SCOLS_FL_RIGHT },
};

static const struct dojoctl_column counter_columns[] = {
	{ "NAME", 0 },
	{ "CHANGES", SCOLS_FL_RIGHT },
	{ "TX_BYTES", SCOLS_FL_RIGHT },
	{ "RX_BYTES", SCOLS_FL_RIGHT },
	{ "TX_FRAMES", SCOLS_FL_RIGHT },
	{ "RX_FRAMES", SCOLS_FL_RIGHT },
	{ "REPLAYS", SCOLS_FL_RIGHT },
	{ "NACKS", SCOLS_FL_RIGHT },
	{ "DROPS", SCOLS_FL_RIGHT },
	{ "ERRORS", SCOLS_FL_RIGHT },
};

static const struct dojoctl_column conn_columns[] = {
	{ "NAME", 0 },
	{ "PEER", 0 },
	{ "VC", SCOLS_FL_RIGHT },
	{ "STATE", 0 },
	{ "TX_SEQ", SCOLS_FL_RIGHT },
	{ "RX_SEQ", SCOLS_FL_RIGHT },
	{ "PEER_DIP", 0 },
};

/* ---- JSON ---------------------------------------------------------------- */

static json_object *ttp_json(const struct dojoctl_links *l)
{
	json_object *o = json_object_new_object();
	json_object *unav = json_object_new_object();

	dojoctl_json_add_value(o, unav, "link_state", &l->ttp_state);
	dojoctl_json_add_value(o, unav, "tile_id", &l->tile_id);
	dojoctl_json_add_value(o, unav, "tile_edge", &l->tile_edge);
	dojoctl_json_add_value(o, unav, "tile_slot", &l->tile_slot);
	json_object_object_add(o, "unavailable", unav);
	return o;
}

static json_object *zplane_json(const struct dojoctl_links *l)
{
	json_object *o = json_object_new_object();
	json_object *unav = json_object_new_object();
	int i;

	dojoctl_json_add_value(o, unav, "link_state", &l->zp_state);
	dojoctl_json_add_value(o, unav, "node_id", &l->node_id);
	dojoctl_json_add_value(o, unav, "mac", &l->mac);
	for (i = 0; i < DOJOCTL_ZP_NCOUNTERS; i++)
		dojoctl_json_add_value(o, unav, dojoctl_zp_counter_keys[i],
				       &l->zp_counters[i]);
	json_object_object_add(o, "unavailable", unav);
	return o;
}

static const char *conn_state(uint32_t state)
{
	const char *s = dojo_zplane_conn_state_name(state);

	return s ? s : "unknown";
}

static json_object *conn_json(const struct drm_dojo_zplane_conn *c,
			      const struct dojoctl_links *all, int n)
{
	json_object *o = json_object_new_object();
	json_object *unav = json_object_new_object();
	int peer = dojoctl_links_by_node(all, n, c->peer_node_id);

	json_object_object_add(o, "peer_node_id",
			       json_object_new_int64(c->peer_node_id));
	json_object_object_add(o, "vc", json_object_new_int64(c->vc));
	json_object_object_add(o, "state",
			       json_object_new_string(conn_state(c->state)));
	json_object_object_add(o, "tx_seq", json_object_new_int64(c->tx_seq));
	json_object_object_add(o, "rx_seq", json_object_new_int64(c->rx_seq));
	if (peer >= 0) {
		json_object_object_add(o, "peer_device",
			json_object_new_string(all[peer].d->name));
	} else {
		json_object_object_add(o, "peer_device", NULL);
		json_object_object_add(unav, "peer_device",
			json_object_new_string("not a DIP of this host"));
	}
	json_object_object_add(o, "unavailable", unav);
	return o;
}

static json_object *device_json(const struct dojoctl_links *l,
				const struct dojoctl_links *all, int n)
{
	const struct dojo_dev_info *info = l->d->info;
	json_object *o = json_object_new_object();
	json_object *unav = json_object_new_object();
	json_object *conns;
	uint32_t i;

	json_object_object_add(o, "index", json_object_new_int(l->d->index));
	json_object_object_add(o, "name", json_object_new_string(l->d->name));
	if (dojo_info_has(info, DOJO_FIELD_SERIAL)) {
		json_object_object_add(o, "serial",
				       json_object_new_string(info->serial));
	} else {
		json_object_object_add(o, "serial", NULL);
		json_object_object_add(unav, "serial", json_object_new_string(
			dojoctl_reason(info->field_err[DOJO_FIELD_SERIAL])));
	}
	json_object_object_add(o, "ttp", ttp_json(l));
	json_object_object_add(o, "zplane", zplane_json(l));
	if (l->conns_err) {
		json_object_object_add(o, "connections", NULL);
		json_object_object_add(unav, "connections",
				       json_object_new_string(l->conns_reason));
	} else {
		conns = json_object_new_array();
		for (i = 0; i < l->conns.count; i++)
			json_object_array_add(conns,
				conn_json(&l->conns.conns[i], all, n));
		json_object_object_add(o, "connections", conns);
	}
	json_object_object_add(o, "unavailable", unav);
	return o;
}

/* ---- tables -------------------------------------------------------------- */

static void value_text(const struct dojoctl_value *v, char *buf, size_t size)
{
	if (v->err)
		snprintf(buf, size, "-");
	else
		dojoctl_value_text(NULL, v, false, buf, size);
}

static int port_line(struct libscols_table *tb, const struct dojoctl_links *l)
{
	struct libscols_line *ln = scols_table_new_line(tb, NULL);
	const struct dojoctl_value *v[] = {
		&l->ttp_state, &l->tile_id, &l->tile_edge, &l->tile_slot,
		&l->zp_state,
	};
	char buf[64];
	unsigned int i;

	if (!ln || scols_line_set_data(ln, 0, l->d->name))
		return -ENOMEM;
	for (i = 0; i < ARRAY_SIZE(v); i++) {
		value_text(v[i], buf, sizeof(buf));
		if (scols_line_set_data(ln, i + 1, buf))
			return -ENOMEM;
	}
	if (l->node_id.err)
		snprintf(buf, sizeof(buf), "-");
	else
		dojoctl_format_node(l->node_id.i, buf, sizeof(buf));
	if (scols_line_set_data(ln, 6, buf))
		return -ENOMEM;
	value_text(&l->mac, buf, sizeof(buf));
	if (scols_line_set_data(ln, 7, buf))
		return -ENOMEM;
	if (l->conns_err)
		snprintf(buf, sizeof(buf), "-");
	else
		snprintf(buf, sizeof(buf), "%u", l->conns.count);
	return scols_line_set_data(ln, 8, buf) ? -ENOMEM : 0;
}

static int counter_line(struct libscols_table *tb,
			const struct dojoctl_links *l)
{
	struct libscols_line *ln = scols_table_new_line(tb, NULL);
	char buf[64];
	int i;

	if (!ln || scols_line_set_data(ln, 0, l->d->name))
		return -ENOMEM;
	for (i = 0; i < DOJOCTL_ZP_NCOUNTERS; i++) {
		value_text(&l->zp_counters[i], buf, sizeof(buf));
		if (scols_line_set_data(ln, i + 1, buf))
			return -ENOMEM;
	}
	return 0;
}

static int conn_lines(struct libscols_table *tb, const struct dojoctl_links *l,
		      const struct dojoctl_links *all, int n)
{
	uint32_t i;

	for (i = 0; !l->conns_err && i < l->conns.count; i++) {
		const struct drm_dojo_zplane_conn *c = &l->conns.conns[i];
		struct libscols_line *ln = scols_table_new_line(tb, NULL);
		int peer = dojoctl_links_by_node(all, n, c->peer_node_id);
		char node[16], vc[16], tx[16], rx[16];

		if (!ln)
			return -ENOMEM;
		dojoctl_format_node(c->peer_node_id, node, sizeof(node));
		snprintf(vc, sizeof(vc), "%u", c->vc);
		snprintf(tx, sizeof(tx), "%u", c->tx_seq);
		snprintf(rx, sizeof(rx), "%u", c->rx_seq);
		if (scols_line_set_data(ln, 0, l->d->name) ||
		    scols_line_set_data(ln, 1, node) ||
		    scols_line_set_data(ln, 2, vc) ||
		    scols_line_set_data(ln, 3, conn_state(c->state)) ||
		    scols_line_set_data(ln, 4, tx) ||
		    scols_line_set_data(ln, 5, rx) ||
		    scols_line_set_data(ln, 6,
					peer >= 0 ? all[peer].d->name : "-"))
			return -ENOMEM;
	}
	return 0;
}

static int print_tables(const struct dojoctl *ctl,
			const struct dojoctl_devs *devs,
			const struct dojoctl_links *all)
{
	struct libscols_table *tb[3] = {
		dojoctl_new_table(ctl, port_columns, ARRAY_SIZE(port_columns)),
		dojoctl_new_table(ctl, counter_columns,
				  ARRAY_SIZE(counter_columns)),
		dojoctl_new_table(ctl, conn_columns, ARRAY_SIZE(conn_columns)),
	};
	int i, err = tb[0] && tb[1] && tb[2] ? 0 : -ENOMEM;
	bool unknown = false;

	for (i = 0; !err && i < devs->n; i++) {
		const struct dojoctl_links *l = &all[devs->dev[i].index];

		err = port_line(tb[0], l) ?: counter_line(tb[1], l) ?:
		      conn_lines(tb[2], l, all, devs->count);
		unknown |= l->conns_err && !l->no_zplane;
	}
	for (i = 0; !err && i < 3; i++) {
		if (i)
			putchar('\n');
		err = scols_print_table(tb[i]);
	}
	for (i = 0; i < 3; i++)
		scols_unref_table(tb[i]);
	if (err) {
		dojoctl_err("cannot print the tables: %s", dojo_strerror(err));
		return DOJOCTL_EXIT_DEVICE;
	}
	for (i = 0; unknown && i < devs->n; i++) {
		const struct dojoctl_links *l = &all[devs->dev[i].index];

		if (l->conns_err && !l->no_zplane)
			dojoctl_warn("%s: no connection table: %s",
				     l->d->name, l->conns_reason);
	}
	return 0;
}

int dojoctl_link(const struct dojoctl *ctl, int argc, char **argv)
{
	struct dojoctl_links *all = NULL;
	struct dojoctl_dev *alldev = NULL;
	struct dojoctl_devs devs;
	json_object *devices;
	int i, ret;

	if (argc > 2 || (argc == 2 && strcmp(argv[1], "show"))) {
		dojoctl_err("usage: dojoctl link [show] [-i DEVICE]");
		return DOJOCTL_EXIT_USAGE;
	}
	ret = dojoctl_select(ctl, 1, argv, false, false, &devs);
	if (!devs.dev)
		return ret;
	dojoctl_first_failure(&ret,
			      dojoctl_links_read_all(&devs, &alldev, &all));
	if (!all)
		goto out;

	if (ctl->json) {
		devices = json_object_new_array();
		for (i = 0; i < devs.n; i++)
			json_object_array_add(devices,
				device_json(&all[devs.dev[i].index], all,
					    devs.count));
		if (dojoctl_print_json(ctl, "dojoctl.link/1", devices))
			dojoctl_first_failure(&ret, DOJOCTL_EXIT_DEVICE);
		json_object_put(devices);
	} else {
		dojoctl_first_failure(&ret, print_tables(ctl, &devs, all));
	}
out:
	free(all);
	free(alldev);
	dojoctl_devs_free(&devs);
	return ret;
}
