// The regions' VPC models, kept in the AWS state store (kind 'vpc', one object per region) so
// VPC and subnet IDs stay the same across restarts. A region is loaded, or created with its
// default VPC and stored, before it is served; save() stores a model after it changed.
import { VpcModel } from '../../cloud/index.js';
import type { AwsStateStore } from '../state.js';

export class VpcModels {
  private readonly byRegion = new Map<string, VpcModel>();
  /** Per region, the last store write queued: writes run one after another, each storing the model as it is then. */
  private readonly writes = new Map<string, Promise<void>>();
  private readonly pending = new Map<string, ReturnType<typeof setTimeout>>();

  private constructor(private readonly state: AwsStateStore) {}

  /** Loads (or creates and stores) the model of each region. */
  static async open(state: AwsStateStore, regions: string[]): Promise<VpcModels> {
    const models = new VpcModels(state);
    for (const region of regions) await models.load(region);
    return models;
  }

  private async load(region: string): Promise<VpcModel> {
    const known = this.byRegion.get(region);
    if (known) return known;
    const stored = await this.state.get<unknown>('vpc', region);
    const model = stored === undefined ? VpcModel.create(region) : VpcModel.fromJSON(stored);
    if (stored === undefined) await this.state.put('vpc', region, model.toJSON({ podIps: false }));
    this.byRegion.set(region, model);
    return model;
  }

  regions(): string[] {
    return [...this.byRegion.keys()];
  }

  /** The model of an opened region; throws for a region not opened. */
  model(region: string): VpcModel {
    const model = this.byRegion.get(region);
    if (!model) throw new Error(`the VPC model of region ${region} is not loaded`);
    return model;
  }

  /** Stores the region's model as it is now (after any write already queued). */
  save(region: string): Promise<void> {
    const model = this.model(region);
    const timer = this.pending.get(region);
    if (timer) clearTimeout(timer);
    this.pending.delete(region);
    const prev = this.writes.get(region) ?? Promise.resolve();
    // Pod IPs are not stored: after a restart the simulated VPC CNI takes them back from the pods
    // (VpcModel.claimPodIp), so the stored object grows with ENIs, not with pods.
    const next = prev.catch(() => undefined).then(() => this.state.put('vpc', region, model.toJSON({ podIps: false })));
    this.writes.set(region, next);
    return next;
  }

  /**
   * Stores the region's model within `delayMs`, once for any number of changes in that time (pod IP
   * assignments change it many times a second). Failures are reported to onError.
   */
  saveSoon(region: string, delayMs = 500, onError: (err: unknown) => void = (err) => console.error('vpc model: save failed:', err)): void {
    if (this.pending.has(region)) return;
    const timer = setTimeout(() => {
      this.pending.delete(region);
      this.save(region).catch(onError);
    }, delayMs);
    timer.unref?.();
    this.pending.set(region, timer);
  }

  /** Writes every pending change now (shutdown). */
  async flush(): Promise<void> {
    const regions = [...this.pending.keys()];
    await Promise.all(regions.map((r) => this.save(r)));
    await Promise.all([...this.writes.values()].map((w) => w.catch(() => undefined)));
  }
}
