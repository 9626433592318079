import { DynamicModule, Inject, Module, OnModuleInit } from '@nestjs/common';
import type { DestinationStream } from 'pino';
import { LoggingModule, MetricsModule, MetricsService } from '@app/common';
import { configureSignerThreads } from '@app/signing';
import { SignerThreadsLifecycle } from './signer-threads.lifecycle';
import { DgiiSandboxModule, SandboxDgiiEndpoints } from '@app/dgii-sandbox';
import {
  InboundEventsModule,
  InboundModule,
  ReceptorRegistryModule,
  RegistryCallbackTargets,
} from '@app/inbound';
import { IssuanceModule } from '@app/issuance';
import { CertificationModule } from '@app/certification';
import { AppConfig, ConfigModule, loadConfig } from '@app/config';
import { RedisModule } from '@app/redis';
import { RiModule } from '@app/ri';
import { SessionsModule, SessionStore } from '@app/sessions';
import { AcecfController } from './acecf/acecf.controller';
import { AnecfController } from './anecf/anecf.controller';
import { DgiiStatusController } from './dgii-status/dgii-status.controller';
import { DirectoryController } from './directory/directory.controller';
import { EcfLookupController } from './ecf/ecf-lookup.controller';
import { CertificationController } from './certification/certification.controller';
import { CertificationRunReaper } from './certification/certification-run-reaper';
import { EcfController } from './ecf/ecf.controller';
import { API_GLOBAL_PROVIDERS } from './global-providers';
import { StatelessIssueEnabledGuard } from './ecf/stateless-issue-enabled.guard';
import { InboundEventsController } from './inbound-events/inbound-events.controller';
import { ReceptorController } from './inbound/receptor.controller';
import { ReceptorSignerReaper } from './inbound/receptor-signer-reaper';
import { ReceptorsController } from './inbound/receptors.controller';
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
    // The signer threads are the process's, like libuv's pool they replace (signer-threads.ts). A
    // server keeps them warm until it closes: a cold one costs ~50 ms on its first signature.
    configureSignerThreads({ threads: config.signingThreads || undefined, idleMs: Infinity });
    // One instance: the receptor puts events in it and the events routes read them back.
    const inboundEvents = InboundEventsModule.forRoot({
      imports: [ReceptorRegistryModule],
      callbackTargets: { useClass: RegistryCallbackTargets },
    });
    // The sandbox supplies its own DGII endpoints through the gateway's port. One instance, shared
    // with the certification runner so both use the same gateway and token cache.
    const issuance = IssuanceModule.forRoot({ dgii: sandbox ? { endpoints: SandboxDgiiEndpoints } : {} });
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggingModule.forRoot({ level: config.logLevel, stream: options.logStream }),
        MetricsModule,
        // SESSION_STORE=redis: every store's module picks its Redis adapter (issue 13).
        RedisModule.forRoot(config.store),
        SessionsModule,
        issuance,
        CertificationModule.forRoot({ issuance }),
        RiModule,
        // DESIGN §1.5: the embedded DGII sandbox exists only when targeted (never in production).
        ...(sandbox ? [DgiiSandboxModule.forRoot()] : []),
        inboundEvents,
        // Issue 10: the receptor hands what it receives to the event store, whose callbacks go
        // where the receptor registrations say (read on every try).
        InboundModule.forRoot({ events: inboundEvents }),
      ],
      controllers: [
        SessionsController,
        AcecfController,
        EcfController,
        StatusController,
        OpsController,
        ReceptorsController,
        ReceptorController,
        InboundEventsController,
        // issue 11 §1: ANECF, lookups after an unknown outcome, DGII's own status.
        AnecfController,
        EcfLookupController,
        DirectoryController,
        DgiiStatusController,
        CertificationController,
        RiController,
      ],
      providers: [
        StatelessIssueEnabledGuard,
        SignerThreadsLifecycle,
        DgiiTokenReaper,
        ReceptorSignerReaper,
        CertificationRunReaper,
        ...API_GLOBAL_PROVIDERS,
      ],
    };
  }

  onModuleInit(): void {
    // A shared store that is down must not break /metrics: the gauge reads NaN then.
    this.metrics.gauge('fiscaliacore_open_sessions', 'Signing sessions currently open', () =>
      this.sessions.size().catch(() => NaN),
    );
  }
}
