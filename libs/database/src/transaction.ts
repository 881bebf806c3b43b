import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';

/**
 * The caller's transaction. Repository methods take one optionally (and pass
 * it to `Sql`), so a service can run several of them atomically.
 */
export type Tx = EntityManager;

/** Runs work in one transaction: committed when it resolves, rolled back when it throws. */
@Injectable()
export class Transactions {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  run<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }
}
