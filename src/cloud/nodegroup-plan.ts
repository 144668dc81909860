// The Auto Scaling side of an EKS managed node group as plain decisions: where new instances go
// (Availability Zone balance), which instances a scale-in terminates (the default termination
// policy), which instance type a launch takes, and how many nodes a version update launches and
// replaces at once (EKS "managed node update behavior").

export interface SubnetChoice {
  subnetId: string;
  zone: string;
}

/** An instance of the group as the planner sees it. */
export interface GroupInstance {
  instanceId: string;
  subnetId: string;
  zone: string;
  launchedAt: number;
  /** Launched from the group's current configuration (release, instance types). */
  current: boolean;
}

/**
 * Subnets for `count` new instances. An Auto Scaling group keeps its zones balanced: each launch
 * goes to the zone with the fewest instances (ties in the order the subnets were given), and within
 * a zone to its subnet with the fewest.
 */
export function placeInstances(existing: Pick<GroupInstance, 'subnetId' | 'zone'>[], subnets: SubnetChoice[], count: number): SubnetChoice[] {
  const zones = [...new Set(subnets.map((s) => s.zone))];
  const perZone = new Map(zones.map((z) => [z, 0]));
  const perSubnet = new Map(subnets.map((s) => [s.subnetId, 0]));
  for (const i of existing) {
    if (perZone.has(i.zone)) perZone.set(i.zone, perZone.get(i.zone)! + 1);
    if (perSubnet.has(i.subnetId)) perSubnet.set(i.subnetId, perSubnet.get(i.subnetId)! + 1);
  }
  const out: SubnetChoice[] = [];
  for (let n = 0; n < count; n++) {
    let zone = zones[0];
    for (const z of zones) if (perZone.get(z)! < perZone.get(zone)!) zone = z;
    const inZone = subnets.filter((s) => s.zone === zone);
    let pick = inZone[0];
    for (const s of inZone) if (perSubnet.get(s.subnetId)! < perSubnet.get(pick.subnetId)!) pick = s;
    out.push(pick);
    perZone.set(zone, perZone.get(zone)! + 1);
    perSubnet.set(pick.subnetId, perSubnet.get(pick.subnetId)! + 1);
  }
  return out;
}

/**
 * The instances a scale-in terminates, by the Auto Scaling default termination policy: from the
 * zone with the most instances; there, instances of an old configuration first, then the oldest.
 */
export function pickTerminations(instances: GroupInstance[], count: number): string[] {
  const left = [...instances];
  const out: string[] = [];
  while (out.length < count && left.length) {
    const perZone = new Map<string, number>();
    for (const i of left) perZone.set(i.zone, (perZone.get(i.zone) ?? 0) + 1);
    const most = Math.max(...perZone.values());
    const candidates = left.filter((i) => perZone.get(i.zone) === most);
    candidates.sort((a, b) => Number(a.current) - Number(b.current) || a.launchedAt - b.launchedAt || (a.instanceId < b.instanceId ? -1 : 1));
    const victim = candidates[0];
    out.push(victim.instanceId);
    left.splice(left.indexOf(victim), 1);
  }
  return out;
}

/**
 * The instance type of the n-th launch. On-Demand groups use the prioritized strategy (the first
 * type while it has capacity, and capacity is never short here); Spot groups spread over every
 * type (capacity-optimized pools, one per type).
 */
export function instanceTypeForLaunch(types: string[], capacityType: string, n: number): string {
  return capacityType === 'SPOT' ? types[n % types.length] : types[0];
}

/** Nodes updated in parallel: updateConfig's maxUnavailable, or its percentage of the desired size (at least 1); default 1. */
export function maxUnavailableOf(cfg: { maxUnavailable?: number; maxUnavailablePercentage?: number }, desired: number): number {
  if (cfg.maxUnavailable !== undefined) return cfg.maxUnavailable;
  if (cfg.maxUnavailablePercentage !== undefined) return Math.max(1, Math.floor((desired * cfg.maxUnavailablePercentage) / 100));
  return 1;
}

/**
 * New nodes the scale-up phase launches: one in every zone that has nodes to upgrade (EKS launches
 * upgraded nodes in the zones of the old ones), or maxUnavailable when that is larger.
 */
export function surgeOf(zonesWithOldNodes: number, maxUnavailable: number): number {
  return Math.max(zonesWithOldNodes, maxUnavailable);
}

/** EKS API taint effects as Kubernetes spells them. */
export function kubernetesTaintEffect(effect: string): 'NoSchedule' | 'NoExecute' | 'PreferNoSchedule' {
  switch (effect) {
    case 'NO_EXECUTE':
      return 'NoExecute';
    case 'PREFER_NO_SCHEDULE':
      return 'PreferNoSchedule';
    default:
      return 'NoSchedule';
  }
}

export const NODEGROUP_LABEL = 'eks.amazonaws.com/nodegroup';
export const NODEGROUP_IMAGE_LABEL = 'eks.amazonaws.com/nodegroup-image';
export const CAPACITY_TYPE_LABEL = 'eks.amazonaws.com/capacityType';

/** The labels EKS puts on a managed node (with the group's own labels). */
export function managedNodeLabels(group: { nodegroupName: string; capacityType: string; labels: Record<string, string> }, amiId: string): Record<string, string> {
  return {
    ...group.labels,
    [NODEGROUP_LABEL]: group.nodegroupName,
    [NODEGROUP_IMAGE_LABEL]: amiId,
    [CAPACITY_TYPE_LABEL]: group.capacityType,
  };
}
