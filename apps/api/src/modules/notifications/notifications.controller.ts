import { Body, Controller, Get, HttpCode, HttpStatus, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, AuthUser, CurrentUser } from '@app/auth';
import { ApiErrorResponses } from '@app/errors';
import { CursorPageQueryDto } from '@app/paging';
import { MarkReadRequestDto, NotificationsResponseDto, UnreadCountResponseDto } from './dto/notifications.dto';
import { NotificationsService } from './notifications.service';

@ApiTags('Notifications')
@Controller('notifications')
@Auth()
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get()
  @ApiOperation({ operationId: 'GetNotifications', summary: 'Your notifications, newest first, with the unread count' })
  @ApiOkResponse({ type: NotificationsResponseDto })
  @ApiErrorResponses({ 422: 'Invalid paging values, a cursor this list did not issue, or a cursor with an offset' })
  async list(@Query() page: CursorPageQueryDto, @CurrentUser() user: AuthUser): Promise<NotificationsResponseDto> {
    return this.notifications.list(user.id, page);
  }

  @Post('read')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ operationId: 'MarkNotificationsRead', summary: 'Mark some (ids) or all of your notifications read' })
  @ApiOkResponse({ type: UnreadCountResponseDto })
  @ApiErrorResponses({ 422: 'Invalid ids' })
  async markRead(@Body() body: MarkReadRequestDto, @CurrentUser() user: AuthUser): Promise<UnreadCountResponseDto> {
    return { unreadCount: await this.notifications.markRead(user.id, body.ids) };
  }
}
