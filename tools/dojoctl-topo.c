// SPDX-License-Identifier: MIT
/*
 * dojoctl topo: how the local DIPs reach each other, as a matrix in the
 * manner of nvidia-smi topo -m (X self, TTP same tile, ZP Z-plane, PCI
 * only through the host), or with --tree the tiles with their DIPs by
 * edge and slot, and the Z-plane segments the connection tables show.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <libsmartcols.h>

#include "dojoctl.h"

/* What joins two DIPs, the best link first. */
enum topo_link { T_SELF, T_TTP, T_ZP, T_PCI, T_UNKNOWN };

static const char *const link_name[] = {
	[T_SELF] = "X", [T_TTP] = "TTP", [T_ZP] = "ZP", [T_PCI] = "PCI",
	[T_UNKNOWN] = "?",
};

static const char *const legend[] = {
	"X   = self",
	"TTP = linked to the same training tile (both TTP links up, same tile id)",
	"ZP  = connected over the Z-plane (an OPEN connection between their node ids)",
	"PCI = no direct link: through the host only",
	"?   = unknown: no connection table readable (see dojoctl link show)",
};

static bool is_up(const struct dojoctl_value *state)
{
	return !state->err && !strcmp(state->str, "up");
}

static enum topo_link topo_link(const struct dojoctl_links *a,
				const struct dojoctl_links *b)
{
	bool known;

	if (a == b)
		return T_SELF;
	if (dojoctl_links_same_tile(a, b))
		return T_TTP;
	if ((!b->node_id.err && dojoctl_links_open_to(a, b->node_id.i)) ||
	    (!a->node_id.err && dojoctl_links_open_to(b, a->node_id.i)))
		return T_ZP;
	/* a connection is OPEN at both ends: one table is enough */
	known = a->no_zplane || b->no_zplane ||
		(!a->conns_err && !b->node_id.err) ||
		(!b->conns_err && !a->node_id.err);
	return known ? T_PCI : T_UNKNOWN;
}

static void node_text(const struct dojoctl_value *node, char *buf,
		      size_t size)
{
	if (node->err)
		snprintf(buf, size, "-");
	else
		dojoctl_format_node(node->i, buf, size);
}

/* ---- the matrix ---------------------------------------------------------- */

static json_object *matrix_json(const struct dojoctl_devs *devs,
				const struct dojoctl_links *all)
{
	json_object *devices = json_object_new_array();
	int i, j;

	for (i = 0; i < devs->n; i++) {
		const struct dojoctl_links *a = &all[devs->dev[i].index];
		json_object *o = json_object_new_object();
		json_object *unav = json_object_new_object();
		json_object *links = json_object_new_array();

		json_object_object_add(o, "index",
				       json_object_new_int(a->d->index));
		json_object_object_add(o, "name",
				       json_object_new_string(a->d->name));
		dojoctl_json_add_value(o, unav, "tile_id", &a->tile_id);
		dojoctl_json_add_value(o, unav, "node_id", &a->node_id);
		for (j = 0; j < devs->n; j++) {
			const struct dojoctl_links *b = &all[devs->dev[j].index];
			enum topo_link t = topo_link(a, b);
			json_object *lo = json_object_new_object();
			json_object *lu = json_object_new_object();

			json_object_object_add(lo, "name",
					       json_object_new_string(b->d->name));
			if (t == T_UNKNOWN) {
				json_object_object_add(lo, "link", NULL);
				json_object_object_add(lu, "link",
					json_object_new_string(
						"no connection table readable"));
			} else {
				json_object_object_add(lo, "link",
					json_object_new_string(link_name[t]));
			}
			json_object_object_add(lo, "unavailable", lu);
			json_object_array_add(links, lo);
		}
		json_object_object_add(o, "links", links);
		json_object_object_add(o, "unavailable", unav);
		json_object_array_add(devices, o);
	}
	return devices;
}

