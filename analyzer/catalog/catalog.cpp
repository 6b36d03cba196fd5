#include "catalog/catalog.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "base/strings.h"
#include "base/utf8.h"
#include "match/glob.h"

namespace grantlint::catalog {

// Defined in the file CMake generates from rules/data/aws_catalog.tsv.
extern const char kBuiltinCatalog[];
extern const std::size_t kBuiltinCatalogSize;

namespace {

// Splits `line` at tabs into at most `n` fields (the last keeps any further tabs).
std::vector<std::string_view> fields(std::string_view line, std::size_t n) {
  std::vector<std::string_view> out;
  while (out.size() + 1 < n) {
    const auto tab = line.find('\t');
    if (tab == std::string_view::npos) break;
    out.push_back(line.substr(0, tab));
    line.remove_prefix(tab + 1);
  }
  out.push_back(line);
  return out;
}

bool less_ci(std::string_view a, std::string_view b) {
  return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(),
                                      [](char x, char y) { return ascii_fold(x) < ascii_fold(y); });
}

std::uint8_t access_bits(std::string_view letters) {
  std::uint8_t bits = 0;
  for (char c : letters) {
    switch (c) {
      case 'L': bits |= static_cast<std::uint8_t>(AccessLevel::list); break;
      case 'R': bits |= static_cast<std::uint8_t>(AccessLevel::read); break;
      case 'W': bits |= static_cast<std::uint8_t>(AccessLevel::write); break;
      case 'P': bits |= static_cast<std::uint8_t>(AccessLevel::permissions_management); break;
      case 'T': bits |= static_cast<std::uint8_t>(AccessLevel::tagging); break;
      default: break;
    }
  }
  return bits;
}

std::vector<std::string_view> split_list(std::string_view text, char separator) {
  std::vector<std::string_view> out;
  while (!text.empty()) {
    const auto at = text.find(separator);
    if (at != 0) out.push_back(text.substr(0, at));
    if (at == std::string_view::npos) break;
    text.remove_prefix(at + 1);
  }
  return out;
}

// A resource type's ARN template as the checks match it: an S3 bucket's name cannot hold a
// `/` (a name star), so that `bucket/*` names objects, never a bucket. (Regions and accounts
// stay `*`, empty included: AWS-owned SSM documents are `arn:aws:ssm:REGION::document/...`.)
std::string type_pattern_source(std::string_view arn_template) {
  std::string out(arn_template);
  const auto replace = [&](std::string_view from, std::string_view to) {
    for (std::size_t at = out.find(from); at != std::string::npos; at = out.find(from, at + to.size())) {
      out.replace(at, from.size(), to);
    }
  };
  if (out.starts_with("arn:${Partition}:s3:::")) replace("${BucketName}", std::string(1, match::kNameStar));
  return out;
}

// Parses the R, K and A lines of one service. Returns the first malformed line (a view into
// `body`), if any; empty otherwise.
std::string_view parse_service_body(std::string_view body, Service& service) {
  while (!body.empty()) {
    const auto newline = body.find('\n');
    const std::string_view line = body.substr(0, newline);
    body.remove_prefix(newline == std::string_view::npos ? body.size() : newline + 1);
    if (line.empty() || line.front() == '#') continue;
    const auto f = fields(line, 5);
    if (f[0] == "R" && f.size() >= 3) {
      // A type of two ARN forms (API Gateway's `Stage`: `/apis/...` and `/restapis/...`) is
      // written `A, B`: an entry each, of the same name.
      const auto keys = f.size() > 3 ? split_list(f[3], ' ') : std::vector<std::string_view>{};
      std::string_view forms = f[2];
      while (!forms.empty()) {
        const auto comma = forms.find(", arn:");
        const std::string_view arn = forms.substr(0, comma);
        forms.remove_prefix(comma == std::string_view::npos ? forms.size() : comma + 2);
        service.resource_types.push_back(
            {f[1], arn, keys, match::split_arn_pattern(type_pattern_source(arn), /*variables=*/true)});
      }
    } else if (f[0] == "K" && f.size() == 3) {
      service.condition_keys.push_back({f[1], f[2]});
    } else if (f[0] == "A" && f.size() == 5) {
      Action action;
      action.name = f[1];
      action.access = access_bits(f[2]);
      for (std::string_view entry : split_list(f[3], '|')) {  // resource type names hold spaces
        ActionResource resource;
        const auto equals = entry.find('=');
        if (equals != std::string_view::npos) {
          resource.condition_keys = split_list(entry.substr(equals + 1), ',');
          entry = entry.substr(0, equals);
        }
        resource.required = entry.ends_with('*');
        if (resource.required) entry.remove_suffix(1);
        resource.name = entry;
        action.resources.push_back(std::move(resource));
      }
      action.condition_keys = split_list(f[4], ' ');
      service.actions.push_back(std::move(action));
    } else {
      return line;
    }
  }
  std::sort(service.actions.begin(), service.actions.end(),
            [](const Action& a, const Action& b) { return less_ci(a.name, b.name); });
  return {};
}

}  // namespace

