import { dgiiErrorMessages, dgiiErrorText } from './dgii-error-body';

describe('dgiiErrorText (PROTOCOL §1.6 body shapes)', () => {
  const delegation = 'El RNC 131880738 del certificado no está delegado para realizar transaciones.';

  it.each<[string, string, string, string]>([
    ['a bare string', delegation, 'text/plain', delegation],
    ['a JSON string', JSON.stringify(delegation), 'application/json', delegation],
    [
      'JSON inside a JSON string',
      JSON.stringify(JSON.stringify({ mensaje: delegation })),
      'application/json',
      delegation,
    ],
    ['{mensaje: string}', JSON.stringify({ mensaje: delegation }), 'application/json', delegation],
    [
      '{mensaje: string[]} (ACECF)',
      JSON.stringify({ mensaje: ['uno', 'dos'], estado: 'x', codigo: '02' }),
      '',
      'uno; dos',
    ],
    [
      '{mensajes: objects}',
      JSON.stringify({
        mensajes: [
          { codigo: 1385, valor: 'El campo RNCComprador no es válido.' },
          { valor: '', codigo: 0 },
        ],
      }),
      'application/json',
      'El campo RNCComprador no es válido.',
    ],
    [
      '{mensajes: strings}',
      JSON.stringify({ rnc: '1', mensajes: ['Las secuencias fueron anuladas'] }),
      '',
      'Las secuencias fueron anuladas',
    ],
    [
      'ASP.NET ProblemDetails',
      JSON.stringify({
        type: 'https://tools.ietf.org/html/rfc7231#section-6.5.1',
        title: 'One or more validation errors occurred.',
        status: 400,
        errors: { xml: ['The xml field is required.'] },
      }),
      'application/problem+json',
      'One or more validation errors occurred.; xml: The xml field is required.',
    ],
    [
      'an HTML error page',
      '<!DOCTYPE html><html><head><title>500 - Internal server error.</title><style>p{}</style></head>' +
        '<body><h2>500 - Internal server error.</h2><p>There is a problem &amp; more.</p></body></html>',
      'text/html',
      '500 - Internal server error. There is a problem & more.',
    ],
    [
      'reception {trackId, error, mensaje}',
      JSON.stringify({ trackId: null, error: '3243', mensaje: 'La longitud' }),
      '',
      'La longitud',
    ],
    ['an unknown object', JSON.stringify({ foo: 'bar' }), 'application/json', '{"foo":"bar"}'],
    ['an empty body', '  ', '', ''],
  ])('reads %s', (_shape, body, contentType, expected) => {
    expect(dgiiErrorText(body, contentType)).toBe(expected);
  });

  it('keeps DGII codes with the messages', () => {
    expect(
      dgiiErrorMessages(JSON.stringify({ trackId: null, error: '3243', mensaje: 'La longitud' })),
    ).toEqual([{ codigo: '3243', valor: 'La longitud' }]);
    expect(dgiiErrorMessages(JSON.stringify({ mensajes: [{ codigo: 1209, valor: 'usado' }] }))).toEqual([
      { codigo: '1209', valor: 'usado' },
    ]);
  });

  it('clips very long pages', () => {
    expect(dgiiErrorText('x'.repeat(10_000)).length).toBeLessThanOrEqual(2_000);
  });
});
