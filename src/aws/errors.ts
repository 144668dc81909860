// One error type for every AWS service Kumo answers. The protocol codec renders it in the
// service's own format (query/XML or restJson1); `code` is the wire error code.

export class AwsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
    /** Query protocol <Type>: Sender for client faults, Receiver for server faults. */
    readonly type: 'Sender' | 'Receiver' = status >= 500 ? 'Receiver' : 'Sender',
    /** Extra members restJson1 errors carry (clusterName, ...). */
    readonly fields: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = code;
  }
}

export const noSuchEntity = (message: string) => new AwsError('NoSuchEntity', message, 404);
export const entityAlreadyExists = (message: string) => new AwsError('EntityAlreadyExists', message, 409);
export const validationError = (message: string) => new AwsError('ValidationError', message, 400);
export const invalidInput = (message: string) => new AwsError('InvalidInput', message, 400);
export const deleteConflict = (message: string) => new AwsError('DeleteConflict', message, 409);
export const limitExceeded = (message: string) => new AwsError('LimitExceeded', message, 409);
export const malformedPolicy = (message: string) => new AwsError('MalformedPolicyDocument', message, 400);
