import { DynamicModule, Module } from '@nestjs/common';
import { TimeModule } from '@app/common';
import { DgiiSandboxService } from './dgii-sandbox.service';
import { EmisorReceptorController } from './emisor-receptor/emisor-receptor.controller';
import { EmisorReceptorSimulator } from './emisor-receptor/emisor-receptor.service';
import { HeldConnections } from './held-connections';
import { SandboxAuth } from './sandbox-auth.service';
import { SandboxDirectory } from './sandbox-directory';
import {
  SandboxAdminController,
  SandboxEcfController,
  SandboxFcController,
  SandboxReceptorController,
  SandboxStatusController,
} from './sandbox.controllers';
import { SandboxReceptor } from './sandbox-receptor';
import { SandboxFaults, SandboxStats } from './sandbox-faults';
import { SandboxLedger } from './sandbox-ledger';
import { SandboxReplyInterceptor } from './sandbox-reply.interceptor';
import { SandboxSchemas } from './sandbox-schemas';
import {
  DGII_SANDBOX_OPTIONS,
  DgiiSandboxOptions,
  ResolvedSandboxOptions,
  SANDBOX_DEFAULTS,
} from './sandbox.options';

/**
 * The embedded DGII sandbox (DESIGN §2): mounted in apps/api when DGII_TARGET=sandbox, or run
 * alone by apps/dgii-sandbox. Routes under `/dgii-sandbox`. Uses the global config when present
 * (xsdDir, and refuses NODE_ENV=production).
 */
@Module({})
export class DgiiSandboxModule {
  static forRoot(options: DgiiSandboxOptions = {}): DynamicModule {
    const resolved: ResolvedSandboxOptions = {
      processingDelayMs: options.processingDelayMs ?? SANDBOX_DEFAULTS.processingDelayMs,
      holdMs: options.holdMs ?? SANDBOX_DEFAULTS.holdMs,
      xsdDir: options.xsdDir,
    };
    return {
      module: DgiiSandboxModule,
      imports: [TimeModule],
      controllers: [
        SandboxEcfController,
        SandboxFcController,
        SandboxReceptorController,
        SandboxStatusController,
        SandboxAdminController,
        EmisorReceptorController,
      ],
      providers: [
        { provide: DGII_SANDBOX_OPTIONS, useValue: resolved },
        DgiiSandboxService,
        SandboxAuth,
        SandboxLedger,
        SandboxSchemas,
        SandboxFaults,
        SandboxStats,
        SandboxDirectory,
        SandboxReceptor,
        HeldConnections,
        SandboxReplyInterceptor,
        EmisorReceptorSimulator,
      ],
      exports: [SandboxStats, SandboxFaults, SandboxDirectory],
    };
  }
}
