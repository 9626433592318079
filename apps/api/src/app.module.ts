import { DynamicModule, Inject, Module, OnModuleInit } from '@nestjs/common';
import type { DestinationStream } from 'pino';
import { LoggingModule, MetricsModule, MetricsService } from '@app/common';
import { DgiiSandboxModule, SandboxDgiiEndpoints } from '@app/dgii-sandbox';
import { IssuanceModule } from '@app/issuance';
import { AppConfig, ConfigModule, loadConfig } from '@app/config';
import { RiModule } from '@app/ri';
import { SessionsModule, SessionStore } from '@app/sessions';
import { AcecfController } from './acecf/acecf.controller';
import { EcfController } from './ecf/ecf.controller';
import { API_GLOBAL_PROVIDERS } from './global-providers';
import { StatelessIssueEnabledGuard } from './ecf/stateless-issue-enabled.guard';
import { OpsController } from './ops/ops.controller';
import { RiController } from './ri/ri.controller';
import { StatusController } from './status/status.controller';
import { DgiiTokenReaper } from './sessions/dgii-token-reaper';
import { SessionsController } from './sessions/sessions.controller';

export interface AppModuleOptions {
  config?: AppConfig;
  /** Tests capture every log line here. */
  logStream?: DestinationStream;
}

/** Composes the libraries; nothing else lives here (STYLE §1). */
@Module({})
export class AppModule implements OnModuleInit {
  constructor(
    @Inject(MetricsService) private readonly metrics: MetricsService,
    @Inject(SessionStore) private readonly sessions: SessionStore,
  ) {}

  static forRoot(options: AppModuleOptions = {}): DynamicModule {
    const config = options.config ?? loadConfig();
    const sandbox = config.dgiiTarget === 'sandbox';
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggingModule.forRoot({ level: config.logLevel, stream: options.logStream }),
        MetricsModule,
        SessionsModule,
        RiModule,
        // The sandbox supplies its own DGII endpoints through the gateway's port.
        IssuanceModule.forRoot({ dgii: sandbox ? { endpoints: SandboxDgiiEndpoints } : {} }),
        // DESIGN §1.5: the embedded DGII sandbox exists only when targeted (never in production).
        ...(sandbox ? [DgiiSandboxModule.forRoot()] : []),
      ],
      controllers: [
        SessionsController,
        AcecfController,
        EcfController,
        StatusController,
        OpsController,
        RiController,
      ],
      providers: [StatelessIssueEnabledGuard, DgiiTokenReaper, ...API_GLOBAL_PROVIDERS],
    };
  }

  onModuleInit(): void {
    this.metrics.gauge('fiscaliacore_open_sessions', 'Signing sessions currently open', () =>
      this.sessions.size(),
    );
  }
}
