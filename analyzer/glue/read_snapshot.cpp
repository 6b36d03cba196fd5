#include "glue/read_snapshot.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <functional>
#include <optional>
#include <set>
#include <system_error>

#include "base/strings.h"
#include "json/parse.h"
#include "json/pointer.h"
#include "match/arn.h"
#include "rules/registry.h"

namespace grantlint::glue {

namespace fs = std::filesystem;
using json::Node;
using json::Type;

std::string_view input_path(Input input) {
  switch (input) {
    case Input::authorization_details: return "iam/get-account-authorization-details.json";
    case Input::catalog_settings: return "glue/get-data-catalog-encryption-settings.json";
    case Input::security_configurations: return "glue/get-security-configurations.json";
    case Input::jobs: return "glue/get-jobs.json";
    case Input::crawlers: return "glue/get-crawlers.json";
    case Input::dev_endpoints: return "glue/get-dev-endpoints.json";
    case Input::connections: return "glue/get-connections.json";
    case Input::aliases: return "kms/list-aliases.json";
    case Input::security_groups: return "ec2/describe-security-groups.json";
    case Input::subnets: return "ec2/describe-subnets.json";
    case Input::vpc_endpoints: return "ec2/describe-vpc-endpoints.json";
    case Input::kCount: break;
  }
  return "";
}

std::string_view to_string(ComponentKind kind) {
  switch (kind) {
    case ComponentKind::job: return "job";
    case ComponentKind::crawler: return "crawler";
    case ComponentKind::dev_endpoint: return "dev endpoint";
  }
  return "";
}

bool snapshot_reads(std::string_view relative) {
  // Any file may be gzip-compressed in place (`NAME.json.gz`).
  if (relative.ends_with(".json.gz")) relative.remove_suffix(3);
  if (relative == "manifest.json" || relative == "kms/list-keys.json" || relative == "sts/get-caller-identity.json") {
    return true;
  }
  for (std::size_t i = 0; i < static_cast<std::size_t>(Input::kCount); ++i) {
    if (relative == input_path(static_cast<Input>(i))) return true;
  }
  // kms/keys/ID/FILE, ec2/vpc-attributes/ID/FILE: the files a resource's directory holds. A file
  // beside those directories is the folder reader's too: it names it as not read.
  struct ResourceFolder {
    std::string_view folder;
    std::array<std::string_view, 2> files;
  };
  static constexpr ResourceFolder kResourceFolders[] = {
      {"kms/keys/", {"describe-key.json", "get-key-policy.json"}},
      {"ec2/vpc-attributes/", {"enableDnsSupport.json", "enableDnsHostnames.json"}},
  };
  for (const ResourceFolder& resource : kResourceFolders) {
    if (!relative.starts_with(resource.folder)) continue;
    const std::string_view rest = relative.substr(resource.folder.size());
    const auto slash = rest.find('/');
    if (slash == std::string_view::npos) return true;
    return slash > 0 && std::ranges::find(resource.files, rest.substr(slash + 1)) != resource.files.end();
  }
  return false;
}

bool is_snapshot_directory(const std::string& directory) {
  std::error_code error;
  const fs::path root(directory);
  if (fs::is_regular_file(root / "manifest.json", error)) return true;
  return fs::is_directory(root / "iam", error) && fs::is_directory(root / "glue", error);
}

namespace {

std::string child(const std::string& pointer, std::string_view key) { return json::pointer_append(pointer, key); }
std::string child(const std::string& pointer, std::size_t index) { return fmt::format("{}/{}", pointer, index); }

// A member of a snapshot file's object: the last of a repeated key, as the AWS CLI's own JSON
// reader, jq and most others keep it (JSON004 says so of the repeat).
const Node* last(const Node& object, std::string_view key) {
  for (auto member = object.members.rbegin(); member != object.members.rend(); ++member) {
    if (member->key == key) return &member->value;
  }
  return nullptr;
}

// What a component's security configuration decides, for one whose name cannot be read.
constexpr std::string_view kConfigurationRules =
    "GLUE-ENC-03 GLUE-ENC-04 GLUE-ENC-05 GLUE-IAM-04 GLUE-IAM-05 GLUE-IAM-06 GLUE-KMS-01 GLUE-KMS-02 GLUE-KMS-03 "
    "GLUE-KMS-04 GLUE-KMS-05";

// One parsed file of the snapshot and the accessors every reader below uses: a field of the
// wrong type is a finding (ACC001) and reads as absent, or as kNotRead where a rule judges it
// (judged_text).

class File {
 public:
  File(const Node& root, SourceId source, std::string_view name, DiagnosticSink& sink,
       std::vector<Snapshot::Undecided>& undecided)
      : root_(root), source_(source), name_(name), emit_(sink, source), undecided_(undecided) {}

  const Node& root() const { return root_; }
  Place place(const Node& node, std::string pointer) const { return Place{source_, node.span, std::move(pointer)}; }

  void shape(const Node& node, const std::string& pointer, std::string_view what) {
    emit_.emit(rules::kMalformedExport, node.span, pointer, fmt::format("`{}`: {}", name_, what));
  }

  // An entry of the file's list that is reported and not read (a job without a `Name`): the
  // file then holds only some of its entries.
  void left_out(const Node& node, const std::string& pointer, std::string_view what) {
    shape(node, pointer, what);
    partial_ = true;
  }
  // Whether entries of the file's list are not read: later pages (a pagination token left),
  // a list that is not an array, entries left out.
  [[nodiscard]] bool partial() const { return partial_; }
  // Whether the file does not hold what it is read for at all (`{}`, `null` where its list or
  // object goes): it counts as unread, not as an empty list, whose absent entries would be
  // findings ("names a security configuration that does not exist").
  [[nodiscard]] bool unusable() const { return unusable_; }
  void mark_unusable() { unusable_ = true; }
  [[nodiscard]] SourceId source() const { return source_; }
  [[nodiscard]] std::string_view name() const { return name_; }

