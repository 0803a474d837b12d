#pragma once
// `exosim serve`: load configuration, prepare the data dir and CA, run the server until a signal.
#include "app/cli.hpp"

namespace exosim::app {

int serve(const ServeOptions& options);

}  // namespace exosim::app
