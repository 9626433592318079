import { Logger } from '@nestjs/common';
import {
  InternalError,
  ManualClock,
  NotConfiguredError,
  ValidationFailedError,
  XmlBuildFailedError,
} from '@app/common';
import { loadConfig } from '@app/config';
import { signingIdentityOf } from '@app/signing';
import { testIdentity } from '@app/testing';
import { XsdCheck } from '@app/xml-builder';
import {
  DgiiMaintenanceWindow,
  DgiiServiceStatus,
  DgiiStatusGateway,
  STATUS_KEY_MISSING,
} from '@app/dgii-gateway';
import { AnecfIssuanceService, anecfJsonOf } from './anecf-issuance.service';
import { DocumentSigner } from './document-signer.service';
import {
  DGII_STATUS_CACHE_MS,
  DgiiServiceStatusService,
  environmentOfAmbiente,
} from './dgii-service-status.service';

const FECHA = '01-04-2026 10:00:00';

describe('anecfJsonOf (flat fields + anecf, issue 11 §1)', () => {
  const flat = {
    rncEmisor: '131880738',
    anulaciones: [
      { tipoeCF: 31, rangos: [{ desde: 'E310000000010', hasta: 'E310000000019' }] },
      { tipoeCF: 32, rangos: [{ desde: 'E320000000001', hasta: 'E320000000001' }] },
    ],
  };

  it('builds DGII shape from flat fields, with NoLinea, counts, Version and date computed', () => {
    expect(anecfJsonOf(flat, FECHA)).toEqual({
      Encabezado: {
        Version: '1.0',
        RncEmisor: '131880738',
        CantidadeNCFAnulados: 11,
        FechaHoraAnulacioneNCF: FECHA,
      },
      DetalleAnulacion: {
        Anulacion: [
          {
            NoLinea: 1,
            TipoeCF: 31,
            TablaRangoSecuenciasAnuladaseNCF: {
              Secuencias: [{ SecuenciaeNCFDesde: 'E310000000010', SecuenciaeNCFHasta: 'E310000000019' }],
            },
            CantidadeNCFAnulados: 10,
          },
          {
            NoLinea: 2,
            TipoeCF: 32,
            TablaRangoSecuenciasAnuladaseNCF: {
              Secuencias: [{ SecuenciaeNCFDesde: 'E320000000001', SecuenciaeNCFHasta: 'E320000000001' }],
            },
            CantidadeNCFAnulados: 1,
          },
        ],
      },
    });
  });

  it('takes DGII shape under anecf, fills what it leaves out, keeps what it gives, and never mutates it', () => {
    const anecf = {
      Encabezado: { FechaHoraAnulacioneNCF: '02-04-2026 08:00:00' },
      DetalleAnulacion: {
        Anulacion: {
          TipoeCF: '34',
          TablaRangoSecuenciasAnuladaseNCF: {
            Secuencias: [{ SecuenciaeNCFDesde: 'E340000000001', SecuenciaeNCFHasta: 'E340000000003' }],
          },
        },
      },
    };
    const copy = structuredClone(anecf);
    const json = anecfJsonOf({ rncEmisor: '131880738', anecf }, FECHA);
    expect(anecf).toEqual(copy);
    expect(json.Encabezado).toEqual({
      FechaHoraAnulacioneNCF: '02-04-2026 08:00:00',
      RncEmisor: '131880738',
      Version: '1.0',
      CantidadeNCFAnulados: 3,
    });
    expect(json.DetalleAnulacion).toMatchObject({ Anulacion: { NoLinea: 1, CantidadeNCFAnulados: 3 } });
  });

  it('refuses contradictions and missing parts with the flat paths', () => {
    const error = (() => {
      try {
        anecfJsonOf(
          {
            rncEmisor: '131880738',
            anulaciones: flat.anulaciones,
            anecf: { Encabezado: { RncEmisor: '101000001' }, DetalleAnulacion: { Anulacion: [] } },
          },
          FECHA,
        );
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ValidationFailedError);
    expect((error as ValidationFailedError).details).toEqual([
      expect.objectContaining({
        path: 'rncEmisor',
        rule: 'flat-contradiction',
        ecfPath: 'anecf.Encabezado.RncEmisor',
      }),
      expect.objectContaining({
        path: 'anulaciones',
        rule: 'flat-contradiction',
        ecfPath: 'anecf.DetalleAnulacion',
      }),
    ]);
    expect(() => anecfJsonOf({}, FECHA)).toThrow('request validation failed: 2 problems');
  });
});

class FakeStatusGateway extends DgiiStatusGateway {
  calls = 0;
  key = true;
  fail?: Error;
  services: DgiiServiceStatus[] = [
    { servicio: 'Recepción', estatus: 'Disponible', ambiente: 'PreCertificacion', available: true },
    { servicio: 'Recepción', estatus: 'No Disponible', ambiente: 'Certificacion', available: false },
    { servicio: 'Consulta Estado', estatus: 'Disponible', ambiente: 'Certificacion', available: true },
    { servicio: 'Recepción', estatus: 'Disponible', ambiente: 'Produccion', available: true },
  ];
  windows: DgiiMaintenanceWindow[] = [
    { ambiente: 'Produccion', horaInicio: '1:00 PM', horaFin: '4:00 PM', dias: ['06-08-2026'] },
  ];

  configured(): boolean {
    return this.key;
  }
  servicesStatus(): Promise<DgiiServiceStatus[]> {
    this.calls++;
    if (!this.key) return Promise.reject(new NotConfiguredError(STATUS_KEY_MISSING));
    return this.fail ? Promise.reject(this.fail) : Promise.resolve(this.services);
  }
  maintenanceWindows(): Promise<DgiiMaintenanceWindow[]> {
    return this.fail ? Promise.reject(this.fail) : Promise.resolve(this.windows);
  }
}

describe('DgiiServiceStatusService', () => {
  let gateway: FakeStatusGateway;
  let clock: ManualClock;
  let service: DgiiServiceStatusService;

  beforeAll(() => Logger.overrideLogger(false));
  afterAll(() => Logger.overrideLogger(['log', 'error', 'warn', 'debug', 'verbose']));

  beforeEach(() => {
    gateway = new FakeStatusGateway();
    clock = new ManualClock();
    service = new DgiiServiceStatusService(gateway, clock);
  });

  it('groups DGII rows per environment, with the maintenance windows', async () => {
    const report = await service.report();
    expect(report.checkedAt).toBe('2026-04-23T17:00:00Z');
    expect(report.environments.map((e) => [e.environment, e.ambiente, e.available])).toEqual([
      ['TEST', 'PreCertificacion', true],
      ['CERTIFICATION', 'Certificacion', false],
      ['PRODUCTION', 'Produccion', true],
    ]);
    expect(report.environments[2].maintenanceWindows).toEqual([
      { horaInicio: '1:00 PM', horaFin: '4:00 PM', dias: ['06-08-2026'] },
    ]);
  });

  it('asks DGII once per cache period, concurrent callers included', async () => {
    await Promise.all([service.report(), service.report(), service.report()]);
    clock.advance(DGII_STATUS_CACHE_MS - 1);
    await service.report();
    expect(gateway.calls).toBe(1);
    clock.advance(1);
    await service.report();
    expect(gateway.calls).toBe(2);
  });

  it('passes NOT_CONFIGURED and DGII failures on, caching neither', async () => {
    gateway.fail = new InternalError('DGII status query failed: boom', [], 502);
    await expect(service.report()).rejects.toBe(gateway.fail);
    gateway.fail = undefined;
    await expect(service.report()).resolves.toMatchObject({ checkedAt: expect.any(String) });
    gateway.key = false;
    clock.advance(DGII_STATUS_CACHE_MS);
    await expect(service.report()).rejects.toBeInstanceOf(NotConfiguredError);
  });

  it('gives /health what it knows without waiting, refreshing at most once per period', async () => {
    expect(service.health()).toEqual({ configured: true, checkedAt: null });
    await Promise.resolve();
    await new Promise((r) => setImmediate(r));
    expect(gateway.calls).toBe(1);
    expect(service.health()).toEqual({
      configured: true,
      checkedAt: '2026-04-23T17:00:00Z',
      environments: {
        TEST: { available: true, unavailableServices: [] },
        CERTIFICATION: { available: false, unavailableServices: ['Recepción'] },
        PRODUCTION: { available: true, unavailableServices: [] },
      },
    });
    expect(gateway.calls).toBe(1);
    gateway.key = false;
    expect(service.health()).toEqual({ configured: false });
  });

  it('does not retry a failing DGII from /health more than once per period', async () => {
    gateway.fail = new InternalError('DGII status query failed: boom', [], 502);
    service.health();
    await new Promise((r) => setImmediate(r));
    service.health();
    await new Promise((r) => setImmediate(r));
    expect(gateway.calls).toBe(1);
    clock.advance(DGII_STATUS_CACHE_MS);
    service.health();
    await new Promise((r) => setImmediate(r));
    expect(gateway.calls).toBe(2);
  });

  it.each([
    ['PreCertificacion', 'TEST'],
    ['Pre-Certificación', 'TEST'],
    ['Certificacion', 'CERTIFICATION'],
    ['Producción', 'PRODUCTION'],
    ['Otro', undefined],
  ])('maps ambiente %s to %s', (ambiente, env) => {
    expect(environmentOfAmbiente(ambiente)).toBe(env);
  });
});

describe('AnecfIssuanceService build errors (paths below anecf, flat fields named)', () => {
  it('names the flat field of a reversed range, without noise about the counts it could not compute', async () => {
    const clock = new ManualClock();
    const signer = new DocumentSigner(clock, new XsdCheck(loadConfig({})));
    const service = new AnecfIssuanceService(signer, {} as never, clock);
    const caller = {
      cacheKey: 'k',
      identity: signingIdentityOf({ ...(await testIdentity()), keyType: 'rsa' }),
    };
    const error = await service
      .issue(caller, {
        rncEmisor: '131880738',
        anulaciones: [{ tipoeCF: 31, rangos: [{ desde: 'E310000000010', hasta: 'E310000000005' }] }],
        dryRun: true,
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(XmlBuildFailedError);
    expect((error as XmlBuildFailedError).details).toEqual([
      {
        path: 'anulaciones[0].rangos[0].hasta',
        ecfPath:
          'anecf.DetalleAnulacion.Anulacion[0].TablaRangoSecuenciasAnuladaseNCF.Secuencias[0].SecuenciaeNCFHasta',
        message: 'must not be below SecuenciaeNCFDesde',
        rule: 'anecf-rangos',
      },
    ]);
    const unknown = await service
      .issue(caller, {
        anecf: {
          Encabezado: { RncEmisor: '131880738', Foo: 1 },
          DetalleAnulacion: {
            Anulacion: [
              {
                TipoeCF: 31,
                TablaRangoSecuenciasAnuladaseNCF: {
                  Secuencias: [{ SecuenciaeNCFDesde: 'E310000000001', SecuenciaeNCFHasta: 'E310000000001' }],
                },
              },
            ],
          },
        },
        dryRun: true,
      })
      .catch((e: unknown) => e);
    expect((unknown as XmlBuildFailedError).details).toEqual([
      expect.objectContaining({ path: 'anecf.Encabezado.Foo', rule: 'xsd:unknown-element' }),
    ]);
  });
});
