import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { XmlDocument, XsdValidator as LibXsdValidator } from 'libxml2-wasm';
import { DOCUMENT_KINDS, type DocumentKind } from '../catalogue';
import { Libxml2, loadLibxml2 } from './libxml2-loader';

export type XsdResult = { valid: true } | { valid: false; errors: string[] };

/** DGII's file names as stored in shared/dgii/xsd (xsd/SOURCES.md). */
export function xsdFileName(kind: DocumentKind): string {
  switch (kind) {
    case 'RFCE':
      return 'RFCE-32-v1.0.xsd';
    case 'ACECF':
    case 'ARECF':
    case 'ANECF':
    case 'Semilla':
      return `${kind}-v1.0.xsd`;
    default:
      return `e-CF-${kind}-v1.0.xsd`;
  }
}

/**
 * The schema file to compile: the `libxml2-compat/` copy when there is one. The originals of
 * e-CF 31, RFCE and ACECF do not compile in libxml2 (a stray space in a type name, .NET `(?:`
 * groups); DGII validates with .NET, which tolerates them (xsd/SOURCES.md, crypto-lab §4.1).
 */
export function xsdPath(dir: string, kind: DocumentKind): string {
  const compat = join(dir, 'libxml2-compat', xsdFileName(kind));
  return existsSync(compat) ? compat : join(dir, xsdFileName(kind));
}

function messagesOf(error: unknown): string[] | undefined {
  const details = (error as { details?: unknown }).details;
  if (!Array.isArray(details) || details.length === 0) return undefined;
  return details.map((d) => String((d as { message?: unknown }).message ?? d).trim());
}

interface CompiledSchema {
  source: XmlDocument;
  validator: LibXsdValidator;
}

/**
 * XSD validation of DGII documents with libxml2-wasm (crypto-lab §4: ~0.26 ms per e-CF).
 * Every schema is compiled once in `load`; `validate` is synchronous. The XSDs are read from
 * the shared DGII folder (config `DGII_XSD_DIR`), never copied into the repository.
 * Validate after signing: every e-CF schema requires the Signature element (xsd/SOURCES.md).
 */
export class XsdValidator {
  private constructor(
    private readonly lib: Libxml2,
    private readonly schemas: ReadonlyMap<DocumentKind, CompiledSchema>,
  ) {}

  static async load(dir: string): Promise<XsdValidator> {
    const lib = await loadLibxml2();
    const schemas = new Map<DocumentKind, CompiledSchema>();
    try {
      for (const kind of DOCUMENT_KINDS) {
        const path = xsdPath(dir, kind);
        let source: XmlDocument | undefined;
        try {
          // fromBuffer: several DGII XSDs start with a UTF-8 BOM.
          source = lib.XmlDocument.fromBuffer(readFileSync(path), {
            url: path,
            option: lib.ParseOption.XML_PARSE_NONET,
          });
          // The compiled schema can point into its source document, so both live until dispose().
          schemas.set(kind, { source, validator: lib.XsdValidator.fromDoc(source) });
        } catch (error) {
          source?.dispose();
          const why = messagesOf(error)?.join('; ') ?? (error as Error).message;
          throw new Error(`XSD for ${kind} (${path}) does not compile: ${why}`);
        }
      }
    } catch (error) {
      for (const s of schemas.values()) {
        s.validator.dispose();
        s.source.dispose();
      }
      throw error;
    }
    return new XsdValidator(lib, schemas);
  }

  validate(kind: DocumentKind, xml: string): XsdResult {
    const schema = this.schemas.get(kind);
    if (!schema) throw new Error(`no XSD loaded for document kind ${kind}`);
    const text = xml.charCodeAt(0) === 0xfeff ? xml.slice(1) : xml;
    // DGII documents never carry a DTD; refusing it means no entity is ever expanded (crypto-lab §5).
    if (text.includes('<!DOCTYPE')) return { valid: false, errors: ['DOCTYPE is not allowed'] };
    let doc: XmlDocument | undefined;
    try {
      // NONET and none of NOENT/DTDLOAD/HUGE: libxml2's safe defaults (crypto-lab §5).
      doc = this.lib.XmlDocument.fromString(text, { option: this.lib.ParseOption.XML_PARSE_NONET });
      schema.validator.validate(doc);
      return { valid: true };
    } catch (error) {
      if (!(error instanceof this.lib.XmlError)) throw error;
      return { valid: false, errors: messagesOf(error) ?? [error.message] };
    } finally {
      // wasm memory: a document not disposed is leaked (crypto-lab §4.2).
      doc?.dispose();
    }
  }

  /** Frees the compiled schemas (wasm memory). The instance is unusable afterwards. */
  dispose(): void {
    for (const s of this.schemas.values()) {
      s.validator.dispose();
      s.source.dispose();
    }
    (this.schemas as Map<DocumentKind, CompiledSchema>).clear();
  }
}
