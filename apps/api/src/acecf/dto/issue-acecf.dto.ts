import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { DGII_ENVIRONMENTS, DgiiEnvironment } from '@app/config';
import { IsAmount } from '../../dto/is-amount.validator';

/** Commercial approval of a received e-CF (guide §3.2, PROTOCOL §6). */
export class IssueAcecfDto {
  @ApiProperty({ example: '131793916', description: 'Issuer of the e-CF being approved' })
  @Matches(/^(\d{9}|\d{11})$/, { message: 'rncEmisor must be 9 or 11 digits' })
  rncEmisor!: string;

  @ApiProperty({ example: '40209547971', description: 'The approver: the buyer of that e-CF' })
  @Matches(/^(\d{9}|\d{11})$/, { message: 'rncComprador must be 9 or 11 digits' })
  rncComprador!: string;

  @ApiProperty({ example: 'E310000000005' })
  @Matches(/^E\d{12}$/, { message: 'eNCF must be E followed by 12 digits' })
  eNCF!: string;

  @ApiProperty({ example: '2026-04-23', description: 'yyyy-MM-dd: FechaEmision of the approved e-CF' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'fechaEmisionOriginal must be yyyy-MM-dd' })
  fechaEmisionOriginal!: string;

  @ApiProperty({
    oneOf: [{ type: 'number' }, { type: 'string', pattern: '^\\d+(\\.\\d+)?$' }],
    example: 1180.0,
    description: 'MontoTotal of the approved e-CF (up to 2 decimals; a JSON number or a decimal string)',
  })
  @IsAmount({ decimals: 2, nonNegative: true })
  montoTotalOriginal!: number | string;

  @ApiProperty({ enum: [1, 2], description: '1 = aprobado, 2 = rechazado' })
  @IsIn([1, 2])
  estado!: 1 | 2;

  @ApiPropertyOptional({ maxLength: 250, description: 'Only with estado 2' })
  @IsOptional()
  @IsString()
  @MaxLength(250)
  detalleMotivoRechazo?: string;

  @ApiPropertyOptional({
    example: '23-06-2026 17:45:47',
    pattern: '^\\d{2}-\\d{2}-\\d{4} \\d{2}:\\d{2}:\\d{2}$',
    description:
      'dd-MM-yyyy HH:mm:ss, Santo Domingo time: the approval instant written as FechaHoraAprobacionComercial (PROTOCOL §6). ' +
      "Default: the signing time. DGII's Paso 3 workbook gives its own value for every row.",
  })
  @IsOptional()
  @Matches(/^\d{2}-\d{2}-\d{4} \d{2}:\d{2}:\d{2}$/, {
    message: 'fechaHoraAprobacionComercial must be dd-MM-yyyy HH:mm:ss',
  })
  fechaHoraAprobacionComercial?: string;

  @ApiPropertyOptional({ enum: DGII_ENVIRONMENTS, default: 'CERTIFICATION' })
  @IsOptional()
  @IsIn(DGII_ENVIRONMENTS)
  environment?: DgiiEnvironment;

  @ApiPropertyOptional({ default: false, description: 'Build and sign only; never contacts DGII' })
  @IsOptional()
  @IsBoolean()
  dryRun?: boolean;
  @ApiPropertyOptional({
    default: false,
    description:
      'After DGII takes its copy, send the ACECF to the issuer’s urlAceptacion (DGII consulta directorio); ' +
      'the answer is under `receptor`; a failed delivery never fails the approval',
  })
  @IsOptional()
  @IsBoolean()
  deliverToReceptor?: boolean;
}
