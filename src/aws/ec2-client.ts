// One EC2 API client per region and endpoint, from the profile's aws section; credentials come from the AWS SDK's
// usual chain (environment, shared config, SSO, instance role) and never pass through kube-firedrill.
// The SDK is loaded on first use, so runs without EC2 faults do not pay for it.
import type { EC2Client } from '@aws-sdk/client-ec2';
import type { ClusterProfile } from '../profile/profile-schema.ts';

export type Ec2Sdk = typeof import('@aws-sdk/client-ec2');

export interface Ec2 {
  client: EC2Client;
  sdk: Ec2Sdk;
}

let sdk: Promise<Ec2Sdk> | undefined;
const clients = new Map<string, EC2Client>();

export async function ec2Api(profile: ClusterProfile): Promise<Ec2> {
  const aws = profile.aws;
  if (!aws) throw new Error(`profile ${profile.name} has no aws section: set aws.region (and aws.endpoint for an EC2-compatible API) to use EC2 faults`);
  sdk ??= import('@aws-sdk/client-ec2');
  const loaded = await sdk;
  const key = `${aws.region} ${aws.endpoint ?? ''}`;
  let client = clients.get(key);
  if (!client) {
    client = new loaded.EC2Client({ region: aws.region, endpoint: aws.endpoint, maxAttempts: 3 });
    clients.set(key, client);
  }
  return { client, sdk: loaded };
}
