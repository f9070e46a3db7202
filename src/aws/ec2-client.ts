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
  // The SDK warns on every run under Node 20 that its 2027 releases will need Node 22 (the README says so once).
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  sdk ??= import('@aws-sdk/client-ec2');
  const loaded = await sdk;
  const key = [aws.region, aws.endpoint, aws.credentialsFile, aws.profile].join(' ');
  let client = clients.get(key);
  if (!client) {
    const { fromIni } = await import('@aws-sdk/credential-provider-ini');
    const credentials = aws.credentialsFile ? fromIni({ filepath: aws.credentialsFile, configFilepath: aws.credentialsFile, profile: aws.profile }) : undefined;
    client = new loaded.EC2Client({ region: aws.region, endpoint: aws.endpoint, credentials, profile: aws.profile, maxAttempts: 3 });
    clients.set(key, client);
  }
  return { client, sdk: loaded };
}
