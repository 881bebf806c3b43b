export interface NotificationView {
  readonly id: number;
  readonly type: 'follow' | 'favorite' | 'comment' | 'article';
  readonly createdAt: string;
  readonly read: boolean;
  readonly actor: { readonly username: string; readonly image: string | null };
  readonly article: { readonly slug: string; readonly title: string } | null;
  readonly comment: { readonly id: number; readonly body: string } | null;
}
