// The correct Glue setup (policies/glue/setup) must give exactly the findings of
// policies/glue/setup.expected.json, none of them a Glue finding; each broken variant
// (policies/glue/broken/*.json: a few changes to the setup's files) must give exactly the
// setup's findings plus its `add` and minus its `remove`. A finding is written
// `RULE severity where`: `where` is the name of its first logical location (the component,
// principal, key or security configuration), else its document and JSON pointer.
//   node tests/glue/broken_test.mjs GRANTLINT SETUP_DIR SETUP_EXPECTED BROKEN_DIR [--print NAME]
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const [grantlint, setup, setupExpected, brokenDir, flag, printName] = process.argv.slice(2);
const work = mkdtempSync(join(tmpdir(), "grantlint-broken-"));
let failures = 0;

function scan(dir) {
  let out;
  try {
    out = execFileSync(grantlint, ["scan", dir, "--format", "json", "--fail-on", "none"], { encoding: "utf8" });
  } catch (error) {
    out = error.stdout;  // exit 2: notifications; the report is still written
  }
  const report = JSON.parse(out);
  const keys = report.findings.map((f) => {
    const logical = (f.logicalLocations ?? [])[0];
    const where = logical ? logical.name : `${f.document}${f.pointer}` || f.file.slice(dir.length + 1);
    return `${f.ruleId} ${f.severity ?? f.level} ${where}`;
  });
  return { keys: keys.sort(), notifications: report.notifications };
}

// A JSON pointer's parent and last token; `-` appends to an array.
function locate(root, pointer) {
  const tokens = pointer.split("/").slice(1).map((t) => t.replace(/~1/g, "/").replace(/~0/g, "~"));
  let parent = root;
  for (const token of tokens.slice(0, -1)) {
    if (parent[token] === undefined) throw new Error(`no \`${token}\` on the way to ${pointer}`);
    parent = parent[token];
  }
  return [parent, tokens[tokens.length - 1]];
}

function apply(dir, change) {
  const path = join(dir, change.file);
  const file = JSON.parse(readFileSync(path, "utf8"));
  // `in`: a member holding a JSON document as a string (a key policy's `Policy`).
  const [holder, member] = change.in ? locate(file, change.in) : [null, null];
  const root = change.in ? JSON.parse(holder[member]) : file;
  const [parent, last] = locate(root, change.pointer);
  if (change.op === "remove") {
    if (Array.isArray(parent)) parent.splice(Number(last), 1);
    else delete parent[last];
  } else if (change.op === "append" || last === "-") {
    (last === "-" ? parent : parent[last]).push(change.value);
  } else if (change.op === "urlencode") {
    // As the IAM API returns documents: RFC 3986 URL-encoded JSON text.
    parent[last] = encodeURIComponent(JSON.stringify(parent[last]));
  } else if (change.op === "filter") {
    // Keep the elements of an array whose `by` member is not `value`.
    parent[last] = parent[last].filter((item) => item[change.by] !== change.value);
  } else {
    parent[last] = change.value;
  }
  if (change.in) holder[member] = JSON.stringify(root, null, 2);
  writeFileSync(path, JSON.stringify(file, null, 2));
}

function difference(got, want) {
  const count = (list) => list.reduce((m, k) => m.set(k, (m.get(k) ?? 0) + 1), new Map());
  const g = count(got), w = count(want);
  // With multiplicity: a finding expected twice and seen once is missing once.
  const minus = (a, b) => [...a].flatMap(([k, n]) => Array(Math.max(0, n - (b.get(k) ?? 0))).fill(k));
  return { missing: minus(w, g), unexpected: minus(g, w) };
}

const baseline = JSON.parse(readFileSync(setupExpected, "utf8")).findings;
const clean = scan(setup);
{
  const { missing, unexpected } = difference(clean.keys, baseline);
  for (const k of missing) { console.error(`FAIL setup: missing ${k}`); failures++; }
  for (const k of unexpected) { console.error(`FAIL setup: unexpected ${k}`); failures++; }
  if (baseline.some((k) => k.startsWith("GLUE-") || k.startsWith("ACC005"))) {
    console.error("FAIL setup: the correct setup's expected findings hold a Glue finding");
    failures++;
  }
  if (clean.notifications.length > 0) { console.error(`FAIL setup: ${JSON.stringify(clean.notifications)}`); failures++; }
  if (failures === 0) console.log(`ok setup: ${clean.keys.length} findings, none of the Glue pack`);
}

const names = readdirSync(brokenDir).filter((f) => f.endsWith(".json")).sort();
for (const name of names) {
  if (flag === "--print" && name !== printName) continue;
  const variant = JSON.parse(readFileSync(join(brokenDir, name), "utf8"));
  const dir = join(work, name.replace(/\.json$/, ""));
  cpSync(setup, dir, { recursive: true });
  try {
    for (const change of variant.changes) apply(dir, change);
  } catch (error) {
    console.error(`FAIL ${name}: ${error.message}`);
    failures++;
    continue;
  }
  const got = scan(dir).keys;
  if (flag === "--print") {
    const { missing, unexpected } = difference(got, baseline);
    console.log(JSON.stringify({ add: unexpected, remove: missing }, null, 2));
    continue;
  }
  // The setup's findings minus `remove`, plus `add`.
  const want = difference(baseline, variant.expected.remove ?? []).unexpected.concat(variant.expected.add ?? []);
  const { missing, unexpected } = difference(got, want);
  for (const k of missing) { console.error(`FAIL ${name}: missing ${k}`); failures++; }
  for (const k of unexpected) { console.error(`FAIL ${name}: unexpected ${k}`); failures++; }
  if (!variant.expected.add?.length && !variant.expected.remove?.length) {
    console.error(`FAIL ${name}: a broken variant must change the findings`);
    failures++;
  }
  if (missing.length === 0 && unexpected.length === 0) console.log(`ok ${name}: ${variant.description}`);
}

rmSync(work, { recursive: true, force: true });
if (failures > 0) process.exit(1);