static int print_matrix(const struct dojoctl *ctl,
			const struct dojoctl_devs *devs,
			const struct dojoctl_links *all)
{
	struct libscols_table *tb = dojoctl_new_table(ctl, NULL, 0);
	bool unknown = false;
	char buf[32];
	int i, j;
	size_t k;

	if (!tb || !scols_table_new_column(tb, "", 0, 0))
		goto oom;
	for (j = 0; j < devs->n; j++)
		if (!scols_table_new_column(tb, devs->dev[j].name, 0, 0))
			goto oom;
	if (!scols_table_new_column(tb, "TILE", 0, SCOLS_FL_RIGHT) ||
	    !scols_table_new_column(tb, "NODE", 0, 0))
		goto oom;
	for (i = 0; i < devs->n; i++) {
		const struct dojoctl_links *a = &all[devs->dev[i].index];
		struct libscols_line *ln = scols_table_new_line(tb, NULL);

		if (!ln || scols_line_set_data(ln, 0, a->d->name))
			goto oom;
		for (j = 0; j < devs->n; j++) {
			enum topo_link t = topo_link(a,
						&all[devs->dev[j].index]);

			unknown |= t == T_UNKNOWN;
			if (scols_line_set_data(ln, j + 1, link_name[t]))
				goto oom;
		}
		if (a->tile_id.err)
			snprintf(buf, sizeof(buf), "-");
		else
			snprintf(buf, sizeof(buf), "%" PRId64, a->tile_id.i);
		if (scols_line_set_data(ln, devs->n + 1, buf))
			goto oom;
		node_text(&a->node_id, buf, sizeof(buf));
		if (scols_line_set_data(ln, devs->n + 2, buf))
			goto oom;
	}
	if (scols_print_table(tb))
		goto oom;
	scols_unref_table(tb);
	printf("\nLegend:\n\n");
	for (k = 0; k < ARRAY_SIZE(legend); k++)
		if (k + 1 < ARRAY_SIZE(legend) || unknown)
			printf("  %s\n", legend[k]);
	return 0;
oom:
	scols_unref_table(tb);
	dojoctl_err("cannot print the table");
	return DOJOCTL_EXIT_DEVICE;
}

/* ---- the tree ------------------------------------------------------------ */

static json_object *member_json(const struct dojoctl_links *l, int64_t node)
{
	json_object *o = json_object_new_object();
	json_object *unav = json_object_new_object();

	json_object_object_add(o, "node_id", json_object_new_int64(node));
	if (l) {
		json_object_object_add(o, "name",
				       json_object_new_string(l->d->name));
		dojoctl_json_add_value(o, unav, "zplane_link_state",
				       &l->zp_state);
	} else {
		json_object_object_add(o, "name", NULL);
		json_object_object_add(unav, "name",
			json_object_new_string("not a DIP of this host"));
		json_object_object_add(o, "zplane_link_state", NULL);
		json_object_object_add(unav, "zplane_link_state",
			json_object_new_string("not a DIP of this host"));
	}
	json_object_object_add(o, "unavailable", unav);
	return o;
}

static json_object *dip_json(const struct dojoctl_links *l)
{
	json_object *o = json_object_new_object();
	json_object *unav = json_object_new_object();

	json_object_object_add(o, "index", json_object_new_int(l->d->index));
	json_object_object_add(o, "name", json_object_new_string(l->d->name));
	dojoctl_json_add_value(o, unav, "ttp_link_state", &l->ttp_state);
	dojoctl_json_add_value(o, unav, "tile_edge", &l->tile_edge);
	dojoctl_json_add_value(o, unav, "tile_slot", &l->tile_slot);
	dojoctl_json_add_value(o, unav, "node_id", &l->node_id);
	dojoctl_json_add_value(o, unav, "zplane_link_state", &l->zp_state);
	json_object_object_add(o, "unavailable", unav);
	return o;
}

static int64_t slot_key(const struct dojoctl_links *l)
{
	return (l->tile_edge.err ? 99 : l->tile_edge.i) * 100 +
	       (l->tile_slot.err ? 99 : l->tile_slot.i);
}

