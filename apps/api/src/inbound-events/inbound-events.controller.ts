import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors, SESSION_ERRORS } from '@app/common';
import { InboundEventsService } from '@app/inbound';
import { ApiKeyId, SessionAuth } from '@app/sessions';
import {
  InboundEventListResponse,
  InboundEventParamsDto,
  InboundEventResponse,
  ListInboundEventsQueryDto,
} from './dto/inbound-events.dto';

/** Pulling inbound events (issue 10 §3), for integrators with no public callback URL or to catch up. */
@ApiTags('inbound')
@SessionAuth()
@Controller('api/v1/inbound/events')
export class InboundEventsController {
  constructor(private readonly events: InboundEventsService) {}

  @Get()
  @ApiOperation({
    operationId: 'listInboundEvents',
    summary:
      "List this API key's inbound events, oldest first (held until delivered or acked, at most INBOUND_RETENTION_HOURS)",
  })
  @ApiOkResponse({ type: InboundEventListResponse })
  @ApiErrors(['INBOUND_EVENTS_QUERY_INVALID', ...SESSION_ERRORS])
  async list(
    @ApiKeyId() apiKeyId: string,
    @Query() query: ListInboundEventsQueryDto,
  ): Promise<InboundEventListResponse> {
    return { events: await this.events.list(apiKeyId, query.status, query.limit ?? 100) };
  }

  @Post(':id/ack')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'ackInboundEvent',
    summary: 'Acknowledge an event: no more callback tries; it may be dropped to make room (idempotent)',
  })
  @ApiOkResponse({ type: InboundEventResponse })
  @ApiErrors(['INBOUND_EVENT_NOT_FOUND', ...SESSION_ERRORS])
  ack(@ApiKeyId() apiKeyId: string, @Param() { id }: InboundEventParamsDto): Promise<InboundEventResponse> {
    return this.events.ack(apiKeyId, id);
  }

  @Post(':id/redeliver')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'redeliverInboundEvent',
    summary: 'Push an event to the callback URL again now, with a fresh retry schedule (any status)',
  })
  @ApiOkResponse({ type: InboundEventResponse })
  @ApiErrors(['INBOUND_EVENT_NOT_FOUND', ...SESSION_ERRORS])
  redeliver(
    @ApiKeyId() apiKeyId: string,
    @Param() { id }: InboundEventParamsDto,
  ): Promise<InboundEventResponse> {
    return this.events.redeliver(apiKeyId, id);
  }
}
