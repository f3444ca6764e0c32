// Flat uuid strings: each kept entity costs 440 bytes less than with crypto's (see ids.ts).
import { newUuid as randomUUID } from './ids.js';
import { isExactId } from '../contract/index.js';
import type { CreateCustomerFromLeadRequest, CreateEssentialsCustomerRequest } from '../types.js';
import { capReached, tasksBusy } from './limits.js';
import { addError, errorMap, problem, quote, validationProblem } from './problems.js';
import { SandboxState } from './state.js';
import {
  alreadyConvertedTask,
  convertedTask,
  failedTask,
  importTask,
  leadNameErrors,
  noLeadTask,
  taskJson,
} from './tasks.js';

/** What a handler answers: the status and the body, already JSON. */
export interface Reply {
  status: number;
  json: string;
  headers?: Record<string, string>;
}

export interface HandlerContext {
  state: SandboxState;
  taskDurationMs: number;
  now: number;
}

/** Params and body have passed the contract's validators before a handler sees them. */
export type Handler = (ctx: HandlerContext, params: Record<string, unknown>, body: unknown) => Reply;

const ok = (value: unknown): Reply => ({ status: 200, json: JSON.stringify(value) });
const fail = (status: number, detail: string): Reply => ({
  status,
  json: JSON.stringify(problem(status, detail)),
});

const getTask: Handler = ({ state, now }, params) => {
  const id = params.taskId as string;
  const task = state.tasks.get(id);
  if (!task) {
    return fail(
      404,
      `No task with id ${quote(id)}. Use the id the queuing operation returned; a sandbox reset forgets its tasks.`,
    );
  }
  return { status: 200, json: taskJson(task, now) };
};

const verifyLcCustomer: Handler = ({ state }, params) => {
  const id = params.id as number;
  // An id past 2^53 arrives rounded; it names no customer the sandbox stores.
  const customer = isExactId(id) ? state.ovocCustomers.get(id) : undefined;
  if (!customer) {
    return fail(
      404,
      `No OVOC customer with id ${isExactId(id) ? id : 'that large'}. Created and imported customers get new ids; GET /_sandbox/state lists them.`,
    );
  }
  return ok(customer);
};

// The body's fields only describe the link; the sandbox needs just the customer to exist.
const importCustomerFromOvoc: Handler = ({ state, now, taskDurationMs }, params) => {
  const guid = params.customerGuid as string;
  const customer = state.customer(guid);
  if (!customer) {
    return fail(
      404,
      `No customer with guid ${quote(guid)}. Use the id that Create Essentials Customer returned (or GET /_sandbox/state).`,
    );
  }
  if (!state.roomForTask(now)) return tasksBusy(state.limits, taskDurationMs);
  state.linkOvocCustomer(customer, now);
  const task = state.addTask(importTask(state.newImportTaskId(), now, taskDurationMs));
  return ok(task.id);
};

const createEssentialsCustomer: Handler = ({ state, now }, _params, body) => {
  const request = body as CreateEssentialsCustomerRequest;
  const { sbcId, sbcOnboardingScript, sbcCleanupScript } = request.siteLocation;
  const sbc = state.sbcs.get(sbcId);
  const errors = errorMap();
  if (!sbc) {
    const known = [...state.sbcs.keys()].join(', ') || 'none';
    addError(
      errors,
      'siteLocation.sbcId',
      `No SBC with id ${sbcId}. Use a known SBC (this sandbox knows: ${known}).`,
    );
  } else {
    if (!sbc.onboardingScripts.includes(sbcOnboardingScript)) {
      addError(
        errors,
        'siteLocation.sbcOnboardingScript',
        `SBC ${sbcId} has no onboarding script ${sbcOnboardingScript}; use ${sbc.onboardingScripts.join(' or ') || 'none'}.`,
      );
    }
    if (!sbc.cleanupScripts.includes(sbcCleanupScript)) {
      addError(
        errors,
        'siteLocation.sbcCleanupScript',
        `SBC ${sbcId} has no cleanup script ${sbcCleanupScript}; use ${sbc.cleanupScripts.join(' or ') || 'none'}.`,
      );
    }
  }
  if (Object.keys(errors).length) return { status: 400, json: JSON.stringify(validationProblem(errors)) };
  if (state.nameTaken(request.msTenantId, request.shortName)) {
    const tenant = request.msTenantId ? `tenant ${request.msTenantId}` : 'customers without a tenant';
    return fail(
      409,
      `A customer named ${request.shortName} already exists for ${tenant}. Choose another short name.`,
    );
  }
  if (!state.roomForCustomer()) return capReached('maxCustomers', state.limits, 'customers');
  const variables = SandboxState.variablesOf(request);
  if (state.variableBytes + variables.bytes > state.limits.maxVariableBytes)
    return capReached('maxVariableBytes', state.limits, 'bytes of customer variables');
  return ok(state.createEssentials(request, now, variables));
};

/**
 * The outcome is decided here, in one synchronous step, so concurrent conversions of one lead
 * cannot both win; the task reports it once taskDurationMs has passed.
 */
const createCustomerFromLead: Handler = ({ state, now, taskDurationMs: ms }, _params, body) => {
  const request = body as CreateCustomerFromLeadRequest;
  if (!state.roomForTask(now)) return tasksBusy(state.limits, ms);
  const lead = state.lead(request.msTenantId);
  if (!lead?.active) {
    return ok({ taskId: state.addTask(noLeadTask(randomUUID('wup_'), now, ms)).id });
  }
  const id = randomUUID('wst_');
  const nameErrors = leadNameErrors(request.customerShortName, request.customerFullName);
  if (nameErrors.length) return ok({ taskId: state.addTask(failedTask(id, now, ms, nameErrors)).id });
  if (lead.converted) return ok({ taskId: state.addTask(alreadyConvertedTask(id, now, ms)).id });
  if (!state.roomForCustomer()) return capReached('maxCustomers', state.limits, 'customers');

  const customer = state.addCustomer({
    id: randomUUID(),
    shortName: request.customerShortName,
    fullName: request.customerFullName ?? null,
    msTenantId: lead.msTenantId,
    siteLocationIds: [randomUUID()],
    sbcId: null,
    source: 'lead',
    ovocCustomerId: null,
    variables: Object.create(null) as Record<string, string>,
  });
  state.linkOvocCustomer(customer, now);
  lead.converted = true;
  lead.convertedCustomerGuid = customer.id;
  return ok({ taskId: state.addTask(convertedTask(id, now, ms, customer.shortName, customer.id)).id });
};

export const handlers: Record<string, Handler> = {
  getTask,
  verifyLcCustomer,
  importCustomerFromOvoc,
  createEssentialsCustomer,
  createCustomerFromLead,
};