/* Tiles in the order of their ids, each with its DIPs by edge and slot. */
static void tiles_json(json_object *top, const struct dojoctl_devs *devs,
		       const struct dojoctl_links *all)
{
	json_object *tiles = json_object_new_array();
	json_object *no_tile = json_object_new_array();
	int64_t tile = 0, last = INT64_MIN, best_key;
	int i, best;

	for (;;) {
		json_object *t, *members;

		/* the next tile id above the last one */
		best = -1;
		for (i = 0; i < devs->n; i++) {
			const struct dojoctl_links *l = &all[devs->dev[i].index];

			if (is_up(&l->ttp_state) && !l->tile_id.err &&
			    l->tile_id.i > last &&
			    (best < 0 || l->tile_id.i < tile)) {
				best = i;
				tile = l->tile_id.i;
			}
		}
		if (best < 0)
			break;
		t = json_object_new_object();
		members = json_object_new_array();
		json_object_object_add(t, "tile_id",
				       json_object_new_int64(tile));
		for (best_key = -1;;) {
			int64_t next = INT64_MAX;
			const struct dojoctl_links *pick = NULL;

			for (i = 0; i < devs->n; i++) {
				const struct dojoctl_links *l =
					&all[devs->dev[i].index];

				if (is_up(&l->ttp_state) && !l->tile_id.err &&
				    l->tile_id.i == tile &&
				    slot_key(l) > best_key &&
				    slot_key(l) < next) {
					next = slot_key(l);
					pick = l;
				}
			}
			if (!pick)
				break;
			json_object_array_add(members, dip_json(pick));
			best_key = next;
		}
		json_object_object_add(t, "devices", members);
		json_object_array_add(tiles, t);
		last = tile;
	}
	for (i = 0; i < devs->n; i++) {
		const struct dojoctl_links *l = &all[devs->dev[i].index];

		if (!is_up(&l->ttp_state) || l->tile_id.err)
			json_object_array_add(no_tile, dip_json(l));
	}
	json_object_object_add(top, "tiles", tiles);
	json_object_object_add(top, "no_tile", no_tile);
}

/*
 * Z-plane segments: the node ids the selected DIPs' OPEN connections join
 * (local DIPs and their peers), by union-find; numbered from 1 in the
 * order of their lowest node id, members by node id.
 */
struct segments {
	int64_t *node;
	int *parent;
	int *local;		/* position in the links array, or -1 */
	bool *joined;		/* an end of an OPEN connection */
	int n;
};

static int seg_find(struct segments *s, int i)
{
	while (s->parent[i] != i)
		i = s->parent[i] = s->parent[s->parent[i]];
	return i;
}

static int seg_node(struct segments *s, int64_t node)
{
	int i;

	for (i = 0; i < s->n; i++)
		if (s->node[i] == node)
			return i;
	s->node[i] = node;
	s->parent[i] = i;
	s->local[i] = -1;
	s->joined[i] = false;
	return s->n++;
}

static int seg_build(struct segments *s, const struct dojoctl_devs *devs,
		     const struct dojoctl_links *all)
{
	int cap = devs->n * (DRM_DOJO_ZPLANE_MAX_CONNS + 1) + 1, i, a, b;
	uint32_t k;

	memset(s, 0, sizeof(*s));
	s->node = calloc(cap, sizeof(*s->node));
	s->parent = calloc(cap, sizeof(*s->parent));
	s->local = calloc(cap, sizeof(*s->local));
	s->joined = calloc(cap, sizeof(*s->joined));
	if (!s->node || !s->parent || !s->local || !s->joined)
		return -ENOMEM;
	for (i = 0; i < devs->n; i++) {
		const struct dojoctl_links *l = &all[devs->dev[i].index];

		if (l->node_id.err)
			continue;
		a = seg_node(s, l->node_id.i);
		s->local[a] = devs->dev[i].index;
		for (k = 0; !l->conns_err && k < l->conns.count; k++) {
			if (l->conns.conns[k].state != DRM_DOJO_CONN_OPEN)
				continue;
			b = seg_node(s, l->conns.conns[k].peer_node_id);
			s->joined[a] = s->joined[b] = true;
			s->parent[seg_find(s, b)] = seg_find(s, a);
		}
	}
	return 0;
}

static void seg_free(struct segments *s)
{
	free(s->node);
	free(s->parent);
	free(s->local);
	free(s->joined);
}

/* The member of @s with the lowest node id above @above in @root's set. */
static int seg_next(struct segments *s, int root, int64_t above)
{
	int i, best = -1;

	for (i = 0; i < s->n; i++)
		if (s->joined[i] && seg_find(s, i) == root &&
		    s->node[i] > above &&
		    (best < 0 || s->node[i] < s->node[best]))
			best = i;
	return best;
}

