import { randomUUID } from 'node:crypto';
import { specExample } from '../contract/index.js';
import type { CreateEssentialsCustomerRequest, EssentialsCustomer, OvocCustomer, Task } from '../types.js';
import { ovocTime, storedTask, workflowOf, type TaskRecord } from './tasks.js';

/** An Operator Connect lead of a Microsoft tenant; create-from-lead converts it once. */
export interface Lead {
  msTenantId: string;
  active: boolean;
  /** The customer the lead became, once converted. */
  convertedCustomerGuid: string | null;
  converted: boolean;
}

export interface Sbc {
  id: number;
  onboardingScripts: number[];
  cleanupScripts: number[];
}

/** A Live Platform customer: its `id` is the customerGuid of import and the umpCustomerGuid of a task. */
export interface Customer {
  id: string;
  shortName: string;
  fullName: string | null;
  msTenantId: string | null;
  siteLocationIds: string[];
  sbcId: number | null;
  source: 'fixture' | 'seed' | 'essentials' | 'lead';
  ovocCustomerId: number | null;
  /** Customer variables (`[CustomerVariableName]: value`) of an Essentials request. */
  variables: Record<string, string>;
}

/** A seed: entities that extend the fixtures (same key wins) or, with `replace: true`, stand alone. */
export interface SandboxSeed {
  replace?: boolean;
  leads?: { msTenantId: string; active?: boolean; converted?: boolean }[];
  sbcs?: Sbc[];
  customers?: {
    id: string;
    shortName: string;
    fullName?: string | null;
    msTenantId?: string | null;
    siteLocationIds?: string[];
    sbcId?: number | null;
    ovocCustomerId?: number | null;
  }[];
  ovocCustomers?: OvocCustomer[];
  tasks?: Task[];
}

const key = (tenant: string | null | undefined) => (tenant ?? '').toLowerCase();

export class SandboxState {
  readonly leads = new Map<string, Lead>();
  readonly sbcs = new Map<number, Sbc>();
  readonly customers = new Map<string, Customer>();
  readonly ovocCustomers = new Map<number, OvocCustomer>();
  readonly tasks = new Map<string, TaskRecord>();
  /** `<tenant>\n<short name, lower case>`: the uniqueness rule of Essentials customers. */
  private readonly names = new Set<string>();
  private nextImportTask = 185511;
  private nextOvocId = 85845;

  lead(msTenantId: string): Lead | undefined {
    return this.leads.get(key(msTenantId));
  }

  /** Adds (or renews) an active, unconverted lead for the tenant. */
  addLead(msTenantId: string, active = true, converted = false): Lead {
    const lead: Lead = { msTenantId: key(msTenantId), active, converted, convertedCustomerGuid: null };
    this.leads.set(lead.msTenantId, lead);
    return lead;
  }

  nameTaken(msTenantId: string | null | undefined, shortName: string): boolean {
    return this.names.has(`${key(msTenantId)}\n${shortName.toLowerCase()}`);
  }

  addCustomer(customer: Customer): Customer {
    this.customers.set(customer.id.toLowerCase(), customer);
    this.names.add(`${key(customer.msTenantId)}\n${customer.shortName.toLowerCase()}`);
    return customer;
  }

  customer(guid: string): Customer | undefined {
    return this.customers.get(guid.toLowerCase());
  }

  addOvocCustomer(customer: OvocCustomer): void {
    this.ovocCustomers.set(customer.id, customer);
    if (customer.id >= this.nextOvocId) this.nextOvocId = customer.id + 1;
  }

  /** Gives the customer its OVOC twin (a new id), as creation and import do; keeps an existing one. */
  linkOvocCustomer(customer: Customer, now: number): OvocCustomer {
    const existing =
      customer.ovocCustomerId === null ? undefined : this.ovocCustomers.get(customer.ovocCustomerId);
    if (existing) return existing;
    const id = this.nextOvocId++;
    const ovoc = specExample<OvocCustomer>('OvocCustomerBrad984');
    Object.assign(ovoc, {
      id,
      name: customer.shortName,
      description: customer.shortName,
      fullName: customer.fullName,
      definedAt: ovocTime(now),
      iamAccountId: randomUUID(),
      url: `/ovoc/v1/topology/lcCustomers/${id}`,
      msTenantId: customer.msTenantId,
      attachedServices: [],
      logoId: null,
      channelId: null,
    } satisfies Partial<OvocCustomer>);
    this.ovocCustomers.set(id, ovoc);
    customer.ovocCustomerId = id;
    return ovoc;
  }

