export interface DgiiSandboxOptions {
  /** How long a received e-CF stays "En Proceso" before its verdict shows (DGII: ≈ 200 ms, PROTOCOL §1.4). */
  processingDelayMs?: number;
  /**
   * Folder with the DGII XSDs. Default: config `xsdDir` (DGII_XSD_DIR), else `../shared/dgii/xsd`
   * from the working directory when it exists. `false` turns the XSD check off.
   */
  xsdDir?: string | false;
  /** How long a `timeout` fault holds a connection before closing it. */
  holdMs?: number;
}

export interface ResolvedSandboxOptions {
  processingDelayMs: number;
  xsdDir: string | false | undefined;
  holdMs: number;
}

export const DGII_SANDBOX_OPTIONS = Symbol('DGII_SANDBOX_OPTIONS');

export const SANDBOX_DEFAULTS = { processingDelayMs: 200, holdMs: 60_000 } as const;
