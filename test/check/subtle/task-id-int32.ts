// A server that parses the number of a `tsk_<n>` task id into 32 bits: a valid id whose number is
// past 2^31 - 1, which the TaskId pattern allows, crashes the lookup (500) instead of a 404.
import { coerceParams, validateParams } from '../../../src/contract/index.js';
import { GOOD_TOKEN, startConforming } from '../broken/conforming.js';

export const taskNumber = (path: string) => /\/[A-Za-z]+_([0-9]+)$/.exec(path)?.[1];

export const startTaskIdInt32 = () =>
  startConforming({
    override: ({ route, req, send }) => {
      if (route.kind !== 'operation' || route.operation.operationId !== 'getTask') return false;
      if (req.headers.authorization !== `Bearer ${GOOD_TOKEN}`) return false;
      // Only an id the contract accepts reaches the defect.
      if (validateParams(route.operation, coerceParams(route.operation, route.pathParams)).length)
        return false;
      const n = taskNumber(`/${route.pathParams.taskId ?? ''}`);
      if (n === undefined || Number(n) <= 2 ** 31 - 1) return false;
      send(500, { title: 'Internal Server Error', status: 500 });
      return true;
    },
  });
