// task_lifecycle: a task that reached CompletedSuccess says InProgress again on the next poll.
import { specExample } from '../../../src/contract/index.js';
import { startConforming } from './conforming.js';

export const startTaskRegresses = () => {
  const terminalAt = new Map<string, number>();
  return startConforming({
    taskView: (view, task) => {
      if (view.status === 'InProgress') return view;
      const first = terminalAt.get(task.id) ?? task.polls;
      terminalAt.set(task.id, first);
      return task.polls > first ? { ...specExample<object>('TaskInProgress'), id: task.id } : view;
    },
  });
};
