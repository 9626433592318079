import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig, DgiiEnvironment } from '@app/config';

/**
 * Where the DGII services of one environment live: `{E}` and `{F}` of PROTOCOL §1.3. The port
 * has two adapters: `ConfigDgiiEndpoints` here, and the sandbox's own (`SandboxDgiiEndpoints`
 * in @app/dgii-sandbox), which apps/api composes with `DGII_TARGET=sandbox`. Every `{E}` service
 * (consulta trackIds #7 and directorio #11 included) is `ecfBase(env)` + its path in DGII_PATHS,
 * for all three environments: DGII documents #7 and #11 for test and prod only, but certecf
 * follows the same pattern (PROTOCOL §1.3), so certification calls go there too.
 */
export abstract class DgiiEndpoints {
  /** Base of the `ecf.dgii.gov.do` services, e.g. `https://ecf.dgii.gov.do/certecf`. */
  abstract ecfBase(environment: DgiiEnvironment): string;
  /** Base of the `fc.dgii.gov.do` services (RFCE), e.g. `https://fc.dgii.gov.do/certecf`. */
  abstract fcBase(environment: DgiiEnvironment): string;
  /**
   * Base of DGII's service-status API (PROTOCOL §1.3 #14a–c): a single host for all three
   * environments, no segment, e.g. `https://statusecf.dgii.gov.do`.
   */
  abstract statusBase(): string;
}

/** The configured bases: `DGII_BASE_URL_*` / `DGII_FC_BASE_URL_*`, DGII's own hosts by default. */
@Injectable()
export class ConfigDgiiEndpoints extends DgiiEndpoints {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    super();
  }

  ecfBase(environment: DgiiEnvironment): string {
    return this.config.dgiiBaseUrls[environment];
  }

  fcBase(environment: DgiiEnvironment): string {
    return this.config.dgiiFcBaseUrls[environment];
  }

  statusBase(): string {
    return this.config.dgiiStatusBaseUrl;
  }
}
