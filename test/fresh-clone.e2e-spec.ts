import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { hasOfficialFiles, xsdCheckEnv } from '@app/testing';
import { API_KEY, createTestApp, TestApp } from './support/test-app';

const REPO = resolve(__dirname, '..');
const run = promisify(execFile);

/** The bash block of the README's "Try it with curl", exactly as an integrator copies it. */
function readmeWalkthrough(): string {
  const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Try it with curl'));
  const block = /```bash\n([\s\S]*?)```/.exec(section);
  if (!block) throw new Error('README has no walk-through block');
  return block[1];
}

describe('README walk-through (e2e)', () => {
  let t: TestApp;
  let p12Dir: string;
  beforeAll(async () => {
    t = await createTestApp();
    p12Dir = mkdtempSync(join(tmpdir(), 'fiscaliacore-readme-'));
  });
  afterAll(async () => {
    await t.close();
    rmSync(p12Dir, { recursive: true, force: true });
  });

  it('runs twice in a row against the embedded sandbox, and DGII accepts every document both times', async () => {
    const script = readmeWalkthrough()
      .replace('API=http://localhost:8080', `API=${(await t.app.getUrl()).replace('[::1]', '127.0.0.1')}`)
      .replace("'X-Api-Key: local-dev-key'", `'X-Api-Key: ${API_KEY}'`)
      .replaceAll('/tmp/p12', p12Dir);
    const outputs: string[] = [];
    for (let i = 0; i < 2; i++) {
      // The test app's clock stands still from boot, but each run makes fresh certificates (valid
      // from now): keep the app's clock a few minutes ahead of them, as a real clock would be.
      t.clock.set(Date.now() + 5 * 60_000);
      // Async: the API under test runs in this process and must keep serving while bash talks to it.
      const { stdout } = await run('bash', ['-c', script], { cwd: REPO, timeout: 90_000 });
      outputs.push(stdout);
    }
    for (const out of outputs) {
      const lines = out.trim().split('\n');
      // ACECF, e-CF 31 and e-CF 32 verdicts: no rejection (a rejection would print DGII's message after a colon).
      expect({ out, verdicts: lines.filter((l) => /^(Aceptado|Aprobaci)/.test(l)) }).toMatchObject({
        verdicts: [expect.anything(), expect.anything(), expect.anything()],
      });
      // 1209 as DGII's code (`1209:` before its message, or a "codigo"), not as digits that a random
      // trackId or e-NCF may hold: a trackId …-61209f8c… once failed this check.
      expect(out).not.toMatch(/Rechazad|\b1209:|"codigo":"1209"|undefined/);
      expect(lines.at(-1)).toBe('204');
    }
    // Each run minted its own e-NCFs.
    const encfs = outputs.map((o) => /"encf":"(E31\d{10})"/i.exec(o)?.[1]);
    expect(encfs[0]).toMatch(/^E31\d{10}$/);
    expect(encfs[1]).not.toBe(encfs[0]);
  }, 200_000);

  it("prints DGII's message with a rejection, not just its state", async () => {
    const helpers = readmeWalkthrough()
      .split('\n')
      .filter((l) => /^(json|verdict)\(\)/.test(l))
      .join('\n');
    const rejected = JSON.stringify({
      success: false,
      dgiiEstado: 'Rechazado',
      statusMessage: '1209: El eNCF E310000000005 ya fue utilizado por el emisor 131793916.',
    });
    const { stdout } = await run('bash', ['-c', `${helpers}\necho "$BODY" | verdict`], {
      env: { ...process.env, BODY: rejected },
    });
    expect(stdout.trim()).toBe(
      'Rechazado: 1209: El eNCF E310000000005 ya fue utilizado por el emisor 131793916.',
    );
  });
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  await new Promise((done) => server.close(done));
  return port;
}

describe('standalone DGII sandbox (apps/dgii-sandbox) (e2e)', () => {
  it('logs JSON lines like the API: boot messages and one line per request', async () => {
    const port = await freePort();
    const child = spawn(
      process.execPath,
      [
        '-r',
        'ts-node/register/transpile-only',
        '-r',
        'tsconfig-paths/register',
        'apps/dgii-sandbox/src/main.ts',
      ],
      {
        cwd: REPO,
        env: {
          ...process.env,
          ...xsdCheckEnv(),
          NODE_ENV: 'development',
          SANDBOX_PORT: String(port),
          LOG_LEVEL: 'info',
        },
      },
    );
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    try {
      const base = `http://127.0.0.1:${port}/dgii-sandbox/ecf/testecf/autenticacion/api/autenticacion/semilla`;
      const deadline = Date.now() + 90_000;
      let status = 0;
      while (status === 0 && Date.now() < deadline) {
        status = await fetch(base).then(
          (r) => r.status,
          () => new Promise<number>((done) => setTimeout(() => done(0), 250)),
        );
      }
      expect(status).toBe(200);
      const lineFor = (): string | undefined =>
        stdout.split('\n').find((l) => l.includes('"/dgii-sandbox/ecf/testecf/autenticacion'));
      while (!lineFor() && Date.now() < deadline) await new Promise((done) => setTimeout(done, 100));
      const lines = stdout.split('\n').filter((l) => l.length > 0);
      expect(lines.length).toBeGreaterThan(1);
      for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
      expect(lines.some((l) => /Nest application successfully started/.test(l))).toBe(true);
      // Without the XSDs it still starts, and says at boot (as JSON, level warn) that it cannot check them.
      const noXsdWarning = lines.find((l) => /does not check document structure/.test(l));
      expect(noXsdWarning === undefined).toBe(hasOfficialFiles('xsd'));
      if (noXsdWarning) expect(JSON.parse(noXsdWarning)).toMatchObject({ level: 40 });
      expect(JSON.parse(lineFor() ?? '{}')).toMatchObject({
        level: 30,
        req: { method: 'GET', path: dirname(new URL(base).pathname) + '/semilla' },
        res: { statusCode: 200 },
      });
    } finally {
      child.kill('SIGTERM');
    }
  }, 120_000);
});

describe('docker-compose.yml', () => {
  // js-yaml comes with @nestjs/swagger; the compose file is only parsed here, never run.
  const jsYaml = require.resolve('js-yaml', {
    paths: [dirname(require.resolve('@nestjs/swagger/package.json'))],
  });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const yaml = require(jsYaml) as { load(text: string): unknown };
  const compose = yaml.load(readFileSync(join(REPO, 'docker-compose.yml'), 'utf8')) as {
    services: Record<string, { environment: Record<string, string>; volumes?: string[] }>;
  };

  it.each(['api', 'dgii-sandbox'])(
    '%s mounts the XSD folder read-only and checks documents with it',
    (name) => {
      const service = compose.services[name];
      expect(service.environment.DGII_XSD_DIR).toBe('/xsd');
      expect(service.volumes).toContain('${DGII_XSD_HOST_DIR:-../shared/dgii/xsd}:/xsd:ro');
    },
  );
});