bool key_matches(std::string_view key, std::string_view catalog_key) {
  std::string_view prefix = catalog_key;
  std::string_view suffix;
  auto open = catalog_key.find("${");
  if (open == std::string_view::npos) open = catalog_key.find('<');
  if (open != std::string_view::npos) {
    const auto close = catalog_key.find(catalog_key[open] == '<' ? '>' : '}', open);
    prefix = catalog_key.substr(0, open);
    suffix = close == std::string_view::npos ? std::string_view{} : catalog_key.substr(close + 1);
  } else if (catalog_key.ends_with("/tag-key")) {
    prefix = catalog_key.substr(0, catalog_key.size() - 7);
  } else {
    return iequals(key, catalog_key);
  }
  return key.size() > prefix.size() + suffix.size() && iequals(key.substr(0, prefix.size()), prefix) &&
         iequals(key.substr(key.size() - suffix.size()), suffix);
}

bool action_supports_key(const Service& service, const Action& action, std::string_view key) {
  auto any = [&](const std::vector<std::string_view>& keys) {
    return std::any_of(keys.begin(), keys.end(), [&](std::string_view k) { return key_matches(key, k); });
  };
  if (any(action.condition_keys)) return true;
  for (const ActionResource& resource : action.resources) {
    if (any(resource.condition_keys)) return true;
    for (const ResourceType& type : service.resource_types) {
      if (type.name == resource.name && any(type.condition_keys)) return true;
    }
  }
  return false;
}

struct Catalog::ServiceSlot {
  std::string_view prefix;
  std::string_view name;
  std::string_view body;  // the lines after the S line, up to the next one
  mutable std::once_flag once;
  mutable Service service;
};

Catalog::~Catalog() = default;

const Action* Service::find_action(std::string_view action_name) const {
  const auto it = std::lower_bound(actions.begin(), actions.end(), action_name,
                                   [](const Action& a, std::string_view n) { return less_ci(a.name, n); });
  return it != actions.end() && iequals(it->name, action_name) ? &*it : nullptr;
}

std::span<const Action> Service::actions_starting_with(std::string_view head) const {
  const auto start = [&](const Action& a) { return std::string_view(a.name).substr(0, head.size()); };
  const auto first = std::lower_bound(actions.begin(), actions.end(), head,
                                      [&](const Action& a, std::string_view p) { return less_ci(start(a), p); });
  const auto last = std::upper_bound(first, actions.end(), head,
                                     [&](std::string_view p, const Action& a) { return less_ci(p, start(a)); });
  return {first, last};
}

