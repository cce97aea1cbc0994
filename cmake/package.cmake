# package.cmake: `cpack -G DEB` in the build directory makes the Debian packages:
#   trailwatch      the executable, its man pages and its bash and zsh completions (component runtime);
#                   Depends: computed by dpkg-shlibdeps from the libraries the executable links;
#   trailwatch-dev  the static libraries, headers and CMake package (component devel); Depends: the -dev
#                   packages trailwatchConfig.cmake finds.
# tests/install/deb_test.sh builds them, installs trailwatch into a scratch root with dpkg, runs it, removes it.
set(TRAILWATCH_PACKAGE_CONTACT "trailwatch developers <trailwatch@localhost>" CACHE STRING
    "Maintainer field of the Debian packages")
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME trailwatch)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT ${TRAILWATCH_PACKAGE_CONTACT})
set(_tw_summary "test and replay CloudWatch Logs metric filters and EventBridge rules offline")
set(_tw_description
    "trailwatch evaluates CloudWatch Logs metric filter patterns and EventBridge event patterns exactly as AWS
does, offline: it tests them as `aws logs test-metric-filter` and `aws events test-event-pattern` do, greps
files with them, checks a whole setup for mistakes, and replays CloudTrail exports through it.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL runtime devel)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_RUNTIME_PACKAGE_NAME trailwatch)
set(CPACK_DEBIAN_RUNTIME_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_DEVEL_PACKAGE_NAME trailwatch-dev)
set(CPACK_DEBIAN_DEVEL_PACKAGE_SECTION libdevel)
set(_tw_dev_depends "pkg-config, libsimdjson-dev, libre2-dev, libicu-dev, nlohmann-json3-dev, libyaml-cpp-dev, zlib1g-dev, libdeflate-dev")
if(HYPERSCAN_FOUND)
  string(APPEND _tw_dev_depends ", libhyperscan-dev")
endif()
set(CPACK_DEBIAN_DEVEL_PACKAGE_DEPENDS ${_tw_dev_depends})
# Each package's description: its synopsis line, then the long text (CPACK_PACKAGE_DESCRIPTION_SUMMARY stays
# unset: CPackDeb would put it before every package's own synopsis).
set(CPACK_DEBIAN_RUNTIME_DESCRIPTION "${_tw_summary}\n${_tw_description}")
set(CPACK_DEBIAN_DEVEL_DESCRIPTION "trailwatch's engine as C++ libraries
The two pattern languages, their evaluation and the replay engine, as static libraries with their headers
and a CMake package: find_package(trailwatch).")
include(CPack)
