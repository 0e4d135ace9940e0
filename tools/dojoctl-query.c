// SPDX-License-Identifier: MIT
/*
 * dojoctl --query=FIELD,... [--format=csv[,noheader][,nounits]]: chosen
 * values of each DIP, one CSV line each, for scripts (the shape of
 * nvidia-smi --query-gpu). Fields: dojoctl --help-query.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "dojoctl.h"

void dojoctl_help_query(FILE *out)
{
	unsigned int i;

	fprintf(out,
		"Fields for dojoctl --query=FIELD,... (JSON key with -j):\n\n");
	for (i = 0; i < dojoctl_nfields; i++) {
		const struct dojoctl_field *f = &dojoctl_fields[i];
		const char *unit = dojoctl_unit_name(f->unit);
		char name[64];

		snprintf(name, sizeof(name), "%s%s%s%s", f->name,
			 unit ? " [" : "", unit ? unit : "", unit ? "]" : "");
		fprintf(out, "  %-30s %-32s %s\n", name, f->key, f->help);
	}
	fprintf(out,
		"\nAn unknown value is an empty CSV field, and null in JSON with"
		" the reason\nin \"unavailable\".\n");
}

/* RFC 4180: quote a field holding a comma, a quote or a line break */
static void csv_field(const char *s, bool first)
{
	if (!first)
		putchar(',');
	if (!strpbrk(s, ",\"\r\n")) {
		fputs(s, stdout);
		return;
	}
	putchar('"');
	for (; *s; s++) {
		if (*s == '"')
			putchar('"');
		putchar(*s);
	}
	putchar('"');
}

int dojoctl_query(const struct dojoctl *ctl, int argc, char **argv)
{
	const struct dojoctl_field **fields = NULL;
	struct dojoctl_devs devs;
	json_object *devices = NULL;
	char *copy, *tok, *save = NULL;
	int nf = 0, i, j, ret;

	copy = strdup(ctl->query);
	fields = calloc(strlen(ctl->query) + 1, sizeof(*fields));
	if (!copy || !fields) {
		dojoctl_err("out of memory");
		return DOJOCTL_EXIT_DEVICE;
	}
	for (tok = strtok_r(copy, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		tok += strspn(tok, " ");
		fields[nf] = dojoctl_field_find(tok);
		if (!fields[nf]) {
			dojoctl_err("unknown field '%s' (see dojoctl --help-query)",
				    tok);
			ret = DOJOCTL_EXIT_USAGE;
			goto out;
		}
		nf++;
	}
	if (!nf) {
		dojoctl_err("--query needs at least one field");
		ret = DOJOCTL_EXIT_USAGE;
		goto out;
	}

	ret = dojoctl_select(ctl, argc, argv, false, false, &devs);
	if (!devs.dev)
		goto out;

	if (ctl->json)
		devices = json_object_new_array();
	else if (!ctl->csv_noheader) {
		for (j = 0; j < nf; j++) {
			const char *unit = dojoctl_unit_name(fields[j]->unit);
			char h[80];

			if (unit && !ctl->csv_nounits)
				snprintf(h, sizeof(h), "%s [%s]", fields[j]->name,
					 unit);
			else
				snprintf(h, sizeof(h), "%s", fields[j]->name);
			csv_field(h, !j);
		}
		putchar('\n');
	}
	for (i = 0; i < devs.n; i++) {
		json_object *o = NULL, *unav = NULL;

		if (devices) {
			o = json_object_new_object();
			unav = json_object_new_object();
		}
		for (j = 0; j < nf; j++) {
			struct dojoctl_value v;
			char buf[96];

			dojoctl_field_get(fields[j], &devs.dev[i], &v);
			if (o) {
				dojoctl_json_add_value(o, unav, fields[j]->key,
						       &v);
				continue;
			}
			dojoctl_value_text(fields[j], &v, !ctl->csv_nounits,
					   buf, sizeof(buf));
			csv_field(buf, !j);
		}
		if (o) {
			json_object_object_add(o, "unavailable", unav);
			json_object_array_add(devices, o);
		} else {
			putchar('\n');
		}
	}
	if (devices) {
		if (dojoctl_print_json(ctl, "dojoctl.query/1", devices))
			dojoctl_first_failure(&ret, DOJOCTL_EXIT_DEVICE);
		json_object_put(devices);
	}
	dojoctl_devs_free(&devs);
out:
	free(fields);
	free(copy);
	return ret;
}
