#!/usr/bin/env python3
"""make_catalog.py: builds tools/corpus/catalog_data.inc, the event catalog the corpus generator draws from.

Contract: reads the real S3-delivered CloudTrail records of the shared data set (the same records whose
statistics are `raw_s3_delivery_only` in shared/data/cloudtrail/stats.json: invictus-ir/aws_dataset, MIT,
and cloud-snitch test data, MIT) and writes, deterministically, a C++ include with
  - one CatalogEvent per eventName: its eventSource, weight (how often the name occurs), error rate and
    error codes/messages as observed, and its templates;
  - CatalogTemplates: real records (a few per name, picked at size quantiles so the record-size
    distribution survives) reduced to what the generator does not invent itself: request/response bodies,
    additionalEventData, resources, userAgent, identity shape, TLS host, flags;
  - hand-written templates (after the AWS API references) for the names the CIS filters watch that the
    real data lacks, so every benchmark filter can be exercised.
Identifiers in the text are replaced by marker bytes the generator expands per record (see
tools/corpus/catalog.h): the account, the Region, times, UUIDs, resource ids, access keys, user names.

Usage: tools/corpus/make_catalog.py [SHARED_CLOUDTRAIL_DIR] > tools/corpus/catalog_data.inc
"""
import collections
import glob
import gzip
import json
import math
import os
import re
import sys

DATA = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
    os.path.dirname(__file__), '..', '..', '..', 'shared', 'data', 'cloudtrail')

ACCOUNTS = ['123837392027', '218007301253', '333333333333', '222222222222']
USERS = ['bert-jan', 'benjamin']

# Marker bytes (catalog.h): single ones stand for a value, run markers are followed by a length byte (0x20 + n).
M_ACCOUNT, M_HEX, M_DIGIT, M_REGION, M_USER, M_TIME, M_UHEX, M_UALNUM, M_UUID, M_UUID_UPPER = (
    '\x01', '\x02', '\x03', '\x04', '\x05', '\x06', '\x07', '\x0b', '\x0c', '\x0e')
RUN_MARKERS = (M_HEX, M_DIGIT, M_UHEX, M_UALNUM)

# Names the benchmark filters and rules key on: never drawn as background, only injected.
WATCHED = set('''DeleteGroupPolicy DeleteRolePolicy DeleteUserPolicy PutGroupPolicy PutRolePolicy PutUserPolicy
CreatePolicy DeletePolicy CreatePolicyVersion DeletePolicyVersion AttachRolePolicy DetachRolePolicy AttachUserPolicy
DetachUserPolicy AttachGroupPolicy DetachGroupPolicy CreateTrail UpdateTrail DeleteTrail StartLogging StopLogging
DisableKey ScheduleKeyDeletion PutBucketAcl PutBucketPolicy PutBucketCors PutBucketLifecycle PutBucketReplication
DeleteBucketPolicy DeleteBucketCors DeleteBucketLifecycle DeleteBucketReplication StopConfigurationRecorder
DeleteDeliveryChannel PutDeliveryChannel PutConfigurationRecorder AuthorizeSecurityGroupIngress
AuthorizeSecurityGroupEgress RevokeSecurityGroupIngress RevokeSecurityGroupEgress CreateSecurityGroup
DeleteSecurityGroup CreateNetworkAcl CreateNetworkAclEntry DeleteNetworkAcl DeleteNetworkAclEntry
ReplaceNetworkAclEntry ReplaceNetworkAclAssociation CreateCustomerGateway DeleteCustomerGateway AttachInternetGateway
CreateInternetGateway DeleteInternetGateway DetachInternetGateway CreateRoute CreateRouteTable ReplaceRoute
ReplaceRouteTableAssociation DeleteRouteTable DeleteRoute DisassociateRouteTable CreateVpc DeleteVpc
ModifyVpcAttribute AcceptVpcPeeringConnection CreateVpcPeeringConnection DeleteVpcPeeringConnection
RejectVpcPeeringConnection AttachClassicLinkVpc DetachClassicLinkVpc DisableVpcClassicLink
EnableVpcClassicLink'''.split())


def load():
  recs = []
  for f in sorted(glob.glob(os.path.join(DATA, 'invictus-ir-aws-dataset', '*.json'))):
    with open(f) as fh:
      recs += json.load(fh)['Records']
  for f in sorted(glob.glob(os.path.join(DATA, 'cloud-snitch-testdata', '**', '*.json.gz'), recursive=True)):
    with gzip.open(f) as fh:
      recs += json.load(fh)['Records']
  return recs


