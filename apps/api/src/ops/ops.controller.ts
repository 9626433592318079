import { Controller, Get, Header, Optional } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { MetricsService } from '@app/common';
import { DgiiHealthInfo, DgiiServiceStatusService } from '@app/issuance';
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

@ApiTags('operations')
@Public()
@Controller()
export class OpsController {
  constructor(
    private readonly metrics: MetricsService,
    @Optional() private readonly dgiiStatus?: DgiiServiceStatusService,
  ) {}

  @Get('health')
  @ApiOperation({ operationId: 'getHealth', summary: 'Liveness: the process answers HTTP' })
  @ApiOkResponse({ type: HealthResponse })
  health(): HealthResponse {
    return this.dgiiStatus ? { status: 'ok', dgii: this.dgiiStatus.health() } : { status: 'ok' };
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
