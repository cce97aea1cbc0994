# install(): the `trailwatch` executable, the libraries and their headers, and an exported CMake package:
#   find_package(trailwatch 0.1 REQUIRED)
#   target_link_libraries(app PRIVATE trailwatch::patterns)   # the two pattern languages, pure
#   target_link_libraries(app PRIVATE trailwatch::eval)       # + evaluation over simdjson
#   target_link_libraries(app PRIVATE trailwatch::engine)     # input + eval + replay
# tests/install builds a consumer against the installed tree (CTest `install_consumer`).
include(CMakePackageConfigHelpers)

set(TW_INSTALL_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/trailwatch)
set(TW_HAVE_HYPERSCAN ${HYPERSCAN_FOUND})

install(TARGETS trailwatch RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(TARGETS trailwatch_patterns trailwatch_input trailwatch_eval trailwatch_replay trailwatch_engine
        EXPORT trailwatchTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/trailwatch)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/patterns ${PROJECT_SOURCE_DIR}/engine
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/trailwatch
        FILES_MATCHING PATTERN "*.h")
install(FILES ${TW_GENERATED_DIR}/engine/version.h DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/trailwatch/engine)
install(EXPORT trailwatchTargets NAMESPACE trailwatch:: FILE trailwatchTargets.cmake
        DESTINATION ${TW_INSTALL_CMAKEDIR})
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/trailwatchConfig.cmake.in
                              ${PROJECT_BINARY_DIR}/trailwatchConfig.cmake
                              INSTALL_DESTINATION ${TW_INSTALL_CMAKEDIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/trailwatchConfigVersion.cmake
                                 VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/trailwatchConfig.cmake ${PROJECT_BINARY_DIR}/trailwatchConfigVersion.cmake
        DESTINATION ${TW_INSTALL_CMAKEDIR})