def compact(v):
  return json.dumps(v, separators=(',', ':'), ensure_ascii=True)


UUID = re.compile(r'(?<![0-9a-zA-Z])[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?![0-9a-zA-Z])')
UUID_UPPER = re.compile(r'(?<![0-9a-zA-Z])[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}(?![0-9a-zA-Z])')
RES_ID = re.compile(r'\b((?:[a-z]+-)+)([0-9a-f]{8,17})\b')
KEY_ID = re.compile(r'\b(AKIA|ASIA)([A-Z0-9]{16})\b')
TIME = re.compile(r'\b\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d')
LONG_DIGITS = re.compile(r'(?<![0-9.])\d{10,}(?![0-9.])')


def norm(text):
  """Replaces identifiers with marker bytes (see catalog.h)."""
  for a in ACCOUNTS:
    text = text.replace(a, M_ACCOUNT)
  text = text.replace('us-east-1', M_REGION)
  for u in USERS:
    text = text.replace(u, M_USER)
  text = TIME.sub(M_TIME, text)
  text = UUID.sub(M_UUID, text)
  text = UUID_UPPER.sub(M_UUID_UPPER, text)
  text = RES_ID.sub(lambda m: m.group(1) + M_HEX * len(m.group(2)), text)
  text = KEY_ID.sub(lambda m: m.group(1) + M_UALNUM * 16, text)
  # The first digit stays: a JSON number keeps its non-zero lead.
  text = LONG_DIGITS.sub(lambda m: m.group(0)[0] + M_DIGIT * (len(m.group(0)) - 1), text)
  for marker in RUN_MARKERS:
    text = re.sub(re.escape(marker) + '+', lambda m: marker + chr(0x20 + len(m.group(0))), text)
  return text


def norm_request_id(rid):
  if rid is None:
    return None
  if re.fullmatch(r'[A-Z0-9]{16}', rid):
    return M_UALNUM + chr(0x20 + 16)
  return norm(rid)


def cstr(s):
  """A C++ string literal (octal escapes for marker bytes, split into chunks)."""
  if s is None:
    return 'nullptr'
  out, line = [], ''
  for ch in s:
    o = ord(ch)
    if ch == '"':
      e = '\\"'
    elif ch == '\\':
      e = '\\\\'
    elif o < 32 or o > 126:
      e = '\\%03o' % o
    elif ch == '?':
      e = '\\?'  # no trigraphs
    else:
      e = ch
    if len(line) + len(e) > 100:
      out.append('"' + line + '"')
      line = ''
    line += e
  out.append('"' + line + '"')
  return '\n    '.join(out)


def identity_shape(ui):
  """(kind, json-or-None, invokedBy, mfa) for a userIdentity."""
  t = ui.get('type')
  if t == 'IAMUser':
    sc = ui.get('sessionContext')
    if sc is None:
      kind = 'kIamKey' if 'accessKeyId' in ui else 'kIamNoKey'
    elif 'sessionIssuer' in sc:
      kind = 'kIamSession'
    else:
      kind = 'kIamSessionAttributes'
    mfa = (sc or {}).get('attributes', {}).get('mfaAuthenticated', 'false')
    return kind, None, ui.get('invokedBy'), mfa
  return 'kVerbatim', norm(compact(ui)), None, 'false'


def tls_kind(t):
  if t is None:
    return 0
  return {('TLSv1.2', 'ECDHE-RSA-AES128-GCM-SHA256'): 1, ('TLSv1.3', 'TLS_AES_128_GCM_SHA256'): 2,
          ('TLSv1.2', 'ECDHE-RSA-AES128-SHA'): 3}.get((t.get('tlsVersion'), t.get('cipherSuite')), 1)


def is_ipv4(s):
  return re.fullmatch(r'\d+\.\d+\.\d+\.\d+', s or '') is not None


