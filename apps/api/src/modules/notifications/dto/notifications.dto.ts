import { NextCursorProperty } from '@app/paging';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsInt, IsOptional, Max, Min } from 'class-validator';
import { NOTIFICATION_TYPES } from '@app/queue';

class NotificationActorDto {
  @ApiProperty({ example: 'jake' })
  username: string;

  @ApiProperty({ nullable: true, type: String, example: null })
  image: string | null;
}

class NotificationArticleDto {
  @ApiProperty({ example: 'how-to-train-your-dragon' })
  slug: string;

  @ApiProperty({ example: 'How to train your dragon' })
  title: string;
}

class NotificationCommentDto {
  @ApiProperty({ example: 7 })
  id: number;

  @ApiProperty({ example: 'Great read!' })
  body: string;
}

export class NotificationDto {
  @ApiProperty({ example: 42 })
  id: number;

  @ApiProperty({
    enum: NOTIFICATION_TYPES,
    description: 'follow: someone followed you; favorite/comment: on your article; article: an author you follow published',
  })
  type: string;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty()
  read: boolean;

  @ApiProperty({ type: NotificationActorDto })
  actor: NotificationActorDto;

  @ApiProperty({ type: NotificationArticleDto, nullable: true })
  article: NotificationArticleDto | null;

  @ApiProperty({ type: NotificationCommentDto, nullable: true })
  comment: NotificationCommentDto | null;
}

export class NotificationsResponseDto {
  @ApiProperty({ type: [NotificationDto], description: 'Newest first' })
  notifications: NotificationDto[];

  @ApiProperty({ example: 3 })
  notificationsCount: number;

  @ApiProperty({ example: 1 })
  unreadCount: number;

  @NextCursorProperty()
  nextCursor: string | null;
}

export class MarkReadRequestDto {
  @ApiPropertyOptional({ type: [Number], description: 'Notifications to mark read; omit to mark all read' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  @IsInt({ each: true })
  @Min(1, { each: true })
  @Max(Number.MAX_SAFE_INTEGER, { each: true })
  ids?: number[];
}

export class UnreadCountResponseDto {
  @ApiProperty({ example: 0 })
  unreadCount: number;
}
