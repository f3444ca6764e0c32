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

export const taskStatus = (task: TaskRecord, now: number): Task['status'] =>
  now >= task.completesAt ? task.finalStatus : 'InProgress';

export function taskJson(task: TaskRecord, now: number): string {
  if (now >= task.completesAt) return task.finalJson;
  const [before, after] = inProgressTemplate(task.workflow);
  return before + JSON.stringify(task.id) + after;
}

/** OVOC's timestamp, `2025-08-14T08:16:18.736+0000`. */
export const ovocTime = (ms: number) => new Date(ms).toISOString().replace(/Z$/, '+0000');

const ID_MARK = '\u0000id';
const templates = new Map<Workflow, string[]>();

/** The InProgress body of a workflow as JSON, split where the id goes. */
function inProgressTemplate(workflow: Workflow): string[] {
  let template = templates.get(workflow);
  if (!template) {
    const body = { ...specExample<Task>('TaskInProgress'), id: ID_MARK };
    // Import's output is `{}` at the end, so it is `{}` all along.
    if (workflow === 'import') body.outputData = {};
    template = JSON.stringify(body).split(JSON.stringify(ID_MARK));
    templates.set(workflow, template);
  }
  return template;
}

export const workflowOf = (id: string): Workflow =>
  id.startsWith('tsk_') ? 'import' : id.startsWith('wup_') ? 'number' : 'lead';

/** A task that reports `body` from `completesAt` on (Infinity: never); its id names its workflow. */
function taskRecord(body: Task, createdAt: number, completesAt: number): TaskRecord {
  const { id, status: finalStatus, details: finalDetails } = body;
  return {
    id,
    workflow: workflowOf(id),
    createdAt,
    completesAt,
    finalStatus,
    finalDetails,
    finalJson: JSON.stringify(body),
  };
}

/** A task from a stored body (a fixture or a seed): already complete, or InProgress forever. */
export const storedTask = (body: Task): TaskRecord =>
  taskRecord(body, 0, body.status === 'InProgress' ? Infinity : 0);

/**
 * A task with this id that ends `ms` after `now` as the contract's example `example` says, with
 * the members `edit` gives it: every outcome the sandbox decides is one of the vendor's bodies.
 */
export function exampleTask(
  example: string,
  id: string,
  now: number,
  ms: number,
  edit: (body: Task) => Partial<Task> = () => ({}),
): TaskRecord {
  const body = specExample<Task>(example);
  return taskRecord({ ...body, ...edit(body), id }, now, now + ms);
}
