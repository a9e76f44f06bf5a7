/* The JSON form of products, prescriptions, doses and register entries. */
#include <stdio.h>
#include <string.h>

#include "api.h"
#include "prescribing.h"
#include "request.h"
#include "store.h"

/* The person a staff record is, as records name them. */
void
api_person_from_staff(const struct staff *s, struct store_person *out)
{
	strcpy(out->id, s->id);
	strcpy(out->username, s->username);
	strcpy(out->display_name, s->display_name);
}

/* A person who signed, or null. */
json_t *
api_person_json(const struct store_person *p)
{
	if (p->id[0] == '\0')
		return json_null();
	return json_pack("{s:s,s:s,s:s}", "id", p->id, "username", p->username,
	    "display_name", p->display_name);
}

/* A patient as a dose or an entry names them, or null. */
json_t *
api_patient_ref_json(const struct store_patient_ref *p)
{
	if (p->id[0] == '\0')
		return json_null();
	return json_pack("{s:s,s:s,s:s,s:s,s:s}", "id", p->id,
	    "prison_number", p->prison_number, "given_name", p->given_name,
	    "family_name", p->family_name, "location", p->location);
}

/* An amount {quantity, unit}. */
static json_t *
api_amount_json(const struct amount *a)
{
	return json_pack("{s:o,s:s}", "quantity", json_quantity(a->quantity),
	    "unit", a->unit);
}

/* The active amount a measure of the product holds (30 ml: 30 mg), or
 * null when its strength is not known. */
json_t *
api_active_json(const struct product *p, int64_t measure)
{
	struct amount	a;

	if (amount_active(measure, &p->active_per_unit, &a) == -1)
		return json_null();
	return api_amount_json(&a);
}

/* A limit in the product's unit, or null when none is set. */
static json_t *
api_limit_json(int64_t limit)
{
	return limit > 0 ? json_quantity(limit) : json_null();
}

/* The override a prescription was written over: the prescriber's reason
 * and what it overrode, each in words; null when none. */
static json_t *
api_override_json(const char *reason, const char *codes)
{
	json_t		*reasons;
	char		 code[PRESCRIPTION_CODES_MAX];
	const char	*text;
	size_t		 n;

	if (reason[0] == '\0')
		return json_null();
	reasons = json_array();
	for (; *codes != '\0'; codes += n + strspn(codes + n, " ")) {
		n = strcspn(codes, " ");
		snprintf(code, sizeof code, "%.*s", (int)n, codes);
		text = prescribing_reason_text(code);
		json_array_append_new(reasons, json_pack("{s:s,s:s}", "code",
		    code, "message", text ? text : code));
	}
	return json_pack("{s:s,s:o}", "reason", reason, "reasons", reasons);
}

/* A product, with its running balance if with_balance. */
json_t *
api_product_json(const struct product *p, int with_balance)
{
	json_t	*o = json_pack("{s:s,s:s,s:s,s:s,s:s,s:o,s:o,s:o,s:b}", "id",
	    p->id, "name", p->name, "form", p->form, "strength", p->strength,
	    "unit", p->unit, "active_per_unit",
	    p->active_per_unit.quantity > 0 ?
	    api_amount_json(&p->active_per_unit) : json_null(),
	    "max_single_dose", api_limit_json(p->max_single_dose),
	    "max_daily_dose", api_limit_json(p->max_daily_dose),
	    "opioid_substitute", p->opioid_substitute);

	if (with_balance) {
		json_object_set_new(o, "balance", json_quantity(p->balance));
		json_object_set_new(o, "created_at",
		    json_instant(p->created_at));
	}
	return o;
}

