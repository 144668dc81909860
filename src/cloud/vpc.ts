// A region's VPCs, subnets, security groups and ENIs, with per-subnet address management and the
// VPC CNI's per-node ENI/IP assignment.
//
// The region starts with one VPC shaped as eksctl creates for a cluster: 192.168.0.0/16 with a
// public and a private /19 in each of three zones (public 192.168.0.0/19, .32.0/19, .64.0/19;
// private .96.0/19, .128.0/19, .160.0/19), tagged kubernetes.io/role/elb and
// kubernetes.io/role/internal-elb as eksctl tags them. Kumo reports it as the region's default
// VPC, because clusters created without a VPC configuration land in it; AWS's own default VPC
// (172.31.0.0/16, public /20s only) has no private subnets, which Fargate profiles require.
import { createHash } from 'node:crypto';
import { Ec2ModelError } from './errors.js';
import { instanceType } from './instance-types.js';
import { cidrContains, cidrContainsIp, cidrsOverlap, formatCidr, formatIpv4, parseCidr, parseIpv4, type Cidr } from './ipv4.js';
import { SubnetPool, type SubnetPoolState } from './subnet-pool.js';
import type {
  AvailabilityZone, NetworkInterface, NodeNetwork, PodIpResult, SecurityGroup, SecurityGroupRule, Subnet, Tags, Vpc,
} from './vpc-types.js';

export const DEFAULT_VPC_CIDR = '192.168.0.0/16';
export const ZONES_PER_REGION = 3;
/** The aws-cni plugin's failure text when ipamd has no address for a pod. */
export const CNI_NO_IP_MESSAGE = 'add cmd: failed to assign an IP address to container';
const PREFIX_ADDRESSES = 16;

type StoredSubnet = Omit<Subnet, 'availableIpAddressCount'>;

export interface VpcModelState {
  version: 1;
  region: string;
  nextId: number;
  vpcs: Vpc[];
  subnets: (StoredSubnet & { pool: SubnetPoolState })[];
  securityGroups: SecurityGroup[];
  networkInterfaces: NetworkInterface[];
  nodes: NodeNetwork[];
}

export interface AttachNodeOptions {
  instanceType: string;
  subnetId: string;
  /** vpc-cni ENABLE_PREFIX_DELEGATION (ignored on non-Nitro types, as the CNI falls back). */
  prefixDelegation?: boolean;
  securityGroupIds?: string[];
}

/** "us-east-1" → "use1", "ap-northeast-1" → "apne1": the prefix of AWS zone IDs. */
function regionCode(region: string): string {
  const m = /^([a-z]+)-([a-z]+)-(\d+)$/.exec(region);
  if (!m) return region.replace(/[^a-z0-9]/g, '');
  const dir = m[2].replace('north', 'n').replace('south', 's').replace('east', 'e').replace('west', 'w').replace('central', 'c');
  return `${m[1]}${dir}${m[3]}`;
}

const clone = <T>(v: T): T => structuredClone(v);

export class VpcModel {
  private nextId = 1;
  private readonly vpcById = new Map<string, Vpc>();
  private readonly subnetById = new Map<string, StoredSubnet>();
  private readonly pools = new Map<string, SubnetPool>();
  private readonly cidrOf = new Map<string, Cidr>();
  private readonly groups = new Map<string, SecurityGroup>();
  private readonly enis = new Map<string, NetworkInterface>();
  private readonly nodes = new Map<string, NodeNetwork>();

  private constructor(readonly region: string) {}

  /** A region with its default VPC, six subnets and the VPC's default security group. */
  static create(region: string): VpcModel {
    const model = new VpcModel(region);
    const vpc = model.createVpc({ cidrBlock: DEFAULT_VPC_CIDR, isDefault: true, tags: { Name: 'kumo-default' } });
    const zones = model.availabilityZones();
    zones.forEach((z, i) => {
      model.createSubnet({
        vpcId: vpc.vpcId, cidrBlock: `192.168.${32 * i}.0/19`, availabilityZone: z.zoneName, public: true,
        tags: { Name: `kumo-default-public-${z.zoneName}`, 'kubernetes.io/role/elb': '1' },
      });
    });
    zones.forEach((z, i) => {
      model.createSubnet({
        vpcId: vpc.vpcId, cidrBlock: `192.168.${96 + 32 * i}.0/19`, availabilityZone: z.zoneName, public: false,
        tags: { Name: `kumo-default-private-${z.zoneName}`, 'kubernetes.io/role/internal-elb': '1' },
      });
    });
    return model;
  }

