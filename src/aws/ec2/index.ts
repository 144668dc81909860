export { createEc2Service, type Ec2Service, type Ec2ServiceOptions, type Ec2CallContext, type Ec2Answer } from './service.js';
export { EC2_API_VERSION, EC2_NAMESPACE, ec2Response, ec2ErrorResponse, filters, numberedList, type Filter, type Ec2Xml } from './protocol.js';
export { VpcModels } from './models.js';
export { LaunchTemplateStore } from './launch-template-store.js';
export { INSTANCE_STATE_CODES, type Ec2Instance, type InstanceSource, type InstanceStateName } from './instances.js';
