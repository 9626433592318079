import { ApiProperty } from '@nestjs/swagger';
import { DGII_ENVIRONMENTS, DgiiEnvironment } from '@app/config';

export class DgiiServiceRowDto {
  @ApiProperty({ example: 'Recepción', description: 'DGII verbatim' }) servicio!: string;
  @ApiProperty({ example: 'Disponible', description: 'DGII verbatim: "Disponible" or "No Disponible"' })
  estatus!: string;
  @ApiProperty() available!: boolean;
}

export class DgiiMaintenanceWindowDto {
  @ApiProperty({ example: '1:00 PM', description: 'DGII verbatim (Santo Domingo time)' }) horaInicio!: string;
  @ApiProperty({ example: '4:00 PM' }) horaFin!: string;
  @ApiProperty({ type: [String], example: ['06-08-2026', '20-08-2026'], description: 'dd-MM-yyyy' })
  dias!: string[];
}

export class DgiiEnvironmentStatusDto {
  @ApiProperty({ enum: DGII_ENVIRONMENTS }) environment!: DgiiEnvironment;
  @ApiProperty({ example: 'Certificacion', description: "DGII's name for the environment" })
  ambiente!: string;
  @ApiProperty({ description: 'Every service DGII lists for this environment is Disponible' })
  available!: boolean;
  @ApiProperty({ type: [DgiiServiceRowDto] }) services!: DgiiServiceRowDto[];
  @ApiProperty({ type: [DgiiMaintenanceWindowDto] }) maintenanceWindows!: DgiiMaintenanceWindowDto[];
}

export class DgiiStatusResponse {
  @ApiProperty({ example: '2026-04-23T17:00:00Z', description: 'When DGII was asked (cached up to 30 s)' })
  checkedAt!: string;
  @ApiProperty({ type: [DgiiEnvironmentStatusDto] }) environments!: DgiiEnvironmentStatusDto[];
}

const services = (estatus: string) =>
  ['Autenticación', 'Recepción', 'Consulta Resultado', 'Recepción FC'].map((servicio) => ({
    servicio,
    estatus,
    available: estatus === 'Disponible',
  }));

export const DGII_STATUS_EXAMPLES = {
  status: {
    summary: 'Certification down for maintenance, the rest available (services shortened)',
    value: {
      checkedAt: '2026-04-23T17:00:00Z',
      environments: [
        {
          environment: 'TEST',
          ambiente: 'PreCertificacion',
          available: true,
          services: services('Disponible'),
          maintenanceWindows: [{ horaInicio: '9:00 AM', horaFin: '12:00 PM', dias: ['06-08-2026'] }],
        },
        {
          environment: 'CERTIFICATION',
          ambiente: 'Certificacion',
          available: false,
          services: services('No Disponible'),
          maintenanceWindows: [{ horaInicio: '1:00 PM', horaFin: '4:00 PM', dias: ['23-04-2026'] }],
        },
        {
          environment: 'PRODUCTION',
          ambiente: 'Produccion',
          available: true,
          services: services('Disponible'),
          maintenanceWindows: [],
        },
      ],
    },
  },
};