  addTask(task: TaskRecord): TaskRecord {
    this.tasks.set(task.id, task);
    return task;
  }

  newImportTaskId(): string {
    return `tsk_${this.nextImportTask++}`;
  }

  /** Creates an Essentials customer; the caller has checked the name and the SBC. */
  createEssentials(body: CreateEssentialsCustomerRequest, now: number): EssentialsCustomer {
    const variables = Object.create(null) as Record<string, string>;
    const known = new Set([
      'shortName',
      'fullName',
      'siteLocation',
      'ovocCustomerType',
      'channelId',
      'msTenantId',
      'lcCustomerId',
      'scriptParameters',
    ]);
    for (const [k, v] of Object.entries(body)) if (!known.has(k) && typeof v === 'string') variables[k] = v;
    const customer = this.addCustomer({
      id: randomUUID(),
      shortName: body.shortName,
      fullName: body.fullName ?? null,
      msTenantId: body.msTenantId ? key(body.msTenantId) : null,
      siteLocationIds: [randomUUID()],
      sbcId: body.siteLocation.sbcId,
      source: 'essentials',
      ovocCustomerId: null,
      variables,
    });
    this.linkOvocCustomer(customer, now);
    const progress = [
      ...(body.msTenantId ? ['(Information, MsTenantid is valid)'] : []),
      '(Information, Customer data created!)',
      `(Information, SBC sbc-onboarding done for site ${body.shortName}.)`,
      '(Information, Site created in Ovoc)',
    ];
    const created = specExample<EssentialsCustomer>('EssentialsCustomerCreated');
    return {
      ...created,
      id: customer.id,
      customerId: customer.shortName,
      siteLocationIds: customer.siteLocationIds,
      progressDetails: progress.join(';'),
    };
  }

  /** A JSON-ready picture of everything, for GET /_sandbox/state. */
  snapshot(now: number) {
    return {
      leads: [...this.leads.values()],
      sbcs: [...this.sbcs.values()],
      customers: [...this.customers.values()],
      ovocCustomers: [...this.ovocCustomers.values()],
      tasks: [...this.tasks.values()].map((t) => ({
        id: t.id,
        workflow: t.workflow,
        status: now >= t.completesAt ? t.finalStatus : 'InProgress',
        details: now >= t.completesAt ? t.finalDetails : [],
        completesAt: Number.isFinite(t.completesAt) ? new Date(t.completesAt).toISOString() : null,
      })),
    };
  }
}

/** The entities of the vendor's examples, so that every example request works against the sandbox. */
export function fixtures(state: SandboxState): void {
  const essentialsRequest = specExample<CreateEssentialsCustomerRequest>('CreateEssentialsCustomerRequest');
  const essentials = specExample<EssentialsCustomer>('EssentialsCustomerCreated');
  const leadRequest = specExample<{ msTenantId: string }>('CreateCustomerFromLeadRequest');

  state.addLead(leadRequest.msTenantId);
  state.sbcs.set(essentialsRequest.siteLocation.sbcId, {
    id: essentialsRequest.siteLocation.sbcId,
    onboardingScripts: [essentialsRequest.siteLocation.sbcOnboardingScript],
    cleanupScripts: [essentialsRequest.siteLocation.sbcCleanupScript],
  });
  state.addCustomer({
    id: essentials.id,
    shortName: essentials.customerId,
    fullName: essentialsRequest.fullName ?? null,
    msTenantId: essentialsRequest.msTenantId ?? null,
    siteLocationIds: essentials.siteLocationIds,
    sbcId: essentialsRequest.siteLocation.sbcId,
    source: 'fixture',
    ovocCustomerId: null,
    variables: Object.create(null) as Record<string, string>,
  });
  state.addOvocCustomer(specExample<OvocCustomer>('OvocCustomerBrad984'));
  // Every task the vendor shows can be polled by its id; the in-progress one never finishes, which
  // is what a poller's timeout test needs.
  for (const name of [
    'TaskImportCompleted',
    'TaskConverted',
    'TaskFailedShortNameLength',
    'TaskFailedInvalidCharacters',
    'TaskValidationFailedNoLead',
    'TaskCustomerAlreadyConverted',
    'TaskInProgress',
  ]) {
    const body = specExample<Task>(name);
    state.addTask(storedTask(body, workflowOf(body.id)));
  }
}