  const Node* field(const Node& object, std::string_view key, const std::string& pointer, Type type) {
    const Node* node = last(object, key);
    if (node == nullptr || node->is(Type::null)) return nullptr;
    if (!node->is(type)) {
      shape(*node, child(pointer, key),
            fmt::format("`{}` is {}, expected {}", key, json::type_name(node->type), json::type_name(type)));
      return nullptr;
    }
    return node;
  }

  std::optional<Text> text(const Node& object, std::string_view key, const std::string& pointer) {
    const Node* node = field(object, key, pointer, Type::string);
    if (node == nullptr || node->text.empty()) return std::nullopt;
    return Text{node->text, place(*node, child(pointer, key))};
  }

  // A value the rules `rules` judge: one of another type (reported; `null` too, when AWS never
  // writes one there) reads as kNotRead, and those rules are not evaluated for it (ACC005),
  // rather than judged as if it were absent.
  std::optional<Text> judged_text(const Node& object, std::string_view key, const std::string& pointer,
                                  std::string_view rules, bool null_is_wrong = false) {
    const Node* node = last(object, key);
    if (node == nullptr || node->is(Type::string) || (node->is(Type::null) && !null_is_wrong)) {
      return text(object, key, pointer);
    }
    const std::string at = child(pointer, key);
    shape(*node, at, fmt::format("`{}` is {}, expected a string", key, json::type_name(node->type)));
    undecided_.push_back(Snapshot::Undecided{
        place(*node, at),
        fmt::format("`{}` in `{}` is {}, not a string (reported as an error)", at, name_, json::type_name(node->type)),
        std::string(rules)});
    return Text{std::string(kNotRead), place(*node, at)};
  }
  std::string judged_string(const Node& object, std::string_view key, const std::string& pointer,
                            std::string_view rules, bool null_is_wrong = false) {
    auto found = judged_text(object, key, pointer, rules, null_is_wrong);
    return found ? std::move(found->value) : std::string();
  }

  std::string string(const Node& object, std::string_view key, const std::string& pointer) {
    auto found = text(object, key, pointer);
    return found ? std::move(found->value) : std::string();
  }

  std::optional<bool> boolean(const Node& object, std::string_view key, const std::string& pointer) {
    const Node* node = field(object, key, pointer, Type::boolean);
    if (node == nullptr) return std::nullopt;
    return node->text == "true";
  }

  std::optional<std::int64_t> integer(const Node& object, std::string_view key, const std::string& pointer) {
    const Node* node = field(object, key, pointer, Type::number);
    if (node == nullptr) return std::nullopt;
    try {
      return std::stoll(node->text);
    } catch (...) {
      shape(*node, child(pointer, key), fmt::format("`{}` is not a whole number", key));
      return std::nullopt;
    }
  }

  // Calls `each` for every object of the array `key`.
  void objects(const Node& object, std::string_view key, const std::string& pointer,
               const std::function<void(const Node&, const std::string&)>& each) {
    const Node* list = field(object, key, pointer, Type::array);
    if (list == nullptr) return;
    const std::string at = child(pointer, key);
    for (std::size_t i = 0; i < list->items.size(); ++i) {
      const Node& item = list->items[i];
      if (!item.is(Type::object)) {
        shape(item, child(at, i), fmt::format("an entry of `{}` is {}, expected an object", key, type_name(item.type)));
        if (pointer.empty()) partial_ = true;  // an entry of the file's own list
        continue;
      }
      each(item, child(at, i));
    }
  }

  std::vector<Text> strings(const Node& object, std::string_view key, const std::string& pointer) {
    std::vector<Text> out;
    const Node* list = field(object, key, pointer, Type::array);
    if (list == nullptr) return out;
    for (std::size_t i = 0; i < list->items.size(); ++i) {
      const Node& item = list->items[i];
      if (item.is(Type::string)) out.push_back(Text{item.text, place(item, child(child(pointer, key), i))});
    }
    return out;
  }

  // The top-level list of a paginated command's output; a leftover pagination token means
  // the file holds only the first pages.
  const Node* list(std::string_view key) {
    for (const std::string_view token : {"NextToken", "NextMarker", "Marker"}) {
      const Node* node = last(root_, token);
      if (node != nullptr && node->is(Type::string) && !node->text.empty()) {
        emit_.emit(
            rules::kTruncatedExport, node->span, child("", token),
            fmt::format("`{}` ends with `{}`, so more pages follow: their entries are not analysed", name_, token));
        partial_ = true;
      }
    }
    if (const Node* truncated = last(root_, "Truncated"); truncated != nullptr && truncated->text == "true") {
      emit_.emit(rules::kTruncatedExport, truncated->span, "/Truncated",
                 fmt::format("`{}` says it is truncated: later entries are not analysed", name_));
      partial_ = true;
    }
    const Node* node = last(root_, key);
    if (node == nullptr || !node->is(Type::array)) {
      unusable_ = true;
      shape(node != nullptr ? *node : root_, node != nullptr ? child("", key) : "",
            fmt::format("expected `{}` to be an array", key));
      return nullptr;
    }
    return node;
  }

 private:
  const Node& root_;
  SourceId source_;
  std::string_view name_;
  Emitter emit_;
  bool partial_ = false;
  bool unusable_ = false;
  std::vector<Snapshot::Undecided>& undecided_;
};

class SnapshotReader {
 public:
  SnapshotReader(const std::string& directory, SourceSet& sources, DiagnosticSink& sink,
                 std::vector<ToolNotification>& notifications)
      : root_(directory), sources_(sources), sink_(sink), notifications_(notifications) {
    snapshot_.directory = directory;
  }

