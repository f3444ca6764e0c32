import { newUuid } from './ids.js';
import { loadSpec, specExample } from '../contract/index.js';
import type { CreateEssentialsCustomerRequest, EssentialsCustomer, OvocCustomer, Task } from '../types.js';
import { DEFAULT_STATE_LIMITS, type StateLimits } from './limits.js';
import { ovocTime, taskStatus, type TaskRecord } from './tasks.js';
import { clip } from '../internal/excerpt.js';

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
  /** Their size in UTF-8 bytes (names and values), counted against maxVariableBytes. */
  variableBytes: number;
}

/** A customer to add: what is left out takes its default (no tenant, no sites, no SBC, no variables). */
export type NewCustomer = Pick<Customer, 'id' | 'shortName'> &
  Partial<Pick<Customer, 'fullName' | 'msTenantId' | 'siteLocationIds' | 'sbcId' | 'ovocCustomerId'>>;

/** A seed: entities that extend the fixtures (same key wins) or, with `replace: true`, stand alone. */
export interface SandboxSeed {
  replace?: boolean;
  leads?: (Pick<Lead, 'msTenantId'> & Partial<Pick<Lead, 'active' | 'converted'>>)[];
  sbcs?: Sbc[];
  customers?: NewCustomer[];
  ovocCustomers?: OvocCustomer[];
  tasks?: Task[];
}

/** Tenants are told apart without regard to letter case (a uuid in either case is one tenant). */
const key = (tenant: string | null | undefined) => (tenant ?? '').toLowerCase();

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

let template: OvocCustomer | undefined;
/** The vendor's OVOC customer, frozen: the base of every OVOC customer the sandbox creates. */
const ovocTemplate = () => (template ??= deepFreeze(specExample<OvocCustomer>('OvocCustomerBrad984')));

/** How many run-time tasks eviction looks at for a finished one before it calls them busy (O(1)). */
const EVICTION_SCAN = 1_000;
/** In GET /_sandbox/state, how much of each customer variable is shown (the state stays small). */
const SHOWN_VARIABLES = 20;
const SHOWN_VARIABLE_CHARS = 200;

/** One page of a map's values, in insertion order (oldest first). */
function page<T>(map: Map<unknown, T>, offset: number, limit: number): T[] {
  const out: T[] = [];
  let i = 0;
  if (offset >= map.size) return out;
  for (const v of map.values()) {
    if (out.length === limit) break;
    if (i++ >= offset) out.push(v);
  }
  return out;
}

const cut = (text: string) => clip(text, SHOWN_VARIABLE_CHARS);

