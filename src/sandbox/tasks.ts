import { specExample } from '../contract/index.js';
import type { Task } from '../types.js';

/** Which workflow made the task; it decides the task-id prefix and the body shapes. */
export type Workflow = 'lead' | 'number' | 'import';

/**
 * A task whose outcome was decided when it was queued. The final body is serialized up front and
 * the InProgress one is a per-workflow template around the id, so a poll is a map lookup, a clock
 * read and at most one concatenation, and a kept task costs one string.
 */
export interface TaskRecord {
  id: string;
  workflow: Workflow;
  createdAt: number;
  /** When it leaves InProgress (ms since epoch); Infinity for a task that never finishes. */
  completesAt: number;
  finalStatus: Task['status'];
  finalDetails: Task['details'];
  finalJson: string;
}

export function taskStatus(task: TaskRecord, now = Date.now()): Task['status'] {
  return now >= task.completesAt ? task.finalStatus : 'InProgress';
}

export function taskJson(task: TaskRecord, now = Date.now()): string {
  if (now >= task.completesAt) return task.finalJson;
  const [before, after] = inProgressTemplate(task.workflow);
  return before + JSON.stringify(task.id) + after;
}

/** .NET's DateTime text with 7 fractional digits and Z, as the number workflow writes it. */
export function vendorTicks(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$10000Z');
}

/** OVOC's timestamp, `2025-08-14T08:16:18.736+0000`. */
export function ovocTime(ms: number): string {
  return new Date(ms).toISOString().replace(/Z$/, '+0000');
}

const ID_MARK = '\u0000id';
const templates = new Map<Workflow, [string, string]>();

/** The InProgress body of a workflow as JSON, split where the id goes. */
function inProgressTemplate(workflow: Workflow): [string, string] {
  let template = templates.get(workflow);
  if (!template) {
    const body = specExample<Task>('TaskInProgress');
    body.id = ID_MARK;
    // Import's output is `{}` at the end, so it is `{}` all along.
    if (workflow === 'import') body.outputData = {};
    const json = JSON.stringify(body);
    const at = json.indexOf(JSON.stringify(ID_MARK));
    template = [json.slice(0, at), json.slice(at + JSON.stringify(ID_MARK).length)];
    templates.set(workflow, template);
  }
  return template;
}

function record(
  id: string,
  workflow: Workflow,
  createdAt: number,
  completesAt: number,
  final: Task,
): TaskRecord {
  return {
    id,
    workflow,
    createdAt,
    completesAt,
    finalStatus: final.status,
    finalDetails: final.details,
    finalJson: JSON.stringify(final),
  };
}

/** A task from a stored body (a fixture or a seed): already complete, or InProgress forever. */
export function storedTask(body: Task, workflow: Workflow): TaskRecord {
  const done = body.status !== 'InProgress';
  return record(body.id, workflow, 0, done ? 0 : Infinity, body);
}

export function workflowOf(id: string): Workflow {
  return id.startsWith('tsk_') ? 'import' : id.startsWith('wup_') ? 'number' : 'lead';
}

/**
 * A task that ends `ms` after `now` as the contract's example `example` says, with this id and what
 * `edit` changes: every outcome the sandbox decides is one of the vendor's documented bodies.
 */
function exampleTask(
  example: string,
  workflow: Workflow,
  id: string,
  now: number,
  ms: number,
  edit?: (body: Task) => void,
): TaskRecord {
  const body = specExample<Task>(example);
  body.id = id;
  edit?.(body);
  return record(id, workflow, now, now + ms, body);
}

export function convertedTask(
  id: string,
  now: number,
  ms: number,
  shortName: string,
  guid: string,
): TaskRecord {
  return exampleTask('TaskConverted', 'lead', id, now, ms, (body) => {
    body.executionMessages = [
      { level: 'Information', message: `SBC sbc-onboarding done for site ${shortName}.` },
      { level: 'Information', message: 'Site created in Ovoc' },
    ];
    body.outputData = { umpCustomerGuid: guid };
  });
}

export function failedTask(id: string, now: number, ms: number, messages: string[]): TaskRecord {
  return exampleTask('TaskFailedShortNameLength', 'lead', id, now, ms, (body) => {
    body.executionMessages = messages.map((message) => ({ level: 'Error', message }));
  });
}

export function noLeadTask(id: string, now: number, ms: number): TaskRecord {
  return exampleTask('TaskValidationFailedNoLead', 'number', id, now, ms, (body) => {
    const output = body.outputData as { ocUploadNumberResult: string; workflowVersion: number };
    body.outputData = { ...output, createTime: vendorTicks(now), completeTime: vendorTicks(now + ms) };
  });
}

export const alreadyConvertedTask = (id: string, now: number, ms: number): TaskRecord =>
  exampleTask('TaskCustomerAlreadyConverted', 'lead', id, now, ms);

export const importTask = (id: string, now: number, ms: number): TaskRecord =>
  exampleTask('TaskImportCompleted', 'import', id, now, ms);

/** The vendor's name rules for create-from-lead, checked by the task (the request accepts any). */
export function leadNameErrors(shortName: string, fullName: string | undefined): string[] {
  const errors: string[] = [];
  if ([...shortName].length < 3 || [...shortName].length > 15) {
    errors.push("'Customer Short Name' must be between 3 and 15 characters.");
  }
  if (!/^[A-Za-z0-9_]*$/.test(shortName)) {
    errors.push(
      "Customer Short Name contains invalid characters. Allowed characters: letters, numbers and '_'.",
    );
  }
  if (fullName !== undefined && !/^[A-Za-z0-9_' ]*$/.test(fullName)) {
    errors.push(
      "Customer Full Name contains invalid characters. Allowed characters: letters, numbers, _, ' and space.",
    );
  }
  return errors;
}

/**
 * A conversion whose short name another customer of the tenant already has (an Essentials customer
 * or an earlier conversion), in the words of the task's other name errors.
 */
export const shortNameTakenError = (shortName: string) =>
  `'Customer Short Name' must be unique per M365 Tenant: ${shortName} is already in use.`;
