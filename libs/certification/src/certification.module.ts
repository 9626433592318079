import { DynamicModule, Module } from '@nestjs/common';
import { TimeModule } from '@app/common';
import { APP_CONFIG, AppConfig } from '@app/config';
import { CertificationRunner } from './run/certification-runner.service';
import { MemoryCertificationRunStore, RUN_RETENTION_MS } from './run/memory-run.store';
import { CertificationRunStore } from './run/run.store';

export interface CertificationModuleOptions {
  /** The module that provides DocumentSigner and DgiiGateway (apps/api's one IssuanceModule instance). */
  issuance: DynamicModule;
}

/** The certification autopilot: workbook → cases → validate / send runs (PROTOCOL §10). */
@Module({})
export class CertificationModule {
  static forRoot(options: CertificationModuleOptions): DynamicModule {
    return {
      module: CertificationModule,
      imports: [TimeModule, options.issuance],
      providers: [
        {
          provide: RUN_RETENTION_MS,
          inject: [APP_CONFIG],
          useFactory: (config: AppConfig) => config.certification.runRetentionMs,
        },
        { provide: CertificationRunStore, useClass: MemoryCertificationRunStore },
        CertificationRunner,
      ],
      exports: [CertificationRunner, CertificationRunStore],
    };
  }
}
