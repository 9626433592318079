import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { itWithOfficialFiles, officialDir } from '@app/testing';
import { enProceso, outcomeOf, parseVerdict, statusMessageOf } from './dgii-verdict';

const sample = (name: string): string => readFileSync(join(officialDir('samples'), 'json', name), 'utf8');

describe('DGII verdicts (PROTOCOL §1.4)', () => {
  itWithOfficialFiles(
    'reads the real consulta resultado "Aceptado" (codigo as string, encf, empty message dropped)',
    () => {
      expect(parseVerdict(sample('consultaresultado-aceptado-real.json'))).toEqual({
        trackId: 'd2b6e27c-3908-46f3-afaa-2207b9501b4b',
        encf: 'E310005000201',
        codigo: '1',
        estado: 'Aceptado',
        final: true,
        accepted: true,
        mensajes: [],
        secuenciaUtilizada: true,
        fechaRecepcion: '8/15/2023 6:06:57 AM',
      });
    },
    ['samples'],
  );

  itWithOfficialFiles(
    'reads the real "Aceptado Condicional" as accepted with its message',
    () => {
      const verdict = parseVerdict(sample('consultaresultado-aceptado-condicional-real.json'))!;
      expect(verdict).toMatchObject({ codigo: '4', final: true, accepted: true, encf: 'E310000000058' });
      expect(verdict.mensajes).toEqual([
        {
          codigo: '1385',
          valor: 'El campo RNCComprador del área Comprador de la sección Encabezado no es válido.',
        },
      ]);
      expect(statusMessageOf(verdict)).toBe(verdict.mensajes[0].valor);
    },
    ['samples'],
  );

  itWithOfficialFiles(
    'reads the RFCE answer (numeric codigo, string message codes)',
    () => {
      expect(parseVerdict(sample('recepcionfc-rfce-response-SHAPE.json'))).toMatchObject({
        codigo: '1',
        estado: 'Aceptado',
        final: true,
        accepted: true,
        encf: 'E320000000018',
        mensajes: [],
      });
    },
    ['samples'],
  );

  itWithOfficialFiles(
    'reads an ACECF rejection ({mensaje: string[]}, codigo "02")',
    () => {
      const verdict = parseVerdict(sample('aprobacioncomercial-response-SHAPE.json'))!;
      expect(verdict).toMatchObject({
        codigo: '02',
        estado: 'Aprobacion Comercial Rechazada',
        final: true,
        accepted: false,
      });
      expect(statusMessageOf(verdict)).toMatch(/no se encuentra en la etapa de prueba/);
    },
    ['samples'],
  );

  it('reads an ACECF approval', () => {
    expect(
      parseVerdict('{"mensaje":[],"estado":"Aprobación Comercial Aprobada.","codigo":"01"}'),
    ).toMatchObject({
      final: true,
      accepted: true,
    });
  });

  it.each([
    ['0', '', false, false, 'No encontrado'],
    ['1', '', true, true, 'Aceptado'],
    ['2', '', true, false, 'Rechazado'],
    ['3', '', false, false, 'En Proceso'],
    ['4', '', true, true, 'Aceptado Condicional'],
    [3, 'En proceso', false, false, 'En proceso'],
    ['01', '', true, true, 'Aceptado'],
    ['02', '', true, false, 'Rechazado'],
  ])('codigo %p estado %p → final %p accepted %p', (codigo, estado, final, accepted, shown) => {
    expect(parseVerdict(JSON.stringify({ codigo, estado }))).toMatchObject({
      final,
      accepted,
      estado: shown,
      codigo: String(codigo),
    });
  });

  it('switches on estado before codigo', () => {
    expect(outcomeOf('Rechazado', '1')).toEqual({ final: true, accepted: false });
  });

  it('accepts eNCF as well as encf, and refuses bodies that are not verdicts', () => {
    expect(parseVerdict('{"codigo":1,"estado":"Aceptado","eNCF":"E310000000001"}')?.encf).toBe(
      'E310000000001',
    );
    expect(parseVerdict('{"foo":1}')).toBeUndefined();
    expect(parseVerdict('<html/>')).toBeUndefined();
  });

  it('builds the pending answer', () => {
    expect(enProceso('t-1')).toEqual({
      trackId: 't-1',
      encf: undefined,
      codigo: '3',
      estado: 'En Proceso',
      final: false,
      accepted: false,
      mensajes: [],
      fechaRecepcion: undefined,
    });
  });
});
