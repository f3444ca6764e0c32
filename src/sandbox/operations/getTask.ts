import { quote } from '../../internal/excerpt.js';
import { problemReply } from '../../internal/problems.js';
import { taskJson } from '../tasks.js';
import type { Handler } from './handler.js';

export const getTask: Handler = ({ state, now }, params) => {
  const id = params.taskId as string;
  const task = state.tasks.get(id);
  if (!task) {
    return problemReply(
      404,
      `No task with id ${quote(id)}. Use the id the queuing operation returned; a sandbox reset forgets its tasks.`,
    );
  }
  return { status: 200, json: taskJson(task, now) };
};
