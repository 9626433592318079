import { Controller, Get, Header, Inject, Optional } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { ApiErrors, MetricsService, StoreUnavailableError } from '@app/common';
import { DgiiHealthInfo, DgiiServiceStatusService } from '@app/issuance';
import { StoreReadiness } from '@app/redis';
import { Public } from '@app/sessions';

export class HealthResponse {
  @ApiProperty({ example: 'ok' })
  status!: 'ok';

  @ApiPropertyOptional({
    description:
      "Information only, never our own failure (issue 11 §1): DGII's service status per environment as last " +
      'seen (cached 30 s; /health never waits for DGII). `configured: false` without DGII_STATUS_API_KEY; ' +
      '`checkedAt: null` until the first answer.',
    example: {
      configured: true,
      checkedAt: '2026-04-23T17:00:00Z',
      environments: {
        TEST: { available: true, unavailableServices: [] },
        CERTIFICATION: { available: false, unavailableServices: ['Recepción'] },
        PRODUCTION: { available: true, unavailableServices: [] },
      },
    },
  })
  dgii?: DgiiHealthInfo;
}

export class ReadinessResponse {
  @ApiProperty({ example: 'ok' })
  status!: 'ok';
  @ApiProperty({
    enum: ['memory', 'redis'],
    example: 'redis',
    description: 'Where shared state lives (SESSION_STORE)',
  })
  store!: 'memory' | 'redis';
}

@ApiTags('operations')
@Public()
@Controller()
export class OpsController {
  constructor(
    private readonly metrics: MetricsService,
    @Optional() private readonly dgiiStatus?: DgiiServiceStatusService,
    // Absent only in route specs that mount this controller alone: then the memory store.
    @Optional() @Inject(StoreReadiness) private readonly readiness?: StoreReadiness,
  ) {}

  @Get('health')
  @ApiOperation({ operationId: 'getHealth', summary: 'Liveness: the process answers HTTP' })
  @ApiOkResponse({ type: HealthResponse })
  health(): HealthResponse {
    return this.dgiiStatus ? { status: 'ok', dgii: this.dgiiStatus.health() } : { status: 'ok' };
  }

  @Get('health/live')
  @ApiOperation({
    operationId: 'getLiveness',
    summary: 'Liveness: the process answers HTTP (restart it if not)',
  })
  @ApiOkResponse({ type: HealthResponse })
  live(): HealthResponse {
    return { status: 'ok' };
  }

  /** Readiness (issue 13 §3): false while the shared store is down, true again when it is back. */
  @Get('health/ready')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    operationId: 'getReadiness',
    summary: 'Readiness: the shared store (Redis, with SESSION_STORE=redis) answers; route traffic here',
  })
  @ApiOkResponse({ type: ReadinessResponse })
  @ApiErrors(['STORE_UNAVAILABLE'])
  async ready(): Promise<ReadinessResponse> {
    const { ready, store } = (await this.readiness?.check()) ?? { ready: true, store: 'memory' as const };
    if (!ready) throw new StoreUnavailableError('the shared store (Redis) does not answer: not ready');
    return { status: 'ok', store };
  }

  @Get('metrics')
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  @ApiProduces('text/plain')
  @ApiOperation({ operationId: 'getMetrics', summary: 'Prometheus metrics of this process' })
  @ApiOkResponse({
    description: 'Prometheus text exposition: request counts, latencies, open sessions',
    schema: {
      type: 'string',
      example: '# HELP fiscaliacore_http_requests_total HTTP requests by method, route pattern and status\n',
    },
  })
  scrape(): Promise<string> {
    return this.metrics.render();
  }
}
