import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { OpenAPIObject } from '@nestjs/swagger';

/**
 * The version in the project's package.json, found by walking up from this file, so the same
 * code works from `src/` (ts-node, tests) and from `dist/` (npm start, the container).
 */
export function packageVersion(from = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'fiscaliacore' && pkg.version) return pkg.version;
    }
    if (dirname(dir) === dir) throw new Error('package.json of fiscaliacore not found above ' + from);
  }
}

export const OPENAPI_TAGS: readonly { name: string; description: string }[] = [
  {
    name: 'sessions',
    description:
      'A customer .p12 unlocked in memory for a short session; the opaque bearer it returns signs every document',
  },
  { name: 'e-CF', description: 'Build, sign and submit the ten e-CF types (and RFCE summaries) to DGII' },
  { name: 'ACECF', description: 'Commercial approval of an e-CF received from a supplier' },
  { name: 'status', description: "DGII's verdict for a trackId" },
  {
    name: 'inbound',
    description:
      'Your receptors: the URLs to give DGII, the session that signs ARECFs, and the documents received (signed callbacks, or pull and acknowledge)',
  },
  {
    name: 'receptor',
    description:
      'DGII-facing receptor (PROTOCOL §8) that senders call: also at {rnc}.{INBOUND_HOST_SUFFIX}/fe/…; no API key',
  },
  { name: 'ANECF', description: 'Cancel unused e-NCF ranges (anulación de rangos)' },
  { name: 'directory', description: "DGII's directory of electronic receptors (consulta directorio)" },
  { name: 'DGII status', description: "DGII's own service status and maintenance windows, per environment" },
  {
    name: 'certification',
    description:
      "DGII's certification data tests (Pasos 2 and 3): upload the workbook, validate or send every case",
  },
  {
    name: 'ri',
    description: 'The printed representation (Representación Impresa) of a signed e-CF, as PDF',
  },
  { name: 'operations', description: 'Health and metrics for operators: public, no credentials' },
];

interface ExampleHolder {
  examples?: Record<string, { value?: unknown }>;
}

/**
 * Error examples are declared once per code (ApiErrors) with a placeholder path; here each gets
 * the path of the route it is listed under, as the filter would write it.
 */
export function withRoutePathsInExamples(document: OpenAPIObject): OpenAPIObject {
  for (const [template, item] of Object.entries(document.paths)) {
    for (const operation of Object.values(item) as { parameters?: unknown[]; responses?: object }[]) {
      if (!operation?.responses) continue;
      const path = concretePath(template, operation.parameters ?? []);
      for (const response of Object.values(operation.responses) as {
        content?: Record<string, ExampleHolder>;
      }[]) {
        for (const media of Object.values(response.content ?? {})) {
          for (const example of Object.values(media.examples ?? {})) {
            const value = example.value as { code?: unknown; path?: unknown } | undefined;
            if (value && typeof value.code === 'string' && typeof value.path === 'string') value.path = path;
          }
        }
      }
    }
  }
  return document;
}

/** `/api/v1/status/{trackId}` → `/api/v1/status/d2b6…` with each parameter's own example. */
function concretePath(template: string, parameters: unknown[]): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const p = parameters.find((x) => (x as { name?: string; in?: string }).name === name) as
      { example?: unknown; schema?: { example?: unknown } } | undefined;
    const example = p?.example ?? p?.schema?.example;
    return example === undefined ? whole : String(example);
  });
}
