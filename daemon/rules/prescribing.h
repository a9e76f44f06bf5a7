/* Whether a prescription may be written: the product's limits (a dose
 * above them is refused), and for an opioid substitute the first
 * prescription of the custody checked against the community dose
 * confirmed at arrival, or a configured first-dose ceiling when none is
 * known (above either needs a prescriber's override with a reason).
 * Pure: it decides, the caller stores what it decided. */
#ifndef IDTSD_PRESCRIBING_H
#define IDTSD_PRESCRIBING_H

#include "amount.h"
#include "patient.h"
#include "prescription.h"
#include "refusal.h"
#include "register.h"

#define PRESCRIBING_DRUG_MAX		32	/* characters */
#define PRESCRIBING_MAX_CEILINGS	16
#define PRESCRIBING_MAX_REASONS		4

/* The most a first day in custody may give of a drug, unless overridden,
 * when no community dose is known (safety.first_dose_ceiling). */
struct prescribing_ceiling {
	char		drug[PRESCRIBING_DRUG_MAX + 1];
	struct amount	dose;
};

struct prescribing_ceilings {
	struct prescribing_ceiling	c[PRESCRIBING_MAX_CEILINGS];
	int				n;
};

/* What the decision looks at. */
struct prescribing_case {
	const struct prescription	*rx;
	const struct product		*product;
	const struct patient		*patient;	/* community dose */
	/* Prescriptions of an opioid substitute already written for the
	 * patient in this custody, stopped ones included. */
	int				 earlier_substitutes;
	const struct prescribing_ceilings *ceilings;
	const char			*override_reason; /* NULL: none */
};

enum prescribing_outcome {
	PRESCRIBING_ACCEPT,
	PRESCRIBING_REFUSE,		/* why says */
	PRESCRIBING_OVERRIDE_REQUIRED,	/* why, and the reasons */
};

/* One reason a prescription needs an override. */
struct prescribing_reason {
	const char	*code;
	char		 message[REFUSAL_MESSAGE_MAX];
};

struct prescribing_decision {
	enum prescribing_outcome	outcome;
	struct refusal			why;
	struct prescribing_reason	reasons[PRESCRIBING_MAX_REASONS];
	int				nreasons;
	/* Accepted over the checks: the codes to record beside the
	 * reason ("" when no override was needed). */
	char				override_codes[PRESCRIPTION_CODES_MAX];
};

void	prescribing_decide(const struct prescribing_case *,
	    struct prescribing_decision *);
const char *prescribing_reason_text(const char *code);
int	prescribing_override_shown(int overridden, int given_before);
int	prescribing_ceiling_add(struct prescribing_ceilings *,
	    const char *drug, const char *dose);

#endif
