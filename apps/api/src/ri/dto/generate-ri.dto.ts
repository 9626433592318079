import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, IsString, MinLength } from 'class-validator';
import { DGII_ENVIRONMENTS, DgiiEnvironment } from '@app/config';
import { RI_FORMATS, RiFormat } from '@app/ri';

/** The RI option of the issue routes (issue 12 §1): adds `riPdfBase64` to the response. */
export class RiOptionDto {
  @ApiPropertyOptional({
    enum: RI_FORMATS,
    default: 'letter',
    description: 'Paper: letter, A4 or 80 mm roll',
  })
  @IsOptional()
  @IsIn(RI_FORMATS)
  format?: RiFormat;
}

export class GenerateRiDto {
  @ApiProperty({
    description: 'A signed e-CF (any type), exactly as signed: the signature is verified first',
    example:
      '<ECF><Encabezado>…</Encabezado>…<FechaHoraFirma>24-04-2026 13:02:14</FechaHoraFirma><Signature>…</Signature></ECF>',
  })
  @IsString()
  @MinLength(1)
  signedXml!: string;

  @ApiPropertyOptional({
    enum: DGII_ENVIRONMENTS,
    default: 'CERTIFICATION',
    description: "The QR's DGII host path (PROTOCOL §9.1)",
  })
  @IsOptional()
  @IsIn(DGII_ENVIRONMENTS)
  environment?: DgiiEnvironment;

  @ApiPropertyOptional({ enum: RI_FORMATS, default: 'letter' })
  @IsOptional()
  @IsIn(RI_FORMATS)
  format?: RiFormat;

  @ApiPropertyOptional({
    description:
      'Type 32 only: whether it went to DGII as an RFCE (QR ConsultaTimbreFC). Default: MontoTotal < RD$250,000.00',
  })
  @IsOptional()
  @IsBoolean()
  rfce?: boolean;
}
