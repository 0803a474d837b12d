# exosim_tls: the local CA, certificate variants and OpenSSL contexts (certs.*, tls_context.*).
# Included by mockserver/transport/CMakeLists.txt; exosim_transport links it.
add_library(exosim_tls STATIC
  ${CMAKE_CURRENT_LIST_DIR}/certs.cpp
  ${CMAKE_CURRENT_LIST_DIR}/tls_context.cpp
  ${CMAKE_CURRENT_LIST_DIR}/tls_hello.cpp
  ${CMAKE_CURRENT_LIST_DIR}/evidence.cpp
  ${CMAKE_CURRENT_LIST_DIR}/pkcs12.cpp)
add_library(exosim::tls ALIAS exosim_tls)
target_include_directories(exosim_tls PUBLIC ${PROJECT_SOURCE_DIR}/mockserver)
target_link_libraries(exosim_tls
  PUBLIC exosim_core exosim_lab exosim_store OpenSSL::SSL OpenSSL::Crypto Boost::headers Threads::Threads exosim_sanitizers
  PRIVATE exosim_warnings)
