import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { Auth, AuthUser, CurrentUser } from '@app/auth';
import { ApiErrorResponses, RowIdPipe } from '@app/errors';
import { CursorPageQueryDto } from '@app/paging';
import { CreatedWebhookResponseDto, DeliveriesResponseDto, NewWebhookRequestDto, WebhooksResponseDto } from './dto/webhooks.dto';
import { WebhooksService } from './webhooks.service';

@ApiTags('Webhooks')
@Controller('webhooks')
@Auth()
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Post()
  @ApiOperation({ operationId: 'CreateWebhook', summary: 'Register an endpoint for events on your content (the secret is shown once)' })
  @ApiCreatedResponse({ type: CreatedWebhookResponseDto })
  @ApiErrorResponses({ 422: 'Invalid URL or events, a target that is not allowed (a port other than 80/443, a non-public address), or too many webhooks' })
  async create(@Body() { webhook }: NewWebhookRequestDto, @CurrentUser() user: AuthUser): Promise<CreatedWebhookResponseDto> {
    return { webhook: await this.webhooks.create(user.id, webhook.url, webhook.events) };
  }

  @Get()
  @ApiOperation({ operationId: 'GetWebhooks', summary: 'Your webhooks' })
  @ApiOkResponse({ type: WebhooksResponseDto })
  async list(@CurrentUser() user: AuthUser): Promise<WebhooksResponseDto> {
    return { webhooks: await this.webhooks.list(user.id) };
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiParam({ name: 'id', type: Number })
  @ApiOperation({ operationId: 'DeleteWebhook', summary: 'Delete one of your webhooks' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiErrorResponses({ 403: 'Not yours', 404: 'No such webhook', 422: 'id is not an integer' })
  async delete(@Param('id', new RowIdPipe('webhook')) id: number, @CurrentUser() user: AuthUser): Promise<void> {
    await this.webhooks.delete(user.id, id);
  }

  @Get(':id/deliveries')
  @ApiParam({ name: 'id', type: Number })
  @ApiOperation({ operationId: 'GetWebhookDeliveries', summary: 'Delivery history of one of your webhooks, newest first' })
  @ApiOkResponse({ type: DeliveriesResponseDto })
  @ApiErrorResponses({
    403: 'Not yours',
    404: 'No such webhook',
    422: 'Invalid id or paging values, a cursor this list did not issue, or a cursor with an offset',
  })
  async deliveries(
    @Param('id', new RowIdPipe('webhook')) id: number,
    @Query() page: CursorPageQueryDto,
    @CurrentUser() user: AuthUser,
  ): Promise<DeliveriesResponseDto> {
    return this.webhooks.deliveries(user.id, id, page);
  }
}
