/**
 * Child process of `bench:express-prototypes`: one Express 5 app on a loopback port, on node's own
 * request/response classes (`node`) or on `expressMessageClasses` (`express`). Prints its port.
 */
import express from 'express';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expressMessageClasses } from '@app/common';

const variant = process.argv[2];
const app = express();
app.disable('x-powered-by');
app.set('etag', false);
app.get('/health', (_req, res) => res.json({ status: 'ok' }));
const server = variant === 'express' ? createServer(expressMessageClasses(app), app) : createServer(app);
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`port ${(server.address() as AddressInfo).port}\n`);
});
