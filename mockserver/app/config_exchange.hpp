#pragma once
// The Exchange Online sections of the configuration (issue 3): `clock`, `exchange`, `tenants`,
// `blocked_ips`, `spf_records`. Loaders are rows of config.cpp's section table; the emitter is
// called by to_yaml. Enum spellings live here once, shared by loading, emitting and the runtime.
#include <optional>
#include <string>
#include <string_view>

#include <yaml-cpp/yaml.h>

#include "app/config.hpp"
#include "app/config_yaml.hpp"

namespace exosim::app {

void load_clock(const yaml::Context& ctx, const YAML::Node& node, AppConfig& config);
void load_exchange(const yaml::Context& ctx, const YAML::Node& node, AppConfig& config);
void load_tenants(const yaml::Context& ctx, const YAML::Node& node, AppConfig& config);
void load_blocked_ips(const yaml::Context& ctx, const YAML::Node& node, AppConfig& config);
void load_spf_records(const yaml::Context& ctx, const YAML::Node& node, AppConfig& config);

// Emits the sections above into an open top-level map.
void emit_exchange_sections(YAML::Emitter& out, const AppConfig& config);

// Names of the enum values as written in YAML (tenant enums: policy/tenant_fields.hpp).
std::string_view clock_name(ClockMode mode);
std::string_view implicit_tls_name(policy::exo::ImplicitTlsBehaviour b);

}  // namespace exosim::app
