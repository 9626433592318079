import { ReceptorRegistration } from './receptor-registration';

/**
 * Where receptor registrations live (STYLE §24). A port: the memory adapter now; a shared store
 * (Redis, with the callback secret encrypted under FISCALIACORE_DATA_KEY) later, so every replica
 * serves every receptor. Every adapter passes `describeReceptorRegistryContract`.
 *
 * `get(rnc)` is also what event delivery reads: the callback URL and the callback secret.
 */
export abstract class ReceptorRegistry {
  /** The registration of this RNC, or undefined. */
  abstract get(rnc: string): Promise<ReceptorRegistration | undefined>;
  /** Stores a new registration; false (and nothing changed) when the RNC is already registered. */
  abstract insert(registration: ReceptorRegistration): Promise<boolean>;
  /** Replaces the registration of `registration.rnc` when it is owned by the same API key; false otherwise. */
  abstract update(registration: ReceptorRegistration): Promise<boolean>;
  /** Removes the RNC's registration when owned by `apiKeyId`; false when there was none of that key. */
  abstract delete(rnc: string, apiKeyId: string): Promise<boolean>;
}
