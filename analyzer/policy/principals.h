// The Principal / NotPrincipal element: its forms and the values each key accepts.
#pragma once

#include <string>

#include "diag/emitter.h"
#include "json/node.h"
#include "policy/model.h"

namespace grantlint::policy {

Principal lower_principal(const json::Member& member, std::string pointer, Kind kind, Emitter& emit);

}  // namespace grantlint::policy
