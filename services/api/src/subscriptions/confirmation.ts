// The confirmation-mail budget and queueing live with the subscription actions (libs/actions), so the
// Subscribe form, keys and the operator CLI share one rule; the form's controller imports them here.
export { CONFIRMATION_DAILY_CAP, CONFIRMATION_GAP_MS, queueConfirmation, reserveConfirmation } from '@paperwire/actions';
