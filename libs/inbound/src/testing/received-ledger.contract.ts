import type { ReceivedLedger } from '../receptor/received-ledger';

export interface ReceivedLedgerHarness {
  ledger: ReceivedLedger;
  /** Lets the window pass (a manual clock, or real time for a store with TTLs). */
  passWindow(): Promise<void>;
}

/** What every ReceivedLedger adapter must do (Estado 3, PROTOCOL §8.2). */
export function describeReceivedLedgerContract(
  name: string,
  make: () => Promise<ReceivedLedgerHarness>,
): void {
  describe(`ReceivedLedger contract: ${name}`, () => {
    it('claims an (RNC, issuer, e-NCF) once within the window; another receptor or issuer is another document', async () => {
      const { ledger } = await make();
      expect(await ledger.has('r', 'e', 'E310000000001')).toBe(false);
      expect(await ledger.claim('r', 'e', 'E310000000001')).toBe(true);
      expect(await ledger.has('r', 'e', 'E310000000001')).toBe(true);
      expect(await ledger.claim('r', 'e', 'E310000000001')).toBe(false);
      expect(await ledger.claim('r2', 'e', 'E310000000001')).toBe(true);
      expect(await ledger.claim('r', 'e2', 'E310000000001')).toBe(true);
    });

    it('of two copies at once exactly one wins the claim', async () => {
      const { ledger } = await make();
      const wins = await Promise.all(
        Array.from({ length: 5 }, () => ledger.claim('r', 'e', 'E310000000009')),
      );
      expect(wins.filter(Boolean)).toHaveLength(1);
    });

    it('forgets on release (an event that could not be held), and after the window', async () => {
      const { ledger, passWindow } = await make();
      await ledger.claim('r', 'e', 'E310000000002');
      await ledger.release('r', 'e', 'E310000000002');
      expect(await ledger.claim('r', 'e', 'E310000000002')).toBe(true);
      await ledger.claim('r', 'e', 'E310000000003');
      await passWindow();
      expect(await ledger.has('r', 'e', 'E310000000003')).toBe(false);
      expect(await ledger.claim('r', 'e', 'E310000000003')).toBe(true);
    });
  });
}
