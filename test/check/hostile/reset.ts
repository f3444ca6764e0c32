// Starts every answer, then resets the connection mid-body: the server was reached, so this is
// "the server closed the connection", not "cannot reach".
import { startRaw } from './raw.js';

export const startResetMidBody = () =>
  startRaw((socket) => {
    socket.once('data', () => {
      socket.write('HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{"id":');
      setImmediate(() => socket.resetAndDestroy());
    });
  });
