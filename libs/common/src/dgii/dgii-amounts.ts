/** PROTOCOL §5: a type 32 under RD$250,000.00 goes to DGII as an RFCE summary, not in full. */
export const RFCE_THRESHOLD_DOP = 250_000;

/** PROTOCOL §4.4 (Totales): ITBIS1/2/3 rates in percent, by IndicadorFacturacion 1/2/3. */
export const ITBIS_RATE_PERCENT: Readonly<Record<number, number>> = Object.freeze({ 1: 18, 2: 16, 3: 0 });
