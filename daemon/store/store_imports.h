/* Transfer documents imported at reception, and the prescriptions they
 * carried that wait for a prescriber here (store_imports.c). */
#ifndef IDTSD_STORE_IMPORTS_H
#define IDTSD_STORE_IMPORTS_H

#include <stdint.h>

#include "store.h"
#include "transfer_import.h"

/* One document imported. */
struct store_import {
	char		id[UUID_STR_LEN];
	char		patient_id[UUID_STR_LEN];
	char		sender[TRANSFER_CODE_MAX + 1];
	char		document_id[TRANSFER_ID_MAX + 1];
	char		document_hash[65];
	int64_t		imported_at;
	char		imported_by[UUID_STR_LEN];
};

/* A prescription to be confirmed: request is the MedicationRequest as
 * the document carried it (JSON text, on the heap). */
struct store_rx_to_confirm {
	char		id[UUID_STR_LEN];
	char		import_id[UUID_STR_LEN];
	char		patient_id[UUID_STR_LEN];
	char		product_id[UUID_STR_LEN];
	char		*request;
	char		sender[TRANSFER_CODE_MAX + 1];
	int64_t		imported_at;
	int64_t		confirmed_at;	/* 0 while waiting */
	char		prescription_id[UUID_STR_LEN];
};

enum store_result store_import_insert(struct store *,
	    const struct store_import *);
enum store_result store_import_seen(struct store *, const char *hash,
	    int *seen);
enum store_result store_rx_to_confirm_insert(struct store *,
	    const struct store_rx_to_confirm *);
enum store_result store_rx_to_confirm_get(struct store *, const char *id,
	    struct store_rx_to_confirm *);
enum store_result store_rx_to_confirm_list(struct store *,
	    const char *patient_id,
	    void (*each)(const struct store_rx_to_confirm *, void *),
	    void *arg);
enum store_result store_rx_to_confirm_done(struct store *, const char *id,
	    int64_t now, const char *by, const char *prescription_id);

#endif
