import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { p12Dir, sharedDir } from './shared-dir';

/**
 * Generates every .p12 variant once per machine with the shared generator (openssl 3).
 * Certificates are never committed; they are made here at test time.
 */
export default function globalSetup(): void {
  if (existsSync(join(p12Dir, 'rsa2048-ber.p12'))) return;
  mkdirSync(p12Dir, { recursive: true });
  execFileSync('bash', [join(sharedDir(), 'tools/gen-test-p12.sh'), p12Dir], { stdio: 'ignore' });
}
