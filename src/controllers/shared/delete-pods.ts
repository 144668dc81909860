// Deleting a controller's pods under its expectations (controller.PodControl.DeletePod as the
// DaemonSet and Job controllers use it).
import { isNotFound } from '../../client/errors.js';
import { keyOf, name, namespace, uid } from '../../client/objects.js';
import type { Obj, ResourceClient } from '../../client/types.js';
import type { EventRecorder } from '../events/recorder.js';
import type { Expectations } from './expectations.js';

/**
 * Deletes `pods` (each only if its uid still matches) for the owner queued as `key`, expecting the
 * deletions first. Each deletion is recorded on `owner` (type meta set) as a SuccessfulDelete Event;
 * a failed one is observed at once, since the informer will not report it, and all but NotFound
 * are thrown.
 */
export async function deletePodsExpected(
  c: { expectations: Expectations; pods: ResourceClient; events: EventRecorder },
  key: string,
  owner: Obj,
  pods: Obj[],
): Promise<void> {
  c.expectations.expectDeletions(key, pods.map(keyOf));
  await Promise.all(
    pods.map((p) =>
      c.pods.delete(namespace(p), name(p), { preconditions: { uid: uid(p) } }).then(
        () => c.events.event(owner, 'Normal', 'SuccessfulDelete', `Deleted pod: ${name(p)}`),
        (e) => {
          c.expectations.deletionObserved(key, keyOf(p));
          if (!isNotFound(e)) throw e;
        },
      ),
    ),
  );
}
