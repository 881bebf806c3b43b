import type { NotificationType } from '@app/queue';

export interface NotificationView {
  readonly id: number;
  readonly type: NotificationType;
  readonly createdAt: string;
  readonly read: boolean;
  readonly actor: { readonly username: string; readonly image: string | null };
  readonly article: { readonly slug: string; readonly title: string } | null;
  readonly comment: { readonly id: number; readonly body: string } | null;
}
