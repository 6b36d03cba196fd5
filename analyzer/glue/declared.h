// The Glue settings infrastructure code declares (a Terraform plan or state, a CloudFormation
// template), read into a snapshot whose places are in that file, so that the pack runs on it
// (PackOptions::declared_only) with the account glue/declared_account.h reads from the same file.
#pragma once

#include <string>
#include <vector>

#include "glue/snapshot.h"
#include "json/node.h"

namespace grantlint::glue {

// From `terraform show -json`: aws_glue_data_catalog_encryption_settings,
// aws_glue_security_configuration, aws_glue_job, aws_glue_crawler, aws_glue_dev_endpoint and
// aws_glue_connection in every module. Empty when the file declares none of them; a file with
// several catalog settings (one per account or Region) gives a snapshot for each after the first.
std::vector<Snapshot> declared_in_terraform(const json::Node& root, SourceId source, const std::string& path);

// From a CloudFormation template (JSON or YAML, already parsed): AWS::Glue::
// DataCatalogEncryptionSettings, SecurityConfiguration, Job, Crawler, DevEndpoint and
// Connection. A value an intrinsic function gives is unknown: a security configuration named
// by `Ref` to one of the template's is that one; any other is not evaluated. nullopt when the
// template declares none of them, several snapshots for several catalog settings.
std::vector<Snapshot> declared_in_cloudformation(const json::Node& root, SourceId source, const std::string& path);

}  // namespace grantlint::glue
