// A specs tree with one operation using every kind of relation (`relations:`), written to a
// temporary folder by the tests: the real specs have none yet. The protocol file is the real one.
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { SPECS } from "../../helpers.js";

export const SERVICE_YAML = `# yaml-language-server: $schema=../schema/service.schema.json
service: relx
title: Relations test service
description: A service whose one operation states relations between its request fields.
package:
  name: '@rtc-apigen/relx'
protocol:
  name: tc3
  service: trtc
  version: "2019-07-22"
endpoints:
  - id: default
    host: trtc.tencentcloudapi.com
    default: true
    description: The endpoint.
    source: page
regions:
  required: false
  values: []
sources:
  - id: page
    title: The operation's page
`;

/** DescribeCallDetailInfo, trimmed: its page's relations, transcribed. */
export const OPERATION_YAML = `# yaml-language-server: $schema=../schema/operation.schema.json
name: DescribeCallDetailInfo
action: DescribeCallDetailInfo
summary: Query the users and call quality of a time range.
description: Queries the user list and call metrics.
source: page
relations:
  - kind: max-span
    from: StartTime
    to: EndTime
    within: 1h
    when: { field: DataType, present: true }
    error: InvalidParameter.TimeRange
    description: If DataType is not null, the end time and start time cannot be more than one hour apart.
    source: page
  - kind: max-span
    from: StartTime
    to: EndTime
    within: 4h
    error: InvalidParameter.TimeRange
    description: The period queried cannot exceed four hours.
  - kind: order
    first: StartTime
    then: EndTime
    allowEqual: false
    error: InvalidParameter.EndTs
  - kind: bound
    field: PageSize
    maximum: 6
    when: { field: DataType, present: true }
    description: If DataType is not null, the value of PageSize cannot exceed 6.
  - kind: bound
    field: UserIds
    maxItems: 6
    when: { field: DataType, present: true }
  - kind: max-span
    from: FirstMs
    to: LastMs
    within: 90s
    when: { field: Mode, equals: fast }
    error: InvalidParameter.TimeRange
  - kind: order
    first: FromDay
    then: ToDay
request:
  fields:
    StartTime:
      type: uint64
      js: number
      required: true
      format: unix-time
      unit: seconds
      description: The start time (Unix seconds).
    EndTime:
      type: uint64
      js: number
      required: true
      format: unix-time
      unit: seconds
      description: The end time (Unix seconds).
    DataType:
      type: string[]
      description: The metrics to query.
    UserIds:
      type: string[]
      maxItems: 100
      description: The users to query.
    PageSize:
      type: uint64
      js: number
      minimum: 1
      maximum: 100
      description: The number of records per page.
    Mode:
      type: string
      enum: [fast, full]
      description: How to query.
    FirstMs:
      type: integer
      format: unix-time
      unit: milliseconds
      description: The first sample (Unix milliseconds).
    LastMs:
      type: integer
      format: unix-time
      unit: milliseconds
      description: The last sample (Unix milliseconds).
    FromDay:
      type: string
      format: date
      description: The first day.
    ToDay:
      type: string
      format: date
      description: The last day.
response:
  fields:
    Total:
      type: uint64
      js: number
      required: true
      description: The number of users.
    RequestId:
      type: string
      required: true
      description: The unique request ID.
errors:
  - code: InvalidParameter.TimeRange
    description: The time range is too long.
    retryable: false
  - code: InvalidParameter.EndTs
    description: Invalid end time.
    retryable: false
examples: []
`;

/** Writes the tree under `dir` (its \`specs/\`); returns the specs folder. */
export async function writeRelationSpecs(dir: string, operation = OPERATION_YAML): Promise<string> {
  const specs = path.join(dir, "specs");
  await mkdir(path.join(specs, "relx"), { recursive: true });
  await mkdir(path.join(specs, "protocols"), { recursive: true });
  await writeFile(path.join(specs, "protocols", "tc3.yaml"), await readFile(path.join(SPECS, "protocols", "tc3.yaml"), "utf8"));
  await writeFile(path.join(specs, "relx", "service.yaml"), SERVICE_YAML);
  await writeFile(path.join(specs, "relx", "DescribeCallDetailInfo.yaml"), operation);
  return specs;
}
