/* ctx_same.h: for the unit tests of typed template records (test_ctx.c,
 * test_ctx_week.c): whether a typed value is the jansson value the old
 * builder made, name by name and both ways, and adding a template that
 * must parse.  Included by one test file each (static functions). */
#ifndef PLANSITE_TEST_CTX_SAME_H
#define PLANSITE_TEST_CTX_SAME_H

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "tmpl.h"
#include "util.h"

static long field_named(const tmpl_type_t *t, const char *name)
{
	for (size_t i = 0; i < t->nfields; i++)
		if (!strcmp(t->fields[i].name, name))
			return (long)i;
	return -1;
}

/* Whether the typed value v is the jansson value j (at path, for the
 * message); records compare name by name, both ways. */
static void same(const char *path, const tmpl_val_t *v, json_t *j)
{
	switch (v->kind) {
	case TMPL_MISSING:
		fail_msg("%s: missing in the record, %s in jansson", path, j ? "present" : "absent");
		break;
	case TMPL_NULL:
		if (!json_is_null(j))
			fail_msg("%s: null in the record, not in jansson", path);
		break;
	case TMPL_BOOL:
		if (!json_is_boolean(j) || json_is_true(j) != v->u.b)
			fail_msg("%s: %s in the record, not in jansson", path, v->u.b ? "true" : "false");
		break;
	case TMPL_INT:
		if (!json_is_integer(j) || json_integer_value(j) != v->u.i)
			fail_msg("%s: %lld in the record, not in jansson", path, v->u.i);
		break;
	case TMPL_STR:
		if (!json_is_string(j) || json_string_length(j) != tmpl_str_len(v) ||
		    memcmp(json_string_value(j), v->u.str.s, tmpl_str_len(v)))
			fail_msg("%s: \"%.*s\" in the record, \"%s\" in jansson", path, (int)tmpl_str_len(v),
				 v->u.str.s, json_is_string(j) ? json_string_value(j) : "(not a string)");
		break;
	case TMPL_JSON:
		if (!json_equal(v->u.json, j))
			fail_msg("%s: another jansson value in the record", path);
		break;
	case TMPL_REC: {
		const tmpl_type_t *t = v->u.rec.type;
		if (!json_is_object(j))
			fail_msg("%s: a record, not an object in jansson", path);
		const char *key;
		json_t *jv;
		json_object_foreach(j, key, jv) {
			char sub[256];
			snprintf(sub, sizeof sub, "%s.%s", path, key);
			long fi = field_named(t, key);
			if (fi < 0)
				fail_msg("%s: no such name in the record (type %s)", sub, t->name);
			char scratch[TMPL_SCRATCH];
			tmpl_val_t fv = { .kind = TMPL_MISSING };
			t->get(v->u.rec.p, (size_t)fi, &fv, scratch);
			same(sub, &fv, jv);
			if (fv.kind == TMPL_JSON && fv.owned)
				json_decref(fv.u.json);
		}
		for (size_t i = 0; i < t->nfields; i++) {
			char scratch[TMPL_SCRATCH];
			tmpl_val_t fv = { .kind = TMPL_MISSING };
			t->get(v->u.rec.p, i, &fv, scratch);
			if (fv.kind != TMPL_MISSING && !json_object_get(j, t->fields[i].name))
				fail_msg("%s.%s: in the record, not in jansson", path, t->fields[i].name);
			if (fv.kind == TMPL_JSON && fv.owned)
				json_decref(fv.u.json);
		}
		break;
	}
	case TMPL_LIST: {
		if (!json_is_array(j) || json_array_size(j) != v->u.list.n)
			fail_msg("%s: a list of %zu in the record, not in jansson", path, v->u.list.n);
		for (size_t i = 0; i < v->u.list.n; i++) {
			char sub[256];
			snprintf(sub, sizeof sub, "%s[%zu]", path, i);
			const char *at = (const char *)v->u.list.base + i * v->u.list.stride;
			tmpl_val_t e = tmpl_rec(v->u.list.type, v->u.list.indirect ? *(const void *const *)at : at);
			same(sub, &e, json_array_get(j, i));
		}
		break;
	}
	default:
		fail_msg("%s: a value of kind %d, which these records never hold", path, (int)v->kind);
	}
}

static void add_ok(tmpl_set_t *set, const char *name, const char *src)
{
	char *err = NULL;
	if (tmpl_set_add(set, name, name, src, strlen(src), &err) != 0)
		fail_msg("%s: %s", name, err ? err : "(no message)");
}

/* Prints, tests and inverts every name of j (and of the objects in it)
 * as {{path.name}}; with outer, also a name no object has at each level
 * ({{path.nothing}}, looked up further out) and {{outer}}. */
static void probe_of(buf_t *b, const char *path, json_t *j, bool outer)
{
	const char *key;
	json_t *jv;
	json_object_foreach(j, key, jv) {
		buf_printf(b, "%s.%s=[{{%s.%s}}|{{{%s.%s}}}]{{#%s.%s}}T{{/%s.%s}}{{^%s.%s}}F{{/%s.%s}};\n",
			   path, key, path, key, path, key, path, key, path, key, path, key, path, key);
		if (json_is_object(jv)) {
			char sub[128];
			snprintf(sub, sizeof sub, "%s.%s", path, key);
			probe_of(b, sub, jv, outer);
		}
	}
	if (outer)
		buf_printf(b, "%s.nothing=[{{%s.nothing}}];outer=[{{outer}}]\n", path, path);
}

#endif
