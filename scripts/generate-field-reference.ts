/**
 * Writes docs/api/paso-2-client-reference.md from the e-CF catalogue (itself generated from the
 * official DGII XSDs), the business rules and the flat-field defaults. The spec next to this file
 * fails when the committed document drifts from what this script renders.
 *
 *   npx ts-node -r tsconfig-paths/register scripts/generate-field-reference.ts
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  DOCUMENTS,
  ECF_TYPES,
  SIMPLE_TYPES,
  type DocumentKind,
  type ElementDef,
  type ParticleDef,
  type SimpleTypeDef,
} from '../libs/xml-builder/src/catalogue';
import { DEFAULTS } from '../libs/xml-builder/src/flat';
import { describeBusinessRules } from '../libs/xml-builder/src/rules';

export const FIELD_REFERENCE = resolve(__dirname, '../docs/api/paso-2-client-reference.md');

interface Row {
  readonly path: string;
  readonly name: string;
  readonly byKind: Map<DocumentKind, ElementDef>;
}

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const code = (text: string): string => `\`${text.replace(/`/g, "'")}\``;

function describeType(id: string, type: SimpleTypeDef): string {
  const parts: string[] = [];
  if (type.enumeration) {
    if (type.enumeration.length <= 12) {
      parts.push(
        type.enumeration
          .map((v, i) => (type.enumerationLabels?.[i] ? `${code(v)} ${type.enumerationLabels[i]}` : code(v)))
          .join(', '),
      );
    } else {
      parts.push(
        `one of ${type.enumeration.length} codes of ${id} (e.g. ${type.enumeration.slice(0, 3).map(code).join(', ')})`,
      );
    }
  }
  if (type.decimals !== undefined) parts.push(`number, at most ${type.decimals} decimals`);
  else if (
    ['integer', 'int', 'long', 'short', 'byte', 'nonNegativeInteger', 'positiveInteger'].includes(
      type.base,
    ) &&
    !type.enumeration
  ) {
    parts.push('whole number');
  }
  if (type.length !== undefined) parts.push(`exactly ${type.length} characters`);
  else if (type.maxLength !== undefined && type.minLength === type.maxLength)
    parts.push(`exactly ${type.maxLength} characters`);
  else if (type.maxLength !== undefined) parts.push(`${type.minLength ?? 0}–${type.maxLength} characters`);
  if (type.minInclusive !== undefined) parts.push(`≥ ${type.minInclusive}`);
  if (type.minExclusive !== undefined) parts.push(`> ${type.minExclusive}`);
  if (type.maxInclusive !== undefined) parts.push(`≤ ${type.maxInclusive}`);
  if (type.maxExclusive !== undefined) parts.push(`< ${type.maxExclusive}`);
  if (type.totalDigits !== undefined) parts.push(`≤ ${type.totalDigits} digits`);
  if (type.patterns && !type.enumeration) parts.push(`pattern ${type.patterns.map(code).join(' or ')}`);
  if (type.base === 'date' || type.base === 'dateTime') parts.push(`xs:${type.base}`);
  return parts.join('; ') || 'text';
}

function occurrence(e: ElementDef): string {
  if (e.maxOccurs === 1) return '';
  return e.maxOccurs === 'unbounded' ? 'list' : `list of up to ${e.maxOccurs}`;
}

function collect(kinds: readonly DocumentKind[], prefix: string): Row[] {
  const rows: Row[] = [];
  const index = new Map<string, Row>();
  for (const kind of kinds) {
    let cursor = -1;
    const walk = (p: ParticleDef, parentPath: string): void => {
      if (p.kind === 'choice') return p.branches.forEach((b) => b.forEach((c) => walk(c, parentPath)));
      if (p.kind === 'any') return;
      const path = `${parentPath}.${p.name}${p.maxOccurs === 1 ? '' : '[]'}`;
      let row = index.get(path);
      if (!row) {
        row = { path, name: p.name, byKind: new Map() };
        rows.splice(cursor + 1, 0, row);
        index.set(path, row);
      }
      cursor = rows.indexOf(row);
      row.byKind.set(kind, p);
      p.children?.forEach((c) => walk(c, path));
    };
    DOCUMENTS[kind].root.children?.forEach((c) => walk(c, prefix));
  }
  return rows;
}

function typeCell(row: Row): string {
  const byType = new Map<string, DocumentKind[]>();
  for (const [kind, e] of row.byKind) {
    const key = e.type ?? '(container)';
    byType.set(key, [...(byType.get(key) ?? []), kind]);
  }
  if (byType.size === 1) return code([...byType.keys()][0]);
  return [...byType.entries()].map(([t, kinds]) => `${code(t)} (${kinds.join(', ')})`).join('<br>');
}

function formatCell(row: Row): string {
  const seen = new Map<string, string>();
  for (const e of row.byKind.values()) {
    const text = [occurrence(e), e.type ? describeType(e.type, SIMPLE_TYPES[e.type]) : 'group']
      .filter(Boolean)
      .join('; ');
    seen.set(text, text);
  }
  return [...seen.keys()].join('<br>or: ');
}

function kindsCell(row: Row, kinds: readonly DocumentKind[]): string {
  return kinds
    .filter((k) => row.byKind.has(k))
    .map((k) => ((row.byKind.get(k) as ElementDef).minOccurs > 0 ? `**${k}**` : k))
    .join(' ');
}

function table(kinds: readonly DocumentKind[], prefix: string, kindsHeader: string): string {
  const lines = [
    `| JSON path | DGII element | XSD type | Format / constraints | ${kindsHeader} |`,
    '|---|---|---|---|---|',
  ];
  for (const row of collect(kinds, prefix)) {
    lines.push(
      `| ${code(row.path)} | ${row.name} | ${cell(typeCell(row))} | ${cell(formatCell(row))} | ${kindsCell(row, kinds)} |`,
    );
  }
  return lines.join('\n');
}

/** The e-CF types whose schema has `path` (dot-separated element names under the root). */
function kindsWith(path: string): string[] {
  const names = path.split('.');
  const has = (kind: DocumentKind): boolean => {
    let particles: readonly ParticleDef[] | undefined = DOCUMENTS[kind].root.children;
    for (const name of names) {
      const flat: ElementDef[] = [];
      const visit = (p: ParticleDef): void => {
        if (p.kind === 'element') flat.push(p);
        else if (p.kind === 'choice') p.branches.forEach((b) => b.forEach(visit));
      };
      particles?.forEach(visit);
      const found = flat.find((e) => e.name === name);
      if (!found) return false;
      particles = found.children;
    }
    return true;
  };
  return ECF_TYPES.filter(has);
}

