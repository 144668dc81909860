// PrioritySort: higher spec.priority first, then the earlier queue timestamp (queuesort/priority_sort.go).
import type { AnyPlugin, QueuedPodInfo } from '../../framework/interfaces.js';

export const NAME = 'PrioritySort';

export function newPrioritySort(): AnyPlugin {
  return {
    name: NAME,
    less(a: QueuedPodInfo, b: QueuedPodInfo): boolean {
      const pa = a.pod.priority;
      const pb = b.pod.priority;
      return pa > pb || (pa === pb && a.timestamp < b.timestamp);
    },
  };
}
