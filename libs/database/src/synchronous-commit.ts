import type { PoolClient } from 'pg';

/**
 * PostgreSQL's warning when a commit's wait for the synchronous standby is cancelled (a cancel
 * request: pg_cancel_backend, a pooler passing on a client's cancel; the statement timeout does
 * not reach a commit): the transaction committed on this server only, and the client is told it
 * succeeded. On a primary cut off from its standby (a partition) that commit is thrown away when
 * the primary rejoins as a standby: a write acknowledged, then lost. So such a commit is reported
 * as a failure (CommitNotReplicatedError, answered 503) and the client's retry, if any, lands on
 * whichever primary the cluster has then. (A terminated wait ends the connection: an error anyway.)
 */
const CANCELLED_SYNCHRONOUS_COMMIT = /canceling wait for synchronous replication/;

const watched = new WeakSet<PoolClient>();
const unconfirmed = new WeakSet<PoolClient>();

export class CommitNotReplicatedError extends Error {
  constructor() {
    super('the commit was not confirmed by the synchronous standby (cut short); it may be lost in a failover');
    this.name = 'CommitNotReplicatedError';
  }
}

/** Listens for the warning on `client` (once per connection); returns the client. */
export function watchSynchronousCommits(client: PoolClient): PoolClient {
  if (!watched.has(client)) {
    watched.add(client);
    client.on('notice', (notice: { message?: string }) => {
      if (CANCELLED_SYNCHRONOUS_COMMIT.test(notice.message ?? '')) unconfirmed.add(client);
    });
  }
  return client;
}

/** Throws CommitNotReplicatedError when the last commit on `client` was not confirmed by the standby. */
export function throwIfCommitNotReplicated(client: PoolClient): void {
  if (unconfirmed.delete(client)) throw new CommitNotReplicatedError();
}