  private newId(prefix: string): string {
    const n = this.nextId++;
    return `${prefix}-${createHash('sha256').update(`${this.region}/${prefix}/${n}`).digest('hex').slice(0, 17)}`;
  }

  availabilityZones(): AvailabilityZone[] {
    const code = regionCode(this.region);
    return Array.from({ length: ZONES_PER_REGION }, (_, i) => ({
      zoneName: `${this.region}${String.fromCharCode(97 + i)}`,
      zoneId: `${code}-az${i + 1}`,
      regionName: this.region,
      state: 'available' as const,
    }));
  }

  private zone(name: string): AvailabilityZone {
    const z = this.availabilityZones().find((a) => a.zoneName === name);
    if (!z) throw new Ec2ModelError('InvalidAvailabilityZone', `Value (${name}) for parameter availabilityZone is invalid. Subnets can currently only be created in the following availability zones: ${this.availabilityZones().map((a) => a.zoneName).join(', ')}.`);
    return z;
  }

  // ---- VPCs, subnets, security groups ----

  createVpc(input: { cidrBlock: string; isDefault?: boolean; tags?: Tags }): Vpc {
    const cidr = parseCidr(input.cidrBlock);
    if (!cidr) throw new Ec2ModelError('InvalidParameterValue', `Value (${input.cidrBlock}) for parameter cidrBlock is invalid. This is not a valid CIDR block.`);
    // VPC user guide: the allowed block size is between a /16 and a /28 netmask.
    if (cidr.prefixLength < 16 || cidr.prefixLength > 28) throw new Ec2ModelError('InvalidVpc.Range', `The CIDR '${input.cidrBlock}' is invalid.`);
    if (input.isDefault && [...this.vpcById.values()].some((v) => v.isDefault)) throw new Ec2ModelError('InvalidParameterValue', 'A default VPC already exists for this account in this region.');
    const vpc: Vpc = { vpcId: this.newId('vpc'), cidrBlock: input.cidrBlock, isDefault: input.isDefault ?? false, state: 'available', tags: { ...input.tags } };
    this.vpcById.set(vpc.vpcId, vpc);
    this.cidrOf.set(vpc.vpcId, cidr);
    // Every VPC gets a default security group: all traffic in from itself, all traffic out.
    const sg = this.addGroup(vpc.vpcId, 'default', 'default VPC security group');
    sg.ingress.push({ ipProtocol: '-1', groupIds: [sg.groupId] });
    return clone(vpc);
  }

  createSubnet(input: { vpcId: string; cidrBlock: string; availabilityZone: string; public?: boolean; tags?: Tags }): Subnet {
    const vpcCidr = this.cidrOf.get(input.vpcId);
    if (!this.vpcById.has(input.vpcId) || !vpcCidr) throw new Ec2ModelError('InvalidVpcID.NotFound', `The vpc ID '${input.vpcId}' does not exist`);
    const cidr = parseCidr(input.cidrBlock);
    if (!cidr) throw new Ec2ModelError('InvalidParameterValue', `Value (${input.cidrBlock}) for parameter cidrBlock is invalid. This is not a valid CIDR block.`);
    if (cidr.prefixLength < 16 || cidr.prefixLength > 28 || !cidrContains(vpcCidr, cidr)) throw new Ec2ModelError('InvalidSubnet.Range', `The CIDR '${input.cidrBlock}' is invalid.`);
    for (const s of this.subnetById.values()) {
      if (s.vpcId === input.vpcId && cidrsOverlap(this.cidrOf.get(s.subnetId)!, cidr)) throw new Ec2ModelError('InvalidSubnet.Conflict', `The CIDR '${input.cidrBlock}' conflicts with another subnet`);
    }
    const zone = this.zone(input.availabilityZone);
    const subnet: StoredSubnet = {
      subnetId: this.newId('subnet'), vpcId: input.vpcId, cidrBlock: input.cidrBlock, availabilityZone: zone.zoneName,
      availabilityZoneId: zone.zoneId, mapPublicIpOnLaunch: input.public ?? false, defaultForAz: false, state: 'available', tags: { ...input.tags },
    };
    this.subnetById.set(subnet.subnetId, subnet);
    this.cidrOf.set(subnet.subnetId, cidr);
    this.pools.set(subnet.subnetId, new SubnetPool(cidr));
    return this.subnetView(subnet);
  }

