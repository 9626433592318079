/**
 * `npm run bench:slow-clients`: opens N connections that never finish their request headers,
 * against the API on node's default server (what Nest creates) and on BoundedExpressAdapter
 * with the default HTTP_* settings, and prints how long the last one was held (issue 7 §2).
 * Usage: bench:slow-clients [connections=3000] [cap seconds=150]
 */
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter, NestExpressApplication } from '@nestjs/platform-express';
import { AddressInfo, connect } from 'node:net';
import { BoundedExpressAdapter } from '@app/common';
import { loadConfig } from '@app/config';
import { AppModule } from '../apps/api/src/app.module';
import { configureApp } from '../apps/api/src/configure-app';

async function heldFor(bounded: boolean, connections: number, capMs: number): Promise<string> {
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' });
  const adapter = bounded ? new BoundedExpressAdapter(config.http) : new ExpressAdapter();
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot({ config }), adapter, {
    bodyParser: false,
    logger: false,
  });
  configureApp(app);
  await app.listen(0, '127.0.0.1');
  const port = (app.getHttpServer().address() as AddressInfo).port;
  const start = Date.now();
  let open = 0;
  let lastClosedMs = 0;
  await Promise.all(
    Array.from(
      { length: connections },
      () =>
        new Promise<void>((connected) => {
          const socket = connect(port, '127.0.0.1', () => {
            open++;
            socket.write('GET /health HTTP/1.1\r\nHost: bench\r\nX-Slow: ');
            connected();
          });
          socket.on('error', () => undefined);
          // Read the 408, or 'close' never fires.
          socket.resume();
          socket.on('close', () => {
            open--;
            lastClosedMs = Date.now() - start;
          });
        }),
    ),
  );
  while (open > 0 && Date.now() - start < capMs) await new Promise((r) => setTimeout(r, 100));
  await app.close();
  const held =
    open > 0
      ? `${open} still open after ${capMs / 1000} s`
      : `last closed after ${(lastClosedMs / 1000).toFixed(1)} s`;
  return `${bounded ? 'BoundedExpressAdapter (HTTP_* defaults)' : "node's default server"}: ${connections} stalled connections, ${held}`;
}

async function main(): Promise<void> {
  const connections = Number(process.argv[2] ?? 3000);
  const capMs = Number(process.argv[3] ?? 150) * 1000;
  console.log(await heldFor(false, connections, capMs));
  console.log(await heldFor(true, connections, capMs));
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
