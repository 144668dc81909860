// The request and response objects of Node's HTTP/2 compatibility API; with `allowHTTP1` an HTTP/1.1
// request arrives as the http module's classes, which offer the same methods this server uses.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Http2ServerRequest, Http2ServerResponse } from 'node:http2';

export type Req = Http2ServerRequest | IncomingMessage;
export type Res = Http2ServerResponse | ServerResponse;
