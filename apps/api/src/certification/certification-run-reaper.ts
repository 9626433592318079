import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { CertificationRunner } from '@app/certification';
import { SessionStore } from '@app/sessions';

/**
 * A session's certification runs stop sending when it ends and expire CERTIFICATION_RUN_RETENTION_MS
 * later (like any session state). Lives here because only the app knows both sides.
 */
@Injectable()
export class CertificationRunReaper implements OnModuleInit {
  constructor(
    @Inject(SessionStore) private readonly sessions: SessionStore,
    @Inject(CertificationRunner) private readonly runner: CertificationRunner,
  ) {}

  onModuleInit(): void {
    // At-least-once and ids only: ending twice is harmless.
    this.sessions.onEvicted(({ tokenHash }) => {
      this.runner.sessionEnded(tokenHash).catch(() => undefined);
    });
  }
}
