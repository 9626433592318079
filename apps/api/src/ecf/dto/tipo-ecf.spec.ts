import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, validateSync } from 'class-validator';
import { ECF_TYPES } from '@app/xml-builder';
import { IssueEcfStatelessDto } from './issue-ecf-stateless.dto';

const tipoErrors = (tipoeCF: unknown): string[] =>
  validateSync(plainToInstance(IssueEcfStatelessDto, { tipoeCF }))
    .filter((e) => e.property === 'tipoeCF')
    .flatMap((e) => Object.keys(e.constraints ?? {}));

describe('IssueEcfStatelessDto.tipoeCF', () => {
  it('takes its allowed values from the catalogue, not from a copy', () => {
    const isIn = getMetadataStorage()
      .getTargetValidationMetadatas(IssueEcfStatelessDto, '', true, false)
      .find((m) => m.propertyName === 'tipoeCF' && m.name === 'isIn');
    expect(isIn?.constraints[0]).toBe(ECF_TYPES);
  });

  it.each([...ECF_TYPES])('accepts the catalogue type %s', (type) => {
    expect(tipoErrors(type)).toEqual([]);
  });

  it.each(['30', '42', 'RFCE', 31])('refuses %p', (type) => {
    expect(tipoErrors(type)).toEqual(['isIn']);
  });
});
