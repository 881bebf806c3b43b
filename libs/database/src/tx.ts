import type { EntityManager } from 'typeorm';

/**
 * The caller's transaction. Repository methods take one optionally (and pass
 * it to `Sql`), so a service can run several of them atomically.
 */
export type Tx = EntityManager;