  private addGroup(vpcId: string, groupName: string, description: string, tags: Tags = {}): SecurityGroup {
    const sg: SecurityGroup = {
      groupId: this.newId('sg'), groupName, description, vpcId, ingress: [], egress: [{ ipProtocol: '-1', cidrIpv4: ['0.0.0.0/0'] }], tags: { ...tags },
    };
    this.groups.set(sg.groupId, sg);
    return sg;
  }

  createSecurityGroup(input: { vpcId: string; groupName: string; description: string; tags?: Tags }): SecurityGroup {
    if (!this.vpcById.has(input.vpcId)) throw new Ec2ModelError('InvalidVpcID.NotFound', `The vpc ID '${input.vpcId}' does not exist`);
    if (!input.groupName || input.groupName.length > 255 || input.groupName.startsWith('sg-')) throw new Ec2ModelError('InvalidParameterValue', `Invalid security group name ${JSON.stringify(input.groupName)}`);
    if ([...this.groups.values()].some((g) => g.vpcId === input.vpcId && g.groupName === input.groupName)) {
      throw new Ec2ModelError('InvalidGroup.Duplicate', `The security group '${input.groupName}' already exists for VPC '${input.vpcId}'`);
    }
    return clone(this.addGroup(input.vpcId, input.groupName, input.description, input.tags));
  }

  /** Adds rules to a group's ingress or egress. */
  authorize(groupId: string, direction: 'ingress' | 'egress', rules: SecurityGroupRule[]): SecurityGroup {
    const sg = this.groups.get(groupId);
    if (!sg) throw new Ec2ModelError('InvalidGroup.NotFound', `The security group '${groupId}' does not exist`);
    for (const r of rules) for (const c of r.cidrIpv4 ?? []) {
      if (!parseCidr(c)) throw new Ec2ModelError('InvalidParameterValue', `CIDR block ${c} is malformed`);
    }
    sg[direction].push(...clone(rules));
    return clone(sg);
  }

  /** DeleteVpc: only a VPC without subnets and security groups other than its default one. */
  deleteVpc(vpcId: string): void {
    if (!this.vpcById.has(vpcId)) throw new Ec2ModelError('InvalidVpcID.NotFound', `The vpc ID '${vpcId}' does not exist`);
    const dependent = [...this.subnetById.values()].some((s) => s.vpcId === vpcId)
      || [...this.groups.values()].some((g) => g.vpcId === vpcId && g.groupName !== 'default');
    if (dependent) throw new Ec2ModelError('DependencyViolation', `The vpc '${vpcId}' has dependencies and cannot be deleted.`);
    for (const g of [...this.groups.values()]) if (g.vpcId === vpcId) this.groups.delete(g.groupId);
    this.vpcById.delete(vpcId);
    this.cidrOf.delete(vpcId);
  }

  /** DeleteSubnet: only a subnet no network interface is in. */
  deleteSubnet(subnetId: string): void {
    if (!this.subnetById.has(subnetId)) throw new Ec2ModelError('InvalidSubnetID.NotFound', `The subnet ID '${subnetId}' does not exist`);
    if ([...this.enis.values()].some((e) => e.subnetId === subnetId)) throw new Ec2ModelError('DependencyViolation', `The subnet '${subnetId}' has dependencies and cannot be deleted.`);
    this.subnetById.delete(subnetId);
    this.cidrOf.delete(subnetId);
    this.pools.delete(subnetId);
  }

