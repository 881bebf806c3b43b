/**
 * Domain events: recorded in the outbox in the same transaction as the change
 * that caused them, relayed to the `events` queue by the worker. Payloads hold
 * ids only; consumers read the current state.
 */
export interface DomainEventPayloads {
  'user.followed': { followerId: number; followeeId: number };
  'article.published': { articleId: number; authorId: number };
  'article.favorited': { articleId: number; authorId: number; userId: number };
  'comment.created': { commentId: number; articleId: number; articleAuthorId: number; authorId: number };
}

export type DomainEventType = keyof DomainEventPayloads;

export type DomainEvent = {
  [T in DomainEventType]: { type: T; payload: DomainEventPayloads[T] };
}[DomainEventType];

export const DOMAIN_EVENT_TYPES: readonly DomainEventType[] = ['user.followed', 'article.published', 'article.favorited', 'comment.created'];

/** Whose content an event is about: that user's webhooks receive it. */
export function eventOwnerId(event: DomainEvent): number {
  switch (event.type) {
    case 'user.followed':
      return event.payload.followeeId;
    case 'article.published':
    case 'article.favorited':
      return event.payload.authorId;
    case 'comment.created':
      return event.payload.articleAuthorId;
  }
}