static int segments_json(json_object *top, const struct dojoctl_devs *devs,
			 const struct dojoctl_links *all)
{
	json_object *segs = json_object_new_array();
	json_object *alone = json_object_new_array();
	json_object *unknown = json_object_new_array();
	struct segments s;
	bool *done;
	int i, m, number = 0;

	if (seg_build(&s, devs, all) ||
	    !(done = calloc(s.n + 1, sizeof(*done)))) {
		seg_free(&s);
		json_object_put(segs);
		json_object_put(alone);
		json_object_put(unknown);
		return -ENOMEM;
	}
	for (;;) {
		int first = -1, root;
		json_object *seg, *members;

		for (i = 0; i < s.n; i++)
			if (s.joined[i] && !done[seg_find(&s, i)] &&
			    (first < 0 || s.node[i] < s.node[first]))
				first = i;
		if (first < 0)
			break;
		root = seg_find(&s, first);
		done[root] = true;
		seg = json_object_new_object();
		members = json_object_new_array();
		json_object_object_add(seg, "segment",
				       json_object_new_int(++number));
		for (m = seg_next(&s, root, -1); m >= 0;
		     m = seg_next(&s, root, s.node[m]))
			json_object_array_add(members, member_json(
				s.local[m] >= 0 ? &all[s.local[m]] : NULL,
				s.node[m]));
		json_object_object_add(seg, "members", members);
		json_object_array_add(segs, seg);
	}
	for (i = 0; i < devs->n; i++) {
		const struct dojoctl_links *l = &all[devs->dev[i].index];
		int at = -1;

		for (m = 0; !l->node_id.err && m < s.n; m++)
			if (s.node[m] == l->node_id.i && s.joined[m])
				at = m;
		if (at >= 0 || l->no_zplane)
			continue;
		if (l->conns_err && !l->no_zplane)
			json_object_array_add(unknown, dip_json(l));
		else
			json_object_array_add(alone, dip_json(l));
	}
	free(done);
	seg_free(&s);
	json_object_object_add(top, "segments", segs);
	json_object_object_add(top, "no_connection", alone);
	json_object_object_add(top, "connections_unknown", unknown);
	return 0;
}

static json_object *tree_json(const struct dojoctl_devs *devs,
			      const struct dojoctl_links *all)
{
	json_object *top = dojoctl_new_doc("dojoctl.topo-tree/1");

	tiles_json(top, devs, all);
	if (segments_json(top, devs, all)) {
		json_object_put(top);
		return NULL;
	}
	return top;
}

/* ---- the tree as a table ------------------------------------------------ */

static const char *jstr(json_object *o, const char *key, char *buf,
			size_t size)
{
	json_object *v = json_object_object_get(o, key);

	if (!v)
		snprintf(buf, size, "-");
	else if (!strcmp(key, "node_id"))
		dojoctl_format_node(json_object_get_int64(v), buf, size);
	else
		snprintf(buf, size, "%s", json_object_get_string(v));
	return buf;
}

/*
 * A line of the tree under @parent (NULL: a root): @what in the tree
 * column; the place, node id and link state of @o, a DIP or segment
 * member object, when given.
 */
static struct libscols_line *tree_line(struct libscols_table *tb,
				       struct libscols_line *parent,
				       const char *what, json_object *o,
				       const char *state_key)
{
	struct libscols_line *ln = scols_table_new_line(tb, parent);
	char buf[64], edge[16], slot[16];

	if (!ln || scols_line_set_data(ln, 0, what))
		return NULL;
	if (!o)
		return ln;
	if (json_object_object_get(o, "tile_edge") &&
	    !strcmp(state_key, "ttp_link_state")) {
		snprintf(buf, sizeof(buf), "edge %s slot %s",
			 jstr(o, "tile_edge", edge, sizeof(edge)),
			 jstr(o, "tile_slot", slot, sizeof(slot)));
		if (scols_line_set_data(ln, 1, buf))
			return NULL;
	}
	if (scols_line_set_data(ln, 2, jstr(o, "node_id", buf, sizeof(buf))) ||
	    scols_line_set_data(ln, 3, jstr(o, state_key, buf, sizeof(buf))))
		return NULL;
	return ln;
}

/* A root line @what with one child per object of @list. */
static int tree_group(struct libscols_table *tb, const char *what,
		      json_object *list, const char *state_key)
{
	struct libscols_line *root;
	size_t i, n = json_object_array_length(list);
	char name[64], node[16];

	if (!n)
		return 0;
	root = tree_line(tb, NULL, what, NULL, NULL);
	for (i = 0; root && i < n; i++) {
		json_object *o = json_object_array_get_idx(list, i);
		json_object *v = json_object_object_get(o, "name");

		if (v)
			snprintf(name, sizeof(name), "%s",
				 json_object_get_string(v));
		else
			snprintf(name, sizeof(name), "node %s (remote)",
				 jstr(o, "node_id", node, sizeof(node)));
		if (!tree_line(tb, root, name, o, state_key))
			return -ENOMEM;
	}
	return root ? 0 : -ENOMEM;
}