function enumerationText(typeId: string): string {
  const type = SIMPLE_TYPES[typeId];
  return (type.enumeration ?? [])
    .map((v, i) => (type.enumerationLabels?.[i] ? `${code(v)} ${type.enumerationLabels[i]}` : code(v)))
    .join(', ');
}

/** PROTOCOL §11 contingency, and the catalogue fields that carry it (issue 11 §2). */
function contingencySection(): string {
  const deferred = kindsWith('Encabezado.IdDoc.IndicadorEnvioDiferido');
  const reference = kindsWith('InformacionReferencia.CodigoModificacion');
  const example = {
    ecf: {
      Encabezado: {
        IdDoc: { TipoeCF: '31', eNCF: 'E310000000123', IndicadorEnvioDiferido: 1 },
      },
      InformacionReferencia: {
        NCFModificado: 'B0100000456',
        FechaNCFModificado: '20-04-2026',
        CodigoModificacion: 4,
      },
    },
    dryRun: true,
  };
  return `## Contingency and deferred sending (PROTOCOL §11)

When DGII cannot be reached, keep issuing: sign with \`dryRun: true\` (nothing is sent, the
\`signedXml\` comes back) and send those exact bytes once DGII is back with
\`POST /api/v1/ecf/submit {signedXml, environment}\`. The document is verified first (signature,
official XSD, signer = the session's certificate, else 400 \`SIGNER_MISMATCH\` naming both) and sent
byte for byte; a type 32 under RD$250,000 goes as its RFCE, built from it and signed by the session.
Two catalogue fields belong to contingency:

| JSON path | Values | e-CF types | When |
|---|---|---|---|
| \`ecf.Encabezado.IdDoc.IndicadorEnvioDiferido\` | ${enumerationText('IndicadorEnvioDiferidoType')} | ${deferred.join(' ')} | a document issued where it cannot be sent at once (handhelds, offline points of sale) and sent later; the RI has its own model for it |
| \`ecf.InformacionReferencia.CodigoModificacion\` | ${enumerationText('CodigoModificacionType')} | ${reference.join(' ')} | \`4\` when an e-CF replaces a paper (series B) NCF issued during a contingency in which no e-CF could be issued at all; \`NCFModificado\` is that NCF and \`FechaNCFModificado\` its date; sent to DGII only |

The fields of a deferred e-CF 31 that also replaces a contingency NCF (the rest of \`ecf\` as usual),
signed now with \`dryRun\` and submitted later:

\`\`\`json
${JSON.stringify(example, null, 2)}
\`\`\`

`;
}
/** How `POST /api/v1/anecf/issue` fills the ANECF (issue 11 §1, PROTOCOL §7.2), with an example. */
const ANECF_REQUEST = `\`POST /api/v1/anecf/issue\` takes flat fields, DGII's shape under \`anecf\` (paths below), or both:
\`rncEmisor\` → \`Encabezado.RncEmisor\`; \`anulaciones[i]\` → \`DetalleAnulacion.Anulacion[i]\` (\`tipoeCF\` →
\`TipoeCF\`, \`rangos[j].desde\`/\`hasta\` → \`TablaRangoSecuenciasAnuladaseNCF.Secuencias[j].SecuenciaeNCFDesde\`/\`Hasta\`,
inclusive). Computed when not given: \`Version\` \`1.0\`, \`FechaHoraAnulacioneNCF\` (the signing instant,
Santo Domingo time), \`NoLinea\` 1, 2, …, each block's \`CantidadeNCFAnulados\` (the size of its ranges) and
\`Encabezado.CantidadeNCFAnulados\` (their sum). A flat field that contradicts \`anecf\`, or ranges given
both ways, is \`VALIDATION_FAILED\` (400) naming both. Only ranges never sent to DGII nor to a buyer can be
cancelled; anything sent needs a credit note (PROTOCOL §7.2). \`dryRun: true\` builds and signs only.

\`\`\`json
{
  "rncEmisor": "131880738",
  "anulaciones": [
    { "tipoeCF": 31, "rangos": [{ "desde": "E310000000050", "hasta": "E310000000059" }] },
    { "tipoeCF": 32, "rangos": [{ "desde": "E320000000200", "hasta": "E320000000200" }] }
  ],
  "environment": "CERTIFICATION"
}
\`\`\`

`;

