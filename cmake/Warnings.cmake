# grantlint_set_warnings(target): the project's warning set; errors when GRANTLINT_WERROR.
function(grantlint_set_warnings target)
  target_compile_options(${target} PRIVATE
    -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion
    -Wnon-virtual-dtor -Wold-style-cast -Woverloaded-virtual
    -Wimplicit-fallthrough -Wformat=2)
  if(GRANTLINT_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
