// Policy-file mode: `grantlint check` in a repository whose `.grantlint.json` maps policy
// files to Glue roles, jobs, crawlers, operators and keys (policies/glue/repo) runs the Glue
// pack's permission rules and locates each finding in those files. Each case copies the
// repository, changes it, runs `check` from inside it and checks the findings and where
// they point.
//   node tests/glue/files_test.mjs GRANTLINT REPO_DIR
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const [grantlint, repo] = process.argv.slice(2).map((arg) => resolve(arg));  // `check` runs elsewhere
const work = mkdtempSync(join(tmpdir(), "grantlint-files-"));
let failures = 0;

const read = (dir, file) => JSON.parse(readFileSync(join(dir, file), "utf8"));
const write = (dir, file, value) => writeFileSync(join(dir, file), JSON.stringify(value, null, 2));

function check(cwd, args) {
  let out;
  try {
    out = execFileSync(grantlint, ["check", ...args, "--format", "json", "--fail-on", "none"],
                       { cwd, encoding: "utf8" });
  } catch (error) {
    out = error.stdout;
  }
  return JSON.parse(out);
}

// expect: [ruleId, file the finding points at, line, present?, optional message fragment]
function testCase(name, change, args, expect, cwd = "") {
  const dir = join(work, name.replace(/[^a-z0-9]+/gi, "-"));
  cpSync(repo, dir, { recursive: true });
  change(dir);
  const report = check(join(dir, cwd), args);
  const before = failures;
  for (const [rule, file, line, present, fragment] of expect) {
    const hits = report.findings.filter((f) => f.ruleId === rule && (file === "" || f.file.replace(/^\.\//, "") === file) &&
                                               (line === 0 || f.region.startLine === line) &&
                                               (!fragment || f.message.includes(fragment)));
    if ((hits.length > 0) !== present) {
      const seen = report.findings.map((f) => `${f.ruleId} ${f.file}:${f.region.startLine}`).join(", ");
      console.error(`FAIL ${name}: expected ${rule} at ${file}:${line} ${present ? "present" : "absent"}` +
                    (fragment ? ` (with "${fragment}")` : "") + `; saw ${seen || "nothing"}`);
      failures++;
    }
  }
  if (failures === before) console.log(`ok ${name}`);
  return report;
}

const etl = "iam/orders-etl.json";
const without = (sid) => (dir) => {
  const policy = read(dir, etl);
  policy.Statement = policy.Statement.filter((s) => s.Sid !== sid);
  write(dir, etl, policy);
};
const lineOf = (dir, file, text) => readFileSync(join(dir, file), "utf8").split("\n").findIndex((l) => l.includes(text)) + 1;

{
  const report = testCase("the correct repository", () => {}, ["."], []);
  if (report.findings.length !== 0 || report.notifications.length !== 0) {
    console.error(`FAIL the correct repository: ${report.findings.length} findings`);
    failures++;
  }
}

// Which line of the configuration names the job's role.
const roleLine = lineOf(repo, ".grantlint.json", '"role": "AWSGlueServiceRole-OrdersETL"');
testCase("a role without the catalog key", without("CatalogKey"), ["."],
         [["GLUE-IAM-02", ".grantlint.json", roleLine, true, "job `orders-nightly-etl`"],
          ["GLUE-IAM-02", "", 0, false, "user `carol`"]]);
testCase("a role without the bookmark key, checked by the file alone (pre-commit)", without("BookmarkKey"), [etl],
         [["GLUE-IAM-05", ".grantlint.json", roleLine, true, "bookmark"]]);
testCase("a role that may use any key", (dir) => {
  const policy = read(dir, etl);
  policy.Statement.push({ Sid: "AnyKey", Effect: "Allow", Action: "kms:Decrypt", Resource: "*" });
  write(dir, etl, policy);
}, ["."], [["GLUE-IAM-12", etl, 0, true, "arn:aws:kms:eu-west-1:444455556666:key/3f2b8c1e"]]);
testCase("a logs key policy granting kms:*", (dir) => {
  const policy = read(dir, "kms/logs-key-policy.json");
  policy.Statement[2].Action = "kms:*";
  write(dir, "kms/logs-key-policy.json", policy);
}, ["."], [["GLUE-KMS-06", "kms/logs-key-policy.json", 0, true, "`kms:CreateGrant`"],
           ["KMS002", "kms/logs-key-policy.json", 0, true]]);
testCase("a logs key policy without the service", (dir) => {
  const policy = read(dir, "kms/logs-key-policy.json");
  policy.Statement = policy.Statement.slice(0, 2);
  write(dir, "kms/logs-key-policy.json", policy);
}, ["."], [["GLUE-KMS-04", ".grantlint.json", 0, true, "logs.eu-west-1.amazonaws.com"]]);
testCase("a role trusting EC2", (dir) => {
  const trust = read(dir, "iam/glue-trust.json");
  trust.Statement[0].Principal.Service = "ec2.amazonaws.com";
  write(dir, "iam/glue-trust.json", trust);
}, ["."], [["GLUE-IAM-08", ".grantlint.json", roleLine, true], ["GLUE-IAM-08", ".grantlint.json", 0, true, "crawler"]]);
testCase("an operator without the security-configuration actions", (dir) => {
  const policy = read(dir, "iam/glue-encryption-admins.json");
  policy.Statement[0].Action = policy.Statement[0].Action.filter((a) => !a.includes("SecurityConfiguration"));
  write(dir, "iam/glue-encryption-admins.json", policy);
}, ["."], [["GLUE-IAM-01", ".grantlint.json", 0, true, "user `carol`"]]);
testCase("a catalog key policy without IAM delegation", (dir) => {
  const policy = read(dir, "kms/catalog-key-policy.json");
  policy.Statement = policy.Statement.filter((s) => s.Sid !== "Enable IAM User Permissions");
  write(dir, "kms/catalog-key-policy.json", policy);
}, ["."], [["GLUE-KMS-05", "kms/catalog-key-policy.json", 0, true]]);

testCase("a development endpoint whose role lacks the S3 key", (dir) => {
  const config = read(dir, ".grantlint.json");
  config.glue.dev_endpoints = { "orders-dev": { role: "AWSGlueServiceRole-OrdersCrawler", encrypts: ["s3"] } };
  write(dir, ".grantlint.json", config);
}, ["."], [["GLUE-IAM-04", ".grantlint.json", 0, true, "dev endpoint `orders-dev`"],
           ["GLUE-IAM-04", "", 0, false, "job `orders-nightly-etl`"]]);

testCase("one key for two purposes, its policy named once", (dir) => {
  const config = read(dir, ".grantlint.json");
  config.glue.keys.bookmarks = { arn: config.glue.keys.cloudwatch.arn };
  write(dir, ".grantlint.json", config);
}, ["."], [["GLUE-KMS-04", "", 0, false], ["CFG001", "", 0, false]]);
testCase("a policy file as get-role-policy prints it", (dir) => {
  const policy = read(dir, etl);
  policy.Statement.push({ Sid: "AnyKey", Effect: "Allow", Action: "kms:Decrypt", Resource: "*" });
  write(dir, etl, { RoleName: "AWSGlueServiceRole-OrdersETL", PolicyName: "etl", PolicyDocument: policy });
}, ["."], [["GLUE-IAM-12", etl, 0, true]]);
{
  // The pointer of a finding in a wrapped document includes the wrapper's.
  const report = testCase("its pointer", (dir) => {
    const policy = read(dir, etl);
    policy.Statement.push({ Sid: "AnyKey", Effect: "Allow", Action: "kms:Decrypt", Resource: "*" });
    write(dir, etl, { RoleName: "AWSGlueServiceRole-OrdersETL", PolicyName: "etl", PolicyDocument: policy });
  }, ["."], []);
  const hit = report.findings.find((f) => f.ruleId === "GLUE-IAM-12");
  if (!hit || !hit.pointer.startsWith("/PolicyDocument/Statement/")) {
    console.error(`FAIL its pointer: ${hit ? hit.pointer : "no GLUE-IAM-12"}`);
    failures++;
  }
}
testCase("a region of 50,000 characters", (dir) => {
  const config = read(dir, ".grantlint.json");
  config.glue.region = "eu-" + "a".repeat(50000) + "-1";
  write(dir, ".grantlint.json", config);
}, ["."], [["CFG001", ".grantlint.json", 0, true, "is not an AWS Region name"]]);

// A policy file that is a link loop is named with the system's reason, not as missing.
testCase("a policy file that is a link loop", (dir) => {
  rmSync(join(dir, "iam/orders-etl.json"));
  symlinkSync("orders-etl.json", join(dir, "iam/orders-etl.json"));
}, ["."], [["CFG001", ".grantlint.json", 0, true, "cannot read `iam/orders-etl.json`: Too many levels of symbolic links"],
           ["CFG001", ".grantlint.json", 0, false, "no such file"]]);

// The configuration itself.
testCase("a misspelt member, an undeclared role, a missing file", (dir) => {
  const config = read(dir, ".grantlint.json");
  config.glue.roles["AWSGlueServiceRole-OrdersETL"].polices = ["iam/orders-etl.json"];
  config.glue.crawlers["orders-db-crawler"].role = "AWSGlueServiceRole-OrderCrawler";
  write(dir, ".grantlint.json", config);
}, ["."], [["CFG001", ".grantlint.json", 0, true, "unknown member `polices`"],
           ["CFG001", ".grantlint.json", 0, true, "did you mean `policies`?"],
           ["CFG001", ".grantlint.json", 0, true, "did you mean `AWSGlueServiceRole-OrdersCrawler`?"],
           ["GLUE-IAM-02", "", 0, false]]);
testCase("an account and a Region that are not", (dir) => {
  const config = read(dir, ".grantlint.json");
  config.glue.account = "4444";
  config.glue.region = "europe";
  write(dir, ".grantlint.json", config);
}, ["."], [["CFG001", ".grantlint.json", 0, true, "account `4444` is not a 12-digit AWS account id"],
           ["CFG001", ".grantlint.json", 0, true, "region `europe` is not an AWS Region name"]]);
testCase("a policy file that does not exist", (dir) => {
  const config = read(dir, ".grantlint.json");
  config.glue.roles["AWSGlueServiceRole-OrdersETL"].policies.push("iam/missing.json");
  write(dir, ".grantlint.json", config);
}, ["."], [["CFG001", ".grantlint.json", 0, true, "cannot read `iam/missing.json`"]]);
testCase("a policy file that is a device", (dir) => {
  const config = read(dir, ".grantlint.json");
  config.glue.roles["AWSGlueServiceRole-OrdersETL"].policies.push("/dev/zero");
  write(dir, ".grantlint.json", config);
}, ["."], [["CFG001", ".grantlint.json", 0, true, "cannot read `/dev/zero`: a device, not a file"]]);
testCase("a policy file that is not a policy", (dir) => {
  writeFileSync(join(dir, etl), "{\"Version\": \"2012-10-17\", \"Statement\": [");
}, [etl], [["JSON001", etl, 0, true], ["CFG001", ".grantlint.json", 0, true, "holds no policy"]]);
// A policy file that cannot be used is CFG001, and the pack runs without it: the other role's
// findings stay, and what needed the file is said not to be evaluated.
testCase("one role's policy file broken", (dir) => {
  without("S3OutputKey")(dir);
  writeFileSync(join(dir, "iam/orders-crawler.json"), "{\"Version\": \"2012-10-17\", \"Statement\": [");
}, ["."], [["GLUE-IAM-04", ".grantlint.json", roleLine, true, "job `orders-nightly-etl`"],
           ["CFG001", ".grantlint.json", 0, true, "`iam/orders-crawler.json` holds no policy"],
           ["ACC005", ".grantlint.json", 0, true,
            "role `AWSGlueServiceRole-OrdersCrawler` has the policy file `iam/orders-crawler.json`, which cannot be used"],
           ["GLUE-IAM-02", "", 0, false, "crawler"]]);
testCase("a key policy file broken", (dir) => {
  without("S3OutputKey")(dir);
  writeFileSync(join(dir, "kms/logs-key-policy.json"), "[]");
}, ["."], [["GLUE-IAM-04", ".grantlint.json", roleLine, true, "job `orders-nightly-etl`"],
           ["CFG001", ".grantlint.json", 0, true, "`kms/logs-key-policy.json` holds no policy"],
           ["ACC005", ".grantlint.json", 0, true, "is in `kms/logs-key-policy.json`, which cannot be used (CFG001)"],
           ["GLUE-KMS-04", "", 0, false]]);
// A missing file beside a readable one may hold a Deny: what the role or operator is allowed is
// not known, and its rules are not judged on the readable file alone (h51 M1); nor is a role's
// trust when its trust file is missing.
testCase("a missing policy file beside a readable one, and a missing trust file", (dir) => {
  const config = read(dir, ".grantlint.json");
  config.glue.roles["AWSGlueServiceRole-OrdersETL"].policies.push("iam/missing.json");
  config.glue.roles["AWSGlueServiceRole-OrdersCrawler"].trust = "iam/missing-trust.json";
  write(dir, ".grantlint.json", config);
}, ["."], [["CFG001", ".grantlint.json", 0, true, "cannot read `iam/missing.json`"],
           ["ACC005", ".grantlint.json", 0, true,
            "role `AWSGlueServiceRole-OrdersETL` has the policy file `iam/missing.json`, which cannot be used (CFG001)"],
           ["ACC005", ".grantlint.json", 0, true,
            "role `AWSGlueServiceRole-OrdersCrawler` has a trust policy file that cannot be used (CFG001), so whom it " +
            "trusts is not known: `GLUE-IAM-08` not evaluated"]]);
// A role's `arn` names a role, and a key's policy file is a key policy (h51 L1).
testCase("a role whose arn is a user's", (dir) => {
  const config = read(dir, ".grantlint.json");
  config.glue.roles["AWSGlueServiceRole-OrdersETL"].arn = "arn:aws:iam::444455556666:user/notarole";
  write(dir, ".grantlint.json", config);
}, ["."], [["CFG001", ".grantlint.json", 0, true,
            "`arn:aws:iam::444455556666:user/notarole` is not an IAM role's ARN"],
           ["GLUE-IAM-04", "", 0, false]]);
testCase("a key policy file that is an identity policy", (dir) => {
  const config = read(dir, ".grantlint.json");
  config.glue.keys.catalog.policy = etl;
  write(dir, ".grantlint.json", config);
}, ["."], [["CFG001", ".grantlint.json", 0, true,
            "`iam/orders-etl.json` is not a key policy: none of its statements has a `Principal`"],
           ["ACC005", ".grantlint.json", 0, true, "is in `iam/orders-etl.json`, which cannot be used (CFG001)"]]);
// A trust file also listed as a role's policy is still the trust of every role that names it
// (h52 H4: read once as an identity policy, both roles "could not be assumed"), and is no
// identity policy; an identity policy given as a trust is no trust policy.
testCase("a trust file listed as a policy too", (dir) => {
  const config = read(dir, ".grantlint.json");
  config.glue.roles["AWSGlueServiceRole-OrdersETL"].policies.push("iam/glue-trust.json");
  write(dir, ".grantlint.json", config);
}, ["."], [["CFG001", ".grantlint.json", 0, true, "`iam/glue-trust.json` is not an identity policy"],
           ["GLUE-IAM-08", "", 0, false]]);
testCase("an identity policy given as a trust", (dir) => {
  const config = read(dir, ".grantlint.json");
  config.glue.roles["AWSGlueServiceRole-OrdersCrawler"].trust = etl;
  write(dir, ".grantlint.json", config);
}, ["."], [["CFG001", ".grantlint.json", 0, true, "`iam/orders-etl.json` is not a trust policy"],
           ["ACC005", ".grantlint.json", 0, true,
            "role `AWSGlueServiceRole-OrdersCrawler` has a trust policy file that cannot be used (CFG001)"],
           ["GLUE-IAM-08", "", 0, false]]);
// An operator whose policy file cannot be used may be the one who passes a role: not "no
// operator may pass it" (h52 M1). A file listed twice is named once (h52 L4).
testCase("an operator with a missing policy file", (dir) => {
  const config = read(dir, ".grantlint.json");
  config.glue.operators.carol.policies.push("missing-passrole.json", "missing-passrole.json");
  config.glue.roles.EtlRole = { policies: [etl], trust: "iam/glue-trust.json" };
  config.glue.jobs["orders-nightly-etl"].role = "EtlRole";
  write(dir, ".grantlint.json", config);
}, ["."], [["GLUE-IAM-10", ".grantlint.json", 0, true,
            "whether a Glue operator may pass it is not known: user `carol` has a policy that cannot be used"],
           ["GLUE-IAM-10", ".grantlint.json", 0, false, "no Glue operator may pass it"],
           ["ACC005", ".grantlint.json", 0, true, "has the policy file `missing-passrole.json`, which cannot be used"],
           ["ACC005", ".grantlint.json", 0, false, "`missing-passrole.json`, `missing-passrole.json`"]]);
testCase("a missing policy file spelled three ways", (dir) => {
  const config = read(dir, ".grantlint.json");
  config.glue.roles["AWSGlueServiceRole-OrdersETL"].policies.push("./iam/missing.json", "iam/missing.json",
                                                                   "iam//missing.json");
  write(dir, ".grantlint.json", config);
}, ["."], [["ACC005", ".grantlint.json", 0, true, "has the policy file `iam/missing.json`, which cannot be used"]]);
// A role's `arn` has a name IAM allows (h52 L1); a job that runs as a role whose `arn` was refused
// is not told the role is undeclared (h52 L2).
// Of a partition and an account, without a Region (review of dcff0b7).
for (const arn of ["arn:aws:iam::444455556666:role/", "arn:aws:iam::444455556666:role/*",
                   "arn:aws:iam::444455556666:role/a b", "arn:bogus:iam::444455556666:role/x",
                   "arn:aws:iam::abc:role/x", "arn:aws:iam:us-east-1:444455556666:role/x"]) {
  testCase(`a role arn ${arn}`, (dir) => {
    const config = read(dir, ".grantlint.json");
    config.glue.roles["AWSGlueServiceRole-OrdersETL"].arn = arn;
    write(dir, ".grantlint.json", config);
  }, ["."], [["CFG001", ".grantlint.json", 0, true, `\`${arn}\` is not an IAM role's ARN`],
             ["CFG001", ".grantlint.json", 0, false, "does not declare"]]);
}
testCase("run from a subdirectory", without("S3OutputKey"), ["orders-etl.json"],
         [["GLUE-IAM-04", "../.grantlint.json", roleLine, true]], "iam");
testCase("--config none", without("S3OutputKey"), [".", "--config", "none"], [["GLUE-IAM-04", "", 0, false]]);

rmSync(work, { recursive: true, force: true });
if (failures > 0) process.exit(1);
