import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { xsdCheckEnv } from '@app/testing';
import { API_KEY, createTestApp, TestApp } from './support/test-app';

const REPO = resolve(__dirname, '..');
const run = promisify(execFile);

/** The first bash block after `heading` in the README, as an integrator copies it. */
function readmeBlock(heading: string): string {
  const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
  const block = /```bash\n([\s\S]*?)```/.exec(readme.slice(readme.indexOf(heading)));
  if (!block) throw new Error(`README has no bash block after ${heading}`);
  return block[1];
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

describe('README receptor walk-through (e2e)', () => {
  let t: TestApp;
  let p12Dir: string;
  beforeAll(async () => {
    t = await createTestApp({ env: { ...xsdCheckEnv(), INBOUND_RATE_LIMIT_PER_IP: '0' } });
    p12Dir = mkdtempSync(join(tmpdir(), 'fiscaliacore-readme-inbound-'));
  });
  afterAll(async () => {
    await t.close();
    rmSync(p12Dir, { recursive: true, force: true });
  });

  it('attaches a receptor and the sandbox simulator gets a good ARECF and an approval OK', async () => {
    const port = await freePort();
    const script = (readmeBlock('## Try it with curl') + readmeBlock('## Receive e-CFs: the receptor'))
      .replace('API=http://localhost:8080', `API=${(await t.app.getUrl()).replace('[::1]', '127.0.0.1')}`)
      .replace("'X-Api-Key: local-dev-key'", `'X-Api-Key: ${API_KEY}'`)
      .replaceAll('/tmp/p12', p12Dir)
      .replaceAll('9000', String(port));
    t.clock.set(Date.now() + 5 * 60_000);
    const { stdout } = await run('bash', ['-c', script], { cwd: REPO, timeout: 120_000 });
    expect(stdout).toMatch(/\/receptor\/130000001 40209547971 whsec_/);
    const verdicts = stdout.match(
      /"rnc":"130000001","encf":"E31\d{10}","estado":"Aceptado","mensajes":\[\]/g,
    );
    expect({ stdout, verdicts: verdicts?.length }).toMatchObject({ verdicts: 2 });
    expect(stdout).toContain('"resultado":"OK","httpStatus":200,"mensajes":[]');
    // The one-line receiver printed the signed callback of the received e-CF (issue 10 §3).
    expect(stdout).toMatch(/callback evt_\S+ \{"id":"evt_[^"]+","type":"ecf\.received","rnc":"130000001"/);
  }, 200_000);
});
