import { ApiProperty } from '@nestjs/swagger';

/** The multipart body of every receptor upload (PROTOCOL §8: field `xml`, type text/xml). */
export class ReceptorUploadDto {
  @ApiProperty({
    type: 'string',
    format: 'binary',
    description: 'The signed document, file name {RNCEmisor}{eNCF}.xml; read and forwarded as received',
  })
  xml!: string;
}

/** PROTOCOL §8.1: the receptor token, dates in UTC "universal sortable". */
export class ReceptorTokenResponse {
  @ApiProperty({ example: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJuYW1lIjoiNDAyMDk1NDc5NzEifQ.c2lnbg' })
  token!: string;
  @ApiProperty({ example: '2026-04-23T21:00:00Z' })
  expira!: string;
  @ApiProperty({ example: '2026-04-23T20:00:00Z' })
  expedido!: string;
}

/** PROTOCOL §8.3: the approval service's small JSON answer, 200 OK or 400 Error. */
export class AcecfReceptionAnswer {
  @ApiProperty({ enum: ['OK', 'Error'], example: 'OK' })
  codigo!: 'OK' | 'Error';
  @ApiProperty({
    type: String,
    nullable: true,
    example: '1',
    description: "The ACECF's Estado (1 aceptado, 2 rechazado)",
  })
  estado!: string | null;
  @ApiProperty({ type: [String], example: [] })
  mensaje!: string[];
}

export const SEMILLA_EXAMPLE =
  '<?xml version="1.0" encoding="utf-8"?>\r\n<SemillaModel xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ' +
  'xmlns:xsd="http://www.w3.org/2001/XMLSchema">\r\n  <valor>q2Xv…</valor>\r\n  <fecha>2026-04-23T16:00:00.1234567-04:00</fecha>\r\n</SemillaModel>';

export const ARECF_EXAMPLE =
  '<ARECF><DetalleAcusedeRecibo><Version>1.0</Version><RNCEmisor>131793916</RNCEmisor><RNCComprador>130000001</RNCComprador>' +
  '<eNCF>E310000000001</eNCF><Estado>0</Estado><FechaHoraAcuseRecibo>23-04-2026 16:00:00</FechaHoraAcuseRecibo>' +
  '</DetalleAcusedeRecibo><Signature xmlns="http://www.w3.org/2000/09/xmldsig#">…</Signature></ARECF>';
