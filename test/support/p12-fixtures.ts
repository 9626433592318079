import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { p12Dir } from './shared-dir';

export const P12_PASSWORD = 'Clave-Secreta.2024';

/** Bytes of a generated test .p12 (see ../shared/tools/gen-test-p12.sh for the variants). */
export function p12(name: string): Buffer {
  return readFileSync(join(p12Dir, `${name}.p12`));
}

export function p12Base64(name: string): string {
  return p12(name).toString('base64');
}

/** The password each variant was exported with. */
export function passwordFor(name: string): string {
  if (name.endsWith('-pw-enye')) return 'contraseña';
  if (name === 'rsa2048-emptypw') return '';
  return P12_PASSWORD;
}
