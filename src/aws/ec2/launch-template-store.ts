// The regions' launch templates, kept in the AWS state store (kind 'launchtemplate', one object per
// template with all its versions, keyed region/id) so templates and their IDs survive restarts.
import { LaunchTemplates, type LaunchTemplate } from '../../cloud/index.js';
import type { AwsStateStore } from '../state.js';

interface Stored {
  region: string;
  template: LaunchTemplate;
}

export class LaunchTemplateStore {
  private readonly byRegion = new Map<string, LaunchTemplates>();
  /** Per template, the last write queued: writes of one template run in order. */
  private readonly writes = new Map<string, Promise<void>>();

  private constructor(private readonly state: AwsStateStore) {}

  /** Loads every stored template of the given regions. */
  static async open(state: AwsStateStore, regions: string[]): Promise<LaunchTemplateStore> {
    const store = new LaunchTemplateStore(state);
    for (const r of regions) store.byRegion.set(r, new LaunchTemplates(r));
    const stored = await state.list<Stored>('launchtemplate');
    // Oldest first, so the list keeps creation order.
    stored.sort((a, b) => a.template.createTime - b.template.createTime);
    for (const s of stored) store.byRegion.get(s.region)?.restore(s.template);
    return store;
  }

  /** The launch templates of an opened region. */
  model(region: string): LaunchTemplates {
    const m = this.byRegion.get(region);
    if (!m) throw new Error(`the launch templates of region ${region} are not loaded`);
    return m;
  }

  private queue(key: string, write: () => Promise<unknown>): Promise<void> {
    const next = (this.writes.get(key) ?? Promise.resolve()).catch(() => undefined).then(async () => {
      await write();
    });
    this.writes.set(key, next);
    return next;
  }

  /** Stores a template as it is now, or removes it when it no longer exists. */
  save(region: string, id: string): Promise<void> {
    const key = `${region}/${id}`;
    const model = this.model(region);
    if (!model.has(id)) return this.queue(key, () => this.state.delete('launchtemplate', key));
    const template = model.get({ id });
    return this.queue(key, () => this.state.put('launchtemplate', key, { region, template } satisfies Stored));
  }
}
