import { Injectable } from '@nestjs/common';
import { ReceptorRegistration } from './receptor-registration';
import { ReceptorRegistry } from './receptor.registry';

/** Registrations in this process's memory (the default; one replica). */
@Injectable()
export class MemoryReceptorRegistry extends ReceptorRegistry {
  private readonly byRnc = new Map<string, ReceptorRegistration>();

  get(rnc: string): Promise<ReceptorRegistration | undefined> {
    return Promise.resolve(this.byRnc.get(rnc));
  }

  insert(registration: ReceptorRegistration): Promise<boolean> {
    if (this.byRnc.has(registration.rnc)) return Promise.resolve(false);
    this.byRnc.set(registration.rnc, registration);
    return Promise.resolve(true);
  }

  update(registration: ReceptorRegistration): Promise<boolean> {
    const current = this.byRnc.get(registration.rnc);
    if (!current || current.apiKeyId !== registration.apiKeyId) return Promise.resolve(false);
    this.byRnc.set(registration.rnc, registration);
    return Promise.resolve(true);
  }

  delete(rnc: string, apiKeyId: string): Promise<boolean> {
    const current = this.byRnc.get(rnc);
    if (!current || current.apiKeyId !== apiKeyId) return Promise.resolve(false);
    this.byRnc.delete(rnc);
    return Promise.resolve(true);
  }
}
