/* Short ids: the one full id a prefix names, per kind of record. */
#ifndef IDTSD_STORE_IDS_H
#define IDTSD_STORE_IDS_H

#include "store.h"
#include "validate.h"

enum store_id_kind {
	STORE_ID_ALERT,
	STORE_ID_PRESCRIPTION,
	STORE_ID_DOSE,
	STORE_ID_MOVEMENT,
	STORE_ID_OBSERVATION,
	STORE_ID_STAFF_CHANGE,
	STORE_ID_TERMINAL
};

enum store_result store_id_by_prefix(struct store *, enum store_id_kind,
	    const char *prefix, char id[UUID_STR_LEN], int *matches);

#endif
