// The error a malformed protobuf request body yields. Its message goes into a 400 BadRequest Status.

export class ProtobufDecodeError extends Error {
  readonly code = 'BadRequest';
  constructor(message: string) {
    super(message);
    this.name = 'ProtobufDecodeError';
  }
}