  /**
   * DeleteSecurityGroup: not a VPC's default group, not one a network interface uses or another
   * group's rules reference.
   */
  deleteSecurityGroup(groupId: string): void {
    const sg = this.groups.get(groupId);
    if (!sg) throw new Ec2ModelError('InvalidGroup.NotFound', `The security group '${groupId}' does not exist`);
    if (sg.groupName === 'default') throw new Ec2ModelError('CannotDelete', `the specified group: "${groupId}" name: "default" cannot be deleted by a user`);
    const referenced = [...this.groups.values()].some((g) => g.groupId !== groupId && [...g.ingress, ...g.egress].some((r) => r.groupIds?.includes(groupId)));
    const inUse = [...this.enis.values()].some((e) => e.securityGroupIds.includes(groupId));
    if (referenced || inUse) throw new Ec2ModelError('DependencyViolation', `resource ${groupId} has a dependent object`);
    this.groups.delete(groupId);
  }

  /** The tags of a VPC, subnet or security group (live object: callers change it through setTags/removeTags). */
  private tagsOf(resourceId: string): Tags | undefined {
    return (this.vpcById.get(resourceId) ?? this.subnetById.get(resourceId) ?? this.groups.get(resourceId))?.tags;
  }

  /** True when the ID names a VPC, subnet or security group of this model. */
  hasResource(resourceId: string): boolean {
    return this.tagsOf(resourceId) !== undefined;
  }

  /** CreateTags on one resource: adds or overwrites keys. */
  setTags(resourceId: string, tags: Tags): void {
    const current = this.tagsOf(resourceId);
    if (!current) throw new Ec2ModelError('InvalidParameterValue', `The resource '${resourceId}' does not exist`);
    Object.assign(current, tags);
  }

  /** DeleteTags on one resource: a key with a value goes only when the value matches; none given removes every tag. */
  removeTags(resourceId: string, tags: { key: string; value?: string }[]): void {
    const current = this.tagsOf(resourceId);
    if (!current) throw new Ec2ModelError('InvalidParameterValue', `The resource '${resourceId}' does not exist`);
    const drop = tags.length ? tags : Object.keys(current).map((key) => ({ key, value: undefined }));
    for (const t of drop) if (t.key in current && (t.value === undefined || current[t.key] === t.value)) delete current[t.key];
  }

  defaultVpc(): Vpc | undefined {
    const v = [...this.vpcById.values()].find((x) => x.isDefault);
    return v && clone(v);
  }

  vpcs(): Vpc[] {
    return [...this.vpcById.values()].map(clone);
  }

  vpc(vpcId: string): Vpc | undefined {
    const v = this.vpcById.get(vpcId);
    return v && clone(v);
  }

  private subnetView(s: StoredSubnet): Subnet {
    return { ...clone(s), availableIpAddressCount: this.pools.get(s.subnetId)!.available };
  }

  subnets(filter: { vpcId?: string; availabilityZone?: string; public?: boolean } = {}): Subnet[] {
    return [...this.subnetById.values()]
      .filter((s) => (filter.vpcId === undefined || s.vpcId === filter.vpcId)
        && (filter.availabilityZone === undefined || s.availabilityZone === filter.availabilityZone)
        && (filter.public === undefined || s.mapPublicIpOnLaunch === filter.public))
      .map((s) => this.subnetView(s));
  }

  subnet(subnetId: string): Subnet | undefined {
    const s = this.subnetById.get(subnetId);
    return s && this.subnetView(s);
  }

  securityGroups(vpcId?: string): SecurityGroup[] {
    return [...this.groups.values()].filter((g) => vpcId === undefined || g.vpcId === vpcId).map(clone);
  }

  securityGroup(groupId: string): SecurityGroup | undefined {
    const g = this.groups.get(groupId);
    return g && clone(g);
  }

  // ---- address management ----

