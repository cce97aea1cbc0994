# generate_docs.cmake (cmake -P): the man pages and shell completions, written by the built trailwatch from
# the commands' declarations (tools/docs.h) into OUT_DIR: man/*.1.gz (gzip -9n, as Debian installs them),
# completion/trailwatch (bash) and completion/_trailwatch (zsh). Run by the trailwatch_docs target.
#   cmake -DTRAILWATCH=path/to/trailwatch -DOUT_DIR=dir -P generate_docs.cmake
file(REMOVE_RECURSE ${OUT_DIR}/man ${OUT_DIR}/completion)
file(MAKE_DIRECTORY ${OUT_DIR}/man ${OUT_DIR}/completion)
execute_process(COMMAND ${TRAILWATCH} man --out-dir ${OUT_DIR}/man RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "trailwatch man --out-dir failed (${rc})")
endif()
foreach(shell_file bash:trailwatch zsh:_trailwatch)
  string(REPLACE ":" ";" parts ${shell_file})
  list(GET parts 0 shell)
  list(GET parts 1 name)
  execute_process(COMMAND ${TRAILWATCH} completion ${shell} OUTPUT_FILE ${OUT_DIR}/completion/${name}
                  RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "trailwatch completion ${shell} failed (${rc})")
  endif()
endforeach()
file(GLOB pages ${OUT_DIR}/man/*.1)
foreach(page ${pages})
  execute_process(COMMAND gzip -9nf ${page} RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "gzip ${page} failed (${rc})")
  endif()
endforeach()
