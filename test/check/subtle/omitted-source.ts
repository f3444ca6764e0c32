// A server that answers an import without the optional `customerSource` with a task object missing
// its id (`{}` where the contract says a task id string): only the member's absence triggers it,
// and the vendor's example body always carries it.
import { validRequest } from './valid.js';
import { startConforming } from '../broken/conforming.js';

export const startOmittedSource = () =>
  startConforming({
    override: ({ operationId, body, req, send }) => {
      // Only a request the contract accepts, from the right caller, reaches the defect.
      if (!validRequest(req, operationId, body)) return false;
      if (operationId !== 'importCustomerFromOvoc' || !body || typeof body !== 'object') return false;
      if (!req.headers.authorization || 'customerSource' in body) return false;
      const type = (body as { customerType?: unknown }).customerType;
      if (!['TENANT_TYPE', 'IPGROUP_TYPE', 'TENANT_TYPE_GW'].includes(type as string)) return false;
      send(200, { status: 'InProgress' });
      return true;
    },
  });
