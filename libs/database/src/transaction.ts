import type { EntityManager } from 'typeorm';

/**
 * The entity manager of the caller's transaction. Repository methods take one
 * optionally, so a service can run several of them atomically.
 */
export type Tx = EntityManager;
