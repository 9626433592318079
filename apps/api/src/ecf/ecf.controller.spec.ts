import { EcfIssuanceService } from '@app/issuance';
import { RiService } from '@app/ri';
import {
  controllerSetup,
  ControllerSetup,
  detailPaths,
  expectEnvelope,
  ROUTE_SPEC_API_KEY,
} from '@app/testing';
import request from 'supertest';
import { configureApp } from '../configure-app';
import { API_GLOBAL_PROVIDERS } from '../global-providers';
import { IssueEcfStatelessDto } from './dto/issue-ecf-stateless.dto';
import { IssueEcfDto } from './dto/issue-ecf.dto';
import { EcfController } from './ecf.controller';
import { StatelessIssueEnabledGuard } from './stateless-issue-enabled.guard';

const STATELESS = '/api/v1/ecf/issue-stateless';
const IDEMPOTENT = '/api/v1/ecf/issue';
const BODY = {
  tipoeCF: '31',
  rncEmisor: '131880738',
  issueDate: '2026-04-23',
  lines: [{ description: 'Servicio', quantity: 1, unitPrice: '100.00', lineTotal: 100 }],
  ecf: { Encabezado: { IdDoc: { TipoeCF: 31 } } },
  dryRun: true,
};

describe('EcfController (route spec: real pipe, guards and filter; fake issuance)', () => {
  const issuance = { issue: jest.fn(), issueOnce: jest.fn() };
  let setup: ControllerSetup;

  async function boot(env: Record<string, string> = {}): Promise<ControllerSetup> {
    return controllerSetup({
      controllers: [EcfController],
      providers: [StatelessIssueEnabledGuard, RiService, { provide: EcfIssuanceService, useValue: issuance }],
      globalProviders: API_GLOBAL_PROVIDERS,
      configure: configureApp,
      env,
    });
  }

  beforeAll(async () => {
    setup = await boot();
  });
  afterAll(() => setup.close());
  beforeEach(() => {
    issuance.issue.mockReset().mockResolvedValue({ ecfNumber: 'E310000000001', trackId: null });
    issuance.issueOnce.mockReset().mockResolvedValue({ ecfNumber: 'E310000000001', trackId: null });
  });

  const post = (path: string) => request(setup.app.getHttpServer()).post(path);

  it('401 INVALID_API_KEY without X-Api-Key, before anything else', async () => {
    const res = await post(STATELESS).send(BODY).expect(401);
    expectEnvelope(res.body, 401, 'INVALID_API_KEY', STATELESS);
    expect(issuance.issue).not.toHaveBeenCalled();
  });

  it('401 SESSION_EVICTED with the key but no bearer', async () => {
    const res = await post(STATELESS).set('X-Api-Key', ROUTE_SPEC_API_KEY).send(BODY).expect(401);
    expectEnvelope(res.body, 401, 'SESSION_EVICTED', STATELESS);
    expect(res.body.message).toMatch(/no Authorization: Bearer header/);
    expect(issuance.issue).not.toHaveBeenCalled();
  });

  it('400 VALIDATION_FAILED naming every bad field by JSON path', async () => {
    const { token } = await setup.openSession();
    const res = await post(STATELESS)
      .set('X-Api-Key', ROUTE_SPEC_API_KEY)
      .auth(token, { type: 'bearer' })
      .send({ tipoeCF: '99', issueDate: '23-04-2026', lines: [{ description: 7 }], ecf: [], unknown: 1 })
      .expect(400);
    expectEnvelope(res.body, 400, 'VALIDATION_FAILED', STATELESS);
    expect(detailPaths(res.body)).toEqual(
      expect.arrayContaining([
        'ecf',
        'issueDate',
        'lines[0].description',
        'lines[0].quantity',
        'tipoeCF',
        'unknown',
      ]),
    );
    expect(issuance.issue).not.toHaveBeenCalled();
  });

  it('hands the handler the bound DTO and answers 200', async () => {
    const { token } = await setup.openSession();
    await post(STATELESS)
      .set('X-Api-Key', ROUTE_SPEC_API_KEY)
      .auth(token, { type: 'bearer' })
      .send(BODY)
      .expect(200);
    expect(issuance.issue).toHaveBeenCalledTimes(1);
    const args = issuance.issue.mock.calls[0] as unknown[];
    const dto = args[args.length - 1] as IssueEcfStatelessDto;
    expect(dto).toBeInstanceOf(IssueEcfStatelessDto);
    expect(dto).toMatchObject({ tipoeCF: '31', rncEmisor: '131880738', dryRun: true });
    // `ecf` passes through as received (issue 7 §5): the same object shape, not a class instance.
    expect(dto.ecf).toEqual(BODY.ecf);
    // Who signs comes from the session the guard found, never from the body.
    expect(args.length).toBeGreaterThan(1);
  });

  it('the idempotent route needs an externalDocumentId UUID', async () => {
    const { token } = await setup.openSession();
    const bad = await post(IDEMPOTENT)
      .set('X-Api-Key', ROUTE_SPEC_API_KEY)
      .auth(token, { type: 'bearer' })
      .send(BODY);
    expect(bad.status).toBe(400);
    expect(detailPaths(bad.body)).toEqual(['externalDocumentId']);
    const id = '0b5f5c1e-2f0a-4c55-9d1b-1b2e3c4d5e6f';
    await post(IDEMPOTENT)
      .set('X-Api-Key', ROUTE_SPEC_API_KEY)
      .auth(token, { type: 'bearer' })
      .send({ ...BODY, externalDocumentId: id })
      .expect(200);
    const args = issuance.issueOnce.mock.calls[0] as unknown[];
    const dto = args[args.length - 1] as IssueEcfDto;
    expect(dto).toBeInstanceOf(IssueEcfDto);
    expect(dto.externalDocumentId).toBe(id);
  });

  it('404 NOT_FOUND for the stateless route when ECF_STATELESS_ISSUE_ENABLED=false', async () => {
    const off = await boot({ ECF_STATELESS_ISSUE_ENABLED: 'false' });
    try {
      const { token } = await off.openSession();
      const res = await request(off.app.getHttpServer())
        .post(STATELESS)
        .set('X-Api-Key', ROUTE_SPEC_API_KEY)
        .auth(token, { type: 'bearer' })
        .send(BODY)
        .expect(404);
      expectEnvelope(res.body, 404, 'NOT_FOUND', STATELESS);
      expect(issuance.issue).not.toHaveBeenCalled();
    } finally {
      await off.close();
    }
  });
});
