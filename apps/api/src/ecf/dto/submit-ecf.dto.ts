import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { DGII_ENVIRONMENTS, DgiiEnvironment } from '@app/config';

/** `POST /api/v1/ecf/submit`: an e-CF signed earlier, sent as the exact bytes (issue 11 §2, PROTOCOL §11). */
export class SubmitEcfDto {
  @ApiProperty({
    description:
      'The signed e-CF exactly as signed (e.g. the signedXml of an earlier dryRun, or a document signed ' +
      'offline during a DGII outage). Its signer must be this session’s certificate. Sent byte for byte.',
    example: '<?xml version="1.0" encoding="utf-8"?><ECF>…<Signature>…</Signature></ECF>',
  })
  @IsString()
  @MinLength(1)
  // Bounded by BODY_LIMIT_BYTES already; this names the field when a client sends something absurd.
  @MaxLength(64 * 1024 * 1024)
  signedXml!: string;

  @ApiPropertyOptional({ enum: DGII_ENVIRONMENTS, default: 'CERTIFICATION' })
  @IsOptional()
  @IsIn(DGII_ENVIRONMENTS)
  environment?: DgiiEnvironment;

  @ApiPropertyOptional({ default: false, description: 'Verify only; never contacts DGII' })
  @IsOptional()
  @IsBoolean()
  dryRun?: boolean;
}
