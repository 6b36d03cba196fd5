// Variants of the Glue sample that exercise what the sample itself does not: each copies
// policies/glue/sample, changes one thing, scans it, and checks the findings that must
// appear and disappear (glue-rules.md §7, "rules deliberately not triggered").
//   node tests/glue/variants_test.mjs GRANTLINT SAMPLE_DIR
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const [grantlint, sample] = process.argv.slice(2);
const work = mkdtempSync(join(tmpdir(), "grantlint-glue-"));
let failures = 0;

const read = (dir, file) => JSON.parse(readFileSync(join(dir, file), "utf8"));
const write = (dir, file, value) => writeFileSync(join(dir, file), JSON.stringify(value, null, 2));
const iam = "iam/get-account-authorization-details.json";
const catalogKeyPolicy = "kms/keys/3f2b8c1e-7a4d-4e2b-9c61-0d5e8a7b1c01/get-key-policy.json";
const role = (dir, name) => {
  const doc = read(dir, iam);
  return [doc, doc.RoleDetailList.find((r) => r.RoleName === name)];
};

function scan(dir) {
  let out;
  try {
    out = execFileSync(grantlint, ["scan", dir, "--format", "json", "--fail-on", "none"], { encoding: "utf8" });
  } catch (error) {
    out = error.stdout;  // exit 2: notifications; the report is still written
  }
  return JSON.parse(out);
}

function first(finding) {
  const location = (finding.logicalLocations ?? [])[0];
  return location ? location.name : "";
}

// A finding's message and its related locations' messages (which point at the statements
// that refuse or condition a grant).
const text = (f) => [f.message, ...(f.related ?? []).map((r) => r.message)].join("\n");

// checks: [ruleId, component name or "", present?, optional fragment of the message or a related message]
function variant(name, change, checks) {
  const dir = join(work, name.replace(/[^a-z0-9]+/gi, "-"));
  cpSync(sample, dir, { recursive: true });
  change(dir);
  const report = scan(dir);
  const before = failures;
  for (const [rule, component, present, fragment] of checks) {
    const hits = report.findings.filter((f) => (rule === "" || f.ruleId === rule) &&
                                               (component === "" || first(f) === component) &&
                                               (!fragment || text(f).includes(fragment)));
    if ((hits.length > 0) !== present) {
      console.error(`FAIL ${name}: expected ${rule} on \`${component}\` ${present ? "present" : "absent"}` +
                    (fragment ? ` (with "${fragment}")` : ""));
      failures++;
    }
  }
  if (failures === before) console.log(`ok ${name}`);
}

variant("catalog and passwords not encrypted", (dir) => {
  const settings = read(dir, "glue/get-data-catalog-encryption-settings.json");
  settings.DataCatalogEncryptionSettings.EncryptionAtRest = { CatalogEncryptionMode: "DISABLED" };
  settings.DataCatalogEncryptionSettings.ConnectionPasswordEncryption = { ReturnConnectionPasswordEncrypted: false };
  write(dir, "glue/get-data-catalog-encryption-settings.json", settings);
}, [["GLUE-ENC-01", "catalog", true], ["GLUE-ENC-02", "catalog", true], ["GLUE-IAM-02", "", false],
    ["GLUE-IAM-03", "", false]]);

variant("no KMS endpoint in the sales VPC", (dir) => {
  const endpoints = read(dir, "ec2/describe-vpc-endpoints.json");
  endpoints.VpcEndpoints = endpoints.VpcEndpoints.filter((e) => e.VpcEndpointId !== "vpce-0f1a2b3c4d5e60b02");
  write(dir, "ec2/describe-vpc-endpoints.json", endpoints);
}, [["GLUE-NET-06", "sales-postgres", true], ["GLUE-NET-06", "analytics-mysql", false]]);

variant("catalog key policy without IAM delegation", (dir) => {
  const wrapper = read(dir, catalogKeyPolicy);
  const policy = JSON.parse(wrapper.Policy);
  policy.Statement = policy.Statement.filter((s) => s.Sid !== "Enable IAM User Permissions");
  wrapper.Policy = JSON.stringify(policy, null, 2);
  write(dir, catalogKeyPolicy, wrapper);
}, [["GLUE-KMS-05", "3f2b8c1e-7a4d-4e2b-9c61-0d5e8a7b1c01", true],
    ["GLUE-IAM-02", "sales-daily-etl", true, "neither the principal nor the account"]]);

