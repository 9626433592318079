import { Inject, Injectable } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { AddressInfo } from 'node:net';
import { InternalError } from '@app/common';
import { environmentSegment } from '@app/common';
import { APP_CONFIG, AppConfig, DgiiEnvironment } from '@app/config';
import { DgiiEndpoints } from '@app/dgii-gateway';

/** Path of the sandbox's DGII routes; sandbox.controllers.ts mounts them under it. */
export const SANDBOX_ROUTE_PREFIX = 'dgii-sandbox';

/**
 * The sandbox's adapter of the gateway's `DgiiEndpoints` port, composed by apps/api with
 * `DGII_TARGET=sandbox`: the bases point at the sandbox mounted in this very process, on the
 * port the server actually listens on (read at call time: tests listen on port 0), unless a
 * `DGII_BASE_URL_*` / `DGII_FC_BASE_URL_*` override was given. Config counts a base equal to
 * DGII's default as no override, so the sandbox target never reaches DGII (DESIGN §1.5).
 */
@Injectable()
export class SandboxDgiiEndpoints extends DgiiEndpoints {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly adapterHost: HttpAdapterHost,
  ) {
    super();
  }

  ecfBase(environment: DgiiEnvironment): string {
    if (this.config.dgiiBaseUrlOverrides.ecf[environment]) return this.config.dgiiBaseUrls[environment];
    return `${this.origin()}/${SANDBOX_ROUTE_PREFIX}/ecf/${environmentSegment(environment)}`;
  }

  fcBase(environment: DgiiEnvironment): string {
    if (this.config.dgiiBaseUrlOverrides.fc[environment]) return this.config.dgiiFcBaseUrls[environment];
    return `${this.origin()}/${SANDBOX_ROUTE_PREFIX}/fc/${environmentSegment(environment)}`;
  }

  /** DGII's status host (PROTOCOL §1.3 #14) → the sandbox's `/dgii-sandbox/status`, unless DGII_STATUS_BASE_URL overrides it. */
  statusBase(): string {
    if (this.config.dgiiStatusBaseUrlOverridden) return this.config.dgiiStatusBaseUrl;
    return `${this.origin()}/${SANDBOX_ROUTE_PREFIX}/status`;
  }

  private origin(): string {
    const server = this.adapterHost.httpAdapter?.getHttpServer() as
      { address(): AddressInfo | string | null } | undefined;
    const address = server?.address();
    if (!address || typeof address === 'string') {
      throw new InternalError(
        'DGII submission failed: the embedded DGII sandbox is not listening on a TCP port',
        [],
        502,
      );
    }
    const wildcard = address.address === '::' || address.address === '0.0.0.0' || address.address === '';
    const host = wildcard
      ? '127.0.0.1'
      : address.family === 'IPv6'
        ? `[${address.address}]`
        : address.address;
    return `http://${host}:${address.port}`;
  }
}
