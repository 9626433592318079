import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { promisify } from 'node:util';
import { Writable } from 'node:stream';
import { join, resolve } from 'node:path';
import ExcelJS from 'exceljs';
import { unzipSync, strFromU8 } from 'fflate';
import request from 'supertest';
import { CertificationRunStore } from '@app/certification';
import {
  describeIfOfficialFiles,
  officialDir,
  passwordFor,
  pdfText,
  xmlsecVerify,
  xsdCheckEnv,
} from '@app/testing';
import { XsdValidator, type DocumentKind } from '@app/xml-builder';
import { verifyXmlSignature } from '@app/signing';
import { openSession } from './support/sessions';
import { API_KEY, createTestApp, OTHER_API_KEY, TestApp } from './support/test-app';

const describe = describeIfOfficialFiles('xsd', 'certification');

type Stats = Record<
  'semilla' | 'validarsemilla' | 'recepcion' | 'recepcionfc' | 'aprobacion' | 'consulta',
  number
>;
interface CaseView {
  row: number;
  tipo: string;
  encf: string;
  route: string;
  state: string;
  sendOrder: number | null;
  trackId: string | null;
  dgiiEstado: string | null;
  mensajes: { codigo: string; valor: string }[];
  error: { message: string; code: string } | null;
}
interface RunView {
  runId: string;
  kind: string;
  mode: string;
  status: string;
  stoppedAt: { row: number; encf: string; message: string } | null;
  dgiiUploads: number;
  cases: CaseView[];
}

const FINISHED = ['validated', 'passed', 'rejected', 'failed', 'cancelled'];

/** Boots the API with the embedded sandbox and one open session. */
async function harness(
  logStream?: Writable,
  env: Record<string, string> = {},
): Promise<{
  t: TestApp;
  token: string;
  http: () => ReturnType<typeof request>;
  stats: () => Promise<Stats>;
  fault: (body: object) => Promise<unknown>;
  start: (workbook: Buffer, fields?: Record<string, string>, bearer?: string) => request.Test;
  get: (path: string, bearer?: string, apiKey?: string) => request.Test;
  finished: (runId: string) => Promise<RunView>;
}> {
  const t = await createTestApp({
    env: { ...xsdCheckEnv(), DGII_TIMEOUT_MS: '2000', DGII_RESULT_WAIT_MS: '3000', ...env },
    logStream,
  });
  const token = await openSession(t.app);
  const http = () => request(t.app.getHttpServer());
  const get = (path: string, bearer = token, apiKey = API_KEY) =>
    http().get(path).set('X-Api-Key', apiKey).set('Authorization', `Bearer ${bearer}`);
  return {
    t,
    token,
    http,
    stats: async () =>
      (await http().get('/dgii-sandbox/_admin/stats').set('X-Api-Key', API_KEY).expect(200)).body,
    fault: (body) =>
      http().post('/dgii-sandbox/_admin/faults').set('X-Api-Key', API_KEY).send(body).expect(201),
    start: (workbook, fields = {}, bearer = token) => {
      let req = http()
        .post('/api/v1/certification/runs')
        .set('X-Api-Key', API_KEY)
        .set('Authorization', `Bearer ${bearer}`);
      for (const [k, v] of Object.entries(fields)) req = req.field(k, v);
      return req.attach('workbook', workbook, 'dataset.xlsx');
    },
    get,
    finished: async (runId) => {
      for (;;) {
        const res = await get(`/api/v1/certification/runs/${runId}`).expect(200);
        if (FINISHED.includes(res.body.status)) return res.body as RunView;
        await new Promise((r) => setTimeout(r, 100));
      }
    },
  };
}

