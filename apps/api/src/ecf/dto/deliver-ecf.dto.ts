import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MinLength } from 'class-validator';
import { DGII_ENVIRONMENTS, DgiiEnvironment } from '@app/config';

/** `POST /api/v1/ecf/deliver`: a signed e-CF to its buyer's receptor (issue 11 §4, PROTOCOL §8). */
export class DeliverEcfDto {
  @ApiProperty({
    description:
      'The signed e-CF (type 31, 33, 34 or 44 with a buyer RNC), signed by this session’s certificate',
    example: '<?xml version="1.0" encoding="utf-8"?><ECF>…<Signature>…</Signature></ECF>',
  })
  @IsString()
  @MinLength(1)
  signedXml!: string;

  @ApiPropertyOptional({
    enum: DGII_ENVIRONMENTS,
    default: 'CERTIFICATION',
    description: 'Whose consulta directorio is asked for the buyer’s receptor',
  })
  @IsOptional()
  @IsIn(DGII_ENVIRONMENTS)
  environment?: DgiiEnvironment;
}
