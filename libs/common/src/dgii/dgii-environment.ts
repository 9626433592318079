/** The URL segment of each DGII environment (PROTOCOL §1.1). */
export const DGII_ENVIRONMENT_SEGMENTS = Object.freeze({
  TEST: 'testecf',
  CERTIFICATION: 'certecf',
  PRODUCTION: 'ecf',
} as const);

export type DgiiEnvironmentName = keyof typeof DGII_ENVIRONMENT_SEGMENTS;

/** The URL segment of an environment (PROTOCOL §1.1). */
export function environmentSegment(environment: DgiiEnvironmentName): string {
  return DGII_ENVIRONMENT_SEGMENTS[environment];
}
