import { ApiProperty } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';
import { IssueEcfStatelessDto } from './issue-ecf-stateless.dto';

export class IssueEcfDto extends IssueEcfStatelessDto {
  @ApiProperty({
    format: 'uuid',
    description:
      'Your id for this document: the same id and body return the same response without a second submission',
  })
  @IsUUID()
  externalDocumentId!: string;
}
