// content_type_conformance: the OVOC customer's JSON comes back labelled text/plain.
import { specExample } from '../../../src/contract/index.js';
import { startWithBrokenCustomer85844 } from './conforming.js';

export const startWrongContentType = () =>
  startWithBrokenCustomer85844((res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end(JSON.stringify(specExample('OvocCustomerBrad984')));
  });
