/* The patient's record as a FHIR R4 Bundle: the transfer document (a
 * `document` for a transfer or release, signed afterwards by jws.c) and
 * the export (a `collection`).  Pure: plain structs in, a jansson Bundle
 * out; the caller loads them and gives the ids the document needs (see
 * "Transfer documents" in docs/design.md). */
#ifndef IDTSD_FHIR_H
#define IDTSD_FHIR_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "continuity.h"
#include "dose.h"
#include "movement.h"
#include "observation.h"
#include "patient.h"
#include "prescription.h"
#include "register.h"
#include "staff.h"

#define FHIR_FLAG_TEXT_MAX	800
/* The ids made for a document: the Bundle, the Composition, the
 * Organization, the CarePlan, the six NEWS2 readings, and a Flag each. */
#define FHIR_FIXED_IDS		10

enum fhir_kind {
	FHIR_TRANSFER,		/* a document */
	FHIR_RELEASE,		/* a document */
	FHIR_COLLECTION,	/* the export */
};

/* A member of staff, as a Practitioner. */
struct fhir_person {
	char	id[UUID_STR_LEN];		/* "" when not known */
	char	username[USERNAME_MAX + 1];
	char	name[STAFF_NAME_MAX * 4 + 1];
};

/* A prescription in force, with its product, prescriber and last dose. */
struct fhir_medication {
	const struct prescription	*rx;
	const struct product		*product;
	struct fhir_person		 prescriber;
	int				 has_last;
	struct dose			 last;		/* given, if has_last */
	struct fhir_person		 given_by, witness;
};

/* A hold for review or a caution in force, as a Flag. */
struct fhir_flag {
	int	drug;		/* a hold (category drug), else clinical */
	char	text[FHIR_FLAG_TEXT_MAX * 4 + 1];
	int64_t	since;
};

struct fhir_input {
	enum fhir_kind			 kind;
	int64_t				 now;
	const char			*code, *name;	/* establishment */
	const struct patient		*patient;
	const struct movement		*movement;	/* NULL: export */
	const struct fhir_medication	*meds;
	size_t				 nmeds;
	const struct observation	*news2;		/* latest, or NULL */
	const struct observation_plan	*plan;		/* or NULL */
	const struct care_clock		*clocks;
	size_t				 nclocks;
	const struct fhir_flag		*flags;
	size_t				 nflags;
	/* FHIR_FIXED_IDS + nflags new UUIDs, for what has no id of its
	 * own. */
	const char			(*ids)[UUID_STR_LEN];
	size_t				 nids;
};

json_t	*fhir_bundle(const struct fhir_input *);

#endif
