export { decodeProtobufBody, PROTOBUF_MAGIC, type DecodedBody } from './decode-body.js';
export { ProtobufDecodeError } from './errors.js';
