import { INestApplication, Logger } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { AddressInfo } from 'node:net';
import { ConfigModule, DEV_API_KEY, loadConfig } from '@app/config';
import {
  DgiiSandboxModule,
  type DgiiSandboxOptions,
  SandboxDgiiEndpoints,
  type SandboxStatsSnapshot,
} from '@app/dgii-sandbox';
import { DgiiGatewayModule } from '../dgii-gateway.module';
import { DgiiHttpRequest, DgiiTransport } from '../dgii.transport';

/** The sandbox's controls need the API key (the development key: no keys are configured here). */
const ADMIN = { 'X-Api-Key': DEV_API_KEY };

/**
 * The real gateway against the real sandbox module over loopback HTTP (DESIGN §6): no mocks of
 * axios, DGII paths resolved by DgiiEndpoints from the listening port. The specs of the gateway's
 * calls share it; each gets its own app.
 */
export interface GatewaySandbox {
  app: INestApplication;
  origin: string;
  /** Every HTTP request the gateway sent since the last `reset()` (the same array throughout). */
  readonly sent: DgiiHttpRequest[];
  /** Plants a fault with the sandbox's admin route. */
  fault(body: object): Promise<void>;
  stats(): Promise<SandboxStatsSnapshot>;
  /** Clears the faults and `sent`: call it before each test. */
  reset(): Promise<void>;
  close(): Promise<void>;
}

export async function startGatewayWithSandbox(
  env: Record<string, string>,
  sandbox: DgiiSandboxOptions,
): Promise<GatewaySandbox> {
  Logger.overrideLogger(false);
  const moduleRef = await Test.createTestingModule({
    imports: [
      ConfigModule.forRoot(loadConfig({ NODE_ENV: 'test', DGII_TARGET: 'sandbox', ...env })),
      DgiiGatewayModule.forRoot({ endpoints: SandboxDgiiEndpoints }),
      DgiiSandboxModule.forRoot(sandbox),
    ],
  }).compile();
  const app = moduleRef.createNestApplication();
  await app.listen(0, '127.0.0.1');
  const origin = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  const sent: DgiiHttpRequest[] = [];
  const transport = app.get(DgiiTransport, { strict: false });
  const send = transport.send.bind(transport);
  jest.spyOn(transport, 'send').mockImplementation((request) => {
    sent.push(request);
    return send(request);
  });
  return {
    app,
    origin,
    sent,
    async fault(body) {
      const res = await fetch(`${origin}/dgii-sandbox/_admin/faults`, {
        method: 'POST',
        headers: { ...ADMIN, 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
      expect(res.status).toBe(201);
    },
    async stats() {
      const res = await fetch(`${origin}/dgii-sandbox/_admin/stats`, { headers: ADMIN });
      return (await res.json()) as SandboxStatsSnapshot;
    },
    async reset() {
      sent.length = 0;
      await fetch(`${origin}/dgii-sandbox/_admin/faults`, { method: 'DELETE', headers: ADMIN });
    },
    async close() {
      await app.close();
      Logger.overrideLogger(['log', 'error', 'warn', 'debug', 'verbose']);
    },
  };
}
