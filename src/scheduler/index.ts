// The scheduler: the loop (Scheduler), the pure scheduling cycle (scheduleOne), the framework and
// the in-tree plugin registry.
export { Scheduler } from './scheduler.js';
export type { SchedulerOptions } from './scheduler.js';
export { scheduleOne, selectHost, NO_NODES_AVAILABLE } from './schedule-one.js';
export type { ScheduleOutcome } from './schedule-one.js';
export { SchedulingQueue, INITIAL_BACKOFF_MS, MAX_BACKOFF_MS, MAX_UNSCHEDULABLE_MS } from './queue.js';
export { IN_TREE_PLUGINS, defaultPlugins } from './registry.js';
export { SCHEDULER_NAME } from './events.js';
export { Framework } from './framework/framework.js';
export type { FrameworkOptions, PluginConfig } from './framework/framework.js';
export { Snapshot } from './framework/snapshot.js';
export { NodeInfo } from './framework/node-info.js';
export { PodInfo, podInfoOf } from './framework/pod-info.js';
export { Status, Code } from './framework/status.js';
export { FitError, fitErrorMessage } from './framework/fit-error.js';
export { numFeasibleNodesToFind } from './framework/percentage.js';
export type * from './framework/interfaces.js';
