/**
 * What a notification says happened, as the worker writes it and the API lists it. The
 * notifications table's CHECK constraint (migration OutboxNotificationsWebhooks) allows exactly these.
 */
export const NOTIFICATION_TYPES = ['follow', 'favorite', 'comment', 'article'] as const;

export type NotificationType = (typeof NOTIFICATION_TYPES)[number];