export function renderFieldReference(): string {
  const rules = describeBusinessRules()
    .map((r) => `| ${code(r.id)} | ${cell(r.description)} | ${cell(r.section)} | ${r.kinds.join(' ')} |`)
    .join('\n');
  const defaults = DEFAULTS.map(
    (d) => `| ${code(`ecf.${d.path}`)} | ${cell(d.value)} | ${cell(d.appliesTo)} | ${cell(d.note)} |`,
  ).join('\n');
  const others = (['RFCE', 'ACECF', 'ARECF', 'ANECF'] as const)
    .map(
      (k) =>
        `### ${k} (root \`${DOCUMENTS[k].root.name}\`, ${DOCUMENTS[k].schemaFile})\n\n${k === 'ANECF' ? ANECF_REQUEST : ''}${table([k], k.toLowerCase(), k)}`,
    )
    .join('\n\n');
  return `<!-- GENERATED by scripts/generate-field-reference.ts from the e-CF catalogue; do not edit by hand. -->

# e-CF field reference (Paso 2 client reference)

Every field fiscaliacore can write into a DGII document, taken from the official DGII schemas
(\`shared/dgii/xsd\`, ${ECF_TYPES.length} e-CF types plus RFCE, ACECF, ARECF and ANECF). Send them in the \`ecf\`
object of \`POST /api/v1/ecf/issue-stateless\` in DGII's own JSON shape: element names exactly as below,
nested as in the JSON path, a \`[]\` segment is a list (a single object is accepted too), numbers may be
JSON numbers or decimal strings (\`"1180.00"\`). The builder writes elements in schema order, leaves out
empty values and writes every amount with exactly the decimals shown, padding with zeros. Nothing is
rounded: an amount with more significant decimals than its field allows (\`1800.125\` for a 2-decimal
amount, \`1e-7\` anywhere) is \`VALIDATION_FAILED\` (400) with \`rule: "decimals"\`, so the signed
document says exactly what you sent.

Columns: **XSD type** names the schema type (a \`Name@kind\` type is a differing redefinition in that
schema); **Format / constraints** is what the value must satisfy; **e-CF types** lists the types whose
schema has the element, **bold** where it is required whenever its parent element is present.
Errors come back as \`XML_BUILD_FAILED\` (422) with one \`details[]\` entry per problem, its \`path\`
being the JSON path with 0-based indexes (\`ecf.DetallesItems.Item[3].CantidadItem\`) and \`rule\` either
\`xsd:<facet>\` or one of the business rules below. Characters XML cannot carry (control characters,
U+0085, U+2028, U+2029) and bidirectional controls (U+202A–U+202E, U+2066–U+2069, which can make a
printed invoice read differently from what was signed) are \`VALIDATION_FAILED\` (400). \`FechaHoraFirma\` is set by the signer.
An error in an element a flat field filled names that field (\`path: "lines[0].lineTotal"\`) with the
DGII path beside it (\`ecfPath: "DetallesItems.Item[0].MontoItem"\`).

## Flat fields

The flat request fields fill these elements: \`rncEmisor\` → \`Emisor.RNCEmisor\`, \`tipoeCF\` → \`IdDoc.TipoeCF\`,
\`overrideEncf\` → \`IdDoc.eNCF\`, \`issueDate\` (yyyy-MM-dd) → \`Emisor.FechaEmision\` (dd-MM-yyyy),
\`razonSocialEmisor\`, \`direccionEmisor\`, \`municipio\`, \`provincia\` → \`Emisor.*\`, \`receiverRnc\` →
\`Comprador.RNCComprador\`, \`razonSocialComprador\` → \`Comprador.RazonSocialComprador\`, \`subtotal\` →
\`Totales.MontoGravadoTotal\` (\`MontoExento\` for exento lines), \`taxAmount\` → \`Totales.TotalITBIS\`,
\`totalAmount\` → \`Totales.MontoTotal\`, \`lines[i]\` → \`DetallesItems.Item[i]\` (\`description\` → \`NombreItem\`,
\`quantity\` → \`CantidadItem\`, \`unitPrice\` → \`PrecioUnitarioItem\`, \`lineTotal\` → \`MontoItem\`).
Flat amounts take a JSON number or a decimal string (\`"1180.00"\`), with at most 2 decimals (4 for
\`unitPrice\`). A flat field that disagrees with the same element in \`ecf\` is a \`VALIDATION_FAILED\` detail
naming both (\`path\` the flat field, \`ecfPath\` the element).

Defaults for what neither gives, only for a request that uses the flat fields (a document sent in DGII shape, \`ecf\` alone, is taken literally: nothing is added, and a missing required element is an error naming it); only where the type's schema has the element; \`ecf\` always wins:

| Element | Default | Types | Note |
|---|---|---|---|
${defaults}

## Business rules beyond the schema

| Rule | What it checks | Source | Document kinds |
|---|---|---|---|
${rules}

${contingencySection()}## e-CF fields

${table(ECF_TYPES, 'ecf', 'e-CF types')}

## Other documents

${others}
`;
}

if (require.main === module) {
  writeFileSync(FIELD_REFERENCE, renderFieldReference());
  console.log(`wrote ${FIELD_REFERENCE}`);
}
