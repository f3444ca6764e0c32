import type { components } from '../generated/schema.js';

type Schemas = components['schemas'];
export type Task = Schemas['Task'];
export type TaskStatus = Schemas['TaskStatus'];
export type TaskStarted = Schemas['TaskStarted'];
export type ExecutionMessage = Schemas['ExecutionMessage'];
export type ProblemDetails = Schemas['ProblemDetails'];
export type ValidationProblemDetails = Schemas['ValidationProblemDetails'];
export type EssentialsCustomer = Schemas['EssentialsCustomer'];
export type OvocCustomer = Schemas['OvocCustomer'];
export type ImportCustomerRequest = Schemas['ImportCustomerRequest'];
export type CreateEssentialsCustomerRequest = Schemas['CreateEssentialsCustomerRequest'];
export type CreateCustomerFromLeadRequest = Schemas['CreateCustomerFromLeadRequest'];
export type TaskOutputData = Schemas['TaskOutputData'];
export type CustomerOutputData = Schemas['CustomerOutputData'];
export type NumberWorkflowOutputData = Schemas['NumberWorkflowOutputData'];

/**
 * A task as `await`ing a poller gives it while failures throw (the default): a task ends
 * `CompletedSuccess` or `CompletedFailed`, and the second became a TaskFailedError.
 */
export type SucceededTask = Omit<Task, 'status'> & { status: 'CompletedSuccess' };

/**
 * A lead conversion as `await lp.beginCreateCustomerFromLead(body)` gives it: it succeeded, and its
 * `outputData` is the create-from-lead workflow's, `{ umpCustomerGuid }`: the new customer's guid
 * when the lead was converted now, `null` when it had been converted before (`outcomeOf` says
 * `'already-converted'`). The no-lead shape (`wup_` tasks) comes only with `CompletedFailed`.
 */
export type LeadConversionTask = Omit<SucceededTask, 'outputData'> & { outputData: CustomerOutputData };
