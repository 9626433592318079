import { receptorPathOf, rncOfHost } from './receptor-routing';

describe('receptor routing (PROTOCOL §8: case-insensitive paths, accented recepción)', () => {
  const suffix = 'ecf.example.com';

  it('reads the RNC of a host under the suffix, any case, with a port', () => {
    expect(rncOfHost('131793916.ecf.example.com', suffix)).toBe('131793916');
    expect(rncOfHost('40209547971.ECF.Example.COM:8443', suffix)).toBe('40209547971');
    expect(rncOfHost('1317939.ecf.example.com', suffix)).toBeUndefined();
    expect(rncOfHost('131793916.evil.example.com', suffix)).toBeUndefined();
    expect(rncOfHost('x.131793916.ecf.example.com', suffix)).toBeUndefined();
    expect(rncOfHost('131793916.ecf.example.com', undefined)).toBeUndefined();
  });

  it('host routing: /fe/... on {rnc}.{suffix} becomes the path route', () => {
    expect(receptorPathOf('/fe/recepcion/api/ecf', '131793916.ecf.example.com', suffix)).toBe(
      '/receptor/131793916/fe/recepcion/api/ecf',
    );
    expect(receptorPathOf('/FE/Recepcion/Api/ECF?x=1', '131793916.ecf.example.com', suffix)).toBe(
      '/receptor/131793916/fe/recepcion/api/ecf?x=1',
    );
    // Not a receptor host, or not under /fe: untouched.
    expect(receptorPathOf('/fe/recepcion/api/ecf', 'api.example.com', suffix)).toBeUndefined();
    expect(receptorPathOf('/api/v1/sessions', '131793916.ecf.example.com', suffix)).toBeUndefined();
    expect(receptorPathOf('/fee', '131793916.ecf.example.com', suffix)).toBeUndefined();
  });

  it('path routing: any case, and recepción accented (encoded, composed or decomposed)', () => {
    for (const path of [
      '/receptor/131793916/fe/recepcion/api/ecf',
      '/RECEPTOR/131793916/FE/RECEPCION/API/ECF',
      '/receptor/131793916/fe/recepci%C3%B3n/api/ecf',
      '/receptor/131793916/fe/Recepci%C3%93n/api/ecf',
      '/receptor/131793916/fe/recepcio%CC%81n/api/ecf',
    ]) {
      expect(receptorPathOf(path, 'localhost:8080', undefined)).toBe(
        '/receptor/131793916/fe/recepcion/api/ecf',
      );
    }
    expect(receptorPathOf('/receptor/abc/fe/recepcion/api/ecf', 'localhost', undefined)).toBeUndefined();
    expect(receptorPathOf('/receptor/131793916/other', 'localhost', undefined)).toBeUndefined();
    // A malformed escape is left for the router to 404, not a throw.
    expect(receptorPathOf('/receptor/131793916/fe/%E0%A4%A', 'localhost', undefined)).toBe(
      '/receptor/131793916/fe/%25e0%25a4%25a',
    );
  });
});