def make_template(r, ua_index):
  kind, ident, invoked_by, mfa = identity_shape(r['userIdentity'])
  ua = r.get('userAgent')
  ua_n = norm(ua) if ua is not None else None
  if ua_n is not None and ua_n not in ua_index:
    ua_index[ua_n] = len(ua_index)
  sip = r.get('sourceIPAddress')
  tls = r.get('tlsDetails')
  return {
      'request': norm(compact(r.get('requestParameters'))),
      'response': norm(compact(r.get('responseElements'))),
      'additional': norm(compact(r['additionalEventData'])) if 'additionalEventData' in r else None,
      'resources': norm(compact(r['resources'])) if 'resources' in r else None,
      'service_details': norm(compact(r['serviceEventDetails'])) if 'serviceEventDetails' in r else None,
      'request_id': norm_request_id(r.get('requestID')),
      'shared_event_id': norm(r['sharedEventID']) if 'sharedEventID' in r else None,
      'vpc_endpoint': norm(r['vpcEndpointId']) if 'vpcEndpointId' in r else None,
      'api_version': r.get('apiVersion'),
      'user_agent': ua_index[ua_n] if ua_n is not None else -1,
      'source_ip': None if is_ipv4(sip) else norm(sip),
      'identity': kind, 'identity_json': ident, 'invoked_by': invoked_by, 'mfa': mfa == 'true',
      'tls': tls_kind(tls), 'host': norm(tls['clientProvidedHostHeader']) if tls else None,
      'console': r.get('sessionCredentialFromConsole') == 'true',
      'read_only': {True: 1, False: 0}.get(r.get('readOnly'), 2),
      'event_type': r.get('eventType', 'AwsApiCall'),
      'event_version': r.get('eventVersion', '1.08'),
      'size': len(compact(r)),
  }


# --- Hand-written templates for watched names the real data lacks (shapes after the AWS API references). ---
TF_UA = ('APN/1.0 HashiCorp/1.0 Terraform/1.5.2 (+https://www.terraform.io) terraform-provider-aws/5.7.0 '
         '(+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go/1.44.298 (go1.20.5; linux; amd64)')
EC2R = lambda extra=None: dict({'requestId': 'b095e717-86e3-4b4b-9f2b-42d319ba95c9', '_return': True}, **(extra or {}))
POLICY = ('{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject","s3:ListBucket"],'
          '"Resource":["arn:aws:s3:::data-lake-raw-123837392027","arn:aws:s3:::data-lake-raw-123837392027/*"]}]}')
