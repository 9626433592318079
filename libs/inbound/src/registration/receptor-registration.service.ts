import { Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { Clock, isoSeconds, NotFoundError, ReceptorTakenError, ValidationFailedError } from '@app/common';
import { APP_CONFIG, AppConfig } from '@app/config';
import type { SigningIdentity } from '@app/signing';
import { ReceptorRegistration } from './receptor-registration';
import { ReceptorRegistry } from './receptor.registry';
import { ReceptorSigners } from './receptor-signers';
import { ReceptorUrls, receptorUrlsOf } from './receptor-urls';

/** The calling session, as registration needs it: who signs, until when, and its id. */
export interface SignerSession {
  readonly apiKeyId: string;
  readonly identity: SigningIdentity;
  readonly expiresAt: number;
  readonly tokenHash: string;
  /** The bearer token: a shared signer store keeps it sealed, so other replicas can reopen the session. */
  readonly token?: string;
}

export interface RegisterReceptor {
  callbackUrl: string;
  /** Default true (PROTOCOL §8.1: authentication is recommended). */
  requireAuth?: boolean;
}

/** What the owner sees of a receptor. `callbackSecret` only on create and rotate. */
export interface ReceptorView {
  rnc: string;
  callbackUrl: string;
  requireAuth: boolean;
  urls: ReceptorUrls;
  /** The attached signer, or null when none is live (the receptor then answers 503). */
  signer: { signerCedula: string; expiresAt: string } | null;
  callbackSecret?: string;
}

/** `whsec_` + base64 of 32 random bytes (Standard Webhooks secret format; 24+ bytes asked). */
export function newCallbackSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/** An RNC or a cédula (PROTOCOL §4.2): 9 or 11 digits. */
function assertRnc(rnc: string): void {
  if (!/^(\d{9}|\d{11})$/.test(rnc)) {
    throw new ValidationFailedError('request validation failed: 1 problem', [
      { path: 'rnc', message: 'rnc must be 9 or 11 digits' },
    ]);
  }
}

const notFound = (): NotFoundError => new NotFoundError('no receptor is registered for this RNC');

/** Registration of receptors (issue 10 §1): PUT/GET/DELETE and secret rotation. */
@Injectable()
export class ReceptorRegistrationService {
  constructor(
    @Inject(ReceptorRegistry) private readonly registry: ReceptorRegistry,
    @Inject(ReceptorSigners) private readonly signers: ReceptorSigners,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Creates or updates the receptor and attaches the calling session as its signer. */
  async register(
    rnc: string,
    session: SignerSession,
    request: RegisterReceptor,
    origin: string,
  ): Promise<ReceptorView> {
    assertRnc(rnc);
    const now = this.clock.now();
    const requireAuth = request.requireAuth ?? true;
    const current = await this.registry.get(rnc);
    let registration: ReceptorRegistration;
    let created = false;
    if (!current) {
      registration = {
        rnc,
        apiKeyId: session.apiKeyId,
        callbackUrl: request.callbackUrl,
        requireAuth,
        callbackSecret: newCallbackSecret(),
        createdAt: now,
        updatedAt: now,
      };
      created = await this.registry.insert(registration);
      // Lost a race with another registration of the same RNC: treat it as an update of that one.
      if (!created) return this.register(rnc, session, request, origin);
    } else {
      if (current.apiKeyId !== session.apiKeyId) throw new ReceptorTakenError();
      registration = { ...current, callbackUrl: request.callbackUrl, requireAuth, updatedAt: now };
      if (!(await this.registry.update(registration))) throw new ReceptorTakenError();
    }
    await this.signers.attach(rnc, {
      identity: session.identity,
      expiresAt: session.expiresAt,
      sessionTokenHash: session.tokenHash,
      token: session.token,
    });
    return this.viewOf(registration, origin, created);
  }

  async get(rnc: string, apiKeyId: string, origin: string): Promise<ReceptorView> {
    return this.viewOf(await this.owned(rnc, apiKeyId), origin, false);
  }

  async remove(rnc: string, apiKeyId: string): Promise<void> {
    await this.owned(rnc, apiKeyId);
    if (!(await this.registry.delete(rnc, apiKeyId))) throw notFound();
    await this.signers.detach(rnc);
  }

  /** A new callback secret, returned this once; the old one stops signing at once. */
  async rotateSecret(rnc: string, apiKeyId: string, origin: string): Promise<ReceptorView> {
    const current = await this.owned(rnc, apiKeyId);
    const rotated = { ...current, callbackSecret: newCallbackSecret(), updatedAt: this.clock.now() };
    if (!(await this.registry.update(rotated))) throw notFound();
    return this.viewOf(rotated, origin, true);
  }

  /** Another key's receptor is reported as absent, so RNCs of other accounts cannot be probed. */
  private async owned(rnc: string, apiKeyId: string): Promise<ReceptorRegistration> {
    assertRnc(rnc);
    const registration = await this.registry.get(rnc);
    if (!registration || registration.apiKeyId !== apiKeyId) throw notFound();
    return registration;
  }

  private async viewOf(
    registration: ReceptorRegistration,
    origin: string,
    withSecret: boolean,
  ): Promise<ReceptorView> {
    const signer = await this.signers.live(registration.rnc);
    return {
      rnc: registration.rnc,
      callbackUrl: registration.callbackUrl,
      requireAuth: registration.requireAuth,
      urls: receptorUrlsOf(registration.rnc, this.config.inboundHostSuffix, origin),
      signer: signer
        ? { signerCedula: signer.identity.signerCedula, expiresAt: isoSeconds(signer.expiresAt) }
        : null,
      ...(withSecret ? { callbackSecret: registration.callbackSecret } : {}),
    };
  }
}
