// A node's spec.providerID on AWS names its EC2 instance: aws:///eu-west-1a/i-0123456789abcdef0.

const AWS_PROVIDER_ID = /^aws:\/\/\/[a-z0-9-]+\/(i-[0-9a-f]{8,17})$/;

/** The EC2 instance ID in an AWS providerID; undefined for any other provider. */
export function instanceIdOf(providerID: string | undefined): string | undefined {
  return providerID ? AWS_PROVIDER_ID.exec(providerID)?.[1] : undefined;
}