EXTRAS = {
    'iam.amazonaws.com': {
        'PutGroupPolicy': ({'groupName': 'developers', 'policyName': 'data-lake-read', 'policyDocument': POLICY}, None),
        'PutUserPolicy': ({'userName': 'bert-jan', 'policyName': 'inline-s3', 'policyDocument': POLICY}, None),
        'DeleteGroupPolicy': ({'groupName': 'developers', 'policyName': 'data-lake-read'}, None),
        'DeleteUserPolicy': ({'userName': 'bert-jan', 'policyName': 'inline-s3'}, None),
        'CreatePolicyVersion': ({'policyArn': 'arn:aws:iam::123837392027:policy/data-lake-read', 'policyDocument': POLICY,
                                 'setAsDefault': True},
                                {'policyVersion': {'versionId': 'v3', 'isDefaultVersion': True,
                                                   'createDate': 'Jul 10, 2023 12:06:32 PM'}}),
        'DeletePolicyVersion': ({'policyArn': 'arn:aws:iam::123837392027:policy/data-lake-read', 'versionId': 'v2'}, None),
        'AttachGroupPolicy': ({'groupName': 'developers', 'policyArn': 'arn:aws:iam::aws:policy/ReadOnlyAccess'}, None),
        'DetachGroupPolicy': ({'groupName': 'developers', 'policyArn': 'arn:aws:iam::aws:policy/ReadOnlyAccess'}, None),
    },
    'cloudtrail.amazonaws.com': {
        'UpdateTrail': ({'name': 'management-events', 'isMultiRegionTrail': True},
                        {'name': 'management-events', 's3BucketName': 'cloudtrail-123837392027', 'includeGlobalServiceEvents': True,
                         'isMultiRegionTrail': True,
                         'trailARN': 'arn:aws:cloudtrail:us-east-1:123837392027:trail/management-events',
                         'logFileValidationEnabled': True, 'isOrganizationTrail': False}),
    },
    'kms.amazonaws.com': {
        'DisableKey': ({'keyId': 'arn:aws:kms:us-east-1:123837392027:key/dad21b23-9915-42bd-981b-2a9f3c8f20c8'}, None),
        'ScheduleKeyDeletion': ({'keyId': 'dad21b23-9915-42bd-981b-2a9f3c8f20c8', 'pendingWindowInDays': 7},
                                {'keyId': 'arn:aws:kms:us-east-1:123837392027:key/dad21b23-9915-42bd-981b-2a9f3c8f20c8',
                                 'deletionDate': 'Jul 17, 2023, 12:00:00 AM', 'keyState': 'PendingDeletion',
                                 'pendingWindowInDays': 7}),
    },
    's3.amazonaws.com': {
        'PutBucketAcl': ({'bucketName': 'app-assets-123837392027', 'Host': 'app-assets-123837392027.s3.us-east-1.amazonaws.com',
                          'acl': '', 'AccessControlPolicy': {'AccessControlList': {'Grant': {'Grantee': {
                              'xsi:type': 'CanonicalUser', 'xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance',
                              'ID': '6e8b5f2e1c0f4d7a9b3c2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b'},
                              'Permission': 'FULL_CONTROL'}}, 'xmlns': 'http://s3.amazonaws.com/doc/2006-03-01/',
                              'Owner': {'ID': '6e8b5f2e1c0f4d7a9b3c2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b'}}}, None),
        'PutBucketCors': ({'bucketName': 'app-assets-123837392027', 'Host': 'app-assets-123837392027.s3.us-east-1.amazonaws.com',
                           'cors': '', 'CORSConfiguration': {'xmlns': 'http://s3.amazonaws.com/doc/2006-03-01/', 'CORSRule': {
                               'AllowedMethod': ['GET', 'HEAD'], 'AllowedOrigin': 'https://www.example.com',
                               'AllowedHeader': '*', 'MaxAgeSeconds': 3000}}}, None),
        'PutBucketReplication': ({'bucketName': 'app-assets-123837392027',
                                  'Host': 'app-assets-123837392027.s3.us-east-1.amazonaws.com', 'replication': '',
                                  'ReplicationConfiguration': {'Role': 'arn:aws:iam::123837392027:role/s3-replication',
                                                               'Rule': {'ID': 'to-dr', 'Status': 'Enabled', 'Priority': 1,
                                                                        'Destination': {'Bucket': 'arn:aws:s3:::app-assets-dr'}}}},
                                 None),
        'DeleteBucketCors': ({'bucketName': 'app-assets-123837392027',
                              'Host': 'app-assets-123837392027.s3.us-east-1.amazonaws.com', 'cors': ''}, None),
        'DeleteBucketReplication': ({'bucketName': 'app-assets-123837392027',
                                     'Host': 'app-assets-123837392027.s3.us-east-1.amazonaws.com', 'replication': ''}, None),
    },
    'config.amazonaws.com': {
        'StopConfigurationRecorder': ({'configurationRecorderName': 'default'}, None),
        'PutConfigurationRecorder': ({'configurationRecorder': {'name': 'default',
                                                                'roleARN': 'arn:aws:iam::123837392027:role/aws-config-role',
                                                                'recordingGroup': {'allSupported': True,
                                                                                   'includeGlobalResourceTypes': True,
                                                                                   'resourceTypes': []}}}, None),
        'PutDeliveryChannel': ({'deliveryChannel': {'name': 'default', 's3BucketName': 'config-bucket-123837392027',
                                                    'configSnapshotDeliveryProperties': {
                                                        'deliveryFrequency': 'TwentyFour_Hours'}}}, None),
        'DeleteDeliveryChannel': ({'deliveryChannelName': 'default'}, None),
    },
    'ec2.amazonaws.com': {
        'CreateNetworkAcl': ({'vpcId': 'vpc-06fe1a64761a0f720'},
                             EC2R({'networkAcl': {'networkAclId': 'acl-0a1b2c3d4e5f60718', 'vpcId': 'vpc-06fe1a64761a0f720',
                                                  'default': False, 'entrySet': {'items': [
                                                      {'ruleNumber': 32767, 'protocol': '-1', 'ruleAction': 'deny',
                                                       'egress': True, 'cidrBlock': '0.0.0.0/0'},
                                                      {'ruleNumber': 32767, 'protocol': '-1', 'ruleAction': 'deny',
                                                       'egress': False, 'cidrBlock': '0.0.0.0/0'}]},
                                                  'associationSet': {}, 'tagSet': {}, 'ownerId': '123837392027'}})),
        'CreateNetworkAclEntry': ({'networkAclId': 'acl-0a1b2c3d4e5f60718', 'ruleNumber': 100, 'egress': False,
                                   'ruleAction': 'allow', 'icmpTypeCode': {}, 'portRange': {'from': 443, 'to': 443},
                                   'aclProtocol': '6', 'cidrBlock': '0.0.0.0/0'}, EC2R()),
        'DeleteNetworkAcl': ({'networkAclId': 'acl-0a1b2c3d4e5f60718'}, EC2R()),
        'DeleteNetworkAclEntry': ({'networkAclId': 'acl-0a1b2c3d4e5f60718', 'ruleNumber': 100, 'egress': False}, EC2R()),
        'ReplaceNetworkAclEntry': ({'networkAclId': 'acl-0a1b2c3d4e5f60718', 'ruleNumber': 100, 'egress': False,
                                    'ruleAction': 'deny', 'icmpTypeCode': {}, 'portRange': {'from': 22, 'to': 22},
                                    'aclProtocol': '6', 'cidrBlock': '0.0.0.0/0'}, EC2R()),
        'ReplaceNetworkAclAssociation': ({'associationId': 'aclassoc-0b1c2d3e4f5a60718', 'networkAclId': 'acl-0a1b2c3d4e5f60718'},
                                         {'requestId': 'b095e717-86e3-4b4b-9f2b-42d319ba95c9',
                                          'newAssociationId': 'aclassoc-0f1e2d3c4b5a69788'}),
        'CreateCustomerGateway': ({'type': 'ipsec.1', 'ipAddress': '198.51.100.7', 'bgpAsn': 65000},
                                  {'requestId': 'b095e717-86e3-4b4b-9f2b-42d319ba95c9', 'customerGateway': {
                                      'customerGatewayId': 'cgw-0e1f2a3b4c5d6e7f8', 'state': 'available', 'type': 'ipsec.1',
                                      'ipAddress': '198.51.100.7', 'bgpAsn': '65000', 'tagSet': {}}}),
        'DeleteCustomerGateway': ({'customerGatewayId': 'cgw-0e1f2a3b4c5d6e7f8'}, EC2R()),
        'ReplaceRoute': ({'routeTableId': 'rtb-0c1d2e3f4a5b6c7d8', 'destinationCidrBlock': '0.0.0.0/0',
                          'gatewayId': 'igw-02a84e4222d62e16b'}, EC2R()),
        'ReplaceRouteTableAssociation': ({'associationId': 'rtbassoc-0a9b8c7d6e5f40312', 'routeTableId': 'rtb-0c1d2e3f4a5b6c7d8'},
                                         {'requestId': 'b095e717-86e3-4b4b-9f2b-42d319ba95c9',
                                          'newAssociationId': 'rtbassoc-0f9e8d7c6b5a40312',
                                          'associationState': {'state': 'associated'}}),
        'ModifyVpcAttribute': ({'vpcId': 'vpc-06fe1a64761a0f720', 'enableDnsHostnames': {'value': True}}, EC2R()),
        'CreateVpcPeeringConnection': ({'vpcId': 'vpc-06fe1a64761a0f720', 'peerVpcId': 'vpc-0a7b6c5d4e3f21098',
                                        'peerOwnerId': '123837392027'},
                                       {'requestId': 'b095e717-86e3-4b4b-9f2b-42d319ba95c9', 'vpcPeeringConnection': {
                                           'requesterVpcInfo': {'ownerId': '123837392027', 'vpcId': 'vpc-06fe1a64761a0f720',
                                                                'cidrBlock': '10.0.0.0/16', 'region': 'us-east-1'},
                                           'accepterVpcInfo': {'ownerId': '123837392027', 'vpcId': 'vpc-0a7b6c5d4e3f21098',
                                                               'region': 'us-east-1'},
                                           'status': {'code': 'initiating-request', 'message': 'Initiating Request to 123837392027'},
                                           'tagSet': {}, 'vpcPeeringConnectionId': 'pcx-0d1e2f3a4b5c6d7e8'}}),
        'AcceptVpcPeeringConnection': ({'vpcPeeringConnectionId': 'pcx-0d1e2f3a4b5c6d7e8'},
                                       {'requestId': 'b095e717-86e3-4b4b-9f2b-42d319ba95c9', 'vpcPeeringConnection': {
                                           'status': {'code': 'provisioning', 'message': 'Provisioning'},
                                           'vpcPeeringConnectionId': 'pcx-0d1e2f3a4b5c6d7e8'}}),
        'DeleteVpcPeeringConnection': ({'vpcPeeringConnectionId': 'pcx-0d1e2f3a4b5c6d7e8'}, EC2R()),
        'RejectVpcPeeringConnection': ({'vpcPeeringConnectionId': 'pcx-0d1e2f3a4b5c6d7e8'}, EC2R()),
        'AttachClassicLinkVpc': ({'instanceId': 'i-0dbc91f429e48eeed', 'vpcId': 'vpc-06fe1a64761a0f720',
                                  'groupSet': {'items': [{'groupId': 'sg-04cfb7a4712d75b00'}]}}, EC2R()),
        'DetachClassicLinkVpc': ({'instanceId': 'i-0dbc91f429e48eeed', 'vpcId': 'vpc-06fe1a64761a0f720'}, EC2R()),
        'EnableVpcClassicLink': ({'vpcId': 'vpc-06fe1a64761a0f720'}, EC2R()),
        'DisableVpcClassicLink': ({'vpcId': 'vpc-06fe1a64761a0f720'}, EC2R()),
    },
}
HOSTS = {'iam.amazonaws.com': 'iam.amazonaws.com', 'cloudtrail.amazonaws.com': 'cloudtrail.us-east-1.amazonaws.com',
         'kms.amazonaws.com': 'kms.us-east-1.amazonaws.com', 's3.amazonaws.com': 'app-assets-123837392027.s3.us-east-1.amazonaws.com',
         'config.amazonaws.com': 'config.us-east-1.amazonaws.com', 'ec2.amazonaws.com': 'ec2.us-east-1.amazonaws.com'}


