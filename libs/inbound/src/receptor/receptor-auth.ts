import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '@app/common';
import { DgiiAuthenticator, SeedCheck } from '@app/dgii-protocol';

/**
 * The receptor's seed handshake (PROTOCOL §8.1), DGII's own (§2) scoped to one receptor: a seed
 * is unpredictable, single-use and expires after 5 minutes; a token is valid one hour and for
 * the receptor whose seed it signed only.
 */
@Injectable()
export class ReceptorAuth {
  private readonly authenticator: DgiiAuthenticator;

  constructor(@Inject(Clock) clock: Clock) {
    this.authenticator = new DgiiAuthenticator(clock);
  }

  issueSeed(rnc: string): string {
    return this.authenticator.issueSeed(rnc);
  }

  checkSignedSeed(rnc: string, signedSeed: string): Promise<SeedCheck> {
    return this.authenticator.checkSignedSeed(rnc, signedSeed);
  }

  authorized(rnc: string, authorization: string | undefined): boolean {
    return this.authenticator.authorized(rnc, authorization);
  }
}
