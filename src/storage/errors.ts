// Typed storage errors. Callers switch on `code`; the API server maps them to Status reasons.

export type StorageErrorCode =
  | 'KeyExists'
  | 'NotFound'
  | 'Conflict'
  | 'Compacted'
  | 'FutureRevision'
  | 'WatchOverflow'
  | 'InvalidKey'
  | 'ValueTooLarge'
  | 'Closed'
  | 'Unavailable';

export class StorageError extends Error {
  constructor(
    readonly code: StorageErrorCode,
    message: string,
  ) {
    super(message);
    this.name = `${code}Error`;
  }
}

export class KeyExistsError extends StorageError {
  constructor(readonly key: string) {
    super('KeyExists', `key exists: ${key}`);
  }
}

export class NotFoundError extends StorageError {
  constructor(readonly key: string) {
    super('NotFound', `key not found: ${key}`);
  }
}

export class ConflictError extends StorageError {
  constructor(
    readonly key: string,
    readonly expectedModRevision: number,
    readonly actualModRevision: number,
  ) {
    super('Conflict', `conflict on ${key}: expected mod revision ${expectedModRevision}, found ${actualModRevision}`);
  }
}

export class CompactedError extends StorageError {
  constructor(
    readonly requestedRevision: number,
    readonly compactedRevision: number,
  ) {
    super('Compacted', `revision ${requestedRevision} has been compacted (compacted revision ${compactedRevision})`);
  }
}

export class FutureRevisionError extends StorageError {
  constructor(
    readonly requestedRevision: number,
    readonly currentRevision: number,
  ) {
    super('FutureRevision', `revision ${requestedRevision} is in the future (current revision ${currentRevision})`);
  }
}

export class WatchOverflowError extends StorageError {
  constructor(readonly bufferLimit: number) {
    super('WatchOverflow', `watch consumer fell more than ${bufferLimit} events behind and was closed`);
  }
}

export class InvalidKeyError extends StorageError {
  constructor(
    readonly key: string,
    reason: string,
  ) {
    super('InvalidKey', `invalid key ${JSON.stringify(key)}: ${reason}`);
  }
}

export class ValueTooLargeError extends StorageError {
  constructor(
    readonly size: number,
    readonly limit: number,
  ) {
    super('ValueTooLarge', `value of ${size} bytes exceeds the limit of ${limit} bytes`);
  }
}

export class StoreClosedError extends StorageError {
  constructor() {
    super('Closed', 'store is closed');
  }
}

export class StoreUnavailableError extends StorageError {
  constructor(message: string) {
    super('Unavailable', message);
  }
}
