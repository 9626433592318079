/**
 * Test helpers: small unsigned DGII documents in canonical form (no declaration, no attributes,
 * no self-closing tags), ready for `signCanonicalXml`. XSD-valid for e-CF 31, RFCE and ACECF.
 */
export interface EcfFixture {
  tipo?: string;
  encf?: string;
  rncEmisor?: string;
  rncComprador?: string;
  montoGravado?: string;
  itbis?: string;
  montoTotal?: string;
}

export function makeEcfXml(o: EcfFixture = {}): string {
  const tipo = o.tipo ?? '31';
  const encf = o.encf ?? `E${tipo}0000000001`;
  const gravado = o.montoGravado ?? '100.00';
  const itbis = o.itbis ?? '18.00';
  const total = o.montoTotal ?? '118.00';
  return (
    `<ECF><Encabezado><Version>1.0</Version><IdDoc><TipoeCF>${tipo}</TipoeCF><eNCF>${encf}</eNCF>` +
    '<FechaVencimientoSecuencia>31-12-2028</FechaVencimientoSecuencia><TipoIngresos>01</TipoIngresos>' +
    `<TipoPago>1</TipoPago></IdDoc><Emisor><RNCEmisor>${o.rncEmisor ?? '131880738'}</RNCEmisor>` +
    '<RazonSocialEmisor>EMPRESA DEMO SRL</RazonSocialEmisor><DireccionEmisor>C/ Principal 1</DireccionEmisor>' +
    `<FechaEmision>01-04-2026</FechaEmision></Emisor><Comprador><RNCComprador>${o.rncComprador ?? '101000001'}</RNCComprador>` +
    '<RazonSocialComprador>CLIENTE DEMO SRL</RazonSocialComprador></Comprador>' +
    `<Totales><MontoGravadoTotal>${gravado}</MontoGravadoTotal><MontoGravadoI1>${gravado}</MontoGravadoI1>` +
    `<ITBIS1>18</ITBIS1><TotalITBIS>${itbis}</TotalITBIS><TotalITBIS1>${itbis}</TotalITBIS1>` +
    `<MontoTotal>${total}</MontoTotal></Totales></Encabezado><DetallesItems><Item><NumeroLinea>1</NumeroLinea>` +
    '<IndicadorFacturacion>1</IndicadorFacturacion><NombreItem>Servicio</NombreItem>' +
    '<IndicadorBienoServicio>2</IndicadorBienoServicio><CantidadItem>1</CantidadItem>' +
    `<PrecioUnitarioItem>${gravado}</PrecioUnitarioItem><MontoItem>${gravado}</MontoItem></Item></DetallesItems>` +
    '<FechaHoraFirma>01-04-2026 10:00:00</FechaHoraFirma></ECF>'
  );
}

export function makeRfceXml(o: EcfFixture & { codigoSeguridad?: string } = {}): string {
  const gravado = o.montoGravado ?? '34000.00';
  const itbis = o.itbis ?? '6120.00';
  return (
    `<RFCE><Encabezado><Version>1.0</Version><IdDoc><TipoeCF>${o.tipo ?? '32'}</TipoeCF>` +
    `<eNCF>${o.encf ?? 'E320000000018'}</eNCF><TipoIngresos>01</TipoIngresos><TipoPago>1</TipoPago></IdDoc>` +
    `<Emisor><RNCEmisor>${o.rncEmisor ?? '131880738'}</RNCEmisor><RazonSocialEmisor>EMPRESA DEMO SRL</RazonSocialEmisor>` +
    '<FechaEmision>01-04-2026</FechaEmision></Emisor><Comprador></Comprador>' +
    `<Totales><MontoGravadoTotal>${gravado}</MontoGravadoTotal><MontoGravadoI1>${gravado}</MontoGravadoI1>` +
    `<TotalITBIS>${itbis}</TotalITBIS><TotalITBIS1>${itbis}</TotalITBIS1><MontoTotal>${o.montoTotal ?? '40120.00'}</MontoTotal>` +
    `</Totales><CodigoSeguridadeCF>${o.codigoSeguridad ?? 'MXrAqV'}</CodigoSeguridadeCF></Encabezado></RFCE>`
  );
}

export interface AcecfFixture {
  rncEmisor?: string;
  encf?: string;
  rncComprador?: string;
  montoTotal?: string;
  estado?: '1' | '2';
}

export function makeAcecfXml(o: AcecfFixture = {}): string {
  return (
    '<ACECF><DetalleAprobacionComercial><Version>1.0</Version>' +
    `<RNCEmisor>${o.rncEmisor ?? '131880738'}</RNCEmisor><eNCF>${o.encf ?? 'E310000000001'}</eNCF>` +
    `<FechaEmision>01-04-2026</FechaEmision><MontoTotal>${o.montoTotal ?? '118.00'}</MontoTotal>` +
    `<RNCComprador>${o.rncComprador ?? '101000001'}</RNCComprador><Estado>${o.estado ?? '1'}</Estado>` +
    (o.estado === '2' ? '<DetalleMotivoRechazo>Mercancía dañada</DetalleMotivoRechazo>' : '') +
    '<FechaHoraAprobacionComercial>02-04-2026 09:00:00</FechaHoraAprobacionComercial>' +
    '</DetalleAprobacionComercial></ACECF>'
  );
}
