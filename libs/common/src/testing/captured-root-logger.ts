import { Writable } from 'node:stream';
import type { Logger as Pino } from 'pino';
import { createRootLogger } from '../logging/logging.module';

/** A root logger at `level` whose JSON lines land, parsed, in `lines` (for the logging specs). */
export function capturedRootLogger(level: 'info' | 'warn'): { lines: Record<string, unknown>[]; root: Pino } {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(l));
      done();
    },
  });
  return { lines, root: createRootLogger({ level, stream }) };
}
