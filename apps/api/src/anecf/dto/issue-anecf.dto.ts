import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsOptional,
  Matches,
  ValidateNested,
} from 'class-validator';
import { PassThroughObject } from '@app/common';
import { DGII_ENVIRONMENTS, DgiiEnvironment } from '@app/config';

/** The e-CF types an ANECF can cancel (PROTOCOL §4.1, §7.2). */
const TIPOS = [31, 32, 33, 34, 41, 43, 44, 45, 46, 47] as const;

export class AnecfRangeDto {
  @ApiProperty({ example: 'E310000000050', description: '→ Secuencias.SecuenciaeNCFDesde (13 characters)' })
  @Matches(/^E\d{12}$/, { message: 'desde must be E followed by 12 digits' })
  desde!: string;

  @ApiProperty({
    example: 'E310000000059',
    description: '→ Secuencias.SecuenciaeNCFHasta; same type and series, ≥ desde (inclusive)',
  })
  @Matches(/^E\d{12}$/, { message: 'hasta must be E followed by 12 digits' })
  hasta!: string;
}

export class AnecfBlockDto {
  @ApiProperty({ enum: TIPOS, example: 31, description: '→ Anulacion.TipoeCF' })
  @IsIn(TIPOS)
  tipoeCF!: (typeof TIPOS)[number];

  @ApiProperty({
    type: [AnecfRangeDto],
    description: '→ TablaRangoSecuenciasAnuladaseNCF.Secuencias (1 to 10,000)',
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10_000)
  @ValidateNested({ each: true })
  @Type(() => AnecfRangeDto)
  rangos!: AnecfRangeDto[];
}

/**
 * Annulment of unused e-NCF ranges (PROTOCOL §7.2): flat fields, DGII's shape under `anecf`, or
 * both (flat fields fill what `anecf` leaves out; a contradiction is a 400). NoLinea, the counts,
 * Version and FechaHoraAnulacioneNCF are computed when not given.
 */
export class IssueAnecfDto {
  @ApiPropertyOptional({
    example: '131880738',
    description: '→ Encabezado.RncEmisor: the session must be delegated for it',
  })
  @IsOptional()
  @Matches(/^(\d{9}|\d{11})$/, { message: 'rncEmisor must be 9 or 11 digits' })
  rncEmisor?: string;

  @ApiPropertyOptional({
    type: [AnecfBlockDto],
    description: '→ DetalleAnulacion.Anulacion (1 to 10 blocks)',
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => AnecfBlockDto)
  anulaciones?: AnecfBlockDto[];

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description:
      'The ANECF in DGII JSON shape: {"Encabezado": {"RncEmisor", "CantidadeNCFAnulados", "FechaHoraAnulacioneNCF"}, ' +
      '"DetalleAnulacion": {"Anulacion": [{"NoLinea", "TipoeCF", "TablaRangoSecuenciasAnuladaseNCF": {"Secuencias": ' +
      '[{"SecuenciaeNCFDesde", "SecuenciaeNCFHasta"}]}, "CantidadeNCFAnulados"}]}}. The catalogue checks every name.',
    example: {
      Encabezado: { RncEmisor: '131880738' },
      DetalleAnulacion: {
        Anulacion: [
          {
            TipoeCF: 31,
            TablaRangoSecuenciasAnuladaseNCF: {
              Secuencias: [{ SecuenciaeNCFDesde: 'E310000000050', SecuenciaeNCFHasta: 'E310000000059' }],
            },
          },
        ],
      },
    },
  })
  // Checked by the catalogue (unknown names → 422), as `ecf` on the issue routes.
  @PassThroughObject()
  anecf?: Record<string, unknown>;

  @ApiPropertyOptional({ enum: DGII_ENVIRONMENTS, default: 'CERTIFICATION' })
  @IsOptional()
  @IsIn(DGII_ENVIRONMENTS)
  environment?: DgiiEnvironment;

  @ApiPropertyOptional({ default: false, description: 'Build and sign only; never contacts DGII' })
  @IsOptional()
  @IsBoolean()
  dryRun?: boolean;
}
