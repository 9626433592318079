import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TEST_P12_PASSWORD, testP12PasswordFor } from '@app/testing';
import { p12Dir } from './shared-dir';

export const P12_PASSWORD = TEST_P12_PASSWORD;

/** Bytes of a generated test .p12 (TEST_P12_VARIANTS in @app/testing lists the variants). */
export function p12(name: string): Buffer {
  return readFileSync(join(p12Dir, `${name}.p12`));
}

export function p12Base64(name: string): string {
  return p12(name).toString('base64');
}

/** The password each variant was exported with. */
export function passwordFor(name: string): string {
  return testP12PasswordFor(name);
}
