# Every dependency comes from a Debian package (scripts/setup.sh installs them);
# nothing is fetched at configure or build time.
find_package(simdjson REQUIRED CONFIG)
find_package(fmt REQUIRED CONFIG)
find_package(CLI11 REQUIRED CONFIG)
find_package(PkgConfig REQUIRED)
pkg_check_modules(RE2 REQUIRED IMPORTED_TARGET re2)
pkg_check_modules(YAML REQUIRED IMPORTED_TARGET yaml-0.1)
find_package(ZLIB REQUIRED)
if(GRANTLINT_BUILD_TESTS)
  find_package(Catch2 2 REQUIRED CONFIG)
endif()
