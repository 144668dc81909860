// resource.Quantity (k8s.io/apimachinery/pkg/api/resource): parsing and the canonical string form.
// Grammar (quantity.go):
//   <quantity> ::= <signedNumber><suffix>
//   <number>   ::= <digits> | <digits>.<digits> | <digits>. | .<digits>
//   <suffix>   ::= Ki|Mi|Gi|Ti|Pi|Ei | n|u|m|""|k|M|G|T|P|E | e<signedNumber> | E<signedNumber>
// Values are kept exactly as a count of nano-units (BigInt); like upstream, precision finer than
// 1n is rounded up to the next nano-unit.

export type QuantityFormat = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

export interface Quantity {
  /** The value in base units (cores, bytes, ...), as a float. */
  value: number;
  /** The exact value in units of 10^-9. */
  nanos: bigint;
  format: QuantityFormat;
}

/** Upstream's ErrFormatWrong text. */
export const QUANTITY_FORMAT_ERROR = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

const NANO = 1_000_000_000n;
const DECIMAL_SUFFIX: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_SUFFIX: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const QUANTITY_RE = /^([+-]?)([0-9]+\.?[0-9]*|\.[0-9]+)(Ki|Mi|Gi|Ti|Pi|Ei|[eE][+-]?[0-9]+|[numkMGTPE])?$/;

function pow10(n: number): bigint {
  return 10n ** BigInt(n);
}

/** Divides rounding up in magnitude (upstream rounds sub-nano precision up). */
function divCeil(a: bigint, b: bigint): bigint {
  const q = a / b;
  return q * b === a ? q : q + 1n;
}

/** Parses a quantity string; undefined when it does not follow the grammar. */
export function parseQuantity(s: string): Quantity | undefined {
  if (typeof s !== 'string') return undefined;
  const m = QUANTITY_RE.exec(s.trim() === s ? s : '');
  if (!m) return undefined;
  const negative = m[1] === '-';
  const [intPart, fracPart = ''] = m[2].split('.');
  const suffix = m[3] ?? '';
  const digits = BigInt((intPart || '0') + fracPart);
  const fracLen = fracPart.length;
  let nanos: bigint;
  let format: QuantityFormat;
  if (suffix in BINARY_SUFFIX) {
    format = 'BinarySI';
    const num = digits * (1n << BigInt(BINARY_SUFFIX[suffix])) * NANO;
    nanos = divCeil(num, pow10(fracLen));
  } else {
    let exp: number;
    if (suffix.length > 1 && (suffix[0] === 'e' || suffix[0] === 'E')) {
      format = 'DecimalExponent';
      exp = Number(suffix.slice(1));
      if (!Number.isSafeInteger(exp) || Math.abs(exp) > 1000) return undefined;
    } else {
      format = 'DecimalSI';
      exp = DECIMAL_SUFFIX[suffix];
    }
    const shift = exp + 9 - fracLen;
    nanos = shift >= 0 ? digits * pow10(shift) : divCeil(digits, pow10(-shift));
  }
  if (negative) nanos = -nanos;
  return { value: Number(nanos) / 1e9, nanos, format };
}

const DECIMAL_BY_EXP: Array<[number, string]> = [
  [18, 'E'], [15, 'P'], [12, 'T'], [9, 'G'], [6, 'M'], [3, 'k'], [0, ''], [-3, 'm'], [-6, 'u'], [-9, 'n'],
];
const BINARY_BY_SHIFT: Array<[number, string]> = [[60, 'Ei'], [50, 'Pi'], [40, 'Ti'], [30, 'Gi'], [20, 'Mi'], [10, 'Ki']];

function decimalString(nanos: bigint, exponentForm: boolean): string {
  if (nanos === 0n) return '0';
  const sign = nanos < 0n ? '-' : '';
  const abs = nanos < 0n ? -nanos : nanos;
  for (const [exp, suffix] of DECIMAL_BY_EXP) {
    const unit = pow10(exp + 9);
    if (abs % unit === 0n) {
      const mantissa = abs / unit;
      if (exponentForm) return `${sign}${mantissa}${exp === 0 ? '' : `e${exp}`}`;
      return `${sign}${mantissa}${suffix}`;
    }
  }
  return `${sign}${abs}n`;
}

/** The canonical form upstream serialises a quantity in: 1000m -> 1, 1024Mi -> 1Gi, 0.5 -> 500m. */
export function canonicalQuantity(q: Quantity | string): string {
  const parsed = typeof q === 'string' ? parseQuantity(q) : q;
  if (!parsed) throw new Error(QUANTITY_FORMAT_ERROR);
  const { nanos, format } = parsed;
  if (format === 'BinarySI') {
    const abs = nanos < 0n ? -nanos : nanos;
    // Upstream falls back to decimal for fractional values and for magnitudes below 1024.
    if (abs % NANO !== 0n || abs < 1024n * NANO) return decimalString(nanos, false);
    const units = abs / NANO;
    const sign = nanos < 0n ? '-' : '';
    for (const [shift, suffix] of BINARY_BY_SHIFT) {
      const unit = 1n << BigInt(shift);
      if (units % unit === 0n) return `${sign}${units / unit}${suffix}`;
    }
    return `${sign}${units}`;
  }
  return decimalString(nanos, format === 'DecimalExponent');
}

/** The value in milli-units, rounded up like Quantity.MilliValue(). */
export function milliValue(q: Quantity): number {
  return Number(q.nanos >= 0n ? divCeil(q.nanos, 1_000_000n) : q.nanos / 1_000_000n);
}

/** Compares two quantities exactly: negative, zero or positive. */
export function compareQuantities(a: Quantity, b: Quantity): number {
  return a.nanos === b.nanos ? 0 : a.nanos < b.nanos ? -1 : 1;
}