  Snapshot read() {
    read_manifest();
    read_authorization_details();
    with(Input::catalog_settings, [&](File& file) { catalog(file); });
    with(Input::security_configurations, [&](File& file) { security_configurations(file); });
    with(Input::jobs, [&](File& file) { jobs(file); });
    with(Input::crawlers, [&](File& file) { crawlers(file); });
    with(Input::dev_endpoints, [&](File& file) { dev_endpoints(file); });
    with(Input::connections, [&](File& file) { connections(file); });
    with(Input::aliases, [&](File& file) { aliases(file); });
    with(Input::security_groups, [&](File& file) { security_groups(file); });
    with(Input::subnets, [&](File& file) { subnets(file); });
    with(Input::vpc_endpoints, [&](File& file) { vpc_endpoints(file); });
    read_keys();
    read_vpc_attributes();
    fill_account_and_region();
    return std::move(snapshot_);
  }

 private:
  std::string display(std::string_view relative) const { return (fs::path(root_) / relative).string(); }

  // Whether the layout's directory `relative` (and each one above it) can be searched, as far
  // as it exists. One that is a file, or that may not be searched, would make every file in it
  // look absent: it is named as not read, once.
  bool reachable(const fs::path& relative) {
    fs::path at = root_;
    for (const fs::path& part : relative) {
      at /= part;
      std::error_code error;
      const fs::file_status status = fs::status(at, error);
      if (status.type() == fs::file_type::not_found) return true;  // absent: its files are missing
      std::string why;
      if (error) {
        why = error.message();
      } else if (status.type() != fs::file_type::directory) {
        why = "not a directory, where the snapshot's layout wants one";
      } else if (access(at.c_str(), X_OK) != 0) {
        why = std::strerror(errno);
      }
      if (why.empty()) continue;
      if (unreachable_.insert(at.string()).second) {
        notifications_.push_back(
            ToolNotification{at.string(), fmt::format("cannot read directory `{}`: {}", at.string(), why)});
      }
      return false;
    }
    return true;
  }

  // Whether the layout's file `relative` is there to be read, and the path to read: the file,
  // or `relative.gz` in its place (every file may be gzip-compressed). Absent is a missing
  // file; a directory above it that cannot be searched, or a status that cannot be read, is
  // named, and the file is then unread rather than missing.
  struct Located {
    bool there = false;
    std::string path;
  };
  Located locate(std::string_view relative) {
    if (!reachable(fs::path(relative).parent_path())) {
      snapshot_.unread.insert(std::string(relative));
      return {};
    }
    for (const std::string& path : {display(relative), display(relative) + ".gz"}) {
      std::error_code error;
      if (fs::exists(path, error)) {
        // Both: the plain file is read, and the other is said to be left unread (a compressed
        // copy written beside a stale one would otherwise pass unseen).
        const std::string other = display(relative) + ".gz";
        std::error_code other_error;
        if (path != other && fs::exists(other, other_error)) {
          notifications_.push_back(ToolNotification{
              other, fmt::format("`{}` is not read: the snapshot also holds `{}`, which is", other, path)});
        }
        return Located{true, path};
      }
      // A link whose target is gone (a volume not mounted) is a file that cannot be read, not
      // one the snapshot leaves out: reading it reports why.
      std::error_code link_error;
      if (!error && fs::is_symlink(fs::symlink_status(path, link_error))) return Located{true, path};
      if (error) {
        notifications_.push_back(ToolNotification{path, fmt::format("cannot read `{}`: {}", path, error.message())});
        snapshot_.unread.insert(std::string(relative));
        return {};
      }
    }
    return {};
  }

  // Reads and parses one file; nullopt when it is absent, unreadable or not JSON (the last two
  // are named, and the file counts as unread).
  std::optional<std::pair<SourceId, Node>> parse(std::string_view relative) {
    const Located located = locate(relative);
    if (!located.there) return std::nullopt;
    const std::string& path = located.path;
    auto bytes = read_file_padded(path);
    if (!bytes) {
      notifications_.push_back(ToolNotification{path, bytes.error().message});
      snapshot_.unread.insert(std::string(relative));
      return std::nullopt;
    }
    if (!bytes->left_unread().empty()) notifications_.push_back(ToolNotification{path, bytes->left_unread()});
    const SourceId id = sources_.add_padded(path, std::move(*bytes));
    if (!snapshot_.first_file) snapshot_.first_file = id;
    Emitter emit(sink_, id);
    auto root = parser_.parse(sources_.get(id).text(), json::OffsetMap::shifted(0), emit);
    if (!root || !root->is(Type::object)) {
      if (root) emit.emit(rules::kMalformedExport, root->span, "", fmt::format("`{}` is not a JSON object", relative));
      snapshot_.unread.insert(std::string(relative));
      snapshot_.unparsed.emplace(relative, id);
      return std::nullopt;
    }
    return std::pair{id, std::move(*root)};
  }

  // A file that parsed but does not hold what it is read for: unread, with its source.
  void unread(std::string_view relative, SourceId source) {
    snapshot_.unread.insert(std::string(relative));
    snapshot_.unparsed.emplace(relative, source);
  }

  void with(Input input, const std::function<void(File&)>& read) {
    const std::string_view relative = input_path(input);
    auto parsed = parse(relative);
    if (!parsed) return;
    File file(parsed->second, parsed->first, relative, sink_, snapshot_.undecided);
    read(file);
    if (file.unusable()) return unread(relative, file.source());
    snapshot_.present[static_cast<int>(input)] = true;
    if (file.partial()) snapshot_.partial.emplace(relative, file.source());
  }

