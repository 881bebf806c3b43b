export interface WebhookView {
  readonly id: number;
  readonly url: string;
  readonly events: string[];
  readonly createdAt: string;
}

export interface DeliveryView {
  readonly id: number;
  readonly event: string;
  readonly status: 'pending' | 'delivered' | 'dead';
  readonly attempts: number;
  readonly lastStatusCode: number | null;
  readonly lastError: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly deliveredAt: string | null;
}