/** The workbook with one cell replaced (row and header as DGII wrote them). */
async function withCell(
  bytes: Buffer,
  sheetName: string,
  row: number,
  header: string,
  value: string,
): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  const sheet = wb.getWorksheet(sheetName);
  if (!sheet) throw new Error(`no sheet ${sheetName}`);
  let col = 0;
  sheet.getRow(1).eachCell((cell, c) => {
    if (String(cell.value).trim() === header) col = c;
  });
  if (!col) throw new Error(`no column ${header}`);
  sheet.getRow(row).getCell(col).value = value;
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe('certification autopilot against the embedded DGII sandbox (e2e)', () => {
  let paso2: Buffer;
  let paso3: Buffer;

  beforeAll(() => {
    paso2 = readFileSync(join(officialDir('certification'), 'dataset.xlsx'));
    paso3 = readFileSync(join(officialDir('certification'), 'acecf_dataset.xlsx'));
  });

  describe('validate and send both workbooks', () => {
    let h: Awaited<ReturnType<typeof harness>>;
    let sentRunId = '';
    beforeAll(async () => {
      h = await harness(undefined, { CERTIFICATION_MAX_WORKBOOK_BYTES: '600000' });
    });
    afterAll(() => h.t.close());

    it('validate: every case built, signed and checked; zero DGII calls', async () => {
      const before = await h.stats();
      const res = await h.start(paso2, { mode: 'validate' }).expect(202);
      expect(res.body).toMatchObject({ kind: 'ecf', mode: 'validate', environment: 'CERTIFICATION' });
      expect(res.body.cases).toHaveLength(25);
      const run = await h.finished(res.body.runId);
      expect(run.status).toBe('validated');
      expect(run.cases.every((c) => c.state === 'validated')).toBe(true);
      expect(run.cases.filter((c) => c.route === 'rfce')).toHaveLength(4);
      expect(run.dgiiUploads).toBe(0);
      expect(await h.stats()).toEqual(before);

      const acecf = await h.start(paso3, { mode: 'validate' }).expect(202);
      expect(acecf.body.kind).toBe('acecf');
      expect((await h.finished(acecf.body.runId)).status).toBe('validated');
    }, 120_000);

    it('send Paso 2: originals before their notes, each note after its original was Aceptado; RFCE to fc', async () => {
      const before = await h.stats();
      const started = Date.now();
      const res = await h.start(paso2, { mode: 'send' }).expect(202);
      const run = await h.finished(res.body.runId);
      const seconds = (Date.now() - started) / 1000;
      sentRunId = res.body.runId;
      expect({ status: run.status, stoppedAt: run.stoppedAt }).toEqual({ status: 'passed', stoppedAt: null });
      expect(run.cases.every((c) => c.state === 'Aceptado' || c.state === 'Aceptado Condicional')).toBe(true);
      const after = await h.stats();
      expect(after.recepcion - before.recepcion).toBe(21);
      expect(after.recepcionfc - before.recepcionfc).toBe(4);
      expect(run.dgiiUploads).toBe(25);
      // Every note after the document it modifies (which was accepted before the note was sent).
      const byEncf = new Map(run.cases.map((c) => [c.encf, c]));
      const notes = run.cases.filter((c) => c.tipo === '33' || c.tipo === '34');
      expect(notes.length).toBeGreaterThan(0);
      const sheet = await ncfModificados(paso2);
      for (const note of notes) {
        const original = byEncf.get(sheet.get(note.encf) ?? '');
        if (!original) continue;
        expect(original.sendOrder).toBeLessThan(note.sendOrder ?? 0);
        expect(original.state).toMatch(/^Aceptado/);
      }
      // Notes go after every non-note document.
      const lastOriginal = Math.max(
        ...run.cases.filter((c) => !notes.includes(c)).map((c) => c.sendOrder ?? 0),
      );
      expect(Math.min(...notes.map((n) => n.sendOrder ?? 0))).toBeGreaterThan(lastOriginal);
      // The figure for the note: a whole Paso 2 run against the sandbox.
      process.stdout.write(
        `certification e2e: Paso 2 send run took ${seconds.toFixed(1)} s against the sandbox\n`,
      );
    }, 300_000);

    it('Paso 5: one RI per portal slot of the accepted cases, each the PDF of that e-CF', async () => {
      expect(sentRunId).not.toBe('');
      const run = await h.finished(sentRunId);
      const res = await h
        .get(`/api/v1/certification/runs/${sentRunId}/ri`)
        .buffer(true)
        .parse(binary)
        .expect(200);
      expect(res.headers['content-type']).toMatch(/application\/zip/);
      const files = unzipSync(new Uint8Array(res.body as Buffer));
      // The slots DGII's portal lists (PROTOCOL §10, Paso 5) that the accepted cases cover.
      const slotOf = (c: { tipo: string; route: string }) =>
        c.tipo === '32' ? (c.route === 'rfce' ? '32<250k' : '32>=250k') : c.tipo;
      const expected = [...new Set(run.cases.map(slotOf))].sort();
      expect(expected).toEqual(
        ['31', '32<250k', '32>=250k', '33', '34', '41', '43', '44', '45', '46', '47'].filter((slot) =>
          expected.includes(slot),
        ),
      );
      const names = Object.keys(files).sort();
      expect(names.map((n) => n.split('/')[0]).sort()).toEqual(expected);
      for (const name of names) {
        const [slot, file] = name.split('/');
        const encf = /^\d{9}(E\d{12})\.pdf$/.exec(file)?.[1] ?? '';
        // The first accepted case of that slot, in workbook order.
        const first = run.cases.find((c) => slotOf(c) === slot);
        expect({ name, encf }).toEqual({ name, encf: first?.encf });
        const pdf = Buffer.from(files[name]);
        expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
        expect(pdfText(pdf)).toContain(encf);
      }
    }, 180_000);

    it('the documents zip: DGII file names, type-32 XMLs included, every file XSD-valid and verified by xmlsec1', async () => {
      const runs = await h.start(paso2, { mode: 'validate' }).expect(202);
      await h.finished(runs.body.runId);
      const res = await h
        .get(`/api/v1/certification/runs/${runs.body.runId}/documents`)
        .buffer(true)
        .parse(binary)
        .expect(200);
      expect(res.headers['content-type']).toMatch(/application\/zip/);
      const files = unzipSync(new Uint8Array(res.body as Buffer));
      const validator = await XsdValidator.load(officialDir('xsd'));
      const names = Object.keys(files).sort();
      expect(names.filter((n) => n.startsWith('e-CF/'))).toHaveLength(25);
      expect(names.filter((n) => n.startsWith('RFCE/'))).toHaveLength(4);
      // The full type-32 XMLs the portal asks for, beside their RFCE.
      for (const n of names.filter((x) => x.startsWith('RFCE/')))
        expect(names).toContain(n.replace('RFCE/', 'e-CF/'));
      for (const name of names) {
        expect(name).toMatch(/^(e-CF|RFCE)\/\d{9}E\d{12}\.xml$/);
        const xml = strFromU8(files[name]);
        const tipo = name.startsWith('RFCE/') ? 'RFCE' : (/<TipoeCF>(\d+)<\/TipoeCF>/.exec(xml)?.[1] ?? '');
        // The official XSDs, compiled by libxml2 (the service's own check is off in this assertion's path).
        expect({ name, ...validator.validate(tipo as DocumentKind, xml) }).toMatchObject({
          name,
          valid: true,
        });
        expect({ name, ...xmlsecVerify(xml) }).toMatchObject({ name, ok: true });
      }
      expect(await verifyXmlSignature(strFromU8(files[names[0]]))).toMatchObject({ valid: true });
      validator.dispose();
    }, 180_000);

    it('send Paso 3: every approval to aprobación comercial, synchronous', async () => {
      const before = await h.stats();
      const res = await h.start(paso3, { mode: 'send' }).expect(202);
      const run = await h.finished(res.body.runId);
      expect(run.status).toBe('passed');
      expect(run.cases.every((c) => c.state === 'Aceptado' && /Aprobada/.test(c.dgiiEstado ?? ''))).toBe(
        true,
      );
      expect((await h.stats()).aprobacion - before.aprobacion).toBe(11);
    }, 120_000);

    it('SSE: the run, each case change, then the finished run', async () => {
      // 25 cases take a few seconds to sign: the stream opens while the run is going.
      const res = await h.start(paso2, { mode: 'validate' }).expect(202);
      const sse = await h
        .get(`/api/v1/certification/runs/${res.body.runId}/events`)
        .buffer(true)
        .parse((r, cb) => {
          let text = '';
          r.on('data', (c: Buffer) => (text += c.toString('utf8')));
          r.on('end', () => cb(null, text));
        })
        .expect(200);
      expect(sse.headers['content-type']).toMatch(/text\/event-stream/);
      const events = String(sse.body)
        .split('\n\n')
        .filter((b) => b.includes('data:'))
        .map((b) => ({
          type: /^event: (.*)$/m.exec(b)?.[1],
          data: JSON.parse(/^data: (.*)$/m.exec(b)?.[1] ?? 'null') as { status?: string; state?: string },
        }));
      expect(events[0].type).toBe('run');
      expect(events[events.length - 1]).toMatchObject({ type: 'run', data: { status: 'validated' } });
      const validated = events.filter((e) => e.type === 'case' && e.data.state === 'validated');
      expect(validated.length).toBeGreaterThan(0);
      expect(validated.length).toBeLessThanOrEqual(25);
    }, 60_000);

    it('a run belongs to its API key: another key sees 404; unknown ids are 404', async () => {
      const res = await h.start(paso3, { mode: 'validate' }).expect(202);
      const other = await openSession(h.t.app, 'rsa2048-modern', OTHER_API_KEY);
      const seen = await h
        .get(`/api/v1/certification/runs/${res.body.runId}`, other, OTHER_API_KEY)
        .expect(404);
      expect(seen.body.code).toBe('NOT_FOUND');
      // Another session of the same key does not see it while its own session lives.
      const sibling = await openSession(h.t.app);
      await h.get(`/api/v1/certification/runs/${res.body.runId}`, sibling).expect(404);
      await h.get('/api/v1/certification/runs/3f0e5a0c-1b8e-4f7e-9d1e-6a2b9c4d5e6f').expect(404);
      const events = await h
        .get('/api/v1/certification/runs/3f0e5a0c-1b8e-4f7e-9d1e-6a2b9c4d5e6f/events')
        .expect(404);
      expect(events.body.code).toBe('NOT_FOUND');
      await h.get('/api/v1/certification/runs/3f0e5a0c-1b8e-4f7e-9d1e-6a2b9c4d5e6f/documents').expect(404);
      expect((await h.get('/api/v1/certification/runs/not-a-uuid').expect(400)).body.code).toBe(
        'BAD_REQUEST',
      );
      // The documents are in the store for the RI library.
      const store = h.t.app.get(CertificationRunStore);
      await h.finished(res.body.runId);
      expect(await store.documentsOf(res.body.runId)).toHaveLength(11);
    });

    it('a bad workbook is 400 naming the problem, never a 500; PRODUCTION is 400', async () => {
      const notXlsx = await h.start(Buffer.from('not a workbook')).expect(400);
      expect(notXlsx.body.code).toBe('INVALID_WORKBOOK');
      const wb = new ExcelJS.Workbook();
      wb.addWorksheet('Hoja1').addRow(['Nombre', 'Monto']);
      const foreign = await h.start(Buffer.from(await wb.xlsx.writeBuffer())).expect(400);
      expect(foreign.body).toMatchObject({ code: 'INVALID_WORKBOOK' });
      expect(JSON.stringify(foreign.body.details)).toContain('missing sheet ECF');
      const unknown = await withCell(paso2, 'ECF', 1, 'ZonaVenta', 'ZonaDeVenta');
      const bad = await h.start(unknown).expect(400);
      expect(JSON.stringify(bad.body.details)).toContain('unknown column \\"ZonaDeVenta\\"');
      // A cell in a column the row's type does not have (type 43 has no Comprador).
      const misfit = await withCell(paso2, 'ECF', 19, 'RNCComprador', '131880681');
      const misfitRes = await h.start(misfit).expect(400);
      expect(misfitRes.body.details[0]).toMatchObject({ rule: 'cell-fits-no-field' });
      const huge = await h.start(Buffer.alloc(700_000, 1)).expect(413);
      expect(huge.body.code).toBe('PAYLOAD_TOO_LARGE');
      const prod = await h.start(paso3, { environment: 'PRODUCTION' }).expect(400);
      expect(prod.body).toMatchObject({ code: 'VALIDATION_FAILED' });
      expect(prod.body.details[0].path).toBe('environment');
      const mode = await h.start(paso3, { mode: 'later' }).expect(400);
      expect(mode.body.details[0].path).toBe('mode');
      await h
        .http()
        .post('/api/v1/certification/runs')
        .set('X-Api-Key', API_KEY)
        .set('Authorization', `Bearer ${h.token}`)
        .send({})
        .expect(415);
    }, 60_000);
  });

  describe('a failing local case', () => {
    let h: Awaited<ReturnType<typeof harness>>;
    beforeAll(async () => {
      h = await harness();
    });
    afterAll(() => h.t.close());

    it('means zero DGII calls, and the run names the case and why', async () => {
      // Row 10: an amount with three decimals — refused locally (nothing is ever rounded).
      const broken = await withCell(paso2, 'ECF', 10, 'MontoItem[1]', '1.005');
      const before = await h.stats();
      const res = await h.start(broken, { mode: 'send' }).expect(202);
      const run = await h.finished(res.body.runId);
      expect(run.status).toBe('failed');
      expect(run.stoppedAt).toMatchObject({ row: 10 });
      const failed = run.cases.find((c) => c.row === 10);
      expect(failed).toMatchObject({ state: 'failed', error: { code: expect.any(String) } });
      expect(run.dgiiUploads).toBe(0);
      expect(await h.stats()).toEqual(before);
    }, 120_000);
  });

  describe('credentials', () => {
    const lines: string[] = [];
    let h: Awaited<ReturnType<typeof harness>>;
    beforeAll(async () => {
      const stream = new Writable({
        write(chunk: Buffer, _enc, done) {
          lines.push(chunk.toString('utf8'));
          done();
        },
      });
      h = await harness(stream);
    });
    afterAll(() => h.t.close());

    it('no API key, bearer or .p12 password in a run, its events, its zip, its errors or the logs', async () => {
      await h.fault({ kind: 'reject', next: 1, skip: 2, path: 'aprobacion' });
      const res = await h.start(paso3, { mode: 'send' }).expect(202);
      const run = await h.finished(res.body.runId);
      expect(run.status).toBe('rejected');
      const events = await h
        .get(`/api/v1/certification/runs/${res.body.runId}/events`)
        .buffer(true)
        .expect(200);
      const zip = await h
        .get(`/api/v1/certification/runs/${res.body.runId}/documents`)
        .buffer(true)
        .parse(binary)
        .expect(200);
      const bad = await h.start(Buffer.from('not a workbook')).expect(400);
      const stored = await h.t.app.get(CertificationRunStore).get(res.body.runId);
      const everything = [
        JSON.stringify(run),
        String(events.text),
        Buffer.from(zip.body as Buffer).toString('latin1'),
        JSON.stringify(bad.body),
        JSON.stringify(stored),
        lines.join('\n'),
      ].join('\n');
      expect(lines.length).toBeGreaterThan(0);
      for (const secret of [h.token, API_KEY, passwordFor('rsa2048-modern')])
        expect(everything.includes(secret)).toBe(false);
    }, 120_000);
  });

  describe('README walk-through', () => {
    let h: Awaited<ReturnType<typeof harness>>;
    let dir: string;
    beforeAll(async () => {
      h = await harness();
      dir = mkdtempSync(join(tmpdir(), 'fiscaliacore-cert-readme-'));
    });
    afterAll(async () => {
      await h.t.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('runs as written against the embedded sandbox: validated, passed, the zip listed', async () => {
      const readme = readFileSync(resolve(__dirname, '..', 'README.md'), 'utf8');
      const section = readme.slice(readme.indexOf('## Certification autopilot'));
      const block = /```bash\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
      const script = block
        .replace('API=http://localhost:8080', `API=${(await h.t.app.getUrl()).replace('[::1]', '127.0.0.1')}`)
        .replace("'X-Api-Key: local-dev-key'", `'X-Api-Key: ${API_KEY}'`)
        .replace('WB=../shared/dgii/certification', `WB=${officialDir('certification')}`)
        .replaceAll('/tmp/p12', join(dir, 'p12'))
        .replace('-o paso2.zip', `-o ${join(dir, 'paso2.zip')}`)
        .replace('unzip -l paso2.zip', `unzip -l ${join(dir, 'paso2.zip')}`)
        // The downloads go to the temp folder, never into the clone.
        .replace('-o paso5-ri.zip', `-o ${join(dir, 'paso5-ri.zip')}`)
        .replace('unzip -l paso5-ri.zip', `unzip -l ${join(dir, 'paso5-ri.zip')}`);
      h.t.clock.set(Date.now() + 5 * 60_000);
      const { stdout } = await promisify(execFile)('bash', ['-c', script], { timeout: 120_000 });
      expect(stdout).toMatch(/^validated$/m);
      expect(stdout).toContain('"status":"passed"');
      expect(stdout).toMatch(/29 files/);
      // Paso 5: one RI per portal slot, under the slot's folder.
      expect(stdout).toMatch(/\b32<250k\/\d{9}E32\d{10}\.pdf/);
      expect(stdout).not.toMatch(/Rechazad|INVALID|VALIDATION_FAILED/);
    }, 150_000);
  });

  describe('an injected rejection at case N', () => {
    let h: Awaited<ReturnType<typeof harness>>;
    beforeAll(async () => {
      h = await harness();
    });
    afterAll(() => h.t.close());

    it('stops the run there, with DGII text verbatim, and nothing after it is sent', async () => {
      const N = 5;
      // The fifth upload (e-CF or RFCE reception) is rejected.
      await h.fault({ kind: 'reject', next: 1, skip: N - 1, path: 'recepcion' });
      const before = await h.stats();
      const res = await h.start(paso2, { mode: 'send' }).expect(202);
      const run = await h.finished(res.body.runId);
      expect(run.status).toBe('rejected');
      const rejected = run.cases.find((c) => c.state === 'Rechazado');
      expect(rejected?.sendOrder).toBe(N);
      expect(run.stoppedAt?.message).toBe(rejected?.mensajes.map((m) => m.valor).join('; '));
      expect(run.stoppedAt?.message.length).toBeGreaterThan(0);
      expect(run.cases.filter((c) => c.sendOrder !== null)).toHaveLength(N);
      expect(run.cases.filter((c) => c.state === 'validated')).toHaveLength(25 - N);
      const after = await h.stats();
      expect(after.recepcion + after.recepcionfc - before.recepcion - before.recepcionfc).toBe(N);
    }, 300_000);
  });
});

/** supertest parser: the body as a Buffer (the zip). */
function binary(res: request.Response, cb: (err: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
}

/** e-NCF → NCFModificado, read independently of the library under test. */
async function ncfModificados(bytes: Buffer): Promise<Map<string, string>> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  const sheet = wb.getWorksheet('ECF');
  const headers: string[] = [];
  sheet?.getRow(1).eachCell((cell, c) => (headers[c] = String(cell.value).trim()));
  const out = new Map<string, string>();
  sheet?.eachRow((row, n) => {
    if (n === 1) return;
    const value = (h: string): string => String(row.getCell(headers.indexOf(h)).value ?? '');
    const modified = value('NCFModificado');
    if (modified && modified !== '#e') out.set(value('ENCF'), modified);
  });
  return out;
}
