import { escapeXmlText } from '../xml-text';

/** Test helper: a small canonical e-CF-31-shaped document, written like our builder writes. */
export function makeCanonicalEcf(overrides: { razonSocialComprador?: string; extra?: string } = {}): string {
  const razon = escapeXmlText(overrides.razonSocialComprador ?? 'CLIENTE DEMO SRL');
  return (
    '<ECF><Encabezado><Version>1.0</Version><IdDoc><TipoeCF>31</TipoeCF><eNCF>E310000000001</eNCF>' +
    '<FechaVencimientoSecuencia>31-12-2025</FechaVencimientoSecuencia><TipoIngresos>01</TipoIngresos>' +
    '<TipoPago>1</TipoPago></IdDoc><Emisor><RNCEmisor>131880738</RNCEmisor>' +
    '<RazonSocialEmisor>EMPRESA DEMO SRL</RazonSocialEmisor><DireccionEmisor>C/ Principal 1</DireccionEmisor>' +
    '<FechaEmision>01-04-2025</FechaEmision></Emisor><Comprador><RNCComprador>101000001</RNCComprador>' +
    `<RazonSocialComprador>${razon}</RazonSocialComprador></Comprador>` +
    (overrides.extra ?? '') +
    '<Totales><MontoGravadoTotal>100.00</MontoGravadoTotal><MontoGravadoI1>100.00</MontoGravadoI1>' +
    '<ITBIS1>18</ITBIS1><TotalITBIS>18.00</TotalITBIS><TotalITBIS1>18.00</TotalITBIS1>' +
    '<MontoTotal>118.00</MontoTotal></Totales></Encabezado><DetallesItems><Item><NumeroLinea>1</NumeroLinea>' +
    '<IndicadorFacturacion>1</IndicadorFacturacion><NombreItem>Servicio</NombreItem>' +
    '<IndicadorBienoServicio>2</IndicadorBienoServicio><CantidadItem>1</CantidadItem>' +
    '<PrecioUnitarioItem>100.00</PrecioUnitarioItem><MontoItem>100.00</MontoItem></Item></DetallesItems>' +
    '<FechaHoraFirma>01-04-2025 10:00:00</FechaHoraFirma></ECF>'
  );
}