def extra_records():
  out = []
  for source, names in EXTRAS.items():
    for name, (req, resp) in names.items():
      r = {'eventVersion': '1.08',
           'userIdentity': {'type': 'IAMUser', 'principalId': 'AIDATFQR7NSC5AU2ZV3IE',
                            'arn': 'arn:aws:iam::123837392027:user/bert-jan', 'accountId': '123837392027',
                            'accessKeyId': 'AKIATFQR7NSC8Q4X20BJ', 'userName': 'bert-jan'},
           'eventSource': source, 'eventName': name, 'sourceIPAddress': '192.168.10.20', 'userAgent': TF_UA,
           'requestParameters': req, 'responseElements': resp,
           'requestID': 'NDWM1TJTAVTRM8FN' if source == 's3.amazonaws.com' else '3eab6845-8fc5-4519-8970-d8ba456afe8b',
           'eventID': '59526cdd-e3c3-479a-9f8d-da12e2cfa1f8', 'readOnly': False, 'eventType': 'AwsApiCall',
           'managementEvent': True, 'recipientAccountId': '123837392027', 'eventCategory': 'Management',
           'tlsDetails': {'tlsVersion': 'TLSv1.2', 'cipherSuite': 'ECDHE-RSA-AES128-GCM-SHA256',
                          'clientProvidedHostHeader': HOSTS[source]}}
      if source == 's3.amazonaws.com':
        r['additionalEventData'] = {'SignatureVersion': 'SigV4', 'CipherSuite': 'ECDHE-RSA-AES128-GCM-SHA256',
                                    'bytesTransferredIn': 0, 'AuthenticationMethod': 'AuthHeader',
                                    'x-amz-id-2': 'DHHJ5nPs/IFMD8ZnPDTj7jK2Y5p9Lbi4Llx+0k5M+ryQha+ilD7Id4HYRCj5pTQlOEQEa8kqTnAclxWPpL/E8g==',
                                    'bytesTransferredOut': 0}
        r['resources'] = [{'accountId': '123837392027', 'type': 'AWS::S3::Bucket', 'ARN': 'arn:aws:s3:::app-assets-123837392027'}]
      if source == 'kms.amazonaws.com':
        r['resources'] = [{'accountId': '123837392027', 'type': 'AWS::KMS::Key',
                           'ARN': 'arn:aws:kms:us-east-1:123837392027:key/dad21b23-9915-42bd-981b-2a9f3c8f20c8'}]
      out.append(r)
  return out


