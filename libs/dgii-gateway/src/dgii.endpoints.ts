import { Inject, Injectable } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { AddressInfo } from 'node:net';
import { InternalError } from '@app/common';
import { APP_CONFIG, AppConfig, DgiiEnvironment, environmentSegment, loadConfig } from '@app/config';

/** Where the DGII services of one environment live: `{E}` and `{F}` of PROTOCOL §1.3. */
export abstract class DgiiEndpoints {
  /** Base of the `ecf.dgii.gov.do` services, e.g. `https://ecf.dgii.gov.do/certecf`. */
  abstract ecfBase(environment: DgiiEnvironment): string;
  /** Base of the `fc.dgii.gov.do` services (RFCE), e.g. `https://fc.dgii.gov.do/certecf`. */
  abstract fcBase(environment: DgiiEnvironment): string;
}

/** Path of the embedded sandbox's DGII routes (libs/dgii-sandbox). */
export const SANDBOX_ROUTE_PREFIX = 'dgii-sandbox';

/**
 * Bases from configuration. With `DGII_TARGET=dgii` they are the configured URLs. With
 * `sandbox` they point at the sandbox mounted in this very process, on the port the server
 * actually listens on (read at call time: tests listen on port 0), unless a `DGII_BASE_URL_*`
 * override was given; a base equal to the real DGII default is not an override, since the
 * sandbox target must never reach DGII (DESIGN §1.5).
 */
@Injectable()
export class ConfigDgiiEndpoints extends DgiiEndpoints {
  private readonly defaults = loadConfig({});

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly adapterHost: HttpAdapterHost,
  ) {
    super();
  }

  ecfBase(environment: DgiiEnvironment): string {
    const configured = this.config.dgiiBaseUrls[environment];
    if (this.config.dgiiTarget === 'dgii' || configured !== this.defaults.dgiiBaseUrls[environment]) {
      return configured;
    }
    return `${this.sandboxOrigin()}/${SANDBOX_ROUTE_PREFIX}/ecf/${environmentSegment(environment)}`;
  }

  fcBase(environment: DgiiEnvironment): string {
    const configured = this.config.dgiiFcBaseUrls[environment];
    if (this.config.dgiiTarget === 'dgii' || configured !== this.defaults.dgiiFcBaseUrls[environment]) {
      return configured;
    }
    return `${this.sandboxOrigin()}/${SANDBOX_ROUTE_PREFIX}/fc/${environmentSegment(environment)}`;
  }

  private sandboxOrigin(): string {
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
