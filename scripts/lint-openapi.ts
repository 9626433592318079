import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createConfig, lintFromString } from '@redocly/openapi-core';

export interface OpenApiProblem {
  severity: 'error' | 'warn';
  ruleId: string;
  message: string;
  pointer: string;
}

/**
 * Warnings of Redocly's `recommended` rules that the document keeps on purpose:
 * - info-license-strict: the project is UNLICENSED (proprietary), so there is no licence URL;
 * - operation-4xx-response on /health, /health/live, /health/ready and /metrics: public, bodiless
 *   GETs that answer 200 (or 503 when not ready), never a 4xx.
 */
export const ACCEPTED_WARNINGS: readonly string[] = [
  'info-license-strict #/info/license/url',
  'operation-4xx-response #/paths/~1health/get/responses',
  'operation-4xx-response #/paths/~1health~1live/get/responses',
  'operation-4xx-response #/paths/~1health~1ready/get/responses',
  'operation-4xx-response #/paths/~1metrics/get/responses',
];

/** Lints an OpenAPI document with Redocly's `recommended` ruleset, as `redocly lint` would. */
export async function lintOpenApi(source: string, ref = 'openapi.json'): Promise<OpenApiProblem[]> {
  const config = await createConfig({ extends: ['recommended'] });
  const problems = await lintFromString({ source, absoluteRef: resolve(ref), config });
  return problems.map((p) => ({
    severity: p.severity === 'error' ? 'error' : 'warn',
    ruleId: p.ruleId,
    message: p.message,
    pointer: p.location[0]?.pointer ?? '',
  }));
}

/** `npm run lint:openapi`: fails on any error and on any warning not accepted above. */
async function main(): Promise<void> {
  const file = resolve(__dirname, '../docs/openapi.json');
  const problems = await lintOpenApi(readFileSync(file, 'utf8'), file);
  const unexpected = problems.filter(
    (p) => p.severity === 'error' || !ACCEPTED_WARNINGS.includes(`${p.ruleId} ${p.pointer}`),
  );
  for (const p of problems) process.stdout.write(`${p.severity} ${p.ruleId} ${p.pointer}: ${p.message}\n`);
  process.stdout.write(`${file}: ${problems.length} problem(s), ${unexpected.length} not accepted\n`);
  if (unexpected.length > 0) process.exitCode = 1;
}

if (require.main === module) void main();