  private pool(subnetId: string): SubnetPool {
    const p = this.pools.get(subnetId);
    if (!p) throw new Ec2ModelError('InvalidSubnetID.NotFound', `The subnet ID '${subnetId}' does not exist`);
    return p;
  }

  /** One free private address of the subnet; undefined when the subnet is exhausted. */
  allocate(subnetId: string, owner = 'unattached'): string | undefined {
    return this.pool(subnetId).allocate(owner);
  }

  /** Frees an address allocated with allocate(); false when it is not allocated or belongs to an ENI/prefix. */
  release(ip: string): boolean {
    const n = parseIpv4(ip);
    if (n === undefined) return false;
    for (const pool of this.pools.values()) {
      if (!cidrContainsIp(pool.cidr, n)) continue;
      const owner = pool.ownerOf(n);
      if (owner === undefined || this.enis.has(owner)) return false;
      return pool.release(n);
    }
    return false;
  }

  /** EC2's AvailableIpAddressCount of the subnet: size − 5 reserved − assigned. */
  availableIpAddressCount(subnetId: string): number {
    return this.pool(subnetId).available;
  }

  // ---- ENIs and the VPC CNI ----

  private createEni(node: NodeNetwork, deviceIndex: number): NetworkInterface | undefined {
    const subnet = this.subnetById.get(node.subnetId)!;
    const id = this.newId('eni');
    const ip = this.pool(node.subnetId).allocate(id);
    if (ip === undefined) return undefined;
    const defaultGroup = [...this.groups.values()].find((g) => g.vpcId === subnet.vpcId && g.groupName === 'default');
    const eni: NetworkInterface = {
      networkInterfaceId: id, subnetId: subnet.subnetId, vpcId: subnet.vpcId, availabilityZone: subnet.availabilityZone,
      instanceId: node.instanceId, deviceIndex, privateIpAddress: ip, secondaryPrivateIpAddresses: [], ipv4Prefixes: [],
      securityGroupIds: defaultGroup ? [defaultGroup.groupId] : [], status: 'in-use',
    };
    this.enis.set(id, eni);
    node.networkInterfaceIds.push(id);
    return eni;
  }

  /**
   * Gives an instance its primary ENI in the subnet; the primary address is the node's InternalIP.
   * Throws InsufficientFreeAddressesInSubnet (RunInstances' error) when the subnet is full.
   */
  attachNode(instanceId: string, opts: AttachNodeOptions): NodeNetwork {
    const info = instanceType(opts.instanceType);
    if (!info) throw new Ec2ModelError('InvalidParameterValue', `The instance type '${opts.instanceType}' does not exist`);
    if (!this.subnetById.has(opts.subnetId)) throw new Ec2ModelError('InvalidSubnetID.NotFound', `The subnet ID '${opts.subnetId}' does not exist`);
    if (this.nodes.has(instanceId)) throw new Ec2ModelError('IncorrectInstanceState', `The instance '${instanceId}' already has a network attachment`);
    for (const g of opts.securityGroupIds ?? []) if (!this.groups.has(g)) throw new Ec2ModelError('InvalidGroup.NotFound', `The security group '${g}' does not exist`);
    const node: NodeNetwork = {
      instanceId, instanceType: info.name, subnetId: opts.subnetId, prefixDelegation: (opts.prefixDelegation ?? false) && info.nitro,
      privateIp: '', networkInterfaceIds: [], podIps: {},
    };
    const eni = this.createEni(node, 0);
    if (!eni) throw new Ec2ModelError('InsufficientFreeAddressesInSubnet', `There are not enough free addresses in subnet '${opts.subnetId}' to satisfy the requested number of instances.`);
    if (opts.securityGroupIds?.length) eni.securityGroupIds = [...opts.securityGroupIds];
    node.privateIp = eni.privateIpAddress;
    this.nodes.set(instanceId, node);
    return clone(node);
  }

  node(instanceId: string): NodeNetwork | undefined {
    const n = this.nodes.get(instanceId);
    return n && clone(n);
  }