/** A customer as the state shows it: variables shortened, with their full count and size. */
export function customerView(c: Customer) {
  const names = Object.keys(c.variables);
  const variables = Object.create(null) as Record<string, string>;
  for (const name of names.slice(0, SHOWN_VARIABLES)) variables[cut(name)] = cut(c.variables[name]!);
  return { ...c, variables, variableCount: names.length };
}

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
  /** Bytes of customer variables kept (see StateLimits.maxVariableBytes). */
  variableBytes = 0;

  constructor(readonly limits: StateLimits = DEFAULT_STATE_LIMITS) {}

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

  addCustomer(given: NewCustomer & Pick<Customer, 'source'> & Partial<Customer>): Customer {
    const customer: Customer = {
      id: given.id.toLowerCase(),
      shortName: given.shortName,
      fullName: given.fullName ?? null,
      msTenantId: given.msTenantId ? key(given.msTenantId) : null,
      siteLocationIds: given.siteLocationIds ?? [],
      sbcId: given.sbcId ?? null,
      source: given.source,
      ovocCustomerId: given.ovocCustomerId ?? null,
      variables: given.variables ?? (Object.create(null) as Record<string, string>),
      variableBytes: given.variableBytes ?? 0,
    };
    this.customers.set(customer.id, customer);
    this.names.add(`${customer.msTenantId ?? ''}\n${customer.shortName.toLowerCase()}`);
    return customer;
  }

  customer(guid: string): Customer | undefined {
    return this.customers.get(guid.toLowerCase());
  }

  addOvocCustomer(customer: OvocCustomer): void {
    this.ovocCustomers.set(customer.id, customer);
    // New ids count on above the seeded ones, unless that would leave the safe integers (a seeded
    // 2^53-1): then the counter stays put and skips the ids in use, so no two customers share one.
    if (customer.id >= this.nextOvocId && Number.isSafeInteger(customer.id + 1))
      this.nextOvocId = customer.id + 1;
  }

  private newOvocId(): number {
    let id = this.nextOvocId;
    while (this.ovocCustomers.has(id)) id++;
    this.nextOvocId = id + 1;
    return id;
  }

  /** Makes room for a task: at the cap the oldest finished run-time task goes; false if none has finished. */
  roomForTask(now: number): boolean {
    if (this.tasks.size < this.limits.maxTasks) return true;
    let scanned = 0;
    for (const task of this.tasks.values()) {
      // Stored tasks (createdAt 0) come first and stay; counting them would let a seed of a
      // thousand tasks hide every finished run-time task and answer 429 for ever.
      if (task.createdAt === 0) continue;
      if (scanned++ >= EVICTION_SCAN) break;
      if (taskStatus(task, now) !== 'InProgress') {
        this.tasks.delete(task.id);
        return true;
      }
    }
    return false;
  }

  /** Whether a customer (and its OVOC twin) can be added under the cap. */
  roomForCustomer(): boolean {
    return this.customers.size < this.limits.maxCustomers;
  }

  /** Whether a new lead can be added under the cap (renewing an existing one always can). */
  roomForLead(msTenantId: string): boolean {
    return this.leads.size < this.limits.maxLeads || this.leads.has(key(msTenantId));
  }

  /** Gives the customer its OVOC twin (a new id), as creation and import do; keeps an existing one. */
  linkOvocCustomer(customer: Customer, now: number): OvocCustomer {
    const existing =
      customer.ovocCustomerId === null ? undefined : this.ovocCustomers.get(customer.ovocCustomerId);
    if (existing) return existing;
    const id = this.newOvocId();
    // A shallow copy: the nested parts (services, applicationsStatus, contacts) never change, so
    // every OVOC customer shares the template's frozen ones (about 1 KB less each).
    const ovoc: OvocCustomer = {
      ...ovocTemplate(),
      id,
      name: customer.shortName,
      description: customer.shortName,
      fullName: customer.fullName,
      definedAt: ovocTime(now),
      iamAccountId: newUuid(),
      url: `/ovoc/v1/topology/lcCustomers/${id}`,
      msTenantId: customer.msTenantId,
      attachedServices: [],
      logoId: null,
      channelId: null,
    };
    this.ovocCustomers.set(id, ovoc);
    customer.ovocCustomerId = id;
    return ovoc;
  }

  addTask(task: TaskRecord): TaskRecord {
    this.tasks.set(task.id, task);
    // A seeded tsk_<n> moves the import counter past it (while it stays a safe integer).
    const n = /^tsk_([0-9]{1,16})$/.exec(task.id)?.[1];
    if (n !== undefined && Number(n) >= this.nextImportTask && Number.isSafeInteger(Number(n) + 1))
      this.nextImportTask = Number(n) + 1;
    return task;
  }

  /** The next import task id; skips any id a seed already holds. */
  newImportTaskId(): string {
    let id: string;
    do id = `tsk_${this.nextImportTask++}`;
    while (this.tasks.has(id));
    return id;
  }

  /** How many of each entity the state holds, for GET /_sandbox/state. */
  counts() {
    return {
      leads: this.leads.size,
      sbcs: this.sbcs.size,
      customers: this.customers.size,
      ovocCustomers: this.ovocCustomers.size,
      tasks: this.tasks.size,
      variableBytes: this.variableBytes,
    };
  }

  /** A page of every list for GET /_sandbox/state, oldest first: small and quick however large the state. */
  snapshot(now: number, offset: number, limit: number) {
    return {
      leads: page(this.leads, offset, limit),
      sbcs: page(this.sbcs, offset, limit),
      customers: page(this.customers, offset, limit).map(customerView),
      ovocCustomers: page(this.ovocCustomers, offset, limit),
      tasks: page(this.tasks, offset, limit).map((t) => ({
        id: t.id,
        workflow: t.workflow,
        status: taskStatus(t, now),
        details: now >= t.completesAt ? t.finalDetails : [],
        completesAt: Number.isFinite(t.completesAt) ? new Date(t.completesAt).toISOString() : null,
      })),
    };
  }
}

/** The entities of the vendor's examples as a seed, so that every example request works against the sandbox. */
export function fixtureSeed(): SandboxSeed {
  const request = specExample<CreateEssentialsCustomerRequest>('CreateEssentialsCustomerRequest');
  const essentials = specExample<EssentialsCustomer>('EssentialsCustomerCreated');
  const { sbcId, sbcOnboardingScript, sbcCleanupScript } = request.siteLocation;
  const customer = {
    id: essentials.id,
    shortName: essentials.customerId,
    fullName: request.fullName ?? null,
    msTenantId: request.msTenantId ?? null,
    siteLocationIds: essentials.siteLocationIds,
    sbcId,
  };
  return {
    leads: [{ msTenantId: specExample<{ msTenantId: string }>('CreateCustomerFromLeadRequest').msTenantId }],
    sbcs: [{ id: sbcId, onboardingScripts: [sbcOnboardingScript], cleanupScripts: [sbcCleanupScript] }],
    customers: [customer],
    ovocCustomers: [specExample<OvocCustomer>('OvocCustomerBrad984')],
    // Every task the vendor shows can be polled by its id; the in-progress one never finishes, which
    // is what a poller's timeout test needs.
    tasks: Object.keys(loadSpec().components.examples)
      .filter((name) => name.startsWith('Task'))
      .map((name) => specExample<Task>(name)),
  };
}
