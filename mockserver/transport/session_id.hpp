#pragma once
// Session identifiers: 16 upper-case hex digits, as Exchange Online prints them in its banner
// and NDRs. Random (not sequential) so ids from two runs never collide in one data dir.
#include <string>

namespace exosim::transport {

std::string new_session_id();

}  // namespace exosim::transport