/* A prescription with its product, its prescriber and its state today. */
json_t *
api_prescription_json(const struct prescription *rx,
    const struct product *product, const struct store_person *prescriber,
    int64_t now)
{
	struct civil_date	 today = calendar_local_date(now);
	char			 buf[TIMEFMT_DATE_LEN], hhmm[6];
	char			 start[TIMEFMT_DATE_LEN], end[TIMEFMT_DATE_LEN];
	json_t			*times = json_array(), *steps = json_array();
	int			 i;

	for (i = 0; i < rx->ntimes; i++) {
		prescription_time_format(rx->times[i], hhmm);
		json_array_append_new(times, json_string(hhmm));
	}
	for (i = 0; i < rx->nsteps; i++) {
		timefmt_format_date(rx->steps[i].from, buf);
		json_array_append_new(steps, json_pack("{s:s,s:o,s:o}",
		    "from_date", buf, "dose", json_quantity(rx->steps[i].dose),
		    "active", api_active_json(product, rx->steps[i].dose)));
	}
	timefmt_format_date(rx->start, start);
	timefmt_format_date(rx->end, end);
	return json_pack("{s:s,s:s,s:o,s:s,s:o,s:o,s:o,s:o,s:s,s:o,s:i,s:s,"
	    "s:o,s:o,s:o,s:o,s:s,s:o,s:i,s:o,s:s*,s:o}",
	    "id", rx->id, "patient_id", rx->patient_id,
	    "product", api_product_json(product, 0),
	    "regimen", prescription_regimen_name(rx->regimen),
	    "dose", json_quantity(rx->dose),
	    "active", api_active_json(product, rx->dose),
	    "current_dose", json_quantity(prescription_dose_on(rx, today)),
	    "current_active", api_active_json(product,
	    prescription_dose_on(rx, today)),
	    "unit", product->unit,
	    "times", times, "every_days", rx->every_days,
	    "start_date", start,
	    "end_date", rx->has_end ? json_string(end) : json_null(),
	    "steps", steps,
	    "prescriber", api_person_json(prescriber),
	    "created_at", json_instant(rx->created_at),
	    "state", prescription_state(rx, today),
	    "held_at", rx->held_at ? json_instant(rx->held_at) : json_null(),
	    "not_taken_run", rx->not_taken_run,
	    "stopped_at", rx->stopped_at ? json_instant(rx->stopped_at) :
	    json_null(),
	    "stop_reason", rx->stopped_at ? rx->stop_reason : NULL,
	    "override", api_override_json(rx->override_reason,
	    rx->override_codes));
}

/* A dose as the round shows it, with its state now. */
json_t *
api_dose_json(const struct store_dose_row *row, int64_t now)
{
	const struct dose	*d = &row->dose;

	return json_pack("{s:s,s:o,s:s,s:o,s:o,s:o,s:s,s:o,s:o,s:o,s:s,s:o,"
	    "s:o,s:o,s:o,s:s*,s:s*,s:s*,s:o}",
	    "id", d->id, "patient", api_patient_ref_json(&row->patient),
	    "prescription_id", d->prescription_id,
	    "product", api_product_json(&row->product, 0),
	    "dose", json_quantity(d->amount),
	    "active", api_active_json(&row->product, d->amount),
	    "unit", row->product.unit,
	    "due_at", json_instant(d->due_at),
	    "window_start", json_instant(d->window_start),
	    "window_end", json_instant(d->window_end),
	    "state", dose_state_name(dose_state_at(d,
	    store_dose_standing(row), now)),
	    "recorded_at", d->recorded_at ? json_instant(d->recorded_at) :
	    json_null(),
	    "recorded_by", api_person_json(&row->given_by),
	    "administered_by", d->state == DOSE_GIVEN ?
	    api_person_json(&row->given_by) : json_null(),
	    "witnessed_by", api_person_json(&row->witness),
	    "reason", d->reason[0] ? d->reason : NULL,
	    "note", d->note[0] ? d->note : NULL,
	    "register_entry_id", d->register_entry_id[0] ?
	    d->register_entry_id : NULL,
	    "override", api_override_json(prescribing_override_shown(
	    row->override_reason[0] != '\0', row->given_before) ?
	    row->override_reason : "", row->override_codes));
}

/* A register entry with both signatories. */
json_t *
api_register_json(const struct store_register_row *row)
{
	const struct register_entry	*e = &row->entry;
	int				 check = e->kind == REGISTER_CHECK;

	return json_pack("{s:s,s:I,s:s,s:s,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:s*,"
	    "s:o,s:s*,s:s*,s:s*,s:s*}",
	    "id", e->id, "seq", (json_int_t)e->seq,
	    "product_id", e->product_id, "kind", register_kind_name(e->kind),
	    "quantity", json_quantity(e->quantity),
	    "balance_after", json_quantity(e->balance_after),
	    "counted", check ? json_quantity(e->counted) : json_null(),
	    "difference", check ? json_quantity(e->counted -
	    e->balance_after) : json_null(),
	    "at", json_instant(e->at),
	    "by", api_person_json(&row->by),
	    "witness", api_person_json(&row->witness),
	    "dose_id", e->dose_id[0] ? e->dose_id : NULL,
	    "patient", api_patient_ref_json(&row->patient),
	    "supplier", e->supplier[0] ? e->supplier : NULL,
	    "reference", e->reference[0] ? e->reference : NULL,
	    "reason", e->reason[0] ? e->reason : NULL,
	    "corrects_entry_id", e->corrects[0] ? e->corrects : NULL);
}