  void read_manifest() {
    for (const std::string_view relative : {"manifest.json", "sts/get-caller-identity.json"}) {
      auto parsed = parse(relative);
      if (!parsed) continue;
      File file(parsed->second, parsed->first, relative, sink_, snapshot_.undecided);
      const bool manifest = relative == "manifest.json";
      // A value of the wrong form is reported and not used: every ARN the pack forms (roles,
      // keys, log groups) would carry it, and nothing would match. The next source gives it.
      const auto checked = [&](std::string_view key, bool (*valid)(std::string_view),
                               std::string_view form) -> std::string {
        auto found = file.text(file.root(), key, "");
        if (!found) return "";
        if (valid(found->value)) return std::move(found->value);
        file.shape(*last(file.root(), key), child("", key),
                   fmt::format("`{}` is `{}`, not {}; it is not used", key, clip_long_text(found->value), form));
        return "";
      };
      if (snapshot_.account.empty()) {
        snapshot_.account = checked(manifest ? "account_id" : "Account", is_account_id, "a 12-digit account ID");
      } else if (!manifest) {
        // The caller's account, beside the manifest's: one of them is wrong (the IAM export's
        // account settles which, in settle_account's caller).
        if (auto caller = file.text(file.root(), "Account", ""); caller && caller->value != snapshot_.account) {
          file.shape(*last(file.root(), "Account"), "/Account",
                     fmt::format("`Account` is `{}`, but `manifest.json` says the snapshot's account is `{}`; the "
                                 "manifest's is used unless the IAM export names another",
                                 clip_long_text(caller->value), snapshot_.account));
        }
      }
      if (manifest) {
        if (auto partition = checked("partition", is_partition, "a partition (`aws`, `aws-cn`, `aws-us-gov`, ...)");
            !partition.empty()) {
          snapshot_.partition = std::move(partition);
          snapshot_.partition_named = true;
        }
        snapshot_.region = checked("region", is_region_name, "a Region name (`us-east-1`)");
      }
    }
  }

  void read_authorization_details() {
    const std::string_view relative = input_path(Input::authorization_details);
    const Located located = locate(relative);
    if (!located.there) return;
    const std::string& path = located.path;
    auto bytes = read_file_padded(path);
    if (!bytes) {
      notifications_.push_back(ToolNotification{path, bytes.error().message});
      snapshot_.unread.insert(std::string(relative));
      return;
    }
    if (!bytes->left_unread().empty()) notifications_.push_back(ToolNotification{path, bytes->left_unread()});
    snapshot_.authorization_details = sources_.add_padded(path, std::move(*bytes));
    if (!snapshot_.first_file) snapshot_.first_file = snapshot_.authorization_details;
    snapshot_.present[static_cast<int>(Input::authorization_details)] = true;
  }

  void catalog(File& file) {
    const Node* settings = file.field(file.root(), "DataCatalogEncryptionSettings", "", Type::object);
    if (settings == nullptr) {
      file.shape(file.root(), "", "expected a `DataCatalogEncryptionSettings` object");
      file.mark_unusable();
      return;
    }
    const std::string at = "/DataCatalogEncryptionSettings";
    CatalogSettings out;
    out.at = file.place(*settings, at);
    out.mode_at = out.at;
    if (const Node* rest = last(*settings, "EncryptionAtRest");
        rest != nullptr && !rest->is(Type::null) && !rest->is(Type::object)) {
      // Not what Glue writes: whether the catalog is encrypted is not known (not `absent`).
      (void)file.field(*settings, "EncryptionAtRest", at, Type::object);  // reported
      out.mode = kNotRead;
      out.mode_at = file.place(*rest, child(at, "EncryptionAtRest"));
      snapshot_.undecided.push_back(
          Snapshot::Undecided{out.mode_at,
                              "`EncryptionAtRest` in `glue/get-data-catalog-encryption-settings.json` is not an object "
                              "(reported as an error)",
                              "GLUE-ENC-01 GLUE-IAM-02"});
    }
    if (const Node* rest = file.field(*settings, "EncryptionAtRest", at, Type::object)) {
      const std::string rest_at = child(at, "EncryptionAtRest");
      out.mode_at = file.place(*rest, rest_at);
      if (auto mode = file.text(*rest, "CatalogEncryptionMode", rest_at)) {
        out.mode = mode->value;
        out.mode_at = mode->at;
      } else if (const Node* other = last(*rest, "CatalogEncryptionMode"); other != nullptr && !other->is(Type::null)) {
        // Not a string (reported): a mode Glue does not accept, not an absent one (`DISABLED`).
        out.mode = other->text.empty() ? std::string(json::type_name(other->type)) : clip_long_text(other->text);
        out.mode_at = file.place(*other, child(rest_at, "CatalogEncryptionMode"));
      }
      out.key = file.judged_text(*rest, "SseAwsKmsKeyId", rest_at, "GLUE-IAM-02 GLUE-KMS-01 GLUE-KMS-02 GLUE-KMS-03");
      out.service_role = file.text(*rest, "CatalogEncryptionServiceRole", rest_at);
    }
    out.passwords_at = out.at;
    if (const Node* passwords = file.field(*settings, "ConnectionPasswordEncryption", at, Type::object)) {
      const std::string passwords_at = child(at, "ConnectionPasswordEncryption");
      out.passwords_at = file.place(*passwords, passwords_at);
      out.passwords_encrypted = file.boolean(*passwords, "ReturnConnectionPasswordEncrypted", passwords_at) == true;
      // `"true"` (reported as not a boolean) says what it means.
      if (const Node* quoted = last(*passwords, "ReturnConnectionPasswordEncrypted");
          quoted != nullptr && quoted->is(Type::string) && quoted->text == "true") {
        out.passwords_encrypted = true;
      }
      out.password_key =
          file.judged_text(*passwords, "AwsKmsKeyId", passwords_at, "GLUE-IAM-03 GLUE-KMS-01 GLUE-KMS-02 GLUE-KMS-03");
    }
    snapshot_.catalog = std::move(out);
  }

