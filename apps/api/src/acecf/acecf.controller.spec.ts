import { AcecfIssuanceService } from '@app/issuance';
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
import { AcecfController } from './acecf.controller';
import { IssueAcecfDto } from './dto/issue-acecf.dto';

const ROUTE = '/api/v1/acecf/issue';
const BODY = {
  rncEmisor: '131793916',
  rncComprador: '40209547971',
  eNCF: 'E310000000005',
  fechaEmisionOriginal: '2026-04-24',
  montoTotalOriginal: '35400.00',
  estado: 1,
  dryRun: true,
};

describe('AcecfController (route spec: real pipe, guards and filter; fake issuance)', () => {
  const issuance = { issue: jest.fn() };
  let setup: ControllerSetup;

  beforeAll(async () => {
    setup = await controllerSetup({
      controllers: [AcecfController],
      providers: [{ provide: AcecfIssuanceService, useValue: issuance }],
      globalProviders: API_GLOBAL_PROVIDERS,
      configure: configureApp,
    });
  });
  afterAll(() => setup.close());
  beforeEach(() => issuance.issue.mockReset().mockResolvedValue({ trackId: null }));

  const post = () => request(setup.app.getHttpServer()).post(ROUTE);

  it('401 INVALID_API_KEY without a key and 401 SESSION_EVICTED without a bearer', async () => {
    expectEnvelope((await post().send(BODY).expect(401)).body, 401, 'INVALID_API_KEY', ROUTE);
    const res = await post().set('X-Api-Key', ROUTE_SPEC_API_KEY).send(BODY).expect(401);
    expectEnvelope(res.body, 401, 'SESSION_EVICTED', ROUTE);
    expect(issuance.issue).not.toHaveBeenCalled();
  });

  it('400 VALIDATION_FAILED naming each bad field', async () => {
    const { token } = await setup.openSession();
    const res = await post()
      .set('X-Api-Key', ROUTE_SPEC_API_KEY)
      .auth(token, { type: 'bearer' })
      .send({
        ...BODY,
        eNCF: 'B0100000001',
        estado: 3,
        environment: 'STAGING',
        fechaHoraAprobacionComercial: '2026-06-23T17:45:47',
      })
      .expect(400);
    expectEnvelope(res.body, 400, 'VALIDATION_FAILED', ROUTE);
    expect(detailPaths(res.body)).toEqual(['eNCF', 'environment', 'estado', 'fechaHoraAprobacionComercial']);
    expect(issuance.issue).not.toHaveBeenCalled();
  });

  it('hands the handler the bound DTO and answers 200', async () => {
    const { token } = await setup.openSession();
    await post()
      .set('X-Api-Key', ROUTE_SPEC_API_KEY)
      .auth(token, { type: 'bearer' })
      .send({ ...BODY, fechaHoraAprobacionComercial: '23-06-2026 17:45:47' })
      .expect(200);
    const args = issuance.issue.mock.calls[0] as unknown[];
    const dto = args[args.length - 1];
    expect(dto).toBeInstanceOf(IssueAcecfDto);
    expect(dto).toMatchObject({
      rncComprador: '40209547971',
      eNCF: 'E310000000005',
      estado: 1,
      dryRun: true,
      fechaHoraAprobacionComercial: '23-06-2026 17:45:47',
    });
  });
});
