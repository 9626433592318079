import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsBoolean,
  IsIn,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { PassThroughObject } from '@app/common';
import { DGII_ENVIRONMENTS, DgiiEnvironment } from '@app/config';
import { ECF_TYPES } from '@app/xml-builder';
import { IsAmount } from '../../dto/is-amount.validator';
import { RiOptionDto } from '../../ri/dto/generate-ri.dto';

/** A JSON number or a decimal string: amounts are taken as `ecf` takes them, and never rounded. */
const AMOUNT_SCHEMA = { oneOf: [{ type: 'number' }, { type: 'string', pattern: '^-?\\d+(\\.\\d+)?$' }] };

export class FlatLineDto {
  @ApiProperty({ example: 'Servicio de consultoría', description: '→ Item.NombreItem' })
  @IsString()
  @MaxLength(80)
  description!: string;

  @ApiProperty({ ...AMOUNT_SCHEMA, example: 1, description: '→ Item.CantidadItem (up to 2 decimals)' })
  @IsAmount({ decimals: 2 })
  quantity!: number | string;

  @ApiProperty({
    ...AMOUNT_SCHEMA,
    example: 1000.0,
    description: '→ Item.PrecioUnitarioItem (up to 4 decimals)',
  })
  @IsAmount({ decimals: 4 })
  unitPrice!: number | string;

  @ApiProperty({ ...AMOUNT_SCHEMA, example: 1000.0, description: '→ Item.MontoItem (up to 2 decimals)' })
  @IsAmount({ decimals: 2 })
  lineTotal!: number | string;
}

/**
 * The integration guide's flat fields (§10) plus the whole DGII catalogue under `ecf`, in DGII's
 * own element names and nesting (docs/api/paso-2-client-reference.md). Flat fields fill the same
 * elements as `ecf`; a contradiction between them is a validation error.
 */
export class IssueEcfStatelessDto {
  @ApiPropertyOptional({ example: '40209547971', description: '→ Emisor.RNCEmisor (9 or 11 digits)' })
  @IsOptional()
  @IsString()
  @Matches(/^(\d{9}|\d{11})$/, { message: 'rncEmisor must be 9 (RNC) or 11 (cédula) digits' })
  rncEmisor?: string;

  @ApiPropertyOptional({ enum: DGII_ENVIRONMENTS, default: 'CERTIFICATION' })
  @IsOptional()
  @IsIn(DGII_ENVIRONMENTS)
  environment?: DgiiEnvironment;

  // The e-CF types are the catalogue's: a new type's XSD adds it here (docs/architecture/extending-the-catalogue.md).
  @ApiPropertyOptional({ example: '31', enum: ECF_TYPES })
  @IsOptional()
  @IsIn(ECF_TYPES)
  tipoeCF?: string;

  @ApiPropertyOptional({ example: 'E310000000005', description: '→ IdDoc.eNCF' })
  @IsOptional()
  @IsString()
  @Matches(/^E\d{12}$/, { message: 'overrideEncf must be E followed by 12 digits' })
  overrideEncf?: string;

  @ApiPropertyOptional({
    example: '2026-04-24',
    description: 'yyyy-MM-dd → Emisor.FechaEmision (dd-MM-yyyy)',
  })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'issueDate must be yyyy-MM-dd' })
  issueDate?: string;

  @ApiPropertyOptional({ example: 'MI EMPRESA SRL' })
  @IsOptional()
  @IsString()
  razonSocialEmisor?: string;

  @ApiPropertyOptional({ example: 'Av. 27 de Febrero 100' })
  @IsOptional()
  @IsString()
  direccionEmisor?: string;

  @ApiPropertyOptional({ example: '010100', description: '→ Emisor.Municipio (ONE code)' })
  @IsOptional()
  @IsString()
  municipio?: string;

  @ApiPropertyOptional({ example: '010000', description: '→ Emisor.Provincia (ONE code)' })
  @IsOptional()
  @IsString()
  provincia?: string;

  @ApiPropertyOptional({ example: '131793916', description: '→ Comprador.RNCComprador' })
  @IsOptional()
  @IsString()
  receiverRnc?: string;

  @ApiPropertyOptional({ example: 'CLIENTE SRL' })
  @IsOptional()
  @IsString()
  razonSocialComprador?: string;

  @ApiPropertyOptional({
    ...AMOUNT_SCHEMA,
    example: 1000.0,
    description: '→ Totales.MontoGravadoTotal / MontoGravadoI1',
  })
  @IsOptional()
  @IsAmount({ decimals: 2 })
  subtotal?: number | string;

  @ApiPropertyOptional({
    ...AMOUNT_SCHEMA,
    example: 180.0,
    description: '→ Totales.TotalITBIS / TotalITBIS1',
  })
  @IsOptional()
  @IsAmount({ decimals: 2 })
  taxAmount?: number | string;

  @ApiPropertyOptional({ ...AMOUNT_SCHEMA, example: 1180.0, description: '→ Totales.MontoTotal' })
  @IsOptional()
  @IsAmount({ decimals: 2 })
  totalAmount?: number | string;

  @ApiPropertyOptional({ type: [FlatLineDto] })
  @IsOptional()
  @ArrayMinSize(1)
  @ArrayMaxSize(10_000)
  @ValidateNested({ each: true })
  @Type(() => FlatLineDto)
  lines?: FlatLineDto[];

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description:
      'The full DGII e-CF in its own JSON shape: {"Encabezado": {"IdDoc": {…}, "Emisor": {…}, "Comprador": {…}, ' +
      '"Totales": {…}}, "DetallesItems": {"Item": [...]}, …}. Every field: docs/api/paso-2-client-reference.md',
  })
  // The catalogue checks every name and value of `ecf` (unknown names → 422); the pipe only
  // checks that it is an object, without copying or walking it (issue 7 §5).
  @PassThroughObject()
  ecf?: Record<string, unknown>;

  @ApiPropertyOptional({ default: false, description: 'Build and sign only; never contacts DGII' })
  @IsOptional()
  @IsBoolean()
  dryRun?: boolean;
  @ApiPropertyOptional({
    default: false,
    description:
      'After DGII accepts a type 31, 33, 34 or 44 with a buyer RNC, send it to the buyer’s receptor ' +
      '(DGII consulta directorio) and return its ARECF under `receptor`; a failed delivery never fails the issue',
  })
  @IsOptional()
  @IsBoolean()
  deliverToReceptor?: boolean;

  @ApiPropertyOptional({
    type: RiOptionDto,
    example: { format: 'letter' },
    description: 'ext: also return the printed representation as `riPdfBase64` (PROTOCOL §9)',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => RiOptionDto)
  ri?: RiOptionDto;
}
