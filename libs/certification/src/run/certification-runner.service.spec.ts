import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InternalError, ManualClock } from '@app/common';
import { loadConfig } from '@app/config';
import type { DgiiGateway, DgiiVerdict } from '@app/dgii-gateway';
import { DocumentSigner } from '@app/issuance';
import { signingIdentityOf } from '@app/signing';
import { XsdCheck } from '@app/xml-builder';
import { describeIfOfficialFiles, officialDir, testIdentity } from '@app/testing';
import { CertificationRunner, isFinished } from './certification-runner.service';
import { MemoryCertificationRunStore } from './memory-run.store';
import type { RunOwner, RunView } from './run.model';

const describe = describeIfOfficialFiles('certification');

const OWNER: RunOwner = { apiKeyId: 'key-a', tokenHash: 'hash-a' };
const approved: DgiiVerdict = {
  codigo: '01',
  estado: 'Aprobacion Comercial Aprobada',
  final: true,
  accepted: true,
  mensajes: [],
};
const inProcess: DgiiVerdict = {
  codigo: '3',
  estado: 'En Proceso',
  final: false,
  accepted: false,
  mensajes: [],
};

describe('CertificationRunner (fake DGII)', () => {
  let paso2: Buffer;
  let paso3: Buffer;
  let clock: ManualClock;
  let calls: string[];
  let gateway: Partial<Record<keyof DgiiGateway, jest.Mock>>;
  let runner: CertificationRunner;
  let caller: Parameters<CertificationRunner['start']>[1];

  beforeAll(async () => {
    paso2 = readFileSync(join(officialDir('certification'), 'dataset.xlsx'));
    paso3 = readFileSync(join(officialDir('certification'), 'acecf_dataset.xlsx'));
    caller = { cacheKey: 'k', identity: signingIdentityOf({ ...(await testIdentity()), keyType: 'rsa' }) };
  });

  beforeEach(() => {
    clock = new ManualClock(Date.parse('2026-06-23T21:50:00Z'));
    calls = [];
    gateway = {
      submitAcecf: jest.fn(async () => {
        calls.push('acecf');
        return approved;
      }),
      submitEcf: jest.fn(async () => {
        calls.push('ecf');
        return { trackId: 't-1' };
      }),
      submitRfce: jest.fn(),
      waitForResult: jest.fn(async () => {
        clock.advance(1_000);
        return inProcess;
      }),
    };
    const config = loadConfig({ CERTIFICATION_VERDICT_WAIT_MS: '5000' });
    const signer = new DocumentSigner(clock, new XsdCheck(config));
    const store = new MemoryCertificationRunStore(clock, 60_000);
    runner = new CertificationRunner(signer, gateway as unknown as DgiiGateway, clock, config, store);
  });

  async function finished(runId: string): Promise<RunView> {
    for (;;) {
      const run = await runner.view(OWNER, runId);
      if (isFinished(run)) return run;
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  it('a session that ends mid-run stops it before the next DGII call', async () => {
    gateway.submitAcecf?.mockImplementation(async () => {
      calls.push('acecf');
      if (calls.length === 2) await runner.sessionEnded(OWNER.tokenHash);
      return approved;
    });
    const started = await runner.start(OWNER, caller, paso3, { mode: 'send', environment: 'CERTIFICATION' });
    const run = await finished(started.runId);
    expect(run.status).toBe('cancelled');
    expect(calls).toEqual(['acecf', 'acecf']);
    expect(run.dgiiUploads).toBe(2);
    // Its session is gone: another session of the same key may now read it; another key never.
    await expect(runner.view({ ...OWNER, tokenHash: 'hash-b' }, run.runId)).resolves.toMatchObject({
      status: 'cancelled',
    });
    await expect(runner.view({ apiKeyId: 'key-b', tokenHash: 'hash-a' }, run.runId)).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    clock.advance(60_000);
    await expect(runner.view(OWNER, run.runId)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('DGII unreachable at case 3: that case failed with the reason, nothing after it sent', async () => {
    gateway.submitAcecf?.mockImplementation(async () => {
      calls.push('acecf');
      if (calls.length === 3) throw new InternalError('DGII submission failed: timeout', [], 502);
      return approved;
    });
    const started = await runner.start(OWNER, caller, paso3, { mode: 'send', environment: 'CERTIFICATION' });
    const run = await finished(started.runId);
    expect(run.status).toBe('failed');
    expect(calls).toHaveLength(3);
    const failed = run.cases.find((c) => c.state === 'failed');
    expect(failed).toMatchObject({ sendOrder: 3, error: { message: 'DGII submission failed: timeout' } });
    expect(run.stoppedAt?.message).toBe('DGII submission failed: timeout');
  });

  it('an e-CF still En Proceso after CERTIFICATION_VERDICT_WAIT_MS stops the run, saying so', async () => {
    const started = await runner.start(OWNER, caller, paso2, { mode: 'send', environment: 'CERTIFICATION' });
    const run = await finished(started.runId);
    expect(run.status).toBe('failed');
    expect(calls).toEqual(['ecf']);
    expect(run.stoppedAt?.message).toMatch(/had not ruled .* after 5000 ms \(En Proceso\)/);
    expect(run.cases.find((c) => c.sendOrder === 1)).toMatchObject({ state: 'sent', trackId: 't-1' });
  }, 60_000);

  it('one send run per API key at a time (a second would repeat its e-NCFs); validate runs are free', async () => {
    let release: () => void = () => undefined;
    gateway.submitAcecf?.mockImplementation(
      () => new Promise<DgiiVerdict>((done) => (release = () => done(approved))),
    );
    const first = await runner.start(OWNER, caller, paso3, { mode: 'send', environment: 'CERTIFICATION' });
    await expect(
      runner.start({ ...OWNER, tokenHash: 'hash-b' }, caller, paso3, { mode: 'send', environment: 'TEST' }),
    ).rejects.toMatchObject({ code: 'RUN_IN_PROGRESS' });
    const validate = await runner.start(OWNER, caller, paso3, {
      mode: 'validate',
      environment: 'CERTIFICATION',
    });
    expect((await finished(validate.runId)).status).toBe('validated');
    gateway.submitAcecf?.mockImplementation(async () => approved);
    while ((await runner.view(OWNER, first.runId)).dgiiUploads === 0)
      await new Promise((r) => setTimeout(r, 10));
    release();
    expect((await finished(first.runId)).status).toBe('passed');
    const second = await runner.start(OWNER, caller, paso3, { mode: 'send', environment: 'CERTIFICATION' });
    expect((await finished(second.runId)).status).toBe('passed');
  });

  it('refuses PRODUCTION before reading anything', async () => {
    await expect(
      runner.start(OWNER, caller, Buffer.from('x'), { mode: 'validate', environment: 'PRODUCTION' }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('an unreadable workbook is INVALID_WORKBOOK naming why', async () => {
    await expect(
      runner.start(OWNER, caller, Buffer.from('x'), { mode: 'validate', environment: 'CERTIFICATION' }),
    ).rejects.toMatchObject({ code: 'INVALID_WORKBOOK', details: [{ path: 'workbook' }] });
  });
});
