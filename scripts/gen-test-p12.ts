/**
 * Writes throw-away PKCS#12 test certificates, every variant the session endpoint must handle.
 * Usage: npm run fixtures:p12 -- OUT_DIR   (needs only Node and openssl 3)
 * Password: "Clave-Secreta.2024" unless the file name says otherwise (see TEST_P12_VARIANTS).
 */
import { resolve } from 'node:path';
import { generateTestP12 } from '@app/testing';

async function main(): Promise<void> {
  const outDir = process.argv[2];
  if (!outDir) {
    process.stderr.write('usage: npm run fixtures:p12 -- OUT_DIR\n');
    process.exit(2);
  }
  const started = Date.now();
  const written = await generateTestP12(resolve(outDir));
  process.stdout.write(
    `p12 files written: ${written.length} in ${resolve(outDir)} (${Date.now() - started} ms)\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
