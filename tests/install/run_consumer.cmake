# run_consumer.cmake: installs the build tree into a scratch prefix, builds tests/install/consumer against it
# with find_package(trailwatch) and runs the consumers: the pattern languages alone, evaluation, and a whole
# replay of samples/console-login whose metrics and alarms must equal `trailwatch replay`'s.
# cmake -DBUILD_DIR=... -DSOURCE_DIR=... -DWORK_DIR=... -DCXX=... -DBUILD_TYPE=... -DFLAGS=... -P run_consumer.cmake
file(REMOVE_RECURSE ${WORK_DIR})
set(prefix ${WORK_DIR}/prefix)
function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "failed (${rc}): ${ARGN}\n${out}\n${err}")
  endif()
  set(out "${out}" PARENT_SCOPE)
endfunction()

run(${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix})
foreach(f bin/trailwatch lib/cmake/trailwatch/trailwatchConfig.cmake lib/cmake/trailwatch/trailwatchTargets.cmake
          include/trailwatch/engine/version.h include/trailwatch/patterns/filter/compile.h)
  if(NOT EXISTS ${prefix}/${f})
    file(GLOB_RECURSE got RELATIVE ${prefix} ${prefix}/*)
    message(FATAL_ERROR "not installed: ${f}\ninstalled: ${got}")
  endif()
endforeach()
run(${CMAKE_COMMAND} -S ${SOURCE_DIR}/tests/install/consumer -B ${WORK_DIR}/build
    -DCMAKE_PREFIX_PATH=${prefix} -DCMAKE_CXX_COMPILER=${CXX} -DCMAKE_BUILD_TYPE=${BUILD_TYPE}
    "-DCMAKE_CXX_FLAGS=${FLAGS}" "-DCMAKE_EXE_LINKER_FLAGS=${FLAGS}")
run(${CMAKE_COMMAND} --build ${WORK_DIR}/build -j 2)

run(${WORK_DIR}/build/consumer_patterns)
if(NOT out STREQUAL "filter ok; invalid pattern: InvalidParameterException\n")
  message(FATAL_ERROR "consumer_patterns printed: ${out}")
endif()
run(${WORK_DIR}/build/consumer_eval)
if(NOT out STREQUAL "filter matched; rule matched\n")
  message(FATAL_ERROR "consumer_eval printed: ${out}")
endif()

set(sample ${SOURCE_DIR}/samples/console-login)
run(${WORK_DIR}/build/consumer_engine ${sample}/setup.yaml ${sample}/events)
set(library "${out}")
run(${prefix}/bin/trailwatch replay ${sample}/setup.yaml ${sample}/events --output json)
set(cli "${out}")
foreach(key metrics alarms)
  string(JSON a GET "${library}" ${key})
  string(JSON b GET "${cli}" ${key})
  string(JSON n LENGTH "${library}" ${key})
  if(NOT a STREQUAL b OR n EQUAL 0)
    message(FATAL_ERROR "${key} differ (or are empty) between the library and the CLI:\n${a}\n---\n${b}")
  endif()
endforeach()
message(STATUS "install consumer: patterns, eval and engine consumers agree with the CLI")
