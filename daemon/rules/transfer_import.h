/* Import at reception: what a signed transfer document (a FHIR R4
 * document Bundle, "Transfer documents" in docs/design.md) says of the
 * arrival, and which of the sending prison's prescriptions wait to be
 * confirmed here; which local product each names; and what a prescription
 * confirmed today is (a reducing regimen carries on from today's step).
 * Pure: the signature is checked before (jws.c), and the caller stores
 * what these decide. */
#ifndef IDTSD_TRANSFER_IMPORT_H
#define IDTSD_TRANSFER_IMPORT_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "patient.h"
#include "prescription.h"
#include "refusal.h"
#include "register.h"

#define TRANSFER_CODE_MAX	16	/* an establishment's code */
#define TRANSFER_ID_MAX		64	/* the document's identifier */
#define TRANSFER_MAX_RX		16	/* prescriptions in force */
#define TRANSFER_DRUG_MAX	(PRODUCT_TEXT_MAX * 3 + 2)

/* What a MedicationRequest names: the product as the sender wrote it,
 * the unit of its doses, and who prescribed it there. */
struct transfer_drug {
	char	text[TRANSFER_DRUG_MAX * 4 + 1];
	char	unit[PATIENT_UNIT_MAX * 4 + 1];
	char	prescriber[PATIENT_NAME_MAX * 4 + 1];
};

/* One prescription in force at the sending prison. */
struct transfer_rx {
	json_t			*request;	/* a copy, to store */
	struct transfer_drug	 drug;
	struct prescription	 rx;		/* as sent */
};

/* What the document says of the arrival. */
struct transfer_document {
	char			sender[TRANSFER_CODE_MAX + 1];
	char			document_id[TRANSFER_ID_MAX + 1];
	struct patient		patient;	/* arrival, place: ours */
	struct transfer_rx	rxs[TRANSFER_MAX_RX];
	int			nrx;
};

int	transfer_read(const json_t *bundle, struct civil_date today,
	    struct transfer_document *, struct refusal *why);
void	transfer_free(struct transfer_document *);
int	transfer_rx_read(const json_t *request, struct transfer_drug *,
	    struct prescription *, struct refusal *why);
const struct product *transfer_product_match(const struct transfer_drug *,
	    const struct product *products, size_t n);
int	transfer_rx_from(const struct prescription *sent,
	    struct civil_date today, struct prescription *out,
	    struct refusal *why);

#endif
