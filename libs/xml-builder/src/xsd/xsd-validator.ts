import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { XmlDocument, XsdValidator as LibXsdValidator } from 'libxml2-wasm';
import { catalogueEntries, catalogueOf, CURRENT_VERSION, type DocumentKind } from '../catalogue';
import { Libxml2, loadLibxml2 } from './libxml2-loader';

export type XsdResult = { valid: true } | { valid: false; errors: string[] };

/** What the validator needs of a catalogue entry: which (kind, version) a schema file is. */
export interface XsdSchemaRef {
  readonly kind: string;
  readonly schemaVersion: string;
  readonly schemaFile: string;
}

/** The catalogue's file name of a (kind, version) schema, DGII's own (xsd/SOURCES.md). */
export function xsdFileName(kind: DocumentKind, version?: string): string {
  return catalogueOf(kind, version).schemaFile;
}

/**
 * The schema file to compile: the `libxml2-compat/` copy when there is one. The originals of
 * e-CF 31, RFCE and ACECF do not compile in libxml2 (a stray space in a type name, .NET `(?:`
 * groups); DGII validates with .NET, which tolerates them (xsd/SOURCES.md, crypto-lab §4.1).
 */
export function schemaFilePath(dir: string, schemaFile: string): string {
  const compat = join(dir, 'libxml2-compat', schemaFile);
  return existsSync(compat) ? compat : join(dir, schemaFile);
}

/** `schemaFilePath` of a catalogue (kind, version), by default the current version. */
export function xsdPath(dir: string, kind: DocumentKind, version?: string): string {
  return schemaFilePath(dir, xsdFileName(kind, version));
}

const keyOf = (kind: string, version: string): string => `${kind}@${version}`;

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
 * Every (kind, version) schema of the catalogue is compiled once in `load`; `validate` is
 * synchronous and checks against the current version unless told another. The XSDs are read from
 * the shared DGII folder (config `DGII_XSD_DIR`), never copied into the repository.
 * Validate after signing: every e-CF schema requires the Signature element (xsd/SOURCES.md).
 */
export class XsdValidator {
  private constructor(
    private readonly lib: Libxml2,
    private readonly schemas: ReadonlyMap<string, CompiledSchema>,
  ) {}

  /** Compiles the given schemas of `dir`: by default every (kind, version) of the catalogue. */
  static async load(
    dir: string,
    entries: readonly XsdSchemaRef[] = catalogueEntries(),
  ): Promise<XsdValidator> {
    const lib = await loadLibxml2();
    const schemas = new Map<string, CompiledSchema>();
    try {
      for (const entry of entries) {
        const path = schemaFilePath(dir, entry.schemaFile);
        let source: XmlDocument | undefined;
        try {
          // fromBuffer: several DGII XSDs start with a UTF-8 BOM.
          source = lib.XmlDocument.fromBuffer(readFileSync(path), {
            url: path,
            option: lib.ParseOption.XML_PARSE_NONET,
          });
          // The compiled schema can point into its source document, so both live until dispose().
          schemas.set(keyOf(entry.kind, entry.schemaVersion), {
            source,
            validator: lib.XsdValidator.fromDoc(source),
          });
        } catch (error) {
          source?.dispose();
          const why = messagesOf(error)?.join('; ') ?? (error as Error).message;
          throw new Error(`XSD for ${entry.kind} v${entry.schemaVersion} (${path}) does not compile: ${why}`);
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

  /** Validates against the (kind, version) schema; by default the kind's current version. */
  validate(kind: DocumentKind, xml: string, version: string = CURRENT_VERSION[kind]): XsdResult {
    const schema = this.schemas.get(keyOf(kind, version));
    if (!schema) throw new Error(`no XSD loaded for document kind ${kind} v${version}`);
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
    (this.schemas as Map<string, CompiledSchema>).clear();
  }
}
