import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiProperty, ApiTags } from '@nestjs/swagger';
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
  @ApiOkResponse({ type: HealthResponse })
  health(): HealthResponse {
    return { status: 'ok' };
  }

  @Get('metrics')
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'Prometheus text exposition: request counts, latencies, open sessions' })
  scrape(): Promise<string> {
    return this.metrics.render();
  }
}
