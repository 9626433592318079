export {
  MAX_KDF_WORK,
  MAX_MAC_ITERATIONS,
  MAX_P12_BYTES,
  MAX_PBKDF2_ITERATIONS,
  MAX_PKCS12_PBE_ITERATIONS,
  P12Error,
  importPkcs8,
  unlockP12,
} from './unlock-p12';
export type { P12FailureReason, UnlockP12Options, UnlockedP12 } from './unlock-p12';