  networkInterfaces(filter: { instanceId?: string; subnetId?: string } = {}): NetworkInterface[] {
    return [...this.enis.values()]
      .filter((e) => (filter.instanceId === undefined || e.instanceId === filter.instanceId) && (filter.subnetId === undefined || e.subnetId === filter.subnetId))
      .map(clone);
  }

  private requireNode(instanceId: string): NodeNetwork {
    const node = this.nodes.get(instanceId);
    if (!node) throw new Ec2ModelError('InvalidInstanceID.NotFound', `The instance ID '${instanceId}' does not exist`);
    return node;
  }

  /**
   * An IP for a new pod on the node, as the VPC CNI assigns it. Secondary-IP mode: a secondary
   * address on the first ENI with a free slot (IPv4 per ENI − 1 each), attaching another ENI up to
   * the type's limit. Prefix delegation: a free address of an assigned /28, else a new /28 in a
   * free slot, else a new ENI. Failures leave everything as it was.
   */
  assignPodIp(instanceId: string): PodIpResult {
    const node = this.requireNode(instanceId);
    const info = instanceType(node.instanceType)!;
    const slots = info.ipv4PerENI - 1;
    const pool = this.pool(node.subnetId);
    const fail = (error: 'InsufficientFreeAddressesInSubnet' | 'InsufficientCidrBlocks' | 'NodeAddressLimit'): PodIpResult => ({ error, message: CNI_NO_IP_MESSAGE });
    const enis = node.networkInterfaceIds.map((id) => this.enis.get(id)!);

    if (node.prefixDelegation) {
      for (const eni of enis) {
        for (const prefix of eni.ipv4Prefixes) {
          const base = parseIpv4(prefix.split('/')[0])!;
          for (let o = 0; o < PREFIX_ADDRESSES; o++) {
            const ip = formatIpv4(base + o);
            if (!(ip in node.podIps)) return this.recordPod(node, eni, ip);
          }
        }
      }
      const withSlot = enis.find((e) => e.ipv4Prefixes.length < slots);
      const eni = withSlot ?? (enis.length < info.maxENIs ? this.createEni(node, enis.length) : undefined);
      if (!eni) return fail(enis.length < info.maxENIs ? 'InsufficientFreeAddressesInSubnet' : 'NodeAddressLimit');
      const prefix = pool.allocatePrefix(eni.networkInterfaceId);
      if (!prefix) {
        if (!withSlot) this.dropEni(node, eni);
        return fail('InsufficientCidrBlocks');
      }
      eni.ipv4Prefixes.push(prefix);
      return this.recordPod(node, eni, prefix.split('/')[0]);
    }

    const withSlot = enis.find((e) => e.secondaryPrivateIpAddresses.length < slots);
    if (!withSlot && enis.length >= info.maxENIs) return fail('NodeAddressLimit');
    const eni = withSlot ?? this.createEni(node, enis.length);
    if (!eni) return fail('InsufficientFreeAddressesInSubnet');
    const ip = pool.allocate(eni.networkInterfaceId);
    if (ip === undefined) {
      if (!withSlot) this.dropEni(node, eni);
      return fail('InsufficientFreeAddressesInSubnet');
    }
    eni.secondaryPrivateIpAddresses.push(ip);
    return this.recordPod(node, eni, ip);
  }

