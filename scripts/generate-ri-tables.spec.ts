import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { itWithOfficialFiles, officialDir } from '@app/testing';
import { enumerationComments } from './generate-ri-tables';

describe('npm run ri:tables', () => {
  it('reads value and DGII comment of each enumeration of one simpleType', () => {
    const xsd =
      '<xs:simpleType name="UnidadMedidaType"><xs:restriction base="xs:integer">' +
      '<xs:enumeration value= "1"/>\t<!--BARR\tBarril   -->\n' +
      '<xs:enumeration value= "43"/> <!--UND  Unidad -->' +
      '</xs:restriction></xs:simpleType><xs:simpleType name="Other"><xs:enumeration value="9"/><!--x--></xs:simpleType>';
    expect(enumerationComments(xsd, 'UnidadMedidaType')).toEqual([
      ['1', 'BARR Barril'],
      ['43', 'UND Unidad'],
    ]);
    expect(() => enumerationComments(xsd, 'Missing')).toThrow('no simpleType Missing');
  });

  itWithOfficialFiles(
    'writes exactly the committed tables from the shared XSDs (run `npm run ri:tables`)',
    () => {
      const run = spawnSync(
        process.execPath,
        [
          '-r',
          'ts-node/register/transpile-only',
          '-r',
          'tsconfig-paths/register',
          join(__dirname, 'generate-ri-tables.ts'),
          '--check',
          officialDir('xsd'),
        ],
        { cwd: join(__dirname, '..'), encoding: 'utf8' },
      );
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
    },
  );

  itWithOfficialFiles('holds every unit and ONE place code the XSD enumerates, in words', () => {
    const xsd = readFileSync(join(officialDir('xsd'), 'e-CF-31-v1.0.xsd'), 'utf8');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const tables = require('../libs/ri/src/tables/dgii-tables.generated') as Record<
      string,
      Record<string, string>
    >;
    expect(Object.keys(tables.UNIDAD_MEDIDA)).toEqual(
      enumerationComments(xsd, 'UnidadMedidaType').map((e) => e[0]),
    );
    expect(tables.UNIDAD_MEDIDA['43']).toBe('Unidad');
    expect(tables.PROVINCIA_MUNICIPIO['010000']).toBe('DISTRITO NACIONAL');
    expect(tables.PROVINCIA_MUNICIPIO['010100']).toBe('SANTO DOMINGO DE GUZMÁN');
    expect(Object.keys(tables.PROVINCIA_MUNICIPIO)).toHaveLength(
      enumerationComments(xsd, 'ProvinciaMunicipioType').length,
    );
  });
});
