import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { DGII_ENVIRONMENTS, DgiiEnvironment } from '@app/config';

export class DirectoryParamsDto {
  @ApiProperty({ example: '130862346', description: 'The taxpayer (RNC 9 digits or cédula 11)' })
  @Matches(/^(\d{9}|\d{11})$/, { message: 'rnc must be 9 or 11 digits' })
  rnc!: string;
}

export class DirectoryQueryDto {
  @ApiPropertyOptional({ enum: DGII_ENVIRONMENTS, default: 'CERTIFICATION' })
  @IsOptional()
  @IsIn(DGII_ENVIRONMENTS)
  environment?: DgiiEnvironment;
}

/** One receptor as DGII's consulta directorio lists it (PROTOCOL §1.3 #11), DGII's names. */
export class DirectoryEntryDto {
  @ApiProperty({ example: '130862346' }) rnc!: string;
  @ApiPropertyOptional({ example: 'EMPRESA RECEPTORA SRL' }) nombre?: string;
  @ApiPropertyOptional({
    example: 'https://receptor.example.com/fe/recepcion/api/ecf',
    description: 'Where e-CF are delivered (PROTOCOL §8.2)',
  })
  urlRecepcion?: string;
  @ApiPropertyOptional({
    example: 'https://receptor.example.com/fe/aprobacioncomercial/api/ecf',
    description: 'Where commercial approvals (ACECF) are delivered (PROTOCOL §8.3)',
  })
  urlAceptacion?: string;
  @ApiPropertyOptional({
    example: 'https://receptor.example.com/fe/autenticacion/api',
    description: "DGII's third URL; in practice the receptor's authentication base (PROTOCOL §8.1)",
  })
  urlOpcional?: string;
}

export class DirectoryResponse {
  @ApiProperty({ example: '130862346' }) rnc!: string;
  @ApiProperty({ enum: DGII_ENVIRONMENTS, example: 'CERTIFICATION' }) environment!: DgiiEnvironment;
  @ApiProperty({
    type: [DirectoryEntryDto],
    description:
      'Always an array (DGII sometimes answers a single object); empty: no electronic receptor (give the buyer the RI)',
  })
  receptors!: DirectoryEntryDto[];
}

export const DIRECTORY_EXAMPLES = {
  found: {
    summary: 'The taxpayer publishes its receptor URLs',
    value: {
      rnc: '130862346',
      environment: 'CERTIFICATION',
      receptors: [
        {
          rnc: '130862346',
          nombre: 'EMPRESA RECEPTORA SRL',
          urlRecepcion: 'https://receptor.example.com/fe/recepcion/api/ecf',
          urlAceptacion: 'https://receptor.example.com/fe/aprobacioncomercial/api/ecf',
          urlOpcional: 'https://receptor.example.com/fe/autenticacion/api',
        },
      ],
    },
  },
  none: {
    summary: 'Not an electronic receptor',
    value: { rnc: '101000009', environment: 'CERTIFICATION', receptors: [] },
  },
};