  /**
   * Keeps an address a pod on the node is known to hold (ipamd rebuilding its datastore from the
   * pods on the node after a restart): nothing to do when it is recorded; else it is taken again
   * on an ENI of the node with room (secondary IP, or the /28 holding it). False when the address
   * is outside the node's subnet or held by something else.
   */
  claimPodIp(instanceId: string, ip: string): boolean {
    const node = this.requireNode(instanceId);
    if (ip in node.podIps) return true;
    const n = parseIpv4(ip);
    const pool = this.pool(node.subnetId);
    if (n === undefined || !cidrContainsIp(pool.cidr, n)) return false;
    const info = instanceType(node.instanceType)!;
    const slots = info.ipv4PerENI - 1;
    const enis = node.networkInterfaceIds.map((id) => this.enis.get(id)!);
    if (node.prefixDelegation) {
      const holder = enis.find((e) => e.ipv4Prefixes.some((p) => cidrContainsIp(parseCidr(p)!, n)));
      if (holder) {
        this.recordPod(node, holder, ip);
        return true;
      }
    }
    const roomy = enis.find((e) => (node.prefixDelegation ? e.ipv4Prefixes.length : e.secondaryPrivateIpAddresses.length) < slots);
    const eni = roomy ?? (enis.length < info.maxENIs ? this.createEni(node, enis.length) : undefined);
    if (!eni) return false;
    if (node.prefixDelegation) {
      const base = pool.claimPrefix(n, eni.networkInterfaceId);
      if (base !== undefined) eni.ipv4Prefixes.push(formatCidr({ base, prefixLength: 28, size: PREFIX_ADDRESSES }));
      else if (!roomy) this.dropEni(node, eni);
      if (base === undefined) return false;
    } else {
      if (!pool.claim(n, eni.networkInterfaceId)) {
        if (!roomy) this.dropEni(node, eni);
        return false;
      }
      eni.secondaryPrivateIpAddresses.push(ip);
    }
    this.recordPod(node, eni, ip);
    return true;
  }

  private recordPod(node: NodeNetwork, eni: NetworkInterface, ip: string): PodIpResult {
    node.podIps[ip] = eni.networkInterfaceId;
    return { ip, networkInterfaceId: eni.networkInterfaceId };
  }

  private dropEni(node: NodeNetwork, eni: NetworkInterface): void {
    const pool = this.pool(eni.subnetId);
    for (const ip of eni.secondaryPrivateIpAddresses) pool.release(parseIpv4(ip)!);
    for (const p of eni.ipv4Prefixes) pool.releasePrefix(parseIpv4(p.split('/')[0])!);
    pool.release(parseIpv4(eni.privateIpAddress)!);
    this.enis.delete(eni.networkInterfaceId);
    node.networkInterfaceIds = node.networkInterfaceIds.filter((id) => id !== eni.networkInterfaceId);
  }

  /**
   * Frees a pod's IP. Secondary IPs go back to the subnet; a /28 goes back once none of its
   * addresses holds a pod. ENIs stay attached (the CNI keeps them as its warm pool).
   */
  releasePodIp(instanceId: string, ip: string): boolean {
    const node = this.requireNode(instanceId);
    const eniId = node.podIps[ip];
    if (eniId === undefined) return false;
    delete node.podIps[ip];
    const eni = this.enis.get(eniId)!;
    const pool = this.pool(eni.subnetId);
    if (!node.prefixDelegation) {
      eni.secondaryPrivateIpAddresses = eni.secondaryPrivateIpAddresses.filter((a) => a !== ip);
      pool.release(parseIpv4(ip)!);
      return true;
    }
    const n = parseIpv4(ip)!;
    const prefix = eni.ipv4Prefixes.find((p) => cidrContainsIp(parseCidr(p)!, n));
    if (prefix) {
      const cidr = parseCidr(prefix)!;
      const stillUsed = Object.keys(node.podIps).some((a) => cidrContainsIp(cidr, parseIpv4(a)!));
      if (!stillUsed) {
        pool.releasePrefix(cidr.base);
        eni.ipv4Prefixes = eni.ipv4Prefixes.filter((p) => p !== prefix);
      }
    }
    return true;
  }

  /** Removes an instance's ENIs and returns all their addresses to the subnet (instance terminated). */
  detachNode(instanceId: string): boolean {
    const node = this.nodes.get(instanceId);
    if (!node) return false;
    for (const id of [...node.networkInterfaceIds]) this.dropEni(node, this.enis.get(id)!);
    this.nodes.delete(instanceId);
    return true;
  }

  // ---- persistence ----

