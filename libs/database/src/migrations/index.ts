import { InitialSchema1764050000000 } from './1764050000000-initial-schema';
import { OutboxNotificationsWebhooks1764060000000 } from './1764060000000-outbox-notifications-webhooks';
import { NotificationsEventOrder1764070000000 } from './1764070000000-notifications-event-order';
import { ArticleVersionsAndTagOrder1764080000000 } from './1764080000000-article-versions-and-tag-order';
import { ArticleSearch1764090000000 } from './1764090000000-article-search';
import { TokenRevocations1764100000000 } from './1764100000000-token-revocations';
import { IdempotencyKeys1764110000000 } from './1764110000000-idempotency-keys';
import { OutboxTraceContext1764120000000 } from './1764120000000-outbox-trace-context';

/** Every migration, in order. Listed explicitly so the built app needs no file globbing. */
export const MIGRATIONS = [
  InitialSchema1764050000000,
  OutboxNotificationsWebhooks1764060000000,
  NotificationsEventOrder1764070000000,
  ArticleVersionsAndTagOrder1764080000000,
  ArticleSearch1764090000000,
  TokenRevocations1764100000000,
  IdempotencyKeys1764110000000,
  OutboxTraceContext1764120000000,
];
