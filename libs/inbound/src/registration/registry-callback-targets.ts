import { Inject, Injectable } from '@nestjs/common';
import { CallbackTarget, CallbackTargets } from '../delivery/callback-targets';
import { ReceptorRegistry } from './receptor.registry';

/**
 * Event delivery's callback targets, read from the receptor registrations on every try: a new
 * URL or a rotated secret applies to the next try, and a deleted registration leaves its events
 * to be pulled (issue 10 §1, §3).
 */
@Injectable()
export class RegistryCallbackTargets extends CallbackTargets {
  constructor(@Inject(ReceptorRegistry) private readonly registry: ReceptorRegistry) {
    super();
  }

  async targetOf(rnc: string): Promise<CallbackTarget | undefined> {
    const registration = await this.registry.get(rnc);
    return registration && { callbackUrl: registration.callbackUrl, secret: registration.callbackSecret };
  }
}
