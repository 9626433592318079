import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { XmlBuildFailedError } from '@app/common';
import { APP_CONFIG, AppConfig } from '@app/config';
import type { DocumentKind } from './catalogue';
import { XsdValidator } from './xsd';

/**
 * Validates every signed document against its official schema before it leaves the service,
 * when `DGII_XSD_DIR` is set (DESIGN §2 "[XSD check]"). Schemas compile once at boot.
 */
@Injectable()
export class XsdCheck implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('XsdCheck');
  private validator?: XsdValidator;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  async onModuleInit(): Promise<void> {
    if (!this.config.xsdDir) return;
    this.validator = await XsdValidator.load(this.config.xsdDir);
    this.logger.log('official DGII schemas compiled: every signed document is schema-checked');
  }

  onModuleDestroy(): void {
    this.validator?.dispose();
    this.validator = undefined;
  }

  get enabled(): boolean {
    return this.validator !== undefined;
  }

  /** @throws XmlBuildFailedError (422) with libxml2's messages when the document is not schema-valid. */
  check(kind: DocumentKind, signedXml: string): void {
    if (!this.validator) return;
    const result = this.validator.validate(kind, signedXml);
    if (!result.valid) {
      throw new XmlBuildFailedError(
        `the signed ${/^\d+$/.test(kind) ? `e-CF ${kind}` : kind} does not validate against the official DGII schema`,
        result.errors.map((message) => ({ rule: 'xsd', message })),
      );
    }
  }
}
