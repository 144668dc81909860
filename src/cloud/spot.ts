// Spot facts from the AWS Spot Instance Advisor feed: savings versus on-demand and the
// interruption-frequency bucket, per region and instance type (Linux).
import { SPOT_ADVISOR_ROWS, type InterruptionFrequency } from './data/ec2-data.js';
import { onDemandPrice } from './instance-types.js';

export type { InterruptionFrequency } from './data/ec2-data.js';

export interface SpotAdvice {
  instanceType: string;
  region: string;
  /** Savings versus on-demand in percent. */
  savingsPct: number;
  interruptionFrequency: InterruptionFrequency;
  /** The advisor's bucket index: 0 "<5%" … 4 ">20%". */
  interruptionRank: number;
}

const BUCKETS: readonly InterruptionFrequency[] = ['<5%', '5-10%', '10-15%', '15-20%', '>20%'];
const BY_KEY = new Map(SPOT_ADVISOR_ROWS.map((r) => [`${r.region}/${r.instanceType}`, r]));

/** The advisor's entry for a type in a region; undefined when the data has none. */
export function spotAdvice(instanceType: string, region: string): SpotAdvice | undefined {
  const r = BY_KEY.get(`${region}/${instanceType}`);
  if (!r) return undefined;
  return { ...r, interruptionRank: BUCKETS.indexOf(r.interruptionFrequency) };
}

/**
 * An estimated spot price: on-demand × (1 − savings). Without advisor data the on-demand price
 * (Karpenter's default until it sees spot price history); undefined without an on-demand price.
 */
export function spotPriceEstimate(instanceType: string, region: string): number | undefined {
  const onDemand = onDemandPrice(instanceType, region);
  if (onDemand === undefined) return undefined;
  const advice = spotAdvice(instanceType, region);
  return advice ? onDemand * (1 - advice.savingsPct / 100) : onDemand;
}
