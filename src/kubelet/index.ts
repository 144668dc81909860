// The simulated kubelet: nodes with heartbeats, pod lifecycle stages as data, usage and logs.
export { NodeSimulator, DEFAULT_REGION } from './simulator.js';
export type { NodeSimulatorOptions, AddNodesOptions } from './simulator.js';
export { SimulatedNode, LEASE_NAMESPACE, LEASE_DURATION_SECONDS, LEASE_RENEW_INTERVAL_MS, NODE_STATUS_REPORT_FREQUENCY_MS } from './simulated-node.js';
export type { HeartbeatOptions } from './simulated-node.js';
export { UsageSource, METRICS_API_VERSION, METRICS_WINDOW } from './usage.js';
export { logsFor } from './logs.js';
export type { LogOptions } from './logs.js';
export { DEFAULT_POD_STAGES, restartBackoffMs } from './default-stages.js';
export { planStage } from './stages.js';
export type { Stage, StageContext, StageDelay, StageResult } from './stages.js';
export { ANNOTATIONS } from './behaviour.js';
export { nodeResources, kubeArch, requireInstanceType, DEFAULT_INSTANCE_TYPE } from './node-resources.js';
export type { NodeResources, NodeResourceOptions } from './node-resources.js';
export { TimerWheel } from './timer-wheel.js';
