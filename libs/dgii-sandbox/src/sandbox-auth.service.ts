import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '@app/common';
import { DgiiAuthenticator, SeedCheck } from '@app/dgii-protocol';
import { SandboxSchemas } from './sandbox-schemas';

/**
 * DGII's authentication service in the sandbox (PROTOCOL §2): the shared handshake of
 * @app/dgii-protocol, scoped by environment segment, with the signed seed checked against the
 * Semilla XSD first as DGII does.
 */
@Injectable()
export class SandboxAuth {
  private readonly authenticator: DgiiAuthenticator;

  constructor(
    @Inject(Clock) clock: Clock,
    private readonly schemas: SandboxSchemas,
  ) {
    this.authenticator = new DgiiAuthenticator(clock);
  }

  issueSeed(segment: string): string {
    return this.authenticator.issueSeed(segment);
  }

  async validateSeed(segment: string, signedSeed: string): Promise<SeedCheck> {
    const problems = this.schemas.problems('Semilla', signedSeed);
    if (problems.length > 0)
      return { ok: false, reason: `El XML de la semilla no es válido: ${problems[0]}` };
    return this.authenticator.checkSignedSeed(segment, signedSeed);
  }

  /** True for `Bearer <token>` (any case) with a live token of this environment. */
  authorized(segment: string, authorization: string | undefined): boolean {
    return this.authenticator.authorized(segment, authorization);
  }
}
