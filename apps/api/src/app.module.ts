import { DynamicModule, Inject, Module, OnModuleInit } from '@nestjs/common';
import type { DestinationStream } from 'pino';
import { LoggingModule, MetricsModule, MetricsService } from '@app/common';
import { DgiiSandboxModule, SandboxDgiiEndpoints } from '@app/dgii-sandbox';
import { IssuanceModule } from '@app/issuance';
import { CertificationModule } from '@app/certification';
import { AppConfig, ConfigModule, loadConfig } from '@app/config';
import { SessionsModule, SessionStore } from '@app/sessions';
import { AcecfController } from './acecf/acecf.controller';
import { CertificationController } from './certification/certification.controller';
import { CertificationRunReaper } from './certification/certification-run-reaper';
import { EcfController } from './ecf/ecf.controller';
import { API_GLOBAL_PROVIDERS } from './global-providers';
import { StatelessIssueEnabledGuard } from './ecf/stateless-issue-enabled.guard';
import { OpsController } from './ops/ops.controller';
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
    // The sandbox supplies its own DGII endpoints through the gateway's port. One instance, shared
    // with the certification runner so both use the same gateway and token cache.
    const issuance = IssuanceModule.forRoot({ dgii: sandbox ? { endpoints: SandboxDgiiEndpoints } : {} });
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggingModule.forRoot({ level: config.logLevel, stream: options.logStream }),
        MetricsModule,
        SessionsModule,
        issuance,
        CertificationModule.forRoot({ issuance }),
        // DESIGN §1.5: the embedded DGII sandbox exists only when targeted (never in production).
        ...(sandbox ? [DgiiSandboxModule.forRoot()] : []),
      ],
      controllers: [
        SessionsController,
        AcecfController,
        EcfController,
        StatusController,
        OpsController,
        CertificationController,
      ],
      providers: [
        StatelessIssueEnabledGuard,
        DgiiTokenReaper,
        CertificationRunReaper,
        ...API_GLOBAL_PROVIDERS,
      ],
    };
  }

  onModuleInit(): void {
    this.metrics.gauge('fiscaliacore_open_sessions', 'Signing sessions currently open', () =>
      this.sessions.size(),
    );
  }
}
