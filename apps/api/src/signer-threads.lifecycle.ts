import { Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { closeSignerThreads, warmSignerThreads } from '@app/signing';

/**
 * Starts the process's signer threads with the app, so no request pays a thread's start (~50 ms),
 * and ends them when it closes (libs/signing signer-threads.ts).
 */
@Injectable()
export class SignerThreadsLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  onApplicationBootstrap(): void {
    warmSignerThreads();
  }

  onApplicationShutdown(): Promise<void> {
    return closeSignerThreads();
  }
}
