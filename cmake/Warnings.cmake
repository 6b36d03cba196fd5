# grantlint_set_warnings(target): the project's warning set; errors when GRANTLINT_WERROR.
function(grantlint_set_warnings target)
  target_compile_options(${target} PRIVATE
    -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion
    -Wnon-virtual-dtor -Wold-style-cast -Woverloaded-virtual
    -Wimplicit-fallthrough -Wformat=2)
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    # GCC 12 reports false -Wrestrict overlaps inside libstdc++'s std::string at -O3
    # (GCC bug 105329); the warning says nothing about this project's code there.
    target_compile_options(${target} PRIVATE -Wno-restrict)
  endif()
  if(GRANTLINT_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