variant("a Deny in the sales role", (dir) => {
  const [doc, salesRole] = role(dir, "AWSGlueServiceRole-SalesETL");
  salesRole.RolePolicyList.push({ PolicyName: "NoDecrypt", PolicyDocument: { Version: "2012-10-17", Statement: [
    { Effect: "Deny", Action: "kms:Decrypt", Resource: "*" }] } });
  write(dir, iam, doc);
}, [["GLUE-IAM-02", "sales-daily-etl", true, "kms:Decrypt"], ["GLUE-IAM-02", "sales-daily-etl", true, "denies `kms:Decrypt`"],
    ["GLUE-IAM-02", "sales-postgres-crawler", false]]);

// A Region guard: the sample's keys are in us-east-1, whose endpoint the job's KMS calls reach
// (aws:RequestedRegion is the key's Region, h56 M2).
variant("a Deny of KMS outside another Region in the sales role", (dir) => {
  const [doc, salesRole] = role(dir, "AWSGlueServiceRole-SalesETL");
  salesRole.RolePolicyList.push({ PolicyName: "RegionGuard", PolicyDocument: { Version: "2012-10-17", Statement: [
    { Effect: "Deny", Action: "kms:*", Resource: "*", Condition: { StringNotEquals: { "aws:RequestedRegion": "eu-west-1" } } }] } });
  write(dir, iam, doc);
}, [["GLUE-IAM-02", "sales-daily-etl", true, "`kms:Decrypt`, `kms:Encrypt`"]]);

variant("a Deny of KMS outside the keys' Region in the sales role", (dir) => {
  const [doc, salesRole] = role(dir, "AWSGlueServiceRole-SalesETL");
  salesRole.RolePolicyList.push({ PolicyName: "RegionGuard", PolicyDocument: { Version: "2012-10-17", Statement: [
    { Effect: "Deny", Action: "kms:*", Resource: "*", Condition: { StringNotEquals: { "aws:RequestedRegion": "us-east-1" } } }] } });
  write(dir, iam, doc);
}, [["GLUE-IAM-02", "sales-daily-etl", false]]);

variant("a grant only through S3", (dir) => {
  const [doc, salesRole] = role(dir, "AWSGlueServiceRole-SalesETL");
  for (const policy of salesRole.RolePolicyList) {
    for (const statement of policy.PolicyDocument.Statement) {
      if (statement.Sid === "CatalogKey") {
        statement.Condition = { StringEquals: { "kms:ViaService": "s3.us-east-1.amazonaws.com" } };
      }
    }
  }
  write(dir, iam, doc);
}, [["GLUE-IAM-02", "sales-daily-etl", true]]);

variant("a grant under an unknowable condition", (dir) => {
  const [doc, salesRole] = role(dir, "AWSGlueServiceRole-SalesETL");
  for (const policy of salesRole.RolePolicyList) {
    for (const statement of policy.PolicyDocument.Statement) {
      if (statement.Sid === "CatalogKey") statement.Condition = { IpAddress: { "aws:SourceIp": "10.0.0.0/8" } };
    }
  }
  write(dir, iam, doc);
}, [["GLUE-IAM-02", "sales-daily-etl", true, "only under conditions on `aws:SourceIp`"],
    ["GLUE-IAM-02", "sales-daily-etl", true,
     "allows `kms:GenerateDataKey`, `kms:Decrypt`, `kms:Encrypt` only under conditions the snapshot cannot tell"]]);

