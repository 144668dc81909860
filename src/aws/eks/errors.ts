// EKS errors as the model declares them (botocore eks 2017-11-01): code, HTTP status and the extra
// members some of them carry (clusterName, ...). The restJson1 codec renders AwsError.fields into the body.
import { AwsError } from '../errors.js';

type Fields = { clusterName?: string; nodegroupName?: string; fargateProfileName?: string; addonName?: string };

const make = (code: string, status: number) => (message: string, fields: Fields = {}) =>
  new AwsError(code, message, status, undefined, fields);

export const invalidParameter = make('InvalidParameterException', 400);
export const invalidRequest = make('InvalidRequestException', 400);
export const resourceNotFound = make('ResourceNotFoundException', 404);
export const resourceInUse = make('ResourceInUseException', 409);
export const resourceLimitExceeded = make('ResourceLimitExceededException', 400);
export const badRequest = make('BadRequestException', 400);
export const notFound = make('NotFoundException', 404);
export const serverError = make('ServerException', 500);

/** The message DescribeCluster and every cluster-scoped operation answer for an unknown cluster. */
export const noCluster = (name: string) => resourceNotFound(`No cluster found for name: ${name}.`);
