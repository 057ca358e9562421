# Linked footprint per part of the firmware from the GNU ld map (build.sh): flash (text, rodata, data's load
# image) and static RAM (data, bss) of each input object after --gc-sections, grouped by source directory.
function hex(s,    i, v) {   # "0x..." (mawk has no strtonum)
    v = 0; s = tolower(substr(s, 3))
    for (i = 1; i <= length(s); i++) v = v * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
    return v
}
function part(obj) {
    sub(/.*\//, "", obj); sub(/\(.*/, "", obj)
    if (obj ~ /^lib(c|g|m|c_nano|g_nano|m_nano)\.a|^libgcc/) return "C library (newlib-nano, libgcc)"
    if (obj ~ /^exi_gen_/) return "exi tables (DIN, ISO-2, app)"
    if (obj ~ /^fw_(startup|uart_log|lan9118|random)/) return "board: startup, UART, LAN9118, random"
    if (obj ~ /^fw_car/) return "firmware main loop (car.c)"
    if (obj ~ /^fw_session/) return "session glue + static documents (session.c)"
    split(obj, p, "_"); return p[1]
}
/^Linker script and memory map/ { on = 1; next }
!on { next }
/^ \.(text|rodata|data|bss)[^ ]* *$/ || /^ COMMON *$/ { pending = $1; next }   # a long section name: numbers on the next line
/^[^ ]/ { pending = ""; next }   # output sections and symbols at column 0: the input sections are indented
{
    sec = $1; addr = $2; size = $3; obj = $4
    if (pending != "" && $1 ~ /^0x/) { sec = pending; addr = $1; size = $2; obj = $3 }
    pending = ""
    if (sec !~ /^\.(text|rodata|data|bss)|^COMMON$/ || size !~ /^0x/ || obj == "") next
    n = hex(size); k = part(obj)
    if (sec ~ /^\.(text|rodata)/) flash[k] += n
    else if (sec ~ /^\.data/) { flash[k] += n; ram[k] += n }
    else ram[k] += n
    seen[k] = 1
}
END {
    printf "| part | flash | static RAM |\n| --- | ---: | ---: |\n"
    for (k in seen) printf "| %s | %d | %d |\n", k, flash[k], ram[k] | "sort"
    close("sort")
}
