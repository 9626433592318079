export { DEFAULT_MAX_ITERATIONS, MAX_P12_BYTES, P12Error, unlockP12 } from './unlock-p12';
export type { P12FailureReason, UnlockP12Options, UnlockedP12 } from './unlock-p12';
