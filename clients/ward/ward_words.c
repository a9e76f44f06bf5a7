/* What the daemon's refusals mean, in the words a nurse at the hatch
 * needs: what happened and what to do next.  A code not in the table
 * falls back to the daemon's own message, which is written for a person
 * too, so a new refusal is never shown as a bare code. */
#include <stdio.h>
#include <string.h>

#include "ward.h"

static const struct {
	const char	*code, *words;
} ward_words_table[] = {
	/* Signing in. */
	{ "invalid_credentials",
	    "The username or PIN is wrong. Try again." },
	{ "unauthenticated", "You are not signed in. Sign in again." },
	{ "session_expired",
	    "Your session ended after a long idle time. Sign in again." },
	{ "forbidden",
	    "Your role does not allow this. Ask a colleague who may." },
	{ "terminal_required",
	    "This terminal is not enrolled, so PINs are not taken here. "
	    "Ask an administrator to enrol it." },
	{ "terminal_revoked",
	    "This terminal's enrolment was revoked. Ask an administrator "
	    "to enrol it again." },
	{ "terminal_mismatch",
	    "Your session was opened on another terminal. Sign in here." },
	{ "too_many_attempts",
	    "Too many wrong PINs from this terminal. Wait a moment, then "
	    "try again." },

	/* The dose. */
	{ "dose_not_due",
	    "This dose's window has not opened yet. Give it at its round "
	    "time." },
	{ "already_administered",
	    "This dose has already been given and signed. Do not give it "
	    "again." },
	{ "given_this_round",
	    "The patient has already had this drug this round. Do not give "
	    "it again." },
	{ "patient_away",
	    "The patient is away at court (or was when this dose fell "
	    "due). No dose is given or recorded until they are back." },
	{ "dose_closed",
	    "This dose's window has closed, or it is recorded as not "
	    "given. It cannot be given now: tell the prescriber if it is "
	    "needed." },
	{ "prescription_stopped",
	    "This prescription has been stopped. Give the dose of the "
	    "prescription that replaced it, if there is one." },
	{ "held_for_review",
	    "The prescription is on hold for a review after doses not "
	    "taken. No dose can be given until a prescriber has reviewed "
	    "it: call the prescriber." },
	{ "balance_would_go_negative",
	    "The CD register shows less stock than this dose. Do not give "
	    "it: count the stock and tell the pharmacy." },
	{ "patient_not_in_custody",
	    "This patient is no longer in custody here." },

	/* The witness. */
	{ "witness_not_authenticated",
	    "The witness's username or PIN is wrong, or they cannot witness "
	    "now. The witness types them again (wrong PINs count towards "
	    "locking their account), or ask another witness." },
	{ "witness_not_distinct",
	    "The witness must be someone else: whoever gives a dose cannot "
	    "also witness it." },
	{ "witness_not_competent",
	    "That person cannot witness controlled drugs. Ask a nurse, a "
	    "pharmacist or a trained competent person." },
	{ "witness_inactive",
	    "The witness's account is not active. Ask another witness." },

	/* Alerts. */
	{ "already_acknowledged",
	    "Someone has already acknowledged this alert." },

	/* Observations. */
	{ "implausible_respiratory_rate",
	    "That respiratory rate cannot be right (1 to 80 a minute). "
	    "Count it again." },
	{ "implausible_spo2",
	    "That SpO2 cannot be right (50 to 100%). Check the probe and "
	    "measure again." },
	{ "invalid_spo2_scale",
	    "The SpO2 scale is 1, or 2 only when prescribed for "
	    "hypercapnic respiratory failure." },
	{ "implausible_systolic_bp",
	    "That blood pressure cannot be right (40 to 300 mmHg). "
	    "Measure again." },
	{ "implausible_pulse",
	    "That pulse cannot be right (20 to 300 a minute). Count it "
	    "again." },
	{ "implausible_temperature",
	    "That temperature cannot be right (30.0 to 45.0 °C). Measure "
	    "again." },
	{ "taken_in_future",
	    "That time is in the future. Give the time the observation "
	    "was taken." },
	{ "taken_before_arrival",
	    "That time is before the patient arrived." },
	{ "taken_too_long_ago",
	    "That time is too long ago to record here; write it up in the "
	    "notes and tell the nurse in charge." },
	{ "observation_out_of_order",
	    "A later observation is already recorded for this patient. "
	    "Check the time." },
	{ "unknown_patient", "There is no such patient." },

	/* The daemon itself. */
	{ "store_unavailable",
	    "The records are unavailable just now. Try again in a moment; "
	    "if it goes on, use the paper chart and call IT." },
	{ "too_many_streams",
	    "Too many terminals are connected to the daemon." },
	{ "idempotency_mismatch",
	    "This form was already sent with other details. Close it and "
	    "start again." },
	{ "not_found", "That record is no longer there. The list is "
	    "refreshed." },
};

#define WARD_NWORDS	(sizeof ward_words_table / sizeof ward_words_table[0])

/* The sentence for code, or NULL. */
const char *
ward_words(const char *code)
{
	size_t	i;

	for (i = 0; code != NULL && i < WARD_NWORDS; i++)
		if (strcmp(code, ward_words_table[i].code) == 0)
			return ward_words_table[i].words;
	return NULL;
}

/* The sentence for a refusal, else the daemon's message, else the code.
 * account_locked keeps the daemon's message: it says until when. */
void
ward_words_say(const char *code, const char *message, char *buf, size_t size)
{
	const char	*words = ward_words(code);

	if (code != NULL && strcmp(code, "account_locked") == 0 &&
	    message != NULL) {
		snprintf(buf, size, "Account locked: %s. Ask an administrator "
		    "to unlock it.", message);
		return;
	}
	if (words != NULL)
		snprintf(buf, size, "%s", words);
	else if (message != NULL && *message != '\0')
		snprintf(buf, size, "%c%s.", message[0] >= 'a' &&
		    message[0] <= 'z' ? message[0] - 'a' + 'A' : message[0],
		    message + 1);
	else
		snprintf(buf, size, "The daemon refused this (%s).",
		    code != NULL ? code : "no reason given");
}