Result<std::unique_ptr<Catalog>> Catalog::index(std::string_view text, std::string owned, std::string origin) {
  std::unique_ptr<Catalog> catalog(new Catalog());
  catalog->owned_ = std::move(owned);
  if (!catalog->owned_.empty()) text = catalog->owned_;
  catalog->origin_ = std::move(origin);
  std::size_t line_number = 0;
  ServiceSlot* current = nullptr;
  const char* body_begin = nullptr;
  auto close_service = [&](const char* end) {
    if (current != nullptr) current->body = std::string_view(body_begin, static_cast<std::size_t>(end - body_begin));
  };
  while (!text.empty()) {
    ++line_number;
    const auto newline = text.find('\n');
    const std::string_view line = text.substr(0, newline);
    const char* next = newline == std::string_view::npos ? text.data() + text.size() : text.data() + newline + 1;
    if (line.starts_with("S\t")) {
      close_service(line.data());
      const auto f = fields(line, 3);
      if (f.size() != 3 || f[1].empty()) {
        return make_error(fmt::format("{}:{}: malformed service line", catalog->origin_, line_number));
      }
      catalog->services_.push_back(std::make_unique<ServiceSlot>());
      current = catalog->services_.back().get();
      current->prefix = f[1];
      current->name = f[2];
      body_begin = next;
    } else if (current != nullptr && line.starts_with("K\t")) {
      // A key of another service's prefix (`ec2:osuser`, declared by ec2-instance-connect) is
      // found through that prefix, as the package's unassociated prefixes are (`U` lines).
      const auto f = fields(line, 3);
      const std::string_view name = f.size() > 1 ? f[1] : std::string_view();
      const std::string_view prefix = name.substr(0, name.find(':'));
      if (!prefix.empty() && prefix.size() < name.size() && !iequals(prefix, current->prefix) &&
          !iequals(prefix, "aws")) {
        const std::pair<std::string_view, std::string_view> entry{prefix, current->prefix};
        if (std::ranges::find(catalog->key_prefix_services_, entry) == catalog->key_prefix_services_.end()) {
          catalog->key_prefix_services_.push_back(entry);
        }
      }
    } else if (current == nullptr && line.starts_with("V\t")) {
      const auto f = fields(line, 5);
      if (f.size() != 5 || f[1] != "1") {
        return make_error(fmt::format("{}:{}: unsupported catalog format", catalog->origin_, line_number));
      }
      catalog->source_package_ = f[2];
      catalog->source_version_ = f[3];
      catalog->source_date_ = f[4];
    } else if (current == nullptr && line.starts_with("O\t")) {
      const auto f = fields(line, 3);
      if (f.size() != 3)
        return make_error(fmt::format("{}:{}: malformed overlay line", catalog->origin_, line_number));
      catalog->overlay_ = f[1];
      catalog->overlay_corrections_ = f[2];
    } else if (current == nullptr && line.starts_with("G\t")) {
      const auto f = fields(line, 3);
      if (f.size() != 3)
        return make_error(fmt::format("{}:{}: malformed global key line", catalog->origin_, line_number));
      catalog->global_keys_.push_back({f[1], f[2]});
    } else if (current == nullptr && line.starts_with("U\t")) {
      const auto f = fields(line, 3);
      if (f.size() != 3)
        return make_error(fmt::format("{}:{}: malformed key prefix line", catalog->origin_, line_number));
      catalog->key_prefix_services_.emplace_back(f[1], f[2]);
    } else if (current == nullptr && !line.empty() && line.front() != '#') {
      return make_error(fmt::format("{}:{}: unexpected line before the first service", catalog->origin_, line_number));
    }
    text = std::string_view(next, static_cast<std::size_t>(text.data() + text.size() - next));
  }
  close_service(text.data());
  if (catalog->source_version_.empty()) return make_error(fmt::format("{}: no `V` version line", catalog->origin_));
  std::sort(catalog->services_.begin(), catalog->services_.end(),
            [](const auto& a, const auto& b) { return a->prefix < b->prefix; });
  return catalog;
}

const Catalog& Catalog::builtin() {
  static const std::unique_ptr<Catalog> catalog = [] {
    auto indexed = index(std::string_view(kBuiltinCatalog, kBuiltinCatalogSize), {}, "built-in catalog");
    // The built-in data is checked by the test suite; an error here is a build defect.
    return indexed ? std::move(*indexed) : std::unique_ptr<Catalog>(new Catalog());
  }();
  return *catalog;
}

Result<std::unique_ptr<Catalog>> Catalog::load(std::string text, std::string origin) {
  if (text.empty()) return make_error(fmt::format("{}: the catalog is empty", origin));
  // A byte order mark, as Windows editors write one, is not part of the first line.
  if (text.starts_with(kByteOrderMark)) text.erase(0, kByteOrderMark.size());
  if (text.find('\r') != std::string::npos && text.find('\n') == std::string::npos) {
    return make_error(fmt::format("{}: the catalog's lines end in a carriage return alone (CR, not LF or CR LF); "
                                  "save it with LF line ends",
                                  origin));
  }
  // A catalog checked out on Windows (`core.autocrlf`) ends its lines in CR LF: read as LF,
  // or each line's last field would end in a CR.
  if (text.find("\r\n") != std::string::npos) {
    std::string lf;
    lf.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
      if (text[i] != '\r' || i + 1 == text.size() || text[i + 1] != '\n') lf += text[i];
    }
    text = std::move(lf);
  }
  // Every line of the format ends in a newline: a last line without one was cut short (an
  // interrupted download), and what follows it in the real file is missing.
  if (text.back() != '\n') {
    return make_error(fmt::format("{}: the catalog ends in the middle of a line, so it was cut short; fetch it again",
                                  origin));
  }
  auto catalog = index({}, std::move(text), std::move(origin));
  if (!catalog) return catalog;
  for (const auto& slot : (*catalog)->services_) {
    Service service;
    if (const std::string_view bad = parse_service_body(slot->body, service); !bad.empty()) {
      // The line's number in the file: the body is a view into the text the catalog owns.
      const std::string_view before((*catalog)->owned_.data(),
                                    static_cast<std::size_t>(bad.data() - (*catalog)->owned_.data()));
      return make_error(fmt::format("{}:{}: malformed line in service `{}`: `{}`", (*catalog)->origin_,
                                    std::ranges::count(before, '\n') + 1, slot->prefix, bad.substr(0, 80)));
    }
  }
  return catalog;
}

