import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit, Optional } from '@nestjs/common';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { APP_CONFIG, AppConfig } from '@app/config';
import { DocumentKind, XsdValidator } from '@app/xml-builder';
import { DGII_SANDBOX_OPTIONS, ResolvedSandboxOptions } from './sandbox.options';

/**
 * The official DGII schemas for the sandbox's structure check. The folder is the option
 * `xsdDir`, else config `xsdDir` (DGII_XSD_DIR), else `../shared/dgii/xsd` from the working
 * directory; without any, the sandbox skips the XSD check and says so at boot.
 */
@Injectable()
export class SandboxSchemas implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('DgiiSandbox');
  private validator?: XsdValidator;

  constructor(
    @Inject(DGII_SANDBOX_OPTIONS) private readonly options: ResolvedSandboxOptions,
    @Optional() @Inject(APP_CONFIG) private readonly config?: AppConfig,
  ) {}

  /** Where the schemas are read from, or undefined when the check is off. */
  directory(): string | undefined {
    if (this.options.xsdDir === false) return undefined;
    const configured = this.options.xsdDir ?? this.config?.xsdDir;
    if (configured) return configured;
    const shared = resolve(process.cwd(), '../shared/dgii/xsd');
    return existsSync(shared) ? shared : undefined;
  }

  async onModuleInit(): Promise<void> {
    const dir = this.directory();
    if (!dir) {
      this.logger.warn('no DGII XSD folder found: the sandbox does not check document structure');
      return;
    }
    this.validator = await XsdValidator.load(dir);
  }

  onModuleDestroy(): void {
    this.validator?.dispose();
    this.validator = undefined;
  }

  /** libxml2's messages when the document does not validate; [] when it does or the check is off. */
  problems(kind: DocumentKind, xml: string): string[] {
    if (!this.validator) return [];
    const result = this.validator.validate(kind, xml);
    return result.valid ? [] : result.errors;
  }
}