  // `rules`: those the part's mode and key decide.
  static EncryptionPart part(File& file, const Node& object, std::string_view mode_key, const std::string& pointer,
                             std::string_view rules) {
    EncryptionPart out;
    out.at = file.place(object, pointer);
    out.mode = file.judged_string(object, mode_key, pointer, rules);
    out.key = file.judged_text(object, "KmsKeyArn", pointer, rules);
    return out;
  }

  // A part written as another type than Glue writes (`S3Encryption` an object, not a list): how
  // it encrypts is not known.
  static void part_not_read(File& file, const Node& node, const std::string& at, std::string_view rules,
                            EncryptionPart& out, std::vector<Snapshot::Undecided>& undecided) {
    out.mode = kNotRead;
    out.at = file.place(node, at);
    undecided.push_back(Snapshot::Undecided{
        out.at, fmt::format("`{}` in `{}` is {} (reported as an error)", at, file.name(), json::type_name(node.type)),
        std::string(rules)});
  }

  void security_configuration(File& file, const Node& node, const std::string& at) {
    SecurityConfiguration out;
    auto name = file.text(node, "Name", at);
    if (!name) {
      file.left_out(node, at, "a security configuration has no `Name`");
      return;
    }
    out.name = std::move(*name);
    const Node* config = file.field(node, "EncryptionConfiguration", at, Type::object);
    if (config != nullptr) {
      const std::string config_at = child(at, "EncryptionConfiguration");
      constexpr std::string_view kS3Rules = "GLUE-ENC-05 GLUE-IAM-04 GLUE-KMS-01 GLUE-KMS-02 GLUE-KMS-03 GLUE-KMS-05";
      constexpr std::string_view kLogsRules =
          "GLUE-ENC-05 GLUE-IAM-06 GLUE-KMS-01 GLUE-KMS-02 GLUE-KMS-03 GLUE-KMS-04 GLUE-KMS-05";
      constexpr std::string_view kBookmarksRules =
          "GLUE-ENC-05 GLUE-IAM-05 GLUE-KMS-01 GLUE-KMS-02 GLUE-KMS-03 GLUE-KMS-05";
      // S3Encryption is a list; the first entry is the one Glue applies.
      if (const Node* s3 = last(*config, "S3Encryption");
          s3 != nullptr && !s3->is(Type::null) && !s3->is(Type::array)) {
        (void)file.field(*config, "S3Encryption", config_at, Type::array);  // reported
        part_not_read(file, *s3, child(config_at, "S3Encryption"), kS3Rules, out.s3, snapshot_.undecided);
      }
      file.objects(*config, "S3Encryption", config_at, [&](const Node& item, const std::string& item_at) {
        if (out.s3.mode.empty()) out.s3 = part(file, item, "S3EncryptionMode", item_at, kS3Rules);
      });
      const auto object_part = [&](std::string_view key, std::string_view mode_key, std::string_view rules,
                                   EncryptionPart& part_out) {
        const Node* held = last(*config, key);
        if (held != nullptr && !held->is(Type::null) && !held->is(Type::object)) {
          (void)file.field(*config, key, config_at, Type::object);  // reported
          part_not_read(file, *held, child(config_at, key), rules, part_out, snapshot_.undecided);
        } else if (held != nullptr && held->is(Type::object)) {
          part_out = part(file, *held, mode_key, child(config_at, key), rules);
        }
      };
      object_part("CloudWatchEncryption", "CloudWatchEncryptionMode", kLogsRules, out.cloudwatch);
      object_part("JobBookmarksEncryption", "JobBookmarksEncryptionMode", kBookmarksRules, out.bookmarks);
    }
    snapshot_.security_configurations.push_back(std::move(out));
  }

  void security_configurations(File& file) {
    // get-security-configuration (one) is accepted as well as the list.
    if (const Node* one = last(file.root(), "SecurityConfiguration"); one != nullptr && one->is(Type::object)) {
      security_configuration(file, *one, "/SecurityConfiguration");
      return;
    }
    if (file.list("SecurityConfigurations") == nullptr) return;
    file.objects(file.root(), "SecurityConfigurations", "",
                 [&](const Node& node, const std::string& at) { security_configuration(file, node, at); });
  }

  void jobs(File& file) {
    if (file.list("Jobs") == nullptr) return;
    file.objects(file.root(), "Jobs", "", [&](const Node& node, const std::string& at) {
      Component job;
      job.kind = ComponentKind::job;
      auto name = file.text(node, "Name", at);
      if (!name) return file.left_out(node, at, "a job has no `Name`");
      job.name = std::move(*name);
      job.role = file.text(node, "Role", at);
      job.security_configuration = file.judged_text(node, "SecurityConfiguration", at, kConfigurationRules);
      job.glue_version = file.string(node, "GlueVersion", at);
      if (const Node* args = file.field(node, "DefaultArguments", at, Type::object)) {
        if (const Node* option = last(*args, "--job-bookmark-option"); option != nullptr) {
          job.bookmarks = option->text == "job-bookmark-enable";
        }
      }
      if (const Node* connections = file.field(node, "Connections", at, Type::object)) {
        job.connections = file.strings(*connections, "Connections", child(at, "Connections"));
      }
      snapshot_.components.push_back(std::move(job));
    });
  }

  void crawlers(File& file) {
    if (file.list("Crawlers") == nullptr) return;
    file.objects(file.root(), "Crawlers", "", [&](const Node& node, const std::string& at) {
      Component crawler;
      crawler.kind = ComponentKind::crawler;
      auto name = file.text(node, "Name", at);
      if (!name) return file.left_out(node, at, "a crawler has no `Name`");
      crawler.name = std::move(*name);
      crawler.role = file.text(node, "Role", at);
      crawler.security_configuration = file.judged_text(node, "CrawlerSecurityConfiguration", at, kConfigurationRules);
      if (const Node* targets = file.field(node, "Targets", at, Type::object)) {
        const std::string targets_at = child(at, "Targets");
        for (const json::Member& member : targets->members) {
          if (!member.value.is(Type::array)) continue;
          file.objects(*targets, member.key, targets_at, [&](const Node& target, const std::string& target_at) {
            if (auto connection = file.text(target, "ConnectionName", target_at)) {
              crawler.connections.push_back(std::move(*connection));
            }
          });
        }
      }
      snapshot_.components.push_back(std::move(crawler));
    });
  }

