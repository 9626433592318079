import type { DgiiJson } from '@app/xml-builder';

/** Types the simulator sends: the ones taxpayers send each other (PROTOCOL §8.2). */
export const SIMULATED_TYPES = ['31', '33', '34', '44'] as const;
export type SimulatedType = (typeof SIMULATED_TYPES)[number];

const EMISOR = {
  RNCEmisor: '',
  RazonSocialEmisor: 'SIMULADOR EMISOR RECEPTOR DGII SANDBOX',
  DireccionEmisor: 'AVE. MEXICO NO. 48, GAZCUE',
};

/**
 * A small, valid e-CF of `type` from the simulator to `rncComprador` (one line, RD$1,000 + ITBIS
 * 18%, or exento for 44). 33/34 reference an earlier e-CF 31 (PROTOCOL §4.5). Dates `dd-MM-yyyy`.
 */
export function simulatedEcf(
  type: SimulatedType,
  encf: string,
  rncEmisor: string,
  rncComprador: string,
  fechaEmision: string,
  fechaHoraFirma: string,
): DgiiJson {
  const exento = type === '44';
  const totales = exento
    ? { MontoExento: 1000, MontoTotal: 1000 }
    : {
        MontoGravadoTotal: 1000,
        MontoGravadoI1: 1000,
        ITBIS1: 18,
        TotalITBIS: 180,
        TotalITBIS1: 180,
        MontoTotal: 1180,
      };
  const idDoc: Record<string, unknown> = { TipoeCF: Number(type), eNCF: encf };
  if (type === '34') idDoc.IndicadorNotaCredito = 0;
  else idDoc.FechaVencimientoSecuencia = '31-12-2030';
  idDoc.TipoIngresos = '01';
  idDoc.TipoPago = 1;
  const json: Record<string, unknown> = {
    Encabezado: {
      Version: '1.0',
      IdDoc: idDoc,
      Emisor: { ...EMISOR, RNCEmisor: rncEmisor, FechaEmision: fechaEmision },
      Comprador: { RNCComprador: rncComprador, RazonSocialComprador: 'RECEPTOR EN PRUEBA' },
      Totales: totales,
    },
    DetallesItems: {
      Item: [
        {
          NumeroLinea: 1,
          IndicadorFacturacion: exento ? 4 : 1,
          NombreItem: 'SERVICIO DE PRUEBA',
          IndicadorBienoServicio: 2,
          CantidadItem: 1,
          PrecioUnitarioItem: 1000,
          MontoItem: 1000,
        },
      ],
    },
  };
  if (type === '33' || type === '34') {
    json.InformacionReferencia = {
      NCFModificado: 'E310000000001',
      FechaNCFModificado: fechaEmision,
      CodigoModificacion: 3,
      RazonModificacion: type === '33' ? 'Cargos no facturados' : 'Devolucion parcial',
    };
  }
  json.FechaHoraFirma = fechaHoraFirma;
  return json;
}
