# With GRANTLINT_SANITIZE every target is built with ASan + UBSan; UBSan findings abort
# so that a test run cannot pass over them.
if(GRANTLINT_SANITIZE)
  # -g1: line tables, all a sanitizer's stack trace needs; full debug information (-g, which
  # the Debug build type puts first and this overrides) made the build half again as long.
  add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=all
                      -fno-omit-frame-pointer -O1 -g1)
  add_link_options(-fsanitize=address,undefined)
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    # GCC 12 reports false maybe-uninitialized warnings inside libstdc++ (<regex>, via
    # Catch2) once ASan instruments it; the dev build keeps the warning.
    add_compile_options(-Wno-maybe-uninitialized)
  endif()
endif()
