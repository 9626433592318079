import { ReceivedLedger } from './received-ledger';

describe('ReceivedLedger (Estado 3, PROTOCOL §8.2)', () => {
  it('claims an (RNC, issuer, e-NCF) once within the window', () => {
    const ledger = new ReceivedLedger(1_000);
    expect(ledger.claim('r', 'e', 'E310000000001', 0)).toBe(true);
    expect(ledger.has('r', 'e', 'E310000000001', 10)).toBe(true);
    expect(ledger.claim('r', 'e', 'E310000000001', 10)).toBe(false);
    // Another receptor or issuer is another document.
    expect(ledger.claim('r2', 'e', 'E310000000001', 10)).toBe(true);
    expect(ledger.claim('r', 'e2', 'E310000000001', 10)).toBe(true);
  });

  it('forgets after the window, and on release (an event that could not be held)', () => {
    const ledger = new ReceivedLedger(1_000);
    ledger.claim('r', 'e', 'E310000000001', 0);
    expect(ledger.has('r', 'e', 'E310000000001', 1_000)).toBe(false);
    ledger.claim('r', 'e', 'E310000000002', 2_000);
    ledger.release('r', 'e', 'E310000000002');
    expect(ledger.claim('r', 'e', 'E310000000002', 2_001)).toBe(true);
  });

  it('is bounded: the oldest entry goes first', () => {
    const ledger = new ReceivedLedger(10_000, 2);
    ledger.claim('r', 'e', 'E1', 0);
    ledger.claim('r', 'e', 'E2', 1);
    ledger.claim('r', 'e', 'E3', 2);
    expect(ledger.has('r', 'e', 'E1', 3)).toBe(false);
    expect(ledger.has('r', 'e', 'E2', 3)).toBe(true);
    expect(ledger.has('r', 'e', 'E3', 3)).toBe(true);
  });
});
