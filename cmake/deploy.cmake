# `cmake --install` for a device (docs/raspberry-pi.md), component "bin" with the CLI: the man page, the example
# INI (PREFIX/etc/ccsplc/ccsplc.ini, and in the documentation directory), the user's docs, and the systemd units of both
# roles (ccsplc-evse.service, ccsplc-pev.service; sandboxed: deploy/sandbox.conf) written at install time with
# the prefix given then (`cmake --install build --prefix DIR`). CCS_SYSTEMD_UNITDIR: where the units go
# (default PREFIX/lib/systemd/system, which systemd reads for /usr and /usr/local). Included from CMakeLists.txt.
set(CCS_SYSTEMD_UNITDIR "" CACHE PATH "systemd unit directory (empty: PREFIX/lib/systemd/system)")

install(FILES deploy/ccsplc.1 DESTINATION ${CMAKE_INSTALL_MANDIR}/man1 COMPONENT bin)
install(FILES deploy/ccsplc.ini DESTINATION ${CMAKE_INSTALL_SYSCONFDIR}/ccsplc COMPONENT bin)
install(FILES deploy/ccsplc.ini docs/config.md docs/hardware.md docs/raspberry-pi.md docs/live.md docs/modem.md
  DESTINATION ${CMAKE_INSTALL_DOCDIR} COMPONENT bin)
install(CODE "
  set(prefix \"\${CMAKE_INSTALL_PREFIX}\")
  set(CCS_BIN \"\${prefix}/${CMAKE_INSTALL_BINDIR}\")
  set(CCS_ETC \"\${prefix}/${CMAKE_INSTALL_SYSCONFDIR}\")   # where the INI above went
  set(unitdir \"${CCS_SYSTEMD_UNITDIR}\")
  if(NOT unitdir)
    set(unitdir \"\${prefix}/lib/systemd/system\")
  endif()
  file(READ \"${CMAKE_SOURCE_DIR}/deploy/sandbox.conf\" CCS_SANDBOX)
  foreach(role evse pev)
    configure_file(\"${CMAKE_SOURCE_DIR}/deploy/ccsplc-\${role}.service.in\"
      \"\$ENV{DESTDIR}\${unitdir}/ccsplc-\${role}.service\" @ONLY)
    message(STATUS \"Installing: \$ENV{DESTDIR}\${unitdir}/ccsplc-\${role}.service\")
  endforeach()
" COMPONENT bin)
