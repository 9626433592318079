import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { DgiiMessageDto } from '../../ecf/dto/issue-ecf.response';

/** DGII consulta resultado, normalised (PROTOCOL §1.4): codigo always text, `encf` whichever way DGII spelt it. */
export class StatusResponse {
  @ApiProperty({ example: 'd2b6e27c-3908-46f3-afaa-2207b9501b4b' }) trackId!: string;
  @ApiProperty({
    example: '1',
    description: '0 No encontrado, 1 Aceptado, 2 Rechazado, 3 En Proceso, 4 Aceptado Condicional',
  })
  codigo!: string;
  @ApiProperty({ example: 'Aceptado' }) estado!: string;
  @ApiProperty({ description: 'No further change is expected' }) final!: boolean;
  @ApiProperty({ description: 'Aceptado or Aceptado Condicional' }) accepted!: boolean;
  @ApiPropertyOptional({ example: 'E310005000201' }) encf?: string;
  @ApiPropertyOptional() secuenciaUtilizada?: boolean;
  @ApiPropertyOptional({
    example: '2023-08-15T06:06:57-04:00',
    description:
      'When DGII received the document: ISO-8601 with the Santo Domingo offset (DGII sends "8/15/2023 6:06:57 AM", local time)',
  })
  fechaRecepcion?: string;
  @ApiProperty({ type: [DgiiMessageDto] }) mensajes!: DgiiMessageDto[];
}
