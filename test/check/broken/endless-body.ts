// response_schema_conformance, and the checker's own safety: the OVOC customer never stops coming
// (a JSON array streamed without end). The checker must stop reading, report, and finish.
import { startWithBrokenCustomer85844 } from './conforming.js';

export const startEndlessBody = () =>
  startWithBrokenCustomer85844((res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    const chunk = Buffer.from('1,'.repeat(32 * 1024));
    res.write('[');
    const pump = () => {
      while (!res.destroyed && res.write(chunk));
      if (!res.destroyed) res.once('drain', pump);
    };
    res.on('close', () => res.removeAllListeners('drain'));
    pump();
  });
