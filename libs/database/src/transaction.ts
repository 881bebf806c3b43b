import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { PoolClient } from 'pg';
import type { DataSource } from 'typeorm';
import type { Tx } from './tx';
import { ambientTransaction, withAmbientTransaction } from './request-transaction';
import { throwIfCommitNotReplicated, watchSynchronousCommits } from './synchronous-commit';

export type { Tx } from './tx';

/**
 * Runs work in one transaction: committed when it resolves, rolled back when it throws. A commit
 * the synchronous standby did not confirm fails (CommitNotReplicatedError; synchronous-commit.ts).
 */
@Injectable()
export class Transactions {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Inside an ambient transaction (request-transaction.ts), `work` joins it: one commit for all. */
  async run<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    const ambient = ambientTransaction();
    if (ambient !== undefined) return work(ambient);
    return this.begin(work);
  }

  /**
   * Runs `work` in a transaction of its own that everything it does joins without being told
   * (the ambient transaction), and, once committed, what it left for after the commit.
   */
  async runAround<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    const { result, afterCommit } = await this.begin((tx) => withAmbientTransaction(tx, () => work(tx)));
    for (const effect of afterCommit) await effect();
    return result;
  }

  private async begin<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    const runner = this.db.createQueryRunner();
    const client = watchSynchronousCommits((await runner.connect()) as PoolClient);
    try {
      await runner.startTransaction();
      const result = await work(runner.manager);
      await runner.commitTransaction();
      throwIfCommitNotReplicated(client);
      return result;
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      throw error;
    } finally {
      await runner.release();
    }
  }
}
