/** Entry point of a CPU pool thread (see cpu-pool.ts): runs one named task. */
import { CPU_TASKS, type CpuTaskName } from './cpu-tasks.js';

export default function run({ name, input }: { name: CpuTaskName; input: never }) {
  return CPU_TASKS[name](input);
}
