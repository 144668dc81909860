// The regions' VPC models, kept in the AWS state store (kind 'vpc', one object per region) so
// VPC and subnet IDs stay the same across restarts. A region is loaded, or created with its
// default VPC and stored, before it is served; save() stores a model after it changed.
import { VpcModel } from '../../cloud/index.js';
import type { AwsStateStore } from '../state.js';

export class VpcModels {
  private readonly byRegion = new Map<string, VpcModel>();

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
    if (stored === undefined) await this.state.put('vpc', region, model.toJSON());
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

  /** Stores the region's model as it is now. */
  async save(region: string): Promise<void> {
    await this.state.put('vpc', region, this.model(region).toJSON());
  }
}
