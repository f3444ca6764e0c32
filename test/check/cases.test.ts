import { describe, expect, it } from 'vitest';
import { allCases, isWrite } from '../../src/check/index.js';
import { operations, validateRequestBody } from '../../src/contract/index.js';

const cases = allCases({ rename: (_op, body) => body });

describe('src/check/cases.ts and mutations.ts: cases derived from the contract', () => {
  it('gives every operation of the spec its positive, auth and method cases', () => {
    for (const op of operations) {
      const mine = cases.filter((c) => c.operation.operationId === op.operationId);
      expect(mine.filter((c) => c.kind === 'positive').length).toBe(
        op.requestBody ? op.requestBody.examples.length : 1,
      );
      expect(mine.filter((c) => c.kind === 'auth-none' || c.kind === 'auth-wrong')).toHaveLength(
        op.secured ? 2 : 0,
      );
      const method = mine.find((c) => c.kind === 'method');
      expect(method && method.request.method).not.toBe(op.method);
    }
  });

  it('sends only negative bodies the contract validator refuses, one per constraint kind', () => {
    const negatives = cases.filter((c) => c.kind === 'negative' && !c.name.startsWith('negative: path '));
    for (const c of negatives)
      expect(validateRequestBody(c.operation, c.request.body).length, c.name).toBeGreaterThan(0);
    const kinds = new Set(negatives.map((c) => c.name.split(' ').pop()));
    for (const k of ['required', 'type', 'enum', 'pattern', 'minLength', 'maxLength', 'additionalProperties'])
      expect(kinds).toContain(k);
    const names = negatives
      .filter((c) => c.operation.operationId === 'createEssentialsCustomer')
      .map((c) => c.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'negative: /shortName pattern',
        'negative: /shortName minLength',
        'negative: /shortName maxLength',
        'negative: /siteLocation/sbcId required',
        'negative: /ovocCustomerType enum',
      ]),
    );
  });

  it('also breaks path parameters, confirmed invalid by the generated params validator', () => {
    const verify = cases.find((c) => c.name === 'negative: path id=ct-not-this-type');
    expect(verify?.request).toMatchObject({
      method: 'PUT',
      path: '/api/ovoc/v1/topology/customers/ct-not-this-type',
    });
    expect(cases.find((c) => c.name === 'negative: path taskId=has space')?.request.path).toBe(
      '/api/v2/task/has%20space',
    );
  });

  it('uses the path parameter example for operations without a body', () => {
    const positive = (id: string) =>
      cases.find((c) => c.operation.operationId === id && c.kind === 'positive')!.request;
    expect(positive('getTask')).toMatchObject({ method: 'GET', path: '/api/v2/task/tsk_185510' });
    expect(positive('verifyLcCustomer')).toMatchObject({
      method: 'PUT',
      path: '/api/ovoc/v1/topology/customers/85844',
    });
  });

  it('treats verifyLcCustomer (x-safe) and getTask as reads, the others as writes', () => {
    const writes = Object.fromEntries(operations.map((o) => [o.operationId, isWrite(o)]));
    expect(writes).toEqual({
      importCustomerFromOvoc: true,
      createEssentialsCustomer: true,
      verifyLcCustomer: false,
      createCustomerFromLead: true,
      getTask: false,
    });
  });
});