def main():
  recs = load()
  by_name = collections.OrderedDict()
  for r in recs:
    if 'eventName' not in r or r.get('eventSource') == 'signin.amazonaws.com':
      continue  # sign-in events are built by the generator (tools/corpus/signin.cc)
    by_name.setdefault(r['eventName'], []).append(r)
  real_names = set(by_name)
  for r in extra_records():
    if r['eventName'] not in real_names:
      by_name.setdefault(r['eventName'], []).append(r)
  missing = WATCHED - set(by_name)
  assert not missing, missing

  ua_index = collections.OrderedDict()
  errors, error_index = [], {}
  events, templates = [], []
  for name in sorted(by_name):
    rs = by_name[name]
    source = collections.Counter(r['eventSource'] for r in rs).most_common(1)[0][0]
    rs = [r for r in rs if r['eventSource'] == source]
    ok = [r for r in rs if 'errorCode' not in r] or rs
    # Templates: records at size quantiles (1 + log2(n), at most 4), so the size distribution survives.
    k = min(len(ok), 1 + int(math.log2(len(ok))), 4)
    ok_sorted = sorted(ok, key=lambda r: (len(compact(r)), compact(r)))
    picks = sorted({min(len(ok_sorted) - 1, int((i + 0.5) * len(ok_sorted) / k)) for i in range(k)})
    first = len(templates)
    for p in picks:
      templates.append(make_template(ok_sorted[p], ua_index))
    errs = collections.Counter()
    for r in rs:
      if 'errorCode' in r:
        errs[(r['errorCode'], norm(r.get('errorMessage')) if r.get('errorMessage') is not None else None)] += 1
    efirst = len(errors)
    for (code, msg), c in sorted(errs.items(), key=lambda x: (-x[1], x[0][0], x[0][1] or '')):
      errors.append((code, msg, c))
    events.append({'name': name, 'source': source, 'weight': len(rs) if name in real_names else 0,
                   'errors': sum(errs.values()), 'tfirst': first, 'tend': len(templates),
                   'efirst': efirst, 'eend': len(errors), 'watched': name in WATCHED})

  w = sys.stdout.write
  w('// catalog_data.inc: GENERATED by tools/corpus/make_catalog.py — do not edit; rerun the script.\n')
  w('// Derived from real CloudTrail records: invictus-ir/aws_dataset @ 4667aa9c (MIT, Copyright 2023 Invictus\n')
  w('// Incident Response) and ccbrown/cloud-snitch test data @ f7d4e11c (MIT), identifiers replaced by markers;\n')
  w('// plus hand-written templates for the CIS-watched names those records lack. Included by catalog.cc only.\n\n')
  w('constexpr const char* kUserAgents[] = {\n')
  for ua in ua_index:
    w('    %s,\n' % cstr(ua))
  w('};\n\n')
  w('constexpr CatalogError kErrors[] = {\n')
  for code, msg, c in errors:
    w('    {%s, %s, %d},\n' % (cstr(code), cstr(msg), c))
  w('};\n\n')
  w('constexpr CatalogTemplate kTemplates[] = {\n')
  for t in templates:
    w('    {%s,\n     %s,\n     %s,\n     %s,\n     %s,\n' % (cstr(t['request']), cstr(t['response']), cstr(t['additional']),
                                                   cstr(t['resources']), cstr(t['service_details'])))
    w('     %s, %s, %s, %s, %d, %s,\n' % (cstr(t['request_id']), cstr(t['shared_event_id']), cstr(t['vpc_endpoint']),
                                        cstr(t['api_version']), t['user_agent'], cstr(t['source_ip'])))
    w('     IdentityKind::%s, %s, %s, %s,\n' % (t['identity'], cstr(t['identity_json']), cstr(t['invoked_by']),
                                               'true' if t['mfa'] else 'false'))
    w('     %d, %s, %s, %d, %s, %s},\n' % (t['tls'], cstr(t['host']), 'true' if t['console'] else 'false',
                                          t['read_only'], cstr(t['event_type']), cstr(t['event_version'])))
  w('};\n\n')
  w('constexpr CatalogEvent kEvents[] = {\n')
  for e in events:
    w('    {%s, %s, %d, %d, %d, %d, %d, %d, %s},\n' % (
        cstr(e['name']), cstr(e['source']), e['weight'], e['errors'], e['tfirst'], e['tend'], e['efirst'], e['eend'],
        'true' if e['watched'] else 'false'))
  w('};\n')
  sys.stderr.write('%d names, %d templates, %d user agents, %d errors, %d records\n' % (
      len(events), len(templates), len(ua_index), len(errors), len(recs)))


if __name__ == '__main__':
  main()
