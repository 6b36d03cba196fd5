// The invented sample account (policies/glue/sample) must give exactly the Glue findings of
// policies/glue/sample.expected.json (rule, severity, component), and none on the
// components it lists as correct.
//   node tests/glue/sample_test.mjs GRANTLINT SNAPSHOT_DIR EXPECTED_JSON
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";

const [grantlint, snapshot, expectedFile] = process.argv.slice(2);
let output;
try {
  output = execFileSync(grantlint, ["scan", snapshot, "--format", "json", "--fail-on", "none"], { encoding: "utf8" });
} catch (error) {
  console.error(`grantlint failed: ${error.message}`);
  process.exit(1);
}
const report = JSON.parse(output);
const expected = JSON.parse(readFileSync(expectedFile, "utf8"));

// The component a finding is about, in the expected file's notation.
const prefixes = { job: "job", crawler: "crawler", devEndpoint: "devendpoint", connection: "connection", key: "key",
                   user: "principal", role: "principal" };
function component(finding) {
  const first = (finding.logicalLocations ?? [])[0];
  if (!first) return "?";
  if (first.kind === "securityConfiguration") return `securityconfig:${first.fullyQualifiedName}`;
  if (first.kind === "role" && finding.ruleId === "GLUE-IAM-09") return `role:${first.name}`;
  return `${prefixes[first.kind] ?? first.kind}:${first.name}`;
}

const got = report.findings.filter((f) => f.ruleId.startsWith("GLUE-"))
  .map((f) => `${f.ruleId} ${f.severity.toUpperCase()} ${component(f)}`).sort();
const want = expected.findings.map((f) => `${f.rule} ${f.severity} ${f.resource}`).sort();

let failed = false;
const count = (list) => list.reduce((m, k) => m.set(k, (m.get(k) ?? 0) + 1), new Map());
const gotCount = count(got), wantCount = count(want);
for (const [key, n] of wantCount) {
  if ((gotCount.get(key) ?? 0) < n) { console.error(`missing: ${key}`); failed = true; }
}
for (const [key, n] of gotCount) {
  if ((wantCount.get(key) ?? 0) < n) { console.error(`unexpected: ${key}`); failed = true; }
}
for (const clean of expected.must_not_flag) {
  const hits = got.filter((line) => line.endsWith(` ${clean}`));
  for (const hit of hits) { console.error(`flagged a correct component: ${hit}`); failed = true; }
}
if (report.notifications.length > 0) { console.error(`notifications: ${JSON.stringify(report.notifications)}`); failed = true; }
const notEvaluated = report.findings.filter((f) => f.ruleId === "ACC005");
for (const f of notEvaluated) { console.error(`not evaluated: ${f.message}`); failed = true; }
if (failed) process.exit(1);
console.log(`ok: ${got.length} Glue findings, exactly the expected ones; ${expected.must_not_flag.length} components clean`);
