#include "policy/resource_type.h"

#include <algorithm>
#include <array>

namespace grantlint::policy {

namespace {

constexpr std::array<std::string_view, 1> kS3 = {"s3"};
constexpr std::array<std::string_view, 2> kObjectLambda = {"s3-object-lambda", "s3"};
constexpr std::array<std::string_view, 1> kDynamoDb = {"dynamodb"};

constexpr std::array<std::string_view, 2> kBucketArns = {"bucket", "object"};
constexpr std::array<std::string_view, 2> kAccessPointArns = {"accesspoint", "accesspointobject"};
constexpr std::array<std::string_view, 1> kMultiRegionArns = {"multiregionaccesspoint"};
constexpr std::array<std::string_view, 1> kObjectLambdaArns = {"objectlambdaaccesspoint"};
constexpr std::array<std::string_view, 3> kTableArns = {"table", "index", "stream"};

// In the policy of a bucket (or an access point) the resource is always the owner's: these keys
// hold the same value in every request the policy sees (Access Analyzer names `s3:ResourceAccount`).
constexpr std::array<std::string_view, 4> kS3FixedKeys = {"s3:ResourceAccount", "aws:ResourceAccount",
                                                          "aws:ResourceOrgID", "aws:ResourceOrgPaths"};
constexpr std::array<std::string_view, 3> kFixedKeys = {"aws:ResourceAccount", "aws:ResourceOrgID",
                                                        "aws:ResourceOrgPaths"};

// Quotas from each service's documentation: S3 bucket and access point policies 20 KB, DynamoDB
// resource policies 20 KB counting white space; none published for the other two. S3 does not
// say whether white space counts: the lenient reading (characters without it) is taken.
constexpr std::array kTypes = {
    ResourceType{"AWS::S3::Bucket", "S3 bucket", kS3, kBucketArns, 20480, false, "S3 bucket policies", kS3FixedKeys},
    ResourceType{"AWS::S3::AccessPoint", "S3 access point", kS3, kAccessPointArns, 20480, false,
                 "S3 access point policies", kS3FixedKeys},
    ResourceType{"AWS::S3::MultiRegionAccessPoint", "S3 Multi-Region Access Point", kS3, kMultiRegionArns, 0, true,
                 "", kS3FixedKeys},
    ResourceType{"AWS::S3ObjectLambda::AccessPoint", "S3 Object Lambda access point", kObjectLambda,
                 kObjectLambdaArns, 0, true, "", kFixedKeys},
    ResourceType{"AWS::DynamoDB::Table", "DynamoDB table", kDynamoDb, kTableArns, 20480, true,
                 "DynamoDB resource policies", kFixedKeys},
};

}  // namespace

std::span<const ResourceType> all_resource_types() { return kTypes; }

const ResourceType* find_resource_type(std::string_view name) {
  const auto* it = std::ranges::find(kTypes, name, &ResourceType::name);
  return it == kTypes.end() ? nullptr : &*it;
}

}  // namespace grantlint::policy