static int print_tree(const struct dojoctl *ctl, json_object *top)
{
	static const struct dojoctl_column cols[] = {
		{ "TOPOLOGY", SCOLS_FL_TREE },
		{ "PLACE", 0 },
		{ "NODE", 0 },
		{ "LINK", 0 },
	};
	struct libscols_table *tb = dojoctl_new_table(ctl, cols,
						      ARRAY_SIZE(cols));
	json_object *tiles = json_object_object_get(top, "tiles");
	json_object *segs = json_object_object_get(top, "segments");
	char what[64];
	size_t i;
	int err = tb ? 0 : -ENOMEM;

	for (i = 0; !err && i < json_object_array_length(tiles); i++) {
		json_object *t = json_object_array_get_idx(tiles, i);

		snprintf(what, sizeof(what), "tile %s",
			 json_object_get_string(
				 json_object_object_get(t, "tile_id")));
		err = tree_group(tb, what, json_object_object_get(t, "devices"),
				 "ttp_link_state");
	}
	if (!err)
		err = tree_group(tb, "no tile",
				 json_object_object_get(top, "no_tile"),
				 "ttp_link_state");
	for (i = 0; !err && i < json_object_array_length(segs); i++) {
		json_object *s = json_object_array_get_idx(segs, i);

		snprintf(what, sizeof(what), "Z-plane segment %s",
			 json_object_get_string(
				 json_object_object_get(s, "segment")));
		err = tree_group(tb, what, json_object_object_get(s, "members"),
				 "zplane_link_state");
	}
	if (!err)
		err = tree_group(tb, "Z-plane: no connection",
				 json_object_object_get(top, "no_connection"),
				 "zplane_link_state");
	if (!err)
		err = tree_group(tb, "Z-plane: connections unknown",
				 json_object_object_get(top,
							"connections_unknown"),
				 "zplane_link_state");
	if (!err)
		err = scols_print_table(tb);
	scols_unref_table(tb);
	if (err) {
		dojoctl_err("cannot print the tree");
		return DOJOCTL_EXIT_DEVICE;
	}
	return 0;
}

int dojoctl_topo(const struct dojoctl *ctl, int argc, char **argv)
{
	struct dojoctl_links *all = NULL;
	struct dojoctl_dev *alldev = NULL;
	struct dojoctl_devs devs;
	json_object *doc = NULL;
	int i, ret;

	if (argc > 1) {
		dojoctl_err("usage: dojoctl topo [--tree] [-i DEVICE]");
		return DOJOCTL_EXIT_USAGE;
	}
	ret = dojoctl_select(ctl, 1, argv, false, false, &devs);
	if (!devs.dev)
		return ret;
	dojoctl_first_failure(&ret,
			      dojoctl_links_read_all(&devs, &alldev, &all));
	if (!all)
		goto out;

	if (ctl->tree) {
		doc = tree_json(&devs, all);
	} else if (ctl->json) {
		doc = dojoctl_new_doc("dojoctl.topo/1");
		json_object_object_add(doc, "devices", matrix_json(&devs, all));
	}
	if ((ctl->tree || ctl->json) && !doc) {
		dojoctl_err("out of memory");
		dojoctl_first_failure(&ret, DOJOCTL_EXIT_DEVICE);
	} else if (ctl->json) {
		if (dojoctl_print_doc(ctl, doc))
			dojoctl_first_failure(&ret, DOJOCTL_EXIT_DEVICE);
	} else if (ctl->tree) {
		dojoctl_first_failure(&ret, print_tree(ctl, doc));
	} else {
		dojoctl_first_failure(&ret, print_matrix(ctl, &devs, all));
	}
	for (i = 0; i < devs.n; i++) {
		const struct dojoctl_links *l = &all[devs.dev[i].index];

		if (l->conns_err && !l->no_zplane && !ctl->json)
			dojoctl_warn("%s: no connection table: %s",
				     l->d->name, l->conns_reason);
	}
	json_object_put(doc);
out:
	free(all);
	free(alldev);
	dojoctl_devs_free(&devs);
	return ret;
}
