# The Debian package (issue 10): `cpack -G DEB` in a release build tree (ci/package does it and
# checks the result). Installs:
#   /usr/bin/exosim, /usr/bin/exosim-client
#   /usr/share/exosim/scenarios                      the scenario library (certify's installed default)
#   /usr/lib/python3/dist-packages/exosim_pytest     the pytest plugin (-p exosim_pytest.plugin)
#   /etc/exosim/exosim.yaml                          the embedded default configuration, a conffile
#   /lib/systemd/system/exosim.service               the service (bookworm keeps units under /lib)
#   /usr/share/doc/exosim                            README, copyright, changelog
# Dependencies come from the binaries' shared libraries (dpkg-shlibdeps).
include(GNUInstallDirs)
set(pkg ${CMAKE_CURRENT_LIST_DIR})
set(pkg_out ${CMAKE_BINARY_DIR}/packaging)

install(TARGETS exosim RUNTIME DESTINATION bin)
if(TARGET exosim-client)
  install(TARGETS exosim-client RUNTIME DESTINATION bin)
endif()
install(DIRECTORY ${PROJECT_SOURCE_DIR}/scenarios/ DESTINATION share/exosim/scenarios)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/tests/integration/exosim_pytest DESTINATION lib/python3/dist-packages
        FILES_MATCHING PATTERN "*.py" PATTERN "__pycache__" EXCLUDE)

# The conffile: the embedded default (mockserver/app/default_config.yaml, already commented) with a
# header saying where the service's data goes; --data-dir in the unit overrides data_dir.
file(READ ${PROJECT_SOURCE_DIR}/mockserver/app/default_config.yaml default_config)
file(WRITE ${pkg_out}/exosim.yaml
  "# /etc/exosim/exosim.yaml: the configuration of exosim.service (exosim serve --config this file\n"
  "# --data-dir /var/lib/exosim). It starts as exosim's embedded default; edit it and\n"
  "# `systemctl restart exosim`. `exosim serve --config /etc/exosim/exosim.yaml --print-config` shows\n"
  "# the effective configuration. Documentation: /usr/share/doc/exosim/README.md.\n\n"
  "${default_config}")
install(FILES ${pkg_out}/exosim.yaml DESTINATION /etc/exosim)
install(FILES ${pkg}/exosim.service DESTINATION /lib/systemd/system)

# Debian policy 12.5/12.7: a copyright file and a compressed changelog in /usr/share/doc/<package>
# (changelog.gz: a version without a Debian revision is a native package).
set(doc share/doc/exosim)
install(FILES ${PROJECT_SOURCE_DIR}/README.md ${pkg}/copyright DESTINATION ${doc})
string(TIMESTAMP changelog_date "%a, %d %b %Y %H:%M:%S +0000" UTC)
file(WRITE ${pkg_out}/changelog
  "exosim (${PROJECT_VERSION}) unstable; urgency=medium\n\n"
  "  * Built from the exosim source tree with CPack.\n\n"
  " -- exosim maintainers <exosim@example.invalid>  ${changelog_date}\n")
execute_process(COMMAND gzip -9nc ${pkg_out}/changelog OUTPUT_FILE ${pkg_out}/changelog.gz)
install(FILES ${pkg_out}/changelog.gz DESTINATION ${doc})
file(WRITE ${pkg_out}/conffiles "/etc/exosim/exosim.yaml\n")

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME exosim)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "exosim maintainers <exosim@example.invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "offline fake of Exchange Online's SMTP endpoints")
set(CPACK_PACKAGE_DESCRIPTION
  "exosim fakes Microsoft 365's mail front doors (SMTP submission, direct send,\n"
  "relay connector) on one machine with no internet, with the replies Exchange\n"
  "Online sends, and certifies SMTP clients (printers, scanners, applications)\n"
  "against a scenario library. Includes the reference client exosim-client, a\n"
  "systemd service and a pytest plugin (exosim_pytest).")
string(REPLACE ";" "" CPACK_PACKAGE_DESCRIPTION "${CPACK_PACKAGE_DESCRIPTION}")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION mail)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "python3, python3-yaml")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "python3-pytest, swaks")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA ${pkg_out}/conffiles)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_DEBIAN_COMPRESSION_TYPE xz)
set(CPACK_STRIP_FILES ON)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_INSTALL_DEFAULT_DIRECTORY_PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE
    WORLD_READ WORLD_EXECUTE)
include(CPack)
