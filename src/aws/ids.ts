// Identifiers shaped like AWS's: unique-ID prefixes (AROA role, AIDA user, AKIA access key,
// ASIA temporary key, ANPA policy, AGPA group, AIPA instance profile) followed by upper-case base32-like characters.
import { randomBytes, randomUUID } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function randomChars(n: number, alphabet: string): string {
  const bytes = randomBytes(n);
  let out = '';
  for (let i = 0; i < n; i++) out += alphabet[bytes[i] % alphabet.length];
  return out;
}

/** 21 characters in all, like AWS unique IDs (AROA + 17). */
export const uniqueId = (prefix: 'AROA' | 'AIDA' | 'ANPA' | 'AGPA' | 'AIPA') => prefix + randomChars(17, ALPHABET);
/** 20 characters in all: AKIA/ASIA + 16. */
export const accessKeyId = (prefix: 'AKIA' | 'ASIA') => prefix + randomChars(16, ALPHABET);
export const secretAccessKey = () =>
  randomChars(40, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/');
export const sessionToken = () => randomBytes(96).toString('base64');
export const requestId = () => randomUUID();
