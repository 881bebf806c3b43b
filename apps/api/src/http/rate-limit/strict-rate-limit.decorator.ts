import { SetMetadata } from '@nestjs/common';

export const STRICT_RATE_LIMIT = 'conduit:strict-rate-limit';

/** Also counts the request against the much stricter per-client limit for credentials (login, registration). */
export const StrictRateLimit = () => SetMetadata(STRICT_RATE_LIMIT, true);
