import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiProperty, ApiTags } from '@nestjs/swagger';
import { MetricsService } from '@app/common';
import { Public } from '@app/sessions';

export class HealthResponse {
  @ApiProperty({ example: 'ok' })
  status!: 'ok';
}

@ApiTags('operations')
@Public()
@Controller()
export class OpsController {
  constructor(private readonly metrics: MetricsService) {}

  @Get('health')
  @ApiOperation({ operationId: 'getHealth', summary: 'Liveness: the process answers HTTP' })
  @ApiOkResponse({ type: HealthResponse })
  health(): HealthResponse {
    return { status: 'ok' };
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
