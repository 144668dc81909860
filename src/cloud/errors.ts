// Errors of the EC2/VPC model, carrying the EC2 API error code a caller returns to clients.

export type Ec2ErrorCode =
  | 'InvalidParameterValue'
  | 'InvalidVpcID.NotFound'
  | 'InvalidSubnetID.NotFound'
  | 'InvalidGroup.NotFound'
  | 'InvalidGroup.Duplicate'
  | 'InvalidSubnet.Range'
  | 'InvalidSubnet.Conflict'
  | 'InvalidVpc.Range'
  | 'InvalidAvailabilityZone'
  | 'InvalidInstanceID.NotFound'
  | 'InvalidNetworkInterfaceID.NotFound'
  | 'IncorrectInstanceState'
  | 'InsufficientFreeAddressesInSubnet'
  | 'InvalidState'
  | 'DependencyViolation'
  | 'CannotDelete'
  | 'InvalidVpcID.Malformed'
  | 'InvalidSubnetID.Malformed'
  | 'InvalidGroupId.Malformed'
  | 'TagLimitExceeded'
  | 'MissingParameter'
  | 'InvalidParameterCombination'
  | 'InvalidLaunchTemplateName.MalformedException'
  | 'InvalidLaunchTemplateName.AlreadyExistsException'
  | 'InvalidLaunchTemplateName.NotFoundException'
  | 'InvalidLaunchTemplateId.Malformed'
  | 'InvalidLaunchTemplateId.NotFound'
  | 'InvalidLaunchTemplateId.VersionNotFound'
  | 'LaunchTemplateLimitExceeded'
  | 'VersionLimitExceeded';

export class Ec2ModelError extends Error {
  constructor(readonly code: Ec2ErrorCode, message: string) {
    super(message);
    this.name = 'Ec2ModelError';
  }
}
