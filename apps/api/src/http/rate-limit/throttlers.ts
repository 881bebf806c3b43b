/** The general per-address limit, on every route but probes. */
export const GENERAL_THROTTLER = 'default';
/** The strict per-address limit on login and registration (`@StrictRateLimit()`). */
export const CREDENTIALS_THROTTLER = 'auth';
