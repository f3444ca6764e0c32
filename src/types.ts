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