  void dev_endpoints(File& file) {
    if (file.list("DevEndpoints") == nullptr) return;
    file.objects(file.root(), "DevEndpoints", "", [&](const Node& node, const std::string& at) {
      Component endpoint;
      endpoint.kind = ComponentKind::dev_endpoint;
      auto name = file.text(node, "EndpointName", at);
      if (!name) return file.left_out(node, at, "a development endpoint has no `EndpointName`");
      endpoint.name = std::move(*name);
      endpoint.role = file.text(node, "RoleArn", at);
      endpoint.security_configuration = file.judged_text(node, "SecurityConfiguration", at, kConfigurationRules);
      endpoint.security_groups = file.strings(node, "SecurityGroupIds", at);
      endpoint.vpc_id = file.string(node, "VpcId", at);
      endpoint.subnet_id = file.string(node, "SubnetId", at);
      endpoint.glue_version = file.string(node, "GlueVersion", at);
      snapshot_.components.push_back(std::move(endpoint));
    });
  }

  void connections(File& file) {
    if (file.list("ConnectionList") == nullptr) return;
    file.objects(file.root(), "ConnectionList", "", [&](const Node& node, const std::string& at) {
      Connection connection;
      auto name = file.text(node, "Name", at);
      if (!name) return file.left_out(node, at, "a connection has no `Name`");
      connection.name = std::move(*name);
      connection.type = file.string(node, "ConnectionType", at);
      connection.properties_at = connection.name.at;
      if (const Node* properties = file.field(node, "ConnectionProperties", at, Type::object)) {
        const std::string properties_at = child(at, "ConnectionProperties");
        connection.properties_at = file.place(*properties, properties_at);
        connection.enforce_ssl = file.text(*properties, "JDBC_ENFORCE_SSL", properties_at);
      }
      if (const Node* physical = file.field(node, "PhysicalConnectionRequirements", at, Type::object)) {
        const std::string physical_at = child(at, "PhysicalConnectionRequirements");
        connection.subnet_id = file.string(*physical, "SubnetId", physical_at);
        connection.security_groups = file.strings(*physical, "SecurityGroupIdList", physical_at);
      }
      snapshot_.connections.push_back(std::move(connection));
    });
  }

  void aliases(File& file) {
    if (file.list("Aliases") == nullptr) return;
    file.objects(file.root(), "Aliases", "", [&](const Node& node, const std::string& at) {
      if (const Node* name = last(node, "AliasName"); name == nullptr || !name->is(Type::string)) {
        return file.left_out(node, at, "an alias has no `AliasName` string");
      }
      snapshot_.aliases.push_back(Alias{file.string(node, "AliasName", at), file.string(node, "AliasArn", at),
                                        file.string(node, "TargetKeyId", at)});
    });
  }

  static Rule rule(File& file, const Node& node, const std::string& at) {
    Rule out;
    out.at = file.place(node, at);
    if (const Node* protocol = last(node, "IpProtocol"); protocol != nullptr) out.protocol = protocol->text;
    out.from_port = file.integer(node, "FromPort", at);
    out.to_port = file.integer(node, "ToPort", at);
    file.objects(node, "IpRanges", at, [&](const Node& range, const std::string& range_at) {
      if (auto cidr = file.text(range, "CidrIp", range_at)) out.cidrs.push_back(cidr->value);
    });
    file.objects(node, "Ipv6Ranges", at, [&](const Node& range, const std::string& range_at) {
      if (auto cidr = file.text(range, "CidrIpv6", range_at)) out.cidrs.push_back(cidr->value);
    });
    file.objects(node, "UserIdGroupPairs", at, [&](const Node& pair, const std::string& pair_at) {
      if (auto group = file.text(pair, "GroupId", pair_at)) out.groups.push_back(group->value);
    });
    return out;
  }

  void security_groups(File& file) {
    if (file.list("SecurityGroups") == nullptr) return;
    file.objects(file.root(), "SecurityGroups", "", [&](const Node& node, const std::string& at) {
      SecurityGroup group;
      auto id = file.text(node, "GroupId", at);
      if (!id) return file.shape(node, at, "a security group has no `GroupId`");
      group.id = std::move(*id);
      group.vpc_id = file.string(node, "VpcId", at);
      file.objects(node, "IpPermissions", at, [&](const Node& item, const std::string& item_at) {
        group.ingress.push_back(rule(file, item, item_at));
      });
      file.objects(node, "IpPermissionsEgress", at, [&](const Node& item, const std::string& item_at) {
        group.egress.push_back(rule(file, item, item_at));
      });
      snapshot_.security_groups.push_back(std::move(group));
    });
  }

  void subnets(File& file) {
    if (file.list("Subnets") == nullptr) return;
    file.objects(file.root(), "Subnets", "", [&](const Node& node, const std::string& at) {
      const std::string id = file.string(node, "SubnetId", at);
      if (!id.empty()) snapshot_.subnet_vpcs[id] = file.string(node, "VpcId", at);
    });
  }

  void vpc_endpoints(File& file) {
    if (file.list("VpcEndpoints") == nullptr) return;
    file.objects(file.root(), "VpcEndpoints", "", [&](const Node& node, const std::string& at) {
      snapshot_.vpc_endpoints.push_back(
          VpcEndpoint{file.string(node, "VpcEndpointId", at), file.string(node, "VpcId", at),
                      file.string(node, "ServiceName", at), file.string(node, "VpcEndpointType", at),
                      file.string(node, "State", at), file.boolean(node, "PrivateDnsEnabled", at).value_or(false)});
    });
  }