const Service& Catalog::parsed(const ServiceSlot& slot) const {
  std::call_once(slot.once, [&] {
    slot.service.prefix = slot.prefix;
    slot.service.name = slot.name;
    (void)parse_service_body(slot.body, slot.service);  // validated by load() or by the tests
  });
  return slot.service;
}

const Service* Catalog::find_service(std::string_view prefix) const {
  const auto it = std::lower_bound(services_.begin(), services_.end(), prefix,
                                   [](const auto& slot, std::string_view p) { return less_ci(slot->prefix, p); });
  if (it == services_.end() || !iequals((*it)->prefix, prefix)) return nullptr;
  return &parsed(**it);
}

const ConditionKey* Catalog::find_condition_key(std::string_view key) const {
  for (const ConditionKey& global : global_keys_) {
    if (key_matches(key, global.name)) return &global;
  }
  const auto colon = key.find(':');
  if (colon == std::string_view::npos) return nullptr;
  const std::string_view prefix = key.substr(0, colon);
  auto search = [&](const Service* service) -> const ConditionKey* {
    if (service == nullptr) return nullptr;
    for (const ConditionKey& candidate : service->condition_keys) {
      if (key_matches(key, candidate.name)) return &candidate;
    }
    return nullptr;
  };
  if (const ConditionKey* found = search(find_service(prefix))) return found;
  for (const auto& [key_prefix, service] : key_prefix_services_) {
    if (!key_matches(prefix, key_prefix)) continue;
    if (const ConditionKey* found = search(find_service(service))) return found;
  }
  return nullptr;
}

const std::vector<const ResourceType*>& Catalog::resource_types_for_arn_service(std::string_view arn_service) const {
  std::call_once(arn_index_once_, [&] {
    std::map<std::string, std::vector<const ResourceType*>> index;
    for (const auto& slot : services_) {
      for (const ResourceType& type : parsed(*slot).resource_types) {
        if (type.pattern) index[type.pattern->service].push_back(&type);
      }
    }
    arn_index_.assign(index.begin(), index.end());
  });
  static const std::vector<const ResourceType*> kNone;
  const auto it = std::lower_bound(arn_index_.begin(), arn_index_.end(), arn_service,
                                   [](const auto& entry, std::string_view key) { return entry.first < key; });
  return it != arn_index_.end() && it->first == arn_service ? it->second : kNone;
}

std::vector<std::string_view> Catalog::service_prefixes() const {
  std::vector<std::string_view> out;
  out.reserve(services_.size());
  for (const auto& slot : services_) out.push_back(slot->prefix);
  return out;
}

Counts Catalog::counts() const {
  Counts counts;
  counts.services = services_.size();
  counts.condition_keys = global_keys_.size();
  for (const auto& slot : services_) {
    const Service& service = parsed(*slot);
    counts.actions += service.actions.size();
    for (std::size_t i = 0; i < service.resource_types.size(); ++i) {  // a type of two forms counts once
      if (i == 0 || service.resource_types[i].name != service.resource_types[i - 1].name) ++counts.resource_types;
    }
    counts.condition_keys += service.condition_keys.size();
  }
  return counts;
}

std::vector<std::string> Catalog::expand(std::string_view pattern) const {
  std::vector<std::string> out;
  std::string_view service_part;
  std::string_view action_part = "*";
  if (pattern != "*") {
    const auto colon = pattern.find(':');
    if (colon == std::string_view::npos) return out;
    service_part = pattern.substr(0, colon);
    action_part = pattern.substr(colon + 1);
  }
  const match::Glob glob(action_part, /*fold_case=*/true);
  for (const auto& slot : services_) {
    if (!service_part.empty() && !iequals(slot->prefix, service_part)) continue;
    for (const Action& action : parsed(*slot).actions) {
      if (glob.matches(action.name)) out.push_back(fmt::format("{}:{}", slot->prefix, action.name));
    }
  }
  return out;
}

}  // namespace grantlint::catalog
