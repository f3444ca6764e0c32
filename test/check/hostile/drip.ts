// Never ends on its own: every request gets its status line and headers, or its body, one byte a
// second. An idle socket timer never fires against it; only a hard per-request deadline ends it.
import { drip, startRaw } from './raw.js';

/** Headers dripped: `HTTP/1.1 200 OK\r\n…` a byte a second, forever. */
export const startDripHeaders = (everyMs = 1000) =>
  startRaw((socket, timers) => {
    socket.once('data', () =>
      drip(socket, timers, 'HTTP/1.1 200 OK\r\nx-drip: ' + 'a'.repeat(1000), everyMs),
    );
  });

/** Headers at once, then a JSON body that never ends, a byte a second. */
export const startDripBody = (everyMs = 1000) =>
  startRaw((socket, timers) => {
    socket.once('data', () => {
      socket.write('HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n');
      drip(socket, timers, '1\r\n[\r\n', everyMs);
    });
  });