  // The names of the directories in `relative`, sorted (none when it is absent).
  // The directories under `relative`; anything else there is named as not read (a key's files
  // belong in a directory of its own, and a stray file would otherwise vanish unsaid).
  std::vector<std::string> subdirectories(std::string_view relative) {
    std::vector<std::string> names;
    const std::string unread = std::string(relative) + "/";  // what is under it, when it cannot be listed
    if (!reachable(relative)) {
      snapshot_.unread.insert(unread);
      return names;
    }
    std::error_code error;
    const fs::path directory = fs::path(root_) / relative;
    fs::directory_iterator entries(directory, error);
    if (error && error != std::errc::no_such_file_or_directory) {
      notifications_.push_back(ToolNotification{
          directory.string(), fmt::format("cannot read directory `{}`: {}", directory.string(), error.message())});
      snapshot_.unread.insert(unread);
      return names;
    }
    for (const fs::directory_entry& entry : entries) {
      const std::string name = entry.path().filename().string();
      std::error_code link_error;
      if (entry.is_directory(error)) {
        names.push_back(name);
      } else if (entry.is_symlink(link_error)) {  // a link that leads to no directory (h50 L2)
        const std::string path = entry.path().string();
        notifications_.push_back(ToolNotification{
            path, fmt::format("`{}` is not read: it is a symbolic link to no directory, and only directories belong "
                              "in `{}/` (one per resource)",
                              path, relative)});
      } else if (!name.starts_with('.')) {  // a desktop's `.DS_Store` is no stray key
        const std::string path = entry.path().string();
        notifications_.push_back(ToolNotification{
            path, fmt::format("`{}` is not read: only directories belong in `{}/` (one per resource)", path, relative)});
      }
    }
    std::ranges::sort(names);
    return names;
  }

  // kms/keys/<KeyId>/: the directory names the key (a describe-key.json of another key is
  // reported). list-keys.json, optional, says which keys the account has.
  void read_keys() {
    bool listed = false;
    if (auto parsed = parse("kms/list-keys.json")) {
      File file(parsed->second, parsed->first, "kms/list-keys.json", sink_, snapshot_.undecided);
      if (file.list("Keys") != nullptr) {
        listed = true;
        file.objects(file.root(), "Keys", "", [&](const Node& node, const std::string& at) {
          if (std::string id = file.string(node, "KeyId", at); !id.empty()) snapshot_.listed_keys.insert(std::move(id));
        });
      }
    }
    std::error_code error;
    const bool absent = fs::status(fs::path(root_) / "kms" / "keys", error).type() == fs::file_type::not_found;
    snapshot_.keys_missing = absent && (!listed || !snapshot_.listed_keys.empty());
    for (const std::string& id : subdirectories("kms/keys")) {
      Key key;
      key.id = id;
      const std::string describe = fmt::format("kms/keys/{}/describe-key.json", id);
      if (auto parsed = parse(describe)) {
        File file(parsed->second, parsed->first, describe, sink_, snapshot_.undecided);
        if (const Node* metadata = file.field(file.root(), "KeyMetadata", "", Type::object)) {
          const std::string at = "/KeyMetadata";
          key.metadata_at = file.place(*metadata, at);
          // The directory names the key: a `KeyId` that is another (a file copied into the wrong
          // directory) is reported, and the directory's kept, so that the key is not lost.
          if (auto own = file.text(*metadata, "KeyId", at); own && own->value != id) {
            file.shape(*last(*metadata, "KeyId"), child(at, "KeyId"),
                       fmt::format("`KeyId` is `{}`, not `{}`, the key whose directory holds this file; the "
                                   "directory's is used",
                                   clip_long_text(own->value), clip_long_text(id)));
          }
          // An `Arn` that is not this key's is reported and not used: the key is then known
          // by the ARN AWS forms from its KeyId (fill_account_and_region), as when it is absent.
          if (auto arn = file.text(*metadata, "Arn", at)) {
            const auto fields = match::split_arn(arn->value);
            if (fields && (*fields)[1] == "kms" && (*fields)[4] == "key/" + key.id && is_partition((*fields)[0]) &&
                is_region_name((*fields)[2]) && is_account_id((*fields)[3])) {
              key.arn = std::move(arn->value);
              key.arn_at = arn->at;
            } else {
              file.shape(*last(*metadata, "Arn"), child(at, "Arn"),
                         fmt::format("`Arn` is `{}`, not the ARN of key `{}` "
                                     "(`arn:<partition>:kms:<region>:<account>:key/{}`); it is not used",
                                     clip_long_text(arn->value), clip_long_text(key.id), clip_long_text(key.id)));
            }
          }
          // AWS writes each as a string (`KeySpec` beside its older name): another type, `null`
          // included, leaves the rule it decides not evaluated.
          // The older name stands in for a `KeySpec` that does not read (reported).
          const auto is_text = [](const Node* node) { return node != nullptr && node->is(Type::string); };
          const bool older_reads = is_text(last(*metadata, "CustomerMasterKeySpec"));
          const std::string_view spec_key =
              older_reads && !is_text(last(*metadata, "KeySpec")) ? "CustomerMasterKeySpec" : "KeySpec";
          if (spec_key != "KeySpec") (void)file.field(*metadata, "KeySpec", at, Type::string);
          key.key_spec = file.judged_string(*metadata, spec_key, at, "GLUE-KMS-01", true);
          if (key.key_spec.empty() && spec_key == "KeySpec") {
            key.key_spec = file.judged_string(*metadata, "CustomerMasterKeySpec", at, "GLUE-KMS-01", true);
          }
          key.key_usage = file.judged_string(*metadata, "KeyUsage", at, "GLUE-KMS-01", true);
          key.key_state = file.judged_string(*metadata, "KeyState", at, "GLUE-KMS-02", true);
        } else {
          if (const Node* held = last(file.root(), "KeyMetadata"); held == nullptr || held->is(Type::null)) {
            file.shape(held != nullptr ? *held : file.root(), "", "expected a `KeyMetadata` object");
          }
          unread(describe, file.source());
        }
      }
      key.policy_path = fmt::format("kms/keys/{}/get-key-policy.json", id);
      if (auto parsed = parse(key.policy_path)) {
        File file(parsed->second, parsed->first, key.policy_path, sink_, snapshot_.undecided);
        if (const Node* text = file.field(file.root(), "Policy", "", Type::string)) {
          key.policy = file.place(*text, "/Policy");
        } else {
          // Present but not read: "could not be read", not "missing" (field() reported a
          // `Policy` of another type).
          if (const Node* held = last(file.root(), "Policy"); held == nullptr || held->is(Type::null)) {
            file.shape(held != nullptr ? *held : file.root(), "", "expected a `Policy` string");
          }
          unread(key.policy_path, file.source());
        }
      }
      snapshot_.keys.push_back(std::move(key));
    }
  }

