import { NextCursorProperty } from '@app/paging';
import { ApiProperty } from '@nestjs/swagger';
import { IsEnvelope } from '@app/errors';
import { DOMAIN_EVENT_TYPES } from '@app/queue';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsString, Matches, MaxLength } from 'class-validator';

export class NewWebhookDto {
  @ApiProperty({ example: 'https://example.com/hooks/conduit', description: 'http or https URL that receives POSTed events' })
  @IsString()
  @MaxLength(2048)
  @Matches(/^https?:\/\/[^\s/$.?#][^\s]*$/i, { message: 'url must be an http or https URL' })
  url: string;

  @ApiProperty({ type: [String], enum: DOMAIN_EVENT_TYPES, example: ['article.published', 'comment.created'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(DOMAIN_EVENT_TYPES.length)
  @IsIn(DOMAIN_EVENT_TYPES, { each: true, message: `each event must be one of ${DOMAIN_EVENT_TYPES.join(', ')}` })
  events: string[];
}

export class NewWebhookRequestDto {
  @ApiProperty({ type: NewWebhookDto })
  @IsEnvelope(() => NewWebhookDto)
  webhook: NewWebhookDto;
}

export class WebhookDto {
  @ApiProperty({ example: 1 })
  id: number;

  @ApiProperty({ example: 'https://example.com/hooks/conduit' })
  url: string;

  @ApiProperty({ type: [String], example: ['article.published'] })
  events: string[];

  @ApiProperty({ format: 'date-time' })
  createdAt: string;
}

export class CreatedWebhookDto extends WebhookDto {
  @ApiProperty({
    description:
      'HMAC-SHA256 key, shown only once. Each delivery carries X-Conduit-Timestamp and X-Conduit-Signature: sha256=hex(HMAC(secret, "<timestamp>.<raw body>")).',
  })
  secret: string;
}

export class CreatedWebhookResponseDto {
  @ApiProperty({ type: CreatedWebhookDto })
  webhook: CreatedWebhookDto;
}

export class WebhooksResponseDto {
  @ApiProperty({ type: [WebhookDto] })
  webhooks: WebhookDto[];
}

export class DeliveryDto {
  @ApiProperty({ example: 12 })
  id: number;

  @ApiProperty({ example: 'comment.created' })
  event: string;

  @ApiProperty({ enum: ['pending', 'delivered', 'dead'], description: 'dead: every attempt failed; no more retries' })
  status: string;

  @ApiProperty({ example: 1 })
  attempts: number;

  @ApiProperty({ nullable: true, type: Number, example: 200 })
  lastStatusCode: number | null;

  @ApiProperty({ nullable: true, type: String, example: null })
  lastError: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt: string;

  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  deliveredAt: string | null;
}

export class DeliveriesResponseDto {
  @ApiProperty({ type: [DeliveryDto], description: 'Newest first' })
  deliveries: DeliveryDto[];

  @NextCursorProperty()
  nextCursor: string | null;
}
