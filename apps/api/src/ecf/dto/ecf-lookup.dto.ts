import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { DGII_ENVIRONMENTS, DgiiEnvironment } from '@app/config';

export class EcfNumberParamsDto {
  @ApiProperty({ example: 'E310000000005', description: 'The e-NCF: E, the type (2 digits), 10 digits' })
  @Matches(/^E\d{12}$/, { message: 'eNCF must be E followed by 12 digits' })
  eNCF!: string;
}

export class TrackIdsQueryDto {
  @ApiProperty({ example: '131880738', description: 'The issuer: the session must be delegated for it' })
  @Matches(/^(\d{9}|\d{11})$/, { message: 'rncEmisor must be 9 or 11 digits' })
  rncEmisor!: string;

  @ApiPropertyOptional({ enum: DGII_ENVIRONMENTS, default: 'CERTIFICATION' })
  @IsOptional()
  @IsIn(DGII_ENVIRONMENTS)
  environment?: DgiiEnvironment;
}

export class EcfStatusQueryDto extends TrackIdsQueryDto {
  @ApiPropertyOptional({
    example: '130862346',
    description: 'The buyer; leave it out for a consumo invoice without one',
  })
  @IsOptional()
  @Matches(/^(\d{9}|\d{11})$/, { message: 'rncComprador must be 9 or 11 digits' })
  rncComprador?: string;

  @ApiProperty({
    example: 'AI7Q2d',
    description:
      'The e-CF security code (first 6 characters of its SignatureValue, PROTOCOL §3.4): DGII finds nothing without it',
  })
  @Matches(/^[A-Za-z0-9+/=]{6}$/, {
    message: 'securityCode must be the 6 characters of the e-CF security code',
  })
  securityCode!: string;
}

export class TrackIdEntryDto {
  @ApiProperty({ example: 'd2b6e27c-3908-46f3-afaa-2207b9501b4b' }) trackId!: string;
  @ApiProperty({
    example: 'Aceptado',
    description: 'DGII verbatim: Aceptado, Rechazado, Aceptado Condicional, En proceso, No encontrado',
  })
  estado!: string;
  @ApiPropertyOptional({
    example: '2023-08-15T06:06:57-04:00',
    description: 'ISO-8601 with the Santo Domingo offset (DGII sends "8/15/2023 6:06:57 AM", local time)',
  })
  fechaRecepcion?: string;
  @ApiProperty({ description: 'DGII will not change this estado' }) final!: boolean;
  @ApiProperty({ description: 'Aceptado or Aceptado Condicional' }) accepted!: boolean;
}

export class TrackIdsResponse {
  @ApiProperty({ example: 'E310000000005' }) eNCF!: string;
  @ApiProperty({ example: '131880738' }) rncEmisor!: string;
  @ApiProperty({ enum: DGII_ENVIRONMENTS, example: 'CERTIFICATION' }) environment!: DgiiEnvironment;
  @ApiProperty({
    type: [TrackIdEntryDto],
    description:
      'Every submission DGII holds for the e-NCF, in DGII order; empty: DGII has none (safe to send)',
  })
  trackIds!: TrackIdEntryDto[];
}

export const TRACK_IDS_EXAMPLES = {
  received: {
    summary: 'Sent twice: the first accepted, the resend refused as a reused e-NCF',
    value: {
      eNCF: 'E310000000005',
      rncEmisor: '131880738',
      environment: 'CERTIFICATION',
      trackIds: [
        {
          trackId: 'd2b6e27c-3908-46f3-afaa-2207b9501b4b',
          estado: 'Aceptado',
          fechaRecepcion: '2026-04-23T09:19:57-04:00',
          final: true,
          accepted: true,
        },
        {
          trackId: '5c0b7f1e-8a8e-4d7c-9d64-3f1b2a9c0e11',
          estado: 'Rechazado',
          fechaRecepcion: '2026-04-23T09:25:02-04:00',
          final: true,
          accepted: false,
        },
      ],
    },
  },
  none: {
    summary: 'DGII holds nothing for this e-NCF',
    value: { eNCF: 'E310000000006', rncEmisor: '131880738', environment: 'CERTIFICATION', trackIds: [] },
  },
};

/** Consulta estado (PROTOCOL §1.3 #6) in DGII's names, plus what the estado means. */
export class EcfStatusResponse {
  @ApiProperty({ example: '1', description: '0 No encontrado, 1 Aceptado, 2 Rechazado (DGII, as text)' })
  codigo!: string;
  @ApiProperty({ example: 'Aceptado', description: 'DGII verbatim' }) estado!: string;
  @ApiProperty({ description: 'DGII has this e-CF (Aceptado or Rechazado)' }) found!: boolean;
  @ApiProperty({ description: 'The e-CF is valid for tax purposes' }) accepted!: boolean;
  @ApiProperty({ enum: DGII_ENVIRONMENTS, example: 'CERTIFICATION' }) environment!: DgiiEnvironment;
  @ApiPropertyOptional({ example: '131880738' }) rncEmisor?: string;
  @ApiPropertyOptional({ example: 'E310000000005' }) ncfElectronico?: string;
  @ApiPropertyOptional({ example: 7080.0 }) montoTotal?: number;
  @ApiPropertyOptional({ example: 1080.0 }) totalITBIS?: number;
  @ApiPropertyOptional({ example: '01-04-2026', description: 'dd-MM-yyyy, as DGII sends it' })
  fechaEmision?: string;
  @ApiPropertyOptional({
    example: '01-04-2026 09:19:57',
    description: 'dd-MM-yyyy HH:mm:ss, as DGII sends it',
  })
  fechaFirma?: string;
  @ApiPropertyOptional({ example: '130862346' }) rncComprador?: string;
  @ApiPropertyOptional({ example: 'AI7Q2d' }) codigoSeguridad?: string;
  @ApiPropertyOptional() idExtranjero?: string;
}

export const ECF_STATUS_EXAMPLES = {
  aceptado: {
    summary: 'DGII has the e-CF and it is valid',
    value: {
      codigo: '1',
      estado: 'Aceptado',
      found: true,
      accepted: true,
      environment: 'CERTIFICATION',
      rncEmisor: '131880738',
      ncfElectronico: 'E310000000005',
      montoTotal: 7080.0,
      totalITBIS: 1080.0,
      fechaEmision: '01-04-2026',
      fechaFirma: '01-04-2026 09:19:57',
      rncComprador: '130862346',
      codigoSeguridad: 'AI7Q2d',
    },
  },
  noEncontrado: {
    summary: 'DGII has no e-CF with these values (or the security code is wrong)',
    value: {
      codigo: '0',
      estado: 'No encontrado',
      found: false,
      accepted: false,
      environment: 'CERTIFICATION',
    },
  },
};