  void read_vpc_attributes() {
    for (const std::string& id : subdirectories("ec2/vpc-attributes")) {
      VpcAttributes& vpc = snapshot_.vpcs[id];
      for (const bool support : {true, false}) {
        const std::string name = support ? "EnableDnsSupport" : "EnableDnsHostnames";
        const std::string relative =
            fmt::format("ec2/vpc-attributes/{}/{}.json", id, support ? "enableDnsSupport" : "enableDnsHostnames");
        auto parsed = parse(relative);
        if (!parsed) continue;
        File file(parsed->second, parsed->first, relative, sink_, snapshot_.undecided);
        const Node* attribute = file.field(file.root(), name, "", Type::object);
        if (attribute == nullptr) {
          file.shape(file.root(), "", fmt::format("expected an `{}` object", name));
          continue;
        }
        const std::optional<bool> value = file.boolean(*attribute, "Value", child("", name));
        (support ? vpc.dns_support : vpc.dns_hostnames) = value;
        (support ? vpc.support_at : vpc.hostnames_at) = file.place(*attribute, child("", name));
      }
    }
  }

  // The account: manifest, else sts, else the first key ARN; the Region: manifest, else the
  // first key ARN.
  void fill_account_and_region() {
    // The manifest's, else the first key's (the partition is `aws` only when nothing names one).
    bool partition_known = snapshot_.partition_named;
    for (const Key& key : snapshot_.keys) {
      const auto fields = match::split_arn(key.arn);
      if (!fields) continue;
      if (snapshot_.account.empty()) snapshot_.account = std::string((*fields)[3]);
      if (snapshot_.region.empty()) snapshot_.region = std::string((*fields)[2]);
      if (!partition_known) {
        snapshot_.partition = std::string((*fields)[0]);
        partition_known = true;
      }
    }
    // A key whose describe-key.json could not be read is known by its directory, its KeyId:
    // its ARN is the one AWS forms from that in the snapshot's account and Region, never
    // empty (an empty resource would be judged as if no key were named). Its spec and state
    // stay unknown: the rules that read them are not evaluated (settings.cpp).
    if (snapshot_.account.empty() || snapshot_.region.empty() || snapshot_.partition.empty()) return;
    for (Key& key : snapshot_.keys) {
      if (key.arn.empty()) {
        key.arn = snapshot_.kms_key_arn(key.id);
        key.arn_formed = true;
      }
    }
  }

  std::string root_;
  SourceSet& sources_;
  DiagnosticSink& sink_;
  std::vector<ToolNotification>& notifications_;
  std::set<std::string> unreachable_;  // directories named as not read
  json::Parser parser_;
  Snapshot snapshot_;
};

}  // namespace

void settle_account(Snapshot& snapshot, std::string_view account, std::string_view partition, DiagnosticSink& sink) {
  if (!account.empty()) snapshot.account = account;
  if (!partition.empty()) snapshot.partition = partition;
  if (snapshot.account.empty() || snapshot.region.empty() || snapshot.partition.empty()) return;
  for (Key& key : snapshot.keys) {
    // Formed from the manifest's account, or not at all when nothing named one before the export.
    if (key.arn_formed || key.arn.empty()) {
      key.arn = snapshot.kms_key_arn(key.id);
      key.arn_formed = true;
      continue;
    }
    const auto fields = match::split_arn(key.arn);
    if (!key.arn_at || !fields || ((*fields)[3] == snapshot.account && (*fields)[0] == snapshot.partition)) continue;
    Emitter(sink, key.arn_at->source)
        .emit(rules::kMalformedExport, key.arn_at->span, key.arn_at->pointer,
              fmt::format("`Arn` is `{}`, of {} `{}`, but the snapshot's is `{}`: the key is known by the ARN its id "
                          "has there, `{}`",
                          clip_long_text(key.arn), (*fields)[3] == snapshot.account ? "partition" : "account",
                          (*fields)[3] == snapshot.account ? (*fields)[0] : (*fields)[3],
                          (*fields)[3] == snapshot.account ? snapshot.partition : snapshot.account,
                          snapshot.kms_key_arn(key.id)));
    key.arn = snapshot.kms_key_arn(key.id);
    key.arn_formed = true;
  }
}

Snapshot read_snapshot(const std::string& directory, SourceSet& sources, DiagnosticSink& sink,
                       std::vector<ToolNotification>& notifications) {
  return SnapshotReader(directory, sources, sink, notifications).read();
}

}  // namespace grantlint::glue