  /**
   * The model as plain data. Without pod IPs (`{ podIps: false }`) it is what EC2 itself keeps
   * beside the VPC CNI: ENIs without their secondary addresses and /28 prefixes, and no per-node
   * pod addresses; its size follows the number of ENIs, not of pods. The CNI then rebuilds the
   * pod addresses from the pods on each node (claimPodIp), as ipamd does after a restart.
   */
  toJSON(opts: { podIps?: boolean } = {}): VpcModelState {
    const withPods = opts.podIps ?? true;
    const podHeld = new Set<string>();
    if (!withPods) for (const e of this.enis.values()) for (const ip of e.secondaryPrivateIpAddresses) podHeld.add(ip);
    const pool = (subnetId: string) => {
      const state = this.pools.get(subnetId)!.toJSON();
      if (withPods) return state;
      const addresses = Object.fromEntries(Object.entries(state.addresses).filter(([ip]) => !podHeld.has(ip)));
      return { ...state, addresses, prefixes: {} };
    };
    return {
      version: 1,
      region: this.region,
      nextId: this.nextId,
      vpcs: this.vpcs(),
      subnets: [...this.subnetById.values()].map((s) => ({ ...clone(s), pool: pool(s.subnetId) })),
      securityGroups: this.securityGroups(),
      networkInterfaces: withPods ? this.networkInterfaces() : this.networkInterfaces().map((e) => ({ ...e, secondaryPrivateIpAddresses: [], ipv4Prefixes: [] })),
      nodes: [...this.nodes.values()].map((n) => (withPods ? clone(n) : { ...clone(n), podIps: {} })),
    };
  }

  /** Rebuilds a model from toJSON() output; throws InvalidState on anything malformed. */
  static fromJSON(state: unknown): VpcModel {
    const bad = (why: string): never => { throw new Ec2ModelError('InvalidState', `invalid VPC model state: ${why}`); };
    if (typeof state !== 'object' || state === null) return bad('not an object');
    const s = state as Partial<VpcModelState>;
    if (s.version !== 1) return bad(`unsupported version ${JSON.stringify(s.version)}`);
    if (typeof s.region !== 'string' || typeof s.nextId !== 'number') return bad('region or nextId missing');
    for (const k of ['vpcs', 'subnets', 'securityGroups', 'networkInterfaces', 'nodes'] as const) if (!Array.isArray(s[k])) bad(`${k} is not a list`);
    const model = new VpcModel(s.region);
    model.nextId = s.nextId;
    const ip = (a: string): number => parseIpv4(a) ?? bad(`bad address ${JSON.stringify(a)}`);
    for (const v of s.vpcs!) {
      const cidr = parseCidr(v.cidrBlock) ?? bad(`bad VPC CIDR ${JSON.stringify(v.cidrBlock)}`);
      model.vpcById.set(v.vpcId, clone(v));
      model.cidrOf.set(v.vpcId, cidr);
    }
    for (const sub of s.subnets!) {
      const cidr = parseCidr(sub.cidrBlock) ?? bad(`bad subnet CIDR ${JSON.stringify(sub.cidrBlock)}`);
      if (!model.vpcById.has(sub.vpcId)) bad(`subnet ${sub.subnetId} names unknown VPC ${sub.vpcId}`);
      if (typeof sub.pool !== 'object' || sub.pool === null) bad(`subnet ${sub.subnetId} has no pool`);
      const { pool, ...rest } = sub;
      model.subnetById.set(sub.subnetId, clone(rest));
      model.cidrOf.set(sub.subnetId, cidr);
      model.pools.set(sub.subnetId, SubnetPool.fromJSON(cidr, pool, ip));
    }
    for (const g of s.securityGroups!) model.groups.set(g.groupId, clone(g));
    for (const e of s.networkInterfaces!) {
      if (!model.subnetById.has(e.subnetId)) bad(`ENI ${e.networkInterfaceId} names unknown subnet ${e.subnetId}`);
      model.enis.set(e.networkInterfaceId, clone(e));
    }
    for (const n of s.nodes!) {
      if (!instanceType(n.instanceType)) bad(`node ${n.instanceId} has unknown instance type ${n.instanceType}`);
      if (!n.networkInterfaceIds.every((id) => model.enis.has(id))) bad(`node ${n.instanceId} names an unknown ENI`);
      model.nodes.set(n.instanceId, clone(n));
    }
    return model;
  }
}
