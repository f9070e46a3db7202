# Creates, on the EC2 emulator, an Auto Scaling group of one instance (launch template + group) and prints the
# instance's ID and its tags as JSON. Run with the emulator's virtualenv python: endpoint region name.
import json
import sys

import boto3

endpoint, region, name = sys.argv[1:4]
session = dict(endpoint_url=endpoint, region_name=region, aws_access_key_id='testing', aws_secret_access_key='testing')
ec2 = boto3.client('ec2', **session)
autoscaling = boto3.client('autoscaling', **session)
ec2.create_launch_template(LaunchTemplateName=name, LaunchTemplateData={'ImageId': 'ami-12c6146b', 'InstanceType': 't3.small'})
zone = ec2.describe_availability_zones()['AvailabilityZones'][0]['ZoneName']
autoscaling.create_auto_scaling_group(
    AutoScalingGroupName=name,
    LaunchTemplate={'LaunchTemplateName': name, 'Version': '$Latest'},
    MinSize=1,
    MaxSize=1,
    DesiredCapacity=1,
    AvailabilityZones=[zone],
)
group = autoscaling.describe_auto_scaling_groups(AutoScalingGroupNames=[name])['AutoScalingGroups'][0]
instance_id = group['Instances'][0]['InstanceId']
tags = ec2.describe_tags(Filters=[{'Name': 'resource-id', 'Values': [instance_id]}])['Tags']
print(json.dumps({'instanceId': instance_id, 'tags': {tag['Key']: tag['Value'] for tag in tags}}))
