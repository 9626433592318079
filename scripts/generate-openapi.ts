import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { generateOpenApi, serialiseOpenApi } from '../apps/api/src/openapi';

/** Writes docs/openapi.json from the code; test/openapi.e2e-spec.ts fails when it drifts. */
async function main(): Promise<void> {
  const target = resolve(__dirname, '../docs/openapi.json');
  writeFileSync(target, serialiseOpenApi(await generateOpenApi()));
  process.stdout.write(`wrote ${target}\n`);
}

void main();
