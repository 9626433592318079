/** Time as an injectable port (STYLE §14), so expiry and signing instants are testable. */
export abstract class Clock {
  abstract now(): number;
}

export class SystemClock extends Clock {
  now(): number {
    return Date.now();
  }
}

/** A clock tests move by hand. */
export class ManualClock extends Clock {
  constructor(private current = Date.parse('2026-04-23T17:00:00Z')) {
    super();
  }

  now(): number {
    return this.current;
  }

  advance(ms: number): void {
    this.current += ms;
  }

  set(epochMs: number): void {
    this.current = epochMs;
  }
}