variant("a permissions boundary", (dir) => {
  const [doc, salesRole] = role(dir, "AWSGlueServiceRole-SalesETL");
  const arn = "arn:aws:iam::111122223333:policy/S3Only";
  salesRole.PermissionsBoundary = { PermissionsBoundaryType: "Policy", PermissionsBoundaryArn: arn };
  doc.Policies.push({ PolicyName: "S3Only", Arn: arn, DefaultVersionId: "v1", PolicyVersionList: [
    { VersionId: "v1", IsDefaultVersion: true,
      Document: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:*", Resource: "*" }] } }] });
  write(dir, iam, doc);
}, [["GLUE-IAM-02", "sales-daily-etl", true], ["GLUE-IAM-04", "sales-daily-etl", true]]);

// A boundary the export names but does not hold, or holds unreadable: the pack says which.
for (const [name, listed] of [["a permissions boundary the export does not hold", false],
                              ["a permissions boundary the export holds unreadable", true]]) {
  variant(name, (dir) => {
    const [doc, salesRole] = role(dir, "AWSGlueServiceRole-SalesETL");
    const arn = "arn:aws:iam::111122223333:policy/Ceiling";
    salesRole.PermissionsBoundary = { PermissionsBoundaryType: "Policy", PermissionsBoundaryArn: arn };
    if (listed) {
      doc.Policies.push({ PolicyName: "Ceiling", Arn: arn, DefaultVersionId: "v1", PolicyVersionList: [
        { VersionId: "v1", IsDefaultVersion: true, Document: "%7B%22Version%22%3A%ZZ" }] });
    }
    write(dir, iam, doc);
  }, [["", "", true, listed ? "`arn:aws:iam::111122223333:policy/Ceiling`, which the export holds but whose " +
                                  "document could not be read"
                                : "`arn:aws:iam::111122223333:policy/Ceiling`, which the export does not hold"]]);
}

variant("the catalog encrypted through a service role", (dir) => {
  const settings = read(dir, "glue/get-data-catalog-encryption-settings.json");
  const rest = settings.DataCatalogEncryptionSettings.EncryptionAtRest;
  rest.CatalogEncryptionMode = "SSE-KMS-WITH-SERVICE-ROLE";
  rest.CatalogEncryptionServiceRole = "arn:aws:iam::111122223333:role/MarketingGlueJobRole";
  write(dir, "glue/get-data-catalog-encryption-settings.json", settings);
}, [["GLUE-IAM-02", "MarketingGlueJobRole", true], ["GLUE-IAM-02", "marketing-export", false],
    ["GLUE-IAM-02", "bob", false]]);

variant("operators who manage connections", (dir) => {
  const doc = read(dir, iam);
  const bob = doc.UserDetailList.find((u) => u.UserName === "bob");
  bob.UserPolicyList = [{ PolicyName: "Connections", PolicyDocument: { Version: "2012-10-17", Statement: [
    { Effect: "Allow", Action: ["glue:CreateConnection", "glue:UpdateConnection"], Resource: "*" }] } }];
  write(dir, iam, doc);
}, [["GLUE-IAM-03", "bob", true, "kms:Encrypt"], ["GLUE-IAM-03", "alice", false]]);

variant("a job list that is missing", (dir) => unlinkSync(join(dir, "glue/get-jobs.json")),
  [["ACC005", "", true, "glue/get-jobs.json"], ["GLUE-ENC-04", "marketing-s3-crawler", true],
   ["GLUE-IAM-04", "", false]]);

// Every rule a job's role or settings are asked is said not evaluated, and a key no crawler or
// endpoint uses is not judged unused: a job that was not read may use it.
variant("a job list cut off", (dir) => writeFileSync(join(dir, "glue/get-jobs.json"), '{"Jobs": [\n'),
  [["JSON001", "", true], ["ACC005", "", true, "`GLUE-IAM-07`, `GLUE-IAM-08`"], ["ACC005", "", true, "`GLUE-KMS-05`"],
   ["GLUE-KMS-01", "", true, "`glue/get-jobs.json` was not read"], ["GLUE-KMS-01", "", false, "(not used by any job"]]);

// Only the lists whose components could use a key leave its use unknown: dev endpoints write
// S3 output (sc-archive's S3 key), never job bookmarks (sc-legacy's bookmark key stays unused).
variant("a dev endpoint list that is missing", (dir) => unlinkSync(join(dir, "glue/get-dev-endpoints.json")),
  [["ACC005", "", true, "glue/get-dev-endpoints.json"],
   ["GLUE-KMS-03", "", true, "`glue/get-dev-endpoints.json` was not read"],
   ["GLUE-KMS-02", "", true, "(not used by any job, crawler or dev endpoint)"],
   ["GLUE-KMS-02", "", false, "was not read"]]);

variant("a crawler list that is not JSON", (dir) => writeFileSync(join(dir, "glue/get-crawlers.json"), '{"Crawlers": [}'),
  [["JSON001", "", true], ["ACC005", "", true, "glue/get-crawlers.json"], ["GLUE-IAM-04", "marketing-export", true]]);

// The jobs read are judged; the rules for those on later pages are said not evaluated, and a
// key no job read uses is not judged unused.
variant("a job list with more pages", (dir) => {
  const jobs = read(dir, "glue/get-jobs.json");
  jobs.NextToken = "eyJsYXN0IjoiMTAifQ==";
  write(dir, "glue/get-jobs.json", jobs);
}, [["ACC002", "", true, "NextToken"], ["GLUE-IAM-04", "marketing-export", true],
    ["ACC005", "", true, "`glue/get-jobs.json` of snapshot"], ["ACC005", "", true, "holds only some of its entries"],
    ["GLUE-KMS-02", "", true, "but part of `glue/get-jobs.json` was not read"],
    ["GLUE-KMS-02", "", false, "(not used by any job"]]);

variant("a job without a name", (dir) => {
  const jobs = read(dir, "glue/get-jobs.json");
  delete jobs.Jobs[0].Name;
  write(dir, "glue/get-jobs.json", jobs);
}, [["ACC001", "", true, "a job has no `Name`"], ["ACC005", "", true, "holds only some of its entries"]]);

// A missing input never turns a rule into a silent pass: every rule that needed it is named.
variant("no list-aliases.json", (dir) => unlinkSync(join(dir, "kms/list-aliases.json")),
  [["ACC005", "", true, "`kms/list-aliases.json` is missing"], ["ACC005", "", true, "`GLUE-KMS-01`"],
   ["ACC005", "", true, "`GLUE-IAM-03`"], ["ACC005", "", true, "`GLUE-KMS-05`"],
   ["GLUE-KMS-03", "", false, "list-aliases.json` is missing"]]);

variant("no kms/keys directory", (dir) => rmSync(join(dir, "kms/keys"), { recursive: true }),
  [["ACC005", "", true, "`kms/keys/` is missing"], ["ACC005", "", true, "`KMS001`"],
   ["ACC005", "", true, "`GLUE-KMS-04`"], ["ACC005", "", true, "`GLUE-KMS-05`"], ["ACC005", "", true, "`GLUE-IAM-02`"],
   ["GLUE-KMS-03", "", false, "is not in the snapshot"]]);

variant("kms/keys a file", (dir) => {
  rmSync(join(dir, "kms/keys"), { recursive: true });
  writeFileSync(join(dir, "kms/keys"), "x");
}, [["ACC005", "", true, "`kms/keys/` of snapshot"], ["ACC005", "", true, "`KMS001`"],
    ["ACC005", "", true, "`GLUE-KMS-05`"]]);

const logsKey = "kms/keys/4a6c8e0a-2c4e-4a6c-9e0a-9c1e3a5c7e09";
variant("a listed key without its directory", (dir) => rmSync(join(dir, logsKey), { recursive: true }),
  [["ACC005", "", true, `\`${logsKey}/\` is missing`], ["ACC005", "", true, "`GLUE-KMS-05`"],
   ["GLUE-KMS-03", "", false, "4a6c8e0a-2c4e-4a6c-9e0a-9c1e3a5c7e09"]]);

variant("a used key without its policy", (dir) => unlinkSync(join(dir, logsKey, "get-key-policy.json")),
  [["ACC005", "", true, `${logsKey}/get-key-policy.json\` is missing`], ["ACC005", "", true, "`GLUE-KMS-05`"]]);

variant("unused keys without their policies", (dir) => {
  for (const id of ["0b2d4f6b-8d0f-4b2d-a4f6-1e3a5c7e9b11", "6e8a0c2e-4a6c-4e8a-b0c2-0d2f4b6d8f10"]) {
    unlinkSync(join(dir, "kms/keys", id, "get-key-policy.json"));
  }
}, [["KMS001", "", false], ["ACC005", "", true, "0b2d4f6b-8d0f-4b2d-a4f6-1e3a5c7e9b11/get-key-policy.json` is missing"],
    ["ACC005", "", true, "6e8a0c2e-4a6c-4e8a-b0c2-0d2f4b6d8f10/get-key-policy.json` is missing from snapshot"]]);

variant("no crawler list", (dir) => unlinkSync(join(dir, "glue/get-crawlers.json")),
  [["GLUE-KMS-04", "", false], ["ACC005", "", true, "`GLUE-KMS-04`"]]);

variant("no security configurations", (dir) => unlinkSync(join(dir, "glue/get-security-configurations.json")),
  [["ACC005", "", true, "`GLUE-KMS-01`, `GLUE-KMS-02`, `GLUE-KMS-03`, `GLUE-KMS-04`, `GLUE-KMS-05`"]]);

// A list file that holds no list (`{}`, `null`, an object where the array goes) is unread, not
// an empty list: nothing it would name is called missing from it.
variant("security configurations that are not a list", (dir) => {
  write(dir, "glue/get-security-configurations.json", { SecurityConfigurations: { "sc-sales": {} } });
}, [["ACC001", "", true, "expected `SecurityConfigurations` to be an array"],
    ["ACC005", "", true, "`glue/get-security-configurations.json` of snapshot"],
    ["ACC005", "", true, "could not be read (reported as an error): `GLUE-ENC-04`"],
    ["GLUE-ENC-04", "", false, "which does not exist"], ["ACC005", "", false, "holds only some"]]);

variant("list-aliases.json of {}", (dir) => write(dir, "kms/list-aliases.json", {}),
  [["ACC005", "", true, "`kms/list-aliases.json` of snapshot"], ["ACC005", "", true, "`GLUE-KMS-03`"],
   ["GLUE-KMS-03", "", false, "is not in `kms/list-aliases.json`"]]);

variant("catalog settings of null", (dir) => {
  write(dir, "glue/get-data-catalog-encryption-settings.json", { DataCatalogEncryptionSettings: null });
}, [["ACC005", "", true, "`glue/get-data-catalog-encryption-settings.json` of snapshot"],
    ["ACC005", "", true, "`GLUE-IAM-02`"], ["GLUE-ENC-01", "", false], ["GLUE-ENC-02", "", false]]);

variant("a catalog mode that is a number", (dir) => {
  const settings = read(dir, "glue/get-data-catalog-encryption-settings.json");
  settings.DataCatalogEncryptionSettings.EncryptionAtRest.CatalogEncryptionMode = 1;
  write(dir, "glue/get-data-catalog-encryption-settings.json", settings);
}, [["ACC001", "", true, "`CatalogEncryptionMode` is a number"], ["GLUE-ENC-01", "catalog", true, "is `1`, which Glue"],
    ["GLUE-ENC-01", "", false, "`absent`"], ["ACC005", "", true, "`GLUE-IAM-02` not evaluated"]]);

variant("passwords encrypted written as a string", (dir) => {
  const settings = read(dir, "glue/get-data-catalog-encryption-settings.json");
  settings.DataCatalogEncryptionSettings.ConnectionPasswordEncryption.ReturnConnectionPasswordEncrypted = "true";
  write(dir, "glue/get-data-catalog-encryption-settings.json", settings);
}, [["ACC001", "", true, "is a string, expected a boolean"], ["GLUE-ENC-02", "", false]]);

// The manifest's account a digit off: the export's account is used, and the mismatch named.
variant("a manifest account that is not the export's", (dir) => {
  const manifest = read(dir, "manifest.json");
  manifest.account_id = "011122223333";
  write(dir, "manifest.json", manifest);
}, [["ACC001", "", true, "says its account is `011122223333`"], ["ACC005", "", false, "could not be read as an export"],
    ["GLUE-KMS-03", "", false, "in another account"], ["GLUE-IAM-02", "", true]]);

// A key whose describe-key.json is gone is still the key its directory names: its ARN is
// formed from its KeyId, never empty, and only what needs its spec is not evaluated.
const catalogKey = "kms/keys/3f2b8c1e-7a4d-4e2b-9c61-0d5e8a7b1c01";
variant("a Data Catalog key without its describe-key.json", (dir) => unlinkSync(join(dir, catalogKey, "describe-key.json")),
  [["ACC005", "", true, `${catalogKey}/describe-key.json\` is missing`], ["", "", false, "key ``"],
   ["GLUE-IAM-02", "marketing-export", true, "key `arn:aws:kms:us-east-1:111122223333:key/3f2b8c1e-"],
   ["GLUE-IAM-02", "sales-postgres-crawler", false]]);

variant("a Data Catalog key policy that does not parse", (dir) => {
  const file = read(dir, catalogKeyPolicy);
  file.Policy = file.Policy.slice(0, file.Policy.length / 2);
  write(dir, catalogKeyPolicy, file);
}, [["JSON001", "", true], ["ACC005", "", true, `${catalogKeyPolicy}\` of snapshot`],
    ["ACC005", "", false, `${catalogKeyPolicy}\` is missing`]]);

// Present but not of the shape it should be: "could not be read", never "missing", and one
// ACC001 for one value.
variant("a key policy given as an object", (dir) => {
  const file = read(dir, catalogKeyPolicy);
  file.Policy = JSON.parse(file.Policy);
  write(dir, catalogKeyPolicy, file);
}, [["ACC005", "", true, `${catalogKeyPolicy}\` of snapshot`], ["ACC005", "", false, `${catalogKeyPolicy}\` is missing`],
    ["ACC001", "", true, "`Policy` is an object, expected a string"], ["ACC001", "", false, "expected a `Policy` string"]]);

variant("key metadata of null", (dir) => {
  write(dir, `${catalogKey}/describe-key.json`, { KeyMetadata: null });
}, [["ACC001", "", true, "expected a `KeyMetadata` object"], ["ACC005", "", true, "describe-key.json` of snapshot"],
    ["ACC005", "", false, "describe-key.json` is missing"]]);

variant("a describe-key.json of another key", (dir) => {
  const file = read(dir, `${catalogKey}/describe-key.json`);
  file.KeyMetadata.KeyId = "00000000-0000-0000-0000-000000000000";
  write(dir, `${catalogKey}/describe-key.json`, file);
}, [["ACC001", "", true, "the directory's is used"], ["ACC005", "", false, "is missing"],
    ["GLUE-IAM-02", "marketing-export", true]]);

// A key repeated: its last value is read, as JSON004 says other readers do.
variant("a catalog mode written twice", (dir) => {
  const path = join(dir, "glue/get-data-catalog-encryption-settings.json");
  const text = readFileSync(path, "utf8").replace(/"CatalogEncryptionMode": "SSE-KMS"/,
                                                  '"CatalogEncryptionMode": "DISABLED", "CatalogEncryptionMode": "SSE-KMS"');
  writeFileSync(path, text);
}, [["JSON004", "", true], ["GLUE-ENC-01", "", false], ["GLUE-IAM-02", "marketing-export", true]]);

// An input that is not there is said not evaluated at the snapshot's own first file (its
// manifest), not at the IAM export.
{
  const dir = join(work, "missing-located-at-the-manifest");
  cpSync(sample, dir, { recursive: true });
  unlinkSync(join(dir, "glue/get-crawlers.json"));
  const notes = scan(dir).findings.filter((f) => f.ruleId === "ACC005" && f.message.includes("get-crawlers.json` is missing"));
  if (notes.length === 1 && notes[0].file.endsWith("manifest.json")) {
    console.log("ok a missing input is located at the manifest");
  } else {
    console.error(`FAIL a missing input is located at the manifest: ${JSON.stringify(notes.map((f) => f.file))}`);
    failures++;
  }
}

variant("no IAM export", (dir) => rmSync(join(dir, iam)),
  [["ACC005", "", true, "get-account-authorization-details"], ["ACC005", "", true, "`ACC101`, `ACC102`"], ["GLUE-ENC-04", "marketing-s3-crawler", true],
   ["GLUE-KMS-04", "sc-legacy", true], ["GLUE-IAM-02", "", false]]);

variant("an IAM export nested in a wrapper's object", (dir) => {
  write(dir, iam, { AccountId: "111122223333", Export: read(dir, iam) });
}, [["ACC001", "", true, "inside `Export`"], ["ACC005", "", true, "`ACC101`, `ACC102`"], ["GLUE-IAM-08", "", false]]);

// Values of the wrong type are not read as absent: the rules they decide are not evaluated.
const catalogFile = "glue/get-data-catalog-encryption-settings.json";
const edit = (file, change) => (dir) => { const doc = read(dir, file); change(doc); write(dir, file, doc); };
variant("a key's state written as a number", edit(`${catalogKey}/describe-key.json`, (doc) => { doc.KeyMetadata.KeyState = 1; }),
  [["ACC005", "", true, "`/KeyMetadata/KeyState` in"], ["GLUE-KMS-02", "", false, "3f2b8c1e"]]);
variant("a key's spec written as null", edit(`${catalogKey}/describe-key.json`, (doc) => {
  doc.KeyMetadata.KeySpec = null;
  doc.KeyMetadata.CustomerMasterKeySpec = null;
}), [["ACC005", "", true, "`/KeyMetadata/KeySpec` in"], ["GLUE-KMS-01", "", false, "3f2b8c1e"]]);
variant("a key's spec null beside its older name", edit(`${catalogKey}/describe-key.json`, (doc) => {
  doc.KeyMetadata.KeySpec = null;
  doc.KeyMetadata.CustomerMasterKeySpec = "SYMMETRIC_DEFAULT";
}), [["ACC005", "", false, "KeySpec"], ["GLUE-KMS-01", "", false, "3f2b8c1e"]]);
variant("a job's security configuration written as a number keeps a key's finding high", edit("glue/get-jobs.json", (doc) => {
  for (const job of doc.Jobs) if (job.SecurityConfiguration === "sc-reporting") job.SecurityConfiguration = 42;
}), [["GLUE-KMS-01", "", true, "whether it is used is not known"], ["GLUE-KMS-01", "", false, "not used by any"]]);
variant("S3Encryption written as an object", edit("glue/get-security-configurations.json", (doc) => {
  const config = doc.SecurityConfigurations[0].EncryptionConfiguration;
  config.S3Encryption = config.S3Encryption[0];
}), [["ACC005", "", true, "`/SecurityConfigurations/0/EncryptionConfiguration/S3Encryption` in `glue/get-security-configurations.json` is an object"], ["GLUE-ENC-05", "", false, "S3 encryption is `DISABLED`"]]);
variant("a crawler's security configuration written as a number", edit("glue/get-crawlers.json", (doc) => {
  doc.Crawlers[0].CrawlerSecurityConfiguration = 9;
}), [["ACC005", "", true, "`/Crawlers/0/CrawlerSecurityConfiguration` in"], ["GLUE-ENC-03", "", false, "sales-postgres-crawler"]]);
variant("EncryptionAtRest written as an array", edit(catalogFile, (doc) => {
  const settings = doc.DataCatalogEncryptionSettings;
  settings.EncryptionAtRest = [settings.EncryptionAtRest];
}), [["ACC005", "", true, "`GLUE-ENC-01`, `GLUE-IAM-02`"], ["GLUE-ENC-01", "", false]]);
variant("the catalog's key id written as a number", edit(catalogFile, (doc) => {
  doc.DataCatalogEncryptionSettings.EncryptionAtRest.SseAwsKmsKeyId = 7;
}), [["ACC005", "", true, "/EncryptionAtRest/SseAwsKmsKeyId` in"], ["GLUE-IAM-02", "", false], ["GLUE-KMS-03", "", false, "catalog"]]);
variant("the password key id written as a number", edit(catalogFile, (doc) => {
  doc.DataCatalogEncryptionSettings.ConnectionPasswordEncryption.AwsKmsKeyId = 7;
}), [["ACC005", "", true, "/ConnectionPasswordEncryption/AwsKmsKeyId` in"], ["GLUE-IAM-03", "", false], ["", "", false, "alias/aws/glue"]]);
variant("an alias name written as a number", edit("kms/list-aliases.json", (doc) => {
  for (const alias of doc.Aliases) if (alias.AliasName === "alias/glue-connection-password") alias.AliasName = 5;
}), [["ACC005", "", true, "holds only some of its entries"], ["GLUE-KMS-03", "", false, "glue-connection-password"]]);

variant("an IAM export of its users alone", (dir) => write(dir, iam, read(dir, iam).UserDetailList),
  [["ACC005", "", true, "it lists no roles at all"], ["GLUE-IAM-08", "", false, "which the IAM export does not hold"]]);
variant("a key policy without a statement", edit(catalogKeyPolicy, (doc) => {
  doc.Policy = JSON.stringify({ Version: "2012-10-17" });
}), [["POL006", "", true], ["GLUE-KMS-05", "", false, "3f2b8c1e"], ["GLUE-IAM-02", "", false, "3f2b8c1e"]]);
variant("a key policy string that is not JSON", edit(catalogKeyPolicy, (doc) => { doc.Policy = "{nope"; }),
  [["ACC005", "", true, "get-key-policy.json` of snapshot"]]);

// Files that disagree on the account or partition: reported, and the IAM export's and key
// directories' are used.
variant("a key's describe-key.json names another account", edit(`${catalogKey}/describe-key.json`, (doc) => {
  doc.KeyMetadata.Arn = doc.KeyMetadata.Arn.replace("111122223333", "999988887777");
  doc.KeyMetadata.AWSAccountId = "999988887777";
}), [["ACC001", "", true, "of account `999988887777`, but the snapshot's is `111122223333`"],
     ["GLUE-IAM-02", "", false, "999988887777"], ["GLUE-IAM-02", "", true, "111122223333:key/3f2b8c1e"]]);
variant("the manifest names another partition", edit("manifest.json", (doc) => { doc.partition = "aws-cn"; }),
  [["ACC001", "", true, "says its partition is `aws-cn`"], ["", "", false, "arn:aws-cn:"]]);
variant("the caller's account is not the manifest's",
  edit("sts/get-caller-identity.json", (doc) => { doc.Account = "999988887777"; }),
  [["ACC001", "", true, "`Account` is `999988887777`, but `manifest.json` says"]]);
variant("the manifest names another account and a key's describe-key.json is gone", (dir) => {
  edit("manifest.json", (doc) => { doc.account_id = "999988887777"; })(dir);
  edit("sts/get-caller-identity.json", (doc) => { doc.Account = "999988887777"; })(dir);
  unlinkSync(join(dir, catalogKey, "describe-key.json"));
}, [["ACC001", "", true, "the export's account is used"], ["", "", false, "999988887777:key/"]]);

// Overbroad grants (GLUE-IAM-12, GLUE-IAM-13, GLUE-KMS-06).
const salesPolicy = (doc) => doc.RoleDetailList.find((r) => r.RoleName === "AWSGlueServiceRole-SalesETL")
  .RolePolicyList[0].PolicyDocument;
const anyKey = { Sid: "AnyKey", Effect: "Allow", Action: ["kms:Decrypt", "kms:GenerateDataKey"], Resource: "*" };
variant("a Glue role that may decrypt with any key", (dir) => {
  const doc = read(dir, iam);
  salesPolicy(doc).Statement.push(anyKey);
  write(dir, iam, doc);
}, [["GLUE-IAM-12", "AWSGlueServiceRole-SalesETL", true, "use any key of the account (`kms:Decrypt`, `kms:GenerateDataKey`)"],
    ["GLUE-IAM-12", "AWSGlueServiceRole-SalesETL", true, "key/3f2b8c1e-7a4d-4e2b-9c61-0d5e8a7b1c01"],
    ["GLUE-IAM-12", "AWSGlueServiceRole-SalesETL", true, "used by job `sales-daily-etl`"],
    ["GLUE-IAM-12", "AWSGlueServiceRole-SalesCrawler", false]]);

variant("a Glue role's any-key grant under a tag condition", (dir) => {
  const doc = read(dir, iam);
  salesPolicy(doc).Statement.push({ ...anyKey, Condition: { StringEquals: { "aws:ResourceTag/team": "sales" } } });
  write(dir, iam, doc);
}, [["GLUE-IAM-12", "AWSGlueServiceRole-SalesETL", true, "under conditions on `aws:ResourceTag/team`"]]);

variant("a Glue role's any-key grant cut back by a Deny", (dir) => {
  const doc = read(dir, iam);
  const policy = salesPolicy(doc);
  const used = policy.Statement.flatMap((s) => [s.Resource].flat()).filter((r) => r.includes(":key/"));
  policy.Statement.push(anyKey, { Effect: "Deny", Action: "kms:*", NotResource: used });
  write(dir, iam, doc);
}, [["GLUE-IAM-12", "", false], ["GLUE-IAM-02", "sales-daily-etl", false]]);

variant("a Glue role allowed kms:* on its own key", (dir) => {
  const doc = read(dir, iam);
  const bookmark = salesPolicy(doc).Statement.find((s) => s.Sid === "BookmarkKey");
  bookmark.Action = "kms:*";
  write(dir, iam, doc);
}, [["GLUE-IAM-12", "AWSGlueServiceRole-SalesETL", true, "administer keys (`kms:DisableKey`, `kms:PutKeyPolicy`"],
    ["GLUE-IAM-05", "sales-daily-etl", false]]);

variant("an operator's own policy allows glue:*", (dir) => {
  const doc = read(dir, iam);
  const policy = doc.Policies.find((p) => p.PolicyName === "DataEngineerGlueAccess");
  policy.PolicyVersionList.find((v) => v.IsDefaultVersion).Document.Statement.push(
    { Effect: "Allow", Action: "glue:*", Resource: "*" });
  write(dir, iam, doc);
}, [["GLUE-IAM-13", "bob", true, "\"glue:PutDataCatalogEncryptionSettings\""], ["GLUE-IAM-13", "alice", false],
    ["GLUE-IAM-01", "bob", false]]);

variant("a Glue role allowed * on every key", (dir) => {
  const doc = read(dir, iam);
  salesPolicy(doc).Statement.push({ Effect: "Allow", Action: "*", Resource: "arn:aws:kms:us-east-1:111122223333:key/*" });
  write(dir, iam, doc);
}, [["GLUE-IAM-12", "AWSGlueServiceRole-SalesETL", true, "administer keys"]]);

const logsKeyPolicy = "kms/keys/c4e6a8b0-2d4f-4a6c-8e0b-4d6f8a0c2e04/get-key-policy.json";
const changeLogsStatement = (dir, change) => {
  const wrapper = read(dir, logsKeyPolicy);
  const policy = JSON.parse(wrapper.Policy);
  change(policy.Statement.find((s) => JSON.stringify(s.Principal).includes("logs.")));
  wrapper.Policy = JSON.stringify(policy, null, 2);
  write(dir, logsKeyPolicy, wrapper);
};
variant("CloudWatch Logs granted kms:* on its key", (dir) => changeLogsStatement(dir, (s) => { s.Action = "kms:*"; }),
  [["GLUE-KMS-06", "sc-sales", true, "`kms:CreateGrant`"], ["GLUE-KMS-04", "sc-sales", false]]);
variant("CloudWatch Logs granted kms:* under aws:SourceAccount", (dir) => changeLogsStatement(dir, (s) => {
  s.Action = "kms:*";
  s.Condition = { StringEquals: { "aws:SourceAccount": "111122223333" } };
}), [["GLUE-KMS-06", "sc-sales", true, "`kms:CreateGrant`"], ["GLUE-KMS-06", "sc-sales", false, "other accounts"]]);
variant("CloudWatch Logs key without an encryption-context condition",
  (dir) => changeLogsStatement(dir, (s) => { delete s.Condition; }),
  [["GLUE-KMS-06", "sc-sales", true, "admits the log groups of other accounts"]]);
variant("CloudWatch Logs key scoped to another log group", (dir) => changeLogsStatement(dir, (s) => {
  s.Condition = { ArnEquals: { "kms:EncryptionContext:aws:logs:arn": "arn:aws:logs:us-east-1:111122223333:log-group:/ecs/app" } };
}), [["GLUE-KMS-04", "sc-sales", true, "names the service but does not apply to `kms:Encrypt`"],
     ["GLUE-KMS-06", "", false]]);
variant("CloudWatch Logs key scoped to the account's log groups", (dir) => changeLogsStatement(dir, (s) => {
  s.Condition = { ArnLike: { "kms:EncryptionContext:aws:logs:arn": "arn:aws:logs:us-east-1:111122223333:*" } };
}), [["GLUE-KMS-06", "", false], ["GLUE-KMS-04", "sc-sales", false]]);

rmSync(work, { recursive: true, force: true });
if (failures > 0) process.exit(1);
