// Whether an EC2 instance belongs to an Auto Scaling group, read from the tag the group puts on its members.
import type { Instance } from '@aws-sdk/client-ec2';

/** EC2 Auto Scaling tags every instance it launches with its group's name under this key. */
export const AUTO_SCALING_GROUP_TAG = 'aws:autoscaling:groupName';

export function autoScalingGroupOf(instance: Instance): string | undefined {
  return instance.Tags?.find((tag) => tag.Key === AUTO_SCALING_GROUP_TAG)?.Value;
}

/** Why stopping a group member is refused, and what makes it safe. */
export function autoScalingRefusal(instanceId: string, group: string): string {
  return (
    `${instanceId} is a member of the Auto Scaling group ${group} (tag ${AUTO_SCALING_GROUP_TAG}): the group's health check ` +
    `would mark the stopped instance unhealthy and terminate it, so the restore would find nothing to start. ` +
    `By hand, put it in Standby (aws autoscaling enter-standby --auto-scaling-group-name ${group} --instance-ids ${instanceId} ` +
    `--should-decrement-desired-capacity) or suspend the group's HealthCheck and ReplaceUnhealthy processes ` +
    `(aws autoscaling suspend-processes --auto-scaling-group-name ${group} --scaling-processes HealthCheck ReplaceUnhealthy), ` +
    `then set aws.allowAutoScalingGroupMembers: true in the profile; undo that by hand after the drill`
  );
}
