// Writes a watch as upstream's JSON stream: one `{"type":"ADDED","object":{...}}` per line, each
// flushed as it happens, until the events end, the client goes away, the timeout passes or the
// server shuts down.
import type { Res, Req } from './http-types.js';

export interface StreamEvent {
  type: string;
  object: unknown;
}

export interface WatchStreamOptions {
  /** End the stream after this many seconds (the `timeoutSeconds` parameter or the server's default). */
  timeoutSeconds: number;
  /** Turns each event's object into what the client asked for (Table rows, metadata only, ...). */
  transform?: (event: StreamEvent, index: number) => unknown;
  /** Registers an abort hook for server shutdown; returns its unregister function. */
  onShutdown?: (fn: () => void) => () => void;
  contentType?: string;
  /** JSON encoder of the event objects (default JSON.stringify). */
  serialize?: (value: unknown) => string | Buffer;
}

/**
 * Streams `events` (an iterable that stops when `controller` aborts). Resolves when the stream has
 * ended for any reason.
 */
export async function streamWatch(req: Req, res: Res, controller: AbortController, events: AsyncIterable<StreamEvent>, opts: WatchStreamOptions): Promise<void> {
  const abort = () => controller.abort();
  req.once('close', abort);
  res.once('close', abort);
  const unregister = opts.onShutdown?.(abort);
  const timer = setTimeout(abort, Math.max(0, opts.timeoutSeconds) * 1000);
  timer.unref();
  res.statusCode = 200;
  res.setHeader('Content-Type', opts.contentType ?? 'application/json');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  (res as { flushHeaders(): void }).flushHeaders();
  let index = 0;
  try {
    for await (const event of events) {
      if (controller.signal.aborted) break;
      const object = opts.transform ? opts.transform(event, index) : event.object;
      index++;
      const line = eventLine(event.type, object, opts.serialize ?? JSON.stringify);
      if (!(res as { write(chunk: string | Buffer): boolean }).write(line)) {
        await new Promise<void>((resolve) => {
          const done = () => {
            res.off('drain', done);
            controller.signal.removeEventListener('abort', done);
            resolve();
          };
          res.on('drain', done);
          controller.signal.addEventListener('abort', done);
        });
      }
    }
  } catch (err) {
    if (!controller.signal.aborted) {
      // An error after the stream started can only be told in-band, as upstream does: an ERROR event with a Status.
      const status = err && typeof err === 'object' && 'status' in err ? (err as { status: unknown }).status : { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: String(err), reason: 'InternalError', code: 500 };
      if (!res.writableEnded) (res as { write(chunk: string): boolean }).write(JSON.stringify({ type: 'ERROR', object: status }) + '\n');
    }
  } finally {
    clearTimeout(timer);
    unregister?.();
    req.off('close', abort);
    res.off('close', abort);
    controller.abort();
    if (!res.writableEnded) res.end();
  }
}

/** `{"type":"ADDED","object":{...}}` and a newline, as text or bytes (whichever the serializer gives). */
function eventLine(type: string, object: unknown, serialize: (value: unknown) => string | Buffer): string | Buffer {
  // Frozen objects are the watch cache's, shared by every watcher of the event: encode the line once.
  const shared = object !== null && typeof object === 'object' && Object.isFrozen(object);
  const memo = shared ? lines.get(object) : undefined;
  if (memo && memo.type === type && memo.serialize === serialize) return memo.line;
  const line = encodeLine(type, object, serialize);
  if (shared) lines.set(object as object, { type, serialize, line });
  return line;
}

const lines = new WeakMap<object, { type: string; serialize: unknown; line: string | Buffer }>();

function encodeLine(type: string, object: unknown, serialize: (value: unknown) => string | Buffer): string | Buffer {
  const json = serialize(object);
  if (typeof json === 'string') return `{"type":${JSON.stringify(type)},"object":${json}}\n`;
  return Buffer.concat([Buffer.from(`{"type":${JSON.stringify(type)},"object":`), json, LINE_END]);
}

const LINE_END = Buffer.from('}\n');
